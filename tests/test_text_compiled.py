"""The compiled route (rolnlp[fast]) cuts exactly as jieba and as the Python cutter."""
import json
import pathlib

import jieba
import jieba.finalseg
import pytest
from hypothesis import given, settings, strategies as st

from rolnlp.text import Tokenizer, backend, compiled
from rolnlp.text.fastcut import FastCutter

pytest.importorskip("numba", reason="the compiled route needs the [fast] extra (numba)")

ROOT = pathlib.Path(__file__).resolve().parents[1]
ALPHABET = st.sampled_from(list(
    "的一是在了法治政府建设推进行政执法复议乡镇街道县区杭研网易大厦他来到了囧凱特琳"
    "ABCabcxyz0123456789 .%-_#&+，。、“”\n\t\r😀"))
TEXT = st.text(alphabet=ALPHABET | st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
               | st.characters(min_codepoint=0x20, max_codepoint=0x2FFFF), max_size=120)


@pytest.fixture(scope="module")
def jb():
    return Tokenizer()._get_jieba()


@pytest.fixture(scope="module")
def cutter(jb):
    c = FastCutter(jb, compiled=True)
    assert c.is_compiled
    return c


@pytest.mark.parametrize("hmm", [True, False])
@settings(max_examples=300, deadline=None)
@given(text=TEXT)
def test_compiled_cut_equals_jieba(jb, cutter, hmm, text):
    assert cutter.cut(text, hmm) == jb.lcut(text, HMM=hmm)


def test_compiled_cut_equals_jieba_on_corpus(jb, cutter):
    rows = (ROOT / "corpus" / "chunks" / "chunks.jsonl").read_text("utf-8").splitlines()
    texts = [json.loads(x)["text"] for x in rows[::5]]
    texts += [p.read_text("utf-8") for p in sorted((ROOT / "corpus" / "reports").glob("*.txt"))]
    cutter.clear()
    for t in texts:
        assert cutter.cut(t) == jb.lcut(t)
        assert cutter.cut(t) == jb.lcut(t)  # from the block cache
        assert cutter.cut(t, HMM=False) == jb.lcut(t, HMM=False)


def test_compiled_cut_on_long_and_unknown_runs(jb, cutter):
    for text in ["a" * 3000, "ab12法" * 500, "囧" * 300 + "推进法治", "x1" * 2000,
                 "他来到了网易杭研大厦", "囧" * 50 + "1.5%" + "凱特琳" * 9, "", " \r\n\u3000",
                 "\r\r\n\n\r法治\r\n", "\ud800法治\udfff建设", "😀" * 3 + "法治😀",
                 "\x00\u2028推进\x85"]:
        assert cutter.cut(text) == jb.lcut(text)
        assert cutter.cut(text, HMM=False) == jb.lcut(text, HMM=False)


def test_compiled_cut_with_a_user_dictionary(tmp_path):
    path = tmp_path / "user.txt"
    path.write_text("行政执法 0\n凱特琳 nz\n枫桥式 3 n\n法治 建设 10\n三书同达 200\n", "utf-8")
    ref = backend.stock_jieba()
    ref.load_userdict(str(path))
    jb, _ = backend.instance(str(path), ())
    c = FastCutter(jb, compiled=True)
    for text in ["严格规范公正文明行政执法", "凱特琳正在學習法律", "推广枫桥式经验，推进法治 建设工作",
                 "全面落实三书同达制度，他来到了网易杭研大厦"]:
        assert c.cut(text) == ref.lcut(text)


def test_compiled_cut_respects_forced_splits(jb):
    # the HMM joins 杭研; a word forced apart (del_word: frequency 0) is split again
    inst = jieba.Tokenizer()
    inst.FREQ, inst.total, inst.initialized = dict(jb.FREQ), jb.total, True
    c = FastCutter(inst, compiled=True)
    text = "他来到了网易杭研大厦"
    assert c.cut(text) == inst.lcut(text)
    before = set(jieba.finalseg.Force_Split_Words)
    try:
        inst.del_word("杭研")
        assert "杭研" not in c.cut(text) and c.cut(text) == inst.lcut(text)
        c = FastCutter(inst, compiled=True)
        assert "法治" in c.cut("推进法治工作")
        inst.del_word("法治")  # a dictionary word: the compiled trie is stale now
        assert c.cut("推进法治工作") == inst.lcut("推进法治工作")
        assert "法治" not in inst.lcut("推进法治工作")
    finally:
        jieba.finalseg.Force_Split_Words.clear()
        jieba.finalseg.Force_Split_Words.update(before)


def test_compiled_route_switches_on_after_threshold(jb, monkeypatch):
    monkeypatch.setattr(compiled, "THRESHOLD", 100)
    c = FastCutter(jb)
    c.cut("推进法治政府建设")
    assert not c.is_compiled
    c.cut("推进法治政府建设" * 20)
    assert c.is_compiled and c.cut("推进法治政府建设") == jb.lcut("推进法治政府建设")


def test_compiled_route_can_be_turned_off(jb, monkeypatch):
    assert not FastCutter(jb, compiled=False).is_compiled
    monkeypatch.setenv("ROLNLP_COMPILED", "off")
    assert not compiled.available()
    assert not FastCutter(jb, compiled=True).is_compiled


def test_packed_dictionary_is_cached_validated_and_pruned(jb, tmp_path, monkeypatch):
    import numpy as np

    from rolnlp.text import dictcache

    monkeypatch.setenv("ROLNLP_CACHE_DIR", str(tmp_path))
    key = "ab" * 32
    built = compiled.CompiledRoute(jb.FREQ, jb.total, key)
    path = tmp_path / f"route-{key[:32]}.npz"
    assert path.is_file()
    loaded = compiled._load_trie(key, len(jb.FREQ), jb.total)
    assert loaded is not None and np.array_equal(loaded["logp"], built._logp)
    again = compiled.CompiledRoute(jb.FREQ, jb.total, key)
    text = "全面推行行政执法公示制度，他来到了网易杭研大厦"
    assert again.cut(text, True)[0] == built.cut(text, True)[0]
    # another dictionary (size or total) never reads it
    assert compiled._load_trie(key, len(jb.FREQ) + 1, jb.total) is None
    # an index out of range, or a damaged file, is ignored, not followed
    bad = dict(loaded)
    bad["cid"] = bad["cid"].copy()
    bad["cid"][0] = 10 ** 9
    compiled._save_trie(key, len(jb.FREQ), jb.total, bad)
    assert compiled._load_trie(key, len(jb.FREQ), jb.total) is None
    path.write_bytes(path.read_bytes()[: 1000])
    assert compiled._load_trie(key, len(jb.FREQ), jb.total) is None
    assert compiled.CompiledRoute(jb.FREQ, jb.total, key).cut(text, True)[0] == \
        built.cut(text, True)[0]
    # a packed dictionary whose dictionary file is gone goes with it
    assert path in dictcache.prune(tmp_path)
