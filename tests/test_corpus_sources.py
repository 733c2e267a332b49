"""read_corpus on tables (JSONL, CSV, Parquet) and on folders as users have them."""
import csv
import json
import logging
import os

import pytest

import rolnlp
from rolnlp import Corpus, ReportError, read_corpus
from rolnlp.reading.table import UNIT_COLUMNS

TEXT = "某区2024年法治政府建设情况报告\n一、主要举措和成效\n全年办理行政复议案件12件。\n二、存在的不足\n执法力量薄弱。"
ROWS = [
    {"url": "https://www.a.gov.cn/zwgk/2025/art_1.html", "title": "某区2024年法治政府建设情况报告",
     "date": "2025-03-06 11:31", "text": TEXT},
    {"url": "https://www.b.gov.cn/xxgk/art_2.html", "title": "乙县报告", "date": "2025年3月19日",
     "html": "<html><body><p>一、主要工作</p><p>推进严格规范公正文明执法。</p></body></html>"},
]


def test_the_chunks_file_reads_as_a_corpus():
    c = rolnlp.read_corpus("corpus/chunks/chunks.jsonl", progress=False)
    assert len(c) == 676 and not c.errors
    assert c.ids[0] == "c0000"  # the id column
    assert c[0].url.startswith("https://")
    df = c.to_dataframe()
    assert list(df.columns) == list(UNIT_COLUMNS) and len(df) == sum(len(r) for r in c)


def test_jsonl_rows_feed_metadata_and_ids_come_from_urls(tmp_path):
    path = tmp_path / "pages.jsonl"
    lines = [json.dumps(r, ensure_ascii=False) for r in ROWS]
    path.write_text("\n".join(lines + ["42", "{broken", ""]), encoding="utf-8")
    c = read_corpus(path, progress=False)
    assert c.ids == ["www.a.gov.cn/zwgk/2025/art_1", "www.b.gov.cn/xxgk/art_2"]
    a, b = c
    assert a.url == ROWS[0]["url"] and a.metadata.date == "2025-03-06"
    assert [p.text for p in b] == ["推进严格规范公正文明执法。"]
    assert b.metadata.title == "乙县报告" and b.metadata.date == "2025-03-19"
    # a line that is not an object and a broken line are listed, not fatal
    assert [e[0].rsplit(":", 1)[1] for e in c.errors] == ["3", "4"]


def test_csv_with_other_column_names_and_gbk_bytes(tmp_path):
    path = tmp_path / "pages.csv"
    with open(path, "w", encoding="gbk", newline="") as f:
        w = csv.writer(f)
        w.writerow(["编号", "链接", "正文"])
        w.writerow(["r1", ROWS[0]["url"], TEXT])
        w.writerow(["r2", "", ""])
    c = read_corpus(path, columns={"id": "编号", "url": "链接", "text": "正文"}, progress=False)
    assert c.ids == ["r1"] and c["r1"].metadata.year == 2024
    assert len(c.errors) == 1 and "no text" in c.errors[0][1]
    with pytest.raises(ReportError, match="columns="):
        read_corpus(path, progress=False)
    with pytest.raises(ValueError, match="unknown column"):
        read_corpus(path, columns={"body": "正文"}, progress=False)


def test_parquet(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    path = tmp_path / "pages.parquet"
    pq.write_table(pa.Table.from_pylist([ROWS[0], {**ROWS[0], "url": ROWS[0]["url"]}]), path)
    c = read_corpus(path, progress=False)
    # the same url twice keeps both rows under distinct ids
    assert c.ids == ["www.a.gov.cn/zwgk/2025/art_1", "www.a.gov.cn/zwgk/2025/art_1~2"]


def test_parquet_without_pyarrow_names_the_extra(tmp_path, monkeypatch):
    import builtins

    real = builtins.__import__

    def no_pyarrow(name, *args, **kwargs):
        if name.startswith("pyarrow"):
            raise ImportError(name)
        return real(name, *args, **kwargs)

    path = tmp_path / "pages.parquet"
    path.write_bytes(b"PAR1")
    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    with pytest.raises(ReportError, match=r"rolnlp\[parquet\]"):
        read_corpus(path, progress=False)


def test_texts_never_name_files(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("一、机密\n不应被读取的内容。", encoding="utf-8")
    c = Corpus.from_texts(["/etc/passwd", str(secret), "报告.txt"])
    assert [r.text for r in c] == ["/etc/passwd", str(secret), "报告.txt"]
    assert all(r.path is None for r in c)


def test_output_folders_and_own_outputs_are_skipped(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / ".rolnlp-manifest.json").write_text("{}", encoding="utf-8")
    (out / "report.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "summary.html").write_text("<html><meta name='generator' content='rolnlp'>"
                                           "<p>一、表格</p></html>", encoding="utf-8")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "summary.html").write_text("<p>一、某区报告</p><p>正文。</p>",
                                                 encoding="utf-8")
    c = read_corpus(tmp_path, progress=False)
    # a summary.html rolnlp did not write is a report like any other
    assert c.ids == ["a", "summary"] and c["summary"].paragraphs[0].text == "正文。"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="permissions do not bind root")
def test_unreadable_folder_and_file_are_listed_and_warned(tmp_path, caplog):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "x.txt").write_text(TEXT, encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_text(TEXT, encoding="utf-8")
    locked.chmod(0)
    bad.chmod(0)
    try:
        with caplog.at_level(logging.WARNING, logger="rolnlp.corpus"):
            c = read_corpus(tmp_path, progress=False)
    finally:
        locked.chmod(0o755)
        bad.chmod(0o644)
    assert c.ids == ["a"]
    assert sorted(os.path.basename(p) for p, _ in c.errors) == ["bad.txt", "locked"]
    assert "2 skipped" in repr(c)
    assert sum("skipped" in r.message for r in caplog.records) == 2


def test_unlistable_folder_is_an_error_entry(tmp_path, monkeypatch):
    """The same path for root, who can list any folder: a failing listing is reported."""
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    real = os.scandir

    def scandir(path="."):
        if os.fspath(path).endswith("sub"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)

    (tmp_path / "sub").mkdir()
    monkeypatch.setattr(os, "scandir", scandir)
    c = read_corpus(tmp_path, progress=False)
    assert c.ids == ["a"] and len(c.errors) == 1 and c.errors[0][0].endswith("sub")


def test_gbk_file_names_are_read_and_shown_with_replacement_characters(tmp_path):
    name = "海盐县报告".encode("gbk") + b".txt"
    path = os.path.join(os.fsencode(tmp_path), name)
    with open(path, "wb") as f:
        f.write(TEXT.encode("gbk"))
    c = read_corpus(tmp_path, progress=False)
    assert len(c) == 1 and not c.errors
    rid = c.ids[0]
    assert "\ufffd" in rid
    rid.encode("utf-8")  # printable and writable
    df = c.to_dataframe()
    df.to_csv(tmp_path / "out.csv")
    json.dumps(c[0].to_dict(), ensure_ascii=False).encode("utf-8")
