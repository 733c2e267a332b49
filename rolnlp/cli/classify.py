"""``rolnlp classify``: label every paragraph of a report (or a directory of reports)."""
from __future__ import annotations

import logging
import os

from ._common import CLIError, add_format_option, add_quiet_option, render_rows

HELP = "classify the paragraphs of reports into codebook categories"
EPILOG = """examples:
  rolnlp classify corpus/reports/000_5c5bdc2152d9c680.txt
  rolnlp classify corpus/reports --format csv > labels.csv
  rolnlp classify report.txt --level item --model models/my-model --format json
"""
SUFFIXES = (".txt", ".html", ".htm")
TABLE_COLUMNS = ["report_id", "index", "section", "label", "confidence", "text"]


def add_parser(sub):
    p = sub.add_parser("classify", help=HELP, description=HELP.capitalize() + ".",
                       epilog=EPILOG)
    p.add_argument("path", metavar="FILE|DIR", help="a report file, or a directory of reports")
    p.add_argument("--model", metavar="DIR",
                   help="model directory (default: $ROLNLP_MODEL or the shipped model)")
    p.add_argument("--level", choices=("paragraph", "item"), default="paragraph",
                   help="classify paragraphs, or the 一是…二是… items within them")
    p.add_argument("--threshold", type=float,
                   help="probability a code needs to be listed in 'labels' (default: the model's)")
    add_format_option(p)
    add_quiet_option(p)
    return p


def _files(path):
    if os.path.isdir(path):
        files = sorted(os.path.join(path, f) for f in os.listdir(path)
                       if f.lower().endswith(SUFFIXES))
        if not files:
            raise CLIError(f"no .txt/.html reports in directory {path}")
        return files
    if not os.path.exists(path):
        raise CLIError(f"no such file or directory: {path}")
    return [path]


def run(args):
    from tqdm.auto import tqdm

    from ..classification.api import classify_report, resolve_model
    from ..errors import ReportError
    from ..reading import read_report

    if args.quiet:
        logging.getLogger("rolnlp").setLevel(logging.ERROR)
    if args.threshold is not None and not 0 <= args.threshold <= 1:
        raise CLIError("--threshold must be within [0, 1]")
    files = _files(args.path)
    model = resolve_model(args.model)
    rows = []
    for f in tqdm(files, desc="classify", disable=args.quiet or len(files) < 2):
        try:
            report = read_report(f)
        except ReportError as e:
            msg = str(e).split(": ", 1)[-1].replace(" (pass encoding=... if you know it)", "")
            raise CLIError(f"cannot read {f}: {msg} (check it with 'rolnlp read {f} "
                           "--encoding ENC', or save it as UTF-8)") from None
        df = classify_report(report, model=model, level=args.level,
                             threshold=args.threshold)
        rows.extend(df.to_dict("records"))
    if args.format == "table":
        render_rows(rows, TABLE_COLUMNS, "table")
        return 0
    columns = list(rows[0]) if rows else TABLE_COLUMNS
    if args.format == "csv":
        for r in rows:
            r["labels"] = ";".join(r["labels"])
    else:
        for r in rows:
            for k, v in r.items():
                if hasattr(v, "item"):  # numpy scalars are not JSON-serialisable
                    r[k] = v.item()
                elif isinstance(v, float) and v != v:
                    r[k] = None
    render_rows(rows, columns, args.format)
    return 0
