"""Indicator extraction: the figures a report states, coded per indicators v1.

Every Arabic figure with a unit is a candidate.  A candidate becomes a mention
when the words around it name one of the quantities of
:mod:`rolnlp.audit.codes`:

* the *topic* is the indicator keyword nearest before the figure (行政复议,
  应诉, 调解, 法律援助, 普法, 学法, 合法性审查, 规范性文件, 处罚 …), looked up in
  the sentence and, when the sentence names none, in the one before it (reports
  write ``收到行政复议案件162件，办结151件`` and then ``纠错率…`` in a new
  sentence);
* the *verb* between the previous figure (or clause boundary) and this one
  says which count of the topic it is (收到 → received, 受理 → accepted, 办结 →
  closed, 纠错 → corrected …);
* a few patterns read the words *after* the figure, for reports that write the
  object last (``对43份行政处罚案卷进行评查``, ``纳入5个重大行政决策事项``).

Exclusions follow the specification: years, dates and ordinals have no unit
(or follow 第); money has no unit of the list; targets (力争, 目标, 计划, 将…
达到, the plans part of a report), national totals (全国) and figures of a
previous period (较去年…) are skipped.  A change written right after a figure
(``同比上升127.04%``) is attached to it as ``change`` and is not a mention.

Example
-------
>>> df = extract_indicators("全年收到行政复议申请1.2万件，同比增长17.1%，纠错率24.2%。")
>>> df[["code", "value", "unit", "change"]].values.tolist()
[['reconsideration_received', 12000.0, '件', '同比增长17.1%'], ['reconsideration_correction_rate', 24.2, '%', None]]
"""
from __future__ import annotations

import bisect
import re
from typing import Optional

from ..text.sentences import split_sentences

#: columns of :func:`extract_indicators`, in order
INDICATOR_COLUMNS = ["report_id", "paragraph", "code", "value", "unit", "change", "text",
                     "sentence", "start", "end"]

_FULLWIDTH = str.maketrans("０１２３４５６７８９．％", "0123456789.%")
_WIDE = re.compile("[０-９％．]")

# number, qualifiers (余/多, 万/亿 in either order), unit
_FIGURE = re.compile(
    r"(?<![\d.])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<q1>\s*[余多近]?)(?P<mag>\s*[万亿])?(?P<q2>[余多])?"
    r"\s*(?P<unit>个百分点|人次|件次|场次|批次|户次|家次|余次|%|件|项|场|次|个|份|条|人|名|卷|本|起|宗|家|期|篇|部|堂|批)")
_CHANGE = re.compile(
    r"[，,]?\s*(?:(?:同比|环比|比上年|较上年|较去年|比去年)[^，。；\d]{0,4})?"
    r"(?:增长|上升|下降|减少|增加|提高|提升)(?:了)?\s*(?:约)?\d+(?:\.\d+)?\s*(?:%|个百分点|倍)")
_CLAUSE_END = "，,；;。：:！？!?\n"
_CONTEXT = 300  # characters before a figure that can describe it
_MAX_SENTENCE = 1000

# topic keywords; the one nearest before a figure wins
_TOPICS = [
    ("reconsideration", r"行政复议|复议"),
    ("litigation", r"行政诉讼|行政应诉|应诉案件|诉讼案件|一审|被告"),
    ("appearance", r"出庭应诉|出庭"),
    ("mediation", r"调解|调处|矛盾纠纷|民间纠纷|纠纷"),
    ("legal_aid", r"法律援助|法援|援助案件"),
    ("notary", r"公证"),
    ("consultation", r"法律咨询|咨询|12348"),
    ("publicity", r"普法|法治宣传|宣传活动|宣讲|巡讲|法治讲座|知识讲座|送法|法治教育|法治文化|宣传|[七八十五]进"),
    ("study", r"学法|理论学习中心组|专题学习|集体学习|讲法|中心组学习|学习(?:贯彻)?习近平法治思想"),
    ("legality", r"合法性审查|合法性审核|法制审核|审查(?!起诉)|审核"),
    ("normative", r"规范性文件|报备|备案"),
    ("decision", r"重大行政决策|重大决策"),
    ("case_files", r"案卷|卷宗"),
    ("training", r"培训"),
    ("enforcement", r"行政处罚|处罚|查处|立案|执法|违法行为"),
    ("petition", r"信访"),
    ("approval", r"行政许可事项|许可事项|审批事项|行政审批"),
    ("hotline", r"12345|热线|工单"),
]
# topics a following sentence may go on about without naming them again
# (收到行政复议申请…。直接纠错236件，纠错率24.2%)
_CARRIED_TOPICS = {"reconsideration", "litigation", "appearance", "mediation", "legal_aid",
                   "consultation", "normative", "case_files", "notary"}
