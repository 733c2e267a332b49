"""Topic mining across reports: :class:`TopicModel`, LDA on gensim.

The API follows BERTopic (``fit``, ``fit_transform``, ``transform``,
``get_topic_info``, ``topics_per_class``, ``topics_over_time``, ``visualize_*``)
while the model underneath is gensim's LDA: paragraphs are tokenized with the
rule-of-law tokenizer, frequent word pairs are joined by gensim's ``Phrases``,
rare and ubiquitous terms are filtered, and the number of topics is given or
chosen by a coherence sweep.

Reproducibility: with ``workers=1`` (the default) training uses ``LdaModel``
with a fixed ``random_state`` and gives identical topics for identical input.
``LdaMulticore`` splits the corpus among worker processes whose updates arrive
in varying order, so its topics differ slightly from run to run; it is used
only when ``workers > 1`` *and* ``reproducible=False``.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import math
import os
import re
import shutil
import warnings

import numpy as np

from ..codebook import CATEGORIES
from ..errors import ModelError
from ._units import META_COLUMNS, texts_of, tokenize_texts, units_frame

logger = logging.getLogger(__name__)

FORMAT = "rolnlp-topic-model"
FORMAT_VERSION = 1
_JSON = "topic_model.json"
_NPZ = "topic_model.npz"
_DELIM = "\x1f"  # separates the two words of a learnt phrase inside gensim
# Words every report uses whatever it is about; they would top every topic.
GENERIC_TERMS = frozenset(
    "工作 建设 开展 推进 加强 全面 进一步 持续 深入 落实 完善 推动 提升 健全 积极 不断 切实 "
    "坚持 强化 有效 实现 进行 相关 组织 各类 有关 不断 确保 做好 加快 扎实 全年 累计 共计 "
    "我区 我市 我县 全区 全市 全县 今年 年度 方面 情况 主要 重点 重要 工作机制 机制 制度 "
    "同比 以上 以及 通过 围绕 按照 根据 依法 法治 政府 法治政府 法治建设 法治政府建设".split())


def codebook_seeds():
    """Seed words from the codebook: ``{category code: cue terms}``.

    Example
    -------
    >>> seeds = codebook_seeds()
    >>> "行政复议" in seeds["dispute_resolution"]
    True
    """
    return {c.code: list(c.cues) for c in CATEGORIES}


class TopicModel:
    """LDA topics over report paragraphs with a BERTopic-like interface.

    The constructor only stores parameters; :meth:`fit` does the work.

    Parameters
    ----------
    n_topics : int, "auto" or None, default "auto"
        Number of topics; ``"auto"``/``None`` picks it by a coherence sweep over
        ``topic_range`` (scores kept in ``coherence_sweep_``).
    random_state : int, default 0
        Seed of phrase-free sampling, the sweep sample and LDA.
    seed_words : dict, "codebook" or None
        ``{name: [words]}`` steering one topic per name through an asymmetric
        ``eta`` prior; ``"codebook"`` uses the cues of every codebook category.
    seed_strength : float or "auto", default "auto"
        Pseudo-count added to ``eta`` for a seed word in its seeded topic;
        ``"auto"`` uses the median corpus count of the seed terms (at least
        5), so the prior weighs about as much as the data on those words.
    topic_range : (int, int) or None
        Smallest and largest ``n_topics`` tried by the sweep; by default
        adapted to the corpus size (small corpora get a short range).
    coherence : {"c_npmi", "c_v"}, default "c_npmi"
        Coherence measure of the sweep.
    sweep_sample : int, default 2000
        The sweep fits and scores on at most this many paragraphs.
    no_below, no_above : int / float or None
        ``Dictionary.filter_extremes`` bounds: keep terms in at least
        ``no_below`` paragraphs and at most a ``no_above`` share of them.
        ``None`` adapts them to the corpus size.
    keep_n : int, default 20000
        Largest vocabulary kept.
    phrases : bool, default True
        Join frequent word pairs with gensim ``Phrases`` (``行政_复议``).
    phrase_min_count, phrase_threshold : int, float or None
        ``Phrases`` settings (npmi scoring); ``None`` adapts the count.
    passes, iterations : int or None
        LDA passes over the corpus (``None``: fewer for larger corpora) and
        per-document inference iterations.
    workers : int, default 1
        Worker processes for ``LdaMulticore``; see ``reproducible``.
    reproducible : bool, default True
        Train with single-process ``LdaModel`` even when ``workers > 1``
        because ``LdaMulticore`` is not deterministic.
    min_tokens : int, default 2
        Paragraphs with fewer kept terms get topic ``-1`` (no topic).
    stop_terms : iterable of str or None
        Terms left out of topics; ``None`` uses :data:`GENERIC_TERMS` (words
        such as 工作, 推进, 法治 that every report uses); ``()`` keeps all.
    tokenizer : object with ``tokenize(text)``, optional
        Defaults to the rule-of-law tokenizer.
    progress : bool, default False
        Show tqdm progress bars.

    Example
    -------
    >>> tm = TopicModel(n_topics=5, random_state=0)  # doctest: +SKIP
    >>> topics, probs = tm.fit_transform(rolnlp.read_corpus("corpus/"))  # doctest: +SKIP
    >>> tm.get_topic_info()[["topic", "size", "label"]]  # doctest: +SKIP
    """

    def __init__(self, n_topics="auto", *, random_state=0, seed_words=None,
                 seed_strength="auto", topic_range=None, coherence="c_npmi",
                 sweep_sample=2000, no_below=None, no_above=None, keep_n=20000,
                 phrases=True, phrase_min_count=None, phrase_threshold=0.5,
                 passes=None, iterations=50, workers=1, reproducible=True,
                 min_tokens=2, stop_terms=None, tokenizer=None, progress=False):
        self.n_topics = n_topics
        self.random_state = random_state
        self.seed_words = seed_words
        self.seed_strength = seed_strength
        self.topic_range = topic_range
        self.coherence = coherence
        self.sweep_sample = sweep_sample
        self.no_below = no_below
        self.no_above = no_above
        self.keep_n = keep_n
        self.phrases = phrases
        self.phrase_min_count = phrase_min_count
        self.phrase_threshold = phrase_threshold
        self.passes = passes
        self.iterations = iterations
        self.workers = workers
        self.reproducible = reproducible
        self.min_tokens = min_tokens
        self.stop_terms = stop_terms
        self.tokenizer = tokenizer
        self.progress = progress

    def __repr__(self):
        k = getattr(self, "n_topics_", self.n_topics)
        return f"<TopicModel n_topics={k!r} random_state={self.random_state!r}>"

    # ------------------------------------------------------------------ fit
    def fit(self, docs, tokens=None):
        """Fit topics on the paragraphs of ``docs``.

        Parameters
        ----------
        docs : Corpus, list of Report, list of str or DataFrame with ``text``
            Reports contribute one document per paragraph with their metadata.
        tokens : list of list of str, optional
            Precomputed tokens, one list per paragraph (skips tokenizing).

        Returns
        -------
        TopicModel
            ``self``, with ``documents_`` (one row per paragraph with ``topic``
            and ``probability``), ``doc_topic_``, ``n_topics_`` and, after a
            sweep, ``coherence_sweep_``.

        Example
        -------
        >>> tm = TopicModel(n_topics=3).fit(["行政复议 调解", "执法 监督"] * 20)  # doctest: +SKIP
        """
        self._check_params()
        df = units_frame(docs)
        if len(df) == 0:
            raise ValueError("no paragraphs to fit topics on")
        if tokens is None:
            tokens = tokenize_texts(df["text"], self.tokenizer, progress=self.progress)
        elif len(tokens) != len(df):
            raise ValueError(f"got {len(tokens)} token lists for {len(df)} paragraphs")
        stop = self._stop()
        tokens = [_clean_tokens(t, stop) for t in tokens]
        self._phrase_pairs = self._learn_phrases(tokens) if self.phrases else set()
        tokens = [_apply_phrases(t, self._phrase_pairs) for t in tokens]

        self.seed_terms_ = self._resolve_seeds(tokens)
        self.dictionary_ = self._build_dictionary(tokens)
        bows = [self.dictionary_.doc2bow(t) for t in tokens]
        used = np.array([sum(c for _, c in b) >= self.min_tokens for b in bows])
        if not used.any():
            raise ValueError("no paragraph keeps enough terms to fit topics; "
                             "give more text or lower min_tokens")
        train = [b for b, u in zip(bows, used) if u]
        train_tokens = [t for t, u in zip(tokens, used) if u]

        self.coherence_sweep_ = None
        k = self.n_topics
        if k in (None, "auto"):
            k = self._sweep(train, train_tokens)
        self.n_topics_ = int(k)
        self.seed_topics_ = {name: i for i, name in enumerate(self.seed_terms_)
                             if i < self.n_topics_}
        self._lda = self._train(train, self.n_topics_, self._passes(len(train)))

        probs = np.zeros((len(bows), self.n_topics_), dtype=np.float32)
        probs[used] = self._infer(train)
        self.doc_topic_ = probs
        df = df.copy()
        df["topic"] = np.where(used, probs.argmax(axis=1), -1)
        df["probability"] = np.where(used, probs.max(axis=1), 0.0)
        self.documents_ = df
        self._info = None
        return self

    def fit_transform(self, docs, tokens=None):
        """Fit and return ``(topics, probabilities)`` for the paragraphs of ``docs``.

        Returns
        -------
        topics : numpy.ndarray of int
            Top topic per paragraph (``-1`` when too few terms remain).
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
        toks = tokenize_texts(texts, self.tokenizer)
        stop = self._stop()
        bows = [self.dictionary_.doc2bow(_apply_phrases(_clean_tokens(t, stop),
                                                        self._phrase_pairs))
                for t in toks]
        used = np.array([sum(c for _, c in b) >= self.min_tokens for b in bows], dtype=bool)
        probs = np.zeros((len(bows), self.n_topics_), dtype=np.float32)
        if used.any():
            probs[used] = self._infer([b for b, u in zip(bows, used) if u])
        topics = np.where(used, probs.argmax(axis=1), -1) if len(bows) else np.zeros(0, int)
        return topics.astype(int), probs

    # ------------------------------------------------------------- results
    def get_topic(self, topic, topn=10):
        """Top terms of ``topic`` as ``[(term, weight), ...]``, heaviest first.

        Example
        -------
        >>> tm.get_topic(0, topn=3)  # doctest: +SKIP
        [('行政复议', 0.061), ('调解', 0.044), ('纠纷', 0.031)]
        """
        self._check_fitted()
        if not isinstance(topic, (int, np.integer)) or not 0 <= topic < self.n_topics_:
            raise ValueError(f"topic must be an int in 0..{self.n_topics_ - 1}, got {topic!r}")
        row = self.topic_word_[topic]
        top = np.argsort(-row, kind="stable")[:topn]
        return [(self.dictionary_[int(i)], float(row[i])) for i in top]

    @property
    def topic_word_(self):
        """Topic-term probabilities, shape (n_topics, n_terms); rows sum to 1."""
        self._check_fitted()
        lam = self._lda.state.get_lambda()
        return lam / lam.sum(axis=1, keepdims=True)

    def get_topic_info(self, topn=10):
        """One row per topic: ``topic, size, share, top_terms, label, short_label``
        and, with seed words, ``seed`` (the name it was seeded with) and
        ``category`` (the seed set its terms match best).

        ``size`` counts paragraphs whose top topic it is; ``label`` joins the
        top three terms with ``_`` (prefixed by the category when seeded);
        ``short_label`` uses only ids and codes, for plots without a CJK font.

        Example
        -------
        >>> tm.get_topic_info()[["topic", "size", "label"]]  # doctest: +SKIP
        """
        import pandas as pd

        self._check_fitted()
        sizes = self.documents_["topic"].value_counts()
        n = max(1, int((self.documents_["topic"] >= 0).sum()))
        tw = self.topic_word_
        seed_names = list(self.seed_terms_)
        rows = []
        for t in range(self.n_topics_):
            terms = [w for w, _ in self.get_topic(t, topn)]
            row = {"topic": t, "size": int(sizes.get(t, 0)),
                   "share": float(sizes.get(t, 0)) / n, "top_terms": " ".join(terms)}
            category = None
            if seed_names:
                scores = [sum(tw[t, self.dictionary_.token2id[w]] for w in self.seed_terms_[s]
                              if w in self.dictionary_.token2id) for s in seed_names]
                if max(scores) > 0:
                    category = seed_names[int(np.argmax(scores))]
                seeded = [s for s, i in self.seed_topics_.items() if i == t]
                row["seed"] = seeded[0] if seeded else None
                row["category"] = category
            head = "_".join(terms[:3])
            row["label"] = f"{category}: {head}" if category else head
            row["short_label"] = f"T{t} {category}" if category else f"T{t}"
            rows.append(row)
        return pd.DataFrame(rows)

    def topics_per_report(self):
        """Topic prevalence per report: ``report_id, topic, frequency, share, weight``.

        ``frequency`` counts the report's paragraphs with that top topic,
        ``share`` divides it by the report's paragraphs with a topic, and
        ``weight`` is the mean topic probability over all its paragraphs.

        Example
        -------
        >>> tm.topics_per_report().pivot(index="report_id", columns="topic", values="weight")  # doctest: +SKIP
        """
        self._check_fitted()
        return self._per_class(self.documents_["report_id"].astype(str), "report_id")

    def topics_per_class(self, by="region", labels=None):
        """Topic prevalence per group of paragraphs.

        Parameters
        ----------
        by : {"region", "year", "level", "report_id", "category"}
            A metadata column, or ``"category"`` for the codebook category of
            each paragraph.
        labels : sequence, pandas Series or DataFrame with ``label``, optional
            Category per fitted paragraph (same order) for ``by="category"``;
            computed with :func:`rolnlp.classify` when omitted.

        Returns
        -------
        pandas.DataFrame
            ``<by>, topic, label, frequency, share, weight`` (see
            :meth:`topics_per_report`); paragraphs with a missing ``<by>``
            value are left out.

        Example
        -------
        >>> tm.topics_per_class("category", labels=df["label"])  # doctest: +SKIP
        """
        self._check_fitted()
        docs = self.documents_
        if by == "category":
            keys = self._category_labels(labels)
        elif by in docs.columns:
            keys = docs[by]
        else:
            raise ValueError(f"by must be one of region, year, level, report_id, category; "
                             f"got {by!r}")
        return self._per_class(keys, by)

    def topics_over_time(self):
        """Topic prevalence per report year (:meth:`topics_per_class` by ``"year"``).

        Example
        -------
        >>> tm.topics_over_time().head()  # doctest: +SKIP
        """
        return self.topics_per_class("year")

    def _per_class(self, keys, name):
        import pandas as pd

        docs = self.documents_
        keys = pd.Series(list(keys), index=docs.index)
        keep = keys.notna().to_numpy()
        if not keep.any():
            return pd.DataFrame(columns=[name, "topic", "label", "frequency", "share",
                                         "weight"])
        probs = pd.DataFrame(self.doc_topic_[keep], index=docs.index[keep])
        k = keys[keep]
        weight = probs.groupby(k.to_numpy()).mean()
        topic = docs["topic"][keep]
        counts = pd.crosstab(k.to_numpy(), topic.to_numpy())
        counts = counts.reindex(index=weight.index, columns=range(self.n_topics_), fill_value=0)
        totals = counts.sum(axis=1).replace(0, np.nan)
        labels = self.get_topic_info()["label"].tolist()
        rows = []
        for cls in weight.index:
            for t in range(self.n_topics_):
                f = int(counts.at[cls, t])
                rows.append({name: cls, "topic": t, "label": labels[t], "frequency": f,
                             "share": (f / totals[cls]) if totals[cls] == totals[cls] else 0.0,
                             "weight": float(weight.at[cls, t])})
        return pd.DataFrame(rows)

    def _category_labels(self, labels):
        import pandas as pd

        n = len(self.documents_)
        if labels is None:
            from ..classification import classify  # the classifier sits below; loaded only on request

            texts = self.documents_["text"].tolist()
            labels = [p.label for p in classify(texts)]
        elif isinstance(labels, pd.DataFrame):
            if "label" not in labels.columns:
                raise TypeError("a labels DataFrame needs a 'label' column")
            labels = labels["label"]
        labels = list(labels)
        if len(labels) != n:
            raise ValueError(f"got {len(labels)} labels for {n} fitted paragraphs")
        return labels

    # --------------------------------------------------------------- plots
    def visualize_topics(self, topn=8):
        """Bar chart of topic sizes with their top terms (a matplotlib Figure).

        Example
        -------
        >>> tm.visualize_topics().savefig("topics.png")  # doctest: +SKIP
        """
        from .plots import plot_topics

        return plot_topics(self.get_topic_info(topn))

    def visualize_coherence(self):
        """Coherence score per tried ``n_topics`` (needs a sweep; a Figure).

        Example
        -------
        >>> TopicModel("auto").fit(corpus).visualize_coherence()  # doctest: +SKIP
        """
        from .plots import plot_coherence

        if self.coherence_sweep_ is None:
            raise ValueError("no coherence sweep: fit with n_topics='auto' first")
        return plot_coherence(self.coherence_sweep_, chosen=self.n_topics_)

    def visualize_topics_per_class(self, by="region", labels=None):
        """Heatmap of topic shares per group (see :meth:`topics_per_class`).

        Example
        -------
        >>> tm.visualize_topics_per_class("year")  # doctest: +SKIP
        """
        from .plots import plot_topic_prevalence

        return plot_topic_prevalence(self.topics_per_class(by, labels), by,
                                     self.get_topic_info())

    def visualize_topics_over_time(self):
        """Topic weight per report year as lines (a Figure).

        Example
        -------
        >>> tm.visualize_topics_over_time()  # doctest: +SKIP
        """
        from .plots import plot_topics_over_time

        return plot_topics_over_time(self.topics_over_time(), self.get_topic_info())

    # ---------------------------------------------------------- persistence
    def save(self, path):
        """Save to directory ``path`` as JSON + npz (no pickle).

        The dictionary, phrases, parameters and per-paragraph metadata go to
        ``topic_model.json``; topic-term pseudo-counts (lambda), ``alpha``,
        ``eta`` and the paragraph-topic matrix to ``topic_model.npz``.  Both
        carry SHA-256 checksums that :meth:`load` verifies.

        Returns
        -------
        str
            The directory written.

        Example
        -------
        >>> tm.save("out/topic_model")  # doctest: +SKIP
        """
        import io

        from .._io import atomic_write

        self._check_fitted()
        os.makedirs(path, exist_ok=True)
        buf = io.BytesIO()
        lda = self._lda
        np.savez_compressed(buf, lam=lda.state.get_lambda().astype(np.float64),
                            alpha=np.asarray(lda.alpha, dtype=np.float64),
                            eta=np.asarray(lda.eta, dtype=np.float64),
                            doc_topic=self.doc_topic_.astype(np.float32))
        blob = buf.getvalue()
        docs = self.documents_
        meta_cols = [c for c in (*META_COLUMNS, "index", "topic") if c in docs.columns]
        payload = {
            "format": FORMAT, "version": FORMAT_VERSION,
            "params": {k: v for k, v in self._params().items() if k != "tokenizer"},
            "n_topics": self.n_topics_,
            "vocab": [self.dictionary_[i] for i in range(len(self.dictionary_))],
            "phrases": sorted([a, b] for a, b in self._phrase_pairs),
            "seed_terms": self.seed_terms_,
            "seed_topics": self.seed_topics_,
            "sweep": (None if self.coherence_sweep_ is None
                      else self.coherence_sweep_.to_dict(orient="list")),
            "documents": {c: [_jsonable(v) for v in docs[c].tolist()] for c in meta_cols},
            "npz_sha256": hashlib.sha256(blob).hexdigest(),
        }
        payload["checksum"] = _checksum(payload)
        # the two files are replaced one after the other; until the new JSON is
        # in place the old arrays stay under their checksum, where load() looks
        # when topic_model.npz does not match, so an interrupted save still
        # leaves the old model loadable
        npath = os.path.join(path, _NPZ)
        old = _saved_npz_sha(os.path.join(path, _JSON))
        if old and old != payload["npz_sha256"] and os.path.isfile(npath):
            backup = os.path.join(path, _backup_name(old))
            if not os.path.exists(backup):
                try:
                    os.link(npath, backup)
                except OSError:  # no hard links on this file system
                    shutil.copyfile(npath, backup)
        with atomic_write(npath, "wb") as f:
            f.write(blob)
        with atomic_write(os.path.join(path, _JSON)) as f:
            json.dump(payload, f, ensure_ascii=False)
        for name in os.listdir(path):
            if _BACKUP.match(name):
                with contextlib.suppress(OSError):
                    os.unlink(os.path.join(path, name))
        return os.fspath(path)

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
        import pandas as pd
        from gensim.corpora import Dictionary

        jpath, npath = os.path.join(path, _JSON), os.path.join(path, _NPZ)
        try:
            with open(jpath, encoding="utf-8") as f:
                payload = json.load(f)
            with open(npath, "rb") as f:
                blob = f.read()
        except (OSError, UnicodeDecodeError, ValueError) as e:
            raise ModelError(f"cannot read topic model at {os.fspath(path)}: {e}") from None
        if not isinstance(payload, dict) or payload.get("format") != FORMAT:
            raise ModelError(f"{jpath} is not a rolnlp topic model")
        if payload.get("version") != FORMAT_VERSION:
            raise ModelError(f"unsupported topic model version {payload.get('version')!r}")
        if payload.get("checksum") != _checksum(payload):
            raise ModelError(f"{jpath} was modified after saving (checksum mismatch)")
        want = payload.get("npz_sha256")
        if want != hashlib.sha256(blob).hexdigest():
            blob = _backup_blob(path, want)  # a save interrupted before its JSON
            if blob is None:
                raise ModelError(f"{npath} was modified after saving (checksum mismatch)")
        import io

        if not blob.startswith(b"PK"):
            raise ModelError(f"{npath} is not a numpy .npz archive (rolnlp never loads pickles)")
        try:
            with np.load(io.BytesIO(blob), allow_pickle=False) as z:
                lam, alpha, eta = z["lam"], z["alpha"], z["eta"]
                doc_topic = z["doc_topic"]
        except Exception as e:  # any parse failure of a foreign or truncated archive
            raise ModelError(f"{npath} is not a plain numpy archive ({type(e).__name__}: {e})") \
                from None
        try:
            vocab = list(payload["vocab"])
            k = int(payload["n_topics"])
            if lam.shape != (k, len(vocab)) or alpha.shape != (k,):
                raise ValueError("array shapes do not match the vocabulary")
        except (KeyError, ValueError, TypeError) as e:
            raise ModelError(f"corrupt topic model at {os.fspath(path)}: {e}") from None

        # the checksums only prove the files match each other, so a hand-made
        # file can still carry anything: a wrong field is a ModelError, not a
        # TypeError from deep inside pandas
        try:
            params = payload["params"]
            if not isinstance(params, dict):
                raise ValueError("'params' is not an object")
            unknown = set(params) - (set(_PARAM_KEYS) - {"tokenizer"})
            if unknown:
                raise ValueError(f"unknown parameters {sorted(unknown)}")
            self = cls(**params, tokenizer=tokenizer)
            d = Dictionary()
            d.token2id = {w: i for i, w in enumerate(vocab)}
            d.id2token = dict(enumerate(vocab))
            self.dictionary_ = d
            self._phrase_pairs = {(str(a), str(b)) for a, b in payload["phrases"]}
            self.seed_terms_ = {str(k_): list(v) for k_, v in payload["seed_terms"].items()}
            self.seed_topics_ = {str(k_): int(v) for k_, v in payload["seed_topics"].items()}
            self.n_topics_ = k
            sweep = payload.get("sweep")
            self.coherence_sweep_ = pd.DataFrame(sweep) if sweep is not None else None
            documents = pd.DataFrame(payload["documents"])
            self._lda = _rebuild_lda(d, lam, alpha, eta, self.random_state, self.iterations)
        except (KeyError, ValueError, TypeError, AttributeError) as e:
            raise ModelError(f"corrupt topic model at {os.fspath(path)}: {e}") from None
        self.doc_topic_ = doc_topic
        self.documents_ = documents
        self._info = None
        return self

    # ------------------------------------------------------------- internals
    def _params(self):
        out = {k: getattr(self, k) for k in _PARAM_KEYS}
        if out["stop_terms"] is not None:
            out["stop_terms"] = sorted(out["stop_terms"])
        if isinstance(out["topic_range"], tuple):
            out["topic_range"] = list(out["topic_range"])
        return out

    def _check_params(self):
        k = self.n_topics
        if k not in (None, "auto") and not (isinstance(k, (int, np.integer)) and k >= 1):
            raise ValueError(f"n_topics must be a positive int or 'auto', got {k!r}")
        if self.coherence not in ("c_npmi", "c_v", "u_mass"):
            raise ValueError(f"coherence must be 'c_npmi', 'c_v' or 'u_mass', "
                             f"got {self.coherence!r}")
        s = self.seed_words
        if not (s is None or s == "codebook" or isinstance(s, dict)):
            raise TypeError("seed_words must be a dict of lists of words, 'codebook' or None")

    def _stop(self):
        return GENERIC_TERMS if self.stop_terms is None else frozenset(self.stop_terms)

    def _check_fitted(self):
        if not hasattr(self, "_lda"):
            raise ValueError("this TopicModel is not fitted yet; call fit() first")

    def _learn_phrases(self, tokens):
        from gensim.models.phrases import Phrases

        n = len(tokens)
        min_count = self.phrase_min_count or max(3, min(20, n // 500))
        ph = Phrases(tokens, min_count=min_count, threshold=self.phrase_threshold,
                     scoring="npmi", delimiter=_DELIM)
        pairs = {tuple(p.split(_DELIM, 1)) for p in ph.export_phrases()}
        logger.info("phrases: %d word pairs joined", len(pairs))
        return pairs

    def _resolve_seeds(self, tokens):
        """Map seed words to vocabulary terms (a word may be a learnt phrase)."""
        seeds = self.seed_words
        if seeds is None:
            return {}
        if seeds == "codebook":
            seeds = codebook_seeds()
        present = set()
        for t in tokens:
            present.update(t)
        out = {}
        for name, words in seeds.items():
            if isinstance(words, str):
                raise TypeError(f"seed words of {name!r} must be a list of words, not a str")
            terms = []
            for w in words:
                # a learnt phrase is the concatenation of its words, so it matches w itself
                if w in present and w not in terms:
                    terms.append(w)
            if not terms:
                logger.info("no seed word of %r occurs in the corpus", name)
            out[str(name)] = terms
        return out

    def _build_dictionary(self, tokens):
        from gensim.corpora import Dictionary

        d = Dictionary(tokens)
        n = len(tokens)
        no_below = self.no_below if self.no_below is not None else (
            1 if n < 50 else 2 if n < 2000 else min(10, max(3, n // 1000)))
        no_above = self.no_above if self.no_above is not None else (
            0.9 if n < 50 else 0.5)
        keep = sorted({w for ts in self.seed_terms_.values() for w in ts})
        full = len(d)
        d.filter_extremes(no_below=no_below, no_above=no_above, keep_n=self.keep_n,
                          keep_tokens=keep or None)
        if len(d) < 10 and full > len(d):  # tiny corpora: filtering would leave nothing to model
            d = Dictionary(tokens)
            d.filter_extremes(no_below=1, no_above=1.0, keep_n=self.keep_n)
            logger.info("corpus too small for no_below=%s/no_above=%s; kept all terms",
                        no_below, no_above)
        logger.info("dictionary: %d of %d terms kept", len(d), full)
        return d

    def _passes(self, n_docs):
        if self.passes is not None:
            return int(self.passes)
        return 20 if n_docs < 1000 else 10 if n_docs < 10000 else 5

    def _eta(self, k):
        if not self.seed_terms_:
            return None
        strength = self.seed_strength
        if strength == "auto":
            ids = [self.dictionary_.token2id[w] for ts in self.seed_terms_.values() for w in ts]
            cfs = [self.dictionary_.cfs.get(i, 0) for i in ids]
            strength = max(5.0, float(np.median(cfs))) if cfs else 5.0
        eta = np.full((k, len(self.dictionary_)), 1.0 / k)
        for t, terms in enumerate(self.seed_terms_.values()):
            if t >= k:
                break
            for w in terms:
                eta[t, self.dictionary_.token2id[w]] += strength
        return eta

    def _train(self, bows, k, passes):
        from gensim.models import LdaModel, LdaMulticore

        kw = dict(corpus=bows, id2word=self.dictionary_, num_topics=k, passes=passes,
                  iterations=self.iterations, random_state=self.random_state,
                  chunksize=max(16, min(2000, len(bows) // 4)), eta=self._eta(k))
        # OpenBLAS may raise spurious "invalid value in dot" flags on finite float32 data
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            if self.workers > 1 and not self.reproducible:
                lda = LdaMulticore(workers=self.workers, **kw)
            else:
                lda = LdaModel(alpha="symmetric", eval_every=None, **kw)
        if not np.isfinite(lda.state.sstats).all():
            raise ValueError("topic training diverged (non-finite topic-term counts)")
        return lda

    def _infer(self, bows):
        # inference draws its starting point at random: reseed so transform is repeatable
        self._lda.random_state = np.random.RandomState(self.random_state)
        out = np.empty((len(bows), self.n_topics_), dtype=np.float32)
        step = 2000
        for i in range(0, len(bows), step):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                gamma, _ = self._lda.inference(bows[i:i + step])
            out[i:i + step] = gamma / gamma.sum(axis=1, keepdims=True)
        return out

    def _sweep(self, bows, tokens):
        """Pick ``n_topics`` by coherence on a sample; keeps ``coherence_sweep_``."""
        import pandas as pd
        from gensim.models import CoherenceModel

        n = len(bows)
        lo_min = max(2, len(self.seed_terms_))
        if self.topic_range is not None:
            lo, hi = (int(x) for x in self.topic_range)
        else:
            lo = lo_min
            hi = max(lo + 2, min(lo + 16, n // 15))
        hi = max(lo, hi)
        step = max(1, math.ceil((hi - lo) / 7))  # at most 8 candidates
        candidates = list(range(lo, hi + 1, step))
        rng = np.random.default_rng(self.random_state)
        idx = np.sort(rng.choice(n, size=min(n, self.sweep_sample), replace=False))
        sb = [bows[i] for i in idx]
        st = [[w for w in tokens[i] if w in self.dictionary_.token2id] for i in idx]
        passes = 3  # enough to rank candidate sizes; the final fit makes the full passes
        rows = []
        from tqdm.auto import tqdm

        for k in tqdm(candidates, desc="topic sweep", disable=not self.progress, leave=False):
            lda = self._train(sb, k, passes)
            topics = [[self.dictionary_[i] for i, _ in lda.get_topic_terms(t, 10)]
                      for t in range(k)]
            cm = CoherenceModel(topics=topics, texts=st, dictionary=self.dictionary_,
                                coherence=self.coherence, topn=10, processes=1)
            score = float(cm.get_coherence())
            rows.append({"n_topics": k, "coherence": score if score == score else -1.0})
            logger.info("sweep: %d topics, %s %.4f", k, self.coherence, score)
        self.coherence_sweep_ = pd.DataFrame(rows)
        best = self.coherence_sweep_.loc[self.coherence_sweep_["coherence"].idxmax()]
        return int(best["n_topics"])


def _clean_tokens(tokens, stop=frozenset()):
    # single characters (的, 和, 年) carry no topic
    return [t for t in tokens if len(t) >= 2 and t not in stop and _DELIM not in t]


def _apply_phrases(tokens, pairs):
    """Join adjacent pairs greedily left to right, as gensim's Phrases does."""
    if not pairs or len(tokens) < 2:
        return list(tokens)
    out = []
    i = 0
    n = len(tokens)
    while i < n:
        if i + 1 < n and (tokens[i], tokens[i + 1]) in pairs:
            out.append(tokens[i] + tokens[i + 1])
            i += 2
        else:
            out.append(tokens[i])
            i += 1
    return out


def _rebuild_lda(dictionary, lam, alpha, eta, random_state, iterations):
    """A gensim LdaModel whose state is the saved topic-term pseudo-counts."""
    from gensim.models import LdaModel

    k = lam.shape[0]
    lda = LdaModel(id2word=dictionary, num_topics=k, alpha=alpha,
                   eta=eta if eta.ndim == 2 else eta.reshape(-1), iterations=iterations,
                   random_state=random_state)
    lda.state.sstats = (lam - lda.eta).astype(lda.dtype)
    lda.sync_state()
    return lda


_PARAM_KEYS = ("n_topics", "random_state", "seed_words", "seed_strength", "topic_range",
               "coherence", "sweep_sample", "no_below", "no_above", "keep_n", "phrases",
               "phrase_min_count", "phrase_threshold", "passes", "iterations", "workers",
               "reproducible", "min_tokens", "stop_terms", "tokenizer", "progress")


_BACKUP = re.compile(r"^topic_model-[0-9a-f]{16}\.npz$")


def _backup_name(sha: str) -> str:
    return f"topic_model-{sha[:16]}.npz"


def _saved_npz_sha(jpath):
    """The arrays checksum recorded in an existing JSON, or None."""
    try:
        with open(jpath, encoding="utf-8") as f:
            sha = json.load(f).get("npz_sha256")
    except (OSError, ValueError, AttributeError):
        return None
    return sha if isinstance(sha, str) and re.fullmatch(r"[0-9a-f]{64}", sha) else None


def _backup_blob(path, sha):
    """The old arrays kept by an interrupted save, if they match ``sha``."""
    if not (isinstance(sha, str) and re.fullmatch(r"[0-9a-f]{64}", sha)):
        return None
    try:
        with open(os.path.join(path, _backup_name(sha)), "rb") as f:
            blob = f.read()
    except OSError:
        return None
    return blob if hashlib.sha256(blob).hexdigest() == sha else None


def _checksum(payload):
    body = {k: v for k, v in payload.items() if k != "checksum"}
    text = json.dumps(body, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _jsonable(v):
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return None if v != v else float(v)
    if isinstance(v, float) and v != v:
        return None
    return v
