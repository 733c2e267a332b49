"""Web pages: the article read from government page layouts, page metadata, linear parsing."""
import gc
import json
import pathlib
import re
import time

import pytest

from rolnlp import parse_report, read_report
from rolnlp.reading.html import looks_like_html, read_html, strip_html

ROOT = pathlib.Path(__file__).resolve().parents[1]
PAGES = ROOT / "tests" / "data" / "pages"
ROWS = [json.loads(x) for x in (PAGES / "pages.jsonl").read_text("utf-8").splitlines() if x]
CHUNKS = {c["id"]: c for c in map(json.loads, (ROOT / "corpus" / "chunks" / "chunks.jsonl")
                                  .read_text("utf-8").splitlines()) if c}

# every piece of site chrome the page builder writes; none may reach a paragraph
CHROME = re.compile(
    r"今天是|农历|无障碍|长者模式|English|走进|政务公开$|专题专栏|政民互动|信息公开目录|政府信息公开指南|"
    r"法定主动公开内容|当前位置|索引号|发布机构|成文日期|名称：|打印本页|关闭窗口|相关链接|相关推荐|"
    r"相关文章|主办单位|承办单位|网站标识码|ICP备|公网安备|政府网站找错|适老化|位访客|邮编|"
    r"分享到|扫一扫在手机打开|上一篇|下一篇|浏览次数|网站地图|请输入关键词|返回|来源：|"
    r"召开全面依法治区委员会会议|示范创建工作推进会|行政执法主体名单|开展法治宣传进社区|"
    r"全面推进严格规范公正文明执法$|政府信息公开工作年度报告|实施方案的通知|人民政府$|人民政府首页")


def _plain(row):
    if "text" in row:
        return read_report((ROOT / row["text"]).read_bytes())
    return read_report(CHUNKS[row["chunk"]]["text"].encode("utf-8"))


def test_page_set_has_three_layouts_and_gbk_bytes():
    assert {r["layout"] for r in ROWS} == {"table", "modern", "mobile"}
    for r in ROWS:
        data = (PAGES / r["file"]).read_bytes()
        if r["layout"] == "table":
            assert b"charset=gb2312" in data
            with pytest.raises(UnicodeDecodeError):
                data.decode("utf-8")


@pytest.mark.parametrize("row", ROWS, ids=[r["file"] for r in ROWS])
def test_page_reads_to_the_plain_text_paragraphs(row):
    page = read_report((PAGES / row["file"]).read_bytes())
    plain = _plain(row)
    got = [p.text for p in page.paragraphs]
    assert got == [p.text for p in plain.paragraphs]
    # the plain text's own residue aside, no chrome of the page reaches a unit
    plain_texts = {p.text for p in plain.paragraphs}
    for p in page.paragraphs:
        if p.text not in plain_texts:
            assert not CHROME.search(p.text), p.text
    for h in page.headings:
        assert not CHROME.search(h.text) or h.text in {x.text for x in plain.headings}


@pytest.mark.parametrize("row", [r for r in ROWS if "text" in r],
                         ids=[r["file"] for r in ROWS if "text" in r])
def test_page_metadata_and_removed_reasons(row):
    r = read_report((PAGES / row["file"]).read_bytes())
    m = r.metadata
    if row["title"]:
        assert m.title == row["title"]
    assert m.date == row["date"] and m.source == row["source"]
    reasons = {x.reason for x in r.removed}
    assert "html-title" in reasons
    if row["layout"] != "mobile":
        assert {"page-meta", "info-table"} <= reasons
        meta = {x.text for x in r.removed if x.reason == "page-meta"}
        assert f"发布机构：{row['source']}" in meta and f"成文日期：{row['date']}" in meta
    # the chrome is kept, with its reason, not silently lost
    removed_text = " ".join(x.text for x in r.removed)
    assert "网站标识码" in removed_text and "今天是" in removed_text


def test_modern_page_meta_tags_and_json_ld():
    page = read_html("""<html><head><title>标题_某区人民政府</title>
      <script type="application/ld+json">{"headline": "某区2024年度法治政府建设情况报告",
       "datePublished": "2025-02-01", "publisher": {"name": "某区司法局"}}</script></head>
      <body><main><p>2024年，某区推进依法行政，成效明显。</p></main></body></html>""")
    assert page.fields == {"信息名称": "某区2024年度法治政府建设情况报告", "发布日期": "2025-02-01",
                           "来源": "某区司法局"}
    page = read_html('<html><head><meta name="ArticleTitle" content="甲">'
                     '<meta name="PubDate" content="2024-01-02 10:00"><meta name="ContentSource" '
                     'content="乙局"></head><body><p>正文，内容。</p></body></html>')
    assert page.fields == {"信息名称": "甲", "发布日期": "2024-01-02 10:00", "来源": "乙局"}


