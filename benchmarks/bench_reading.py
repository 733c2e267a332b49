"""Reader speed: seed reports, a 10 MB input, a 10 MB single line, normalize_text.

Run: /work/venv/bin/python benchmarks/bench_reading.py [--big-mb 10]

Prints the time to read each seed report, the time for a large multi-line
input and for one huge line (both should grow linearly with size), and
paragraphs/second of ``normalize_text`` on the seed paragraphs (what
``rolnlp.classify`` pays per input).
"""
from __future__ import annotations

import argparse
import pathlib
import time

import sys as _sys
_sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))  # run from anywhere
from rolnlp.reading import normalize_text, parse_report, read_report

ROOT = pathlib.Path(__file__).resolve().parents[1]


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--big-mb", type=float, default=10.0)
    args = ap.parse_args()
    seeds = sorted((ROOT / "corpus" / "reports").glob("*.txt"))
    read_report(seeds[0])  # warm up OpenCC and regex compilation
    for p in seeds:
        dt, r = timed(lambda: read_report(p))
        print(f"{p.name}: {dt * 1000:7.1f} ms, {len(r.paragraphs)} paragraphs")
    text = "\n".join(p.read_text("utf-8") for p in seeds)
    for mb in (args.big_mb / 4, args.big_mb):
        big = (text + "\n") * max(1, int(mb * 1e6 / len(text.encode())))
        dt, r = timed(lambda: read_report(big.encode("utf-8")))
        print(f"{len(big.encode()) / 1e6:5.1f} MB multi-line: {dt:6.2f} s, "
              f"{len(r.paragraphs)} paragraphs")
    for mb in (args.big_mb / 4, args.big_mb):
        line = "一是推进法治建设，" * int(mb * 1e6 / 27)
        dt, r = timed(lambda: parse_report(line))
        print(f"{len(line.encode()) / 1e6:5.1f} MB one line:   {dt:6.2f} s")
    paras = [p.text for s in seeds for p in read_report(s).paragraphs] * 20
    dt, _ = timed(lambda: [normalize_text(p) for p in paras])
    print(f"normalize_text: {len(paras) / dt:,.0f} paragraphs/s "
          f"({sum(map(len, paras)) / dt / 1e6:.2f} M chars/s)")


if __name__ == "__main__":
    main()
