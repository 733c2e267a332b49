import json

import numpy as np
import pandas as pd
import pytest

from rolnlp.analysis import TopicModel
from rolnlp.errors import ModelError, RolnlpError

THEMES = {
    "dispute": "复议 调解 纠纷 信访 仲裁 应诉 化解 争议".split(),
    "enforce": "执法 处罚 检查 裁量 整治 证件 案件 监管".split(),
    "publicity": "普法 宪法 宣传 青少年 法治文化 讲座 民法典 活动".split(),
}
COMMON = "推进 落实 全年 要求 部门 机制".split()


class SpaceTokenizer:
    def tokenize(self, text):
        return text.split()


def make_docs(n_per_theme=30, seed=0):
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n_per_theme):
        for j, (name, words) in enumerate(THEMES.items()):
            toks = list(rng.choice(words, 12)) + list(rng.choice(COMMON, 3))
            rows.append({"report_id": f"r{i % 6}", "region": f"region{i % 3}",
                         "province": f"省{i % 2}", "year": 2020 + i % 4, "theme": name,
                         "text": " ".join(toks)})
    return pd.DataFrame(rows)


def to_traditional(docs):
    import opencc

    conv = opencc.OpenCC("s2t")
    return docs.assign(text=[conv.convert(t) for t in docs["text"]])


KW = dict(tokenizer=SpaceTokenizer(), phrases=False, stop_terms=())


@pytest.fixture(scope="module")
def docs():
    return make_docs()


@pytest.fixture(scope="module")
def fitted(docs):
    return TopicModel(n_topics=3, random_state=0, **KW).fit(docs)


def fresh(docs, k=3, **kw):
    return TopicModel(n_topics=k, random_state=0, **{**KW, **kw}).fit(docs)


def test_topics_recover_the_themes(fitted, docs):
    info = fitted.get_topic_info()
    assert list(info["topic"]) == [0, 1, 2]
    assert info["size"].sum() == len(docs)
    # each theme's paragraphs share one top topic, and the themes get different topics
    majority = docs.assign(topic=fitted.documents_["topic"]).groupby("theme")["topic"] \
        .agg(lambda s: s.mode()[0])
    assert majority.nunique() == 3
    for theme, topic in majority.items():
        top = [w for w, _ in fitted.get_topic(int(topic), top_n=5)]
        assert set(top) <= set(THEMES[theme])
    assert all(len(lbl.split("_")) == 3 for lbl in info["label"])


def test_fit_transform_and_transform_agree(docs):
    tm = TopicModel(n_topics=3, random_state=0, **KW)
    topics, probs = tm.fit_transform(docs)
    assert probs.shape == (len(docs), 3)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-5)
    new_topics, new_probs = tm.transform(list(docs["text"][:9]) + ["", "未知 词语"])
    assert list(new_topics[:9]) == list(topics[:9])
    assert list(new_topics[9:]) == [-1, -1]  # nothing known: no topic
    assert not new_probs[9:].any()


@pytest.mark.parametrize("method", ["ctfidf", "gibbs", "lda"])
def test_same_seed_same_topics(docs, method):
    kw = dict(n_topics=3, method=method, iterations=40 if method == "gibbs" else 3, **KW)
    a = TopicModel(random_state=7, **kw).fit(docs)
    b = TopicModel(random_state=7, **kw).fit(docs)
    np.testing.assert_array_equal(a.topic_word_, b.topic_word_)
    np.testing.assert_array_equal(a.doc_topic_, b.doc_topic_)


def labelled_texts(n):
    from conftest import CORPUS

    rows = [json.loads(x) for x in (CORPUS / "labels/labels.jsonl").read_text("utf-8").splitlines()]
    return [r["text"] for r in rows if r["section"] == "achievements"][:n]


@pytest.mark.parametrize("method", ["ctfidf", "gibbs"])
def test_topics_do_not_depend_on_n_jobs(method):
    # 450 real paragraphs: tokenizing really runs in two processes with n_jobs=2
    texts = labelled_texts(450)
    kw = dict(n_topics=6, method=method, random_state=3, iterations=30)
    one = TopicModel(n_jobs=1, **kw).fit(texts)
    two = TopicModel(n_jobs=2, **kw).fit(texts)
    assert [one.get_topic(t) for t in range(6)] == [two.get_topic(t) for t in range(6)]
    np.testing.assert_array_equal(one.doc_topic_, two.doc_topic_)


