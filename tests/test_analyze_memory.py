"""The memory-saving paths of the analysis give the same numbers as the plain ones."""
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from rolnlp.analysis import pipeline, topic_views
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


def _store(m, tmp_path, pieces=((0, 2), (3, 5))):
    """``m`` written to a RowBlocks in ``pieces`` of rows (rows between are empty)."""
    from rolnlp.analysis.blocks import RowBlocks

    store = RowBlocks(str(tmp_path), "m", dtype=m.dtype)
    for a, b in pieces:
        store.append(a, m[a:b])
    store.close(n_rows=m.shape[0], n_cols=m.shape[1])
    return store


def test_row_blocks_read_back_any_block(tmp_path):
    m, _ = _counts(2, n=7)
    store = _store(m, tmp_path, pieces=((0, 2), (4, 6)))
    want = m.toarray()
    want[[2, 3, 6]] = 0  # rows never appended are empty
    for a, b in [(0, 7), (1, 5), (2, 4), (6, 7), (3, 3)]:
        got = store.block(a, b)
        assert got.shape == (b - a, m.shape[1]) and got.dtype == m.dtype
        assert np.array_equal(got.toarray(), want[a:b]) and got.has_canonical_format
    assert [(a, b) for a, b, _ in store.blocks(3)] == [(0, 3), (3, 6), (6, 7)]
    assert store.nnz == int((want != 0).sum())
    with pytest.raises(ValueError, match="closed"):
        store.append(7, m[1:2])
    from rolnlp.analysis.blocks import RowBlocks

    early = RowBlocks(str(tmp_path / "x"), "m")
    early.append(2, m[2:4])
    with pytest.raises(ValueError, match="in order"):
        early.append(1, m[1:2])
    late = RowBlocks(str(tmp_path / "y"), "m")
    late.append(3, m[3:5])
    with pytest.raises(ValueError, match="rows written"):
        late.close(n_rows=4, n_cols=m.shape[1])
    store.remove()
    assert not list(tmp_path.glob("m.*"))


def test_grouped_sums_rows(tmp_path):
    m, _ = _counts(2, n=6)
    ids = [f"r{i}" for i in range(6)]
    store = _store(m, tmp_path, pieces=((0, 6),))
    groups, g = _grouped(store, ids, ids)
    assert list(groups) == ids and np.array_equal(g.toarray(), m.toarray())
    for size in (1, 4, 100):  # whatever the block of reports read at once
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(pipeline, "COMPARE_BLOCK", size)
            groups, g = _grouped(store, ids, ["x", None, "y", "x", "y", None])
        assert list(groups) == ["x", "y"] and np.issubdtype(g.dtype, np.integer)
        want = np.vstack([m[[0, 3]].sum(axis=0), m[[2, 4]].sum(axis=0)])
        assert np.array_equal(g.toarray(), want)


def test_distinctive_by_blocks_equals_whole_table(tmp_path, monkeypatch):
    m, terms = _counts(3, n=9)
    ids = [f"r{i}" for i in range(9)]
    in_table = [True] * 9
    in_table[4] = False  # a report without paragraphs (no terms) is not described
    m = m.tolil()
    m[4] = 0
    m = sp.csr_matrix(m, dtype=np.int32)
    m.eliminate_zeros()
    whole = distinctive_from_counts([i for i, t in zip(ids, in_table) if t],
                                    m[np.flatnonzero(in_table)], terms, top_n=20)
    assert len(whole) > 8 * 5
    monkeypatch.setattr(pipeline, "COMPARE_BLOCK", 4)
    store = _store(m, tmp_path, pieces=((0, 4), (5, 9)))
    total = np.asarray(m.sum(axis=0)).ravel()
    got = pipeline._report_distinctive(store, terms, total, ids, in_table)
    pd.testing.assert_frame_equal(got, whole)
    # only the terms a group uses can be listed: the same rows as a dense pass
    dense = distinctive_from_counts(ids, m, terms, top_n=5, min_count=0)
    assert len(dense) == 9 * 5


def test_tfidf_steps_equal_sklearn_bit_for_bit():
    from sklearn.feature_extraction.text import TfidfTransformer

    from rolnlp.analysis.similarity import tfidf_idf, tfidf_rows

    m, _ = _counts(4, n=50, v=300)
    ref = TfidfTransformer(sublinear_tf=True).fit(m.astype(np.float64))
    idf = tfidf_idf(np.bincount(m.indices, minlength=m.shape[1]), m.shape[0])
    assert np.array_equal(idf, ref.idf_)
    want = ref.transform(m.astype(np.float64))
    got = sp.vstack([tfidf_rows(m[a:a + 7], idf) for a in range(0, 50, 7)]).tocsr()
    assert np.array_equal(got.indptr, want.indptr) and np.array_equal(got.indices, want.indices)
    assert np.array_equal(got.data, want.data)


