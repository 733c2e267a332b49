"""A self-contained HTML summary: figures embedded as base64 PNG, tables as
HTML, one file a person can open offline.

All text that comes from reports or file names is escaped; category codes are
shown by their Chinese names with the code on hover (``title``), reports by
region and year; tables scroll sideways inside a 1280-pixel window instead of
widening the page.
"""
from __future__ import annotations

import base64
import datetime as _dt
import html
import math
import os
import sys
from typing import Any, Iterable, Mapping, Sequence

from .outputs import safe_text

_CSS = """
*{box-sizing:border-box}
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",
"WenQuanYi Zen Hei",system-ui,sans-serif;margin:1.5em auto;max-width:1180px;padding:0 1em;
color:#222;line-height:1.5}
h1{font-size:1.6em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
.scroll{overflow-x:auto;max-width:100%;margin:.3em 0 1.5em}
table{border-collapse:collapse;font-size:.85em}
th,td{border:1px solid #ddd;padding:.25em .5em;vertical-align:top;text-align:left}
td{max-width:32em;overflow-wrap:anywhere}
td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
th{background:#f3f3f3;white-space:nowrap}tr:nth-child(even) td{background:#fafafa}
[title]{text-decoration:underline dotted #999;text-underline-offset:2px}
img{max-width:100%;height:auto;border:1px solid #eee}.caption{color:#666;font-size:.85em}
figure{margin:1em 0}.note{color:#555;font-style:italic}
dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}dt{font-weight:bold}
ul.files{columns:3 16em}nav{margin:.5em 0 1em;font-size:.9em}
.code{color:#888;font-size:.75em;font-weight:normal;font-family:ui-monospace,monospace}
"""


def _esc(value: Any) -> str:
    return html.escape(str(safe_text(value)), quote=True)


def _fmt(value: Any) -> tuple[str, bool]:
    """Display text of a cell and whether it is a number."""
    if value is None or value is getattr(sys.modules.get("pandas"), "NA", None):
        return "", False  # missing values (None, pandas.NA) are empty cells, never "<NA>"
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value), False
    if hasattr(value, "item") and not isinstance(value, str):
        try:
            value = value.item()
        except (ValueError, AttributeError):
            pass
    if isinstance(value, bool):
        return str(value), False
    if isinstance(value, float):
        if math.isnan(value):
            return "", True
        return (f"{value:.0f}" if value.is_integer() and abs(value) >= 1000 else
                f"{value:.3f}"), True
    if isinstance(value, int):
        return str(value), True
    return str(value), False


def _category_title(code: Any) -> tuple[str, str | None]:
    """Chinese name of a codebook code and the code for hover; others unchanged."""
    from ..codebook import category_name

    try:
        return category_name(str(code), "zh"), str(code)
    except (ValueError, KeyError, TypeError):
        return str(code), None


def _table(df, options: Mapping[str, Any]) -> str:
    """HTML for ``df``.  ``options``: ``codes`` (columns holding category codes),
    ``code_columns`` (the column headers are category codes), ``titles``
    (``{column: {value: hover text}}``), ``names`` (``{column: {value: shown}}``),
    ``headers`` (``{column: shown header}``)."""
    codes = set(options.get("codes", ()))
    titles = options.get("titles", {})
    names = options.get("names", {})
    headers = options.get("headers", {})
    head = []
    for c in df.columns:
        label, tip = (_category_title(c) if options.get("code_columns") else (str(c), None))
        label = headers.get(c, label)
        attr = f' title="{_esc(tip)}"' if tip else ""
        code = f"<br><span class=\"code\">{_esc(tip)}</span>" if tip else ""
        head.append(f"<th{attr}>{_esc(label)}{code}</th>")
    rows = []
    for rec in df.itertuples(index=False):
        cells = []
        for c, v in zip(df.columns, rec):
            tip = None
            if c in codes and v is not None and v == v:
                text, tip = _category_title(v)
                num = False
            else:
                text, num = _fmt(v)
                if c in names and v in names[c]:
                    tip, text = str(v), names[c][v]
            tip = titles.get(c, {}).get(v, tip) if c in titles else tip
            attr = (' class="num"' if num else "") + (f' title="{_esc(tip)}"' if tip else "")
            code = (f" <span class=\"code\">{_esc(tip)}</span>"
                    if tip and c in codes else "")
            cells.append(f"<td{attr}>{_esc(text)}{code}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (f"<div class=\"scroll\"><table><thead><tr>{''.join(head)}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></div>")


