"""Turn the inputs the analysis functions accept into one paragraph table.

Every analysis works on paragraphs with their report's metadata.  Callers may
hand over a :class:`~rolnlp.corpus.Corpus`, a list of reports, a directory, a
DataFrame with a ``text`` column, or plain texts; this module turns each into
the same pandas DataFrame so the rest of the package has one code path.
"""
from __future__ import annotations

import os

# the report columns analyses group by (a subset of the unit table's columns)
META_COLUMNS = ("report_id", "region", "province", "city", "year", "level")

# tokens shorter than this are not terms when reports are compared:
# single characters carry little meaning on their own
MIN_TERM_CHARS = 2


def term_coords(pairs, vocab: dict):
    """Row and column of every term occurrence in ``pairs`` of ``(row, tokens)``.

    ``vocab`` maps term -> column and grows with new terms; tokens shorter
    than :data:`MIN_TERM_CHARS` are skipped.

    Example
    -------
    >>> vocab = {}
    >>> term_coords([(0, ["依法", "的", "行政"]), (1, ["依法"])], vocab), vocab
    (([0, 0, 1], [0, 1, 0]), {'依法': 0, '行政': 1})
    """
    rows, cols = [], []
    for r, toks in pairs:
        for t in toks:
            if len(t) >= MIN_TERM_CHARS:
                rows.append(r)
                cols.append(vocab.setdefault(t, len(vocab)))
    return rows, cols


def as_reports(source, *, progress=False):
    """Return a list of reports from a directory, a table file, a Corpus or reports.

    A path is read with :func:`rolnlp.read_corpus`: a directory of report
    files, or a JSONL/CSV/Parquet table with one row per page.
    """
    from ..reading.report import Report

    if isinstance(source, (str, os.PathLike)):
        if not os.path.exists(source):
            raise FileNotFoundError(f"no such file or directory: {os.fspath(source)}")
        from ..corpus import read_corpus

        return list(read_corpus(source, progress=progress).reports)
    if isinstance(source, Report):
        return [source]
    reports = list(getattr(source, "reports", source))
    if not all(isinstance(r, Report) for r in reports):
        raise TypeError("expected a path, a Corpus or a list of Report objects")
    return reports


def units_frame(docs, *, level="paragraph"):
    """The unit table (:data:`rolnlp.reading.table.UNIT_COLUMNS`) of whatever an analysis got.

    Parameters
    ----------
    docs : Corpus, list of Report, DataFrame, list of str or list of Paragraph
        Reports give their own tables (``Report.to_dataframe``); a DataFrame
        must have a ``text`` column and keeps its columns, missing unit-table
        columns added empty; plain texts get ``report_id`` ``"doc0"``,
        ``"doc1"``, ….
    level : {"paragraph", "item", "all"}
        Unit level taken from reports.

    Returns
    -------
    pandas.DataFrame

    Example
    -------
    >>> units_frame(["依法行政"])[["report_id", "text"]].values.tolist()
    [['doc0', '依法行政']]
    """
    import pandas as pd

    from ..reading.report import Paragraph, Report
    from ..reading.table import UNIT_COLUMNS, concat_frames

    if isinstance(docs, pd.DataFrame):
        if "text" not in docs.columns:
            raise TypeError("a DataFrame of paragraphs needs a 'text' column")
        df = docs.reset_index(drop=True).copy()
        if "report_id" not in df.columns:
            df["report_id"] = [f"doc{i}" for i in range(len(df))]
        for c in UNIT_COLUMNS:
            if c not in df.columns:
                df[c] = None
        if df["index"].isna().all():
            df["index"] = df.groupby("report_id").cumcount()
        df["text"] = df["text"].fillna("").astype(str)
        return df
    if isinstance(docs, str):
        raise TypeError("expected a list of texts, not a single string")
    items = list(getattr(docs, "reports", docs))
    if items and all(isinstance(d, Report) for d in items):
        return concat_frames(r.to_dataframe(level) for r in items)
    rows = []
    for i, d in enumerate(items):
        if isinstance(d, Paragraph):
            rows.append({"report_id": "doc0", "index": i, "kind": d.kind, "section": d.section,
                         "heading": d.heading, "start": d.start, "end": d.end, "text": d.text})
        elif isinstance(d, str):
            rows.append({"report_id": f"doc{i}", "index": 0, "kind": "paragraph", "text": d})
        else:
            raise TypeError("documents must be Reports, Paragraphs or str, "
                            f"got {type(d).__name__}")
    return pd.DataFrame(rows, columns=list(UNIT_COLUMNS))


def texts_of(items):
    """Texts of a list of str / Paragraph / Report (a report gives its paragraphs)."""
    from ..reading.report import Report

    if isinstance(items, str):
        return [items]
    out = []
    for x in items:
        if isinstance(x, str):
            out.append(x)
        elif isinstance(x, Report):
            out.extend(p.text for p in x.paragraphs)
        elif hasattr(x, "text"):
            out.append(x.text)
        else:
            raise TypeError(f"expected str or Paragraph, got {type(x).__name__}")
    return out


def tokenize_texts(texts, tokenizer=None, *, n_jobs=1, progress=False, desc="tokenize"):
    """Tokenize many texts, optionally in ``n_jobs`` processes (order is kept).

    Uses the tokenizer's own ``tokenize_many`` when it has one.

    Example
    -------
    >>> tokenize_texts(["依法行政"])  # doctest: +SKIP
    [['依法行政']]
    """
    from tqdm.auto import tqdm

    texts = list(texts)
    if tokenizer is None:
        from ..text import default_tokenizer

        tokenizer = default_tokenizer()
    if hasattr(tokenizer, "tokenize_many"):
        return [list(t) for t in tokenizer.tokenize_many(texts, n_jobs=n_jobs,
                                                         progress=progress)]
    if n_jobs != 1 and len(texts) > 2000:
        from joblib import Parallel, delayed

        size = max(200, len(texts) // (8 * max(1, abs(n_jobs))))
        chunks = [texts[i:i + size] for i in range(0, len(texts), size)]
        parts = Parallel(n_jobs=n_jobs)(delayed(_tokenize_chunk)(tokenizer, c) for c in chunks)
        return [t for part in parts for t in part]
    return [tokenizer.tokenize(t) for t in tqdm(texts, desc=desc, disable=not progress,
                                                  leave=False)]


def _tokenize_chunk(tokenizer, texts):
    return [tokenizer.tokenize(t) for t in texts]
