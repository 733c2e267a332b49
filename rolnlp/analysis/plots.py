"""Figures of the analysis: category heatmap, topic sizes and prevalence,
topics over time, coherence sweep, report similarity.

Every function returns a :class:`matplotlib.figure.Figure` built without
pyplot, so nothing depends on an interactive backend and no global figure
state leaks.  Chinese text needs a CJK font: :func:`cjk_font` looks for one;
without it, labels fall back to codes and ids (``T3 enforcement``) instead of
drawing empty boxes and warning about missing glyphs.
"""
from __future__ import annotations

import functools
import logging
import os
import shutil
import subprocess
import warnings
from typing import TYPE_CHECKING, Any, Iterable, Mapping

import numpy as np

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

logger = logging.getLogger(__name__)

# Families in order of preference: sans-serif faces made for Simplified Chinese
# first, then common system faces, then other sans CJK faces (Japanese or
# traditional-script variants still draw simplified characters legibly)
PREFERRED_FONTS = (
    "Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans SC", "Source Han Sans CN",
    "SimHei", "Microsoft YaHei", "PingFang SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei",
    "Heiti SC", "Hiragino Sans GB", "Sarasa Gothic SC", "Droid Sans Fallback",
    "Noto Sans CJK TC", "Noto Sans CJK HK", "Source Han Sans TC", "Noto Sans CJK JP",
    "Source Han Sans", "Source Han Sans JP", "Noto Sans CJK KR",
)
_CJK_HINTS = ("cjk", "han sans", "wenquanyi", "wqy", "hei", "yahei", "pingfang",
              "noto sans sc", "noto sans tc", "droid sans fallback", "sarasa", "gothic")
# serif, brush and Japanese mincho faces: never used for figure labels
_NOT_SANS = ("serif", "song", "sun", "ming", "mincho", "kai", "fang", "lisu", "brush")
INSTALL_HINT = ("install a CJK font for Chinese figure labels, e.g. "
                "'apt install fonts-noto-cjk' (Debian/Ubuntu), "
                "'dnf install google-noto-sans-cjk-fonts' (Fedora) or "
                "'brew install --cask font-noto-sans-cjk' (macOS), then delete "
                "matplotlib's font cache (~/.cache/matplotlib)")


def _is_sans(name):
    low = name.lower()
    return not any(bad in low for bad in _NOT_SANS)


def choose_cjk_font(families: Iterable[str], zh_families: Iterable[str] = ()) -> str | None:
    """Pick the family to draw Chinese with from ``families`` (the fonts
    matplotlib can use), or ``None``.

    Parameters
    ----------
    families : iterable of str
        Font family names matplotlib knows.
    zh_families : iterable of str
        Families fontconfig reports as covering Chinese (``fc-list :lang=zh``);
        they count as CJK even when their name gives no hint.

    Returns
    -------
    str or None
        The first of :data:`PREFERRED_FONTS` present, else another sans-serif
        CJK family (alphabetically first), else ``None``.  Serif faces
        (Song/Ming/Mincho/Kai, "Serif") are never chosen.

    Example
    -------
    >>> choose_cjk_font(["Noto Serif CJK JP", "DejaVu Sans", "Noto Sans CJK JP"])
    'Noto Sans CJK JP'
    """
    known = {f.strip(): None for f in families if f and f.strip()}
    by_lower = {k.lower(): k for k in known}
    for name in PREFERRED_FONTS:
        if name.lower() in by_lower:
            return by_lower[name.lower()]
    zh = {z.strip().lower() for z in zh_families}
    others = sorted(k for k in known if _is_sans(k) and
                    (k.lower() in zh or any(h in k.lower() for h in _CJK_HINTS)))
    return others[0] if others else None


def _fc_families():
    """Families fontconfig lists as covering Chinese (empty without fc-list)."""
    if not shutil.which("fc-list"):
        return []
    try:
        res = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True,
                             text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return []
    return [fam.strip() for line in res.stdout.splitlines() for fam in line.split(",")]


