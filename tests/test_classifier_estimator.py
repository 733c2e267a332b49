"""ParagraphClassifier / KeywordClassifier: the scikit-learn contract, probabilities,
reproducibility, label handling and a floor on quality."""
import logging

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, GroupKFold
from sklearn.pipeline import Pipeline

from clf_helpers import fitted, labelled, subset, toy
from rolnlp import KeywordClassifier, LabelError, ParagraphClassifier


def test_constructor_stores_params_and_clone_round_trips():
    clf = ParagraphClassifier(features="word", model="logreg", C=3.0, min_df=2,
                              char_ngrams=(2, 4), random_state=7)
    params = clf.get_params()
    assert params["C"] == 3.0 and params["char_ngrams"] == (2, 4)
    twin = clone(clf)
    assert twin is not clf and twin.get_params() == params
    twin.set_params(C=0.5, features="char")
    assert twin.C == 0.5 and twin.features == "char" and clf.C == 3.0
    assert not hasattr(twin, "classes_")


@pytest.mark.parametrize("features", ["word", "char", "union"])
@pytest.mark.parametrize("model", ["logreg", "svm"])
def test_probabilities_are_distributions_and_predict_matches(features, model):
    X, y = toy()
    clf = ParagraphClassifier(features=features, model=model, calibration_folds=3).fit(X, y)
    p = clf.predict_proba(X + ["完全无关的内容"])
    assert p.shape == (len(X) + 1, 3)
    assert np.allclose(p.sum(axis=1), 1.0) and (p >= 0).all()
    assert list(clf.predict(X)) == list(clf.classes_[p[:-1].argmax(axis=1)])
    assert clf.decision_function(X).shape == (len(X), 3)


def test_pipeline_and_grid_search_with_groups():
    X, y, groups = subset()
    pipe = Pipeline([("clf", ParagraphClassifier(features="char", model="svm"))])
    grid = GridSearchCV(pipe, {"clf__C": [0.3, 3.0]}, cv=GroupKFold(n_splits=3),
                        scoring="f1_macro")
    grid.fit(X, y, groups=groups)
    assert grid.best_params_["clf__C"] in (0.3, 3.0)
    assert set(grid.predict(X[:20])) <= set(y)
    assert grid.best_score_ > 0.3  # far above chance (1/11)


def test_same_data_and_seed_give_identical_model():
    X, y, _ = subset()
    a = ParagraphClassifier(features="union", model="svm", random_state=3).fit(X, y)
    b = ParagraphClassifier(features="union", model="svm", random_state=3).fit(X, y)
    assert np.array_equal(a.coef_, b.coef_) and np.array_equal(a.intercept_, b.intercept_)
    assert np.array_equal(a.calibration_["a"], b.calibration_["a"])
    assert a.vectorizers_[1][1].vocabulary_ == b.vectorizers_[1][1].vocabulary_


def test_beats_keyword_baseline_on_held_out_reports():
    df = labelled()
    X, y, groups = subset()
    used = set(groups)
    test = df[~df["group"].isin(used)].sample(300, random_state=1)
    clf = fitted("char", "svm")
    kw = KeywordClassifier().fit(X, y)
    from sklearn.metrics import f1_score
    f_model = f1_score(test["label"], clf.predict(test["text"]), average="macro")
    f_kw = f1_score(test["label"], kw.predict(test["text"]), average="macro")
    assert f_model > f_kw and f_model > 0.5


def test_input_validation():
    clf = ParagraphClassifier()
    with pytest.raises(TypeError):
        clf.fit("一段文字", ["other"])
    with pytest.raises(TypeError):
        clf.fit([1, 2], ["a", "b"])
    with pytest.raises(LabelError):
        clf.fit(["甲", "乙"], ["other", "other"])
    with pytest.raises(ValueError):
        ParagraphClassifier(features="bag").fit(*toy())
    with pytest.raises(ValueError):
        ParagraphClassifier(model="tree").fit(*toy())


def test_keyword_classifier_uses_codebook_cues():
    X, y = toy()
    kw = KeywordClassifier().fit(X, y)
    assert list(kw.predict(["依法办理行政复议", "民法典宣传", "天气晴朗"])) == [
        "dispute_resolution", "legal_publicity", "other"]
    p = kw.predict_proba(X)
    assert np.allclose(p.sum(axis=1), 1.0)
    assert clone(kw).get_params() == kw.get_params()


def test_train_with_subset_and_custom_codes(caplog):
    import rolnlp
    X, y = toy()
    X = X + ["建立食品安全溯源体系", "加强食品抽检", "食品安全专项检查", ""]
    y = y + ["food_safety"] * 3 + ["other"]
    with caplog.at_level(logging.WARNING, logger="rolnlp"):
        clf = rolnlp.train((X, y), features="char", model="logreg", progress=False)
    msgs = " ".join(r.getMessage() for r in caplog.records)
    assert "food_safety" in msgs            # custom code announced
    assert "empty" in msgs                   # dropped row announced
    assert "enforcement" in msgs             # missing codebook codes announced
    assert "food_safety" in clf.classes_ and len(clf.classes_) == 4
    assert clf.predict(["食品安全抽检"])[0] == "food_safety"


def test_train_rejects_unusable_data():
    import rolnlp
    with pytest.raises(LabelError, match="distinct labels"):
        rolnlp.train((["甲", "乙"], ["other", "other"]), progress=False)
    with pytest.raises(LabelError, match="no usable rows"):
        rolnlp.train((["", " "], ["other", "leadership"]), progress=False)
    import pandas as pd
    with pytest.raises(LabelError, match="primary"):
        rolnlp.train(pd.DataFrame({"text": ["甲"], "code": ["x"]}), progress=False)
