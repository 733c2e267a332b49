"""A trained linear text classifier in portable form: numpy-only inference and
safe persistence.

A saved model is a directory holding ``model.json`` (schema, classes, feature
blocks, metadata and the SHA-256 of the arrays file) and ``arrays-<hash>.npz``
(vocabularies, idf weights, coefficients and calibration as plain numpy
arrays).  Nothing is ever unpickled: arrays are read with
``np.load(allow_pickle=False)`` after the checksum has been verified, and the
JSON and array shapes are validated before use, so a foreign or tampered file
is refused with :class:`rolnlp.ModelError`.

Saving writes the new arrays file under a new content-derived name first and
then atomically replaces ``model.json``; an interrupted save therefore leaves
the previous model loadable.

Example
-------
>>> from rolnlp.classification.portable import load_model
>>> m = load_model("models/rol-paragraph-v1")  # doctest: +SKIP
>>> m.predict(["依法办理行政复议案件"])  # doctest: +SKIP
['dispute_resolution']
"""
from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Set
from pathlib import Path

import numpy as np

from ..codebook import CODEBOOK_VERSION
from ..errors import ModelError
from ..persistence import MANIFEST_FILE, Limits, load_bundle, save_bundle
from .charvec import MAX_N as CHAR_MAX_N, CharIndex
from .features import (FEATURE_KINDS, SHAPE_FEATURES, get_analyzer, normalize, shape_features,
                       tokenizer_fingerprint)

log = logging.getLogger(__name__)

FORMAT = "rolnlp-linear-text"  # the bundle kind
FORMAT_VERSION = 3  # 3: a rolnlp.persistence bundle, with training-text hashes
READABLE_VERSIONS = (3,)
SHAPE = "shape"
MODEL_FILE = MANIFEST_FILE
# bounds on what a manifest may declare, far above any real model
_MAX_CLASSES = 1000
_MAX_FEATURES = 5_000_000
_MAX_TERM_CHARS = 200
_MAX_TRAIN_HASHES = 10_000_000
# batches up to this size go through dictionary lookups rather than array code
_SMALL_BATCH = 8
_SMALL_CHARS = 4000
CALIBRATIONS = ("softmax", "sigmoid")


def calibrate(decision: np.ndarray, method: str, a=None, b=None) -> np.ndarray:
    """Turn linear decision values (n, n_classes) into probabilities summing to 1.

    ``"softmax"`` is the multinomial logistic link; ``"sigmoid"`` applies a
    per-class Platt sigmoid ``1 / (1 + exp(-(a*d + b)))`` and renormalises.

    Example
    -------
    >>> calibrate(np.array([[0.0, 0.0]]), "softmax").tolist()
    [[0.5, 0.5]]
    """
    d = np.asarray(decision, dtype=np.float64)
    if method == "softmax":
        z = d - d.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)
    if method == "sigmoid":
        p = 1.0 / (1.0 + np.exp(-(d * a + b)))
        s = p.sum(axis=1, keepdims=True)
        uniform = np.full_like(p, 1.0 / p.shape[1])
        return np.where(s > 0, p / np.where(s > 0, s, 1.0), uniform)
    raise ValueError(f"unknown calibration {method!r}")


def as_texts(texts, what="texts"):
    """A list of the strings in ``texts`` (any iterable of str but a single str).

    Accepts lists, tuples, pandas Series, numpy arrays of str and generators.

    Parameters
    ----------
    texts : iterable of str
    what : str
        How error messages name the argument.

    Returns
    -------
    list of str
        The texts in input order (a generator is consumed once).

    Raises
    ------
    TypeError
        ``texts`` is a single str, not iterable, or holds a non-str item.

    Example
    -------
    >>> as_texts(t for t in ("a", "b"))
    ['a', 'b']
    """
    if isinstance(texts, (str, bytes)):
        raise TypeError(f"{what} must be an iterable of str, not a single {type(texts).__name__}")
    if isinstance(texts, (Mapping, Set)):  # no meaningful order to answer in
        raise TypeError(f"{what} must be an ordered iterable of str, not {type(texts).__name__}")
    try:
        out = list(texts)
    except TypeError:
        raise TypeError(f"{what} must be an iterable of str, not {type(texts).__name__}") from None
    for i, t in enumerate(out):
        if not isinstance(t, str):  # numpy's str_ is a str subclass: accepted
            raise TypeError(f"{what} must hold str, found {type(t).__name__} at position {i}")
    return out


