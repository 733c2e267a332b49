"""Metadata field accuracy on report openings that state their place and year.

Run from the repository root::

    PYTHONPATH=$PWD python benchmarks/eval_metadata.py            # evaluation split
    PYTHONPATH=$PWD python benchmarks/eval_metadata.py --split dev
    PYTHONPATH=$PWD python benchmarks/eval_metadata.py --build    # rewrite the truth file

The truth (``corpus/places_truth.jsonl``, one row per chunk id) comes from the
hand-read ``region`` and ``year`` of ``corpus/chunks/chunks.jsonl`` for the
openings (``body`` false, not templates) that give both; the region string
(``浙江省海宁市黄湾镇``) is split into province / city / county / town and given
its GB/T 2260 code with the packaged table, a county-level city being moved
from city to county.  Rows are split by place (a hash of the region string):
``dev`` (about 30 %) may be looked at while writing rules, ``eval`` is not.
Accuracy is exact match per field (None must match None), with a bootstrap
95 % interval over chunks (2,000 resamples, seed 0).
"""
import argparse
import hashlib
import json
import pathlib
import random
import re

ROOT = pathlib.Path(__file__).resolve().parents[1]
TRUTH = ROOT / "corpus" / "places_truth.jsonl"
FIELDS = ("region", "province", "city", "county", "adcode", "level", "year")
_TOKEN = re.compile(r".{1,12}?(?:特别行政区|自治区|自治州|省|市|地区|盟|新区|区|县|旗|街道|镇|乡)")
_MUNI = ("北京市", "天津市", "上海市", "重庆市")


def _parts(region):
    """``浙江省海宁市黄湾镇`` → {province, county, town}: divisions read off the front."""
    from rolnlp.reading.places import _table
    t = _table()
    parts, pos = {}, 0
    while True:
        m = _TOKEN.match(region, pos)
        if not m:
            break
        tok = m.group()
        levels = {t.level(c) for c in t.by_name.get(tok, [])}
        if tok in _MUNI:
            parts.setdefault("province", tok)
            parts.setdefault("city", tok)
        elif "province" in levels:
            parts["province"] = tok
        elif "city" in levels and "county" not in parts:
            parts["city"] = tok
        elif "county" in levels or (tok.endswith(("区", "县", "旗")) and len(tok) >= 3):
            parts["county"] = tok
        elif tok.endswith(("街道", "镇", "乡")):
            parts["town"] = tok
        else:
            break
        pos = m.end()
    return parts


def _truth_row(chunk):
    from rolnlp.reading.places import code_of, locate
    region, year = chunk["region"], chunk["year"]
    parts = _parts(region)
    place = locate(province=parts.get("province"), city=parts.get("city"),
                   county=parts.get("county"), town=parts.get("town"), year=year,
                   context=region)
    name = parts.get("town") or parts.get("county") or parts.get("city") or parts.get("province")
    if chunk["kind"] == "department_report":
        level = "department"
    elif not name:
        level = None
    elif parts.get("town"):
        level = "town"
    elif parts.get("county"):
        level = "district" if name.endswith("区") else "county"
    elif parts.get("city") and parts["city"] not in _MUNI:
        level = "city"
    else:
        level = "province"
    province = place.province or parts.get("province")
    city = place.city or parts.get("city")
    # split by place: every opening of one place falls on the same side
    split = "dev" if int(hashlib.sha1(region.encode()).hexdigest()[:8], 16) % 10 < 3 else "eval"
    return {"id": chunk["id"], "url": chunk["url"], "split": split, "region_text": region,
            "region": name, "province": province if province != name else None,
            "city": city if city != name else None, "county": place.county or parts.get("county"),
            "town": parts.get("town"), "adcode": code_of(place, name), "level": level, "year": year}


def build():
    rows = []
    for line in (ROOT / "corpus" / "chunks" / "chunks.jsonl").read_text("utf-8").splitlines():
        c = json.loads(line)
        if c["region"] and c["year"] and not c["body"] and c["kind"] != "template":
            rows.append(_truth_row(c))
    with open(TRUTH, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} rows to {TRUTH.relative_to(ROOT)}")


def evaluate(split):
    from rolnlp import read_report
    chunks = {json.loads(x)["id"]: json.loads(x) for x in
              (ROOT / "corpus" / "chunks" / "chunks.jsonl").read_text("utf-8").splitlines()}
    truth = [json.loads(x) for x in TRUTH.read_text("utf-8").splitlines()]
    truth = [t for t in truth if split == "all" or t["split"] == split]
    hits = {f: [] for f in FIELDS}
    for t in truth:
        m = read_report(chunks[t["id"]]["text"].encode("utf-8")).metadata
        for f in FIELDS:
            got = getattr(m, f, None)
            if f == "level" and t["level"] is None:
                continue
            hits[f].append(got == t[f])
    rng = random.Random(0)
    print(f"{len(truth)} openings ({split} split)")
    print(f"{'field':9} {'accuracy':>8}  95% interval")
    for f in FIELDS:
        h = hits[f]
        n = len(h)
        acc = sum(h) / n
        boots = sorted(sum(h[rng.randrange(n)] for _ in range(n)) / n for _ in range(2000))
        print(f"{f:9} {acc:8.3f}  [{boots[49]:.3f}, {boots[1949]:.3f}]  (n={n})")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", action="store_true")
    ap.add_argument("--split", default="eval", choices=("eval", "dev", "all"))
    args = ap.parse_args()
    if args.build:
        build()
    else:
        evaluate(args.split)


if __name__ == "__main__":
    main()
