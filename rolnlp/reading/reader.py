"""``read_report``: decode → clean → simplify → metadata → structure."""
from __future__ import annotations

import hashlib
import os
import re
from dataclasses import replace

from .clean import clean, to_simplified as _to_simplified
from .decode import load
from .metadata import extract_metadata
from .report import Report
from .structure import segment

# an addressee line such as "常州市人民政府：" or "区委、区政府:" opens a letter-style report
_ADDRESSEE = re.compile(r"^[^，。；]{2,30}[：:]$")


def read_report(source, *, encoding=None, to_simplified=True, id=None) -> Report:
    """Read one report from a path, a ``str`` of text or ``bytes``.

    Parameters
    ----------
    source : str, os.PathLike or bytes
        A path to a .txt/.html file, the report text itself, or raw bytes.
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
        If ``source`` is not a path, ``str`` or bytes.
    FileNotFoundError
        If a path (or a ``str`` that looks like one) does not exist.
    rolnlp.ReportError
        For directories, binary data or undecodable bytes.

    Example
    -------
    >>> r = read_report("corpus/reports/000_5c5bdc2152d9c680.txt")  # doctest: +SKIP
    >>> r.metadata.region, r.metadata.year  # doctest: +SKIP
    ('硚口区', 2024)
    """
    raw, enc, path = load(source, encoding)
    original, removed = clean(raw)
    text = _to_simplified(original) if to_simplified else original
    headings, paragraphs = segment(text)
    metadata = extract_metadata(text if to_simplified else _to_simplified(text),
                                paragraphs=paragraphs, removed=removed)
    paragraphs = _mark_front_matter(paragraphs, metadata.title)
    if id is None:
        id = (os.path.splitext(os.path.basename(path))[0] if path
              else hashlib.sha1(text.encode("utf-8")).hexdigest()[:12])
    return Report(id=id, text=text, original=original, raw=raw, removed=removed,
                  metadata=metadata, headings=headings, paragraphs=paragraphs,
                  encoding=enc, path=path)


def _mark_front_matter(paragraphs, title):
    """Give the title and addressee lines before the body the section ``other``.

    The codebook codes titles, dates and signatures as ``other``; they are not
    part of the preamble even though they stand before the first heading.
    """
    out = []
    for p in paragraphs:
        if p.section == "preamble" and not p.heading_path and (
                (title and p.text.replace(" ", "") == title.replace(" ", ""))
                or _ADDRESSEE.match(p.text)):
            p = replace(p, section="other")
        out.append(p)
    return out
