"""Remove web residue and normalise text.

Cleaning works line by line and is conservative: a residue rule removes a
whole short line (menus, breadcrumbs, footers, metadata tables) or a short
whitespace-separated segment at the edge of a line, never words inside a
sentence.  Everything removed is kept as :class:`~rolnlp.reading.report.Removed`
so it can be inspected (and mined for metadata).

Example
-------
>>> text, removed = clean("朗读\\n2024年,我局推进依法行政。\\n收藏 打印 关闭")
>>> text
'2024年，我局推进依法行政。'
>>> [r.reason for r in removed]
['menu', 'menu']
"""
from __future__ import annotations

import re
import threading

from .report import Removed

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RE = re.compile(f"[{_CJK}]")

# --- whitespace and characters -------------------------------------------------
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]")
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
# lone UTF-16 surrogates (from broken escapes) cannot be encoded, not even by OpenCC
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# zero-width characters, soft hyphen, BOM and C0/C1 controls other than newline
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")

# --- pinyin inserted after characters: 實現(xiàn) -> 實現 ----------------------------
# (each pattern here starts with the characters it can match and looks behind
# only from there: the regex engine then skips to candidates instead of trying
# a lookbehind at every position of the line — same matches, several times faster)
_PINYIN_GROUP = (r"[(（](?=[a-zü]{0,5}[aeiouüāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])"
                 r"[a-züāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]{1,6}[)）]")
_PINYIN = re.compile(  # a CJK character, then one or more such groups
    f"[(（](?<=[{_CJK}].)" + _PINYIN_GROUP[len("[(（]"):] + f"(?:{_PINYIN_GROUP})*", re.S)

# --- punctuation between CJK ----------------------------------------------------
_CJK_OR_PUNCT = f"{_CJK}，。、；：！？（）“”《》【】"
_ASCII_PUNCT = re.compile(  # after CJK, full-width punctuation or "%", or before the first two
    f"[,;:!?](?:(?<=[{_CJK_OR_PUNCT}%].)|(?=[{_CJK_OR_PUNCT}]))", re.S)
_FULL = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？"}
# one run without parentheses, checked for CJK afterwards: a pattern that
# looks for the CJK character inside the run backtracks quadratically on an
# unmatched "(" before a long line
_PARENS = re.compile(r"\(([^()（）\n]*)\)")
# spaces after a sentence end or before a bracket can separate inline headings
# (``…如下： 一、…``), so only spaces that are never separators are dropped
_SPACE_AROUND_FULL = re.compile(r" *([，、]) *| +(?=[：”》）】])| (?<=[“《（【] ) *")

# --- residue --------------------------------------------------------------------
# words that make up menus, toolbars and footers when a short line holds only them
_MENU_WORDS = frozenset("""
无障碍 无障碍阅读 无障碍浏览 部门镇街 关怀版 长者模式 适老模式 简体 繁体 简 繁 移动版 手机版
注册 登录 网站支持IPv6 支持IPv6 收藏 加入收藏 打印 打印本页 打印页面 打印正文 打印文本 打印整页
打印内容 打印此页 关闭 关闭窗口 关闭页面 关闭本页 关闭此页 朗读 语音播报 进入播报模式
退出播报模式 分享 分享到 字号 字体 字体大小 默认 扫一扫 智能问答 便民地图 政策问答 数据中心
新媒体矩阵 微博 微信 公开信箱 上一篇 下一篇 上一条 下一条 返回顶部 返回首页 网站首页 网站地图
联系我们 相关链接 新闻推荐 相关文章 相关阅读 无标题文档 浏览次数 浏览量 阅读量 阅读次数
点击数 点击量 访问量 访问次数 纠错 我要纠错 搜索 全站搜索 高级搜索 匹配度 排序 搜索位置
政务公开 互动交流 办事服务 政务服务 信息公开 首页 个人中心 退出 帮助 意见反馈 使用帮助
新闻中心 走进 视频 图片 大 中 小 正文 文章 本页 当前页 页面 小程序 客户端 公众号 官方微博
官方微信 主动公开 依申请公开 附件下载 下载 原文 原文链接 分享至 QQ空间 QQ 微信扫一扫
""".split())
_FOOTER_MARKERS = re.compile(
    r"扫一扫|上一篇|下一篇|上一条|下一条|版权所有|Copyright|©|ICP|公网安备|网站标识码|"
    r"智能问答|便民地图|相关链接|返回顶部|网站地图|联系我们|主办单位|承办单位|技术支持")
