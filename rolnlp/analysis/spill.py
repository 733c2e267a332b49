"""Stage results kept on disk: the work area of an ``analyze`` output directory.

A corpus-scale run cannot hold every paragraph's text and tokens in memory,
and an interrupted run should not redo the batches it finished.  Each batch
that :func:`~rolnlp.analysis.stream.process_reports` yields is written here
as one ``.npz`` file (no pickles: loading never runs code) named by a hash of
everything its result depends on: the bytes of its input files and their
report ids, the classifier model's files, the tokenizer's lexicon, the
options and the rolnlp version.  Later stages read the batches back one at a
time; a rerun reuses every batch whose hash matches and removes the others.

Example
-------
>>> import pandas as pd
>>> frame_from_bytes(frame_to_bytes(pd.DataFrame({"a": [1, 2]})))["a"].tolist()
[1, 2]
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
from typing import Iterable

import numpy as np

from .._io import atomic_write, file_sha256

logger = logging.getLogger(__name__)

WORK_DIR = ".rolnlp-work"
FORMAT = 3  # bump when the batch file layout or its contents change

#: Paragraph-table columns later stages use (a batch file keeps these, and text).
KEPT = ("report_id", "report_title", "region", "province", "city", "year", "level", "kind",
        "section", "heading", "index", "start", "end", "label", "labels", "confidence", "text")
#: The columns the corpus-level stages hold in memory for every paragraph (with
#: ``chars``, its length); the rest stays in the batch files.
META_COLUMNS = ("report_id", "report_title", "region", "province", "city", "year", "level",
                "label")


def compact(table):
    """``table`` with only the :data:`KEPT` columns, in its own order; ``labels``
    (a list per row) joined with ``;``."""
    table = table[[c for c in table.columns if c in KEPT]]
    if "labels" in table.columns:
        table = table.assign(labels=[";".join(x) if isinstance(x, (list, tuple)) else x
                                     for x in table["labels"]])
    return table


def meta_frame(table):
    """The :data:`META_COLUMNS` of a compact ``table`` and each paragraph's length
    (``chars``)."""
    meta = table[[c for c in table.columns if c in META_COLUMNS]].copy()
    meta["chars"] = (table["text"].fillna("").astype(str).str.len().to_numpy()
                     if "text" in table.columns else 0)
    return meta


def _encode_meta(meta) -> dict:
    """``meta`` as arrays: numeric columns as they are, the others as int32 codes
    into their distinct values (kept in the ``meta`` JSON member).  Reading a
    batch's meta back then makes no Python object per paragraph."""
    import pandas as pd

    spec, arrays = {"rows": len(meta), "columns": []}, {}
    for i, c in enumerate(meta.columns):
        col = meta[c]
        key = f"meta_{i}"
        if pd.api.types.is_numeric_dtype(col.dtype) and not isinstance(col.dtype,
                                                                       pd.CategoricalDtype):
            arrays[key] = col.to_numpy()
            spec["columns"].append({"name": str(c), "kind": "array"})
        else:
            codes, uniques = pd.factorize(col, use_na_sentinel=True)
            arrays[key] = codes.astype(np.int32)
            spec["columns"].append({"name": str(c), "kind": "coded",
                                    "values": [_json_value(v) for v in uniques]})
    arrays["meta"] = _blob(spec)
    return arrays


