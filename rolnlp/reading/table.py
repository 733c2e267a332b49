"""The unit table: one row per unit of a report, with its report's metadata.

The column list :data:`UNIT_COLUMNS` is defined here once; every table of
units in rolnlp (``Report.to_dataframe``, ``Corpus.to_dataframe``,
classification and analysis tables) has these columns first, in this order.

Example
-------
>>> from rolnlp import parse_report
>>> list(report_frame(parse_report("正文。", id="a")).columns) == list(UNIT_COLUMNS)
True
"""
from __future__ import annotations

#: Report-level columns, taken from the report and its :class:`Metadata`.
REPORT_COLUMNS = ("report_id", "url", "report_title", "region", "province", "city", "county", "town",
                  "adcode", "level", "year", "publisher", "report_date", "source")
#: Unit-level columns.
UNIT_FIELDS = ("kind", "section", "heading", "heading_path", "index", "parent", "start", "end",
               "text")
#: The columns of every unit table, in order.
UNIT_COLUMNS = REPORT_COLUMNS + UNIT_FIELDS

# Metadata field -> column, where the column name differs (a unit has its own
# text and a row its own date, so the report's are prefixed)
_META_RENAME = {"title": "report_title", "date": "report_date"}


def report_row(report) -> dict:
    """The report-level columns of ``report`` as a dict.

    Parameters
    ----------
    report : Report

    Returns
    -------
    dict
        Keys :data:`REPORT_COLUMNS`.

    Example
    -------
    >>> from rolnlp import parse_report
    >>> report_row(parse_report("正文。", id="a"))["report_id"]
    'a'
    """
    meta = report.metadata.to_dict()
    row = {"report_id": report.id, "url": getattr(report, "url", None)}
    for field, value in meta.items():
        row[_META_RENAME.get(field, field)] = value
    return {c: row.get(c) for c in REPORT_COLUMNS}


def unit_row(unit) -> dict:
    """The unit-level columns of one unit as a dict (keys :data:`UNIT_FIELDS`)."""
    path = tuple(getattr(unit, "heading_path", None) or getattr(unit, "path", ()))
    if unit.kind == "heading":
        heading = unit.text
    else:
        heading = path[-1] if path else None
    return {"kind": unit.kind, "section": unit.section, "heading": heading,
            "heading_path": " > ".join(path), "index": unit.index,
            "parent": getattr(unit, "parent", None), "start": unit.start, "end": unit.end,
            "text": unit.text}


def empty_frame():
    """A unit table with no rows (the columns of :data:`UNIT_COLUMNS`).

    Example
    -------
    >>> list(empty_frame().columns)[:3]
    ['report_id', 'url', 'report_title']
    """
    import pandas as pd

    return pd.DataFrame(columns=list(UNIT_COLUMNS))


def report_frame(report, level: str = "paragraph"):
    """The unit table of one report.

    Parameters
    ----------
    report : Report
    level : {"paragraph", "item", "all"}
        Body paragraphs (default), paragraphs with items split out, or every
        unit with its kind.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`UNIT_COLUMNS`; one row per unit in reading order.

    Example
    -------
    >>> from rolnlp import parse_report
    >>> r = parse_report("一、总体情况\\n正文。", id="a")
    >>> report_frame(r, "all")["kind"].tolist()
    ['heading', 'paragraph']
    """
    import pandas as pd

    units = report.units(level)
    if not units:
        return empty_frame()
    base = report_row(report)
    return pd.DataFrame([{**base, **unit_row(u)} for u in units], columns=list(UNIT_COLUMNS))


def concat_frames(frames):
    """Concatenate unit tables; no frames (or only empty ones) give :func:`empty_frame`.

    Parameters
    ----------
    frames : iterable of pandas.DataFrame

    Returns
    -------
    pandas.DataFrame

    Example
    -------
    >>> concat_frames([]).shape
    (0, 23)
    """
    import pandas as pd

    frames = [f for f in frames if len(f)]
    if not frames:
        return empty_frame()
    return pd.concat(frames, ignore_index=True)