def render_summary(title: str, blocks: Sequence[tuple]) -> str:
    """Render ``blocks`` into one HTML page (a str).

    Parameters
    ----------
    title : str
    blocks : list of tuple
        ``("h2", text)``, ``("p", text)``, ``("note", text)`` (a sentence saying
        why a section is empty), ``("facts", dict)``,
        ``("table", DataFrame, caption)`` or ``("table", DataFrame, caption, options)``
        (see below), ``("figure", png_bytes_or_path, caption)`` and
        ``("files", [(label, href), ...])``.  Table options: ``codes`` lists
        columns of category codes (shown by Chinese name, code on hover),
        ``code_columns`` shows category-code headers the same way, ``names``
        maps ``{column: {value: shown text}}`` (the value goes on hover).

    Returns
    -------
    str

    Example
    -------
    >>> page = render_summary("t", [("p", "hello")])
    >>> "<p>hello</p>" in page
    True
    """
    parts = [f"<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
             f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
             f"<title>{_esc(title)}</title><style>{_CSS}</style></head><body>",
             f"<h1>{_esc(title)}</h1>"]
    sections = [b[1] for b in blocks if b[0] == "h2"]
    if len(sections) > 2:
        links = " · ".join(f"<a href=\"#{_anchor(t)}\">{_esc(t)}</a>" for t in sections)
        parts.append(f"<nav>{links}</nav>")
    for block in blocks:
        kind = block[0]
        if kind == "h2":
            anchor = _anchor(block[1])
            parts.append(f"<h2 id=\"{anchor}\">{_esc(block[1])}</h2>")
        elif kind == "p":
            parts.append(f"<p>{_esc(block[1])}</p>")
        elif kind == "note":
            parts.append(f"<p class=\"note\">{_esc(block[1])}</p>")
        elif kind == "facts":
            items = "".join(f"<dt>{_esc(k)}</dt><dd>{_esc(_fmt(v)[0])}</dd>"
                            for k, v in block[1].items())
            parts.append(f"<dl>{items}</dl>")
        elif kind == "table":
            df, caption = block[1], block[2]
            options = block[3] if len(block) > 3 else {}
            parts.append(f"<p class=\"caption\">{_esc(caption)}</p>")
            parts.append(_table(df, options))
        elif kind == "figure":
            data, caption = block[1], block[2]
            if not isinstance(data, (bytes, bytearray)):
                with open(data, "rb") as f:
                    data = f.read()
            b64 = base64.b64encode(data).decode("ascii")
            parts.append(f"<figure><img alt=\"{_esc(caption)}\" "
                         f"src=\"data:image/png;base64,{b64}\"><figcaption class=\"caption\">"
                         f"{_esc(caption)}</figcaption></figure>")
        elif kind == "files":
            items = "".join(f"<li><a href=\"{_esc(_href(href))}\">{_esc(label)}</a></li>"
                            for label, href in block[1])
            parts.append(f"<ul class=\"files\">{items}</ul>")
        else:
            raise ValueError(f"unknown summary block {kind!r}")
    stamp = _dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    parts.append(f"<p class=\"caption\">Written by rolnlp on {stamp}.</p></body></html>\n")
    return "\n".join(parts)


def _anchor(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in str(safe_text(text)).lower())


def _href(rel: str) -> str:
    """A relative URL for a path inside the output directory."""
    from urllib.parse import quote

    return quote(str(safe_text(rel)).replace(os.sep, "/"))


