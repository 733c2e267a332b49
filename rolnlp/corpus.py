"""A :class:`Corpus` of reports and :func:`read_corpus` to read a directory of them.

Example
-------
>>> import rolnlp
>>> corpus = rolnlp.read_corpus("corpus/", progress=False)  # doctest: +SKIP
>>> len(corpus), corpus[0].metadata.region  # doctest: +SKIP
(5, '硚口区')
>>> corpus.to_dataframe().groupby("region").size()  # doctest: +SKIP
"""
from __future__ import annotations

import fnmatch
import logging
import os
from typing import Iterator

from .errors import ReportError
from .reading import read_report
from .reading.report import Paragraph, Report

logger = logging.getLogger(__name__)

SUFFIXES = (".txt", ".html", ".htm")


class Corpus:
    """Many reports: iterate them, index them by position or id, or tabulate paragraphs.

    Parameters
    ----------
    reports : iterable of Report
    errors : list of (path, message), optional
        Files that could not be read (filled by :func:`read_corpus`).

    Attributes
    ----------
    reports : list of Report
    errors : list of tuple
        ``(path, message)`` for every file skipped while reading.

    Example
    -------
    >>> c = Corpus.from_texts(["一、总体情况\\n正文。"], ids=["a"])
    >>> len(c), c["a"].paragraphs[0].text
    (1, '正文。')
    """

    def __init__(self, reports=(), errors=None):
        self.reports = list(reports)
        for r in self.reports:
            if not isinstance(r, Report):
                raise TypeError(f"Corpus holds rolnlp.Report objects, not {type(r).__name__}")
        self.errors = list(errors or [])
        self._by_id = None

    @classmethod
    def from_reports(cls, reports):
        """Build a corpus from Report objects.

        Example
        -------
        >>> from rolnlp import read_report
        >>> Corpus.from_reports([read_report("正文。", id="x")]).ids
        ['x']
        """
        return cls(reports)

    @classmethod
    def from_texts(cls, texts, *, ids=None, **read_kwargs):
        """Build a corpus by reading each ``str`` in ``texts`` as a report.

        Parameters
        ----------
        texts : iterable of str
        ids : iterable of str, optional
            Report ids; default ``"text-0"``, ``"text-1"``, …
        **read_kwargs
            Passed to :func:`rolnlp.read_report`.

        Example
        -------
        >>> Corpus.from_texts(["2024年，推进法治政府建设。"]).ids
        ['text-0']
        """
        if isinstance(texts, (str, bytes)):
            raise TypeError("from_texts() takes a list of texts, not a single text")
        texts = list(texts)
        ids = list(ids) if ids is not None else [f"text-{i}" for i in range(len(texts))]
        if len(ids) != len(texts):
            raise ValueError(f"{len(ids)} ids for {len(texts)} texts")
        for t in texts:
            if not isinstance(t, str):
                raise TypeError(f"from_texts() takes str texts, not {type(t).__name__}")
        return cls(read_report(t, id=i, **read_kwargs) for t, i in zip(texts, ids))

    @property
    def ids(self) -> list:
        """Report ids in corpus order."""
        return [r.id for r in self.reports]

    def __repr__(self) -> str:
        n_par = sum(len(r.paragraphs) for r in self.reports)
        skipped = f", {len(self.errors)} skipped" if self.errors else ""
        return f"<Corpus: {len(self.reports)} reports, {n_par} paragraphs{skipped}>"

    def __iter__(self) -> Iterator[Report]:
        return iter(self.reports)

    def __len__(self) -> int:
        return len(self.reports)

    def __contains__(self, key) -> bool:
        if isinstance(key, Report):
            return key in self.reports
        return key in self._index()

    def __getitem__(self, key):
        """``corpus[i]``, ``corpus[i:j]`` (a Corpus) or ``corpus["report id"]``."""
        if isinstance(key, slice):
            return Corpus(self.reports[key])
        if isinstance(key, str):
            try:
                return self.reports[self._index()[key]]
            except KeyError:
                raise KeyError(f"no report with id {key!r} in this corpus") from None
        if isinstance(key, int) and not isinstance(key, bool):
            return self.reports[key]
        raise TypeError(f"corpus indices are int, slice or str id, not {type(key).__name__}")

    def _index(self):
        if self._by_id is None or len(self._by_id) != len(self.reports):
            self._by_id = {r.id: i for i, r in enumerate(self.reports)}
        return self._by_id

    def paragraphs(self) -> Iterator[Paragraph]:
        """Every paragraph of every report, in corpus order."""
        for r in self.reports:
            yield from r.paragraphs

    def to_dataframe(self):
        """One row per paragraph with its report's metadata (a pandas DataFrame).

        Columns are those of :meth:`Report.to_dataframe`: ``report_id``,
        metadata fields, ``index``, ``section``, ``heading``, ``heading_path``,
        ``start``, ``end``, ``text``.
        """
        import pandas as pd

        frames = [r.to_dataframe() for r in self.reports]
        frames = [f for f in frames if len(f)]
        if not frames:
            return pd.DataFrame(columns=["report_id", "title", "region", "city", "province",
                                         "level", "year", "publisher", "report_date",
                                         "source", "index", "section", "heading",
                                         "heading_path", "start", "end", "text"])
        return pd.concat(frames, ignore_index=True)

    def classify(self, model=None, n_jobs=1, **kwargs):
        """Classify every paragraph of every report.

        Defers to :func:`rolnlp.classify_report` for each report and
        concatenates the results.

        Parameters
        ----------
        model : None, path or model, optional
            As for :func:`rolnlp.classify`; ``None`` uses the shipped model.
        n_jobs : int, default 1
            Reports classified in parallel threads (results are identical).
        **kwargs
            Passed to ``classify_report`` (``level``, ``threshold``).

        Returns
        -------
        pandas.DataFrame
            One row per paragraph with metadata, ``label``, ``confidence`` …

        Example
        -------
        >>> rolnlp.read_corpus("corpus/", progress=False).classify()  # doctest: +SKIP
        """
        import pandas as pd

        # classification sits above the corpus layer: import it only when used
        from .classification import classify_report

        if n_jobs == 1 or len(self.reports) < 2:
            frames = [classify_report(r, model=model, **kwargs) for r in self.reports]
        else:
            from joblib import Parallel, delayed

            frames = Parallel(n_jobs=n_jobs, prefer="threads")(
                delayed(classify_report)(r, model=model, **kwargs) for r in self.reports)
        frames = [f for f in frames if len(f)]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def find_reports(directory, *, pattern=None, recursive=True) -> list:
    """Sorted report files (``.txt``, ``.html``, ``.htm``) under ``directory``.

    Parameters
    ----------
    directory : str or os.PathLike
    pattern : str, optional
        A glob matched against each file's path relative to ``directory``
        (and against its name), e.g. ``"*.txt"`` or ``"reports/00*"``.
    recursive : bool, default True
        Search subdirectories too (hidden ones are skipped).

    Returns
    -------
    list of str

    Example
    -------
    >>> [os.path.basename(p) for p in find_reports("corpus")][:1]  # doctest: +SKIP
    ['000_5c5bdc2152d9c680.txt']
    """
    directory = os.fspath(directory)
    if not os.path.exists(directory):
        raise FileNotFoundError(f"corpus directory not found: {directory!r}")
    if not os.path.isdir(directory):
        raise ReportError(f"{directory!r} is not a directory; use rolnlp.read_report() "
                          "for a single file")
    found = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        if not recursive:
            dirs[:] = []
        for name in files:
            if name.startswith(".") or not name.lower().endswith(SUFFIXES):
                continue
            path = os.path.join(root, name)
            rel = os.path.relpath(path, directory).replace(os.sep, "/")
            if pattern and not (fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(name, pattern)):
                continue
            found.append(path)
    return sorted(found, key=lambda p: os.path.relpath(p, directory).replace(os.sep, "/"))


