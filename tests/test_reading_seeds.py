"""The five seed reports against the metadata and outline read by hand (corpus/reports.jsonl)."""
import pytest

from rolnlp import parse_report, read_report
from rolnlp.reading import normalize_text

RESIDUE = ("扫一扫", "收藏", "打印", "关闭", "朗读", "智能问答", "便民地图", "政策问答", "数据中心",
           "新媒体矩阵", "公开信箱", "索引号", "发布机构", "成文日期", "|", "无障碍", "部门镇街",
           "您当前的位置", "更新时间", "发布时间", "来源：", "日期：")
FIELDS = ("title", "region", "city", "province", "level", "year", "publisher", "date", "source")


@pytest.fixture(scope="module")
def seeds(seed_paths):
    return {p.stem: read_report(p) for p in seed_paths}


def test_every_seed_has_a_truth_row(seeds, truth):
    assert sorted(seeds) == sorted(truth)
    assert len(seeds) == 5


@pytest.mark.parametrize("field", FIELDS)
def test_metadata_matches_hand_reading(seeds, truth, field):
    wrong = {sid: (getattr(r.metadata, field), truth[sid][field])
             for sid, r in seeds.items() if getattr(r.metadata, field) != truth[sid][field]}
    assert not wrong, f"{field}: got vs expected {wrong}"


def test_level1_headings_match_outline(seeds, truth):
    for sid, r in seeds.items():
        level1 = [h for h in r.headings if h.level == 1]
        assert [h.text for h in level1] == truth[sid]["outline"], sid
        assert [h.section for h in level1] == truth[sid]["sections"], sid
        assert [n["title"] for n in r.outline()] == truth[sid]["outline"], sid


def test_no_residue_in_paragraphs(seeds):
    for sid, r in seeds.items():
        for p in r.paragraphs:
            hits = [w for w in RESIDUE if w in p.text]
            assert not hits, (sid, hits, p.text[:60])


def test_lossless_and_offsets(seeds):
    for sid, r in seeds.items():
        units = r.units("all")
        assert "".join(u.text_with_ws for u in units) == r.text, sid
        for u in units:
            assert r.text[u.start:u.end] == u.text
            assert u.text == u.text.strip() and u.text
            assert not u.whitespace.strip()
        items = r.units("item")
        assert "".join(u.text_with_ws for u in items) == "".join(
            p.text_with_ws for p in r.paragraphs), sid


def test_paragraphs_are_fixed_points_of_normalize_text(seeds):
    for r in seeds.values():
        for p in r.paragraphs:
            assert normalize_text(p.text) == p.text


def test_one_line_report_is_split(seeds):
    r = seeds["004_63693fb56a6a40d7"]
    assert "\n" not in r.text.split("\n", 1)[1]  # the body really is one line
    assert len(r.paragraphs) >= 20
    assert [h.text for h in r.headings if h.level == 2][:2] == [
        "（一）笃学践行习近平法治思想，树牢法治理念", "（二）坚持优化法治营商环境，护航企业发展"]
    items = [p for p in r.paragraphs if p.text.startswith("二是压实法治建设责任")]
    assert len(items) == 1
    assert items[0].heading_path == ("一、2024年度法治政府建设总体情况",
                                     "（一）笃学践行习近平法治思想，树牢法治理念")
    # the signature at the end of the line is its own closing unit
    last = r.units("all")[-2:]
    assert [(u.kind, u.text) for u in last] == [("signature", "海盐县人民政府"),
                                                ("date", "2025年3月19日")]
    assert {u.section for u in last} == {"other"}
    assert r.paragraphs[-1].text.startswith("五是加快打造高素质法治人才队伍")


def test_heading_path_of_a_standalone_level2_heading(seeds):
    r = seeds["000_5c5bdc2152d9c680"]
    p = next(p for p in r.paragraphs if p.text.startswith("完善法律顾问工作制度"))
    assert p.heading_path == ("一、2024年法治政府建设主要举措和成效", "（二）促进依法科学民主决策")
    assert p.heading == "（二）促进依法科学民主决策"
    assert p.section == "achievements"


def test_run_in_headings_join_the_path_but_stay_in_text(seeds):
    r = seeds["003_8843a2275c818d9b"]
    p = next(p for p in r.paragraphs if "深化习近平法治思想宣传" in p.text)
    assert p.text.startswith("（一）突出思想政治引领。")
    assert p.heading_path == ("一、坚持思想领航，激发法治政府建设内生动力", "（一）突出思想政治引领")
    assert not any(h.text.startswith("（一）突出") for h in r.headings)
    plans = [p for p in r.paragraphs if p.section == "plans"]
    assert plans and plans[0].text.startswith("法治政府建设是全面依法治国")
    short = [p for p in r.paragraphs if p.section == "shortcomings"]
    assert len(short) == 1 and "问题和不足" in short[0].text
    assert [(u.kind, u.text) for u in r.units("all")[-2:]] == [
        ("signature", "常州市钟楼区人民政府"), ("date", "2024年3月6日")]
    assert [p.section for p in r.paragraphs[-5:]] == ["shortcomings"] + ["plans"] * 4


