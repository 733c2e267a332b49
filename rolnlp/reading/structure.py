"""Headings, paragraphs and sections of a Chinese official report.

The numbering of official documents gives the hierarchy: level 1 ``一、``,
level 2 ``（一）``, level 3 ``1.`` / ``1、`` / ``（1）``.  ``一是…二是…`` are
lead-in items inside paragraphs, never headings.  A numbered line that stands
alone (short, no sentence-ending punctuation inside) is a :class:`Heading`; a
numbered heading run into the start of a paragraph (``（一）突出思想政治引领。深化…``)
stays in the paragraph, and its title joins the paragraph's ``heading_path``.

Pages that lost their line breaks (a whole report on one line) still carry
whitespace before each inline heading or item; a line is split there when the
numbering continues the sequence seen so far, which keeps dates (``2024年3月6日``),
amounts (``1.5亿元``) and enumerations inside sentences intact.

Every character of the text belongs to exactly one unit: unit text plus its
trailing ``whitespace`` tiles the text.

Example
-------
>>> hs, ps = segment("导语。\\n一、主要举措和成效\\n（一）统筹推进。正文。")
>>> [h.text for h in hs], [(p.section, p.heading_path) for p in ps]
(['一、主要举措和成效'], [('preamble', ()), ('achievements', ('一、主要举措和成效', '（一）统筹推进'))])
"""
from __future__ import annotations

import re
from dataclasses import replace

from ..codebook import SECTIONS
from .report import Heading, Paragraph

_NUM = "一二三四五六七八九十"
_MARKER = re.compile(
    rf"(?P<l1>[{_NUM}]{{1,3}}、)"
    rf"|(?P<l2>[（(][{_NUM}]{{1,3}}[)）])"
    r"|(?P<l3>(?:\d{1,2}[.．、](?![\d.．])|[（(]\d{1,2}[)）]))"
    rf"|(?P<item>[{_NUM}]{{1,3}}是(?![的否非]))")
_ORDINAL = re.compile(rf"[{_NUM}]+|\d+")
_SENT_END = "。！？；!?;"
_RUNIN_TITLE = re.compile(rf"[^{_SENT_END}：:]{{1,60}}?(?=[{_SENT_END}：:])")
_ITEM = re.compile(
    rf"(?:(?<=^)|(?<=[。；;！？!?：:，,\s”]))(?:(?P<shi>[{_NUM}]{{1,3}})是(?![的否非])|"
    rf"第(?P<di>[{_NUM}]{{1,3}})[，,、：:])")
_DATE = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")
_ORG = r"\S{2,30}?(?:人民政府|政府|办公室|委员会|办事处|街道|司法局|局|厅|委|中心|镇|乡)"
_SIGNATURE_TAIL = re.compile(  # whitespace after a sentence end (found space first: faster)
    rf"\s(?<=[{_SENT_END}”]\s)\s*(?:{_ORG}(?:\s+\d{{4}}年\d{{1,2}}月\d{{1,2}}日)?|\d{{4}}年\d{{1,2}}月\d{{1,2}}日)$")
_ORG_LINE = re.compile(rf"^{_ORG}$")
_ORG_DATE = re.compile(r"^" + _ORG + r"\s+\d{4}年\d{1,2}月\d{1,2}日$")
# an addressee line such as "常州市人民政府：" or "区委、区政府:" opens a letter-style report
_ADDRESSEE = re.compile(r"^[^，。；]{2,30}[：:]$")
# a title line: no sentence punctuation, naming the report it heads
_TITLE_LINE = re.compile(r"^[^，,。；;！!？?：:]{4,80}(?:报告|情况|总结)$")
_CLOSING = re.compile(r"^(?:特此报告|专此报告|以上报告|特此汇报)[。.！!]?$")
_SHORTCOMING_SWITCH = re.compile(
    r"(?:存在|认识到|看到|面临|仍有|还有|清醒)[^。]{0,30}(?:问题|不足|短板|差距|薄弱)|"
    r"^[^。]{0,20}(?:问题和不足|不足和问题|存在的问题|存在的不足|问题与不足)")
