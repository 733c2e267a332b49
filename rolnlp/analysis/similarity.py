"""How alike whole reports are: TF-IDF cosine, as nearest neighbours or a small matrix.

A report × report matrix grows with the square of the corpus (3,000 reports:
9 million cells, a 177 MB CSV; 100,000 reports would not fit in memory), so
the corpus-scale view is :func:`nearest_reports`: the ``k`` most similar
reports of each report, computed one pair of row blocks at a time (the
vectors may be read from disk a block at a time), so memory is bounded by
two blocks and their similarities however large the corpus.
:func:`similarity_matrix` remains for small sets, where a heatmap is readable.

Example
-------
>>> texts = {"a": "行政复议 案件 纠错", "b": "行政复议 案件 调解", "c": "普法 宣传 活动"}
>>> tokens = {k: v.split() for k, v in texts.items()}
>>> nearest_reports(texts, k=1, tokens=tokens)[["report_id", "neighbour_id"]].values.tolist()
[['a', 'b'], ['b', 'a']]
"""
from __future__ import annotations

import logging

from ..errors import RolnlpError
from .reuse import _report_texts

logger = logging.getLogger(__name__)

NEIGHBOUR_COLUMNS = ["report_id", "rank", "neighbour_id", "similarity"]
MATRIX_LIMIT = 5_000  # reports; beyond this a dense matrix is refused
_BLOCK_CELLS = 1_000_000  # similarities of one block pair (1,000 × 1,000 reports): with the
# sparse product, the dense copy and the partition indices about 40 MB (4 million took ~150 MB
# and was no faster)


def report_vectors(reports, *, tokens=None, tokenizer=None, n_jobs=1):
    """L2-normalised TF-IDF vectors of whole reports (sublinear tf, terms of 2+ characters).

    Parameters
    ----------
    reports : Corpus, list of Report, list of (id, text) or dict id -> text
    tokens : dict id -> list of str, optional
        Tokens already computed (skips tokenizing).
    tokenizer : rolnlp.text.Tokenizer, optional
    n_jobs : int, default 1
        Processes for tokenizing.

    Returns
    -------
    (list of str, scipy.sparse.csr_matrix)
        Report ids and one row per report.

    Example
    -------
    >>> ids, x = report_vectors({"a": "法治 政府"}, tokens={"a": ["法治", "政府"]})
    >>> ids, x.shape
    (['a'], (1, 2))
    """
    import numpy as np
    import scipy.sparse as sp

    from ._units import term_coords, tokenize_texts

    docs = _report_texts(reports)
    ids = [d[0] for d in docs]
    if len(set(ids)) != len(ids):
        raise RolnlpError("report ids must be unique")
    if tokens is None:
        toks = tokenize_texts([d[1] for d in docs], tokenizer, n_jobs=n_jobs)
    else:
        toks = [tokens[i] for i in ids]
    vocab: dict = {}
    rows, cols = term_coords(enumerate(toks), vocab)
    counts = sp.csr_matrix((np.ones(len(rows), dtype=np.int64), (rows, cols)),
                           shape=(len(ids), len(vocab)))
    counts.sum_duplicates()
    return ids, vectors_from_counts(counts, list(vocab), copy=False)


def nearest_reports(reports, *, k=10, threshold=0.0, tokens=None, tokenizer=None, n_jobs=1,
                    progress=True):
    """The ``k`` most similar reports of every report (TF-IDF cosine), never an n × n matrix.

    Parameters
    ----------
    reports : Corpus, list of Report, list of (id, text) or dict id -> text
    k : int, default 10
        Neighbours kept per report.
    threshold : float, default 0.0
        Keep only neighbours at least this similar.
    tokens : dict id -> list of str, optional
        Tokens already computed (skips tokenizing).
    tokenizer : rolnlp.text.Tokenizer, optional
    n_jobs : int, default 1
        Processes for tokenizing.
    progress : bool, default True
        Show a progress bar over row blocks.

    Returns
    -------
    pandas.DataFrame
        Columns ``report_id, rank, neighbour_id, similarity``: at most ``k``
        rows per report, most similar first (ties: earlier report first).

    Example
    -------
    >>> nn = nearest_reports(rolnlp.read_corpus("corpus/"), k=3)  # doctest: +SKIP
    >>> nn[nn.report_id == "000_5c5bdc2152d9c680"]  # doctest: +SKIP
    """
    import numpy as np
    import pandas as pd

    if not isinstance(k, int) or isinstance(k, bool) or k < 1:
        raise TypeError(f"k must be a positive int, got {k!r}")
    if not 0.0 <= float(threshold) <= 1.0:
        raise RolnlpError(f"threshold must be between 0 and 1, got {threshold!r}")
    ids, x = report_vectors(reports, tokens=tokens, tokenizer=tokenizer, n_jobs=n_jobs)
    return nearest_from_vectors(ids, x, k=k, threshold=threshold, progress=progress)


