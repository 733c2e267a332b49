"""Shared CLI plumbing: output formats, friendly errors, the global switches."""
from __future__ import annotations

import argparse
import json
import math
import sys
from typing import Any, Sequence, TextIO

FORMATS = ("table", "csv", "json", "jsonl")
FORMAT_HELP = ("output format: an aligned table, CSV (for spreadsheets; text starting with "
               "= + - @ gets a leading '), one JSON document, or JSON lines "
               "(one object per line)")


class CLIError(Exception):
    """An error the user can fix; printed as ``rolnlp: error: ...`` with exit code 2."""


def add_format_option(parser: argparse.ArgumentParser, default: str = "table") -> None:
    """Add ``--format table|csv|json|jsonl`` to a subcommand."""
    parser.add_argument("--format", choices=FORMATS, default=default,
                        help=f"{FORMAT_HELP} (default: {default})")


def add_model_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--model DIR``, the classifier to use, to a subcommand."""
    parser.add_argument("--model", metavar="DIR",
                        help="model directory (default: $ROLNLP_MODEL or the shipped model)")


def add_quiet_option(parser: argparse.ArgumentParser, *, defaults: bool = False) -> None:
    """Add ``-q/--quiet`` and ``-v/--verbose`` (once) to ``parser``.

    The main parser holds their defaults; on subcommands they default to
    "not given", so a switch works before or after the subcommand.
    """
    present = parser._option_string_actions  # noqa: SLF001 (argparse has no public query)
    default = False if defaults else argparse.SUPPRESS
    if "--quiet" not in present:
        parser.add_argument("-q", "--quiet", action="store_true", default=default,
                            help="no progress bars or log messages, only errors")
    if "--verbose" not in present:
        parser.add_argument("-v", "--verbose", action="store_true", default=default,
                            help="log progress details")


def jsonable(value: Any) -> Any:
    """``value`` made JSON-ready: numpy scalars and arrays as Python values, NaN as
    null, lists kept as lists, undecodable file-name characters as U+FFFD."""
    from ..analysis.outputs import safe_text

    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, dict):
        return {safe_text(str(k)): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [jsonable(v) for v in value]
    if hasattr(value, "tolist") and not isinstance(value, (int, float)):
        return jsonable(value.tolist())
    if hasattr(value, "item") and not isinstance(value, (int, float, bool)):
        value = value.item()
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    try:
        import pandas as pd

        if pd.isna(value):
            return None
    except (TypeError, ValueError, ImportError):
        pass
    return safe_text(str(value))


def render_rows(rows: Sequence[dict], columns: Sequence[str], fmt: str,
                out: TextIO | None = None) -> None:
    """Print ``rows`` (a list of dicts) in ``fmt``.

    ``table``: aligned columns; ``csv``: pandas CSV, empty cells for missing
    values, lists joined with ``;`` and formula-like text neutralised;
    ``json``: one JSON array; ``jsonl``: one JSON object per line.
    """
    out = out or sys.stdout
    columns = list(columns)
    if fmt in ("json", "jsonl"):
        objs = [json.dumps({c: jsonable(r.get(c)) for c in columns}, ensure_ascii=False)
                for r in rows]
        if fmt == "jsonl":
            out.write("".join(o + "\n" for o in objs))
        else:
            out.write("[\n" + ",\n".join(objs) + "\n]\n" if objs else "[]\n")
    elif fmt == "csv":
        import pandas as pd

        from ..analysis.outputs import spreadsheet_safe

        df = pd.DataFrame([{c: r.get(c) for c in columns} for r in rows], columns=columns)
        out.write(spreadsheet_safe(df).to_csv(index=False, lineterminator="\n"))
    else:
        from ..analysis.outputs import safe_text

        cells = [[_cell(safe_text(r.get(c))) for c in columns] for r in rows]
        widths = [max([_width(c)] + [_width(row[i]) for row in cells])
                  for i, c in enumerate(columns)]
        out.write("  ".join(_pad(c, w) for c, w in zip(columns, widths)).rstrip() + "\n")
        for row in cells:
            out.write("  ".join(_pad(v, w) for v, w in zip(row, widths)).rstrip() + "\n")


def print_json(doc: Any, out: TextIO | None = None) -> None:
    """Print one JSON document (see :func:`jsonable`)."""
    (out or sys.stdout).write(json.dumps(jsonable(doc), ensure_ascii=False, indent=1) + "\n")


def _cell(v: Any, limit: int = 60) -> str:
    if isinstance(v, (list, tuple)):
        v = ";".join(map(str, v))
    if v is None or (isinstance(v, float) and v != v):
        s = ""
    else:
        s = f"{v:.3f}" if isinstance(v, float) else str(v)
    s = s.replace("\n", " ")
    return s if len(s) <= limit else s[: limit - 1] + "…"


def _width(s: str) -> int:
    # CJK characters take two terminal columns
    return sum(2 if "\u2e80" <= ch <= "\uffef" else 1 for ch in s)


def _pad(s: str, w: int) -> str:
    return s + " " * (w - _width(s))

