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


def _read_file(path):
    import pandas as pd

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no such labels file: {path}")
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        rows = []
        for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as e:
                    raise LabelError(f"{path}:{n}: not valid JSON ({e.msg})") from None
        return pd.DataFrame(rows)
    if suffix == ".json":
        try:
            return pd.DataFrame(json.loads(path.read_text("utf-8")))
        except (json.JSONDecodeError, ValueError) as e:
            raise LabelError(f"{path}: expected a JSON list of objects ({e})") from None
    if suffix in (".csv", ".tsv"):
        return pd.read_csv(path, sep="\t" if suffix == ".tsv" else ",", dtype=str,
                           keep_default_na=False)
    raise LabelError(f"{path}: unsupported labels format {suffix!r} (use .jsonl, .json, .csv or .tsv)")


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
    keep = (text.str.strip() != "") & (label != "")
    if (~keep).any():
        log.warning("dropping %d of %d rows with an empty text or label", int((~keep).sum()),
                    len(df))
    sec = df["secondary"] if "secondary" in df.columns else pd.Series([[]] * len(df))
    sec = sec.map(_as_code_list)

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
