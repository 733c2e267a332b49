"""Character n-gram TF-IDF rows for a batch of texts, vectorised with numpy.

The ``"char"`` analyzer of :mod:`rolnlp.classification.features` takes the
n-grams inside runs of CJK ideographs and digits (``[\\u4e00-\\u9fff0-9]+``)
of the normalised text.  Every such character fits in 16 bits, so an n-gram
(n <= 3) is one integer: its code points side by side, with n on top.  A
saved model's character vocabulary becomes a sorted array of those integers,
and a whole batch is featurised with a handful of array operations instead
of building, counting and looking up one Python string per n-gram.  The
result equals the analyzer path (same terms, counts, tf-idf and l2 norm).

Example
-------
>>> import numpy as np
>>> index = CharIndex(np.array(["行", "政", "行政"]), (1, 2))
>>> rows, cols, counts = index.count(["行政行政", "民政"])
>>> rows.tolist(), cols.tolist(), counts.tolist()
([0, 0, 0, 1], [0, 1, 2, 1], [2, 2, 2, 1])
"""
from __future__ import annotations

import numpy as np

MAX_N = 3  # 3 x 16 bits of code point + n above them fit in an int64


def _hash(keys, mask):
    """Fibonacci hashing: the top bits of ``key * 2**64 / phi``, masked to a slot."""
    h = (keys.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(40)
    return h.astype(np.int64) & mask


def _in_run(cps):
    return ((cps >= 0x4E00) & (cps <= 0x9FFF)) | ((cps >= 0x30) & (cps <= 0x39))


class CharIndex:
    """A character n-gram vocabulary as sorted integer keys.

    Parameters
    ----------
    vocab : ndarray of str
        The block's terms in column order.
    ngram_range : tuple of int
        ``(lo, hi)`` with ``hi <= 3``.

    Example
    -------
    >>> CharIndex(np.array(["依法"]), (2, 2)).count(["依法依法"])[2].tolist()
    [2]
    """

    def __init__(self, vocab, ngram_range):
        lo, hi = ngram_range
        if not 1 <= lo <= hi <= MAX_N:
            raise ValueError(f"character n-grams up to {MAX_N} only, got {ngram_range}")
        self.lo, self.hi = lo, hi
        vocab = np.asarray(vocab)
        if vocab.dtype.kind != "U":
            vocab = vocab.astype(str)
        width = max(1, vocab.dtype.itemsize // 4)
        codes = np.ascontiguousarray(vocab).view(np.uint32).reshape(len(vocab), width)
        codes = codes.astype(np.int64)
        lens = (codes != 0).sum(axis=1)
        ok_chars = ((codes == 0) | ((codes >= 0x30) & (codes <= 0x39))
                    | ((codes >= 0x4E00) & (codes <= 0x9FFF))).all(axis=1)
        keys = lens.astype(np.int64)
        for j in range(min(width, hi)):
            keys = np.where(j < lens, (keys << 16) | codes[:, j], keys)
        # anything else the analyzer never produces
        keys[~(ok_chars & (lens >= lo) & (lens <= hi))] = -1
        ok = np.flatnonzero(keys >= 0)
        order = np.argsort(keys[ok], kind="stable")
        self._keys = keys[ok][order]
        self._cols = ok[order]
        self._table = None  # the hash table, built on first use (model load stays quick)

    def __getstate__(self):
        state = dict(self.__dict__)
        state["_table"] = None  # rebuilt on first use: pickles stay small
        return state

    def _build_table(self):
        """An open-addressing hash table of the keys (load <= 1/2, linear probing).

        Looking a batch of n-grams up costs one or two vectorised gathers
        instead of a binary search of ~17 steps each; the hits are the same.
        Built in locals and published as one tuple, so a thread that reads it
        meanwhile sees either no table or the whole table.
        """
        n = len(self._keys)
        size = 1 << max(4, int(2 * max(n, 1) - 1).bit_length())
        mask = size - 1
        slot_key = np.full(size, -1, dtype=np.int64)  # keys are >= 0
        slot_col = np.zeros(size, dtype=np.int32)
        slot = _hash(self._keys, mask)
        pending = np.arange(n)
        rounds = 0
        while len(pending):
            rounds += 1
            s = slot[pending]
            free = slot_key[s] == -1
            # one key per free slot per round; the others probe on
            s_free, first = np.unique(s[free], return_index=True)
            placed = pending[free][first]
            slot_key[s_free] = self._keys[placed]
            slot_col[s_free] = self._cols[placed]
            done = np.zeros(n, dtype=bool)
            done[placed] = True
            pending = pending[~done[pending]]
            slot[pending] = (slot[pending] + 1) & mask
        # a key placed in round r sits r - 1 slots past its hash: a lookup
        # that has probed that far without a hit can stop
        self._table = (mask, slot_key, slot_col, max(rounds - 1, 0))
        return self._table

    def _lookup(self, k):
        """``(hit, col)``: which keys ``k`` are in the vocabulary, and their columns."""
        mask, slot_key, slot_col, max_probe = self._table or self._build_table()
        slot = _hash(k, mask)
        hit = np.zeros(len(k), dtype=bool)
        col = np.zeros(len(k), dtype=np.int64)
        todo = np.arange(len(k))
        for _ in range(max_probe + 1):
            if not len(todo):
                break
            s = slot[todo]
            sk = slot_key[s]
            found = sk == k[todo]
            hit[todo[found]] = True
            col[todo[found]] = slot_col[s[found]]
            todo = todo[~found & (sk != -1)]  # an empty slot ends the probe
            slot[todo] = (slot[todo] + 1) & mask
        return hit, col

    def count(self, texts):
        """``(rows, cols, counts)`` of vocabulary n-grams in normalised ``texts``.

        Entries are sorted by row, then column.
        """
        if not texts:
            e = np.zeros(0, dtype=np.int64)
            return e, e, e
        joined = "\x00".join(texts) + "\x00"
        cps = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
        lengths = np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=len(texts))
        doc = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
        run = _in_run(cps)
        n_pos = len(cps)
        found_rows, found_cols = [], []
        for n in range(self.lo, self.hi + 1):
            m = n_pos - n + 1
            if m <= 0:
                continue
            valid = run[:m].copy()
            key = np.full(m, n, dtype=np.int64)
            for j in range(n):
                if j:
                    valid &= run[j:j + m]
                key = (key << 16) | cps[j:j + m]
            at = np.flatnonzero(valid)
            if not len(at) or not len(self._keys):
                continue
            hit, col = self._lookup(key[at])
            found_rows.append(doc[at[hit]])
            found_cols.append(col[hit])
        if not found_rows:
            e = np.zeros(0, dtype=np.int64)
            return e, e, e
        rows = np.concatenate(found_rows)
        cols = np.concatenate(found_cols)
        n_cols = int(self._cols.max()) + 1
        pair, counts = np.unique(rows * n_cols + cols, return_counts=True)
        return pair // n_cols, pair % n_cols, counts
