"""Read reports published as Word (.docx) or PDF files into text, one paragraph a line.

Both need the optional extra ``rolnlp[documents]`` (python-docx, pypdf);
a missing library gives a :class:`~rolnlp.errors.ReportError` naming the extra.

PDF pages are read as positioned text lines.  A line that runs to the right
margin continues on the next one unless it closes a sentence and the next line
is indented like a new paragraph (or, in a document without first-line
indents, unless it ends with closing punctuation); running headers and
footers (the same text at the top or bottom of most pages, page numbers
masked) and page numbers (``- 3 -``, ``第3页 共9页``) are removed.  A PDF with
no text layer (a scan) is refused: OCR is not supported.  ``.doc`` and
``.wps`` files are refused with a hint to convert them.

Example
-------
>>> read_document("report.docx")  # doctest: +SKIP
'海盐县人民政府关于2024年度法治政府建设工作情况的报告\\n2024年，县政府…'
"""
from __future__ import annotations

import io
import logging
import os
import re
import zipfile
from collections import Counter
from dataclasses import dataclass

from ..errors import ReportError

logger = logging.getLogger(__name__)

SUFFIXES = (".pdf", ".docx")
LEGACY_SUFFIXES = (".doc", ".wps", ".docm", ".dot", ".rtf")
_EXTRA = "pip install 'rolnlp[documents]'"
_CLOSING = "。！？；：!?;:”」』）)…"
_PAGE_NUMBER = re.compile(r"^\s*(?:[-—–－·•]\s*\d{1,4}\s*[-—–－·•]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|"
                          r"\d{1,4}\s*/\s*\d{1,4}|\d{1,4}|Page\s+\d+(?:\s+of\s+\d+)?)\s*$", re.I)
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|第[一二三四五六七八九十]+[章节部分])")
_SPACES = re.compile(r"[ \u00a0\u3000]+")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# no PDF page of a report holds more text than this; a crafted file could
_MAX_PAGES = 2000


def sniff(data: bytes) -> str | None:
    """``"pdf"``, ``"docx"`` or ``"legacy"`` from a file's first bytes, else None.

    Example
    -------
    >>> sniff(b"%PDF-1.7 ..."), sniff(b"plain text")
    ('pdf', None)
    """
    head = data[:8]
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head == _OLE:
        return "legacy"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                if "word/document.xml" in z.namelist():
                    return "docx"
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
    return None


def kind_of(path: str) -> str | None:
    """The document kind a path names by its suffix (``"pdf"``, ``"docx"``, ``"legacy"``)."""
    low = path.lower()
    if low.endswith(".pdf"):
        return "pdf"
    if low.endswith(".docx"):
        return "docx"
    if low.endswith(LEGACY_SUFFIXES):
        return "legacy"
    return None


def read_document(source, kind: str | None = None, name: str | None = None) -> str:
    """Text of a .docx or .pdf report, one paragraph per line.

    Parameters
    ----------
    source : str, os.PathLike or bytes
        A path to the file or its bytes.
    kind : {"pdf", "docx", "legacy"}, optional
        Defaults to the path's suffix, or the bytes' signature.
    name : str, optional
        How errors name the input when ``source`` is bytes.

    Returns
    -------
    str

    Raises
    ------
    ReportError
        When the extra is not installed, for .doc/.wps files, for a PDF with no
        text layer, and for a damaged or encrypted file.
    """
    if isinstance(source, (str, os.PathLike)):
        name = os.fspath(source)
        kind = kind or kind_of(name)
        with open(name, "rb") as f:
            data = f.read()
    else:
        data = bytes(source)
    kind = kind or sniff(data)
    name = f"{name}: " if name else ""
    if kind == "legacy":
        raise ReportError(f"{name}old binary Word/WPS files (.doc, .wps) are not read; convert it "
                          "to .docx or PDF first (e.g. soffice --headless --convert-to docx FILE)")
    if kind == "docx":
        return _docx_text(data, name)
    if kind == "pdf":
        return _pdf_text(data, name)
    raise ReportError(f"{name}not a .docx or .pdf document")


