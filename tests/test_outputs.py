"""What ``analyze --out`` writes: its manifest, stale outputs, the lock, full and
read-only disks, spreadsheet-safe CSV and file names that are not UTF-8."""
import errno
import json
import os
import shutil

import pandas as pd
import pytest

from rolnlp.analysis import analyze
from rolnlp.analysis.outputs import (LOCK_NAME, MANIFEST_NAME, OutputDir, OutputError,
                                     read_manifest, safe_text, spreadsheet_safe, write_csv)
from rolnlp.analysis.spill import WORK_DIR
from rolnlp.cli import main

from conftest import REPORTS


def keyword_labels(texts):
    return ["enforcement" if "执法" in t else "other" for t in texts]


@pytest.fixture
def two_reports(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for p in sorted(REPORTS.glob("*.txt"))[:2]:
        shutil.copy(p, src / p.name)
    return src


def _files(d):
    """Files under ``d`` outside the work area (batch results kept for resuming)."""
    return sorted(str(p.relative_to(d)) for p in d.rglob("*")
                  if p.is_file() and p.relative_to(d).parts[0] != WORK_DIR)


def test_rerun_removes_its_own_stale_outputs_and_nothing_else(two_reports, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine", "utf-8")
    (out / "coherence_old.png").write_bytes(b"not rolnlp's")
    analyze(two_reports, out, n_topics="auto", progress=False, labels=keyword_labels)
    manifest = read_manifest(out)
    assert "coherence_sweep.csv" in manifest
    assert "notes.txt" not in manifest and MANIFEST_NAME not in manifest
    assert set(manifest) == set(_files(out)) - {"notes.txt", "coherence_old.png",
                                                MANIFEST_NAME}
    # a fixed number of topics writes no sweep: the old sweep files go, the rest stays
    analyze(two_reports, out, n_topics=2, progress=False, labels=keyword_labels)
    assert not (out / "coherence_sweep.csv").exists()
    assert (out / "notes.txt").read_text("utf-8") == "mine"
    assert (out / "coherence_old.png").read_bytes() == b"not rolnlp's"
    assert "coherence_sweep.csv" not in read_manifest(out)
    assert not (out / LOCK_NAME).exists()


def test_a_crafted_manifest_cannot_delete_other_files(tmp_path):
    outside = tmp_path / "precious.txt"
    outside.write_text("keep", "utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / MANIFEST_NAME).write_text(json.dumps(
        {"files": ["../precious.txt", str(outside), "a/../../precious.txt", "ok.csv"]}), "utf-8")
    assert read_manifest(out) == ["ok.csv"]
    with OutputDir(out):
        pass
    assert outside.read_text("utf-8") == "keep"


def test_a_second_run_into_the_same_directory_is_refused(two_reports, tmp_path, capsys):
    out = tmp_path / "out"
    with OutputDir(out):
        with pytest.raises(OutputError, match="another rolnlp run is writing"):
            OutputDir(out).__enter__()
        code = main(["analyze", str(two_reports), "--out", str(out), "-q"])
        err = capsys.readouterr().err
        assert code == 2 and "another rolnlp run" in err and len(err.strip().splitlines()) == 1
    assert not (out / LOCK_NAME).exists()


def test_a_lock_left_by_an_ended_process_is_taken_over(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / LOCK_NAME).write_text("999999999\n", "utf-8")  # no such process
    with OutputDir(out) as o:
        assert int((out / LOCK_NAME).read_text("utf-8")) == os.getpid()
        o.add(write_csv(pd.DataFrame({"a": [1]}), o.file("t.csv")))
    assert read_manifest(out) == ["t.csv"]


@pytest.mark.skipif(os.name == "nt" or getattr(os, "geteuid", lambda: 1)() == 0,
                    reason="root ignores directory permissions")
def test_read_only_output_directory_fails_before_the_work(two_reports, tmp_path, capsys):
    out = tmp_path / "ro"
    out.mkdir()
    out.chmod(0o555)
    try:
        code = main(["analyze", str(two_reports), "--out", str(out), "-q"])
    finally:
        out.chmod(0o755)
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "cannot write" in err and "Traceback" not in err


@pytest.mark.parametrize("code", [errno.EROFS, errno.EACCES])
def test_unwritable_output_directory_is_one_line(code, two_reports, tmp_path, monkeypatch,
                                                capsys):
    # root ignores permission bits, so the refusal of the file system is simulated
    real_open = os.open

    def refuse(path, flags, *a, **k):
        if str(path).endswith(LOCK_NAME):
            raise OSError(code, os.strerror(code), str(path))
        return real_open(path, flags, *a, **k)

    monkeypatch.setattr(os, "open", refuse)
    rc = main(["analyze", str(two_reports), "--out", str(tmp_path / "out"), "-q"])
    err = capsys.readouterr().err
    assert rc == 2 and len(err.strip().splitlines()) == 1
    assert "cannot write" in err


def test_full_disk_is_one_line_and_leaves_a_manifest(two_reports, tmp_path, monkeypatch,
                                                     capsys):
    import rolnlp.analysis.plots as plots

    def full(fig, path):
        raise OSError(errno.ENOSPC, "No space left on device", path)

    monkeypatch.setattr(plots, "save_figure", full)
    out = tmp_path / "out"
    rc = main(["analyze", str(two_reports), "--out", str(out), "-q", "--n-topics", "2"])
    err = capsys.readouterr().err
    assert rc == 2 and len(err.strip().splitlines()) == 1
    assert "the disk is full" in err and "Traceback" not in err
    # the files written before the failure are listed, so a rerun can clean them up
    assert "topic_info.csv" in read_manifest(out)
    assert not (out / LOCK_NAME).exists()


def test_csv_cells_cannot_run_as_spreadsheet_formulas(tmp_path):
    df = pd.DataFrame({"text": ["=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)",
                                "\tx", "依法行政", None],
                       "n": [-1, 2, 3, 4, 5, 6, 7], "labels": [["a", "b"]] * 7})
    path = write_csv(df, tmp_path / "t.csv")
    back = pd.read_csv(path, keep_default_na=False)
    assert back["text"].tolist()[:6] == ["'=HYPERLINK(\"http://x\")", "'+1", "'-2+3",
                                         "'@SUM(A1)", "'\tx", "依法行政"]
    assert back["text"].tolist()[6] == ""  # missing stays empty, never 'nan'
    assert back["n"].tolist() == [-1, 2, 3, 4, 5, 6, 7]  # numbers untouched
    assert back["labels"].tolist() == ["a;b"] * 7
    assert spreadsheet_safe(df)["text"][0].startswith("'")


def test_analyze_neutralises_formulas_from_report_text(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("某区2023年法治政府建设情况报告\n一、主要举措\n"
                               "=cmd|' /C calc'!A0 全年办理行政复议案件120件。\n", "utf-8")
    (src / "b.txt").write_text("某县2023年法治政府建设情况报告\n一、主要举措\n"
                               "@SUM(1+1) 推行行政执法三项制度。\n", "utf-8")
    paths = analyze(src, tmp_path / "out", n_topics=2, progress=False, labels=keyword_labels)
    para = pd.read_csv(paths["paragraphs"], keep_default_na=False)
    starts = [t for t in para["text"] if t.lstrip("'").startswith(("=", "@"))]
    assert starts and all(t.startswith("'") for t in starts)
    assert "nan" not in para.to_csv(index=False).split(",")


def test_safe_text_replaces_lone_surrogates():
    name = os.fsdecode("硚口区报告".encode("gbk") + b".txt")
    assert safe_text(name).endswith(".txt") and "\ufffd" in safe_text(name)
    safe_text(name).encode("utf-8")
    assert safe_text("依法") == "依法" and safe_text(3) == 3


@pytest.mark.skipif(os.name == "nt", reason="POSIX file names are bytes")
def test_gbk_file_names_are_read_and_written_everywhere(tmp_path, capsys):
    src = tmp_path / "in"
    src.mkdir()
    body = REPORTS.glob("*.txt").__next__().read_bytes()
    gbk_name = os.path.join(os.fsencode(src), "硚口区报告".encode("gbk") + b".txt")
    try:
        with open(gbk_name, "wb") as f:
            f.write(body)
    except (OSError, UnicodeError):
        pytest.skip("the file system refuses non-UTF-8 names")
    shutil.copy(sorted(REPORTS.glob("*.txt"))[1], src / "b.txt")
    out = tmp_path / "out"
    assert main(["analyze", str(src), "--out", str(out), "-q", "--n-topics", "2"]) == 0
    capsys.readouterr()
    para = pd.read_csv(out / "paragraphs.csv")
    assert any("\ufffd" in r for r in para["report_id"])
    html = (out / "summary.html").read_text("utf-8")
    assert "Rule-of-law report analysis" in html
    assert main(["classify", str(src), "--format", "json", "-q"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert any("\ufffd" in r["report_id"] for r in rows)
    assert main(["read", os.fsdecode(gbk_name), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["paragraphs"]
    assert main(["read", os.fsdecode(gbk_name)]) == 0
    assert main(["read", os.fsdecode(gbk_name), "--format", "csv"]) == 0


def test_unreadable_files_are_counted_and_listed_in_the_summary(two_reports, tmp_path):
    (two_reports / "broken.txt").write_bytes(bytes(range(128, 256)) * 20)
    out = tmp_path / "out"
    analyze(two_reports, out, n_topics=2, progress=False, labels=keyword_labels)
    page = (out / "summary.html").read_text("utf-8")
    assert "<dt>files that could not be read</dt><dd>1</dd>" in page
    assert "broken.txt" in page
