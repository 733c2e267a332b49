"""An on-disk cache of the jieba prefix dictionary with rolnlp's lexicon added.

Starting a tokenizer costs jieba's prefix-dictionary load: about 500,000
``word -> frequency`` entries, which jieba keeps as a marshal file in the temp
dir and loads in ~0.9 s, after which every lexicon term is added one by one.
This module stores the *finished* dictionary (jieba's plus the lexicon) in a
layout that loads about three times faster: the words as one UTF-8 text
joined by newlines, split in C, and the frequencies as one int64 array.

* The file name is a SHA-256 over everything the dictionary depends on: this
  format, the jieba version, jieba's ``dict.txt`` (path, size, mtime), the
  lexicon file's bytes and the extra words.  A change to any of them is a new
  file; nothing is ever updated in place.
* Files are written atomically (:func:`rolnlp._io.atomic_write`) in
  ``$ROLNLP_CACHE_DIR``, else ``$XDG_CACHE_HOME/rolnlp`` or
  ``~/.cache/rolnlp`` (created with mode 0700).  ``ROLNLP_CACHE_DIR=off``
  turns the cache off.
* Reading never executes anything (no pickle, no marshal): a header, a
  string and an array are checked for consistency, and any damaged or foreign
  file is ignored (the dictionary is then rebuilt and the file rewritten).

Example
-------
>>> key = cache_key("", ())  # jieba's own dictionary, no lexicon
>>> len(key)
64
"""
from __future__ import annotations

import array
import hashlib
import json
import logging
import os
import sys
from pathlib import Path

from .._io import atomic_write

logger = logging.getLogger(__name__)

FORMAT = b"rolnlp-prefix-dict 1\n"
_MAX_HEADER = 4096


def cache_dir():
    """The cache directory (created on first write), or None when caching is off.

    Example
    -------
    >>> cache_dir() is None or cache_dir().name  # doctest: +SKIP
    'rolnlp'
    """
    env = os.environ.get("ROLNLP_CACHE_DIR")
    if env is not None:
        if env.strip().lower() in ("", "0", "off", "none", "false"):
            return None
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "rolnlp"


def cache_key(lexicon_path: str, words) -> str:
    """SHA-256 naming the dictionary built from jieba's dict, a lexicon file and extra words.

    Example
    -------
    >>> cache_key("", ()) == cache_key("", ())
    True
    """
    import jieba

    h = hashlib.sha256(FORMAT)
    dict_txt = os.path.join(os.path.dirname(os.path.abspath(jieba.__file__)), "dict.txt")
    try:
        st = os.stat(dict_txt)
        stamp = [dict_txt, st.st_size, st.st_mtime_ns]
    except OSError:
        stamp = [dict_txt]
    h.update(json.dumps([getattr(jieba, "__version__", "?"), stamp, list(words)],
                        ensure_ascii=False).encode("utf-8"))
    if lexicon_path:
        h.update(b"\0lexicon\0")
        h.update(Path(lexicon_path).read_bytes())
    return h.hexdigest()


def _path(key: str):
    d = cache_dir()
    return None if d is None else d / f"prefix-{key[:32]}.dict"


def load(key: str):
    """``(freq, total)`` from the cache, or None if absent, off, damaged or foreign.

    Example
    -------
    >>> load("0" * 64) is None
    True
    """
    path = _path(key)
    if path is None:
        return None
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return None
    try:
        return _decode(data, key)
    except (ValueError, UnicodeDecodeError, KeyError, TypeError) as e:
        logger.info("ignoring damaged tokenizer cache %s (%s)", path, e)
        return None


def _decode(data: bytes, key: str):
    if not data.startswith(FORMAT):
        raise ValueError("not a rolnlp prefix-dict file")
    pos = len(FORMAT)
    end = data.index(b"\n", pos, pos + _MAX_HEADER)
    head = json.loads(data[pos:end].decode("utf-8"))
    n, total, n_text = int(head["n"]), int(head["total"]), int(head["text_bytes"])
    if head["key"] != key or n <= 0 or total <= 0 or n_text <= 0:
        raise ValueError("header does not match")
    text_start = end + 1
    freq_start = text_start + n_text
    if len(data) != freq_start + 8 * n:
        raise ValueError("truncated")
    words = data[text_start:freq_start].decode("utf-8").split("\n")
    freqs = array.array("q")
    freqs.frombytes(data[freq_start:])
    if sys.byteorder != "little":
        freqs.byteswap()
    if len(words) != n or len(freqs) != n:
        raise ValueError("word and frequency counts differ")
    freq = dict(zip(words, freqs))
    if len(freq) != n:
        raise ValueError("duplicate words")
    return freq, total


def save(key: str, freq: dict, total: int) -> None:
    """Write ``(freq, total)`` to the cache atomically; failures are logged, not raised.

    Example
    -------
    >>> save("0" * 64, {"法治": 5}, 5)  # doctest: +SKIP
    """
    path = _path(key)
    if path is None or not freq or any("\n" in w for w in freq):
        return
    text = "\n".join(freq).encode("utf-8")
    freqs = array.array("q", freq.values())
    if sys.byteorder != "little":
        freqs.byteswap()
    head = json.dumps({"key": key, "n": len(freq), "total": int(total),
                       "text_bytes": len(text)}).encode("utf-8")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with atomic_write(path, "wb") as f:
            f.write(FORMAT + head + b"\n")
            f.write(text)
            f.write(freqs.tobytes())
    except OSError as e:  # a read-only home must not stop tokenizing
        logger.info("cannot write tokenizer cache %s: %s", path, e)
