"""The public classification API: ``classify``, ``classify_report``, ``train``,
``load_model`` and :class:`Prediction`.

The default model is the shipped one, found through the ``ROLNLP_MODEL``
environment variable or the package's ``rolnlp/models/rol-paragraph-v1``; it is loaded once,
lazily and thread-safely, and runs on numpy alone.
"""
from __future__ import annotations

import functools
import logging
import os
import threading
from importlib import resources
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ModelError
from .portable import PortableModel, load_model as _load_portable

log = logging.getLogger(__name__)

DEFAULT_MODEL_NAME = "rol-paragraph-v1"
DEFAULT_THRESHOLD = 0.3  # used when a model does not record a CV-chosen threshold
EMPTY_LABEL = "other"


@dataclass(frozen=True)
class Prediction:
    """The classification of one paragraph.

    Attributes
    ----------
    label : str
        The most probable category code.
    scores : dict
        Every class code → probability (they sum to 1).
    labels : tuple of str
        Codes with probability ≥ the threshold, most probable first; always
        contains ``label``.
    evidence : tuple of str
        Feature terms that contributed most to ``label`` (largest positive
        coefficient × tf-idf).

    Example
    -------
    >>> p = rolnlp.classify("依法办理行政复议案件")  # doctest: +SKIP
    >>> p.label, round(p.confidence, 2)  # doctest: +SKIP
    ('dispute_resolution', 0.93)
    """

    label: str
    scores: dict = field(hash=False)
    labels: tuple = ()
    evidence: tuple = ()

    @property
    def confidence(self) -> float:
        """Probability of :attr:`label`."""
        return self.scores[self.label]

    def to_dict(self) -> dict:
        """A JSON-ready dict."""
        return {"label": self.label, "confidence": self.confidence, "labels": list(self.labels),
                "scores": dict(self.scores), "evidence": list(self.evidence)}


def default_model_path() -> Path:
    """Where the default model is looked for: ``$ROLNLP_MODEL``, else the model shipped in the package.

    Example
    -------
    >>> default_model_path().name  # doctest: +SKIP
    'rol-paragraph-v1'
    """
    env = os.environ.get("ROLNLP_MODEL")
    if env:
        return Path(env)
    # the shipped model is package data, so it is found in a wheel install too
    return Path(str(resources.files("rolnlp").joinpath("models", DEFAULT_MODEL_NAME)))


_cache: dict = {}
_cache_lock = threading.Lock()


def load_model(path) -> PortableModel:
    """Load a saved model safely (no pickle); see :func:`rolnlp.classification.portable.load_model`.

    Example
    -------
    >>> model = rolnlp.load_model("models/rol-paragraph-v1")  # doctest: +SKIP
    """
    return _load_portable(path)


@functools.lru_cache(maxsize=64)
def _resolved(path) -> Path:
    # resolving symlinks costs a syscall per path component: once per path is enough
    return Path(path).resolve()


def _cached(path: Path) -> PortableModel:
    path = _resolved(os.fspath(path))
    meta = path / "model.json" if path.is_dir() else path
    try:
        stamp = meta.stat().st_mtime_ns
    except OSError:
        stamp = None
    with _cache_lock:  # one load per path and version, even when threads race
        hit = _cache.get(path)
        if hit is None or hit[0] != stamp:
            hit = _cache[path] = (stamp, _load_portable(path))
        return hit[1]


def resolve_model(model=None):
    """Turn ``model`` (None, a path, a fitted estimator or a loaded model) into a predictor.

    Returns
    -------
    PortableModel or estimator
    """
    if model is None:
        return _cached(default_model_path())
    if isinstance(model, (str, os.PathLike)):
        return _cached(Path(model))
    if isinstance(model, PortableModel):
        return model
    if hasattr(model, "export") and hasattr(model, "coef_"):
        return model.export()
    if hasattr(model, "predict_proba") and hasattr(model, "classes_"):
        return model
    raise TypeError("model must be None, a path, a loaded model or a fitted classifier, "
                    f"not {type(model).__name__}")


def _explain(m, texts, top):
    if isinstance(m, PortableModel):
        return m.explain(texts, top=top)
    return m.predict_proba(texts), [()] * len(texts)


