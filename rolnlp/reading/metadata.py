"""Recover what a report says about itself: title, place, level, year, publisher, dates.

A gazetteer-free heuristic: place names are read off the administrative
suffixes (省 / 自治区 / 市 / 州 / 区 / 县 / 旗 / 镇 / 乡 / 街道) in the title, the
signature, the page's header fields and, failing those, the body.  A city or
province is filled in only when the text names it; the four municipalities
(北京 / 天津 / 上海 / 重庆) are both city and province.

Example
-------
>>> from rolnlp.reading import read_report
>>> m = read_report("海盐县人民政府关于2024年度法治政府建设工作情况的报告\\n"
...                 "2024年，县政府扎实推进法治政府建设。").metadata
>>> m.region, m.level, m.year, m.publisher
('海盐县', 'county', 2024, '海盐县人民政府')
"""
from __future__ import annotations

import re
from collections import Counter

from .places import code_of, first_chain, known, locate
from .report import Metadata

_C = "\u4e00-\u9fff"
_MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
_ORG_SUFFIX = (r"(?:人民政府办公室|人民政府|政府办公室|政府|街道办事处|办事处|司法局|局|厅|委员会|"
               r"办公室|委|办|中心|部|院|所)")
_GOV_ORG = re.compile(r"(?:人民政府|政府|办事处|街道)$")
_CHAIN = re.compile(
    rf"(?P<province>[{_C}]{{2,3}}?省|[{_C}]{{2,8}}?自治区|北京市|天津市|上海市|重庆市)?"
    rf"(?P<city>[{_C}]{{2,4}}?(?:市|自治州|地区|盟|州)(?!场|民|委|政府|级|直|属|区域))?"
    rf"(?P<county>[{_C}]{{1,4}}?(?:新区|区|县|旗|市)(?!委|级|域|划|属|直))?"
    rf"(?P<town>[{_C}]{{1,5}}?(?:街道|镇|乡)(?!村|级))?")
_BAD_NAME_END = set("全本我该各外省市区县级和与及的是在对为将")
_BAD_NAMES = {"县级", "地级", "直辖", "所在", "示范", "文明", "卫生", "园林", "全国", "城市",
              "功能", "开发", "试验", "自贸", "保护", "风景", "街道", "社区", "园区", "城区",
              "辖区", "景区", "片区", "街区", "小区", "老区", "山区", "郊区", "新区", "市区",
              "试点", "先行", "行政", "全省", "全市", "全区", "全县", "各县", "各区", "示范区"}
# words that end up before 市/省/区 without being place names (完成市政府…, 根据省…)
_BAD_NAMES |= set("""完成 根据 按照 通过 推进 加强 开展 组织 参加 提升 全面 深化 建设 落实 实现 持续
积极 认真 坚持 依托 对接 联合 配合 协助 围绕 聚焦 服务 覆盖 召开 出台 印发 制定 指导 审查 审核 报送
报请 提请 承办 列入 纳入 参与 获得 荣获 获评 入选 代表 成为 打造 创建 争创 完善 推动 促进 优化 加大
全力 各地 省级 市级 区级 县级 上级 下级 同级 本级 其中 以及 涉及 包括 部分 个别 所有 有关 相关 主要
""".split())
_BOUNDARY_CHARS = "年在与和及对由为向经将至从获驻赴"
_BOUNDARY = rf"(?:(?<=[^{_C}])|^|(?<=[{_BOUNDARY_CHARS}]))"
_PLACE_IN_BODY = re.compile(
    rf"{_BOUNDARY}(?![{_BOUNDARY_CHARS}])(?P<name>[{_C}]{{2,3}}?)(?P<suffix>省|自治区|市|区|县|旗)")
_PLACE_AFTER_FAZHI = re.compile(rf"法治(?P<name>[{_C}]{{2}})(?:建设|政府|[{_C}]{{0}})")
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)\s*年")
_FIELD_KEYS = ("发布时间", "发布日期", "发表时间", "成文日期", "生成日期", "更新时间", "日期", "时间",
               "信息来源", "文章来源", "来源", "发布机构", "信息名称", "名称")
