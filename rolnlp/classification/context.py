"""The context stage: re-scores the text model's probabilities with where a unit stands.

A pasted paragraph cannot show its place in a report, yet codebook rules 11
and 12 depend on it: a preamble naming results is ``other``, the same sentence
under 一、 is ``leadership``; a title is ``other``.  :class:`ContextStage` is a
small multinomial logistic regression over

* the log of the text model's class probabilities,
* the unit's section (one-hot over :data:`rolnlp.codebook.SECTION_CODES`),
* the unit's kind (one-hot over :data:`CONTEXT_KINDS`; ``sentence``,
  ``table_row`` and ``item`` count as ``paragraph``),
* the log length of the normalised text.

A context value that is missing or unknown leaves its one-hot block at zero,
as in the training rows that lacked it.  The stage is trained on out-of-fold
text-model probabilities (:func:`cross_val_proba`), so it learns how far to
trust the text model in each place; it is saved with
:mod:`rolnlp.persistence` in the ``context/`` folder of the text model it
belongs to and loaded with it.

Example
-------
>>> stage = ContextStage().fit(proba, contexts, y, classes)  # doctest: +SKIP
>>> stage.predict_proba(proba, [{"section": "preamble", "kind": "paragraph"}], texts)  # doctest: +SKIP
"""
from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np

from ..codebook import SECTION_CODES
from ..errors import ModelError
from ..persistence import MANIFEST_FILE, Limits, load_bundle, save_bundle
from .features import normalize

KIND = "rolnlp-context-stage"
VERSION = 1
CONTEXT_DIR = "context"  # sub-folder of a text model's directory
CONTEXT_KEYS = ("section", "kind")
CONTEXT_KINDS = ("title", "heading", "paragraph")
KIND_ALIASES = {"sentence": "paragraph", "table_row": "paragraph", "item": "paragraph"}
BLOCKS = ("scores", "section", "kind", "length")
_EPS = 1e-4


def check_context(context, n):
    """Validate ``context`` for ``n`` texts; return a list of dicts (or None) of length ``n``.

    Parameters
    ----------
    context : None, dict, or sequence of (dict or None)
        One dict applies to every text; a sequence gives one per text.  Keys:
        ``section`` (a code of :data:`rolnlp.codebook.SECTION_CODES`) and
        ``kind`` (a unit kind such as ``"paragraph"``, ``"heading"``,
        ``"title"``).  Either may be missing or None.
    n : int

    Returns
    -------
    list of (dict or None)

    Raises
    ------
    TypeError
        ``context`` is not a dict or a sequence of dicts.
    ValueError
        Unknown keys, an unknown section code or a length mismatch.

    Example
    -------
    >>> check_context({"section": "preamble"}, 2)
    [{'section': 'preamble'}, {'section': 'preamble'}]
    """
    if context is None:
        return [None] * n
    if isinstance(context, dict):
        items = [context] * n
    elif isinstance(context, (str, bytes)) or not hasattr(context, "__iter__"):
        raise TypeError("context must be a dict or a list of dicts (one per text), "
                        f"not {type(context).__name__}")
    else:
        items = list(context)
        if len(items) != n:
            raise ValueError(f"got {len(items)} contexts for {n} texts")
    out = []
    for c in items:
        if c is None:
            out.append(None)
            continue
        if not isinstance(c, dict):
            raise TypeError(f"each context must be a dict or None, not {type(c).__name__}")
        bad = sorted(set(map(str, c)) - set(CONTEXT_KEYS))
        if bad:
            raise ValueError(f"unknown context keys {bad}; known keys: {', '.join(CONTEXT_KEYS)}")
        sec = c.get("section")
        if sec is not None and not (isinstance(sec, str) and sec in SECTION_CODES):
            raise ValueError(f"context section must be one of {', '.join(SECTION_CODES)}, "
                             f"got {sec!r}")
        kind = c.get("kind")
        if kind is not None and not isinstance(kind, str):
            raise ValueError(f"context kind must be a str, got {kind!r}")
        out.append(c)
    return out


def _blank(v):
    return v is None or (isinstance(v, float) and math.isnan(v)) or v == ""


