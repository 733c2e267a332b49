"""classify / classify_report / evaluate, the heading mapper and the shipped model."""
import os
import threading

import numpy as np
import pytest

from clf_helpers import SHIPPED, fitted, subset, toy
import rolnlp


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("api") / "model"
    fitted("union", "svm").save(path, metadata={"threshold": 0.25})
    return path


@pytest.fixture(scope="module")
def model(model_dir):
    return rolnlp.load_model(model_dir)


def test_single_and_list_agree(model):
    texts = subset()[0][:40]
    batch = rolnlp.classify(texts, model=model)
    assert isinstance(batch, list) and len(batch) == 40
    for t, p in zip(texts[:5], batch):
        assert rolnlp.classify(t, model=model) == p
    p = batch[0]
    assert isinstance(p, rolnlp.Prediction)
    assert set(p.scores) == set(model.classes_)
    assert abs(sum(p.scores.values()) - 1) < 1e-9
    assert p.label == max(p.scores, key=p.scores.get) and p.label in p.labels
    assert all(p.scores[c] >= 0.25 or c == p.label for c in p.labels)  # model's threshold
    assert p.confidence == p.scores[p.label]
    with pytest.raises(Exception):
        p.label = "x"  # frozen


def test_threshold_and_evidence(model):
    text = "依法办理行政复议案件，行政复议纠错率提高，人民调解化解矛盾纠纷"
    p = rolnlp.classify(text, model=model, threshold=0.0)
    assert set(p.labels) == set(model.classes_)
    assert list(p.labels) == sorted(p.scores, key=lambda c: -p.scores[c])
    q = rolnlp.classify(text, model=model, threshold=1.0)
    assert q.labels == (q.label,)
    assert 0 < len(q.evidence) <= 5
    assert all(any(ch in text for ch in term.replace(" ", "")) for term in q.evidence)
    assert len(rolnlp.classify(text, model=model, top_n=2).evidence) <= 2
    assert rolnlp.classify(text, model=model, top_n=0).evidence == ()


def test_evidence_terms_support_the_label(model):
    proba, ev = model.explain(["全面推行行政执法公示制度、执法全过程记录制度"], top_n=3)
    assert len(ev[0]) == len(set(ev[0])) <= 3
    k = int(proba[0].argmax())
    names = model.feature_names()
    for term in ev[0]:
        assert model.coef_[k, names.index(term)] > 0


def test_empty_text_and_bad_types(model):
    p = rolnlp.classify("   ", model=model)
    assert p.label == "other" and p.scores["other"] == 1.0 and p.evidence == ()
    for bad in (None, 5, b"bytes", {"a": 1}, {"a"}):
        with pytest.raises(TypeError):
            rolnlp.classify(bad, model=model)
    with pytest.raises(TypeError):
        rolnlp.classify(["ok", None], model=model)
    with pytest.raises(ValueError):
        rolnlp.classify("依法行政", model=model, threshold=2)
    assert rolnlp.classify([], model=model) == []


def test_model_argument_forms(model, model_dir):
    text = "开展宪法宣传周活动"
    by_obj = rolnlp.classify(text, model=model)
    assert rolnlp.classify(text, model=str(model_dir)) == by_obj
    est = rolnlp.classify(text, model=fitted("union", "svm"))
    assert est.label == by_obj.label
    assert np.allclose(list(est.scores.values()), list(by_obj.scores.values()))
    with pytest.raises(TypeError):
        rolnlp.classify(text, model=3.5)


def test_threads_give_sequential_results(model_dir):
    texts = subset()[0][:60]
    expected = rolnlp.classify(texts, model=model_dir)
    results = [None] * 8
    barrier = threading.Barrier(8)

    def work(i):
        barrier.wait()
        results[i] = rolnlp.classify(texts, model=model_dir)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r == expected for r in results)


def test_n_jobs_equals_sequential(model):
    texts = subset()[0][:90]
    assert rolnlp.classify(texts, model=model, n_jobs=2, batch_size=30) == \
        rolnlp.classify(texts, model=model)


def test_default_model_from_env(model_dir, monkeypatch):
    monkeypatch.setenv("ROLNLP_MODEL", str(model_dir))
    assert rolnlp.classify("依法行政").scores.keys() == set(
        str(c) for c in rolnlp.load_model(model_dir).classes_)
    monkeypatch.setenv("ROLNLP_MODEL", str(model_dir.parent / "missing"))
    with pytest.raises(rolnlp.ModelError, match="no model"):
        rolnlp.classify("依法行政")


def test_classify_report(model):
    text = ("某区2024年法治政府建设情况报告\n一、主要工作\n（一）化解矛盾纠纷。全年办理行政复议案件120件，"
            "人民调解成功率98%。\n（二）深化普法。开展宪法宣传周活动，民法典进社区。")
    report = rolnlp.parse_report(text)
    before = dict(vars(report))
    df = rolnlp.classify_report(report, model=model)
    assert dict(vars(report)) == before  # no attribute added to the report
    table = report.to_dataframe()
    assert len(df) == len(table)
    assert df[list(table.columns)].equals(table)  # the table's own columns, untouched
    for col in ("label", "labels", "confidence", "evidence", "text", "section"):
        assert col in df.columns
    pcols = [c for c in df.columns if c.startswith("p_")]
    assert len(pcols) == len(model.classes_)
    assert np.allclose(df[pcols].sum(axis=1), 1.0)
    assert df["label"].tolist() == [p.label for p in rolnlp.classify(table["text"], model=model)]
    items = rolnlp.classify_report(report, model=model, level="item")
    assert len(items) == len(report.units("item"))
    assert items["text"].tolist() == [u.text for u in report.units("item")]
    assert set(table.columns) <= set(items.columns)
    with pytest.raises(TypeError):
        rolnlp.classify_report("not a report", model=model)


