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


@settings(max_examples=400, deadline=None)
@given(st.text(st.sampled_from(list("法治a，1 \n。") + ["㐀", "豈", "\u4dc0"]), max_size=24))
def test_eight_cjk_counts_like_findall(text):
    assert (clean._EIGHT_CJK.match(text) is not None) == (len(clean._CJK_RE.findall(text)) >= 8)


@settings(max_examples=400, deadline=None)
@given(st.text(st.sampled_from(list("一二三十是第的否，,、：:。 ”x")), max_size=30))
def test_item_cuts_are_those_of_one_scan_per_style(text):
    from rolnlp.reading import structure

    def reference(t):
        best = []
        for style in ("shi", "di"):
            cuts, want = [], 1
            for m in structure._ITEM.finditer(t):
                num_s = m.group(style)
                if num_s is None:
                    continue
                num = structure.cn_number(num_s)
                if num == want:
                    cuts.append(m.start())
                    want += 1
                elif num == 1 and len(cuts) < 2:
                    cuts, want = [m.start()], 2
            if len(cuts) > len(best):
                best = cuts
        return best if len(best) >= 2 else []

    assert structure._item_cuts(text) == reference(text)


@settings(max_examples=400, deadline=None)
@given(st.text(st.sampled_from(list("。；”， \n局政府人民区2024年3月19日x")), max_size=30))
def test_signature_tail_finds_what_the_lookbehind_form_found(text):
    from rolnlp.reading import structure

    ref = re.compile(rf"(?<=[{structure._SENT_END}”])\s+(?:{structure._ORG}(?:\s+\d{{4}}年"
                     r"\d{1,2}月\d{1,2}日)?|\d{4}年\d{1,2}月\d{1,2}日)$")
    a, b = structure._SIGNATURE_TAIL.search(text), ref.search(text)
    assert (a and a.span()) == (b and b.span())
