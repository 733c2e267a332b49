"""analyze at scale: batches kept in the work area, resumed after an interruption,
recomputed when their files change; topics fitted on a sample."""
import re
import shutil

import pandas as pd
import pytest

from rolnlp.analysis import analyze, pipeline, spill, stream
from rolnlp.analysis.spill import WORK_DIR


def keyword_labels(texts):
    return ["enforcement" if "执法" in t else "dispute_resolution" if "复议" in t else "other"
            for t in texts]


@pytest.fixture
def reports(tmp_path, seed_paths, monkeypatch):
    """The five seed reports copied (so one can be edited), in batches of two."""
    src = tmp_path / "in"
    src.mkdir()
    for p in seed_paths:
        shutil.copy(p, src / p.name)
    monkeypatch.setattr(pipeline, "BATCH_SIZE", 2)
    return src


@pytest.fixture
def computed(monkeypatch):
    """The report files each run hands to process_reports."""
    seen = []
    real = stream.process_reports

    def recording(paths, ids=None, **kw):
        seen.append(sorted(str(p).rsplit("/", 1)[-1] for p in paths))
        return real(paths, ids, **kw)

    monkeypatch.setattr(stream, "process_reports", recording)
    return seen


def run(src, out, **kw):
    return analyze(src, out, n_topics=3, progress=False, labels=keyword_labels, **kw)


def outputs(out):
    """Every file written (the work area, the manifest, figures and the summary's
    time of writing aside)."""
    files = {}
    for p in sorted(out.rglob("*")):
        rel = p.relative_to(out)
        if p.is_file() and rel.parts[0] != WORK_DIR and p.suffix != ".png" \
                and p.name != ".rolnlp-manifest.json":
            data = p.read_bytes()
            if p.name == "summary.html":
                data = re.sub(rb"Written by rolnlp on [^<]*", b"", data)
            files[str(rel)] = data
    return files


def batch_files(out):
    return sorted((out / WORK_DIR / "batches").glob("*.npz"))


def test_interrupted_run_resumes_and_changed_files_are_recomputed(reports, tmp_path,
                                                                   monkeypatch, computed):
    names = sorted(p.name for p in reports.glob("*.txt"))
    run(reports, tmp_path / "fresh")
    assert computed[-1] == names
    assert len(batch_files(tmp_path / "fresh")) == 3

    out = tmp_path / "out"
    real, saved = spill.save_batch, []

    def interrupted(path, batch):
        if len(saved) == 2:
            raise KeyboardInterrupt
        saved.append(path)
        real(path, batch)

    monkeypatch.setattr(spill, "save_batch", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run(reports, out)
    assert len(batch_files(out)) == 2
    monkeypatch.setattr(spill, "save_batch", real)
    run(reports, out)
    assert computed[-1] == names[4:]  # only the third batch is computed again
    assert outputs(out) == outputs(tmp_path / "fresh")

    # an edited file: its batch is computed again, the other two are reused
    before = batch_files(out)
    edited = reports / names[2]
    edited.write_text(edited.read_text("utf-8") + "\n\n全年办理行政复议案件一百二十件。\n", "utf-8")
    run(reports, out)
    assert computed[-1] == names[2:4]
    after = batch_files(out)
    assert len(after) == 3 and len(set(after) - set(before)) == 1  # the stale file is gone
    assert pd.read_csv(out / "paragraphs.csv")["text"].str.contains("一百二十件").any()

    run(reports, out, resume=False)
    assert computed[-1] == names


def test_topics_on_a_sample_reach_every_paragraph_whatever_n_jobs(reports, tmp_path,
                                                                  monkeypatch):
    sample = 30
    monkeypatch.setattr(pipeline, "TOPIC_SAMPLE", sample)
    one = run(reports, tmp_path / "one", n_jobs=1)
    two = run(reports, tmp_path / "two", n_jobs=2)
    assert outputs(tmp_path / "one") == outputs(tmp_path / "two")
    para = pd.read_csv(one["paragraphs"])
    assert len(para) > 2 * sample  # the sample is a real subset
    assert para["topic"].ge(0).sum() > sample  # topics given beyond the fitted rows
    assert para["topic"].max() < 3
    per_report = pd.read_csv(one["topics_per_report"])
    assert set(per_report["report_id"]) == set(para["report_id"])
    examples = pd.read_csv(one["topic_examples"])
    assert len(examples) and examples["text"].notna().all()
