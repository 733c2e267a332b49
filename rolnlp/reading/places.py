"""Place names to GB/T 2260 administrative divisions (province, city, county, six-digit code).

The table ``data/adcodes.tsv`` (packaged, read offline) holds every province,
city and county-level division with its code, derived from the cpca
package's table (MIT licence) plus renamings and new divisions with the year
they took effect (洞头县 → 洞头区 in 2015, 海门市 → 海门区 in 2020 …): a
report on 2014 that names 洞头县 gets 330322, one on 2020 naming 洞头区 gets
330305.  Towns (镇 / 乡 / 街道) are not in the table: a town keeps its name and
the code of its county when the text names the county.

A name shared by several divisions (鼓楼区 is in 南京, 徐州, 福州 and 开封) is
resolved only by the text: the city or province given with it, or the one the
text around it names; otherwise nothing is filled in rather than a guess.

Example
-------
>>> p = locate(county="硚口区")
>>> p.province, p.city, p.county, p.adcode
('湖北省', '武汉市', '硚口区', '420104')
>>> locate(county="鼓楼区").adcode is None
True
>>> locate(county="鼓楼区", context="南京市鼓楼区人民政府").adcode
'320106'
"""
from __future__ import annotations

import functools
import importlib.resources
import re
from dataclasses import dataclass
from typing import Optional

from .._caches import register_cache

MUNICIPALITIES = {"11": "北京市", "12": "天津市", "31": "上海市", "50": "重庆市"}
_NOT_A_CITY = ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")
_ETHNIC = ("回|壮|维吾尔|藏|蒙古|苗|土家|布依|侗|瑶|白|哈尼|傣|傈僳|彝|黎|羌|朝鲜|满|哈萨克|柯尔克孜|"
           "仡佬|水|纳西|景颇|拉祜|佤|畲|仫佬|毛南|达斡尔|鄂温克|鄂伦春|锡伯|土|撒拉|保安|东乡|裕固|"
           "普米|怒|独龙|基诺|德昂|阿昌|布朗|门巴|珞巴|京")
_AUTONOMOUS = re.compile(rf"^(.+?)(?:(?:{_ETHNIC})族)+(?:自治州|自治区|自治县|自治旗)$")
_SUFFIX = re.compile(r"(?:特别行政区|自治区|自治州|自治县|自治旗|地区|新区|林区|特区|省|市|区|县|旗|盟|州)$")


@dataclass(frozen=True)
class Place:
    """A resolved division: names of its province, city and county, and its code."""

    province: Optional[str] = None
    city: Optional[str] = None
    county: Optional[str] = None
    town: Optional[str] = None
    adcode: Optional[str] = None
    level: Optional[str] = None  # province / city / county (the division the code names)


def short_name(name: str) -> str:
    """A division's name without its administrative suffix (``湖北省`` → ``湖北``).

    Example
    -------
    >>> short_name("恩施土家族苗族自治州"), short_name("海盐县"), short_name("涉县")
    ('恩施', '海盐', '涉县')
    """
    m = _AUTONOMOUS.match(name)
    if m:
        return m.group(1)
    stem = _SUFFIX.sub("", name)
    return stem if len(stem) >= 2 else name


class _Table:
    def __init__(self):
        self.name: dict[str, str] = {}
        self.span: dict[str, tuple] = {}
        self.by_name: dict[str, list] = {}
        text = (importlib.resources.files("rolnlp.reading") / "data" / "adcodes.tsv").read_text(
            encoding="utf-8")
        for line in text.splitlines():
            if not line or line.startswith("#"):
                continue
            code, name, start, end = (line.split("\t") + ["", ""])[:4]
            self.name[code] = name
            self.span[code] = (int(start) if start else None, int(end) if end else None)
            self.by_name.setdefault(name, []).append(code)
        # short names (石柱 for 石柱土家族自治县) to read names written without the full title
        self.by_short: dict[str, list] = {}
        for name, codes in self.by_name.items():
            if name not in _NOT_A_CITY:
                self.by_short.setdefault((short_name(name), _kind(name)), []).extend(codes)
        # county names long enough to be recognised on their own in running text
        names = sorted((n for n, codes in self.by_name.items()
                        if n not in _NOT_A_CITY and len(n) >= 3), key=len, reverse=True)
        self.pattern = re.compile("|".join(map(re.escape, names)))

    def level(self, code):
        if code[2:] == "0000":
            return "province"
        if code[4:] == "00":
            return "city"
        return "county"

    def province_of(self, code):
        return self.name.get(code[:2] + "0000")

    def city_of(self, code):
        if code[:2] in MUNICIPALITIES:
            return MUNICIPALITIES[code[:2]]
        if self.level(code) == "province":
            return None
        name = self.name.get(code[:4] + "00")
        return None if name in _NOT_A_CITY else name

    def valid(self, code, year):
        start, end = self.span[code]
        return year is None or ((start is None or year >= start) and (end is None or year < end))


def _kind(name: str) -> str:
    """The family of a division's suffix: 县 and 自治县 are one, 州 and 自治州 another."""
    for suffixes, kind in ((("自治县", "县"), "县"), (("自治旗", "旗"), "旗"), (("自治州", "州"), "州"),
                           (("自治区",), "自治区"), (("区",), "区"), (("市",), "市"),
                           (("省",), "省"), (("地区",), "地区"), (("盟",), "盟")):
        if name.endswith(suffixes):
            return kind
    return ""