def _predict_batch(m, texts, threshold, top):
    import numpy as np

    from .features import normalize

    classes = [str(c) for c in m.classes_]
    empty = [not normalize(t) for t in texts]
    proba, evidence = _explain(m, texts, top)
    proba = np.array(proba, dtype=np.float64)
    if EMPTY_LABEL in classes:
        proba[empty] = [1.0 if c == EMPTY_LABEL else 0.0 for c in classes]
    # one sort and one conversion to Python floats for the whole batch
    orders = np.argsort(-proba, axis=1, kind="stable").tolist()
    out = []
    for i, (row, order) in enumerate(zip(proba.tolist(), orders)):
        top_j = order[0]
        labels = tuple(classes[j] for j in order if row[j] >= threshold or j == top_j)
        out.append(Prediction(classes[top_j], dict(zip(classes, row)), labels,
                              () if empty[i] else tuple(evidence[i])))
    return out


def classify(text, *, model=None, threshold=None, evidence=5, n_jobs=1, batch_size=256):
    """Classify one paragraph or a list of paragraphs into codebook categories.

    Parameters
    ----------
    text : str or list of str
        Raw paragraph text(s); cleaning and simplification happen here.
    model : None, path, loaded model or fitted ParagraphClassifier
        ``None`` uses the shipped model (``$ROLNLP_MODEL`` overrides it).
    threshold : float, optional
        Probability a code needs to be listed in ``Prediction.labels``.  The
        default is the one the model chose by cross-validation (stored in its
        metadata), else 0.3.
    evidence : int, default 5
        Number of evidence terms per prediction.
    n_jobs : int, default 1
        Processes for large lists (joblib); results equal ``n_jobs=1``.
    batch_size : int, default 256
        Texts per vectorised batch.

    Returns
    -------
    Prediction or list of Prediction
        A single string gives one :class:`Prediction`, a list gives a list.
        An empty or whitespace-only text carries no evidence and is labelled
        ``"other"`` with probability 1 (when the model has that class).

    Raises
    ------
    TypeError
        ``text`` is not a str or a list/tuple of str.

    Example
    -------
    >>> rolnlp.classify("依法办理行政复议案件，纠正违法行政行为").label  # doctest: +SKIP
    'dispute_resolution'
    >>> [p.label for p in rolnlp.classify(["开展宪法宣传周活动", "现将有关情况报告如下"])]  # doctest: +SKIP
    ['legal_publicity', 'other']
    """
    single = isinstance(text, str)
    if single:
        texts = [text]
    elif isinstance(text, (list, tuple)):
        texts = list(text)
        for t in texts:
            if not isinstance(t, str):
                raise TypeError(f"classify() takes str items, got {type(t).__name__}")
    else:
        raise TypeError(f"classify() takes a str or a list of str, not {type(text).__name__}")
    m = resolve_model(model)
    if threshold is None:
        threshold = (m.metadata.get("threshold", DEFAULT_THRESHOLD)
                     if isinstance(m, PortableModel) else DEFAULT_THRESHOLD)
    if not 0.0 <= float(threshold) <= 1.0:
        raise ValueError(f"threshold must be within [0, 1], got {threshold}")
    batches = [texts[i:i + batch_size] for i in range(0, len(texts), batch_size)]
    if n_jobs != 1 and len(batches) > 1:
        from joblib import Parallel, delayed
        parts = Parallel(n_jobs=n_jobs)(delayed(_predict_batch)(m, b, threshold, evidence)
                                        for b in batches)
    else:
        parts = [_predict_batch(m, b, threshold, evidence) for b in batches]
    preds = [p for part in parts for p in part]
    return preds[0] if single else preds