def context_features(proba, contexts, texts, blocks=BLOCKS):
    """The stage's feature matrix for rows of text-model probabilities.

    Parameters
    ----------
    proba : ndarray (n, n_classes)
    contexts : list of (dict or None), length n
    texts : list of str, length n
    blocks : tuple of str
        Which of :data:`BLOCKS` to include, in that order.

    Returns
    -------
    numpy.ndarray (n, n_features)

    Example
    -------
    >>> context_features(np.array([[0.5, 0.5]]), [{"kind": "title"}], ["x"]).shape
    (1, 11)
    """
    n = len(proba)
    parts = []
    if "scores" in blocks:
        parts.append(np.log(np.clip(np.asarray(proba, dtype=np.float64), _EPS, 1.0)))
    if "section" in blocks:
        sec = np.zeros((n, len(SECTION_CODES)))
        for i, c in enumerate(contexts):
            v = None if c is None else c.get("section")
            if not _blank(v) and v in SECTION_CODES:
                sec[i, SECTION_CODES.index(v)] = 1.0
        parts.append(sec)
    if "kind" in blocks:
        kind = np.zeros((n, len(CONTEXT_KINDS)))
        for i, c in enumerate(contexts):
            v = None if c is None else c.get("kind")
            v = KIND_ALIASES.get(v, v) if isinstance(v, str) else None
            if v in CONTEXT_KINDS:
                kind[i, CONTEXT_KINDS.index(v)] = 1.0
        parts.append(kind)
    if "length" in blocks:
        parts.append(np.array([[math.log1p(len(normalize(t)))] for t in texts]) / 5.0)
    return np.hstack(parts) if parts else np.zeros((n, 0))


def _softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


