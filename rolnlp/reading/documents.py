"""Read reports published as Word (.docx) or PDF files into text, one paragraph a line.

Both need the optional extra ``rolnlp[documents]`` (python-docx, pypdf);
a missing library gives a :class:`~rolnlp.errors.ReportError` naming the extra.

PDF pages are read as positioned text lines, in points: where each line starts
and ends (glyph widths from the font) and how wide its first word is.  A line
ends a paragraph when the next line's first word would have fitted after it
(it stopped short of the right margin); otherwise the next line continues it,
unless the document's own layout says a paragraph starts there: an indented
first line in a document that indents its paragraphs, a wider gap in one that
spaces them, a change of font size, and in a document with neither, a line
that closes a sentence.
A line broken at a space keeps the space when the text layer has it, when the
next word alone would have fitted, or before numbering (``二、`` ``二是``) in a
document that sets a space before the numbering inside its lines; a space that
a line break swallowed with nothing else to show for it cannot come back.
Running headers and footers (the same text at the top or bottom of most pages,
page numbers masked) and page numbers (``- 3 -``, ``第3页 共9页``) are removed.
A PDF with no text layer (a scan) is refused: OCR is not supported.  ``.doc``
and ``.wps`` files are refused with a hint to convert them.

Example
-------
>>> read_document("report.docx")  # doctest: +SKIP
'海盐县人民政府关于2024年度法治政府建设工作情况的报告\\n2024年，县政府…'
"""
from __future__ import annotations

import io
import logging
import math
import os
import re
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass
from typing import NamedTuple

from ..errors import ReportError
from .structure import _MARKER

logger = logging.getLogger(__name__)

SUFFIXES = (".pdf", ".docx")
LEGACY_SUFFIXES = (".doc", ".wps", ".docm", ".dot", ".rtf")
_EXTRA = "pip install 'rolnlp[documents]'"
# a sentence's end, closing quotes and brackets after it included (not "（一）")
_SENTENCE_END = re.compile(r"[。！？；：!?;:…][”’」』）)》]*$")
# punctuation a line-breaker hangs past the right margin rather than start a line with
_HANGING = "，。、；：！？）》」』】〕”’%,.;:!?)]}"
_OPENING = "“‘（《「『【〔([{"
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
    x1: float  # right edge of the last glyph
    top: float
    bottom: float
    size: float
    lead: float = 0.0  # width the line's first word needs: a CJK character or a Latin word
    space: float = 0.0  # width of a space in the line's font
    space_after: bool = False  # the text layer ends the line with a space


class _Run(NamedTuple):
    """A piece of text pypdf reports with one position: a line or part of one."""
    y: float  # baseline, from the page's bottom
    x0: float
    x1: float
    size: float
    text: str
    lead: float
    space: float
    space_after: bool


def _check_pages(n: int, name: str) -> None:
    if n > _MAX_PAGES:
        raise ReportError(f"{name}{n} pages; more than {_MAX_PAGES} is not a report")


def _unreadable_pdf(name: str, error: Exception | None, *, encrypted: bool = False) -> ReportError:
    # both PDF backends refuse encrypted and damaged files with these words
    if encrypted:
        return ReportError(f"{name}the PDF is encrypted; save an unprotected copy")
    return ReportError(f"{name}binary data that is not a readable PDF file "
                       f"({type(error).__name__})")


def _wide(ch: str) -> bool:
    # CJK characters and full-width punctuation take a whole em in Chinese fonts
    return not ch.isascii() and unicodedata.east_asian_width(ch) in ("W", "F", "A")