def tfidf_idf(doc_freq, n_rows):
    """Inverse document frequencies as ``TfidfTransformer(smooth_idf=True)``
    computes them (``log((1 + n) / (1 + df)) + 1``, the same float64 steps).

    Parameters
    ----------
    doc_freq : array-like of int, shape (n_terms,)
        Rows holding each term.
    n_rows : int
        Rows in all.

    Returns
    -------
    numpy.ndarray of float64

    Example
    -------
    >>> tfidf_idf([1, 2], 2).round(3).tolist()
    [1.405, 1.0]
    """
    import numpy as np

    df = np.asarray(doc_freq).astype(np.float64)
    df += 1.0
    idf = np.full_like(df, n_rows + 1, dtype=np.float64)
    idf /= df
    np.log(idf, out=idf)
    idf += 1.0
    return idf


def tfidf_rows(counts, idf, *, copy=True):
    """L2-normalised sublinear TF-IDF rows of ``counts`` (CSR, columns in their
    final order), as ``TfidfTransformer(sublinear_tf=True)`` transforms them.
    Row by row, so a block of rows gives the rows of the whole matrix.

    Parameters
    ----------
    counts : scipy.sparse.csr_matrix
        Term counts, one row per report (not modified).
    idf : numpy.ndarray
        :func:`tfidf_idf` of the whole matrix.
    copy : bool, default True
        ``False`` turns float64 ``counts`` into the result in place.

    Returns
    -------
    scipy.sparse.csr_matrix of float64

    Example
    -------
    >>> from scipy import sparse
    >>> tfidf_rows(sparse.csr_matrix([[1, 1]]), tfidf_idf([1, 1], 1)).toarray().round(3)
    array([[0.707, 0.707]])
    """
    import numpy as np
    from sklearn.preprocessing import normalize

    if counts.dtype != np.float64:
        counts = counts.astype(np.float64)
    elif copy:
        counts = counts.copy()
    np.log(counts.data, counts.data)
    counts.data += 1.0
    counts.data *= idf[counts.indices]
    return normalize(counts, norm="l2", copy=False)


def term_order(terms):
    """Column of each term once terms are sorted (how report vectors order them)."""
    import numpy as np

    order = np.argsort(np.array(list(terms), dtype=object), kind="stable")
    rank = np.empty(len(order), dtype=np.int32)
    rank[order] = np.arange(len(order), dtype=np.int32)
    return rank


