"""An on-disk cache of the jieba prefix dictionary with rolnlp's lexicon added.

Starting a tokenizer costs jieba's prefix-dictionary load: about 500,000
``word -> frequency`` entries, which jieba keeps as a marshal file in the temp
dir and loads in ~0.9 s, after which every lexicon term is added one by one.
This module stores the *finished* dictionary (jieba's plus the lexicon) in a
layout that loads about three times faster: the words as one UTF-8 text
joined by newlines, split in C, and the frequencies as one int64 array.

* Where: ``$ROLNLP_CACHE_DIR`` if set (``off`` turns the cache off), else
  the platform's user cache directory (``~/.cache/rolnlp`` on Linux,
  ``~/Library/Caches/rolnlp`` on macOS, ``%LOCALAPPDATA%\\rolnlp\\Cache``
  on Windows), created with mode 0700.
* The file name is a SHA-256 over everything the dictionary depends on: this
  format, the jieba version, jieba's ``dict.txt`` (path, size, mtime), the
  dictionary entries and the extra words.  A change to any of them is a new
  file; nothing is ever updated in place.
* Bounded: at most :data:`MAX_FILES` dictionaries are kept (each ~9 MB; every
  new environment or lexicon makes a new one); the least recently used are
  removed when a new one is written.
* Reading never executes anything (no pickle, no marshal) and never trusts the
  file: the header is read first (at most 4 KB), its sizes are checked against
  limits and against the file's size before the body is read, and any
  damaged, foreign or oversized file is ignored (the dictionary is then
  rebuilt and the file rewritten).  An unwritable cache directory only makes
  start-up slower; it never stops tokenizing.

Example
-------
>>> key = cache_key([], ())  # jieba's own dictionary, no lexicon
>>> len(key)
64
"""
from __future__ import annotations

import array
import contextlib
import hashlib
import json
import logging
import os
import sys
import time
from pathlib import Path

from .._io import atomic_write

logger = logging.getLogger(__name__)

FORMAT = b"rolnlp-prefix-dict 2\n"
_MAX_HEADER = 4096
MAX_FILES = 4  # dictionaries kept in the cache directory
_MAX_ENTRIES = 5_000_000  # jieba's own dictionary has ~0.6 million
_MAX_TEXT_BYTES = 256 << 20
_STALE_TMP_SECONDS = 3600


def cache_dir():
    """The cache directory (created on first write), or None when caching is off.

    Example
    -------
    >>> cache_dir() is None or cache_dir().name in ("rolnlp", "Cache")  # doctest: +SKIP
    True
    """
    env = os.environ.get("ROLNLP_CACHE_DIR")
    if env is not None:
        if env.strip().lower() in ("", "0", "off", "none", "false"):
            return None
        return Path(env)
    try:
        import platformdirs
    except ImportError:  # a minimal install: follow the XDG convention
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        return Path(base) / "rolnlp"
    return Path(platformdirs.user_cache_dir("rolnlp", appauthor=False))


def cache_key(entries, words) -> str:
    """SHA-256 naming the dictionary built from jieba's dict, user-dictionary entries and extra words.

    Parameters
    ----------
    entries : list of (word, freq or None, tag or None)
        As :func:`rolnlp.text.backend.parse_userdict` returns them.
    words : iterable of str

    Example
    -------
    >>> cache_key([("法治", 5, None)], ()) == cache_key([("法治", 5, None)], ())
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
    h.update(json.dumps([getattr(jieba, "__version__", "?"), stamp, [list(e) for e in entries],
                         list(words)], ensure_ascii=False).encode("utf-8"))
    return h.hexdigest()


def _path(key: str):
    d = cache_dir()
    return None if d is None else d / f"prefix-{key[:32]}.dict"


def load(key: str):
    """``(freq, total)`` from the cache, or None if absent, off, damaged, foreign or oversized.

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
            head, body_start, n, total, n_text = _read_header(f, key)
            size = os.fstat(f.fileno()).st_size
            if size != body_start + n_text + 8 * n:
                raise ValueError("file size does not match its header")
            f.seek(body_start)
            data = f.read(n_text + 8 * n)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, UnicodeDecodeError, KeyError, TypeError, RecursionError) as e:
        logger.info("ignoring damaged tokenizer cache %s (%s)", path, e)
        return None
    try:
        result = _decode(data, n, n_text, total)
    except (ValueError, UnicodeDecodeError) as e:
        logger.info("ignoring damaged tokenizer cache %s (%s)", path, e)
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # mark as used, for pruning
    return result


