"""Evaluation: metrics of a fitted model, grouped cross-validation, model
comparison and threshold choice.

Cross-validation always groups units by source report (``group`` column from
:func:`~rolnlp.classification.data.load_labelled`: url, else source), so no
report has paragraphs in both the training and the test fold.

Example
-------
>>> from rolnlp.classification.evaluation import compare
>>> table, best = compare("corpus/labels/labels.jsonl")  # doctest: +SKIP
"""
from __future__ import annotations

import logging

import numpy as np

from .data import load_labelled

log = logging.getLogger(__name__)

# the candidates compared by grouped CV: (name, estimator params)
CANDIDATES = [
    (f"{feat}+{model}", {"features": feat, "model": model})
    for feat in ("word", "char", "union") for model in ("logreg", "svm")
]


def metrics(y_true, y_pred, labels=None):
    """Accuracy, macro-F1, per-class report and confusion matrix.

    Parameters
    ----------
    y_true, y_pred : sequence of str
    labels : list of str, optional
        Row/column order; defaults to the sorted union of both.

    Returns
    -------
    dict
        ``accuracy``, ``macro_f1``, ``per_class`` (DataFrame: precision,
        recall, f1, support), ``confusion`` (DataFrame, rows = true labels).

    Example
    -------
    >>> metrics(["a", "b"], ["a", "a"])["accuracy"]
    0.5
    """
    import pandas as pd
    from sklearn.metrics import accuracy_score, confusion_matrix, precision_recall_fscore_support

    y_true = [str(v) for v in y_true]
    y_pred = [str(v) for v in y_pred]
    if labels is None:
        labels = sorted(set(y_true) | set(y_pred))
    present = [c for c in labels if c in set(y_true)]
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=labels,
                                                 zero_division=0)
    per_class = pd.DataFrame({"precision": p, "recall": r, "f1": f, "support": s},
                             index=pd.Index(labels, name="label"))
    # macro-F1 over the classes that occur in the truth
    macro = float(per_class.loc[present, "f1"].mean()) if present else 0.0
    cm = pd.DataFrame(confusion_matrix(y_true, y_pred, labels=labels),
                      index=pd.Index(labels, name="true"), columns=pd.Index(labels, name="pred"))
    return {"accuracy": float(accuracy_score(y_true, y_pred)), "macro_f1": macro,
            "per_class": per_class, "confusion": cm, "n": len(y_true)}


def grouped_folds(y, groups, n_splits=5, random_state=0):
    """Train/test index pairs of a stratified group k-fold (no group in both).

    Example
    -------
    >>> folds = grouped_folds(["a", "b"] * 10, list(range(20)), n_splits=2)
    >>> len(folds)
    2
    """
    import warnings

    from sklearn.model_selection import StratifiedGroupKFold

    y = np.asarray(y)
    n_groups = len(set(groups))
    n_splits = int(min(n_splits, n_groups))
    cv = StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=random_state)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # tiny classes cannot be spread evenly
        return list(cv.split(np.zeros(len(y)), y, groups))


def cross_val_proba(make_estimator, texts, y, groups, *, n_splits=5, random_state=0,
                    extra=None, progress=False, desc="cv"):
    """Out-of-fold class probabilities from grouped CV.

    Parameters
    ----------
    make_estimator : callable
        Returns a fresh unfitted estimator.
    texts, y, groups : sequences
    extra : tuple of (texts, labels, groups), optional
        Additional training rows added to every training fold, except rows
        whose group is in the test fold.
    progress : bool

    Returns
    -------
    classes : ndarray of str
    proba : ndarray (n, n_classes)
    """
    from tqdm.auto import tqdm

    texts = list(texts)
    y = np.asarray(y, dtype=object).astype(str)
    groups = np.asarray(groups, dtype=object)
    classes = np.unique(y)
    proba = np.zeros((len(y), len(classes)))
    folds = grouped_folds(y, groups, n_splits, random_state)
    for tr, te in tqdm(folds, desc=desc, disable=not progress, leave=False):
        tr_texts, tr_y = [texts[i] for i in tr], list(y[tr])
        if extra is not None:
            test_groups = set(groups[te])
            for t, lab, g in zip(*extra):
                if g not in test_groups:
                    tr_texts.append(t)
                    tr_y.append(lab)
        est = make_estimator().fit(tr_texts, tr_y)
        p = est.predict_proba([texts[i] for i in te])
        cols = np.searchsorted(classes, est.classes_)
        known = np.isin(est.classes_, classes)
        proba[np.ix_(te, cols[known])] = p[:, known]
    return classes, proba