def lookup(name: str) -> list:
    """Codes of the divisions called ``name``, or written so (石柱县 for 石柱土家族自治县).

    Example
    -------
    >>> lookup("石柱县"), lookup("黔西南州")
    (['500240'], ['522300'])
    """
    t = _table()
    codes = t.by_name.get(name)
    if codes:
        return list(codes)
    if not name or len(name) < 3:
        return []
    return list(t.by_short.get((short_name(name), _kind(name)), []))


@functools.lru_cache(maxsize=1)
def _table() -> _Table:
    return _Table()


register_cache("reading.places.table", _table.cache_clear)


def _mentions(text: str, name: str) -> int:
    if not text or not name:
        return 0
    short = short_name(name)
    return text.count(short) if short != name else text.count(name)


def _pick(codes, year, province, city, context):
    """The one code among ``codes`` the names and the context support, or None."""
    t = _table()
    if len(codes) > 1 and year is not None:
        dated = [c for c in codes if t.valid(c, year)]
        codes = dated or codes
    if province:
        codes = [c for c in codes if _same(t.province_of(c), province)] or []
    if city:
        codes = [c for c in codes if _same(t.city_of(c), city)
                 or (t.level(c) == "city" and _same(t.name[c], city))] or []
    if len(codes) <= 1:
        return codes[0] if codes else None
    scores = {c: 3 * _mentions(context, t.city_of(c) or "") + _mentions(context, t.province_of(c) or "")
              for c in codes}
    best = max(scores.values())
    top = [c for c, s in scores.items() if s == best]
    return top[0] if best > 0 and len(top) == 1 else None


def _same(a, b):
    return bool(a and b) and (a == b or short_name(a) == short_name(b))


def locate(province=None, city=None, county=None, town=None, *, year=None,
           context: str = "") -> Place:
    """Resolve place names to a division with its code.

    Parameters
    ----------
    province, city, county, town : str, optional
        Names as the text gives them (``"湖北省"``, ``"武汉市"``, ``"硚口区"``, ``"某某镇"``).
    year : int, optional
        The year reported on: picks between a division and its renamed form.
    context : str
        Text around the names (a report's title and opening), used only to
        choose between divisions that share a name.

    Returns
    -------
    Place
        Empty fields where the names do not determine them.

    Example
    -------
    >>> locate(county="洞头县", year=2014).adcode, locate(county="洞头区", year=2020).adcode
    ('330322', '330305')
    """
    t = _table()
    code = None
    if county:
        codes = [c for c in lookup(county) if t.level(c) == "county"]
        if not codes and county.endswith("市"):
            codes = [c for c in lookup(county) if t.level(c) == "city"]
        code = _pick(codes, year, province, city, context)
        if code is None and codes:
            return Place(town=town)  # named but ambiguous: decide nothing
    if code is None and city:
        codes = [c for c in lookup(city) if t.level(c) == "city"]
        if not codes and city in MUNICIPALITIES.values():
            codes = [c for c in lookup(city) if t.level(c) == "province"]
        if not codes:  # a county-level city named alone (海宁市)
            codes = [c for c in lookup(city) if t.level(c) == "county"]
        code = _pick(codes, year, province, None, context)
    if code is None and province:
        codes = [c for c in lookup(province) if t.level(c) == "province"]
        code = codes[0] if len(codes) == 1 else None
    if code is None:
        return Place(town=town)
    level = t.level(code)
    return Place(province=t.province_of(code), city=t.city_of(code),
                 county=t.name[code] if level == "county" else None, town=town,
                 adcode=code, level=level)


def code_of(place: Place, region) -> Optional[str]:
    """The code ``place`` gives to ``region``: its own division's, or its county's for a town.

    None when the resolved division is not ``region`` (a zone missing from the
    table falls back to its city, whose code is not the zone's).

    Example
    -------
    >>> code_of(locate(county="象山县", town="贤庠镇"), "贤庠镇")
    '330225'
    """
    if not place.adcode or not region:
        return None
    t = _table()
    if region == t.name.get(place.adcode) or (place.town == region and place.county):
        return place.adcode
    if place.level == "province" and region == place.province:
        return place.adcode
    return None


def find_places(text: str, limit: int = 20000) -> list:
    """County-level and city names from the table found in ``text``, in order.

    Example
    -------
    >>> find_places("一年来，海盐县坚持依法行政")
    ['海盐县']
    """
    return [m.group() for m in _table().pattern.finditer(text[:limit])]


_TOWN_AFTER = re.compile(r"[\u4e00-\u9fff]{1,5}?(?:街道|镇|乡)")


def first_chain(text: str, limit: int = 1500) -> dict:
    """The first run of divisions named in ``text`` (``南京市鼓楼区``) as
    ``{province, city, county, town}`` by their level in the table, or ``{}``.

    Example
    -------
    >>> first_chain("一年来，湖北省武汉市硚口区坚持依法行政")
    {'province': '湖北省', 'city': '武汉市', 'county': '硚口区'}
    """
    t = _table()
    m = t.pattern.search(text[:limit])
    out: dict = {}
    while m:
        name = m.group()
        levels = {t.level(c) for c in t.by_name[name]}
        slot = ("county" if "county" in levels and "city" not in levels else
                "city" if "city" in levels else "province" if "province" in levels else "county")
        if name in MUNICIPALITIES.values():
            out.setdefault("province", name)
            slot = "city"
        if slot in out:
            break
        out[slot] = name
        end = m.end()
        m = t.pattern.match(text, end)
        if m is None and "county" in out:
            town = _TOWN_AFTER.match(text, end)
            if town:
                out["town"] = town.group()
    return out


def known(name: str) -> bool:
    """True when ``name`` is a division in the table (or written as one: 黔西南州)."""
    return bool(name) and bool(lookup(name))
