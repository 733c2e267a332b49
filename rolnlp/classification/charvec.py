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
            k = key[at]
            pos = np.searchsorted(self._keys, k)
            pos[pos == len(self._keys)] = 0
            hit = self._keys[pos] == k
            found_rows.append(doc[at[hit]])
            found_cols.append(self._cols[pos[hit]])
        if not found_rows:
            e = np.zeros(0, dtype=np.int64)
            return e, e, e
        rows = np.concatenate(found_rows)
        cols = np.concatenate(found_cols)
        n_cols = int(self._cols.max()) + 1
        pair, counts = np.unique(rows * n_cols + cols, return_counts=True)
        return pair // n_cols, pair % n_cols, counts
