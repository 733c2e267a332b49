"""Bad input for read_report, tokenize, classify and the CLI.

Every case either gives a sensible result (read losslessly) or a clear error of
a documented type raised from rolnlp's own code, never a traceback from inside
a dependency.  A SIGALRM guard turns a runaway case into a failure.
"""
import json
import os
import pathlib
import random
import signal
import subprocess
import sys
import threading
import traceback

import jieba
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import rolnlp
from rolnlp import ReportError, parse_report, read_report, tokenize
from rolnlp.cli import main
from rolnlp.reading.clean import to_simplified
from rolnlp.text.backend import stock_jieba
from rolnlp.text.fastcut import FastCutter

ROOT = pathlib.Path(__file__).resolve().parents[1]
PKG = pathlib.Path(rolnlp.__file__).resolve().parent
SHIPPED = ROOT / "rolnlp" / "models" / "rol-paragraph-v1"
needs_model = pytest.mark.skipif(not (SHIPPED / "model.json").is_file(),
                                 reason="shipped model not built")
SOME = settings(max_examples=int(os.environ.get("ROLNLP_HYPOTHESIS_EXAMPLES", 60)),
                deadline=None, suppress_health_check=[HealthCheck.too_slow])

SAMPLE = ("海盐县人民政府关于2024年度法治政府建设工作情况的报告\n"
          "2024年，县政府坚持以习近平法治思想为指导，扎实推进法治政府建设。\n"
          "一、主要举措和成效\n"
          "（一）深化行政执法改革。全面推行行政执法三项制度，办理行政复议案件120件。\n"
          "（二）加强普法宣传。开展宪法宣传周活动，民法典进社区。\n"
          "二、存在的问题\n"
          "基层执法力量仍然薄弱。\n"
          "三、下一步工作安排\n"
          "持续优化营商环境，推进严格规范公正文明执法。\n")
TRAD = ("海鹽縣人民政府關於2024年度法治政府建設工作情況的報告\n"
        "一、主要舉措和成效\n"
        "（一）深化行政執法改革。全面推行行政執法三項制度，辦理行政復議案件120件。\n"
        "二、存在的問題\n"
        "基層執法力量仍然薄弱。\n")
HTML = ("<!DOCTYPE html><html><head><title>某区法治政府建设情况报告</title>"
        "<style>body{font-family:'宋体'} .x:before{content:'一、样式标题'}</style>"
        "<script>var s='一、脚本标题'; document.write('<p>假段落</p>');</script></head>"
        "<body><div class='nav'>首页 &gt; 政务公开</div>"
        "<p>一、主要举措和成效</p><p>全面推行行政执法三项制度&nbsp;，成效明显。</p>"
        "<script>alert('二、第二个脚本')</script><p>二、存在的问题</p><p>执法力量薄弱。</p>"
        "</body></html>")


def _bytes(n, lo=0, hi=256, seed=0):
    rng = random.Random(seed)
    return bytes(rng.randrange(lo, hi) for _ in range(n))


# ---------------------------------------------------------------------------- helpers
@pytest.fixture(autouse=True)
def hang_guard():
    """Hang guard only (nothing about speed): fail a case still running after 120 s."""
    if not hasattr(signal, "SIGALRM") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def timeout(signum, frame):
        raise TimeoutError("input still being processed after 120 s")

    old = signal.signal(signal.SIGALRM, timeout)
    signal.alarm(120)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def assert_clear_error(exc, types):
    """A documented type, a message, and raised from rolnlp's code (not a dependency's)."""
    assert isinstance(exc, types), f"{type(exc).__name__}: {exc}"
    assert len(str(exc)) > 10
    last = pathlib.Path(traceback.extract_tb(exc.__traceback__)[-1].filename).resolve()
    assert PKG in last.parents, f"raised inside {last}: {exc!r}"


