"""``rolnlp train``: train a paragraph classifier on labelled data and save it.

Without options it trains the configuration of the shipped model, read from
the shipped model's ``metrics.json`` (``params``), so its cross-validated
figures are comparable with the model card.
"""
from __future__ import annotations

import argparse
import functools
import json
from typing import Any

from ._common import CLIError

HELP = "train a paragraph classifier from labelled paragraphs"
EPILOG = """examples:
  rolnlp train corpus/labels/labels.jsonl --out models/my-model
  rolnlp train my_labels.csv --out models/custom --features char --model logreg --seed 1

LABELS is JSONL, JSON, CSV or TSV with a 'text' column and a 'primary' (or
'label') column; codes outside the codebook are kept as custom categories.
The defaults are the shipped model's configuration ({chosen}); the options
override single parts of it.
"""
# used only when the shipped model's metrics cannot be read
_FALLBACK = {"features": "union", "model": "svm", "C": 0.5}
_PASSED_ON = ("class_weight", "min_df", "max_features", "word_ngrams", "char_ngrams",
              "sublinear_tf", "shape_weight", "calibration_folds")


@functools.lru_cache(maxsize=1)
def shipped_config() -> dict[str, Any]:
    """The shipped model's training parameters (``params`` of its ``metrics.json``)."""
    try:
        from ..classification.api import default_model_path

        with open(default_model_path() / "metrics.json", encoding="utf-8") as f:
            params = json.load(f).get("params")
    except (OSError, ValueError, ImportError, AttributeError):
        params = None
    if not isinstance(params, dict):
        return dict(_FALLBACK)
    return {**_FALLBACK, **params}


def _describe(cfg: dict) -> str:
    return f"{cfg['features']} features, {cfg['model']}, C={cfg['C']}"


def add_parser(sub: "argparse._SubParsersAction") -> "argparse.ArgumentParser":
    cfg = shipped_config()
    p = sub.add_parser("train", help=HELP, description=HELP.capitalize() + ".",
                       epilog=EPILOG.format(chosen=_describe(cfg)))
    p.add_argument("labels", metavar="LABELS", help="labelled data file")
    p.add_argument("--out", required=True, metavar="DIR", help="directory to save the model to")
    p.add_argument("--features", choices=("word", "char", "union"), default=cfg["features"],
                   help=f"feature set (default: {cfg['features']}, as the shipped model)")
    p.add_argument("--model", choices=("logreg", "svm"), default=cfg["model"],
                   help=f"linear model (default: {cfg['model']}, as the shipped model)")
    p.add_argument("--C", type=float, default=float(cfg["C"]),
                   help=f"inverse regularisation (default: {cfg['C']}, as the shipped model)")
    p.add_argument("--seed", type=int, default=int(cfg.get("random_state", 0) or 0),
                   help="random seed (default: 0)")
    return p


def run(args: "argparse.Namespace") -> int:
    from ..classification.api import train

    if args.C <= 0:
        raise CLIError("--C must be positive")
    from ..errors import RolnlpError

    extra = {k: v for k, v in shipped_config().items() if k in _PASSED_ON}
    for k in ("word_ngrams", "char_ngrams"):
        if isinstance(extra.get(k), list):
            extra[k] = tuple(extra[k])
    try:
        clf = train(args.labels, features=args.features, model=args.model, C=args.C,
                    random_state=args.seed, progress=not args.quiet, **extra)
    except (RolnlpError, FileNotFoundError):
        raise
    except ValueError as e:  # the estimator rejects data too small to fit or calibrate
        raise CLIError(f"cannot train on {args.labels}: {e} (give every category a few "
                       "more examples, or try --model logreg)") from None
    path = clf.save(args.out, metadata={"name": str(args.out)})
    if not args.quiet:
        print(f"saved {len(clf.classes_)}-class model to {path}")
    return 0
