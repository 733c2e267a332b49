"""Saving and loading :class:`~rolnlp.analysis.topics.TopicModel`.

A saved model is a bundle of :mod:`rolnlp.persistence` (the format every
rolnlp model uses): a checksummed manifest (parameters, vocabulary, phrases,
seeds, per-K diagnostics, the distinct values of each per-paragraph metadata
column) and plain numeric arrays (among them one int32 code per paragraph and
metadata column), written atomically.  Models saved in format 3, with the
metadata as JSON lists, still load.  Loading never executes code from the files, checks sizes,
dtypes and shapes before reading any array, and raises
:class:`~rolnlp.errors.ModelError` for anything foreign, truncated, oversized
or modified.
"""
from __future__ import annotations

import numpy as np

from ..errors import ModelError
from ..persistence import Limits, load_bundle, save_bundle
from ._units import META_COLUMNS

KIND = "rolnlp-topic-model"
FORMAT_VERSION = 4  # 4: per-paragraph metadata as codes; 3 (JSON lists) still loads
# a corpus-scale model holds a few int32 codes per paragraph
LIMITS = Limits(max_manifest_bytes=512 * 2 ** 20, max_array_bytes=2048 * 2 ** 20)
_ENGINE_ARRAYS = {"ctfidf": ("idf", "components", "centroids"), "gibbs": ("alpha",),
                  "lda": ("alpha",)}
PARAM_KEYS = ("n_topics", "method", "random_state", "seed_words", "min_topics", "topic_range",
              "coherence", "no_below", "no_above", "keep_n", "phrases", "phrase_min_count",
              "phrase_threshold", "iterations", "n_jobs", "min_tokens", "stop_terms",
              "skip_units", "progress")


def save_topic_model(tm, path):
    """Write a fitted model to directory ``path``; returns ``path`` as str."""
    import os

    import pandas as pd

    eng = tm._engine
    arrays = {"topic_word": tm.topic_word_.astype(np.float64),
              "doc_topic": tm.doc_topic_.astype(np.float32),
              "engine_topic_word": eng.topic_word.astype(np.float64),
              "mapping": np.asarray(tm._mapping, dtype=np.int64)}
    for name in _ENGINE_ARRAYS[eng.method]:
        arrays[f"engine_{name}"] = np.asarray(eng.arrays[name], dtype=np.float64)
    docs = tm.documents_
    meta_cols = [c for c in (*META_COLUMNS, "index", "kind", "section", "topic")
                 if c in docs.columns]
    params = {k: getattr(tm, k) for k in PARAM_KEYS}
    for key in ("stop_terms", "skip_units", "topic_range"):
        if params[key] is not None:
            params[key] = (sorted(params[key]) if key == "stop_terms" else list(params[key]))
    manifest = {
        "version": FORMAT_VERSION, "params": params,
        "method": eng.method, "n_topics": int(tm.n_topics_),
        "vocab": [tm.dictionary_[i] for i in range(len(tm.dictionary_.token2id))],
        "phrases": sorted([a, b] for a, b in tm._phrase_pairs),
        "seed_terms": tm.seed_terms_, "seed_topics": tm.seed_topics_,
        "custom_labels": tm.custom_labels_,
        "diagnostics": (None if tm.diagnostics_ is None
                        else tm.diagnostics_.to_dict(orient="list")),
        "documents": {"rows": len(docs), "columns": {}},
    }
    # per paragraph only an int32 code per column (a corpus-scale model has
    # millions of rows: as JSON lists they took ~50 KB of memory per report)
    for c in meta_cols:
        codes, uniques = pd.factorize(docs[c], use_na_sentinel=True)
        manifest["documents"]["columns"][c] = [_jsonable(v) for v in uniques.tolist()]
        arrays[f"col_{c}"] = codes.astype(np.int32)
    save_bundle(path, kind=KIND, manifest=manifest, arrays=arrays)
    return os.fspath(path)


def _validate(manifest, specs):
    """Refuse arrays larger than the manifest's topics, vocabulary and paragraphs justify."""
    try:
        k = int(manifest["n_topics"])
        v = len(manifest["vocab"])
        docs = manifest["documents"]
        if manifest.get("version") == 3:
            n = len(next(iter(docs.values()))) if docs else 0
        else:
            n = int(docs["rows"])
    except (KeyError, TypeError, ValueError, StopIteration, AttributeError) as e:
        raise ModelError(f"corrupt topic model manifest: {e}") from None
    want = {"topic_word": (k, v), "doc_topic": (n, k)}
    if manifest.get("version") != 3:
        want.update({f"col_{c}": (n,) for c in docs["columns"]})
    for name, shape in want.items():
        if name not in specs or tuple(specs[name][1]) != shape:
            raise ModelError(f"topic model array {name!r} does not match its manifest")
    for name, (_dtype, shape) in specs.items():
        if len(shape) > 2 or any(d > max(k, v, n, 1) * 4 for d in shape):
            raise ModelError(f"topic model array {name!r} has an implausible shape {shape}")


