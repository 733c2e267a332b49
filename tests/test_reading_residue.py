"""Residue rules: no report text removed, real site residue still removed.

``tests/data/residue_lines.jsonl`` holds report sentences and headings that use
every residue keyword in ordinary use (``residue: false``) and real residue
lines from the pages in ``corpus/chunks`` (``residue: true``, with their url).
Run ``python tests/test_reading_residue.py`` to print the figures.
"""
import json
import pathlib
import time

from rolnlp import parse_report
from rolnlp.reading.clean import clean, normalize_line

DATA = pathlib.Path(__file__).parent / "data" / "residue_lines.jsonl"


def _cases():
    return [json.loads(x) for x in DATA.read_text("utf-8").splitlines() if x.strip()]


def _kept(line: str) -> bool:
    """True when cleaning leaves the line whole, alone and inside a report body."""
    alone = clean(line)[0]
    body = "一、主要举措和成效\n全年办理行政复议案件120件。\n" + line + "\n推进严格规范公正文明执法。"
    inside = clean(body)[0].split("\n")
    want = normalize_line(line)
    return alone == want and want in inside


def measure():
    """``(false_removals, missed_residue, n_text, n_residue)`` over the case file."""
    cases = _cases()
    false = [c["text"] for c in cases if not c["residue"] and not _kept(c["text"])]
    missed = [c["text"] for c in cases if c["residue"] and clean(c["text"])[0]]
    return false, missed, sum(not c["residue"] for c in cases), sum(c["residue"] for c in cases)


def test_case_file_covers_every_keyword():
    text = " ".join(c["text"] for c in _cases() if not c["residue"])
    for word in ("承办单位", "主办单位", "技术支持", "仅供参考", "欢迎访问", "扫一扫", "有效性",
                 "服务对象", "文号", "关键词", "公开方式", "→"):
        assert word in text, word


def test_no_report_text_removed_and_residue_still_removed():
    false, missed, n_text, n_res = measure()
    assert false == [], false
    # real residue keeps being removed (a few lines may need page structure)
    assert len(missed) <= 0.1 * n_res, missed


def test_late_heading_does_not_start_a_footer():
    text = ("一、主要举措和成效\n全年办理行政复议案件120件。\n二、下一步工作安排\n"
            + "推进严格规范公正文明执法。\n" * 8
            + "（一）强化信息化技术支持\n加快建设执法平台\n推动数据共享\n完善监督系统\n"
            "扫一扫在手机上打开当前页\n版权所有：某某区人民政府 网站标识码：1234567890\n上一篇\n")
    r = parse_report(text)
    kept = r.text.split("\n")
    assert kept[-4:] == ["（一）强化信息化技术支持", "加快建设执法平台", "推动数据共享", "完善监督系统"]
    assert {x.reason for x in r.removed} >= {"footer", "copyright"}


def test_parens_stay_linear():
    """An unmatched "(" before a long line: time at 4n stays near 4 times time at n."""
    def best(n):
        line = "(" + "法治政府建设" * (n // 6) + "\n" + "(一)"
        times = []
        for _ in range(3):
            t = time.perf_counter()
            normalize_line(line)
            times.append(time.perf_counter() - t)
        return min(times)

    best(50_000)  # warm up
    small, large = best(200_000), best(800_000)
    assert large / small < 8, (small, large)


if __name__ == "__main__":
    false, missed, n_text, n_res = measure()
    print(f"false removals: {len(false)} of {n_text} report lines")
    for t in false:
        print("   ", t)
    print(f"missed residue: {len(missed)} of {n_res} residue lines")
    for t in missed:
        print("   ", t)
