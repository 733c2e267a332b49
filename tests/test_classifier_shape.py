"""Layout cues and class weighting: the cues mean what they say, the numpy-only
model reproduces them exactly, and a saved shape block is checked on load."""
import json

import numpy as np
import pytest

from clf_helpers import subset
from rolnlp.persistence import _digest
from rolnlp import ModelError, ParagraphClassifier, load_model
from rolnlp.classification.features import SHAPE_FEATURES, shape_features


def cue(text, name):
    return shape_features(text)[SHAPE_FEATURES.index(name)]


def test_cues_separate_openings_titles_and_residue_from_body_text():
    opening = "2024年，我区坚持以习近平法治思想为指导，现将有关情况报告如下："
    body = "全年办理行政复议案件120件，纠正违法行政行为8件。"
    title = "某某区2024年度法治政府建设情况报告"
    residue = "索引号：11420104/2025-00012 发布日期：2025-03-01"
    assert cue(opening, "starts_year") == 1 and cue(body, "starts_year") == 0
    assert cue(opening, "ends_report_follows") == 1 and cue(body, "ends_report_follows") == 0
    assert cue(body, "ends_full_stop") == 1 and cue(opening, "ends_full_stop") == 0
    assert cue(title, "title_like") == 1 and cue(body, "title_like") == 0
    assert cue(residue, "digit_share") > 0.5 > cue(body, "digit_share")
    assert cue(residue, "kept_share") < cue(body, "kept_share")
    assert cue("一、加强领导。（二）推进执法。3.强化监督", "heading_markers") == 3
    assert cue(body * 4, "log_length") > cue(body, "log_length")
    assert shape_features("   ") == [0.0] * len(SHAPE_FEATURES)


@pytest.fixture(scope="module")
def shaped():
    X, y, _ = subset()
    return ParagraphClassifier(features="char", shape_weight=1.0, random_state=0).fit(X, y)


def test_shape_block_changes_the_model_and_survives_saving(shaped, tmp_path):
    X, y, _ = subset()
    plain = ParagraphClassifier(features="char", random_state=0).fit(X, y)
    assert shaped.coef_.shape[1] == plain.coef_.shape[1] + len(SHAPE_FEATURES)
    shaped.save(tmp_path / "m")
    m = load_model(tmp_path / "m")
    probe = X[:60] + ["", "现将有关情况报告如下：", "索引号：1142/2025-00012"]
    assert np.allclose(m.predict_proba(probe), shaped.predict_proba(probe), atol=1e-10)
    assert m.predict(probe) == list(shaped.predict(probe))
    # layout cues are features, not terms: they never show up as evidence
    _, evidence = m.explain(probe)
    assert not set(SHAPE_FEATURES) & {t for ev in evidence for t in ev}
    doc = json.loads((tmp_path / "m" / "model.json").read_text("utf-8"))
    assert doc["manifest"]["blocks"][-1]["kind"] == "shape"


@pytest.mark.parametrize("mutate", [
    lambda d: d["blocks"][-1].update(n_features=3),
    lambda d: d["blocks"].insert(0, d["blocks"].pop()),
    lambda d: d["blocks"][-1].update(kind="char"),
])
def test_malformed_shape_block_is_refused(shaped, tmp_path, mutate):
    shaped.save(tmp_path / "m")
    path = tmp_path / "m" / "model.json"
    doc = json.loads(path.read_text("utf-8"))
    mutate(doc["manifest"])
    doc["sha256"] = _digest(doc)  # re-signed, as a crafted file would be
    path.write_text(json.dumps(doc), "utf-8")
    with pytest.raises(ModelError):
        load_model(tmp_path / "m")


def test_sqrt_weights_sit_between_none_and_balanced():
    X, y, _ = subset()
    y = list(y)
    # make `other` the large class, as in the real data
    X = X + [x + "。" for x, lab in zip(X, y) if lab == "other"] * 3
    y = y + [lab for lab in y if lab == "other"] * 3
    clf = ParagraphClassifier(features="char", class_weight="sqrt").fit(X, y)
    w = clf._class_weight()
    other = list(clf.classes_).index("other")
    small = next(i for i, c in enumerate(clf.classes_) if c != "other")
    counts = {c: y.count(c) for c in clf.classes_}
    balanced = len(y) / (len(counts) * np.array([counts[c] for c in clf.classes_]))
    assert w[other] == pytest.approx(np.sqrt(balanced[other]))
    assert balanced[other] < w[other] < 1.0 < w[small] < balanced[small]
    with pytest.raises(ValueError, match="class_weight"):
        ParagraphClassifier(class_weight="heavy").fit(X[:20], y[:20])
    by_code = ParagraphClassifier(features="char", class_weight={"other": 3.0}).fit(X, y)
    assert by_code._class_weight() == {other: 3.0}