_FIELD = re.compile(r"(" + "|".join(_FIELD_KEYS) + r")\s*[】\]]?\s*[:：]?\s*[|｜\[【]?\s*([^\s|｜\]\[【】]*)")
_TITLE_WORDS = re.compile(r"报告|情况|总结|白皮书|工作要点|年度")
_TITLE_TOPIC = re.compile(r"法治|依法")
_DEPARTMENT_SELF = re.compile(r"我(?:局|厅|委|办|院|部)|本(?:局|厅|委)")
# a department opening its report as the subject: "2023年，市市场监管局在…", "区司法局坚持…"
_DEPARTMENT_SUBJECT = re.compile(
    rf"(?:^|[，,\n])\s*(?:全?[省市区县])[{_C}]{{1,10}}?(?:局|委|厅)"
    r"(?=在|坚持|深入|以|紧紧|始终|认真|全面|围绕|聚焦|扎实|持续)")
_BELOW_CITY = re.compile(r"[县区]政府|我[县区镇乡]|全[县区镇乡]|[镇乡]政府|街道")
_BOOK_TITLE = re.compile(r"《[^《》\n]{0,80}》")
_ADDRESSEE = re.compile(r"^[^，。；]{2,30}[：:]$")
_CONTEXT_REASONS = ("breadcrumb", "header", "page-meta", "html-title", "meta-table")
_SIGNATURE_ORG = re.compile(rf"^([{_C}（）]{{2,30}}?{_ORG_SUFFIX})(?:\s+\d{{4}}年\d{{1,2}}月\d{{1,2}}日)?$")
_SIGNATURE_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日$")


