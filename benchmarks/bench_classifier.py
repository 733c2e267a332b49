"""Shipped paragraph model: size, cold load time, classification throughput, memory.

Run: /work/venv/bin/python benchmarks/bench_classifier.py [--model models/rol-paragraph-v1]

Targets: model directory < 20 MB; load < 1 s (after the tokenizer's own
dictionary load); ``import rolnlp`` + classify without importing scikit-learn.
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
    args = ap.parse_args()
    model = pathlib.Path(args.model)
    size = sum(f.stat().st_size for f in model.iterdir() if f.is_file())
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
           "paragraphs_per_s": len(texts) / took}
    for k, v in out.items():
        print(f"{k:>28}: {v:.3f}" if isinstance(v, float) else f"{k:>28}: {v}")


if __name__ == "__main__":
    main()