def compare(data, candidates=None, *, n_splits=5, random_state=0, progress=True,
            keyword_baseline=True, base_params=None):
    """Compare classifier configurations by grouped cross-validation.

    Parameters
    ----------
    data : labelled data accepted by :func:`~rolnlp.classification.data.load_labelled`
    candidates : list of (name, params), optional
        Defaults to the six feature × model combinations in :data:`CANDIDATES`.
    n_splits : int
    random_state : int
    progress : bool
    keyword_baseline : bool
        Also score the :class:`~rolnlp.KeywordClassifier`.
    base_params : dict, optional
        Parameters shared by all candidates.

    Returns
    -------
    table : pandas.DataFrame
        One row per candidate: name, macro_f1, accuracy, per-fold macro-F1
        mean and std; sorted by macro_f1.
    oof : dict
        name → (classes, out-of-fold probabilities) for every candidate.

    Example
    -------
    >>> table, oof = compare("corpus/labels/labels.jsonl")  # doctest: +SKIP
    >>> table.iloc[0]["name"]  # doctest: +SKIP
    'union+svm'
    """
    import pandas as pd
    from tqdm.auto import tqdm

    from .estimator import ParagraphClassifier
    from .keywords import KeywordClassifier

    df = load_labelled(data)
    texts, y, groups = df["text"].tolist(), df["label"].to_numpy(), df["group"].to_numpy()
    cands = list(candidates or CANDIDATES)
    runs = [(n, (lambda p=p: ParagraphClassifier(**{**(base_params or {}), **p,
                                                      "random_state": random_state})))
            for n, p in cands]
    if keyword_baseline:
        runs.append(("keywords", KeywordClassifier))
    folds = grouped_folds(y, groups, n_splits, random_state)
    rows, oof = [], {}
    for name, make in tqdm(runs, desc="candidates", disable=not progress):
        classes, proba = cross_val_proba(make, texts, y, groups, n_splits=n_splits,
                                         random_state=random_state)
        pred = classes[proba.argmax(axis=1)]
        m = metrics(y, pred, labels=list(classes))
        fold_f1 = [metrics(y[te], pred[te])["macro_f1"] for _, te in folds]
        rows.append({"name": name, "macro_f1": m["macro_f1"], "accuracy": m["accuracy"],
                     "fold_macro_f1_mean": float(np.mean(fold_f1)),
                     "fold_macro_f1_std": float(np.std(fold_f1))})
        oof[name] = (classes, proba)
        log.info("%s: macro-F1 %.3f, accuracy %.3f", name, m["macro_f1"], m["accuracy"])
    table = pd.DataFrame(rows).sort_values("macro_f1", ascending=False, kind="stable")
    return table.reset_index(drop=True), oof


def choose_threshold(classes, proba, primary, secondary, grid=None):
    """Pick the probability threshold for ``Prediction.labels`` from CV output.

    The predicted set is the top class plus every class with probability ≥
    threshold; the true set is the primary plus secondary codes.  The
    threshold maximising the micro-F1 of the sets is returned with its score.

    Returns
    -------
    (float, float, list of dict)
        Threshold, its set micro-F1, and the whole curve.
    """
    classes = np.asarray(classes)
    grid = grid if grid is not None else np.round(np.arange(0.10, 0.65, 0.05), 2)
    curve = []
    top = proba.argmax(axis=1)
    for t in grid:
        tp = fp = fn = 0
        for i in range(len(primary)):
            pred = set(classes[proba[i] >= t]) | {classes[top[i]]}
            true = {primary[i], *secondary[i]}
            tp += len(pred & true)
            fp += len(pred - true)
            fn += len(true - pred)
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        curve.append({"threshold": float(t), "set_micro_f1": f1})
    best = max(curve, key=lambda r: (r["set_micro_f1"], -r["threshold"]))
    return best["threshold"], best["set_micro_f1"], curve


