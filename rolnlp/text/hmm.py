"""jieba's HMM word joiner (``jieba.finalseg.cut``) in linear time, same output.

jieba's Viterbi copies the whole best path of each state at every character
(``newpath[y] = path[state] + [y]``), so a run of n characters the dictionary
does not know costs O(n²): a 200,000-character run of one character takes
minutes.  This version keeps one back-pointer per state and character and
walks back once at the end.  The scores are the same float additions in the
same order and ties are broken the same way (``max`` over ``(score, state)``
tuples), so the chosen path, and therefore every token, is jieba's.

Example
-------
>>> import jieba.finalseg
>>> text = "他来到了网易杭研大厦"
>>> cut(text) == list(jieba.finalseg.cut(text))
True
"""
from __future__ import annotations

import re

from jieba import finalseg

_STATES = "BMES"
_MIN_FLOAT = finalseg.MIN_FLOAT
_PREV = finalseg.PrevStatus
_RE_HAN = re.compile("([\u4E00-\u9FD5]+)")
_RE_SKIP = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")


def _viterbi(obs: str) -> list[str]:
    """The most probable B/M/E/S tag per character, as ``finalseg.viterbi`` finds it."""
    start_p, trans_p, emit_p = finalseg.start_P, finalseg.trans_P, finalseg.emit_P
    prev = {y: [(y0, trans_p[y0].get(y, _MIN_FLOAT)) for y0 in _PREV[y]] for y in _STATES}
    emit = {y: emit_p[y] for y in _STATES}
    v = {y: start_p[y] + emit[y].get(obs[0], _MIN_FLOAT) for y in _STATES}
    back: list[dict] = []
    for ch in obs[1:]:
        nv = {}
        ptr = {}
        for y in _STATES:
            em_p = emit[y].get(ch, _MIN_FLOAT)
            prob, state = max([(v[y0] + tp + em_p, y0) for y0, tp in prev[y]])
            nv[y] = prob
            ptr[y] = state
        back.append(ptr)
        v = nv
    _, state = max((v[y], y) for y in "ES")
    tags = [state]
    for ptr in reversed(back):
        state = ptr[state]
        tags.append(state)
    tags.reverse()
    return tags


def _cut_han(sentence: str):
    tags = _viterbi(sentence)
    begin = nexti = 0
    for i, pos in enumerate(tags):
        if pos == "B":
            begin = i
        elif pos == "E":
            yield sentence[begin:i + 1]
            nexti = i + 1
        elif pos == "S":
            yield sentence[i]
            nexti = i + 1
    if nexti < len(sentence):
        yield sentence[nexti:]


def cut(sentence: str) -> list[str]:
    """Tokens of ``sentence`` exactly as ``list(jieba.finalseg.cut(sentence))``.

    Parameters
    ----------
    sentence : str
        Characters jieba's dictionary route left single.

    Returns
    -------
    list of str

    Example
    -------
    >>> cut("杭研")
    ['杭研']
    """
    force = finalseg.Force_Split_Words
    out: list[str] = []
    for blk in _RE_HAN.split(sentence):
        if _RE_HAN.match(blk):
            for word in _cut_han(blk):
                if word not in force:
                    out.append(word)
                else:
                    out.extend(word)
        else:
            out.extend(x for x in _RE_SKIP.split(blk) if x)
    return out