_TOPIC_RE = re.compile("|".join(f"(?P<{name}>{pat})" for name, pat in _TOPICS))

_COUNT_UNITS = {"件", "起", "宗", "件次"}
_SESSION_UNITS = {"次", "场次", "场", "期", "余次"}
_PEOPLE_UNITS = {"人次", "人", "名"}

_TARGET = re.compile(r"力争|争取|目标|预计|计划|将(?:达到|实现|完成|提升|提高)|确保.{0,8}达到")
_PREVIOUS = re.compile(r"较|比上|去年|上年|同期|上月|此前|原来|由$")
_NATIONAL = re.compile(r"全国")
_BEFORE_CHANGE = re.compile(r"(?:改革|调整|改制|合并)前[，,]")
_NOT_PENALTY = re.compile(r"不予处罚|免罚|不罚|轻微|移送|结案|未结")


def _value(m) -> float:
    v = float(m.group("num").replace(",", ""))
    mag = (m.group("mag") or "").strip()
    if mag == "万":
        v *= 1e4
    elif mag == "亿":
        v *= 1e8
    return round(v, 6)


def _rate_code(near, clause, window, after, topic=False):
    """Code of a percentage, from the rate word just before it (or after it)."""
    if "败诉率" in near:
        return "litigation_loss_rate"
    if re.search(r"出庭(?:应诉)?率", near):
        return "head_appearance_rate"
    if "纠错率" in near and "复议" in window and "备案" not in near:
        return "reconsideration_correction_rate"
    if re.search(r"(?:调解|调处|化解)成功率|调成率", near) or (
            near.endswith(("成功率", "成功率达", "成功率为", "成功率达到"))
            and (_nearest_topic(window) if topic is False else topic) in ("mediation", None)
            and re.search(r"纠纷|调解|调处", window + near)):
        return "mediation_success_rate"
    if re.search(r"调解率|调撤率|协调率|化解率|和解率", near):
        # the nearest of 复议 / 诉讼 decides whose rate it is
        topic = _nearest_of(window + near, ("复议", "行政争议"), ("诉讼",))
        if topic == 0:
            return "reconsideration_resolution_rate"
        return None
    if re.match(r"^[%的\s]*(?:行政争议|案件)?在?复议(?:环节|阶段)?实现?[“\"]?案结事了", after):
        return "reconsideration_resolution_rate"
    return None


def _nearest_of(text, first, second):
    """0 if a word of ``first`` occurs after every word of ``second`` in ``text``, 1 if the
    reverse, None if neither occurs."""
    a = max((text.rfind(w) for w in first), default=-1)
    b = max((text.rfind(w) for w in second), default=-1)
    if a < 0 and b < 0:
        return None
    return 0 if a > b else 1


def _nearest_topic(text) -> Optional[str]:
    # the nearest keyword is almost always in the last few dozen characters: look there first
    for tail in (text[-48:], text) if len(text) > 48 else (text,):
        last = None
        for m in _TOPIC_RE.finditer(tail):
            last = m
        if last:
            return last.lastgroup
    return None