def _lead_end(text: str) -> int:
    """Length of ``text``'s first unbreakable piece: what a line-breaker had to fit.

    Opening quotes and brackets stay with what follows them, a Latin word or number
    stays whole, and punctuation that may not start a line stays with what precedes it.
    """
    i, n = 0, len(text)
    while i < n and text[i] in _OPENING:
        i += 1
    if i < n and _wide(text[i]):
        i += 1
    else:
        while i < n and not text[i].isspace() and not _wide(text[i]):
            i += 1
    while i < n and text[i] in _HANGING:
        i += 1
    return i


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
                    chars = [c for c in ln.get("chars") or [] if c.get("text")]
                    size = (sum(c.get("size", 0) for c in chars) / len(chars)) if chars else 10.0
                    size = size or 10.0
                    raw = "".join(c["text"] for c in chars) if chars else ln["text"]
                    body = raw.lstrip()
                    first = chars[len(raw) - len(body):] if chars else []
                    n = _lead_end(body)
                    lead = (first[n - 1]["x1"] - first[0]["x0"]) if n and len(first) >= n else size
                    lines.append(_Line(ln["text"].strip(), ln["x0"], ln["x1"], ln["top"],
                                       ln["bottom"], size, lead, 0.25 * size, raw[-1:].isspace()))
                pages.append((float(page.width), float(page.height), lines))
                page.flush_cache()
    except ReportError:
        raise
    except Exception as e:  # pdfminer raises many types on damaged or encrypted files
        msg = str(e).lower()
        raise _unreadable_pdf(name, e, encrypted="password" in msg or "encrypt" in msg) from None
    return pages


def _cid_widths(w) -> dict[int, float]:
    """Widths of CIDs below 128 from a CID font's /W array (the ASCII range of CJK collections)."""
    out: dict[int, float] = {}
    items = [x.get_object() if hasattr(x, "get_object") else x for x in w]
    i = 0
    while i + 1 < len(items):
        a, b = items[i], items[i + 1]
        if isinstance(b, list):
            for k, x in enumerate(b[:max(0, 128 - int(a))]):
                out[int(a) + k] = float(x)
            i += 2
        elif i + 2 < len(items):
            for c in range(int(a), min(int(b), 127) + 1):
                out[c] = float(items[i + 2])
            i += 3
        else:
            break
    return out


def _font_widths(font) -> tuple[dict[str, float], float]:
    """``(widths of ASCII characters, width of a wide character)`` in 1/1000 em."""
    narrow: dict[str, float] = {}
    wide = 1000.0
    try:
        font = font.get_object()
        if font.get("/Subtype") == "/Type0":
            desc = font["/DescendantFonts"][0].get_object()
            wide = float(desc.get("/DW", 1000)) or 1000.0
            enc = str(font.get("/Encoding", ""))
            if enc.startswith("/Uni") and ("UCS2" in enc or "UTF16" in enc):
                # Adobe's CJK collections put printable ASCII at CIDs 1-95 (codes are Unicode);
                # with Identity encodings the codes are glyph ids: ASCII widths stay unknown
                w = _cid_widths(desc.get("/W", []).get_object() if "/W" in desc else [])
                narrow = {chr(c): w.get(c - 31, wide) for c in range(32, 127)}
        else:
            widths = font.get("/Widths")
            if widths is not None:
                first = int(font.get("/FirstChar", 0))
                for i, w in enumerate(widths.get_object()):
                    if 32 <= first + i < 127:
                        narrow[chr(first + i)] = float(w.get_object() if hasattr(w, "get_object") else w)
    except Exception:  # a malformed font dictionary: estimate every width
        logger.debug("font widths unreadable", exc_info=True)
    return narrow, wide


def _width(text: str, metrics) -> float:
    narrow, wide = metrics
    return sum(narrow.get(ch, 500.0) if ch.isascii() else (wide if _wide(ch) else 500.0)
               for ch in text) / 1000.0