def _read_header(f, key: str):
    start = f.read(len(FORMAT) + _MAX_HEADER + 1)
    if not start.startswith(FORMAT):
        raise ValueError("not a rolnlp prefix-dict file")
    pos = len(FORMAT)
    end = start.find(b"\n", pos)
    if end < 0:
        raise ValueError("header too long")
    head = json.loads(start[pos:end].decode("utf-8"))
    if not isinstance(head, dict):
        raise ValueError("header is not an object")
    n, total, n_text = head.get("n"), head.get("total"), head.get("text_bytes")
    if not all(type(v) is int for v in (n, total, n_text)):
        raise ValueError("header sizes are not integers")
    if head.get("key") != key or not (0 < n <= _MAX_ENTRIES) or total <= 0 \
            or not (0 < n_text <= _MAX_TEXT_BYTES):
        raise ValueError("header does not match")
    return head, end + 1, n, total, n_text


def _decode(data: bytes, n: int, n_text: int, total: int):
    words = data[:n_text].decode("utf-8").split("\n")
    freqs = array.array("q")
    freqs.frombytes(data[n_text:])
    if sys.byteorder != "little":
        freqs.byteswap()
    if len(words) != n or len(freqs) != n:
        raise ValueError("word and frequency counts differ")
    freq = dict(zip(words, freqs))
    if len(freq) != n:
        raise ValueError("duplicate words")
    return freq, total


def save(key: str, freq: dict, total: int) -> None:
    """Write ``(freq, total)`` to the cache atomically and prune old files; never raises.

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
        return
    prune(path.parent, keep=path)


def prune(directory, *, keep=None, max_files: int = MAX_FILES) -> list:
    """Remove all but the ``max_files`` most recently used dictionaries in ``directory``.

    Also removes temporary files an interrupted write left behind (older than
    an hour).  Failures are logged, never raised.

    Parameters
    ----------
    directory : path-like
    keep : path-like, optional
        A file never removed (the one just written).
    max_files : int, default MAX_FILES

    Returns
    -------
    list of Path
        The files removed.

    Example
    -------
    >>> prune("/nonexistent/dir")
    []
    """
    directory = Path(directory)
    removed = []
    try:
        files = []
        now = time.time()
        for p in directory.iterdir():
            st = p.lstat()
            if p.name.startswith("prefix-") and p.name.endswith(".dict"):
                files.append((st.st_mtime, p))
            elif p.name.startswith(".tmp-") and now - st.st_mtime > _STALE_TMP_SECONDS:
                files.append((float("-inf"), p))
    except OSError:
        return removed
    files.sort(reverse=True)
    kept = 0
    kept_names = set()
    for _mtime, p in files:
        if p.name.startswith("prefix-") and (kept < max_files or (keep and p == Path(keep))):
            kept += 1
            kept_names.add(p.name[len("prefix-"):-len(".dict")])
            continue
        try:
            p.unlink()
            removed.append(p)
        except OSError as e:
            logger.info("cannot remove old tokenizer cache %s: %s", p, e)
    # the compiled route's packed form of a dictionary goes with it
    try:
        routes = [p for p in directory.iterdir()
                  if p.name.startswith("route-") and p.name.endswith(".npz")
                  and p.name[len("route-"):-len(".npz")] not in kept_names]
    except OSError:
        routes = []
    for p in routes:
        try:
            p.unlink()
            removed.append(p)
        except OSError as e:
            logger.info("cannot remove old tokenizer cache %s: %s", p, e)
    return removed
