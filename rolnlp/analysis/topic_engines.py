"""Topic trainers behind :class:`~rolnlp.analysis.topics.TopicModel`.

Each trainer takes the same input (one list of term ids per paragraph, the
vocabulary size, ``k`` and a seed) and returns a :class:`Fitted`: the
topic-term weights, the paragraph-topic matrix and the plain arrays
:meth:`Fitted.transform` needs, so the model can be saved without pickle.

- ``"ctfidf"``: TF-IDF → TruncatedSVD → KMeans, topic terms by class-based
  TF-IDF (scikit-learn only; the default, chosen in
  ``benchmarks/bench_topics.py``);
- ``"gibbs"``: collapsed Gibbs sampling LDA (tomotopy, optional extra);
- ``"lda"``: variational LDA (gensim), the 0.1 trainer.

All three are deterministic for a given seed and run on one thread: the Gibbs
sampler because tomotopy's parallel schemes let thread timing change the
samples, SVD and KMeans because on a shared two-core machine OpenBLAS with two
threads made the SVD ten times slower (10 s against 1 s for 3,000 paragraphs),
and one thread keeps the floating-point sums in one order everywhere.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np

from ..errors import ModelError

METHODS = ("ctfidf", "gibbs", "lda")
_TEMPERATURE = 0.05  # softness of c-TF-IDF paragraph-topic weights (squared distances)


@dataclass
class Fitted:
    """A trained topic model as plain arrays.

    ``topic_word`` rows sum to 1; ``doc_topic`` rows sum to 1.  ``arrays``
    holds what :meth:`transform` needs (names depend on ``method``).
    """

    method: str
    topic_word: np.ndarray
    doc_topic: np.ndarray
    arrays: dict = field(default_factory=dict)

    @property
    def k(self):
        return self.topic_word.shape[0]

    def transform(self, X):
        """Paragraph-topic weights of a sparse term-count matrix ``X`` (n × V)."""
        if self.method == "ctfidf":
            return _ctfidf_transform(self.arrays, X)
        return _fold_in(self.topic_word, self.arrays["alpha"], X)


def counts_matrix(docs, n_terms):
    """Sparse CSR term counts (n_docs × n_terms) of lists of term ids."""
    import scipy.sparse as sp

    indptr = np.zeros(len(docs) + 1, dtype=np.int64)
    np.cumsum([len(d) for d in docs], out=indptr[1:])
    ids = np.fromiter((i for d in docs for i in d), dtype=np.int64, count=int(indptr[-1]))
    data = np.ones(len(ids), dtype=np.float64)
    X = sp.csr_matrix((data, ids, indptr), shape=(len(docs), n_terms))
    X.sum_duplicates()
    return X


def one_thread(func):
    """Run ``func`` with BLAS and OpenMP limited to one thread."""
    import functools

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from threadpoolctl import threadpool_limits

        with threadpool_limits(1):
            return func(*args, **kwargs)
    return wrapper


def fit(method, X, k, random_state, **options):
    """Train ``method`` with ``k`` topics on counts ``X``; returns :class:`Fitted`."""
    if method == "ctfidf":
        return fit_ctfidf(X, k, random_state, **options)
    if method == "gibbs":
        return fit_gibbs(X, k, random_state, **options)
    if method == "lda":
        return fit_lda(X, k, random_state, **options)
    raise ModelError(f"unknown topic method {method!r}; use one of {', '.join(METHODS)}")


# ------------------------------------------------------------------ c-TF-IDF
@one_thread
def svd_space(X, random_state, n_components=100):
    """TF-IDF (sublinear) → TruncatedSVD → unit rows; returns (vectors, arrays)."""
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfTransformer

    tfidf = TfidfTransformer(sublinear_tf=True)
    T = tfidf.fit_transform(X)
    n_comp = max(1, min(n_components, min(X.shape) - 1))
    if n_comp >= min(X.shape):  # one paragraph or one term: nothing to reduce
        V = T.toarray()
        comps = np.eye(X.shape[1])
    else:
        svd = TruncatedSVD(n_components=n_comp, random_state=random_state)
        V = svd.fit_transform(T)
        comps = svd.components_
    V = _unit_rows(V)
    return V, {"idf": tfidf.idf_.astype(np.float64), "components": comps.astype(np.float64)}


@one_thread
def fit_ctfidf(X, k, random_state, *, space=None, init=None, n_init=10):
    """Cluster paragraphs in the SVD space, describe each cluster by c-TF-IDF.

    ``space`` reuses a precomputed :func:`svd_space` (the K sweep computes it
    once); ``init`` gives starting centroids (k × components); ``n_init``
    KMeans restarts (the best inertia is kept).
    """
    from sklearn.cluster import KMeans

    V, arrays = space if space is not None else svd_space(X, random_state)
    k = min(k, V.shape[0])
    km = KMeans(n_clusters=k, n_init=1 if init is not None else n_init,
                init=init if init is not None else "k-means++", random_state=random_state)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ConvergenceWarning on duplicate points
        labels = km.fit_predict(V)
    centroids = km.cluster_centers_
    arrays = {**arrays, "centroids": centroids}
    topic_word = ctfidf(X, labels, k)
    return Fitted("ctfidf", topic_word, _soft_assign(V, centroids), arrays)


def ctfidf(X, labels, k):
    """Class-based TF-IDF of term counts per cluster, rows scaled to sum 1.

    A term weighs its frequency in the cluster times ``log(1 + A / f)``, where
    ``f`` is its frequency in the corpus and ``A`` the mean cluster length.
    """
    import scipy.sparse as sp

    onehot = sp.csr_matrix((np.ones(len(labels)), (labels, np.arange(len(labels)))),
                           shape=(k, len(labels)))
    tf = np.asarray((onehot @ X).todense())
    length = tf.sum(axis=1, keepdims=True)
    f = tf.sum(axis=0)
    A = length.mean() if length.size else 1.0
    idf = np.log1p(A / np.maximum(f, 1.0))
    w = tf / np.maximum(length, 1.0) * idf
    return _rows_sum_one(w)


@one_thread
def _ctfidf_transform(arrays, X):
    from sklearn.preprocessing import normalize

    T = X.tocsr().astype(np.float64)  # a copy: the caller's counts stay as they are
    T.data = 1.0 + np.log(T.data)  # sublinear tf as in fit
    T = T.multiply(arrays["idf"]).tocsr()
    T = normalize(T)
    V = _unit_rows(np.asarray(T @ arrays["components"].T))
    return _soft_assign(V, arrays["centroids"])


def _soft_assign(V, centroids, block=2048):
    # by blocks of rows: the n × k × d differences of a whole corpus would take
    # gigabytes (20,000 × 20 × 100 float64 = 320 MB); each row's sums are unchanged
    d2 = np.empty((V.shape[0], centroids.shape[0]))
    for a in range(0, V.shape[0], block):
        d2[a:a + block] = ((V[a:a + block, None, :] - centroids[None, :, :]) ** 2).sum(axis=2)
    z = -(d2 - d2.min(axis=1, keepdims=True)) / _TEMPERATURE
    p = np.exp(z)
    return (p / p.sum(axis=1, keepdims=True)).astype(np.float32)


# --------------------------------------------------------------------- Gibbs
def fit_gibbs(X, k, random_state, *, iterations=1000, alpha=0.1, eta=0.01):
    """Collapsed Gibbs LDA with tomotopy on one thread (deterministic for a seed)."""
    try:
        import tomotopy as tp
    except ImportError:  # optional extra
        raise ModelError("method='gibbs' needs tomotopy: pip install 'rolnlp[gibbs]'") from None
    mdl = tp.LDAModel(k=k, alpha=alpha, eta=eta, seed=int(random_state) % (2 ** 31))
    X = X.tocsr()
    names = [str(i) for i in range(X.shape[1])]
    kept = []
    for r in range(X.shape[0]):
        lo, hi = X.indptr[r], X.indptr[r + 1]
        words = [names[j] for j, c in zip(X.indices[lo:hi], X.data[lo:hi]) for _ in range(int(c))]
        if words:
            mdl.add_doc(words)
            kept.append(r)
    mdl.train(iterations, workers=1, parallel=tp.ParallelScheme.NONE)
    tw = np.zeros((k, X.shape[1]))
    vocab = [int(w) for w in mdl.used_vocabs]
    for t in range(k):
        tw[t, vocab] = mdl.get_topic_word_dist(t)
    tw = _rows_sum_one(tw + 1e-12)
    a = np.full(k, float(alpha))
    return Fitted("gibbs", tw, _fold_in(tw, a, X), {"alpha": a})


# ----------------------------------------------------------------- gensim LDA
@one_thread
def fit_lda(X, k, random_state, *, passes=10, iterations=50):
    """Variational LDA with gensim ``LdaModel`` (single process)."""
    from gensim.corpora import Dictionary
    from gensim.models import LdaModel

    X = X.tocsr()
    bows = [list(zip(X.indices[X.indptr[r]:X.indptr[r + 1]].tolist(),
                     X.data[X.indptr[r]:X.indptr[r + 1]].astype(int).tolist()))
            for r in range(X.shape[0])]
    d = Dictionary()
    d.id2token = {i: str(i) for i in range(X.shape[1])}
    d.token2id = {str(i): i for i in range(X.shape[1])}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        lda = LdaModel(corpus=bows, id2word=d, num_topics=k, passes=passes,
                       iterations=iterations, random_state=random_state, alpha="symmetric",
                       eval_every=None, chunksize=max(16, min(2000, len(bows) // 4)))
    lam = lda.state.get_lambda()
    if not np.isfinite(lam).all():
        raise ModelError("topic training diverged (non-finite topic-term counts)")
    tw = _rows_sum_one(lam)
    a = np.asarray(lda.alpha, dtype=np.float64)
    return Fitted("lda", tw, _fold_in(tw, a, X), {"alpha": a})


def _fold_in(topic_word, alpha, X, n_iter=50):
    """Paragraph-topic weights under fixed topics (EM on each paragraph's mixture).

    Deterministic: starts from the uniform mixture, no sampling.
    """
    X = X.tocsr()
    n, k = X.shape[0], topic_word.shape[0]
    out = np.zeros((n, k), dtype=np.float32)
    phi = topic_word.T  # V × k
    for r in range(n):
        lo, hi = X.indptr[r], X.indptr[r + 1]
        if lo == hi:
            out[r] = 1.0 / k
            continue
        ids, cnt = X.indices[lo:hi], X.data[lo:hi]
        p = phi[ids]  # words × k
        theta = np.full(k, 1.0 / k)
        for _ in range(n_iter):
            z = p * theta
            z /= z.sum(axis=1, keepdims=True)
            new = (cnt[:, None] * z).sum(axis=0) + alpha
            new /= new.sum()
            if np.abs(new - theta).max() < 1e-6:
                theta = new
                break
            theta = new
        out[r] = theta
    return out


def _unit_rows(V):
    norm = np.linalg.norm(V, axis=1, keepdims=True)
    return V / np.where(norm > 0, norm, 1.0)


def _rows_sum_one(w):
    s = w.sum(axis=1, keepdims=True)
    return w / np.where(s > 0, s, 1.0)