def _add_fontconfig_cjk(font_manager) -> bool:
    """Register with matplotlib the sans-serif CJK font files fontconfig knows.

    matplotlib caches its font list; a font installed later is invisible to it
    until the cache is rebuilt.  Returns whether any file was added.
    """
    if not shutil.which("fc-list"):
        return False
    try:
        res = subprocess.run(["fc-list", ":lang=zh", "file", "family"], capture_output=True,
                             text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    added = False
    for line in res.stdout.splitlines():
        path, _, families = line.partition(":")
        if any(_is_sans(f.strip()) for f in families.split(",")) and os.path.isfile(path):
            try:
                font_manager.fontManager.addfont(path)
                added = True
            except (OSError, RuntimeError, ValueError):
                continue
    return added


@functools.lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """Name of the installed sans-serif font family figures use for Chinese, or ``None``.

    Chosen by :func:`choose_cjk_font` among the fonts matplotlib knows.
    Without one, a single warning says how to install one, and figure labels
    fall back to codes and ids.

    Returns
    -------
    str or None

    Example
    -------
    >>> cjk_font() in (None,) or isinstance(cjk_font(), str)
    True
    """
    from matplotlib import font_manager

    known = [f.name for f in font_manager.fontManager.ttflist]
    font = choose_cjk_font(known, _fc_families())
    if font is None and _add_fontconfig_cjk(font_manager):
        # a font installed after matplotlib built its font cache
        known = [f.name for f in font_manager.fontManager.ttflist]
        font = choose_cjk_font(known, _fc_families())
    if font is None:
        logger.warning("no CJK font found: figure labels use codes and ids; %s", INSTALL_HINT)
    return font


def has_cjk(text: Any) -> bool:
    """True when ``text`` has characters outside Latin-1 (needs a CJK font)."""
    return any(ord(ch) > 0x2FF for ch in str(text))


def _label(text, fallback):
    """``text`` when it can be drawn, else ``fallback``."""
    from .outputs import safe_text

    text = safe_text(str(text))
    return text if (cjk_font() or not has_cjk(text)) else safe_text(str(fallback))


def report_names(df: "pd.DataFrame", *, id_column: str = "report_id") -> dict:
    """Readable names for reports: region and year (``硚口区 2024``).

    Reports sharing a name are numbered (``硚口区 2024 #1``, ``#2``); a report
    without a region keeps its id.

    Parameters
    ----------
    df : pandas.DataFrame
        Rows with ``report_id`` and, where known, ``region`` and ``year``
        (the paragraph table or one row per report).
    id_column : str, default "report_id"

    Returns
    -------
    dict
        ``{report_id: name}`` in first-appearance order.

    Example
    -------
    >>> import pandas as pd
    >>> report_names(pd.DataFrame({"report_id": ["a", "b"], "region": ["硚口区", "硚口区"],
    ...                            "year": [2024, 2024]}))
    {'a': '硚口区 2024 #1', 'b': '硚口区 2024 #2'}
    """
    from .outputs import safe_text

    cols = [c for c in (id_column, "region", "year") if c in df.columns]
    first = df[cols].drop_duplicates(subset=[id_column], keep="first")
    base = {}
    for row in first.itertuples(index=False):
        d = dict(zip(cols, row))
        rid = d[id_column]
        region, year = d.get("region"), d.get("year")
        parts = []
        if isinstance(region, str) and region.strip():
            parts.append(region.strip())
        if parts and year is not None and year == year:
            parts.append(str(int(year)))
        base[rid] = safe_text(" ".join(parts) if parts else str(rid))
    counts: dict = {}
    for name in base.values():
        counts[name] = counts.get(name, 0) + 1
    seen: dict = {}
    out = {}
    for rid, name in base.items():
        if counts[name] > 1:
            seen[name] = seen.get(name, 0) + 1
            name = f"{name} #{seen[name]}"
        out[rid] = name
    return out


def topic_label(row: Mapping[str, Any]) -> str:
    """``T3 执法 行政 案件``: topic id and its top three terms (a row of
    ``TopicModel.get_topic_info()``)."""
    terms = str(row.get("top_terms") or "").split()[:3]
    head = " ".join(terms) if terms else str(row.get("label", ""))
    return f"T{row['topic']} {head}".strip()


def _topic_labels(info):
    rows = info.to_dict("records")
    return [_label(topic_label(r), r.get("short_label") or f"T{r['topic']}") for r in rows]


def topic_colors(n: int) -> list[tuple[float, float, float, float]]:
    """``n`` distinct RGBA colours: ``tab10``/``tab20`` while they suffice, then
    evenly spaced hues, so no two topics ever share a colour.

    Example
    -------
    >>> len({tuple(c) for c in topic_colors(25)})
    25
    """
    from matplotlib import colormaps

    if n <= 10:
        return [tuple(c) for c in colormaps["tab10"](np.arange(n))]
    if n <= 20:
        return [tuple(c) for c in colormaps["tab20"](np.arange(n))]
    return [tuple(c) for c in colormaps["hsv"](np.linspace(0, 1, n, endpoint=False))]


def _figure(width, height):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    font = cjk_font()
    if font:
        # rcParams are global, so set the font on this figure's texts instead
        fig._rolnlp_font = font
    return fig


def _apply_font(fig):
    font = getattr(fig, "_rolnlp_font", None)
    if not font:
        return fig
    for text in fig.findobj(lambda a: hasattr(a, "set_fontfamily")):
        text.set_fontfamily([font, "DejaVu Sans"])
    return fig


def save_figure(fig: "Figure", path: str | os.PathLike) -> str | os.PathLike:
    """Write ``fig`` as PNG atomically, quietly (no missing-glyph warnings).

    Example
    -------
    >>> save_figure(plot_coherence(sweep), "out/coherence.png")  # doctest: +SKIP
    """
    from .._io import atomic_write

    with atomic_write(path, "wb") as f, warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*[Gg]lyph.*missing.*")
        fig.savefig(f, format="png")
    return path


def _no_data(ax, message):
    """Say ``message`` in place of a plot: a figure with nothing to draw still tells why."""
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes)
    ax.set_axis_off()


