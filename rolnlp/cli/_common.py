"""Shared CLI plumbing: output formats, friendly errors, progress switches."""
from __future__ import annotations

import csv
import io
import json
import sys

FORMATS = ("table", "json", "csv")


class CLIError(Exception):
    """An error the user can fix; printed as ``rolnlp: error: ...`` with exit code 2."""


def add_format_option(parser, default="table"):
    parser.add_argument("--format", choices=FORMATS, default=default,
                        help=f"output format (default: {default})")


def add_quiet_option(parser):
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="no progress bars or log messages")


def render_rows(rows, columns, fmt, out=None):
    """Print ``rows`` (a list of dicts) in ``fmt``: an aligned table, JSON lines or CSV."""
    out = out or sys.stdout
    if fmt == "json":
        for r in rows:
            out.write(json.dumps({c: r.get(c) for c in columns}, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
        out.write(buf.getvalue())
    else:
        cells = [[_cell(r.get(c)) for c in columns] for r in rows]
        widths = [max([_width(c)] + [_width(row[i]) for row in cells])
                  for i, c in enumerate(columns)]
        out.write("  ".join(_pad(c, w) for c, w in zip(columns, widths)).rstrip() + "\n")
        for row in cells:
            out.write("  ".join(_pad(v, w) for v, w in zip(row, widths)).rstrip() + "\n")


def _cell(v, limit=60):
    s = "" if v is None else (f"{v:.3f}" if isinstance(v, float) else str(v))
    s = s.replace("\n", " ")
    return s if len(s) <= limit else s[: limit - 1] + "…"


def _width(s):
    # CJK characters take two terminal columns
    return sum(2 if "\u2e80" <= ch <= "\uffef" else 1 for ch in s)


def _pad(s, w):
    return s + " " * (w - _width(s))