def test_report_vectors_by_blocks_equal_in_memory(tmp_path, monkeypatch):
    m, terms = _counts(5, n=30, v=200)
    want = vectors_from_counts(m, terms)
    monkeypatch.setattr(pipeline, "COMPARE_BLOCK", 7)
    store = _store(m, tmp_path, pieces=((0, 12), (12, 30)))
    got = pipeline._report_vectors(store, terms, np.asarray(m.sum(axis=0)).ravel(),
                                   str(tmp_path / "v"))
    full = got.block(0, 30)
    assert full.shape == want.shape
    assert np.array_equal(full.indptr, want.indptr)
    assert np.array_equal(full.indices, want.indices) and np.array_equal(full.data, want.data)


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


def test_report_counts_batch_by_batch(tmp_path):
    # reports r1 and r4 have no paragraphs; r2's tokens repeat across paragraphs
    paras = [("r0", ["行政", "复议", "行政", "x"]), ("r0", ["复议"]),
             ("r2", ["普法", "宣传"]), ("r2", ["普法"]), ("r3", ["y", "z"]),
             ("r5", ["行政", "宣传"])]
    batches = [_Batch([t for _, t in paras[:2]]), _Batch([t for _, t in paras[2:5]]),
               _Batch([t for _, t in paras[5:]])]
    ids = ["r0", "r1", "r2", "r3", "r4", "r5"]
    meta = pd.DataFrame({"report_id": [r for r, _ in paras]})
    store, terms, total = _report_counts(_Streamed(batches, ids, meta), str(tmp_path))
    counts = store.block(0, 6)
    assert counts.shape == (6, 4) and counts.dtype == np.int32
    assert total.tolist() == np.asarray(counts.sum(axis=0)).ravel().tolist()
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


@pytest.mark.parametrize("cells", [4, 49, 400, 4_000_000])
def test_nearest_by_blocks_breaks_ties_by_position_whatever_the_block(cells, monkeypatch,
                                                                      tmp_path):
    from sklearn.preprocessing import normalize

    from rolnlp.analysis import similarity

    rng = np.random.default_rng(7)
    base = sp.random(6, 50, density=0.3, random_state=7, format="csr")
    base.data = rng.random(base.nnz)
    # 20 reports, most of them copies of 6: many similarities tie exactly
    x = normalize(base[rng.integers(0, 6, 20)]).tocsr()
    x = sp.vstack([x, sp.csr_matrix((1, 50))]).tocsr()  # and one without terms
    ids = [f"r{i:02d}" for i in range(21)]
    monkeypatch.setattr(similarity, "_BLOCK_CELLS", cells)
    store = _store(x, tmp_path, pieces=((0, 21),))
    for nn in (similarity.nearest_from_vectors(ids, x, k=4, progress=False),
               similarity.nearest_from_blocks(ids, store.block, n_cols=50, k=4, progress=False)):
        full = (x @ x.T).toarray()
        np.fill_diagonal(full, -1.0)
        for r in range(21):
            got = nn[nn.report_id == ids[r]]
            want = [j for j in sorted(range(21), key=lambda j: (-full[r, j], j))[:4]
                    if full[r, j] > 0]
            assert got["neighbour_id"].tolist() == [ids[j] for j in want]
            assert got["rank"].tolist() == list(range(1, len(want) + 1))
        assert not (nn.report_id == "r20").any()


def test_meta_table_joins_batches_as_pandas_would_with_one_string_per_value():
    from rolnlp.analysis.spill import MetaTable, _decode_parts, _encode_meta

    batches = [
        pd.DataFrame({"report_id": ["a", "a", "b"], "region": ["甲区", None, "乙区"],
                      "year": [2021, 2021, 2022], "chars": [3, 4, 5]}),
        pd.DataFrame({"report_id": ["c"], "region": ["甲区"], "year": [None], "chars": [6]}),
        pd.DataFrame({"report_id": [], "region": [], "year": [], "chars": []}),
        pd.DataFrame({"report_id": ["d"], "region": ["丙区"], "year": [2023.0], "chars": [7]}),
    ]
    t = MetaTable()
    for b in batches:
        t.add(*_decode_parts(_encode_meta(b)))
    got = t.frame()
    want = pd.concat([b for b in batches if len(b)], ignore_index=True)
    assert list(got.columns) == list(want.columns) and len(got) == t.rows == 5
    for c in got.columns:
        assert [None if pd.isna(v) else v for v in got[c]] == \
            [None if pd.isna(v) else v for v in want[c]]
    assert got["chars"].dtype == np.int64  # numeric columns stay numeric
    region = got["region"].tolist()
    assert region[0] is region[3]  # one string object per distinct value
    assert got["region"].isna().tolist() == [False, True, False, False, False]
    with pytest.raises(ValueError, match="differ"):
        t.add(*_decode_parts(_encode_meta(pd.DataFrame({"x": [1]}))))
    assert MetaTable().frame() is None
