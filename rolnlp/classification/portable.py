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

import hashlib
import io
import json
import logging
import os
import re
import zipfile
from pathlib import Path

import numpy as np

from .._io import atomic_write
from ..codebook import CODEBOOK_VERSION
from ..errors import ModelError
from .charvec import MAX_N as CHAR_MAX_N, CharIndex
from .features import (FEATURE_KINDS, SHAPE_FEATURES, get_analyzer, normalize, shape_features,
                       tokenizer_fingerprint)

log = logging.getLogger(__name__)

FORMAT = "rolnlp-linear-text"
# version 2 added the "shape" block; models without one are still written as 1
FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)
SHAPE = "shape"
MODEL_FILE = "model.json"
_ARRAYS_NAME = re.compile(r"^arrays-[0-9a-f]{16}\.npz$")
_MAX_JSON_BYTES = 5_000_000
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


class PortableModel:
    """A linear TF-IDF text classifier that runs on numpy alone.

    Build one with :meth:`rolnlp.ParagraphClassifier.export` or
    :func:`load_model`; it has the prediction API of the estimator
    (``classes_``, ``predict``, ``predict_proba``, ``decision_function``) plus
    :meth:`explain` and :meth:`save`.

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

    Example
    -------
    >>> m = rolnlp.load_model("models/rol-paragraph-v1")  # doctest: +SKIP
    >>> m.predict_proba(["开展民法典宣传"]).shape  # doctest: +SKIP
    (1, 11)
    """

    def __init__(self, classes, blocks, coef, intercept, calibration="softmax",
                 calib_a=None, calib_b=None, metadata=None):
        self.classes_ = np.asarray(list(classes), dtype=object)
        self.blocks = [dict(b) for b in blocks]
        self.coef_ = np.asarray(coef, dtype=np.float64)
        self.intercept_ = np.asarray(intercept, dtype=np.float64)
        self.calibration = calibration
        self.calib_a = None if calib_a is None else np.asarray(calib_a, dtype=np.float64)
        self.calib_b = None if calib_b is None else np.asarray(calib_b, dtype=np.float64)
        self.metadata = dict(metadata or {})
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

    def __repr__(self):
        kinds = "+".join(b["kind"] for b in self.blocks)
        return (f"<PortableModel {self.metadata.get('name', '?')}: {len(self.classes_)} classes, "
                f"{self.coef_.shape[1]} {kinds} features, {self.calibration}>")

    # -- features -----------------------------------------------------------
    def _transform(self, texts):
        """Sparse TF-IDF rows as (row, col, value) arrays, rows in order."""
        rows, cols, vals, rank = [], [], [], []
        for k, b in enumerate(self.blocks):
            if "char_index" in b:  # all texts at once, in numpy
                r, c, counts = b["char_index"].count([normalize(t) for t in texts])
                if len(r):
                    tf = counts.astype(np.float64)
                    if b["sublinear_tf"]:
                        tf = np.log(tf) + 1.0
                    w = tf * b["idf"][c]
                    norm = np.sqrt(np.bincount(r, weights=w * w, minlength=len(texts)))
                    rows.append(r)
                    cols.append(c + b["offset"])
                    vals.append(w / norm[r])
                    rank.append(np.full(len(r), k))
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
            if "char_index" in b:
                continue
            r, c, w = self._word_block(b, texts)
            rows.append(r)
            cols.append(c + b["offset"])
            vals.append(w)
            rank.append(np.full(len(r), k))
        if not rows:
            e = np.zeros(0)
            return e.astype(np.int64), e.astype(np.int64), e
        rows, cols, vals = np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)
        # by row (explain() slices rows), blocks in model order within a row
        order = np.lexsort((np.concatenate(rank), rows))
        return rows[order], cols[order], vals[order]

    @staticmethod
    def _word_block(b, texts):
        """(rows, cols, tf-idf) of one analyzer block, terms in first-occurrence order per row."""
        get = b["index"].get
        analyze = b["analyzer"].analyze
        ids: list = []
        lens = []
        for text in texts:
            hit = [j for t in analyze(text) if (j := get(t)) is not None]
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
        if isinstance(texts, str):
            raise TypeError("expected a list of strings, got a single str")
        texts = list(texts)
        for t in texts:
            if not isinstance(t, str):
                raise TypeError(f"texts must be str, got {type(t).__name__}")
        return texts

    # -- prediction -----------------------------------------------------------
    def _decide(self, texts):
        rows, cols, vals = self._transform(texts)
        n = len(texts)
        d = np.tile(self.intercept_, (n, 1))
        if len(vals):
            contrib = vals[:, None] * self._coef_t[cols]
            for k in range(d.shape[1]):
                d[:, k] += np.bincount(rows, weights=contrib[:, k], minlength=n)
        return d, (rows, cols, vals)

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

    def explain(self, texts, top=5):
        """Probabilities plus, per text, the terms that most supported its top class.

        Parameters
        ----------
        texts : list of str
        top : int
            Number of terms to return per text.

        Returns
        -------
        proba : ndarray (n_texts, n_classes)
        evidence : list of tuple of str
            Terms with the largest positive ``coef × tfidf`` for the top class.
        """
        texts = self._check_texts(texts)
        d, (rows, cols, vals) = self._decide(texts)
        proba = calibrate(d, self.calibration, self.calib_a, self.calib_b)
        best = proba.argmax(axis=1)
        names = self.feature_names()
        contrib = vals * self.coef_[best[rows], cols] if len(vals) else vals
        evidence = []
        bounds = np.searchsorted(rows, np.arange(len(texts) + 1))
        for i in range(len(texts)):
            lo, hi = bounds[i], bounds[i + 1]
            order = np.argsort(-contrib[lo:hi], kind="stable")
            terms = []
            for j in order:
                if contrib[lo + j] <= 0 or len(terms) >= top:
                    break
                if cols[lo + j] >= self._n_terms:
                    continue
                term = names[cols[lo + j]]
                if term not in terms:
                    terms.append(term)
            evidence.append(tuple(terms))
        return proba, evidence

    def feature_names(self):
        """All feature names in column order (word n-grams joined by a space;
        layout cues, if any, last)."""
        if self._names is None:
            self._names = [t for b in self.blocks for t in b["vocab"].tolist()]
        return self._names

    # -- persistence ------------------------------------------------------------
    def save(self, path):
        """Save to directory ``path`` (created if needed) without pickle, atomically.

        Example
        -------
        >>> model.save("models/my-model")  # doctest: +SKIP
        """
        path = Path(path)
        if path.exists() and not path.is_dir():
            raise ModelError(f"{path} exists and is not a directory")
        arrays = {"coef": self.coef_, "intercept": self.intercept_}
        for i, b in enumerate(self.blocks):
            arrays[f"vocab_{i}"] = np.asarray(b["vocab"], dtype=str)
            if b["kind"] == SHAPE:
                arrays[f"mean_{i}"] = np.asarray(b["mean"], dtype=np.float64)
                arrays[f"scale_{i}"] = np.asarray(b["scale"], dtype=np.float64)
            else:
                arrays[f"idf_{i}"] = np.asarray(b["idf"], dtype=np.float64)
        has_shape = any(b["kind"] == SHAPE for b in self.blocks)
        if self.calibration == "sigmoid":
            arrays["calib_a"], arrays["calib_b"] = self.calib_a, self.calib_b
        blob = _npz_bytes(arrays)
        digest = hashlib.sha256(blob).hexdigest()
        name = f"arrays-{digest[:16]}.npz"
        doc = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION if has_shape else 1,
            "codebook_version": self.metadata.get("codebook_version", CODEBOOK_VERSION),
            "classes": [str(c) for c in self.classes_],
            "calibration": self.calibration,
            "blocks": [{"kind": SHAPE, "n_features": int(len(b["vocab"]))} if b["kind"] == SHAPE
                       else {"kind": b["kind"], "ngram_range": list(b["ngram_range"]),
                             "sublinear_tf": bool(b["sublinear_tf"]),
                             "n_features": int(len(b["vocab"]))} for b in self.blocks],
            "arrays": {"file": name, "sha256": digest},
            "metadata": self.metadata,
        }
        path.mkdir(parents=True, exist_ok=True)
        # new arrays under a new name first, then switch model.json: an
        # interruption at any point leaves a consistent (old or new) model
        with atomic_write(path / name, "wb") as f:
            f.write(blob)
        with atomic_write(path / MODEL_FILE) as f:
            f.write(json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
        for old in path.glob("arrays-*.npz"):
            if old.name != name:
                old.unlink(missing_ok=True)
        log.info("saved model to %s (%d bytes of arrays)", path, len(blob))
        return path


def _npz_bytes(arrays: dict) -> bytes:
    """An ``.npz`` archive with fixed timestamps, so equal models give equal bytes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for key in sorted(arrays):
            a = io.BytesIO()
            np.lib.format.write_array(a, np.ascontiguousarray(arrays[key]), allow_pickle=False)
            info = zipfile.ZipInfo(f"{key}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, a.getvalue())
    return buf.getvalue()


def _fail(path, why):
    raise ModelError(f"refusing to load model {path}: {why}")


def load_model(path) -> PortableModel:
    """Load a model saved by :meth:`PortableModel.save` (never unpickles).

    Parameters
    ----------
    path : str or os.PathLike
        The model directory (or its ``model.json``).

    Returns
    -------
    PortableModel

    Raises
    ------
    ModelError
        Missing, foreign (e.g. a pickle), tampered (checksum mismatch) or
        malformed model files.

    Example
    -------
    >>> m = load_model("models/rol-paragraph-v1")  # doctest: +SKIP
    """
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"model path must be str or os.PathLike, not {type(path).__name__}")
    path = Path(path)
    meta_path = path / MODEL_FILE if path.is_dir() else path
    if not meta_path.is_file():
        raise ModelError(f"no model at {path}: expected a directory containing {MODEL_FILE} "
                         "(build the shipped one with 'python models/build.py' or set ROLNLP_MODEL)")
    raw = meta_path.read_bytes()[:_MAX_JSON_BYTES + 1]
    if len(raw) > _MAX_JSON_BYTES:
        _fail(meta_path, "model.json is implausibly large")
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        _fail(meta_path, "not a rolnlp model (not JSON; rolnlp never loads pickles)")
    _check_schema(meta_path, doc)
    arrays_path = meta_path.parent / doc["arrays"]["file"]
    if not arrays_path.is_file():
        _fail(meta_path, f"arrays file {arrays_path.name} is missing")
    blob = arrays_path.read_bytes()
    if hashlib.sha256(blob).hexdigest() != doc["arrays"]["sha256"]:
        _fail(meta_path, f"checksum mismatch for {arrays_path.name} (file altered or corrupt)")
    try:
        with np.load(io.BytesIO(blob), allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
    except Exception as e:  # any parse failure of a foreign archive
        _fail(meta_path, f"arrays file is not a plain numpy archive ({type(e).__name__}: {e})")
    model = _build(meta_path, doc, arrays)
    _check_compat(meta_path, doc)
    return model


def _check_schema(path, doc):
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        _fail(path, f"not a {FORMAT} model file")
    if doc.get("format_version") not in READABLE_VERSIONS:
        _fail(path, f"format version {doc.get('format_version')!r} is not supported "
                    f"(this rolnlp reads versions {', '.join(map(str, READABLE_VERSIONS))})")
    classes = doc.get("classes")
    if (not isinstance(classes, list) or len(classes) < 2
            or not all(isinstance(c, str) and c for c in classes)
            or len(set(classes)) != len(classes)):
        _fail(path, "'classes' must be a list of at least two distinct strings")
    if doc.get("calibration") not in CALIBRATIONS:
        _fail(path, f"'calibration' must be one of {CALIBRATIONS}")
    blocks = doc.get("blocks")
    if not isinstance(blocks, list) or not blocks:
        _fail(path, "'blocks' must be a non-empty list")
    for i, b in enumerate(blocks):
        if isinstance(b, dict) and b.get("kind") == SHAPE:
            # only as the last block, of a version-2 file, with this library's cues
            if (doc["format_version"] < 2 or i != len(blocks) - 1
                    or b.get("n_features") != len(SHAPE_FEATURES)):
                _fail(path, f"malformed shape block {b!r} (this rolnlp computes "
                            f"{len(SHAPE_FEATURES)} layout cues, as the last block)")
            continue
        ok = (isinstance(b, dict) and b.get("kind") in FEATURE_KINDS
              and isinstance(b.get("ngram_range"), list) and len(b["ngram_range"]) == 2
              and all(isinstance(n, int) and 1 <= n <= 10 for n in b["ngram_range"])
              and b["ngram_range"][0] <= b["ngram_range"][1]
              and isinstance(b.get("sublinear_tf"), bool)
              and isinstance(b.get("n_features"), int) and b["n_features"] >= 0)
        if not ok:
            _fail(path, f"malformed feature block {b!r}")
    arr = doc.get("arrays")
    if (not isinstance(arr, dict) or not isinstance(arr.get("file"), str)
            or not _ARRAYS_NAME.match(arr["file"])
            or not isinstance(arr.get("sha256"), str) or len(arr["sha256"]) != 64):
        _fail(path, "'arrays' must name an arrays-<hash>.npz file and its sha256")
    if not isinstance(doc.get("metadata", {}), dict):
        _fail(path, "'metadata' must be an object")


def _build(path, doc, arrays):
    n_classes = len(doc["classes"])
    expected = {"coef", "intercept"}
    for i, b in enumerate(doc["blocks"]):
        expected |= ({f"vocab_{i}", f"mean_{i}", f"scale_{i}"} if b["kind"] == SHAPE
                     else {f"vocab_{i}", f"idf_{i}"})
    if doc["calibration"] == "sigmoid":
        expected |= {"calib_a", "calib_b"}
    if set(arrays) != expected:
        _fail(path, f"arrays file holds {sorted(arrays)}, expected {sorted(expected)}")
    n_total = 0
    blocks = []
    for i, b in enumerate(doc["blocks"]):
        n = b["n_features"]
        if b["kind"] == SHAPE:
            vocab, mean, scale = arrays[f"vocab_{i}"], arrays[f"mean_{i}"], arrays[f"scale_{i}"]
            if vocab.dtype.kind != "U" or vocab.tolist() != list(SHAPE_FEATURES):
                _fail(path, f"vocab_{i} names layout cues this rolnlp does not compute")
            for key, a in ((f"mean_{i}", mean), (f"scale_{i}", scale)):
                if a.shape != (n,) or a.dtype.kind != "f":
                    _fail(path, f"{key} must be {n} floats, got {a.dtype} {a.shape}")
            if not np.all(scale > 0):
                _fail(path, f"scale_{i} must be positive")
            blocks.append({"kind": SHAPE, "vocab": vocab, "mean": mean, "scale": scale})
            n_total += n
            continue
        vocab, idf = arrays[f"vocab_{i}"], arrays[f"idf_{i}"]
        if vocab.shape != (n,) or vocab.dtype.kind != "U":
            _fail(path, f"vocab_{i} must be {n} strings, got {vocab.dtype} {vocab.shape}")
        if idf.shape != (n,) or idf.dtype.kind != "f":
            _fail(path, f"idf_{i} must be {n} floats, got {idf.dtype} {idf.shape}")
        blocks.append({"kind": b["kind"], "ngram_range": tuple(b["ngram_range"]),
                       "sublinear_tf": b["sublinear_tf"], "vocab": vocab, "idf": idf})
        n_total += n
    shapes = {"coef": (n_classes, n_total), "intercept": (n_classes,),
              "calib_a": (n_classes,), "calib_b": (n_classes,)}
    for key, shape in shapes.items():
        if key in arrays:
            a = arrays[key]
            if a.shape != shape or a.dtype.kind != "f":
                _fail(path, f"{key} must be floats of shape {shape}, got {a.dtype} {a.shape}")
    for key, a in arrays.items():
        if a.dtype.kind == "f" and not np.all(np.isfinite(a)):
            _fail(path, f"{key} holds non-finite values")
    return PortableModel(doc["classes"], blocks, arrays["coef"], arrays["intercept"],
                         doc["calibration"], arrays.get("calib_a"), arrays.get("calib_b"),
                         doc.get("metadata", {}))


def _check_compat(path, doc):
    if doc.get("codebook_version") != CODEBOOK_VERSION:
        log.warning("model %s was trained for codebook %s; this rolnlp uses codebook %s",
                    path, doc.get("codebook_version"), CODEBOOK_VERSION)
    if any(b["kind"] == "word" for b in doc["blocks"]):
        want = doc.get("metadata", {}).get("tokenizer", {}).get("lexicon_sha256")
        if want and want != tokenizer_fingerprint()["lexicon_sha256"]:
            log.warning("model %s was trained with a different tokenizer lexicon; "
                        "word features may not match training", path)
