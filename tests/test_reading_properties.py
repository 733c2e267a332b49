"""Property tests: any text reads without error, losslessly; normalize_text is idempotent."""
import json
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rolnlp import parse_report
from rolnlp.reading import normalize_text

import pathlib

CORPUS = pathlib.Path(__file__).resolve().parents[1] / "corpus"

PIECES = ["一、", "二、", "三、", "（一）", "(二)", "(1)", "1.", "2、", "一是", "二是", "第一，",
          "。", "，", ",", ":", "；", "！", "?", "“", "”", "(", ")", "（", "）", "《", "》", "|",
          " ", "  ", "\n", "\n\n", "\r\n", "\t", "\u3000", "\xa0", "\u200b", "<p>", "</p>", "<br>",
          "<script>x</script>", "&nbsp;", "&amp;", "扫一扫", "收藏 打印 关闭", "朗读", "您当前的位置:",
          "首页>", "索引号", "发布机构:", "更新时间:2025-03-06", "来源:", "2024年", "3月6日",
          "1.5亿元", "实现(xiàn)", "區(qū)", "法治政府建设", "人民政府", "海盐县", "www.a.com",
          "😀", "\x07", "\x1b", "\ufeff", "報告", "特此报告"]
cjk = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
texts = st.lists(st.one_of(st.sampled_from(PIECES), st.text(cjk, max_size=8), st.text(max_size=6)),
                 max_size=40).map("".join)
FAST = settings(max_examples=int(os.environ.get("ROLNLP_HYPOTHESIS_EXAMPLES", 150)), deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


def _check(r):
    units = r.units("all")
    assert "".join(u.text_with_ws for u in units) == r.text
    pos = 0
    for u in units:
        assert u.start >= pos and r.text[u.start:u.end] == u.text
        pos = u.end
    assert "".join(u.text_with_ws for u in r.units("item")) == "".join(
        p.text_with_ws for p in r.paragraphs)
    for p in r.paragraphs:
        assert p.section in ("preamble", "achievements", "shortcomings", "plans", "other")


@FAST
@given(texts)
def test_any_text_reads_losslessly(text):
    _check(parse_report(text))


@FAST
@given(st.text(max_size=200))
def test_any_unicode_reads_losslessly(text):
    _check(parse_report(text))


@FAST
@given(texts)
def test_normalize_text_is_idempotent(text):
    once = normalize_text(text)
    assert normalize_text(once) == once


@FAST
@given(texts)
def test_paragraphs_are_unchanged_by_normalize_text(text):
    # a paragraph is a fixed point of normalize_text, except that a paragraph
    # which on its own is web residue (residue written inline inside a longer
    # line, split off by the structure) is dropped whole
    for p in parse_report(text).paragraphs:
        assert normalize_text(p.text) in (p.text, "")


def test_all_chunks_read_losslessly():
    rows = [json.loads(x) for x in (CORPUS / "chunks" / "chunks.jsonl").read_text("utf-8").splitlines()]
    assert len(rows) == 676
    n_paragraphs = 0
    for row in rows:
        r = parse_report(row["text"], id=row["id"])
        _check(r)
        n_paragraphs += len(r.paragraphs)
        if row["script"] == "traditional":
            assert r.text != r.original or not r.text
        if row["script"] == "garbled":
            assert "(xiàn)" not in r.text and "(qū)" not in r.text
    assert n_paragraphs > 676
