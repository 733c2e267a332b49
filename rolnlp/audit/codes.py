"""The indicator codes of rolnlp indicators v1: the figures a report states.

The codes are an API, like the category codes of the codebook: they are the
values of the ``code`` column of :func:`rolnlp.extract_indicators`.  The
specification with its exclusions is in ``corpus/indicators/README.md``.

Example
-------
>>> INDICATOR_CODES[:2]
('reconsideration_received', 'reconsideration_accepted')
>>> INDICATORS_BY_CODE["litigation_loss_rate"].zh
'行政诉讼败诉率'
"""
from __future__ import annotations

from typing import NamedTuple

INDICATORS_VERSION = "1"


class Indicator(NamedTuple):
    """One indicator code: its Chinese name, what it counts and typical wording."""

    code: str
    zh: str
    counts: str
    wording: str


INDICATORS: tuple[Indicator, ...] = (
    Indicator("reconsideration_received", "行政复议收案", "行政复议 applications received",
              "收到/新收行政复议申请1113件"),
    Indicator("reconsideration_accepted", "行政复议受理", "行政复议 cases accepted",
              "受理行政复议案件1033件"),
    Indicator("reconsideration_closed", "行政复议审结", "行政复议 cases decided or closed",
              "审结/办结行政复议案件977件"),
    Indicator("reconsideration_corrected", "行政复议纠错",
              "行政复议 cases where the act was corrected (撤销、变更、确认违法、责令履行)",
              "直接纠错236件"),
    Indicator("reconsideration_correction_rate", "行政复议纠错率", "行政复议 correction rate",
              "纠错率24.2%"),
    Indicator("reconsideration_resolution_rate", "行政复议调解/化解率",
              "行政复议 mediation / settlement / substantive-resolution rate",
              "调解率17.4%, 综合化解率达到42%"),
    Indicator("litigation_cases", "行政诉讼案件",
              "行政诉讼 (应诉) cases the government or agency was party to",
              "办理行政应诉案件86件"),
    Indicator("litigation_lost", "行政诉讼败诉", "行政诉讼 cases lost", "败诉3件"),
    Indicator("litigation_loss_rate", "行政诉讼败诉率", "行政诉讼 loss rate", "败诉率2.1%"),
    Indicator("head_appearance_rate", "负责人出庭应诉率", "行政机关负责人出庭应诉率",
              "出庭应诉率达100%"),
    Indicator("head_appearance_cases", "负责人出庭应诉案件",
              "cases in which the head of the agency appeared in court", "负责人出庭应诉45件/次"),
    Indicator("legality_reviews", "合法性审查",
              "documents, decisions, contracts or agreements given 合法性审查/审核",
              "合法性审查文件53份、合同15份"),
    Indicator("normative_docs_filed", "规范性文件备案", "行政规范性文件 filed for record or issued",
              "报备规范性文件12件"),
    Indicator("normative_docs_cleaned", "规范性文件清理",
              "行政规范性文件 reviewed in a clean-up, or repealed / amended in it",
              "清理规范性文件120件, 废止4件"),
    Indicator("major_decisions", "重大行政决策", "重大行政决策 items", "纳入重大行政决策目录7项"),
    Indicator("enforcement_cases", "行政执法案件", "administrative penalty / enforcement cases handled",
              "办理行政处罚案件1562件"),
    Indicator("case_file_reviews", "案卷评查", "enforcement case files reviewed (案卷评查)",
              "评查行政执法案卷300卷"),
    Indicator("enforcement_training", "执法人员培训", "enforcement staff trained",
              "培训执法人员800人次"),
    Indicator("mediation_cases", "调解纠纷", "disputes mediated (人民调解、行政调解 …)",
              "调解矛盾纠纷3639件"),
    Indicator("mediation_success_rate", "调解成功率", "mediation success rate", "调解成功率98.5%"),
    Indicator("petition_cases", "信访", "信访 cases or visits handled", "受理信访事项520件"),
    Indicator("legal_aid_cases", "法律援助案件", "法律援助 cases", "办理法律援助案件830件"),
    Indicator("notary_cases", "公证", "公证 cases", "办理公证事项2100件"),
    Indicator("legal_consultations", "法律咨询", "legal consultations answered (热线、窗口、法律顾问)",
              "解答法律咨询1.2万人次"),
    Indicator("publicity_events", "普法活动", "普法 / legal-publicity events held",
              "开展普法活动260场次"),
    Indicator("publicity_reach", "普法受众", "people reached by legal publicity", "受众5万余人次"),
    Indicator("official_study_sessions", "领导干部学法", "law-study sessions of officials",
              "常务会议学法18场次"),
    Indicator("approval_items", "行政许可事项", "administrative licensing / approval items",
              "行政许可事项218项"),
    Indicator("hotline_tickets", "热线工单", "12345 / hotline tickets or requests handled",
              "受理12345热线工单3.6万件"),
)

INDICATOR_CODES: tuple[str, ...] = tuple(i.code for i in INDICATORS)
INDICATORS_BY_CODE: dict[str, Indicator] = {i.code: i for i in INDICATORS}
