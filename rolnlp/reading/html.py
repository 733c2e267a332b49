"""Read a saved government web page: find the article, drop the site around it.

The page is parsed with lxml (libxml2), which is linear in its input: the
standard library's ``HTMLParser`` goes quadratic on repeated unclosed ``<!--``
or ``</a`` and is not used.  Structure is used before any text rule:

1. scripts, styles, forms and other non-text elements go;
2. ``header``/``nav``/``aside``/``footer`` elements, elements whose class or id
   names site furniture (menus, breadcrumbs, share/QR/print bars, pagers,
   related links, footers), link-dense blocks and short blocks shaped like
   site furniture (``主办单位：``, ``网站标识码``, ICP/公安备案, a date bar
   ``今天是…星期三 农历…``, visitor counters, ``上一篇：``) are dropped;
3. the element holding the article is found by where the prose is (text with
   Chinese sentence punctuation outside links), and everything around it is
   dropped; the article title, usually set above it, is put back in front;
4. page metadata is read off ``<meta name="ArticleTitle|PubDate|ContentSource">``,
   JSON-LD, ``<title>`` and the information table (索引号 / 发布机构 /
   成文日期 / 发布日期 / 名称).

Everything dropped that carried visible text is returned as
:class:`~rolnlp.reading.report.Removed` with its reason, so it stays in
``report.removed``; metadata comes back the same way with reason
``page-meta`` (``"发布机构：某区司法局"``) and ``html-title``.

Example
-------
>>> page = read_html('<html><body><nav><a href="/">首页</a><a href="/a">政务公开</a></nav>'
...                  '<div class="article"><p>一、总体情况</p><p>全年办理案件12件，'
...                  '办结率100%。</p></div><div class="footer">主办单位：某区人民政府'
...                  '</div></body></html>')
>>> page.text.split("\\n")
['一、总体情况', '全年办理案件12件，办结率100%。']
>>> sorted({r.reason for r in page.removed})
['nav', 'site-furniture']
"""
from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field

from .report import Removed

logger = logging.getLogger(__name__)

_HTML_HINT = re.compile(r"<(?:!doctype|html|head|body|div|p|br|span|table|td|tr|script|style|"
                        r"meta|a|li|ul|h[1-6]|section|article|font|strong|b)\b[^<>]{0,2000}>",
                        re.I)
_BLOCK = frozenset("""address article aside blockquote dd div dl dt fieldset figcaption figure
footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tbody thead tfoot tr
ul title option center""".split())
_CELL = frozenset(("td", "th"))
# elements that never hold report text
_DROP = frozenset("""script style noscript template svg iframe object embed canvas form select
button input textarea head map video audio link meta""".split())
_CHROME_TAGS = frozenset(("header", "nav", "aside", "footer", "menu"))
# class/id words naming site furniture (matched as whole words of the attribute);
# the weak ones (left, right, top…) also name layout columns, so an element
# they mark is dropped only when it lies outside the article
_CHROME_ATTR = re.compile(
    r"(?i)(?:^|[\s_\-])(?:nav|navs|navbar|menu|menus|subnav|topbar|footer|breadcrumbs?|crumbs?|"
    r"location|position|weizhi|dqwz|share|bdshare|qrcode|qr|ewm|erweima|print|toolbar|tools?|"
    r"sidebar|related|relate|xgxx|xglj|xgwz|pager|pagination|prev|next|prevnext|copyright|"
    r"banquan|friendlinks?|yqlj|datebar|date-bar|visit|counter|wza|ariabar|fontsize)"
    r"(?:$|[\s_\-]|\d)")
_WEAK_ATTR = re.compile(
    r"(?i)(?:^|[\s_\-])(?:top|header|head|foot|bottom|side|leftbar|left|right|links|login|"
    r"search|skip|zh)(?:$|[\s_\-]|\d)")
# short blocks shaped like site furniture: a label with its value, a counter, a date bar
_CHROME_TEXT = re.compile(
    r"主办单位\s*[:：]|承办单位\s*[:：]|协办单位\s*[:：]|技术支持\s*[:：]|网站标识码|ICP[备证]|"
    r"公网安备|政府网站找错|适老化(?:无障碍)?(?:服务)?|今天是\s*[:：]?|"
    r"星期[一二三四五六日天]\s*农历|访问量\s*[:：]|访问人次|您是第\s*\d+\s*位|"
    r"浏览次数\s*[:：]|上一篇\s*[:：]|下一篇\s*[:：]|上一条\s*[:：]|下一条\s*[:：]|分享到\s*[:：]?|"
    r"【\s*(?:打印|关闭|收藏)|打印本页|关闭窗口|当前位置\s*[:：]|您(?:现在)?的?位置\s*[:：]|"
    r"扫一扫在手机|手机扫一扫|版权所有|Copyright|©|联系电话\s*[:：].{0,20}邮编|"
    r"地址\s*[:：].{0,40}(?:邮编|电话)")
