"""Agreement between the first labelling pass and the independent second passes.

Run from the repository root::

    python corpus/labels/agreement.py

``second_pass.jsonl`` re-labels 100 units of the first labelled set (0.1);
``second_pass_v2.jsonl`` re-labels 150 of the units added for classifier v2,
sampled with up to 14 per category so that every category can be scored.
For each pass: accuracy and Cohen's kappa of the primary code and the
section, with 95 % bootstrap intervals (2,000 resamples of units, seed 0),
and per category the one-vs-rest kappa, precision and recall of the second
pass against the first.
"""
import json
import pathlib

import numpy as np
from sklearn.metrics import accuracy_score, cohen_kappa_score

HERE = pathlib.Path(__file__).resolve().parent
PASSES = [("0.1 units", "second_pass.jsonl"), ("v2 units", "second_pass_v2.jsonl")]


def _rows(name):
    with open(HERE / name, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _interval(a, b, metric, n_boot=2000, seed=0):
    rng = np.random.default_rng(seed)
    a, b = np.asarray(a, dtype=object), np.asarray(b, dtype=object)
    stats = []
    for _ in range(n_boot):
        i = rng.integers(0, len(a), len(a))
        if len(set(a[i])) < 2 and metric is cohen_kappa_score:
            continue
        stats.append(metric(list(a[i]), list(b[i])))
    lo, hi = np.percentile(stats, [2.5, 97.5])
    return lo, hi


def report(name, first, second):
    print(f"== {name}: {len(second)} units labelled twice")
    for field in ("primary", "section"):
        pairs = [(first[r["uid"]][field], r[field]) for r in second
                 if first[r["uid"]].get(field) is not None and r.get(field) is not None]
        a = [str(x) for x, _ in pairs]
        b = [str(y) for _, y in pairs]
        acc, kap = accuracy_score(a, b), cohen_kappa_score(a, b)
        alo, ahi = _interval(a, b, accuracy_score)
        klo, khi = _interval(a, b, cohen_kappa_score)
        print(f"{field:8} n={len(a):3d}  accuracy={acc:.3f} [{alo:.3f}, {ahi:.3f}]  "
              f"kappa={kap:.3f} [{klo:.3f}, {khi:.3f}]")
    a = [first[r["uid"]]["primary"] for r in second]
    b = [r["primary"] for r in second]
    print(f"{'category':22} {'n first':>7} {'n second':>8} {'kappa':>6} {'P':>6} {'R':>6}")
    for code in sorted(set(a) | set(b)):
        x = [c == code for c in a]
        y = [c == code for c in b]
        both = sum(p and q for p, q in zip(x, y))
        k = cohen_kappa_score(x, y) if len(set(x)) > 1 or len(set(y)) > 1 else float("nan")
        p = both / sum(y) if sum(y) else float("nan")
        r = both / sum(x) if sum(x) else float("nan")
        print(f"{code:22} {sum(x):7d} {sum(y):8d} {k:6.3f} {p:6.3f} {r:6.3f}")


def main():
    first = {r["uid"]: r for r in _rows("labels.jsonl")}
    for name, path in PASSES:
        if (HERE / path).exists():
            second = [r for r in _rows(path) if r["uid"] in first]
            report(name, first, second)


if __name__ == "__main__":
    main()
