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

import importlib

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
    "heading_category": "weak",
}

__all__ = list(_LAZY)


def __getattr__(name):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