# Residue rules look at a line's shape (a label followed by a value, a row of
# links, a line of site furniture), never at one word: report prose uses
# 承办单位, 技术支持, 关键词, 公开方式 … in sentences and headings.
_BREADCRUMB = re.compile(
    r"^[-•·\s]*(?:您?(?:当前|现在)?所?在?的?位置|当前位置|所在位置|位置)\s*[:：]|"
    r"^[-•·\s]*(?:网站)?首页\s*(?:[>＞›»→/]|$|\s)|"
    # a row of links joined by ">" (prose writes flows with "→", never with ">")
    r"(?:[>＞›»]\s*){1,2}[^>＞›»]{1,30}(?:[>＞›»]\s*){1,2}[^>＞›»]{1,30}$")
# site furniture whose shape no sentence has: licence and registration numbers
_FURNITURE = re.compile(r"Copyright|©|ICP[备证]\s*\d|公网安备\s*\d|网站标识码\s*[:：]?\s*[A-Za-z\d]{6,}")
# site furniture as a label with its value: "主办单位：某某区人民政府办公室"
_FURNITURE_LABEL = re.compile(
    r"(?:^|[\s|｜•·【\[])(?:版权所有|主办单位|承办单位|技术支持|主办|承办|网站标识码|联系电话|"
    r"地址|邮编)\s*[:：】\]]")
_BROWSER = re.compile(r"建议使用.{0,20}浏览器|分辨率")
# phrases of mirror and aggregator sites that no report uses
_SPAM = re.compile(r"小编|供大家参考|欢迎(?:访问|登录|光临).{0,20}网站|由会员分享|可在线阅读|打开网易新闻|查看精彩图片|精彩推荐|"
                   r"本文由.{0,12}(?:整理|发布)|(?:免费|全文)下载|版权归原作者|如有侵权")
# phrases residue shares with prose: residue only on a short line without a sentence
_SPAM_SHORT = re.compile(r"仅供参考|欢迎(?:访问|登录|光临)|更多相关|文档下载|下载文档")
# a mirror site's name and address appended to a line: "…成效 公文汇 www.gongwenhui.com"
_WATERMARK = re.compile(f"\\s+[{_CJK}]{{2,8}}\\s*www\\.[-a-z0-9]+(?:\\.[-a-z0-9]+)+/?$")
# "扫一扫" with what a page offers it for: reading on a phone, sharing, following
_SCAN = re.compile(r"扫一扫.{0,12}(?:手机|当前页|本页|分享|关注|二维码$|公众号)|^[【\[\s•·]*(?:微信)?扫一扫[】\]\s]*$")
_FONT = re.compile(r"^[\s【\[•·]*(?:字号|字体|字体大小|文字)\s*[:：]?\s*[【\[]?\s*(?:[大中小默认]\s*[】\]]?\s*"
                   r"[【\[]?\s*)*[】\]]?")
# header fields: used for metadata, removed from the body
_HEADER_KEYS = ("更新时间", "发布时间", "发布日期", "发表时间", "发稿时间", "信息来源", "文章来源",
                "来源", "日期", "时间", "成文日期", "生成日期", "浏览次数", "点击数", "作者",
                "责任编辑", "编辑", "栏目", "信息时间", "录入时间")
_HEADER = re.compile(
    r"^[\s【\[•·\-]*(?:" + "|".join(_HEADER_KEYS) + r")\s*[】\]]?\s*[:：]|"
    r"(?:发布时间|发布日期|发表时间|更新时间|信息来源|成文日期)\s*[:：]\s*\S")
