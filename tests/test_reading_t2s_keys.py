"""to_simplified skips OpenCC for text holding no character of a t2s key: exact."""
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

opencc = pytest.importorskip("opencc")

from rolnlp.reading import clean  # noqa: E402
from rolnlp.reading._t2s_keys import KEY_CHARS, OPENCC_VERSION  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CONVERT = opencc.OpenCC("t2s").convert
SAME_VERSION = getattr(opencc, "__version__", None) == OPENCC_VERSION


def _installed_key_chars(tmp_path):
    """Characters of every key of the t2s chain, exported with opencc_dict."""
    clib = Path(opencc.__file__).parent / "clib"
    tool = clib / "bin" / "opencc_dict"
    if not tool.exists() and shutil.which("opencc_dict") is None:
        pytest.skip("opencc_dict not installed")
    tool = str(tool) if tool.exists() else shutil.which("opencc_dict")
    env = {"LD_LIBRARY_PATH": str(clib / "lib64")}
    keys = set()
    for name in ("TSPhrases", "TSCharactersExt", "TSCharacters", "CJK_Compatibility_Ideographs"):
        src = clib / "share" / "opencc" / f"{name}.ocd2"
        out = tmp_path / f"{name}.txt"
        subprocess.run([tool, "-i", str(src), "-o", str(out), "-f", "ocd2", "-t", "text"],
                       check=True, env=env, capture_output=True)
        for line in out.read_text("utf-8").splitlines():
            keys.update(line.split("\t")[0])
    return keys


@pytest.mark.skipif(not SAME_VERSION, reason="the key list is for another OpenCC version")
def test_key_chars_match_installed_dictionaries(tmp_path):
    assert set(KEY_CHARS) == _installed_key_chars(tmp_path)


def test_gate_is_used_only_for_its_version():
    keys = clean._t2s_keys()
    assert bool(keys) == SAME_VERSION
    if keys:
        assert set(KEY_CHARS) <= keys and "\ud800" in keys


def test_every_single_key_char_outside_the_list_is_unchanged():
    # every BMP and astral CJK code point OpenCC changes on its own is listed
    listed = set(KEY_CHARS)
    for lo, hi in ((0x2E80, 0xA000), (0xF900, 0xFB00), (0x20000, 0x2FA20)):
        for cp in range(lo, hi):
            ch = chr(cp)
            if ch not in listed:
                assert CONVERT(ch) == ch, hex(cp)


_NEAR_KEYS = st.sampled_from(sorted(set(KEY_CHARS)))
_TEXT = st.text(st.one_of(st.characters(blacklist_categories=("Cs",)), _NEAR_KEYS,
                          st.sampled_from("法治政府建设实现乾隆慰藉著麼里後"),
                          st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)),
                max_size=40)


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_to_simplified_equals_opencc(text):
    assert clean.to_simplified(text) == (CONVERT(text) if text and not text.isascii() else text)


def test_corpus_lines_equal_opencc():
    paths = sorted((ROOT / "corpus" / "reports").glob("*.txt"))
    assert paths
    n_skipped = 0
    for p in paths:
        for line in p.read_text("utf-8").splitlines():
            if line and not line.isascii():
                assert clean.to_simplified(line) == CONVERT(line)
                n_skipped += bool(clean._t2s_keys()) and clean._t2s_keys().isdisjoint(line)
    if SAME_VERSION:
        assert n_skipped > 0


def test_surrogates_still_reach_opencc():
    with pytest.raises(UnicodeEncodeError):
        CONVERT("\ud800中")
    with pytest.raises(UnicodeEncodeError):
        clean.to_simplified("\ud800中")
