"""Sentences of a report and their comparable core.

Shared by text reuse (``rolnlp.analysis.reuse``) and the year-over-year audit
(``rolnlp.audit.yoy``), which sit in different layers; both need the same
notion of a sentence so that their counts agree.

Sentences end after 。；！？ (or a line break).  :func:`normalize` keeps CJK,
letters and digits only and writes a run of digits as ``0`` so that template
sentences differing only in figures compare equal; :func:`shingles` gives the
character n-grams that near-duplicate matching works on.
"""
from __future__ import annotations

import re

_SENT_END = re.compile(r"[。；！？!?;]+|\n+")
_NON_WORD = re.compile(r"[^0-9a-z\u3400-\u9fff\uf900-\ufaff]+")
_DIGITS = re.compile(r"[0-9]+")


def split_sentences(text):
    """Sentences of ``text`` as ``(start, end, sentence)``, ending after 。；！？.

    Offsets index ``text``; surrounding whitespace is left out.

    Parameters
    ----------
    text : str

    Returns
    -------
    list of tuple
        ``(start, end, sentence)`` with ``text[start:end] == sentence``.

    Example
    -------
    >>> split_sentences("一是立规矩。二是强监督；")
    [(0, 6, '一是立规矩。'), (6, 12, '二是强监督；')]
    """
    out = []
    pos = 0
    for m in _SENT_END.finditer(text):
        _add(text, pos, m.end(), out)
        pos = m.end()
    _add(text, pos, len(text), out)
    return out


def _add(text, start, end, out):
    seg = text[start:end]
    stripped = seg.strip()
    if stripped:
        s = start + (len(seg) - len(seg.lstrip()))
        out.append((s, s + len(stripped), stripped))


def normalize(sentence):
    """The comparable core of a sentence: CJK/letters/digits, digit runs as ``0``.

    Parameters
    ----------
    sentence : str

    Returns
    -------
    str

    Example
    -------
    >>> normalize("办理行政复议案件 123 件。")
    '办理行政复议案件0件'
    """
    return _DIGITS.sub("0", _NON_WORD.sub("", sentence.lower()))


def shingles(norm, n):
    """The set of character ``n``-grams of a normalised sentence.

    Parameters
    ----------
    norm : str
        Output of :func:`normalize`.
    n : int
        n-gram length; a sentence no longer than ``n`` is its own single gram.

    Returns
    -------
    frozenset of str

    Example
    -------
    >>> sorted(shingles("依法行政", 3))
    ['依法行', '法行政']
    """
    if len(norm) <= n:
        return frozenset([norm])
    return frozenset(norm[i:i + n] for i in range(len(norm) - n + 1))