# words of top bars and toolbars: a block made only of these is furniture
_BAR_WORDS = frozenset("""无障碍 无障碍浏览 无障碍阅读 长者模式 关怀版 适老模式 适老化 English 简体 繁体 简 繁
手机版 移动版 登录 注册 个人登录 法人登录 网站地图 网站首页 首页 收藏 打印 关闭 分享 朗读
智能问答 搜索 大 中 小 字号 字体 默认 微信 微博 返回顶部 设为首页 加入收藏 RSS 邮箱 政务邮箱""".split())
_PROSE = re.compile(r"[，。；]")
_CJK = re.compile(r"[\u3400-\u9fff]")
_SENTENCE = re.compile(r"[。！？；]")
# the information-disclosure table above government articles
_INFO_KEYS = ("索引号", "发布机构", "成文日期", "发布日期", "名称", "信息名称", "文号", "发文字号",
              "主题分类", "主题词", "公开方式", "公开范围", "公开类别", "有效性", "生效日期",
              "废止日期", "发文机关", "体裁分类", "组配分类", "信息来源", "来源", "发布时间",
              "关键词", "文件编号", "生成日期", "时效")
_INFO_KEY = re.compile(r"(?:^|(?<=[\t\n ]))(" + "|".join(sorted(_INFO_KEYS, key=len, reverse=True))
                       + r")\s*[:：]?\s*(?=[\t\n ]|[:：]|$)|(?:^|(?<=[\t\n ]))("
                       + "|".join(sorted(_INFO_KEYS, key=len, reverse=True)) + r")\s*[:：]")
_META_NAMES = {"articletitle": "信息名称", "pubdate": "发布日期", "contentsource": "来源",
               "firstimagetitle": None}
_XML_DECL = re.compile(r"^\s*<\?xml[^>]{0,200}\?>", re.I)
_JSONLD_MAX = 100_000
_LEAD_DATE = re.compile(r"(?:19|20)\d{2}[-/.年]\d{1,2}[-/.月]\d{1,2}日?")
_WS = re.compile(r"[ \t\u00a0\u3000\r\f\v]+")


@dataclass
class Page:
    """The readable part of a page: ``text`` (one block per line), ``title`` and
    ``removed`` (what was dropped, with reasons, and the page's metadata)."""

    text: str
    title: str = ""
    removed: list = field(default_factory=list)
    fields: dict = field(default_factory=dict)


def looks_like_html(text: str) -> bool:
    """True when ``text`` carries HTML markup (a known tag near its start).

    Example
    -------
    >>> looks_like_html("<html><body><p>正文</p></body></html>"), looks_like_html("一、总体情况")
    (True, False)
    """
    head = text[:20000]
    return len(_HTML_HINT.findall(head)) >= 2 or bool(re.search(r"(?i)<(?:!doctype|html)\b", head))


def _parse(text: str):
    """An lxml tree for ``text``, or None when there is no element to read."""
    import lxml.etree
    import lxml.html

    text = _XML_DECL.sub("", text, count=1)  # lxml refuses a str with an encoding declaration
    # without huge_tree libxml2 stops reading after about 10 MB without a word;
    # the option also lifts the nesting limit from 256 to 2048 (slower on
    # crafted pages), so it is used only for input that large
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, recover=True,
                                  no_network=True, huge_tree=len(text) > _HUGE)
    try:
        return lxml.etree.fromstring(text, parser)
    except (lxml.etree.LxmlError, ValueError) as e:
        logger.debug("page not parsed as HTML: %s", e)
        return None


_HUGE = 2_000_000  # characters: up to 4 bytes each in libxml2's buffer


def _tag(el) -> str:
    t = el.tag
    return t.lower() if isinstance(t, str) else ""


def _collapse(s: str) -> str:
    return " ".join(s.split())


