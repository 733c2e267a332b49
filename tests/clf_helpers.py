"""Small shared data and models for the classifier tests (trained once per run)."""
from __future__ import annotations

import functools
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
LABELS = ROOT / "corpus" / "labels" / "labels.jsonl"
SHIPPED = ROOT / "rolnlp" / "models" / "rol-paragraph-v1"


@functools.lru_cache(maxsize=None)
def labelled():
    """All labelled units as a DataFrame (text, label, secondary, group)."""
    if not LABELS.exists():
        pytest.skip("corpus/labels/labels.jsonl not present")
    from rolnlp.classification.data import load_labelled
    return load_labelled(LABELS)


@functools.lru_cache(maxsize=None)
def subset(n=360, seed=0):
    """A class-stratified sample of about ``n`` units (texts, labels, groups)."""
    df = labelled()
    per = max(2, n // df["label"].nunique())
    parts = [g.sample(min(len(g), per), random_state=seed) for _, g in df.groupby("label")]
    import pandas as pd
    s = pd.concat(parts).sort_index()
    return s["text"].tolist(), s["label"].tolist(), s["group"].tolist()


@functools.lru_cache(maxsize=None)
def fitted(features="char", model="svm"):
    """A ParagraphClassifier fitted on :func:`subset`."""
    from rolnlp import ParagraphClassifier
    X, y, _ = subset()
    return ParagraphClassifier(features=features, model=model, random_state=0).fit(X, y)


def toy():
    """A tiny hand-made three-class set that needs no corpus."""
    X = ["依法办理行政复议案件，纠正违法行为", "行政复议决定书按期送达", "人民调解委员会化解矛盾纠纷",
         "开展宪法宣传周普法活动", "深入推进八五普法，民法典进社区", "青少年法治教育进校园",
         "现将有关情况报告如下", "特此报告", "2024年1月5日"]
    y = ["dispute_resolution"] * 3 + ["legal_publicity"] * 3 + ["other"] * 3
    return X, y
