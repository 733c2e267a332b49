"""Evidence density: concrete figures rather than slogans.

Evaluators of the annual reports criticise 运用事例少 and 泛泛而谈; the plainest
measure is how often a report states a figure.  A *figure* is an Arabic number
that is not a year, a date, a time, an ordinal (第3次) or a document number
(〔2023〕12号), with its 万/亿 and unit if it has one.

Example
-------
>>> count_figures("2024年全年办理案件1.2万件，第3次会议，满意率99%。")
2
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass

_NUMBER = re.compile(r"(?<![\d.])\d+(?:[.,]\d+)*")
# what follows a number that is not a figure: years, dates, times, document numbers
_NOT_AFTER = re.compile(r"\s*(?:年(?!度?[\d]*(?:人|件|次))|月|日|号|时|点|分(?!钟)|[〕\]）)]|[-—–至/]\d|\.\d|届|周年)")
_NOT_BEFORE = re.compile(r"(?:第|〔|\[|[（(]\d{4}[)）]|\d[-—–/至])\s*$")


def iter_figures(text):
    """The figures of ``text`` as ``(start, end)`` spans of their digits.

    Parameters
    ----------
    text : str

    Returns
    -------
    list of (int, int)
        One span per figure, in text order.

    Example
    -------
    >>> t = "2023年3月，发现问题78个"
    >>> [t[a:b] for a, b in iter_figures(t)]
    ['78']
    """
    out = []
    for m in _NUMBER.finditer(text):
        if _NOT_AFTER.match(text, m.end()) or _NOT_BEFORE.search(text[max(0, m.start() - 8):m.start()]):
            continue
        out.append((m.start(), m.end()))
    return out


def count_figures(text) -> int:
    """Number of figures in ``text`` (see :func:`iter_figures`).

    Example
    -------
    >>> count_figures("〔2023〕12号文件要求")
    0
    """
    return len(iter_figures(text))


@dataclass(frozen=True)
class Evidence:
    """How concrete a report is.

    Attributes
    ----------
    chars : int
        Characters of the body paragraphs (title, addressee, signature and
        date left out).
    paragraphs : int
        Body paragraphs.
    figures : int
    figures_per_1000 : float
        Figures per 1,000 characters of body text.
    paragraphs_with_figure : float
        Share of body paragraphs that state at least one figure.
    indicator_mentions : int
        Mentions of indicators v1 (see :func:`rolnlp.extract_indicators`).
    indicator_codes : int
        Distinct indicator codes mentioned.
    """

    chars: int
    paragraphs: int
    figures: int
    figures_per_1000: float
    paragraphs_with_figure: float
    indicator_mentions: int
    indicator_codes: int

    def to_dict(self) -> dict:
        return asdict(self)


def evidence(report, indicators=None) -> Evidence:
    """Evidence density of ``report``.

    Parameters
    ----------
    report : Report
    indicators : pandas.DataFrame or list of dict, optional
        The report's indicator mentions, when already extracted.

    Returns
    -------
    Evidence

    Example
    -------
    >>> from rolnlp.reading import read_report
    >>> evidence(read_report("一、成效\\n办理法律援助案件830件。\\n加强领导。")).paragraphs_with_figure
    0.5
    """
    if indicators is None:
        from .indicators import mention_rows
        indicators = mention_rows(report)
    codes = (indicators["code"].tolist() if hasattr(indicators, "columns")
             else [m["code"] for m in indicators])
    body = [p for p in report.paragraphs if p.section != "other"]
    chars = sum(len(p.text) for p in body)
    counts = [count_figures(p.text) for p in body]
    figures = sum(counts)
    return Evidence(
        chars=chars, paragraphs=len(body), figures=figures,
        figures_per_1000=round(1000 * figures / chars, 3) if chars else 0.0,
        paragraphs_with_figure=round(sum(c > 0 for c in counts) / len(body), 4) if body else 0.0,
        indicator_mentions=len(codes), indicator_codes=len(set(codes)))
