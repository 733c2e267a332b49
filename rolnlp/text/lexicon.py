"""The shipped rule-of-law lexicon and stopword list.

``data/lexicon.txt`` is a jieba user dictionary (``term freq tag`` per line,
UTF-8, no comments), read exactly as jieba's own ``load_userdict`` reads it.  Its terms
were mined from the corpus with :func:`rolnlp.text.mine.mine_terms` (frequency,
min-split PMI, boundary entropy, codebook cues), reviewed by hand, and each
frequency was set with :func:`rolnlp.text.mine.tune_frequencies` so that jieba
keeps the term whole in the corpus sentences it occurs in.

``data/stopwords.txt`` holds one word per line; lines starting with ``#`` are
comments (the file's header explains which words were left *out* and why).

Example
-------
>>> from rolnlp.text.lexicon import load_lexicon, load_stopwords
>>> "行政复议" in {term for term, _, _ in load_lexicon()}
True
>>> "进一步" in load_stopwords()
True
"""
from __future__ import annotations

import functools
import os
from pathlib import Path

from .._caches import register_cache

DATA_DIR = Path(__file__).resolve().parent / "data"
LEXICON_PATH = DATA_DIR / "lexicon.txt"
STOPWORDS_PATH = DATA_DIR / "stopwords.txt"


def _read_lines(path: Path) -> list[str]:
    return [ln.strip() for ln in Path(path).read_text("utf-8").splitlines()]


@functools.lru_cache(maxsize=8)
def _lexicon_cached(path: str) -> tuple:
    from .backend import parse_userdict

    return tuple(parse_userdict(path))


def load_lexicon(path: str | os.PathLike | None = None) -> list[tuple[str, int | None, str | None]]:
    """Read a jieba-format user dictionary exactly as jieba's ``load_userdict`` does.

    Parameters
    ----------
    path : str or path-like, optional
        Dictionary file (UTF-8, ``word [freq] [tag]`` per line); default: the
        shipped rule-of-law lexicon.

    Returns
    -------
    list of (term, freq, tag)
        ``freq`` is ``None`` where a line omits it (jieba then suggests a
        frequency that keeps the term whole; ``0`` forces a split), ``tag`` is
        ``None`` where a line omits it.

    Raises
    ------
    ValueError
        If the file is not UTF-8.

    Example
    -------
    >>> len(load_lexicon()) >= 300
    True
    """
    return list(_lexicon_cached(str(Path(path or LEXICON_PATH).resolve())))


@functools.lru_cache(maxsize=8)
def _stopwords_cached(path: str) -> frozenset[str]:
    return frozenset(ln for ln in _read_lines(Path(path)) if ln and not ln.startswith("#"))


def load_stopwords(path: str | os.PathLike | None = None) -> frozenset[str]:
    """Read a stopword list (one word per line, ``#`` starts a comment line).

    Parameters
    ----------
    path : str or path-like, optional
        Stopword file; default: the shipped list.

    Returns
    -------
    frozenset of str

    Example
    -------
    >>> "的" in load_stopwords()
    True
    """
    return _stopwords_cached(str(Path(path or STOPWORDS_PATH).resolve()))


def _clear() -> None:
    _lexicon_cached.cache_clear()
    _stopwords_cached.cache_clear()


register_cache("text.lexicon_files", _clear)
