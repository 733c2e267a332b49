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
import shutil
import subprocess
import warnings

import numpy as np

logger = logging.getLogger(__name__)

_CJK_HINTS = ("cjk", "han sans", "han serif", "wenquanyi", "wqy", "simhei", "simsun",
              "yahei", "pingfang", "heiti", "songti", "kaiti", "fangsong", "noto sans sc",
              "noto serif sc", "ar pl", "droid sans fallback", "sarasa", "hanamin",
              "source han", "ukai", "uming", "zenhei", "microhei")


@functools.lru_cache(maxsize=1)
def cjk_font():
    """Name of an installed font family that can draw Chinese, or ``None``.

    Looks at ``fc-list :lang=zh`` when fontconfig is there and at the fonts
    matplotlib knows.

    Example
    -------
    >>> cjk_font() in (None,) or isinstance(cjk_font(), str)
    True
    """
    from matplotlib import font_manager

    known = {f.name for f in font_manager.fontManager.ttflist}
    if shutil.which("fc-list"):
        try:
            res = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True,
                                 text=True, timeout=10, check=False)
            for line in res.stdout.splitlines():
                for fam in line.split(","):
                    if fam.strip() in known:
                        return fam.strip()
        except (OSError, subprocess.SubprocessError):
            pass
    for name in sorted(known):
        if any(h in name.lower() for h in _CJK_HINTS):
            return name
    logger.info("no CJK font found; figure labels use codes and ids")
    return None


def has_cjk(text):
    """True when ``text`` has characters outside Latin-1 (needs a CJK font)."""
    return any(ord(ch) > 0x2FF for ch in str(text))


def _label(text, fallback):
    """``text`` when it can be drawn, else ``fallback``."""
    return text if (cjk_font() or not has_cjk(text)) else fallback


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


def save_figure(fig, path):
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


def _heatmap(ax, matrix, rows, cols, cmap="viridis", vmin=None, vmax=None, cbar_label=""):
    im = ax.imshow(matrix, aspect="auto", cmap=cmap, vmin=vmin, vmax=vmax,
                   interpolation="nearest")
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


def _group_names(values, prefix):
    return [_label(str(v), f"{prefix}{i + 1}") for i, v in enumerate(values)]


def plot_category_heatmap(profile, by="report_id", value="paragraph_share"):
    """Heatmap of category shares: groups (rows) × codebook categories (columns).

    Parameters
    ----------
    profile : pandas.DataFrame
        Output of :func:`rolnlp.analysis.category_profile`.
    by : str
        Its grouping column.
    value : {"paragraph_share", "char_share"}

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
    names = []
    for c in cols:
        try:
            names.append(_label(category_name(c, "zh"), c) if cjk_font() else c)
        except ValueError:
            names.append(str(c))
    _heatmap(ax, table.to_numpy(), _group_names(table.index, "group "), names, vmin=0,
             cbar_label=value.replace("_", " "))
    ax.set_title(f"Category share per {by}")
    return _apply_font(fig)


def plot_topics(info):
    """Topic sizes (paragraphs whose top topic it is) as horizontal bars.

    Bars are labelled with the readable topic label when a CJK font exists,
    else with ``short_label`` (ids and category codes).

    Example
    -------
    >>> plot_topics(tm.get_topic_info())  # doctest: +SKIP
    """
    labels = [_label(a, b) for a, b in zip(info["label"], info["short_label"])]
    fig = _figure(8, max(3, 0.35 * len(info) + 1.5))
    ax = fig.add_subplot()
    y = np.arange(len(info))
    ax.barh(y, info["size"], color="#4c72b0")
    ax.set_yticks(y, labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("paragraphs (top topic)")
    ax.set_title("Topics")
    return _apply_font(fig)


def plot_coherence(sweep, chosen=None):
    """Coherence per number of topics tried by the sweep; the chosen one marked.

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
    ax.set_xlabel("number of topics")
    ax.set_ylabel("coherence")
    ax.set_title("Topic coherence sweep")
    return fig


def plot_topic_prevalence(per_class, by, info):
    """Heatmap of mean topic weight per group (rows) and topic (columns).

    Parameters
    ----------
    per_class : pandas.DataFrame
        Output of ``TopicModel.topics_per_class`` / ``topics_per_report``.
    by : str
        Its group column.
    info : pandas.DataFrame
        ``TopicModel.get_topic_info()`` for column labels.

    Example
    -------
    >>> plot_topic_prevalence(tm.topics_per_report(), "report_id", tm.get_topic_info())  # doctest: +SKIP
    """
    table = per_class.pivot_table(index=by, columns="topic", values="weight", sort=True,
                                  fill_value=0.0)
    cols = [_label(a, b) for a, b in zip(info["label"], info["short_label"])]
    table = table.reindex(columns=list(info["topic"]), fill_value=0.0)
    fig = _figure(max(6, 0.45 * len(cols) + 3), max(3, min(20, 0.3 * len(table) + 2.5)))
    ax = fig.add_subplot()
    _heatmap(ax, table.to_numpy(), _group_names(table.index, "group "), cols, vmin=0,
             cbar_label="mean topic weight")
    ax.set_title(f"Topic prevalence per {by}")
    return _apply_font(fig)


def plot_topics_over_time(over_time, info):
    """Mean topic weight per report year, one line per topic.

    Example
    -------
    >>> plot_topics_over_time(tm.topics_over_time(), tm.get_topic_info())  # doctest: +SKIP
    """
    fig = _figure(8, 4.5)
    ax = fig.add_subplot()
    if len(over_time) == 0:
        ax.text(0.5, 0.5, "no report years known", ha="center", va="center",
                transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    table = over_time.pivot_table(index="year", columns="topic", values="weight")
    labels = dict(zip(info["topic"], (_label(a, b) for a, b in
                                      zip(info["label"], info["short_label"]))))
    for t in table.columns:
        ax.plot(table.index.astype(int), table[t], marker="o", label=labels.get(t, f"T{t}"))
    ax.set_xlabel("report year")
    ax.set_ylabel("mean topic weight")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(fontsize=7, ncol=2, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.set_title("Topics over time")
    return _apply_font(fig)


def plot_similarity(sim):
    """Heatmap of the report-by-report similarity matrix.

    Example
    -------
    >>> plot_similarity(similarity_matrix(corpus))  # doctest: +SKIP
    """
    n = len(sim)
    fig = _figure(min(14, 0.35 * n + 4), min(12, 0.35 * n + 3))
    ax = fig.add_subplot()
    names = _group_names(sim.index, "report ")
    _heatmap(ax, sim.to_numpy(), names, names, cmap="magma", vmin=0, vmax=1,
             cbar_label="cosine similarity (TF-IDF)")
    ax.set_title("Report similarity")
    return _apply_font(fig)