def vectors_from_counts(counts, terms, *, copy=True):
    """What :func:`report_vectors` gives, from term counts already summed per report.

    Parameters
    ----------
    counts : scipy.sparse matrix, shape (n_reports, n_terms)
        Counts of the terms of two or more characters.
    terms : sequence of str
        The term of each column (any order: columns are put in sorted order,
        as the vectorizer does).
    copy : bool, default True
        ``False`` lets a CSR ``counts`` become the result: its columns are
        put in order and its data turned into weights in place, so the
        counts and the vectors are not held at the same time (``counts`` is
        unusable afterwards).

    Returns
    -------
    scipy.sparse.csr_matrix
        L2-normalised TF-IDF rows.

    Example
    -------
    >>> from scipy import sparse
    >>> vectors_from_counts(sparse.csr_matrix([[1, 0], [1, 1]]), ["政府", "法治"]).shape
    (2, 2)
    """
    import numpy as np
    import scipy.sparse as sp

    in_place = not copy and sp.issparse(counts) and counts.format == "csr"
    if not in_place:
        counts = sp.csr_matrix(counts, dtype=np.int64)
    if counts.nnz == 0:
        return sp.csr_matrix((counts.shape[0], 0))
    rank = term_order(terms)
    if not in_place:
        counts = counts[:, np.argsort(rank, kind="stable")]
    else:  # the same columns, renumbered in place
        np.take(rank.astype(counts.indices.dtype, copy=False), counts.indices,
                out=counts.indices)
        counts.has_sorted_indices = False
    used = np.asarray(counts.sum(axis=0)).ravel() > 0
    if not used.all():
        counts = counts[:, used]
    counts.sort_indices()
    # float weights computed in place (a copy of integer counts is never kept)
    counts.data = counts.data.astype(np.float64)
    idf = tfidf_idf(np.bincount(counts.indices, minlength=counts.shape[1]), counts.shape[0])
    return tfidf_rows(counts, idf, copy=False)


def nearest_from_vectors(ids, x, *, k=10, threshold=0.0, progress=True):
    """:func:`nearest_reports` of reports already turned into vectors.

    Parameters
    ----------
    ids : list of str
    x : scipy.sparse.csr_matrix
        One L2-normalised row per report (:func:`report_vectors`).
    k, threshold, progress : see :func:`nearest_reports`

    Returns
    -------
    pandas.DataFrame
        As :func:`nearest_reports`.

    Example
    -------
    >>> ids, x = report_vectors({"a": "x", "b": "y"}, tokens={"a": ["法治"], "b": ["法治"]})
    >>> nearest_from_vectors(ids, x, k=1, progress=False)["neighbour_id"].tolist()
    ['b', 'a']
    """
    if x.shape[0] != len(ids):
        raise ValueError(f"{len(ids)} ids for {x.shape[0]} vectors")
    return nearest_from_blocks(ids, lambda a, b: x[a:b], n_cols=x.shape[1], k=k,
                               threshold=threshold, progress=progress)


def nearest_from_blocks(ids, rows, *, n_cols, k=10, threshold=0.0, progress=True):
    """:func:`nearest_reports` of vectors read a block at a time.

    Each block of reports is compared with every block in turn, keeping the
    ``k`` most similar so far (ties: earlier report first), so the result is
    the same whatever the block size; memory holds two blocks and their
    similarities, whatever the number of reports.

    Parameters
    ----------
    ids : list of str
        One id per report.
    rows : callable
        ``rows(a, b)`` gives the L2-normalised CSR vectors of reports ``a:b``,
        from memory or from disk (e.g. :meth:`rolnlp.analysis.blocks.RowBlocks.block`).
    n_cols : int
        Columns of the vectors.
    k, threshold, progress : see :func:`nearest_reports`

    Returns
    -------
    pandas.DataFrame
        As :func:`nearest_reports`.

    Example
    -------
    >>> ids, x = report_vectors({"a": "x", "b": "y"}, tokens={"a": ["法治"], "b": ["法治"]})
    >>> nearest_from_blocks(ids, lambda a, b: x[a:b], n_cols=x.shape[1], k=1,
    ...                     progress=False)["neighbour_id"].tolist()
    ['b', 'a']
    """
    import math

    import numpy as np
    import pandas as pd

    if not isinstance(k, int) or isinstance(k, bool) or k < 1:
        raise TypeError(f"k must be a positive int, got {k!r}")
    n = len(ids)
    out = {c: [] for c in NEIGHBOUR_COLUMNS}
    if n < 2 or n_cols == 0:
        return pd.DataFrame(out)
    kk = min(k, n - 1)
    size = max(1, min(n, math.isqrt(_BLOCK_CELLS)))
    starts = range(0, n, size)
    if progress:
        from tqdm.auto import tqdm

        starts = tqdm(starts, desc="similarity", unit="block")
    for q0 in starts:
        q1 = min(n, q0 + size)
        right = rows(q0, q1).T  # only the query block is transposed
        best = np.full((q1 - q0, kk), -np.inf)
        where = np.full((q1 - q0, kk), n, dtype=np.int64)
        for a0 in range(0, n, size):
            a1 = min(n, a0 + size)
            # row i of the left operand gives the same sums as in x @ x[q0:q1].T
            sim = (rows(a0, a1) @ right).T.toarray()
            own = np.arange(max(q0, a0), min(q1, a1))
            sim[own - q0, own - a0] = -1.0  # never one's own neighbour
            cols = _top(sim, kk)
            best, where = _merge(best, where, np.take_along_axis(sim, cols, 1), cols + a0, kk)
        for r in range(q1 - q0):
            rank = 0
            for s, j in zip(best[r].tolist(), where[r].tolist()):
                if s < threshold or s <= 0.0:
                    break
                rank += 1
                out["report_id"].append(ids[q0 + r])
                out["rank"].append(rank)
                out["neighbour_id"].append(ids[j])
                out["similarity"].append(round(s, 6))
    return pd.DataFrame(out)


