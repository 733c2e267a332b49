"""Category profiles: how much of each report, region or year goes to each
codebook category."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..codebook import CATEGORY_CODES

if TYPE_CHECKING:
    import pandas as pd

GROUPINGS = ("report_id", "region", "year", "level")


def category_profile(df: "pd.DataFrame", by: str = "report_id", *,
                     label: str = "label") -> "pd.DataFrame":
    """Share of paragraphs and of characters per codebook category per group.

    Parameters
    ----------
    df : pandas.DataFrame
        Classified paragraphs: a ``text`` column (or ``chars``, each
        paragraph's length), a ``label`` column (codebook codes) and the
        grouping column (``Corpus.to_dataframe()`` plus labels).
    by : str, default "report_id"
        Grouping column: ``report_id``, ``region``, ``year``, ``level`` or any
        other column of ``df``; rows where it is missing are left out.
    label : str, default "label"
        Name of the category column.

    Returns
    -------
    pandas.DataFrame
        One row per group and category (every codebook category, zeros
        included): ``<by>, category, paragraphs, paragraph_share, chars,
        char_share``.  Shares sum to 1 within a group.

    Example
    -------
    >>> df = pd.DataFrame({"report_id": ["a", "a"], "text": ["执法", "复议复议"],
    ...                    "label": ["enforcement", "dispute_resolution"]})  # doctest: +SKIP
    >>> category_profile(df).query("category == 'enforcement'")  # doctest: +SKIP
    """
    import pandas as pd

    if not isinstance(df, pd.DataFrame):
        raise TypeError("category_profile expects a DataFrame of classified paragraphs")
    # a table without text may give each paragraph's length as ``chars``
    length = "chars" if "text" not in df.columns and "chars" in df.columns else "text"
    missing = [c for c in (length, label, by) if c not in df.columns]
    if missing:
        raise ValueError(f"DataFrame lacks column(s) {', '.join(missing)}")
    d = df[[by, label, length]].dropna(subset=[by]).copy()
    if length == "text":
        d["chars"] = d["text"].fillna("").astype(str).str.len()
    extra = sorted(set(d[label].dropna()) - set(CATEGORY_CODES))
    categories = [*CATEGORY_CODES, *extra]
    g = d.groupby([by, label], sort=True)
    counts = g.size().unstack(fill_value=0).reindex(columns=categories, fill_value=0)
    chars = g["chars"].sum().unstack(fill_value=0).reindex(columns=categories, fill_value=0)
    par_share = counts.div(counts.sum(axis=1).replace(0, 1), axis=0)
    char_share = chars.div(chars.sum(axis=1).replace(0, 1), axis=0)
    out = pd.DataFrame({
        "paragraphs": counts.stack(),
        "paragraph_share": par_share.stack(),
        "chars": chars.stack(),
        "char_share": char_share.stack(),
    }).reset_index()
    out.columns = [by, "category", *out.columns[2:]]
    out["paragraphs"] = out["paragraphs"].astype(int)
    out["chars"] = out["chars"].astype(int)
    return out
