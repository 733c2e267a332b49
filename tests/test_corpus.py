"""read_corpus and Corpus."""
import logging
import shutil

import pandas as pd
import pytest

from rolnlp import Corpus, ReportError, parse_report, read_corpus


@pytest.fixture(scope="module")
def corpus():
    from conftest import CORPUS
    return read_corpus(CORPUS, progress=False)


def test_reads_exactly_the_seed_reports(corpus, truth):
    assert corpus.ids == sorted(truth)
    assert len(corpus) == 5 and corpus.errors == []
    assert corpus[0].id == corpus.ids[0]
    assert corpus["004_63693fb56a6a40d7"].metadata.region == "海盐县"
    assert isinstance(corpus[1:3], Corpus) and len(corpus[1:3]) == 2
    assert "003_8843a2275c818d9b" in corpus and "nope" not in corpus
    with pytest.raises(KeyError):
        corpus["nope"]
    with pytest.raises(TypeError):
        corpus[1.5]


def test_paragraphs_and_dataframe(corpus):
    paras = list(corpus.paragraphs())
    assert len(paras) == sum(len(r.paragraphs) for r in corpus)
    df = corpus.to_dataframe()
    assert len(df) == len(paras)
    assert list(df["text"]) == [p.text for p in paras]
    assert set(df["region"]) == {"硚口区", "洞头区", "綦江区", "钟楼区", "海盐县"}
    assert {"report_id", "year", "section", "heading_path"} <= set(df.columns)


def test_parallel_equals_serial(tmp_path, seed_paths):
    for p in seed_paths[:3]:
        shutil.copy(p, tmp_path / p.name)
    a = read_corpus(tmp_path, progress=False)
    b = read_corpus(tmp_path, progress=False, n_jobs=2)
    assert a.ids == b.ids
    assert [r.to_dict() for r in a] == [r.to_dict() for r in b]


def test_bad_files_are_skipped_and_collected(tmp_path, seed_paths, caplog):
    shutil.copy(seed_paths[0], tmp_path / "a.txt")
    (tmp_path / "b.txt").write_bytes(b"\x00\x01\x02binary\x00")
    (tmp_path / "notes.md").write_text("not a report")
    sub = tmp_path / "sub"
    sub.mkdir()
    shutil.copy(seed_paths[1], sub / "a.htm")
    with caplog.at_level(logging.WARNING, logger="rolnlp.corpus"):
        c = read_corpus(tmp_path, progress=False)
    assert c.ids == ["a.txt", "sub/a.htm"]  # same stem: disambiguated by relative path
    assert len(c.errors) == 1 and c.errors[0][0].endswith("b.txt")
    assert "ReportError" in c.errors[0][1] and "b.txt" in caplog.text
    assert read_corpus(tmp_path, progress=False, recursive=False).errors[0][0].endswith("b.txt")
    assert len(read_corpus(tmp_path, progress=False, recursive=False, pattern="a*")) == 1
    assert read_corpus(tmp_path, progress=False, pattern="sub/*").ids == ["a"]


def test_directory_errors(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_corpus(tmp_path / "missing")
    f = tmp_path / "x.txt"
    f.write_text("正文。")
    with pytest.raises(ReportError, match="not a directory"):
        read_corpus(f)
    with pytest.raises(TypeError):
        read_corpus(tmp_path, id="x")
    assert len(read_corpus(tmp_path / "..", pattern="nothing-matches*", progress=False)) == 0


def test_constructors():
    c = Corpus.from_texts(["一、总体情况\n正文。", "第二份。"], ids=["a", "b"])
    assert c.ids == ["a", "b"] and c["a"].paragraphs[0].heading_path == ("一、总体情况",)
    assert Corpus.from_texts(["x。"]).ids == ["text-0"]
    with pytest.raises(TypeError):
        Corpus.from_texts("单个字符串")
    with pytest.raises(ValueError):
        Corpus.from_texts(["a", "b"], ids=["a"])
    with pytest.raises(TypeError):
        Corpus.from_reports(["not a report"])
    r = parse_report("正文。", id="z")
    assert Corpus.from_reports([r])["z"] is r
    assert len(Corpus().to_dataframe()) == 0


def test_classify_defers_to_classify_report(monkeypatch):
    calls = []

    def fake(report, *, model=None, **kw):
        calls.append((report.id, model))
        return pd.DataFrame({"report_id": [report.id] * len(report.paragraphs),
                             "label": ["other"] * len(report.paragraphs)})

    import rolnlp.classification as clf
    monkeypatch.setattr(clf, "classify_report", fake)
    c = Corpus.from_texts(["一。\n二。", "三。"], ids=["a", "b"])
    df = c.classify(model="m")
    assert calls == [("a", "m"), ("b", "m")]
    assert list(df["report_id"]) == ["a", "a", "b"]
    assert list(c.classify(model="m", n_jobs=2)["report_id"]) == ["a", "a", "b"]