def _heatmap(ax, matrix, rows, cols, cmap="viridis", vmin=None, vmax=None, cbar_label=""):
    from matplotlib import colormaps

    # masked cells (the similarity diagonal) in neutral grey
    cm = colormaps[cmap].with_extremes(bad="#dddddd")
    im = ax.imshow(np.ma.masked_invalid(matrix), aspect="auto", cmap=cm, vmin=vmin,
                   vmax=vmax, interpolation="nearest")
    if len(cols) <= 60:
        ax.set_xticks(range(len(cols)), cols, rotation=60, ha="right", fontsize=8)
    else:
        ax.set_xticks([])
    if len(rows) <= 60:
        ax.set_yticks(range(len(rows)), rows, fontsize=8)
    else:
        ax.set_yticks([])
    ax.figure.colorbar(im, ax=ax, label=cbar_label, shrink=0.8)
    return im


def _group_names(values, prefix, names=None):
    # without a CJK font a Chinese name falls back to the id, or to a number
    names = names or {}
    return [_label(names.get(v, str(v)), f"{prefix}{i + 1}" if has_cjk(str(v)) else str(v))
            for i, v in enumerate(values)]


def _group_heatmap(ax, table, by, names, cols, cbar_label, title):
    # one row per group of ``by``: reports are named "report N", other groups "group N"
    noun = "report" if by == "report_id" else by
    prefix = "report " if by == "report_id" else "group "
    _heatmap(ax, table.to_numpy(), _group_names(table.index, prefix, names), cols, vmin=0,
             cbar_label=cbar_label)
    ax.set_title(f"{title} per {noun}")


