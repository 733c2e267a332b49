"""The one place that touches jieba: private instances, user dictionaries, quiet start-up.

* jieba's global tokenizer (``jieba.dt``) is never used.  Each dictionary
  configuration (a user-dictionary file and extra words) gets one private
  ``jieba.Tokenizer`` per process, built lazily under a lock and shared by
  every :class:`~rolnlp.text.Tokenizer` with that configuration; after it is
  built jieba only reads it, so sharing across threads is safe.  At most
  :data:`MAX_INSTANCES` configurations are kept (each holds ~100 MB); the
  least recently used is dropped first.
* User dictionaries are read exactly as ``jieba.Tokenizer.load_userdict``
  reads them (:func:`parse_userdict`), so a custom dictionary cuts as it does
  in jieba: ``行政执法 0`` forces a split, ``凱特琳 nz`` is a word with a tag
  and a suggested frequency.
* The finished dictionary is cached on disk (:mod:`rolnlp.text.dictcache`).

Example
-------
>>> parse_userdict_lines(["行政执法 0", "凱特琳 nz", "枫桥经验 3 n"])
[('行政执法', 0, None), ('凱特琳', None, 'nz'), ('枫桥经验', 3, 'n')]
"""
from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections import OrderedDict
from typing import Iterable

from .._caches import register_cache
from . import dictcache
from .fastcut import FastCutter

logger = logging.getLogger(__name__)

MAX_INSTANCES = 4  # dictionary configurations kept per process

_lock = threading.Lock()
_log_lock = threading.Lock()
# (user dictionary path, extra words) -> (jieba.Tokenizer, FastCutter), most recent last
_instances: "OrderedDict[tuple, tuple]" = OrderedDict()


@contextlib.contextmanager
def quiet_jieba():
    """Silence jieba's initialisation messages for the duration of the block.

    Raises ``jieba.default_logger`` to WARNING and restores its previous level
    on exit; handlers are left alone.

    Example
    -------
    >>> import jieba
    >>> with quiet_jieba():
    ...     jieba.Tokenizer().initialize()
    """
    import jieba

    with _log_lock:
        jl = jieba.default_logger
        old = jl.level
        jl.setLevel(logging.WARNING)
        try:
            yield
        finally:
            jl.setLevel(old)


def stock_jieba():
    """A new, initialised ``jieba.Tokenizer`` with jieba's own dictionary only.

    Example
    -------
    >>> stock_jieba().lcut("依法行政")
    ['依法行政']
    """
    import jieba

    jb = jieba.Tokenizer()
    with quiet_jieba():
        jb.initialize()
    return jb


def parse_userdict_lines(lines: Iterable[str], name: str = "<lines>") -> list:
    """Entries ``(word, freq or None, tag or None)`` of user-dictionary lines, as jieba reads them.

    Each line is stripped and matched against jieba's ``re_userdict``
    (``word [freq] [tag]``, where the word may hold spaces); blank lines are
    skipped.  Every other line is an entry, as in jieba (there are no comments).

    Parameters
    ----------
    lines : iterable of str
    name : str
        Used in error messages.

    Returns
    -------
    list of (str, int or None, str or None)

    Example
    -------
    >>> parse_userdict_lines(["新 词 5", ""])
    [('新 词', 5, None)]
    """
    import jieba

    out = []
    for i, line in enumerate(lines):
        line = line.strip()
        if i == 0:
            line = line.lstrip("\ufeff")
        if not line:
            continue
        word, freq, tag = jieba.re_userdict.match(line).groups()
        out.append((word, int(freq) if freq is not None else None,
                    tag.strip() if tag is not None else None))
    return out


def parse_userdict(path: "str | os.PathLike") -> list:
    """Read a jieba user-dictionary file (UTF-8) into ``(word, freq, tag)`` entries.

    Raises
    ------
    ValueError
        If the file is not UTF-8 (jieba's own message).

    Example
    -------
    >>> from rolnlp.text.lexicon import LEXICON_PATH
    >>> parse_userdict(LEXICON_PATH)[0][0]  # doctest: +SKIP
    '习近平法治思想'
    """
    with open(path, "rb") as f:
        raw = f.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError(f"dictionary file {os.fspath(path)} must be utf-8") from None
    # jieba strips bytes lines (ASCII whitespace only) before decoding
    return parse_userdict_lines((ln.strip(" \t\n\r\x0b\x0c") for ln in text.split("\n")),
                                os.fspath(path))


def _build(entries: list, words: tuple):
    """An initialised jieba.Tokenizer with ``entries`` then ``words`` added, as add_word would."""
    import jieba

    inst = jieba.Tokenizer()
    key = dictcache.cache_key(entries, words)
    cached = dictcache.load(key)
    if cached is not None:
        inst.FREQ, inst.total = cached
        inst.initialized = True
        for term, _freq, tag in entries:
            if tag:
                inst.user_word_tag_tab[term] = tag
        for term in [e[0] for e in entries] + list(words):
            if inst.FREQ.get(term) == 0:  # what add_word(term, 0) does
                jieba.finalseg.add_force_split(term)
        return inst
    with quiet_jieba():
        inst.initialize()
    for term, freq, tag in entries:
        inst.add_word(term, freq, tag)
    for term in words:
        inst.add_word(term)
    dictcache.save(key, inst.FREQ, inst.total)
    return inst


def instance(userdict: str, words: tuple) -> tuple:
    """``(jieba.Tokenizer, FastCutter)`` for a configuration, built once per process.

    Parameters
    ----------
    userdict : str
        Path of a jieba user dictionary, or ``""`` for jieba's own dictionary only.
    words : tuple of str
        Extra words, added after the dictionary with jieba's suggested frequency.

    Example
    -------
    >>> jb, cutter = instance("", ())
    >>> cutter.cut("依法行政") == jb.lcut("依法行政")
    True
    """
    key = (userdict, words)
    with _lock:
        hit = _instances.get(key)
        if hit is not None:
            _instances.move_to_end(key)
            return hit
        entries = parse_userdict(userdict) if userdict else []
        jb = _build(entries, words)
        hit = _instances[key] = (jb, FastCutter(jb, cache_key=dictcache.cache_key(entries, words)))
        while len(_instances) > MAX_INSTANCES:
            _instances.popitem(last=False)
        logger.debug("jieba instance built: %d dictionary entries, %d extra words",
                     len(entries), len(words))
        return hit


def cached_instances() -> int:
    """How many dictionary configurations are loaded now.

    Example
    -------
    >>> cached_instances() <= MAX_INSTANCES
    True
    """
    return len(_instances)


def _clear() -> None:
    with _lock:
        _instances.clear()


def clear_cut_caches() -> None:
    """Empty the cut-result caches of every loaded instance (dictionaries stay loaded).

    Example
    -------
    >>> clear_cut_caches()
    """
    with _lock:
        cutters = [c for _, c in _instances.values()]
    for c in cutters:
        c.clear()


register_cache("text.jieba_instances", _clear)
register_cache("text.cut_results", clear_cut_caches)
