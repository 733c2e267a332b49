"""Topic mining across reports: :class:`TopicModel`.

The API follows BERTopic (``fit``, ``fit_transform``, ``transform``,
``get_topic_info``, ``get_document_info``, ``get_representative_docs``,
``find_topics``, ``merge_topics``, ``reduce_topics``, ``set_topic_labels``,
``topics_per_class``, ``topics_over_time``, ``visualize_*``).

Paragraphs are normalised to simplified script, tokenized with the
rule-of-law tokenizer and reduced to terms (:mod:`.topic_prep`).  The default
trainer clusters TF-IDF vectors (TruncatedSVD → KMeans) and describes each
cluster by class-based TF-IDF; ``benchmarks/bench_topics.py`` compares it with
Gibbs-sampled and variational LDA on the same terms.  Titles, preambles,
signatures and other non-body units are left out of fitting by default.

Reproducibility: identical input and ``random_state`` give identical topics
whatever ``n_jobs`` (which only spreads tokenizing over processes).
"""
from __future__ import annotations

import itertools
import logging

import numpy as np

from ..codebook import CATEGORIES
from ..errors import ModelError
from . import topic_engines as engines
from . import topic_views
from ._units import texts_of, tokenize_texts, units_frame
from .topic_prep import GENERIC_TERMS, learn_phrases, segments, terms_of, to_simplified

logger = logging.getLogger(__name__)

SKIP_UNITS = ("title", "preamble", "signature", "other")
MIN_TOPICS = 11  # the codebook has eleven areas


def codebook_seeds():
    """Seed words from the codebook: ``{category code: cue terms}``.

    Example
    -------
    >>> seeds = codebook_seeds()
    >>> "行政复议" in seeds["dispute_resolution"]
    True
    """
    return {c.code: list(c.cues) for c in CATEGORIES}


def matched_jaccard(a, b):
    """Mean Jaccard of two lists of term sets after one-to-one (Hungarian) matching.

    The stability of a topic model: fit with two seeds, compare the top-10
    term sets of matched topics.  Unmatched topics (different counts) score 0.

    Example
    -------
    >>> matched_jaccard([{"a", "b"}, {"c"}], [{"c"}, {"a", "b"}])
    1.0
    """
    from scipy.optimize import linear_sum_assignment

    if not a or not b:
        return 0.0
    J = np.array([[len(x & y) / max(1, len(x | y)) for y in b] for x in a])
    rows, cols = linear_sum_assignment(-J)
    return float(J[rows, cols].sum() / max(len(a), len(b)))


def seed_centroids(V, terms, seeds, k, random_state):
    """Starting KMeans centroids: one per seed set, the rest by k-means++.

    A seed set's centroid is the sum of the vectors of the paragraphs that use
    its words, each weighted by how many seed words it holds, so its pull
    grows with the number of paragraphs behind it, not with a fixed prior.
    Seeds only choose where clusters start: KMeans then moves them to where
    the paragraphs are, and topic terms come from the data alone.
    """
    from sklearn.cluster import kmeans_plusplus

    starts = []
    for words in seeds.values():
        w = set(words)
        weight = np.array([sum(t in w for t in doc) for doc in terms], dtype=float)
        if weight.sum() > 0 and len(starts) < k:
            c = (V * weight[:, None]).sum(axis=0)
            starts.append(c / max(np.linalg.norm(c), 1e-12))
    rest = k - len(starts)
    if rest > 0:
        extra, _ = kmeans_plusplus(V, rest, random_state=random_state)
        starts.extend(extra)
    return np.asarray(starts[:k])


# seeds of the automatic choice of K (fixed: K describes the corpus, not one fit)
SWEEP_SEEDS = (0, 1, 2)

def _simplified_tokens(tokens, original, texts):
    """Tokens computed on traditional text, converted like their text was."""
    return [tk if a == b else [to_simplified(t) for t in tk]
            for tk, a, b in zip(tokens, original, texts)]