def test_automatic_k_uses_coherence_and_stability(docs):
    tm = TopicModel("auto", topic_range=(2, 5), random_state=0, **KW).fit(docs)
    diag = tm.diagnostics_
    assert list(diag["n_topics"]) == [2, 3, 4, 5]
    assert {"coherence", "stability", "diversity", "chosen"} <= set(diag.columns)
    assert diag["chosen"].sum() == 1 and tm.n_topics_ == 3
    assert diag.loc[diag["chosen"], "stability"].item() == 1.0
    assert tm.coherence_sweep_ is tm.diagnostics_
    assert tm.visualize_diagnostics().axes


def test_automatic_k_is_the_same_for_every_random_state(docs):
    # K describes the corpus: the sweep's seeds are fixed, random_state seeds the final fit
    fits = [TopicModel("auto", topic_range=(2, 5), random_state=rs, **KW).fit(docs)
            for rs in (0, 7, 123)]
    assert len({tm.n_topics_ for tm in fits}) == 1
    for tm in fits[1:]:
        pd.testing.assert_frame_equal(tm.diagnostics_, fits[0].diagnostics_)


def test_automatic_k_has_a_floor(docs):
    tm = TopicModel("auto", random_state=0, min_topics=5, **KW).fit(docs)
    assert tm.diagnostics_["n_topics"].min() == 5 and tm.n_topics_ >= 5


def test_units_left_out_of_fitting(docs):
    d = docs.copy()
    d["section"] = ["preamble" if i % 10 == 0 else "achievements" for i in range(len(d))]
    d["kind"] = ["title" if i % 10 == 1 else "paragraph" for i in range(len(d))]
    tm = fresh(d)
    skipped = (d["section"] == "preamble") | (d["kind"] == "title")
    assert (tm.documents_.loc[skipped, "topic"] == -1).all()
    assert (tm.documents_.loc[~skipped, "topic"] >= 0).all()
    assert fresh(d, skip_units=()).documents_["topic"].ge(0).all()
    assert fresh(docs).documents_["topic"].ge(0).all()  # no kind/section columns: all fitted


def test_traditional_script_is_simplified(docs):
    trad = to_traditional(docs)
    assert trad["text"].iloc[0] != docs["text"].iloc[0]
    a, b = fresh(docs), fresh(trad)
    assert sorted(a.dictionary_.token2id) == sorted(b.dictionary_.token2id)
    assert b.find_topics("復議")["topic"].tolist()[:1] == a.find_topics("复议")["topic"].tolist()[:1]


def test_topics_per_class_report_first(fitted, docs):
    per = fitted.topics_per_class("region", n_boot=200)
    assert set(per["region"]) == set(docs["region"])
    np.testing.assert_allclose(per.groupby("region")["share"].sum(), 1.0, rtol=1e-5)
    assert (per["ci_low"] <= per["share"] + 1e-9).all()
    assert (per["share"] <= per["ci_high"] + 1e-9).all()
    # report first: region0 holds reports r0 and r3, each weighs the same
    by_report = fitted.topics_per_report()
    r = by_report[by_report["report_id"].isin(["r0", "r3"])].groupby("topic")["share"].mean()
    np.testing.assert_allclose(per[per["region"] == "region0"]["share"].to_numpy(), r.to_numpy(),
                               rtol=1e-6)
    assert per.groupby("region")["n_reports"].first().tolist() == [2, 2, 2]
    assert fitted.topics_per_class("region", min_reports=3).empty
    by_prov = fitted.topics_per_class("province")
    assert set(by_prov["province"]) == {"省0", "省1"}
    years = fitted.topics_over_time()
    assert sorted(years["year"].unique()) == [2020, 2021, 2022, 2023]
    by_cat = fitted.topics_per_class("category", labels=list(docs["theme"]))
    assert (by_cat.groupby("category")["share"].max() > 0.9).all()
    with pytest.raises(ModelError):
        fitted.topics_per_class("category", labels=["x"])
    with pytest.raises(ModelError):
        fitted.topics_per_class("nonsense")


def test_topic_terms_per_class(fitted, docs):
    terms = fitted.topic_terms_per_class("region", top_n=4)
    assert set(terms.columns) >= {"region", "topic", "terms", "n_paragraphs", "n_reports"}
    assert terms["n_paragraphs"].sum() == len(docs)
    for _, row in terms.iterrows():
        theme = docs.assign(t=fitted.documents_["topic"]).query("t == @row.topic")["theme"].mode()[0]
        assert set(row["terms"].split()) <= set(THEMES[theme]) | set(COMMON)


