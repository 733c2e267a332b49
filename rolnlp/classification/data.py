"""Loading labelled paragraphs for training and evaluation.

Accepted inputs: a path (or list of paths) to JSONL/JSON/CSV/TSV with a
``text`` column and a ``primary`` or ``label`` column; a pandas DataFrame with
those columns; or a ``(texts, labels)`` pair.  Optional columns: ``secondary``
(list of codes), ``group``, ``url`` and ``source`` (used, in that order, to group
units by report).
"""
from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from ..codebook import CATEGORY_CODES
from ..errors import LabelError

log = logging.getLogger(__name__)

LABEL_COLUMNS = ("primary", "label")


def _read_text(path: Path) -> str:
    """The file's text: UTF-8 (with or without BOM), else GB18030/GBK with a warning."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        raise LabelError(f"{path}: not UTF-8 or GBK text; save the labels file as UTF-8 "
                         "(in Excel: Save As → CSV UTF-8)") from None
    log.warning("%s is not UTF-8; read it as GBK/GB18030 (save it as UTF-8 to be sure)", path)
    return text


def _read_file(path):
    import io

    import pandas as pd

    path = Path(path)
    if not path.is_file():
        raise LabelError(f"no such labels file: {path}")
    suffix = path.suffix.lower()
    if suffix not in (".jsonl", ".ndjson", ".json", ".csv", ".tsv"):
        raise LabelError(f"{path}: unsupported labels format {suffix!r} "
                         "(use .jsonl, .json, .csv or .tsv)")
    text = _read_text(path)
    if suffix in (".jsonl", ".ndjson"):
        rows = []
        for n, line in enumerate(text.splitlines(), 1):
            if line.strip():
                try:
                    row = json.loads(line)
                except (json.JSONDecodeError, RecursionError) as e:
                    why = getattr(e, "msg", "nested too deeply")
                    raise LabelError(f"{path}:{n}: not valid JSON ({why})") from None
                if not isinstance(row, dict):
                    raise LabelError(f"{path}:{n}: expected a JSON object with 'text' and "
                                     f"'primary', got {type(row).__name__}: {line.strip()[:60]}")
                rows.append(row)
        return pd.DataFrame(rows)
    if suffix == ".json":
        try:
            rows = json.loads(text)
        except (json.JSONDecodeError, RecursionError) as e:
            raise LabelError(f"{path}: not valid JSON ({getattr(e, 'msg', e)})") from None
        if not isinstance(rows, list):
            raise LabelError(f"{path}: expected a JSON list of objects, got {type(rows).__name__}")
        for n, row in enumerate(rows):
            if not isinstance(row, dict):
                raise LabelError(f"{path}: item {n} of the list is a {type(row).__name__}, "
                                 "not an object with 'text' and 'primary'")
        return pd.DataFrame(rows)
    try:
        return pd.read_csv(io.StringIO(text), sep="\t" if suffix == ".tsv" else ",", dtype=str,
                           keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as e:
        raise LabelError(f"{path}: not a readable {suffix[1:].upper()} file ({e})") from None


def _code_key(code: str) -> str:
    return "_".join(code.strip().lower().replace("-", " ").split())


_CODE_KEYS = {_code_key(c): c for c in CATEGORY_CODES}


def _canonical_codes(label, where="labels"):
    """Map codes that differ from a codebook code only by case, spaces or hyphens."""
    fixed = {v: _CODE_KEYS[_code_key(v)] for v in set(label)
             if v and v not in CATEGORY_CODES and _code_key(v) in _CODE_KEYS}
    if fixed:
        log.warning("%s: read label codes as codebook codes: %s", where,
                    ", ".join(f"{k!r} → {v}" for k, v in sorted(fixed.items())))
        label = label.map(lambda v: fixed.get(v, v))
    return label


def load_labelled(data, *, min_classes=2):
    """Normalise labelled data to a DataFrame with ``text, label, secondary, group``.

    Rows with an empty text or label are dropped with a warning; codes outside
    the codebook are kept with a warning.

    Parameters
    ----------
    data : path, list of paths, DataFrame or (texts, labels)
    min_classes : int, default 2
        Raise :class:`~rolnlp.LabelError` when fewer distinct labels remain.

    Returns
    -------
    pandas.DataFrame

    Example
    -------
    >>> df = load_labelled((["行政复议", "普法宣传"], ["dispute_resolution", "legal_publicity"]))
    >>> list(df.columns)
    ['text', 'label', 'secondary', 'group']
    """
    import pandas as pd

    if isinstance(data, (str, os.PathLike)):
        df = _read_file(data)
    elif isinstance(data, pd.DataFrame):
        df = data.copy()
    elif isinstance(data, tuple) and len(data) == 2:
        texts, labels = (list(x) for x in data)
        if len(texts) != len(labels):
            raise LabelError(f"got {len(texts)} texts but {len(labels)} labels")
        df = pd.DataFrame({"text": texts, "label": labels})
    elif isinstance(data, (list, tuple)) and data and all(
            isinstance(p, (str, os.PathLike)) for p in data):
        df = pd.concat([_read_file(p) for p in data], ignore_index=True)
    else:
        raise TypeError("data must be a path, a list of paths, a DataFrame or (texts, labels), "
                        f"not {type(data).__name__}")
    if "text" not in df.columns:
        raise LabelError(f"labelled data needs a 'text' column; found {list(df.columns)}")
    label_col = next((c for c in LABEL_COLUMNS if c in df.columns), None)
    if label_col is None:
        raise LabelError("labelled data needs a 'primary' or 'label' column with category "
                         f"codes; found {list(df.columns)}")
    text = df["text"].map(lambda v: v if isinstance(v, str) else "")
    label = df[label_col].map(lambda v: v.strip() if isinstance(v, str) else "")
    where = os.fspath(data) if isinstance(data, (str, os.PathLike)) else "labelled data"
    label = _canonical_codes(label, where)
    keep = (text.str.strip() != "") & (label != "")
    if (~keep).any():
        log.warning("dropping %d of %d rows with an empty text or label", int((~keep).sum()),
                    len(df))
    sec = df["secondary"] if "secondary" in df.columns else pd.Series([[]] * len(df))
    sec = sec.map(lambda v: [_CODE_KEYS.get(_code_key(c), c) for c in _as_code_list(v)])

    def group_of(i):
        # "group" first: a frame this function already returned has no url or
        # source column left, and losing its groups would make CV folds leak
        for col in ("group", "url", "source"):
            if col in df.columns:
                v = df[col].iloc[i]
                if isinstance(v, str) and v.strip():
                    return v.strip()
        return f"row{i}"

    out = pd.DataFrame({"text": text.values, "label": label.values, "secondary": sec.values,
                        "group": [group_of(i) for i in range(len(df))]})[keep.values]
    out = out.reset_index(drop=True)
    _report_conflicts(out, where)
    if out.empty:
        raise LabelError("no usable rows: every row has an empty text or label")
    classes = sorted(set(out["label"]))
    if len(classes) < min_classes:
        raise LabelError(f"need at least {min_classes} distinct labels to train, found "
                         f"{classes}; add examples of other categories")
    unknown = [c for c in classes if c not in CATEGORY_CODES]
    if unknown:
        log.warning("labels outside the codebook are kept as custom categories: %s",
                    ", ".join(unknown))
    missing = [c for c in CATEGORY_CODES if c not in classes]
    if missing:
        log.warning("codebook categories without examples (they will never be predicted): %s",
                    ", ".join(missing))
    return out


def _report_conflicts(df, where):
    """Warn about texts labelled twice with different codes (kept as they are)."""
    from .features import normalize

    if df.empty:
        return
    key = df["text"].map(normalize)
    codes = df.groupby(key.values)["label"].nunique()
    clash = codes[codes > 1]
    if len(clash):
        first = clash.index[0]
        seen = sorted(set(df.loc[key.values == first, "label"]))
        log.warning("%s: %d text(s) carry two or more different labels (e.g. %r: %s); "
                    "check them — both rows are kept", where, len(clash), first[:40],
                    ", ".join(seen))


def _as_code_list(v):
    if isinstance(v, str):
        v = v.strip()
        if v.startswith("["):
            try:
                v = json.loads(v)
            except json.JSONDecodeError:
                v = v.strip("[]").split(",")
        else:
            v = v.replace(";", ",").split(",")
    if not isinstance(v, (list, tuple)):
        return []
    return [str(c).strip().strip("'\"") for c in v if str(c).strip().strip("'\"")]
