"""Saving and loading :class:`~rolnlp.analysis.topics.TopicModel` (JSON + npz).

A saved model is a directory with ``topic_model.json`` (parameters,
vocabulary, phrases, seeds, per-K diagnostics, per-paragraph metadata and the
SHA-256 of the arrays, itself checksummed) and ``topic_model.npz`` (plain
numeric arrays, loaded with ``allow_pickle=False``).  Loading never executes
code from the files, refuses files larger than the limits below, and raises
:class:`~rolnlp.errors.ModelError` for anything foreign, truncated or modified.

The two files are replaced one after the other; until the new JSON is in
place the old arrays stay under their checksum, where loading looks when
``topic_model.npz`` does not match, so an interrupted save leaves the old
model loadable.
"""
from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import shutil
import zipfile

import numpy as np

from ..errors import ModelError
from ._units import META_COLUMNS

FORMAT = "rolnlp-topic-model"
FORMAT_VERSION = 2
JSON_NAME = "topic_model.json"
NPZ_NAME = "topic_model.npz"
MAX_JSON_BYTES = 256 * 2 ** 20
MAX_NPZ_BYTES = 1024 * 2 ** 20  # compressed, and again for the unpacked arrays
_BACKUP = re.compile(r"^topic_model-[0-9a-f]{16}\.npz$")
_ENGINE_ARRAYS = {"ctfidf": ("idf", "components", "centroids"), "gibbs": ("alpha",),
                  "lda": ("alpha",)}
PARAM_KEYS = ("n_topics", "method", "random_state", "seed_words", "min_topics", "topic_range",
              "coherence", "no_below", "no_above", "keep_n", "phrases", "phrase_min_count",
              "phrase_threshold", "iterations", "n_jobs", "min_tokens", "stop_terms",
              "skip_units", "progress")


def save_topic_model(tm, path):
    """Write a fitted model to directory ``path``; returns ``path`` as str."""
    from .. import _io

    os.makedirs(path, exist_ok=True)
    eng = tm._engine
    arrays = {"topic_word": tm.topic_word_.astype(np.float64),
              "doc_topic": tm.doc_topic_.astype(np.float32),
              "engine_topic_word": eng.topic_word.astype(np.float64),
              "mapping": np.asarray(tm._mapping, dtype=np.int64)}
    for name in _ENGINE_ARRAYS[eng.method]:
        arrays[f"engine_{name}"] = np.asarray(eng.arrays[name], dtype=np.float64)
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    blob = buf.getvalue()
    docs = tm.documents_
    meta_cols = [c for c in (*META_COLUMNS, "index", "kind", "section", "topic")
                 if c in docs.columns]
    params = {k: getattr(tm, k) for k in PARAM_KEYS}
    for key in ("stop_terms", "skip_units", "topic_range"):
        if params[key] is not None:
            params[key] = (sorted(params[key]) if key == "stop_terms" else list(params[key]))
    payload = {
        "format": FORMAT, "version": FORMAT_VERSION, "params": params,
        "method": eng.method, "n_topics": int(tm.n_topics_),
        "vocab": [tm.dictionary_[i] for i in range(len(tm.dictionary_.token2id))],
        "phrases": sorted([a, b] for a, b in tm._phrase_pairs),
        "seed_terms": tm.seed_terms_, "seed_topics": tm.seed_topics_,
        "custom_labels": tm.custom_labels_,
        "diagnostics": (None if tm.diagnostics_ is None
                        else tm.diagnostics_.to_dict(orient="list")),
        "documents": {c: [_jsonable(v) for v in docs[c].tolist()] for c in meta_cols},
        "npz_sha256": hashlib.sha256(blob).hexdigest(),
    }
    payload["checksum"] = checksum(payload)
    npath = os.path.join(path, NPZ_NAME)
    old = _saved_npz_sha(os.path.join(path, JSON_NAME))
    if old and old != payload["npz_sha256"] and os.path.isfile(npath):
        backup = os.path.join(path, _backup_name(old))
        if not os.path.exists(backup):
            try:
                os.link(npath, backup)
            except OSError:  # no hard links on this file system
                shutil.copyfile(npath, backup)
    with _io.atomic_write(npath, "wb") as f:
        f.write(blob)
    with _io.atomic_write(os.path.join(path, JSON_NAME)) as f:
        json.dump(payload, f, ensure_ascii=False)
    for name in os.listdir(path):
        if _BACKUP.match(name):
            with contextlib.suppress(OSError):
                os.unlink(os.path.join(path, name))
    return os.fspath(path)


