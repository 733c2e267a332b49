"""How alike whole reports are: TF-IDF cosine, as nearest neighbours or a small matrix.

A report × report matrix grows with the square of the corpus (3,000 reports:
9 million cells, a 177 MB CSV; 100,000 reports would not fit in memory), so
the corpus-scale view is :func:`nearest_reports`: the ``k`` most similar
reports of each report, computed one block of rows at a time, so memory is
bounded by ``block × n`` similarities however large the corpus.
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
_BLOCK_CELLS = 4_000_000  # similarities held at once (32 MB of float64; with the
# sparse product, the negated copy and the partition indices about 150 MB)


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
    from sklearn.feature_extraction.text import TfidfTransformer

    in_place = not copy and sp.issparse(counts) and counts.format == "csr"
    if not in_place:
        counts = sp.csr_matrix(counts, dtype=np.int64)
    if counts.nnz == 0:
        return sp.csr_matrix((counts.shape[0], 0))
    order = np.argsort(np.array(list(terms), dtype=object), kind="stable")
    if not in_place:
        counts = counts[:, order]
    else:  # the same columns, renumbered in place
        rank = np.empty(len(order), dtype=counts.indices.dtype)
        rank[order] = np.arange(len(order), dtype=rank.dtype)
        np.take(rank, counts.indices, out=counts.indices)
        counts.has_sorted_indices = False
    used = np.asarray(counts.sum(axis=0)).ravel() > 0
    if not used.all():
        counts = counts[:, used]
    counts.sort_indices()
    # float weights computed in place (the transformer would copy integer counts)
    counts.data = counts.data.astype(np.float64)
    tfidf = TfidfTransformer(sublinear_tf=True).fit(counts)
    return tfidf.transform(counts, copy=False).tocsr()


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
    import numpy as np
    import pandas as pd

    if not isinstance(k, int) or isinstance(k, bool) or k < 1:
        raise TypeError(f"k must be a positive int, got {k!r}")
    n = len(ids)
    rows = {c: [] for c in NEIGHBOUR_COLUMNS}
    if n < 2 or x.shape[1] == 0:
        return pd.DataFrame(rows)
    kk = min(k, n - 1)
    block = max(1, min(n, _BLOCK_CELLS // n))
    starts = range(0, n, block)
    if progress:
        from tqdm.auto import tqdm

        starts = tqdm(starts, desc="similarity", unit="block")
    for a in starts:
        b = min(n, a + block)
        # all reports against the block: only the block is transposed (x @ x.T
        # would copy every vector per block), with the same sums in the same order
        sim = (x @ x[a:b].T).T.toarray()
        sim[np.arange(b - a), np.arange(a, b)] = -1.0  # never one's own neighbour
        # the kk largest per row, ordered by similarity then by position
        part = np.argpartition(-sim, kk - 1, axis=1)[:, :kk]
        for r in range(b - a):
            cand = part[r]
            order = np.lexsort((cand, -sim[r, cand]))
            rank = 0
            for j in cand[order]:
                s = float(sim[r, j])
                if s < threshold or s <= 0.0:
                    break
                rank += 1
                rows["report_id"].append(ids[a + r])
                rows["rank"].append(rank)
                rows["neighbour_id"].append(ids[j])
                rows["similarity"].append(round(s, 6))
    return pd.DataFrame(rows)


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
