"""Text → feature terms: normalisation and the word / character analyzers.

The analyzers are plain Python (no scikit-learn), so the exact same term
extraction serves training (inside scikit-learn's ``TfidfVectorizer``) and the
numpy-only inference of a saved model.

Example
-------
>>> from rolnlp.classification.features import get_analyzer
>>> get_analyzer("char", ngram_range=(1, 2))("行政复议")[:4]
['行', '政', '复', '议']
"""
from __future__ import annotations

import hashlib
import math
import re
import threading
from functools import lru_cache

from .._caches import TwoGenerations, register_cache
from ..reading import normalize_text

FEATURE_KINDS = ("word", "char")
_CACHE_SIZE = 50_000

# runs of CJK ideographs and digits; everything else (punctuation, latin
# letters such as pinyin glosses inserted by mirror sites) separates runs
_CHAR_RUN = re.compile(r"[\u4e00-\u9fff0-9]+")


def normalize(text: str) -> str:
    """Clean and simplify one pasted paragraph (``rolnlp.reading.normalize_text``).

    Parameters
    ----------
    text : str
        A paragraph as a caller pasted it.

    Returns
    -------
    str
        The text the classifier's features are computed from (cached).

    Example
    -------
    >>> normalize("  行政復議  ")  # doctest: +SKIP
    '行政复议'
    """
    if not isinstance(text, str):
        return normalize_text(text)  # raises its TypeError
    return _normalized(text)


class _NormalizedCache(TwoGenerations):
    """``normalize_text`` with a bounded two-generation cache of its results.

    Each feature block and the empty-text check normalise the same text, so
    they share one cleaning pass.  :func:`note_normal` records texts known to
    be their own normal form (a reader's settled paragraphs), which then cost
    no cleaning at all.
    """

    __slots__ = ()

    def __call__(self, text: str) -> str:
        hit = self.get(text)
        return self.put(text, normalize_text(text)) if hit is None else hit


_normalized = _NormalizedCache(8192)
register_cache("classification.normalized", _normalized.clear)


def note_normal(texts) -> None:
    """Record ``texts`` as their own normal form: ``normalize(t)`` returns ``t`` unchanged.

    Only for texts whose ``rolnlp.reading.normalize_text`` is known to be the
    text itself (:meth:`rolnlp.Report._normal_texts` finds them); it is a fact
    about the string, so any caller may rely on it.

    Example
    -------
    >>> note_normal(["依法行政。"])
    >>> normalize("依法行政。")
    '依法行政。'
    """
    for t in texts:
        _normalized.put(t, t)


class Analyzer:
    """Callable turning a raw string into its list of feature terms.

    Instances are shared per configuration (see :func:`get_analyzer`) and keep
    an LRU cache of results, so cross-validation tokenizes each text once.
    They pickle by configuration only.

    Parameters
    ----------
    kind : {"word", "char"}
        ``"word"``: tokens of the rule-of-law tokenizer (and their n-grams);
        ``"char"``: character n-grams within runs of CJK characters and digits.
    ngram_range : tuple of int
        Minimum and maximum n.
    """

    def __init__(self, kind: str, ngram_range=(1, 1)):
        if kind not in FEATURE_KINDS:
            raise ValueError(f"kind must be one of {FEATURE_KINDS}, got {kind!r}")
        lo, hi = (int(n) for n in ngram_range)
        if not 1 <= lo <= hi:
            raise ValueError(f"ngram_range must satisfy 1 <= min <= max, got {ngram_range!r}")
        self.kind = kind
        self.ngram_range = (lo, hi)
        self._cached = lru_cache(maxsize=_CACHE_SIZE)(self._analyze)

    def __reduce__(self):
        return (get_analyzer, (self.kind, self.ngram_range))

    def __repr__(self):
        return f"Analyzer({self.kind!r}, ngram_range={self.ngram_range})"

    def __call__(self, text: str) -> list:
        return list(self._cached(text))

    def analyze(self, text: str) -> list:
        """The terms of ``text`` without the LRU cache.

        Prediction sees each text once, so caching its terms would only hold
        memory (some 100 MB over a corpus); training goes through ``__call__``.

        Example
        -------
        >>> get_analyzer("char", (2, 2)).analyze("依法行政")
        ['依法', '法行', '行政']
        """
        return self._analyze(text)

    def _analyze(self, text: str):
        text = normalize(text)
        lo, hi = self.ngram_range
        if self.kind == "word":
            return _ngrams(_tokenizer().tokenize(text), lo, hi, " ")
        out = []
        for run in _CHAR_RUN.findall(text):
            out.extend(_ngrams(run, lo, hi, ""))
        return out


def _ngrams(seq, lo, hi, sep):
    """n-grams of a token list (joined by ``sep``) or of a string, n = lo..hi in turn."""
    out = []
    n_items = len(seq)
    for n in range(lo, min(hi, n_items) + 1):
        if n == 1:
            out.extend(seq)
        elif isinstance(seq, str):
            out.extend([seq[i:i + n] for i in range(n_items - n + 1)])
        elif n == 2:  # the common case: pairs by zip, joined in C
            out.extend(map(sep.join, zip(seq, seq[1:])))
        else:
            out.extend([sep.join(seq[i:i + n]) for i in range(n_items - n + 1)])
    return out


