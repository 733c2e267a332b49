"""The report audit: parts on the seeds, timeliness, evidence, shortcomings, the
Audit type, the corpus table, the HTML section and the CLI."""
import json
import re

import pandas as pd
import pytest

import rolnlp
import rolnlp.reading
from rolnlp.audit import AUDIT_COLUMNS, PART_CODES, audit_corpus, find_parts
from rolnlp.audit.evidence import count_figures
from rolnlp.audit.html import audit_section
from rolnlp.audit.parts import heading_part, lead_in_part
from rolnlp.audit.shortcomings import shortcomings_of
from rolnlp.audit.timeliness import timeliness_of

# report text held in memory (parse_report where the reader has it)
parse_text = getattr(rolnlp.reading, "parse_report", None) or rolnlp.read_report

from conftest import REPORTS


@pytest.fixture(scope="module")
def seeds():
    return {p.stem[:3]: rolnlp.read_report(p) for p in sorted(REPORTS.glob("*.txt"))}


@pytest.fixture(scope="module")
def audits(seeds):
    return {k: rolnlp.audit(r) for k, r in seeds.items()}


def _present(a):
    return {p.code for p in a.parts if p.present}


# --- parts on the seeds -----------------------------------------------------

def test_seed_000_has_no_first_responsible_part(audits):
    a = audits["000"]
    assert _present(a) == {"achievements", "shortcomings", "plans"}
    assert not a.part("first_responsible").present
    assert not a.part("first_responsible").mentioned  # the report never speaks of it


def test_seed_001_is_only_achievements(audits):
    a = audits["001"]
    assert _present(a) == {"achievements"}
    assert a.part("achievements").share > 0.8
    # it names the 第一责任人 duty in passing: mentioned, not a part
    assert a.part("first_responsible").mentioned and not a.part("first_responsible").present


def test_seed_002_has_all_four_main_parts_with_first_responsible_first(audits):
    a = audits["002"]
    assert _present(a) == {"first_responsible", "achievements", "shortcomings", "plans"}
    assert a.present_parts == ["first_responsible", "achievements", "shortcomings", "plans"]
    assert a.part("first_responsible").via == "heading"
    assert "第一责任人" in a.part("first_responsible").opener


def test_seed_003_shortcomings_and_plans_without_headings(audits, seeds):
    a, r = audits["003"], seeds["003"]
    assert _present(a) == {"achievements", "shortcomings", "plans"}
    sc, pl = a.part("shortcomings"), a.part("plans")
    assert sc.via == "lead-in" and pl.via == "lead-in"
    assert "问题和不足" in sc.opener and "将" in pl.opener
    assert sc.start < pl.start and r.text[sc.start:].startswith("在充分肯定成绩的同时")
    # the signature and date at the end belong to no part
    assert "2024年3月6日" not in r.text[pl.start:pl.end]
    assert a.part("first_responsible").mentioned and not a.part("first_responsible").present


def test_part_spans_and_shares_are_consistent(audits, seeds):
    for key, a in audits.items():
        r = seeds[key]
        present = sorted((p for p in a.parts if p.present), key=lambda p: p.start)
        assert [p.order for p in present] == list(range(1, len(present) + 1))
        for x, y in zip(present, present[1:]):
            assert x.end <= y.start
        total = sum(p.share for p in a.parts)
        assert 0.5 < total <= 1.0001
        for p in present:
            assert 0 <= p.start < p.end <= len(r.text)


def test_heading_and_lead_in_wording():
    assert heading_part("二、存在的问题和短板") == "shortcomings"
    assert heading_part("三、2025年度法治政府建设工作思路") == "plans"
    assert heading_part("五、其他需要报告的情况") == "other_matters"
    assert heading_part("一、坚持思想领航，激发法治政府建设内生动力") == "achievements"
    assert lead_in_part("下一步，我们将持续深化改革。") == "plans"
    # the same year as the report is not next year's plan; achievements often start with 将
    assert lead_in_part("2023年，我们将法治建设纳入考核。", year=2023) is None
    assert lead_in_part("将法治建设纳入全区年度综合考核。") is None


def test_folded_first_responsible_is_mentioned_not_present():
    text = ("导语。\n一、主要举措和成效\n（一）党政主要负责人切实履行推进法治建设第一责任人职责。做了工作。\n"
            "二、存在的不足\n一是队伍薄弱。\n三、2025年工作安排\n一是加强队伍。")
    parts = {p.code: p for p in find_parts(parse_text(text))}
    assert parts["first_responsible"].mentioned and not parts["first_responsible"].present
    assert parts["plans"].present and parts["plans"].via == "heading"