def _count_code(near, clause, window, after, unit, clause_sentence="", topic=False):
    """Code of a count, from the nearest topic and the verb right before the figure."""
    # object written after the figure
    if unit == "卷" and re.search(r"评查|抽查|抽取|自查", clause + after[:20]):
        return "case_file_reviews"
    if unit in ("份", "卷", "件", "本", "宗") and re.match(r"^(?:余)?[^，。；、]{0,12}?(?:案卷|卷宗)", after) \
            and re.search(r"评查|抽查|抽取|抽检|自查", clause + after[:30]) \
            and re.search(r"执法|处罚|许可|强制", window + after[:20]):
        return "case_file_reviews"
    if re.match(r"^[^，。；]{0,4}(?:重大行政决策|重大决策)", after) and re.search(r"纳入|确定|目录", near):
        return "major_decisions"
    if re.match(r"^[^，。；]{0,6}规范性文件(?:失效|废止|修改|修订|予以废止|宣布失效|均予(?:以)?保留)",
                after):
        return "normative_docs_cleaned"
    if re.match(r"^报备的规范性文件", after):
        return "normative_docs_filed"
    if unit in _PEOPLE_UNITS and "培训" in clause + after[:40] and (
            re.match(r"^(?:余)?(?:名|人)?(?:次)?(?:行政)?执法(?:人员|骨干|队员)", after)
            or re.search(r"执法(?:人员|骨干|队员)", near)):
        return "enforcement_training"
    if unit in _COUNT_UNITS and re.match(r"^[^，。；]{0,3}公证", after):
        return "notary_cases"
    if unit == "项" and re.match(r"^(?:行政)?(?:审批|许可)事项", after):
        return "approval_items"
    if re.match(r"^(?:关键|制度|环节|方面|机制|措施|任务|领域|类|大类)", after):
        return None

    if topic is False:  # not given: look it up
        topic = _nearest_topic(window)
    if topic is None:
        return None
    if topic == "hotline" and "12348" in window:  # the legal-services hotline
        topic = "consultation"
    if topic == "reconsideration" or (topic == "mediation" and "复议" in near):
        if unit not in _COUNT_UNITS | {"个"}:
            return None
        if re.search(r"调解|和解|终止|维持|驳回|其中|结转", near):
            return None
        if "复议" not in clause and len(near) > 8 and not re.search(r"案件|申请", near):
            return None
        if re.search(r"纠错|撤销|变更|确认违法|责令履行|责令重作|履职", near):
            return "reconsideration_corrected"
        if re.search(r"收到|新收|接收|收案", near):
            return "reconsideration_received"
        if re.search(r"受理|办理|立案", near) and "不予受理" not in near:
            return "reconsideration_accepted"
        if re.search(r"审结|办结|结案", near):
            return "reconsideration_closed"
        if near.strip().endswith("申请"):
            return "reconsideration_received"
        return None
    if topic == "appearance":
        return "head_appearance_cases" if unit in _COUNT_UNITS | {"次"} and "出庭" in near else None
    if topic == "litigation":
        if unit not in _COUNT_UNITS:
            return None
        if "败诉" in near:
            return "litigation_lost"
        if "出庭" in near:
            return "head_appearance_cases"
        if re.search(r"胜诉|撤诉|(?<!一)审结|其中|开庭|上诉|再审", near):
            return None
        if re.search(r"办理|发生|参加|应诉|结案|收到|案件|行政诉讼", near):
            return "litigation_cases"
        return None
    if topic == "mediation":
        if unit not in _COUNT_UNITS:
            return None
        if re.search(r"排查|发现|预防|线索|协议|履行|隐患|涉及|上报|引导|移送|新发|不成功|未成功|申请|预约|方式结案", near):
            return None
        if "复议" in clause_sentence and not re.search(r"纠纷|人民调解", near):
            return None  # 复议 cases settled by mediation are not mediation_cases
        if re.search(r"(?:调解|调处|化解)成功|成功率", near) and not re.search(r"成功(?:调解|化解|调处)", near):
            return None
        if re.search(r"纠纷|调解|调处", near) and re.search(r"调解|调处|化解|受理", near):
            return "mediation_cases"
        return None
    if topic == "legal_aid":
        if "咨询" in near and unit in {"人次", "次", "件次", "批次"}:
            return "legal_consultations"
        if unit in _COUNT_UNITS and re.search(r"案件|受理|办理|指派", near + clause[-12:]) \
                and not re.search(r"申请|预约", near):
            return "legal_aid_cases"
        return None
    if topic == "notary":
        return "notary_cases" if unit in _COUNT_UNITS | {"份"} and "公证" in clause else None
    if topic == "consultation":
        if unit in {"人次", "次", "件次", "批次", "件"} and \
                re.search(r"法律|12348|律师|法援|公共法律服务|公服|司法", window):
            if re.search(r"发放|资料|册|浏览|注册|关注|查询|案件|论证|表扬", near):
                return None
            if not re.search(r"咨询|接待|解答|服务|来电|热线|接听|帮助", near):
                return None
            return "legal_consultations"
        return None
    if topic == "publicity":
        if re.search(r"发放|资料|横幅|海报|标语|视频|推送|篇|折页|宣传品|单页|手册|浏览|屏|广播|短信|报道|发布", near):
            return None
        if not re.search(r"法治|法律|普法|宪法|民法典|法规|送法|学法", clause_sentence):
            return None
        if unit in _SESSION_UNITS:
            return "publicity_events" if _TOPIC_RE.search(clause) else None
        if unit in {"人次", "人"} and re.search(r"受众|覆盖|听课|参与|受益|惠及|参加|群众", near):
            return "publicity_reach"
        return None
    if topic == "study":
        if unit not in _SESSION_UNITS or re.search(r"考试|培训", near) \
                or near.rstrip().endswith(("会议", "会")):
            return None
        if "法" in clause or (re.search(r"法治思想|学法|法律|法规", window)
                              and re.search(r"学习|学法|讲法|讲座|研讨", clause)):
            return "official_study_sessions"
        return None
    if topic == "legality":
        if unit not in {"件", "份", "个", "项"}:
            return None
        if re.search(r"意见|建议|排查", near) or ("公平竞争" in clause and "合法性" not in clause):
            return None
        if re.search(r"审查|审核", near + clause):
            return "legality_reviews"
        return None
    if topic == "normative":
        if unit not in {"件", "个", "份", "项"} or "文件" not in window + near:
            return None
        if re.search(r"清理|废止|失效|修改|修订|保留", near + clause):
            return "normative_docs_cleaned"
        if re.search(r"审查|审核", near + clause) and not re.search(r"备案|报备", near):
            return "legality_reviews"
        if re.search(r"备案|报备|制发|制定|印发|出台", near + clause):
            return "normative_docs_filed"
        return None
    if topic == "decision":
        if re.search(r"审查|审核", clause):
            return "legality_reviews" if unit in {"件", "个", "项", "份"} else None
        if unit in {"个", "项", "件"} and re.search(r"纳入|目录|确定|事项", near + clause):
            return "major_decisions"
        return None
    if topic == "case_files":
        if unit in {"份", "卷", "件", "本", "宗"} and re.search(r"评查|抽查|抽取|抽检|自查", clause + after[:20]) \
                and not re.search(r"收到|报送", near) and re.search(r"执法|处罚|许可|强制", window):
            return "case_file_reviews"
        return None
    if topic == "training":
        if unit in _PEOPLE_UNITS and re.search(r"执法(?:人员|骨干|队员)", clause):
            return "enforcement_training"
        return None
    if topic == "enforcement":
        if unit not in _COUNT_UNITS | {"家"}:
            return None
        if unit == "家" and not re.search(r"立案|查处", near[-4:]):
            return None
        if _NOT_PENALTY.search(near) or re.search(r"检查|巡查|出动|整改|隐患|抽查|线索|监督案件", near):
            return None
        if "立案" in near and not re.search(r"执法|处罚|违法", window):
            return None
        if re.search(r"办理|查处|立案|处罚|案件|处理|录入", near):
            return "enforcement_cases"
        return None
    if topic == "petition":
        if unit in _COUNT_UNITS | {"批次", "人次"} and re.search(r"受理|办理|接待|化解|处理", near):
            return "petition_cases"
        return None
    if topic == "approval":
        if unit == "项" and re.search(r"许可|审批", near) and not re.search(r"由$", near):
            return "approval_items"
        return None
    if topic == "hotline":
        if unit in {"件", "条", "件次"} and re.search(r"受理|办理|工单|诉求|来电", near):
            return "hotline_tickets"
        return None
    return None


