"""The shipped rule-of-law lexicon and stopword list.

``data/lexicon.txt`` is a jieba user dictionary (``term freq tag`` per line,
UTF-8, no comments, so jieba's own ``load_userdict`` reads it too).  Its terms
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

DATA_DIR = Path(__file__).resolve().parent / "data"
LEXICON_PATH = DATA_DIR / "lexicon.txt"
STOPWORDS_PATH = DATA_DIR / "stopwords.txt"


def _read_lines(path: Path) -> list[str]:
    return [ln.strip() for ln in Path(path).read_text("utf-8").splitlines()]


@functools.lru_cache(maxsize=8)
def _lexicon_cached(path: str) -> tuple[tuple[str, int, str], ...]:
    entries = []
    for lineno, line in enumerate(_read_lines(Path(path)), 1):
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        if len(parts) > 3:
            raise ValueError(f"{path}:{lineno}: expected 'term [freq] [tag]', got {line!r}")
        term = parts[0]
        freq = int(parts[1]) if len(parts) > 1 else 0
        tag = parts[2] if len(parts) > 2 else ""
        entries.append((term, freq, tag))
    return tuple(entries)


def load_lexicon(path: str | os.PathLike | None = None) -> list[tuple[str, int, str]]:
    """Read a jieba-format user dictionary.

    Parameters
    ----------
    path : str or path-like, optional
        Dictionary file; default: the shipped rule-of-law lexicon.

    Returns
    -------
    list of (term, freq, tag)
        ``freq`` is 0 and ``tag`` is ``""`` where a line omits them.

    Raises
    ------
    ValueError
        On a malformed line.

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