def test_evaluate(model_dir):
    X, y, _ = subset()
    res = rolnlp.evaluate((X[:100] + ["x"], y[:100] + ["made_up_code"]), model=model_dir)
    assert res["unknown_labels"] == ["made_up_code"]
    assert 0 <= res["macro_f1"] <= 1 and res["n"] == 101
    cm = res["confusion"]
    assert cm.values.sum() == 101 and "made_up_code" in cm.index
    assert res["per_class"].loc["made_up_code", "recall"] == 0


@pytest.mark.skipif(not (SHIPPED / "model.json").exists(), reason="shipped model not built")
def test_shipped_model_classifies_obvious_paragraphs():
    cases = {
        "全年共收到行政复议申请326件，依法受理298件，审结286件，通过行政复议纠正违法或不当行政行为31件。":
            "dispute_resolution",
        "深入开展“八五”普法，组织宪法宣传周、民法典宣传月活动120余场，打造法治文化阵地。": "legal_publicity",
        "全面落实行政执法公示、执法全过程记录、重大执法决定法制审核“三项制度”，制定行政裁量权基准。":
            "enforcement",
        "健全公共法律服务体系，建成区、街、社区三级公共法律服务平台，全年办理法律援助案件860件。":
            "legal_services",
        "现将有关情况报告如下：": "other",
    }
    preds = rolnlp.classify(list(cases), model=SHIPPED)
    assert [p.label for p in preds] == list(cases.values())


def test_any_iterable_of_str_in_order(model):
    import pandas as pd

    texts = subset()[0][:12]
    want = rolnlp.classify(texts, model=model)
    for form in (tuple(texts), pd.Series(texts, index=range(100, 112)),
                 np.array(texts), (t for t in texts)):
        got = rolnlp.classify(form, model=model)
        assert isinstance(got, list) and got == want
    p = rolnlp.classify(np.array(texts)[0], model=model)  # a numpy str is one text
    assert isinstance(p, rolnlp.Prediction)
    r = repr(p)
    assert "\n" not in r and len(r) < 160 and p.label in r


def test_trained_and_loaded_models_behave_alike(model_dir):
    clf = fitted("union", "svm")
    loaded = rolnlp.load_model(model_dir)
    X = subset()[0][:20]
    for attr in ("classes_", "metadata", "predict", "predict_proba", "decision_function",
                 "explain", "overlap", "save"):
        assert hasattr(clf, attr) and hasattr(loaded, attr)
    pa, ea = clf.explain(X, top_n=3)
    pb, eb = loaded.explain(X, top_n=3)
    assert np.allclose(pa, pb) and ea == eb
    assert clf.overlap(X).tolist() == loaded.overlap(X).tolist()


def test_evaluate_warns_when_data_overlaps_training(model_dir, caplog):
    X, y, _ = subset()
    with caplog.at_level("WARNING", logger="rolnlp"):
        res = rolnlp.evaluate((X[:50], y[:50]), model=model_dir)
    assert res["n_seen_in_training"] == 50
    assert "were in the model's training data" in caplog.text
    caplog.clear()
    fresh = ["本区今年新建了三处口袋公园并开放夜间照明。", "全年接待游客比上年增加两成。"]
    with caplog.at_level("WARNING", logger="rolnlp"):
        res = rolnlp.evaluate((fresh, ["other", "other"]), model=model_dir)
    assert res["n_seen_in_training"] == 0
    assert "training data" not in caplog.text


def test_n_jobs_by_path_loads_the_model_in_each_worker_once(model_dir, monkeypatch):
    import rolnlp.classification.api as api

    texts = subset()[0][:120]
    sent = []
    real = api._predict_many

    def spy(m, *a, **k):
        sent.append(m)
        return real(m, *a, **k)

    monkeypatch.setattr(api, "_predict_many", spy)
    with __import__("joblib").parallel_backend("threading"):  # the spy sees every part
        two = rolnlp.classify(texts, model=str(model_dir), n_jobs=2, batch_size=10)
    assert two == rolnlp.classify(texts, model=str(model_dir))
    # the parts carry the model's path, never the loaded model itself
    assert len(sent) >= 2 and all(isinstance(m, (str, os.PathLike)) for m in sent[:-1])


def test_classifier_caches_are_registered_and_bounded(model):
    from rolnlp._caches import registered_caches
    import rolnlp.classification.api as api

    names = registered_caches()
    for name in ("classification.models", "classification.resolved_paths",
                 "classification.normalized", "classification.analyzers"):
        assert name in names
    before = rolnlp.classify("依法办理行政复议案件", model=model)
    rolnlp.clear_caches()
    assert not api._cache and api._resolved.cache_info().currsize == 0
    assert rolnlp.classify("依法办理行政复议案件", model=model) == before
