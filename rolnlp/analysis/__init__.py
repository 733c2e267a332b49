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

from .._lazy import lazy_exports

_LAZY = {
    "TopicModel": "topics",
    "codebook_seeds": "topics",
    "analyze": "pipeline",
    "category_profile": "profile",
    "distinctive_terms": "distinctive",
    "log_odds": "distinctive",
    "similarity_matrix": "similarity",
    "nearest_reports": "similarity",
    "find_reuse": "reuse",
    "split_sentences": "reuse",
    "write_summary": "summary",
}

__all__ = list(_LAZY)


__getattr__, __dir__ = lazy_exports(__name__, {k: "." + v for k, v in _LAZY.items()})