def _pypdf_pages(data: bytes, name: str):
    """Per page: ``(width, height, [lines])`` from the text runs pypdf reports, in points."""
    try:
        import pypdf
    except ImportError:
        raise ReportError(f"{name}reading PDF files needs pypdf: {_EXTRA}") from None
    pages = []
    fonts: dict[int, tuple] = {}  # id(font dictionary) -> (dictionary, widths)

    def metrics(font):
        if font is None:
            return {}, 1000.0
        got = fonts.get(id(font))
        if got is None or got[0] is not font:
            got = fonts[id(font)] = (font, _font_widths(font))
        return got[1]

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise _unreadable_pdf(name, None, encrypted=True)
        _check_pages(len(reader.pages), name)
        for page in reader.pages:
            box = page.mediabox
            x_origin, y_origin = float(box.left), float(box.bottom)
            width, height = float(box.width), float(box.height)
            runs = []
            # character and word spacing, horizontal scaling and the shifts inside TJ
            # arrays widen runs (justified text); the shifts count until the run is seen
            state = {b"Tc": 0.0, b"Tw": 0.0, b"Tz": 100.0, b"TJ": 0.0}

            def spacing(op, args, cm, tm, state=state):
                try:
                    if op == b"TJ" and args:
                        state[op] += sum(float(x) for x in args[0]
                                         if isinstance(x, (int, float)))
                    elif op in state and args:
                        state[op] = float(args[0])
                except (TypeError, ValueError):
                    pass

            def visit(text, cm, tm, font, size, runs=runs, state=state):
                # pypdf ends a run with the line break it saw; a space before it is the text's own
                text = text.rstrip("\r\n").replace("\n", " ").replace("\r", " ")
                if not text.strip():
                    return
                # the run's origin and scale on the page: text matrix times current matrix
                a = tm[0] * cm[0] + tm[1] * cm[2]
                b = tm[0] * cm[1] + tm[1] * cm[3]
                c = tm[2] * cm[0] + tm[3] * cm[2]
                d = tm[2] * cm[1] + tm[3] * cm[3]
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4] - x_origin
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5] - y_origin
                scale = math.hypot(a, b)
                sx, sy = scale * size, math.hypot(c, d) * size
                m = metrics(font)
                tc, tw, tz = state[b"Tc"], state[b"Tw"], state[b"Tz"] / 100.0
                shift, state[b"TJ"] = -state[b"TJ"] / 1000.0 * sx * tz, 0.0

                def advance(s):
                    return (_width(s, m) * sx + (len(s) * tc + s.count(" ") * tw) * scale) * tz

                body = text.lstrip()
                x += advance(text[:len(text) - len(body)])
                stripped = body.rstrip()
                end = x + advance(stripped) - tc * scale * tz + shift
                runs.append(_Run(y, x, end, sy or 10.0, stripped, advance(body[:_lead_end(body)]),
                                 m[0].get(" ", 250.0) / 1000 * sx, len(stripped) < len(body)))

            page.extract_text(visitor_text=visit, visitor_operand_before=spacing)
            pages.append((width, height, _runs_to_lines(runs, height)))
    except ReportError:
        raise
    except Exception as e:  # pypdf raises many types on damaged files
        raise _unreadable_pdf(name, e) from None
    return pages


def _runs_to_lines(runs: list[_Run], height: float) -> list[_Line]:
    """Runs on one baseline (within a third of their size) make a line, left to right."""
    lines: list[_Line] = []
    group: list[_Run] = []

    def flush():
        group.sort(key=lambda r: r.x0)
        text, end = "", None
        for r in group:
            # a gap of a space (a fifth of an em in CJK fonts) between runs is one
            if end is not None and r.x0 - end > 0.15 * r.size and not text.endswith(" "):
                text += " "
            text += r.text
            end = r.x1 if end is None else max(end, r.x1)
        first, last = group[0], max(group, key=lambda r: r.x1)
        size = max(r.size for r in group)
        lines.append(_Line(text, first.x0, end, height - first.y - size, height - first.y, size,
                           first.lead, last.space, last.space_after))

    for r in sorted(runs, key=lambda r: (-r.y, r.x0)):
        if group and abs(r.y - group[0].y) > 0.33 * min(r.size, group[0].size):
            flush()
            group = []
        group.append(r)
    if group:
        flush()
    return lines


def _mask(text: str) -> str:
    return re.sub(r"\d+", "#", text.replace(" ", ""))


def _pdf_text(data: bytes, name: str, backend: str | None = None) -> str:
    if backend is None:
        # pypdf keeps characters pdfminer drops (U+00B7 in CID fonts) and is faster
        # (benchmarks/bench_documents.py); pdfplumber serves when it is absent
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


