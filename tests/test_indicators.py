"""Indicator extraction (indicators v1): values, units, changes, offsets, exclusions,
and the annotated paragraphs it is measured on."""
import json

import pandas as pd
import pytest

import rolnlp
import rolnlp.reading
from rolnlp.audit import INDICATOR_CODES, INDICATOR_COLUMNS, extract_indicators, indicator_table
from rolnlp.audit.indicators import extract_from_text

# report text held in memory (parse_report where the reader has it)
parse_text = getattr(rolnlp.reading, "parse_report", None) or rolnlp.read_report

from conftest import CORPUS, REPORTS


def _pairs(text):
    return [(m["code"], m["value"], m["unit"]) for m in extract_from_text(text)]


@pytest.mark.parametrize("text, want", [
    ("收到行政复议申请1113件，受理行政复议案件1033件，审结977件，直接纠错236件，纠错率24.2%。",
     [("reconsideration_received", 1113, "件"), ("reconsideration_accepted", 1033, "件"),
      ("reconsideration_closed", 977, "件"), ("reconsideration_corrected", 236, "件"),
      ("reconsideration_correction_rate", 24.2, "%")]),
    ("办理行政应诉案件86件，败诉3件，败诉率2.1%，行政机关负责人出庭应诉率达100%。",
     [("litigation_cases", 86, "件"), ("litigation_lost", 3, "件"),
      ("litigation_loss_rate", 2.1, "%"), ("head_appearance_rate", 100, "%")]),
    ("合法性审查文件53份、合同15份。", [("legality_reviews", 53, "份"), ("legality_reviews", 15, "份")]),
    ("调解矛盾纠纷3639件，调解成功率98.5%。",
     [("mediation_cases", 3639, "件"), ("mediation_success_rate", 98.5, "%")]),
    ("解答法律咨询1.2万人次，开展普法活动260场次，受众5万余人次。",
     [("legal_consultations", 12000, "人次"), ("publicity_events", 260, "场次"),
      ("publicity_reach", 50000, "人次")]),
    ("常务会议学法18场次，评查行政执法案卷300卷，培训执法人员800人次。",
     [("official_study_sessions", 18, "场次"), ("case_file_reviews", 300, "卷"),
      ("enforcement_training", 800, "人次")]),
    ("受理12345热线工单3.6万件，办理法律援助案件830件，办理公证事项2100件。",
     [("hotline_tickets", 36000, "件"), ("legal_aid_cases", 830, "件"), ("notary_cases", 2100, "件")]),
    ("开展规范性文件清理，清理规范性文件120件，废止4件；报备规范性文件12件。",
     [("normative_docs_cleaned", 120, "件"), ("normative_docs_cleaned", 4, "件"),
      ("normative_docs_filed", 12, "件")]),
])
def test_spec_examples(text, want):
    assert _pairs(text) == [(c, float(v), u) for c, v, u in want]


@pytest.mark.parametrize("text", [
    "2024年3月6日召开第3次会议。",                          # years, dates, ordinals
    "印发《关于…的通知》（綦府发〔2023〕12号）。",              # document numbers
    "行政复议工作位居全省第一。",                              # ranks
    "力争明年行政复议纠错率达到95%。",                         # targets
    "全国行政复议案件达到30万件。",                            # national totals
    "全年办理法律援助案件，挽回经济损失9000余万元。",             # money
])
def test_exclusions(text):
    assert extract_from_text(text) == []


def test_change_is_attached_not_a_mention():
    ms = extract_from_text("全区受理矛盾纠纷22672件，同比上升127.04%，调解成功率99.35%。")
    assert [(m["code"], m["value"], m["change"]) for m in ms] == [
        ("mediation_cases", 22672.0, "同比上升127.04%"), ("mediation_success_rate", 99.35, None)]


def test_offsets_and_sentence_point_into_the_source():
    text = "一、主要举措和成效\n行政复议调解结案136件，调解率达26.15%。"
    df = extract_indicators(text)
    assert list(df.columns) == INDICATOR_COLUMNS
    for _, m in df.iterrows():
        assert text[m["start"]:m["end"]] == m["text"] and m["text"] in m["sentence"]
    assert df["report_id"].isna().all()


def test_report_and_corpus_rows_carry_report_and_paragraph():
    r = rolnlp.read_report(REPORTS / "002_87db0459dcb0080d.txt")
    df = extract_indicators(r)
    assert len(df) > 5 and set(df["report_id"]) == {r.id}
    paras = {p.index: p for p in r.paragraphs}
    for _, m in df.iterrows():
        p = paras[m["paragraph"]]
        assert p.start <= m["start"] < m["end"] <= p.end
        assert r.text[m["start"]:m["end"]] == m["text"]
        assert p.section != "plans"  # plans state targets, not results
    assert set(df["code"]) <= set(INDICATOR_CODES)
    got = dict(zip(df["code"], df["value"]))
    assert got["mediation_success_rate"] == 99.35
    corpus = rolnlp.Corpus([r, rolnlp.read_report(REPORTS / "003_8843a2275c818d9b.txt")])
    both = extract_indicators(corpus)
    assert set(both["report_id"]) == {r.id, "003_8843a2275c818d9b"}


def test_fullwidth_digits_keep_offsets():
    text = "受理行政复议案件１２２件。"
    (m,) = extract_from_text(text)
    assert m["value"] == 122 and text[m["start"]:m["end"]] == "１２２件"


def test_bad_input():
    with pytest.raises(TypeError):
        extract_indicators(12)
    with pytest.raises(TypeError):
        extract_indicators([object()])
    assert len(extract_indicators("")) == 0
    assert list(extract_indicators("").columns) == INDICATOR_COLUMNS


def test_indicator_table_keeps_totals_and_first_rates():
    mentions = extract_indicators(parse_text(
        "一、成效\n受理法律援助案件4459件，其中法律援助案件450件。调解率达26.15%，后调解率达44.91%。", id="r"))
    t = indicator_table(mentions)
    by = t.set_index("code")
    assert by.loc["legal_aid_cases", "value"] == 4459 and by.loc["legal_aid_cases", "mentions"] == 2


def test_indicator_table_from_reports_has_place_and_year():
    r = rolnlp.read_report(REPORTS / "000_5c5bdc2152d9c680.txt")
    t = indicator_table([r])
    assert (t["region"] == "硚口区").all() and (t["year"] == 2024).all()
    assert t.groupby(["report_id", "code"]).size().max() == 1


def test_annotations_file_is_well_formed():
    rows = [json.loads(x) for x in (CORPUS / "indicators" / "annotations.jsonl").read_text("utf-8").splitlines()]
    assert len(rows) >= 300
    test = [r for r in rows if r["split"] == "test"]
    assert len(test) >= 120
    # split by report: no report has paragraphs on both sides
    sides = {}
    for r in rows:
        sides.setdefault(r["report"], set()).add(r["split"])
    assert all(len(s) == 1 for s in sides.values())
    for r in rows:
        for m in r["mentions"]:
            assert m["code"] in INDICATOR_CODES
            assert r["text"][m["start"]:m["end"]] == m["text"]


def test_extraction_grows_linearly_on_one_huge_unpunctuated_line():
    import time

    def best(text):
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            df = extract_indicators(text)
            times.append(time.perf_counter() - t0)
        return min(times), df

    unit = "受理行政复议案件12件 办理法律援助案件8件 "
    t1, small = best(unit * 500)
    t4, large = best(unit * 2000)
    assert len(large) == 4 * len(small) == 4000
    assert t4 / t1 < 8  # linear: about 4
    assert large["sentence"].str.len().max() <= 400
