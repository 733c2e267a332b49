"""The memory-saving paths of the analysis give the same numbers as the plain ones."""
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from rolnlp.analysis import topic_views
from rolnlp.analysis.distinctive import distinctive_from_counts
from rolnlp.analysis.pipeline import _grouped, _report_counts
from rolnlp.analysis.similarity import vectors_from_counts


def _counts(seed=0, n=60, v=400):
    rng = np.random.default_rng(seed)
    m = sp.random(n, v, density=0.08, random_state=seed, format="csr")
    m.data = rng.integers(1, 30, m.nnz).astype(np.int32)
    m = sp.csr_matrix(m, dtype=np.int32)
    m.sort_indices()
    terms = [f"词{i:04d}" for i in rng.permutation(v)]
    return m, terms


def test_vectors_in_place_equal_copied():
    m, terms = _counts()
    m.data[m.indices == 7] = 0  # an unused column is dropped either way
    m.eliminate_zeros()
    ref = vectors_from_counts(m, terms)
    before = m.copy()
    assert (vectors_from_counts(m, terms) != ref).nnz == 0
    assert (m != before).nnz == 0  # copy=True leaves the counts alone
    got = vectors_from_counts(m, terms, copy=False)
    assert got.shape == ref.shape
    assert np.array_equal(got.indptr, ref.indptr) and np.array_equal(got.indices, ref.indices)
    assert np.array_equal(got.data, ref.data)


def test_distinctive_integer_counts_equal_float():
    m, terms = _counts(1, n=8)
    groups = list("abcdefgh")
    a = distinctive_from_counts(groups, m, terms, top_n=5)
    b = distinctive_from_counts(groups, m.astype(np.float64), terms, top_n=5)
    pd.testing.assert_frame_equal(a, b)


def test_grouped_sums_rows():
    m, _ = _counts(2, n=6)
    ids = [f"r{i}" for i in range(6)]
    groups, g = _grouped(m, ids, ids)
    assert list(groups) == ids and g is m  # every report its own group: no copy
    groups, g = _grouped(m, ids, ["x", None, "y", "x", "y", None])
    assert list(groups) == ["x", "y"]
    want = np.vstack([m[[0, 3]].sum(axis=0), m[[2, 4]].sum(axis=0)])
    assert np.array_equal(g.toarray(), want)


class _Batch:
    def __init__(self, tokens):
        self._tokens = tokens

    def tokens(self):
        return self._tokens


class _Streamed:
    def __init__(self, batches, report_ids, meta):
        self.batches, self.report_ids, self.meta = batches, report_ids, meta
        self.starts = np.cumsum([0] + [len(b.tokens()) for b in batches]).tolist()

    def rows(self, j):
        return self.starts[j], self.starts[j + 1]


def test_report_counts_batch_by_batch():
    # reports r1 and r4 have no paragraphs; r2's tokens repeat across paragraphs
    paras = [("r0", ["行政", "复议", "行政", "x"]), ("r0", ["复议"]),
             ("r2", ["普法", "宣传"]), ("r2", ["普法"]), ("r3", ["y", "z"]),
             ("r5", ["行政", "宣传"])]
    batches = [_Batch([t for _, t in paras[:2]]), _Batch([t for _, t in paras[2:5]]),
               _Batch([t for _, t in paras[5:]])]
    ids = ["r0", "r1", "r2", "r3", "r4", "r5"]
    meta = pd.DataFrame({"report_id": [r for r, _ in paras]})
    counts, terms = _report_counts(_Streamed(batches, ids, meta))
    assert counts.shape == (6, 4) and counts.dtype == np.int32
    got = {(ids[r], terms[c]): v for r, c, v in zip(*sp.find(counts))}
    assert got == {("r0", "行政"): 2, ("r0", "复议"): 2, ("r2", "普法"): 2, ("r2", "宣传"): 1,
                   ("r5", "行政"): 1, ("r5", "宣传"): 1}
    assert counts.has_canonical_format


@pytest.mark.parametrize("n,k", [(3, 4), (5000, 11)])
def test_boot_means_in_chunks_equal_whole(n, k):
    rng = np.random.default_rng(n)
    values = rng.random((n, k))
    idx = rng.integers(0, n, size=(200, n))
    assert np.array_equal(topic_views._boot_means(values, idx), values[idx].mean(axis=1))


def test_nearest_blocks_give_whole_matrix_similarities(monkeypatch):
    from sklearn.preprocessing import normalize

    from rolnlp.analysis import similarity

    rng = np.random.default_rng(5)
    x = sp.random(40, 300, density=0.2, random_state=5, format="csr")
    x.data = rng.random(x.nnz)
    x = normalize(x).tocsr()
    ids = [f"r{i}" for i in range(40)]
    monkeypatch.setattr(similarity, "_BLOCK_CELLS", 40 * 7)  # blocks of 7 rows
    nn = similarity.nearest_from_vectors(ids, x, k=3, progress=False)
    full = (x @ x.T).toarray()
    np.fill_diagonal(full, -1.0)
    for r in range(40):
        got = nn[nn.report_id == ids[r]]
        want = sorted(range(40), key=lambda j: (-full[r, j], j))[:3]
        assert got["neighbour_id"].tolist() == [ids[j] for j in want]
        assert got["similarity"].tolist() == [round(float(full[r, j]), 6) for j in want]


def test_streamed_stage_keeps_only_the_meta_columns_of_a_paragraph(tmp_path, seed_paths):
    from rolnlp.analysis import pipeline
    from rolnlp.analysis.spill import META_COLUMNS

    items = [(str(p), p.stem) for p in seed_paths]
    s = pipeline._stream(items, model=None, classify=True, n_jobs=1, progress=False,
                         work=str(tmp_path), resume=True)
    assert list(s.meta.columns) == [c for c in s.table_columns if c in META_COLUMNS] + ["chars"]
    assert {"text", "heading", "section", "labels"} <= set(s.table_columns)
    # a batch's table read back has its meta columns from memory and the rest from disk
    whole = pd.concat([s.table(j) for j in range(len(s.batches))], ignore_index=True)
    assert len(whole) == len(s.meta) and list(whole.columns) == s.table_columns
    assert whole["text"].str.len().tolist() == s.meta["chars"].tolist()
    assert whole["report_id"].tolist() == s.meta["report_id"].tolist()
    part = s.table(0, [2, 0])
    assert part["text"].tolist() == whole["text"].iloc[[2, 0]].tolist()
