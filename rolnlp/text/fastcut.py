"""A faster drop-in for ``jieba.Tokenizer.cut`` with exactly the same output.

jieba's accurate mode cuts each run of word characters (a *block*) on its
own: it builds a dictionary DAG over the block, finds the most probable route
with ``log(freq) - log(total)`` scores, and hands runs of single characters
the dictionary does not know to its HMM.  :class:`FastCutter` does the same
computation with less interpreter work:

* the DAG and the route are computed in one backward pass, with plain lists
  instead of a DAG dict and a generator of tuples per position;
* ``log(freq) - log(total)`` is computed once per dictionary word and kept
  (the same two float operations in the same order, so scores, ties and the
  chosen route are bit-for-bit jieba's);
* blocks and HMM runs already cut are remembered (bounded caches): official
  reports repeat a great many clauses, and a block's tokens depend on the
  block alone;
* with numba installed (``pip install rolnlp[fast]``) the whole cut, HMM
  included, runs as compiled code once a cutter has cut
  :data:`rolnlp.text.compiled.THRESHOLD` characters (same tokens; see
  :mod:`rolnlp.text.compiled`).

The cutter reads the jieba instance's dictionary and never changes it; it
must not be shared with code that adds words to that instance afterwards
(rolnlp's private instances are complete before a cutter is made).

Example
-------
>>> from rolnlp.text.backend import stock_jieba
>>> jb = stock_jieba()
>>> FastCutter(jb).cut("推进法治政府建设") == jb.lcut("推进法治政府建设")
True
"""
from __future__ import annotations

import logging
import threading
from math import log

from .._caches import TwoGenerations
from . import compiled as _compiled, hmm

logger = logging.getLogger(__name__)

_CACHE_LIMIT = 100_000  # entries per cache generation
_MAX_CACHED_BLOCK = 64  # longer blocks are rarely repeated
_MISS = object()


