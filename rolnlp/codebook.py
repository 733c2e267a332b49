"""The rolnlp codebook: category and section codes.

The codes are the stable identifiers every part of rolnlp returns
(``classify()``, ``Paragraph.section``, topic seeds).  Names are display labels;
cues are the codebook's own descriptive phrases, used by the keyword baseline
and as default topic seeds.  This module imports nothing from rolnlp so every
layer can use it.

v1.2 adds boundary rules 16–18 (platform statistics are coded by the work they
count, news titles standing alone are ``other``, table rows take the area
their figures count); the codes, names and cues are those of v1.1.

Example
-------
>>> from rolnlp.codebook import CATEGORY_CODES, category_name
>>> "enforcement" in CATEGORY_CODES
True
>>> category_name("enforcement", lang="zh")
'行政执法'
"""
from __future__ import annotations

from dataclasses import dataclass

CODEBOOK_VERSION = "1.2"


@dataclass(frozen=True)
class Category:
    """One codebook entry: a stable ``code`` with display names and cue terms."""

    code: str
    zh: str
    en: str
    cues: tuple[str, ...]


CATEGORIES: tuple[Category, ...] = (
    Category("leadership", "党的领导与统筹推进", "Leadership, accountability and coordination",
             ("习近平法治思想", "第一责任人", "述法", "依法治区", "依法治县", "依法治市",
              "委员会", "工作要点", "法治督察", "督察", "考核", "评估", "示范创建",
              "学法", "常务会议学法", "法律知识考试", "法治工作队伍", "法治人才")),
    Category("business_environment", "政府职能与法治化营商环境",
             "Government functions and law-based business environment",
             ("放管服", "简政放权", "行政审批", "审批", "政务服务", "一件事", "最多跑一次",
              "告知承诺", "证明事项", "公平竞争审查", "市场监管", "信用", "涉企",
              "企业合规", "法企", "营商环境", "营商环境观察员")),
    Category("decision_legality", "依法决策与合法性审查",
             "Decision-making, legality review and normative documents",
             ("重大行政决策", "决策目录", "公众参与", "专家论证", "风险评估", "合法性审查",
              "合法性审核", "法律顾问", "规范性文件", "备案审查", "文件清理", "立法",
              "征求意见", "基层立法联系点", "行政协议", "合同")),
    Category("enforcement", "行政执法", "Administrative law enforcement",
             ("执法体制改革", "综合行政执法", "赋权", "三项制度", "执法证", "执法人员",
              "裁量权基准", "裁量", "专项整治", "包容审慎", "首违不罚", "轻微免罚",
              "柔性执法", "综合查一次", "涉企检查", "行政处罚", "行政检查")),
    Category("supervision", "制约监督与执法监督",
             "Oversight of administrative power, incl. enforcement supervision",
             ("执法监督", "监督局", "案卷评查", "执法监督员", "监督平台", "人大监督",
              "政协", "民主监督", "纪检监察", "审计", "舆论监督", "政府督查", "政务公开",
              "信息公开", "政务诚信", "12345", "投诉举报")),
    Category("emergency", "突发事件应对", "Emergency response",
             ("应急预案", "应急管理", "防汛", "抗灾", "安全生产", "隐患排查", "应急救援",
              "演练", "疫情防控", "突发事件")),
    Category("dispute_resolution", "矛盾纠纷预防化解", "Dispute prevention and resolution",
             ("行政复议", "行政应诉", "出庭应诉", "败诉率", "府院联动", "行政争议",
              "人民调解", "行政调解", "商事调解", "诉源治理", "枫桥经验", "信访",
              "行政裁决", "仲裁", "矛盾纠纷", "调解")),
    Category("digital_government", "数字法治政府", "Digital rule-of-law government",
             ("数字法治政府", "数字政府", "一网统管", "一网通办", "数据共享", "大数据",
              "信息化", "数字化", "平台")),
    Category("legal_publicity", "普法与法治社会", "Law popularization and rule-of-law society",
             ("八五普法", "七五普法", "普法", "谁执法谁普法", "宪法", "民法典", "法治文化",
              "法治宣传", "青少年", "法律明白人", "民主法治示范村", "基层依法治理")),
    Category("legal_services", "公共法律服务", "Public legal services",
             ("公共法律服务", "法律服务中心", "服务圈", "法律援助", "公证", "村居法律顾问",
              "12348", "律师", "司法鉴定", "仲裁机构")),
    Category("other", "其他", "Other",
             ("现将", "报告如下", "特此报告")),
)

CATEGORY_CODES: tuple[str, ...] = tuple(c.code for c in CATEGORIES)


@dataclass(frozen=True)
class Section:
    """A report section code with the heading cues that announce it."""

    code: str
    zh: str
    cues: tuple[str, ...]


SECTIONS: tuple[Section, ...] = (
    Section("preamble", "导语", ()),
    Section("achievements", "主要举措和成效",
            ("主要举措", "成效", "工作情况", "第一责任人职责", "总体情况", "主要做法",
             "基本情况", "进展情况", "主要工作")),
    Section("shortcomings", "存在的不足和原因",
            ("不足", "问题和短板", "短板", "差距", "存在的问题", "存在问题", "薄弱")),
    Section("plans", "下一年度工作安排",
            ("工作安排", "工作打算", "工作思路", "下一步", "下一年度", "工作计划", "主要安排",
             "工作重点", "展望")),
    Section("other", "其他", ()),
)

SECTION_CODES: tuple[str, ...] = tuple(s.code for s in SECTIONS)

_BY_CODE = {c.code: c for c in CATEGORIES}


def category(code: str) -> Category:
    """Return the :class:`Category` for ``code``.

    Raises
    ------
    ValueError
        If ``code`` is not a codebook category code.
    """
    try:
        return _BY_CODE[code]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown category code {code!r}; known codes: {', '.join(CATEGORY_CODES)}"
        ) from None


def category_name(code: str, lang: str = "en") -> str:
    """Display name of a category code in ``lang`` ("en" or "zh")."""
    c = category(code)
    if lang not in ("en", "zh"):
        raise ValueError(f"lang must be 'en' or 'zh', got {lang!r}")
    return c.zh if lang == "zh" else c.en