def _ids(paths, directory):
    """File stems; stems shared by several files get their relative path instead."""
    stems = [os.path.splitext(os.path.basename(p))[0] for p in paths]
    counts: dict = {}
    for s in stems:
        counts[s] = counts.get(s, 0) + 1
    out = []
    for p, s in zip(paths, stems):
        if counts[s] > 1:
            rel = os.path.relpath(p, directory).replace(os.sep, "/")
            out.append(rel)
        else:
            out.append(s)
    return out


def _read_one(path, id, read_kwargs):
    try:
        return read_report(path, id=id, **read_kwargs), None
    except Exception as e:  # one bad file must not stop a corpus run
        return None, f"{type(e).__name__}: {e}"


def read_corpus(directory, *, pattern=None, n_jobs=1, progress=True, recursive=True,
                **read_kwargs) -> Corpus:
    """Read every report file in a directory into a :class:`Corpus`.

    Parameters
    ----------
    directory : str or os.PathLike
    pattern : str, optional
        Glob restricting the files (see :func:`find_reports`).
    n_jobs : int, default 1
        Worker processes (joblib); results are identical to ``n_jobs=1``.
    progress : bool, default True
        Show a tqdm progress bar.
    recursive : bool, default True
        Search subdirectories (``read_corpus("corpus/")`` finds ``corpus/reports/*``).
    **read_kwargs
        Passed to :func:`rolnlp.read_report` (``encoding``, ``to_simplified``).

    Returns
    -------
    Corpus
        Reports in sorted path order; files that cannot be read are logged,
        skipped and listed in ``corpus.errors``.

    Raises
    ------
    FileNotFoundError
        If ``directory`` does not exist.
    ReportError
        If ``directory`` is a file.

    Example
    -------
    >>> corpus = read_corpus("corpus/", progress=False)  # doctest: +SKIP
    >>> corpus.ids[0]  # doctest: +SKIP
    '000_5c5bdc2152d9c680'
    """
    if "id" in read_kwargs:
        raise TypeError("read_corpus() sets report ids from file names; 'id' is not accepted")
    paths = find_reports(directory, pattern=pattern, recursive=recursive)
    ids = _ids(paths, os.fspath(directory))
    if not paths:
        logger.warning("no .txt/.html/.htm report files under %s", os.fspath(directory))
    from tqdm.auto import tqdm

    bar = dict(total=len(paths), desc="reading reports", unit="report",
               disable=not progress or not paths)
    if n_jobs == 1 or len(paths) < 2:
        results = [_read_one(p, i, read_kwargs)
                   for p, i in tqdm(zip(paths, ids), **bar)]
    else:
        from joblib import Parallel, delayed

        tasks = (delayed(_read_one)(p, i, read_kwargs) for p, i in zip(paths, ids))
        try:
            gen = Parallel(n_jobs=n_jobs, return_as="generator")(tasks)
        except TypeError:  # joblib < 1.3 has no generator output
            gen = Parallel(n_jobs=n_jobs)(tasks)
        results = list(tqdm(gen, **bar))
    reports, errors = [], []
    for path, (report, err) in zip(paths, results):
        if err is None:
            reports.append(report)
        else:
            logger.warning("skipped %s: %s", path, err)
            errors.append((path, err))
    return Corpus(reports, errors)