def text_hashes(texts) -> np.ndarray:
    """8-byte BLAKE2b hashes of the normalised texts, as uint64.

    A model stores those of its training texts (sorted, unique) so that
    evaluation on overlapping data can be flagged without storing the texts.

    Parameters
    ----------
    texts : iterable of str

    Returns
    -------
    numpy.ndarray of uint64, one per text

    Example
    -------
    >>> text_hashes(["行政复议"]).dtype
    dtype('uint64')
    """
    import hashlib

    digests = b"".join(hashlib.blake2b(normalize(t).encode("utf-8"), digest_size=8).digest()
                       for t in texts)
    return np.frombuffer(digests, dtype="<u8").astype(np.uint64)


class PortableModel:
    """A linear TF-IDF text classifier for inference (numpy and a sparse product).

    Build one with :meth:`rolnlp.ParagraphClassifier.export` or
    :func:`load_model`.  It and the fitted :class:`~rolnlp.ParagraphClassifier`
    that :func:`rolnlp.train` returns share one interface, so a trained and
    a loaded classifier behave alike: ``classes_``, ``metadata``,
    ``decision_function(texts)``, ``predict_proba(texts)``, ``predict(texts)``,
    ``explain(texts, top_n=5)``, ``overlap(texts)`` and ``save(path)``.

    Parameters
    ----------
    classes : list of str
    blocks : list of dict
        One per feature block: ``kind``, ``ngram_range``, ``sublinear_tf``,
        ``vocab`` (array of str, index order) and ``idf`` (float array); a
        last block of kind ``"shape"`` instead holds ``vocab`` (the names in
        :data:`~rolnlp.classification.features.SHAPE_FEATURES`), ``mean`` and
        ``scale`` (standardisation of the layout cues).
    coef : ndarray (n_classes, n_features)
    intercept : ndarray (n_classes,)
    calibration : str
        ``"softmax"`` or ``"sigmoid"``.
    calib_a, calib_b : ndarray (n_classes,), optional
        Sigmoid parameters.
    metadata : dict, optional
    train_hashes : ndarray of uint64, optional
        :func:`text_hashes` of the training texts, so evaluation data that
        overlaps them can be detected (:meth:`overlap`).

    Example
    -------
    >>> m = rolnlp.load_model("models/rol-paragraph-v1")  # doctest: +SKIP
    >>> m.predict_proba(["开展民法典宣传"]).shape  # doctest: +SKIP
    (1, 11)
    """

    def __init__(self, classes, blocks, coef, intercept, calibration="softmax",
                 calib_a=None, calib_b=None, metadata=None, train_hashes=None):
        self.classes_ = np.asarray(list(classes), dtype=object)
        self.blocks = [dict(b) for b in blocks]
        self.coef_ = np.asarray(coef, dtype=np.float64)
        self.intercept_ = np.asarray(intercept, dtype=np.float64)
        self.calibration = calibration
        self.calib_a = None if calib_a is None else np.asarray(calib_a, dtype=np.float64)
        self.calib_b = None if calib_b is None else np.asarray(calib_b, dtype=np.float64)
        self.metadata = dict(metadata or {})
        self.train_hashes = (None if train_hashes is None
                             else np.unique(np.asarray(train_hashes, dtype=np.uint64)))
        self._coef_t = np.ascontiguousarray(self.coef_.T)
        offset = 0
        for b in self.blocks:
            b["offset"] = offset
            if b["kind"] != SHAPE:
                b["index"] = dict(zip(b["vocab"].tolist(), range(len(b["vocab"]))))
                b["analyzer"] = get_analyzer(b["kind"], b["ngram_range"])
            if b["kind"] == "char" and b["ngram_range"][1] <= CHAR_MAX_N:
                b["char_index"] = CharIndex(b["vocab"], b["ngram_range"])
            offset += len(b["vocab"])
        # layout cues are not terms: they never appear as evidence
        self._n_terms = sum(len(b["vocab"]) for b in self.blocks if b["kind"] != SHAPE)
        self._names = None
        # the optional second stage over these scores and the unit's context
        # (rolnlp.classification.context), loaded from the model's context/ folder
        self.context_stage = None

    def __repr__(self):
        kinds = "+".join(b["kind"] for b in self.blocks)
        return (f"<PortableModel {self.metadata.get('name', '?')}: {len(self.classes_)} classes, "
                f"{self.coef_.shape[1]} {kinds} features, {self.calibration}>")

    # -- features -----------------------------------------------------------
    def _transform(self, texts):
        """Sparse TF-IDF rows as (row, col, value) arrays, rows in order."""
        rows, cols, vals, rank = [], [], [], []
        # a few short texts: plain dictionary lookups cost less than the fixed
        # price of the array pipeline; both give bit-identical values
        small = len(texts) <= _SMALL_BATCH and sum(map(len, texts)) <= _SMALL_CHARS
        for k, b in enumerate(self.blocks):
            if b["kind"] == SHAPE:
                for i, text in enumerate(texts):
                    w = (np.asarray(shape_features(text)) - b["mean"]) / b["scale"]
                    idx = np.flatnonzero(w)
                    rows.append(np.full(len(idx), i, dtype=np.int64))
                    cols.append(idx + b["offset"])
                    vals.append(w[idx])
                    rank.append(np.full(len(idx), k))
                continue
            if small:
                r, c, w = self._small_block(b, texts)
            elif "char_index" in b:  # all texts at once, in numpy
                r, c, counts = b["char_index"].count([normalize(t) for t in texts])
                w = self._weights(b, counts, c)
                if len(r):
                    w = w / np.sqrt(np.bincount(r, weights=w * w, minlength=len(texts)))[r]
            else:
                r, c, w = self._word_block(b, texts)
            rows.append(r)
            cols.append(c + b["offset"])
            vals.append(w)
            rank.append(np.full(len(r), k))
        if not rows:
            e = np.zeros(0)
            return e.astype(np.int64), e.astype(np.int64), e
        rows, cols, vals = np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)
        if len(self.blocks) > 1:
            # by row (explain() slices rows), blocks in model order within a row
            order = np.lexsort((np.concatenate(rank), rows))
            rows, cols, vals = rows[order], cols[order], vals[order]
        return rows, cols, vals

    @staticmethod
    def _weights(b, counts, c):
        tf = np.asarray(counts, dtype=np.float64)
        if b["sublinear_tf"]:
            tf = np.log(tf) + 1.0
        return tf * b["idf"][c]

    def _small_block(self, b, texts):
        """One block's (rows, cols, tf-idf) by dictionary lookups, in the order and
        with the arithmetic of the batch paths (so values are identical)."""
        get, analyze = b["index"].get, b["analyzer"].analyze
        by_column = "char_index" in b  # the char path yields columns sorted per row
        rows, cols, vals = [], [], []
        for i, text in enumerate(texts):
            counts: dict = {}
            for t in analyze(text):
                j = get(t)
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            if not counts:
                continue
            c = np.fromiter(sorted(counts) if by_column else counts, dtype=np.int64,
                            count=len(counts))
            w = self._weights(b, [counts[j] for j in c.tolist()], c)
            if by_column:
                norm = np.sqrt(np.bincount(np.zeros(len(w), dtype=np.int64), weights=w * w))[0]
            else:
                norm = np.sqrt(np.dot(w, w))
            if norm > 0:
                w = w / norm
            rows.append(np.full(len(c), i, dtype=np.int64))
            cols.append(c)
            vals.append(w)
        if not rows:
            e = np.zeros(0, dtype=np.int64)
            return e, e, np.zeros(0)
        return np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)

    @staticmethod
    def _word_block(b, texts):
        """(rows, cols, tf-idf) of one analyzer block, terms in first-occurrence order per row."""
        get = b["index"].get
        analyze = b["analyzer"].analyze
        ids: list = []
        lens = []
        for text in texts:
            hit = [j for j in map(get, analyze(text)) if j is not None]
            ids.extend(hit)
            lens.append(len(hit))
        if not ids:
            e = np.zeros(0, dtype=np.int64)
            return e, e, np.zeros(0)
        n_vocab = len(b["vocab"])
        occ_rows = np.repeat(np.arange(len(texts), dtype=np.int64), lens)
        keys = occ_rows * n_vocab + np.asarray(ids, dtype=np.int64)
        # counted in numpy, kept in the order each term first occurs in its text
        uniq, first, counts = np.unique(keys, return_index=True, return_counts=True)
        order = np.argsort(first)
        uniq, tf = uniq[order], counts[order].astype(np.float64)
        r, c = uniq // n_vocab, uniq % n_vocab
        if b["sublinear_tf"]:
            tf = np.log(tf) + 1.0
        w = tf * b["idf"][c]
        bounds = np.searchsorted(r, np.arange(len(texts) + 1))
        for lo, hi in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
            if hi > lo:
                seg = w[lo:hi]
                norm = np.sqrt(np.dot(seg, seg))
                if norm > 0:
                    w[lo:hi] = seg / norm
        return r, c, w

    def _check_texts(self, texts):
        return as_texts(texts)

    # -- prediction -----------------------------------------------------------
    def _decide(self, texts):
        rows, cols, vals = self._transform(texts)
        n = len(texts)
        from scipy import sparse

        # one sparse (n × features) by dense (features × classes) product, for
        # every batch size (so a text scores bit-identically alone or in a
        # batch); rows are already in order, so the row pointers are a search away
        indptr = np.searchsorted(rows, np.arange(n + 1))
        x = sparse.csr_matrix((vals, cols, indptr), shape=(n, self._coef_t.shape[0]))
        return np.asarray(x @ self._coef_t) + self.intercept_, (rows, cols, vals)

    def decision_function(self, texts):
        """Linear decision values, shape (n_texts, n_classes)."""
        return self._decide(self._check_texts(texts))[0]

    def predict_proba(self, texts):
        """Class probabilities, shape (n_texts, n_classes); rows sum to 1."""
        return calibrate(self.decision_function(texts), self.calibration,
                         self.calib_a, self.calib_b)

    def predict(self, texts):
        """Most probable class code for each text (list of str)."""
        p = self.predict_proba(texts)
        return [str(c) for c in self.classes_[p.argmax(axis=1)]]

    def explain(self, texts, top_n=5):
        """Probabilities plus, per text, the terms that most supported its top class.

        Parameters
        ----------
        texts : iterable of str
        top_n : int, default 5
            Number of terms to return per text.

        Returns
        -------
        proba : ndarray (n_texts, n_classes)
        evidence : list of tuple of str
            Terms with the largest positive ``coef × tfidf`` for the top class.

        Example
        -------
        >>> proba, evidence = model.explain(["依法办理行政复议案件"], top_n=3)  # doctest: +SKIP
        """
        texts = self._check_texts(texts)
        d, (rows, cols, vals) = self._decide(texts)
        proba = calibrate(d, self.calibration, self.calib_a, self.calib_b)
        return proba, self._evidence(len(texts), proba.argmax(axis=1), rows, cols, vals, top_n)

    def _evidence(self, n, best, rows, cols, vals, top_n):
        """Top terms per text for its best class, selected for the whole batch at once."""
        evidence = [()] * n
        if not len(vals) or top_n <= 0:
            return evidence
        contrib = vals * self.coef_[best[rows], cols]
        keep = (contrib > 0) & (cols < self._n_terms)  # layout cues are not terms
        r, c, w = rows[keep], cols[keep], contrib[keep]
        # by text, then strongest first (stable on ties): np.lexsort((-w, r)),
        # done as two stable sorts, the second on small integers (a radix sort)
        order = np.argsort(-w, kind="stable")
        small = r.astype(np.int16) if len(r) and int(r[-1]) < 32_000 else r
        order = order[np.argsort(small[order], kind="stable")]
        r, c = r[order], c[order]
        start = np.searchsorted(r, r, side="left")
        # a term may come from both the word and the char block: keep 2 × top_n
        # candidates per text, enough to fill top_n distinct terms
        sel = (np.arange(len(r)) - start) < 2 * top_n
        r, c = r[sel].tolist(), c[sel].tolist()
        names = self.feature_names()
        cur, terms = -1, []
        for i, j in zip(r, c):
            if i != cur:
                if cur >= 0:
                    evidence[cur] = tuple(terms)
                cur, terms = i, []
            if len(terms) < top_n:
                t = names[j]
                if t not in terms:
                    terms.append(t)
        if cur >= 0:
            evidence[cur] = tuple(terms)
        return evidence

    def overlap(self, texts):
        """Which ``texts`` (after normalisation) were among the training texts.

        Parameters
        ----------
        texts : iterable of str

        Returns
        -------
        ndarray of bool
            All False when the model stores no training-text hashes.

        Example
        -------
        >>> model.overlap(["依法办理行政复议案件"])  # doctest: +SKIP
        array([False])
        """
        texts = self._check_texts(texts)
        if self.train_hashes is None or not len(texts):
            return np.zeros(len(texts), dtype=bool)
        return np.isin(text_hashes(texts), self.train_hashes)

    def feature_names(self):
        """All feature names in column order (word n-grams joined by a space;
        layout cues, if any, last)."""
        if self._names is None:
            self._names = [t for b in self.blocks for t in b["vocab"].tolist()]
        return self._names

    # -- persistence ------------------------------------------------------------
    def save(self, path):
        """Save to directory ``path`` (created if needed) without pickle, atomically.

        The model is written as a :mod:`rolnlp.persistence` bundle of kind
        ``"rolnlp-linear-text"``; an attached :attr:`context_stage` goes to its
        ``context/`` folder (a stale one there is removed).

        Parameters
        ----------
        path : str or os.PathLike

        Returns
        -------
        pathlib.Path

        Example
        -------
        >>> model.save("models/my-model")  # doctest: +SKIP
        """
        arrays = {"coef": self.coef_, "intercept": self.intercept_}
        for i, b in enumerate(self.blocks):
            arrays[f"vocab_{i}"] = np.asarray(b["vocab"], dtype=str)
            if b["kind"] == SHAPE:
                arrays[f"mean_{i}"] = np.asarray(b["mean"], dtype=np.float64)
                arrays[f"scale_{i}"] = np.asarray(b["scale"], dtype=np.float64)
            else:
                arrays[f"idf_{i}"] = np.asarray(b["idf"], dtype=np.float64)
        if self.calibration == "sigmoid":
            arrays["calib_a"], arrays["calib_b"] = self.calib_a, self.calib_b
        if self.train_hashes is not None:
            arrays["train_hashes"] = self.train_hashes
        manifest = {
            "version": FORMAT_VERSION,
            "codebook_version": self.metadata.get("codebook_version", CODEBOOK_VERSION),
            "classes": [str(c) for c in self.classes_],
            "calibration": self.calibration,
            "blocks": [{"kind": SHAPE, "n_features": int(len(b["vocab"]))} if b["kind"] == SHAPE
                       else {"kind": b["kind"], "ngram_range": list(b["ngram_range"]),
                             "sublinear_tf": bool(b["sublinear_tf"]),
                             "n_features": int(len(b["vocab"]))} for b in self.blocks],
            "metadata": self.metadata,
        }
        out = save_bundle(path, kind=FORMAT, manifest=manifest, arrays=arrays)
        from .context import save_stage_for
        # the context/ folder always matches this text model: written or removed
        save_stage_for(out, self.context_stage)
        return out


