"""``rolnlp audit``: audit reports as evaluators do (parts, timeliness, figures)."""
from __future__ import annotations

import logging
import math
import sys

from ._common import CLIError, add_quiet_option, render_rows

HELP = "audit reports: required parts, on-time publication, figures, shortcomings"
DESCRIPTION = """Audit annual rule-of-law reports the way evaluators do: which of the five
required parts each report has (主要举措和成效, 存在的不足和原因, 第一责任人职责,
下一年度安排, 其他情况), whether it was published before 1 April of the next year,
how many concrete figures it states, how deep its shortcomings part is, and the
indicator figures it gives (行政复议, 行政诉讼, 调解, 普法 …; see indicators v1)."""
EPILOG = """examples:
  rolnlp audit corpus/reports
  rolnlp audit corpus/reports --format csv > audit.csv
  rolnlp audit corpus/reports --indicators --format jsonl > indicators.jsonl
  rolnlp audit report.txt --format json

columns (table): report_id, region, year, on_time, days_early, main_parts (of 4),
parts_order, figures_per_1000, indicator_mentions, problems, problems_with_cause;
csv/json/jsonl give every column (see the README, section Audit).
"""
FORMATS = ("table", "csv", "json", "jsonl")
TABLE_COLUMNS = ["report_id", "region", "year", "on_time", "days_early", "main_parts",
                 "parts_order", "figures_per_1000", "indicator_mentions", "problems",
                 "problems_with_cause"]
INDICATOR_TABLE = ["report_id", "code", "value", "unit", "change", "sentence"]


def add_parser(sub):
    p = sub.add_parser("audit", help=HELP, description=DESCRIPTION, epilog=EPILOG)
    p.add_argument("path", metavar="DIR|FILE", help="a directory of reports, or one report file")
    p.add_argument("--format", choices=FORMATS, default="table",
                   help="output format: aligned table, CSV, one JSON array, or JSON lines "
                        "(default: table)")
    p.add_argument("--indicators", action="store_true",
                   help="print the indicator table (one row per report and indicator) "
                        "instead of the audit table")
    add_quiet_option(p)
    return p


def _clean(v):
    if v is None or v is getattr(sys.modules.get("pandas"), "NA", object()):
        return None
    if hasattr(v, "item"):  # numpy scalars
        v = v.item()
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


def run(args):
    import os

    from ..audit import audit_corpus, indicator_table
    from ..corpus import Corpus, read_corpus
    from ..errors import ReportError
    from ..reading import read_report

    if args.quiet:
        logging.getLogger("rolnlp").setLevel(logging.ERROR)
    path = args.path
    if os.path.isdir(path):
        corpus = read_corpus(path, progress=not args.quiet)
        for f, msg in corpus.errors:
            logging.getLogger("rolnlp").warning("skipped %s: %s", f, msg)
        if not len(corpus):
            raise CLIError(f"no readable reports in directory {path}")
    elif os.path.exists(path):
        try:
            corpus = Corpus([read_report(path)])
        except ReportError as e:
            raise CLIError(f"cannot read {path}: {e}") from None
    else:
        raise CLIError(f"no such file or directory: {path}")

    if args.indicators:
        df = indicator_table(corpus, progress=not args.quiet)
        table_cols = INDICATOR_TABLE
    else:
        df = audit_corpus(corpus, progress=not args.quiet)
        table_cols = TABLE_COLUMNS
    rows = [{k: _clean(v) for k, v in r.items()} for r in df.to_dict("records")]
    columns = list(df.columns)
    render_rows(rows, table_cols if args.format == "table" else columns, args.format)
    return 0
