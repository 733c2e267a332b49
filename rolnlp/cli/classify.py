"""``rolnlp classify``: label every paragraph of a report (or a directory of reports)."""
from __future__ import annotations

import argparse
import os

from ._common import CLIError, add_format_option, add_model_option, render_rows

HELP = "classify the paragraphs of reports into codebook categories"
EPILOG = """examples:
  rolnlp classify corpus/reports/000_5c5bdc2152d9c680.txt
  rolnlp classify corpus/reports --format csv > labels.csv
  rolnlp classify report.txt --level item --model models/my-model --format jsonl

A directory is searched recursively, exactly as 'rolnlp analyze' does;
unreadable files are skipped with a warning.
"""
TABLE_COLUMNS = ["report_id", "index", "section", "label", "confidence", "text"]


def add_parser(sub: "argparse._SubParsersAction") -> "argparse.ArgumentParser":
    p = sub.add_parser("classify", help=HELP, description=HELP.capitalize() + ".",
                       epilog=EPILOG)
    p.add_argument("path", metavar="FILE|DIR", help="a report file, or a directory of reports")
    add_model_option(p)
    p.add_argument("--level", choices=("paragraph", "item"), default="paragraph",
                   help="classify paragraphs, or the 一是…二是… items within them")
    p.add_argument("--threshold", type=float,
                   help="probability a code needs to be listed in 'labels' (default: the model's)")
    add_format_option(p)
    return p


def _reports(path):
    """Reports of a file, or of a directory through the same finder as ``analyze``."""
    from ..analysis.outputs import safe_text
    from ..corpus import read_corpus
    from ..errors import ReportError
    from ..reading import read_report

    if os.path.isdir(path):
        corpus = read_corpus(path, progress=False)
        if not len(corpus):
            found = f"{len(corpus.errors)} unreadable" if corpus.errors else "no"
            raise CLIError(f"{found} reports in directory {path}")
        return list(corpus.reports)
    if not os.path.exists(path):
        raise CLIError(f"no such file or directory: {path}")
    try:
        return [read_report(os.path.abspath(path))]
    except ReportError as e:
        msg = str(e).split(": ", 1)[-1].replace(" (pass encoding=... if you know it)", "")
        shown = safe_text(path)
        raise CLIError(f"cannot read {shown}: {msg} (check it with 'rolnlp read {shown} "
                       "--encoding ENC', or save it as UTF-8)") from None


def run(args: "argparse.Namespace") -> int:
    from tqdm.auto import tqdm

    from ..analysis.outputs import with_safe_ids
    from ..classification.api import classify_report, resolve_model

    if args.threshold is not None and not 0 <= args.threshold <= 1:
        raise CLIError("--threshold must be within [0, 1]")
    reports = with_safe_ids(_reports(args.path))
    model = resolve_model(args.model)
    rows = []
    for report in tqdm(reports, desc="classify", disable=args.quiet or len(reports) < 2):
        df = classify_report(report, model=model, level=args.level,
                             threshold=args.threshold)
        rows.extend(df.to_dict("records"))
    if args.format in ("json", "jsonl"):
        for r in rows:  # evidence terms are a list in JSON, whatever the table holds
            if isinstance(r.get("evidence"), str):
                r["evidence"] = [t for t in r["evidence"].split(", ") if t]
    columns = TABLE_COLUMNS if args.format == "table" or not rows else list(rows[0])
    render_rows(rows, columns, args.format)
    return 0
