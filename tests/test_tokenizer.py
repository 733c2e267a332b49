"""Behaviour of the rule-of-law Tokenizer."""
import copy
import logging
import pathlib
import pickle
import threading

import jieba
import pytest

import rolnlp
from rolnlp.text import Tokenizer, default_tokenizer, load_stopwords, tokenize

REPORTS = pathlib.Path(__file__).resolve().parents[1] / "corpus" / "reports"


@pytest.fixture(scope="module")
def tok():
    return Tokenizer()


@pytest.fixture(scope="module")
def seed_texts():
    return [p.read_text("utf-8") for p in sorted(REPORTS.glob("*.txt"))]


@pytest.mark.parametrize("text, expected_any", [
    ("全面推行行政执法三项制度", {"三项制度", "行政执法"}),
    ("严格落实首违不罚清单", {"首违不罚"}),
    ("深化枫桥经验", {"枫桥经验"}),
    ("强化府院联动，推进诉源治理", {"府院联动"}),
    ("开展重大行政决策合法性审查", {"合法性审查"}),
    ("推行包容审慎监管和轻微免罚", {"包容审慎监管"}),
    ("开通12345热线与12348热线", {"12345热线"}),
    ("培育农村法律明白人", {"法律明白人"}),
])
def test_domain_terms_kept_whole(tok, text, expected_any):
    assert expected_any & set(tok(text))


def test_public_api_exports(tok):
    assert rolnlp.tokenize is tokenize and rolnlp.Tokenizer is Tokenizer
    assert tokenize("深化枫桥经验") == tok("深化枫桥经验")
    assert default_tokenizer() is default_tokenizer()


@pytest.mark.parametrize("text, slogan", [
    ("落实“三书同达”制度", "三书同达"),
    ('推进"放管服"改革', "放管服"),
    ("推行「一件事」集成办", "一件事"),
    ("深化“最多跑一次”改革", "最多跑一次"),
    ("严格落实“双随机、一公开”监管", "双随机一公开"),
])
def test_quoted_slogans_are_one_token(tok, text, slogan):
    toks = tok(text)
    assert slogan in toks
    assert not any(q in t for t in toks for q in "“”\"「」")


def test_long_or_sentence_quotes_are_cut_normally(tok):
    long_quote = "“坚持以人民为中心深入推进法治政府建设取得新成效”"
    toks = tok("提出" + long_quote)
    assert long_quote.strip("“”") not in toks and len(toks) > 3
    toks = tok("他说“复议，调解”")
    assert "复议调解" not in toks and {"复议", "调解"} <= set(toks)
    assert "三书同达" not in Tokenizer(max_quote=3)("落实“三书同达”制度")
    assert "三书同达" not in Tokenizer(max_quote=0)("落实“三书同达”制度")


def test_numbers_and_punct_dropped_by_default_and_kept_on_request(tok):
    text = "2023年共办理行政复议案件125件，同比增长12.5%。"
    toks = tok(text)
    assert not any(t[0].isdigit() for t in toks)
    assert not any(t in "，。%" for t in toks)
    assert "行政复议" in toks
    kept = Tokenizer(keep_numbers=True)(text)
    assert {"2023", "125", "12.5%"} <= set(kept) and "，" not in kept
    punct = Tokenizer(keep_punct=True)(text)
    assert {"，", "。"} <= set(punct) and "125" not in punct
    assert Tokenizer(keep_punct=True)("落实“三书同达”")[-3:] == ["“", "三书同达", "”"]


def test_whitespace_never_a_token():
    text = "行政 复议\n\n\t法律援助\u3000 案件\r\n"
    for t in (Tokenizer(), Tokenizer(keep_punct=True, keep_numbers=True, stopwords=False)):
        toks = t(text)
        assert toks and all(s.strip() == s and s for s in toks)


def test_stopwords_default_off_and_custom(tok):
    text = "进一步加强行政复议工作"
    assert not {"进一步", "加强", "工作"} & set(tok(text))
    assert {"进一步", "加强"} <= set(Tokenizer(stopwords=False)(text))
    custom = Tokenizer(stopwords={"行政复议"})(text)
    assert "行政复议" not in custom and "进一步" in custom
    assert all(t not in load_stopwords() for t in tok("我们的工作取得了明显成效"))


def test_ascii_lowercased_and_fullwidth_folded(tok):
    assert tok("APP上线Ｗｅｂ平台")[:3] == ["app", "上线", "web"]
    assert "APP" in Tokenizer(lowercase=False)("APP上线")


