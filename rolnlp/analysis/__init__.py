"""Cross-report analysis: topics, category profiles, distinctive terms, text
reuse, plots and the :func:`analyze` pipeline.

Names are loaded on first use so importing this package does not pull in
gensim, scikit-learn or matplotlib.

Example
-------
>>> from rolnlp.analysis import category_profile, distinctive_terms  # doctest: +SKIP
>>> paths = rolnlp.analyze("corpus/", "out/")  # doctest: +SKIP
"""
from __future__ import annotations

import importlib

_LAZY = {
    "TopicModel": "topics",
    "codebook_seeds": "topics",
    "analyze": "pipeline",
    "category_profile": "profile",
    "distinctive_terms": "distinctive",
    "log_odds": "distinctive",
    "similarity_matrix": "reuse",
    "find_reuse": "reuse",
    "split_sentences": "reuse",
    "write_summary": "summary",
}

__all__ = list(_LAZY)


def __getattr__(name):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'rolnlp.analysis' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
