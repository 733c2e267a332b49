"""The cross-report indicator table: one row per report and indicator."""
from __future__ import annotations

#: columns of :func:`indicator_table`, in order
INDICATOR_TABLE_COLUMNS = ["report_id", "region", "province", "level", "year", "code", "value",
                           "unit", "change", "mentions", "sentence", "start", "end"]


def indicator_table(source, *, progress=True):
    """One row per report and indicator code, with the sentence to check it against.

    A report may state an indicator several times (a total and its breakdown,
    a summary and a detail).  For a rate (``%``) the first mention is kept; for
    a count the largest, which is the report's total rather than a part of it.

    Parameters
    ----------
    source : Corpus, list of Report, Report or pandas.DataFrame
        Reports (their mentions are extracted) or the mentions themselves
        (:func:`rolnlp.extract_indicators` output; place and year are then
        left empty).
    progress : bool, default True
        A tqdm bar over the reports (none for a single report).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`INDICATOR_TABLE_COLUMNS`; ``mentions`` counts the
        mentions of the code in the report; ``start``/``end`` locate the kept
        mention in ``Report.text``.

    Example
    -------
    >>> import rolnlp
    >>> from rolnlp.audit import indicator_table
    >>> t = indicator_table(rolnlp.read_corpus("corpus/", progress=False))  # doctest: +SKIP
    >>> t.pivot_table(index="region", columns="code", values="value")  # doctest: +SKIP
    """
    import pandas as pd

    from .indicators import extract_indicators

    meta = {}
    if isinstance(source, pd.DataFrame):
        mentions = source
    else:
        from ..reading.report import Report
        reports = [source] if isinstance(source, Report) else list(getattr(source, "reports", source))
        meta = {r.id: r.metadata for r in reports}
        mentions = extract_indicators(reports, progress=progress)
    rows = []
    if len(mentions):
        for (rid, code), g in mentions.groupby(["report_id", "code"], sort=False, dropna=False):
            g = g.sort_values("start", kind="stable")
            best = g.iloc[0] if (g["unit"] == "%").all() else g.loc[g["value"].idxmax()]
            m = meta.get(rid)
            rows.append({"report_id": rid, "region": m.region if m else None,
                         "province": m.province if m else None, "level": m.level if m else None,
                         "year": m.year if m else None, "code": code, "value": float(best["value"]),
                         "unit": best["unit"], "change": best["change"], "mentions": len(g),
                         "sentence": best["sentence"], "start": int(best["start"]),
                         "end": int(best["end"])})
    df = pd.DataFrame(rows, columns=INDICATOR_TABLE_COLUMNS)
    from .codes import INDICATOR_CODES
    order = {c: i for i, c in enumerate(INDICATOR_CODES)}
    if len(df):
        df = df.sort_values(["report_id", "code"], key=lambda s: s.map(order) if s.name == "code" else s,
                            kind="stable").reset_index(drop=True)
    return df
