"""The audit section of an HTML summary: scorecard, parts grid, indicator table,
timeliness by year.  Every piece of report text is escaped.

Example
-------
>>> import pandas as pd
>>> audit_df = pd.DataFrame([{"report_id": "<r1>", "region": "某区", "year": 2023, "on_time": True,
...                           "days_early": 26, "main_parts": 3, "has_achievements": True,
...                           "has_shortcomings": True, "has_first_responsible": False,
...                           "has_plans": True, "has_other_matters": False,
...                           "first_responsible_mentioned": True}])
>>> html = audit_section(audit_df)
>>> "&lt;r1&gt;" in html and "<r1>" not in html
True
"""
from __future__ import annotations

import html as _html

from .parts import PART_CODES

SCORECARD_COLUMNS = ["report_id", "region", "level", "year", "date", "on_time", "days_early",
                     "main_parts", "parts_order", "figures_per_1000", "paragraphs_with_figure",
                     "indicator_mentions", "problems", "problems_with_cause", "problems_specific",
                     "stock_phrases"]
_PART_ZH = {"achievements": "举措和成效", "shortcomings": "不足和原因",
            "first_responsible": "第一责任人职责", "plans": "下一年度安排",
            "other_matters": "其他情况"}


def _table(df, caption):
    return (f'<p class="caption">{_html.escape(caption)}</p>'
            + df.to_html(index=False, escape=True, border=0, na_rep="",
                         float_format=lambda x: f"{x:.3f}"))


def parts_grid(audit_df):
    """Report × part grid: ``✓`` present, ``mentioned`` folded into another part, ``–`` absent.

    Parameters
    ----------
    audit_df : pandas.DataFrame
        :func:`rolnlp.audit.audit_corpus` output.

    Returns
    -------
    pandas.DataFrame
    """
    import pandas as pd

    rows = []
    for _, r in audit_df.iterrows():
        row = {"report_id": r["report_id"], "region": r.get("region"), "year": r.get("year")}
        for code in PART_CODES:
            present = bool(r.get(f"has_{code}"))
            mentioned = code == "first_responsible" and bool(r.get("first_responsible_mentioned"))
            row[_PART_ZH[code]] = "✓" if present else ("mentioned" if mentioned else "–")
        rows.append(row)
    return pd.DataFrame(rows)


def timeliness_by_year(audit_df):
    """Per year reported on: reports, on time, late, date unknown, median days early.

    Parameters
    ----------
    audit_df : pandas.DataFrame

    Returns
    -------
    pandas.DataFrame
    """
    import pandas as pd

    rows = []
    years = audit_df["year"].dropna().unique() if "year" in audit_df else []
    for y in sorted(years):
        g = audit_df[audit_df["year"] == y]
        on = g["on_time"] if "on_time" in g else pd.Series([None] * len(g), dtype=object)
        days = (pd.to_numeric(g["days_early"], errors="coerce").dropna() if "days_early" in g
                else pd.Series([], dtype=float))
        rows.append({"year": int(y), "reports": len(g), "on_time": int((on == True).sum()),  # noqa: E712
                     "late": int((on == False).sum()), "date_unknown": int(on.isna().sum()),  # noqa: E712
                     "median_days_early": float(days.median()) if len(days) else None})
    return pd.DataFrame(rows, columns=["year", "reports", "on_time", "late", "date_unknown",
                                       "median_days_early"])


def audit_blocks(audit_df, indicators_df=None, *, top_n=200):
    """The audit section as blocks for :func:`rolnlp.analysis.summary.render_summary`.

    Parameters
    ----------
    audit_df : pandas.DataFrame
        One row per report (:func:`rolnlp.audit.audit_corpus`).
    indicators_df : pandas.DataFrame, optional
        The cross-report indicator table (:func:`rolnlp.audit.indicator_table`)
        or the mentions (:func:`rolnlp.extract_indicators`), which are then
        tabulated.
    top_n : int, default 200
        At most this many indicator rows are shown.

    Returns
    -------
    list of tuple
        ``("h2", text)``, ``("p", text)`` and ``("table", DataFrame, caption)``
        blocks: scorecard, parts grid, indicator table, timeliness by year.

    Example
    -------
    >>> import pandas as pd
    >>> [b[0] for b in audit_blocks(pd.DataFrame({"report_id": ["r"], "year": [2023],
    ...                                           "on_time": [True]}))]
    ['h2', 'p', 'table', 'table', 'p', 'table']
    """
    blocks = [("h2", "Report audit"),
              ("p", "What evaluators check: the parts the 2019 督察工作规定 requires, "
                    "publication before 1 April, concrete figures, and problems with causes.")]
    cols = [c for c in SCORECARD_COLUMNS if c in audit_df.columns]
    blocks.append(("table", audit_df[cols], "Scorecard: one row per report."))
    blocks.append(("table", parts_grid(audit_df),
                   "Parts: ✓ present as a part; mentioned: treated inside another part; – absent."))
    if indicators_df is not None and len(indicators_df):
        t = indicators_df
        if "mentions" not in t.columns:
            from .tables import indicator_table
            t = indicator_table(t, progress=False)
        show = [c for c in ["report_id", "region", "year", "code", "value", "unit", "change",
                            "sentence"] if c in t.columns]
        more = "" if len(t) <= top_n else f", first {top_n} of {len(t)}"
        blocks.append(("table", t[show].head(top_n),
                       f"Indicators (indicators v1): one row per report and code{more}; "
                       "the sentence is the source to check against."))
    else:
        blocks.append(("p", "No indicator figures found."))
    tby = timeliness_by_year(audit_df)
    if len(tby):
        blocks.append(("table", tby,
                       "Timeliness by year reported on (deadline: 1 April of the next year)."))
    return blocks


def audit_section(audit_df, indicators_df=None, *, top_n=200):
    """The audit section of the analyze summary, as an HTML fragment.

    Parameters
    ----------
    audit_df : pandas.DataFrame
        One row per report (:func:`rolnlp.audit.audit_corpus`).
    indicators_df : pandas.DataFrame, optional
        The indicator table or the mentions (see :func:`audit_blocks`).
    top_n : int, default 200
        At most this many indicator rows are shown.

    Returns
    -------
    str
        ``<h2>`` heading, scorecard, parts grid, indicator table and
        timeliness by year; all cell text escaped.
    """
    out = []
    for block in audit_blocks(audit_df, indicators_df, top_n=top_n):
        if block[0] == "table":
            out.append(_table(block[1], block[2]))
        else:
            out.append(f"<{block[0]}>{_html.escape(block[1])}</{block[0]}>")
    return "\n".join(out)