# a government information-disclosure table (索引号 / 发布机构 / 成文日期 …): a key
# counts only as a label, at the start of the line or after a separator and
# followed by a colon, a bracket, a bar, a space or the line's end
_META_KEY_WORDS = ("索引号|发布机构|成文日期|发文字号|文件编号|主题分类|体裁分类|组配分类|有效性|公开类别|"
                   "公开范围|公开方式|公开时限|生成日期|生效日期|废止日期|信息名称|内容概览|在线链接地址|"
                   "文件下载|关键词|关键字|发布日期|发文机关|文号|主题词|服务对象|责任科室|责任部门|信息分类|"
                   "所属机构|是否有效|公开日期")
_META_LABEL = re.compile(
    r"(?:^|(?<=[\s|｜\[【•·\-/]))(?:信息|文章|公文|备注/)?(?:" + _META_KEY_WORDS + r")"
    r"(?=\s*(?:[:：\]】|｜]|\s|$))")
_ISO_DATE_LINE = re.compile(r"^[\s•·\-【\[]*\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"
                            r"[\s】\]]*$")
_SYMBOLS_ONLY = re.compile(r"^[\s\W_]*$")
_PAGE_NUMBER = re.compile(r"^[-—\s]*\d{1,3}[-—\s]*$")
_SENTENCE_END = re.compile(r"[。！？；!?;]")
_TABLE_PIPES = re.compile(r"\s*[|｜¦]+\s*")
_HEADING_START = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|"
                            r"\d{1,2}[.．、]|[一二三四五六七八九十]+是|第[一二三四五六七八九十]+)")
_SIGNATURE_LIKE = re.compile(r"(?:政府|委员会|办公室|局|厅|委|办|中心|街道|办事处|镇|乡)$")
_TOKEN_SPLIT = re.compile(r"[\s|｜•·【】\[\]:：()（）<>《》/\\]+")

_opencc_lock = threading.Lock()
_CONVERTERS: dict = {}


def _converter(config="t2s"):
    """One shared OpenCC converter per config (created once; conversion is thread-safe)."""
    conv = _CONVERTERS.get(config)
    if conv is None:
        with _opencc_lock:
            conv = _CONVERTERS.get(config)
            if conv is None:
                import opencc
                conv = _CONVERTERS[config] = opencc.OpenCC(config)
    return conv


def to_simplified(text: str) -> str:
    """Convert traditional script to simplified with OpenCC ``t2s``.

    Example
    -------
    >>> to_simplified("實現法治政府建設")
    '实现法治政府建设'
    """
    if not text or text.isascii():
        return text
    keys = _T2S_KEYS if _T2S_KEYS is not None else _t2s_keys()
    if keys and keys.isdisjoint(text):
        return text  # no dictionary key can match: OpenCC would return it as it is
    return _converter("t2s").convert(text)


_T2S_KEYS: "frozenset | None" = None


def _t2s_keys() -> frozenset:
    """The characters of OpenCC's ``t2s`` keys, plus the surrogates (OpenCC
    rejects them, so text holding one still goes to the converter); empty,
    so nothing is skipped, when the installed OpenCC is not the version the
    list was taken from."""
    global _T2S_KEYS
    import opencc

    from ._t2s_keys import KEY_CHARS, OPENCC_VERSION

    same = getattr(opencc, "__version__", None) == OPENCC_VERSION
    keys = frozenset(KEY_CHARS).union(map(chr, range(0xD800, 0xE000))) if same else frozenset()
    _T2S_KEYS = keys
    return keys


# --- HTML -------------------------------------------------------------------------
# pages are read by .html (structure first: article found, site furniture dropped)
from .html import looks_like_html, read_html, strip_html  # noqa: E402,F401


# --- line rules ----------------------------------------------------------------------
def _key(line: str) -> str:
    """The line as residue rules see it: pinyin gone, simplified, spaces kept."""
    if _CJK_RE.search(line):
        return to_simplified(line)
    return line


