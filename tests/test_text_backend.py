"""The jieba backend: exact user dictionaries, the linear HMM, bounded caches, the disk cache."""
import json
import os
import time

import jieba
import jieba.finalseg
import pytest
from hypothesis import given, settings, strategies as st

import rolnlp
from rolnlp.text import Tokenizer, backend, dictcache, hmm
from rolnlp._caches import TwoGenerations
from rolnlp.text.fastcut import FastCutter

RAW = dict(stopwords=False, keep_numbers=True, keep_punct=True, lowercase=False, max_quote=0)


# ------------------------------------------------------------------ user dictionaries
def _jieba_tokens(path, text):
    jb = backend.stock_jieba()
    jb.load_userdict(str(path))
    return [t for t in jb.lcut(text) if t.strip()]


@pytest.mark.parametrize("lines, text", [
    (["行政执法 0"], "严格规范公正文明行政执法"),           # freq 0 forces a split
    (["凱特琳 nz"], "凱特琳正在學習法律"),                   # a tag without a frequency
    (["\ufeff枫桥式 3 n", "", "新业态用工 5"], "推广枫桥式经验，规范新业态用工"),
    (["法治 建设 10"], "推进法治 建设工作"),                  # a word holding a space
    (["#注释行 2", "三书同达 200"], "全面落实三书同达制度"),   # no comments in jieba's format
])
def test_user_dictionary_cuts_exactly_as_jieba(tmp_path, lines, text):
    path = tmp_path / "user.txt"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    assert Tokenizer(lexicon=path, **RAW)(text) == _jieba_tokens(path, text)


def test_user_dictionary_entries_keep_missing_frequency_apart_from_zero():
    assert backend.parse_userdict_lines(["甲乙 0", "丙丁", "戊己 x", "庚辛 X"]) == [
        ("甲乙", 0, None), ("丙丁", None, None), ("戊己", None, "x"), ("庚辛 X", None, None)]


def test_user_dictionary_not_utf8_is_a_clear_error(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes("行政复议 5\n".encode("gbk"))
    with pytest.raises(ValueError, match="utf-8"):
        Tokenizer(lexicon=path)("行政复议")


# ------------------------------------------------------------------------- the HMM
@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from(list("的一是法治政府杭研网易大厦他来到了ab1 。x"))
               | st.characters(min_codepoint=0x4E00, max_codepoint=0x9FD5), max_size=60))
def test_linear_hmm_equals_jieba_finalseg(text):
    assert hmm.cut(text) == list(jieba.finalseg.cut(text))


def test_linear_hmm_equals_jieba_on_unknown_runs():
    for text in ["他来到了网易杭研大厦", "囧" * 50, "王小二和张三丰李四", "ab12法" * 20]:
        assert hmm.cut(text) == list(jieba.finalseg.cut(text))


