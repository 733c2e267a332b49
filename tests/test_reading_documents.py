"""Word and PDF reports read to the paragraphs of their text version."""
import io
import sys

import doc_helpers
import pytest

from doc_helpers import B5, make_docx, make_office_pdf, make_pdf, make_scanned_pdf
from rolnlp import ReportError, read_report
from rolnlp.reading import documents

pytest.importorskip("docx")
pytest.importorskip("pypdf")
pytest.importorskip("reportlab")


def _units(report):
    return [(u.kind, u.text) for u in report.units(level="all")]


@pytest.fixture(scope="module")
def seeds(seed_paths):
    return {p.name[:3]: read_report(p) for p in seed_paths}


@pytest.mark.parametrize("key", ["000", "001", "002", "003", "004"])
def test_docx_reads_to_the_txt_units(seeds, key, tmp_path):
    ref = seeds[key]
    path = tmp_path / f"{key}.docx"
    path.write_bytes(make_docx(ref.text.split("\n")))
    got = read_report(path)
    assert _units(got) == _units(ref)
    assert "某区人民政府" not in got.text  # the running header is not body text
    assert got.encoding == "docx"


# page layouts an office suite might export: A4 and the narrower B5, two font sizes,
# first-line indents or space between paragraphs, ragged or justified lines
LAYOUTS = {"a4-indent": dict(indent=True),
           "a4-spaced": dict(indent=False),
           "b5-indent-justified": dict(indent=True, pagesize=B5, font_size=14, justify=True),
           "b5-spaced-justified": dict(indent=False, pagesize=B5, font_size=14, justify=True),
           "a4-indent-kerned": dict(indent=True, font_size=14, justify="kerning")}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("key", ["000", "001", "002", "003", "004"])
def test_office_pdf_reads_to_the_txt_units(seeds, key, layout, tmp_path):
    ref = seeds[key]
    path = tmp_path / f"{key}.pdf"
    path.write_bytes(make_office_pdf(ref.text.split("\n"), header="某区人民政府文件",
                                     **LAYOUTS[layout]))
    got = read_report(path)
    assert _units(got) == _units(ref)
    assert "某区人民政府文件" not in got.text and "- 1 -" not in got.text
    assert got.metadata.title == ref.metadata.title
    assert got.metadata.year == ref.metadata.year


@pytest.mark.parametrize("indent", [True, False])
@pytest.mark.parametrize("key", ["000", "001", "002", "003", "004"])
def test_platypus_pdf_reads_to_the_txt_but_for_swallowed_spaces(seeds, key, indent):
    # platypus leaves out of the text layer the space at a line break (and one after
    # punctuation hung in the margin); where the line's end keeps no trace of it (the
    # space fitted, the next character did not) it is lost, and with it perhaps the split
    # of an inline heading: the text is the same but for spaces, and no line is lost
    ref = seeds[key]
    got = read_report(make_pdf(ref.text.split("\n"), indent=indent, pagesize=B5, font_size=11))
    assert got.text.replace(" ", "") == ref.text.replace(" ", "")


def _filler(n):
    return "".join("法治政府建设推进依法行政"[i % 12] for i in range(n))


def _width(text, size=12):
    from reportlab.pdfbase.pdfmetrics import stringWidth
    return stringWidth(text, doc_helpers._font(), size)


