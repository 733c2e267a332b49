"""Options shared by ``rolnlp topics`` and ``rolnlp analyze``."""
from __future__ import annotations

import argparse
import contextlib
import os
from typing import Iterator

from ._common import CLIError


def n_topics_arg(value: str) -> int | str:
    """``auto`` or a positive int (argparse type)."""
    if value.lower() == "auto":
        return "auto"
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number or 'auto', got {value!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError("the number of topics must be at least 1")
    return n


def add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("directory", metavar="SOURCE",
                   help="directory of reports (.txt/.html/.pdf/.docx), searched "
                        "recursively, or a table of scraped pages (.jsonl/.csv/.parquet "
                        "with a text or html column)")
    p.add_argument("--out", required=True, metavar="OUT",
                   help="output directory (created; the inputs are never modified)")
    p.add_argument("--n-topics", type=n_topics_arg, default="auto", metavar="N|auto",
                   help="number of topics, or 'auto' to choose by coherence (default: auto)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    p.add_argument("--seed-words", choices=["none", "codebook"], default="none",
                   help="steer topics towards the codebook categories (default: none)")
    p.add_argument("--jobs", type=int, default=1, metavar="N",
                   help="processes for tokenizing and classifying (default: 1)")


def check_dirs(args: argparse.Namespace) -> None:
    from ..corpus import TABLE_SUFFIXES

    if os.path.isfile(args.directory) and args.directory.lower().endswith(TABLE_SUFFIXES):
        # a scraped table (one row per page): nothing to search, nothing to nest into
        if os.path.exists(args.out) and not os.path.isdir(args.out):
            raise CLIError(f"--out exists and is not a directory: {args.out}")
        return
    if not os.path.isdir(args.directory):
        raise CLIError(f"not a directory or a table file ({', '.join(TABLE_SUFFIXES)}): "
                       f"{args.directory}")
    if os.path.exists(args.out) and not os.path.isdir(args.out):
        raise CLIError(f"--out exists and is not a directory: {args.out}")
    if os.path.abspath(args.out) == os.path.abspath(args.directory):
        raise CLIError("--out must differ from the input directory")
    inside = os.path.commonpath([os.path.realpath(args.out), os.path.realpath(args.directory)])
    if inside == os.path.realpath(args.directory):
        # the directory is read recursively: summary.html would be read as a report next time
        raise CLIError(f"--out must not be inside the input directory {args.directory} "
                       "(its summary.html would be read as a report on the next run)")


def prepare(args: argparse.Namespace) -> str | None:
    """Check the directories and return the seed words option."""
    check_dirs(args)
    return None if args.seed_words == "none" else args.seed_words


def quiet_logging(args: argparse.Namespace) -> None:
    """Silence rolnlp's log below errors when ``--quiet`` was given (the main
    command does this already; kept for subcommands that call it)."""
    import logging

    if getattr(args, "quiet", False):
        logging.getLogger("rolnlp").setLevel(logging.ERROR)


def print_paths(paths: dict, out: str) -> None:
    print(f"wrote {len(paths)} files to {out}:")
    for name in sorted(paths):
        print(f"  {os.path.relpath(paths[name], out)}")


@contextlib.contextmanager
def friendly() -> Iterator[None]:
    """Turn bad-input errors (empty corpus, unusable text) into a one-line CLI error."""
    from ..errors import RolnlpError

    try:
        yield
    except RolnlpError:
        raise
    except (ValueError, TypeError) as e:
        raise CLIError(str(e)) from None
