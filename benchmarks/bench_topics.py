"""Compare topic trainers on the same terms and time the default TopicModel.

Data: the labelled paragraphs (corpus/labels/labels.jsonl) plus the lines of
corpus/chunks/chunks.jsonl of 20 characters or more that are not labelled,
all in simplified script.  Labelled units whose section is preamble or other
are left out, as TopicModel does by default.  Every trainer gets the same
term-count matrix (TopicModel's preprocessing: generic terms, pinyin residue
and single characters dropped, phrases joined inside runs of adjacent terms).

For each trainer and 3 seeds at K = 11 (the codebook areas) it prints:
c_npmi and c_v (gensim CoherenceModel, top 10 terms), topic diversity (unique
share of all top-10 terms), stability (mean Hungarian-matched Jaccard of top-10
term sets over the 3 seed pairs), NMI / ARI of the top topic with the primary
category of the labelled paragraphs (category ``other`` left out), fit time
and peak memory of one fit (tracemalloc).  Then it times
TopicModel.fit (tokenizing included) on 5,000 paragraphs, with K given and
with automatic K.

Run:  python benchmarks/bench_topics.py
"""
from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def load_paragraphs():
    """(texts, primary labels or None) — labelled first, then chunk lines."""
    from rolnlp.analysis.topic_prep import to_simplified
    from rolnlp.analysis.topics import SKIP_UNITS

    labelled = [json.loads(x) for x in open(ROOT / "corpus/labels/labels.jsonl", encoding="utf-8")]
    texts, labels, seen = [], [], set()
    for u in labelled:
        t = to_simplified(u["text"])
        seen.add(t)
        if u.get("section") in SKIP_UNITS:
            continue
        texts.append(t)
        labels.append(u["primary"])
    for line in open(ROOT / "corpus/chunks/chunks.jsonl", encoding="utf-8"):
        for s in json.loads(line)["text"].split("\n"):
            s = to_simplified(s.strip())
            if len(s) >= 20 and s not in seen:
                seen.add(s)
                texts.append(s)
                labels.append(None)
    return texts, labels


def prepare(texts):
    """Term lists, gensim Dictionary and count matrix, as TopicModel builds them."""
    from rolnlp.analysis.topics import TopicModel

    tm = TopicModel(progress=False)
    terms = tm._terms_for_fit(texts)
    dictionary = tm._build_dictionary(terms)
    from rolnlp.analysis.topic_engines import counts_matrix

    ids = [[dictionary.token2id[w] for w in t if w in dictionary.token2id] for t in terms]
    X = counts_matrix(ids, len(dictionary))
    return terms, dictionary, X


def markdown(df):
    """A DataFrame as a Markdown table (no extra dependency)."""
    cols = [str(c) for c in df.columns]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for row in df.itertuples(index=False):
        lines.append("| " + " | ".join(f"{v:.3f}" if isinstance(v, float) else str(v)
                                       for v in row) + " |")
    return "\n".join(lines)


def peak_mib(fit_fn, *args):
    """Peak memory allocated during one fit, in MiB (tracemalloc: Python and
    numpy allocations; memory allocated inside tomotopy's C++ is not seen)."""
    import tracemalloc

    tracemalloc.start()
    try:
        fit_fn(*args)
        return tracemalloc.get_traced_memory()[1] / 2 ** 20
    finally:
        tracemalloc.stop()


def top_terms(fitted, dictionary, n=10):
    return [[dictionary[int(i)] for i in np.argsort(-row, kind="stable")[:n]]
            for row in fitted.topic_word]


def coherence(topics, terms, dictionary, measure):
    from gensim.models import CoherenceModel

    cm = CoherenceModel(topics=topics, texts=terms, dictionary=dictionary, coherence=measure,
                        topn=10, processes=1)
    return float(cm.get_coherence())


def stability(topic_sets):
    from rolnlp.analysis.topics import matched_jaccard

    return float(np.mean([matched_jaccard(a, b) for a, b in itertools.combinations(topic_sets, 2)]))


def run_method(name, fit_fn, X, k, seeds, terms, dictionary, gold, mask):
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    rows = []
    tops = []
    for seed in seeds:
        t0 = time.perf_counter()
        f = fit_fn(X, k, seed)
        dt = time.perf_counter() - t0
        top = top_terms(f, dictionary)
        tops.append([set(t) for t in top])
        pred = f.doc_topic.argmax(axis=1)[mask]
        rows.append({"c_npmi": coherence(top, terms, dictionary, "c_npmi"),
                     "c_v": coherence(top, terms, dictionary, "c_v"),
                     "diversity": len({w for t in top for w in t}) / (10 * len(top)),
                     "nmi": normalized_mutual_info_score(gold, pred),
                     "ari": adjusted_rand_score(gold, pred), "time_s": dt})
    out = {k_: float(np.mean([r[k_] for r in rows])) for k_ in rows[0]}
    out["peak_mib"] = peak_mib(fit_fn, X, k, seeds[0])  # a separate run: tracing slows it
    out["stability"] = stability(tops)
    out["method"] = name
    return out