def test_report_without_any_part_wording_counts_body_as_achievements():
    r = parse_text("报告如下：\n全年办理行政复议案件12件。\n开展普法活动30场次。")
    parts = {p.code: p for p in find_parts(r)}
    assert parts["achievements"].present and parts["achievements"].via == "body"
    assert not parts["plans"].present


# --- timeliness ---------------------------------------------------------------

def test_timeliness_on_seeds(audits, truth):
    for key, a in audits.items():
        t = a.timeliness
        want = truth[a.report_id]
        if want["date"] is None:
            assert t.on_time is None and t.days_early is None
        else:
            assert t.date == want["date"]
            assert t.deadline == f"{want['year'] + 1}-04-01"
            assert t.on_time is True and t.days_early > 0
    assert audits["003"].timeliness.date_source == "signature"
    assert audits["000"].timeliness.date_source == "page"


def test_deadline_rule():
    assert timeliness_of(2023, "2024-03-31").on_time is True
    late = timeliness_of(2023, "2024-05-01")
    assert late.on_time is False and late.days_early == -30
    assert timeliness_of(2023, "2024-04-01").on_time is False  # "before 1 April"
    assert timeliness_of(None, "2024-03-01").on_time is None
    assert timeliness_of(2023, "not a date").on_time is None


# --- evidence and shortcomings -----------------------------------------------

def test_figures_leave_out_years_dates_ordinals_and_document_numbers():
    assert count_figures("2024年3月6日召开第3次会议，印发〔2023〕12号文件") == 0
    assert count_figures("办理案件1.2万件，满意率99.35%，培训800人次") == 3


def test_evidence_on_seeds(audits):
    for a in audits.values():
        e = a.evidence
        assert e.figures > 0 and 0 < e.paragraphs_with_figure <= 1
        assert e.figures_per_1000 == pytest.approx(1000 * e.figures / e.chars, abs=1e-3)
        assert e.indicator_mentions == len(a.indicators)


def test_shortcomings_depth():
    generic = shortcomings_of("仍存在一些不足：一是认识还不够到位。二是工作有待加强。")
    honest = shortcomings_of("存在以下不足：一是行政执法水平有待提高。由于街镇人员流动大，导致执法不稳定。"
                             "二是行政复议办案质效不高，全年纠错率仅3%。")
    assert generic.problems == honest.problems == 2
    assert generic.with_cause == 0 and honest.with_cause == 1
    assert generic.specific == 0 and honest.specific == 2
    assert generic.stock_phrases >= 2


def test_shortcomings_on_seeds(audits):
    s2 = audits["002"].shortcomings  # 002 gives causes (一方面…另一方面, 由于)
    assert s2.present and s2.problems == 3 and s2.with_cause >= 2
    assert audits["000"].shortcomings.problems == 4
    assert not audits["001"].shortcomings.present


# --- Audit and the corpus table ----------------------------------------------

def test_audit_accepts_text_and_rejects_other_types():
    a = rolnlp.audit("一、主要举措和成效\n全年办理行政复议案件12件。\n二、存在的不足\n一是队伍薄弱。")
    assert a.present_parts == ["achievements", "shortcomings"]
    with pytest.raises(TypeError):
        rolnlp.audit(42)
    empty = rolnlp.audit("")
    assert not any(p.present for p in empty.parts) and empty.evidence.figures == 0


def test_audit_result_round_trips_to_json(audits):
    d = audits["002"].to_dict()
    json.dumps(d, ensure_ascii=False, default=str)
    assert [p["code"] for p in d["parts"]] == list(PART_CODES)
    row = audits["002"].to_row()
    assert list(row) == AUDIT_COLUMNS and row["main_parts"] == 4


def test_audit_corpus_one_row_per_report(seeds):
    corpus = rolnlp.Corpus(list(seeds.values()))
    df, ind = audit_corpus(corpus, progress=False, indicators=True)
    assert list(df.columns) == AUDIT_COLUMNS and len(df) == 5
    assert df.set_index("report_id").loc["002_87db0459dcb0080d", "main_parts"] == 4
    assert set(ind["report_id"]) <= set(df["report_id"])
    assert df["indicator_mentions"].sum() == len(ind)


