"""Rebuild the shipped paragraph classifier ``rolnlp/models/rol-paragraph-v1``.

Steps (all seeded, so a rebuild on the same labels gives the same files):

1. compare a few text-model configurations (and the keyword baseline) by
   5-fold cross-validation grouped by source report; bootstrap 95 % intervals
   resample whole reports; a challenger replaces the previous configuration
   only when its paired macro-F1 gain interval lies above zero;
2. score the chosen text model again with folds grouped by place (the most
   specific place name of ``region``; units without one grouped by report);
3. fit context stages (text-model out-of-fold scores + section + unit kind
   [+ length]) on the same folds; the best ships only if its macro-F1 lies
   above text-only's 95 % interval;
4. a learning curve on 25/50/75/100 % of each training fold's reports;
5. choose the ``labels`` threshold on the out-of-fold probabilities;
6. fit the chosen text model (and stage) on all labelled data and save them
   (safe format) with ``metrics.json`` and the model card ``README.md``.

Usage::

    python models/build.py [--labels corpus/labels/labels.jsonl] [--out rolnlp/models/rol-paragraph-v1]
                           [--seed 0] [--folds 5] [--weak]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import logging
import math
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rolnlp._io import atomic_write  # noqa: E402
from rolnlp.classification.context import BLOCKS, ContextStage  # noqa: E402
from rolnlp.classification.data import load_labelled  # noqa: E402
from rolnlp.classification.estimator import ParagraphClassifier  # noqa: E402
from rolnlp.classification.evaluation import (bootstrap_ci, choose_threshold,  # noqa: E402
                                              expected_calibration_error, grouped_cv_proba,
                                              grouped_folds, metrics, region_groups,
                                              top_k_accuracy)
from rolnlp.classification.keywords import KeywordClassifier  # noqa: E402
from rolnlp.codebook import CATEGORY_CODES, CODEBOOK_VERSION, category_name  # noqa: E402

log = logging.getLogger("build")
NAME = "rol-paragraph-v1"

SVM = {"features": "union", "model": "svm"}
# the previous shipped configuration and its nearest rival on the 1,218-unit
# set; word-only, char-only, class-weight, layout-cue and 2–4-gram variants
# never came within 0.01 macro-F1, and logistic regression (C=10) scored below
# the SVM while taking about ten times as long to fit, so they are no longer run
CANDIDATES = [
    ("union+svm C=0.5", {**SVM, "C": 0.5}),
    ("union+svm C=1", {**SVM, "C": 1.0}),
]
BASELINE = "union+svm C=0.5"  # the configuration shipped before this comparison
STAGES = [
    ("scores only (recalibration)", ("scores",)),
    ("scores+section+kind", ("scores", "section", "kind")),
    ("scores+section+kind+length", BLOCKS),
]
STAGE_C = 1.0
MIN_EXTRA = 0.005  # macro-F1 a stage with more blocks must add to be preferred
FRACTIONS = (0.25, 0.5, 0.75, 1.0)
N_BOOT = 1000


def sha256_file(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _blank(v):
    return v is None or (isinstance(v, float) and math.isnan(v)) or v == ""


def evaluate_oof(y, classes, proba, groups, seed):
    """Every figure the card quotes for one set of out-of-fold probabilities."""
    pred = classes[proba.argmax(axis=1)]
    m = metrics(y, pred, labels=list(classes))
    ci = bootstrap_ci(y, {"m": pred}, groups, n_boot=N_BOOT, random_state=seed)["m"]
    return {
        "macro_f1": m["macro_f1"], "accuracy": m["accuracy"],
        "macro_f1_ci": ci["macro_f1"], "accuracy_ci": ci["accuracy"],
        "top2_accuracy": top_k_accuracy(y, classes, proba, 2),
        "ece": expected_calibration_error(y, classes, proba),
        "per_class": {k: {"precision": round(float(r["precision"]), 4),
                          "recall": round(float(r["recall"]), 4), "f1": round(float(r["f1"]), 4),
                          "support": int(r["support"])} for k, r in m["per_class"].iterrows()},
        "confusion": {"labels": list(m["confusion"].index),
                      "matrix": m["confusion"].values.tolist()},
        "n_groups": int(len(set(groups))),
    }


def stage_oof(proba, contexts, y, classes, texts, folds, blocks, seed):
    """Out-of-fold probabilities of a context stage trained on out-of-fold text scores."""
    out = np.zeros_like(proba)
    for tr, te in folds:
        st = ContextStage(C=STAGE_C, blocks=blocks, random_state=seed).fit(
            proba[tr], [contexts[i] for i in tr], y[tr], classes, [texts[i] for i in tr])
        out[te] = st.predict_proba(proba[te], [contexts[i] for i in te], [texts[i] for i in te])
    return out


def learning_curve(make, texts, y, groups, folds, classes_all, seed):
    rows = []
    for frac in FRACTIONS:
        def subset(tr, f, frac=frac):
            if frac >= 1.0:
                return tr
            rng = np.random.default_rng([seed, f, int(frac * 100)])
            gs = np.unique(groups[tr])
            keep = set(rng.permutation(gs)[:max(1, math.ceil(frac * len(gs)))].tolist())
            return np.array([i for i in tr if groups[i] in keep])
        n_train = [len(subset(tr, f)) for f, (tr, _) in enumerate(folds)]
        classes, proba = grouped_cv_proba(make, texts, y, folds, train_subset=subset)
        pred = classes[proba.argmax(axis=1)]
        m = metrics(y, pred, labels=list(classes_all))
        ci = bootstrap_ci(y, {"m": pred}, groups, n_boot=N_BOOT, random_state=seed)["m"]
        rows.append({"fraction": frac, "mean_train_units": float(np.mean(n_train)),
                     "macro_f1": m["macro_f1"], "accuracy": m["accuracy"],
                     "macro_f1_ci": ci["macro_f1"], "accuracy_ci": ci["accuracy"]})
        log.info("learning curve %.0f%%: macro-F1 %.3f", 100 * frac, m["macro_f1"])
    return rows


def second_pass_agreement(labels_path):
    """Accuracy and kappa of the primary code between the two labelling passes (v2 units)."""
    from sklearn.metrics import accuracy_score, cohen_kappa_score

    path = Path(labels_path).with_name("second_pass_v2.jsonl")
    if not path.is_file():
        return None
    first = {}
    with open(labels_path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                row = json.loads(line)
                first[row.get("uid")] = row.get("primary")
    with open(path, encoding="utf-8") as f:
        second = [json.loads(line) for line in f if line.strip()]
    pairs = [(first[r["uid"]], r["primary"]) for r in second if r.get("uid") in first]
    if not pairs:
        return None
    a, b = [p for p, _ in pairs], [q for _, q in pairs]
    return {"n": len(pairs), "accuracy": accuracy_score(a, b), "kappa": cohen_kappa_score(a, b)}


def main(argv=None):
    import pandas as pd

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--labels", default=str(ROOT / "corpus/labels/labels.jsonl"))
    ap.add_argument("--chunks", default=str(ROOT / "corpus/chunks/chunks.jsonl"))
    ap.add_argument("--out", default=str(ROOT / "rolnlp" / "models" / NAME))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--weak", action="store_true",
                    help="also run the heading weak-label experiment (slow)")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    t0 = time.time()
    seed = args.seed

    raw = pd.read_json(args.labels, lines=True, dtype=False)
    df = load_labelled(raw)
    if len(df) != len(raw):
        raise SystemExit("labels file has rows without text or label: fix it first")
    texts, y = df["text"].tolist(), df["label"].to_numpy().astype(str)
    g_report = df["group"].to_numpy()
    g_place = region_groups(raw["region"].tolist() if "region" in raw else [None] * len(raw),
                            g_report)
    col = (lambda c: raw[c].tolist() if c in raw else [None] * len(raw))
    contexts = [{"section": None if _blank(s) else s, "kind": None if _blank(k) else k}
                for s, k in zip(col("section"), col("unit_kind"))]
    log.info("%d labelled units, %d report groups, %d place groups", len(df),
             len(set(g_report)), len(set(g_place)))
    folds_r = grouped_folds(y, g_report, args.folds, seed)
    folds_p = grouped_folds(y, g_place, args.folds, seed)
    cv_r = f"StratifiedGroupKFold({len(folds_r)}) by source report, seed {seed}"
    cv_p = (f"StratifiedGroupKFold({len(folds_p)}) by place (most specific place name of "
            f"`region`; units without one by report), seed {seed}")

    # 1. text-model candidates, by report
    params_by_name = dict(CANDIDATES)
    oof, rows = {}, []
    for name, params in CANDIDATES:
        t = time.time()
        oof[name] = grouped_cv_proba(
            lambda p=params: ParagraphClassifier(**p, random_state=seed), texts, y, folds_r)
        log.info("%s: %.0f s", name, time.time() - t)
    oof["keywords"] = grouped_cv_proba(KeywordClassifier, texts, y, folds_r)
    preds = {n: c[p.argmax(axis=1)] for n, (c, p) in oof.items()}
    order = [BASELINE] + [n for n in preds if n != BASELINE]
    ci = bootstrap_ci(y, {n: preds[n] for n in order}, g_report, n_boot=N_BOOT,
                      random_state=seed)
    for name in order:
        m = metrics(y, preds[name])
        fold_f1 = [metrics(y[te], preds[name][te])["macro_f1"] for _, te in folds_r]
        rows.append({"name": name, "macro_f1": m["macro_f1"], "accuracy": m["accuracy"],
                     "macro_f1_ci": ci[name]["macro_f1"], "accuracy_ci": ci[name]["accuracy"],
                     "diff_vs_baseline_ci": ci["diff"].get(name, {}).get("macro_f1"),
                     "fold_macro_f1_mean": float(np.mean(fold_f1)),
                     "fold_macro_f1_std": float(np.std(fold_f1))})
    rows.sort(key=lambda r: -r["macro_f1"])
    best_name = BASELINE
    for r in rows:  # best first: the first whose paired gain interval is above zero
        if (r["name"] in params_by_name and r["name"] != BASELINE
                and r["diff_vs_baseline_ci"] and r["diff_vs_baseline_ci"][0] > 0):
            best_name = r["name"]
            break
    best_params = params_by_name[best_name]
    log.info("%s\nchosen: %s", pd.DataFrame(rows).to_string(index=False), best_name)
    classes, proba = oof[best_name]
    text_r = evaluate_oof(y, classes, proba, g_report, seed)

    # 2. the chosen text model by place
    make = (lambda: ParagraphClassifier(**best_params, random_state=seed))
    _, proba_p = grouped_cv_proba(make, texts, y, folds_p)
    text_p = evaluate_oof(y, classes, proba_p, g_place, seed)
    log.info("by place: macro-F1 %.3f", text_p["macro_f1"])

    # 3. context stages on the text model's out-of-fold scores, same folds
    stage_rows, stage_oofs = [], {}
    for sname, blocks in STAGES:
        st_r = stage_oof(proba, contexts, y, classes, texts, folds_r, blocks, seed)
        st_p = stage_oof(proba_p, contexts, y, classes, texts, folds_p, blocks, seed)
        stage_oofs[sname] = (st_r, st_p)
        pr_r, pr_p = classes[st_r.argmax(axis=1)], classes[st_p.argmax(axis=1)]
        d_r = bootstrap_ci(y, {"text": classes[proba.argmax(axis=1)], "stage": pr_r}, g_report,
                           n_boot=N_BOOT, random_state=seed)
        d_p = bootstrap_ci(y, {"text": classes[proba_p.argmax(axis=1)], "stage": pr_p}, g_place,
                           n_boot=N_BOOT, random_state=seed)
        stage_rows.append({
            "name": sname, "blocks": list(blocks),
            "by_report": {"macro_f1": metrics(y, pr_r)["macro_f1"],
                          "accuracy": metrics(y, pr_r)["accuracy"],
                          "macro_f1_ci": d_r["stage"]["macro_f1"],
                          "accuracy_ci": d_r["stage"]["accuracy"],
                          "gain_ci": d_r["diff"]["stage"]},
            "by_place": {"macro_f1": metrics(y, pr_p)["macro_f1"],
                         "accuracy": metrics(y, pr_p)["accuracy"],
                         "macro_f1_ci": d_p["stage"]["macro_f1"],
                         "accuracy_ci": d_p["stage"]["accuracy"],
                         "gain_ci": d_p["diff"]["stage"]}})
        log.info("stage %s: macro-F1 %.3f (by place %.3f)", sname,
                 stage_rows[-1]["by_report"]["macro_f1"], stage_rows[-1]["by_place"]["macro_f1"])
    ctx_rows = [r for r in stage_rows if r["blocks"] != ["scores"]]
    # a richer stage must earn its cost: the length block normalises every text
    # a second time at prediction, so it stays only for MIN_EXTRA macro-F1 more
    best_stage = ctx_rows[0]
    for r in ctx_rows[1:]:
        if r["by_report"]["macro_f1"] >= best_stage["by_report"]["macro_f1"] + MIN_EXTRA:
            best_stage = r
    ship_stage = (best_stage["by_report"]["macro_f1"] > text_r["macro_f1_ci"][1]
                  and best_stage["by_place"]["macro_f1"] > text_p["macro_f1_ci"][1])
    st_r, st_p = stage_oofs[best_stage["name"]]
    context = {"stages": stage_rows, "best": best_stage["name"], "shipped": ship_stage,
               "C": STAGE_C,
               "by_report": evaluate_oof(y, classes, st_r, g_report, seed),
               "by_place": evaluate_oof(y, classes, st_p, g_place, seed),
               "rule": "the simpler context stage is preferred unless a richer one adds "
                       f"{MIN_EXTRA} macro-F1 by report; it is shipped only if its macro-F1 lies "
                       "above the text model's 95 % interval, by report and by place"}
    log.info("context stage %s shipped: %s", best_stage["name"], ship_stage)

    # 4. learning curve (by report, same folds)
    curve = learning_curve(make, texts, y, g_report, folds_r, classes, seed)

    # 5. threshold
    threshold, set_f1, tcurve = choose_threshold(classes, proba, list(y),
                                                 df["secondary"].tolist())
    log.info("threshold %.2f (set micro-F1 %.3f)", threshold, set_f1)

    weak = None
    if args.weak:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from weak_labels import weak_label_experiment
        weak = weak_label_experiment(df, args.chunks, params=best_params, n_splits=args.folds,
                                     random_state=seed)

    # 6. the shipped model
    clf = ParagraphClassifier(**best_params, random_state=seed).fit(texts, y)
    training_data = {
        "file": Path(args.labels).name, "sha256": sha256_file(args.labels), "n": len(df),
        "n_reports": int(len(set(g_report))), "n_places": int(len(set(g_place))),
        "label_counts": {k: int(v) for k, v in df["label"].value_counts().sort_index().items()}}
    summary = {"cv": cv_r, "macro_f1": round(text_r["macro_f1"], 4),
               "accuracy": round(text_r["accuracy"], 4)}
    meta = {"name": NAME, "threshold": threshold, "training_data": training_data,
            "metrics": summary, "chosen": best_name,
            "context_stage": best_stage["name"] if ship_stage else None}
    portable = clf.export(meta)
    if ship_stage:
        portable.context_stage = ContextStage(
            C=STAGE_C, blocks=tuple(best_stage["blocks"]), random_state=seed).fit(
            proba, contexts, y, classes, texts)
    out = Path(args.out)
    portable.save(out)

    report = {
        "model": NAME, "codebook_version": CODEBOOK_VERSION, "chosen": best_name,
        "params": {k: (list(v) if isinstance(v, tuple) else v)
                   for k, v in clf.get_params().items()},
        "training_data": training_data,
        "cv": cv_r, "cv_place": cv_p, "n_boot": N_BOOT,
        "macro_f1": text_r["macro_f1"], "accuracy": text_r["accuracy"],
        "by_report": text_r, "by_place": text_p,
        "per_class": text_r["per_class"], "confusion": text_r["confusion"],
        "comparison": rows, "baseline": BASELINE,
        "context": context,
        "learning_curve": curve,
        "threshold": {"value": threshold, "set_micro_f1": set_f1, "curve": tcurve},
        "keyword_baseline": {"macro_f1": metrics(y, preds["keywords"])["macro_f1"],
                             "accuracy": metrics(y, preds["keywords"])["accuracy"]},
        "weak_labels": weak,
        "targets": {"accuracy": 0.90, "macro_f1": 0.88, "class_f1": 0.75},
        "second_pass": second_pass_agreement(args.labels),
    }
    report = json.loads(json.dumps(report, default=_jsonable))
    with atomic_write(out / "metrics.json") as f:
        f.write(json.dumps(report, ensure_ascii=False, indent=1) + "\n")
    with atomic_write(out / "README.md") as f:
        f.write(model_card(report, out))
    log.info("built %s in %.0f s", out, time.time() - t0)
    return 0


def _jsonable(v):
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return float(v)
    if isinstance(v, np.ndarray):
        return v.tolist()
    raise TypeError(type(v).__name__)


def _ci(v):
    return f"[{v[0]:.3f}, {v[1]:.3f}]"


def _fig(b):
    return (f"macro-F1 {b['macro_f1']:.3f} {_ci(b['macro_f1_ci'])}, accuracy "
            f"{b['accuracy']:.3f} {_ci(b['accuracy_ci'])}")


def model_card(r, out):
    size = sum(p.stat().st_size for p in Path(out).rglob("arrays-*.npz"))
    br, bp, ctx, tg = r["by_report"], r["by_place"], r["context"], r["targets"]
    lines = [
        f"# {r['model']}: paragraph classifier for rule-of-law government reports", "",
        f"Classifies one report paragraph into the {len(r['per_class'])} categories of the "
        f"rolnlp codebook v{r['codebook_version']} (`rolnlp.codebook.CATEGORY_CODES`).", "",
        "```python", "import rolnlp", "p = rolnlp.classify(\"依法办理行政复议案件，纠正违法行政行为\")",
        "p.label, p.labels, p.evidence",
        "rolnlp.classify(\"现将有关情况报告如下\", context={\"section\": \"preamble\", "
        "\"kind\": \"paragraph\"})", "```", "",
        "## Model", "",
        f"- Text model: **{r['chosen']}** — `ParagraphClassifier("
        + ", ".join(f"{k}={v!r}" for k, v in r["params"].items()) + ")`.",
        "- Features: TF-IDF (sublinear tf, L2 per block) over words of the rule-of-law "
        "tokenizer (uni+bigrams) and character 1–3-grams within runs of CJK characters "
        "and digits, computed on `normalize_text` output (cleaned, simplified script).",
        "- Probabilities: softmax for logistic regression; per-class Platt sigmoid fitted on "
        "3-fold out-of-fold decision values for the SVM, renormalised to sum to 1.",
        "- Context stage: " + (
            f"**shipped** (`{ctx['best']}`, in `context/`): a multinomial logistic "
            f"regression (C={ctx['C']:g}) over the log text-model probabilities, the unit's "
            "section and kind, fitted on out-of-fold text-model scores. `classify_report` "
            "uses it for every unit; `classify(text)` stays text-only unless `context=` is "
            "given." if ctx["shipped"] else
            "**not shipped**: no context stage beat the text model outside its 95 % "
            "interval (see below), so `classify_report` and `classify(text, context=…)` "
            "classify by text alone with this model."),
        f"- Stored without pickle: `model.json` + `{size / 1e6:.1f} MB` numpy arrays "
        "(vocabularies, idf, coefficients, calibration, 8-byte hashes of the training texts), "
        "SHA-256 checked and size-bounded on load; inference needs numpy, scipy.sparse and "
        "the tokenizer only.",
        f"- Default `labels` threshold: **{r['threshold']['value']:.2f}** — the value that "
        "maximises micro-F1 between {top class ∪ classes ≥ threshold} and the hand-coded "
        f"{{primary ∪ secondary}} on out-of-fold probabilities (set micro-F1 "
        f"{r['threshold']['set_micro_f1']:.3f}).",
        "- Empty or whitespace-only input is labelled `other` with probability 1.", "",
        "## Training data", "",
        f"`corpus/labels/{r['training_data']['file']}`: {r['training_data']['n']} hand-coded "
        f"units from {r['training_data']['n_reports']} reports and "
        f"{r['training_data']['n_places']} places (SHA-256 "
        f"`{r['training_data']['sha256'][:16]}…`), labelled against codebook "
        f"v{r['codebook_version']}; how they were gathered and checked is in "
        "`corpus/README.md`.", "",
        "| code | units |", "|---|---|",
        *[f"| `{k}` | {v} |" for k, v in r["training_data"]["label_counts"].items()], "",
        "## Evaluation", "",
        f"Two cross-validations on the same data: **by report** ({r['cv']}: every unit of a "
        "report in the same fold) and **by place** "
        f"({r['cv_place']}: no place in both training and test folds). Intervals are "
        f"bootstrap 95 % ({r['n_boot']} draws of whole reports, or whole places). Model "
        "choice used the by-report CV only; there is no separate test set. Only a "
        "difference outside the interval counts as a gain.", "",
        "| text model | by report | by place |", "|---|---|---|",
        f"| macro-F1 | {br['macro_f1']:.3f} {_ci(br['macro_f1_ci'])} | "
        f"{bp['macro_f1']:.3f} {_ci(bp['macro_f1_ci'])} |",
        f"| accuracy | {br['accuracy']:.3f} {_ci(br['accuracy_ci'])} | "
        f"{bp['accuracy']:.3f} {_ci(bp['accuracy_ci'])} |",
        f"| top-2 accuracy | {br['top2_accuracy']:.3f} | {bp['top2_accuracy']:.3f} |",
        f"| expected calibration error (15 bins) | {br['ece']:.3f} | {bp['ece']:.3f} |",
        f"| groups | {br['n_groups']} reports | {bp['n_groups']} places |", "",
        f"Keyword baseline (codebook cues), by report: macro-F1 "
        f"{r['keyword_baseline']['macro_f1']:.3f}, accuracy "
        f"{r['keyword_baseline']['accuracy']:.3f}.", "",
        "**Targets** (text from reports the model never saw): " + targets_text(r), "",
        "### Text-model candidates (by report)", "",
        "| candidate | macro-F1 [95 %] | accuracy [95 %] | gain over "
        f"`{r['baseline']}` [95 %] | fold macro-F1 (mean ± sd) |", "|---|---|---|---|---|",
        *[f"| {c['name']} | {c['macro_f1']:.3f} {_ci(c['macro_f1_ci'])} | {c['accuracy']:.3f} "
          f"{_ci(c['accuracy_ci'])} | "
          + (_ci(c['diff_vs_baseline_ci']) if c.get("diff_vs_baseline_ci") else "–")
          + f" | {c['fold_macro_f1_mean']:.3f} ± {c['fold_macro_f1_std']:.3f} |"
          for c in r["comparison"]], "",
        f"`{r['baseline']}` (the previous configuration) stays unless a challenger's paired "
        "macro-F1 gain interval lies above zero.", "",
        "### Per class (text model)", "",
        "| code | name | P | R | F1 (by report) | F1 (by place) | support |",
        "|---|---|---|---|---|---|---|",
    ]
    for k, v in r["per_class"].items():
        name = category_name(k) if k in CATEGORY_CODES else k
        lines.append(f"| `{k}` | {name} | {v['precision']:.3f} | {v['recall']:.3f} | "
                     f"{v['f1']:.3f} | {bp['per_class'][k]['f1']:.3f} | {v['support']} |")
    labels = r["confusion"]["labels"]
    lines += ["", "### Confusion matrix (text model, by report; rows: true, columns: predicted)",
              "", "| true \\ pred | " + " | ".join(labels) + " |",
              "|---" * (len(labels) + 1) + "|"]
    for k, row in zip(labels, r["confusion"]["matrix"]):
        lines.append(f"| `{k}` | " + " | ".join(str(v) for v in row) + " |")
    lines += [
        "", "## Context stage", "",
        "The labels carry each unit's `section` (preamble, achievements, shortcomings, plans, "
        "other) and, for the units added in the second labelling round, its `unit_kind` "
        "(paragraph, sentence, heading, title, table row; sentence and table row count as "
        "paragraph, as `item` does in a report); units without one leave that block at zero. "
        "The heading path and the position in the report are not in the labels, so the "
        "stage does not use them (the preamble section is what lies before the first "
        "heading). Each stage is trained on the text model's out-of-fold scores of the "
        "training folds and scored on the test fold (the scores of training rows come "
        "from text models that saw the test fold's labels, a mild optimism shared by all "
        "rows). A `scores only` stage (recalibration without context) separates the gain "
        "of context from that of re-fitting the scores. In the labels, section and kind "
        "were coded by hand; in `classify_report` they come from the reader's heading "
        "structure, which can differ on untidy pages, so the gain there may be smaller.", "",
        "| stage | by report | gain [95 %] | by place | gain [95 %] |", "|---|---|---|---|---|",
        *[f"| {s['name']} | {_fig(s['by_report'])} | {_ci(s['by_report']['gain_ci']['macro_f1'])} "
          f"| {_fig(s['by_place'])} | {_ci(s['by_place']['gain_ci']['macro_f1'])} |"
          for s in ctx["stages"]], "",
        f"Best context stage: `{ctx['best']}`; top-2 accuracy "
        f"{ctx['by_report']['top2_accuracy']:.3f}, ECE {ctx['by_report']['ece']:.3f} (by "
        f"report). Targets with the context stage: {targets_text(r, ctx['by_report'], ctx['by_place'])} "
        f"Rule: {ctx['rule']}. "
        + ("It met the rule and ships." if ctx["shipped"] else
           "It did not meet the rule, so the model ships text-only."), "",
        "| code | F1 text | F1 with context (by report) |", "|---|---|---|",
        *[f"| `{k}` | {v['f1']:.3f} | {ctx['by_report']['per_class'][k]['f1']:.3f} |"
          for k, v in r["per_class"].items()], "",
        "## Learning curve", "",
        "The same by-report folds, training on 25/50/75/100 % of each training fold's "
        "reports (seeded draw):", "",
        "| share of training reports | mean training units | macro-F1 [95 %] | accuracy [95 %] |",
        "|---|---|---|---|",
        *[f"| {100 * c['fraction']:.0f} % | {c['mean_train_units']:.0f} | {c['macro_f1']:.3f} "
          f"{_ci(c['macro_f1_ci'])} | {c['accuracy']:.3f} {_ci(c['accuracy_ci'])} |"
          for c in r["learning_curve"]], "",
    ]
    w = r.get("weak_labels")
    if w:
        lines += ["## Weak labels from headings", "",
                  f"macro-F1 {w['baseline_macro_f1']:.3f} → {w['weak_macro_f1']:.3f} "
                  f"({w['delta_macro_f1']:+.3f}) when heading-labelled excerpts join the "
                  "training folds; the shipped model uses hand labels only.", ""]
    lines += [
        "## Limits", "",
        f"- {limits_text(r)}",
        "- Trained on paragraphs of local reports 2015–2025; other genres (news, laws) are "
        "out of domain, and very short fragments get low-confidence guesses.",
        "- Word features depend on the tokenizer lexicon; the lexicon hash is stored and a "
        "mismatch is logged on load.", "",
        "## Reproduce", "", "```bash", "python models/build.py            # this directory, "
        "metrics.json and this card", "```", ""]
    return "\n".join(lines)


def targets_text(r, br=None, bp=None):
    tg = r["targets"]
    br, bp = br or r["by_report"], bp or r["by_place"]
    parts = []
    for key, goal, name in (("accuracy", tg["accuracy"], "accuracy"),
                            ("macro_f1", tg["macro_f1"], "macro-F1")):
        lo, hi = br[f"{key}_ci"]
        state = ("met" if lo >= goal else "not met" if hi < goal else
                 "not shown (the target lies inside the interval)")
        parts.append(f"{name} ≥ {goal:.2f}: {state} (by report {br[key]:.3f} "
                     f"{_ci(br[f'{key}_ci'])}, by place {bp[key]:.3f})")
    low = [k for k, v in br["per_class"].items() if v["f1"] < tg["class_f1"]]
    parts.append(f"every category's F1 ≥ {tg['class_f1']:.2f}: "
                 + ("met" if not low else "not met (" + ", ".join(
                     f"`{k}` {br['per_class'][k]['f1']:.3f}" for k in low) + ")"))
    return "; ".join(parts) + "."


def limits_text(r):
    """Name the weakest classes and the largest confusions, from this build's numbers."""
    labels = r["confusion"]["labels"]
    mat = np.array(r["confusion"]["matrix"])
    off = [(mat[i, j], labels[i], labels[j]) for i in range(len(labels))
           for j in range(len(labels)) if i != j and mat[i, j] > 0]
    top = sorted(off, key=lambda t: (-t[0], t[1], t[2]))[:4]
    weakest = sorted(r["per_class"].items(), key=lambda kv: kv[1]["f1"])[:3]
    return ("Weakest classes by F1: "
            + ", ".join(f"`{k}` {v['f1']:.2f} (recall {v['recall']:.2f})" for k, v in weakest)
            + ". Largest confusions (true → predicted): "
            + ", ".join(f"`{a}` → `{b}` {n}" for n, a, b in top)
            + ". `other` (openings, titles, preambles naming areas, residue) is the biggest "
            "class and its label often depends on where a unit stands (rules 11–12), which a "
            "pasted paragraph does not show."
            + (f" The boundary rules are judgement calls even for coders: an independent "
               f"second pass on {sp['n']} new units agrees on {sp['accuracy']:.3f} of them "
               f"(kappa {sp['kappa']:.3f}, `python corpus/labels/agreement.py`)."
               if (sp := r.get("second_pass")) else ""))


if __name__ == "__main__":
    sys.exit(main())
