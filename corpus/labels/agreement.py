"""Agreement between the first labelling pass and the independent second pass.

Run from the repository root::

    python corpus/labels/agreement.py

Prints accuracy and Cohen's kappa for the primary code and the section code
over the units labelled twice.
"""
import json
import pathlib

from sklearn.metrics import accuracy_score, cohen_kappa_score

HERE = pathlib.Path(__file__).resolve().parent


def _rows(name):
    with open(HERE / name, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main():
    first = {r["uid"]: r for r in _rows("labels.jsonl")}
    second = _rows("second_pass.jsonl")
    for field in ("primary", "section"):
        a = [first[r["uid"]][field] for r in second]
        b = [r[field] for r in second]
        print(f"{field:8} n={len(a)}  accuracy={accuracy_score(a, b):.3f}  "
              f"kappa={cohen_kappa_score(a, b):.3f}")


if __name__ == "__main__":
    main()