def evaluate(data, *, model=None):
    """Score a trained model on labelled data.

    Warns (``logging``) when some of the evaluation texts were among the
    model's training texts (compared by hash after normalisation): such
    figures overstate what the model does on new reports.

    Parameters
    ----------
    data : labelled data accepted by :func:`~rolnlp.classification.data.load_labelled`
    model : path, PortableModel, ParagraphClassifier or None
        ``None`` uses the shipped model.

    Returns
    -------
    dict
        ``accuracy``, ``macro_f1``, ``per_class`` (DataFrame), ``confusion``
        (DataFrame), ``n``, ``unknown_labels`` (codes the model cannot
        predict) and ``n_seen_in_training`` (evaluation texts that were also
        training texts).

    Example
    -------
    >>> rolnlp.evaluate("corpus/labels/labels.jsonl")["macro_f1"]  # doctest: +SKIP
    0.8
    """
    from .api import resolve_model

    df = load_labelled(data, min_classes=1)
    m = resolve_model(model)
    classes = [str(c) for c in m.classes_]
    unknown = sorted(set(df["label"]) - set(classes))
    if unknown:
        log.warning("labels the model cannot predict (always counted as errors): %s",
                    ", ".join(unknown))
    texts = df["text"].tolist()
    seen = int(m.overlap(texts).sum()) if hasattr(m, "overlap") else 0
    if seen:
        log.warning("%d of %d evaluation texts (%.0f%%) were in the model's training data: "
                    "these figures overstate performance on new reports; evaluate on "
                    "held-out reports", seen, len(texts), 100 * seen / len(texts))
    pred = m.predict(texts)
    out = metrics(df["label"].tolist(), pred, labels=classes + unknown)
    out["unknown_labels"] = unknown
    out["n_seen_in_training"] = seen
    return out


# --------------------------------------------------------------- grouping, intervals, calibration
_PLACE = None


def place_key(region):
    """The most specific place name in a region string (None when blank).

    ``"浙江省湖州市德清县"`` → ``"德清县"``; ``"湖北省黄石市司法局"`` → ``"黄石市"``
    (a department belongs to its place); a string naming no recognisable
    place is returned stripped.

    Example
    -------
    >>> place_key("内蒙古自治区锡林郭勒盟阿巴嘎旗"), place_key("上海市浦东新区")
    ('阿巴嘎旗', '浦东新区')
    """
    import re

    global _PLACE
    if not isinstance(region, str) or not region.strip():
        return None
    if _PLACE is None:
        # a bare 州 is left out: it would split 湖州市 into 湖州 + 市
        _PLACE = re.compile(r".+?(?:特别行政区|自治区|自治州|自治县|自治旗|街道|地区|省|市|盟|县|区|旗|镇|乡)")
    names = _PLACE.findall(region.strip())
    return names[-1] if names else region.strip()


def region_groups(regions, report_groups):
    """CV groups by place: the most specific place name, else the report.

    Parameters
    ----------
    regions : sequence of (str or None)
    report_groups : sequence of str
        Used where a unit has no region.

    Returns
    -------
    numpy.ndarray of str

    Example
    -------
    >>> region_groups(["浙江省湖州市", None], ["a", "b"]).tolist()
    ['place:湖州市', 'report:b']
    """
    out = []
    for r, g in zip(regions, report_groups):
        k = place_key(r)
        out.append(f"place:{k}" if k else f"report:{g}")
    return np.asarray(out, dtype=object)


def top_k_accuracy(y, classes, proba, k=2):
    """Share of units whose true class is among the ``k`` most probable.

    Example
    -------
    >>> top_k_accuracy(["b"], np.array(["a", "b", "c"]), np.array([[0.5, 0.3, 0.2]]))
    1.0
    """
    idx = {c: i for i, c in enumerate(np.asarray(classes).tolist())}
    top = np.argsort(-np.asarray(proba), axis=1, kind="stable")[:, :k]
    hit = [idx.get(str(t), -1) in row for t, row in zip(y, top.tolist())]
    return float(np.mean(hit)) if hit else 0.0


def expected_calibration_error(y, classes, proba, n_bins=15):
    """Expected calibration error of the top-class probability (equal-width bins).

    Example
    -------
    >>> expected_calibration_error(["a", "b"], np.array(["a", "b"]), np.array([[1.0, 0], [1.0, 0]]))
    0.5
    """
    proba = np.asarray(proba)
    conf = proba.max(axis=1)
    correct = np.asarray(classes)[proba.argmax(axis=1)] == np.asarray(y, dtype=object)
    bins = np.minimum((conf * n_bins).astype(int), n_bins - 1)
    ece = 0.0
    for b in range(n_bins):
        m = bins == b
        if m.any():
            ece += m.mean() * abs(correct[m].mean() - conf[m].mean())
    return float(ece)


