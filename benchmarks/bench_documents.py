"""PDF reading: paragraph fidelity and speed of the pdfplumber and pypdf line readers.

Run from the repository root::

    python benchmarks/bench_documents.py

Each seed report is written to PDF (STSong-Light, running header, page
numbers; with first-line indents and without) by ``tests/doc_helpers.py``,
read back with each backend, and its units compared with the units of the
.txt: *identical* counts documents whose units all match, *units wrong* the
units of the .txt missing from the PDF reading, *same but spaces* documents
whose units match once spaces are ignored.  Times are best of 3,
interleaved.
"""
import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))  # run from anywhere
from rolnlp import read_report
from rolnlp.reading import documents

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from doc_helpers import make_pdf  # noqa: E402


def main():
    backends = ("pdfplumber", "pypdf")
    stats = {b: [0, 0, 0, 0.0, 0] for b in backends}
    for path in sorted((ROOT / "corpus" / "reports").glob("*.txt")):
        ref = read_report(path)
        want = [u.text for u in ref.units(level="all")]
        for indent in (True, False):
            data = make_pdf(ref.text.split("\n"), indent=indent)
            best = {b: float("inf") for b in backends}
            got = {}
            for _ in range(3):
                for b in backends:
                    t = time.perf_counter()
                    text = documents._pdf_text(data, None, backend=b)
                    best[b] = min(best[b], time.perf_counter() - t)
                    got[b] = [u.text for u in read_report(text.encode("utf-8")).units(level="all")]
            for b in backends:
                s = stats[b]
                s[0] += got[b] == want
                s[1] += sum(x not in got[b] for x in want)
                s[2] += 1
                s[3] += best[b]
                # a space at a line break is not drawn, so it cannot come back
                s[4] += [x.replace(" ", "") for x in got[b]] == [x.replace(" ", "") for x in want]
    print(f"{'backend':12} {'identical':>9} {'same but spaces':>15} {'units wrong':>11} "
          f"{'ms/document':>11}")
    for b, (same, wrong, n, t, nospace) in stats.items():
        print(f"{b:12} {same:>5}/{n:<3} {nospace:>11}/{n:<3} {wrong:>11} {1000 * t / n:11.0f}")


if __name__ == "__main__":
    main()
