import hashlib

import pandas as pd
import pytest

import rolnlp
from rolnlp.analysis import analyze
from rolnlp.cli import main


def keyword_labels(texts):
    return ["enforcement" if "执法" in t else "dispute_resolution" if "复议" in t else "other"
            for t in texts]


def digest(paths):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


@pytest.fixture(scope="module")
def analysis(tmp_path_factory, seed_paths):
    out = tmp_path_factory.mktemp("out")
    before = digest(seed_paths)
    reports = [rolnlp.read_report(p) for p in seed_paths]
    paths = analyze(seed_paths[0].parent, out, n_topics=3, progress=False,
                    labels=keyword_labels)
    assert digest(seed_paths) == before  # inputs untouched
    return reports, out, paths


def test_analyze_writes_tables(analysis):
    reports, out, paths = analysis
    n = sum(len(r.paragraphs) for r in reports)
    para = pd.read_csv(paths["paragraphs"])
    assert len(para) == n
    assert set(para["report_id"]) == {r.id for r in reports}
    assert para["label"].tolist() == keyword_labels([p.text for r in reports
                                                     for p in r.paragraphs])
    assert set(para["topic"]) <= {-1, 0, 1, 2}
    prof = pd.read_csv(paths["profile_report"])
    assert prof.groupby("report_id")["paragraphs"].sum().sum() == n
    info = pd.read_csv(paths["topic_info"])
    assert len(info) == 3 and info["size"].sum() == (para["topic"] >= 0).sum()
    sim = pd.read_csv(paths["similarity"], index_col=0)
    assert sim.shape == (len(reports), len(reports))
    dist = pd.read_csv(paths["distinctive_terms"])
    assert set(dist["report_id"]) <= {r.id for r in reports} and len(dist) > 0
    reuse = pd.read_csv(paths["reuse_pairs"])
    assert list(reuse.columns[:3]) == ["report_a", "start_a", "end_a"]


def test_analyze_writes_figures_and_summary(analysis):
    _, out, paths = analysis
    pngs = [p for k, p in paths.items() if k.startswith("fig_")]
    assert len(pngs) >= 5
    for p in pngs:
        with open(p, "rb") as f:
            head = f.read(8)
        assert head == b"\x89PNG\r\n\x1a\n"
    html = open(paths["summary"], encoding="utf-8").read()
    assert html.count("data:image/png;base64,") >= 5
    assert "<table" in html and "src=\"http" not in html  # self-contained
    assert not list(out.glob(".tmp-*"))  # atomic writes leave no temporaries


def test_analyze_rejects_bad_labels(tmp_path, seed_paths):
    with pytest.raises(rolnlp.LabelError):
        analyze(seed_paths[0].parent, tmp_path, n_topics=2, progress=False, labels=["x"])


def test_topics_command(tmp_path, seed_paths, capsys):
    out = tmp_path / "topics"
    assert main(["topics", str(seed_paths[0].parent), "--out", str(out), "--n-topics", "2",
                 "--quiet"]) == 0
    info = pd.read_csv(out / "topic_info.csv")
    assert len(info) == 2
    assert (out / "topics.png").stat().st_size > 1000
    assert (out / "topic_model" / "model.json").exists()


def test_commands_fail_friendly(tmp_path, capsys):
    assert main(["analyze", str(tmp_path / "nope"), "--out", str(tmp_path / "o")]) == 2
    assert "not a directory" in capsys.readouterr().err
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["topics", str(empty), "--out", str(tmp_path / "o"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "no reports" in err and "Traceback" not in err
    with pytest.raises(SystemExit) as e:
        main(["topics", str(empty), "--out", str(tmp_path / "o"), "--n-topics", "zero"])
    assert e.value.code == 2


def test_full_analyze_with_shipped_model(tmp_path, seed_paths):
    from rolnlp.classification.api import default_model_path

    if not default_model_path().exists():
        pytest.skip("no shipped classifier model")
    out = tmp_path / "out"
    assert main(["analyze", str(seed_paths[0].parent), "--out", str(out),
                 "--n-topics", "3", "--quiet"]) == 0
    para = pd.read_csv(out / "paragraphs.csv")
    assert len(para) == sum(len(rolnlp.read_report(p).paragraphs) for p in seed_paths)
    assert set(para["label"]) <= set(rolnlp.CATEGORY_CODES)
    assert (out / "summary.html").stat().st_size > 10_000
