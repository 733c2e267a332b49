"""``read_report`` and ``parse_report``: decode → clean → simplify → metadata → structure.

The caller says what the input is: :func:`read_report` takes a file (a path,
``bytes`` or a binary file object), :func:`parse_report` takes report text in
memory.  A ``str`` given to ``read_report`` is always a path.
"""
from __future__ import annotations

import hashlib
import os

from .clean import _clean, to_simplified as _to_simplified
from .decode import load
from .metadata import extract_metadata
from .report import Report
from .structure import assign_kinds, segment, split_items


def read_report(source, *, encoding=None, to_simplified=True, id=None) -> Report:
    """Read one report from a file: a path, ``bytes`` or a binary file object.

    Parameters
    ----------
    source : str, os.PathLike, bytes or binary file object
        A path to a .txt/.html file (a ``str`` is always a path), the file's
        raw bytes, or a file opened in binary mode.  For report text already
        in memory use :func:`parse_report`.
    encoding : str, optional
        Force an encoding instead of detecting one.
    to_simplified : bool, default True
        Convert traditional script to simplified (``report.original`` keeps it).
    id : str, optional
        Identifier; defaults to the file stem or a hash of the text.

    Returns
    -------
    Report
        Empty or whitespace-only input gives an empty ``Report`` (no
        paragraphs, empty metadata) rather than an error.

    Raises
    ------
    TypeError
        If ``source`` is not a path, bytes or a binary file object.
    FileNotFoundError
        If the path does not exist.
    rolnlp.ReportError
        For a ``str`` that is report text rather than a path (use
        :func:`parse_report`), directories, URLs, binary data or
        undecodable bytes.

    Example
    -------
    >>> r = read_report("corpus/reports/000_5c5bdc2152d9c680.txt")  # doctest: +SKIP
    >>> r.metadata.region, r.metadata.year  # doctest: +SKIP
    ('硚口区', 2024)
    """
    raw, enc, path = load(source, encoding)
    return _build(raw, enc, path, id=id, to_simplified=to_simplified)


def parse_report(text, *, id=None, to_simplified=True) -> Report:
    """Read one report from its text in memory (plain text or HTML).

    The text is never taken for a file name: ``parse_report("/etc/passwd")``
    is a one-line report, not the file.

    Parameters
    ----------
    text : str
        The report text.
    id : str, optional
        Identifier; defaults to a hash of the cleaned text.
    to_simplified : bool, default True
        Convert traditional script to simplified (``report.original`` keeps it).

    Returns
    -------
    Report

    Raises
    ------
    TypeError
        If ``text`` is not a ``str`` (bytes go to :func:`read_report`).

    Example
    -------
    >>> r = parse_report("一、总体情况\\n全年办理行政复议案件12件。", id="demo")
    >>> r.id, r.paragraphs[0].heading, r.paragraphs[0].section
    ('demo', '一、总体情况', 'achievements')
    """
    if not isinstance(text, str):
        hint = " (use read_report() for bytes)" if isinstance(
            text, (bytes, bytearray, memoryview)) else ""
        raise TypeError(f"parse_report() takes report text as a str, not "
                        f"{type(text).__name__}{hint}")
    return _build(text, None, None, id=id, to_simplified=to_simplified)


def _build(raw, enc, path, *, id, to_simplified) -> Report:
    if id is not None and not isinstance(id, str):
        raise TypeError(f"id must be a str, not {type(id).__name__}")
    original, removed, settled = _clean(raw)
    text = _to_simplified(original) if to_simplified else original
    headings, paragraphs = segment(text)
    metadata = extract_metadata(text if to_simplified else _to_simplified(text),
                                paragraphs=paragraphs, removed=removed)
    units = assign_kinds(headings, paragraphs, metadata.title)
    items = split_items([u for u in units if u.kind == "paragraph"])
    if id is None:
        id = (_file_id(path) if path
              else hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:12])
    report = Report(id=id, text=text, original=original, raw=raw, removed=removed,
                    metadata=metadata, units=units, items=items, encoding=enc, path=path)
    report._settled = settled
    return report


def _file_id(path: str) -> str:
    """The file stem, with undecodable bytes of the name shown as U+FFFD."""
    stem = os.path.splitext(os.path.basename(path))[0]
    return stem.encode("utf-8", "surrogateescape").decode("utf-8", "replace")