class ContextStage:
    """Second-stage classifier over text-model probabilities and unit context.

    Parameters
    ----------
    C : float, default 1.0
        Inverse regularisation strength of the logistic regression.
    blocks : tuple of str, default all of :data:`BLOCKS`
        Feature blocks to use (``"scores"`` is always needed).
    class_weight : {"balanced", None}, default None
        Unweighted: the text model's scores already carry its class
        weighting, and re-balancing them again lowered grouped-CV macro-F1.
    random_state : int, default 0

    Example
    -------
    >>> stage = ContextStage(C=1.0).fit(oof_proba, contexts, y, classes, texts)  # doctest: +SKIP
    """

    def __init__(self, C=1.0, blocks=BLOCKS, class_weight=None, random_state=0):
        self.C = C
        self.blocks = tuple(blocks)
        self.class_weight = class_weight
        self.random_state = random_state

    def fit(self, proba, contexts, y, classes, texts):
        """Fit on out-of-fold text-model probabilities.

        Parameters
        ----------
        proba : ndarray (n, n_classes)
            Columns follow ``classes``.
        contexts : list of (dict or None)
        y : sequence of str
        classes : sequence of str
            The text model's classes (the stage predicts the same ones).
        texts : list of str

        Returns
        -------
        ContextStage
            ``self``, with ``classes_``, ``coef_`` and ``intercept_``.

        Example
        -------
        >>> ContextStage().fit(proba, ctx, y, classes, texts)  # doctest: +SKIP
        """
        from sklearn.linear_model import LogisticRegression

        if "scores" not in self.blocks or not set(self.blocks) <= set(BLOCKS):
            raise ValueError(f"blocks must include 'scores' and come from {BLOCKS}")
        classes = np.asarray([str(c) for c in classes], dtype=object)
        proba = np.asarray(proba, dtype=np.float64)
        if proba.shape != (len(y), len(classes)):
            raise ValueError(f"proba has shape {proba.shape}, expected {(len(y), len(classes))}")
        X = context_features(proba, check_context(contexts, len(y)), list(texts), self.blocks)
        y = np.asarray([str(v) for v in y], dtype=object)
        # newton-cg: a few dense features, converges in ~20 steps where lbfgs
        # needs hundreds on the unscaled log-probabilities
        lr = LogisticRegression(C=self.C, max_iter=1000, solver="newton-cg",
                                class_weight=self.class_weight, random_state=self.random_state)
        lr.fit(X, y)
        coef = np.zeros((len(classes), X.shape[1]))
        icpt = np.full(len(classes), -30.0)  # a class absent from y is never predicted
        rows = np.searchsorted(classes.astype(str), lr.classes_.astype(str))
        if len(lr.classes_) == 2:  # binary: sklearn keeps one row for the second class
            coef[rows[1]], icpt[rows[1]] = lr.coef_[0], lr.intercept_[0]
            icpt[rows[0]] = 0.0
        else:
            coef[rows], icpt[rows] = lr.coef_, lr.intercept_
        self.classes_ = classes
        self.coef_, self.intercept_ = coef, icpt
        return self

    def predict_proba(self, proba, contexts, texts):
        """Class probabilities given text-model probabilities and contexts.

        Parameters
        ----------
        proba : ndarray (n, n_classes)
        contexts : list of (dict or None)
        texts : list of str

        Returns
        -------
        numpy.ndarray (n, n_classes)
            Rows sum to 1; columns follow ``classes_``.

        Example
        -------
        >>> stage.predict_proba(proba, [{"section": "preamble"}], ["现将有关情况报告如下"])  # doctest: +SKIP
        """
        X = context_features(proba, check_context(contexts, len(proba)), list(texts),
                             self.blocks)
        return _softmax(X @ self.coef_.T + self.intercept_)

    # -- persistence -----------------------------------------------------------
    def save(self, path, metadata=None):
        """Save to directory ``path`` (a text model's ``context/`` folder) safely.

        Parameters
        ----------
        path : str or os.PathLike
        metadata : dict, optional

        Returns
        -------
        pathlib.Path

        Example
        -------
        >>> stage.save("models/my-model/context")  # doctest: +SKIP
        """
        manifest = {"version": VERSION, "classes": [str(c) for c in self.classes_],
                    "blocks": list(self.blocks), "sections": list(SECTION_CODES),
                    "kinds": list(CONTEXT_KINDS), "C": float(self.C),
                    "metadata": dict(metadata or {})}
        return save_bundle(path, kind=KIND, manifest=manifest,
                           arrays={"coef": self.coef_, "intercept": self.intercept_})

    @classmethod
    def load(cls, path, *, classes=None, limits=None):
        """Load a stage saved by :meth:`save`, refusing crafted or mismatched files.

        Parameters
        ----------
        path : str or os.PathLike
        classes : sequence of str, optional
            The text model's classes; a stage for other classes is refused.
        limits : rolnlp.persistence.Limits, optional

        Returns
        -------
        ContextStage

        Raises
        ------
        ModelError

        Example
        -------
        >>> ContextStage.load("rolnlp/models/rol-paragraph-v1/context")  # doctest: +SKIP
        """
        def fail(why):
            raise ModelError(f"refusing to load context stage {path}: {why}")

        def validate(doc, specs):
            if doc.get("version") != VERSION:
                fail(f"unknown version {doc.get('version')!r}")
            blocks, cl = doc.get("blocks"), doc.get("classes")
            if (not isinstance(blocks, list) or "scores" not in blocks
                    or not set(map(str, blocks)) <= set(BLOCKS)):
                fail("bad feature blocks")
            if not isinstance(cl, list) or not cl or not all(isinstance(c, str) for c in cl):
                fail("bad classes")
            if doc.get("sections") != list(SECTION_CODES) or doc.get("kinds") != list(CONTEXT_KINDS):
                fail("saved for other section or kind codes")
            if not isinstance(doc.get("C"), (int, float)):
                fail("bad C")
            k = len(cl)
            n_feat = (k * ("scores" in blocks) + len(SECTION_CODES) * ("section" in blocks)
                      + len(CONTEXT_KINDS) * ("kind" in blocks) + ("length" in blocks))
            want = {"coef": (k, n_feat), "intercept": (k,)}
            if set(specs) != set(want):
                fail(f"arrays {sorted(specs)}, expected {sorted(want)}")
            for name, shape in want.items():
                dtype, got = specs[name]
                if np.dtype(dtype) != np.float64 or tuple(got) != shape:
                    fail(f"array {name} is {dtype}{tuple(got)}, expected float64{shape}")

        path = Path(os.fspath(path))
        doc, arrays = load_bundle(path, kind=KIND, limits=limits, validate=validate)
        if classes is not None and [str(c) for c in classes] != doc["classes"]:
            fail("its classes differ from the text model's")
        if not (np.isfinite(arrays["coef"]).all() and np.isfinite(arrays["intercept"]).all()):
            fail("non-finite weights")
        stage = cls(C=float(doc["C"]), blocks=tuple(doc["blocks"]))
        stage.classes_ = np.asarray(doc["classes"], dtype=object)
        stage.coef_, stage.intercept_ = arrays["coef"], arrays["intercept"]
        stage.metadata = doc.get("metadata", {})
        return stage


def load_stage_for(model_path, classes, *, limits: Limits | None = None):
    """The context stage stored with the text model at ``model_path``, or None.

    Example
    -------
    >>> load_stage_for("rolnlp/models/rol-paragraph-v1", model.classes_)  # doctest: +SKIP
    """
    p = Path(model_path)
    if p.is_file():
        p = p.parent
    d = p / CONTEXT_DIR
    if not (d / MANIFEST_FILE).is_file():
        return None
    return ContextStage.load(d, classes=classes, limits=limits)


def save_stage_for(model_path, stage):
    """Write ``stage`` into the ``context/`` folder of the model at ``model_path``.

    ``None`` removes a stage left there by an earlier save, so the folder
    never pairs a text model with a stage fitted on another model's scores.

    Example
    -------
    >>> save_stage_for("models/my-model", stage)  # doctest: +SKIP
    """
    d = Path(model_path) / CONTEXT_DIR
    if stage is not None:
        return stage.save(d)
    if d.is_dir():
        for f in d.iterdir():
            if f.name == MANIFEST_FILE or (f.name.startswith("arrays-") and f.suffix == ".npz"):
                f.unlink()
        try:
            d.rmdir()
        except OSError:
            pass  # the folder holds files rolnlp did not write: leave them
    return None
