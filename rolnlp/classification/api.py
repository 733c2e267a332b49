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
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np

from .._caches import register_cache
from ..errors import ModelError
from .features import normalize, note_normal
from .portable import PortableModel, as_texts, load_model as _load_portable

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

    def __repr__(self) -> str:
        # one line: the label, its probability, the other listed codes and evidence
        others = [c for c in self.labels if c != self.label]
        extra = f", labels={'+'.join(others)}" if others else ""
        ev = ",".join(self.evidence[:3]) + ("…" if len(self.evidence) > 3 else "")
        return f"<Prediction {self.label} {self.confidence:.2f}{extra} evidence={ev}>"

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


_MAX_MODELS = 4  # loaded models kept per process (each some tens of MB)
_cache: dict = {}  # path -> (mtime, model), least recently used first
_cache_lock = threading.Lock()


def load_model(path, *, limits=None) -> PortableModel:
    """Load a saved model safely (no pickle, bounded memory).

    Parameters
    ----------
    path : str or os.PathLike
        A model directory written by ``save``.
    limits : rolnlp.persistence.Limits, optional
        Size bounds checked before anything is decompressed.

    Returns
    -------
    PortableModel
        Same interface as the fitted classifier :func:`train` returns.

    Raises
    ------
    ModelError
        Missing, foreign, tampered or oversized model files.

    Example
    -------
    >>> model = rolnlp.load_model("rolnlp/models/rol-paragraph-v1")  # doctest: +SKIP
    """
    return _load_portable(path, limits=limits)


@functools.lru_cache(maxsize=64)
def _resolved(path) -> Path:
    # resolving symlinks costs a syscall per path component: once per path is enough
    return Path(path).resolve()


def _clear_models():
    with _cache_lock:
        _cache.clear()


register_cache("classification.models", _clear_models)
register_cache("classification.resolved_paths", _resolved.cache_clear)


def _cached(path) -> PortableModel:
    path = _resolved(os.fspath(path))
    try:
        stamp = (path / "model.json" if path.is_dir() else path).stat().st_mtime_ns
    except OSError:
        stamp = None
    with _cache_lock:  # one load per path and version, even when threads race
        hit = _cache.get(path)
        if hit is None or hit[0] != stamp:
            hit = (stamp, _load_portable(path))
        _cache.pop(path, None)
        _cache[path] = hit  # most recently used last
        while len(_cache) > _MAX_MODELS:
            _cache.pop(next(iter(_cache)))
        return hit[1]


def resolve_model(model=None):
    """Turn ``model`` (None, a path, a fitted estimator or a loaded model) into a predictor.

    Parameters
    ----------
    model : None, str, os.PathLike, PortableModel or fitted classifier

    Returns
    -------
    PortableModel or estimator

    Example
    -------
    >>> resolve_model().classes_[:2]  # doctest: +SKIP
    array(['business_environment', 'decision_legality'], dtype=object)
    """
    if model is None:
        return _cached(default_model_path())
    if isinstance(model, (str, os.PathLike)):
        return _cached(model)
    if isinstance(model, PortableModel):
        return model
    if hasattr(model, "export") and hasattr(model, "coef_"):
        return model._portable() if hasattr(model, "_portable") else model.export()
    if hasattr(model, "predict_proba") and hasattr(model, "classes_"):
        return model
    raise TypeError("model must be None, a path, a loaded model or a fitted classifier, "
                    f"not {type(model).__name__}")


def _predict_batch(m, texts, threshold, top_n, contexts=None):
    if isinstance(m, (str, Path)):  # in a worker: the model is loaded once per process
        m = _cached(m)
    classes = [str(c) for c in m.classes_]
    empty = [not normalize(t) for t in texts]
    if isinstance(m, PortableModel):
        proba, evidence = m.explain(texts, top_n=top_n)
    else:
        proba, evidence = np.asarray(m.predict_proba(texts), dtype=np.float64), [()] * len(texts)
    stage = getattr(m, "context_stage", None)
    if stage is not None and contexts is not None:
        # rows whose caller gave a context are re-scored by the context stage
        rows = [i for i, c in enumerate(contexts) if c is not None]
        if rows:
            proba = np.array(proba, dtype=np.float64)
            proba[rows] = stage.predict_proba(proba[rows], [contexts[i] for i in rows],
                                              [texts[i] for i in rows])
    if EMPTY_LABEL in classes and any(empty):
        proba = np.array(proba, dtype=np.float64)
        proba[empty] = [1.0 if c == EMPTY_LABEL else 0.0 for c in classes]
    # one sort and one conversion to Python floats for the whole batch
    orders = np.argsort(-proba, axis=1, kind="stable").tolist()
    out = []
    for row, order, is_empty, ev in zip(proba.tolist(), orders, empty, evidence):
        top_j = order[0]
        labels = tuple(classes[j] for j in order if row[j] >= threshold or j == top_j)
        out.append(Prediction(classes[top_j], dict(zip(classes, row)), labels,
                              () if is_empty else tuple(ev)))
    return out


