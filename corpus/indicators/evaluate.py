"""Precision and recall of rolnlp's indicator extractor on the annotated paragraphs.

Run from the repository root:

    python corpus/indicators/evaluate.py [--split test|dev|all] [--errors]

A predicted (code, value) pair is correct when the paragraph's annotation holds
the same pair (values equal within 0.01; each annotated pair matches at most
once).  Intervals: 95 % bootstrap over reports (2,000 resamples, seed 0),
since paragraphs of one report are not independent.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter, defaultdict

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(os.path.dirname(HERE)))

from rolnlp.audit.indicators import extract_from_text  # noqa: E402


def _pairs(mentions):
    return Counter((m["code"], round(float(m["value"]), 2)) for m in mentions)


def score(rows):
    """Per-report (true positives, predicted, annotated) counts and the errors."""
    per_report = defaultdict(lambda: np.zeros(3))
    errors = []
    for r in rows:
        gold = _pairs(r["mentions"])
        pred = _pairs(extract_from_text(r["text"]))
        tp = sum((gold & pred).values())
        per_report[r["report"]] += (tp, sum(pred.values()), sum(gold.values()))
        if gold != pred:
            errors.append((r["id"], sorted((pred - gold).elements()), sorted((gold - pred).elements())))
    return per_report, errors


def bootstrap(per_report, n=2000, seed=0):
    counts = np.array(list(per_report.values()))
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(counts), size=(n, len(counts)))
    sums = counts[idx].sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = sums[:, 0] / sums[:, 1]
        r = sums[:, 0] / sums[:, 2]
    tot = counts.sum(axis=0)
    return ((tot[0] / tot[1], np.nanpercentile(p, [2.5, 97.5])),
            (tot[0] / tot[2], np.nanpercentile(r, [2.5, 97.5])), tot)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="test", choices=["test", "dev", "all"])
    ap.add_argument("--errors", action="store_true", help="list the paragraphs with errors")
    ap.add_argument("--file", default=os.path.join(HERE, "annotations.jsonl"))
    args = ap.parse_args(argv)
    with open(args.file, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    if args.split != "all":
        rows = [r for r in rows if r["split"] == args.split]
    per_report, errors = score(rows)
    (p, pci), (r, rci), tot = bootstrap(per_report)
    print(f"split={args.split}  paragraphs={len(rows)}  reports={len(per_report)}  "
          f"annotated={int(tot[2])}  predicted={int(tot[1])}  correct={int(tot[0])}")
    print(f"precision={p:.3f}  95% CI [{pci[0]:.3f}, {pci[1]:.3f}]")
    print(f"recall   ={r:.3f}  95% CI [{rci[0]:.3f}, {rci[1]:.3f}]")
    if args.errors:
        for uid, fp, fn in errors:
            print(uid, "extra:", fp, "missed:", fn)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
