"""``ParagraphClassifier``: a scikit-learn estimator over raw paragraph strings.

It normalises each string, extracts word (rule-of-law tokenizer) and/or
character n-gram TF-IDF features and fits a linear model: multinomial logistic
regression, or a linear SVM whose decision values are Platt-calibrated on
cross-validated predictions.  :meth:`ParagraphClassifier.export` gives the
numpy-only :class:`~rolnlp.classification.portable.PortableModel` used for
saving and fast inference.
"""
from __future__ import annotations

import logging

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC
from sklearn.utils.validation import check_is_fitted

from ..codebook import CODEBOOK_VERSION
from ..errors import LabelError
from .features import SHAPE_FEATURES, get_analyzer, shape_features, tokenizer_fingerprint
from .portable import PortableModel, as_texts, calibrate, text_hashes

log = logging.getLogger(__name__)

FEATURES = ("word", "char", "union")
MODELS = ("logreg", "svm")


def _as_texts(X):
    return as_texts(X, "X")


class ParagraphClassifier(ClassifierMixin, BaseEstimator):
    """Classify paragraphs of rule-of-law reports into codebook categories.

    Parameters
    ----------
    features : {"word", "char", "union"}, default "union"
        Word TF-IDF on the rule-of-law tokenizer, character n-gram TF-IDF, or
        both side by side (each block L2-normalised).
    model : {"logreg", "svm"}, default "svm"
        Multinomial logistic regression, or a one-vs-rest linear SVM with
        per-class sigmoid (Platt) calibration fitted on cross-validated
        decision values.
    C : float, default 1.0
        Inverse regularisation strength.
    class_weight : "balanced", "sqrt", dict or None, default "balanced"
        ``"balanced"`` weighs class c by ``n / (k * n_c)``; ``"sqrt"`` by the
        square root of that, a softer correction that costs the large
        ``other`` class less recall.
    min_df : int or float, default 1
        Minimum document frequency of a feature term.
    max_features : int or None, default None
        Keep only the most frequent terms (per feature block).
    word_ngrams : tuple, default (1, 2)
        n-gram range over tokens.
    char_ngrams : tuple, default (1, 3)
        n-gram range over characters.
    sublinear_tf : bool, default True
        Use ``1 + log(tf)``.
    shape_weight : float, default 0.0
        Scale of the standardised layout-cue block
        (:data:`~rolnlp.classification.features.SHAPE_FEATURES`: length,
        digit share, final 。 or ：, leading year, heading markers …) appended
        to the TF-IDF features; 0 leaves it out.
    calibration_folds : int, default 3
        Folds for the SVM's calibration data.
    random_state : int, default 0

    Attributes
    ----------
    classes_ : ndarray of str
    vectorizers_ : list of (kind, TfidfVectorizer)
    coef_ : ndarray (n_classes, n_features)
    intercept_ : ndarray (n_classes,)
    calibration_ : dict
        ``{"method": "softmax"}`` or ``{"method": "sigmoid", "a": ..., "b": ...}``.

    Example
    -------
    >>> clf = ParagraphClassifier(features="char", model="logreg")
    >>> clf.fit(["办理行政复议案件", "开展宪法宣传"], ["dispute_resolution", "legal_publicity"])
    ParagraphClassifier(features='char', model='logreg')
    >>> clf.predict(["行政复议"])[0]
    'dispute_resolution'
    """

    def __init__(self, features="union", model="svm", C=1.0, class_weight="balanced",
                 min_df=1, max_features=None, word_ngrams=(1, 2), char_ngrams=(1, 3),
                 sublinear_tf=True, shape_weight=0.0, calibration_folds=3, random_state=0):
        self.features = features
        self.model = model
        self.C = C
        self.class_weight = class_weight
        self.min_df = min_df
        self.max_features = max_features
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.sublinear_tf = sublinear_tf
        self.shape_weight = shape_weight
        self.calibration_folds = calibration_folds
        self.random_state = random_state

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags

    # -- fitting -----------------------------------------------------------------
    def _kinds(self):
        if self.features not in FEATURES:
            raise ValueError(f"features must be one of {FEATURES}, got {self.features!r}")
        return ["word", "char"] if self.features == "union" else [self.features]

    def _fit_features(self, texts):
        self.vectorizers_ = []
        mats = []
        for kind in self._kinds():
            ngrams = self.word_ngrams if kind == "word" else self.char_ngrams
            vec = TfidfVectorizer(analyzer=get_analyzer(kind, ngrams), min_df=self.min_df,
                                  max_features=self.max_features,
                                  sublinear_tf=self.sublinear_tf, dtype=np.float64)
            mats.append(vec.fit_transform(texts))
            self.vectorizers_.append((kind, vec))
        self.shape_ = None
        if self.shape_weight:
            raw = np.array([shape_features(t) for t in texts], dtype=np.float64)
            mean, scale = raw.mean(axis=0), raw.std(axis=0)
            scale[scale == 0] = 1.0
            self.shape_ = {"mean": mean, "scale": scale / float(self.shape_weight)}
            mats.append(sparse.csr_matrix((raw - mean) / self.shape_["scale"]))
        return sparse.hstack(mats, format="csr")

    def _features(self, texts):
        mats = [v.transform(texts) for _, v in self.vectorizers_]
        if getattr(self, "shape_", None) is not None:
            raw = np.array([shape_features(t) for t in texts], dtype=np.float64)
            mats.append(sparse.csr_matrix((raw - self.shape_["mean"]) / self.shape_["scale"]))
        return sparse.hstack(mats, format="csr")

    def _class_weight(self):
        if isinstance(self.class_weight, dict):
            # codes as the user knows them → the class indices the model fits
            index = {c: i for i, c in enumerate(self.classes_)}
            return {index[str(k)]: float(v) for k, v in self.class_weight.items()
                    if str(k) in index}
        if self.class_weight != "sqrt":
            return self.class_weight
        # sqrt of the "balanced" weights, from the labels being fitted
        counts = np.bincount(self._y_fit, minlength=len(self.classes_)).astype(float)
        present = np.flatnonzero(counts)
        w = np.sqrt(counts.sum() / (len(present) * counts[present]))
        return {int(k): float(v) for k, v in zip(present, w)}

    def _linear(self, class_weight=None):
        if self.model == "logreg":
            return LogisticRegression(C=self.C, class_weight=class_weight, max_iter=3000,
                                      random_state=self.random_state)
        if self.model == "svm":
            return LinearSVC(C=self.C, class_weight=class_weight, max_iter=5000,
                             random_state=self.random_state)
        raise ValueError(f"model must be one of {MODELS}, got {self.model!r}")

    @staticmethod
    def _full_coef(est, n_classes):
        coef, icpt = est.coef_, np.ravel(est.intercept_)
        if coef.shape[0] == 1:  # binary: one row for the positive class
            if isinstance(est, LogisticRegression):
                # softmax over (-z/2, z/2) equals sigmoid(z)
                return np.vstack([-coef / 2, coef / 2]), np.array([-icpt[0] / 2, icpt[0] / 2])
            return np.vstack([-coef, coef]), np.array([-icpt[0], icpt[0]])
        return coef, icpt

    def fit(self, X, y):
        """Fit on raw paragraph strings ``X`` and their codes ``y``.

        Parameters
        ----------
        X : iterable of str
        y : array-like of str

        Returns
        -------
        self
        """
        texts = _as_texts(X)
        y = np.asarray(y, dtype=object).astype(str)
        if len(texts) != len(y):
            raise LabelError(f"X has {len(texts)} texts but y has {len(y)} labels")
        self._linear()  # validate model name before the expensive part
        classes, y_idx = np.unique(y, return_inverse=True)
        if len(classes) < 2:
            raise LabelError(f"need at least two distinct labels to train, got {list(classes)}")
        self.classes_ = classes
        if not (isinstance(self.class_weight, dict)
                or self.class_weight in (None, "balanced", "sqrt")):
            raise ValueError("class_weight must be 'balanced', 'sqrt', a dict or None, "
                             f"got {self.class_weight!r}")
        self._y_fit = y_idx
        self.train_hashes_ = np.unique(text_hashes(texts))
        self._exported = None
        Xm = self._fit_features(texts)
        cw = self._class_weight()
        est = self._linear(cw).fit(Xm, y_idx)
        self.coef_, self.intercept_ = self._full_coef(est, len(classes))
        if self.model == "logreg":
            self.calibration_ = {"method": "softmax"}
        else:
            a, b = self._platt(Xm, y_idx, len(classes), cw)
            self.calibration_ = {"method": "sigmoid", "a": a, "b": b}
        return self

    def _platt(self, Xm, y_idx, n_classes, class_weight):
        """Per-class sigmoid fitted on out-of-fold SVM decision values."""
        counts = np.bincount(y_idx, minlength=n_classes)
        n_splits = int(max(2, min(self.calibration_folds, counts.min())))
        if counts.min() < n_splits:
            log.warning("some classes have fewer than %d examples; SVM calibration is rough",
                        n_splits)
        oof = np.zeros((len(y_idx), n_classes))
        skf = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=self.random_state)
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # tiny classes: handled below
            splits = list(skf.split(np.zeros(len(y_idx)), y_idx))
        for tr, te in splits:
            present = np.unique(y_idx[tr])
            if len(present) < 2:
                continue
            cw = class_weight
            if isinstance(cw, dict):  # a fold may lack a tiny class
                cw = {k: v for k, v in cw.items() if k in set(present.tolist())}
            est = self._linear(cw).fit(Xm[tr], y_idx[tr])
            coef, icpt = self._full_coef(est, len(present))
            d = Xm[te] @ coef.T + icpt
            full = np.full((len(te), n_classes), -1.0 - np.abs(d).max())
            full[:, present] = d
            oof[te] = full
        a, b = np.ones(n_classes), np.zeros(n_classes)
        for k in range(n_classes):
            target = (y_idx == k).astype(int)
            if 0 < target.sum() < len(target):
                lr = LogisticRegression(C=100.0, max_iter=1000).fit(oof[:, [k]], target)
                a[k], b[k] = lr.coef_[0, 0], lr.intercept_[0]
        return a, b

    # -- prediction ----------------------------------------------------------------
    def decision_function(self, X):
        """Linear decision values, one column per class.

        Parameters
        ----------
        X : iterable of str
            Paragraph texts; each is normalised as the training texts were.

        Returns
        -------
        numpy.ndarray, shape (n_samples, n_classes)
            One linear score per class, in the order of ``classes_`` (larger:
            more likely); not calibrated.

        Example
        -------
        >>> clf.decision_function(["行政复议"]).shape  # doctest: +SKIP
        (1, 11)
        """
        check_is_fitted(self, "coef_")
        return np.asarray(self._features(_as_texts(X)) @ self.coef_.T) + self.intercept_

    def predict_proba(self, X):
        """Class probabilities; columns follow ``classes_`` and rows sum to 1.

        Parameters
        ----------
        X : iterable of str
            Paragraph texts (a list, tuple, pandas Series or numpy array).

        Returns
        -------
        numpy.ndarray, shape (n_samples, n_classes)
            The decision values calibrated to probabilities.

        Example
        -------
        >>> clf.predict_proba(["办理行政复议案件"]).sum().round(6)  # doctest: +SKIP
        1.0
        """
        c = self.calibration_
        return calibrate(self.decision_function(X), c["method"], c.get("a"), c.get("b"))

    def predict(self, X):
        """Most probable class for each text.

        Parameters
        ----------
        X : iterable of str
            Paragraph texts.

        Returns
        -------
        numpy.ndarray of str, shape (n_samples,)
            Category codes.

        Example
        -------
        >>> clf.predict(["开展宪法宣传周活动"])  # doctest: +SKIP
        array(['legal_publicity'], dtype='<U20')
        """
        return self.classes_[self.predict_proba(X).argmax(axis=1)]

    # -- the interface shared with a loaded model ---------------------------------
    @property
    def metadata(self) -> dict:
        """What a saved model would record (parameters, tokenizer, versions)."""
        return self._portable().metadata

    def explain(self, X, top_n=5):
        """Probabilities and, per text, the terms that most supported its top class.

        Parameters
        ----------
        X : iterable of str
        top_n : int, default 5

        Returns
        -------
        (numpy.ndarray, list of tuple of str)
            As :meth:`rolnlp.classification.portable.PortableModel.explain`.

        Example
        -------
        >>> proba, evidence = clf.explain(["依法办理行政复议案件"])  # doctest: +SKIP
        """
        return self._portable().explain(X, top_n=top_n)

    def overlap(self, X):
        """Which texts (after normalisation) were among the training texts.

        Parameters
        ----------
        X : iterable of str

        Returns
        -------
        numpy.ndarray of bool

        Example
        -------
        >>> clf.overlap(["办理行政复议案件"])  # doctest: +SKIP
        array([ True])
        """
        return self._portable().overlap(X)

    def _portable(self):
        check_is_fitted(self, "coef_")
        if getattr(self, "_exported", None) is None:
            self._exported = self.export()
        return self._exported

    # -- export ----------------------------------------------------------------------
    def export(self, metadata=None) -> PortableModel:
        """The numpy-only :class:`PortableModel` equivalent of this fitted estimator.

        Parameters
        ----------
        metadata : dict, optional
            Extra metadata to store (merged over the defaults).

        Example
        -------
        >>> portable = clf.export({"name": "my-model"})  # doctest: +SKIP
        """
        check_is_fitted(self, "coef_")
        blocks = []
        for kind, vec in self.vectorizers_:
            vocab = np.empty(len(vec.vocabulary_), dtype=object)
            for term, i in vec.vocabulary_.items():
                vocab[i] = term
            blocks.append({"kind": kind, "ngram_range": vec.analyzer.ngram_range,
                           "sublinear_tf": bool(self.sublinear_tf),
                           "vocab": vocab.astype(str), "idf": vec.idf_.copy()})
        if getattr(self, "shape_", None) is not None:
            blocks.append({"kind": "shape", "vocab": np.array(SHAPE_FEATURES, dtype=str),
                           "mean": self.shape_["mean"].copy(),
                           "scale": self.shape_["scale"].copy()})
        meta = {"codebook_version": CODEBOOK_VERSION, "params": _jsonable(self.get_params()),
                "tokenizer": tokenizer_fingerprint(), "library_versions": _versions()}
        meta.update(metadata or {})
        c = self.calibration_
        return PortableModel(self.classes_.tolist(), blocks, self.coef_, self.intercept_,
                             c["method"], c.get("a"), c.get("b"), meta,
                             train_hashes=getattr(self, "train_hashes_", None))

    def save(self, path, metadata=None):
        """Save the fitted model to directory ``path`` in the safe format.

        Example
        -------
        >>> clf.save("models/my-model")  # doctest: +SKIP
        """
        return self.export(metadata).save(path)


def _jsonable(params):
    out = {}
    for k, v in params.items():
        out[k] = list(v) if isinstance(v, tuple) else v
    return out


def _versions():
    import platform

    import jieba
    import sklearn

    from .._version import __version__
    return {"rolnlp": __version__, "numpy": np.__version__, "scikit-learn": sklearn.__version__,
            "jieba": getattr(jieba, "__version__", "?"), "python": platform.python_version()}
