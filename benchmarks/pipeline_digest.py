"""A digest of everything read + classify produces on the corpus, to prove a speed change exact.

Reads the 47 benchmark documents of ``bench_pipeline.py`` and the 5 seed
reports, classifies every paragraph with the shipped model, and prints one
SHA-256 over the paragraph tables with their labels, evidence and the raw
bytes of every probability, plus one over the tokens of every paragraph.  Run
it on two trees (or with ``ROLNLP_COMPILED=off``) and compare the lines::

    PYTHONPATH=. python benchmarks/pipeline_digest.py
    git stash; PYTHONPATH=. python benchmarks/pipeline_digest.py; git stash pop
"""
import hashlib
import pickle
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_pipeline as bp  # noqa: E402


def main():
    import rolnlp
    from rolnlp.classification.api import resolve_model
    from rolnlp.text import Tokenizer

    model = resolve_model(None)
    tok = Tokenizer()
    texts = bp.documents() + bp.corpus_texts()[:5]
    tables, tokens, n = hashlib.sha256(), hashlib.sha256(), 0
    for t in texts:
        df = rolnlp.classify_report(rolnlp.parse_report(t), model=model)
        n += len(df)
        tables.update(pickle.dumps((df.columns.tolist(), df.astype(str).values.tolist(),
                                    df.select_dtypes("number").to_numpy().tobytes()), protocol=4))
        for p in df["text"]:
            tokens.update("\x00".join(tok.tokenize(str(p))).encode("utf-8") + b"\x01")
    print(f"units {n}")
    print(f"tables {tables.hexdigest()}")
    print(f"tokens {tokens.hexdigest()}")


if __name__ == "__main__":
    main()