def _menu_only(key: str) -> bool:
    tokens = [t for t in _TOKEN_SPLIT.split(key) if t and not _SYMBOLS_ONLY.match(t)]
    return bool(tokens) and all(t in _MENU_WORDS or _FONT.fullmatch(t) for t in tokens) and \
        any(len(t) > 1 for t in tokens)


# single characters with a space between each: "索 引 号" (not "备注/文号 拱政发")
_CJK_GAP = re.compile(f"(?<![{_CJK}])[{_CJK}](?: [{_CJK}](?![{_CJK}]))+")


def _unspaced(key: str) -> str:
    """Spaces between CJK characters removed: tables write labels as ``索 引 号``."""
    return _CJK_GAP.sub(lambda m: m.group().replace(" ", ""), key) if " " in key else key


_CLAUSE_END = re.compile(r"[。；！？，]")


def _is_prose(key: str) -> bool:
    """A sentence of report text: CJK words ending a clause, not a row of fields."""
    if not _CLAUSE_END.search(key):
        return False  # ASCII "?" is more often a lost character than a question
    if _META_LABEL.search(_unspaced(key)) and re.search(r"[:：|｜\[【]", key):
        return False  # "发布机构：…，成文日期：…" is a table row with commas
    return _EIGHT_CJK.match(key) is not None


# at least eight CJK characters (stops at the eighth instead of listing them all)
_EIGHT_CJK = re.compile(f"(?:[^{_CJK}]*[{_CJK}]){{8}}")


def _is_heading(key: str) -> bool:
    """A numbered heading or item (``（一）…``, ``三、…``, ``2.…``, ``一是…``) is report text."""
    return bool(_HEADING_START.match(key)) and not _META_LABEL.search(key[:12])


def _line_reason(line: str, key: str) -> str | None:
    """Why a whole (stripped, non-empty) line is residue, or None to keep it.

    Rules look at the line's shape; a sentence of report prose and a
    numbered heading are never residue except for mirror-site phrases
    (``小编``, ``供大家参考``) that no report writes.
    """
    compact = key.replace(" ", "")
    n = len(compact)
    has_sentence = bool(_SENTENCE_END.search(key)) or "，" in key or "," in key
    if _SYMBOLS_ONLY.match(key):
        return "symbols"
    if _PAGE_NUMBER.match(key):
        return "page-number"
    if _SPAM.search(key) and n <= 200:
        return "spam"
    if n > 200 or _is_heading(key):
        return None
    if _FURNITURE.search(key) and not (has_sentence and _is_prose(_FURNITURE.sub("", key))):
        return "copyright"
    if _SPAM_SHORT.search(key) and n <= 30 and not re.search(r"[，。；,;]", key):
        return "spam"  # a banner such as "欢迎访问某某区！"
    if _is_prose(key):
        return None
    if _SCAN.search(key) and n <= 40:
        return "footer"
    if _FURNITURE_LABEL.search(key) or (_BROWSER.search(key) and n <= 60):
        return "copyright"
    if n <= 80 and _menu_only(key):
        return "menu"
    if _FONT.match(key) and len(_FONT.sub("", key).strip(" 】]【[")) == 0:
        return "menu"
    if not has_sentence and _BREADCRUMB.search(key):
        return "breadcrumb"
    if "。" not in key and _meta_row(key, n):
        return "meta-table"
    if not has_sentence and n <= 150 and _HEADER.search(key):
        return "header"
    if _ISO_DATE_LINE.match(key):
        return "header"
    return None


def _meta_row(key: str, n: int) -> bool:
    """A row of an information table: two field labels, or one with its value on a short line."""
    key = _unspaced(key)
    n = len(key.replace(" ", ""))
    labels = len(_META_LABEL.findall(key))
    if labels >= 2:
        return True
    return labels == 1 and n <= 60 and bool(
        re.search(r"[:：|｜\[【]", key) or re.match(r"^[\s•·\-]*(?:信息|文章|公文|备注/)?(?:"
                                                   + _META_KEY_WORDS + r")(?:\s|$)", key))


