"""The five parts a report must have, found from headings and lead-in sentences.

《法治政府建设与责任落实督察工作规定》 (2019, art. 25) asks every annual report
for 主要举措和成效 (``achievements``), 存在的不足和原因 (``shortcomings``),
党政主要负责人履行推进法治建设第一责任人职责…的有关情况
(``first_responsible``), 下一年度主要安排 (``plans``) and 其他需要报告的情况
(``other_matters``).

A part *opens* at a level-1 heading that names it (``三、存在的不足和原因``) or,
in reports that write parts without headings, at a paragraph whose first
sentence leads into it (``在充分肯定成绩的同时，也清醒认识到……问题和不足：``,
``2024年，我们将……``).  Body headings that name no part (``一、坚持思想领航…``)
are achievements.  A part runs to the next opener; the signature and date at
the end belong to no part.  A report that treats 第一责任人 inside another part
(a ``（二）`` heading, a sentence) has no ``first_responsible`` part but has it
``mentioned``.

Example
-------
>>> from rolnlp.reading import read_report
>>> r = read_report("导语。\\n一、主要举措和成效\\n做了工作。\\n二、存在的不足\\n一是不够。\\n三、下一步安排\\n将继续。")
>>> [(p.code, p.present) for p in find_parts(r)][:4]
[('achievements', True), ('shortcomings', True), ('first_responsible', False), ('plans', True)]
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Optional

#: the parts, in the order the regulation lists them
PART_CODES = ("achievements", "shortcomings", "first_responsible", "plans", "other_matters")
#: the four parts every report must have (other_matters is "where there are any")
MAIN_PARTS = PART_CODES[:4]

_HEADING_CUES = [
    ("first_responsible", re.compile(r"第一责任人|主要负责人.{0,6}(?:履行|履职)|党政主要负责人")),
    ("other_matters", re.compile(r"其他(?:需要|应当)?(?:报告|说明)的?(?:情况|事项)|其他事项|其他情况")),
    ("shortcomings", re.compile(r"不足|问题|短板|差距|困难|薄弱|弱项")),
    ("plans", re.compile(r"安排|打算|计划|思路|下一步|工作重点|展望|谋划|努力方向|工作举措和目标|下步")),
    ("achievements", re.compile(r".")),
]
_SHORTCOMINGS_LEAD = re.compile(
    r"^[^。：:]{0,80}?(?:存在|认识到|看到|面临|仍有|还有|清醒|也要|不容忽视)[^。：:]{0,30}?"
    r"(?:问题|不足|短板|差距|薄弱|困难)"
    r"|^[^。]{0,20}(?:问题和不足|不足和问题|存在的问题|存在的不足|问题与不足)")
_PLANS_LEAD = re.compile(
    r"^(?:[^。]{0,50}。)?(?:(?P<year>\d{4})\s*年[，,]?\s*|下一步[，,]?|今后[，,]?|新的一年[，,里]?|明年[，,]?)"
    r"(?:[^。，,]{0,12}(?:我们|我区|我县|我市|我局|我镇|我乡|我街道|全区|全县|全市|区政府|县政府|市政府|"
    r"局党组|镇党委|本局|区司法局|县司法局|市司法局))?[^。，,]{0,6}?将"
    r"|^下一步|^今后[，,]|^新的一年")
_FIRST_RESPONSIBLE_LEAD = re.compile(
    r"^[^。]{0,30}(?:党政主要负责人|主要负责同志|主要领导)[^。]{0,20}履行[^。]{0,20}第一责任人职责[^。]{0,20}(?:情况|方面)[：:。]")
_OTHER_LEAD = re.compile(r"^[^。]{0,10}其他(?:需要)?(?:报告|说明)的?(?:情况|事项)")
_OUTLINE = re.compile(r"包括|分为|[一二三四五六七八九两]个部分|以下几个方面")
_MENTION = {
    "first_responsible": re.compile(r"第一责任人"),
    "shortcomings": re.compile(r"不足|短板|问题和|差距"),
    "plans": re.compile(r"下一步|将继续|将进一步|\d{4}\s*年[，,]?\s*(?:我们|全区|全县|全市)?将"),
    "other_matters": re.compile(r"其他需要报告"),
    "achievements": re.compile(r"举措|成效"),
}


@dataclass(frozen=True)
class Part:
    """One of the five parts of a report.

    Attributes
    ----------
    code : str
        One of :data:`PART_CODES`.
    present : bool
        The report has the part as a part of its own (a heading or a lead-in).
    mentioned : bool
        The report speaks of it (always True when ``present``); for
        ``first_responsible`` this is how folded-in treatment shows.
    via : {"heading", "lead-in", "body", None}
        What opens the part (``"body"``: unheaded body text before the first
        other part).
    opener : str or None
        The heading or lead-in sentence that opens it.
    start, end : int or None
        Span in ``Report.text``.
    chars : int
        Characters of its paragraphs (headings not counted).
    share : float
        ``chars`` over the characters of all body paragraphs.
    order : int or None
        1-based position among the parts present.
    """

    code: str
    present: bool
    mentioned: bool
    via: Optional[str] = None
    opener: Optional[str] = None
    start: Optional[int] = None
    end: Optional[int] = None
    chars: int = 0
    share: float = 0.0
    order: Optional[int] = None

    def to_dict(self) -> dict:
        return asdict(self)


def heading_part(title: str) -> str:
    """The part a level-1 heading opens, by its wording.

    Parameters
    ----------
    title : str

    Returns
    -------
    str
        A code of :data:`PART_CODES`; body headings that name no part are
        ``"achievements"``.

    Example
    -------
    >>> heading_part("一、2023年党政主要负责人履行推进法治建设第一责任人职责，加强法治政府建设情况")
    'first_responsible'
    >>> heading_part("四、2024年推进法治政府建设工作打算")
    'plans'
    """
    for code, cue in _HEADING_CUES:
        if cue.search(title):
            return code
    return "achievements"


def lead_in_part(text: str, year: Optional[int] = None) -> Optional[str]:
    """The part a paragraph leads into with its first sentence, or ``None``.

    Parameters
    ----------
    text : str
        A paragraph.
    year : int, optional
        The year reported on; ``2025年，我们将…`` opens the plans only when it
        names a later year.

    Returns
    -------
    str or None

    Example
    -------
    >>> lead_in_part("在充分肯定成绩的同时，也清醒认识到法治政府建设中的问题和不足：一是……")
    'shortcomings'
    >>> lead_in_part("2024年，我们将坚持以习近平新时代中国特色社会主义思想为指导。", year=2023)
    'plans'
    >>> lead_in_part("将学习贯彻习近平法治思想作为首要政治任务。") is None
    True
    """
    found = lead_in(text, year)
    return found[0] if found else None


def lead_in(text: str, year: Optional[int] = None):
    """``(part, sentence)`` for a paragraph that leads into a part, else ``None``.

    ``sentence`` is the lead-in sentence itself (for the plans, the sentence
    that says what will be done).

    Example
    -------
    >>> lead_in("法治政府建设是一项系统工程。2024年，我们将持续发力。", year=2023)
    ('plans', '2024年，我们将持续发力。')
    """
    head = text[:160]
    for code, m in _lead_matches(head, year):
        sentence = _sentence_at(text, m.end() - 1)
        if _OUTLINE.search(sentence):  # "本报告包括……存在不足和原因……四个部分" lists the parts
            return None
        return code, sentence
    return None


def _lead_matches(head, year):
    for code, rx in (("other_matters", _OTHER_LEAD), ("first_responsible", _FIRST_RESPONSIBLE_LEAD),
                     ("shortcomings", _SHORTCOMINGS_LEAD)):
        m = rx.search(head)
        if m:
            yield code, m
            return
    m = _PLANS_LEAD.search(head)
    if m:
        y = m.groupdict().get("year")
        if y is None or year is None or int(y) > year:
            yield "plans", m


def _sentence_at(text, pos):
    """The sentence of ``text`` that holds position ``pos``."""
    start = max(text.rfind(c, 0, pos) for c in "。！？") + 1
    m = re.search(r"[。：:！？]", text[pos:])
    end = pos + m.end() if m else len(text)
    return text[start:end]


def find_parts(report) -> list[Part]:
    """The five parts of ``report``, in :data:`PART_CODES` order.

    Parameters
    ----------
    report : Report

    Returns
    -------
    list of Part
        One per code, present or not.

    Example
    -------
    >>> from rolnlp.reading import read_report
    >>> parts = find_parts(read_report("corpus/reports/002_87db0459dcb0080d.txt"))  # doctest: +SKIP
    >>> [p.code for p in sorted(parts, key=lambda p: p.order or 9) if p.present]  # doctest: +SKIP
    ['first_responsible', 'achievements', 'shortcomings', 'plans']
    """
    year = report.metadata.year
    body = [p for p in report.paragraphs if p.section != "other"]
    body_chars = sum(len(p.text) for p in body) or 1
    units = report.units("all")
    openers = []  # (start, code, via, text)
    seen_heading = False
    for u in units:
        if u.kind == "heading":
            if u.level == 1:
                openers.append((u.start, heading_part(u.title), "heading", u.text))
                seen_heading = True
            continue
        if u.section == "other" and not u.heading_path:
            continue  # title, addressee, signature, date
        found = lead_in(u.text, year)
        # the first paragraph before any heading is the preamble, not a part
        if found and (seen_heading or openers or u is not _first_body(units)):
            if not openers or openers[-1][1] != found[0]:
                openers.append((u.start, found[0], "lead-in", found[1]))
    # unheaded body text before the first opener counts as achievements
    preamble_end = None
    first_body = _first_body(units)
    if first_body is not None:
        preamble_end = first_body.end
    if not any(c == "achievements" for _, c, _, _ in openers):
        first_opener = openers[0][0] if openers else len(report.text) + 1
        unheaded = [p for p in body if preamble_end is not None and p.start >= preamble_end
                    and p.end <= first_opener]
        if unheaded:
            openers.insert(0, (unheaded[0].start, "achievements", "body", None))
    openers.sort(key=lambda o: o[0])

    spans: dict[str, list] = {}
    for i, (start, code, via, text) in enumerate(openers):
        stop = openers[i + 1][0] if i + 1 < len(openers) else len(report.text) + 1
        paras = [p for p in body if start <= p.start < stop]
        if code in spans:  # a part split by another one: join the pieces
            spans[code][3].extend(paras)
            continue
        spans[code] = [start, via, text, list(paras)]
    order = {code: i + 1 for i, code in enumerate(sorted(spans, key=lambda c: spans[c][0]))}
    out = []
    for code in PART_CODES:
        mentioned = bool(_MENTION[code].search(report.text))
        if code not in spans:
            out.append(Part(code, False, mentioned))
            continue
        start, via, text, paras = spans[code]
        chars = sum(len(p.text) for p in paras)
        end = max((p.end for p in paras), default=start)
        out.append(Part(code, True, True, via, text, start, end, chars,
                        round(chars / body_chars, 4), order[code]))
    return out


def _first_body(units):
    for u in units:
        if u.kind != "heading" and not (u.section == "other" and not u.heading_path):
            return u
    return None


def parts_table(parts) -> "object":
    """The parts as a DataFrame, one row per part (for notebooks).

    Parameters
    ----------
    parts : list of Part

    Returns
    -------
    pandas.DataFrame

    Example
    -------
    >>> parts_table([Part("plans", False, True)])[["code", "present", "mentioned"]].values.tolist()
    [['plans', False, True]]
    """
    import pandas as pd

    return pd.DataFrame([p.to_dict() for p in parts],
                        columns=["code", "present", "mentioned", "via", "opener", "start", "end",
                                 "chars", "share", "order"])
