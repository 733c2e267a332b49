"""Distinctive terms of a report or group against the rest: weighted log-odds
ratios with an informative Dirichlet prior (Monroe, Colaresi and Quinn 2008,
"Fightin' Words", Political Analysis 16(4), eq. 16 and 20).

For term *w*, group *i* and the rest *j*, with counts ``y``, totals ``n`` and
prior pseudo-counts ``a_w`` summing to ``a0``::

    delta_w = log((y_iw + a_w) / (n_i + a0 - y_iw - a_w))
            - log((y_jw + a_w) / (n_j + a0 - y_jw - a_w))
    var_w   = 1 / (y_iw + a_w) + 1 / (y_jw + a_w)
    z_w     = delta_w / sqrt(var_w)

A positive ``z`` means the group uses the term more than the rest; |z| > 1.96
is the usual 5 % line.
"""
from __future__ import annotations

import numpy as np

from ._units import term_coords, tokenize_texts, units_frame


def log_odds(counts_i, counts_j, prior):
    """Weighted log-odds ratio and its z-score for every term.

    Parameters
    ----------
    counts_i, counts_j : array-like of float, shape (n_terms,)
        Term counts in the group and in the rest.
    prior : float or array-like, shape (n_terms,)
        Dirichlet pseudo-counts ``a_w`` (a float gives the same to every term).

    Returns
    -------
    delta, z : numpy.ndarray
        Log-odds ratio (group vs rest) and its z-score.

    Example
    -------
    >>> d, z = log_odds([3, 1], [1, 3], 1.0)
    >>> bool(d[0] > 0 > d[1]), bool(abs(z[0] + z[1]) < 1e-12)
    (True, True)
    """
    yi = np.asarray(counts_i, dtype=float)
    yj = np.asarray(counts_j, dtype=float)
    if yi.shape != yj.shape or yi.ndim != 1:
        raise ValueError("counts_i and counts_j must be 1-d arrays of one length")
    a = np.broadcast_to(np.asarray(prior, dtype=float), yi.shape)
    if (a <= 0).any():
        raise ValueError("prior pseudo-counts must be positive")
    return _log_odds_at(yi, yj, a, a.sum(), yi.sum(), yj.sum())


def _log_odds_at(yi, yj, a, a0, ni, nj):
    """:func:`log_odds` at some terms, given the sums over all terms."""
    delta = (np.log(yi + a) - np.log(ni + a0 - yi - a)
             - np.log(yj + a) + np.log(nj + a0 - yj - a))
    z = delta / np.sqrt(1.0 / (yi + a) + 1.0 / (yj + a))
    return delta, z


def distinctive_terms(corpus_or_df, by="report_id", group=None, top_n=20, *,
                      prior="corpus", prior_scale=0.1, min_count=2, tokens=None,
                      tokenizer=None, n_jobs=1):
    """The terms that most distinguish a group of paragraphs from all others.

    Parameters
    ----------
    corpus_or_df : Corpus, list of Report, or DataFrame
        A DataFrame needs ``text`` (or a ``tokens`` column of token lists) and
        the ``by`` column.
    by : str, default "report_id"
        Grouping column (``report_id``, ``region``, ``year``, ``level``,
        ``label`` …).
    group : value or None
        The group to describe; ``None`` describes every group.
    top_n : int, default 20
        Terms kept per group, highest z first.
    prior : "corpus" or float
        ``"corpus"``: informative prior proportional to the term's share of
        the whole corpus, ``a_w = prior_scale * y_w`` (Monroe et al.'s
        choice, shrunk by ``prior_scale``); a float: the same pseudo-count
        for every term.
    min_count : int, default 2
        Terms used fewer times in the group are not listed.
    tokens : list of list of str, optional
        Precomputed tokens per row (skips tokenizing).

    Returns
    -------
    pandas.DataFrame
        ``<by>, term, count, log_odds, z``; sorted by group then ``z``.

    Example
    -------
    >>> distinctive_terms(corpus, by="report_id", group="000_5c5bdc2152d9c680")  # doctest: +SKIP
    """
    import pandas as pd
    from scipy import sparse

    df = units_frame(corpus_or_df)
    if by not in df.columns:
        raise ValueError(f"no column {by!r} to group by")
    if tokens is None:
        tokens = (list(df["tokens"]) if "tokens" in df.columns
                  else tokenize_texts(df["text"], tokenizer, n_jobs=n_jobs))
    if len(tokens) != len(df):
        raise ValueError(f"got {len(tokens)} token lists for {len(df)} rows")
    keys = df[by]
    keep = keys.notna().to_numpy()
    groups = pd.Index(pd.unique(keys[keep]))
    if group is not None and group not in groups:
        raise ValueError(f"no {by} {group!r} in the data")

    vocab: dict = {}
    gidx = groups.get_indexer(keys[keep])
    rows, cols = term_coords(zip(gidx, (t for t, k in zip(tokens, keep) if k)), vocab)
    counts = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)),
                               shape=(len(groups), len(vocab)))
    counts.sum_duplicates()
    return distinctive_from_counts(groups, counts, list(vocab), by=by, group=group,
                                   top_n=top_n, prior=prior, prior_scale=prior_scale,
                                   min_count=min_count)