# --- Word ----------------------------------------------------------------------------
def _docx_text(data: bytes, name: str) -> str:
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError:
        raise ReportError(f"{name}reading Word files needs python-docx: {_EXTRA}") from None
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as e:  # python-docx raises several unrelated types on damaged files
        raise ReportError(f"{name}not a readable .docx file ({type(e).__name__})") from None
    lines: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, document).text)
        elif tag == "tbl":
            for row in Table(child, document).rows:
                cells = []
                for cell in row.cells:
                    t = " ".join(cell.text.split())
                    if t and (not cells or cells[-1] != t):  # merged cells repeat
                        cells.append(t)
                lines.append(" ".join(cells))
    return "\n".join(x.strip() for x in lines if x.strip())


# --- PDF ------------------------------------------------------------------------------
@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    space_after: bool = False  # the line ended in a space (a break at a space)


def _check_pages(n: int, name: str) -> None:
    if n > _MAX_PAGES:
        raise ReportError(f"{name}{n} pages; more than {_MAX_PAGES} is not a report")


def _unreadable_pdf(name: str, error: Exception | None, *, encrypted: bool = False) -> ReportError:
    # both PDF backends refuse encrypted and damaged files with these words
    if encrypted:
        return ReportError(f"{name}the PDF is encrypted; save an unprotected copy")
    return ReportError(f"{name}binary data that is not a readable PDF file "
                       f"({type(error).__name__})")


def _pdf_pages(data: bytes, name: str):
    """Per page: ``(width, height, [lines])`` read with pdfplumber."""
    try:
        import pdfplumber
    except ImportError:
        raise ReportError(f"{name}reading PDF files needs pypdf (or pdfplumber): {_EXTRA}") from None
    pages = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            _check_pages(len(pdf.pages), name)
            for page in pdf.pages:
                lines = []
                for ln in page.extract_text_lines(layout=False, strip=False, return_chars=True,
                                                   keep_blank_chars=True):
                    chars = ln.get("chars") or []
                    size = (sum(c.get("size", 0) for c in chars) / len(chars)) if chars else 10.0
                    raw = "".join(c.get("text", "") for c in chars) if chars else ln["text"]
                    lines.append(_Line(ln["text"].strip(), ln["x0"], ln["x1"], ln["top"],
                                       ln["bottom"], size or 10.0, raw[-1:].isspace()))
                pages.append((float(page.width), float(page.height), lines))
                page.flush_cache()
    except ReportError:
        raise
    except Exception as e:  # pdfminer raises many types on damaged or encrypted files
        msg = str(e).lower()
        raise _unreadable_pdf(name, e, encrypted="password" in msg or "encrypt" in msg) from None
    return pages


def _pypdf_pages(data: bytes, name: str):
    """Per page: ``(width, height, [lines])`` from pypdf's layout text, in character columns."""
    try:
        import pypdf
    except ImportError:
        raise ReportError(f"{name}reading PDF files needs pypdf: {_EXTRA}") from None
    pages = []
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise _unreadable_pdf(name, None, encrypted=True)
        _check_pages(len(reader.pages), name)
        for page in reader.pages:
            rows = page.extract_text(extraction_mode="layout").split("\n")
            lines = []
            for i, row in enumerate(rows):
                text = row.strip()
                if text:
                    x0 = len(row) - len(row.lstrip())
                    lines.append(_Line(text, x0, x0 + len(text), i, i + 1, 1.0,
                                       row.endswith(" ") and len(row.rstrip()) < len(row)))
            pages.append((float(max(map(len, rows), default=1)), float(max(len(rows), 1)), lines))
    except ReportError:
        raise
    except Exception as e:  # pypdf raises many types on damaged files
        raise _unreadable_pdf(name, e) from None
    return pages


def _mask(text: str) -> str:
    return re.sub(r"\d+", "#", text.replace(" ", ""))