def classify(text, *, context=None, model=None, threshold=None, top_n=5, n_jobs=1,
             batch_size=256):
    """Classify one paragraph, or any iterable of paragraphs, into codebook categories.

    Parameters
    ----------
    text : str or iterable of str
        Raw paragraph text(s) — a list, tuple, pandas Series, numpy array or
        generator; cleaning and simplification happen here.
    context : dict or list of (dict or None), optional
        Where the text stands in its report, for callers who know it:
        ``{"section": "preamble", "kind": "paragraph"}`` (keys ``section`` —
        a :data:`rolnlp.SECTION_CODES` code — and ``kind`` — ``paragraph``,
        ``heading``, ``title``…; either may be left out).  One dict applies
        to every text; a list gives one per text.  Used only when the model
        carries a context stage (``model.context_stage``; see the model
        card), else ignored; without it classification is text-only.
    model : None, path, loaded model or fitted ParagraphClassifier
        ``None`` uses the shipped model (``$ROLNLP_MODEL`` overrides it).
    threshold : float, optional
        Probability a code needs to be listed in ``Prediction.labels``.  The
        default is the one the model chose by cross-validation (stored in its
        metadata), else 0.3.
    top_n : int, default 5
        Number of evidence terms per prediction.
    n_jobs : int, default 1
        Processes (joblib).  Each worker loads a model given by path once and
        keeps it; an in-memory model is sent once per worker.  Results equal
        ``n_jobs=1``.
    batch_size : int, default 256
        Texts per vectorised batch.

    Returns
    -------
    Prediction or list of Prediction
        A single ``str`` gives one :class:`Prediction`; any other iterable a
        list in the same order.  An empty or whitespace-only text carries no
        evidence and is labelled ``"other"`` with probability 1 (when the
        model has that class).

    Raises
    ------
    TypeError
        ``text`` is neither a str nor an iterable of str.

    Example
    -------
    >>> rolnlp.classify("依法办理行政复议案件，纠正违法行政行为").label  # doctest: +SKIP
    'dispute_resolution'
    >>> [p.label for p in rolnlp.classify(["开展宪法宣传周活动", "现将有关情况报告如下"])]  # doctest: +SKIP
    ['legal_publicity', 'other']
    """
    from .context import check_context

    single = isinstance(text, str)
    texts = [text] if single else as_texts(text, "classify() input")
    contexts = check_context(context, len(texts))
    if all(c is None for c in contexts):
        contexts = None
    if not isinstance(top_n, int) or top_n < 0:
        raise ValueError(f"top_n must be a non-negative int, got {top_n!r}")
    if model is None or isinstance(model, (str, os.PathLike)):
        path = _resolved(os.fspath(default_model_path() if model is None else model))
        m = _cached(path)
    else:
        path, m = None, resolve_model(model)
    if threshold is None:
        threshold = m.metadata.get("threshold", DEFAULT_THRESHOLD)
    if not 0.0 <= float(threshold) <= 1.0:
        raise ValueError(f"threshold must be within [0, 1], got {threshold}")
    n_workers = _n_workers(n_jobs, len(texts), batch_size)
    if n_workers > 1:
        from joblib import Parallel, delayed
        # few, large parts: a model given by path is loaded once per worker
        # process (and kept there); an in-memory one is pickled once per part
        size = max(batch_size, -(-len(texts) // (n_workers * (4 if path else 1))))
        parts = Parallel(n_jobs=n_workers)(
            delayed(_predict_many)(path or m, texts[i:i + size], threshold, top_n, batch_size,
                                   None if contexts is None else contexts[i:i + size])
            for i in range(0, len(texts), size))
    else:
        parts = [_predict_many(m, texts, threshold, top_n, batch_size, contexts)]
    preds = [p for part in parts for p in part]
    return preds[0] if single else preds


def _n_workers(n_jobs, n_texts, batch_size):
    if n_jobs is None or n_jobs == 1 or n_texts <= batch_size:
        return 1
    from joblib import effective_n_jobs
    return max(1, min(effective_n_jobs(n_jobs), -(-n_texts // batch_size)))


def _predict_many(m, texts, threshold, top_n, batch_size, contexts=None):
    out = []
    for i in range(0, len(texts), batch_size):
        out.extend(_predict_batch(m, texts[i:i + batch_size], threshold, top_n,
                                  None if contexts is None else contexts[i:i + batch_size]))
    return out


def classify_report(report, *, model=None, level="paragraph", threshold=None, top_n=5):
    """Classify every unit of a report's paragraph table (or every item).

    Parameters
    ----------
    report : rolnlp.Report
    model : see :func:`classify`
    level : {"paragraph", "item"}
        ``"paragraph"`` classifies every row of ``report.to_dataframe()``;
        ``"item"`` splits ``一是…二是…`` items out of long paragraphs (each item
        row carries its paragraph's report columns and its own offsets/text).
    threshold : float, optional
    top_n : int, default 5
        Evidence terms per row.

    Returns
    -------
    pandas.DataFrame
        Each unit is classified with its context (section and kind) when the
        model carries a context stage, else by its text alone.
        The report's table (``report.to_dataframe()`` columns, untouched)
        plus ``label``, ``labels`` (secondary labels included),
        ``confidence``, ``evidence`` and ``p_<code>`` per class.  The report
        itself is not modified.

    Example
    -------
    >>> df = rolnlp.classify_report(rolnlp.read_report("corpus/reports/000_5c5bdc2152d9c680.txt"))  # doctest: +SKIP
    >>> df[["heading", "label", "confidence"]].head()  # doctest: +SKIP
    """
    from ..reading import Report

    if not isinstance(report, Report):
        raise TypeError(f"classify_report() takes a rolnlp.Report, not {type(report).__name__}")
    if level not in ("paragraph", "item"):
        raise ValueError(f"level must be 'paragraph' or 'item', got {level!r}")
    df = report.to_dataframe()
    if level == "item":
        df = _item_table(df, report.units("item"))
    texts = [str(t) for t in df["text"]] if len(df) else []
    # the reader's settled paragraphs are already normal: no second cleaning pass
    note_normal(report._normal_texts(texts))
    preds = classify(texts, model=model, threshold=threshold, top_n=top_n,
                     context=unit_contexts(df))
    return prediction_columns(df, preds)


def unit_contexts(df):
    """The ``context=`` of :func:`classify` for every row of a paragraph table.

    Parameters
    ----------
    df : pandas.DataFrame
        With ``section`` and ``kind`` columns (``Report.to_dataframe()``).

    Returns
    -------
    list of dict

    Example
    -------
    >>> unit_contexts(report.to_dataframe())[0]  # doctest: +SKIP
    {'section': 'other', 'kind': 'title'}
    """
    from ..codebook import SECTION_CODES

    n = len(df)
    secs = df["section"].tolist() if "section" in df.columns else [None] * n
    kinds = df["kind"].tolist() if "kind" in df.columns else [None] * n
    return [{"section": s if isinstance(s, str) and s in SECTION_CODES else None,
             "kind": k if isinstance(k, str) else None} for s, k in zip(secs, kinds)]


def prediction_columns(df, preds):
    """``df`` (a copy) with the prediction columns of ``preds`` (one per row) added.

    Parameters
    ----------
    df : pandas.DataFrame
    preds : list of Prediction

    Returns
    -------
    pandas.DataFrame
        With ``label``, ``labels``, ``confidence``, ``evidence`` and
        ``p_<code>`` columns.

    Example
    -------
    >>> prediction_columns(df, rolnlp.classify(df["text"]))  # doctest: +SKIP
    """
    import pandas as pd

    df = df.copy()
    cols = {"label": [p.label for p in preds], "labels": [list(p.labels) for p in preds],
            "confidence": [p.confidence for p in preds],
            "evidence": [", ".join(p.evidence) for p in preds]}
    for c in (list(preds[0].scores) if preds else []):
        cols[f"p_{c}"] = [p.scores[c] for p in preds]
    return pd.concat([df, pd.DataFrame(cols, index=df.index)], axis=1)


def _item_table(table, items):
    """One row per item: its paragraph's row, with the item's own unit fields."""
    import pandas as pd

    if table.empty or not items:
        return table.iloc[0:0]
    starts = table["start"].to_numpy()
    columns = list(table.columns) + [c for c in ("kind", "parent") if c not in table.columns]
    rows = []
    for u in items:
        # the table row whose span holds the item (offsets are the same in both)
        i = max(int(np.searchsorted(starts, u.start, side="right")) - 1, 0)
        row = table.iloc[i].to_dict()
        for col in columns:
            v = getattr(u, col, None)
            if col == "heading_path" and v is not None and isinstance(row.get(col), str):
                v = " > ".join(v)
            if v is not None and col in ("index", "start", "end", "text", "kind", "section",
                                         "heading", "heading_path", "parent"):
                row[col] = v
        rows.append(row)
    return pd.DataFrame(rows, columns=columns)


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


__all__ = ["Prediction", "classify", "classify_report", "prediction_columns", "train",
           "load_model", "resolve_model", "default_model_path", "ModelError"]
