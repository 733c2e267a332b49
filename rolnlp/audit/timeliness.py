"""Timeliness: was the report published before 1 April of the following year?

《法治政府建设与责任落实督察工作规定》 (2019) asks for the annual report to be
published before 1 April of the year after the year reported on.  The
publication date is the page's date field (发布时间, 日期, 成文日期) as the
reader recovered it into ``Metadata.date``, else the date under the signature.

Example
-------
>>> t = timeliness_of(2023, "2024-03-06")
>>> t.deadline, t.on_time, t.days_early
('2024-04-01', True, 26)
>>> timeliness_of(2023, None).on_time is None
True
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import asdict, dataclass
from typing import Optional

_DATE = re.compile(r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$")


@dataclass(frozen=True)
class Timeliness:
    """Publication date against the deadline.

    Attributes
    ----------
    date : str or None
        Publication date, ISO ``YYYY-MM-DD``.
    date_source : {"page", "signature", None}
        Where the date came from.
    year : int or None
        The year reported on.
    deadline : str or None
        ``YYYY-04-01`` of the year after ``year``.
    on_time : bool or None
        Published before the deadline; ``None`` when the date or the year is unknown.
    days_early : int or None
        Days before the deadline (negative: days late).
    """

    date: Optional[str]
    date_source: Optional[str]
    year: Optional[int]
    deadline: Optional[str]
    on_time: Optional[bool]
    days_early: Optional[int]

    def to_dict(self) -> dict:
        return asdict(self)


def timeliness_of(year, date, date_source=None) -> Timeliness:
    """Compare a publication ``date`` with the deadline for reports on ``year``.

    Parameters
    ----------
    year : int or None
        The year reported on.
    date : str or None
        ISO date of publication.
    date_source : str, optional

    Returns
    -------
    Timeliness
        ``on_time`` is True when ``date`` falls before 1 April of ``year + 1``
        ("before 1 April", so 1 April itself is late by 0 days).

    Example
    -------
    >>> timeliness_of(2024, "2025-04-01").on_time
    False
    """
    deadline = _dt.date(int(year) + 1, 4, 1) if year else None
    day = _parse(date)
    if deadline is None or day is None:
        return Timeliness(date if day else None, date_source if day else None, year,
                          deadline.isoformat() if deadline else None, None, None)
    days = (deadline - day).days
    return Timeliness(day.isoformat(), date_source, year, deadline.isoformat(), days > 0, days)


def timeliness(report) -> Timeliness:
    """Timeliness of a report, from its metadata and signature.

    Parameters
    ----------
    report : Report

    Returns
    -------
    Timeliness

    Example
    -------
    >>> from rolnlp.reading import read_report
    >>> timeliness(read_report("corpus/reports/000_5c5bdc2152d9c680.txt")).on_time  # doctest: +SKIP
    True
    """
    signed = signature_date(report)
    date = report.metadata.date
    if date:
        source = "signature" if signed == date and not _page_has_date(report) else "page"
    else:
        date, source = signed, "signature" if signed else None
    return timeliness_of(report.metadata.year, date, source)


def signature_date(report) -> Optional[str]:
    """The date written under the signature (the last lines of the report), ISO, or None.

    Example
    -------
    >>> from rolnlp.reading import parse_report
    >>> signature_date(parse_report("正文。\\n某区人民政府\\n2024年3月6日"))
    '2024-03-06'
    """
    # the reader gives the closing date its own unit kind; the last units are enough
    for p in reversed(report.units("all")[-6:]):
        m = _DATE.match(p.text)
        if m:
            day = _parse("-".join(m.groups()))
            return day.isoformat() if day else None
    return None


def _page_has_date(report) -> bool:
    return any(k in report.raw[:3000] for k in ("发布时间", "日期", "成文日期", "发布日期"))


def _parse(date) -> Optional[_dt.date]:
    if not date:
        return None
    try:
        y, m, d = (int(x) for x in str(date)[:10].split("-"))
        return _dt.date(y, m, d)
    except (ValueError, TypeError):
        return None