def _quantile(values, q: float) -> float:
    values = sorted(values)
    return values[int(q * (len(values) - 1))]


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
    # body text size: the size most characters have
    sizes: Counter = Counter()
    for ln in every:
        sizes[round(ln.size)] += len(ln.text)
    size = sizes.most_common(1)[0][0] or 10
    # the text block's left margin: the most common left edge
    left = Counter(round(ln.x0) for ln in every).most_common(1)[0][0]
    # the right margin: where the long lines end, leaving out punctuation hung past it
    far = _quantile([ln.x1 for ln in every], 0.9)
    long = [ln for ln in every if ln.x1 - left >= 0.7 * (far - left)] or every
    # (ragged lines stop short of it by up to a character: the farthest end is the best
    # guess, unless it sits apart from the rest, like a wide table row)
    ends = [ln.x1 for ln in long if ln.text[-1:] not in _HANGING] or [ln.x1 for ln in long]
    usual = _quantile(ends, 0.9)
    right = max(x for x in ends if x <= usual + size)
    # when no line wraps (every paragraph a line) nothing reaches the margin: take it
    # as far from the page's right edge as the text is from its left one
    page_width = Counter(round(p[0]) for p in pages).most_common(1)[0][0]
    if right - left < 0.9 * (page_width - 2 * left):
        right = page_width - left

    def indented(ln):
        return ln.x0 > left + 0.8 * size

    def ending(prev, ln):
        """How ``prev`` ends before ``ln``: "full" (``ln``'s first word did not fit after it),
        "space" (it did, so the line broke at a space that a space and the word overran),
        or "short" (the line ended before the margin: a paragraph's end)."""
        free = right - prev.x1
        if free < ln.lead + 0.02 * size:
            return "full"
        if free < ln.lead + (prev.space or 0.5 * size) + 0.15 * size:
            return "space"
        return "short"

    def closes(ln):
        return _SENTENCE_END.search(ln.text.rstrip()) is not None

    # a document indents its paragraphs when lines indented by an em or more (not centred)
    # follow lines that may end a paragraph (closing a sentence or not reaching the
    # margin) at least as often as short lines are followed by unindented ones
    pairs = list(zip(every, every[1:]))
    starts = sum(indented(b) and b.x0 < left + 4 * size and (closes(a) or ending(a, b) != "full")
                 for a, b in pairs)
    flush = sum(ending(a, b) == "short" and not indented(b) for a, b in pairs)
    uses_indent = starts > 0 and starts >= flush
    # paragraphs set apart by space: a gap between lines well over the usual one
    gaps = [round(b.top - a.bottom, 1) for page in body for a, b in zip(page, page[1:])]
    pitch = Counter(gaps).most_common(1)[0][0] if gaps else 0.0
    # (most short lines, paragraph ends, are followed by a wide gap; with no short line
    # to tell, any wide gap will do)
    wide = [(ending(a, b) == "short", b.top - a.bottom > pitch + 0.4 * size)
            for page in body for a, b in zip(page, page[1:])]
    big = [w for short, w in wide if short]
    spaced = sum(big) >= 0.5 * len(big) if big else any(w for _, w in wide)
    logger.debug("PDF text block %.1f-%.1f, size %s, line gap %s, indented %s, spaced %s",
                 left, right, size, pitch, uses_indent, spaced)
    # does this document set a space before numbering run into its lines ("…。 二是…")?
    # inside lines the space is visible; at a line break it is not
    before = Counter()
    for ln in every:
        for m in _MARKER.finditer(ln.text, 1):
            before[ln.text[m.start() - 1].isspace()] += 1
    spaced_markers = before[True] > before[False]
    out: list[str] = []
    prev = None
    for ln in every:
        text = _SPACES.sub(" ", ln.text).strip()
        if prev is not None and not _PAGE_NUMBER.match(text):
            same_page = ln.top > prev.top
            gap = ln.top - prev.bottom if same_page else None
            end = ending(prev, ln)
            if end == "short" or (spaced and gap is not None and gap > pitch + 0.4 * size):
                join = False
            elif abs(ln.size - prev.size) > 0.15 * size:
                join = False  # a title, header or note set in another size
            elif uses_indent:
                join = not indented(ln)  # paragraphs start indented
            elif spaced:
                join = gap is not None or not (closes(prev) and _HEADING.match(text))
            else:  # no layout to go by: a sentence's end closes it, unless a space follows
                join = not closes(prev) or prev.space_after
            if join:
                # a break may swallow a space without a trace; before numbering it did
                # if the document's lines show a space before their inner numbering
                space = (prev.space_after or end == "space" or
                         (spaced_markers and _MARKER.match(text) is not None))
                out[-1] = _join(out[-1], text, space)
                prev = ln
                continue
        out.append(text)
        prev = ln
    return [x for x in out if x]


def _join(a: str, b: str, space: bool = False) -> str:
    # a line broken at a space, or between Latin words or numbers, loses that space
    if space or (a and b and a[-1].isascii() and a[-1].isalnum() and b[0].isascii()
                 and b[0].isalnum()):
        return a + " " + b
    return a + b
