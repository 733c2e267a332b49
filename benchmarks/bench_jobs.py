"""Speed-up of ``n_jobs=2`` over one job on the read stage of ``rolnlp analyze``.

The read stage reads, classifies, tokenizes and audits every report and writes
the batch files of the work area; it is what ``n_jobs`` spreads over processes
(the later stages are single-process or use their trainer's threads).  Each
run is a fresh process streaming a synthetic corpus (``synthetic_corpus.py``)
into an empty work area, so nothing is resumed and every run pays for starting
its workers; one job and two jobs alternate for ``--rounds`` rounds, so load
from other work on a shared machine falls on both.  Printed: every run's
seconds, the median of each, the ratio of medians and the ratio per round.

Usage::

    python benchmarks/bench_jobs.py                   # 1,000 reports, 3 rounds
    python benchmarks/bench_jobs.py --reports 2000 --rounds 5
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def child(args):
    sys.path.insert(0, str(ROOT))
    from rolnlp.analysis.pipeline import _sources, _stream

    t0 = time.perf_counter()
    items, _ = _sources(args.dir, False)
    streamed = _stream(items, model=None, classify=True, n_jobs=args.jobs, progress=False,
                       work=args.out, resume=False)
    print(json.dumps({"seconds": time.perf_counter() - t0, "paragraphs": len(streamed.meta)}))


def main(argv=None):
    ap = argparse.ArgumentParser(description="read-stage speed-up of 2 jobs over 1")
    ap.add_argument("--reports", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--corpus", help="an existing directory of reports (default: synthetic)")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--dir", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    ap.add_argument("--jobs", type=int, default=1, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        return child(args)

    base = Path(tempfile.mkdtemp(prefix="rolnlp-jobs-"))
    try:
        corpus = Path(args.corpus) if args.corpus else base / "corpus"
        if not args.corpus:
            sys.path.insert(0, str(HERE))
            from synthetic_corpus import build, paragraph_pool

            build(corpus, args.reports, seed=args.seed, pool=paragraph_pool())
        times = {1: [], 2: []}
        for r in range(args.rounds):
            for jobs in (1, 2):
                out = base / f"work_{jobs}"
                shutil.rmtree(out, ignore_errors=True)
                cmd = [sys.executable, __file__, "--child", "--dir", str(corpus), "--out",
                       str(out), "--jobs", str(jobs)]
                res = subprocess.run(cmd, capture_output=True, text=True)
                if res.returncode != 0:
                    print(res.stderr[-3000:], file=sys.stderr)
                    raise SystemExit(f"read stage failed with {jobs} jobs")
                row = json.loads(res.stdout.strip().splitlines()[-1])
                times[jobs].append(row["seconds"])
                print(f"round {r + 1}  jobs={jobs}  {row['seconds']:7.2f} s  "
                      f"({row['paragraphs']} paragraphs)", flush=True)
        one, two = statistics.median(times[1]), statistics.median(times[2])
        per_round = [a / b for a, b in zip(times[1], times[2])]
        print(f"\nread stage, median of {args.rounds}: 1 job {one:.2f} s, 2 jobs {two:.2f} s, "
              f"speed-up {one / two:.2f}x (per round: "
              + ", ".join(f"{x:.2f}" for x in per_round) + ")")
        print(f"machine load at the end: {os.getloadavg()[0]:.2f}")
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