def _fail(path, why):
    raise ModelError(f"refusing to load model {path}: {why}")


def load_model(path, *, limits: Limits | None = None) -> PortableModel:
    """Load a model saved by :meth:`PortableModel.save` (never unpickles).

    Parameters
    ----------
    path : str or os.PathLike
        The model directory (or its ``model.json``).
    limits : rolnlp.persistence.Limits, optional
        Size bounds checked before anything is decompressed.

    Returns
    -------
    PortableModel

    Raises
    ------
    ModelError
        Missing, foreign (e.g. a pickle), tampered (checksum mismatch),
        malformed or oversized model files.

    Example
    -------
    >>> m = load_model("models/rol-paragraph-v1")  # doctest: +SKIP
    """
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"model path must be str or os.PathLike, not {type(path).__name__}")
    path = Path(path)
    if not (path / MODEL_FILE if path.is_dir() else path).is_file():
        raise ModelError(f"no model at {path}: expected a directory containing {MODEL_FILE} "
                         "(build the shipped one with 'python models/build.py' or set ROLNLP_MODEL)")

    def validate(doc, specs):
        _check_schema(path, doc)
        _check_specs(path, doc, specs)

    doc, arrays = load_bundle(path, kind=FORMAT, limits=limits, validate=validate)
    model = _build(path, doc, arrays)
    _check_compat(path, doc)
    from .context import load_stage_for
    model.context_stage = load_stage_for(path, model.classes_.tolist(), limits=limits)
    return model


