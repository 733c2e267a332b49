"""``rolnlp read``: metadata and outline of one report."""
from __future__ import annotations

import json

HELP = "print a report's metadata and outline"
EPILOG = """examples:
  rolnlp read corpus/reports/000_5c5bdc2152d9c680.txt
  rolnlp read report.html --json > report.json
"""


def add_parser(sub):
    p = sub.add_parser("read", help=HELP, description=HELP.capitalize() + ".", epilog=EPILOG)
    p.add_argument("file", help="a report file (.txt or .html; UTF-8, GBK/GB18030 or Big5)")
    p.add_argument("--json", action="store_true",
                   help="print metadata, outline and paragraphs as JSON")
    p.add_argument("--encoding", help="force an input encoding instead of detecting it")
    return p


def run(args):
    from ..reading import read_report

    report = read_report(args.file, encoding=args.encoding)
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        return 0
    for k, v in report.metadata.to_dict().items():
        print(f"{k:>10}: {'' if v is None else v}")
    print(f"{'paragraphs':>10}: {len(report.paragraphs)}")
    print()
    _print_tree(report.outline(), 0)
    return 0


def _print_tree(nodes, depth):
    for n in nodes:
        print(f"{'  ' * depth}{n['title']}  [{n['section']}, {n['paragraphs']} ¶]")
        _print_tree(n["children"], depth + 1)
