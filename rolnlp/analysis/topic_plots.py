"""Figures of :class:`~rolnlp.analysis.topics.TopicModel` (matplotlib).

Labels are Chinese when a CJK font is installed (:func:`.plots.cjk_font`),
else topic ids and group numbers, so a figure never shows empty boxes.
"""
from __future__ import annotations

import numpy as np

from .plots import _apply_font, _figure, _no_data


def _font():
    from .plots import cjk_font

    return cjk_font()


def _readable(text, fallback):
    from .plots import has_cjk

    return text if (_font() or not has_cjk(text)) else fallback


def topic_names(tm):
    """Display name per topic (custom label, else top terms; ``T<n>`` without a CJK font)."""
    return {t: _readable(f"T{t} {name}", f"T{t}") for t, name in tm.topic_labels_.items()}


def plot_topic_sizes(tm):
    """Horizontal bars: paragraphs per topic.

    Example
    -------
    >>> plot_topic_sizes(tm)  # doctest: +SKIP
    """
    names = topic_names(tm)
    sizes = tm.sizes_
    fig = _figure(8, max(3, 0.35 * len(sizes) + 1.5))
    ax = fig.add_subplot()
    y = np.arange(len(sizes))
    ax.barh(y, sizes, color="#4c72b0")
    ax.set_yticks(y, [names[t] for t in range(len(sizes))], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("paragraphs (top topic)")
    ax.set_title("Topics")
    return _apply_font(fig)


def plot_diagnostics(diag, chosen=None):
    """Coherence and stability per number of topics; the chosen K marked.

    Example
    -------
    >>> plot_diagnostics(tm.diagnostics_, tm.n_topics_)  # doctest: +SKIP
    """
    fig = _figure(6.5, 3.8)
    ax = fig.add_subplot()
    ax.plot(diag["n_topics"], diag["coherence"], marker="o", color="#4c72b0", label="coherence")
    ax.set_xlabel("number of topics")
    ax.set_ylabel("coherence", color="#4c72b0")
    ax2 = ax.twinx()
    ax2.plot(diag["n_topics"], diag["stability"], marker="s", color="#dd8452", label="stability")
    ax2.set_ylabel("stability (matched top-10 Jaccard)", color="#dd8452")
    ax2.set_ylim(0, 1)
    if chosen is not None:
        ax.axvline(chosen, color="grey", linestyle="--")
        ax.set_title(f"Choosing the number of topics (chosen: {chosen})")
    return _apply_font(fig)


def plot_topic_heatmap(tm, table, by, *, top_n=20):
    """Topics (rows) × groups (columns) heatmap of topic shares.

    Only the ``top_n`` groups with most reports are drawn (ties by name);
    each column header carries its report count.

    Example
    -------
    >>> plot_topic_heatmap(tm, tm.topics_per_class("year"), "year")  # doctest: +SKIP
    """
    names = topic_names(tm)
    fig = _figure(8, 4)
    if table.empty:
        _no_data(fig.add_subplot(), f"no {by} with enough reports")
        return fig
    counts = table.drop_duplicates(by).set_index(by)["n_reports"]
    order = sorted(counts.index, key=lambda g: (-counts[g], str(g)))[:top_n]
    wide = table.pivot(index="topic", columns=by, values="share").reindex(
        index=range(tm.n_topics_), columns=order).fillna(0.0)
    cols = [_readable(f"{g} (n={counts[g]})", f"group {i + 1} (n={counts[g]})")
            for i, g in enumerate(order)]
    fig.set_size_inches(max(6, 0.5 * len(cols) + 4), max(3, 0.35 * tm.n_topics_ + 2))
    ax = fig.add_subplot()
    im = ax.imshow(wide.to_numpy(), aspect="auto", cmap="viridis", vmin=0,
                   interpolation="nearest")
    ax.set_xticks(range(len(cols)), cols, rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(tm.n_topics_), [names[t] for t in range(tm.n_topics_)], fontsize=8)
    fig.colorbar(im, ax=ax, label="mean topic share of reports", shrink=0.8)
    shown = f"top {len(order)} of {len(counts)}" if len(counts) > len(order) else "all"
    ax.set_title(f"Topic shares per {by} ({shown} groups by report count)")
    return _apply_font(fig)


def plot_topics_over_time(tm, over_time):
    """Topic share per report year, one line per topic.

    Example
    -------
    >>> plot_topics_over_time(tm, tm.topics_over_time())  # doctest: +SKIP
    """
    fig = _figure(8, 4.5)
    ax = fig.add_subplot()
    if len(over_time) == 0:
        _no_data(ax, "no report years known")
        return fig
    names = topic_names(tm)
    table = over_time.pivot_table(index="year", columns="topic", values="share")
    for t in table.columns:
        ax.plot(table.index.astype(int), table[t], marker="o", label=names.get(t, f"T{t}"))
    ax.set_xlabel("report year")
    ax.set_ylabel("mean topic share of reports")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(fontsize=7, ncol=2, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.set_title("Topics over time")
    return _apply_font(fig)