def test_representative_docs_and_document_info(fitted, docs):
    rep = fitted.get_representative_docs(top_n=2)
    assert len(rep) == 6 and list(rep.columns[:3]) == ["topic", "rank", "row"]
    for _, row in rep.iterrows():
        assert fitted.documents_.at[row["row"], "topic"] == row["topic"]
        assert fitted.documents_.at[row["row"], "text"] == row["text"]
    assert (rep.groupby("topic")["score"].apply(lambda s: s.is_monotonic_decreasing)).all()
    one = fitted.get_representative_docs(1, top_n=1)
    assert one["topic"].tolist() == [1]
    info = fitted.get_document_info()
    assert len(info) == len(docs) and info["representative"].sum() == 9
    assert {"topic", "label", "probability", "top_terms", "region"} <= set(info.columns)
    new = fitted.get_document_info(["复议 调解 纠纷 信访"])
    assert new["label"].iloc[0] == fitted.topic_labels_[int(new["topic"].iloc[0])]


def test_find_topics(fitted):
    found = fitted.find_topics("复议")
    assert found["topic"].iloc[0] == fitted.transform(["复议 调解 纠纷 信访 仲裁"])[0][0]
    assert fitted.find_topics("没有的词").empty
    with pytest.raises(TypeError):
        fitted.find_topics(["复议"])


def test_set_labels_merge_and_reduce(docs):
    tm = fresh(docs)
    tm.set_topic_labels({0: "零"})
    assert tm.get_topic_info()["custom_label"].iloc[0] == "零"
    with pytest.raises(ModelError):
        tm.set_topic_labels(["a"])
    with pytest.raises(ModelError):
        tm.set_topic_labels({7: "x"})
    before = tm.get_topic_info()["size"].tolist()
    tm.merge_topics([1, 2])
    assert tm.n_topics_ == 2 and tm.get_topic_info()["size"].tolist() == [before[0],
                                                                         before[1] + before[2]]
    assert tm.get_topic_info()["custom_label"].iloc[0] == "零"
    topics, probs = tm.transform(list(docs["text"][:6]))
    assert probs.shape == (6, 2) and list(topics) == list(tm.documents_["topic"][:6])
    tm2 = fresh(docs, k=6).reduce_topics(3)
    assert tm2.n_topics_ == 3
    # the three themes end in three different topics
    majority = docs.assign(t=tm2.documents_["topic"]).groupby("theme")["t"].agg(
        lambda s: s.mode()[0])
    assert majority.nunique() == 3
    with pytest.raises(ModelError):
        tm2.reduce_topics(5)