def assert_lossless(r):
    units = r.units("all")
    assert "".join(u.text_with_ws for u in units) == r.text
    for u in units:
        assert r.text[u.start:u.end] == u.text
    assert "".join(u.text_with_ws for u in r.units("item")) == \
        "".join(p.text_with_ws for p in r.paragraphs)
    assert r.text == r.text.strip() and "\n\n" not in r.text


# ------------------------------------------------------------------------ the battery
def _empty(r):
    assert r.text == "" and r.paragraphs == [] and r.headings == []


def _same_as_sample(r):
    assert r.text == parse_report(SAMPLE).text
    assert [h.text for h in r.headings] == ["一、主要举措和成效", "二、存在的问题", "三、下一步工作安排"]
    assert r.metadata.region == "海盐县" and r.metadata.year == 2024


def _traditional(r):
    assert r.text == to_simplified(r.original) and r.text != r.original
    assert r.headings[0].text == "一、主要举措和成效" and "執法" in r.original
    # the title line is a unit of kind "title", not a paragraph
    assert [u.kind for u in r.units("all")][:2] == ["title", "heading"]
    assert r.paragraphs[0].text.startswith("（一）深化行政执法改革。")


def _html(r):
    assert "脚本" not in r.text and "样式" not in r.text and "font-family" not in r.text
    assert "<" not in r.text and "&nbsp;" not in r.text
    assert [h.text for h in r.headings] == ["一、主要举措和成效", "二、存在的问题"]
    assert r.paragraphs[0].text == "全面推行行政执法三项制度，成效明显。"


def _no_headings(r):
    assert r.headings == [] and len(r.paragraphs) == 3
    assert {p.section for p in r.paragraphs} == {"preamble"}


def _headings_only(r):
    assert r.paragraphs == [] and [h.level for h in r.headings] == [1, 2, 1]


def _emoji_control(r):
    assert "😀" in r.text and "🎉" in r.text
    assert not any(c in r.text for c in "\x00\x07\x1b\x7f\u200b\ufeff")
    assert r.paragraphs[0].text == "正文内容😀。"


def _mojibake(r):
    # UTF-8 read as GBK cannot be undone (bytes were replaced); it stays text
    assert r.paragraphs and "法治政府" not in r.text


def _single(expected):
    def check(r):
        assert [p.text for p in r.paragraphs] == [expected] and r.headings == []
    return check


def _no_surrogates(r):
    assert not any("\ud800" <= c <= "\udfff" for c in r.text)
    assert r.headings[0].text == "一、总体情况"


def _long_line(r):
    assert len(r.text) > 300_000 and r.paragraphs


LONG_LINE = ("全面推行行政执法三项制度，规范行政裁量权基准，办理行政复议案件120件。" * 9000)

READ_CASES = {
    "none": (None, TypeError),
    "int": (42, TypeError),
    "float": (3.5, TypeError),
    "list": (["一、总体情况"], TypeError),
    "dict": ({"text": "正文"}, TypeError),
    "empty": ("", _empty),
    "empty-bytes": (b"", _empty),
    "whitespace": (" \n\t\u3000\r\n\xa0 ", _empty),
    "one-char": ("法", _single("法")),
    "one-byte": (b"a", _single("a")),
    "random-bytes": (_bytes(65536, seed=1), ReportError),
    "random-high-bytes": (_bytes(65536, 128, 256, seed=2), ReportError),
    "gbk": (SAMPLE.encode("gbk"), _same_as_sample),
    "gb18030": (SAMPLE.encode("gb18030"), _same_as_sample),
    "big5": (TRAD.encode("big5"), _traditional),
    "utf-16-bom": (SAMPLE.encode("utf-16"), _same_as_sample),
    "utf-16-be-bom": (b"\xfe\xff" + SAMPLE.encode("utf-16-be"), _same_as_sample),
    "utf-8-bom": (SAMPLE.encode("utf-8-sig"), _same_as_sample),
    "mojibake": (SAMPLE.encode("utf-8").decode("gbk", errors="replace"), _mojibake),
    "traditional": (TRAD, _traditional),
    "html": (HTML, _html),
    "html-bytes-gbk": (HTML.encode("gbk"), _html),
    "no-headings": ("我局坚持依法行政。\n全面落实法治政府建设责任。\n加强执法监督。", _no_headings),
    "headings-only": ("一、总体情况\n（一）学习\n二、存在问题", _headings_only),
    "emoji-control": ("\ufeff一、总体情况\n正文\x07内\x00容\x1b😀\u200b。\x7f\n🎉 结束", _emoji_control),
    "lone-surrogate": ("\ud800一、总体情况\n推进法治\udfff建设。", _no_surrogates),
    "long-line": (LONG_LINE, _long_line),
}


