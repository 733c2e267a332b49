"""Reports streamed through reading, classification and tokenizing, kept compactly.

A corpus-scale run must not hold every :class:`~rolnlp.reading.Report` (raw,
original and cleaned text, units, removed residue) nor every token as its own
Python string (~60 bytes each; 3 million paragraphs hold ~450 million
tokens).  :func:`process_reports` reads, classifies and tokenizes reports in
batches, in worker processes when ``n_jobs > 1`` (each worker loads the model
and the dictionary once), and yields per batch only what later stages use:
the paragraph table with its predictions, each paragraph's tokens, and each
report's cleaned text.  :class:`TokenStore` keeps tokens as ``int32`` ids into
one vocabulary, 4 bytes a token.

Example
-------
>>> store = TokenStore()
>>> store.append(["行政复议", "纠错"]); store.append(["行政复议"])
>>> store[1], len(store), store.n_tokens
(['行政复议'], 2, 3)
"""
from __future__ import annotations

import os
from array import array
from dataclasses import dataclass, field
from typing import Iterator, Optional, Sequence


class TokenStore:
    """Token lists of many units as ``int32`` ids into one shared vocabulary.

    ``store[i]`` gives unit ``i``'s tokens as a list of strings; the strings are
    the vocabulary's own objects, so a materialised list costs one pointer per
    token, and iterating the store materialises one unit at a time.

    Example
    -------
    >>> s = TokenStore(); s.extend([["法治", "政府"], []])
    >>> list(s)
    [['法治', '政府'], []]
    """

    def __init__(self):
        self.vocab: list[str] = []
        self._index: dict[str, int] = {}
        self._ids = array("i")
        self._offsets = array("q", [0])

    def append(self, tokens) -> None:
        index, vocab, ids = self._index, self.vocab, self._ids
        for t in tokens:
            i = index.get(t)
            if i is None:
                i = index[t] = len(vocab)
                vocab.append(t)
            ids.append(i)
        self._offsets.append(len(ids))

    def extend(self, token_lists) -> None:
        for tokens in token_lists:
            self.append(tokens)

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __getitem__(self, i: int) -> list[str]:
        if not -len(self) <= i < len(self):
            raise IndexError(i)
        i %= len(self)
        vocab = self.vocab
        return [vocab[j] for j in self._ids[self._offsets[i]:self._offsets[i + 1]]]

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    @property
    def n_tokens(self) -> int:
        """Tokens stored in all."""
        return len(self._ids)

    def nbytes(self) -> int:
        """Bytes held by the id and offset arrays (the vocabulary aside)."""
        return self._ids.itemsize * len(self._ids) + self._offsets.itemsize * len(self._offsets)


@dataclass
class Batch:
    """What one batch of reports leaves for the corpus-level stages.

    Attributes
    ----------
    table : pandas.DataFrame
        The paragraph table of the batch's reports, with prediction columns.
    tokens : list of list of str
        Topic tokens of each row of ``table``.
    texts : dict
        Report id -> cleaned text (for text reuse).
    errors : list of (path, message)
        Files that could not be read.
    audit : pandas.DataFrame or None
        One audit row per report (:func:`rolnlp.audit.audit_corpus`).
    mentions : pandas.DataFrame or None
        The indicator mentions of the batch's reports.
    """

    table: object
    tokens: list
    texts: dict
    errors: list = field(default_factory=list)
    audit: object = None
    mentions: object = None


def _model_path(model):
    """Send workers a path, never a model: each loads it once and keeps it."""
    if model is None:
        from ..classification.api import default_model_path

        return os.fspath(default_model_path())
    return os.fspath(model) if isinstance(model, (str, os.PathLike)) else model


def _batch(items, ids, model, classify, tokenize, read_kwargs, audit=False):
    import pandas as pd

    from ..corpus import _read_one
    from ..reading.report import Report

    frames, tokens, texts, errors, reports = [], [], {}, [], []
    tok = None
    if tokenize:
        from ..text import default_tokenizer

        tok = default_tokenizer()
    for item, rid in zip(items, ids):
        if isinstance(item, Report):
            report = item
        else:
            report, err = _read_one(item, rid, read_kwargs)
            if err is not None:
                errors.append((item, err))
                continue
        reports.append(report)
        if classify:
            from ..classification import classify_report

            df = classify_report(report, model=model)
        else:
            df = report.to_dataframe()
        if len(df):
            frames.append(df)
            if tok is not None:
                tokens.extend(tok.tokenize(t) for t in df["text"])
        texts[report.id] = report.text
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    audit_df = mentions = None
    if audit and reports:
        from ..audit import audit_corpus

        audit_df, mentions = audit_corpus(reports, progress=False, indicators=True)
    return Batch(table, tokens, texts, errors, audit_df, mentions)


