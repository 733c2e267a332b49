"""rolnlp: read, classify and compare China's annual rule-of-law government reports.

Quick start
-----------
>>> import rolnlp
>>> report = rolnlp.read_report("corpus/reports/000_5c5bdc2152d9c680.txt")  # doctest: +SKIP
>>> rolnlp.classify("全面推行行政执法三项制度").label  # doctest: +SKIP
'enforcement'

Heavy parts (scikit-learn, gensim, matplotlib) are imported only when first
used, so ``import rolnlp`` stays cheap for programs that only classify.
"""
from __future__ import annotations

import logging

from ._lazy import lazy_exports
from ._version import __version__
from .codebook import CATEGORY_CODES, CODEBOOK_VERSION, SECTION_CODES
from ._caches import clear_caches
from .errors import LabelError, ModelError, ReportError, RolnlpError

logging.getLogger(__name__).addHandler(logging.NullHandler())

# public name -> module that defines it (imported on first access)
_LAZY = {
    "read_report": "rolnlp.reading",
    "parse_report": "rolnlp.reading",
    "Report": "rolnlp.reading",
    "Paragraph": "rolnlp.reading",
    "Heading": "rolnlp.reading",
    "Metadata": "rolnlp.reading",
    "Tokenizer": "rolnlp.text",
    "tokenize": "rolnlp.text",
    "Corpus": "rolnlp.corpus",
    "read_corpus": "rolnlp.corpus",
    "write_partitions": "rolnlp.partitions",
    "classify": "rolnlp.classification",
    "classify_report": "rolnlp.classification",
    "train": "rolnlp.classification",
    "evaluate": "rolnlp.classification",
    "load_model": "rolnlp.classification",
    "ParagraphClassifier": "rolnlp.classification",
    "KeywordClassifier": "rolnlp.classification",
    "Prediction": "rolnlp.classification",
    "TopicModel": "rolnlp.analysis",
    "analyze": "rolnlp.analysis",
    "extract_indicators": "rolnlp.audit",
}

__all__ = ["__version__", "CATEGORY_CODES", "SECTION_CODES", "CODEBOOK_VERSION",
           "RolnlpError", "ReportError", "ModelError", "LabelError", "clear_caches", "audit", *_LAZY]


_lazy_getattr, _lazy_dir = lazy_exports(__name__, _LAZY)


def __getattr__(name):
    # rolnlp.audit is a callable package: rolnlp.audit(report) and rolnlp.audit.html both work
    if name == "audit":
        import importlib
        return importlib.import_module(".audit", __name__)
    return _lazy_getattr(name)


def __dir__():
    return sorted(set(_lazy_dir()) | {"audit"})
