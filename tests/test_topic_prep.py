import json
import math
from collections import Counter

import pytest

from rolnlp.analysis import topic_prep as tp
from rolnlp.analysis.topics import TopicModel


def test_runs_break_at_dropped_words_and_punctuation():
    assert tp.segments("习近平新时代", ["习近平", "新", "时代"]) == [["习近平"], ["时代"]]
    text = "为全区发展提供法治保障。现将有关情况报告如下"
    toks = ["全区", "发展", "提供", "法治保障", "现将", "有关", "情况", "报告"]
    runs = tp.segments(text, toks, tp.GENERIC_TERMS)
    assert ["法治保障", "现将"] not in runs and all("现将" not in r or r[0] == "现将" for r in runs)
    # a stopword the tokenizer already removed leaves a gap in the text
    assert tp.segments("行政的复议", ["行政", "复议"]) == [["行政"], ["复议"]]
    assert tp.segments("行政复议", ["行政", "复议"]) == [["行政", "复议"]]
    # tokens a tokenizer rewrote (not found in the text) stand alone
    assert tp.segments("１２３４５热线", ["12345热线"]) == [["12345热线"]]  # full width
    assert tp.segments("调解复议", ["调解", "复仪", "复议"]) == [["调解"], ["复仪"], ["复议"]]
    assert tp.segments("行政x复议", ["行政", "zz", "复议"]) == [["行政"], ["复议"]]


def test_pinyin_residue_is_never_a_term():
    for residue in ("ng", "zh", "sh", "zhi", "Fa"):
        assert not tp.is_term(residue)
    assert tp.is_term("12345热线") and tp.is_term("调解") and not tp.is_term("法")


def test_phrases_never_join_across_a_gap():
    # 习近平 新 时代 follow each other 200 times; 行政 复议 are adjacent 200 times
    texts = ["学习习近平新时代思想，推进行政复议工作"] * 100 + ["习近平新时代，行政复议"] * 100
    tm = TopicModel(n_topics=1, min_topics=1, phrase_min_count=5, stop_terms=()).fit(texts)
    assert "习近平" in tm.dictionary_.token2id
    assert not any(t.startswith("习近平") and t != "习近平" for t in tm.dictionary_.token2id)
    assert "思想推进" not in tm.dictionary_.token2id


def test_phrases_join_adjacent_pairs():
    import re

    class Pairs:  # two characters a token, punctuation dropped
        def tokenize(self, text):
            return re.findall("..", text.replace("。", ""))

    texts = ["甲乙丙丁戊己"] * 30 + ["丙丁庚辛"] * 30 + ["甲乙。丙丁"] * 30
    tm = TopicModel(n_topics=1, min_topics=1, tokenizer=Pairs(), phrase_min_count=3,
                    stop_terms=(), min_tokens=1).fit(texts)
    assert ("甲乙", "丙丁") in tm._phrase_pairs
    assert "甲乙丙丁" in tm.dictionary_.token2id
    # the same pair across a sentence boundary stays two terms
    text = "甲乙。丙丁"
    assert tp.terms_of(tp.segments(text, Pairs().tokenize(text)), tm._phrase_pairs) == \
        ["甲乙", "丙丁"]


def labelled():
    from conftest import CORPUS

    rows = [json.loads(x) for x in (CORPUS / "labels/labels.jsonl").read_text("utf-8").splitlines()]
    return [r for r in rows if r["primary"] != "other"]


@pytest.fixture(scope="module")
def key_terms():
    """The ten most distinctive terms of every codebook area on the labelled
    paragraphs, with only the first tier of generic terms removed."""
    from rolnlp.text import default_tokenizer

    rows = labelled()
    tok = default_tokenizer()
    first = frozenset(tp._FIRST_TIER.split())
    docs = []
    for r in rows:
        t = tp.to_simplified(r["text"])
        docs.append({w for run in tp.segments(t, tok.tokenize(t), first) for w in run})
    df_all = Counter(w for d in docs for w in d)
    out = {}
    for cat in sorted({r["primary"] for r in rows}):
        idx = [i for i, r in enumerate(rows) if r["primary"] == cat]
        dfc = Counter(w for i in idx for w in docs[i])
        n, rest = len(idx), len(rows) - len(idx)

        def score(w):
            inside = (dfc[w] + 0.5) / (n + 1)
            outside = (df_all[w] - dfc[w] + 0.5) / (rest + 1)
            return dfc[w] / n * math.log(inside / outside)
        out[cat] = sorted((w for w in dfc if dfc[w] >= 3), key=lambda w: (-score(w), w))[:10]
    return out


def test_second_tier_keeps_every_area_key_terms(key_terms):
    second = frozenset(tp._SECOND_TIER.split())
    assert len(key_terms) == 10
    lost = {cat: sorted(set(terms) & second) for cat, terms in key_terms.items()}
    assert not any(lost.values()), lost
    # and the tier is not empty words: each of its terms occurs in the labelled data
    assert {"问题", "部门", "要求", "任务", "发展"} <= second


def test_dropped_candidates_are_key_terms(key_terms):
    # why 群众, 服务 and 事项 are not in the list: areas would lose them (部署, a
    # leadership key term on the 0.1 labels, stays out of the list as well)
    flat = {w for terms in key_terms.values() for w in terms}
    assert {"群众", "服务", "事项"} <= flat
    assert not {"群众", "服务", "部署", "事项"} & tp.GENERIC_TERMS
