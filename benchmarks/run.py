"""Run every benchmark in one go and print their figures.

Usage::

    python benchmarks/run.py            # all benchmarks, analyze at 50 and 100 reports
    python benchmarks/run.py --full     # analyze also at 1,000 reports (a few minutes)
    python benchmarks/run.py --quick    # fewer repetitions, smaller inputs
    python benchmarks/run.py --only pipeline reading

Each benchmark runs as its own process, in this order: ``pipeline`` (rolnlp
against bare jieba: throughput, cold start, peak memory, training growth),
``tokenizer``, ``reading``, ``classifier``, ``analyze``.  Ratios are computed
inside each benchmark from figures measured in that same run.  The pipeline
figures are also written to ``benchmarks/results/pipeline.json`` (git-ignored).
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
ORDER = ("pipeline", "tokenizer", "reading", "classifier", "analyze", "audit")


def commands(args):
    py = sys.executable
    results = HERE / "results"
    quick = args.quick
    cmds = {
        "pipeline": [py, str(HERE / "bench_pipeline.py"), "--json", str(results / "pipeline.json")]
        + (["--repeat", "2", "--cold-runs", "3", "--train-sizes", "1", "2"] if quick else []),
        "tokenizer": [py, str(HERE / "bench_tokenizer.py")] + (["--big-mb", "1"] if quick else []),
        "reading": [py, str(HERE / "bench_reading.py")] + (["--big-mb", "2"] if quick else []),
        "classifier": [py, str(HERE / "bench_classifier.py")] + (["--n", "500"] if quick else []),
        "analyze": [py, str(HERE / "bench_analyze.py"), "--sizes", "50"]
        + ([] if quick else ["100"]) + (["1000"] if args.full else []),
        "audit": [py, str(HERE / "bench_audit.py")] + (["--rounds", "3"] if quick else []),
    }
    return {k: v for k, v in cmds.items() if (HERE / Path(v[1]).name).exists()}


def main(argv=None):
    ap = argparse.ArgumentParser(description="run all rolnlp benchmarks")
    ap.add_argument("--only", nargs="+", choices=ORDER)
    ap.add_argument("--quick", action="store_true", help="fewer repetitions, smaller inputs")
    ap.add_argument("--full", action="store_true", help="analyze at 500 reports too")
    args = ap.parse_args(argv)
    (HERE / "results").mkdir(exist_ok=True)
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    failed = []
    cmds = commands(args)
    for name in args.only or ORDER:
        if name not in cmds:
            print(f"== {name}: script not present, skipped\n")
            continue
        print(f"== {name}: {' '.join(Path(c).name if i < 2 else c for i, c in enumerate(cmds[name]))}",
              flush=True)
        t = time.perf_counter()
        code = subprocess.call(cmds[name], cwd=str(ROOT), env=env)
        print(f"== {name}: {'done' if code == 0 else f'FAILED (exit {code})'} in "
              f"{time.perf_counter() - t:.0f} s\n", flush=True)
        if code:
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
