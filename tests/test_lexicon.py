"""The shipped lexicon, stopword list and the term-mining functions."""
import json
import pathlib
import random

import jieba
import pytest

from rolnlp.text import Tokenizer, load_lexicon, load_stopwords, mine_terms, tune_frequencies
from rolnlp.text.lexicon import LEXICON_PATH, STOPWORDS_PATH
from rolnlp.reading.clean import to_simplified
from rolnlp.text.mine import DEFAULT_FRAMES, term_contexts

ROOT = pathlib.Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"

REQUIRED = """合法性审查 合法性审核 行政复议 行政应诉 综合行政执法 首违不罚 轻微免罚 枫桥经验
法律明白人 一网统管 一网通办 放管服 告知承诺 公平竞争审查 重大行政决策 规范性文件 备案审查
府院联动 诉源治理 公共法律服务 法律援助 八五普法 谁执法谁普法 习近平法治思想 第一责任人 述法
法治督察 行政裁量权基准 三项制度 双随机 一公开 包容审慎监管 营商环境 行政执法监督 案卷评查
12345热线 12348热线""".split()


@pytest.fixture(scope="module")
def corpus_texts():
    texts = [p.read_text("utf-8") for p in sorted((CORPUS / "reports").glob("*.txt"))]
    with open(CORPUS / "chunks" / "chunks.jsonl", encoding="utf-8") as fh:
        texts += [json.loads(line)["text"] for line in fh if line.strip()]
    return [to_simplified(t) for t in texts]


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


@pytest.fixture(scope="module")
def tok():
    # stopwords off: a lexicon term must come out whole even if it were a stopword
    return Tokenizer(stopwords=False, max_quote=0)


def test_lexicon_size_and_format(lexicon):
    terms = [t for t, _, _ in lexicon]
    assert len(terms) >= 300
    assert len(set(terms)) == len(terms), "duplicate lexicon terms"
    for term, freq, tag in lexicon:
        assert freq > 0 and tag == "nz", term
        assert len(term) >= 2 and not any(c.isspace() for c in term)
    # plain jieba userdict: no comment lines, three fields per line
    for line in LEXICON_PATH.read_text("utf-8").splitlines():
        assert len(line.split()) == 3 and not line.startswith("#")


def test_required_terms_present(lexicon):
    terms = {t for t, _, _ in lexicon}
    missing = [t for t in REQUIRED if t not in terms]
    assert not missing


def test_every_term_occurs_in_corpus(lexicon, corpus_texts):
    blob = "\n".join(corpus_texts)
    absent = [t for t, _, _ in lexicon if t not in blob]
    assert not absent, f"lexicon terms not in the corpus: {absent}"


def test_every_term_kept_whole_in_neutral_frames(lexicon, tok):
    split = []
    for term, _, _ in lexicon:
        for frame in DEFAULT_FRAMES + ("今年{}取得新进展。",):
            toks = tok(frame.format(term))
            # whole: a token of its own, or inside one longer stock word (信访工作)
            if not any(term in t for t in toks):
                split.append((term, frame, toks))
    assert not split


def test_terms_kept_whole_in_corpus_sentences(lexicon, corpus_texts, tok):
    terms = {t for t, _, _ in lexicon}
    sample = random.Random(0).sample(sorted(terms), 80)
    bad = []
    for term in sample:
        for ctx in term_contexts(term, corpus_texts, limit=5):
            toks = tok(ctx)
            # whole, or cut by another lexicon term that overlaps it (both cannot win)
            if term in toks or any(term in t for t in toks):
                continue
            if any(t in terms and t != term and (t in ctx) and _overlaps(ctx, term, t) for t in toks):
                continue
            bad.append((term, ctx, toks))
    assert not bad


def _overlaps(ctx, a, b):
    i, j = ctx.find(a), ctx.find(b)
    return i < j + len(b) and j < i + len(a)


def test_stopwords_documented_and_domain_verbs_kept():
    header = [ln for ln in STOPWORDS_PATH.read_text("utf-8").splitlines() if ln.startswith("#")]
    assert len(header) >= 5
    stop = load_stopwords()
    for formulaic in ("进一步", "深入", "扎实", "全面", "持续", "不断", "推进", "加强", "的", "了"):
        assert formulaic in stop
    for signal in ("审查", "调解", "执法", "复议", "普法", "下一步", "不足", "现将"):
        assert signal not in stop
    lex_terms = {t for t, _, _ in load_lexicon()}
    assert not (stop & lex_terms), "a lexicon term is also a stopword"


def test_mine_terms_finds_planted_terms_and_rejects_fragments():
    rng = random.Random(1)
    filler = "天地人山水日月风云花草木石金土星河海江湖"
    planted = ["枫桥经验", "诉源治理", "府院联动"]
    texts = []
    for i in range(60):
        parts = []
        for _ in range(6):
            parts.append("".join(rng.choice(filler) for _ in range(rng.randint(2, 5))))
            parts.append(rng.choice(planted))
        texts.append("".join(parts) + "。")
    df = mine_terms(texts, min_len=3, max_len=6, min_freq=5, seeds=[], progress=False)
    found = set(df["term"])
    assert set(planted) <= found
    # fragments have one fixed neighbour, so low boundary entropy
    assert "枫桥经" not in found and "桥经验" not in found
    assert list(df.columns[:4]) == ["term", "length", "freq", "pmi"]
    assert df["score"].is_monotonic_decreasing
    row = df.set_index("term").loc["诉源治理"]
    assert row["freq"] == sum(t.count("诉源治理") for t in texts)
    assert row["pieces"].count("/") >= 1 and not row["in_jieba"]  # jieba's stock dict splits it


def test_mine_terms_converts_traditional_and_flags_seeds():
    texts = ["堅持和發展楓橋經驗，推廣楓橋經驗，總結楓橋經驗。"] * 2
    df = mine_terms(texts, min_len=4, max_len=4, min_freq=6, seeds=["枫桥经验"])
    row = df.set_index("term").loc["枫桥经验"]
    assert row["freq"] == 6 and bool(row["is_cue"])


def test_mine_terms_validates_input():
    with pytest.raises(TypeError):
        mine_terms(["行政复议", None])
    with pytest.raises(ValueError):
        mine_terms(["行政复议"], min_len=5, max_len=3)


def test_tune_frequencies_keeps_terms_whole_without_global_change():
    before = len(jieba.dt.FREQ)
    rows = tune_frequencies(["首违不罚", "诉源治理"], ["严格落实首违不罚清单", "深化诉源治理工作"])
    assert [r[0] for r in rows] == ["首违不罚", "诉源治理"]
    assert all(freq > 0 and not failing for _, freq, failing in rows)
    assert len(jieba.dt.FREQ) == before