@pytest.mark.parametrize("name", list(READ_CASES))
def test_read_report(name):
    source, expect = READ_CASES[name]
    # text in memory is parsed, files and bytes are read: the caller says which
    reader = parse_report if isinstance(source, str) else read_report
    if isinstance(expect, type):
        with pytest.raises(Exception) as info:
            reader(source)
        assert_clear_error(info.value, expect)
        return
    r = reader(source)
    assert_lossless(r)
    expect(r)
    # whatever was read can be tokenized
    toks = tokenize(r.text)
    assert all(t and not any(c.isspace() for c in t) for t in toks)


def test_read_report_refuses_devices_and_bad_options(tmp_path):
    for src in ("/dev/zero", pathlib.Path("/dev/zero"), tmp_path):
        with pytest.raises(ReportError) as info:
            read_report(src)
        assert_clear_error(info.value, ReportError)
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "pipe.txt"
        os.mkfifo(fifo)
        with pytest.raises(ReportError, match="not a regular file"):
            read_report(fifo)  # opening it would block forever
    for kwargs, exc in (({"encoding": 5}, TypeError), ({"encoding": "no-such-codec"}, ReportError),
                        ({"encoding": "ascii"}, ReportError)):
        with pytest.raises(exc) as info:
            read_report(SAMPLE.encode("utf-8"), **kwargs)
        assert_clear_error(info.value, exc)
    with pytest.raises(FileNotFoundError):
        read_report(str(tmp_path / "missing.txt"))