def _check_schema(path, doc):
    if doc.get("version") not in READABLE_VERSIONS:
        _fail(path, f"model version {doc.get('version')!r} is not supported "
                    f"(this rolnlp reads versions {', '.join(map(str, READABLE_VERSIONS))})")
    classes = doc.get("classes")
    if (not isinstance(classes, list) or not 2 <= len(classes) <= _MAX_CLASSES
            or not all(isinstance(c, str) and 0 < len(c) <= 100 for c in classes)
            or len(set(classes)) != len(classes)):
        _fail(path, "'classes' must be a list of at least two distinct strings")
    if doc.get("calibration") not in CALIBRATIONS:
        _fail(path, f"'calibration' must be one of {CALIBRATIONS}")
    blocks = doc.get("blocks")
    if not isinstance(blocks, list) or not 0 < len(blocks) <= 3:
        _fail(path, "'blocks' must be a list of one to three feature blocks")
    for i, b in enumerate(blocks):
        if isinstance(b, dict) and b.get("kind") == SHAPE:
            # only as the last block, with this library's cues
            if i != len(blocks) - 1 or b.get("n_features") != len(SHAPE_FEATURES):
                _fail(path, f"malformed shape block {b!r} (this rolnlp computes "
                            f"{len(SHAPE_FEATURES)} layout cues, as the last block)")
            continue
        ok = (isinstance(b, dict) and b.get("kind") in FEATURE_KINDS
              and isinstance(b.get("ngram_range"), list) and len(b["ngram_range"]) == 2
              and all(isinstance(n, int) and 1 <= n <= 10 for n in b["ngram_range"])
              and b["ngram_range"][0] <= b["ngram_range"][1]
              and isinstance(b.get("sublinear_tf"), bool)
              and isinstance(b.get("n_features"), int)
              and 0 <= b["n_features"] <= _MAX_FEATURES)
        if not ok:
            _fail(path, f"malformed feature block {b!r}")
    meta = doc.get("metadata", {})
    if not isinstance(meta, dict):
        _fail(path, "'metadata' must be an object")
    if not isinstance(meta.get("tokenizer", {}), dict):
        _fail(path, "'metadata.tokenizer' must be an object")
    if "threshold" in meta and not (isinstance(meta["threshold"], (int, float))
                                    and 0 <= meta["threshold"] <= 1):
        _fail(path, "'metadata.threshold' must be a number within [0, 1]")


