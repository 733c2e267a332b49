"""Agreement between the annotation and an independent second pass.

    python corpus/indicators/agreement.py [--second corpus/indicators/second_pass.jsonl]

Both files have the format of ``annotations.jsonl``; paragraphs are matched by
``id``.  Agreement on (code, value) pairs: the share of the first pass's pairs
the second has (recall of the second against the first), the reverse, and
their harmonic mean (F1, symmetric); plus the share of paragraphs on which the
two agree exactly.
"""
from __future__ import annotations

import argparse
import json
import os
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))


def _load(path):
    with open(path, encoding="utf-8") as f:
        return {r["id"]: r for r in map(json.loads, filter(str.strip, f))}


def _pairs(row):
    return Counter((m["code"], round(float(m["value"]), 2)) for m in row["mentions"])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--first", default=os.path.join(HERE, "annotations.jsonl"))
    ap.add_argument("--second", default=os.path.join(HERE, "second_pass.jsonl"))
    args = ap.parse_args(argv)
    if not os.path.exists(args.second):
        print(f"no second pass yet: {args.second} is missing")
        return 1
    first, second = _load(args.first), _load(args.second)
    ids = sorted(set(first) & set(second))
    both = n1 = n2 = exact = 0
    for i in ids:
        a, b = _pairs(first[i]), _pairs(second[i])
        both += sum((a & b).values())
        n1 += sum(a.values())
        n2 += sum(b.values())
        exact += a == b
    f1 = 2 * both / (n1 + n2) if n1 + n2 else 1.0
    print(f"paragraphs={len(ids)}  pairs first={n1} second={n2} shared={both}")
    print(f"second covers first={both / n1 if n1 else 1:.3f}  first covers second="
          f"{both / n2 if n2 else 1:.3f}  F1={f1:.3f}  paragraphs identical={exact / len(ids):.3f}"
          if ids else "no paragraph in common")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