# list items (、合同15份) and second clauses (，镇级矛盾纠纷37件) continue these codes
_LIST_CODES = {"legality_reviews", "normative_docs_cleaned", "mediation_cases"}
_BREAKDOWN = re.compile(r"其中|[（(]含|包括")
# within a breakdown a sub-figure of the same code counts only when it names the code again
_STRONG = {"legal_aid_cases": "法律援助案件"}


def extract_from_text(text, *, base=0, skip=False):
    """Indicator mentions of one paragraph or text, as dicts.

    Parameters
    ----------
    text : str
    base : int, default 0
        Added to every offset (the paragraph's start in its report).
    skip : bool, default False
        Return nothing (used for the plans part, whose figures are targets).

    Returns
    -------
    list of dict
        ``code, value, unit, change, text, sentence, start, end``.

    Example
    -------
    >>> [m["code"] for m in extract_from_text("开展普法活动260场次，受众5万余人次。")]
    ['publicity_events', 'publicity_reach']
    """
    if skip or not text:
        return []
    # same length after translation: offsets stay valid
    norm = text.translate(_FULLWIDTH) if _WIDE.search(text) else text
    if not _FIGURE.search(norm):
        return []
    sentences = split_sentences(norm)
    out = []
    for si, (s_start, s_end, sentence) in enumerate(sentences):
        if not _FIGURE.search(norm, s_start, s_end):
            continue
        prev_sentence = norm[max(0, s_start - 200):s_start]  # the sentences just before
        prev_topic = False  # looked up when needed
        # topic keywords of the sentence, once: (end, topic) in reading order
        topics = [(t.end(), t.lastgroup) for t in _TOPIC_RE.finditer(norm, s_start, s_end)]
        topic_ends = [e for e, _ in topics]
        sentence_codes = set()
        # a sentence longer than _MAX_SENTENCE (unpunctuated tables, garbled pages) is
        # given as the text around each figure, not copied whole into every row
        sentence_text = text[s_start:s_end] if s_end - s_start <= _MAX_SENTENCE else None
        last_end = s_start
        consumed_until = -1
        prev_code = None
        for m in _FIGURE.finditer(norm, s_start, s_end):
            start, end = m.start(), m.end()
            if start < consumed_until:
                continue
            # the words before the figure, within its sentence; bounded, so that a huge
            # unpunctuated line costs linear time
            b_start = max(s_start, start - _CONTEXT)
            before = norm[b_start:start]
            # clause: back to the last clause boundary (past a colon right before the figure)
            cut = max(before.rfind(c) for c in _CLAUSE_END)
            near = norm[max(last_end, b_start + cut + 1):start]
            if not near.strip() and cut >= 0 and before[cut] in "：:":
                cut2 = max(before.rfind(c, 0, cut) for c in _CLAUSE_END)
                near = before[max(cut2 + 1, last_end - b_start):cut]
            clause = before[cut + 1:]
            last_end = end
            after = norm[end:min(s_end, end + 40)]
            change = None
            cm = _CHANGE.match(norm, end, s_end)
            if cm:
                change = cm.group().lstrip("，, ")
                consumed_until = cm.end()
            if (start > 0 and norm[start - 1] in "第〔[（(") or re.search(r"\d\s+$", before):
                continue
            if re.match(r"^[，,]?\s*占", after):  # a share of a total: a breakdown
                continue
            if _TARGET.search(clause) or _NATIONAL.search(clause) or _PREVIOUS.search(near) \
                    or _BEFORE_CHANGE.search(before):
                continue
            unit = m.group("unit").replace("余次", "次")
            # the previous sentence only matters when this one names no topic (nearest wins)
            window = prev_sentence + before
            i = bisect.bisect_right(topic_ends, start)
            topic = topics[i - 1][1] if i else False
            if topic is False:
                if prev_topic is False:
                    prev_topic = _nearest_topic(prev_sentence)
                    if prev_topic not in _CARRIED_TOPICS:
                        prev_topic = None
                topic = prev_topic
            if unit in ("%", "个百分点"):
                if unit != "%":
                    continue
                code = _rate_code(near, clause, window, after, topic)
            else:
                code = _count_code(near, clause, window, after, unit, before, topic)
                if code is None and prev_code in _LIST_CODES and len(near) <= 14 and unit != "条" \
                        and not re.search(r"提出|意见|建议|出具", near) and (
                        near.lstrip().startswith("、") or prev_code == "mediation_cases") and (
                        prev_code != "mediation_cases" or "纠纷" in near) and \
                        not re.search(r"排查|发现|预防|线索|隐患|上报|引导|移送|新发|不成功|成功", near):
                    code = prev_code
            prev_code = code
            if code is None:
                continue
            if code in sentence_codes and unit != "%" and _BREAKDOWN.search(before) and (
                    code not in _STRONG or _STRONG[code] not in near):
                continue
            if _BREAKDOWN.search(near) and not _TOPIC_RE.search(near):
                continue
            prev_code = code
            sentence_codes.add(code)
            out.append({"code": code, "value": _value(m), "unit": unit, "change": change,
                        "text": text[start:end],
                        "sentence": sentence_text if sentence_text is not None
                        else text[max(s_start, start - _CONTEXT // 2):min(s_end, end + _CONTEXT // 2)],
                        "start": base + start, "end": base + end})
    return out


def extract_indicators(source, *, progress=True):
    """Indicator mentions of a text, a report or a corpus: one row per mention.

    Parameters
    ----------
    source : str, Report or Corpus (or a list of Reports)
        A ``str`` is the text itself (not a path); read files with
        :func:`rolnlp.read_report` first.
    progress : bool, default True
        A tqdm bar over the reports of a corpus (none for one text or report).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`INDICATOR_COLUMNS`: ``report_id`` and ``paragraph``
        (the paragraph's ``index``; both ``None`` for a text), ``code`` (see
        :data:`rolnlp.audit.INDICATOR_CODES`), ``value`` (normalised:
        1.2万 → 12000, 99.35% → 99.35, 5万余人次 → 50000), ``unit``, ``change``
        (``同比增长17.1%`` or ``None``), ``text`` (the figure as written),
        ``sentence`` (for a sentence over 1,000 characters, the 300 around
        the figure), ``start`` and ``end`` (offsets into the text or into
        ``Report.text``).  Figures in a report's plans part are targets and
        are left out.

    Raises
    ------
    TypeError
        If ``source`` is not a text, a Report or a Corpus (or list of reports).

    Example
    -------
    >>> df = extract_indicators("办理法律援助案件830件，解答法律咨询1.2万人次。")
    >>> df[["code", "value"]].values.tolist()
    [['legal_aid_cases', 830.0], ['legal_consultations', 12000.0]]
    """
    return mentions_frame(mention_rows(source, progress=progress))


def mention_rows(source, *, progress=False):
    """The rows of :func:`extract_indicators` as a list of dicts (no pandas)."""
    rows = []
    for report_id, paragraph, text, base, skip in _texts(source, progress):
        for mention in extract_from_text(text, base=base, skip=skip):
            rows.append({"report_id": report_id, "paragraph": paragraph, **mention})
    return rows


def mentions_frame(rows):
    """A DataFrame with the columns :data:`INDICATOR_COLUMNS` from mention dicts."""
    import pandas as pd

    df = pd.DataFrame(rows, columns=INDICATOR_COLUMNS)
    df["value"] = df["value"].astype(float)
    df["change"] = df["change"].astype(object).where(df["change"].notna(), None)
    return df


def _texts(source, progress):
    """``(report_id, paragraph_index, text, offset, skip)`` for each text of ``source``."""
    from ..reading.report import Report

    if isinstance(source, str):
        yield None, None, source, 0, False
        return
    if isinstance(source, Report):
        reports = [source]
    else:
        reports = getattr(source, "reports", source)
        if isinstance(reports, (bytes, bytearray)) or not hasattr(reports, "__iter__"):
            raise TypeError("source must be a str (text), a Report or a Corpus, "
                            f"got {type(source).__name__}")
        reports = list(reports)
        for r in reports:
            if not isinstance(r, Report):
                raise TypeError(f"expected Reports in the corpus, got {type(r).__name__}")
    if progress and len(reports) > 1:
        from tqdm.auto import tqdm
        reports = tqdm(reports, desc="indicators", unit="report")
    for r in reports:
        for p in r.paragraphs:
            yield r.id, p.index, p.text, p.start, p.section == "plans"