def test_preamble_and_sections(seeds):
    r = seeds["001_2927db61a28f01aa"]
    # the addressee line is front matter (kind addressee), the opening is preamble
    first = r.units("all")[0]
    assert (first.kind, first.section, first.text) == ("addressee", "other", "区委、区政府：")
    assert r.paragraphs[0].section == "preamble"
    assert r.removed[0].text == "朗读"
    r = seeds["002_87db0459dcb0080d"]
    secs = [p.section for p in r.paragraphs]
    assert secs.index("shortcomings") < secs.index("plans")
    assert "营商环境" not in [p.text for p in r.paragraphs]  # footer menu entry


def test_title_line_is_not_preamble(seeds):
    for r in seeds.values():
        for u in r.units("all"):
            if r.metadata.title and u.text == r.metadata.title:
                assert (u.kind, u.section) == ("title", "other")
        assert [p.section for p in r.paragraphs].count("preamble") >= 1


# (kind, first characters) of the front and closing units read by hand
FRAME = {
    "000_5c5bdc2152d9c680": ([("title", "硚口区2024年度")], []),
    "001_2927db61a28f01aa": ([("addressee", "区委、区政府")], []),
    "002_87db0459dcb0080d": ([("title", "重庆市綦江区")], []),
    "003_8843a2275c818d9b": ([("addressee", "常州市人民政府")],
                             [("signature", "常州市钟楼区"), ("date", "2024年3月6日")]),
    "004_63693fb56a6a40d7": ([("title", "海盐县人民政府关于")],
                             [("signature", "海盐县人民政府"), ("date", "2025年3月19日")]),
}


def test_every_unit_has_its_kind(seeds):
    for sid, r in seeds.items():
        units = r.units("all")
        front, back = FRAME[sid]
        assert [(u.kind, u.text[:len(t)]) for u, (_, t) in zip(units, front)] == front, sid
        tail = units[len(units) - len(back):] if back else []
        assert [(u.kind, u.text[:len(t)]) for u, (_, t) in zip(tail, back)] == back, sid
        body = [u for u in units if u.kind not in ("title", "addressee", "signature", "date")]
        assert len(body) == len(units) - len(front) - len(back), sid
        assert len(r) == sum(u.kind == "paragraph" for u in units)
        for kind in {u.kind for u in units}:
            assert [u.index for u in units if u.kind == kind] == list(
                range(sum(u.kind == kind for u in units)))


def test_items_split_long_paragraphs(seeds):
    r = seeds["002_87db0459dcb0080d"]
    para = next(p for p in r.paragraphs if p.text.startswith("区司法局主要领导自觉履行"))
    items = [u for u in r.units("item") if u.parent == para.index]
    assert [u.text[:2] for u in items] == ["区司", "一是", "二是", "三是"]
    assert all(u.kind == "item" and u.heading_path == para.heading_path for u in items)
    assert "".join(u.text_with_ws for u in items) == para.text_with_ws


def test_gbk_and_traditional_versions_read_alike(seed_paths, seeds):
    import opencc

    s2t = opencc.OpenCC("s2t")
    for p in seed_paths:
        ref = seeds[p.stem]
        raw = p.read_text("utf-8")
        gb = read_report(raw.encode("gb18030"))
        assert [x.text for x in gb.paragraphs] == [x.text for x in ref.paragraphs]
        assert gb.metadata == ref.metadata
        trad = parse_report(s2t.convert(raw))
        assert trad.original != trad.text
        assert len(trad.paragraphs) == len(ref.paragraphs)
        # s2t -> t2s does not round-trip every character (e.g. 干/幹/乾): allow a few
        same = sum(a.text == b.text for a, b in zip(trad.paragraphs, ref.paragraphs))
        assert same >= 0.8 * len(ref.paragraphs), p.stem
        diff = sum(x != y for a, b in zip(trad.paragraphs, ref.paragraphs)
                   for x, y in zip(a.text, b.text))
        assert diff <= 0.005 * len(ref.text), p.stem
        assert [h.text for h in trad.headings if h.level == 1] == \
            [h.text for h in ref.headings if h.level == 1]