def _top(sim, kk):
    """Columns of the ``kk`` largest values of each row, by value then column."""
    import numpy as np

    m = sim.shape[1]
    if m <= kk:
        return np.broadcast_to(np.arange(m), sim.shape).copy()
    cols = np.argpartition(-sim, kk - 1, axis=1)[:, :kk]
    low = np.take_along_axis(sim, cols, 1).min(axis=1)
    # argpartition picks any of the values tied at the boundary: those rows are sorted
    for r in np.flatnonzero(np.count_nonzero(sim >= low[:, None], axis=1) > kk):
        cols[r] = np.lexsort((np.arange(m), -sim[r]))[:kk]
    return cols


def _merge(best, where, sim, pos, kk):
    """The ``kk`` best of two candidate lists per row, by similarity then position."""
    import numpy as np

    s = np.concatenate([best, sim], axis=1)
    p = np.concatenate([where, pos], axis=1)
    row = np.repeat(np.arange(s.shape[0]), s.shape[1])
    order = np.lexsort((p.ravel(), -s.ravel(), row)).reshape(s.shape)[:, :kk] % s.shape[1]
    return np.take_along_axis(s, order, 1), np.take_along_axis(p, order, 1)


def similarity_matrix(reports, *, tokens=None, tokenizer=None, n_jobs=1):
    """Report-by-report cosine similarity of TF-IDF weighted token counts (small sets only).

    Parameters
    ----------
    reports : Corpus, list of Report, list of (id, text) or dict id -> text
    tokens : dict id -> list of str, optional
        Precomputed tokens per report (skips tokenizing).
    tokenizer : rolnlp.text.Tokenizer, optional
    n_jobs : int, default 1

    Returns
    -------
    pandas.DataFrame
        Square, indexed by report id on both axes, 1.0 on the diagonal.

    Raises
    ------
    rolnlp.RolnlpError
        For more than ``MATRIX_LIMIT`` reports: use :func:`nearest_reports`.

    Example
    -------
    >>> sim = similarity_matrix(rolnlp.read_corpus("corpus/"))  # doctest: +SKIP
    >>> sim.loc["000_5c5bdc2152d9c680"].sort_values().tail(2)  # doctest: +SKIP
    """
    import numpy as np
    import pandas as pd

    docs = _report_texts(reports)
    if len(docs) > MATRIX_LIMIT:
        raise RolnlpError(f"{len(docs)} reports make a {len(docs)}² matrix; "
                          "use nearest_reports(..., k=10) for large corpora")
    ids, x = report_vectors(docs, tokens=tokens, tokenizer=tokenizer, n_jobs=n_jobs)
    if x.shape[1] == 0:
        return pd.DataFrame(np.eye(len(ids)), index=pd.Index(ids, name="report_id"), columns=ids)
    sim = (x @ x.T).toarray()
    np.fill_diagonal(sim, 1.0)
    return pd.DataFrame(sim, index=pd.Index(ids, name="report_id"), columns=ids)
