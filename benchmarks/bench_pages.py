"""Web-page reading: paragraphs leaked and lost per page, and time per page, by extractor.

Run from the repository root::

    python benchmarks/bench_pages.py
    python benchmarks/bench_pages.py --methods builtin   # read_report only

Each page of ``tests/data/pages`` wraps a corpus text in site chrome.  A method
turns the page into text, ``read_report`` reads that text, and its paragraphs
are compared with those of the plain corpus text: *leaked* are paragraphs the
plain text does not have (site chrome), *lost* are plain-text paragraphs
missing.  Methods: ``builtin`` (read_report on the page bytes: rolnlp's own
page reader), ``trafilatura``, ``readability`` (readability-lxml, its summary
stripped of tags), ``justext`` (paragraphs not classed boilerplate), and
``trafilatura+own`` (trafilatura, falling back to rolnlp's reader when it
returns under half the prose).  Timing is interleaved, best of 3.
"""
import argparse
import json
import pathlib
import time

import sys as _sys
_sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))  # run from anywhere
from rolnlp import read_report
from rolnlp.reading.decode import decode_bytes

ROOT = pathlib.Path(__file__).resolve().parents[1]
PAGES = ROOT / "tests" / "data" / "pages"


def _builtin(data, text):
    return read_report(data)


def _trafilatura(data, text):
    import trafilatura
    out = trafilatura.extract(text, include_comments=False, include_tables=True,
                              favor_recall=True) or ""
    return read_report(out.encode("utf-8"))


def _readability(data, text):
    from readability import Document

    from rolnlp.reading.html import strip_html
    body = Document(text).summary(html_partial=True)
    return read_report(strip_html(body)[0].encode("utf-8"))


def _justext(data, text):
    import justext
    # no Chinese stoplist ships with jusText: classify by length and link density only
    paras = justext.justext(data, frozenset(), stopwords_low=0, stopwords_high=0, encoding=None)
    out = "\n".join(p.text for p in paras if not p.is_boilerplate)
    return read_report(out.encode("utf-8"))


def _combo(data, text):
    own = read_report(data)
    t = _trafilatura(data, text)
    return t if len(t.text) >= 0.5 * len(own.text) else own


METHODS = {"builtin": _builtin, "trafilatura": _trafilatura, "readability": _readability,
           "justext": _justext, "trafilatura+own": _combo}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--methods", default=",".join(METHODS))
    args = ap.parse_args()
    methods = []
    for m in args.methods.split(","):
        if m not in METHODS:
            ap.error(f"unknown method {m!r}; choose from {', '.join(METHODS)}")
        try:  # an extractor that is not installed is left out, not a crash
            METHODS[m](b"<p>x</p>", "<p>x</p>")
        except ImportError as e:
            print(f"skipping {m}: {e}")
            continue
        methods.append(m)
    rows = [json.loads(x) for x in (PAGES / "pages.jsonl").read_text("utf-8").splitlines()]
    chunks = {c["id"]: c for c in map(json.loads, (ROOT / "corpus/chunks/chunks.jsonl")
                                      .read_text("utf-8").splitlines())}
    stats = {m: {"leaked": 0, "lost": 0, "equal": 0, "time": 0.0} for m in methods}
    by_layout: dict = {}
    for row in rows:
        data = (PAGES / row["file"]).read_bytes()
        text = decode_bytes(data)[0]
        plain_src = ((ROOT / row["text"]).read_bytes() if "text" in row
                     else chunks[row["chunk"]]["text"].encode("utf-8"))
        plain = [p.text for p in read_report(plain_src).paragraphs]
        times = {m: float("inf") for m in methods}
        result = {}
        for _ in range(3):
            for m in methods:
                t = time.perf_counter()
                result[m] = METHODS[m](data, text)
                times[m] = min(times[m], time.perf_counter() - t)
        for m in methods:
            got = [p.text for p in result[m].paragraphs]
            leaked = sum(x not in plain for x in got)
            lost = sum(x not in got for x in plain)
            s = stats[m]
            s["leaked"] += leaked
            s["lost"] += lost
            s["equal"] += got == plain
            s["time"] += times[m]
            lay = by_layout.setdefault((m, row["layout"]), [0, 0, 0])
            lay[0] += leaked
            lay[1] += lost
            lay[2] += 1
    n = len(rows)
    print(f"{n} pages ({', '.join(sorted({r['layout'] for r in rows}))})")
    print(f"{'method':18} {'leaked/page':>11} {'lost/page':>9} {'identical':>9} {'ms/page':>8}")
    for m in methods:
        s = stats[m]
        print(f"{m:18} {s['leaked'] / n:11.2f} {s['lost'] / n:9.2f} {s['equal']:>5}/{n:<3} "
              f"{1000 * s['time'] / n:8.1f}")
    print("by layout (leaked/lost per page):")
    for (m, lay), (lk, ls, k) in sorted(by_layout.items()):
        print(f"  {m:18} {lay:7} {lk / k:6.2f} {ls / k:6.2f}")


if __name__ == "__main__":
    main()