_PLAN_SUBJECT = (r"(?:我们|我区|我县|我市|我局|我镇|我街道|我乡|全区|全县|全市|区政府|县政府|市政府|"
                 r"区司法局|县司法局)")
# "2024年，我们将…" opens the plans; "我局将法律法规纳入…" uses 将 as 把 and does not,
# so without a year or 下一步 the 将 must be followed by a word of intent
_PLAN_SWITCH = re.compile(
    r"^(?:[^。]{0,40}。)?(?:(?:\d{4}\s*年|新的一年|今后|未来|下一步)[，,]?\s*" + _PLAN_SUBJECT
    + r"?将|" + _PLAN_SUBJECT + r"?将(?:继续|坚持|进一步|持续|着力|全面|聚焦|围绕|深入|紧扣|加快|"
    r"不断|重点|努力|切实|始终|全力|积极|以))|^下一步|^展望\s*\d{4}\s*年")
# the part on the leaders' duty as 第一责任人 belongs to achievements, first or last
# (a plan to "压实…第一责任人职责" stays a plan)
_DUTY_SWITCH = re.compile(
    r"^(?![^。]{0,30}(?:将|进一步|压实|持续|继续|推动|督促))[^。]{0,30}主要负责(?:人|同志)[^。]{0,12}(?:履行|落实)[^。]{0,16}第一责任人职责")
_MAX_HEADING = 80
_MAX_INLINE_HEADING = 60


_CN_DIGITS = {c: i + 1 for i, c in enumerate("一二三四五六七八九")}


def cn_number(s: str) -> int:
    """Value of a Chinese (一…九十九) or Arabic numeral; 0 if it is not one.

    Example
    -------
    >>> cn_number("十二"), cn_number("二十"), cn_number("7")
    (12, 20, 7)
    """
    if s.isdigit():
        return int(s)
    digits = _CN_DIGITS
    if not s or any(c not in digits and c != "十" for c in s):
        return 0
    if "十" not in s:
        return digits[s] if len(s) == 1 else 0
    tens, _, ones = s.partition("十")
    if len(tens) > 1 or len(ones) > 1 or "十" in ones:
        return 0
    return (digits[tens] if tens else 1) * 10 + (digits[ones] if ones else 0)


def _marker(text: str, pos: int = 0):
    """``(kind, marker, ordinal)`` of a numbering marker at ``pos``, or None."""
    m = _MARKER.match(text, pos)
    if not m:
        return None
    kind = m.lastgroup
    marker = m.group()
    num = cn_number(_ORDINAL.search(marker).group())
    if not num:
        return None
    return kind, marker, num


_LEVEL = {"l1": 1, "l2": 2, "l3": 3}


def _clean_title(s: str) -> str:
    return s.strip().rstrip(_SENT_END + "：:，, ")


def section_of(title: str) -> str:
    """Section code for a level-1 heading, from the codebook's section cues.

    Shortcomings are checked first, then plans, then achievements; numbered
    body sections without a cue count as achievements.

    Example
    -------
    >>> section_of("三、2025年法治政府建设主要安排"), section_of("二、存在的不足")
    ('plans', 'shortcomings')
    """
    by_code = {s.code: s.cues for s in SECTIONS}
    for code in ("shortcomings", "plans", "achievements"):
        if any(c in title for c in by_code[code]):
            return code
    return "achievements"


class _Seg:
    __slots__ = ("start", "end", "ws_end", "inline")

    def __init__(self, start, end, ws_end, inline):
        self.start, self.end, self.ws_end, self.inline = start, end, ws_end, inline