def load_topic_model(cls, path, tokenizer=None):
    """Read a model written by :func:`save_topic_model` (see the module notes)."""
    import os

    import pandas as pd
    from gensim.corpora import Dictionary

    from .topic_engines import Fitted

    where = os.fspath(path)
    try:
        payload, arrays = load_bundle(path, kind=KIND, limits=LIMITS, validate=_validate)
    except ModelError as e:
        msg = str(e)
        raise ModelError(msg if where in msg else f"refusing to load topic model {where}: {msg}") \
            from None
    if not isinstance(payload, dict) or payload.get("version") not in (3, FORMAT_VERSION):
        raise ModelError(f"unsupported topic model version at {where}: refit and save it again")
    try:
        method = payload["method"]
        vocab = payload["vocab"]
        if not isinstance(vocab, list) or not all(isinstance(w, str) for w in vocab):
            raise ValueError("'vocab' is not a list of terms")
        k = int(payload["n_topics"])
        tw, etw = arrays["topic_word"], arrays["engine_topic_word"]
        mapping = arrays["mapping"].astype(int)
        k0 = etw.shape[0]
        if (tw.shape != (k, len(vocab)) or etw.shape[1] != len(vocab)
                or mapping.shape != (k0,)
                or (mapping.size and not 0 <= mapping.min() <= mapping.max() < k)):
            raise ValueError("array shapes do not match the vocabulary")
        params = payload["params"]
        if not isinstance(params, dict):
            raise ValueError("'params' is not an object")
        unknown = set(params) - set(PARAM_KEYS)
        if unknown:
            raise ValueError(f"unknown parameters {sorted(unknown)}")
        params = dict(params)
        for key in ("skip_units", "topic_range"):
            if isinstance(params.get(key), list):
                params[key] = tuple(params[key])
        self = cls(**params, tokenizer=tokenizer)
        self._check_params()
        engine_arrays = {n: arrays[f"engine_{n}"] for n in _ENGINE_ARRAYS[method]}
        self._engine = Fitted(method, etw, np.zeros((0, k0), np.float32), engine_arrays)
        d = Dictionary()
        d.token2id = {w: i for i, w in enumerate(vocab)}
        d.id2token = dict(enumerate(vocab))
        self.dictionary_ = d
        self._phrase_pairs = {(str(a), str(b)) for a, b in payload["phrases"]}
        self.seed_terms_ = {str(n): [str(w) for w in v] for n, v in payload["seed_terms"].items()}
        self.seed_topics_ = {str(n): int(v) for n, v in payload["seed_topics"].items()}
        labels = payload.get("custom_labels")
        self.custom_labels_ = None if labels is None else [str(x) for x in labels]
        if self.custom_labels_ is not None and len(self.custom_labels_) != k:
            raise ValueError("custom labels do not match the topics")
        diag = payload.get("diagnostics")
        self.diagnostics_ = pd.DataFrame(diag) if diag is not None else None
        documents = _documents(payload, arrays)
        doc_topic = arrays["doc_topic"]
        if doc_topic.shape != (len(documents), k):
            raise ValueError("paragraph-topic matrix does not match the paragraphs")
    except (KeyError, ValueError, TypeError, AttributeError) as e:
        raise ModelError(f"corrupt topic model at {where}: {e}") from None
    self.n_topics_ = k
    self.topic_word_ = tw
    self._mapping = mapping
    self._X = None
    self._terms = None
    self.doc_topic_ = doc_topic
    self.documents_ = documents
    self._sizes_from_documents()
    return self


def _documents(payload, arrays):
    """The per-paragraph metadata table of a saved model (format 3 or 4)."""
    import pandas as pd

    docs = payload["documents"]
    if payload["version"] == 3:
        return pd.DataFrame(docs)
    out = {}
    for c, values in docs["columns"].items():
        codes = arrays[f"col_{c}"]
        if codes.size and not -1 <= int(codes.min()) <= int(codes.max()) < len(values):
            raise ValueError(f"codes of column {c!r} out of range")
        out[c] = [values[i] if i >= 0 else None for i in codes.tolist()]
    return pd.DataFrame(out, index=pd.RangeIndex(int(docs["rows"])))


def _jsonable(v):
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return None if v != v else float(v)
    if isinstance(v, float) and v != v:
        return None
    return v
