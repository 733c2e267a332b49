"""Threads and worker processes give exactly the sequential results.

Eight threads start together (a barrier) on shared objects: the shipped
model, read_report, one Tokenizer, and first-time initialisation of each.
joblib's ``n_jobs`` in classify, read_corpus and Corpus.classify equals
``n_jobs=1``.
"""
import json
import threading

import pytest

import rolnlp
from rolnlp.text import Tokenizer

from conftest import CORPUS, ROOT

SHIPPED = ROOT / "rolnlp" / "models" / "rol-paragraph-v1"
needs_model = pytest.mark.skipif(not (SHIPPED / "model.json").is_file(),
                                 reason="shipped model not built")
N_THREADS = 8


def run_threads(fn, n=N_THREADS):
    """Run ``fn(i)`` in ``n`` threads released together; return results in thread order."""
    results, errors = [None] * n, []
    barrier = threading.Barrier(n)

    def work(i):
        try:
            barrier.wait()
            results[i] = fn(i)
        except BaseException as e:  # re-raised in the main thread below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    if errors:
        raise errors[0]
    return results


@pytest.fixture(scope="module")
def chunk_texts():
    rows = (CORPUS / "chunks" / "chunks.jsonl").read_text("utf-8").splitlines()
    rows = [json.loads(x) for x in rows]
    # every script (simplified, traditional, garbled) and both HTML and plain text
    return [r["text"] for r in rows[::9]]


@pytest.fixture(scope="module")
def paragraphs(chunk_texts):
    return [p.text for t in chunk_texts for p in rolnlp.parse_report(t).paragraphs]


def _report_state(r):
    return (r.id, r.text, r.original, r.metadata, [(h.text, h.start, h.path) for h in r.headings],
            [(p.text, p.start, p.section, p.heading_path, p.whitespace) for p in r.paragraphs],
            [(x.text, x.reason) for x in r.removed])


def test_read_report_in_threads(chunk_texts, seed_paths):
    sources = [p.read_bytes() for p in seed_paths] + [t.encode("utf-8") for t in chunk_texts]
    expected = [_report_state(rolnlp.read_report(s)) for s in sources]
    # each thread reads everything, starting at a different place
    step = len(sources) // N_THREADS
    got = run_threads(lambda i: [_report_state(rolnlp.read_report(s))
                                 for s in sources[i * step:] + sources[:i * step]])
    for i, states in enumerate(got):
        assert states == expected[i * step:] + expected[:i * step]


def test_one_tokenizer_shared_by_threads(paragraphs):
    tok = Tokenizer(keep_numbers=True)
    expected = [Tokenizer(keep_numbers=True)(p) for p in paragraphs]
    got = run_threads(lambda i: [tok(p) for p in (paragraphs[i:] + paragraphs[:i])])
    for i, toks in enumerate(got):
        assert toks == expected[i:] + expected[:i]


def test_first_use_races_build_one_dictionary(paragraphs):
    from rolnlp.text import backend

    words = ("并发初始化专用词",)
    key_count = backend.cached_instances()
    toks = run_threads(lambda i: Tokenizer(words=words)("并发初始化专用词，" + paragraphs[i]))
    assert backend.cached_instances() == min(key_count + 1, backend.MAX_INSTANCES)  # built once, not eight times
    assert all(t == Tokenizer(words=words)("并发初始化专用词，" + paragraphs[i])
               for i, t in enumerate(toks))
    assert all(t[0] == "并发初始化专用词" for t in toks)


@needs_model
def test_classify_in_threads_with_the_shipped_model(paragraphs, monkeypatch):
    from rolnlp.classification import api

    expected = rolnlp.classify(paragraphs)
    monkeypatch.setattr(api, "_cache", {})  # threads race to load the default model
    got = run_threads(lambda i: rolnlp.classify(paragraphs[i:] + paragraphs[:i]))
    for i, preds in enumerate(got):
        assert preds == expected[i:] + expected[:i]
    singles = run_threads(lambda i: [rolnlp.classify(p) for p in paragraphs[i::N_THREADS]])
    for i, preds in enumerate(singles):
        assert preds == expected[i::N_THREADS]


@needs_model
def test_classify_n_jobs_equals_sequential(paragraphs):
    texts = paragraphs[:300]
    assert rolnlp.classify(texts, n_jobs=2, batch_size=60) == rolnlp.classify(texts)


def test_read_corpus_n_jobs_equals_sequential(tmp_path, chunk_texts, seed_paths):
    for i, t in enumerate(chunk_texts[:20]):
        sub = tmp_path / ("a" if i % 2 else "b")
        sub.mkdir(exist_ok=True)
        (sub / f"chunk{i:02d}.txt").write_text(t, "utf-8")
    (tmp_path / "gbk.txt").write_bytes(seed_paths[0].read_text("utf-8").encode("gb18030"))
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02" * 50)
    one = rolnlp.read_corpus(tmp_path, progress=False)
    two = rolnlp.read_corpus(tmp_path, progress=False, n_jobs=2)
    assert one.ids == two.ids and len(one) == 21
    assert [_report_state(r) for r in one] == [_report_state(r) for r in two]
    assert [(str(p), e) for p, e in one.errors] == [(str(p), e) for p, e in two.errors]
    assert len(one.errors) == 1


@needs_model
def test_corpus_classify_n_jobs_equals_sequential(seed_paths):
    import pandas as pd

    corpus = rolnlp.read_corpus(seed_paths[0].parent, progress=False)
    one = corpus.classify()
    four = corpus.classify(n_jobs=4)
    pd.testing.assert_frame_equal(one, four)
    assert len(one) == sum(len(r.paragraphs) for r in corpus)
