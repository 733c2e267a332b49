"""Places: GB/T 2260 codes, province/city implied by the table, names decided only by the text."""
import json
import pathlib

import pytest

import rolnlp
from rolnlp import read_report
from rolnlp._caches import registered_caches
from rolnlp.reading import places
from rolnlp.reading.places import code_of, first_chain, locate, lookup, short_name

ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_every_seed_has_province_city_and_code(seed_paths, truth):
    for path in seed_paths:
        m = read_report(path).metadata
        want = truth[path.stem]
        got = {k: getattr(m, k) for k in ("region", "province", "city", "county", "town", "adcode")}
        assert got == {k: want[k] for k in got}, path.stem
        assert m.province and m.city and m.adcode


@pytest.mark.parametrize("kwargs,code", [
    ({"county": "硚口区"}, "420104"), ({"county": "海盐县"}, "330424"),
    ({"county": "钟楼区", "city": "常州市"}, "320404"), ({"city": "海宁市"}, "330481"),
    ({"county": "石柱县"}, "500240"), ({"city": "黔西南州"}, "522300"),
    ({"province": "湖北省"}, "420000"), ({"city": "重庆市"}, "500000"),
])
def test_locate(kwargs, code):
    assert locate(**kwargs).adcode == code


def test_ambiguous_names_need_context():
    assert lookup("鼓楼区") and len(lookup("鼓楼区")) == 4
    assert locate(county="鼓楼区") == places.Place()
    assert locate(county="鼓楼区", context="南京市鼓楼区司法局").adcode == "320106"
    assert locate(county="鼓楼区", city="福州市").adcode == "350102"
    assert locate(county="鼓楼区", context="徐州 开封").adcode is None  # a tie decides nothing


def test_renamed_divisions_follow_the_report_year():
    assert locate(county="洞头县", year=2014).adcode == "330322"
    assert locate(county="洞头区", year=2020).adcode == "330305"
    assert locate(county="海门市", year=2019).adcode == "320684"
    assert locate(county="海门区", year=2021).adcode == "320614"
    p = locate(county="洞头县", year=2014)
    assert (p.province, p.city) == ("浙江省", "温州市")


def test_town_keeps_its_name_and_gets_its_county_code():
    p = locate(county="象山县", town="贤庠镇")
    assert (p.town, p.county, p.adcode, code_of(p, "贤庠镇")) == ("贤庠镇", "象山县", "330225",
                                                              "330225")
    assert code_of(locate(city="大兴安岭地区"), "呼中区") is None


def test_short_names_and_chains():
    assert short_name("宁夏回族自治区") == "宁夏" and short_name("湖北省") == "湖北"
    assert first_chain("一年来，湖北省武汉市硚口区古田街道坚持") == {
        "province": "湖北省", "city": "武汉市", "county": "硚口区", "town": "古田街道"}
    assert first_chain("全年办理案件12件。") == {}


@pytest.mark.parametrize("text,region,code,level", [
    # a town government named only in its preamble
    ("2024年度工作情况\n一年来，在县委、县政府的正确领导下，贤庠镇人民政府坚持依法行政，办理案件12件。",
     "贤庠镇", None, "town"),
    # a district named after 一年来
    ("一年来，硚口区坚持以习近平法治思想为指导，全面推进依法行政。\n一、主要举措", "硚口区", "420104",
     "district"),
    # a title after a bulleted header block
    ("- 索 引 号: 113304240025561412/2025-77492\n- 发布机构: 县政府办公室\n"
     "海盐县人民政府关于2024年度法治政府建设工作情况的报告\n2024年，县政府扎实推进法治政府建设。",
     "海盐县", "330424", "county"),
    # a joint title of the party committee and the government
    ("中共淮南市委淮南市人民政府关于2024年法治政府建设情况的报告\n省委、省政府：\n2024年，我市坚持依法行政。",
     "淮南市", "340400", "city"),
])
def test_openings_that_name_their_place(text, region, code, level):
    m = read_report(text.encode("utf-8")).metadata
    assert (m.region, m.adcode, m.level) == (region, code, level)


def test_a_place_the_text_does_not_name_stays_empty():
    m = read_report("2023年，区政府坚持依法行政，全年办理行政复议案件12件。\n一、主要举措".encode()).metadata
    assert (m.region, m.province, m.city, m.adcode) == (None, None, None, None)
    # a province named in a cited document is not the report's place
    m = read_report("2022年以来，县政府认真贯彻《浙江省法治政府建设实施纲要》，推进依法行政。".encode()).metadata
    assert m.region is None and m.adcode is None


def test_table_is_packaged_with_its_licence_and_cache_is_registered():
    head = (ROOT / "rolnlp" / "reading" / "data" / "adcodes.tsv").read_text("utf-8")[:400]
    assert "MIT" in head and "cpca" in head
    assert "reading.places.table" in registered_caches()
    rolnlp.clear_caches()
    assert locate(county="硚口区").city == "武汉市"


def test_dev_openings_keep_their_accuracy():
    """A guard on the dev split of corpus/places_truth.jsonl (the eval split is not used here)."""
    chunks = {c["id"]: c for c in map(json.loads, (ROOT / "corpus" / "chunks" / "chunks.jsonl")
                                      .read_text("utf-8").splitlines())}
    truth = [t for t in map(json.loads, (ROOT / "corpus" / "places_truth.jsonl")
                            .read_text("utf-8").splitlines()) if t["split"] == "dev"]
    assert len(truth) >= 100
    hits = {"region": 0, "adcode": 0, "province": 0}
    for t in truth:
        m = read_report(chunks[t["id"]]["text"].encode("utf-8")).metadata
        for f in hits:
            hits[f] += getattr(m, f) == t[f]
    assert hits["region"] / len(truth) >= 0.78
    assert hits["adcode"] / len(truth) >= 0.70
    assert hits["province"] / len(truth) >= 0.75
