"""Rebuild the shipped paragraph classifier ``models/rol-paragraph-v1``.

Steps (all seeded, so a rebuild on the same labels gives the same files):

1. compare the candidate configurations (word/char/union features × logistic
   regression / calibrated linear SVM, plus the keyword baseline) by
   cross-validation grouped by source report;
2. pick the best by grouped-CV macro-F1 and record its out-of-fold per-class
   scores and confusion matrix;
3. choose the default ``labels`` threshold on the out-of-fold probabilities;
4. run the heading weak-label experiment;
5. fit the chosen configuration on all labelled data and save it (safe format)
   with ``metrics.json`` and the model card ``README.md``.

Usage::

    python models/build.py [--labels corpus/labels/labels.jsonl] [--out rolnlp/models/rol-paragraph-v1]
                           [--seed 0] [--folds 5] [--skip-weak]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import logging
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rolnlp._io import atomic_write  # noqa: E402
from rolnlp.classification.data import load_labelled  # noqa: E402
from rolnlp.classification.estimator import ParagraphClassifier  # noqa: E402
from rolnlp.classification.evaluation import (CANDIDATES, choose_threshold, compare,  # noqa: E402
                                              metrics)
from rolnlp.classification.features import SHAPE_FEATURES  # noqa: E402
from rolnlp.codebook import CATEGORY_CODES, CODEBOOK_VERSION, category_name  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from weak_labels import weak_label_experiment  # noqa: E402

log = logging.getLogger("build")
NAME = "rol-paragraph-v1"

# besides the six feature × model combinations: regularisation strength, class
# weighting (the large `other` class loses recall under "balanced"), the
# layout-cue block and longer character n-grams, all on the same grouped folds
SVM = {"features": "union", "model": "svm"}
EXTRA_CANDIDATES = [
    ("union+logreg C=10", {"features": "union", "model": "logreg", "C": 10.0}),
    ("union+svm C=0.3", {**SVM, "C": 0.3}),
    ("union+svm C=0.5", {**SVM, "C": 0.5}),
    ("union+svm unweighted", {**SVM, "class_weight": None}),
    ("union+svm sqrt-weighted", {**SVM, "class_weight": "sqrt"}),
    ("union+svm C=0.5 sqrt-weighted", {**SVM, "C": 0.5, "class_weight": "sqrt"}),
    ("union+svm +shape", {**SVM, "shape_weight": 1.0}),
    ("union+svm C=0.5 +shape", {**SVM, "C": 0.5, "shape_weight": 1.0}),
    ("union+svm char 2-4", {**SVM, "char_ngrams": (2, 4)}),
]
BASELINE = "union+svm"  # the configuration shipped before this comparison
N_CONFIRM = 3  # best candidates re-scored on a second CV seed


def sha256_file(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--labels", default=str(ROOT / "corpus/labels/labels.jsonl"))
    ap.add_argument("--chunks", default=str(ROOT / "corpus/chunks/chunks.jsonl"))
    ap.add_argument("--out", default=str(ROOT / "rolnlp" / "models" / NAME))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--skip-weak", action="store_true", help="skip the weak-label experiment")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    t0 = time.time()

    df = load_labelled(args.labels)
    y = df["label"].to_numpy()
    log.info("%d labelled units, %d report groups", len(df), df["group"].nunique())

    cands = CANDIDATES + EXTRA_CANDIDATES
    table, oof = compare(df, cands, n_splits=args.folds, random_state=args.seed)
    params_by_name = dict(cands)
    model_rows = table[table["name"].isin(params_by_name)]
    ranked = model_rows.sort_values(["macro_f1", "accuracy"], ascending=False,
                                    kind="stable")["name"].tolist()
    # a winner on one CV split may be noise: re-score the leaders and the
    # baseline on a second seed and keep the leader only if it still wins there
    confirm_names = list(dict.fromkeys(ranked[:N_CONFIRM] + [BASELINE]))
    table2, _ = compare(df, [(n, params_by_name[n]) for n in confirm_names],
                        n_splits=args.folds, random_state=args.seed + 1,
                        keyword_baseline=False)
    second = table2.set_index("name")
    table = table.merge(table2[["name", "macro_f1", "accuracy"]].rename(
        columns={"macro_f1": "macro_f1_seed2", "accuracy": "accuracy_seed2"}),
        on="name", how="left")
    best_name = BASELINE
    for name in ranked[:N_CONFIRM]:
        if name == BASELINE or second.loc[name, "macro_f1"] > second.loc[BASELINE, "macro_f1"]:
            best_name = name
            break
    best_params = params_by_name[best_name]
    log.info("\n%s\nchosen: %s", table.to_string(index=False), best_name)

    classes, proba = oof[best_name]
    pred = classes[proba.argmax(axis=1)]
    m = metrics(y, pred, labels=list(classes))
    kw_classes, kw_proba = oof["keywords"]
    threshold, set_f1, curve = choose_threshold(classes, proba, list(y), df["secondary"].tolist())
    log.info("threshold %.2f (set micro-F1 %.3f)", threshold, set_f1)

    weak = None
    if not args.skip_weak:
        weak = weak_label_experiment(df, args.chunks, params=best_params, n_splits=args.folds,
                                     random_state=args.seed)
        log.info("weak labels: %s", weak)

    clf = ParagraphClassifier(**best_params, random_state=args.seed).fit(df["text"].tolist(), y)
    summary = {"cv": f"StratifiedGroupKFold({args.folds}) by source report, seed {args.seed} "
                     f"(leaders confirmed on seed {args.seed + 1})",
               "macro_f1": round(m["macro_f1"], 4), "accuracy": round(m["accuracy"], 4)}
    meta = {"name": NAME, "threshold": threshold, "training_data": {
        "file": Path(args.labels).name, "sha256": sha256_file(args.labels), "n": len(df),
        "label_counts": {k: int(v) for k, v in df["label"].value_counts().sort_index().items()}},
        "metrics": summary, "chosen": best_name}
    out = Path(args.out)
    clf.save(out, metadata=meta)

    per_class = {k: {"precision": round(float(r["precision"]), 4),
                     "recall": round(float(r["recall"]), 4), "f1": round(float(r["f1"]), 4),
                     "support": int(r["support"])} for k, r in m["per_class"].iterrows()}
    report = {
        "model": NAME, "codebook_version": CODEBOOK_VERSION, "chosen": best_name,
        "params": {k: (list(v) if isinstance(v, tuple) else v)
                   for k, v in clf.get_params().items()},
        "training_data": meta["training_data"],
        "cv": summary["cv"],
        "macro_f1": m["macro_f1"], "accuracy": m["accuracy"],
        "per_class": per_class,
        "confusion": {"labels": list(m["confusion"].index),
                      "matrix": m["confusion"].values.tolist()},
        "comparison": [{k: (None if isinstance(v, float) and np.isnan(v) else v)
                        for k, v in row.items()} for row in table.round(4).to_dict("records")],
        "baseline": BASELINE,
        "threshold": {"value": threshold, "set_micro_f1": set_f1, "curve": curve},
        "keyword_baseline": {"macro_f1": metrics(y, kw_classes[kw_proba.argmax(axis=1)])["macro_f1"],
                             "accuracy": metrics(y, kw_classes[kw_proba.argmax(axis=1)])["accuracy"]},
        "weak_labels": weak,
    }
    with atomic_write(out / "metrics.json") as f:
        f.write(json.dumps(report, ensure_ascii=False, indent=1) + "\n")
    with atomic_write(out / "README.md") as f:
        f.write(model_card(report, clf, out))
    log.info("built %s in %.0f s", out, time.time() - t0)
    return 0


def _pct(x):
    return f"{100 * x:.1f}"


def model_card(r, clf, out):
    size = sum(p.stat().st_size for p in Path(out).glob("arrays-*.npz"))
    lines = [
        f"# {r['model']}: paragraph classifier for rule-of-law government reports", "",
        f"Classifies one report paragraph into the {len(r['per_class'])} categories of the "
        f"rolnlp codebook v{r['codebook_version']} (`rolnlp.codebook.CATEGORY_CODES`).", "",
        "```python", "import rolnlp", "p = rolnlp.classify(\"依法办理行政复议案件，纠正违法行政行为\")",
        "p.label, p.labels, p.evidence", "```", "",
        "## Model", "",
        f"- Configuration: **{r['chosen']}** — `ParagraphClassifier("
        + ", ".join(f"{k}={v!r}" for k, v in r["params"].items()) + ")`.",
        "- Features: TF-IDF (sublinear tf, L2 per block) over words of the rule-of-law "
        "tokenizer (uni+bigrams) and/or character 1–3-grams within runs of CJK characters "
        "and digits, computed on `normalize_text` output (cleaned, simplified script)"
        + (f"; plus {len(SHAPE_FEATURES)} standardised layout cues (scaled by "
           f"{r['params']['shape_weight']:g}): " + ", ".join(f"`{n}`" for n in SHAPE_FEATURES)
           if r["params"].get("shape_weight") else "") + ".",
        "- Probabilities: softmax for logistic regression; per-class Platt sigmoid fitted on "
        "3-fold out-of-fold decision values for the SVM, renormalised to sum to 1.",
        f"- Stored without pickle: `model.json` + `{size / 1e6:.1f} MB` numpy arrays "
        "(vocabularies, idf, coefficients, calibration, 8-byte hashes of the training texts), "
        "SHA-256 checked and size-bounded on load; inference "
        "needs numpy, scipy.sparse and the tokenizer only.",
        f"- Default `labels` threshold: **{r['threshold']['value']:.2f}** — the value that "
        "maximises micro-F1 between {top class ∪ classes ≥ threshold} and the hand-coded "
        f"{{primary ∪ secondary}} on out-of-fold probabilities (set micro-F1 "
        f"{r['threshold']['set_micro_f1']:.3f}).",
        "- Empty or whitespace-only input is labelled `other` with probability 1.", "",
        "## Training data", "",
        f"`corpus/labels/{r['training_data']['file']}`: {r['training_data']['n']} hand-coded "
        f"units (SHA-256 `{r['training_data']['sha256'][:16]}…`): seed-report paragraphs, "
        "topical excerpts and report openings, noise included.", "",
        "| code | units |", "|---|---|",
        *[f"| `{k}` | {v} |" for k, v in r["training_data"]["label_counts"].items()], "",
        "The confident out-of-fold errors were read again against the codebook before this "
        "build (corpus/README.md, Corrections); no label was changed.", "",
        "## Evaluation", "",
        f"{r['cv']}: every paragraph of a report (grouped by url, else source id) is in the "
        "same fold, so no report is seen in both training and test. Model choice used this "
        "CV only; there is no separate test set. The candidates are ranked on the first seed; "
        f"the best {N_CONFIRM} and the previous configuration (`{r['baseline']}`) are scored "
        "again on a second seed, and a leader is kept only if it beats the previous "
        "configuration there too. (Figures recorded before grouped folds were enforced, "
        "macro-F1 0.853 / accuracy 0.850, came from folds that mixed paragraphs of one "
        "report across training and test; the grouped figures are lower.)", "",
        f"**Chosen model: macro-F1 {r['macro_f1']:.3f}, accuracy {r['accuracy']:.3f}** "
        f"(keyword baseline: macro-F1 {r['keyword_baseline']['macro_f1']:.3f}, accuracy "
        f"{r['keyword_baseline']['accuracy']:.3f}). Targets were macro-F1 ≥ 0.85 and accuracy "
        "≥ 0.90.", "",
        "### Candidates (pooled out-of-fold scores)", "",
        "| candidate | macro-F1 | accuracy | fold macro-F1 (mean ± sd) | macro-F1, 2nd seed "
        "| accuracy, 2nd seed |", "|---|---|---|---|---|---|",
        *[f"| {c['name']} | {c['macro_f1']:.3f} | {c['accuracy']:.3f} | "
          f"{c['fold_macro_f1_mean']:.3f} ± {c['fold_macro_f1_std']:.3f} | "
          + (f"{c['macro_f1_seed2']:.3f} | {c['accuracy_seed2']:.3f} |"
             if c.get("macro_f1_seed2") is not None else "– | – |")
          for c in r["comparison"]], "",
        "### Per class (chosen model)", "",
        "| code | name | precision | recall | F1 | support |", "|---|---|---|---|---|---|",
    ]
    for k, v in r["per_class"].items():
        name = category_name(k) if k in CATEGORY_CODES else k
        lines.append(f"| `{k}` | {name} | {v['precision']:.3f} | {v['recall']:.3f} | "
                     f"{v['f1']:.3f} | {v['support']} |")
    labels = r["confusion"]["labels"]
    short = labels
    lines += ["", "### Confusion matrix (rows: true, columns: predicted)", "",
              "| true \\ pred | " + " | ".join(short) + " |",
              "|---" * (len(labels) + 1) + "|"]
    for k, row in zip(labels, r["confusion"]["matrix"]):
        lines.append(f"| `{k}` | " + " | ".join(str(v) for v in row) + " |")
    w = r.get("weak_labels")
    lines += ["", "## Weak labels from headings", ""]
    if w:
        verdict = "helped" if w["delta_macro_f1"] > 0.005 else (
            "hurt" if w["delta_macro_f1"] < -0.005 else "made no real difference")
        lines += [
            f"`models/weak_labels.py` maps headings such as `（二）促进依法科学民主决策` to a "
            f"category. Splitting the {w.get('n_chunks', '?')} chunk texts with "
            f"the report parser gave **{w['n_weak']}** unlabelled paragraphs under a mapped "
            "heading (" + ", ".join(f"{k} {v}" for k, v in sorted(w["weak_label_counts"].items()))
            + "). Adding them to every training fold (never from a test-fold report) "
            f"{verdict}: macro-F1 {w['baseline_macro_f1']:.3f} → {w['weak_macro_f1']:.3f} "
            f"({w['delta_macro_f1']:+.3f}), accuracy {w['baseline_accuracy']:.3f} → "
            f"{w['weak_accuracy']:.3f} ({w['delta_accuracy']:+.3f}). The shipped model is "
            "trained on the hand labels only.", ""]
    else:
        lines += ["Not run in this build (`--skip-weak`).", ""]
    lines += [
        "## Limits", "",
        f"- {limits_text(r)}",
        "- Trained on paragraphs of local reports 2015–2025; other genres (news, laws) are "
        "out of domain, and very short fragments get low-confidence guesses.",
        "- Word features depend on the tokenizer lexicon; the lexicon hash is stored and a "
        "mismatch is logged on load.", "",
        "## Reproduce", "", "```bash", "python models/build.py            # this directory",
        "python -c \"from rolnlp.classification.evaluation import compare; "
        "print(compare('corpus/labels/labels.jsonl')[0])\"", "```", ""]
    return "\n".join(lines)


def limits_text(r):
    """Name the weakest classes and the largest confusions, from this build's numbers."""
    labels = r["confusion"]["labels"]
    mat = np.array(r["confusion"]["matrix"])
    off = [(mat[i, j], labels[i], labels[j]) for i in range(len(labels))
           for j in range(len(labels)) if i != j and mat[i, j] > 0]
    top = sorted(off, key=lambda t: (-t[0], t[1], t[2]))[:4]
    weakest = sorted(r["per_class"].items(), key=lambda kv: kv[1]["f1"])[:3]
    missed = [n for n, v, goal in (("macro-F1", r["macro_f1"], 0.85),
                                    ("accuracy", r["accuracy"], 0.90)) if v < goal]
    head = (f"{' and '.join(missed)} below target. " if missed else "")
    head = head[:1].upper() + head[1:]
    rows = {c["name"]: c for c in r["comparison"]}
    shape = rows.get("union+svm +shape")
    if shape and BASELINE in rows:
        b = rows[BASELINE]
        head += (f"The layout-cue block lifts accuracy ({b['accuracy']:.3f} → "
                 f"{shape['accuracy']:.3f}, mostly `other` recall) but lowers macro-F1 "
                 f"({b['macro_f1']:.3f} → {shape['macro_f1']:.3f}), so it is not chosen. ")
    return (head + "Weakest classes by F1: "
            + ", ".join(f"`{k}` {v['f1']:.2f} (recall {v['recall']:.2f})" for k, v in weakest)
            + ". Largest confusions (true → predicted): "
            + ", ".join(f"`{a}` → `{b}` {n}" for n, a, b in top)
            + ". `other` (openings, preambles naming areas, residue) is the biggest class and "
            "its label often depends on where a paragraph stands (rule 11: the same "
            "'2022年，某局坚持…' summary is `other` before the first numbered heading and "
            "`leadership` under 一、), which a pasted paragraph does not show; news headlines "
            "naming an area are `other` by rule 12. Several classes have under 80 examples, "
            "and the boundary rules are judgement calls even for coders: two independent "
            "passes agree on 93% of units (corpus/README.md), the practical ceiling.")


if __name__ == "__main__":
    sys.exit(main())