def _lines(text: str):
    """Content spans of non-blank lines: ``(start, end)`` without edge whitespace."""
    spans = []
    for m in re.finditer(r"[^\n]+", text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            spans.append((s, e))
    return spans


_INLINE_CAND = re.compile(r"\s+(?=\S)")


def segment(text: str):
    """Split cleaned report text into headings and paragraphs.

    Parameters
    ----------
    text : str
        Cleaned text, one paragraph per line (inline headings allowed).

    Returns
    -------
    tuple
        ``(headings, paragraphs)``; together, ordered by ``start``, their
        ``text_with_ws`` concatenate to ``text``.

    Example
    -------
    >>> hs, ps = segment("报告如下： 一、总体情况 （一）学习 一是学法。 二是用法。")
    >>> [h.text for h in hs], [p.text for p in ps]
    (['一、总体情况', '（一）学习'], ['报告如下：', '一是学法。', '二是用法。'])
    """
    spans = _lines(text)
    if not spans:
        if not text:
            return [], []
        return [], [Paragraph(text, 0, len(text), (), "preamble", 0, "")]
    state = _State()
    units = []  # (start, end) of each unit, in reading order
    for (ls, le) in spans:
        for a, b in _split_line(text, ls, le, state):
            units.append((a, b))
    # trailing whitespace of each unit runs to the next unit's start
    headings: list[Heading] = []
    paragraphs: list[Paragraph] = []
    first_start = units[0][0]
    ctx = _Context()
    for i, (a, b) in enumerate(units):
        if i == 0 and first_start > 0:
            a = 0  # leading whitespace of the text can only live in the first unit
        nxt = units[i + 1][0] if i + 1 < len(units) else len(text)
        ws = text[b:nxt]
        seg = text[a:b]
        unit = ctx.make(seg, a, b, ws, len(headings), len(paragraphs))
        (headings if isinstance(unit, Heading) else paragraphs).append(unit)
    return headings, paragraphs


class _State:
    """Numbering seen so far, to judge whether an inline marker continues it."""

    def __init__(self):
        self.last = {1: 0, 2: 0, 3: 0}
        self.item = 0

    def plausible(self, kind, num, after_heading, prev_char):
        if kind == "item":
            if num == 1:
                return True
            return num == self.item + 1 and (after_heading or prev_char in _SENT_END + "：:”")
        if not (after_heading or prev_char in _SENT_END + "：:”"):
            return False  # "我们在 二、三月份…" is a sentence, not a heading
        level = _LEVEL[kind]
        # inline, unlike on its own line, the numbering must continue exactly
        return num == self.last[level] + 1 and (level == 1 or self.last[level] or num == 1
                                                  or self.last[level - 1])

    def see(self, kind, num):
        if kind == "item":
            self.item = num
            return
        level = _LEVEL[kind]
        self.last[level] = num
        for deeper in range(level + 1, 4):
            self.last[deeper] = 0
        self.item = 0


def _is_standalone(seg: str, marker: str, limit: int) -> bool:
    body = seg[len(marker):]
    if len(seg) > limit:
        return False
    inner = body.rstrip(_SENT_END + "：:")
    return not any(c in _SENT_END for c in inner)


def _split_line(text, ls, le, state):
    """Yield ``(start, end)`` segments of one line, split at inline headings/items."""
    line = text[ls:le]
    cuts = [0]
    m0 = _marker(line, 0)
    seg_is_heading = False
    if m0:
        kind, marker, num = m0
        end0 = _next_candidate_end(line, 0)
        seg_is_heading = kind != "item" and _is_standalone(
            line[:end0].rstrip(), marker, _MAX_HEADING if end0 == len(line) else _MAX_INLINE_HEADING)
        state.see(kind, num)
    for m in _INLINE_CAND.finditer(line):
        pos = m.end()
        mk = _marker(line, pos)
        if mk is None:
            continue
        kind, marker, num = mk
        prev_char = line[m.start() - 1] if m.start() else ""
        if not state.plausible(kind, num, seg_is_heading, prev_char):
            continue
        if kind != "item":
            end = _next_candidate_end(line, pos)
            seg = line[pos:end].rstrip()
            if not _is_standalone(seg, marker, _MAX_INLINE_HEADING) and prev_char not in \
                    _SENT_END + "：:”":
                continue  # a run-in heading mid-line needs a sentence end before it
            seg_is_heading = _is_standalone(seg, marker, _MAX_INLINE_HEADING)
        else:
            seg_is_heading = False
        cuts.append(pos)
        state.see(kind, num)
    # a signature written at the end of the last sentence: "…。 某某人民政府 2025年3月19日"
    sig = _SIGNATURE_TAIL.search(line)
    if sig and len(line) - sig.start() <= 60:
        pos = sig.start() + len(sig.group()) - len(sig.group().lstrip())
        if pos > cuts[-1]:
            cuts.append(pos)
            date = re.search(r"\s+(?=\d{4}年\d{1,2}月\d{1,2}日$)", line[pos:])
            if date and date.start() > 0:
                cuts.append(pos + date.end())
    out = []
    for i, c in enumerate(cuts):
        end = cuts[i + 1] if i + 1 < len(cuts) else len(line)
        seg = line[c:end]
        out.append((ls + c, ls + c + len(seg.rstrip())))
    return out


def _next_candidate_end(line: str, pos: int) -> int:
    """End of the text from ``pos`` up to the next whitespace-preceded marker."""
    for m in _INLINE_CAND.finditer(line, pos):
        if m.start() <= pos:
            continue
        if _marker(line, m.end()):
            return m.start()
    return len(line)


class _Context:
    """Walks the units in order, tracking the heading path and the section."""

    def __init__(self):
        self.stack: list[tuple[int, str]] = []  # (level, title)
        self.section = "preamble"
        self.numbered = False
        self.paras_in_section = 0

    def _path(self):
        return tuple(t for _, t in self.stack)

    def _push(self, level, title):
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        self.stack.append((level, title))
        if level == 1 or not self.numbered or (self.stack and self.stack[0][0] == level):
            # a new outermost heading decides the section
            self.section = section_of(title)
            self.paras_in_section = 0
        self.numbered = True

    def make(self, seg, a, b, ws, h_index, p_index):
        mk = _marker(seg)
        if mk and mk[0] != "item":
            kind, marker, _num = mk
            level = _LEVEL[kind]
            limit = _MAX_HEADING if "\n" in ws or not ws else _MAX_INLINE_HEADING
            if _is_standalone(seg, marker, limit):
                self._push(level, _clean_title(seg))
                return Heading(seg, a, b, level, marker, self._path(), self.section,
                               h_index, ws)
            t = _RUNIN_TITLE.match(seg, len(marker))
            title = _clean_title(marker + (t.group() if t else ""))
            self._push(level, title)
            return self._para(seg, a, b, ws, p_index)
        if not mk:
            self._maybe_switch(seg)
        if _CLOSING.match(seg):
            return Paragraph(seg, a, b, (), "other", p_index, ws)
        kind = _closing_kind(seg) if self.numbered else None
        if kind is None and _DATE.match(seg):
            kind = "date"
        if kind:
            return Paragraph(seg, a, b, (), "other" if self.numbered else self.section,
                             p_index, ws, kind=kind)
        return self._para(seg, a, b, ws, p_index)

    def _para(self, seg, a, b, ws, p_index):
        self.paras_in_section += 1
        return Paragraph(seg, a, b, self._path(), self.section, p_index, ws)

    def _maybe_switch(self, seg):
        """An unnumbered paragraph that opens the shortcomings or plans part."""
        if not self.numbered or self.paras_in_section == 0:
            return
        head = seg[:80]
        if self.section in ("shortcomings", "plans") and _DUTY_SWITCH.search(head):
            self.section, self.stack, self.paras_in_section = "achievements", [], 0
        elif self.section == "achievements" and _SHORTCOMING_SWITCH.search(head):
            self.section, self.stack, self.paras_in_section = "shortcomings", [], 0
        elif self.section in ("achievements", "shortcomings") and _PLAN_SWITCH.search(head):
            self.section, self.stack, self.paras_in_section = "plans", [], 0


def _closing_kind(seg: str):
    """``"signature"`` or ``"date"`` for a closing line, else None."""
    if _DATE.match(seg):
        return "date"
    if (len(seg) <= 40 and _ORG_LINE.match(seg.replace(" ", ""))) or _ORG_DATE.match(seg):
        return "signature"
    return None


def assign_kinds(headings, paragraphs, title=None):
    """Every unit in reading order, with front and closing lines given their kind.

    ``segment`` already marks signatures and dates that follow numbered
    headings; this adds the title (``title``, or a first line shaped like one),
    an addressee line before the body (``常州市人民政府：``) and the signature
    and date lines that close a report without headings.  Indices are
    renumbered so that ``index`` counts units of each kind from 0.

    Parameters
    ----------
    headings, paragraphs : list
        As returned by :func:`segment`.
    title : str, optional
        The report's title as the metadata found it.

    Returns
    -------
    list
        Headings and paragraphs ordered by ``start``, tiling the text.

    Example
    -------
    >>> hs, ps = segment("区委、区政府：\\n一、总体情况\\n正文。\\n某某区人民政府\\n2024年3月6日")
    >>> [u.kind for u in assign_kinds(hs, ps)]
    ['addressee', 'heading', 'paragraph', 'signature', 'date']
    """
    units = sorted([*headings, *paragraphs], key=lambda u: u.start)
    title_key = title.replace(" ", "") if title else None
    # front matter: lines before the first heading and before the first sentence
    for i, u in enumerate(units):
        if u.kind != "paragraph" or u.heading_path:
            break
        flat = u.text.replace(" ", "")
        if (title_key and flat == title_key) or (i == 0 and _TITLE_LINE.match(flat)):
            units[i] = replace(u, kind="title", section="other")
        elif _ADDRESSEE.match(u.text):
            units[i] = replace(u, kind="addressee", section="other")
        else:
            break
    # closing lines of a report without headings: from the end, back to the body
    if not headings:
        for i in range(len(units) - 1, 0, -1):
            u = units[i]
            kind = _closing_kind(u.text) if u.kind == "paragraph" else None
            if kind is None:
                break
            units[i] = replace(u, kind=kind, section="other")
    counts: dict = {}
    for i, u in enumerate(units):
        n = counts.get(u.kind, 0)
        counts[u.kind] = n + 1
        if u.index != n:
            units[i] = replace(u, index=n)
    return units


def split_items(paragraphs):
    """Split paragraphs at ``一是…二是…`` (or ``第一，…第二，…``) into items.

    A paragraph with at least two items in sequence becomes its lead-in text
    (if any) plus one unit per item, ``kind="item"`` and ``parent`` set to
    the paragraph's index; other paragraphs are returned unchanged.  The
    pieces of a paragraph still concatenate (with whitespace) to its text.

    Example
    -------
    >>> p = Paragraph("要求如下：一是学法。二是用法。", 0, 15, (), "achievements", 0)
    >>> [u.text for u in split_items([p])]
    ['要求如下：', '一是学法。', '二是用法。']
    """
    out = []
    n_items = 0
    for p in paragraphs:
        cuts = _item_cuts(p.text)
        if len(cuts) < 2:
            out.append(p)
            continue
        bounds = ([0] if cuts[0] > 0 else []) + cuts + [len(p.text)]
        for i in range(len(bounds) - 1):
            piece = p.text[bounds[i]:bounds[i + 1]]
            body = piece.rstrip()
            ws = piece[len(body):]
            if i == len(bounds) - 2:
                ws += p.whitespace
            start = p.start + bounds[i]
            out.append(replace(p, text=body, start=start, end=start + len(body), whitespace=ws,
                               kind="item", parent=p.index, index=n_items))
            n_items += 1
    return out


def _item_cuts(text: str):
    """Start offsets of the longest 一, 二, 三 … item run in ``text``."""
    if "是" not in text and "第" not in text:
        return []  # every item marker holds one of them
    best: list[int] = []
    found = list(_ITEM.finditer(text))  # one scan serves both styles
    for style in ("shi", "di"):
        cuts, want = [], 1
        for m in found:
            num_s = m.group(style)
            if num_s is None:
                continue
            num = cn_number(num_s)
            if num == want:
                cuts.append(m.start())
                want += 1
            elif num == 1 and len(cuts) < 2:
                cuts, want = [m.start()], 2
        if len(cuts) > len(best):
            best = cuts
    return best if len(best) >= 2 else []