def _strip_edges(line: str, key: str):
    """Drop menu words written at the edges of a line (``朗读 正文…``), a segment at a time."""
    removed = []
    parts = line.split(" ")
    kparts = key.split(" ")
    if len(parts) != len(kparts):
        return line, removed
    while len(parts) > 1 and kparts[0] in _MENU_WORDS and len(kparts[0]) > 1:
        removed.append(parts.pop(0))
        kparts.pop(0)
    while len(parts) > 1 and kparts[-1] in _MENU_WORDS and len(kparts[-1]) > 1:
        removed.insert(0, parts.pop())
        kparts.pop()
    return " ".join(parts), removed


def _full_width_parens(m) -> str:
    inner = m.group(1)
    return f"（{inner}）" if _CJK_RE.search(inner) else m.group(0)


def normalize_line(line: str) -> str:
    """Character-level normalisation of one line (no residue rules, no script change).

    Example
    -------
    >>> normalize_line("  实现(xiàn)目标,推进(一)工作:1.5亿元  ")
    '实现目标，推进（一）工作：1.5亿元'
    """
    line = _INVISIBLE.sub("", line)
    line = _SPACES.sub(" ", line).strip()
    # each rule can expose work for another (a space dropped beside a
    # full-width mark leaves an ASCII mark next to CJK), so repeat until stable:
    # a normalised line is a fixed point
    for _ in range(8):
        if not line:
            return line
        before = line
        # each rule runs only on lines holding its trigger character: most lines
        # hold none, and a str scan is far cheaper than a regex pass
        if "(" in line or "（" in line:
            line = _PINYIN.sub("", line)
            line = _PARENS.sub(_full_width_parens, line)
        if " " in line:
            line = _SPACE_AROUND_FULL.sub(lambda m: m.group(1) or "", line)
        if "," in line or ";" in line or ":" in line or "!" in line or "?" in line:
            line = _ASCII_PUNCT.sub(lambda m: _FULL[m.group()], line)
        if line == before:
            break
    return line


def clean(text: str, *, keep_html_title=True):
    """Remove web residue and normalise whitespace and punctuation.

    Parameters
    ----------
    text : str
        Decoded report text (plain text or HTML).

    Returns
    -------
    tuple
        ``(cleaned, removed)``: ``cleaned`` has one paragraph per line joined
        by ``"\\n"`` (no blank lines, no edge spaces); ``removed`` is a list of
        :class:`Removed` with the rule (``reason``) and input line number.

    Example
    -------
    >>> clean("扫一扫在手机上查看当前页面\\n正文。")[0]
    '正文。'
    """
    cleaned, removed, _settled = _clean(text, keep_html_title)
    return cleaned, removed


def _clean(text: str, keep_html_title=True):
    """:func:`clean` plus, per kept line, whether the line is *settled*.

    A settled line came out of its last residue pass unchanged, with the
    footer zone closed and a script key equal to the line.  Seen on its own by
    :func:`normalize_text`, such a line gets that very pass again (same rules,
    same state), so it comes back unchanged as long as it is also a fixed point
    of :func:`normalize_line` and does not look like HTML (see
    :func:`is_settled_normal`).
    """
    removed: list[Removed] = []
    settled: list[bool] = []
    if not text:
        return "", removed, settled
    text = _SURROGATE.sub("", text)
    if looks_like_html(text):
        page = read_html(text)
        text = page.text
        removed.extend(r for r in page.removed if keep_html_title or r.reason != "html-title")
    text = _NEWLINES.sub("\n", text)
    raw_lines = text.split("\n")
    total = sum(len(x) for x in raw_lines) or 1
    kept: list[str] = []
    footer = False
    seen = 0
    for no, raw in enumerate(raw_lines):
        seen += len(raw)
        line = normalize_line(raw)
        # stripping menu words or markup can expose residue the rules catch on
        # a second look: repeat until the line is stable, so that cleaning is
        # idempotent (normalize_text leaves every paragraph as it is)
        stable = False
        for _ in range(4):
            if not line:
                break
            before = line
            open_zone = not footer
            line, footer, plain = _clean_line(line, no, removed, footer, seen >= 0.6 * total)
            if line == before:
                stable = open_zone and plain
                break
            line = normalize_line(line)
        if line:
            kept.append(line)
            settled.append(stable)
    return "\n".join(kept), removed, settled