class TopicModel:
    """Topics over report paragraphs with a BERTopic-like interface.

    The constructor only stores parameters; :meth:`fit` does the work.

    Parameters
    ----------
    n_topics : int, "auto" or None, default "auto"
        Number of topics; ``"auto"``/``None`` picks it by coherence together
        with stability over ``topic_range`` (see :meth:`fit`), never below
        ``min_topics``; the per-K scores are kept in ``diagnostics_``.
    method : {"ctfidf", "gibbs", "lda"}, default "ctfidf"
        Trainer: TF-IDF → SVD → KMeans with class-based TF-IDF terms;
        collapsed Gibbs LDA (needs tomotopy); or gensim's variational LDA.
    random_state : int, default 0
        Seed of every random step.
    seed_words : dict, "codebook" or None
        ``{name: [words]}``: each set starts one cluster (``method="ctfidf"``
        only); ``"codebook"`` uses the codebook cues.  Topic labels always
        come from the data's term counts, never from the seed words.
    min_topics : int, default 11
        Floor of the automatic choice (the codebook has eleven areas); lower
        for small corpora, it is capped at a third of the fitted paragraphs.
    topic_range : (int, int) or None
        Smallest and largest K tried by the automatic choice.
    coherence : {"c_npmi", "c_v"}, default "c_npmi"
        Coherence measure of the automatic choice (gensim ``CoherenceModel``).
    no_below, no_above, keep_n : see ``gensim Dictionary.filter_extremes``
        ``None`` adapts the bounds to the corpus size.
    phrases : bool, default True
        Join frequent pairs of adjacent words (``行政_复议`` → ``行政复议``); a
        dropped word or punctuation between two words blocks the join.
    phrase_min_count, phrase_threshold : int or None, float
        gensim ``Phrases`` settings (npmi scoring).
    iterations : int or None
        Gibbs iterations (``gibbs``, default 1000) or LDA passes (``lda``,
        default 10); unused by ``ctfidf``.
    n_jobs : int, default 1
        Processes for tokenizing; the topics do not depend on it.
    min_tokens : int, default 2
        Paragraphs with fewer kept terms get topic ``-1`` (no topic).
    stop_terms : iterable of str or None
        Terms left out; ``None`` uses :data:`~rolnlp.analysis.topic_prep.GENERIC_TERMS`.
    skip_units : tuple of str, default ("title", "preamble", "signature", "other")
        Units whose ``kind`` or ``section`` is one of these get topic ``-1``
        and are not fitted; ``()`` fits every unit.
    tokenizer : object with ``tokenize(text)``, optional
        Defaults to the rule-of-law tokenizer.
    progress : bool, default True
        Show tqdm progress bars.

    Example
    -------
    >>> tm = TopicModel(n_topics=12, random_state=0)  # doctest: +SKIP
    >>> topics, probs = tm.fit_transform(rolnlp.read_corpus("corpus/"))  # doctest: +SKIP
    >>> tm.get_topic_info()[["topic", "size", "label"]]  # doctest: +SKIP
    """

    def __init__(self, n_topics="auto", *, method="ctfidf", random_state=0, seed_words=None,
                 min_topics=MIN_TOPICS, topic_range=None, coherence="c_npmi", no_below=None,
                 no_above=None, keep_n=20000, phrases=True, phrase_min_count=None,
                 phrase_threshold=0.5, iterations=None, n_jobs=1, min_tokens=2,
                 stop_terms=None, skip_units=SKIP_UNITS, tokenizer=None, progress=True):
        self.n_topics = n_topics
        self.method = method
        self.random_state = random_state
        self.seed_words = seed_words
        self.min_topics = min_topics
        self.topic_range = topic_range
        self.coherence = coherence
        self.no_below = no_below
        self.no_above = no_above
        self.keep_n = keep_n
        self.phrases = phrases
        self.phrase_min_count = phrase_min_count
        self.phrase_threshold = phrase_threshold
        self.iterations = iterations
        self.n_jobs = n_jobs
        self.min_tokens = min_tokens
        self.stop_terms = stop_terms
        self.skip_units = skip_units
        self.tokenizer = tokenizer
        self.progress = progress

    def __repr__(self):
        k = getattr(self, "n_topics_", self.n_topics)
        return (f"<TopicModel method={self.method!r} n_topics={k!r} "
                f"random_state={self.random_state!r}>")

    # ------------------------------------------------------------------ fit
    def fit(self, docs, tokens=None):
        """Fit topics on the paragraphs of ``docs``.

        With ``n_topics="auto"`` every K of the range is fitted with three
        seeds on the whole corpus and scored by coherence and stability
        (matched top-10 Jaccard of the fits); see ``diagnostics_``.

        Parameters
        ----------
        docs : Corpus, list of Report, list of str or DataFrame with ``text``
            Reports contribute one row per paragraph with their metadata; a
            DataFrame may carry ``kind`` and ``section`` columns.
        tokens : list of list of str, optional
            Precomputed tokens, one list per paragraph (skips tokenizing).

        Returns
        -------
        TopicModel
            ``self``, with ``documents_`` (one row per paragraph with
            ``topic`` and ``probability``), ``doc_topic_``, ``topic_word_``,
            ``n_topics_`` and, after an automatic choice, ``diagnostics_``.

        Example
        -------
        >>> tm = TopicModel(n_topics=3).fit(["行政复议 调解", "执法 监督"] * 20)  # doctest: +SKIP
        """
        self._check_params()
        df = units_frame(docs)
        if len(df) == 0:
            raise ModelError("no paragraphs to fit topics on")
        original = list(df["text"])
        df["text"] = [to_simplified(t) for t in original]
        if tokens is not None:
            if len(tokens) != len(df):
                raise ModelError(f"got {len(tokens)} token lists for {len(df)} paragraphs")
            tokens = _simplified_tokens(tokens, original, df["text"])
        fit_mask = self._fit_mask(df)
        terms = self._terms_for_fit(list(df["text"]), tokens, fit_mask)
        self.seed_terms_ = self._resolve_seeds(terms)
        self.dictionary_ = self._build_dictionary([t for t, m in zip(terms, fit_mask) if m])
        X = self._counts(terms)
        used = fit_mask & (np.asarray(X.sum(axis=1)).ravel() >= self.min_tokens)
        if not used.any():
            raise ModelError("no paragraph keeps enough terms to fit topics; "
                             "give more text, lower min_tokens or pass skip_units=()")
        Xu = X[used]
        terms_u = [t for t, u in zip(terms, used) if u]

        self.diagnostics_ = None
        k = self.n_topics
        if k in (None, "auto"):
            fitted = self._choose_k(Xu, terms_u)
        else:
            fitted = self._fit_k(Xu, terms_u, min(int(k), int(used.sum())), self.random_state)
        self.n_topics_ = fitted.k
        self._engine = fitted
        self.topic_word_ = fitted.topic_word
        self._mapping = np.arange(fitted.k)
        self._X = Xu
        self._terms = terms_u
        probs = np.zeros((len(df), fitted.k), dtype=np.float32)
        probs[used] = fitted.doc_topic
        self.doc_topic_ = probs
        df = df.copy()
        df["topic"] = np.where(used, probs.argmax(axis=1), -1)
        df["probability"] = np.where(used, probs.max(axis=1), 0.0)
        self.documents_ = df
        self.custom_labels_ = None
        self._sizes_from_documents()
        return self

    def fit_transform(self, docs, tokens=None):
        """Fit and return ``(topics, probabilities)`` for the paragraphs of ``docs``.

        Returns
        -------
        topics : numpy.ndarray of int
            Top topic per paragraph (``-1`` when not fitted or too few terms).
        probabilities : numpy.ndarray, shape (n_paragraphs, n_topics)

        Example
        -------
        >>> topics, probs = TopicModel(n_topics=4).fit_transform(corpus)  # doctest: +SKIP
        """
        self.fit(docs, tokens=tokens)
        return self.documents_["topic"].to_numpy(), self.doc_topic_.copy()

    def transform(self, paragraphs):
        """Topic distribution of new paragraphs.

        Parameters
        ----------
        paragraphs : list of str or Paragraph, or a Report
            A report contributes its paragraphs.

        Returns
        -------
        topics : numpy.ndarray of int
            Top topic per paragraph, ``-1`` when it has too few known terms.
        probabilities : numpy.ndarray, shape (n, n_topics)
            Rows sum to 1 (all zero for topic ``-1``).

        Example
        -------
        >>> topics, probs = tm.transform(["依法办理行政复议案件"])  # doctest: +SKIP
        """
        self._check_fitted()
        texts = texts_of([paragraphs] if hasattr(paragraphs, "paragraphs") else paragraphs)
        texts = [to_simplified(t) for t in texts]
        toks = tokenize_texts(texts, self.tokenizer, n_jobs=self.n_jobs)
        used, probs = self._distributions(texts, toks)
        topics = np.where(used, probs.argmax(axis=1), -1) if len(texts) else np.zeros(0, int)
        return topics.astype(int), probs

    def _assign(self, docs, tokens):
        """Topic distributions of paragraph rows outside the fitted ones.

        The rows go through the same steps as in :meth:`fit` (simplified
        script, skipped units, phrases learnt at fit time, ``min_tokens``);
        returns ``probs`` (rows of zeros for rows left without a topic).
        """
        self._check_fitted()
        df = units_frame(docs)
        original = list(df["text"])
        texts = [to_simplified(t) for t in original]
        tokens = _simplified_tokens(tokens, original, texts)
        return self._distributions(texts, tokens, self._fit_mask(df))[1]

    def _distributions(self, texts, tokens, mask=None):
        """``(used, probs)`` of simplified ``texts`` with their tokens: rows
        left out by ``mask`` or with fewer than ``min_tokens`` known terms get
        ``used`` False and a row of zeros."""
        stop = self._stop()
        keep = mask if mask is not None else [True] * len(texts)
        terms = [terms_of(segments(t, tk, stop), self._phrase_pairs) if m else []
                 for t, tk, m in zip(texts, tokens, keep)]
        X = self._counts(terms)
        used = np.asarray(X.sum(axis=1)).ravel() >= self.min_tokens
        if mask is not None:
            used &= np.asarray(mask, dtype=bool)
        probs = np.zeros((len(texts), self.n_topics_), dtype=np.float32)
        if used.any():
            probs[used] = self._engine.transform(X[used]) @ self._merge_matrix()
        return used, probs

    def _set_documents(self, documents, doc_topic):
        """Make ``documents`` (rows without text) and their distributions the
        fitted rows: the model was fitted on a sample of them.  The term
        counts of the sample are dropped (representative documents then rank
        by topic weight)."""
        used = doc_topic.any(axis=1)
        # only columns are added: the caller's frame is not changed, nor its data copied
        documents = documents.copy(deep=False)
        documents["topic"] = np.where(used, doc_topic.argmax(axis=1), -1)
        documents["probability"] = np.where(used, doc_topic.max(axis=1), 0.0)
        self.documents_ = documents
        self.doc_topic_ = doc_topic
        self._X = None
        self._terms = None
        self._sizes_from_documents()

    # ------------------------------------------------------------- results
    def get_topic(self, topic, top_n=10):
        """Top terms of ``topic`` as ``[(term, weight), ...]``, heaviest first.

        Example
        -------
        >>> tm.get_topic(0, top_n=3)  # doctest: +SKIP
        [('行政复议', 0.061), ('调解', 0.044), ('纠纷', 0.031)]
        """
        self._check_topic(topic)
        row = self.topic_word_[topic]
        top = np.argsort(-row, kind="stable")[:top_n]
        return [(self.dictionary_[int(i)], float(row[i])) for i in top if row[i] > 0]

    def get_topic_info(self, top_n=10):
        """One row per topic: ``topic, size, share, top_terms, label, short_label``,
        ``custom_label`` after :meth:`set_topic_labels` and, with seed words,
        ``seed`` (the set it was started from) and ``category`` (the seed set
        its terms match best).

        ``size`` counts fitted paragraphs whose top topic it is; ``label``
        joins the top three terms with ``_``; ``short_label`` uses only ids
        and codes, for plots without a CJK font.

        Example
        -------
        >>> tm.get_topic_info()[["topic", "size", "label"]]  # doctest: +SKIP
        """
        import pandas as pd

        self._check_fitted()
        n = max(1, int(self.sizes_.sum()))
        seed_names = list(self.seed_terms_)
        rows = []
        for t in range(self.n_topics_):
            terms = [w for w, _ in self.get_topic(t, top_n)]
            row = {"topic": t, "size": int(self.sizes_[t]), "share": float(self.sizes_[t]) / n,
                   "top_terms": " ".join(terms)}
            category = None
            if seed_names:
                tw = self.topic_word_[t]
                scores = [sum(tw[self.dictionary_.token2id[w]] for w in self.seed_terms_[s]
                              if w in self.dictionary_.token2id) for s in seed_names]
                if max(scores) > 0:
                    category = seed_names[int(np.argmax(scores))]
                seeded = [s for s, i in self.seed_topics_.items() if i == t]
                row["seed"] = seeded[0] if seeded else None
                row["category"] = category
            row["label"] = "_".join(terms[:3]) or f"topic {t}"
            row["short_label"] = f"T{t} {category}" if category else f"T{t}"
            if self.custom_labels_ is not None:
                row["custom_label"] = self.custom_labels_[t]
            rows.append(row)
        return pd.DataFrame(rows)

    def set_topic_labels(self, labels):
        """Give topics your own names (shown by plots and tables).

        Parameters
        ----------
        labels : dict {topic: str} or list of str
            A list names every topic in order; a dict names some of them.

        Example
        -------
        >>> tm.set_topic_labels({0: "复议与调解"})  # doctest: +SKIP
        """
        self._check_fitted()
        info = self.get_topic_info(top_n=3)
        current = list(self.custom_labels_ or info["label"])
        if isinstance(labels, dict):
            for t, name in labels.items():
                self._check_topic(t)
                current[t] = str(name)
        elif isinstance(labels, (list, tuple)):
            if len(labels) != self.n_topics_:
                raise ModelError(f"got {len(labels)} labels for {self.n_topics_} topics")
            current = [str(x) for x in labels]
        else:
            raise TypeError("labels must be a dict {topic: name} or a list of names")
        self.custom_labels_ = current
        return self

    @property
    def topic_labels_(self):
        """``{topic: name}``: the custom label when set, else ``label``."""
        info = self.get_topic_info(top_n=3)
        col = "custom_label" if "custom_label" in info else "label"
        return dict(zip(info["topic"], info[col]))

    def get_document_info(self, docs=None):
        """One row per paragraph with ``topic``, ``label``, ``probability``,
        ``top_terms`` and ``representative`` (among the topic's three most
        representative paragraphs).

        Parameters
        ----------
        docs : list of str, optional
            New paragraphs (uses :meth:`transform`); default: the fitted ones
            with their metadata.

        Example
        -------
        >>> tm.get_document_info().query("topic == 2").head()  # doctest: +SKIP
        """
        import pandas as pd

        self._check_fitted()
        info = self.get_topic_info()
        names = self.topic_labels_
        terms = dict(zip(info["topic"], info["top_terms"]))
        if docs is None:
            out = self.documents_.copy()
            rep = self.get_representative_docs(top_n=3)
            out["representative"] = out.index.isin(rep["row"])
        else:
            texts = texts_of(docs)
            topics, probs = self.transform(texts)
            out = pd.DataFrame({"text": texts, "topic": topics,
                                "probability": probs.max(axis=1) if len(texts) else []})
            out["representative"] = False
        out["label"] = [names.get(t) for t in out["topic"]]
        out["top_terms"] = [terms.get(t) for t in out["topic"]]
        return out

    def get_representative_docs(self, topic=None, top_n=3):
        """The paragraphs that show a topic best: assigned to it and closest to
        its term profile (cosine of their terms with the topic's weights).

        Parameters
        ----------
        topic : int or None
            One topic, or all.
        top_n : int, default 3
            Paragraphs per topic.

        Returns
        -------
        pandas.DataFrame
            ``topic, rank, row, report_id, index, score, text`` (``row`` is the
            position in ``documents_``).

        Example
        -------
        >>> tm.get_representative_docs(0, top_n=2)["text"].tolist()  # doctest: +SKIP
        """
        return topic_views.representative_docs(self, topic, top_n)

    def find_topics(self, query, top_n=5):
        """Topics closest to a word or text, by cosine of its terms with each
        topic's term weights.

        Returns
        -------
        pandas.DataFrame
            ``topic, label, similarity``, best first (empty when no term of
            the query is known).

        Example
        -------
        >>> tm.find_topics("行政复议")  # doctest: +SKIP
        """
        import pandas as pd
        from sklearn.preprocessing import normalize

        self._check_fitted()
        if not isinstance(query, str):
            raise TypeError(f"query must be str, got {type(query).__name__}")
        text = to_simplified(query)
        toks = tokenize_texts([text], self.tokenizer)[0]
        terms = terms_of(segments(text, toks, self._stop()), self._phrase_pairs)
        if text.strip() in self.dictionary_.token2id:
            terms.append(text.strip())
        X = self._counts([terms])
        cols = ["topic", "label", "similarity"]
        if X.nnz == 0:
            return pd.DataFrame(columns=cols)
        sim = np.asarray(normalize(X.astype(np.float64)) @ normalize(self.topic_word_).T).ravel()
        order = np.lexsort((np.arange(len(sim)), -sim))[:top_n]
        names = self.topic_labels_
        return pd.DataFrame([{"topic": int(t), "label": names[int(t)],
                              "similarity": float(sim[t])} for t in order if sim[t] > 0],
                            columns=cols)

    # ----------------------------------------------------- editing topics
    def merge_topics(self, topics_to_merge):
        """Merge topics into one; topics are renumbered in order of their lowest id.

        Parameters
        ----------
        topics_to_merge : list of int, or list of lists of int
            One group, or several groups, of topics to merge.

        Returns
        -------
        TopicModel
            ``self``; custom labels of merged topics are dropped.

        Example
        -------
        >>> tm.merge_topics([[1, 4], [2, 3]]).n_topics_  # doctest: +SKIP
        """
        self._check_fitted()
        groups = topics_to_merge
        if groups and all(isinstance(t, (int, np.integer)) for t in groups):
            groups = [groups]
        target = list(range(self.n_topics_))
        for g in groups:
            g = [self._check_topic(t) for t in g]
            for t in g:
                target[t] = min(g)
        self._apply_merge(np.asarray(target))
        return self

    def reduce_topics(self, n_topics):
        """Merge the most similar topics (cosine of term weights) until ``n_topics`` remain.

        Example
        -------
        >>> tm.reduce_topics(8).n_topics_  # doctest: +SKIP
        8
        """
        from sklearn.preprocessing import normalize

        self._check_fitted()
        if not isinstance(n_topics, (int, np.integer)) or not 1 <= n_topics <= self.n_topics_:
            raise ModelError(f"n_topics must be an int in 1..{self.n_topics_}, got {n_topics!r}")
        while self.n_topics_ > n_topics:
            W = normalize(self.topic_word_)
            sim = W @ W.T
            np.fill_diagonal(sim, -np.inf)
            a, b = np.unravel_index(int(np.argmax(sim)), sim.shape)
            self.merge_topics([int(a), int(b)])
        return self

    # -------------------------------------------------------- research views
    def topics_per_report(self):
        """Topic shares per report: ``report_id, topic, label, share, n_paragraphs``.

        ``share`` is the mean topic weight over the report's fitted
        paragraphs (each report's shares sum to 1).

        Example
        -------
        >>> per = tm.topics_per_report()  # doctest: +SKIP
        >>> per.pivot(index="report_id", columns="topic", values="share")  # doctest: +SKIP
        """
        self._check_fitted()
        per = topic_views.report_shares(self, None)
        names = self.topic_labels_
        per.insert(3, "label", [names[t] for t in per["topic"]])
        return per.drop(columns=["_key"])

    def topics_per_class(self, by="region", labels=None, *, min_reports=1, n_boot=1000,
                         ci=0.95):
        """Topic shares per group, report first: each report's shares are
        computed, then averaged over the group's reports with a bootstrap
        interval over reports.

        Parameters
        ----------
        by : {"region", "province", "city", "level", "year", "category", "report_id"}
            A metadata column of ``documents_`` or ``"category"`` (the codebook
            category of each paragraph: shares within a report's paragraphs of
            that category).
        labels : sequence or DataFrame with ``label``, optional
            Category per row of ``documents_`` for ``by="category"``; computed
            with :func:`rolnlp.classify` when omitted.
        min_reports : int, default 1
            Groups with fewer reports are left out.
        n_boot : int, default 1000
            Bootstrap resamples of the group's reports (0: no interval).
        ci : float, default 0.95

        Returns
        -------
        pandas.DataFrame
            ``<by>, topic, label, share, ci_low, ci_high, n_reports,
            n_paragraphs``; rows with a missing ``<by>`` are left out.

        Example
        -------
        >>> tm.topics_per_class("province", min_reports=5)  # doctest: +SKIP
        """
        return topic_views.shares_per_group(self, by, labels, min_reports, n_boot, ci)

    def topics_over_time(self, **kwargs):
        """Topic shares per report year (:meth:`topics_per_class` by ``"year"``).

        Example
        -------
        >>> tm.topics_over_time().head()  # doctest: +SKIP
        """
        return self.topics_per_class("year", **kwargs)

    def topic_terms_per_class(self, by="region", labels=None, *, top_n=10, min_reports=1):
        """The terms a topic takes in each group: class-based TF-IDF of the
        group's paragraphs assigned to the topic.

        Returns
        -------
        pandas.DataFrame
            ``<by>, topic, label, n_paragraphs, n_reports, terms``.

        Example
        -------
        >>> tm.topic_terms_per_class("year").query("topic == 0")  # doctest: +SKIP
        """
        return topic_views.terms_per_group(self, by, labels, top_n, min_reports)

    # --------------------------------------------------------------- plots
    def visualize_topics(self, top_n=8):
        """Bar chart of topic sizes with their labels (a matplotlib Figure).

        Example
        -------
        >>> tm.visualize_topics().savefig("topics.png")  # doctest: +SKIP
        """
        from .topic_plots import plot_topic_sizes

        return plot_topic_sizes(self)

    def visualize_diagnostics(self):
        """Coherence and stability per K tried by the automatic choice (a Figure).

        Example
        -------
        >>> TopicModel("auto").fit(corpus).visualize_diagnostics()  # doctest: +SKIP
        """
        from .topic_plots import plot_diagnostics

        if self.diagnostics_ is None:
            raise ModelError("no diagnostics: fit with n_topics='auto' first")
        return plot_diagnostics(self.diagnostics_, self.n_topics_)

    visualize_coherence = visualize_diagnostics

    @property
    def coherence_sweep_(self):
        """Alias of ``diagnostics_`` (the per-K table of the automatic choice)."""
        return getattr(self, "diagnostics_", None)

    def visualize_heatmap(self, by="province", labels=None, *, top_n=20, min_reports=1):
        """Heatmap of topic shares (rows: topics, columns: the ``top_n`` groups
        with most reports), from :meth:`topics_per_class`.

        Example
        -------
        >>> tm.visualize_heatmap("province", top_n=15, min_reports=3)  # doctest: +SKIP
        """
        from .topic_plots import plot_topic_heatmap

        table = self.topics_per_class(by, labels, min_reports=min_reports, n_boot=0)
        return plot_topic_heatmap(self, table, by, top_n=top_n)

    def visualize_topics_per_class(self, by="region", labels=None, *, top_n=20):
        """Heatmap of topic shares per group (see :meth:`visualize_heatmap`).

        Example
        -------
        >>> tm.visualize_topics_per_class("year")  # doctest: +SKIP
        """
        return self.visualize_heatmap(by, labels, top_n=top_n)

    def visualize_topics_over_time(self):
        """Topic share per report year as lines (a Figure).

        Example
        -------
        >>> tm.visualize_topics_over_time()  # doctest: +SKIP
        """
        from .topic_plots import plot_topics_over_time

        return plot_topics_over_time(self, self.topics_over_time(n_boot=0))

    # ---------------------------------------------------------- persistence
    def save(self, path):
        """Save to directory ``path`` (JSON + npz with checksums, no pickle).

        Returns
        -------
        str
            The directory written.

        Example
        -------
        >>> tm.save("out/topic_model")  # doctest: +SKIP
        """
        from .topic_io import save_topic_model

        self._check_fitted()
        return save_topic_model(self, path)

    @classmethod
    def load(cls, path, tokenizer=None):
        """Load a model written by :meth:`save`.

        Raises
        ------
        rolnlp.ModelError
            If a file is missing, not a rolnlp topic model, or was modified.

        Example
        -------
        >>> tm = TopicModel.load("out/topic_model")  # doctest: +SKIP
        >>> tm.transform(["开展人民调解"])  # doctest: +SKIP
        """
        from .topic_io import load_topic_model

        return load_topic_model(cls, path, tokenizer)

    # ------------------------------------------------------------- internals
    def _check_params(self):
        k = self.n_topics
        if k not in (None, "auto") and not (isinstance(k, (int, np.integer))
                                            and not isinstance(k, bool) and k >= 1):
            raise ModelError(f"n_topics must be a positive int or 'auto', got {k!r}")
        if self.method not in engines.METHODS:
            raise ModelError(f"method must be one of {', '.join(engines.METHODS)}, "
                             f"got {self.method!r}")
        if self.coherence not in ("c_npmi", "c_v", "u_mass"):
            raise ModelError(f"coherence must be 'c_npmi', 'c_v' or 'u_mass', "
                             f"got {self.coherence!r}")
        if not isinstance(self.n_jobs, (int, np.integer)) or self.n_jobs == 0:
            raise ModelError(f"n_jobs must be a non-zero int, got {self.n_jobs!r}")
        s = self.seed_words
        if not (s is None or s == "codebook" or isinstance(s, dict)):
            raise TypeError("seed_words must be a dict of lists of words, 'codebook' or None")
        if s is not None and self.method != "ctfidf":
            raise ModelError("seed_words work with method='ctfidf' only")
        if isinstance(self.skip_units, str):
            raise TypeError("skip_units must be a tuple of kinds/sections, not a str")

    def _stop(self):
        return GENERIC_TERMS if self.stop_terms is None else frozenset(self.stop_terms)

    def _check_fitted(self):
        if not hasattr(self, "_engine"):
            raise ModelError("this TopicModel is not fitted yet; call fit() first")

    def _check_topic(self, topic):
        self._check_fitted()
        if (not isinstance(topic, (int, np.integer)) or isinstance(topic, bool)
                or not 0 <= topic < self.n_topics_):
            raise ModelError(f"topic must be an int in 0..{self.n_topics_ - 1}, got {topic!r}")
        return int(topic)

    def _fit_mask(self, df):
        skip = set(self.skip_units or ())
        mask = np.ones(len(df), dtype=bool)
        for col in ("kind", "section"):  # ``kind`` appears once the reader provides it
            if col in df.columns and skip:
                mask &= ~df[col].isin(skip).to_numpy()
        return mask

    def _terms_for_fit(self, texts, tokens=None, mask=None):
        """Terms per text; phrases are learnt on the ``mask`` rows only."""
        if tokens is None:
            tokens = tokenize_texts(texts, self.tokenizer, n_jobs=self.n_jobs,
                                    progress=self.progress)
        stop = self._stop()
        runs = [segments(t, tk, stop) for t, tk in zip(texts, tokens)]
        if self.phrases:
            learn_on = [r for i, rs in enumerate(runs) if mask is None or mask[i] for r in rs]
            self._phrase_pairs = learn_phrases(learn_on, min_count=self.phrase_min_count,
                                               threshold=self.phrase_threshold)
        else:
            self._phrase_pairs = set()
        return [terms_of(rs, self._phrase_pairs) for rs in runs]

    def _resolve_seeds(self, terms):
        seeds = self.seed_words
        if seeds is None:
            return {}
        if seeds == "codebook":
            seeds = codebook_seeds()
        present = {w for t in terms for w in t}
        out = {}
        for name, words in seeds.items():
            if isinstance(words, str):
                raise TypeError(f"seed words of {name!r} must be a list of words, not a str")
            out[str(name)] = [w for w in dict.fromkeys(to_simplified(x) for x in words)
                              if w in present]
            if not out[str(name)]:
                logger.info("no seed word of %r occurs in the corpus", name)
        return out

    def _build_dictionary(self, terms):
        from gensim.corpora import Dictionary

        d = Dictionary(terms)
        n = len(terms)
        no_below = self.no_below if self.no_below is not None else (
            1 if n < 50 else 2 if n < 2000 else 3)
        no_above = self.no_above if self.no_above is not None else (0.9 if n < 50 else 0.5)
        keep = sorted({w for ts in getattr(self, "seed_terms_", {}).values() for w in ts})
        full = len(d)
        d.filter_extremes(no_below=no_below, no_above=no_above, keep_n=self.keep_n,
                          keep_tokens=keep or None)
        if len(d) < 10 and full > len(d):  # tiny corpora: filtering would leave nothing
            d = Dictionary(terms)
            d.filter_extremes(no_below=1, no_above=1.0, keep_n=self.keep_n)
        # ids in sorted term order: the same vocabulary gives the same ids
        vocab = sorted(d.token2id)
        d.token2id = {w: i for i, w in enumerate(vocab)}
        d.id2token = dict(enumerate(vocab))
        logger.info("dictionary: %d of %d terms kept", len(d.token2id), full)
        return d

    def _counts(self, terms):
        ids = self.dictionary_.token2id
        return engines.counts_matrix([[ids[w] for w in t if w in ids] for t in terms],
                                     len(ids))

    def _engine_options(self):
        if self.method == "gibbs" and self.iterations:
            return {"iterations": int(self.iterations)}
        if self.method == "lda" and self.iterations:
            return {"passes": int(self.iterations)}
        return {}

    def _fit_k(self, X, terms, k, random_state, space=None):
        opts = self._engine_options()
        if self.method == "ctfidf":
            space = space or engines.svd_space(X, random_state)
            init = None
            if self.seed_terms_:
                init = seed_centroids(space[0], terms, self.seed_terms_, k, random_state)
            fitted = engines.fit_ctfidf(X, k, random_state, space=space, init=init, **opts)
        else:
            fitted = engines.fit(self.method, X, k, random_state, **opts)
        self._set_seed_topics(fitted.k)
        return fitted

    def _set_seed_topics(self, k):
        # seed sets that occur start clusters 0, 1, ... in order (see seed_centroids)
        present = [n for n, ts in self.seed_terms_.items() if ts]
        self.seed_topics_ = {n: i for i, n in enumerate(present) if i < k}

    def _k_candidates(self, n):
        if self.topic_range is not None:
            lo, hi = (int(x) for x in self.topic_range)
        else:
            lo = max(int(self.min_topics), len([s for s in self.seed_terms_.values() if s]))
            lo = max(2, min(lo, n // 3))
            hi = max(lo, min(lo + 12, n // 20))
        step = max(1, -(-(hi - lo) // 4))  # at most five candidates
        return list(range(max(1, lo), max(lo, hi) + 1, step))

    def _choose_k(self, X, terms):
        """Fit every candidate K with three seeds; keep the most coherent stable K.

        The three seeds are fixed (0, 1, 2) whatever ``random_state``: the
        number of topics is a property of the corpus, so models fitted with
        different seeds get the same K and stay comparable; ``random_state``
        then seeds the model fitted at that K.  Stability is the mean matched
        top-10 Jaccard over the three pairs of fits.  Among the K whose stability is at least 0.7 (or within 0.05 of
        the best, when none reaches 0.7), the smallest K whose coherence is
        within 0.01 of the best is chosen: coherence differences below that
        change from seed to seed.
        """
        import pandas as pd
        from gensim.models import CoherenceModel
        from tqdm.auto import tqdm

        candidates = self._k_candidates(X.shape[0])
        seeds = SWEEP_SEEDS
        # one seed's space and one fit at a time, keeping only top terms: memory
        # stays that of a single fit however many candidates are tried
        tops = {k: [] for k in candidates}
        bar = tqdm(total=len(seeds) * len(candidates), desc="choosing K",
                   disable=not self.progress, leave=False)
        for s in seeds:
            space = engines.svd_space(X, s) if self.method == "ctfidf" else None
            for k in candidates:
                tops[k].append(self._top_ids(self._fit_k(X, terms, k, s, space), 10))
                bar.update()
            del space
        bar.close()
        # one coherence model for all candidates: the co-occurrence counts are shared
        all_topics = [[self.dictionary_[i] for i in t] for k in candidates for t in tops[k][0]]
        cm = CoherenceModel(topics=all_topics, texts=terms, dictionary=self.dictionary_,
                            coherence=self.coherence, topn=10, processes=1)
        per_topic = np.nan_to_num(np.asarray(cm.get_coherence_per_topic(), float), nan=-1.0)
        rows, at = [], 0
        for k in candidates:
            sets = [[set(t) for t in ts] for ts in tops[k]]
            words = [w for t in tops[k][0] for w in t]
            rows.append({"n_topics": k,
                         "coherence": float(per_topic[at:at + len(sets[0])].mean()),
                         "stability": float(np.mean([matched_jaccard(a, b) for a, b in
                                                     itertools.combinations(sets, 2)])),
                         "diversity": len(set(words)) / max(1, len(words))})
            at += len(sets[0])
        diag = pd.DataFrame(rows)
        floor = min(0.7, diag["stability"].max() - 0.05)
        eligible = diag[diag["stability"] >= floor]
        near = eligible[eligible["coherence"] >= eligible["coherence"].max() - 0.01]
        best = int(near["n_topics"].min())
        diag["chosen"] = diag["n_topics"] == best
        self.diagnostics_ = diag
        logger.info("automatic K: %d (%s)", best, diag.to_dict("records"))
        self._set_seed_topics(best)
        space = engines.svd_space(X, self.random_state) if self.method == "ctfidf" else None
        return self._fit_k(X, terms, best, self.random_state, space)

    @staticmethod
    def _top_ids(fitted, n):
        return [list(np.argsort(-row, kind="stable")[:n]) for row in fitted.topic_word]

    def _merge_matrix(self):
        M = np.zeros((len(self._mapping), self.n_topics_), dtype=np.float32)
        M[np.arange(len(self._mapping)), self._mapping] = 1.0
        return M

    def _apply_merge(self, target):
        """Map current topics to ``target`` ids (renumbered 0..) and recompute."""
        new_ids = {t: i for i, t in enumerate(sorted(set(target.tolist())))}
        remap = np.array([new_ids[t] for t in target])
        k_new = len(new_ids)
        M = np.zeros((self.n_topics_, k_new), dtype=np.float32)
        M[np.arange(self.n_topics_), remap] = 1.0
        docs = self.documents_
        fitted_rows = docs["topic"].to_numpy() >= 0
        self.doc_topic_ = self.doc_topic_ @ M
        topic = np.where(fitted_rows, self.doc_topic_.argmax(axis=1), -1)
        if self._X is not None and self.method == "ctfidf":
            self.topic_word_ = engines.ctfidf(self._X, topic[fitted_rows], k_new)
        else:
            weighted = self.topic_word_ * np.maximum(self.sizes_, 1)[:, None]
            self.topic_word_ = engines._rows_sum_one(M.T @ weighted)
        self._mapping = remap[self._mapping]
        if self.custom_labels_ is not None:
            kept = {}
            for old, new in enumerate(remap):
                kept.setdefault(new, []).append(self.custom_labels_[old])
            self.custom_labels_ = None
            labels = [names[0] if len(names) == 1 else None for _, names in sorted(kept.items())]
        else:
            labels = None
        self.seed_topics_ = {s: int(remap[t]) for s, t in self.seed_topics_.items()}
        self.n_topics_ = k_new
        docs = docs.copy()
        docs["topic"] = topic
        docs["probability"] = np.where(fitted_rows, self.doc_topic_.max(axis=1), 0.0)
        self.documents_ = docs
        self._sizes_from_documents()
        if labels is not None:
            info = self.get_topic_info(top_n=3)
            self.custom_labels_ = [lbl if lbl is not None else auto
                                   for lbl, auto in zip(labels, info["label"])]

    def _sizes_from_documents(self):
        t = self.documents_["topic"].to_numpy()
        self.sizes_ = np.bincount(t[t >= 0], minlength=self.n_topics_)[:self.n_topics_]