class MetaTable:
    """The meta columns of many batches joined into one DataFrame, for every
    paragraph of a corpus: coded columns become object arrays whose cells all
    point at one string per distinct value, numeric columns stay numeric.

    Example
    -------
    >>> import pandas as pd
    >>> t = MetaTable()
    >>> for df in (pd.DataFrame({"region": ["甲", "乙"], "chars": [3, 4]}),
    ...            pd.DataFrame({"region": ["甲"], "chars": [5]})):
    ...     t.add(*_decode_parts(_encode_meta(df)))
    >>> t.frame()["region"].tolist(), t.frame()["chars"].tolist()
    (['甲', '乙', '甲'], [3, 4, 5])
    """

    def __init__(self):
        self._names = None
        self._parts: dict = {}   # column -> list of ("array", values) or ("coded", codes)
        self._values: dict = {}  # column -> {value: global code}, for coded columns
        self.rows = 0

    def add(self, spec, arrays) -> None:
        """Add one batch (:meth:`SpilledBatch.meta_parts`)."""
        if not spec["rows"]:
            return
        names = [c["name"] for c in spec["columns"]]
        if self._names is None:
            self._names = names
        elif names != self._names:
            raise ValueError(f"batch columns {names} differ from {self._names}")
        for i, col in enumerate(spec["columns"]):
            name, a = col["name"], arrays[f"meta_{i}"]
            if col["kind"] == "coded":
                index = self._values.setdefault(name, {})
                remap = np.array([index.setdefault(v, len(index)) for v in col["values"]] + [-1],
                                 dtype=np.int32)
                a = remap[a]  # code -1 (missing) takes the last entry
            self._parts.setdefault(name, []).append((col["kind"], a))
        self.rows += spec["rows"]

    def frame(self):
        """The joined DataFrame (``None`` before any row was added)."""
        import pandas as pd

        if self._names is None:
            return None
        out = {}
        for name in self._names:
            parts = self._parts[name]
            if all(kind == "array" for kind, _ in parts):
                # numeric types joined as pandas joins them (int with float: float)
                out[name] = pd.concat([pd.Series(a) for _, a in parts], ignore_index=True)
                continue
            values = np.empty(len(self._values.get(name, {})) + 1, dtype=object)
            values[:-1] = list(self._values.get(name, {}))
            values[-1] = None
            out[name] = pd.Series(np.concatenate(
                [values[a] if kind == "coded" else a.astype(object) for kind, a in parts]),
                dtype=object)
        return pd.DataFrame(out, index=pd.RangeIndex(self.rows))


def _decode_parts(arrays):
    spec = _unblob(arrays["meta"])
    return spec, {k: v for k, v in arrays.items() if k.startswith("meta_")}


def _json_value(v):
    if isinstance(v, (list, tuple)):
        return list(v)
    if isinstance(v, np.generic):
        v = v.item()
    if v is None or (isinstance(v, float) and v != v):
        return v
    try:
        import pandas as pd

        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    return v


def frame_to_bytes(df) -> bytes:
    """A DataFrame as UTF-8 JSON: per column its name, dtype and values."""
    cols = [{"name": str(c), "dtype": str(df[c].dtype),
             "values": [_json_value(v) for v in df[c].tolist()]} for c in df.columns]
    return json.dumps({"columns": cols, "rows": len(df)}, ensure_ascii=False).encode("utf-8")


def frame_from_bytes(data: bytes):
    """The DataFrame :func:`frame_to_bytes` wrote, with its column dtypes."""
    import pandas as pd

    spec = json.loads(bytes(data).decode("utf-8"))
    out = {}
    for col in spec["columns"]:
        values, dtype = col["values"], col["dtype"]
        seen: dict = {}  # repeated strings (ids, places) share one object
        values = [seen.setdefault(v, v) if isinstance(v, str) else v for v in values]
        try:
            out[col["name"]] = pd.Series(values, dtype=dtype if dtype != "object" else object)
        except (TypeError, ValueError):
            out[col["name"]] = pd.Series(values, dtype=object)
    return pd.DataFrame(out, index=pd.RangeIndex(spec["rows"]))