_analyzers: dict = {}
_analyzers_lock = threading.Lock()
_MAX_ANALYZERS = 16  # configurations; each holds an LRU of _CACHE_SIZE term lists


def _clear_analyzers():
    with _analyzers_lock:
        for a in _analyzers.values():
            a._cached.cache_clear()


register_cache("classification.analyzers", _clear_analyzers)


def get_analyzer(kind: str, ngram_range=(1, 1)) -> Analyzer:
    """Return the shared :class:`Analyzer` for ``kind`` and ``ngram_range``.

    Example
    -------
    >>> get_analyzer("char", (2, 2))("依法行政")
    ['依法', '法行', '行政']
    """
    key = (kind, tuple(int(n) for n in ngram_range))
    with _analyzers_lock:
        a = _analyzers.get(key)
        if a is None:
            if len(_analyzers) >= _MAX_ANALYZERS:  # drop the oldest configuration
                _analyzers.pop(next(iter(_analyzers)))._cached.cache_clear()
            a = _analyzers[key] = Analyzer(kind, key[1])
    return a


def _tokenizer():
    # the library's one default Tokenizer (its options are recorded in saved models)
    from ..text import default_tokenizer
    return default_tokenizer()


def tokenizer_fingerprint() -> dict:
    """Options and lexicon hash of the tokenizer the word features use.

    A saved model records these; loading it under a different lexicon logs a
    warning because word features would no longer match training.

    Returns
    -------
    dict
        ``{"options": {...}, "lexicon_sha256": str}``

    Example
    -------
    >>> sorted(tokenizer_fingerprint())
    ['lexicon_sha256', 'options']
    """
    tok = _tokenizer()
    lex = getattr(tok, "lexicon_hash", None)
    if callable(lex):
        lex = lex()
    if not isinstance(lex, str):
        lex = _lexicon_files_hash()
    opts = {k: getattr(tok, k) for k in ("keep_numbers", "keep_punct", "stopwords", "lowercase",
                                              "max_quote", "hmm")
            if isinstance(getattr(tok, k, None), (bool, int, str))}
    return {"options": opts, "lexicon_sha256": lex}


def _lexicon_files_hash() -> str:
    from pathlib import Path

    h = hashlib.sha256()
    data = Path(__file__).resolve().parents[1] / "text" / "data"
    for f in sorted(data.glob("*.txt")) if data.is_dir() else []:
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()


# -- shape features ------------------------------------------------------------
# A few layout cues that set titles, openings, metadata lines and web residue
# apart from body text whatever area they name; TF-IDF cannot see them.
SHAPE_FEATURES = ("log_length", "digit_share", "ascii_share", "kept_share", "has_full_stop",
                  "ends_full_stop",
                  "ends_colon", "ends_report_follows", "starts_year", "heading_markers",
                  "quotes", "title_like")

_HEADING_MARK = re.compile(r"(?:^|[。；;：:\s])(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]"
                           r"|\d{1,2}[.．、](?!\d)|[（(]\d{1,2}[）)])")
_YEAR_START = re.compile(r"^(?:19|20)\d{2}年(?:以来|度)?[，,、]")
_TITLE = re.compile(r"(?:报告|情况|工作要点|总结)$")
_REPORT_FOLLOWS = re.compile(r"如下[：:]$")


def shape_features(text: str) -> list:
    """Layout cues of one paragraph, in the order of :data:`SHAPE_FEATURES`.

    Computed with plain Python, so training and the
    numpy-only inference of a saved model agree exactly.

    Parameters
    ----------
    text : str

    Returns
    -------
    list of float
        ``log(1 + length)``, share of digits, share of ASCII letters and
        symbols (these three on the raw text), share of the text that cleaning
        kept, whether the text holds a 。, ends with 。, ends with a colon,
        ends with 如下：, starts with a year (``2024年，``), the number of
        heading markers (一、 （二） 3.), the number of quotes, and whether it is
        a short title ending in 报告/情况/工作要点/总结.

    Example
    -------
    >>> shape_features("现将有关情况报告如下：")[7]
    1.0
    """
    raw = text.strip()
    if not raw:
        return [0.0] * len(SHAPE_FEATURES)
    t = normalize(text).strip()
    n = len(raw)
    digits = sum(c.isdigit() for c in raw)
    ascii_ = sum(c.isascii() and not c.isdigit() and not c.isspace() for c in raw)
    ends = t.rstrip("”\"'）)")
    return [
        math.log1p(n),
        digits / n,
        ascii_ / n,
        min(1.0, len(t) / n),  # what cleaning kept: low for web residue
        float("。" in t),
        float(ends.endswith("。")),
        float(ends.endswith(("：", ":"))),
        float(bool(_REPORT_FOLLOWS.search(ends))),
        float(bool(_YEAR_START.match(t))),
        float(len(_HEADING_MARK.findall(t))),
        float(t.count("“") + t.count("《")),
        float(n <= 40 and bool(_TITLE.search(ends))),
    ]