def seeded_ctfidf(terms, dictionary):
    """c-TF-IDF with KMeans started from the codebook cue centroids."""
    from rolnlp.analysis.topic_engines import fit_ctfidf, svd_space
    from rolnlp.analysis.topics import codebook_seeds, seed_centroids

    seeds = codebook_seeds()

    def fit_fn(X, k, seed):
        space = svd_space(X, seed)
        init = seed_centroids(space[0], terms, seeds, k, seed)
        return fit_ctfidf(X, k, seed, space=space, init=init)
    return fit_fn


def gibbs_thread_check(terms, k, iterations=200):
    """Fit tomotopy twice per parallel scheme with one seed; are the topics identical?"""
    import tomotopy as tp

    def run(workers, scheme):
        m = tp.LDAModel(k=k, alpha=0.1, eta=0.01, seed=0)
        for t in terms:
            if t:
                m.add_doc(t)
        m.train(iterations, workers=workers, parallel=scheme)
        return np.array([m.get_topic_word_dist(t) for t in range(k)])

    for workers, scheme in [(1, tp.ParallelScheme.NONE), (2, tp.ParallelScheme.COPY_MERGE),
                            (2, tp.ParallelScheme.PARTITION)]:
        a, b = run(workers, scheme), run(workers, scheme)
        print(f"tomotopy workers={workers} {scheme.name}: identical on two runs: "
              f"{np.array_equal(a, b)} (largest difference {np.abs(a - b).max():.3f})")


def main(argv=None):
    import pandas as pd

    from rolnlp.analysis import topic_engines as E
    from rolnlp.analysis.topics import TopicModel

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--k", type=int, default=11)
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--methods", nargs="+",
                    default=["default", "ctfidf", "gibbs", "lda", "ctfidf+seeds"])
    ap.add_argument("--skip-timing", action="store_true")
    ap.add_argument("--skip-table", action="store_true", help="only time TopicModel.fit")
    ap.add_argument("--svd-components", type=int, nargs="*", default=[],
                    help="extra ctfidf rows with this many SVD components (default 100)")
    ap.add_argument("--check-gibbs-threads", action="store_true",
                    help="check whether tomotopy's parallel schemes repeat their topics")
    args = ap.parse_args(argv)

    texts, labels = load_paragraphs()
    t0 = time.perf_counter()
    terms, dictionary, X = prepare(texts)
    print(f"{len(texts)} paragraphs ({sum(lbl is not None for lbl in labels)} labelled), "
          f"{len(dictionary)} terms, prepared in {time.perf_counter() - t0:.1f} s")
    used = np.asarray(X.sum(axis=1)).ravel() >= 2
    mask = np.array([lbl is not None and lbl != "other" for lbl in labels]) & used
    gold = [lbl for lbl, m in zip(labels, mask) if m]
    Xu = X[used]
    mask_u = mask[used]
    terms_u = [t for t, u in zip(terms, used) if u]
    class Default:  # TopicModel as shipped: its own K, tokenizing included in the time
        def __init__(self, X, k, seed):
            tm = TopicModel(random_state=seed, progress=False).fit(texts)
            self.topic_word, self.doc_topic = tm.topic_word_, tm.doc_topic_[used]
            self.k = tm.n_topics_
            print(f"  default: K={tm.n_topics_}", flush=True)

    fits = {"default": Default, "ctfidf": E.fit_ctfidf, "gibbs": E.fit_gibbs, "lda": E.fit_lda,
            "ctfidf+seeds": seeded_ctfidf(terms_u, dictionary)}
    for n in args.svd_components:
        fits[f"ctfidf-svd{n}"] = (lambda n_: lambda X_, k, seed: E.fit_ctfidf(
            X_, k, seed, space=E.svd_space(X_, seed, n_components=n_)))(n)
    rows = []
    methods = [] if args.skip_table else [*args.methods, *(f"ctfidf-svd{n}" for n in
                                                          args.svd_components)]
    for name in methods:
        rows.append(run_method(name, fits[name], Xu, args.k, args.seeds, terms_u, dictionary,
                               gold, mask_u))
        print(f"  {name}: done", flush=True)
    if rows:
        table = pd.DataFrame(rows).set_index("method")[
            ["c_npmi", "c_v", "diversity", "stability", "nmi", "ari", "time_s", "peak_mib"]]
        print(f"\nK={args.k} (default: its own K), seeds {args.seeds}, {int(used.sum())} "
              f"paragraphs fitted, NMI/ARI on {len(gold)} labelled")
        print(markdown(table.reset_index()))

    if args.check_gibbs_threads:
        gibbs_thread_check(terms, args.k)

    if not args.skip_timing:
        import rolnlp

        big = (texts * (5000 // len(texts) + 1))[:5000]
        for k in (args.k, "auto"):
            rolnlp.clear_caches()  # tokenizing starts cold, dictionary load included
            t0 = time.perf_counter()
            tm = TopicModel(n_topics=k, random_state=0, progress=False).fit(big)
            dt = time.perf_counter() - t0
            print(f"TopicModel(n_topics={k!r}).fit on 5,000 paragraphs: {dt:.1f} s "
                  f"(K={tm.n_topics_})")
            if tm.diagnostics_ is not None:
                print(markdown(tm.diagnostics_))


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