def plot_category_heatmap(profile: "pd.DataFrame", by: str = "report_id",
                          value: str = "paragraph_share",
                          names: Mapping | None = None) -> "Figure":
    """Heatmap of category shares: groups (rows) × codebook categories (columns).

    Parameters
    ----------
    profile : pandas.DataFrame
        Output of :func:`rolnlp.analysis.category_profile`.
    by : str
        Its grouping column.
    value : {"paragraph_share", "char_share"}
    names : dict, optional
        Display name per group (e.g. :func:`report_names` for reports).

    Returns
    -------
    matplotlib.figure.Figure

    Example
    -------
    >>> plot_category_heatmap(category_profile(df))  # doctest: +SKIP
    """
    from ..codebook import category_name

    table = profile.pivot_table(index=by, columns="category", values=value, sort=False,
                                fill_value=0.0)
    cols = list(dict.fromkeys(profile["category"]))
    table = table.reindex(columns=cols, fill_value=0.0)
    fig = _figure(max(6, 0.5 * len(cols) + 3), max(3, min(20, 0.3 * len(table) + 2)))
    ax = fig.add_subplot()
    labels = []
    for c in cols:
        try:
            labels.append(_label(category_name(c, "zh"), c))
        except ValueError:
            labels.append(_label(str(c), str(c)))
    _group_heatmap(ax, table, by, names, labels, value.replace("_", " "), "Category share")
    return _apply_font(fig)