def extract_metadata(text: str, paragraphs=(), removed=()) -> Metadata:
    """Recover a report's :class:`Metadata` from its cleaned text.

    Parameters
    ----------
    text : str
        Cleaned (simplified) report text.
    paragraphs : sequence of Paragraph, optional
        The report's paragraphs; the last ones are searched for a signature.
    removed : sequence of Removed, optional
        Residue taken out during cleaning: header lines (更新时间 / 来源 …) and
        information tables (发布机构 / 成文日期 …) are read for dates and source.

    Returns
    -------
    Metadata

    Example
    -------
    >>> extract_metadata("重庆市綦江区司法局2023年法治政府建设情况报告\\n2023年，我局…").region
    '綦江区'
    """
    from .clean import to_simplified  # removed lines keep their original script

    fields = _fields([to_simplified(r.text) for r in removed
                      if r.reason in ("header", "meta-table", "breadcrumb", "page-meta")])
    html_title = next((to_simplified(r.text) for r in removed if r.reason == "html-title"), None)
    lines = text.split("\n")
    title = _title(lines, fields.get("信息名称") or fields.get("名称"), html_title)

    sig_org, sig_date = _signature(paragraphs, lines)
    source = fields.get("来源") or fields.get("信息来源") or fields.get("文章来源") \
        or fields.get("发布机构")
    source = _clean_source(source)
    title_org = _title_org(title)
    publisher = sig_org or title_org or source

    date = None
    for key in ("发布时间", "发布日期", "发表时间", "成文日期", "生成日期", "日期", "时间", "更新时间"):
        date = _iso(fields.get(key))
        if date:
            break
    date = date or sig_date

    preamble = _preamble(lines, title)
    year = _year(title, preamble, lines, date)
    places = _Places(text)

    chain = {}
    for s in (title, sig_org, title_org, source if not title else None):
        if s:
            found = _parse_chain(s)
            if found:
                for k, v in found.items():
                    chain.setdefault(k, v)
                if found.get("county") or found.get("town"):
                    break
    if not chain:
        for subject in _subjects(lines[:4], preamble):
            found = _parse_chain(subject)
            if found:
                chain = found
                publisher = publisher or _org_line(subject)
                break
    head = "\n".join(x for x in (title, preamble) if x)
    if not (chain.get("county") or chain.get("town") or chain.get("city")
            or chain.get("province")):
        # a division of the table named in the title or opening (一年来，某某区…),
        # not in a cited document's title (《某某省实施方案》) or the addressee line
        own = _BOOK_TITLE.sub(lambda m: "＿" * len(m.group()), head)
        own = "\n".join("" if _ADDRESSEE.match(x) else x for x in own.split("\n"))
        found = first_chain(own)
        # a city named in a county's report (以及金华市…) is not the report's place
        if found and not found.get("county") and _BELOW_CITY.search(own[:300]):
            found = {}
        chain = found
    if not (chain.get("county") or chain.get("town") or chain.get("city")
            or chain.get("province")):
        name = _region_from_body(text, places)
        if name:
            chain = _parse_chain(name) or {"county": name}
    region = chain.get("town") or chain.get("county") or chain.get("city") or chain.get("province")
    city, province = chain.get("city"), chain.get("province")
    if region and not city and region[-1] in "区县旗镇乡道市":
        city = _named_in_body(text, ("市", "州", "盟"), places, exclude=region, near=region)
        city = city if city in _MUNICIPALITIES or known(city) else None
    if not province:
        province = _named_in_body(text, ("省", "自治区"), places, exclude=region)
        province = province if known(province) else None
    if province in _MUNICIPALITIES and not city:
        city = province
    if city in _MUNICIPALITIES and not province:
        province = city
    if city == region and region and region[-1] in "市州盟":
        pass
    place = locate(province=chain.get("province"), city=chain.get("city"),
                   county=chain.get("county"), town=chain.get("town"), year=year,
                   context="\n".join([head, *(to_simplified(r.text) for r in removed[:50]
                                               if r.reason in _CONTEXT_REASONS), text[:3000]]))
    county = None
    if place.adcode:
        # the table knows where the division lies: it overrides names guessed from the body
        province, city, county = place.province, place.city, place.county
        if place.level == "city" and region and region[-1] in "市州盟":
            region = place.city or region
        if place.level == "county" and not chain.get("town"):
            region = place.county
    level = _level(region, city, province, title_org or sig_org, preamble, place)
    return Metadata(title=title, region=region, city=city if city != region else None,
                    province=province if province != region else None,
                    county=county, town=chain.get("town"),
                    adcode=code_of(place, region),
                    level=level, year=year, publisher=publisher, date=date, source=source)


def _fields(lines):
    out: dict[str, str] = {}
    for line in lines:
        for m in _FIELD.finditer(line):
            key, value = m.group(1), m.group(2).strip("：: ")
            if not value or any(value.startswith(k) for k in _FIELD_KEYS):
                continue
            if key in ("时间", "日期") and not _DATE.search(value):
                continue
            out.setdefault(key, value)
    return out


def _clean_source(s):
    if not s:
        return None
    s = s.strip("：: |")
    if not s or _DATE.search(s) or len(s) > 40:
        return None
    return s


def _looks_like_title(line: str) -> bool:
    return (8 <= len(line) <= 80 and "。" not in line and not line.endswith(("：", ":"))
            and bool(_TITLE_WORDS.search(line)) and bool(_TITLE_TOPIC.search(line))
            and not re.match(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、])",
                             line) and "，" not in line)


def _title(lines, info_name, html_title):
    for line in lines[:3]:
        if _looks_like_title(line):
            return line.strip()
        if "。" in line or len(line) > 80:
            break
    if info_name and _looks_like_title(info_name):
        return info_name
    if html_title:
        head = re.split(r"\s*[_|｜\-—–]\s*", html_title)[0]
        if _looks_like_title(head):
            return head
    return None


