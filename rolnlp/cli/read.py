"""``rolnlp read``: metadata and outline of one report."""
from __future__ import annotations

import argparse
import os

from ._common import CLIError, add_format_option, print_json, render_rows

HELP = "print a report's metadata and outline"
EPILOG = """examples:
  rolnlp read corpus/reports/000_5c5bdc2152d9c680.txt
  rolnlp read report.html --format json > report.json
  rolnlp read report.txt --format csv > paragraphs.csv
  rolnlp read old_page.txt --encoding gbk

The table format prints the metadata and the outline: each heading with its
section and the number of paragraphs directly under it.  Web residue (menus,
footers, metadata tables) is removed before reading.  json prints one document
with metadata, outline and every paragraph (with its heading path); csv and
jsonl print one row per unit (the paragraph table of Report.to_dataframe()).
"""


def add_parser(sub: "argparse._SubParsersAction") -> "argparse.ArgumentParser":
    p = sub.add_parser("read", help=HELP, description=HELP.capitalize() + ".", epilog=EPILOG)
    p.add_argument("file", help="a report file (.txt or .html; UTF-8, GBK/GB18030 or Big5)")
    add_format_option(p)
    p.add_argument("--json", action="store_true",
                   help="the same as --format json")
    p.add_argument("--encoding", help="force an input encoding instead of detecting it")
    return p


def run(args: "argparse.Namespace") -> int:
    from ..errors import ReportError
    from ..reading import read_report

    from ..analysis.outputs import safe_text

    path = args.file
    shown = safe_text(path)
    if not os.path.exists(path):
        raise CLIError(f"no such file: {shown}")
    if os.path.isdir(path):
        raise CLIError(f"{shown} is a directory; give one report file "
                       "(rolnlp.read_corpus() reads a directory)")
    try:
        # a path is always read as a file here, never as report text
        report = read_report(os.path.abspath(path), encoding=args.encoding)
    except ReportError as e:
        msg = str(e).split(": ", 1)[-1]
        hint = ""
        if args.encoding and "not valid" in msg:
            hint = f" (is it really {args.encoding}? leave out --encoding to detect it)"
        elif "decode" in msg:
            msg = msg.replace(" (pass encoding=... if you know it)", "")
            hint = " (if you know its encoding, give it, e.g. --encoding gbk)"
        raise CLIError(f"cannot read {shown}: {msg}{hint}") from None
    except LookupError as e:
        raise CLIError(str(e)) from None
    from ..analysis.outputs import with_safe_ids

    report = with_safe_ids([report])[0]
    fmt = "json" if args.json else args.format
    if fmt == "json":
        print_json(report.to_dict())
        return 0
    if fmt in ("csv", "jsonl"):
        df = report.to_dataframe()
        render_rows(df.to_dict("records"), list(df.columns), fmt)
        return 0
    for k, v in report.metadata.to_dict().items():
        print(f"{k:>10}: {'' if v is None else safe_text(v)}")
    print(f"{'paragraphs':>10}: {len(report.paragraphs)}")
    if report.removed:
        print(f"{'removed':>10}: {len(report.removed)} line(s) of web residue")
    print()
    preamble = sum(1 for p in report.paragraphs if p.section == "preamble")
    if preamble:
        print(f"(preamble)  [preamble, {preamble} ¶]")
    if not report.headings:
        print("(no numbered headings)")
    _print_tree(report.outline(), 0)
    return 0


def _print_tree(nodes, depth):
    for n in nodes:
        print(f"{'  ' * depth}{n['title']}  [{n['section']}, {n['paragraphs']} ¶]")
        _print_tree(n["children"], depth + 1)