def write_summary(path: str | os.PathLike, title: str, blocks: Sequence[tuple]) -> str | os.PathLike:
    """Write :func:`render_summary` output to ``path`` atomically; returns ``path``.

    Example
    -------
    >>> write_summary("out/summary.html", "Reports", [("p", "…")])  # doctest: +SKIP
    """
    from .._io import atomic_write

    with atomic_write(path) as f:
        f.write(render_summary(title, blocks))
    return path


def _first(values: Iterable, n: int) -> list:
    return list(dict.fromkeys(values))[:n]


def analysis_summary(path: str, reports: list, df: Any, tm: Any, profiles: dict, dist: Any,
                     reuse: Any, paths: Mapping[str, str], *, names: Mapping | None = None,
                     out_dir: str | None = None, unreadable: list | None = None,
                     neighbours: Any = None, audit: tuple | None = None) -> str:
    """Write the summary page of :func:`rolnlp.analyze` to ``path``; returns ``path``.

    Parameters
    ----------
    path : str
    reports : list of Report or of report ids
        Only counted.
    df : pandas.DataFrame
        The classified paragraph table (``label``, ``topic`` columns).
    tm : TopicModel
    profiles : dict
        Category profiles by ``report_id``, ``region`` and ``year``.
    dist : pandas.DataFrame
        Distinctive terms per report.
    reuse : ReuseResult
    paths : dict
        ``{name: path}`` of the files written so far (figures are embedded,
        every file is linked).
    names : dict, optional
        Display name per report id (:func:`rolnlp.analysis.plots.report_names`).
    out_dir : str, optional
        The output directory (links are relative to it).
    unreadable : list of (path, message), optional
        Files that could not be read (``Corpus.errors``): counted and listed.
    neighbours : pandas.DataFrame, optional
        Nearest reports (:func:`rolnlp.analysis.nearest_reports`).
    audit : (DataFrame, DataFrame), optional
        The audit rows and the cross-report indicator table, shown as the
        audit section.

    Returns
    -------
    str

    Example
    -------
    >>> analysis_summary("out/summary.html", reports, df, tm, ...)  # doctest: +SKIP
    """
    import pandas as pd

    from ..codebook import CATEGORY_CODES

    names = names or {}
    out_dir = out_dir or os.path.dirname(os.path.abspath(path))
    years = sorted({int(y) for y in df["year"].dropna()})
    regions = sorted({str(r) for r in df["region"].dropna()})
    facts = {"reports": len(reports), "paragraphs": len(df),
             "years": f"{years[0]}–{years[-1]}" if years else "unknown",
             "regions": len(regions), "topics": tm.n_topics_,
             "reused sentence pairs": len(reuse.pairs),
             "boilerplate sentences": len(reuse.boilerplate),
             "files that could not be read": len(unreadable or [])}
    rid = {"report_id": names}

    overall = (df.groupby("label").size().reindex(CATEGORY_CODES, fill_value=0)
               .rename("paragraphs").reset_index().rename(columns={"label": "category"}))
    extra = sorted(set(df["label"].dropna()) - set(CATEGORY_CODES))
    if extra:
        more = df[df["label"].isin(extra)].groupby("label").size().rename("paragraphs")
        overall = pd.concat([overall, more.reset_index().rename(columns={"label": "category"})],
                            ignore_index=True)
    overall["share"] = overall["paragraphs"] / max(1, overall["paragraphs"].sum())

    if "text" in df.columns:
        agg = {"paragraphs": ("text", "size"), "chars": ("text", lambda s: s.str.len().sum())}
    else:  # paragraph lengths given as ``chars`` (the text stays on disk)
        agg = {"paragraphs": ("chars", "size"), "chars": ("chars", "sum")}
    for col in ("report_title", "region", "year"):
        if col in df.columns:
            agg[col] = (col, "first")
    reports_tbl = df.groupby("report_id", sort=False).agg(**agg).reset_index()
    reports_tbl = reports_tbl[[c for c in ("report_id", "report_title", "region", "year",
                                           "paragraphs", "chars") if c in reports_tbl]]

    blocks: list = [("facts", facts), ("h2", "Reports")]
    if unreadable:
        bad = pd.DataFrame([(safe_text(str(p)), safe_text(str(m))) for p, m in unreadable],
                           columns=["file", "why it could not be read"])
        blocks.append(("table", bad, f"{len(bad)} file(s) could not be read and are left "
                                     "out of every table and figure below."))
    blocks.append(("table", reports_tbl.head(200),
                   "One row per report (first 200; all in paragraphs.csv). "
                   "Hover a name for its report id.",
                   {"names": rid, "headers": {"report_id": "report",
                                              "report_title": "title"}}))

    blocks += [("h2", "Categories"),
               ("table", overall, "Paragraphs per codebook category (hover a name for its "
                                  "code).", {"codes": ["category"]})]
    if "fig_category_heatmap" in paths:
        blocks.append(("figure", paths["fig_category_heatmap"],
                       "Share of paragraphs per category in each report."))
    prof_year = profiles.get("year")
    if prof_year is not None and len(prof_year):
        # categories down, years across: years are few, so the table stays narrow
        year_tbl = prof_year.pivot_table(index="category", columns="year",
                                         values="paragraph_share", fill_value=0.0,
                                         sort=True)
        year_tbl = year_tbl.reindex(index=list(dict.fromkeys(prof_year["category"])))
        year_tbl.columns = [str(int(y)) for y in year_tbl.columns]
        blocks.append(("table", year_tbl.reset_index(),
                       "Share of paragraphs per category by report year.",
                       {"codes": ["category"]}))
        if "fig_category_by_year" in paths:
            blocks.append(("figure", paths["fig_category_by_year"],
                           "Share of paragraphs per category by report year."))
    else:
        blocks.append(("note", "No category shares by year: no report states the year "
                               "it covers."))

    info = tm.get_topic_info()
    info = info[[c for c in ("topic", "size", "share", "top_terms", "category") if c in info]]
    blocks += [("h2", "Topics"),
               ("table", info, "Topics and their top terms; size = paragraphs whose top "
                               "topic it is.", {"codes": ["category"]})]
    for key, cap in (("fig_topics", "Topic sizes."),
                     ("fig_coherence", "Coherence of the number of topics tried."),
                     ("fig_topics_per_report", "Topic prevalence per report."),
                     ("fig_topics_over_time", "Topic share by report year (per report, then averaged).")):
        if key in paths:
            blocks.append(("figure", paths[key], cap))
    sweep = getattr(tm, "coherence_sweep_", None)
    if sweep is not None and len(sweep) == 1:
        blocks.append(("note", f"No coherence sweep: only {int(sweep['n_topics'].iloc[0])} "
                               "topics could be tried (at least one per seeded codebook "
                               "category, at most one per 20 paragraphs); more paragraphs "
                               "allow a choice."))
    elif "fig_coherence" not in paths:
        blocks.append(("note", "No coherence sweep: the number of topics was given, not "
                               "chosen by coherence."))

    blocks.append(("h2", "Distinctive terms"))
    if len(dist):
        top_dist = dist.groupby("report_id", sort=False).head(8)
        top_dist = top_dist[top_dist["report_id"].isin(_first(dist["report_id"], 30))]
        terms: dict = {}
        for r, t, z in zip(top_dist["report_id"], top_dist["term"], top_dist["z"]):
            terms.setdefault(r, []).append(f"{t} ({z:.1f})")
        compact = pd.DataFrame({"report_id": list(terms),
                                "terms (z)": [" · ".join(v) for v in terms.values()]})
        blocks.append(("table", compact, "Terms each report uses more than the others, "
                                         "with their z-score (weighted log-odds; z > 1.96 is "
                                         "notable; first 30 reports, 8 terms each; all in "
                                         "distinctive_terms.csv).",
                       {"names": rid, "headers": {"report_id": "report"}}))
    else:
        blocks.append(("note", "No distinctive terms: comparing vocabularies needs at least "
                               "two reports with text."))

    if tm is not None and len(df) and hasattr(tm, "topics_per_class"):
        for by, label in (("province", "province"), ("year", "report year")):
            if by in df.columns and df[by].notna().any():
                shares = tm.topics_per_class(by, min_reports=2, n_boot=200)
                if len(shares):
                    top = shares.sort_values("share", ascending=False, kind="stable").head(40)
                    blocks.append(("table", top, f"Topic shares by {label}: each report's "
                                   "shares averaged over the group's reports (at least two), "
                                   "with a 95 % bootstrap interval over reports; the 40 "
                                   f"largest (all in topics_by_{by}.csv)."))
        if "topic_examples" in paths:
            blocks.append(("p", "Representative paragraphs of every topic are in "
                                "topic_examples.csv."))

    blocks.append(("h2", "Similarity and text reuse"))
    if neighbours is not None and len(neighbours):
        first = neighbours[neighbours["rank"] == 1].sort_values(
            "similarity", ascending=False, kind="stable").head(30)
        blocks.append(("table", first[["report_id", "neighbour_id", "similarity"]],
                       "Each report's most similar report (TF-IDF cosine; the 30 closest "
                       "pairs; every report's nearest reports in neighbours.csv).",
                       {"names": {"report_id": names, "neighbour_id": names},
                        "headers": {"report_id": "report", "neighbour_id": "most similar"}}))
    if "fig_similarity" in paths:
        blocks.append(("figure", paths["fig_similarity"],
                       "TF-IDF cosine similarity of reports (the diagonal, each report "
                       "with itself, is left out)."))
    elif len(reports) < 2:
        blocks.append(("note", "No similarity figure: it needs at least two reports."))
    else:
        blocks.append(("note", "No similarity heatmap: it is drawn for at most 40 reports; "
                               "the nearest reports of each are in neighbours.csv."))
    if len(reuse.pairs):
        pairs = reuse.pairs.sort_values("similarity", ascending=False, kind="stable").head(50)
        pairs = pairs[[c for c in ("report_a", "sentence_a", "report_b", "sentence_b",
                                   "similarity") if c in pairs]]
        blocks.append(("table", pairs, "Near-identical sentences shared by two reports "
                                       "(top 50; all with offsets in reuse_pairs.csv).",
                       {"names": {"report_a": names, "report_b": names}}))
    else:
        blocks.append(("note", "No reused sentences: no two reports share a near-identical "
                               "sentence at the chosen threshold."))
    if len(reuse.boilerplate):
        blocks.append(("table", reuse.boilerplate.head(30),
                       "Sentences found in many reports (boilerplate; first 30)."))
    else:
        blocks.append(("note", "No boilerplate: no sentence recurs across enough reports "
                               "to count as boilerplate."))

    if audit is not None and audit[0] is not None:
        from ..audit.html import audit_blocks

        for block in audit_blocks(*audit):
            if block[0] == "table" and "report_id" in block[1].columns:
                # reports by name as everywhere else; the parts grid shows the order
                tbl = block[1].drop(columns=[c for c in ("parts_order", "region", "year")
                                             if c in block[1].columns and c != "report_id"
                                             and "code" not in block[1].columns])
                block = ("table", tbl, block[2],
                         {"names": rid, "headers": {"report_id": "report"}})
            blocks.append(block)

    files = []
    for key, p in sorted(paths.items(), key=lambda kv: os.path.relpath(kv[1], out_dir)):
        rel = os.path.relpath(p, out_dir)
        if os.path.isdir(p):
            rel += "/"
        files.append((rel, rel))
    files.append(("summary.html", "summary.html"))
    blocks += [("h2", "Files"),
               ("p", "Everything is in the folder of this page; the tables are UTF-8 "
                     "CSV (text starting with = + - @ is prefixed with ' so spreadsheets "
                     "do not run it)."),
               ("files", sorted(set(files)))]
    return write_summary(path, "Rule-of-law report analysis", blocks)