def distinctive_from_counts(groups, counts, terms, *, by="report_id", group=None, top_n=20,
                            prior="corpus", prior_scale=0.1, min_count=2, total=None):
    """:func:`distinctive_terms` from term counts already summed per group.

    Parameters
    ----------
    groups : sequence
        Group names, one per row of ``counts``.
    counts : scipy.sparse matrix, shape (n_groups, n_terms)
        Term counts (terms of two or more characters).
    terms : sequence of str
        The term of each column.
    by, group, top_n, prior, prior_scale, min_count : see :func:`distinctive_terms`
    total : array-like of int, shape (n_terms,), optional
        Column sums of the whole table, when ``counts`` holds only some of its
        groups (a block of rows read from disk): each group is then compared
        with all the others, as if the whole table had been given.

    Returns
    -------
    pandas.DataFrame
        As :func:`distinctive_terms`.

    Example
    -------
    >>> from scipy import sparse
    >>> c = sparse.csr_matrix([[3, 0], [0, 3]])
    >>> distinctive_from_counts(["a", "b"], c, ["复议", "普法"], top_n=1)["term"].tolist()
    ['复议', '普法']
    """
    import pandas as pd
    from scipy import sparse

    groups = pd.Index(groups)
    counts = sparse.csr_matrix(counts)  # integer counts stay integer: one row at a time
    if not (np.issubdtype(counts.dtype, np.integer) or counts.dtype == np.float64):
        counts = counts.astype(np.float64)
    terms = np.array(list(terms), dtype=object)
    total = np.asarray(counts.sum(axis=0) if total is None else total,
                       dtype=np.float64).ravel()
    if prior == "corpus":
        a = np.maximum(prior_scale * total, 1e-9)
    else:
        a = np.broadcast_to(np.asarray(float(prior)), total.shape)
    # counts are whole numbers: these sums are exact, so the terms a group uses
    # give the same values as the group's whole row would
    a0, grand = a.sum(), total.sum()
    out = []
    for gi in ([groups.get_loc(group)] if group is not None else range(len(groups))):
        if min_count > 0:  # only terms the group uses can be listed
            row = counts[gi]
            cols, yi = row.indices, row.data.astype(np.float64)
        else:
            cols = np.arange(counts.shape[1])
            yi = counts[gi].toarray().ravel().astype(np.float64)
        ni = yi.sum()
        delta, z = _log_odds_at(yi, total[cols] - yi, a[cols], a0, ni, grand - ni)
        sel = np.flatnonzero(yi >= min_count)
        sel = sel[np.lexsort((terms[cols[sel]], -z[sel]))][:top_n]
        out.append(pd.DataFrame({by: groups[gi], "term": terms[cols[sel]],
                                 "count": yi[sel].astype(int), "log_odds": delta[sel],
                                 "z": z[sel]}))
    if not out:
        return pd.DataFrame(columns=[by, "term", "count", "log_odds", "z"])
    return pd.concat(out, ignore_index=True)