def _blob(obj) -> np.ndarray:
    return np.frombuffer(json.dumps(obj, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)


def _unblob(arr):
    return json.loads(arr.tobytes().decode("utf-8"))


def save_batch(path: str, batch) -> None:
    """Write a :class:`~rolnlp.analysis.stream.Batch` to ``path`` atomically: its
    :func:`compact` table, the table's :func:`meta_frame` apart (what the main
    process reads of every batch), tokens, texts, errors, audit rows."""
    table = compact(batch.table) if len(batch.table.columns) else batch.table
    vocab: dict = {}
    ids, offsets = [], [0]
    for toks in batch.tokens:
        ids.extend(vocab.setdefault(t, len(vocab)) for t in toks)
        offsets.append(len(ids))
    arrays = {
        "table": np.frombuffer(frame_to_bytes(table), dtype=np.uint8),
        **_encode_meta(meta_frame(table)),
        "report_ids": _blob(list(batch.texts)),
        "columns": _blob([str(c) for c in table.columns]),
        "texts": _blob(batch.texts),
        "errors": _blob([[str(p), str(m)] for p, m in batch.errors]),
        "tok_vocab": _blob(list(vocab)),
        "tok_ids": np.asarray(ids, dtype=np.int32),
        "tok_offsets": np.asarray(offsets, dtype=np.int64),
    }
    for name in ("audit", "mentions"):
        frame = getattr(batch, name)
        if frame is not None:
            arrays[name] = np.frombuffer(frame_to_bytes(frame), dtype=np.uint8)
    with atomic_write(path, "wb") as f:
        np.savez(f, **arrays)


class SpilledBatch:
    """One batch file, read part by part (``table``, ``tokens``, ``texts``...)."""

    def __init__(self, path: str):
        self.path = path

    def _load(self):
        return np.load(self.path, allow_pickle=False)

    def table(self):
        with self._load() as z:
            return frame_from_bytes(z["table"])

    def meta_parts(self):
        """``(spec, arrays)`` of the batch's meta columns, for :meth:`MetaTable.add`."""
        with self._load() as z:
            return _decode_parts({k: z[k] for k in z.files
                                  if k == "meta" or k.startswith("meta_")})

    def meta(self):
        """The batch's :func:`meta_frame` (coded columns as object columns)."""
        t = MetaTable()
        t.add(*self.meta_parts())
        return t.frame() if t.rows else meta_frame(self.table())

    def columns(self) -> list:
        """The columns of :meth:`table`, in order."""
        with self._load() as z:
            return _unblob(z["columns"])

    def report_ids(self) -> list:
        """Ids of the batch's readable reports, in input order."""
        with self._load() as z:
            return _unblob(z["report_ids"])

    def tokens(self) -> list:
        with self._load() as z:
            vocab = _unblob(z["tok_vocab"])
            ids, off = z["tok_ids"], z["tok_offsets"]
            return [[vocab[j] for j in ids[off[i]:off[i + 1]].tolist()]
                    for i in range(len(off) - 1)]

    def texts(self) -> dict:
        with self._load() as z:
            return _unblob(z["texts"])

    def errors(self) -> list:
        with self._load() as z:
            return [tuple(e) for e in _unblob(z["errors"])]

    def frame(self, name):
        with self._load() as z:
            return frame_from_bytes(z[name]) if name in z.files else None

    def load(self):
        """The whole :class:`~rolnlp.analysis.stream.Batch`."""
        from .stream import Batch

        return Batch(self.table(), self.tokens(), self.texts(), self.errors(),
                     self.frame("audit"), self.frame("mentions"))


def item_digest(item) -> str:
    """What a report's batch result depends on: its file's bytes, or a report's content."""
    if isinstance(item, (str, os.PathLike)):
        return file_sha256(os.fspath(item))
    h = hashlib.sha256()
    h.update(repr(getattr(item, "metadata", None)).encode("utf-8", "replace"))
    h.update(str(getattr(item, "text", "")).encode("utf-8", "replace"))
    h.update(repr([(u.kind, u.start, u.end) for u in item.units("all")]).encode("utf-8"))
    return h.hexdigest()


def model_fingerprint(model) -> str | None:
    """Hash of a model directory's files (``None``: a model object, not fingerprinted)."""
    if model is None:
        from ..classification.api import default_model_path

        model = default_model_path()
    if not isinstance(model, (str, os.PathLike)):
        return None
    path = os.fspath(model)
    h = hashlib.sha256()
    if os.path.isdir(path):
        for root, dirs, files in os.walk(path):
            dirs.sort()
            for name in sorted(files):
                full = os.path.join(root, name)
                h.update(os.path.relpath(full, path).encode("utf-8"))
                h.update(file_sha256(full).encode("ascii"))
    elif os.path.isfile(path):
        h.update(file_sha256(path).encode("ascii"))
    else:
        return None
    return h.hexdigest()


def batch_key(base: str, items: Iterable, ids: Iterable[str]) -> str:
    """Hash naming one batch's file: ``base`` (options, model, version) and each input."""
    h = hashlib.sha256(base.encode("utf-8"))
    for item, rid in zip(items, ids):
        h.update(b"\0" + str(rid).encode("utf-8") + b"\0" + item_digest(item).encode("ascii"))
    return h.hexdigest()[:32]


def remove_stale(directory: str, keep: Iterable[str]) -> int:
    """Delete batch files in ``directory`` not named in ``keep``; returns how many."""
    keep = set(keep)
    removed = 0
    try:
        names = os.listdir(directory)
    except FileNotFoundError:
        return 0
    for name in names:
        if name.endswith(".npz") and name not in keep or name.startswith(".tmp-"):
            try:
                os.unlink(os.path.join(directory, name))
                removed += 1
            except OSError:
                pass
    return removed
