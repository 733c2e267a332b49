"""Shortcomings depth: honest problems with causes, or 避重就轻?

Studies of the reports fault shortcomings parts that are short, generic
(泛泛而谈) and give no causes.  This module counts, within the shortcomings
part found by :func:`rolnlp.audit.parts.find_parts`:

* ``problems``: the problems listed (``一是…二是…``, ``（一）…``, ``1.…``; without
  numbering, the sentences after the lead-in);
* ``with_cause``: problems that state a cause (原因, 由于, 导致, 因为, 受…影响,
  一方面…另一方面, 主要是…);
* ``specific``: problems that name a figure or a concrete area of work
  (行政执法, 行政复议, 规范性文件, 街镇 …) rather than 法治政府建设 in general;
* ``stock_phrases``: stock phrases (有待加强, 仍有差距, 还不够 …);
* ``share``: the part's share of the report's body text.

Example
-------
>>> d = shortcomings_of("存在以下不足：一是行政执法水平有待提高。由于人员流动大，导致执法不稳定。二是认识还不够。")
>>> d.problems, d.with_cause, d.specific, d.stock_phrases
(2, 1, 1, 2)
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass

_ITEM = re.compile(r"(?:(?<=^)|(?<=[。；;：:\s]))(?:[一二三四五六七八九十]{1,3}是|[（(][一二三四五六七八九十]{1,3}[)）]|\d{1,2}[.．、](?!\d))")
_CAUSE = re.compile(r"原因|由于|导致|因为|受[^。]{1,12}影响|一方面|主要是|归根|根源|致使|造成")
_AREA = re.compile(
    r"行政执法|执法|行政复议|复议|行政诉讼|应诉|规范性文件|重大行政决策|决策|合法性审查|营商环境|"
    r"普法|调解|矛盾纠纷|信访|法律援助|公共法律服务|街镇|街道|乡镇|镇街|基层|部门|队伍|人员|编制|经费|"
    r"数字|信息化|审批|政务公开|监督|督察|考核|立法|法律顾问|司法所")
STOCK_PHRASES = ("有待加强", "有待提高", "有待提升", "有待进一步", "有待完善", "仍有差距", "还有差距",
                 "尚有差距", "存在差距", "还不够", "不够完善", "不够到位", "还不到位", "仍需", "尚需",
                 "还需", "亟待", "不平衡", "不充分", "仍然薄弱", "相对薄弱", "较为薄弱")
_STOCK = re.compile("|".join(STOCK_PHRASES))


@dataclass(frozen=True)
class Shortcomings:
    """Depth of a shortcomings part (all zero when the report has none).

    Attributes
    ----------
    present : bool
    chars : int
    share : float
        Share of the report's body text.
    problems, with_cause, specific, stock_phrases : int
    """

    present: bool
    chars: int
    share: float
    problems: int
    with_cause: int
    specific: int
    stock_phrases: int

    def to_dict(self) -> dict:
        return asdict(self)


def split_problems(text) -> list:
    """The problems a shortcomings text lists, as strings.

    Parameters
    ----------
    text : str

    Returns
    -------
    list of str

    Example
    -------
    >>> split_problems("仍存在以下不足：一是A不够。二是B薄弱。")
    ['一是A不够。', '二是B薄弱。']
    """
    starts = [m.start() for m in _ITEM.finditer(text)]
    if starts:
        return [text[a:b].strip() for a, b in zip(starts, starts[1:] + [len(text)]) if text[a:b].strip()]
    # no numbering: the sentences after the lead-in
    sentences = [s for s in re.split(r"(?<=[。；;！？])", text) if s.strip()]
    if len(sentences) > 1 and re.search(r"[：:]$|不足|问题", sentences[0][-20:]):
        sentences = sentences[1:]
    return [s.strip() for s in sentences if len(s.strip()) >= 6]


def shortcomings_of(text, share=0.0) -> Shortcomings:
    """Depth measures of a shortcomings text.

    Parameters
    ----------
    text : str
        The part's text (its paragraphs joined).
    share : float, default 0.0
        The part's share of the report, when known.

    Returns
    -------
    Shortcomings
    """
    if not text or not text.strip():
        return Shortcomings(False, 0, 0.0, 0, 0, 0, 0)
    problems = split_problems(text)
    return Shortcomings(
        present=True, chars=len(text), share=share, problems=len(problems),
        with_cause=sum(bool(_CAUSE.search(p)) for p in problems),
        specific=sum(bool(re.search(r"\d", p) or _AREA.search(p)) for p in problems),
        stock_phrases=len(_STOCK.findall(text)))


def shortcomings(report, parts=None) -> Shortcomings:
    """Depth of the shortcomings part of ``report``.

    Parameters
    ----------
    report : Report
    parts : list of Part, optional
        From :func:`rolnlp.audit.parts.find_parts`, when already computed.

    Returns
    -------
    Shortcomings

    Example
    -------
    >>> from rolnlp.reading import read_report
    >>> shortcomings(read_report("corpus/reports/002_87db0459dcb0080d.txt")).problems  # doctest: +SKIP
    3
    """
    from .parts import find_parts

    parts = parts if parts is not None else find_parts(report)
    part = next(p for p in parts if p.code == "shortcomings")
    if not part.present:
        return Shortcomings(False, 0, 0.0, 0, 0, 0, 0)
    paras = part_paragraphs(report, parts, "shortcomings")
    return shortcomings_of("\n".join(p.text for p in paras), part.share)


def part_paragraphs(report, parts, code) -> list:
    """The paragraphs of ``report`` in part ``code`` (empty when absent).

    Parameters
    ----------
    report : Report
    parts : list of Part
    code : str

    Returns
    -------
    list of Paragraph
    """
    present = sorted((p for p in parts if p.present), key=lambda p: p.start)
    spans = []
    for i, p in enumerate(present):
        stop = present[i + 1].start if i + 1 < len(present) else len(report.text) + 1
        if p.code == code:
            spans.append((p.start, stop))
    return [q for q in report.paragraphs if q.section != "other"
            and any(a <= q.start < b for a, b in spans)]