def _expected_specs(doc):
    """Array name -> (dtype kind, shape or None for the vocabularies) the manifest justifies."""
    n_classes = len(doc["classes"])
    n_total = sum(b["n_features"] for b in doc["blocks"])
    exp = {"coef": ("f", (n_classes, n_total)), "intercept": ("f", (n_classes,))}
    for i, b in enumerate(doc["blocks"]):
        n = b["n_features"]
        exp[f"vocab_{i}"] = ("U", (n,))
        if b["kind"] == SHAPE:
            exp[f"mean_{i}"] = exp[f"scale_{i}"] = ("f", (n,))
        else:
            exp[f"idf_{i}"] = ("f", (n,))
    if doc["calibration"] == "sigmoid":
        exp["calib_a"] = exp["calib_b"] = ("f", (n_classes,))
    return exp


def _check_specs(path, doc, specs):
    """Refuse declared arrays the manifest does not justify, before any is read."""
    exp = _expected_specs(doc)
    names = set(specs) - {"train_hashes"}
    if names != set(exp):
        _fail(path, f"arrays {sorted(names)[:12]} differ from the expected {sorted(exp)}")
    for key, (kind, shape) in exp.items():
        dtype, got = specs[key]
        if dtype.kind != kind or got != shape:
            _fail(path, f"{key} must be {kind} of shape {shape}, declared {dtype} {got}")
        if kind == "U" and dtype.itemsize > 4 * _MAX_TERM_CHARS:
            _fail(path, f"{key} declares terms of {dtype.itemsize // 4} characters")
    if "train_hashes" in specs:
        dtype, got = specs["train_hashes"]
        if dtype != np.dtype("<u8") or len(got) != 1 or got[0] > _MAX_TRAIN_HASHES:
            _fail(path, f"train_hashes must be at most {_MAX_TRAIN_HASHES} uint64, "
                        f"declared {dtype} {got}")


