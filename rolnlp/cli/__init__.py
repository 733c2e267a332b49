"""The ``rolnlp`` command line.  Each subcommand lives in its own module with
``add_parser(subparsers)`` and ``run(args) -> int``."""
from __future__ import annotations

import argparse
import importlib
import logging
import sys

from .._version import __version__
from ._common import CLIError

SUBCOMMANDS = ["read", "classify", "train", "evaluate", "topics", "analyze", "audit"]  # module names under rolnlp.cli, in help order

DESCRIPTION = """Read, classify and compare annual rule-of-law government reports
(法治政府建设情况报告).  Run 'rolnlp COMMAND --help' for each command's options."""
EPILOG = """examples:
  rolnlp read corpus/reports/000_5c5bdc2152d9c680.txt
  rolnlp classify corpus/reports --format csv > labels.csv
  rolnlp analyze corpus/reports --out out/
"""


def build_parser():
    parser = argparse.ArgumentParser(prog="rolnlp", description=DESCRIPTION, epilog=EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"rolnlp {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    modules = {}
    for name in SUBCOMMANDS:
        mod = importlib.import_module(f"{__name__}.{name}")
        p = mod.add_parser(sub)
        p.formatter_class = argparse.RawDescriptionHelpFormatter
        modules[p.prog.split()[-1]] = mod
    return parser, modules


def main(argv=None):
    parser, modules = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="rolnlp: %(message)s")
    from ..errors import RolnlpError

    try:
        return modules[args.command].run(args) or 0
    except (CLIError, RolnlpError, FileNotFoundError, IsADirectoryError,
            PermissionError) as e:
        print(f"rolnlp {args.command}: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("rolnlp: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