def load_topic_model(cls, path, tokenizer=None):
    """Read a model written by :func:`save_topic_model` (see the module notes)."""
    import pandas as pd
    from gensim.corpora import Dictionary

    from .topic_engines import Fitted

    where = os.fspath(path)
    jpath, npath = os.path.join(path, JSON_NAME), os.path.join(path, NPZ_NAME)
    _exists(jpath, where)
    try:
        payload = json.loads(_read(jpath, MAX_JSON_BYTES, where).decode("utf-8"))
    except ValueError as e:  # not JSON, or not UTF-8
        raise ModelError(f"cannot read topic model at {where}: {e}") from None
    blob = _read(npath, MAX_NPZ_BYTES, where)
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise ModelError(f"{jpath} is not a rolnlp topic model ({where})")
    if payload.get("version") != FORMAT_VERSION:
        raise ModelError(f"unsupported topic model version {payload.get('version')!r} at {where}")
    if payload.get("checksum") != checksum(payload):
        raise ModelError(f"{jpath} was modified after saving (checksum mismatch)")
    want = payload.get("npz_sha256")
    if want != hashlib.sha256(blob).hexdigest():
        blob = _backup_blob(path, want)  # a save interrupted before its JSON
        if blob is None:
            raise ModelError(f"{npath} was modified after saving (checksum mismatch)")
    arrays = _load_npz(blob, npath, where)
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
        documents = pd.DataFrame(payload["documents"])
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


def checksum(payload):
    """SHA-256 of the JSON payload without its own ``checksum`` field."""
    body = {k: v for k, v in payload.items() if k != "checksum"}
    text = json.dumps(body, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _exists(p, where):
    if not os.path.isfile(p):
        raise ModelError(f"cannot read topic model at {where}: {os.path.basename(p)} is missing")


def _read(p, limit, where):
    try:
        size = os.path.getsize(p)
        if size > limit:
            raise ModelError(f"{p} is {size} bytes, more than a topic model may be ({where})")
        with open(p, "rb") as f:
            return f.read(limit + 1)
    except OSError as e:
        raise ModelError(f"cannot read topic model at {where}: {e}") from None


def _load_npz(blob, npath, where):
    if not blob.startswith(b"PK"):
        raise ModelError(f"{npath} is not a numpy .npz archive; rolnlp never loads pickles "
                         f"({where})")
    try:
        with zipfile.ZipFile(io.BytesIO(blob)) as zf:
            if sum(i.file_size for i in zf.infolist()) > MAX_NPZ_BYTES:
                raise ModelError(f"{npath} unpacks to more than a topic model may hold ({where})")
        out = {}
        with np.load(io.BytesIO(blob), allow_pickle=False) as z:
            for name in z.files:
                out[name] = z[name]
    except ModelError:
        raise
    except Exception as e:  # any parse failure of a foreign or truncated archive
        raise ModelError(f"{npath} is not a plain numpy archive ({type(e).__name__}) at "
                         f"{where}") from None
    for name, a in out.items():
        if a.dtype.kind not in "fiu":
            raise ModelError(f"{npath}: array {name!r} is not numeric ({where})")
    return out


def _backup_name(sha):
    return f"topic_model-{sha[:16]}.npz"


def _saved_npz_sha(jpath):
    """The arrays checksum recorded in an existing JSON, or None."""
    try:
        with open(jpath, encoding="utf-8") as f:
            sha = json.load(f).get("npz_sha256")
    except (OSError, ValueError, AttributeError):
        return None
    return sha if isinstance(sha, str) and re.fullmatch(r"[0-9a-f]{64}", sha) else None


def _backup_blob(path, sha):
    """The old arrays kept by an interrupted save, if they match ``sha``."""
    if not (isinstance(sha, str) and re.fullmatch(r"[0-9a-f]{64}", sha)):
        return None
    try:
        with open(os.path.join(path, _backup_name(sha)), "rb") as f:
            blob = f.read(MAX_NPZ_BYTES + 1)
    except OSError:
        return None
    return blob if hashlib.sha256(blob).hexdigest() == sha else None


def _jsonable(v):
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return None if v != v else float(v)
    if isinstance(v, float) and v != v:
        return None
    return v