def test_prose_with_furniture_words_is_kept():
    body = ["2024年，区政府网站主动公开信息1390条，开展“扫一扫”普法活动，打印宣传资料5000份。",
            "（一）强化信息化技术支持",
            "依托政府网站找错平台整改问题12个，完成适老化改造，访问量同比增长20%。"]
    html = ("<html><body><div class='nav'><a href='/'>首页</a><a href='/b'>政务公开</a></div>"
            "<div class='content'>" + "".join(f"<p>{x}</p>" for x in body) +
            "</div><div class='footer'>主办单位：某区人民政府 网站标识码：1234</div></body></html>")
    assert read_html(html).text.split("\n") == body


def test_strip_html_and_detection():
    assert looks_like_html("<p>一</p><p>二</p>") and not looks_like_html("一、总体情况 a<b")
    text, title = strip_html("<html><head><title>题</title></head><body><p>一</p>"
                             "<script>x</script><p>二&amp;三</p></body></html>")
    assert text.split() == ["一", "二&三"] and title == "题"


@pytest.mark.parametrize("html", ["", "<html></html>", "<<<>>>", "<p>" * 5000,
                                  '<?xml version="1.0" encoding="gbk"?><html><body><p>正文，内容。</p>'
                                  "</body></html>", "<html><body>\x00\x01正文</body></html>"])
def test_hostile_markup_gives_text_not_a_traceback(html):
    page = read_html(html)
    assert isinstance(page.text, str)


def _best(fn, arg, repeat=3):
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn(arg)
        best = min(best, time.perf_counter() - t)
    return best


@pytest.mark.parametrize("unit", ["<!--", "</a", "<a ", "<div>", "<p x='", "<td>", "&#"])
def test_html_reading_grows_linearly(unit):
    # the standard library's HTMLParser is quadratic on repeated unclosed "<!--"
    # and "</a" (240k characters took 49 s); the page reader must stay linear
    def run(n):
        return read_report(("<html><body><p>正文，内容。</p>" + unit * (n // len(unit))).encode())

    n = 60_000
    run(n)  # warm up
    small = large = float("inf")
    # the growth of the algorithm, not of the garbage collector scanning
    # whatever the rest of the test session holds
    gc.collect()
    gc.disable()
    try:
        for _ in range(4):  # interleaved, best of 4: the machine is shared
            small = min(small, _best(run, n, repeat=1))
            large = min(large, _best(run, 4 * n, repeat=1))
    finally:
        gc.enable()
    assert large / max(small, 1e-3) < 8, (small, large)


def test_layout_class_words_do_not_drop_article_text():
    html = ("<html><body><div class='left'><a href='/a'>机构概况</a><a href='/b'>政策文件</a>"
            "<span>信息公开</span></div><div class='right'><div class='content'>"
            "<p>2024年，县政府推进依法行政，全年办理复议案件12件。</p>"
            "<p class='right'>海盐县人民政府</p><p class='right'>2025年3月19日</p>"
            "</div></div></body></html>")
    assert read_html(html).text.split("\n") == [
        "2024年，县政府推进依法行政，全年办理复议案件12件。", "海盐县人民政府", "2025年3月19日"]


def test_a_text_node_over_ten_megabytes_is_read_whole():
    # libxml2 stops after about 10 MB unless told the input is huge
    body = "法治政府建设，推进依法行政。" * 260_000  # 3.6M characters, 10.9 MB in UTF-8
    page = read_html(f"<html><body><p>{body}</p><p>结尾。</p></body></html>")
    assert page.text == body + "\n结尾。"


@pytest.mark.parametrize("page", [
    "<p><script>x</script>\x1f",
    "<div><nav>首页</nav>\x0b正文\x00段落\ud800。</div>",
])
def test_characters_xml_forbids_do_not_reach_lxml(page):
    # lxml parses them but refuses them when a dropped node's tail moves
    text = read_html(page).text
    assert not any(c in text for c in "\x1f\x0b\x00\ud800")
    report = parse_report(page)
    units = report.units("all")
    assert all(report.text[u.start:u.end] == u.text for u in units)
    assert "".join(u.text for u in units) == re.sub(r"\s", "", report.text)
