"""Cleaning: residue, HTML, whitespace, punctuation, pinyin, script; normalize_text."""
import opencc
import pytest

from rolnlp import parse_report
from rolnlp.reading import normalize_text
from rolnlp.reading.clean import clean

BODY = "2024年，县政府扎实推进法治政府建设各项工作，全年审查规范性文件16件。"


def test_residue_lines_are_removed_and_recorded():
    page = "\n".join([
        "无障碍 部门镇街", "您当前的位置: 首页>政务公开>法治政府建设年度报告",
        "字号: [大] [中] [小]", "分享到:", "朗读", "索引号 | 113304240025561412 | 成文日期 | 2025-03-20 |",
        "发布机构: | 县政府办公室 | 有效性: |", "更新时间:2025-03-06 11:37 来源:某区司法局",
        "下面是小编为大家整理的法治政府建设工作情况报告,供大家参考。", BODY,
        "扫一扫在手机上查看当前页面", "收藏 打印 关闭", "上一篇：无", "智能问答", "便民地图",
        "营商环境", "Copyright © 2017 某市司法局 粤ICP备09006188号", "| | | |"])
    text, removed = clean(page)
    assert text == BODY
    reasons = {r.reason for r in removed}
    assert {"menu", "breadcrumb", "meta-table", "header", "spam", "footer", "copyright"} <= reasons
    assert all(r.line >= 0 for r in removed)


def test_residue_words_inside_sentences_are_kept():
    body = ("区政府网站主动公开各类政府信息1390条，开展“扫一扫”普法活动，打印宣传资料5000份。\n"
            "营商环境\n一、主要举措和成效")
    text, removed = clean(body)
    assert text == body.replace(",", "，")
    assert removed == []


def test_table_markup_and_header_fields_feed_metadata():
    page = ("索引号: | 113304240025561412/2025-77492 | 成文日期: | 2025-03-20 |\n"
            "发布机构: | 县政府办公室 | 有效性: |\n"
            "海盐县人民政府关于2024年度法治政府建设工作情况的报告 |\n||\n" + BODY + " 海盐县人民政府 2025年3月19日 |")
    r = parse_report(page)
    assert "|" not in r.text
    assert r.metadata.date == "2025-03-20" and r.metadata.source == "县政府办公室"
    assert r.metadata.title == "海盐县人民政府关于2024年度法治政府建设工作情况的报告"


def test_html_input():
    html = """<!DOCTYPE html><html><head><title>某区2024年度法治政府建设情况报告_某区政府</title>
    <style>p { color: red }</style><script>var a = "一、假标题";</script></head>
    <body><div class="nav">首页 &gt; 政务公开</div><h1>某某区2024年度法治政府建设情况报告</h1>
    <p>2024年&#65292;我区推进&nbsp;依法行政&amp;依法决策。</p><p>一、主要举措和成效</p>
    <p>（一）统筹推进<br>加强组织领导。</p></body></html>"""
    r = parse_report(html)
    assert "<" not in r.text and "color" not in r.text and "假标题" not in r.text
    assert "我区推进 依法行政&依法决策。" in r.text
    assert [h.text for h in r.headings] == ["一、主要举措和成效", "（一）统筹推进"]
    assert r.paragraphs[-1].text == "加强组织领导。"
    assert r.metadata.title == "某某区2024年度法治政府建设情况报告"
    assert any(x.reason == "html-title" for x in r.removed)


def test_whitespace_normalisation():
    text, _ = clean("\ufeff  第一段\u3000内容。\r\n\r\n\r\n\u00a0第二段\t\t内容。 \r第三段\u200b。\n\n")
    assert text == "第一段 内容。\n第二段 内容。\n第三段。"


@pytest.mark.parametrize("raw, expected", [
    ("推进依法行政,优化营商环境;成效明显:一是", "推进依法行政，优化营商环境；成效明显：一是"),
    ("增长1.5亿元,比例为12.5%,共1,000人", "增长1.5亿元，比例为12.5%，共1,000人"),
    ("(一)加强领导(试行)", "（一）加强领导（试行）"),
    ("(1)完善制度 (2023)", "(1)完善制度 (2023)"),
    ("时间 11:37 网址 http://www.example.gov.cn", "时间 11:37 网址 http://www.example.gov.cn"),
])
def test_punctuation_between_cjk(raw, expected):
    assert clean(raw)[0] == expected


def test_pinyin_glosses_are_removed():
    raw = "推動法治政府建設實現(xiàn)新突破,結(jié)合學習貫徹,持續(xù)強化"
    assert normalize_text(raw) == "推动法治政府建设实现新突破，结合学习贯彻，持续强化"
    # a real parenthesised abbreviation is not pinyin
    assert "（ICP）" in normalize_text("备案(ICP)号码") or "(ICP)" in normalize_text("备案(ICP)号码")


def test_traditional_is_converted_and_original_kept():
    s2t = opencc.OpenCC("s2t")
    trad = s2t.convert("法治政府建设情况报告\n" + BODY)
    r = parse_report(trad)
    assert r.original == trad.replace(",", "，")
    assert r.text == ("法治政府建设情况报告\n" + BODY)
    kept = parse_report(trad, to_simplified=False)
    assert kept.text == kept.original == r.original


def test_normalize_text_matches_reader_and_is_idempotent():
    raw = "  朗读 2024年,我局推进依法行政(试行)。 \n扫一扫在手机上查看当前页面"
    once = normalize_text(raw)
    assert once == "2024年，我局推进依法行政（试行）。"
    assert normalize_text(once) == once
    assert parse_report(raw).paragraphs[0].text == once
    with pytest.raises(TypeError):
        normalize_text(None)
