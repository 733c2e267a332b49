"""The line-normalisation patterns, rewritten to start with the characters they
match, find exactly what the lookbehind-first forms found."""
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from rolnlp.reading import clean

_CJK = clean._CJK
_V = "aeiouüāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
REFERENCE = {  # pattern, replacement
    "_PINYIN": (re.compile(f"(?<=[{_CJK}])(?:[(（](?=[a-zü]{{0,5}}[{_V}])[a-z{_V}]{{1,6}}[)）])+"),
                ""),
    "_ASCII_PUNCT": (re.compile(f"(?<=[{clean._CJK_OR_PUNCT}%])[,;:!?]|"
                                f"[,;:!?](?=[{clean._CJK_OR_PUNCT}])"),
                     lambda m: clean._FULL[m.group()]),
    "_SPACE_AROUND_FULL": (re.compile(r" *([，、]) *| +(?=[：”》）】])|(?<=[“《（【]) +"),
                           lambda m: m.group(1) or ""),
}
_ALPHABET = st.sampled_from(list("实现法治ab xiànshì()（）,;:!?%，、：”》）】“《（【。\n") + ["ǎ", "ü", "㐀", "豈"])


@settings(max_examples=600, deadline=None)
@given(st.text(_ALPHABET, max_size=30))
def test_rewritten_patterns_match_the_reference_forms(text):
    for name, (ref, repl) in REFERENCE.items():
        new = getattr(clean, name)
        assert [m.span() for m in new.finditer(text)] == [m.span() for m in ref.finditer(text)], name
        assert new.sub(repl, text) == ref.sub(repl, text), name


def test_rewritten_patterns_on_the_seed_reports():
    from pathlib import Path

    for p in sorted((Path(__file__).resolve().parent.parent / "corpus" / "reports").glob("*.txt")):
        for line in p.read_text("utf-8").splitlines():
            for name, (ref, repl) in REFERENCE.items():
                assert getattr(clean, name).sub(repl, line) == ref.sub(repl, line), name
