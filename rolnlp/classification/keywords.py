"""``KeywordClassifier``: the codebook-cue baseline with the estimator API."""
from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted

from ..codebook import CATEGORIES
from ..errors import LabelError
from .estimator import _as_texts
from .features import normalize


class KeywordClassifier(ClassifierMixin, BaseEstimator):
    """Count codebook cue terms (``rolnlp.codebook.CATEGORIES``) per category.

    Each cue occurrence adds its length in characters (longer cues are more
    specific) to its category's score; the top score wins and a text with no
    cue goes to ``default``.  ``fit`` only records the classes: codes seen in
    ``y`` that have no cues can be predicted only as ``default``.

    Parameters
    ----------
    default : str, default "other"
        Label for texts without any cue (used if it is among the classes,
        else the most frequent training class).
    smoothing : float, default 1.0
        Added to every score before normalising to probabilities.

    Example
    -------
    >>> kw = KeywordClassifier().fit(["行政复议", "普法"], ["dispute_resolution", "legal_publicity"])
    >>> kw.predict(["依法办理行政复议案件"])[0]
    'dispute_resolution'
    """

    def __init__(self, default="other", smoothing=1.0):
        self.default = default
        self.smoothing = smoothing

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags

    def fit(self, X, y):
        """Record the classes of ``y`` (the cues come from the codebook).

        Returns
        -------
        self
        """
        _as_texts(X)
        y = np.asarray(y, dtype=object).astype(str)
        self.classes_ = np.unique(y)
        if len(self.classes_) < 2:
            raise LabelError(f"need at least two distinct labels, got {list(self.classes_)}")
        values, counts = np.unique(y, return_counts=True)
        self.default_ = (self.default if self.default in self.classes_
                         else str(values[counts.argmax()]))
        cues = {c.code: c.cues for c in CATEGORIES}
        self.cues_ = {k: cues.get(k, ()) for k in self.classes_}
        return self

    def _scores(self, X):
        check_is_fitted(self, "classes_")
        texts = [normalize(t) for t in _as_texts(X)]
        s = np.zeros((len(texts), len(self.classes_)))
        for j, k in enumerate(self.classes_):
            for cue in self.cues_[k]:
                s[:, j] += [t.count(cue) * len(cue) for t in texts]
        return s

    def decision_function(self, X):
        """Cue scores, shape (n_samples, n_classes)."""
        return self._scores(X)

    def predict_proba(self, X):
        """Smoothed, normalised cue scores; a text without cues puts its mass on ``default``."""
        s = self._scores(X)
        empty = s.sum(axis=1) == 0
        d = int(np.flatnonzero(self.classes_ == self.default_)[0])
        s[empty, d] = 1.0
        s = s + self.smoothing * 1e-3
        return s / s.sum(axis=1, keepdims=True)

    def predict(self, X):
        """Category with the largest cue score (``default`` when none matches)."""
        return self.classes_[self.predict_proba(X).argmax(axis=1)]
