"""Wall time and peak memory of ``rolnlp.analyze`` at growing corpus sizes.

Sizes are 1x, 10x and 100x the five shipped reports (5, 50, 500 reports;
``--large`` adds 1,000).  The 5-report run uses the shipped reports; larger
ones use a seeded synthetic corpus (see ``synthetic_corpus.py``).  Each size
runs in its own subprocess; peak RSS is read with
``resource.getrusage(RUSAGE_CHILDREN)``, which reports the largest child so
far, so sizes run in increasing order.

Nothing is written into the repository except, with ``--keep``, to
``benchmarks/results/`` (git-ignored).

Usage::

    python benchmarks/bench_analyze.py            # 5, 50, 500 reports
    python benchmarks/bench_analyze.py --large    # and 1,000
    python benchmarks/bench_analyze.py --sizes 5 50 --n-topics 10
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def keyword_labels(texts):
    """Codebook-cue labels, used when no classifier model is shipped."""
    from rolnlp.codebook import CATEGORIES

    out = []
    for t in texts:
        best = max(CATEGORIES, key=lambda c: sum(t.count(w) for w in c.cues))
        out.append(best.code if any(w in t for w in best.cues) else "other")
    return out


def child(args):
    sys.path.insert(0, str(ROOT))
    import rolnlp
    from rolnlp.classification.api import default_model_path

    labels = None if default_model_path().exists() else keyword_labels
    t0 = time.perf_counter()
    corpus = rolnlp.read_corpus(args.dir)
    t_read = time.perf_counter() - t0
    paths = rolnlp.analyze(corpus, args.out, n_topics=args.n_topics, progress=False,
                           n_jobs=args.jobs, labels=labels)
    total = time.perf_counter() - t0
    n_par = sum(len(r.paragraphs) for r in corpus)
    print(json.dumps({"reports": len(corpus), "paragraphs": n_par, "seconds": total,
                      "read_seconds": t_read, "files": len(paths),
                      "classifier": "model" if labels is None else "keywords"}))


def main(argv=None):
    ap = argparse.ArgumentParser(description="benchmark rolnlp.analyze")
    ap.add_argument("--sizes", type=int, nargs="+", default=[5, 50, 500])
    ap.add_argument("--large", action="store_true", help="add 1,000 reports")
    ap.add_argument("--n-topics", default="auto")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--keep", action="store_true",
                    help="keep corpora and outputs under benchmarks/results/")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--dir", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.n_topics != "auto":
        args.n_topics = int(args.n_topics)
    if args.child:
        return child(args)

    sizes = sorted(set(args.sizes + ([1000] if args.large else [])))
    base = HERE / "results" if args.keep else Path(tempfile.mkdtemp(prefix="rolnlp-bench-"))
    sys.path.insert(0, str(HERE))
    from synthetic_corpus import build, paragraph_pool

    pool = None
    rows = []
    for n in sizes:
        if n == 5:
            corpus_dir = ROOT / "corpus" / "reports"
        else:
            corpus_dir = base / f"corpus_{n}"
            if not corpus_dir.exists():
                pool = pool if pool is not None else paragraph_pool()
                build(corpus_dir, n, seed=args.seed, pool=pool)
        out = base / f"out_{n}"
        cmd = [sys.executable, __file__, "--child", "--dir", str(corpus_dir), "--out", str(out),
               "--n-topics", str(args.n_topics), "--jobs", str(args.jobs)]
        res = subprocess.run(cmd, capture_output=True, text=True)
        if res.returncode != 0:
            print(res.stderr[-3000:], file=sys.stderr)
            raise SystemExit(f"analyze failed at {n} reports")
        row = json.loads(res.stdout.strip().splitlines()[-1])
        row["peak_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        rows.append(row)
        print(f"{row['reports']:>6} reports {row['paragraphs']:>7} paragraphs "
              f"{row['seconds']:8.1f} s  {row['peak_mb']:8.0f} MB peak", flush=True)

    print("\nreports  paragraphs   seconds  s/report  growth(s/report)  peak MB  labels")
    first = rows[0]["seconds"] / rows[0]["reports"]
    for r in rows:
        per = r["seconds"] / r["reports"]
        print(f"{r['reports']:>7}  {r['paragraphs']:>10}  {r['seconds']:>8.1f}  {per:>8.3f}  "
              f"{per / first:>16.2f}  {r['peak_mb']:>7.0f}  {r['classifier']}")
    if args.keep:
        with open(base / "bench_analyze.json", "w", encoding="utf-8") as f:
            json.dump(rows, f, indent=1)
    else:
        import shutil

        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
