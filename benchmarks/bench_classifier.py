"""Shipped paragraph model: size, cold load time, throughput, per-call cost, n_jobs.

Run: /work/venv/bin/python benchmarks/bench_classifier.py [--model models/rol-paragraph-v1]
     [--reports 1000] [--rounds 2]

Besides the cold figures it prints the fixed cost of one ``classify(str)``
call on a short text (median of repeated runs), and ``classify`` over about
``--reports`` reports' worth of paragraphs (about 30 each, recombined from
real ones as ``synthetic_corpus.py`` does) with ``n_jobs=1`` and ``n_jobs=2``,
run alternately ``--rounds`` times because the machine is shared, with the
ratio of the medians.

Targets: model directory (context stage included) < 20 MB; load < 0.5 s
(after the tokenizer's own dictionary load); ``import rolnlp`` + classify without importing scikit-learn.
"""
from __future__ import annotations

import argparse
import json
import pathlib
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]

COLD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
import rolnlp
from rolnlp.classification.portable import load_model
t1 = time.perf_counter()
m = load_model(sys.argv[1])
t2 = time.perf_counter()
rolnlp.classify("依法办理行政复议案件", model=m)
t3 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "load_s": t2 - t1, "first_classify_s": t3 - t2,
                  "sklearn_imported": "sklearn" in sys.modules,
                  "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=str(ROOT / "rolnlp" / "models" / "rol-paragraph-v1"))
    ap.add_argument("--n", type=int, default=2000, help="at most this many distinct labelled paragraphs for the throughput run")
    ap.add_argument("--reports", type=int, default=1000,
                    help="reports' worth of paragraphs (about 30 each) for the n_jobs runs")
    ap.add_argument("--rounds", type=int, default=2, help="alternating n_jobs=1/2 rounds")
    args = ap.parse_args()
    model = pathlib.Path(args.model)
    # the context stage lives in the model's context/ folder: count it too
    size = sum(f.stat().st_size for f in model.rglob("*") if f.is_file())
    cold = json.loads(subprocess.run([sys.executable, "-c", COLD, str(model)], check=True,
                                     capture_output=True, text=True, cwd=ROOT).stdout)

    import rolnlp
    rows = [json.loads(line) for line in
            (ROOT / "corpus/labels/labels.jsonl").read_text("utf-8").splitlines() if line]
    texts = [r["text"] for r in rows][:args.n]  # distinct paragraphs: no cache hits
    m = rolnlp.load_model(model)
    rolnlp.classify(["预热"], model=m)
    t = time.perf_counter()
    rolnlp.classify(texts, model=m)
    took = time.perf_counter() - t
    out = {"model_mb": size / 1e6, **cold, "paragraphs": len(texts),
           "paragraphs_per_s": len(texts) / took, "per_call_ms": per_call_ms(m)}
    out.update(jobs_ratio(model, args.reports, args.rounds))
    for k, v in out.items():
        print(f"{k:>28}: {v:.3f}" if isinstance(v, float) else f"{k:>28}: {v}")


def per_call_ms(m, text="依法办理行政复议案件", calls=1000, repeats=7):
    """Median wall time of one ``classify(str)`` call on a short text, in ms."""
    import statistics

    import rolnlp

    for _ in range(100):
        rolnlp.classify(text, model=m)
    runs = []
    for _ in range(repeats):
        t = time.perf_counter()
        for _ in range(calls):
            rolnlp.classify(text, model=m)
        runs.append((time.perf_counter() - t) / calls * 1000)
    return statistics.median(runs)


def jobs_ratio(model, n_reports, rounds):
    """``classify`` over ~n_reports reports' paragraphs with n_jobs=1 and 2, interleaved."""
    import re
    import statistics

    import numpy as np

    import rolnlp
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from synthetic_corpus import paragraph_pool

    rng = np.random.default_rng(0)
    pool = paragraph_pool()
    digits = re.compile(r"\d+")
    texts = [digits.sub(lambda _: str(int(rng.integers(1, 500))), pool[j])
             for j in rng.integers(len(pool), size=30 * n_reports)]
    path = str(model)  # by path: each worker loads the model once and keeps it
    rolnlp.classify(texts[:600], model=path, n_jobs=2)  # start the workers
    times = {1: [], 2: []}
    for _ in range(rounds):
        for jobs in (1, 2):
            rolnlp.clear_caches()
            t = time.perf_counter()
            rolnlp.classify(texts, model=path, n_jobs=jobs)
            times[jobs].append(time.perf_counter() - t)
    one, two = statistics.median(times[1]), statistics.median(times[2])
    return {"jobs_paragraphs": len(texts), "jobs1_s": one, "jobs2_s": two,
            "jobs2_speedup": one / two}


if __name__ == "__main__":
    main()
