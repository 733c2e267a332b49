"""Input handling: encodings, paths, wrong types and binary data."""
import codecs
import os
import random

import opencc
import pytest

from rolnlp import ReportError, parse_report, read_report
from rolnlp.reading.decode import decode_bytes

TEXT = ("海盐县人民政府关于2024年度法治政府建设工作情况的报告\n"
        "2024年，县政府扎实推进法治政府建设各项工作。现将有关情况报告如下：\n"
        "一、2024年度法治政府建设总体情况\n"
        "（一）笃学践行习近平法治思想\n"
        "一是学习习近平法治思想。开展县政府常务会议集体学法12次。\n"
        "二、存在的问题和短板\n"
        "一是基层依法治理效能有待进一步提高。\n")


def _paras(r):
    return [(p.text, p.heading_path, p.section) for p in r.paragraphs]


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_encodings_read_to_the_same_report(codec):
    ref = parse_report(TEXT)
    r = read_report(TEXT.encode(codec))
    assert _paras(r) == _paras(ref)
    assert r.metadata == ref.metadata


def test_short_gbk_and_big5_are_detected():
    assert decode_bytes("法治政府建设".encode("gbk"))[0] == "法治政府建设"
    trad = "法治政府建設情況報告"
    assert decode_bytes(trad.encode("big5"))[0] == trad
    assert decode_bytes("关于2024年度依法行政的报告".encode("gb18030"))[0] == "关于2024年度依法行政的报告"


def test_big5_traditional_file_reads_like_simplified(tmp_path):
    s2t = opencc.OpenCC("s2t")
    trad = s2t.convert(TEXT)
    path = tmp_path / "big5.txt"
    path.write_bytes(trad.encode("big5", errors="strict"))
    r = read_report(path)
    ref = parse_report(TEXT)
    assert r.encoding == "big5"
    assert r.original == trad.strip().replace("\n\n", "\n")
    assert [p.text for p in r.paragraphs] == [p.text for p in ref.paragraphs]


def test_forced_encoding_and_errors():
    data = TEXT.encode("gbk")
    assert read_report(data, encoding="gbk").text == parse_report(TEXT).text
    with pytest.raises(ReportError, match="not valid utf-8"):
        read_report(data, encoding="utf-8")
    with pytest.raises(ReportError, match="unknown encoding"):
        read_report(data, encoding="no-such-codec")


def test_utf16_with_bom():
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        r = read_report(bom + TEXT.encode(codec))
        assert r.encoding == "utf-16"
        assert _paras(r) == _paras(parse_report(TEXT))


def test_random_bytes_are_rejected():
    rng = random.Random(0)
    for n in (64, 3000):
        data = bytes(rng.randrange(256) for _ in range(n))
        with pytest.raises(ReportError):
            read_report(data)
    with pytest.raises(ReportError, match="binary"):
        read_report(b"%PDF-1.4\x00\x01\x02binary")


@pytest.mark.parametrize("bad", [None, 12, 3.5, ["正文"], object()])
def test_wrong_types_raise_type_error(bad):
    with pytest.raises(TypeError, match="path, bytes or a binary file object"):
        read_report(bad)


def test_paths(tmp_path):
    p = tmp_path / "r.txt"
    p.write_text(TEXT, encoding="utf-8")
    for source in (p, str(p)):
        r = read_report(source)
        assert r.id == "r" and r.path == str(p)
    with open(p, "rb") as f:  # a binary file object
        assert [x.text for x in read_report(f).paragraphs] == [x.text for x in r.paragraphs]
    with open(p, encoding="utf-8") as f, pytest.raises(TypeError, match="binary mode"):
        read_report(f)
    with pytest.raises(FileNotFoundError, match="not found"):
        read_report(str(tmp_path / "missing.txt"))
    with pytest.raises(FileNotFoundError):
        read_report("reports/missing_report")
    with pytest.raises(FileNotFoundError):
        read_report(tmp_path / "missing.html")
    with pytest.raises(ReportError, match="directory"):
        read_report(tmp_path)
    with pytest.raises(ReportError, match="directory"):
        read_report(str(tmp_path) + os.sep)


@pytest.mark.parametrize("text", [TEXT, "推进“放管服”改革/优化营商环境。", "正文。", "",
                                  "<p>一、总体情况</p>", "  \n"])
def test_report_text_given_as_a_path_names_parse_report(text):
    with pytest.raises(ReportError, match="parse_report"):
        read_report(text)


def test_a_str_is_always_a_path_and_a_text_never_is(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "正文。").write_text("文件里的内容。", encoding="utf-8")
    # the same string: read_report reads the file, parse_report the text
    assert read_report("正文。").paragraphs[0].text == "文件里的内容。"
    assert parse_report("正文。").paragraphs[0].text == "正文。"
    assert parse_report("/etc/passwd").text == "/etc/passwd"
    assert parse_report("报告.txt").text == "报告.txt"
    with pytest.raises(FileNotFoundError, match="parse_report"):
        read_report("总体情况")  # a short CJK string that names no file
    with pytest.raises(TypeError, match="read_report"):
        parse_report(TEXT.encode("utf-8"))
    with pytest.raises(TypeError):
        parse_report(None)


def test_empty_and_whitespace_input_give_an_empty_report():
    for src in ("", "  \n\u3000\n\t", b"", "扫一扫在手机上查看当前页面\n收藏 打印 关闭"):
        r = parse_report(src) if isinstance(src, str) else read_report(src)
        assert r.paragraphs == [] and r.headings == [] and r.text == ""
        assert r.metadata.region is None and r.metadata.year is None
        assert r.units("all") == [] and r.units("item") == []


def test_urls_are_not_fetched():
    with pytest.raises(ReportError, match="URL"):
        read_report("https://www.example.gov.cn/report.html")


def test_huge_input_is_read_losslessly(seed_paths):
    one = seed_paths[4].read_text("utf-8")
    n = 10_000_000 // len(one.encode("utf-8")) + 1
    r = read_report(("\n".join([one] * n)).encode("utf-8"))
    assert len(r.raw.encode("utf-8")) > 10_000_000
    assert "".join(u.text_with_ws for u in r.units("all")) == r.text
    assert len(r.paragraphs) >= 20 * n


def test_emoji_and_control_characters():
    r = parse_report("一、总体情况😀\n正文\x07内容\x1b。\u200b\n🎉 二、存在的不足")
    assert r.headings[0].text == "一、总体情况😀"
    assert r.paragraphs[0].text == "正文内容。"
    assert "\x07" not in r.text and "\u200b" not in r.text
