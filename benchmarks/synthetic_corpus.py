"""Build a synthetic corpus of rule-of-law reports for scale benchmarks.

Reports are recombined from real paragraphs: those of the five seed reports in
``corpus/reports/`` and the excerpts in ``corpus/chunks/chunks.jsonl``.  Each
synthetic report gets a title with a region and year, the usual three numbered
parts, and paragraphs drawn at random with their figures changed, so reports
share templates (as real ones do) without being copies.  With ``edits``, one
character in every ``edits`` of each paragraph is replaced at random, so that
nearly every sentence is new (as most of a real report's sentences are) and
text reuse has to work through them.  Seeded: the same seed writes the same
files.

Usage::

    python benchmarks/synthetic_corpus.py OUT_DIR --reports 500 --seed 0
    python benchmarks/synthetic_corpus.py OUT_DIR --reports 500 --edits 15
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
REGIONS = ("硚口区 洞头区 綦江区 钟楼区 海盐县 江岸区 鹿城区 渝北区 武进区 嘉善县 "
           "黄陂区 瑞安市 涪陵区 新北区 桐乡市 洪山区 乐清市 永川区 金坛区 平湖市 "
           "青山区 永嘉县 璧山区 溧阳市 海宁市 东西湖区 平阳县 合川区 天宁区 德清县").split()
_DIGITS = re.compile(r"\d+")
_EDIT_CHARS = "的一是在了和有为以法治政府建设推进行政执法复议乡镇街道县区市部门工作制度"


def paragraph_pool():
    """Real paragraphs (30+ characters) from the seed reports and the chunks."""
    sys.path.insert(0, str(ROOT))
    import rolnlp

    pool = []
    for path in sorted((ROOT / "corpus" / "reports").glob("*.txt")):
        pool += [p.text for p in rolnlp.read_report(path).paragraphs if len(p.text) >= 30]
    with open(ROOT / "corpus" / "chunks" / "chunks.jsonl", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if row.get("script") == "garbled":
                continue
            pool += [s.strip() for s in row["text"].split("\n") if len(s.strip()) >= 30]
    return pool


def build(out_dir, n_reports, seed=0, pool=None, edits=0):
    """Write ``n_reports`` synthetic reports as UTF-8 .txt files into ``out_dir``.

    ``edits``: replace one character in every ``edits`` of each paragraph
    (0: none).  Returns the list of paths written.
    """
    rng = np.random.default_rng(seed)
    pool = pool if pool is not None else paragraph_pool()
    os.makedirs(out_dir, exist_ok=True)
    paths = []
    for i in range(n_reports):
        region = REGIONS[int(rng.integers(len(REGIONS)))]
        year = int(rng.integers(2016, 2025))
        n_par = int(rng.integers(20, 41))
        picks = [pool[j] for j in rng.choice(len(pool), n_par, replace=False)]
        picks = [_DIGITS.sub(lambda m: str(int(rng.integers(1, 500))), p) for p in picks]
        if edits:
            picks = [_edited(p, edits, rng) for p in picks]
        a, b = int(n_par * 0.7), int(n_par * 0.85)
        lines = [f"{region}{year}年度法治政府建设情况报告", "",
                 f"{year}年，{region}深入学习贯彻习近平法治思想，全面推进法治政府建设。"
                 "现将有关情况报告如下：", "",
                 f"一、{year}年推进法治政府建设的主要举措和成效", "", *_spaced(picks[:a]),
                 "二、存在的不足和原因", "", *_spaced(picks[a:b]),
                 f"三、{year + 1}年推进法治政府建设的主要安排", "", *_spaced(picks[b:]),
                 f"{region}人民政府", f"{year + 1}年3月1日"]
        path = os.path.join(out_dir, f"syn_{i:05d}.txt")
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        paths.append(path)
    return paths


def _edited(text, every, rng):
    chars = list(text)
    for at in rng.choice(len(chars), max(1, len(chars) // every), replace=False):
        if "\u4e00" <= chars[at] <= "\u9fff":
            chars[at] = _EDIT_CHARS[int(rng.integers(len(_EDIT_CHARS)))]
    return "".join(chars)


def _spaced(paragraphs):
    out = []
    for p in paragraphs:
        out += [p, ""]
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir")
    ap.add_argument("--reports", type=int, default=50)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--edits", type=int, default=0,
                    help="replace one character in every EDITS of each paragraph (default: none)")
    args = ap.parse_args(argv)
    paths = build(args.out_dir, args.reports, args.seed, edits=args.edits)
    print(f"wrote {len(paths)} reports to {args.out_dir}")


if __name__ == "__main__":
    main()
