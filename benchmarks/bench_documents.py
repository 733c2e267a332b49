"""PDF reading: paragraph fidelity and speed of the PDF line readers.

Run from the repository root::

    python benchmarks/bench_documents.py

Each seed report is written to PDF by ``tests/doc_helpers.py`` in several
layouts, read back with each installed backend (pypdf; pdfplumber when it is
installed), and its units compared with the units of the .txt:
*identical* counts documents whose units all match, *same text* documents whose
text matches once spaces are ignored, *units wrong* the units of the .txt
missing from the PDF reading.  Layouts: reportlab's platypus (A4, 12 pt, with
first-line indents or space between paragraphs; it leaves the space at a line
break out of the text layer) and an office-style line setter (the space at a
break kept; A4 12 pt and B5 14 pt justified, indents or spacing; A4 14 pt
justified by shifts inside TJ arrays).  Times are
the best of 3, interleaved, per document.
"""
import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))  # run from anywhere
from rolnlp import read_report  # noqa: E402
from rolnlp.reading import documents  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from doc_helpers import B5, make_office_pdf, make_pdf  # noqa: E402

LAYOUTS = {
    "platypus A4 indent": (make_pdf, dict(indent=True)),
    "platypus A4 spaced": (make_pdf, dict(indent=False)),
    "office A4 indent": (make_office_pdf, dict(indent=True)),
    "office A4 spaced": (make_office_pdf, dict(indent=False)),
    "office B5 14pt indent just.": (make_office_pdf, dict(indent=True, pagesize=B5, font_size=14,
                                                          justify=True)),
    "office B5 14pt spaced just.": (make_office_pdf, dict(indent=False, pagesize=B5, font_size=14,
                                                          justify=True)),
    "office A4 14pt indent kerned": (make_office_pdf, dict(indent=True, font_size=14,
                                                           justify="kerning")),
}


def _backends():
    found = []
    for name in ("pypdf", "pdfplumber"):
        try:
            __import__(name)
            found.append(name)
        except ImportError:
            pass
    return found


def main():
    backends = _backends()
    seeds = [read_report(p) for p in sorted((ROOT / "corpus" / "reports").glob("*.txt"))]
    print(f"{'layout':28} {'backend':10} {'identical':>9} {'same text':>9} {'units wrong':>11} "
          f"{'ms/document':>11}")
    for layout, (make, options) in LAYOUTS.items():
        stats = {b: [0, 0, 0, 0, 0.0] for b in backends}
        for ref in seeds:
            want = [(u.kind, u.text) for u in ref.units(level="all")]
            data = make(ref.text.split("\n"), **options)
            best = {b: float("inf") for b in backends}
            got = {}
            for _ in range(3):
                for b in backends:
                    t = time.perf_counter()
                    text = documents._pdf_text(data, None, backend=b)
                    best[b] = min(best[b], time.perf_counter() - t)
                    got[b] = text
            for b in backends:
                units = [(u.kind, u.text) for u in read_report(got[b].encode("utf-8")).units(level="all")]
                s = stats[b]
                s[0] += units == want
                s[1] += got[b].replace(" ", "") == ref.text.replace(" ", "")
                s[2] += sum(x not in units for x in want)
                s[3] += 1
                s[4] += best[b]
        for b, (same, text, wrong, n, t) in stats.items():
            print(f"{layout:28} {b:10} {same:>5}/{n:<3} {text:>5}/{n:<3} {wrong:>11} "
                  f"{1000 * t / n:11.0f}")


if __name__ == "__main__":
    main()
