"""Build adcodes.tsv from the cpca package's table (MIT licence, (c) 2018 QinYuan Du).

Run: ``python models/build_adcodes.py`` with cpca installed; it writes
``rolnlp/reading/data/adcodes.tsv``.  Keeps
the six-digit GB/T 2260 code and name of every province, city and county-level
division (cpca's table dates from about 2016), and adds the renamings and new
divisions listed in CHANGES below with the year they took effect.
"""
import csv
import importlib.resources
import os

# (old code, old name, new code, new name, year the new one took effect);
# an old code of "" means a new division with no predecessor of its own
CHANGES = [
    ("500222", "綦江县", "500110", "綦江区", 2011),
    ("330322", "洞头县", "330305", "洞头区", 2015),
    ("120225", "蓟县", "120119", "蓟州区", 2016),
    ("500234", "开县", "500154", "开州区", 2016),
    ("500228", "梁平县", "500155", "梁平区", 2016),
    ("500232", "武隆县", "500156", "武隆区", 2016),
    ("370181", "章丘市", "370114", "章丘区", 2016),
    ("330185", "临安市", "330112", "临安区", 2017),
    ("370282", "即墨市", "370215", "即墨区", 2017),
    ("370125", "济阳县", "370115", "济阳区", 2018),
    ("320684", "海门市", "320614", "海门区", 2020),
    ("", "", "330114", "钱塘区", 2021),
    ("", "", "330113", "临平区", 2021),
    ("", "", "440310", "坪山区", 2016),
    ("", "", "440311", "光明区", 2018),
]
# divisions merged into an existing one: (code, name, last year + 1)
MERGED = [("330103", "下城区", 2021), ("330104", "江干区", 2021)]


def main():
    src = importlib.resources.files("cpca") / "resources" / "adcodes.csv"
    rows = {}
    with src.open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            code, name = r["adcode"][:6], r["name"].strip()
            if r["adcode"][6:] != "000000" or code[:2] in ("71", "81", "82"):
                continue
            rows[code] = [code, name, "", ""]
    for old, old_name, new, new_name, year in CHANGES:
        if old:
            rows[old] = [old, old_name, "", str(year)]
        if new in rows and rows[new][1] != new_name:
            raise SystemExit(f"{new} is {rows[new][1]} in cpca, not {new_name}")
        rows[new] = [new, new_name, str(year), ""]
    for old, old_name, year in MERGED:
        rows[old] = [old, old_name, "", str(year)]
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "rolnlp",
                       "reading", "data", "adcodes.tsv")
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        f.write("# GB/T 2260 administrative divisions: code, name, valid from year, valid until year\n")
        f.write("# derived from the cpca package's adcodes.csv (MIT licence, (c) 2018 QinYuan Du,\n")
        f.write("# https://github.com/DQinYuan/chinese_province_city_area_mapper) by models/build_adcodes.py\n")
        for code in sorted(rows):
            f.write("\t".join(rows[code]) + "\n")


if __name__ == "__main__":
    main()
