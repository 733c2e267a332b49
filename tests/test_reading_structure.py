"""Headings, paragraphs, sections and items on small constructed texts."""
import pytest

from rolnlp import parse_report
from rolnlp.reading.structure import cn_number, section_of, segment, split_items


def _tiles(text):
    hs, ps = segment(text)
    units = sorted(hs + ps, key=lambda u: u.start)
    assert "".join(u.text_with_ws for u in units) == text
    return hs, ps


def test_levels_and_paths():
    text = ("导语。\n一、主要举措和成效\n（一）统筹推进\n1.建立机制\n正文一。\n(2)完善制度。正文二。\n"
            "（二）依法决策\n正文三。\n二、存在的不足\n正文四。\n三、下一步工作安排\n正文五。\n特此报告。")
    hs, ps = _tiles(text)
    assert [(h.level, h.marker) for h in hs] == [(1, "一、"), (2, "（一）"), (3, "1."), (2, "（二）"),
                                                (1, "二、"), (1, "三、")]
    by = {p.text: p for p in ps}
    assert by["导语。"].section == "preamble" and by["导语。"].heading_path == ()
    assert by["正文一。"].heading_path == ("一、主要举措和成效", "（一）统筹推进", "1.建立机制")
    assert by["(2)完善制度。正文二。"].heading_path[-1] == "(2)完善制度"
    assert by["正文三。"].heading_path == ("一、主要举措和成效", "（二）依法决策")
    assert [by[t].section for t in ("正文一。", "正文四。", "正文五。", "特此报告。")] == [
        "achievements", "shortcomings", "plans", "other"]
    assert hs[1].title == "统筹推进" and hs[1].path == ("一、主要举措和成效", "（一）统筹推进")


def test_false_headings_are_not_headings():
    text = ("一、主要举措\n2024年3月6日召开会议，投入1.5亿元。\n1.5亿元用于建设。\n"
            "共有3、4个单位参与，包括一是否的问题。\n常州市钟楼区人民政府\n2024年3月6日")
    hs, ps = _tiles(text)
    assert [h.text for h in hs] == ["一、主要举措"]
    assert ps[-1].text == "2024年3月6日" and ps[-1].section == "other"
    assert ps[-2].section == "other"


def test_inline_headings_in_one_line():
    text = ("2024年，县政府推进法治建设。现将有关情况报告如下： 一、总体情况 （一）学习法治思想 "
            "一是学习。开展学法12次。 二是压实责任。召开会议。 （二）优化营商环境 一是服务。"
            "推出事项32项。 二、存在的问题和短板 一是效能有待提高。 三、2025年工作思路 "
            "一是推进职责。 海盐县人民政府 2025年3月19日")
    hs, ps = _tiles(text)
    assert [h.text for h in hs] == ["一、总体情况", "（一）学习法治思想", "（二）优化营商环境",
                                    "二、存在的问题和短板", "三、2025年工作思路"]
    assert [p.text[:4] for p in ps] == ["2024", "一是学习", "二是压实", "一是服务", "一是效能",
                                        "一是推进", "海盐县人", "2025"]
    assert [p.section for p in ps] == ["preamble", "achievements", "achievements", "achievements",
                                       "shortcomings", "plans", "other", "other"]
    assert all(u.whitespace == " " for u in (hs + ps)[:-1] if u is not ps[-1])


def test_inline_markers_that_break_the_sequence_stay_in_text():
    text = "一、总体情况\n我们在 三、四月份开展了检查 (二)类问题较少。"
    hs, ps = _tiles(text)
    assert len(hs) == 1 and len(ps) == 1


def test_run_in_heading_without_punctuation_is_kept_whole():
    text = "一、总体情况\n（一）" + "很长的标题没有标点" * 10
    hs, ps = _tiles(text)
    assert len(hs) == 1 and ps[0].heading_path[-1].startswith("（一）")


def test_headings_only_and_no_headings():
    r = parse_report("一、主要举措和成效\n（一）统筹推进\n二、存在的不足")
    assert len(r.headings) == 3 and r.paragraphs == []
    assert r.outline()[0]["children"][0]["title"] == "（一）统筹推进"
    r = parse_report("第一段内容。\n第二段内容。")
    assert r.headings == [] and [p.section for p in r.paragraphs] == ["preamble", "preamble"]


def test_content_switch_to_shortcomings_and_plans():
    text = ("一、主要工作\n（一）学法。正文。\n在肯定成绩的同时，也清醒认识到存在的问题和不足：一是不够。\n"
            "2025年，我们将继续推进。\n一是强化设计。")
    _, ps = _tiles(text)
    assert [p.section for p in ps] == ["achievements", "shortcomings", "plans", "plans"]
    assert ps[1].heading_path == ()


def test_jiang_as_ba_does_not_open_the_plans():
    # 将 as 把 ("我局将…纳入…") is an achievement; 将 with a year or intent is a plan
    text = ("一、主要工作\n全年办理行政复议案件120件。\n我局将法律法规纳入学习核心内容，开展专题学法6次。\n"
            "强化学习培训。将习近平法治思想纳入中心组学习。\n我局将继续深化行政执法改革。")
    _, ps = _tiles(text)
    assert [p.section for p in ps] == ["achievements"] * 3 + ["plans"]


def test_duty_part_placed_last_is_achievements():
    text = ("一、主要举措和成效\n全年办理行政复议案件120件。\n"
            "在肯定成绩的同时，也清醒认识到存在的问题和不足：一是执法力量薄弱。\n"
            "2025年，我们将继续推进法治政府建设。\n进一步压实党政主要负责人履行推进法治建设第一责任人职责。\n"
            "2024年，区政府主要负责人认真履行推进法治建设第一责任人职责，主持召开专题会议4次。\n"
            "区长带头学法用法。")
    _, ps = _tiles(text)
    assert [p.section for p in ps] == ["achievements", "shortcomings", "plans", "plans",
                                       "achievements", "achievements"]


@pytest.mark.parametrize("title, code", [
    ("一、2024年法治政府建设主要举措和成效", "achievements"),
    ("一、2023年党政主要负责人履行推进法治建设第一责任人职责", "achievements"),
    ("二、存在的不足", "shortcomings"), ("三、问题和短板", "shortcomings"),
    ("三、2025年法治政府建设主要安排", "plans"), ("四、下一步工作打算", "plans"),
    ("一、坚持思想领航", "achievements")])
def test_section_of(title, code):
    assert section_of(title) == code


def test_cn_number():
    assert [cn_number(s) for s in ("一", "九", "十", "十一", "二十", "二十三", "7", "百", "")] == [
        1, 9, 10, 11, 20, 23, 7, 0, 0]


def test_items():
    r = parse_report("一、工作\n要求如下：一是学法；二是用法。三是守法。\n第一，提高认识。第二，加强领导。\n"
                    "只有一是的段落。")
    items = r.units("item")
    assert [u.text for u in items] == ["一、工作"][:0] + [
        "要求如下：", "一是学法；", "二是用法。", "三是守法。", "第一，提高认识。", "第二，加强领导。",
        "只有一是的段落。"]
    assert [u.kind for u in items] == ["item"] * 6 + ["paragraph"]
    assert [u.parent for u in items[:6]] == [0, 0, 0, 0, 1, 1]
    assert [u.index for u in items[:6]] == list(range(6))
    assert "".join(u.text_with_ws for u in items) == r.text[r.paragraphs[0].start:]
    assert split_items([]) == []