class FastCutter:
    """Cut text like ``jieba_instance.lcut(text, HMM=hmm)``, faster.

    Parameters
    ----------
    jb : jieba.Tokenizer
        An initialised instance whose dictionary is final.
    compiled : bool or None, default None
        Use the compiled route of :mod:`rolnlp.text.compiled` (needs numba,
        ``pip install rolnlp[fast]``; same tokens).  None: once this cutter
        has cut ``compiled.THRESHOLD`` characters, if numba is installed;
        True: from the start, if numba is installed; False: never.
    cache_key : str, optional
        The dictionary's :func:`rolnlp.text.dictcache.cache_key`, so that the
        compiled route's packed dictionary is cached on disk too.

    Notes
    -----
    Safe to share between threads: the caches only ever map a key to the one
    value it always has, so a lost race just computes a block twice.

    Example
    -------
    >>> from rolnlp.text.backend import stock_jieba
    >>> FastCutter(stock_jieba()).cut("依法行政")
    ['依法行政']
    """

    def __init__(self, jb, compiled: "bool | None" = None, cache_key: "str | None" = None):
        import jieba
        from jieba import finalseg

        if not jb.initialized:
            raise ValueError("the jieba instance must be initialised first "
                             "(see rolnlp.text.backend.stock_jieba)")
        self._freq = jb.FREQ
        self._total = jb.total
        self._logtotal = log(jb.total)
        self._finalseg = finalseg
        self._re_han = jieba.re_han_default
        self._re_skip = jieba.re_skip_default
        self._re_eng = jieba.re_eng
        # dictionary fragment -> log(freq) - log(total), or None for a bare prefix
        self._logp: dict = {}
        self._blocks = TwoGenerations(_CACHE_LIMIT)
        self._hmm = TwoGenerations(_CACHE_LIMIT)
        # the HMM splits words jieba was told to split (del_word / freq 0);
        # that global set only grows, so its size tells when caches went stale
        self._n_force = len(finalseg.Force_Split_Words)
        # the compiled route (rolnlp[fast]), switched on once enough text was cut
        self._compiled = None
        self._parked = None  # a compiled route switched off by use_compiled(False)
        self._cache_key = cache_key
        use = compiled is not False and _compiled.available()
        self._python_chars = 0 if use else -1
        self._compile_lock = threading.Lock()
        if use and compiled:
            self._switch_to_compiled()

    def _switch_to_compiled(self) -> None:
        with self._compile_lock:
            if self._compiled is not None or self._python_chars < 0:
                return
            try:
                self._compiled = _compiled.CompiledRoute(self._freq, self._total,
                                                         self._cache_key)
            except Exception as e:  # a broken numba install must not stop tokenizing
                logger.warning("compiled route unavailable, cutting in Python: %s", e)
            else:
                self.clear()  # the Python route's caches are not used any more
            self._python_chars = -1

    def use_compiled(self, enabled: bool) -> bool:
        """Switch the compiled route on now (if numba is installed) or off for good.

        Returns
        -------
        bool
            Whether the compiled route is in use afterwards.

        Example
        -------
        >>> from rolnlp.text.backend import stock_jieba
        >>> FastCutter(stock_jieba()).use_compiled(False)
        False
        """
        with self._compile_lock:
            if not enabled:
                if self._compiled is not None:
                    self._parked = self._compiled  # kept: switching back costs nothing
                self._compiled = None
                self._python_chars = -1
                return False
            if self._compiled is None and self._parked is not None:
                self._compiled, self._parked = self._parked, None
        if self._compiled is None and _compiled.available():
            self._python_chars = 0
            self._switch_to_compiled()
        return self._compiled is not None

    @property
    def is_compiled(self) -> bool:
        """True once this cutter computes routes with the compiled kernel."""
        return self._compiled is not None

    def clear(self) -> None:
        """Forget every cut block and HMM run (the dictionary is untouched).

        Example
        -------
        >>> from rolnlp.text.backend import stock_jieba
        >>> FastCutter(stock_jieba()).clear()
        """
        self._blocks.clear()
        self._hmm.clear()
        self._logp.clear()

    def _route(self, s: str) -> list:
        """``nxt[i]``: end index (inclusive) of the word starting at ``i`` on jieba's best route."""
        freq = self._freq
        logp = self._logp
        logtotal = self._logtotal
        n = len(s)
        score = [0.0] * (n + 1)
        nxt = [0] * n
        unknown = log(1) - logtotal  # jieba: log(FREQ.get(w) or 1) - logtotal
        for k in range(n - 1, -1, -1):
            best = None
            bx = k
            i = k
            frag = s[k]
            while True:
                # one lookup per dictionary fragment once it has been seen
                lp = logp.get(frag, _MISS)
                if lp is _MISS:
                    f = freq.get(frag)
                    if f is None:  # not even a prefix of a word: no longer word here
                        break
                    lp = logp[frag] = (log(f) - logtotal) if f else None
                if lp is not None:
                    sc = lp + score[i + 1]
                    # jieba takes max((score, end)): on a tie the longer word wins
                    if best is None or sc >= best:
                        best, bx = sc, i
                i += 1
                if i >= n:
                    break
                frag = s[k:i + 1]
            if best is None:
                best = unknown + score[k + 1]
            score[k] = best
            nxt[k] = bx
        return nxt

    def _hmm_cut(self, buf: str):
        if len(buf) > _MAX_CACHED_BLOCK:
            return hmm.cut(buf)
        out = self._hmm.get(buf)
        if out is None:
            out = self._hmm.put(buf, tuple(hmm.cut(buf)))
        return out

    def _flush(self, buf: str, out: list) -> None:
        if len(buf) == 1:
            out.append(buf)
        elif not self._freq.get(buf):
            out.extend(self._hmm_cut(buf))
        else:
            out.extend(buf)

    def _cut_dag(self, s: str, out: list) -> None:
        nxt = self._route(s)
        append = out.append
        n = len(s)
        x = 0
        start = -1  # where the current run of single characters began (jieba's buf)
        while x < n:
            y = nxt[x] + 1
            if y - x == 1:
                if start < 0:
                    start = x
            else:
                if start >= 0:
                    # slicing once instead of growing a string keeps long runs linear
                    self._flush(s[start:x], out)
                    start = -1
                append(s[x:y])
            x = y
        if start >= 0:
            self._flush(s[start:], out)

    def _cut_dag_no_hmm(self, s: str, out: list) -> None:
        nxt = self._route(s)
        append = out.append
        re_eng = self._re_eng
        n = len(s)
        x = 0
        start = -1  # a run of single ASCII letters/digits, joined as jieba joins them
        while x < n:
            y = nxt[x] + 1
            if y - x == 1 and re_eng.match(s[x]):
                if start < 0:
                    start = x
            else:
                if start >= 0:
                    append(s[start:x])
                    start = -1
                append(s[x:y])
            x = y
        if start >= 0:
            append(s[start:])

    def cut(self, text: str, HMM: bool = True) -> list:
        """Tokens of ``text``, equal to ``jb.lcut(text, HMM=HMM)``.

        Parameters
        ----------
        text : str
        HMM : bool, default True
            Join unknown single characters with jieba's HMM.

        Returns
        -------
        list of str

        Example
        -------
        >>> from rolnlp.text.backend import stock_jieba
        >>> FastCutter(stock_jieba()).cut("2024年 推进", HMM=False)
        ['2024', '年', ' ', '推进']
        """
        if len(self._finalseg.Force_Split_Words) != self._n_force:
            self.clear()  # del_word sets a frequency to 0
            self._n_force = len(self._finalseg.Force_Split_Words)
            if self._compiled is not None:  # its trie holds the old frequencies
                self._compiled = None
                self._python_chars = 0
            self._parked = None
            self._cache_key = None  # the dictionary no longer matches its cached form
        if self._compiled is not None:
            return self._cut_compiled(text, HMM)
        if self._python_chars >= 0:
            self._python_chars += len(text)
            if self._python_chars > _compiled.THRESHOLD:
                self._switch_to_compiled()
        out: list = []
        blocks = self._blocks
        re_han, re_skip = self._re_han, self._re_skip
        cut_block = self._cut_dag if HMM else self._cut_dag_no_hmm
        for blk in re_han.split(text):
            if not blk:
                continue
            if re_han.match(blk):
                if len(blk) > _MAX_CACHED_BLOCK:
                    cut_block(blk, out)
                    continue
                key = (blk, HMM)
                toks = blocks.get(key)
                if toks is None:
                    tmp: list = []
                    cut_block(blk, tmp)
                    toks = blocks.put(key, tuple(tmp))
                out.extend(toks)
            else:
                for x in re_skip.split(blk):
                    if re_skip.match(x):
                        out.append(x)
                    else:
                        out.extend(x)
        return out


    def _cut_compiled(self, text: str, HMM: bool) -> list:
        """:meth:`cut` by the compiled kernel: the whole text in one call, no caches needed."""
        if not text:
            return []
        ends, kinds = self._compiled.cut(text, HMM)
        toks = list(map(text.__getitem__, map(slice, [0] + ends[:-1], ends)))
        force = self._finalseg.Force_Split_Words
        if force and HMM:  # del_word: the HMM may not join such a word
            hmm_words = kinds.tolist()
            out: list = []
            for tok, kind in zip(toks, hmm_words):
                if kind == 2 and tok in force:
                    out.extend(tok)
                else:
                    out.append(tok)
            return out
        return toks