def is_settled_normal(line: str) -> bool:
    """Whether a settled line of :func:`_clean` is its own :func:`normalize_text`.

    ``normalize_text`` of such a line strips no surrogates and no line breaks
    (the reader did), reads no HTML (checked here), normalises the line to
    itself (checked here), gives it the residue pass that left it unchanged in
    the reader, and converts a script key that equals the line.
    """
    return not looks_like_html(line) and normalize_line(line) == line


def _clean_line(line, no, removed, footer, late):
    """One pass of the residue rules over a normalised line.

    Returns ``(line, footer, plain)``: the line with residue taken out ("" when
    all of it is residue), whether the footer zone has begun, and whether the
    line's script key (simplified) was the line itself.
    """
    key = _key(line)
    # the key is the line itself when it holds no CJK; then only an ASCII line
    # is sure to be its own simplified form (to_simplified skips ASCII alone)
    plain = key == line if key is not line else line.isascii()
    if "|" in key or "｜" in key or "¦" in key:
        reason = _line_reason(line, key)
        if reason is None:
            stripped = _TABLE_PIPES.sub(" ", line).strip()
            removed.append(Removed("|", "table-markup", no))
            line = normalize_line(stripped)
            if not line:
                return "", footer, False
            key = _key(line)
    reason = _line_reason(line, key)
    if reason is None and footer:
        if _footer_line(key):
            reason = "footer"
        elif _is_prose(key) or _is_heading(key):
            footer = False  # report text again: the footer zone was a false start
    if reason:
        removed.append(Removed(line, reason, no))
        if reason in ("footer", "copyright", "menu") and _FOOTER_MARKERS.search(key) and late:
            footer = True
        return "", footer, False
    if _WATERMARK.search(key):
        new = _WATERMARK.sub("", line).strip()
        if new != line:
            removed.append(Removed(line[len(new):] if line.startswith(new) else line,
                                   "spam", no))
            line, key = new, _key(new)
    line, edge = _strip_edges(line, key)
    for e in edge:
        removed.append(Removed(e, "menu", no))
    return line, footer, plain


def _footer_line(key: str) -> bool:
    """In the footer zone a short line without sentence punctuation is a menu entry."""
    compact = key.replace(" ", "")
    return (len(compact) <= 20 and not _SENTENCE_END.search(key) and "，" not in key
            and not _HEADING_START.match(key) and not re.search(r"\d{4}年", key)
            and not _SIGNATURE_LIKE.search(compact))


def normalize_text(text: str) -> str:
    """Clean one pasted paragraph the way :func:`read_report` cleans a report.

    Removes web residue, normalises whitespace and punctuation, drops pinyin
    inserted after characters and converts traditional to simplified script.
    No structure or metadata is recovered.  Idempotent:
    ``normalize_text(normalize_text(x)) == normalize_text(x)``.  A paragraph
    of :func:`read_report` comes back unchanged, or as ``""`` when the
    paragraph on its own is web residue (residue written inside a longer line
    that the structure split off).

    Parameters
    ----------
    text : str

    Returns
    -------
    str

    Example
    -------
    >>> normalize_text("推動法治政府建設實現(xiàn)新突破,成效明顯")
    '推动法治政府建设实现新突破，成效明显'
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    out = to_simplified(clean(text, keep_html_title=False)[0])
    if out == text:
        return out  # already a fixed point (e.g. a paragraph from read_report)
    # a second pass only changes text whose cleaning exposed new residue or
    # punctuation context; repeat until stable so the function is idempotent
    for _ in range(3):
        again = to_simplified(clean(out, keep_html_title=False)[0])
        if again == out:
            break
        out = again
    return out
