"""jieba's dictionary route compiled with numba (the optional ``rolnlp[fast]`` extra).

:class:`~rolnlp.text.fastcut.FastCutter` spends most of its time finding
jieba's best route through each block of word characters: one dictionary
lookup per fragment, in the interpreter.  :class:`CompiledRoute` does the
same computation in machine code over

* the block's code points (one ``int32`` array for all the blocks of a call),
* the prefix dictionary packed as a trie: every key of ``jieba.FREQ`` is a
  node (jieba stores every prefix of every word, so the keys close under
  prefixes), children sorted by code point, and each node's score
  ``log(freq) - log(total)`` computed by Python's ``math.log`` exactly as
  jieba computes it.

The route adds and compares the same float64 numbers in the same order as
jieba (``score = logp + score[i + 1]``; on a tie the longer word wins), so the
tokens are jieba's bit for bit; the differential tests compare the two on
random and corpus text.  Runs of single characters the dictionary does not
know are handed back to Python for jieba's HMM, exactly as jieba does.

Nothing here is used unless numba is installed (``pip install rolnlp[fast]``);
``ROLNLP_COMPILED=off`` turns it off.  numba is imported and the trie built
only once a cutter has cut :data:`THRESHOLD` characters, so short jobs (one
paragraph from a fresh process) never pay for either; the machine code is
cached on disk by numba (``cache=True``).

Example
-------
>>> from rolnlp.text.backend import stock_jieba
>>> jb = stock_jieba()
>>> route = CompiledRoute(jb.FREQ, jb.total) if available() else None  # doctest: +SKIP
"""
from __future__ import annotations

import importlib.util
import logging
import os
from math import log

logger = logging.getLogger(__name__)

#: characters a cutter cuts in Python before it switches to the compiled route
THRESHOLD = 200_000

_kernel = None


def available() -> bool:
    """True if numba is installed and ``ROLNLP_COMPILED`` does not turn the compiled route off.

    Example
    -------
    >>> isinstance(available(), bool)
    True
    """
    if os.environ.get("ROLNLP_COMPILED", "").strip().lower() in ("0", "off", "false", "no"):
        return False
    return importlib.util.find_spec("numba") is not None


def _compile():
    """The numba kernel (imports numba; numba compiles it or loads it from its cache)."""
    global _kernel
    if _kernel is None:
        from ._route_kernel import cut_text

        _kernel = cut_text
    return _kernel


_TRIE_ARRAYS = ("root", "cstart", "ccp", "cid", "logp", "known")


def _build_trie(freq: dict, total: int) -> dict:
    """The prefix dictionary as trie arrays (see :class:`CompiledRoute`)."""
    import numpy as np

    keys = [k for k in freq if k]
    index = dict(zip(keys, range(len(keys))))
    n = len(keys)
    # keys in order of length, so a node's parent is settled before it
    order = sorted(range(n), key=lambda i: len(keys[i]))
    node_of = [-1] * n  # key index -> node id (-1: unreachable)
    parents, cps, freqs = [], [], []
    for i in order:
        k = keys[i]
        if len(k) == 1:
            p = -1
        else:
            j = index.get(k[:-1])
            if j is None or node_of[j] < 0:
                continue  # jieba's walk stops before reaching it
            p = node_of[j]
        node_of[i] = len(parents)
        parents.append(p)
        cps.append(ord(k[-1]))
        freqs.append(freq[k])
    parents = np.asarray(parents, np.int64)
    cps = np.asarray(cps, np.int64)
    freqs = np.asarray(freqs, np.int64)
    m = len(parents)
    top = parents < 0
    root = np.full(int(cps[top].max()) + 1 if top.any() else 1, -1, np.int64)
    root[cps[top]] = np.nonzero(top)[0]
    sub = np.nonzero(~top)[0]
    sub = sub[np.lexsort((cps[sub], parents[sub]))]
    cstart = np.zeros(m + 1, np.int64)
    np.add.at(cstart, parents[sub] + 1, 1)
    np.cumsum(cstart, out=cstart)
    # log(freq) - log(total) with Python's math.log, once per distinct frequency
    logtotal = log(total)
    uniq, inv = np.unique(freqs, return_inverse=True)
    table = np.array([log(int(f)) - logtotal if f > 0 else 0.0 for f in uniq], np.float64)
    return {"root": root, "cstart": cstart, "ccp": cps[sub].astype(np.int32),
            "cid": sub.astype(np.int64), "logp": table[inv.reshape(-1)], "known": freqs > 0}


def _trie_path(cache_key: str):
    from .dictcache import cache_dir

    d = cache_dir()
    return None if d is None else d / f"route-{cache_key[:32]}.npz"


