"""``rolnlp evaluate``: score a model on labelled paragraphs."""
from __future__ import annotations

import argparse

from ._common import CLIError, add_format_option, add_model_option, print_json, render_rows

HELP = "score a model on labelled paragraphs (accuracy, macro-F1, per class)"
EPILOG = """examples:
  rolnlp evaluate my_labels.jsonl
  rolnlp evaluate my_labels.csv --model models/my-model --format json

--format json prints one document with the overall scores, the per-class
table and the confusion matrix; table, csv and jsonl print the per-class rows.
"""


def add_parser(sub: "argparse._SubParsersAction") -> "argparse.ArgumentParser":
    p = sub.add_parser("evaluate", help=HELP, description=HELP.capitalize() + ".",
                       epilog=EPILOG)
    p.add_argument("labels", metavar="LABELS", help="labelled data file (text + primary/label)")
    add_model_option(p)
    add_format_option(p)
    return p


def run(args: "argparse.Namespace") -> int:
    from ..classification.api import resolve_model
    from ..classification.data import load_labelled
    from ..classification.evaluation import evaluate

    model = resolve_model(args.model)
    data = load_labelled(args.labels, min_classes=1)
    classes = [str(c) for c in model.classes_]
    unknown = sorted(set(data["label"]) - set(classes))
    if unknown:  # scoring codes the model can never predict would only hide a typo
        import difflib

        near = {u: difflib.get_close_matches(u, classes, n=1) for u in unknown}
        hints = [f"{u} (did you mean {m[0]}?)" if m else u for u, m in near.items()]
        raise CLIError(f"unknown label code(s) in {args.labels}: {', '.join(hints)}; "
                       f"the model knows {', '.join(classes)} (fix the codes, or train a "
                       "model on them with 'rolnlp train' and pass it with --model)")
    res = evaluate(data, model=model)
    per = res["per_class"].reset_index()
    rows = [{"label": r["label"], "precision": float(r["precision"]), "recall": float(r["recall"]),
             "f1": float(r["f1"]), "support": int(r["support"])} for _, r in per.iterrows()]
    if args.format == "json":
        print_json({"n": res["n"], "accuracy": res["accuracy"], "macro_f1": res["macro_f1"],
                    "per_class": rows, "unknown_labels": res["unknown_labels"],
                    "confusion": {"labels": list(res["confusion"].index),
                                  "matrix": res["confusion"].values.tolist()}})
        return 0
    render_rows(rows, ["label", "precision", "recall", "f1", "support"], args.format)
    if args.format == "table":
        print(f"\n{res['n']} paragraphs  accuracy {res['accuracy']:.3f}  "
              f"macro-F1 {res['macro_f1']:.3f}")
    return 0