def test_save_load_roundtrip_and_tamper(docs, tmp_path):
    tm = fresh(docs).merge_topics([0, 2]).set_topic_labels(["a", "b"])
    path = tm.save(tmp_path / "tm")
    loaded = TopicModel.load(path, tokenizer=SpaceTokenizer())
    texts = list(docs["text"][:12])
    t1, p1 = tm.transform(texts)
    t2, p2 = loaded.transform(texts)
    assert list(t1) == list(t2)
    np.testing.assert_allclose(p1, p2, atol=1e-6)
    pd.testing.assert_frame_equal(loaded.get_topic_info(), tm.get_topic_info())
    pd.testing.assert_frame_equal(loaded.topics_per_class("region", n_boot=50),
                                  tm.topics_per_class("region", n_boot=50))

    (npz,) = (tmp_path / "tm").glob("arrays-*.npz")
    blob = bytearray(npz.read_bytes())
    blob[len(blob) // 2] ^= 0xFF
    npz.write_bytes(bytes(blob))
    with pytest.raises(ModelError):
        TopicModel.load(path)
    tm.save(tmp_path / "tm")
    js = tmp_path / "tm" / "model.json"
    js.write_text(js.read_text("utf-8").replace("复议", "复审", 1), "utf-8")
    with pytest.raises(ModelError):
        TopicModel.load(path)
    with pytest.raises(ModelError):
        TopicModel.load(tmp_path / "missing")


def test_real_reports(seed_paths):
    import rolnlp

    reports = [rolnlp.read_report(p) for p in seed_paths]
    tm = TopicModel(n_topics=4, random_state=0).fit(reports)
    docs = tm.documents_
    assert len(docs) == sum(len(r.paragraphs) for r in reports)
    skipped = docs["section"].isin(["preamble", "other"])
    assert skipped.any() and (docs.loc[skipped, "topic"] == -1).all()
    assert len(tm.dictionary_.token2id) > 100
    vocab = set(tm.dictionary_.token2id)
    assert not any(w.isascii() and w.isalpha() and w.islower() for w in vocab)
    assert "习近平时代" not in vocab


def test_figures(fitted, monkeypatch):
    from rolnlp.analysis import plots

    fig = fitted.visualize_heatmap("region", top_n=2)
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert len(labels) == 2 and all("(n=2)" in x for x in labels)
    monkeypatch.setattr(plots, "cjk_font", lambda: None)
    figs = [fitted.visualize_topics(), fitted.visualize_topics_per_class("region"),
            fitted.visualize_topics_over_time(), fitted.visualize_heatmap("province")]
    for fig in figs:
        texts = [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]
        assert texts and not any(plots.has_cjk(t) for t in texts)


def test_bad_parameters(fitted):
    with pytest.raises(ModelError):
        TopicModel(n_topics=0).fit(["a b"])
    with pytest.raises(ModelError):
        TopicModel(method="nmf").fit(["a b"])
    with pytest.raises(TypeError):
        TopicModel(seed_words=["复议"]).fit(["a b"])
    with pytest.raises(ModelError):
        TopicModel(n_topics=2).get_topic(0)
    with pytest.raises(ModelError):
        fitted.get_topic(3)
    with pytest.raises(RolnlpError):
        TopicModel(n_topics=2, **KW).fit(pd.DataFrame({"text": ["", "x"]}))


def test_precomputed_tokens_of_traditional_text(docs):
    trad = to_traditional(docs)
    tokens = [t.split() for t in trad["text"]]
    tm = TopicModel(n_topics=3, random_state=0, phrases=False, stop_terms=()).fit(trad, tokens)
    assert sorted(tm.dictionary_.token2id) == sorted(fresh(docs).dictionary_.token2id)


def test_seed_words_start_their_clusters(docs):
    seeds = {"publicity": ["普法", "宪法"], "missing": ["没有"], "dispute": ["复议", "调解"]}
    tm = fresh(docs, seed_words=seeds)
    assert tm.seed_terms_["missing"] == []
    assert tm.seed_topics_ == {"publicity": 0, "dispute": 1}
    info = tm.get_topic_info()
    assert info.loc[0, "seed"] == "publicity" and info.loc[0, "category"] == "publicity"
    assert {w for w, _ in tm.get_topic(1, top_n=5)} <= set(THEMES["dispute"])
    # the label is the data's own top terms, not the seed words
    assert info.loc[0, "label"] == "_".join(w for w, _ in tm.get_topic(0, top_n=3))
    with pytest.raises(ModelError):
        TopicModel(method="lda", seed_words=seeds).fit(docs)


def test_load_refuses_oversized_files(fitted, tmp_path, monkeypatch):
    from rolnlp.analysis import topic_io
    from rolnlp.persistence import Limits

    path = fitted.save(tmp_path / "tm")
    (npz,) = (tmp_path / "tm").glob("arrays-*.npz")
    monkeypatch.setattr(topic_io, "LIMITS", Limits(max_array_bytes=npz.stat().st_size - 1))
    with pytest.raises(ModelError):
        TopicModel.load(path, tokenizer=SpaceTokenizer())
    monkeypatch.setattr(topic_io, "LIMITS", Limits(max_manifest_bytes=1000))
    with pytest.raises(ModelError):
        TopicModel.load(path, tokenizer=SpaceTokenizer())


def test_saved_paragraph_metadata_roundtrips(seed_paths, tmp_path):
    import rolnlp

    tm = TopicModel(n_topics=3, random_state=0, progress=False).fit(
        [rolnlp.read_report(p) for p in seed_paths[:2]])
    loaded = TopicModel.load(tm.save(tmp_path / "tm"))
    cols = [c for c in ("report_id", "region", "province", "year", "level", "index", "kind",
                        "section", "topic") if c in tm.documents_.columns]
    assert cols and len(loaded.documents_) == len(tm.documents_)
    for c in cols:
        want = [None if pd.isna(v) else v for v in tm.documents_[c].tolist()]
        got = [None if pd.isna(v) else v for v in loaded.documents_[c].tolist()]
        assert got == want, c
    pd.testing.assert_frame_equal(loaded.topics_per_report(), tm.topics_per_report())


def test_format_3_models_still_load(fitted, tmp_path):
    from rolnlp.analysis import topic_io
    from rolnlp.persistence import load_bundle, save_bundle

    payload, arrays = load_bundle(fitted.save(tmp_path / "v4"), kind=topic_io.KIND,
                                  limits=topic_io.LIMITS)
    loaded = TopicModel.load(tmp_path / "v4", tokenizer=SpaceTokenizer())
    docs = loaded.documents_
    # the same model as format 3 wrote it: metadata as JSON lists in the manifest
    payload = {**payload, "version": 3,
               "documents": {c: [topic_io._jsonable(v) for v in docs[c].tolist()]
                             for c in docs.columns}}
    arrays = {k: v for k, v in arrays.items() if not k.startswith("col_")}
    save_bundle(tmp_path / "v3", kind=topic_io.KIND, manifest=payload, arrays=arrays)
    old = TopicModel.load(tmp_path / "v3", tokenizer=SpaceTokenizer())
    pd.testing.assert_frame_equal(old.topics_per_report(), loaded.topics_per_report())
    pd.testing.assert_frame_equal(old.get_topic_info(), loaded.get_topic_info())
