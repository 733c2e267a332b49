import numpy as np
import pytest

from rolnlp.analysis import find_reuse, nearest_reports, similarity_matrix, split_sentences
from rolnlp.errors import RolnlpError
from rolnlp.analysis.reuse import normalize

PLANTED = "全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度。"


def random_text(seed, n_sentences=30, pool="甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥"):
    rng = np.random.default_rng(seed)
    sents = ["".join(rng.choice(list(pool), rng.integers(18, 40))) + "。"
             for _ in range(n_sentences)]
    return sents


def test_split_sentences_offsets():
    text = "  一是立规矩。二是强监督；\n三是抓落实！末尾无标点"
    for start, end, s in split_sentences(text):
        assert text[start:end] == s
        assert s == s.strip()
    assert [s for _, _, s in split_sentences(text)][-1] == "末尾无标点"


def test_planted_passage_is_found_with_offsets():
    a = random_text(1)
    b = random_text(2, pool="天地玄黄宇宙洪荒日月盈昃辰宿列张寒来暑往秋收冬藏")
    a.insert(7, PLANTED)
    b.insert(21, PLANTED)
    ta, tb = "".join(a), "\n".join(b)
    res = find_reuse({"A": ta, "B": tb})
    assert len(res.pairs) == 1  # the random sentences are not reported
    row = res.pairs.iloc[0]
    assert (row.report_a, row.report_b) == ("A", "B")
    assert ta[row.start_a:row.end_a] == PLANTED == row.sentence_a
    assert tb[row.start_b:row.end_b] == PLANTED
    assert row.start_a == ta.index(PLANTED) and row.start_b == tb.index(PLANTED)
    assert row.similarity == 1.0


def test_near_identical_sentences_match_and_figures_are_ignored():
    a = "今年共办理行政复议案件123件，纠正违法或不当行政行为15件。其他内容完全不一样的句子在这里。"
    b = "今年共办理行政复议案件98件，纠正违法或不当行政行为7件！另外一些毫无关系的文字放在此处吧。"
    c = "今年共办理行政复议案件98件，纠正违法和不当行政行为7件。"  # one character changed
    res = find_reuse({"a": a, "b": b, "c": c}, threshold=0.7)
    pairs = {(r.report_a, r.report_b): r.similarity for r in res.pairs.itertuples()}
    assert pairs[("a", "b")] == 1.0  # only the numbers differ
    assert 0.7 <= pairs[("a", "c")] < 1.0 and 0.7 <= pairs[("b", "c")] < 1.0
    assert len(res.pairs) == 3
    assert normalize("第 12 项，共3件。") == "第0项共0件"


def test_boilerplate_is_reported():
    boiler = "现将本年度法治政府建设有关情况报告如下，请予审阅并提出宝贵意见。"
    few = {f"r{i}": "".join(random_text(i, 5)) + boiler for i in range(3)}
    res = find_reuse(few)
    assert len(res.pairs) == 3 and set(res.pairs["sentence_a"]) == {boiler}
    many = {f"r{i:02d}": "".join(random_text(i, 5)) + boiler for i in range(12)}
    res = find_reuse(many, max_reports=10)
    assert len(res.pairs) == 0
    assert res.boilerplate.iloc[0]["sentence"] == boiler
    assert res.boilerplate.iloc[0]["n_reports"] == 12
    assert len(find_reuse(many, max_reports=None).pairs) == 66  # 12 choose 2


def test_similarity_matrix():
    texts = {"a": "行政复议 调解 纠纷", "b": "行政复议 调解 纠纷", "c": "普法 宪法 宣传"}
    tokens = {k: v.split() for k, v in texts.items()}
    sim = similarity_matrix(texts, tokens=tokens)
    assert list(sim.index) == ["a", "b", "c"] == list(sim.columns)
    assert sim.loc["a", "b"] == pytest.approx(1.0)
    assert sim.loc["a", "c"] == pytest.approx(0.0)
    np.testing.assert_allclose(sim.to_numpy(), sim.to_numpy().T)


def _brute_force_neighbours(sim, k, threshold):
    out = []
    ids = list(sim.index)
    for i, a in enumerate(ids):
        cand = [(-sim.iloc[i, j], j) for j in range(len(ids)) if j != i]
        cand.sort()
        rank = 0
        for neg, j in cand[:k]:
            if -neg < threshold or -neg <= 0:
                break
            rank += 1
            out.append((a, rank, ids[j], round(-neg, 6)))
    return out