def _save_trie(cache_key: str, n_keys: int, total: int, arrays: dict) -> None:
    """Write the trie beside the dictionary cache, atomically; never raises."""
    import numpy as np

    from .._io import atomic_write

    path = _trie_path(cache_key)
    if path is None:
        return
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with atomic_write(path, "wb") as f:
            np.savez(f, meta=np.array([n_keys, total], np.int64), **arrays)
    except (OSError, ValueError) as e:
        logger.info("cannot write compiled-route cache %s: %s", path, e)


def _load_trie(cache_key: str, n_keys: int, total: int):
    """The cached trie, or None if absent, foreign or damaged.

    Nothing is executed (no pickle) and every index the kernel follows is
    range-checked first: the kernel reads without bounds checks.
    """
    import zipfile

    import numpy as np

    path = _trie_path(cache_key)
    if path is None or not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as z:
            meta = z["meta"]
            a = {k: z[k] for k in _TRIE_ARRAYS}
        dtypes = {"root": np.int64, "cstart": np.int64, "ccp": np.int32, "cid": np.int64,
                  "logp": np.float64, "known": np.bool_}
        m = len(a["known"])
        ok = (meta.tolist() == [n_keys, total]
              and all(a[k].dtype == t and a[k].ndim == 1 for k, t in dtypes.items())
              and len(a["logp"]) == m and len(a["cstart"]) == m + 1
              and len(a["ccp"]) == len(a["cid"]) == int(a["cstart"][-1]) and a["cstart"][0] == 0
              and bool((np.diff(a["cstart"]) >= 0).all())
              and bool(((a["cid"] >= 0) & (a["cid"] < m)).all())
              and bool(((a["root"] >= -1) & (a["root"] < m)).all()) and len(a["root"]) > 0)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, EOFError) as e:
        logger.info("ignoring damaged compiled-route cache %s (%s)", path, e)
        return None
    if not ok:
        logger.info("ignoring foreign compiled-route cache %s", path)
        return None
    return a


class CompiledRoute:
    """jieba's accurate-mode cut of word-character blocks, compiled.

    Parameters
    ----------
    freq : dict
        ``jieba.Tokenizer.FREQ`` (word or prefix -> frequency), final.
    total : int
        ``jieba.Tokenizer.total``.
    cache_key : str, optional
        :func:`rolnlp.text.dictcache.cache_key` of the dictionary: the packed
        trie is then kept in the dictionary cache directory and read back
        (validated) by later processes instead of being rebuilt (~1 s).

    Example
    -------
    >>> from rolnlp.text.backend import stock_jieba
    >>> jb = stock_jieba()
    >>> CompiledRoute(jb.FREQ, jb.total).cut("依法行政。", True)[0]  # doctest: +SKIP
    [4, 5]
    """

    def __init__(self, freq: dict, total: int, cache_key: "str | None" = None):
        import numpy as np

        self._cut = _compile()
        arrays = _load_trie(cache_key, len(freq), total) if cache_key else None
        if arrays is None:
            arrays = _build_trie(freq, total)
            if cache_key:
                _save_trie(cache_key, len(freq), total, arrays)
        self._root, self._cstart, self._ccp, self._cid, self._logp, self._known = (
            arrays[k] for k in _TRIE_ARRAYS)
        self._unknown = log(1) - log(total)
        self.nodes = len(self._known)
        # jieba's HMM (finalseg), states in letter order B, E, M, S; characters
        # outside finalseg's Han range never reach it
        from jieba import finalseg

        from ._route_kernel import _HAN_HI, _HAN_LO

        states = "BEMS"
        self._start_p = np.array([finalseg.start_P[y] for y in states], np.float64)
        self._trans = np.full((4, 4), finalseg.MIN_FLOAT, np.float64)
        for i, y0 in enumerate(states):
            for j, y in enumerate(states):
                self._trans[i, j] = finalseg.trans_P[y0].get(y, finalseg.MIN_FLOAT)
        self._emit = np.full((4, _HAN_HI - _HAN_LO + 1), finalseg.MIN_FLOAT, np.float64)
        for i, y in enumerate(states):
            for ch, p in finalseg.emit_P[y].items():
                if len(ch) == 1 and _HAN_LO <= ord(ch) <= _HAN_HI:
                    self._emit[i, ord(ch) - _HAN_LO] = p

    def cut(self, text: str, hmm: bool) -> tuple:
        """``(ends, kinds)`` of jieba's tokens: token ``t`` is ``text[ends[t - 1]:ends[t]]``.

        Parameters
        ----------
        text : str
        hmm : bool

        Returns
        -------
        (list of int, numpy.ndarray)
            Token ends, and kinds (2: a word jieba's HMM joined).
        """
        import numpy as np

        # one code point per str index, lone surrogates included
        cps = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32)
        ends, kinds = self._cut(cps, bool(hmm), self._root, self._cstart, self._ccp, self._cid,
                                self._logp, self._known, self._unknown, self._emit,
                                self._start_p, self._trans)
        return ends.tolist(), kinds