def _build(path, doc, arrays):
    blocks = []
    for i, b in enumerate(doc["blocks"]):
        if b["kind"] == SHAPE:
            vocab, mean, scale = arrays[f"vocab_{i}"], arrays[f"mean_{i}"], arrays[f"scale_{i}"]
            if vocab.tolist() != list(SHAPE_FEATURES):
                _fail(path, f"vocab_{i} names layout cues this rolnlp does not compute")
            if not np.all(scale > 0):
                _fail(path, f"scale_{i} must be positive")
            blocks.append({"kind": SHAPE, "vocab": vocab, "mean": mean, "scale": scale})
            continue
        blocks.append({"kind": b["kind"], "ngram_range": tuple(b["ngram_range"]),
                       "sublinear_tf": b["sublinear_tf"], "vocab": arrays[f"vocab_{i}"],
                       "idf": arrays[f"idf_{i}"]})
    for key, a in arrays.items():
        if a.dtype.kind == "f" and not np.all(np.isfinite(a)):
            _fail(path, f"{key} holds non-finite values")
    return PortableModel(doc["classes"], blocks, arrays["coef"], arrays["intercept"],
                         doc["calibration"], arrays.get("calib_a"), arrays.get("calib_b"),
                         doc.get("metadata", {}), train_hashes=arrays.get("train_hashes"))


def _check_compat(path, doc):
    if doc.get("codebook_version") != CODEBOOK_VERSION:
        log.warning("model %s was trained for codebook %s; this rolnlp uses codebook %s",
                    path, doc.get("codebook_version"), CODEBOOK_VERSION)
    if any(b["kind"] == "word" for b in doc["blocks"]):
        want = doc.get("metadata", {}).get("tokenizer", {}).get("lexicon_sha256")
        if want and want != tokenizer_fingerprint()["lexicon_sha256"]:
            log.warning("model %s was trained with a different tokenizer lexicon; "
                        "word features may not match training", path)