def test_ten_megabytes_of_text_read_losslessly():
    one = SAMPLE * 20 + LONG_LINE[:3000] + "\n"
    big = one * (10_000_000 // len(one.encode("utf-8")) + 1)
    assert len(big.encode("utf-8")) > 10_000_000
    r = parse_report(big)
    assert_lossless(r)
    assert len(r.headings) >= 20 * 3 * (len(big) // len(one))


def test_tokenize_bad_input():
    for bad in (None, 42, 3.5, b"bytes", ["list"]):
        with pytest.raises(TypeError) as info:
            tokenize(bad)
        assert_clear_error(info.value, TypeError)
    with pytest.raises(TypeError):
        tokenize("法治", max_quote=-1)
    assert tokenize("") == [] and tokenize(" \n\t\u3000") == []
    assert tokenize("法") == ["法"]
    assert tokenize("😀\x07\x00") == []
    toks = tokenize(LONG_LINE[:300_000])
    assert toks[:3] == ["行政执法", "三项制度", "规范"] and len(toks) > 50_000


@pytest.mark.parametrize("hmm", [True, False])
@SOME
@given(st.text(alphabet=st.sampled_from(
    list("的一是在了法治政府建设推进行政执法复议乡镇街道县区ABCabcxyz0123456789 .%-_#&+，。、“”\n\t😀"))
    | st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), max_size=80))
def test_fast_cutter_equals_jieba(hmm, text):
    jb = rolnlp.text.Tokenizer()._get_jieba()
    assert FastCutter(jb).cut(text, hmm) == jb.lcut(text, HMM=hmm)


def test_fast_cutter_equals_jieba_on_corpus():
    rows = (ROOT / "corpus" / "chunks" / "chunks.jsonl").read_text("utf-8").splitlines()
    texts = [json.loads(x)["text"] for x in rows[::7]]
    jb = rolnlp.text.Tokenizer()._get_jieba()
    cutter = FastCutter(jb)
    for t in texts:
        assert cutter.cut(t) == jb.lcut(t)
        assert cutter.cut(t) == jb.lcut(t)  # from the block cache
    stock = stock_jieba()
    assert FastCutter(stock).cut(texts[0]) == stock.lcut(texts[0])
    with pytest.raises(ValueError, match="initialised"):
        FastCutter(jieba.Tokenizer())


@SOME
@given(st.binary(max_size=300))
def test_any_bytes_read_or_give_report_error(data):
    try:
        r = read_report(data)
    except ReportError as e:
        assert_clear_error(e, ReportError)
    else:
        assert_lossless(r)


# ------------------------------------------------------------------------- classify
@needs_model
def test_classify_bad_input():
    for bad in (None, 42, b"bytes", {"a": 1}, {"a"}, ["ok", None], [b"x"], (t for t in [b"a"])):
        with pytest.raises(TypeError) as info:
            rolnlp.classify(bad)
        assert_clear_error(info.value, TypeError)
    with pytest.raises(TypeError):
        rolnlp.classify_report("not a report")
    with pytest.raises(ValueError):
        rolnlp.classify("依法行政", threshold=float("nan"))


@needs_model
def test_classify_odd_text():
    texts = ["", " \n\t", "法", "😀\x07\x00", "\ud800推进法治建设", HTML, TRAD,
             SAMPLE.encode("utf-8").decode("gbk", errors="replace"), LONG_LINE]
    preds = rolnlp.classify(texts)
    assert len(preds) == len(texts)
    for p in preds:
        assert abs(sum(p.scores.values()) - 1) < 1e-9 and p.label in p.scores
    assert preds[0].label == preds[1].label == preds[3].label == "other"
    assert preds[0].evidence == ()
    # traditional script is classified like its simplified form
    assert rolnlp.classify(to_simplified(TRAD)).scores == pytest.approx(preds[6].scores)
    assert preds[-1].label != "other" and preds[-1].evidence  # policy text, not boilerplate


# ------------------------------------------------------------------------------ CLI
CLI_FILES = {
    "empty.txt": b"",
    "random.txt": _bytes(4096, seed=3),
    "gbk.txt": SAMPLE.encode("gbk"),
    "big5.txt": TRAD.encode("big5"),
    "utf16.txt": SAMPLE.encode("utf-16"),
    "page.html": HTML.encode("utf-8"),
    "mojibake.txt": SAMPLE.encode("utf-8").decode("gbk", errors="replace").encode("utf-8"),
    "emoji.txt": "一、总体😀\n正文\x07。".encode("utf-8"),
    "long-line.txt": LONG_LINE.encode("utf-8"),
}


@pytest.fixture(scope="module")
def cli_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("cli")
    for name, data in CLI_FILES.items():
        (d / name).write_bytes(data)
    return d


@pytest.mark.parametrize("name", list(CLI_FILES))
def test_cli_read(name, cli_dir, capsys):
    code = main(["read", str(cli_dir / name), "--json"])
    out, err = capsys.readouterr()
    if name == "random.txt":
        assert code == 2 and "rolnlp read: error:" in err and "binary" in err
        return
    assert code == 0, err
    data = json.loads(out)
    r = read_report(cli_dir / name)
    assert [p["text"] for p in data["paragraphs"]] == [p.text for p in r.paragraphs]


@needs_model
@pytest.mark.parametrize("name", ["empty.txt", "random.txt", "big5.txt", "page.html",
                                  "mojibake.txt", "long-line.txt"])
def test_cli_classify(name, cli_dir, capsys):
    code = main(["classify", str(cli_dir / name), "--format", "jsonl", "-q"])
    out, err = capsys.readouterr()
    if name == "random.txt":
        assert code == 2 and "error:" in err
        return
    assert code == 0, err
    rows = [json.loads(x) for x in out.splitlines()]
    assert len(rows) == len(read_report(cli_dir / name).paragraphs)
    assert all(r["label"] in rolnlp.CATEGORY_CODES or r["label"] == "other" for r in rows)


def test_cli_bad_arguments(cli_dir, capsys):
    assert main(["read", "/dev/zero"]) == 2
    assert "not a regular file" in capsys.readouterr().err
    assert main(["read", str(cli_dir / "gbk.txt"), "--encoding", "no-such-codec"]) == 2
    assert "encoding" in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        main(["read"])  # argparse: usage error, exit status 2
    assert info.value.code == 2


def test_cli_subprocess_reports_errors_without_traceback(cli_dir):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "rolnlp", "read", str(cli_dir / "random.txt")],
                          capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "rolnlp read: error:" in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "rolnlp", "read", str(cli_dir / "big5.txt")],
                          capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 0 and "region: 海盐县" in proc.stdout