def test_audit_package_is_callable_and_importable():
    import rolnlp.audit.html  # noqa: F401  (submodule import keeps rolnlp.audit callable)
    assert callable(rolnlp.audit)
    assert rolnlp.audit.html.audit_section is audit_section


# --- HTML section ---------------------------------------------------------------

def test_audit_section_escapes_report_text(seeds):
    hostile = parse_text("一、主要举措和成效\n<script>alert(1)</script>办理法律援助案件830件。",
                                 id="<b>x</b>")
    corpus = list(seeds.values())[:2] + [hostile]
    df, ind = audit_corpus(corpus, progress=False, indicators=True)
    html = audit_section(df, ind)
    assert "<script>" not in html and "<b>x</b>" not in html
    assert "&lt;script&gt;" in html and "&lt;b&gt;x&lt;/b&gt;" in html
    # scorecard, grid, indicator table and timeliness are all there
    assert html.count("<table") == 4
    assert "legal_aid_cases" in html and "✓" in html


# --- CLI ------------------------------------------------------------------------

class _Out:
    def __init__(self, returncode, stdout, stderr):
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


@pytest.fixture
def cli(capsys):
    from rolnlp.cli import main

    def run(*args):
        code = main(["audit", *args])
        out = capsys.readouterr()
        return _Out(code, out.out, out.err)
    return run


def test_cli_formats(cli):
    out = cli(str(REPORTS), "-q", "--format", "csv")
    assert out.returncode == 0, out.stderr
    df = pd.read_csv(pd.io.common.StringIO(out.stdout))
    assert len(df) == 5 and list(df.columns) == AUDIT_COLUMNS
    out = cli(str(REPORTS), "-q", "--format", "json")
    rows = json.loads(out.stdout)
    assert len(rows) == 5 and rows[2]["has_first_responsible"] is True
    out = cli(str(REPORTS), "-q", "--format", "jsonl", "--indicators")
    lines = [json.loads(x) for x in out.stdout.splitlines()]
    assert lines and all(set(x) >= {"report_id", "code", "value", "sentence"} for x in lines)
    out = cli(str(REPORTS), "-q")
    assert re.search(r"002_87db0459dcb0080d .* first_responsible > achievements", out.stdout)


def test_cli_missing_path_is_a_clear_error(cli):
    out = cli("does/not/exist", "-q")
    assert out.returncode == 2 and "no such file or directory" in out.stderr
    assert "Traceback" not in out.stderr


def test_audit_blocks_render_in_the_summary_page(seeds):
    from rolnlp.analysis.summary import render_summary
    from rolnlp.audit.html import audit_blocks

    df, ind = audit_corpus(list(seeds.values()), progress=False, indicators=True)
    blocks = audit_blocks(df, ind)
    assert [b[0] for b in blocks][:2] == ["h2", "p"]
    page = render_summary("t", blocks)
    assert page.count("<table") == 4 and "mediation_success_rate" in page
    # the fragment and the blocks say the same thing
    assert audit_section(df, ind).count("<table") == 4


def test_traditional_script_and_gbk_bytes_audit_like_the_original(seeds, tmp_path):
    import opencc

    original = seeds["002"]
    trad = opencc.OpenCC("s2t").convert(original.text)
    a = rolnlp.audit(parse_text(trad))
    assert a.present_parts == ["first_responsible", "achievements", "shortcomings", "plans"]
    path = tmp_path / "gbk.txt"
    path.write_bytes(original.text.encode("gb18030"))
    b = rolnlp.audit(rolnlp.read_report(path))
    assert b.present_parts == a.present_parts
    assert b.evidence.indicator_mentions == rolnlp.audit(original).evidence.indicator_mentions


def test_audit_does_not_modify_the_report(seeds):
    r = seeds["003"]
    before = (r.text, [p.text for p in r.paragraphs], r.metadata)
    rolnlp.audit(r)
    assert (r.text, [p.text for p in r.paragraphs], r.metadata) == before


def test_corpus_audit_is_audit_corpus():
    corpus = rolnlp.read_corpus(REPORTS, progress=False)
    table, mentions = corpus.audit(progress=False, indicators=True)
    assert list(table["report_id"]) == corpus.ids
    assert table.set_index("report_id")["main_parts"].to_dict()["002_87db0459dcb0080d"] == 4
    assert set(mentions["report_id"]) <= set(corpus.ids) and len(mentions) > 0