def _macro_f1_acc(cm):
    """Macro-F1 (classes with support) and accuracy of confusion matrices (..., k, k)."""
    tp = np.diagonal(cm, axis1=-2, axis2=-1)
    support = cm.sum(axis=-1)
    predicted = cm.sum(axis=-2)
    denom = support + predicted
    f1 = np.where(denom > 0, 2 * tp / np.maximum(denom, 1e-12), 0.0)
    present = support > 0
    macro = (f1 * present).sum(axis=-1) / np.maximum(present.sum(axis=-1), 1)
    acc = tp.sum(axis=-1) / np.maximum(cm.sum(axis=(-2, -1)), 1e-12)
    return macro, acc


def bootstrap_ci(y, preds, groups, *, n_boot=1000, random_state=0, level=0.95):
    """Bootstrap intervals for macro-F1 and accuracy, resampling whole groups.

    Parameters
    ----------
    y : sequence of str
    preds : dict of name → sequence of str
        Several prediction columns are resampled on the same draws, so the
        interval of their difference (``diff`` entries, each name against the
        first) is paired.
    groups : sequence
        Reports or places: a draw takes whole groups with replacement.
    n_boot : int
    random_state : int
    level : float

    Returns
    -------
    dict
        name → {"macro_f1": [lo, hi], "accuracy": [lo, hi]}, plus
        ``"diff"`` → name → the same for (name − first name).

    Example
    -------
    >>> ci = bootstrap_ci(["a", "b"] * 20, {"m": ["a", "b"] * 20}, list(range(40)), n_boot=50)
    >>> ci["m"]["accuracy"]
    [1.0, 1.0]
    """
    y = np.asarray([str(v) for v in y], dtype=object)
    labels = sorted(set(y.tolist()) | {str(v) for p in preds.values() for v in p})
    li = {c: i for i, c in enumerate(labels)}
    k = len(labels)
    _, g = np.unique(np.asarray(groups, dtype=str), return_inverse=True)
    n_groups = g.max() + 1
    yi = np.array([li[v] for v in y])
    # per-group confusion counts, so a draw is a weighted sum of group matrices
    per_group = {}
    for name, p in preds.items():
        pi = np.array([li[str(v)] for v in p])
        counts = np.zeros((n_groups, k * k))
        np.add.at(counts, (g, yi * k + pi), 1)
        per_group[name] = counts
    rng = np.random.default_rng(random_state)
    draws = np.stack([np.bincount(rng.integers(0, n_groups, n_groups), minlength=n_groups)
                      for _ in range(n_boot)]).astype(float)
    lo_q, hi_q = (1 - level) / 2, 1 - (1 - level) / 2
    out, stats = {}, {}
    for name, counts in per_group.items():
        cm = (draws @ counts).reshape(n_boot, k, k)
        stats[name] = _macro_f1_acc(cm)
        out[name] = {m: [float(np.quantile(v, lo_q)), float(np.quantile(v, hi_q))]
                     for m, v in zip(("macro_f1", "accuracy"), stats[name])}
    names = list(preds)
    out["diff"] = {}
    for name in names[1:]:
        out["diff"][name] = {
            m: [float(np.quantile(a - b, lo_q)), float(np.quantile(a - b, hi_q))]
            for m, a, b in zip(("macro_f1", "accuracy"), stats[name], stats[names[0]])}
    return out


def grouped_cv_proba(make_estimator, texts, y, folds, *, train_subset=None):
    """Out-of-fold probabilities on given folds (optionally on part of each training fold).

    Parameters
    ----------
    make_estimator : callable
    texts, y : sequences
    folds : list of (train_idx, test_idx)
    train_subset : callable, optional
        ``train_subset(train_idx, fold_no)`` returns the training indices to use.

    Returns
    -------
    classes, proba

    Example
    -------
    >>> classes, proba = grouped_cv_proba(make, texts, y, folds)  # doctest: +SKIP
    """
    texts = list(texts)
    y = np.asarray(y, dtype=object).astype(str)
    classes = np.unique(y)
    proba = np.zeros((len(y), len(classes)))
    for f, (tr, te) in enumerate(folds):
        if train_subset is not None:
            tr = train_subset(tr, f)
        est = make_estimator().fit([texts[i] for i in tr], list(y[tr]))
        p = est.predict_proba([texts[i] for i in te])
        cols = np.searchsorted(classes, est.classes_)
        known = np.isin(est.classes_, classes)
        proba[np.ix_(te, cols[known])] = p[:, known]
    return classes, proba
