"""Build .docx and .pdf versions of a report text for the document-reading tests."""
import io

from xml.sax.saxutils import escape


def make_docx(lines, header="某区人民政府") -> bytes:
    """One Word paragraph per line, a running header and a table-free body."""
    import docx
    from docx.shared import Pt

    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = header
    for line in lines:
        p = d.add_paragraph(line)
        p.paragraph_format.first_line_indent = Pt(24)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


B5 = (498.9, 708.66)  # JIS B5 in points, a narrower page than A4
_OPENING = "“‘（《「『【〔([{"
_CLOSING = "，。、；：！？）》」』】〕”’%,.;:!?)]}"


def _font():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def _decorate(canvas, width, height, header, page, page_numbers):
    canvas.saveState()
    canvas.setFont(_font(), 9)
    canvas.drawCentredString(width / 2, height - 40, header)
    if page_numbers:
        canvas.drawCentredString(width / 2, 30, f"- {page} -")
    canvas.restoreState()


def make_pdf(lines, header="某区人民政府文件", indent=True, page_numbers=True, pagesize=None,
             font_size=12) -> bytes:
    """One PDF paragraph per line set by reportlab's platypus (STSong-Light), a running
    header and page numbers.  Platypus drops the space at a line break from the text layer."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    pagesize = pagesize or A4
    style = ParagraphStyle("body", fontName=_font(), fontSize=font_size, leading=font_size * 5 / 3,
                           firstLineIndent=2 * font_size if indent else 0,
                           spaceAfter=0 if indent else 8, wordWrap="CJK")

    def decorate(canvas, doc):
        _decorate(canvas, pagesize[0], pagesize[1], header, doc.page, page_numbers)

    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=pagesize)
    doc.build([Paragraph(escape(x), style) for x in lines], onFirstPage=decorate,
              onLaterPages=decorate)
    return buf.getvalue()


def _pieces(text):
    """Text cut where a line may break: between CJK characters and at spaces, never
    after an opening or before a closing punctuation mark, never inside a Latin word."""
    out, i, n = [], 0, len(text)
    while i < n:
        j = i
        if text[j] == " ":
            out.append(" ")
            i += 1
            continue
        while j < n and text[j] in _OPENING:
            j += 1
        if j < n and not text[j].isascii():
            j += 1
        else:
            while j < n and text[j].isascii() and text[j] != " " and text[j] not in _CLOSING:
                j += 1
        while j < n and text[j] in _CLOSING:
            j += 1
        j = max(j, i + 1)
        out.append(text[i:j])
        i = j
    return out


def _set_lines(text, first_width, width, measure):
    """Greedy line breaking; closing punctuation may hang past the margin and a space at a
    break stays at the end of its line, as office suites write it into the text layer."""
    lines, line, used, room = [], "", 0.0, first_width
    for piece in _pieces(text):
        if piece == " ":
            line += " "
            used += measure(" ")
            continue
        body = piece.rstrip(_CLOSING) or piece
        if line.strip() and used + measure(body) > room + 1e-6:
            lines.append(line)
            line, used, room = "", 0.0, width
        line += piece
        used += measure(piece)
    lines.append(line)
    return lines


def make_office_pdf(lines, header="某区人民政府文件", indent=True, page_numbers=True,
                    pagesize=None, font_size=12, justify=False) -> bytes:
    """One paragraph per line, set line by line like an office suite's PDF export.

    Paragraphs start with a two-character indent (``indent``) or are set apart by space;
    ``justify`` stretches full lines to the margin with character spacing (``True``) or
    with shifts between the glyphs of a TJ array (``"kerning"``).  Each line is
    one text run; a space at a break ends its line's text.  A running header and page
    numbers sit at each page's edges.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas as pdfcanvas

    font = _font()
    width, height = pagesize or A4
    margin = 0.15 * width
    measure_width = width - 2 * margin
    pitch, gap = 1.6 * font_size, (0 if indent else 0.8 * font_size)
    first = 2 * font_size if indent else 0.0

    def measure(s):
        return stringWidth(s, font, font_size)

    buf = io.BytesIO()
    c = pdfcanvas.Canvas(buf, pagesize=(width, height))
    page, y = 1, height - margin
    _decorate(c, width, height, header, page, page_numbers)
    for text in lines:
        set_ = _set_lines(text, measure_width - first, measure_width, measure)
        for k, line in enumerate(set_):
            if y < margin:
                c.showPage()
                page, y = page + 1, height - margin
                _decorate(c, width, height, header, page, page_numbers)
            t = c.beginText(margin + (first if k == 0 else 0), y)
            t.setFont(font, font_size)
            shown = line.rstrip(" ")
            room = measure_width - (first if k == 0 else 0) - measure(shown)
            if justify and k < len(set_) - 1 and len(shown) > 1 and room > 0:
                if justify == "kerning":  # glyphs moved apart inside one TJ array
                    shift = -1000 * room / (len(shown) - 1) / font_size
                    glyphs = [f"<{ch.encode('utf-16-be').hex()}>" for ch in line]
                    t._code.append(f"[{f' {shift:.3f} '.join(glyphs)}] TJ")
                    c.drawText(t)
                    y -= pitch
                    continue
                t.setCharSpace(room / (len(shown) - 1))
            t.textOut(line)
            c.drawText(t)
            y -= pitch
        y -= gap
    c.showPage()
    c.save()
    return buf.getvalue()


def make_scanned_pdf() -> bytes:
    """A PDF page holding only a drawing: no text layer."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.rect(100, 100, 300, 500, fill=1)
    c.showPage()
    c.save()
    return buf.getvalue()
