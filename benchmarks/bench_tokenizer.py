"""Tokenizer speed and load time against bare jieba.

Run: /work/venv/bin/python benchmarks/bench_tokenizer.py [--big-mb 10]

Prints (1) jieba.Tokenizer initialisation with and without the rolnlp lexicon,
(2) tokens/second and characters/second of ``jieba.lcut`` and of
``rolnlp.text.Tokenizer`` on the five seed reports (repeated 20 times), and
(3) the time for a large text, to check the cost stays linear in its length.
"""
from __future__ import annotations

import argparse
import logging
import pathlib
import time

import jieba

ROOT = pathlib.Path(__file__).resolve().parents[1]


def best_of(fn, repeat=3):
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--big-mb", type=float, default=10.0)
    args = ap.parse_args()
    jieba.default_logger.setLevel(logging.WARNING)  # a script: silence jieba's banner

    from rolnlp.text import Tokenizer
    from rolnlp.text.lexicon import load_lexicon

    entries = load_lexicon()

    def stock():
        jb = jieba.Tokenizer()
        jb.initialize()
        return jb

    t_stock, jb = best_of(stock)
    t_add, _ = best_of(lambda: [jb.add_word(t, f, g) for t, f, g in entries])
    t_tok, _ = best_of(lambda: Tokenizer(words=[f"词{time.perf_counter_ns()}"]).warm_up())
    print(f"init: stock jieba.Tokenizer {t_stock:.3f}s; adding {len(entries)} lexicon terms "
          f"{t_add * 1000:.1f} ms; new rolnlp Tokenizer (fresh dictionary) {t_tok:.3f}s")

    texts = [p.read_text("utf-8") for p in sorted((ROOT / "corpus" / "reports").glob("*.txt"))] * 20
    n_chars = sum(map(len, texts))
    jieba.lcut("预热")
    tok = Tokenizer().warm_up()
    raw = Tokenizer(stopwords=False, keep_numbers=True, keep_punct=True).warm_up()
    from rolnlp.text.backend import clear_cut_caches

    def cold(fn):
        # the texts repeat 20 times: empty the cut-block caches before each
        # one, so the figure is what a new text costs, like jieba's
        def run(x):
            clear_cut_caches()
            return fn(x)
        return run

    for name, fn in [("jieba.lcut", jieba.lcut), ("Tokenizer()", cold(tok.tokenize)),
                     ("Tokenizer(keep all)", cold(raw.tokenize))]:
        secs, n = best_of(lambda: sum(len(fn(x)) for x in texts))
        print(f"{name:22s} {n:8d} tokens {secs:6.3f}s {n / secs:10,.0f} tok/s "
              f"{n_chars / secs / 1e6:5.2f} Mchar/s")

    unit = "\n".join(texts[:5])
    for mb in (args.big_mb / 10, args.big_mb):
        big = unit * max(1, int(mb * 1e6 / len(unit.encode("utf-8"))))
        t = time.perf_counter()
        n = len(tok(big))
        secs = time.perf_counter() - t
        print(f"{len(big.encode('utf-8')) / 1e6:5.1f} MB text: {n} tokens in {secs:.2f}s "
              f"({len(big) / secs / 1e6:.2f} Mchar/s)")


if __name__ == "__main__":
    main()