def test_extra_words_kept_whole():
    assert "法治护航队" in Tokenizer(words=["法治护航队"])("组建法治护航队伍三支")


def test_empty_and_type_errors(tok):
    assert tok("") == [] and tokenize("") == []
    for bad in (None, 1, b"bytes", ["list"]):
        with pytest.raises(TypeError, match="str"):
            tok(bad)
        with pytest.raises(TypeError):
            tokenize(bad)
    with pytest.raises(TypeError):
        tok.tokenize_many("一段文字")
    with pytest.raises(TypeError):
        tok.tokenize_many(["好", 3])
    with pytest.raises(TypeError):
        Tokenizer(stopwords="的")


def test_no_global_jieba_state_change():
    term = "首违不罚"
    before_cut = jieba.lcut(term)
    before_freq = dict(jieba.dt.FREQ)
    level = jieba.default_logger.level
    t = Tokenizer(words=["只为此测试的新词"])
    assert term in t(term)
    assert jieba.lcut(term) == before_cut and len(before_cut) > 1
    assert jieba.dt.FREQ == before_freq
    assert t._get_jieba() is not jieba.dt
    assert jieba.default_logger.level == level


def test_threads_give_sequential_results(seed_texts):
    texts = [p for text in seed_texts for p in text.split("\n") if p.strip()][:150]
    expected = Tokenizer(stopwords=False).tokenize_many(texts)
    shared = Tokenizer(stopwords=False, words=["线程测试专用词"])  # new config: built lazily, racing
    results = [None] * 8
    barrier = threading.Barrier(8)

    def work(i):
        barrier.wait()
        results[i] = [shared(t) for t in texts]

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert all(r == expected for r in results)


def test_pickle_and_copy_round_trip(tok, seed_texts):
    text = seed_texts[0][:3000]
    blob = pickle.dumps(tok)
    assert len(blob) < 20_000  # the jieba dictionary is not pickled
    clone = pickle.loads(blob)
    assert clone(text) == tok(text)
    assert repr(clone) == repr(tok) and clone == tok
    assert copy.deepcopy(tok)(text) == tok(text)


def test_repr_reflects_options():
    assert repr(Tokenizer()) == repr(Tokenizer())
    assert repr(Tokenizer(stopwords={"甲", "乙"})) == repr(Tokenizer(stopwords=["乙", "甲"]))
    assert repr(Tokenizer(keep_numbers=True)) != repr(Tokenizer())
    assert "keep_numbers=True" in repr(Tokenizer(keep_numbers=True))
    assert Tokenizer(keep_punct=True) != Tokenizer()
    assert hash(Tokenizer()) == hash(Tokenizer())


def test_tokenize_many_matches_tokenize(tok, seed_texts):
    texts = [t[:2000] for t in seed_texts] * 2
    assert tok.tokenize_many(texts) == [tok(t) for t in texts]
    assert tok.tokenize_many(iter(texts)) == [tok(t) for t in texts]
    assert tok.tokenize_many([]) == []


def test_tokenize_many_with_processes(tok, seed_texts):
    texts = [line for t in seed_texts for line in t.split("\n") if line.strip()][:40]
    assert tok.tokenize_many(texts, n_jobs=2, chunk_size=10) == [tok(t) for t in texts]


def test_sklearn_vectorizer(tok, seed_texts):
    from sklearn.base import clone
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(tokenizer=tok, token_pattern=None, lowercase=False)
    vec.fit(seed_texts)
    vocab = vec.vocabulary_
    assert {"行政复议", "合法性审查"} <= set(vocab)
    assert "进一步" not in vocab and not any(v.isdigit() for v in vocab)
    again = pickle.loads(pickle.dumps(vec))
    assert (again.transform(seed_texts[:1]) != vec.transform(seed_texts[:1])).nnz == 0
    assert clone(vec).get_params()["tokenizer"] == tok


def test_seed_reports_tokens_clean(tok, seed_texts):
    for text in seed_texts:
        toks = tok(text)
        assert len(toks) > 200
        assert not any(t.isspace() or t.isdigit() for t in toks)


def test_large_text_scales(tok):
    unit = "全面推行行政执法三项制度，严格落实“首违不罚”清单。\n"
    one = tok(unit)
    big = unit * 8000  # ~200k characters
    assert tok(big) == one * 8000


def test_jieba_init_messages_silenced(caplog):
    with caplog.at_level(logging.DEBUG, logger="jieba"):
        Tokenizer(words=["静默测试词"]).warm_up()
    assert not [r for r in caplog.records if r.name == "jieba"]
