"""A sparse matrix kept on disk and read back a block of rows at a time.

The compare stage of :func:`rolnlp.analyze` needs every report's term counts
and TF-IDF vector: about 650 terms a report, 8–12 bytes each, so 100,000
reports would hold over a gigabyte.  :class:`RowBlocks` writes the rows of a
CSR matrix to two flat files (column indices and values) as they are made and
keeps only the number of entries of each row in memory; :meth:`RowBlocks.block`
reads rows ``a:b`` back with plain file reads (not a memory map, whose pages
would stay in the process's resident memory).

Example
-------
>>> import tempfile, scipy.sparse as sp
>>> d = tempfile.mkdtemp()
>>> m = RowBlocks(d, "x", dtype="int32")
>>> m.append(0, sp.csr_matrix([[1, 0, 2], [0, 3, 0]], dtype="int32"))
>>> m.close(n_rows=3, n_cols=3)
>>> m.block(1, 3).toarray().tolist()
[[0, 3, 0], [0, 0, 0]]
"""
from __future__ import annotations

import os
from typing import Iterator

import numpy as np


class RowBlocks:
    """Rows of a CSR matrix written in increasing row order, read back by blocks.

    Parameters
    ----------
    directory : str
        Where the two files go (created if missing).
    name : str
        File stem: ``<name>.indices`` and ``<name>.data``.
    dtype : str or numpy.dtype
        Type of the stored values.
    """

    def __init__(self, directory: str, name: str, dtype="int32"):
        os.makedirs(directory, exist_ok=True)
        self.dtype = np.dtype(dtype)
        self._paths = (os.path.join(directory, name + ".indices"),
                       os.path.join(directory, name + ".data"))
        self._files = [open(p, "wb") for p in self._paths]
        self._nnz = []          # (first row, entries per row) of each appended piece
        self._next_row = 0
        self.indptr = None      # set by close()
        self.shape = None

    def append(self, first_row: int, rows) -> None:
        """Add ``rows`` (CSR, canonical) as rows ``first_row...``; rows skipped
        since the last call are empty."""
        if self._files is None:
            raise ValueError("RowBlocks is closed")
        if first_row < self._next_row:
            raise ValueError(f"rows must come in order: {first_row} < {self._next_row}")
        self._files[0].write(np.ascontiguousarray(rows.indices, dtype=np.int32).tobytes())
        self._files[1].write(np.ascontiguousarray(rows.data, dtype=self.dtype).tobytes())
        self._nnz.append((first_row, np.diff(rows.indptr).astype(np.int64)))
        self._next_row = first_row + rows.shape[0]

    def close(self, n_rows: int, n_cols: int) -> None:
        """Finish writing: the matrix has ``n_rows`` rows and ``n_cols`` columns."""
        if self._files is None:
            return
        for f in self._files:
            f.close()
        self._files = None
        if n_rows < self._next_row:
            raise ValueError(f"{self._next_row} rows written, n_rows={n_rows}")
        per_row = np.zeros(n_rows, dtype=np.int64)
        for first, nnz in self._nnz:
            per_row[first:first + len(nnz)] = nnz
        self._nnz = None
        self.indptr = np.zeros(n_rows + 1, dtype=np.int64)
        np.cumsum(per_row, out=self.indptr[1:])
        self.shape = (n_rows, n_cols)

    @property
    def nnz(self) -> int:
        return int(self.indptr[-1])

    def block(self, a: int, b: int):
        """Rows ``a:b`` as a ``scipy.sparse.csr_matrix`` (int32 indices)."""
        import scipy.sparse as sp

        if self.indptr is None:
            raise ValueError("RowBlocks is not closed yet")
        lo, hi = int(self.indptr[a]), int(self.indptr[b])
        indices = _read(self._paths[0], np.int32, lo, hi)
        data = _read(self._paths[1], self.dtype, lo, hi)
        indptr = (self.indptr[a:b + 1] - lo).astype(np.int32 if hi - lo < 2 ** 31 else np.int64)
        m = sp.csr_matrix((data, indices, indptr), shape=(b - a, self.shape[1]))
        m.has_sorted_indices = True  # rows are written canonical
        return m

    def blocks(self, size: int) -> Iterator[tuple[int, int, object]]:
        """``(a, b, rows a:b)`` for consecutive blocks of ``size`` rows."""
        for a in range(0, self.shape[0], max(1, size)):
            b = min(self.shape[0], a + max(1, size))
            yield a, b, self.block(a, b)

    def remove(self) -> None:
        """Delete the files."""
        if self._files is not None:
            self.close(self._next_row, 0)
        for p in self._paths:
            try:
                os.unlink(p)
            except OSError:
                pass


def _read(path, dtype, lo, hi):
    dtype = np.dtype(dtype)
    if hi <= lo:
        return np.zeros(0, dtype=dtype)
    with open(path, "rb") as f:
        f.seek(lo * dtype.itemsize)
        out = np.fromfile(f, dtype=dtype, count=hi - lo)
    if len(out) != hi - lo:
        raise OSError(f"{path} is shorter than expected")
    return out
