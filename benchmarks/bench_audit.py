"""Cost of the audit next to what ``analyze`` already does for every report.

``rolnlp.audit`` (parts, timeliness, evidence, shortcomings and indicator
extraction) runs on reports that ``analyze`` has already read.  The baseline
is the part of ``analyze`` that every run pays per report: reading the files
and classifying every paragraph with the shipped model.  The target: the audit
adds at most 20 % to it (ratio audit / baseline <= 0.20).

Rounds interleave baseline and audit on the same reports (the machine is
shared and noisy) and the median of each is reported; indicator extraction is
also timed on its own.  The corpus is the five seed reports plus a seeded
synthetic corpus (``synthetic_corpus.py``) written to a temporary directory.

Usage::

    python benchmarks/bench_audit.py                 # 50 reports, 5 rounds
    python benchmarks/bench_audit.py --reports 200 --rounds 3
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=50, help="synthetic reports (default 50)")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)

    import rolnlp
    from rolnlp.audit import audit_corpus, extract_indicators
    from synthetic_corpus import build

    with tempfile.TemporaryDirectory() as tmp:
        build(tmp, args.reports, seed=args.seed)
        files = sorted(Path(tmp).glob("*.txt")) + sorted((ROOT / "corpus" / "reports").glob("*.txt"))
        rolnlp.classify(["预热"])  # load the model once, outside the timings

        base, aud, ext = [], [], []
        for _ in range(args.rounds):
            rolnlp.clear_caches()
            rolnlp.classify(["预热"])
            t0 = time.perf_counter()
            reports = [rolnlp.read_report(f) for f in files]
            texts = [p.text for r in reports for p in r.paragraphs]
            rolnlp.classify(texts)
            base.append(time.perf_counter() - t0)

            t0 = time.perf_counter()
            audit_corpus(reports, progress=False)
            aud.append(time.perf_counter() - t0)

            t0 = time.perf_counter()
            extract_indicators(reports, progress=False)
            ext.append(time.perf_counter() - t0)

    b, a, e = (statistics.median(x) for x in (base, aud, ext))
    out = {"reports": len(files), "paragraphs": len(texts), "rounds": args.rounds,
           "read_classify_s": round(b, 3), "audit_s": round(a, 3), "extract_s": round(e, 3),
           "audit_ratio": round(a / b, 3), "extract_ratio": round(e / b, 3),
           "target_ratio": 0.20, "meets_target": a / b <= 0.20}
    print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
