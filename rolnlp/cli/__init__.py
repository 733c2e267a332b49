"""The ``rolnlp`` command line.  Each subcommand lives in its own module with
``add_parser(subparsers)`` and ``run(args) -> int``."""
from __future__ import annotations

import argparse
import importlib
import logging
import sys

from .._version import __version__
from ._common import CLIError, add_quiet_option

SUBCOMMANDS = ["read", "classify", "train", "evaluate", "topics", "analyze", "audit"]  # module names under rolnlp.cli, in help order

DESCRIPTION = """Read, classify and compare annual rule-of-law government reports
(法治政府建设情况报告).  Run 'rolnlp COMMAND --help' for each command's options."""
EPILOG = """examples:
  rolnlp read corpus/reports/000_5c5bdc2152d9c680.txt
  rolnlp classify corpus/reports --format csv > labels.csv
  rolnlp analyze corpus/reports --out out/
"""


def build_parser() -> tuple[argparse.ArgumentParser, dict]:
    """The ``rolnlp`` argument parser and ``{subcommand: module}``."""
    parser = argparse.ArgumentParser(prog="rolnlp", description=DESCRIPTION, epilog=EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"rolnlp {__version__}")
    add_quiet_option(parser, defaults=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    modules = {}
    for name in SUBCOMMANDS:
        mod = importlib.import_module(f"{__name__}.{name}")
        p = mod.add_parser(sub)
        p.formatter_class = argparse.RawDescriptionHelpFormatter
        add_quiet_option(p)  # -q/-v also after the subcommand
        modules[p.prog.split()[-1]] = mod
    return parser, modules


def main(argv: list[str] | None = None) -> int:
    """Run the command line with ``argv`` (default ``sys.argv[1:]``); returns the exit status."""
    parser, modules = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    if args.quiet and args.verbose:
        parser.error("--quiet and --verbose exclude each other")
    level = logging.ERROR if args.quiet else logging.INFO if args.verbose else logging.WARNING
    logging.basicConfig(level=level, format="rolnlp: %(message)s")
    # NOTSET when neither switch is given: the logger follows the root again
    logging.getLogger("rolnlp").setLevel(level if args.quiet or args.verbose else logging.NOTSET)
    from ..errors import RolnlpError

    try:
        return modules[args.command].run(args) or 0
    except (CLIError, RolnlpError, FileNotFoundError, IsADirectoryError,
            PermissionError) as e:
        print(f"rolnlp {args.command}: error: {_one_line(e)}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except OSError as e:  # a full or read-only disk, after the work: one line, not a traceback
        from ..analysis.outputs import describe_os_error

        print(f"rolnlp {args.command}: error: {describe_os_error(e, 'output')}",
              file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("rolnlp: interrupted", file=sys.stderr)
        return 130


def _one_line(e: BaseException) -> str:
    from ..analysis.outputs import safe_text

    return " ".join(safe_text(str(e)).split())