def _title_org(title):
    if not title:
        return None
    m = re.match(rf"^(?:中共)?([{_C}]{{2,30}}?{_ORG_SUFFIX})(?=关于|\d{{4}}|[{_C}]{{0,4}}法治)", title)
    return m.group(1) if m else None


def _signature(paragraphs, lines):
    """``(org, iso_date)`` from the closing lines of the report."""
    tail = [p.text for p in paragraphs[-4:]] if paragraphs else lines[-4:]
    org = date = None
    for s in tail:
        s = s.strip()
        m = _SIGNATURE_ORG.match(s)
        if m and len(s) <= 50:
            org = m.group(1)
        d = _SIGNATURE_DATE.search(s)
        if d and len(s) <= 50:
            date = _iso(d.group())
    return org, date


def _iso(value):
    if not value:
        return None
    m = _DATE.search(value)
    if not m:
        return None
    y, mo, d = (int(g) for g in m.groups())
    if not (1990 <= y <= 2100 and 1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def _preamble(lines, title):
    out = []
    for line in lines:
        if line == title:
            continue
        if re.match(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])", line):
            break
        out.append(line)
        if len("".join(out)) > 1500:
            break
    text = "\n".join(out)
    # a one-line page keeps its first heading inline: cut the preamble there
    m = re.search(r"\s[一二三四五六七八九十]+、", text)
    return text[:m.start()] if m else text


def _year(title, preamble, lines, date):
    if title:
        years = [int(y) for y in _YEAR.findall(title)]
        if years:
            return max(years)
    m = re.search(r"(?:现将|现就|将)[^。]{0,20}?((?:19|20)\d{2})\s*年", preamble)
    if m:
        return int(m.group(1))
    m = re.search(r"(?:^|\n)[^。\n]{0,4}?((?:19|20)\d{2})\s*年(?:度)?(?:以来)?[，,]", preamble)
    if m:
        return int(m.group(1))
    for line in lines[:60]:
        if re.match(r"^一、", line):
            y = _YEAR.search(line)
            if y:
                return int(y.group(1))
            break
    counts = Counter(int(y) for y in _YEAR.findall(preamble))
    if counts:
        return counts.most_common(1)[0][0]
    if date:
        return int(date[:4]) - 1
    return None


def _parse_chain(s):
    # a joint title names the party committee first: 中共淮南市委淮南市人民政府…
    s = re.sub(rf"^中共[{_C}]{{2,20}}?[省市区县州旗]委(?:员会)?(?=[{_C}]{{2}})", "", s.strip())
    s = re.sub(r"^(?:中共|关于)?(?:\d{4}\s*年度?)?", "", s)
    m = _CHAIN.match(s)
    if not m or not m.group():
        return None
    out = {k: v for k, v in m.groupdict().items() if v}
    for k, v in list(out.items()):
        name = v[:-2] if v.endswith(("自治区", "自治州")) else v[:-1]
        if name in _BAD_NAMES or v in _BAD_NAMES or (name and name[-1] in _BAD_NAME_END):
            del out[k]
    if out.get("city") in _MUNICIPALITIES:
        out.setdefault("province", out["city"])
    return out or None


_SUBJECT_VERBS = ("坚持", "深入", "始终", "认真", "全面", "以", "紧紧", "扎实", "持续", "围绕",
                  "聚焦", "立足", "紧扣", "深化", "在", "全力", "积极", "牢固", "切实", "不断", "高度")
_FIRST_SENTENCE = re.compile(
    r"(?:^|\n)(?:[^。\n]{0,20}?)?(?:(?:19|20)\d{2}\s*年度?(?:以来)?|一年来|今年以来|近年来|过去一年)[，,]\s*"
    r"(?:在[^。\n]{0,60}?下[，,]\s*)?"
    rf"(?P<subject>[{_C}]{{2,20}}?)(?={'|'.join(_SUBJECT_VERBS)})")
