import numpy as np
import pandas as pd
import pytest

from rolnlp.analysis import TopicModel
from rolnlp.errors import ModelError

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
                         "year": 2020 + i % 4, "theme": name, "text": " ".join(toks)})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def docs():
    return make_docs()


@pytest.fixture(scope="module")
def fitted(docs):
    tm = TopicModel(n_topics=3, random_state=0, tokenizer=SpaceTokenizer(), phrases=False,
                    stop_terms=())
    tm.fit(docs)
    return tm


def test_topics_recover_the_themes(fitted, docs):
    info = fitted.get_topic_info()
    assert list(info["topic"]) == [0, 1, 2]
    assert info["size"].sum() == len(docs)
    # each theme's paragraphs share one top topic, and the themes get different topics
    majority = docs.assign(topic=fitted.documents_["topic"]).groupby("theme")["topic"] \
        .agg(lambda s: s.mode()[0])
    assert majority.nunique() == 3
    for theme, topic in majority.items():
        top = [w for w, _ in fitted.get_topic(int(topic), topn=5)]
        assert set(top) <= set(THEMES[theme]) | set(COMMON)
        assert len(set(top) & set(THEMES[theme])) >= 4
    assert all(len(lbl.split("_")) == 3 for lbl in info["label"])


def test_fit_transform_and_transform_agree(docs):
    tm = TopicModel(n_topics=3, random_state=0, tokenizer=SpaceTokenizer(), phrases=False,
                    stop_terms=())
    topics, probs = tm.fit_transform(docs)
    assert probs.shape == (len(docs), 3)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-5)
    new_topics, new_probs = tm.transform(list(docs["text"][:9]) + ["", "未知 词语"])
    assert list(new_topics[:9]) == list(topics[:9])
    assert list(new_topics[9:]) == [-1, -1]  # nothing known: no topic
    assert not new_probs[9:].any()
    again, _ = tm.transform(list(docs["text"][:9]))
    assert list(again) == list(new_topics[:9])


def test_same_seed_same_topics(docs):
    kw = dict(n_topics=3, tokenizer=SpaceTokenizer(), phrases=False, stop_terms=())
    a = TopicModel(random_state=7, **kw).fit(docs)
    b = TopicModel(random_state=7, **kw).fit(docs)
    np.testing.assert_array_equal(a.topic_word_, b.topic_word_)
    np.testing.assert_array_equal(a.doc_topic_, b.doc_topic_)


def test_auto_sweep_picks_the_most_coherent(docs):
    tm = TopicModel("auto", topic_range=(2, 5), random_state=0, tokenizer=SpaceTokenizer(),
                    phrases=False, stop_terms=()).fit(docs)
    sweep = tm.coherence_sweep_
    assert list(sweep["n_topics"]) == [2, 3, 4, 5]
    assert tm.n_topics_ == int(sweep.loc[sweep["coherence"].idxmax(), "n_topics"])
    assert tm.visualize_coherence().axes


def test_seed_words_pull_their_topic(docs):
    # one word from each theme: unseeded LDA puts them in three different topics,
    # the seed prior gathers them at the top of topic 0
    seeds = {"mixed": ["复议", "执法", "普法"]}
    kw = dict(n_topics=4, random_state=0, tokenizer=SpaceTokenizer(), phrases=False,
              stop_terms=())
    seeded = TopicModel(seed_words=seeds, **kw).fit(docs)
    plain = TopicModel(**kw).fit(docs)

    def hits(tm, t):
        return len({w for w, _ in tm.get_topic(t, topn=6)} & set(seeds["mixed"]))

    assert seeded.seed_topics_ == {"mixed": 0}
    assert hits(seeded, 0) == 3
    assert max(hits(plain, t) for t in range(4)) < hits(seeded, 0)
    info = seeded.get_topic_info()
    assert info.loc[0, "seed"] == "mixed" and info.loc[0, "category"] == "mixed"


def test_topics_per_class_and_over_time(fitted, docs):
    per_region = fitted.topics_per_class("region")
    assert set(per_region["region"]) == set(docs["region"])
    counts = per_region.groupby("region")["frequency"].sum()
    assert counts.to_dict() == docs["region"].value_counts().to_dict()
    np.testing.assert_allclose(per_region.groupby("region")["weight"].sum(), 1.0, rtol=1e-5)
    over_time = fitted.topics_over_time()
    assert sorted(over_time["year"].unique()) == [2020, 2021, 2022, 2023]
    by_cat = fitted.topics_per_class("category", labels=list(docs["theme"]))
    share = by_cat.groupby("category")["share"].max()
    assert (share > 0.9).all()  # each labelled theme sits in one topic
    with pytest.raises(ValueError):
        fitted.topics_per_class("category", labels=["x"])
    per_report = fitted.topics_per_report()
    assert per_report.groupby("report_id")["frequency"].sum().sum() == len(docs)


def test_save_load_roundtrip_and_tamper(fitted, docs, tmp_path):
    path = fitted.save(tmp_path / "tm")
    loaded = TopicModel.load(path, tokenizer=SpaceTokenizer())
    texts = list(docs["text"][:12])
    t1, p1 = fitted.transform(texts)
    t2, p2 = loaded.transform(texts)
    assert list(t1) == list(t2)
    np.testing.assert_allclose(p1, p2, atol=1e-5)
    assert loaded.get_topic_info()["size"].tolist() == fitted.get_topic_info()["size"].tolist()

    npz = tmp_path / "tm" / "topic_model.npz"
    blob = bytearray(npz.read_bytes())
    blob[len(blob) // 2] ^= 0xFF
    npz.write_bytes(bytes(blob))
    with pytest.raises(ModelError):
        TopicModel.load(path)
    fitted.save(tmp_path / "tm")
    js = tmp_path / "tm" / "topic_model.json"
    js.write_text(js.read_text("utf-8").replace("复议", "复审", 1), "utf-8")
    with pytest.raises(ModelError):
        TopicModel.load(path)
    with pytest.raises(ModelError):
        TopicModel.load(tmp_path / "missing")


def test_real_reports_with_codebook_seeds(seed_paths):
    import rolnlp

    reports = [rolnlp.read_report(p) for p in seed_paths]
    tm = TopicModel(n_topics="auto", seed_words="codebook", random_state=0).fit(reports)
    n = sum(len(r.paragraphs) for r in reports)
    assert len(tm.documents_) == n
    assert tm.n_topics_ >= 11  # one topic per codebook category at least
    info = tm.get_topic_info()
    seeded = info.dropna(subset=["seed"])
    # most seeded topics end up matching the category they were seeded with
    assert (seeded["seed"] == seeded["category"]).mean() >= 0.6
    assert len(tm.dictionary_) > 100


def test_figures_fall_back_to_codes_without_cjk_font(fitted, monkeypatch):
    from rolnlp.analysis import plots

    monkeypatch.setattr(plots, "cjk_font", lambda: None)
    figs = [fitted.visualize_topics(), fitted.visualize_topics_per_class("region"),
            fitted.visualize_topics_over_time()]
    for fig in figs:
        texts = [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]
        assert texts and not any(plots.has_cjk(t) for t in texts)


def test_bad_parameters():
    with pytest.raises(ValueError):
        TopicModel(n_topics=0).fit(["a b"])
    with pytest.raises(TypeError):
        TopicModel(seed_words=["复议"]).fit(["a b"])
    with pytest.raises(ValueError):
        TopicModel(n_topics=2).get_topic(0)
