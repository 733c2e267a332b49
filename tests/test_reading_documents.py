"""Word and PDF reports read to the paragraphs of their text version."""
import sys

import pytest

from doc_helpers import make_docx, make_pdf, make_scanned_pdf
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


@pytest.mark.parametrize("key,indent", [("000", True), ("001", True), ("002", True), ("003", True),
                                        ("000", False), ("001", False), ("002", False)])
def test_pdf_lines_join_back_into_the_txt_units(seeds, key, indent, tmp_path):
    ref = seeds[key]
    path = tmp_path / f"{key}.pdf"
    path.write_bytes(make_pdf(ref.text.split("\n"), header="某区人民政府文件", indent=indent))
    got = read_report(path)
    assert _units(got) == _units(ref)
    assert "某区人民政府文件" not in got.text and "- 1 -" not in got.text
    assert got.metadata.title == ref.metadata.title
    assert got.metadata.year == ref.metadata.year


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
