"""``rolnlp train``: train a paragraph classifier on labelled data and save it."""
from __future__ import annotations

import logging

from ._common import CLIError, add_quiet_option

HELP = "train a paragraph classifier from labelled paragraphs"
EPILOG = """examples:
  rolnlp train corpus/labels/labels.jsonl --out models/my-model
  rolnlp train my_labels.csv --out models/custom --features char --model logreg --seed 1

LABELS is JSONL, JSON, CSV or TSV with a 'text' column and a 'primary' (or
'label') column; codes outside the codebook are kept as custom categories.
"""


def add_parser(sub):
    p = sub.add_parser("train", help=HELP, description=HELP.capitalize() + ".", epilog=EPILOG)
    p.add_argument("labels", metavar="LABELS", help="labelled data file")
    p.add_argument("--out", required=True, metavar="DIR", help="directory to save the model to")
    p.add_argument("--features", choices=("word", "char", "union"), default="union",
                   help="feature set (default: union)")
    p.add_argument("--model", choices=("logreg", "svm"), default="svm",
                   help="linear model (default: svm)")
    p.add_argument("--C", type=float, default=1.0, help="inverse regularisation (default: 1.0)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    add_quiet_option(p)
    return p


def run(args):
    from ..classification.api import train

    if args.quiet:
        logging.getLogger("rolnlp").setLevel(logging.ERROR)
    if args.C <= 0:
        raise CLIError("--C must be positive")
    from ..errors import RolnlpError

    try:
        clf = train(args.labels, features=args.features, model=args.model, C=args.C,
                    random_state=args.seed, progress=not args.quiet)
    except (RolnlpError, FileNotFoundError):
        raise
    except ValueError as e:  # the estimator rejects data too small to fit or calibrate
        raise CLIError(f"cannot train on {args.labels}: {e} (give every category a few "
                       "more examples, or try --model logreg)") from None
    path = clf.save(args.out, metadata={"name": str(args.out)})
    if not args.quiet:
        print(f"saved {len(clf.classes_)}-class model to {path}")
    return 0
