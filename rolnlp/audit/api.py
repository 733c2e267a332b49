"""``rolnlp.audit(report)`` and ``audit_corpus(corpus)``."""
from __future__ import annotations

from .evidence import evidence
from .indicators import mention_rows, mentions_frame
from .parts import find_parts
from .result import AUDIT_COLUMNS, Audit
from .shortcomings import shortcomings
from .timeliness import timeliness


def _as_report(report):
    from ..reading.report import Report

    if isinstance(report, Report):
        return report
    if isinstance(report, str):
        from .. import reading
        parse = getattr(reading, "parse_report", None)  # text in memory, when the reader has it
        return parse(report) if parse else reading.read_report(report)
    raise TypeError(f"report must be a Report or a str of report text, got {type(report).__name__}")


def audit(report) -> Audit:
    """Audit one report as evaluators do: parts, timeliness, evidence,
    shortcomings and indicator figures.

    Parameters
    ----------
    report : Report or str
        A report from :func:`rolnlp.read_report`, or report text.

    Returns
    -------
    Audit

    Raises
    ------
    TypeError
        If ``report`` is neither a Report nor a str.

    Example
    -------
    >>> import rolnlp
    >>> a = rolnlp.audit(rolnlp.read_report("corpus/reports/003_8843a2275c818d9b.txt"))  # doctest: +SKIP
    >>> a.present_parts, a.part("plans").via  # doctest: +SKIP
    (['achievements', 'shortcomings', 'plans'], 'lead-in')
    """
    result, rows = _audit(_as_report(report))
    result.indicators = mentions_frame(rows)
    return result


def _audit(report):
    """The Audit (without its indicator DataFrame) and the mention rows."""
    parts = find_parts(report)
    rows = mention_rows(report)
    return Audit(report_id=report.id, metadata=report.metadata.to_dict(), parts=parts,
                 timeliness=timeliness(report), evidence=evidence(report, rows),
                 shortcomings=shortcomings(report, parts)), rows


def audit_corpus(corpus, *, progress=True, indicators=False):
    """Audit every report of a corpus: one row per report.

    ``Corpus.audit()`` is this function.

    Parameters
    ----------
    corpus : Corpus or iterable of Report
    progress : bool, default True
        A tqdm bar over the reports.
    indicators : bool, default False
        Also return the indicator mentions of all reports.

    Returns
    -------
    pandas.DataFrame or tuple
        The audit table (columns :data:`rolnlp.audit.AUDIT_COLUMNS`: report id,
        title, region, province, city, level, year, publisher, the timeliness
        fields, ``has_<part>`` and ``share_<part>`` for each part, the order of
        the parts, evidence density and shortcomings depth); with
        ``indicators=True``, ``(table, mentions)``.

    Example
    -------
    >>> import rolnlp
    >>> from rolnlp.audit import audit_corpus
    >>> df = audit_corpus(rolnlp.read_corpus("corpus/", progress=False), progress=False)  # doctest: +SKIP
    >>> df[["report_id", "main_parts", "on_time"]]  # doctest: +SKIP
    """
    import pandas as pd
    from tqdm.auto import tqdm

    reports = list(getattr(corpus, "reports", corpus))
    rows, mentions = [], []
    for r in tqdm(reports, desc="audit", unit="report", disable=not progress):
        a, found = _audit(_as_report(r))
        rows.append(a.to_row())
        mentions += found
    table = pd.DataFrame(rows, columns=AUDIT_COLUMNS)
    for col in ("year", "days_early"):  # whole numbers that may be missing
        table[col] = pd.array([None if v is None or v != v else int(v) for v in table[col]],
                              dtype="Int64")
    if not indicators:
        return table
    return table, mentions_frame(mentions)
