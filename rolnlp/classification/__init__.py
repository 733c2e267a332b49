"""Paragraph classification into the codebook categories.

``classify``/``classify_report`` run a saved model on numpy alone;
``train``/``evaluate`` and the estimators need scikit-learn, which is imported
only when they are first used.

Example
-------
>>> from rolnlp.classification import classify
>>> classify("全面推行行政执法公示制度").label  # doctest: +SKIP
'enforcement'
"""
from __future__ import annotations

from .._lazy import lazy_exports

_LAZY = {
    "classify": "api",
    "classify_report": "api",
    "train": "api",
    "load_model": "api",
    "Prediction": "api",
    "evaluate": "evaluation",
    "compare": "evaluation",
    "ParagraphClassifier": "estimator",
    "KeywordClassifier": "keywords",
    "PortableModel": "portable",
    "ContextStage": "context",
}

__all__ = list(_LAZY)


__getattr__, __dir__ = lazy_exports(__name__, {k: "." + v for k, v in _LAZY.items()})