def test_nearest_reports_equal_the_top_of_the_matrix(monkeypatch):
    import random

    from rolnlp.analysis import similarity

    rng = random.Random(0)
    vocab = ["行政复议", "调解", "纠纷", "普法", "宪法", "执法", "监督", "应急", "数据", "营商"]
    texts = {f"r{i:02d}": " ".join(rng.choices(vocab, k=rng.randint(1, 12))) for i in range(40)}
    texts["r40"] = texts["r00"]  # an exact duplicate: similarity 1 ties
    tokens = {k: v.split() for k, v in texts.items()}
    sim = similarity_matrix(texts, tokens=tokens)
    for k, threshold in [(1, 0.0), (5, 0.0), (5, 0.6), (60, 0.0)]:
        want = _brute_force_neighbours(sim, k, threshold)
        # tiny row blocks, so the blocked computation is exercised
        monkeypatch.setattr(similarity, "_BLOCK_CELLS", 3 * len(texts))
        nn = nearest_reports(texts, k=k, threshold=threshold, tokens=tokens)
        got = [(a, r, b, pytest.approx(s, abs=1e-6)) for a, r, b, s in nn.itertuples(index=False)]
        assert got == want
    assert list(nn.columns) == ["report_id", "rank", "neighbour_id", "similarity"]


def test_nearest_reports_size_is_linear_and_matrix_is_refused_for_large_sets(monkeypatch):
    from rolnlp.analysis import similarity

    texts = {f"r{i}": f"行政复议 调解 案件{i % 7}" for i in range(30)}
    tokens = {k: v.split() for k, v in texts.items()}
    assert len(nearest_reports(texts, k=3, tokens=tokens)) == 30 * 3
    monkeypatch.setattr(similarity, "MATRIX_LIMIT", 10)
    with pytest.raises(RolnlpError, match="nearest_reports"):
        similarity_matrix(texts, tokens=tokens)
    with pytest.raises(TypeError):
        nearest_reports(texts, k=0, tokens=tokens)


@pytest.mark.parametrize("seed,threshold", [(0, 0.8), (1, 0.6), (2, 0.9)])
def test_reuse_finds_exactly_the_pairs_an_all_pairs_comparison_finds(seed, threshold):
    from rolnlp.text.sentences import shingles

    rng = np.random.default_rng(seed)
    base = random_text(seed, n_sentences=12, pool="甲乙丙丁戊己庚辛壬癸子丑")
    texts = {}
    for r in range(8):  # each report: variants of the same sentences, one to three edits
        sents = []
        for s in rng.choice(base, 6, replace=False):
            s = list(s[:-1])
            for _ in range(rng.integers(0, 4)):
                s[rng.integers(len(s))] = rng.choice(list("甲乙丙丁"))
            sents.append("".join(s) + "。")
        texts[f"r{r}"] = "".join(sents)
    got = find_reuse(texts, threshold=threshold, max_reports=None, progress=False).pairs
    want = set()
    units = [(rid, a, b, normalize(s)) for rid, t in texts.items()
             for a, b, s in split_sentences(t)]
    for i, (ra, sa, ea, na) in enumerate(units):
        for rb, sb, eb, nb in units[i + 1:]:
            if ra == rb or len(na) < 15 or len(nb) < 15:
                continue
            x, y = shingles(na, 3), shingles(nb, 3)
            sim = round(len(x & y) / len(x | y), 4)
            if sim >= threshold:
                want.add((ra, sa, rb, sb, sim))
    assert len(want) >= 3
    assert threshold > 0.8 or any(w[-1] < 1 for w in want)  # near, not only exact, copies
    assert set(zip(got.report_a, got.start_a, got.report_b, got.start_b, got.similarity)) == want


@pytest.mark.parametrize("ngram", [0, -1, 2.5, True])
def test_reuse_refuses_an_ngram_length_that_is_not_a_positive_int(ngram):
    with pytest.raises(ValueError, match="ngram"):
        find_reuse({"a": "今年共办理行政复议案件一百件。"}, ngram=ngram, progress=False)
