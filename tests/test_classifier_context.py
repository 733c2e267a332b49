"""The context stage: a second model over text scores, section and unit kind."""
import json

import numpy as np
import pytest

import rolnlp
from rolnlp.classification.api import classify, classify_report
from rolnlp.classification.context import (CONTEXT_DIR, ContextStage, check_context,
                                           context_features)
from rolnlp.classification.portable import load_model
from rolnlp.errors import ModelError

from clf_helpers import toy

REVIEW = "依法办理行政复议案件，纠正违法行政行为"
REPORT = ("某县2024年法治政府建设情况报告\n"
          "2024年，我县依法办理行政复议案件，纠正违法行政行为。\n"
          "一、主要举措和成效\n"
          "依法办理行政复议案件，纠正违法行政行为，化解行政争议。\n")


def _text_model():
    X, y = toy()
    return rolnlp.ParagraphClassifier(features="char", model="logreg", C=10.0,
                                      random_state=0).fit(X, y)


def _stage(model, seed=0):
    """A stage taught that a preamble unit is `other`, whatever its text."""
    X, y = toy()
    proba = model.predict_proba(X)
    ctx = [{"section": "achievements", "kind": "paragraph"}] * len(X)
    ctx += [{"section": "preamble", "kind": "paragraph"}] * len(X)
    return ContextStage(C=10.0, random_state=seed).fit(
        np.vstack([proba, proba]), ctx, y + ["other"] * len(X), model.classes_, X + X)


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    model = _text_model()
    path = tmp_path_factory.mktemp("ctx") / "m"
    portable = model.export({"name": "ctx-test"})
    portable.context_stage = _stage(model)
    portable.save(path)
    return path


def test_stage_learns_the_section_on_a_small_subset():
    model = _text_model()
    stage = _stage(model)
    p = model.predict_proba([REVIEW])
    ach = stage.predict_proba(p, [{"section": "achievements"}], [REVIEW])
    pre = stage.predict_proba(p, [{"section": "preamble"}], [REVIEW])
    classes = list(stage.classes_)
    assert classes[ach.argmax()] == "dispute_resolution"
    assert classes[pre.argmax()] == "other"
    assert np.allclose(pre.sum(axis=1), 1.0)


def test_same_seed_same_stage():
    model = _text_model()
    a, b = _stage(model, 3), _stage(model, 3)
    assert np.array_equal(a.coef_, b.coef_) and np.array_equal(a.intercept_, b.intercept_)


def test_round_trip_keeps_predictions(saved):
    m = load_model(saved)
    assert m.context_stage is not None
    assert (saved / CONTEXT_DIR / "model.json").is_file()
    p = m.predict_proba([REVIEW])
    fresh = _stage(_text_model())
    ctx = [{"section": "preamble", "kind": "paragraph"}]
    assert np.allclose(m.context_stage.predict_proba(p, ctx, [REVIEW]),
                       fresh.predict_proba(p, ctx, [REVIEW]))


def test_classify_with_context(saved):
    assert classify(REVIEW, model=saved).label == "dispute_resolution"
    assert classify(REVIEW, model=saved, context={"section": "preamble"}).label == "other"
    many = classify([REVIEW, REVIEW], model=saved,
                    context=[None, {"section": "preamble", "kind": "paragraph"}])
    assert [p.label for p in many] == ["dispute_resolution", "other"]
    # a model without a stage ignores the context
    plain = _text_model()
    assert classify(REVIEW, model=plain, context={"section": "preamble"}).label == \
        "dispute_resolution"


@pytest.mark.parametrize("bad,exc", [
    ({"sectoin": "preamble"}, ValueError), ({"section": "intro"}, ValueError),
    ({"kind": 3}, ValueError), ("preamble", TypeError), ([{"section": "plans"}] * 2, ValueError),
])
def test_bad_context_is_refused(saved, bad, exc):
    with pytest.raises(exc):
        classify(REVIEW, model=saved, context=bad)


def test_classify_report_uses_context(saved):
    report = rolnlp.parse_report(REPORT)
    df = classify_report(report, model=saved)
    rows = df[df["text"].str.contains("行政复议")]
    by_section = dict(zip(rows["section"], rows["label"]))
    assert by_section["preamble"] == "other"
    assert by_section["achievements"] == "dispute_resolution"
    # the same rows by text alone
    text_only = classify(rows["text"].tolist(), model=saved)
    assert {p.label for p in text_only} == {"dispute_resolution"}


def test_unknown_kind_leaves_its_block_empty():
    x = context_features(np.array([[0.5, 0.5]]), check_context({"kind": "signature"}, 1), ["x"])
    kind_block = x[0, 2 + len(rolnlp.SECTION_CODES):-1]
    assert not kind_block.any()
    x = context_features(np.array([[0.5, 0.5]]), check_context({"kind": "table_row"}, 1), ["x"])
    assert x[0, 2 + len(rolnlp.SECTION_CODES):-1].tolist() == [0.0, 0.0, 1.0]


def _rewrite(path, edit):
    """Change the stage manifest and re-seal it, as a crafted file would."""
    from rolnlp.persistence import _digest
    f = path / CONTEXT_DIR / "model.json"
    doc = json.loads(f.read_text("utf-8"))
    edit(doc)
    doc["sha256"] = _digest(doc)
    f.write_text(json.dumps(doc), "utf-8")


def test_crafted_stage_is_refused(saved, tmp_path):
    import shutil

    for edit in (lambda d: d["manifest"].update(classes=["a", "b", "c"]),
                 lambda d: d["manifest"].update(blocks=["section"]),
                 lambda d: d["manifest"].update(sections=["x"])):
        path = tmp_path / "m"
        shutil.rmtree(path, ignore_errors=True)
        shutil.copytree(saved, path)
        _rewrite(path, edit)
        with pytest.raises(ModelError):
            load_model(path)
    # tampering without re-sealing is caught by the checksum
    path = tmp_path / "t"
    shutil.copytree(saved, path)
    f = path / CONTEXT_DIR / "model.json"
    f.write_text(f.read_text("utf-8").replace('"C": 10.0', '"C": 11.0'), "utf-8")
    with pytest.raises(ModelError):
        load_model(path)


def test_saving_without_a_stage_removes_a_stale_one(saved, tmp_path):
    import shutil

    path = tmp_path / "m"
    shutil.copytree(saved, path)
    _text_model().export().save(path)
    assert not (path / CONTEXT_DIR).exists()
    assert load_model(path).context_stage is None
