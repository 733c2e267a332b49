"""Wall time, CPU time, peak memory and per-stage times of ``rolnlp analyze`` as the corpus grows.

Corpora are seeded synthetic reports recombined from real paragraphs (see
``synthetic_corpus.py``), written once per size.  Every size and job count
runs ``rolnlp.analyze(directory, ...)`` in a fresh subprocess, so reports are
streamed from disk as users run it, into an output directory emptied first
(so no batch is resumed from an earlier run).  Printed per run: wall seconds,
CPU seconds (the process and its worker processes), peak resident memory of
the main process and of the largest worker, the seconds of each stage and the
main process's peak resident memory (VmHWM) at the end of each stage; then
the speed-up of ``--jobs 2`` over one job at each size (runs are interleaved:
sizes in increasing order, both job counts at each size) and the growth of
time and memory per report, extrapolated to 100,000 reports.

Nothing is written into the repository except, with ``--keep``, to
``benchmarks/results/`` (git-ignored).

Usage::

    python benchmarks/bench_analyze.py                          # 100 and 1,000 reports, 1 and 2 jobs
    python benchmarks/bench_analyze.py --sizes 100 1000 10000   # the scale run (~1 h)
    python benchmarks/bench_analyze.py --sizes 500 --jobs 1 --n-topics 11
    python benchmarks/bench_analyze.py --sizes 1000 10000 --jobs 2 --edits 15   # mostly new sentences
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
_STAGE = re.compile(r"analyze: stage (\w+) took ([\d.]+) s(?: \(RSS (\d+) MB, peak (\d+) MB\))?")


class _Stages(logging.Handler):
    def __init__(self):
        super().__init__(logging.INFO)
        self.times = {}
        self.peaks = {}

    def emit(self, record):
        m = _STAGE.match(record.getMessage())
        if m:
            self.times[m.group(1)] = float(m.group(2))
            if m.group(4):
                self.peaks[m.group(1)] = int(m.group(4))


def child(args):
    sys.path.insert(0, str(ROOT))
    import rolnlp

    handler = _Stages()
    log = logging.getLogger("rolnlp.analysis.pipeline")
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    t0, c0 = time.perf_counter(), os.times()
    n_topics = args.n_topics if args.n_topics == "auto" else int(args.n_topics)
    rolnlp.analyze(args.dir, args.out, n_topics=n_topics, progress=False, n_jobs=args.jobs[0])
    wall = time.perf_counter() - t0
    c1 = os.times()
    cpu = (c1.user - c0.user) + (c1.system - c0.system) + \
        (c1.children_user - c0.children_user) + (c1.children_system - c0.children_system)
    import pandas as pd

    n_par = len(pd.read_csv(os.path.join(args.out, "paragraphs.csv"), usecols=["report_id"]))
    print(json.dumps({"seconds": wall, "cpu_seconds": cpu, "paragraphs": n_par,
                      "main_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "worker_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
                      / 1024, "stages": handler.times, "stage_peaks_mb": handler.peaks}))


def main(argv=None):
    ap = argparse.ArgumentParser(description="benchmark rolnlp.analyze at growing corpus sizes")
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--n-topics", default="auto")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--edits", type=int, default=0,
                    help="replace one character in every EDITS of each paragraph, so that "
                         "nearly every sentence is new (default: none)")
    ap.add_argument("--keep", action="store_true",
                    help="keep corpora and outputs under benchmarks/results/")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--dir", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        return child(args)

    base = HERE / "results" if args.keep else Path(tempfile.mkdtemp(prefix="rolnlp-bench-"))
    sys.path.insert(0, str(HERE))
    from synthetic_corpus import build, paragraph_pool

    pool = None
    rows = []
    for n in sorted(set(args.sizes)):
        corpus_dir = base / (f"corpus_{n}_e{args.edits}" if args.edits else f"corpus_{n}")
        if not corpus_dir.exists():
            pool = pool if pool is not None else paragraph_pool()
            build(corpus_dir, n, seed=args.seed, pool=pool, edits=args.edits)
        for jobs in args.jobs:
            out = base / (f"out_{n}_{jobs}_e{args.edits}" if args.edits else f"out_{n}_{jobs}")
            if out.exists():  # a fresh run each time: nothing resumed from an earlier one
                import shutil

                shutil.rmtree(out)
            cmd = [sys.executable, __file__, "--child", "--dir", str(corpus_dir), "--out",
                   str(out), "--n-topics", str(args.n_topics), "--jobs", str(jobs)]
            res = subprocess.run(cmd, capture_output=True, text=True)
            if res.returncode != 0:
                print(res.stderr[-3000:], file=sys.stderr)
                raise SystemExit(f"analyze failed at {n} reports, {jobs} jobs")
            row = {"reports": n, "jobs": jobs, **json.loads(res.stdout.strip().splitlines()[-1])}
            rows.append(row)
            stages = " ".join(f"{k}={v:.1f}" for k, v in row["stages"].items())
            print(f"{n:>7} reports  jobs={jobs}  {row['paragraphs']:>8} paragraphs  "
                  f"wall {row['seconds']:8.1f} s  cpu {row['cpu_seconds']:8.1f} s  "
                  f"main peak {row['main_peak_mb']:7.0f} MB  worker peak "
                  f"{row['worker_peak_mb']:6.0f} MB  [{stages}]", flush=True)
            if row.get("stage_peaks_mb"):
                print("         peak MB after each stage: " + " ".join(
                    f"{k}={v}" for k, v in row["stage_peaks_mb"].items()), flush=True)

    print("\nspeed-up of 2 jobs over 1 (wall time; read stage = read+classify+tokenize+audit)")
    for n in sorted(set(args.sizes)):
        one = [r for r in rows if r["reports"] == n and r["jobs"] == 1]
        two = [r for r in rows if r["reports"] == n and r["jobs"] == 2]
        if one and two:
            a, b = one[0], two[0]
            print(f"{n:>7} reports: total {a['seconds'] / b['seconds']:.2f}x, read stage "
                  f"{a['stages'].get('read', 0) / max(b['stages'].get('read', 1e-9), 1e-9):.2f}x")
    singles = [r for r in rows if r["jobs"] == min(args.jobs)]
    if len(singles) >= 2:
        a, b = singles[0], singles[-1]
        per_s = (b["seconds"] - a["seconds"]) / (b["reports"] - a["reports"])
        per_mb = (b["main_peak_mb"] - a["main_peak_mb"]) / (b["reports"] - a["reports"])
        print(f"\ngrowth between {a['reports']} and {b['reports']} reports: "
              f"{per_s * 1000:.1f} ms and {per_mb * 1000:.1f} KB of main-process peak memory "
              "per report")
        print(f"extrapolated to 100,000 reports: {b['seconds'] + per_s * (100_000 - b['reports']):,.0f} s, "
              f"main peak {b['main_peak_mb'] + per_mb * (100_000 - b['reports']):,.0f} MB")
    if args.keep:
        with open(base / "bench_analyze.json", "w", encoding="utf-8") as f:
            json.dump(rows, f, indent=1)
    else:
        import shutil

        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
