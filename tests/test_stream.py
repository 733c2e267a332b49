"""Streaming reports through reading, classification and tokenizing: same results, compact storage."""
import shutil

import pytest

import rolnlp
from rolnlp.analysis.stream import TokenStore, process_reports
from rolnlp.corpus import find_reports

from conftest import REPORTS


def test_token_store_round_trips_and_shares_strings():
    lists = [["行政复议", "纠错", "行政复议"], [], ["普法"], ["纠错"]]
    s = TokenStore()
    s.extend(lists)
    assert list(s) == lists and len(s) == 4 and s.n_tokens == 5
    assert s[-1] == ["纠错"] and s[0][0] is s[0][2] is s.vocab[0]
    assert s.vocab == ["行政复议", "纠错", "普法"]
    with pytest.raises(IndexError):
        s[4]


@pytest.fixture(scope="module")
def paths(tmp_path_factory):
    d = tmp_path_factory.mktemp("reports")
    for p in sorted(REPORTS.glob("*.txt")):
        shutil.copy(p, d / p.name)
    (d / "zz_broken.txt").write_bytes(b"\x00" * 100)
    return find_reports(d)


def test_stream_equals_reading_the_corpus(paths):
    batches = list(process_reports(paths, batch_size=2, progress=False))
    assert len(batches) == 3
    import pandas as pd

    table = pd.concat([b.table for b in batches], ignore_index=True)
    corpus = rolnlp.Corpus([r for r in (rolnlp.read_report(p) for p in paths[:-1])])
    want = corpus.classify()
    assert list(table["text"]) == list(want["text"])
    assert list(table["label"]) == list(want["label"])
    tokens = [t for b in batches for t in b.tokens]
    assert tokens == [rolnlp.tokenize(t) for t in want["text"]]
    texts = {k: v for b in batches for k, v in b.texts.items()}
    assert texts == {r.id: r.text for r in corpus}
    assert [e[0] for b in batches for e in b.errors] == [paths[-1]]


def test_stream_in_processes_equals_sequential(paths):
    seq = list(process_reports(paths, batch_size=2, progress=False))
    par = list(process_reports(paths, batch_size=2, n_jobs=2, progress=False))
    for a, b in zip(seq, par):
        assert a.table.equals(b.table)
        assert a.tokens == b.tokens and a.texts == b.texts


def test_batches_written_by_the_workers_equal_those_returned(paths, tmp_path):
    from rolnlp.analysis.spill import META_COLUMNS, SpilledBatch, compact

    seq = list(process_reports(paths, batch_size=2, progress=False))
    files = [tmp_path / f"b{i}.npz" for i in range(len(seq))]
    par = list(process_reports(paths, batch_size=2, n_jobs=2, progress=False, spill_to=files))
    assert all(isinstance(b, SpilledBatch) for b in par)
    assert [b.path for b in par] == [str(f) for f in files] and all(f.exists() for f in files)
    for a, b in zip(seq, par):
        want = compact(a.table)
        assert b.table().equals(want) and b.columns() == list(want.columns)
        assert "p_enforcement" not in b.columns() and "evidence" not in b.columns()
        assert b.tokens() == a.tokens and b.texts() == a.texts
        assert b.report_ids() == list(a.texts) and b.errors() == [(str(p), m)
                                                                for p, m in a.errors]
        meta = b.meta()
        assert list(meta.columns) == [c for c in want.columns if c in META_COLUMNS] + ["chars"]
        assert meta["chars"].tolist() == [len(t) for t in a.table["text"]]
    with pytest.raises(ValueError, match="3 batches"):
        next(process_reports(paths, batch_size=2, progress=False, spill_to=files[:2]))