def classify_report(report, *, model=None, level="paragraph", threshold=None):
    """Classify every paragraph (or item) of a report.

    Parameters
    ----------
    report : rolnlp.Report
    model : see :func:`classify`
    level : {"paragraph", "item"}
        ``"item"`` splits ``一是…二是…`` items out of long paragraphs.
    threshold : float, optional

    Returns
    -------
    pandas.DataFrame
        ``report.to_dataframe()`` columns plus ``label``, ``labels``,
        ``confidence``, ``evidence`` and ``p_<code>`` per class.  The
        predictions are also attached as ``report.predictions`` (aligned with
        ``report.units(level)``).

    Example
    -------
    >>> df = rolnlp.classify_report(rolnlp.read_report("corpus/reports/000_5c5bdc2152d9c680.txt"))  # doctest: +SKIP
    >>> df[["heading", "label", "confidence"]].head()  # doctest: +SKIP
    """
    import pandas as pd

    from ..reading import Report

    if not isinstance(report, Report):
        raise TypeError(f"classify_report() takes a rolnlp.Report, not {type(report).__name__}")
    if level not in ("paragraph", "item"):
        raise ValueError(f"level must be 'paragraph' or 'item', got {level!r}")
    units = report.units(level)
    preds = classify([u.text for u in units], model=model, threshold=threshold)
    if level == "paragraph":
        df = report.to_dataframe()
    else:
        meta = {f"report_{k}" if k in ("title", "date") else k: v
                for k, v in report.metadata.to_dict().items()}
        df = pd.DataFrame([{"report_id": report.id, **meta, "index": u.index,
                            "section": u.section, "heading": u.heading,
                            "heading_path": " > ".join(u.heading_path), "start": u.start,
                            "end": u.end, "text": u.text, "kind": u.kind, "parent": u.parent}
                           for u in units])
    if len(df) != len(preds):  # a reader returning rows out of step with units
        raise ValueError("report.to_dataframe() rows do not match report units")
    df = df.copy()
    df["label"] = [p.label for p in preds]
    df["labels"] = [list(p.labels) for p in preds]
    df["confidence"] = [p.confidence for p in preds]
    df["evidence"] = [", ".join(p.evidence) for p in preds]
    codes = list(preds[0].scores) if preds else []
    for c in codes:
        df[f"p_{c}"] = [p.scores[c] for p in preds]
    report.predictions = preds
    return df


def train(data, *, features="union", model="svm", random_state=0, progress=True, **params):
    """Train a :class:`~rolnlp.ParagraphClassifier` on labelled paragraphs.

    Parameters
    ----------
    data : path(s) to JSONL/CSV, DataFrame, or (texts, labels)
        Needs ``text`` and ``primary`` (or ``label``) columns.  Codes outside
        the codebook are kept (with a warning) and predicted like the others;
        rows with an empty text or label are dropped (with a warning).
    features : {"word", "char", "union"}
    model : {"logreg", "svm"}
    random_state : int
        Same data and seed give an identical model.
    progress : bool
        Show a progress bar over the training steps.
    **params
        Other :class:`~rolnlp.ParagraphClassifier` parameters (``C``, ``min_df``, …).

    Returns
    -------
    ParagraphClassifier
        Fitted; ``.save(dir)`` writes it in the safe format.

    Raises
    ------
    LabelError
        No usable rows, or fewer than two distinct labels.

    Example
    -------
    >>> clf = rolnlp.train("corpus/labels/labels.jsonl", progress=False)  # doctest: +SKIP
    >>> clf.save("models/my-model")  # doctest: +SKIP
    """
    from tqdm.auto import tqdm

    from .data import load_labelled
    from .estimator import ParagraphClassifier

    with tqdm(total=3, desc="train", disable=not progress) as bar:
        bar.set_postfix_str("loading")
        df = load_labelled(data)
        bar.update()
        clf = ParagraphClassifier(features=features, model=model, random_state=random_state,
                                  **params)
        bar.set_postfix_str("features")
        texts = df["text"].tolist()
        for _, a in _analyzers(clf):
            for t in texts:  # warm the analyzer cache so the fit step is the model alone
                a(t)
        bar.update()
        bar.set_postfix_str("fitting")
        clf.fit(texts, df["label"].tolist())
        bar.update()
    log.info("trained %s on %d paragraphs, %d classes", features + "+" + model, len(df),
             len(clf.classes_))
    return clf


def _analyzers(clf):
    from .features import get_analyzer

    kinds = ["word", "char"] if clf.features == "union" else [clf.features]
    return [(k, get_analyzer(k, clf.word_ngrams if k == "word" else clf.char_ngrams))
            for k in kinds if k in ("word", "char")]


__all__ = ["Prediction", "classify", "classify_report", "train", "load_model", "resolve_model",
           "default_model_path", "ModelError"]