def plot_topics(info: "pd.DataFrame") -> "Figure":
    """Topic sizes (paragraphs whose top topic it is) as horizontal bars,
    labelled by topic id and top terms (ids and codes without a CJK font).

    Parameters
    ----------
    info : pandas.DataFrame
        ``TopicModel.get_topic_info()``.

    Returns
    -------
    matplotlib.figure.Figure
        One bar per topic, largest at the top.

    Example
    -------
    >>> plot_topics(tm.get_topic_info())  # doctest: +SKIP
    """
    labels = _topic_labels(info)
    fig = _figure(8, max(3, 0.35 * len(info) + 1.5))
    ax = fig.add_subplot()
    y = np.arange(len(info))
    ax.barh(y, info["size"], color=topic_colors(len(info)))
    ax.set_yticks(y, labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("paragraphs (top topic)")
    ax.set_title("Topics")
    return _apply_font(fig)


def plot_coherence(sweep: "pd.DataFrame", chosen: int | None = None) -> "Figure":
    """Coherence per number of topics tried by the sweep; the chosen one marked.

    Parameters
    ----------
    sweep : pandas.DataFrame
        ``n_topics, coherence`` (``TopicModel.coherence_sweep_``).
    chosen : int, optional

    Returns
    -------
    matplotlib.figure.Figure

    Example
    -------
    >>> plot_coherence(tm.coherence_sweep_, chosen=tm.n_topics_)  # doctest: +SKIP
    """
    fig = _figure(6, 3.5)
    ax = fig.add_subplot()
    ax.plot(sweep["n_topics"], sweep["coherence"], marker="o")
    if chosen is not None:
        ax.axvline(chosen, color="grey", linestyle="--", label=f"chosen: {chosen}")
        ax.legend()
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_xlabel("number of topics")
    ax.set_ylabel("coherence")
    ax.set_title("Topic coherence sweep")
    return _apply_font(fig)


def plot_topic_prevalence(per_class: "pd.DataFrame", by: str, info: "pd.DataFrame",
                          names: Mapping | None = None) -> "Figure":
    """Heatmap of topic share per group (rows) and topic (columns).

    Parameters
    ----------
    per_class : pandas.DataFrame
        Output of ``TopicModel.topics_per_class`` / ``topics_per_report``.
    by : str
        Its group column.
    info : pandas.DataFrame
        ``TopicModel.get_topic_info()`` for column labels.
    names : dict, optional
        Display name per group (e.g. :func:`report_names`).

    Returns
    -------
    matplotlib.figure.Figure

    Example
    -------
    >>> plot_topic_prevalence(tm.topics_per_report(), "report_id", tm.get_topic_info())  # doctest: +SKIP
    """
    table = per_class.pivot_table(index=by, columns="topic", values="share", sort=True,
                                  fill_value=0.0)
    cols = _topic_labels(info)
    table = table.reindex(columns=list(info["topic"]), fill_value=0.0)
    fig = _figure(max(6, 0.45 * len(cols) + 3), max(3, min(20, 0.3 * len(table) + 2.5)))
    ax = fig.add_subplot()
    _group_heatmap(ax, table, by, names, cols, "topic share", "Topic prevalence")
    return _apply_font(fig)


def plot_topics_over_time(over_time: "pd.DataFrame", info: "pd.DataFrame") -> "Figure":
    """Topic share per report year (shares per report, averaged), one line per topic.

    Years without any report leave a gap instead of a line across them, and
    every topic has its own colour (:func:`topic_colors`).

    Parameters
    ----------
    over_time : pandas.DataFrame
        ``TopicModel.topics_over_time()``.
    info : pandas.DataFrame
        ``TopicModel.get_topic_info()``, for the line labels.

    Returns
    -------
    matplotlib.figure.Figure
        One line per topic over the report years.

    Example
    -------
    >>> plot_topics_over_time(tm.topics_over_time(), tm.get_topic_info())  # doctest: +SKIP
    """
    fig = _figure(9, 4.5)
    ax = fig.add_subplot()
    if len(over_time) == 0:
        _no_data(ax, "no report years known")
        return _apply_font(fig)
    table = over_time.pivot_table(index="year", columns="topic", values="share")
    table.index = table.index.astype(int)
    years = range(int(table.index.min()), int(table.index.max()) + 1)
    table = table.reindex(years)  # NaN rows break the lines at years without reports
    labels = dict(zip(info["topic"], _topic_labels(info)))
    colors = topic_colors(len(table.columns))
    for color, t in zip(colors, table.columns):
        ax.plot(table.index, table[t].to_numpy(), marker="o", color=color,
                label=labels.get(t, f"T{t}"))
    ax.set_xlabel("report year")
    ax.set_ylabel("topic share (per report, averaged)")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(fontsize=7, ncol=1 if len(table.columns) <= 12 else 2, loc="upper left",
              bbox_to_anchor=(1.0, 1.0))
    ax.set_title("Topics over time")
    return _apply_font(fig)


def plot_similarity(sim: "pd.DataFrame", names: Mapping | None = None) -> "Figure":
    """Heatmap of the report-by-report similarity matrix.

    The diagonal (each report with itself, always 1) is greyed out and the
    colour scale spans the other cells, so differences between reports show.

    Parameters
    ----------
    sim : pandas.DataFrame
        Square similarity matrix (:func:`rolnlp.analysis.similarity_matrix`).
    names : dict, optional
        Display name per report id (:func:`report_names`).

    Returns
    -------
    matplotlib.figure.Figure

    Example
    -------
    >>> plot_similarity(similarity_matrix(corpus))  # doctest: +SKIP
    """
    n = len(sim)
    matrix = sim.to_numpy(dtype=float).copy()
    np.fill_diagonal(matrix, np.nan)
    off = matrix[np.isfinite(matrix)]
    vmin, vmax = (float(off.min()), float(off.max())) if off.size else (0.0, 1.0)
    if vmax - vmin < 1e-6:
        vmin, vmax = max(0.0, vmin - 0.05), min(1.0, vmax + 0.05)
    fig = _figure(min(14, 0.45 * n + 5), min(12, 0.4 * n + 3))
    ax = fig.add_subplot()
    labels = _group_names(sim.index, "report ", names)
    _heatmap(ax, matrix, labels, labels, cmap="magma", vmin=vmin, vmax=vmax,
             cbar_label="cosine similarity (TF-IDF)")
    if n <= 15:
        mid = (vmin + vmax) / 2
        for i in range(n):
            for k in range(n):
                if i != k and np.isfinite(matrix[i, k]):
                    ax.text(k, i, f"{matrix[i, k]:.2f}", ha="center", va="center", fontsize=7,
                            color="black" if matrix[i, k] > mid else "white")
    ax.set_title("Report similarity (diagonal omitted)")
    return _apply_font(fig)
