"""Paragraphs the reader marks as already normal are their own normalize_text, exactly."""
import json
import os
import pathlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import rolnlp
from rolnlp.classification import features
from rolnlp.reading import normalize_text, parse_report
from rolnlp.reading.clean import clean, _clean

CORPUS = pathlib.Path(__file__).resolve().parents[1] / "corpus"
PIECES = ["一、", "（一）", "(二)", "1.", "一是", "。", "，", ",", ":", "；", "?", "“", "”", "(", ")",
          "|", "｜", " ", "\n", "\n\n", "\r\n", "\t", "\u3000", "\u200b", "<p>", "</p>", "&nbsp;",
          "扫一扫", "收藏 打印 关闭", "朗读", "您当前的位置:", "首页>", "索引号", "发布机构:",
          "更新时间:2025-03-06", "来源:", "2024年", "1.5亿元", "实现(xiàn)", "區(qū)", "報告",
          "法治政府建设", "人民政府", "特此报告", "版权所有", "主办单位：", "网站地图", "①", "—",
          "Ⅱ", "\U00020000", "﨑", "㐀", "ｈｔｍｌ", "<div>", "</div>", "<br>"]
cjk = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
texts = st.lists(st.one_of(st.sampled_from(PIECES), st.text(cjk, max_size=8), st.text(max_size=6)),
                 max_size=50).map("".join)
FAST = settings(max_examples=int(os.environ.get("ROLNLP_HYPOTHESIS_EXAMPLES", 150)) * 2,
                deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _known(report, level="paragraph"):
    units = [u.text for u in report.units(level)]
    return report._normal_texts(units)


@FAST
@given(texts, st.booleans())
def test_settled_paragraphs_are_fixed_points(text, simplify):
    r = parse_report(text, to_simplified=simplify)
    for t in _known(r) + _known(r, "item"):
        assert normalize_text(t) == t


@FAST
@given(texts)
def test_clean_flags_one_per_kept_line(text):
    cleaned, removed, settled = _clean(text)
    assert (cleaned, removed) == clean(text)
    assert len(settled) == (len(cleaned.split("\n")) if cleaned else 0)


def test_most_corpus_paragraphs_are_known_normal_and_really_are():
    known = total = 0
    for p in sorted((CORPUS / "reports").glob("*.txt")):
        r = parse_report(p.read_text("utf-8"))
        units = [u.text for u in r.units("paragraph")]
        k = r._normal_texts(units)
        assert all(normalize_text(t) == t for t in k)
        known += len(k)
        total += len(units)
    assert known >= 0.6 * total  # 56 of 80: the others are split off longer lines


def test_classify_report_gives_the_same_table_with_and_without_the_shortcut(monkeypatch):
    rows = (CORPUS / "chunks" / "chunks.jsonl").read_text("utf-8").splitlines()
    text = "\n".join(json.loads(x)["text"] for x in rows[:12])
    r = parse_report(text)
    features._normalized.clear()
    fast = rolnlp.classify_report(r)
    features._normalized.clear()
    monkeypatch.setattr(type(r), "_normal_texts", lambda self, texts: [])
    slow = rolnlp.classify_report(r)
    assert fast.equals(slow)