def _render(el, cells="\t") -> str:
    """Visible text with block elements as line breaks and table cells separated."""
    parts: list[str] = []
    # iterative walk: a page may nest elements thousands deep
    stack: list = [(el, False)]
    while stack:
        e, done = stack.pop()
        t = _tag(e)
        if done:
            if t in _BLOCK:
                parts.append("\n")
            elif t in _CELL:
                parts.append(cells)
            if e is not el and e.tail:
                parts.append(e.tail)
            continue
        if t in _DROP:
            if e is not el and e.tail:
                parts.append(e.tail)
            continue
        if t == "br" or t in _BLOCK:
            parts.append("\n")
        if e.text:
            parts.append(e.text)
        stack.append((e, True))
        for c in reversed(e):
            stack.append((c, False))
    return "".join(parts)


def _lines(s: str) -> list[str]:
    out = []
    for line in s.split("\n"):
        line = _WS.sub(" ", line).strip()
        if line:
            out.append(line)
    return out


def strip_html(text: str):
    """Return ``(text, title)``: every visible text of the page, scripts and styles removed.

    No site furniture is removed (see :func:`read_html` for that); block
    elements (``p``, ``div``, ``br``, ``tr``, ``li``…) become line breaks.

    Example
    -------
    >>> strip_html("<p>一、总体情况</p><script>x()</script><p>正文&nbsp;内容</p>")[0].split()
    ['一、总体情况', '正文', '内容']
    """
    root = _parse(text)
    if root is None:
        return re.sub(r"<[^<>]{0,2000}>", "\n", text), ""
    titles = root.findall(".//title")
    title = _collapse(titles[0].text_content()) if titles else ""
    return _render(root, " "), title


# --- reading a page ---------------------------------------------------------------
def _attr_words(el) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}"


def _is_bar(text: str) -> bool:
    tokens = [t for t in re.split(r"[\s|｜/【】\[\]·•:：]+", text) if t]
    return bool(tokens) and all(t in _BAR_WORDS for t in tokens)


@dataclass
class _Facts:
    """Per element, over it and below: text length (non-space characters), link
    text length, number of links, and whether a sentence ends in it."""

    size: dict
    link: dict
    links: dict
    sentence: dict
    count: dict  # elements in the subtree


def _facts(root) -> _Facts:
    """One bottom-up pass, so no rule walks a subtree per element (a crafted page
    may nest elements thousands deep)."""
    size: dict = {}
    link: dict = {}
    links: dict = {}
    sentence: dict = {}
    count: dict = {}
    stack: list = [(root, False, False)]
    while stack:
        el, in_a, done = stack.pop()
        if done:
            for c in el:
                size[el] += size[c]
                link[el] += link[c]
                links[el] += links[c]
                sentence[el] = sentence[el] or sentence[c]
                count[el] += count[c]
            continue
        t = _tag(el)
        in_a = in_a or t == "a"
        own = [x for x in [el.text] + [c.tail for c in el] if x]
        # a child's tail is text of this element, not of the child
        n = sum(len("".join(x.split())) for x in own)
        size[el] = n
        link[el] = n if in_a else 0  # inside a link, all its own text is link text
        links[el] = 1 if t == "a" else 0
        sentence[el] = any(_SENTENCE.search(x) for x in own)
        count[el] = 1
        stack.append((el, in_a, True))
        for c in el:
            stack.append((c, in_a, False))
    return _Facts(size, link, links, sentence, count)


def _chrome_reason(el, facts: _Facts):
    """Why ``el`` is site furniture, or None."""
    t = _tag(el)
    if t in _CHROME_TAGS:
        return t
    n = facts.size.get(el, 0)
    if not n:
        return None
    has_sentence = facts.sentence[el]
    attrs = _attr_words(el)
    if attrs.strip() and (not has_sentence or n < 300):
        if _CHROME_ATTR.search(attrs):
            return "site-furniture"
        if _WEAK_ATTR.search(attrs):
            return "layout-column"
    if facts.links[el] >= 2 and t not in ("p", "span", "font", "strong", "b", "em", "i"):
        if facts.link[el] >= 0.5 * n:
            return "link-list"
    # a short block of few elements can be read whole (a deep one would cost a walk each)
    if n <= 300 and not has_sentence and facts.count[el] <= 200:
        text = _collapse(el.text_content())
        if _CHROME_TEXT.search(text):
            return "site-footer"
        if _is_bar(text):
            return "site-furniture"
    return None


