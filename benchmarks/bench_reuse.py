"""Time and peak memory of ``find_reuse`` on reports whose sentences are mostly new.

The synthetic corpora of ``bench_analyze.py`` recombine a pool of real
paragraphs, so their sentences repeat and text reuse sees few distinct
sentences whatever the corpus size.  Published reports are mostly their own
text.  Here every report is ``--sentences`` sentences drawn from the chunk
excerpts of ``corpus/chunks/chunks.jsonl``, each with ``--edits`` characters
replaced at random: nearly every sentence is a new sentence type, and many are
near copies of each other (a hard case for the candidate search).  Each size
runs in a fresh process; printed: seconds, peak resident memory (``ru_maxrss``,
the process's imports included), sentence types and pairs found, and the
growth of peak memory per report between the smallest and largest size.

With ``--dir DIR`` it runs instead on the ``.txt`` reports of a directory
(read lazily, as ``analyze`` passes them), and also prints the memory the
process held before ``find_reuse`` started.

Usage::

    python benchmarks/bench_reuse.py                       # 100, 400 and 1,600 reports
    python benchmarks/bench_reuse.py --sizes 100 400 --edits 5
    python benchmarks/bench_reuse.py --dir benchmarks/results/corpus_10000_e15
"""
from __future__ import annotations

import argparse
import json
import logging
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def texts(n_reports, n_sentences, edits, seed):
    lines = [json.loads(line)["text"] for line in
             (ROOT / "corpus" / "chunks" / "chunks.jsonl").open(encoding="utf-8")]
    pool = [s for t in lines for s in t.replace("；", "。").split("。") if len(s) > 20]
    chars = "的一是在了法治政府建设推进行政执法复议乡镇街道县区"
    rng = random.Random(seed)
    out = {}
    for r in range(n_reports):
        sents = []
        for _ in range(n_sentences):
            s = list(rng.choice(pool))
            for _ in range(edits):
                s[rng.randrange(len(s))] = rng.choice(chars)
            sents.append("".join(s))
        out[f"r{r:06d}"] = "。".join(sents) + "。"
    return out


def _rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(args):
    sys.path.insert(0, str(ROOT))
    from rolnlp.analysis.reuse import ReportTexts, find_reuse

    found = {}

    class Count(logging.Handler):
        def emit(self, record):
            found["message"] = record.getMessage()

    log = logging.getLogger("rolnlp.analysis.reuse")
    log.addHandler(Count())
    log.setLevel(logging.INFO)
    if args.dir:
        paths = sorted(Path(args.dir).glob("*.txt"))
        docs = ReportTexts(lambda: ((p.name, p.read_text(encoding="utf-8")) for p in paths))
    else:
        docs = texts(args.reports, args.sentences, args.edits, args.seed)
    before = _rss_mb()
    t0 = time.perf_counter()
    res = find_reuse(docs, progress=False)
    print(json.dumps({"seconds": time.perf_counter() - t0, "pairs": len(res.pairs),
                      "boilerplate": len(res.boilerplate), "log": found.get("message", ""),
                      "before_mb": before, "peak_mb": _rss_mb()}))


def main(argv=None):
    ap = argparse.ArgumentParser(description="find_reuse on reports of mostly new sentences")
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 400, 1600])
    ap.add_argument("--sentences", type=int, default=200)
    ap.add_argument("--edits", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--dir", help="run on the .txt reports of this directory instead")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--reports", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        return child(args)
    if args.dir:
        res = subprocess.run([sys.executable, __file__, "--child", "--dir", args.dir],
                             capture_output=True, text=True)
        if res.returncode != 0:
            print(res.stderr[-3000:], file=sys.stderr)
            raise SystemExit("find_reuse failed")
        row = json.loads(res.stdout.strip().splitlines()[-1])
        print(f"{args.dir}: {row['seconds']:.1f} s  peak {row['peak_mb']:.0f} MB "
              f"(before find_reuse {row['before_mb']:.0f} MB)  pairs {row['pairs']}  "
              f"boilerplate {row['boilerplate']}  [{row['log']}]")
        return
    rows = []
    for n in args.sizes:
        cmd = [sys.executable, __file__, "--child", "--reports", str(n), "--sentences",
               str(args.sentences), "--edits", str(args.edits), "--seed", str(args.seed)]
        res = subprocess.run(cmd, capture_output=True, text=True)
        if res.returncode != 0:
            print(res.stderr[-3000:], file=sys.stderr)
            raise SystemExit(f"find_reuse failed at {n} reports")
        row = {"reports": n, **json.loads(res.stdout.strip().splitlines()[-1])}
        rows.append(row)
        print(f"{n:>6} reports  {row['seconds']:7.1f} s  peak {row['peak_mb']:6.0f} MB  "
              f"pairs {row['pairs']:>7}  boilerplate {row['boilerplate']:>6}  [{row['log']}]",
              flush=True)
    if len(rows) >= 2:
        a, b = rows[0], rows[-1]
        print(f"\npeak memory grows {(b['peak_mb'] - a['peak_mb']) / (b['reports'] - a['reports']) * 1000:.0f} KB "
              f"per report between {a['reports']} and {b['reports']} reports")


if __name__ == "__main__":
    main()