# ---------------------------------------------------------------- linear-time inputs
def _growth(fn, unit, n):
    def timed(k):
        s = unit * (k // len(unit))
        best = float("inf")
        for _ in range(3):
            t = time.perf_counter()
            fn(s)
            best = min(best, time.perf_counter() - t)
        return best

    timed(n)  # warm up (dictionary, caches)
    return timed(4 * n) / max(timed(n), 1e-4)


@pytest.mark.parametrize("unit, n", [("囧", 6_000), ("ab12法", 40_000), ("a", 100_000)])
def test_tokenize_grows_linearly(unit, n):
    # quadratic growth gives a ratio near 16 (0.1 took 12x-16x here); a
    # shared, noisy machine can push a linear ratio of 4 well above 4
    tok = Tokenizer().warm_up()
    assert _growth(tok.tokenize, unit, n) < 10


def test_cutter_output_on_long_runs_equals_jieba():
    jb = Tokenizer()._get_jieba()
    cutter = FastCutter(jb)
    for text in ["a" * 3000, "ab12法" * 500, "囧" * 300 + "推进法治", "x1" * 2000]:
        assert cutter.cut(text) == jb.lcut(text)
        assert cutter.cut(text, HMM=False) == jb.lcut(text, HMM=False)


# --------------------------------------------------------------------------- caches
def test_two_generation_cache_keeps_hot_entries_and_stays_bounded():
    cache = TwoGenerations(limit=10)
    cache.put("hot", 1)
    for i in range(100):
        cache.put(i, i)
        assert cache.get("hot") == 1  # used all along: never dropped
    assert len(cache) <= 20
    assert cache.get(0) is None  # cold and old: gone


def test_clear_caches_empties_text_caches_and_results_stay_the_same():
    text = "推进法治政府建设，深化行政执法体制改革"
    before = rolnlp.tokenize(text)
    names = rolnlp._caches.registered_caches()
    assert {"text.jieba_instances", "text.cut_results", "text.default_tokenizers",
            "text.lexicon_files"} <= set(names)
    rolnlp.clear_caches()
    assert backend.cached_instances() == 0
    assert rolnlp.tokenize(text) == before


def test_dictionary_configurations_kept_are_bounded(monkeypatch):
    monkeypatch.setenv("ROLNLP_CACHE_DIR", "off")
    monkeypatch.setattr(backend, "MAX_INSTANCES", 2)
    toks = [Tokenizer(lexicon=False, words=(f"配置专用词{i}",)) for i in range(3)]
    for t in toks:
        t.warm_up()
    assert backend.cached_instances() == 2
    assert "配置专用词0" in toks[0]("这是配置专用词0")  # a dropped one still works


# ------------------------------------------------------------------ the disk cache
@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    d = tmp_path / "cache"
    monkeypatch.setenv("ROLNLP_CACHE_DIR", str(d))
    return d


def _fresh(words):
    backend._instances.pop(("", words), None)
    return backend.instance("", words)[0]


def test_planted_cache_files_are_ignored_not_fatal(cache_dir):
    words = ("缓存测试专用词",)
    built = _fresh(words)
    (path,) = cache_dir.glob("prefix-*.dict")
    key = dictcache.cache_key([], words)
    good = path.read_bytes()
    planted = [
        dictcache.FORMAT + b"[" * 4000 + b"\n",                      # nesting: RecursionError in 0.1
        dictcache.FORMAT + b"[1, 2]\n",                                # not an object
        dictcache.FORMAT + json.dumps({"key": key, "n": 10**12, "total": 1,
                                       "text_bytes": 10**12}).encode() + b"\n",
        dictcache.FORMAT + json.dumps({"key": key, "n": 2, "total": 5,
                                       "text_bytes": 5}).encode() + b"\nab\ncd" + b"\0" * 8,
        dictcache.FORMAT + b"x" * 10_000,                              # no end of header
    ]
    for data in planted:
        path.write_bytes(data)
        assert dictcache.load(key) is None
    path.write_bytes(planted[0])
    jb = _fresh(words)
    assert jb.FREQ == built.FREQ
    assert path.read_bytes() == good  # rebuilt and rewritten


def test_huge_sparse_cache_file_is_not_read(cache_dir):
    words = ("稀疏文件测试词",)
    _fresh(words)
    (path,) = cache_dir.glob("prefix-*.dict")
    key = dictcache.cache_key([], words)
    head = path.read_bytes()[:200].split(b"\n")[1]
    with open(path, "r+b") as f:
        f.truncate(3 << 30)  # 3 GB, sparse: its header no longer matches its size
    assert json.loads(head)["key"] == key
    t = time.perf_counter()
    assert dictcache.load(key) is None
    assert time.perf_counter() - t < 1


def test_cache_keeps_at_most_max_files(cache_dir):
    keys = [f"{i:02d}" + "0" * 62 for i in range(dictcache.MAX_FILES + 3)]
    for i, key in enumerate(keys):
        dictcache.save(key, {"法治": 5 + i}, 5 + i)
        os.utime(dictcache._path(key), (1000 + i, 1000 + i))
    assert dictcache.load(keys[-2]) == ({"法治": 5 + len(keys) - 2}, 5 + len(keys) - 2)  # used
    dictcache.save(keys[0], {"法治": 5}, 5)  # rewritten: newest again
    names = {p.name for p in cache_dir.glob("prefix-*.dict")}
    assert len(names) == dictcache.MAX_FILES
    assert {dictcache._path(k).name for k in (keys[0], keys[-2], keys[-1])} <= names
    stale = cache_dir / ".tmp-left-behind"
    stale.write_bytes(b"x")
    os.utime(stale, (1, 1))
    assert stale in dictcache.prune(cache_dir)


def test_unwritable_cache_only_slows_loading(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    for where in (blocker, blocker / "sub"):
        monkeypatch.setenv("ROLNLP_CACHE_DIR", str(where))
        jb = _fresh(("不可写缓存测试词",))
        assert "不可写缓存测试词" in FastCutter(jb).cut("这是不可写缓存测试词")


def test_cache_dir_defaults_to_the_platform_cache(monkeypatch):
    import platformdirs

    monkeypatch.delenv("ROLNLP_CACHE_DIR", raising=False)
    assert str(dictcache.cache_dir()) == platformdirs.user_cache_dir("rolnlp", appauthor=False)
    monkeypatch.setenv("ROLNLP_CACHE_DIR", "off")
    assert dictcache.cache_dir() is None
