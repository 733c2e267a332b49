"""How the paragraph classifier handles single sentences, and whether training
on sentences helps.

``classify()`` is trained on whole paragraphs; users also paste single
sentences.  This script splits every multi-sentence labelled paragraph that is
not ``other`` into its sentences (12+ characters, each keeping its
paragraph's primary code) and, with the same report-grouped folds as
``build.py``, measures

* paragraph macro-F1 and accuracy (the shipped model's figures), and
* sentence accuracy and the share of sentences predicted ``other``,

once for the shipped configuration and once with the training folds' sentences
added as extra training rows (never sentences of a test-fold report).

Usage::

    python models/short_inputs.py [--seed 0]
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sklearn.metrics import accuracy_score, f1_score  # noqa: E402

from rolnlp.classification.data import load_labelled  # noqa: E402
from rolnlp.classification.estimator import ParagraphClassifier  # noqa: E402
from rolnlp.classification.evaluation import grouped_folds  # noqa: E402
from rolnlp.classification.portable import load_model  # noqa: E402

_SENTENCE_END = re.compile(r"(?<=[。；！？])")


def sentences(text, min_chars=12):
    return [s for s in _SENTENCE_END.split(text) if len(s.strip()) >= min_chars]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--labels", default=str(ROOT / "corpus/labels/labels.jsonl"))
    ap.add_argument("--model", default=str(ROOT / "rolnlp/models/rol-paragraph-v1"))
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)

    df = load_labelled(args.labels)
    texts, y = df["text"].tolist(), df["label"].to_numpy().astype(str)
    groups = df["group"].to_numpy()
    s_text, s_y, s_group = [], [], []
    for t, lab, g in zip(texts, y, groups):
        parts = sentences(t)
        if lab != "other" and len(parts) >= 2:
            s_text += parts
            s_y += [lab] * len(parts)
            s_group += [g] * len(parts)
    s_y, s_group = np.array(s_y), np.array(s_group, dtype=object)
    params = load_model(args.model).metadata["params"]
    params = {k: v for k, v in params.items() if k in ParagraphClassifier().get_params()}
    print(f"{len(texts)} paragraphs, {len(s_text)} sentences from "
          f"{len(set(s_group))} reports; model parameters of {Path(args.model).name}")

    folds = grouped_folds(y, groups, 5, args.seed)
    for name, augment in (("paragraphs only", False), ("+ training sentences", True)):
        para_pred = np.empty(len(y), dtype=object)
        sent_pred = np.empty(len(s_y), dtype=object)
        for tr, te in folds:
            test_groups = set(groups[te])
            tr_text, tr_y = [texts[i] for i in tr], list(y[tr])
            if augment:
                keep = [i for i, g in enumerate(s_group) if g not in test_groups]
                tr_text += [s_text[i] for i in keep]
                tr_y += list(s_y[keep])
            clf = ParagraphClassifier(**{**params, "random_state": args.seed}).fit(tr_text, tr_y)
            para_pred[te] = clf.predict([texts[i] for i in te])
            idx = [i for i, g in enumerate(s_group) if g in test_groups]
            if idx:
                sent_pred[idx] = clf.predict([s_text[i] for i in idx])
        print(f"{name:22} paragraphs: macro-F1 {f1_score(y, para_pred.astype(str), average='macro'):.3f}"
              f" accuracy {accuracy_score(y, para_pred.astype(str)):.3f} | sentences: accuracy "
              f"{accuracy_score(s_y, sent_pred.astype(str)):.3f}, predicted other "
              f"{np.mean(sent_pred == 'other'):.3f}")


if __name__ == "__main__":
    main()