_XIANJIANG = re.compile(rf"现将(?P<subject>[{_C}]{{2,30}}?)(?:\d{{4}}|关于|[{_C}]{{0,2}}法治)")


# a town government named only in the preamble: "…某某镇人民政府坚持…"
_TOWN_SUBJECT = re.compile(
    rf"(?<![{_C}])(?P<subject>[{_C}]{{2,6}}?(?:街道|镇|乡))(?:人民政府|党委|办事处|党委政府)?"
    rf"(?={'|'.join(_SUBJECT_VERBS)})")


def _subjects(first_lines, preamble):
    """Who the report speaks for: a lone organisation line, ``现将某某…``, ``2024年，某某坚持…``."""
    for line in first_lines:
        org = _org_line(line.replace(" ", ""))
        if org:
            yield org
    for rx in (_XIANJIANG, _FIRST_SENTENCE, _TOWN_SUBJECT):
        m = rx.search(preamble)
        if m and not m.group("subject").startswith(("我", "本", "全", "各", "区", "县", "市")):
            yield m.group("subject")


def _org_line(line):
    m = re.match(rf"^(?:中共)?([{_C}]{{2,30}}?{_ORG_SUFFIX})$", line)
    return m.group(1) if m else None


class _Places:
    """Place names (name, suffix) in the head of a body, each head scanned at most once."""

    def __init__(self, text):
        self.text = text
        self._found: dict = {}

    def head(self, size):
        # a text no longer than both heads gives one scan for both
        size = min(size, len(self.text))
        got = self._found.get(size)
        if got is None:
            got = self._found[size] = [
                (m.group("name"), m.group("suffix"))
                for m in _PLACE_IN_BODY.finditer(self.text[:size])]
        return got


def _region_from_body(text, places=None):
    """The county/district the body names most often (``洞头区``, or ``法治洞头`` as support)."""
    head = text[:20000]
    counts: Counter = Counter()
    for name, suffix in (places or _Places(text)).head(20000):
        if suffix not in ("区", "县", "旗") or name in _BAD_NAMES or name[-1] in _BAD_NAME_END:
            continue
        counts[name + suffix] += 1
    for m in _PLACE_AFTER_FAZHI.finditer(head):
        for cand in list(counts):
            if cand.startswith(m.group("name")):
                counts[cand] += 1
    if not counts:
        return None
    name, n = counts.most_common(1)[0]
    return name if n >= 2 else None


def _named_in_body(text, suffixes, places=None, exclude=None, near=None):
    head = text[:50000]
    if near:
        m = re.search(rf"([{_C}]{{2,4}}?(?:{'|'.join(suffixes)})){re.escape(near)}", head)
        if m:
            found = _parse_chain(m.group(1))
            if found:
                return found.get("city") or found.get("province")
    counts: Counter = Counter()
    for name, suffix in (places or _Places(text)).head(50000):
        if suffix not in suffixes:
            continue
        full = name + suffix
        if name in _BAD_NAMES or name[-1] in _BAD_NAME_END or full == exclude:
            continue
        counts[full] += 1
    if "州" in suffixes or "盟" in suffixes:
        pass
    return counts.most_common(1)[0][0] if counts else None


def _level(region, city, province, org, preamble, place=None):
    if org and not _GOV_ORG.search(org):
        return "department"
    if _DEPARTMENT_SELF.search(preamble[:600]) or _DEPARTMENT_SUBJECT.search(preamble[:300]):
        return "department"
    if not region:
        return None
    if region.endswith(("街道", "镇", "乡")):
        return "town"
    if region in _MUNICIPALITIES or region.endswith(("省", "自治区")):
        return "province"
    if region.endswith(("区", "新区")):
        return "district"
    if region.endswith(("县", "旗")):
        return "county"
    if region.endswith(("州", "盟", "地区")):
        return "city"
    if region.endswith("市"):
        if place is not None and place.level in ("county", "city"):
            return place.level
        return "county" if city and city != region else "city"
    return None