def _pdf_text(data: bytes, name: str, backend: str | None = None) -> str:
    if backend is None:
        # pypdf keeps characters pdfminer drops (U+00B7 in CID fonts) and is ~6x
        # faster (benchmarks/bench_documents.py); pdfplumber serves when it is absent
        try:
            import pypdf  # noqa: F401
            backend = "pypdf"
        except ImportError:
            backend = "pdfplumber"
    pages = (_pdf_pages if backend == "pdfplumber" else _pypdf_pages)(data, name)
    if not any(p[2] for p in pages):
        raise ReportError(f"{name}the PDF has no text layer (a scanned image?); OCR is not "
                          "supported, run OCR first or use a PDF with text")
    return "\n".join(pdf_paragraphs(pages))


def pdf_paragraphs(pages) -> list[str]:
    """Join positioned lines of PDF pages into paragraphs (see the module notes)."""
    # running headers and footers: the same masked text at a page's edge on most pages
    edge: Counter = Counter()
    for width, height, lines in pages:
        for ln in lines:
            if ln.top < 0.1 * height or ln.bottom > 0.9 * height:
                edge[_mask(ln.text)] += 1
    many = max(2, (len(pages) + 1) // 2)
    body: list[list[_Line]] = []
    for width, height, lines in pages:
        kept = []
        for ln in lines:
            at_edge = ln.top < 0.1 * height or ln.bottom > 0.9 * height
            if at_edge and (_PAGE_NUMBER.match(ln.text) or
                            (len(pages) >= 2 and edge[_mask(ln.text)] >= many)):
                continue
            kept.append(ln)
        body.append(kept)
    every = [ln for page in body for ln in page]
    if not every:
        return []
    # the text block's left margin: the most common left edge
    left = Counter(round(ln.x0) for ln in every).most_common(1)[0][0]
    # the right margin is where most long lines end (a hanging comma may overrun it)
    ends = sorted(ln.x1 for ln in every)
    far = ends[int(0.9 * (len(ends) - 1))]
    right = Counter(round(ln.x1) for ln in every if ln.x1 >= 0.7 * far).most_common(1)[0][0]
    size = Counter(round(ln.size) for ln in every).most_common(1)[0][0] or 10

    def indented(ln):
        return ln.x0 > left + 0.8 * size

    def full(ln, slack):
        return ln.x1 >= right - slack * size

    # a document indents its paragraphs when lines after a short (closing) line are indented
    after_short = [b for a, b in zip(every, every[1:]) if not full(a, 2.5)]
    uses_indent = bool(after_short) and sum(map(indented, after_short)) >= 0.5 * len(after_short)
    # paragraphs set apart by space: a gap between lines well over the usual one
    gaps = [round(b.top - a.bottom, 1) for page in body for a, b in zip(page, page[1:])]
    pitch = Counter(gaps).most_common(1)[0][0] if gaps else 0.0
    spaced = sum(g > pitch + 0.4 * size for g in gaps) >= 0.05 * max(len(gaps), 1)
    out: list[str] = []
    prev = None
    for ln in every:
        text = _SPACES.sub(" ", ln.text).strip()
        if prev is not None and not _PAGE_NUMBER.match(text):
            closes = prev.text.rstrip().endswith(tuple(_CLOSING))
            same_page = ln.top > prev.top
            gap = ln.top - prev.bottom if same_page else None
            if spaced and gap is not None and gap > pitch + 0.4 * size:
                join = False
            elif uses_indent:
                # paragraphs start indented: an unindented line continues the one
                # above when that ran (nearly) to the margin (a break at a space
                # leaves a few characters free)
                join = full(prev, 6) and not indented(ln)
            elif spaced and gap is not None:
                join = full(prev, 6)
            else:
                join = full(prev, 2.5) and not closes
            if join:
                out[-1] = _join(out[-1], text, prev.space_after)
                prev = ln
                continue
        out.append(text)
        prev = ln
    return [x for x in out if x]


def _join(a: str, b: str, space: bool = False) -> str:
    # a line broken at a space, or between Latin words, loses that space
    if space or (a and b and a[-1].isascii() and a[-1].isalpha() and b[0].isascii()
                 and b[0].isalpha()):
        return a + " " + b
    return a + b