# ------------------------------------------------------------ dictionary cache
def _fresh_jieba(key):
    from rolnlp.text import backend

    backend._instances.pop(key, None)
    return backend.instance(*key)[0]


def test_prefix_dict_cache_is_exact_and_survives_damage(tmp_path, monkeypatch):
    from rolnlp.text import dictcache
    from rolnlp.text.lexicon import LEXICON_PATH

    key = (str(LEXICON_PATH), ("试验专用词语甲",))
    monkeypatch.setenv("ROLNLP_CACHE_DIR", "off")
    built = _fresh_jieba(key)  # jieba's own load plus add_word, no cache
    monkeypatch.setenv("ROLNLP_CACHE_DIR", str(tmp_path / "cache"))
    _fresh_jieba(key)  # writes the cache
    (path,) = (tmp_path / "cache").glob("prefix-*.dict")
    text = SAMPLE + TRAD + "试验专用词语甲出现在这里"

    def check():
        jb = _fresh_jieba(key)
        assert jb.FREQ == built.FREQ and jb.total == built.total
        assert jb.user_word_tag_tab == built.user_word_tag_tab
        assert FastCutter(jb).cut(text) == built.lcut(text)
        assert "试验专用词语甲" in FastCutter(jb).cut(text)

    check()  # from the cache
    good = path.read_bytes()
    for damaged in (good[:len(good) // 2], b"\x80" * 100,
                    dictcache.FORMAT + b'{"key": "' + b"0" * 64 + b'"}\n'):
        path.write_bytes(damaged)
        check()  # ignored and rebuilt
        assert path.read_bytes() == good  # and rewritten whole
    path.chmod(0o400)
    (tmp_path / "cache").chmod(0o500)  # a read-only cache still tokenizes
    try:
        check()
    finally:
        (tmp_path / "cache").chmod(0o700)


# ------------------------------------------------- vectorised character features
@SOME
@given(st.lists(st.text(alphabet=st.sampled_from(list("行政复议执法法治政府建设依0129１年，。 a😀\n"))
                        | st.characters(min_codepoint=0x4E00, max_codepoint=0x4E40), max_size=40),
                max_size=6))
def test_char_index_counts_equal_the_analyzer(texts):
    from collections import Counter

    import numpy as np

    from rolnlp.classification.charvec import CharIndex
    from rolnlp.classification.features import get_analyzer, normalize

    analyzer = get_analyzer("char", (1, 3))
    vocab = np.array(sorted({t for x in ["行政复议执法", "法治政府建设", "依法2024年"]
                             for t in analyzer.analyze(x)}))
    index = {t: i for i, t in enumerate(vocab.tolist())}
    rows, cols, counts = CharIndex(vocab, (1, 3)).count([normalize(t) for t in texts])
    got = {(int(r), int(c)): int(n) for r, c, n in zip(rows, cols, counts)}
    want = {(i, index[t]): n for i, x in enumerate(texts)
            for t, n in Counter(analyzer.analyze(x)).items() if t in index}
    assert got == want