def test_space_at_a_line_break_is_kept_from_the_text_layer(seeds):
    # an office suite writes the space that ends a broken line into the text layer
    room = 0.7 * B5[0] - 2 * 12  # the first line of an indented paragraph
    head = _filler(int(room // 12))
    while _width(head + " 钟") <= room:
        head += "5"
    text = head + " 钟司有约 法商共营品牌。"
    lines = seeds["003"].text.split("\n")[:6] + [text]
    got = documents.read_document(make_office_pdf(lines, header="", pagesize=B5)).split("\n")
    assert got == lines


def test_space_at_a_line_break_comes_back_from_the_line_end(seeds):
    import pypdf

    # platypus drops the space, but when the next character would have fitted where
    # the line ends, the line was broken at a space that it and the character overran
    frame = B5[0] - 2 * 72 - 12
    # digits and a narrow letter bring the line's end where "钟" fits and " 钟" does not
    # (as far from the margin as that allows: the reader only estimates the margin)
    cands = [_filler(int(frame // 12) - 5) + "5" * a + "i" * b for a in range(8) for b in range(8)]
    head = max((c for c in cands if _width(c) + _width("钟") <= frame < _width(c + " 钟")),
               key=lambda c: frame - _width(c))
    text = head + " 钟司有约法商共营品牌。"
    # paragraphs around it with digits whose lines end close to the margin
    lines = seeds["003"].text.split("\n")[:6] + [text] + seeds["003"].text.split("\n")[6:12]
    data = make_pdf(lines, indent=False, pagesize=B5)
    layer = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)
    assert head + " 钟" not in layer and head + "\n钟" in layer  # the text layer lost it
    assert text in documents.read_document(data).split("\n")


@pytest.mark.parametrize("indent", [True, False])
def test_headings_at_the_bottom_and_top_of_a_page(seeds, indent):
    # one-line paragraphs shift a heading over every line around a page break
    lead = seeds["001"].text.split("\n")[:5]
    short = "深化“放管服”改革。"
    tail = ["二、存在的问题和短板", "（一）工作思路"] + seeds["001"].text.split("\n")[5:9]
    for n in range(12):
        lines = lead + [short] * n + tail
        data = make_office_pdf(lines, indent=indent, pagesize=B5)
        assert documents.read_document(data).split("\n") == lines, n


@pytest.mark.parametrize("indent", [True, False])
def test_inline_headings_across_a_page_break(seeds, indent):
    # a report whose headings run inline (one long line, as some web pages give it),
    # its text grown so that its headings land on every line around a page break
    lead = seeds["001"].text.split("\n")[:3]
    tail = (" 一、主要成效 一是完善工作机制。全年办理案件12件。 二、存在的问题和短板 一是基层依法"
            "治理效能有待进一步提高。 （一）工作思路 二是加强队伍建设。")
    import pypdf

    pages = set()
    for extra in range(0, 180, 15):  # half a line at a time, over six lines
        lines = lead + [_filler(450 + extra) + "。" + tail]
        ref = read_report("\n".join(lines).encode("utf-8"))
        assert [k for k, _ in _units(ref)].count("heading") == 3
        data = make_office_pdf(lines, header="", indent=indent, pagesize=B5)
        got = read_report(data)
        assert _units(got) == _units(ref), extra
        layer = [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages]
        pages.add(next(i for i, t in enumerate(layer) if "二、存在" in t.replace("\n", "")))
    assert pages == {0, 1}  # the heading was on either side of the break


def test_pdf_without_layout_hints_gives_sensible_paragraphs(seeds):
    # every glyph drawn on its own, in no particular order, lines all flush left with
    # even spacing and no header: no indents or gaps tell paragraphs apart
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    lines = seeds["000"].text.split("\n")
    font = doc_helpers._font()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=B5)
    y = B5[1] - 60
    for para in lines:
        for line in doc_helpers._set_lines(para, B5[0] - 120, B5[0] - 120,
                                           lambda s: stringWidth(s, font, 11)):
            if y < 60:
                c.showPage()
                y = B5[1] - 60
            x = 60
            glyphs = []
            for ch in line:
                glyphs.append((x, ch))
                x += stringWidth(ch, font, 11)
            for x, ch in sorted(glyphs, key=lambda g: -g[0]):  # right to left
                c.setFont(font, 11)
                c.drawString(x, y, ch)
            y -= 16
    c.showPage()
    c.save()
    got = read_report(buf.getvalue())
    assert got.text.replace("\n", "").replace(" ", "") == "".join(lines).replace(" ", "")
    ref_headings = [t for k, t in _units(seeds["000"]) if k == "heading"]
    assert [t for k, t in _units(got) if k == "heading"] == ref_headings
    assert len(got.text.split("\n")) >= 0.8 * len(lines)
    # a full line that ends a sentence may or may not end its paragraph: most units match
    want = _units(seeds["000"])
    assert sum(u in want for u in _units(got)) >= 0.6 * len(want)


def test_latin_lines_keep_the_space_between_words_and_odd_text_reads():
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen import canvas

    text = ("The county trained 320 law enforcement officers and reviewed 1,250 "
            "normative documents for legality in 2024. ") * 3
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=B5)
    c.setFont("Helvetica", 11)  # a standard font: no widths in the file
    y = 640
    for line in simpleSplit(text.strip(), "Helvetica", 11, 330):
        c.drawString(60, y, line)
        y -= 14
    c.saveState()
    c.translate(300, 300)
    c.rotate(90)
    c.drawString(0, 0, "rotated note")
    c.restoreState()
    c.showPage()
    c.showPage()  # an empty page
    c.save()
    got = documents.read_document(buf.getvalue()).split("\n")
    assert got[0] == text.strip()
    assert "rotated note" in got


def test_pdf_from_bytes_and_its_page_numbers_go(seeds):
    lines = seeds["003"].text.split("\n")
    text = documents.read_document(make_pdf(lines, header="常州市钟楼区人民政府"))
    assert not any(documents._PAGE_NUMBER.match(x) for x in text.split("\n"))
    assert "常州市钟楼区人民政府\n2024年3月6日" in text  # the signature stays: it is body text


def test_pdf_without_text_layer_says_ocr_is_not_supported():
    with pytest.raises(ReportError, match="OCR is not supported"):
        read_report(make_scanned_pdf())


@pytest.mark.parametrize("suffix", [".doc", ".wps"])
def test_legacy_word_files_get_a_conversion_hint(tmp_path, suffix):
    path = tmp_path / f"report{suffix}"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(ReportError, match="convert it"):
        read_report(path)
    assert documents.kind_of(str(path)) == "legacy"


def test_damaged_files_give_report_errors():
    with pytest.raises(ReportError, match="not a readable PDF"):
        read_report(b"%PDF-1.4\n" + b"garbage " * 100)
    broken = bytearray(make_docx(["一、总体情况"]))
    broken[200:400] = b"\x00" * 200
    with pytest.raises(ReportError):
        read_report(bytes(broken))


def test_missing_extra_is_named(monkeypatch):
    data = make_docx(["一、总体情况", "全年办理案件12件。"])
    monkeypatch.setitem(sys.modules, "docx", None)
    with pytest.raises(ReportError, match=r"rolnlp\[documents\]"):
        read_report(data)
    monkeypatch.setitem(sys.modules, "pypdf", None)
    monkeypatch.setitem(sys.modules, "pdfplumber", None)
    with pytest.raises(ReportError, match=r"rolnlp\[documents\]"):
        documents.read_document(b"%PDF-1.4\n", "pdf")


def test_docx_tables_are_read_row_by_row():
    import io

    import docx
    d = docx.Document()
    d.add_paragraph("一、总体情况")
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "指标", "数量"
    t.cell(1, 0).text, t.cell(1, 1).text = "复议案件", "162件"
    d.add_paragraph("全年办理案件12件。")
    buf = io.BytesIO()
    d.save(buf)
    assert documents.read_document(buf.getvalue()).split("\n") == [
        "一、总体情况", "指标 数量", "复议案件 162件", "全年办理案件12件。"]
