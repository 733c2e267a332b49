"""Year over year: reused sentences and promise tracking, on consecutive-year pairs
built from real seed text."""
import dataclasses

import pytest

import rolnlp
import rolnlp.reading
from rolnlp.audit import year_over_year
from rolnlp.audit.yoy import compare_years, plan_items
from rolnlp.text.sentences import normalize, split_sentences

# report text held in memory (parse_report where the reader has it)
parse_text = getattr(rolnlp.reading, "parse_report", None) or rolnlp.read_report

from conftest import REPORTS


@pytest.fixture(scope="module")
def seed000():
    return rolnlp.read_report(REPORTS / "000_5c5bdc2152d9c680.txt")


def _next_year(report, achievements, plans="一是继续深化改革。"):
    """A 2025 report of the same place: the given achievements, a fresh plans part."""
    text = ("硚口区2025年度法治政府建设情况报告\n2025年，硚口区坚持依法行政。现将有关情况报告如下：\n"
            "一、2025年法治政府建设主要举措和成效\n" + "\n".join(achievements)
            + "\n二、存在的不足\n一是队伍力量不足。\n三、2026年法治政府建设主要安排\n" + plans)
    r = parse_text(text, id="000_next")
    meta = dataclasses.replace(report.metadata, year=2025, date="2026-03-01")
    r.metadata = meta
    return r


def test_plan_items_of_a_seed(seed000):
    items = plan_items(seed000)
    assert len(items) == 4
    assert items[0].startswith("（一）加强抽象行政行为监管")


def test_reuse_and_promises_on_a_synthetic_pair(seed000):
    achievements = [p.text for p in seed000.paragraphs if p.section == "achievements"]
    # this year repeats two of last year's paragraphs word for word, reports one
    # plan item as done in new words, and is silent on the others
    done = ("（一）加强抽象行政行为监管。全年对重大决策事项开展合法性审查，规范决策目录编制，"
            "开展重大行政决策后评估；严格规范性文件管理，完成行政规范性文件清理。")
    b = _next_year(seed000, achievements[:2] + [done])
    res = compare_years(seed000, b)
    reused = res["reused"]
    assert len(reused) > 0 and 0 < res["reused_share"] < 1
    for _, row in reused.iterrows():
        assert seed000.text[row["start_a"]:row["end_a"]] == row["sentence_a"]
        assert b.text[row["start_b"]:row["end_b"]] == row["sentence_b"]
    # every sentence of the two copied paragraphs is found
    copied = sum(len(normalize(s)) >= 15 for t in achievements[:2] for _, _, s in split_sentences(t))
    assert len(reused) == copied
    kept = res["promises"].set_index("item")["kept"]
    assert kept[next(i for i in kept.index if i.startswith("（一）"))]
    assert not kept[next(i for i in kept.index if i.startswith("（四）"))]
    assert res["kept"] == 1


def test_a_fresh_report_reuses_nothing(seed000):
    b = _next_year(seed000, ["全年新建社区矫正中心两个，完成人民调解员轮训，群众满意度明显上升。"])
    res = compare_years(seed000, b)
    assert res["reused_share"] == 0 and res["kept"] == 0


def test_year_over_year_pairs_only_consecutive_years_of_one_place(seed000):
    b = _next_year(seed000, [p.text for p in seed000.paragraphs if p.section == "achievements"])
    other = rolnlp.read_report(REPORTS / "003_8843a2275c818d9b.txt")
    yoy = year_over_year([seed000, b, other])
    assert len(yoy.pairs) == 1
    pair = yoy.pairs.iloc[0]
    assert (pair["report_a"], pair["report_b"]) == (seed000.id, "000_next")
    assert (pair["year_a"], pair["year_b"]) == (2024, 2025)
    assert pair["reused_share"] > 0.8  # the whole achievements part copied
    assert pair["promises"] == 4 and len(yoy.promises) == 4
    empty = year_over_year([other])
    assert len(empty.pairs) == 0 and list(empty.reused.columns)