def _scores(root, skip, weak=frozenset()):
    """Per element: characters of prose (text with ，。； outside links) and of
    visible text outside links (not counting ``weak`` layout columns), each
    summed over the element and below."""
    prose: dict = {}
    vis: dict = {}
    # iterative post-order walk: a page may nest elements thousands deep
    stack: list = [(root, False, False, False)]
    while stack:
        el, hidden, faint, done = stack.pop()
        if done:
            for c in el:
                prose[el] += prose[c]
                vis[el] += vis[c]
            continue
        t = _tag(el)
        hidden = hidden or not t or t in _DROP or t == "a" or el in skip
        faint = faint or el in weak
        p = v = 0
        if not hidden:
            for s in [el.text] + [c.tail for c in el]:
                if s:
                    n = len(s.strip())
                    if not faint:
                        v += n
                    if _PROSE.search(s):
                        p += n
        prose[el] = p
        vis[el] = v
        stack.append((el, hidden, faint, True))
        for c in el:
            stack.append((c, hidden, faint, False))
    return prose, vis


_CONTAINER_TAGS = frozenset(("div", "td", "table", "tbody", "tr", "section", "article", "main",
                             "center", "body", "html", "font", "span", "ul", "dl", "dd", "th"))


def _find_article(root, skip, weak=frozenset()):
    """The element holding the article: descend while one child holds the prose."""
    score, visible = _scores(root, skip, weak)
    body = root.find(".//body")
    node = body if body is not None else root
    if not score.get(node):
        return node

    def vis(e):
        return visible.get(e, 0)

    while True:
        kids = [c for c in node if _tag(c) and c not in skip]
        best = max(kids, key=lambda c: score.get(c, 0), default=None)
        if best is None or _tag(best) not in _CONTAINER_TAGS:
            return node
        if score.get(best, 0) < 0.8 * score[node]:
            return node
        if vis(node) - vis(best) > 0.25 * vis(best):
            return node
        node = best


def _info_table(root, facts: _Facts):
    """Information tables (索引号 / 发布机构 …), innermost first: ``[(element, {key: value})]``."""
    found = []
    for el in root.iter("table", "ul", "dl", "div"):
        if facts.size.get(el, 0) > 2000 or facts.sentence.get(el) or facts.count.get(el, 0) > 500:
            continue
        text = _render(el)
        if len(text) > 3000 or _SENTENCE.search(text):
            continue
        pairs = _pairs(text)
        if len(pairs) >= 2:
            found.append((el, pairs))
    chosen = {id(e) for e, _ in found}
    # an outer block that holds a smaller table is not itself the table
    for e, _ in found:
        for a in e.iterancestors():
            if id(a) not in chosen:
                break  # blocks found are nested in one another, so stop at the first gap
            chosen.discard(id(a))
    return [(e, p) for e, p in found if id(e) in chosen]


def _pairs(text: str) -> dict:
    text = text.replace("\t", "\t ")
    matches = list(_INFO_KEY.finditer(text))
    out: dict = {}
    for i, m in enumerate(matches):
        key = m.group(1) or m.group(2)
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        value = _collapse(text[m.end():end].strip(" \t\n:："))
        if value and len(value) <= 150:
            out.setdefault(key, value)
    return out


def _meta_fields(root) -> dict:
    out: dict = {}
    for m in root.iter("meta"):
        name = (m.get("name") or m.get("property") or "").strip().lower()
        key = _META_NAMES.get(name)
        content = _collapse(m.get("content") or "")
        if key and content:
            out.setdefault(key, content)
    for s in root.iter("script"):
        if (s.get("type") or "").lower() != "application/ld+json" or not s.text:
            continue
        if len(s.text) > _JSONLD_MAX:
            continue
        try:
            data = json.loads(s.text)
        except ValueError:
            continue
        for item in (data if isinstance(data, list) else [data]):
            if not isinstance(item, dict):
                continue
            for src, key in (("headline", "信息名称"), ("name", "信息名称"),
                             ("datePublished", "发布日期")):
                v = item.get(src)
                if isinstance(v, str) and v.strip():
                    out.setdefault(key, _collapse(v))
            for src in ("publisher", "author", "sourceOrganization"):
                v = item.get(src)
                if isinstance(v, list) and v:
                    v = v[0]
                if isinstance(v, dict):
                    v = v.get("name")
                if isinstance(v, str) and v.strip():
                    out.setdefault("来源", _collapse(v))
                    break
    return out


def _title_before(root, article, wanted, skip, weak, facts: _Facts):
    """The visible article title set above the article element, if any."""
    wanted_c = {w.replace(" ", "") for w in wanted if w}
    best = None
    stack = [(root, False)]
    while stack:
        el, faint = stack.pop()
        if not _tag(el) or el in skip:
            continue
        if el is article:
            break
        faint = faint or el in weak  # a header column's site name is not the title
        stack.extend((c, faint) for c in reversed(el))
        t = _tag(el)
        if (faint or t in _DROP or not (4 <= facts.size.get(el, 0) <= 120)
                or facts.sentence.get(el) or facts.count.get(el, 0) > 50):
            continue
        text = _collapse(el.text_content())
        if not _CJK.search(text):
            continue
        if text.replace(" ", "") in wanted_c or t == "h1":
            best = text
    return best