def _batch_to_file(path, *args):
    """:func:`_batch`, written to ``path`` where it was computed (a worker sends
    back a file name, not the batch: the main process stays free)."""
    from . import spill

    spill.save_batch(path, _batch(*args))
    return spill.SpilledBatch(path)


def process_reports(paths, ids=None, *, model=None, classify: bool = True, tokenize: bool = True,
                    audit: bool = False, n_jobs: int = 1, batch_size: int = 64,
                    progress: bool = True, read_kwargs: Optional[dict] = None,
                    spill_to: Optional[Sequence[str]] = None) -> Iterator[Batch]:
    """Read, classify and tokenize reports batch by batch, in input order.

    Parameters
    ----------
    paths : list of str or of Report
        Report files, or reports already read (they are used as they are).
    ids : list of str, optional
        Report ids (default: file stems, as :func:`rolnlp.read_corpus` gives
        them; a report's own id).
    model : None, path or model, optional
        As for :func:`rolnlp.classify`; workers receive a path and load it once.
    classify : bool, default True
        Add the prediction columns.
    tokenize : bool, default True
        Tokenize each paragraph once, with the default tokenizer.
    audit : bool, default False
        Also audit each report (parts, timeliness, evidence, indicators).
    n_jobs : int, default 1
        Worker processes (joblib); results are identical to ``n_jobs=1``.
    batch_size : int, default 64
        Reports per task: large enough that sending a task costs little.
    progress : bool, default True
        A progress bar over reports.
    read_kwargs : dict, optional
        Passed to :func:`rolnlp.read_report`.
    spill_to : list of str, optional
        One file per batch (``ceil(len(paths) / batch_size)``): each batch is
        written there by the process that computed it
        (:func:`rolnlp.analysis.spill.save_batch`) and a
        :class:`~rolnlp.analysis.spill.SpilledBatch` is yielded instead.

    Yields
    ------
    Batch, or SpilledBatch with ``spill_to``

    Example
    -------
    >>> paths = rolnlp.corpus.find_reports("corpus/reports")  # doctest: +SKIP
    >>> sum(len(b.table) for b in process_reports(paths, progress=False))  # doctest: +SKIP
    """
    from ..corpus import _ids
    from ..reading.report import Report

    paths = [p if isinstance(p, Report) else os.fspath(p) for p in paths]
    if ids is None:
        files = [p for p in paths if not isinstance(p, Report)]
        common = os.path.commonpath(files) if files else ""
        file_ids = iter(_ids(files, common if os.path.isdir(common) else os.path.dirname(common)))
        ids = [p.id if isinstance(p, Report) else next(file_ids) for p in paths]
    model = _model_path(model) if classify else None
    read_kwargs = dict(read_kwargs or {})
    chunks = [(paths[i:i + batch_size], list(ids[i:i + batch_size]))
              for i in range(0, len(paths), batch_size)]
    if spill_to is not None:
        spill_to = [os.fspath(p) for p in spill_to]
        if len(spill_to) != len(chunks):
            raise ValueError(f"spill_to names {len(spill_to)} files for {len(chunks)} batches")
    task = _batch if spill_to is None else _batch_to_file
    heads = [()] * len(chunks) if spill_to is None else [(p,) for p in spill_to]
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(paths), desc="reading and classifying", unit="report")
    try:
        if n_jobs == 1 or len(chunks) < 2:
            results = (task(*h, p, i, model, classify, tokenize, read_kwargs, audit)
                       for h, (p, i) in zip(heads, chunks))
        else:
            from joblib import Parallel, delayed

            results = Parallel(n_jobs=n_jobs, return_as="generator")(
                delayed(task)(*h, p, i, model, classify, tokenize, read_kwargs, audit)
                for h, (p, i) in zip(heads, chunks))
        for (p, _), batch in zip(chunks, results):
            if bar is not None:
                bar.update(len(p))
            yield batch
    finally:
        if bar is not None:
            bar.close()
