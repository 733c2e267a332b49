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


def make_pdf(lines, header="某区人民政府文件", indent=True, page_numbers=True) -> bytes:
    """One PDF paragraph per line in STSong-Light, a running header and page numbers."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("body", fontName="STSong-Light", fontSize=12, leading=20,
                           firstLineIndent=24 if indent else 0, spaceAfter=0 if indent else 8,
                           wordWrap="CJK")

    def decorate(canvas, doc):
        canvas.saveState()
        canvas.setFont("STSong-Light", 9)
        canvas.drawCentredString(A4[0] / 2, A4[1] - 40, header)
        if page_numbers:
            canvas.drawCentredString(A4[0] / 2, 30, f"- {doc.page} -")
        canvas.restoreState()

    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4)
    doc.build([Paragraph(escape(x), style) for x in lines], onFirstPage=decorate,
              onLaterPages=decorate)
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
