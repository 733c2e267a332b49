"""Rule-of-law tokenizer: jieba plus the shipped lexicon, stopwords and slogan rule.

Design notes
------------
* jieba's global tokenizer (``jieba.dt``) is never touched: a
  :class:`Tokenizer` cuts with a private ``jieba.Tokenizer`` carrying the
  lexicon, one per dictionary configuration and process, from
  :mod:`rolnlp.text.backend` (which also reads user dictionaries exactly as
  jieba does and caches the finished dictionary on disk).  Text is cut by
  :class:`~rolnlp.text.fastcut.FastCutter`, which gives jieba's tokens with
  less interpreter work and in linear time on any input.
* Quoted slogans (“三书同达”, "放管服", 「一件事」, 『...』) of at most
  ``max_quote`` CJK characters become one token, quotes dropped, inner
  punctuation and spaces removed (“双随机、一公开” -> ``双随机一公开``).
  Longer quotes, or quotes holding sentence punctuation, are cut normally.
* ASCII letters are lower-cased by default (``APP`` and ``app`` are one
  feature); full-width letters and digits are folded to ASCII first.
* Tokens made only of digits (with ``.``, ``%``, ``-`` ...) or only of Chinese
  numerals count as numbers; tokens without any letter, digit or CJK
  character count as punctuation.  Whitespace is never a token.

Example
-------
>>> from rolnlp.text import tokenize
>>> tokenize("严格落实首违不罚清单")
['严格', '首违不罚', '清单']
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
import threading
from pathlib import Path
from typing import Iterable

from .._caches import register_cache
from . import backend
from .fastcut import FastCutter
from .lexicon import LEXICON_PATH, load_stopwords

logger = logging.getLogger(__name__)

# Full-width ASCII letters/digits -> ASCII, so "ＡＰＰ" and "APP" agree.
_FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF5B) if chr(c - 0xFEE0).isalnum()}
# translate() looks every character up in the table; a regex scan for the few
# mapped characters is far cheaper, and most texts hold none
_HAS_FULLWIDTH = re.compile("[" + "".join(map(chr, sorted(_FULLWIDTH))) + "]")

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_QUOTE = re.compile(r"“([^“”\n]{1,60}?)”|\"([^\"\n]{1,60}?)\"|「([^「」\n]{1,60}?)」|『([^『』\n]{1,60}?)』")
# Sentence punctuation inside quotes means prose, not a slogan.
_SENTENCE_PUNCT = re.compile(r"[，。；：！？,;:!?（）()]")
_NON_WORD = re.compile(r"[^\w]|_")
_HAS_WORD = re.compile(r"[^\W_]")
_NUMBER = re.compile(r"(?:[0-9]+(?:[.,:/\-][0-9]+)*[%‰]?|[〇零一二三四五六七八九十百千万亿]+)")
_ASCII_UPPER = re.compile(r"[A-Z]")

_CACHE_LIMIT = 500_000  # distinct token strings remembered per Tokenizer
_MAX_CACHED_TOKEN = 64  # longer tokens are one-offs (a run of letters, a garbled line)


def _set_summary(words: frozenset) -> str:
    """Short, deterministic description of a custom word set for ``repr``."""
    if len(words) <= 8:
        return "{" + ", ".join(repr(w) for w in sorted(words)) + "}"
    digest = hashlib.sha1("\n".join(sorted(words)).encode("utf-8")).hexdigest()[:10]
    return f"<{len(words)} words sha1:{digest}>"


class Tokenizer:
    """Tokenize Chinese report text with jieba and the rule-of-law lexicon.

    Parameters
    ----------
    stopwords : bool or iterable of str, default True
        ``True``: drop the shipped stopwords; ``False``/``None``: keep all
        words; an iterable: drop exactly these words.
    keep_numbers : bool, default False
        Keep number tokens (``2023``, ``95%``, ``三``).
    keep_punct : bool, default False
        Keep punctuation tokens (and the quote marks around slogans).
    lowercase : bool, default True
        Lower-case ASCII letters.
    max_quote : int, default 12
        Longest quoted slogan, in CJK characters, kept as one token; 0 turns
        the slogan rule off.
    lexicon : bool or path-like, default True
        ``True``: the shipped lexicon; ``False``: jieba's stock dictionary
        only; a path: your own jieba user dictionary.
    words : iterable of str, optional
        Extra terms to keep whole, on top of the lexicon.
    hmm : bool, default True
        Let jieba's HMM join unknown words (names, new coinages).

    Notes
    -----
    Instances are picklable (the jieba dictionary is rebuilt, or reused, on
    the other side), safe to share between threads, and work as a
    scikit-learn ``tokenizer=``; equal options give equal ``repr`` and
    compare equal.

    Examples
    --------
    >>> tok = Tokenizer()
    >>> tok("深化“枫桥经验”，推进诉源治理")
    ['枫桥经验', '诉源治理']
    >>> from sklearn.feature_extraction.text import TfidfVectorizer  # doctest: +SKIP
    >>> TfidfVectorizer(tokenizer=tok, token_pattern=None, lowercase=False)  # doctest: +SKIP
    """

    def __init__(self, *, stopwords=True, keep_numbers: bool = False, keep_punct: bool = False,
                 lowercase: bool = True, max_quote: int = 12, lexicon=True,
                 words: Iterable[str] | None = None, hmm: bool = True):
        if stopwords is True:
            self._stopwords = load_stopwords()
            self._stop_custom = False
        elif stopwords is False or stopwords is None:
            self._stopwords = frozenset()
            self._stop_custom = False
        elif isinstance(stopwords, (str, bytes)):
            raise TypeError("stopwords must be True, False or an iterable of words, not a string")
        else:
            self._stopwords = frozenset(stopwords)
            self._stop_custom = True
            if not all(isinstance(w, str) for w in self._stopwords):
                raise TypeError("stopwords must contain only str")
        if not isinstance(max_quote, int) or isinstance(max_quote, bool) or max_quote < 0:
            raise TypeError(f"max_quote must be a non-negative int, got {max_quote!r}")
        if lexicon is True:
            self._lexicon_path = str(LEXICON_PATH)
        elif lexicon is False or lexicon is None:
            self._lexicon_path = ""
        elif isinstance(lexicon, (str, os.PathLike)):
            path = Path(lexicon)
            if not path.is_file():
                raise FileNotFoundError(f"lexicon file not found: {path}")
            self._lexicon_path = str(path.resolve())
        else:
            raise TypeError(f"lexicon must be True, False or a path, got {type(lexicon).__name__}")
        if isinstance(words, str):
            raise TypeError("words must be an iterable of str, not a single string")
        self._words = tuple(sorted(set(words or ())))
        if not all(isinstance(w, str) and w.strip() for w in self._words):
            raise TypeError("words must contain only non-empty str")
        self.stopwords = stopwords if isinstance(stopwords, bool) or stopwords is None else self._stopwords
        self.keep_numbers = bool(keep_numbers)
        self.keep_punct = bool(keep_punct)
        self.lowercase = bool(lowercase)
        self.max_quote = max_quote
        self.lexicon = lexicon
        self.words = self._words
        self.hmm = bool(hmm)
        self._setup()

    # -- state ---------------------------------------------------------------
    def _setup(self) -> None:
        self._jieba = None
        self._cutter = None
        self._init_lock = threading.Lock()
        self._cache: dict[str, str | None] = {}

    def _options(self) -> tuple:
        stop = ("custom", _set_summary(self._stopwords)) if self._stop_custom else bool(self._stopwords)
        lex = self._lexicon_path if self._lexicon_path != str(LEXICON_PATH) else True
        return (("stopwords", stop), ("keep_numbers", self.keep_numbers),
                ("keep_punct", self.keep_punct), ("lowercase", self.lowercase),
                ("max_quote", self.max_quote), ("lexicon", lex or False),
                ("words", self._words), ("hmm", self.hmm))

    def __repr__(self) -> str:
        parts = []
        for name, value in self._options():
            if name == "stopwords" and isinstance(value, tuple):
                parts.append(f"stopwords={value[1]}")
            elif name == "words":
                parts.append(f"words={_set_summary(frozenset(value)) if value else '()'}")
            else:
                parts.append(f"{name}={value!r}")
        return f"Tokenizer({', '.join(parts)})"

    def __eq__(self, other) -> bool:
        if not isinstance(other, Tokenizer):
            return NotImplemented
        return (self._options() == other._options() and self._stopwords == other._stopwords)

    def __hash__(self) -> int:
        return hash(self._options())

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        for k in ("_jieba", "_cutter", "_init_lock", "_cache"):
            state.pop(k, None)
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._setup()

    def _get_cutter(self) -> FastCutter:
        cutter = self._cutter
        if cutter is None:
            with self._init_lock:
                if self._cutter is None:
                    self._jieba, self._cutter = backend.instance(self._lexicon_path, self._words)
                cutter = self._cutter
        return cutter

    def _get_jieba(self):
        self._get_cutter()
        return self._jieba

    def warm_up(self) -> "Tokenizer":
        """Load the jieba dictionary now instead of on the first call.

        Returns
        -------
        Tokenizer
            ``self``, for chaining.

        Example
        -------
        >>> tok = Tokenizer().warm_up()
        """
        self._get_cutter()
        return self

    # -- token filter ----------------------------------------------------------
    def _convert(self, tok: str) -> str | None:
        """Map a raw jieba token to its output form, or None to drop it."""
        t = tok.strip()
        if not t:
            return None
        if not _HAS_WORD.search(t):
            return t if self.keep_punct else None
        if _NUMBER.fullmatch(t):
            return t if self.keep_numbers else None
        if self.lowercase and _ASCII_UPPER.search(t):
            t = t.lower()
        if t in self._stopwords:
            return None
        return t

    def _emit(self, segment: str, out: list, cut) -> None:
        cache = self._cache
        append = out.append
        for tok in cut(segment, self.hmm):
            try:
                t = cache[tok]
            except KeyError:
                t = self._convert(tok)
                if len(cache) < _CACHE_LIMIT and len(tok) <= _MAX_CACHED_TOKEN:
                    cache[tok] = t
            if t is not None:
                append(t)

    # -- public --------------------------------------------------------------
    def tokenize(self, text: str) -> list[str]:
        """Cut ``text`` into a list of tokens.

        Parameters
        ----------
        text : str
            Any length; whitespace and line breaks are fine.

        Returns
        -------
        list of str
            Tokens in text order; ``[]`` for an empty text.

        Raises
        ------
        TypeError
            If ``text`` is not a str.

        Example
        -------
        >>> Tokenizer()("推行行政执法三项制度")
        ['推行', '行政执法', '三项制度']
        """
        if not isinstance(text, str):
            raise TypeError(f"text must be str, got {type(text).__name__}")
        if not text:
            return []
        if _HAS_FULLWIDTH.search(text):
            text = text.translate(_FULLWIDTH)
        # same tokens as the jieba instance's own cut, computed faster
        cut = self._get_cutter().cut
        out: list[str] = []
        pos = 0
        if self.max_quote:
            for m in _QUOTE.finditer(text):
                inner = m.group(m.lastindex)
                if _SENTENCE_PUNCT.search(inner):
                    continue
                n_cjk = len(_CJK.findall(inner))
                if not 1 <= n_cjk <= self.max_quote:
                    continue
                slogan = _NON_WORD.sub("", inner)
                if self.lowercase:
                    slogan = slogan.lower()
                if m.start() > pos:
                    self._emit(text[pos:m.start()], out, cut)
                if self.keep_punct:
                    out.append(text[m.start()])
                if slogan not in self._stopwords:
                    out.append(slogan)
                if self.keep_punct:
                    out.append(text[m.end() - 1])
                pos = m.end()
        if pos < len(text):
            self._emit(text[pos:] if pos else text, out, cut)
        return out

    __call__ = tokenize

    def tokenize_many(self, texts: Iterable[str], *, n_jobs: int = 1, progress: bool = True,
                      chunk_size: int = 200) -> list[list[str]]:
        """Tokenize many texts.

        Parameters
        ----------
        texts : iterable of str
        n_jobs : int, default 1
            Worker processes (joblib); each loads the dictionary once
            (~0.6 s), so this pays off only for large corpora. ``-1``: all cores.
        progress : bool, default True
            Show a tqdm progress bar.
        chunk_size : int, default 200
            Texts per job sent to a worker when ``n_jobs != 1``.

        Returns
        -------
        list of list of str
            One token list per text, in input order.

        Raises
        ------
        TypeError
            If ``texts`` is a single str or holds a non-str item.

        Example
        -------
        >>> Tokenizer().tokenize_many(["行政复议", "法律援助"])
        [['行政复议'], ['法律援助']]
        """
        if isinstance(texts, (str, bytes)):
            raise TypeError("texts must be an iterable of str, not a single string")
        texts = list(texts)
        for i, t in enumerate(texts):
            if not isinstance(t, str):
                raise TypeError(f"texts[{i}] must be str, got {type(t).__name__}")
        if n_jobs == 1 or len(texts) <= chunk_size:
            it = texts
            if progress:
                from tqdm.auto import tqdm

                it = tqdm(texts, desc="tokenizing", unit="text")
            tok = self.tokenize
            return [tok(t) for t in it]
        from joblib import Parallel, delayed  # only parallel runs need joblib

        chunks = [texts[i:i + chunk_size] for i in range(0, len(texts), chunk_size)]
        if progress:
            from tqdm.auto import tqdm

            chunks = tqdm(chunks, desc="tokenizing", unit="chunk")
        results = Parallel(n_jobs=n_jobs)(delayed(_tokenize_chunk)(self, c) for c in chunks)
        return [toks for chunk in results for toks in chunk]


def _tokenize_chunk(tok: Tokenizer, texts: list[str]) -> list[list[str]]:
    return [tok.tokenize(t) for t in texts]


_default: Tokenizer | None = None
_default_lock = threading.Lock()


def default_tokenizer() -> Tokenizer:
    """Return the shared default :class:`Tokenizer` (created on first call).

    Example
    -------
    >>> default_tokenizer() is default_tokenizer()
    True
    """
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = Tokenizer()
    return _default


def tokenize(text: str, **options) -> list[str]:
    """Tokenize ``text`` with the rule-of-law tokenizer.

    Parameters
    ----------
    text : str
    **options
        Any :class:`Tokenizer` option (``stopwords``, ``keep_numbers``,
        ``keep_punct``, ``lowercase``, ``max_quote``, ``lexicon``, ``words``,
        ``hmm``). Without options the shared default tokenizer is used.

    Returns
    -------
    list of str
        The same tokens as ``Tokenizer(**options)(text)``.

    Raises
    ------
    TypeError
        If ``text`` is not a str, or an option has the wrong type.

    Example
    -------
    >>> tokenize("全面推行“最多跑一次”改革")
    ['最多跑一次', '改革']
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be str, got {type(text).__name__}")
    if not options:
        return default_tokenizer().tokenize(text)
    try:  # reuse a Tokenizer per option set, keeping its token cache warm
        key = tuple(sorted(options.items()))
        tok = _by_options.get(key)
    except TypeError:  # unhashable option values (a list of stopwords)
        key, tok = None, None
    if tok is None:
        tok = Tokenizer(**options)
        if key is not None and len(_by_options) < 32:
            _by_options[key] = tok
    return tok.tokenize(text)


_by_options: dict = {}


def _clear_defaults() -> None:
    global _default
    with _default_lock:
        _default = None
    _by_options.clear()


register_cache("text.default_tokenizers", _clear_defaults)
