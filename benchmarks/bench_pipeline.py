"""End-to-end figures of rolnlp against bare jieba, all measured in one run.

1. Throughput: ``parse_report`` + ``classify_report`` (text model and, when
   the model ships one, its context stage) over documents of about 10,000
   characters (the 5 seed reports and the chunk texts joined in order),
   against ``jieba.lcut`` over the same documents.  Both sides are warmed
   first (dictionaries loaded, the model loaded); rolnlp's result caches
   (analyzer LRU caches, cut-block caches, token cache) are emptied before
   every repetition, so each document is seen once per repetition.  The two
   sides run interleaved; the ratio of each pair is printed with its spread.
   Target: pipeline chars/s >= 1.0 x jieba's (0.7 x for the default install,
   whose cutter is pure Python).  Measured for
   the default install (Python cutter) and, when numba is installed, with the
   ``rolnlp[fast]`` extra (compiled route), interleaved with jieba.
2. Cold start: fresh processes that import rolnlp and classify one paragraph,
   against processes that import jieba and cut one sentence (median of
   several; one unmeasured run of each first, so jieba's prefix-dict cache in
   the temp dir is warm for both).  Target: ratio <= 1.5.
3. Peak memory (ru_maxrss) of a process that reads and classifies the whole
   corpus.  Target: < 300 MB.
4. Model: size on disk of the shipped model folder (target < 20 MB) and the
   time to load it from disk (median of 5 loads, target < 0.5 s).
5. Training time of the shipped configuration on ``corpus/labels/labels.jsonl``
   and on 2x and 4x that data.  The larger sets are the labelled units
   duplicated with light perturbation: each copy shuffles the comma-separated
   clauses of every text with a seeded RNG (same labels, new word bigrams and
   character trigrams at clause joins).  Each size trains in its own process.

Usage::

    python benchmarks/bench_pipeline.py                 # everything
    python benchmarks/bench_pipeline.py --only throughput cold
    python benchmarks/bench_pipeline.py --repeat 5 --cold-runs 9 --json out.json
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPUS = ROOT / "corpus"
SECTIONS = ("throughput", "cold", "memory", "model", "training")
TARGETS = {"throughput_ratio": 0.7, "throughput_ratio_fast": 1.0, "cold_ratio": 1.5,
           "memory_mb": 300, "model_mb": 20, "load_s": 0.5}
DOC_CHARS = 10_000


def corpus_texts():
    """The 5 seed report files and the 676 chunk texts, as str."""
    texts = [p.read_text("utf-8") for p in sorted((CORPUS / "reports").glob("*.txt"))]
    with open(CORPUS / "chunks" / "chunks.jsonl", encoding="utf-8") as f:
        texts += [json.loads(line)["text"] for line in f if line.strip()]
    return texts


def documents(size=DOC_CHARS):
    """The corpus texts joined, in order, into documents of about ``size`` characters."""
    docs, cur, n = [], [], 0
    for t in corpus_texts():
        cur.append(t)
        n += len(t)
        if n >= size:
            docs.append("\n".join(cur))
            cur, n = [], 0
    if cur:
        docs.append("\n".join(cur))
    return docs


def _env():
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _quiet_jieba():
    import logging

    import jieba

    jieba.default_logger.setLevel(logging.WARNING)  # a script: no banner


# ---------------------------------------------------------------- 1. throughput
def clear_caches():
    """Empty every result cache rolnlp keeps between calls (dictionaries stay loaded)."""
    from rolnlp.classification import features
    from rolnlp.text import tokenizer
    from rolnlp.text.backend import clear_cut_caches

    for a in list(features._analyzers.values()):
        a._cached.cache_clear()
    clear = getattr(features, "clear_caches", None)
    if callable(clear):
        clear()
    # the paragraph normalisation LRU (4,096 entries) would otherwise hold every
    # corpus paragraph from the previous repetition
    normalized = getattr(features, "_normalized", None)
    if normalized is not None and hasattr(normalized, "cache_clear"):
        normalized.cache_clear()
    clear_cut_caches()
    tokenizer.default_tokenizer()._cache.clear()
    features._tokenizer()._cache.clear()


def _cutters():
    from rolnlp.text import backend

    return [c for _, c in list(backend._instances.values())]


def _set_compiled(on):
    """Every loaded cutter on the compiled route (``rolnlp[fast]``) or on the Python one."""
    return all([c.use_compiled(on) for c in _cutters()])


def throughput(repeat=3):
    """Pipeline chars/s against jieba's, default install (Python cutter) and, when
    numba is installed, with the ``[fast]`` extra (compiled route); all three
    sides interleaved in one process."""
    import jieba

    import rolnlp
    from rolnlp.classification.api import resolve_model
    from rolnlp.text import compiled

    _quiet_jieba()
    texts = documents()
    n_chars = sum(map(len, texts))
    model = resolve_model(None)

    def pipeline():
        n_par = 0
        for t in texts:
            n_par += len(rolnlp.classify_report(rolnlp.parse_report(t), model=model))
        return n_par

    def bare():
        return sum(len(jieba.lcut(t)) for t in texts)

    # warm-up: dictionaries, model, OpenCC, compiled regexes (and numba's kernel)
    jieba.lcut("预热")
    pipeline()
    sides = {"default": False}
    if compiled.available() and _set_compiled(True):
        sides["fast"] = True
        pipeline()
    _set_compiled(False)
    times = {"jieba": [], **{k: [] for k in sides}}
    cpu = {k: [] for k in times}  # CPU seconds of this process: less swayed by other load
    n_par = n_tok = 0
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        n_tok = bare()
        times["jieba"].append(time.perf_counter() - t)
        cpu["jieba"].append(time.process_time() - c)
        for name, on in sides.items():
            _set_compiled(on)
            clear_caches()
            t, c = time.perf_counter(), time.process_time()
            n_par = pipeline()
            times[name].append(time.perf_counter() - t)
            cpu[name].append(time.process_time() - c)
    _set_compiled(True)  # as a long job would run with numba installed
    best = {k: min(v) for k, v in times.items()}
    med = {k: statistics.median(v) for k, v in times.items()}
    res = {"texts": len(texts), "chars": n_chars, "paragraphs": n_par, "jieba_tokens": n_tok,
           "context_stage": getattr(model, "context_stage", None) is not None,
           "jieba_s_best": best["jieba"], "jieba_s_median": med["jieba"],
           "jieba_chars_per_s": n_chars / best["jieba"]}
    print(f"throughput over {len(texts)} documents of ~{DOC_CHARS:,} chars ({n_chars:,} chars, "
          f"{n_par} units; best of {repeat}, caches emptied each time; context stage "
          f"{'on' if res['context_stage'] else 'absent'}):")
    print(f"  jieba.lcut                       {best['jieba']:6.2f} s  "
          f"{res['jieba_chars_per_s']:>10,.0f} chars/s")
    labels = {"default": "read+classify, default install", "fast": "read+classify, rolnlp[fast]"}
    for name in sides:
        pairs = sorted(j / p for j, p in zip(times["jieba"], times[name]))
        suffix = "" if name == "default" else "_fast"
        res.update({f"pipeline_s_best{suffix}": best[name], f"pipeline_s_median{suffix}": med[name],
                    f"pipeline_chars_per_s{suffix}": n_chars / best[name],
                    f"pair_ratios{suffix}": pairs,
                    f"throughput_ratio{suffix}": best["jieba"] / best[name],
                    f"throughput_ratio_median{suffix}": med["jieba"] / med[name],
                    f"cpu_ratio{suffix}": min(cpu["jieba"]) / min(cpu[name])})
        print(f"  {labels[name]:<32} {best[name]:6.2f} s  {n_chars / best[name]:>10,.0f} chars/s")
        _verdict(f"  {name} / jieba speed", best["jieba"] / best[name], ">=",
                 TARGETS["throughput_ratio" + suffix],
                 f"(median ratio {med['jieba'] / med[name]:.2f}; interleaved pairs "
                 f"{pairs[0]:.2f}–{pairs[-1]:.2f}; CPU-time ratio "
                 f"{min(cpu['jieba']) / min(cpu[name]):.2f})")
    if "fast" not in sides:
        print("  rolnlp[fast] not measured: numba is not installed (pip install rolnlp[fast])")
    return res


# ---------------------------------------------------------------- 4. model size and load
def model_figures(loads=5):
    from rolnlp.classification.api import default_model_path
    from rolnlp.classification.portable import load_model

    path = default_model_path()
    size = sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6
    times = []
    for _ in range(loads):
        t = time.perf_counter()
        m = load_model(path)
        times.append(time.perf_counter() - t)
    res = {"model_mb": size, "load_s": statistics.median(times), "load_s_all": times,
           "model_context_stage": m.context_stage is not None}
    print(f"model {path.name} ({'with' if res['model_context_stage'] else 'without'} "
          "context stage):")
    _verdict("  size on disk (MB)", size, "<", TARGETS["model_mb"])
    _verdict("  load time (s, median of %d)" % loads, res["load_s"], "<", TARGETS["load_s"],
             f"(range {min(times):.2f}–{max(times):.2f})")
    return res


# ---------------------------------------------------------------- 2. cold start
COLD_ROLNLP = "import rolnlp; rolnlp.classify('全面推行行政执法公示制度、执法全过程记录制度和重大执法决定法制审核制度')"
COLD_JIEBA = ("import logging, jieba; jieba.default_logger.setLevel(logging.WARNING); "
              "jieba.lcut('全面推行行政执法公示制度、执法全过程记录制度和重大执法决定法制审核制度')")


def _wall(code):
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, env=_env(), cwd=tempfile.gettempdir(),
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def cold_start(runs=7):
    _wall(COLD_JIEBA)  # warm jieba's prefix-dict cache (and the OS file cache)
    _wall(COLD_ROLNLP)  # and rolnlp's
    j, r = [], []
    for _ in range(runs):  # interleaved, so background load hits both sides alike
        j.append(_wall(COLD_JIEBA))
        r.append(_wall(COLD_ROLNLP))
    res = {"cold_jieba_s": statistics.median(j), "cold_rolnlp_s": statistics.median(r),
           "cold_runs": runs}
    res["cold_ratio"] = res["cold_rolnlp_s"] / res["cold_jieba_s"]
    print(f"cold start, median of {runs} fresh processes:")
    print(f"  import jieba + cut one sentence          {res['cold_jieba_s']:6.2f} s")
    print(f"  import rolnlp + classify one paragraph   {res['cold_rolnlp_s']:6.2f} s")
    _verdict("  rolnlp / jieba time", res["cold_ratio"], "<=", TARGETS["cold_ratio"])
    return res


# ---------------------------------------------------------------- 3. memory
def _memory_child():
    import rolnlp

    n = 0
    for t in corpus_texts():
        report = rolnlp.parse_report(t)
        n += len(rolnlp.classify([p.text for p in report.paragraphs]))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"paragraphs": n, "peak_mb": peak}))


def memory():
    out = subprocess.run([sys.executable, __file__, "--child", "memory"], check=True, env=_env(),
                         capture_output=True, text=True).stdout
    res = json.loads(out.strip().splitlines()[-1])
    print(f"peak memory reading and classifying the corpus ({res['paragraphs']} paragraphs):")
    _verdict("  ru_maxrss MB", res["peak_mb"], "<", TARGETS["memory_mb"])
    return {"memory_mb": res["peak_mb"]}


# ---------------------------------------------------------------- 4. training
def perturbed(df, copies, seed=0):
    """``df`` plus ``copies - 1`` copies whose texts have their clauses shuffled."""
    import pandas as pd

    rng = random.Random(seed)
    parts = [df]
    for k in range(1, copies):
        c = df.copy()
        new = []
        for t in c["text"]:
            clauses = t.split("，")
            rng.shuffle(clauses)
            new.append("，".join(clauses))
        c["text"] = new
        c["group"] = c["group"].astype(str) + f"#{k}"
        parts.append(c)
    return pd.concat(parts, ignore_index=True)


def _training_child(copies):
    from rolnlp.classification.api import default_model_path
    from rolnlp.classification.data import load_labelled

    import rolnlp

    df = perturbed(load_labelled(CORPUS / "labels" / "labels.jsonl"), copies)
    params = {}
    meta = default_model_path() / "model.json"
    if meta.is_file():  # train the shipped configuration
        params = json.loads(meta.read_text("utf-8")).get("metadata", {}).get("params", {})
    params = {k: v for k, v in params.items() if k not in ("random_state",)}
    t = time.perf_counter()
    rolnlp.train((df["text"].tolist(), df["label"].tolist()), progress=False, **params)
    secs = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"units": len(df), "seconds": secs, "peak_mb": peak,
                      "params": {k: v for k, v in params.items() if not isinstance(v, dict)}}))


def training(sizes=(1, 2, 4)):
    rows = []
    for copies in sizes:
        out = subprocess.run([sys.executable, __file__, "--child", "training", str(copies)],
                             check=True, env=_env(), capture_output=True, text=True).stdout
        rows.append(json.loads(out.strip().splitlines()[-1]))
    base = rows[0]["seconds"]
    print("training the shipped configuration (x2, x4: clause-shuffled copies):")
    for copies, r in zip(sizes, rows):
        print(f"  {copies}x  {r['units']:6d} units  {r['seconds']:6.2f} s  "
              f"x{r['seconds'] / base:4.2f} time  {r['peak_mb']:5.0f} MB peak")
    return {"training": [dict(r, copies=c) for c, r in zip(sizes, rows)]}


# ---------------------------------------------------------------- main
def _verdict(label, value, op, target, extra=""):
    ok = value >= target if op == ">=" else value <= target if op == "<=" else value < target
    print(f"{label}: {value:.2f} (target {op} {target}) {'OK' if ok else 'MISSED'} {extra}".rstrip())


def main(argv=None):
    ap = argparse.ArgumentParser(description="rolnlp end-to-end benchmarks against bare jieba")
    ap.add_argument("--only", nargs="+", choices=SECTIONS, default=list(SECTIONS))
    ap.add_argument("--repeat", type=int, default=5, help="throughput repetitions (best taken)")
    ap.add_argument("--cold-runs", type=int, default=7, help="fresh processes per side (median)")
    ap.add_argument("--train-sizes", type=int, nargs="+", default=[1, 2, 4])
    ap.add_argument("--json", help="also write the figures to this JSON file")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        sys.path.insert(0, str(ROOT))
        if args.child[0] == "memory":
            return _memory_child()
        return _training_child(int(args.child[1]))
    sys.path.insert(0, str(ROOT))
    results = {}
    steps = {"throughput": lambda: throughput(args.repeat), "cold": lambda: cold_start(args.cold_runs),
             "memory": memory, "model": model_figures,
             "training": lambda: training(tuple(args.train_sizes))}
    for name in SECTIONS:
        if name in args.only:
            results.update(steps[name]())
            print(flush=True)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(results, f, indent=1)
    return results


if __name__ == "__main__":
    main()