def _walk(root, skip):
    """Elements in document order, not entering those in ``skip`` (read as it grows)."""
    stack = [root]
    while stack:
        el = stack.pop()
        if not _tag(el) or el in skip:
            continue
        yield el
        if el not in skip:  # the caller may have just skipped it
            stack.extend(reversed(el))


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def read_html(text: str) -> Page:
    """Read the article of a saved web page.

    Parameters
    ----------
    text : str
        The decoded page.

    Returns
    -------
    Page
        ``text`` has one block per line; ``removed`` lists dropped site text
        with its reason and the page metadata (reason ``page-meta``, as
        ``"发布日期：2025-03-06"``; ``<title>`` as ``html-title``).

    Example
    -------
    >>> p = read_html('<html><head><title>某区报告_某区人民政府</title>'
    ...               '<meta name="PubDate" content="2025-03-06"></head>'
    ...               '<body><p>全年办理案件12件，办结率100%。</p></body></html>')
    >>> p.text, p.title, p.fields["发布日期"]
    ('全年办理案件12件，办结率100%。', '某区报告_某区人民政府', '2025-03-06')
    """
    # characters XML forbids: lxml parses them but refuses them when text is
    # moved between nodes; the cleaner drops them from the text anyway
    text = _NOT_XML.sub("", text)
    root = _parse(text)
    if root is None:
        return Page(re.sub(r"<[^<>]{0,2000}>", "\n", text))
    removed: list[Removed] = []
    titles = root.findall(".//title")
    title = _collapse(titles[0].text_content()) if titles else ""
    fields = _meta_fields(root)

    # drop what never holds text, then site furniture (outermost first)
    for el in list(root.iter(*_DROP)):
        _drop(el)
    skip: set = set()
    weak: set = set()
    facts = _facts(root)
    infos = _info_table(root, facts)
    for el, pairs in infos:
        for k, v in pairs.items():
            fields.setdefault(k, v)
        skip.add(el)
    for el in _walk(root, skip):
        if _tag(el) in ("html", "body"):
            continue
        reason = _chrome_reason(el, facts)
        if reason == "layout-column":
            weak.add(el)
        elif reason:
            skip.add(el)
            removed.append(Removed(_collapse(el.text_content())[:500], reason, -1))
    for el, pairs in infos:
        removed.append(Removed(_collapse(_render(el, " "))[:500], "info-table", -1))

    # a layout column marked only by a weak class word does not hold the article,
    # but what such words mark inside the article stays (a signature of class "right")
    article = _find_article(root, skip, weak)
    wanted = [fields.get("信息名称"), fields.get("名称"), re.split(r"\s*[_|｜\-—–]\s*", title)[0]]
    head = _title_before(root, article, wanted, skip, weak, facts)

    for el in skip:
        _drop(el)
    # what lies outside the article is dropped as a whole
    outside = []
    keep_path = set(article.iterancestors()) | {article}
    for anc in keep_path:
        if anc is article:
            continue
        for part in [anc.text] + [c.tail for c in anc]:
            if part and part.strip():
                outside.append(Removed(_collapse(part)[:500], "outside-article", -1))
        for c in anc:
            if c not in keep_path and _tag(c):
                t = _collapse(_render(c, " "))
                if t:
                    outside.append(Removed(t[:500], "outside-article", -1))
    body_lines = _lines(_render(article, " "))
    lines = list(body_lines)
    if head and head.replace(" ", "") not in {x.replace(" ", "") for x in body_lines[:3]}:
        lines.insert(0, head)
        outside = [r for r in outside if r.text != head]
    # a bare date set over the article on mobile pages is its publication date
    for r in outside:
        m = _LEAD_DATE.match(r.text)
        if m and len(r.text) <= 60:
            fields.setdefault("发布日期", m.group())
            src = re.search(r"来源\s*[:：]\s*(\S+)", r.text)
            if src:
                fields.setdefault("来源", src.group(1))
            break
    removed.extend(outside)
    # the page's own metadata first: it is what the metadata reader trusts most
    meta = [Removed(f"{k}：{v}", "page-meta", -1) for k, v in fields.items()]
    if title:
        meta.append(Removed(title, "html-title", -1))
    return Page("\n".join(lines), title, meta + removed, fields)


def _drop(el):
    """Remove ``el`` but keep the text that follows it."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)
