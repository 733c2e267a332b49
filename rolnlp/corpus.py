"""A :class:`Corpus` of reports and :func:`read_corpus` to read a folder or a table of them.

Reports arrive either as a folder of files or, from a scraper, as one table
(JSONL, CSV or Parquet) with one row per page; :func:`read_corpus` reads both.

Example
-------
>>> import rolnlp
>>> corpus = rolnlp.read_corpus("corpus/", progress=False)  # doctest: +SKIP
>>> len(corpus), corpus[0].metadata.region  # doctest: +SKIP
(5, '硚口区')
>>> corpus.to_dataframe().groupby("province").size()  # doctest: +SKIP
"""
from __future__ import annotations

import csv
import fnmatch
import io
import json
import logging
import os
import re
from dataclasses import replace
from typing import Iterator

from .errors import ReportError
from .reading import parse_report, read_report
from .reading.decode import SUFFIXES, decode_bytes
from .reading.report import Paragraph, Report
from .reading.table import concat_frames

logger = logging.getLogger(__name__)

#: Table files read by :func:`read_corpus`, one row per report.
TABLE_SUFFIXES = (".jsonl", ".ndjson", ".csv", ".parquet")
#: The file ``rolnlp analyze`` writes into its output folder; such folders are skipped.
MANIFEST = ".rolnlp-manifest.json"
# files analyze writes that have a report suffix, recognised by a marker in their head
_OWN_OUTPUTS = ("summary.html",)
#: Default column names of a report table; ``columns=`` overrides any of them.
TABLE_COLUMNS = {"id": "id", "url": "url", "title": "title", "date": "date", "text": "text",
                 "html": "html"}


class Corpus:
    """Many reports: iterate them, index them by position or id, or tabulate paragraphs.

    Parameters
    ----------
    reports : iterable of Report
    errors : list of (where, message), optional
        What could not be read (filled by :func:`read_corpus`).

    Attributes
    ----------
    reports : list of Report
    errors : list of tuple
        ``(where, message)`` for every file, folder or table row skipped
        while reading; ``where`` is printable (undecodable name bytes shown
        as U+FFFD).

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
        >>> from rolnlp import parse_report
        >>> Corpus.from_reports([parse_report("正文。", id="x")]).ids
        ['x']
        """
        return cls(reports)

    @classmethod
    def from_texts(cls, texts, *, ids=None, **read_kwargs):
        """Build a corpus by parsing each ``str`` in ``texts`` as report text.

        A text is never taken for a file name (``"/etc/passwd"`` is a
        one-line report), so untrusted scraped text cannot pull local files in.

        Parameters
        ----------
        texts : iterable of str
        ids : iterable of str, optional
            Report ids; default ``"text-0"``, ``"text-1"``, …
        **read_kwargs
            Passed to :func:`rolnlp.parse_report` (``to_simplified``).

        Returns
        -------
        Corpus

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
        return cls(parse_report(t, id=i, **read_kwargs) for t, i in zip(texts, ids))

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
        """Every body paragraph of every report, in corpus order."""
        for r in self.reports:
            yield from r.paragraphs

    def to_dataframe(self, level: str = "paragraph"):
        """The reports' unit tables, concatenated (a pandas DataFrame).

        Parameters
        ----------
        level : {"paragraph", "item", "all"}
            Body paragraphs (default), paragraphs with items split out, or
            every unit with its kind (see :meth:`Report.units`).

        Returns
        -------
        pandas.DataFrame
            Columns :data:`rolnlp.reading.table.UNIT_COLUMNS`; an empty corpus
            gives the same columns and no rows.

        Example
        -------
        >>> c = Corpus.from_texts(["一、总体情况\\n正文。"], ids=["a"])
        >>> c.to_dataframe()[["report_id", "kind", "text"]].values.tolist()
        [['a', 'paragraph', '正文。']]
        >>> list(Corpus().to_dataframe().columns) == list(c.to_dataframe().columns)
        True
        """
        return concat_frames(r.to_dataframe(level) for r in self.reports)

    def audit(self, *, progress: bool = True, indicators: bool = False):
        """Audit every report as evaluators do: one row per report.

        Parameters
        ----------
        progress : bool, default True
            A progress bar over the reports.
        indicators : bool, default False
            Also return every indicator mention (one row per figure).

        Returns
        -------
        pandas.DataFrame or (pandas.DataFrame, pandas.DataFrame)
            :data:`rolnlp.audit.AUDIT_COLUMNS` per report (region, province,
            level, year, parts, timeliness, evidence, shortcomings), and the
            mentions when ``indicators`` is true.

        Example
        -------
        >>> rolnlp.read_corpus("corpus/reports", progress=False).audit(progress=False)  # doctest: +SKIP
        """
        from .audit import audit_corpus

        return audit_corpus(self, progress=progress, indicators=indicators)

    def classify(self, model=None, n_jobs=1, progress=True, **kwargs):
        """Classify every paragraph of every report.

        Defers to :func:`rolnlp.classify_report` for each report and
        concatenates the results.

        Parameters
        ----------
        model : None, path or model, optional
            As for :func:`rolnlp.classify`; ``None`` uses the shipped model.
        n_jobs : int, default 1
            Worker processes (joblib); results are identical to ``n_jobs=1``.
        progress : bool, default True
            Show a tqdm progress bar over the reports.
        **kwargs
            Passed to ``classify_report`` (``level``, ``threshold``).

        Returns
        -------
        pandas.DataFrame
            The unit table (:data:`~rolnlp.reading.table.UNIT_COLUMNS`) plus
            ``label``, ``confidence`` … per paragraph.

        Example
        -------
        >>> rolnlp.read_corpus("corpus/", progress=False).classify()  # doctest: +SKIP
        """
        from tqdm.auto import tqdm

        # imported when used: classification loads scikit-learn and the model
        from .classification import classify_report

        bar = dict(total=len(self.reports), desc="classifying", unit="report",
                   disable=not progress or not self.reports)
        if n_jobs == 1 or len(self.reports) < 2:
            frames = [classify_report(r, model=model, **kwargs)
                      for r in tqdm(self.reports, **bar)]
        else:
            from joblib import delayed

            tasks = (delayed(classify_report)(r, model=model, **kwargs) for r in self.reports)
            frames = list(tqdm(_parallel(n_jobs, tasks), **bar))
        return concat_frames(frames)


def _parallel(n_jobs, tasks):
    """Run joblib tasks in worker processes, yielding results in order."""
    from joblib import Parallel

    try:
        return Parallel(n_jobs=n_jobs, return_as="generator")(tasks)
    except TypeError:  # joblib < 1.3 has no generator output
        return Parallel(n_jobs=n_jobs)(tasks)


def display_path(path) -> str:
    """A path as it can be shown and written: undecodable name bytes become U+FFFD.

    File names unzipped from a Windows archive are GBK bytes that Python holds
    as lone surrogates; they cannot be printed or written to UTF-8.

    Example
    -------
    >>> name = "报告".encode("gbk").decode("utf-8", "surrogateescape")  # as os.listdir gives it
    >>> display_path("reports/" + name + ".txt")
    'reports/\ufffd\ufffd\ufffd\ufffd.txt'
    """
    path = os.fspath(path)
    if isinstance(path, bytes):
        return path.decode("utf-8", "replace")
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _is_own_output(path: str, name: str) -> bool:
    """A file ``rolnlp analyze`` wrote (its summary page), recognised by its head."""
    if name.lower() not in _OWN_OUTPUTS:
        return False
    try:
        with open(path, "rb") as f:
            head = f.read(4096)
    except OSError:
        return False
    return b"rolnlp" in head


def _walk(directory, pattern, recursive):
    """``(paths, errors)``: report files under ``directory`` and what could not be listed."""
    found, errors = [], []

    def onerror(e):
        where = e.filename if getattr(e, "filename", None) else directory
        errors.append((display_path(where), f"{type(e).__name__}: cannot list folder "
                                            f"({e.strerror or e})"))

    for root, dirs, files in os.walk(directory, onerror=onerror):
        if MANIFEST in files:
            logger.info("skipping %s: an output folder of rolnlp analyze", display_path(root))
            dirs[:] = []
            continue
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
            if _is_own_output(path, name):
                logger.info("skipping %s: written by rolnlp analyze", display_path(path))
                continue
            found.append(path)
    found.sort(key=lambda p: os.path.relpath(p, directory).replace(os.sep, "/"))
    return found, errors


def _check_directory(directory):
    if not os.path.exists(directory):
        raise FileNotFoundError(f"corpus directory not found: {display_path(directory)!r}")
    if not os.path.isdir(directory):
        raise ReportError(f"{display_path(directory)!r} is not a directory; use "
                          "rolnlp.read_report() for a single report file")


def find_reports(directory, *, pattern=None, recursive=True) -> list:
    """Sorted report files (``.txt``, ``.html``, ``.htm``) under ``directory``.

    Hidden files and folders, folders holding a ``.rolnlp-manifest.json``
    (the output folders of ``rolnlp analyze``) and the summary pages analyze
    writes are skipped.  Folders that cannot be listed are logged as warnings
    (:func:`read_corpus` also lists them in ``Corpus.errors``).

    Parameters
    ----------
    directory : str or os.PathLike
    pattern : str, optional
        A glob matched against each file's path relative to ``directory``
        (and against its name), e.g. ``"*.txt"`` or ``"reports/00*"``.
    recursive : bool, default True
        Search subdirectories too.

    Returns
    -------
    list of str

    Example
    -------
    >>> [os.path.basename(p) for p in find_reports("corpus")][:1]  # doctest: +SKIP
    ['000_5c5bdc2152d9c680.txt']
    """
    directory = os.fspath(directory)
    _check_directory(directory)
    paths, errors = _walk(directory, pattern, recursive)
    for where, msg in errors:
        logger.warning("skipped %s: %s", where, msg)
    return paths


def _ids(paths, directory):
    """File stems; stems shared by several files get their relative path instead.

    Undecodable bytes in a file name are shown as U+FFFD.
    """
    stems = [display_path(os.path.splitext(os.path.basename(p))[0]) for p in paths]
    counts: dict = {}
    for s in stems:
        counts[s] = counts.get(s, 0) + 1
    out = []
    for p, s in zip(paths, stems):
        if counts[s] > 1:
            out.append(display_path(os.path.relpath(p, directory).replace(os.sep, "/")))
        else:
            out.append(s)
    return _unique(out)


def _unique(ids):
    """Make ids unique by appending ``~2``, ``~3`` … to repeats, keeping the first."""
    seen: dict = {}
    out = []
    for i in ids:
        n = seen.get(i, 0) + 1
        seen[i] = n
        out.append(i if n == 1 else f"{i}~{n}")
    return out


def _read_one(path, id, read_kwargs):
    try:
        return read_report(path, id=id, **read_kwargs), None
    except Exception as e:  # one bad file must not stop a corpus run
        return None, f"{type(e).__name__}: {e}"


def _parse_one(row, read_kwargs):
    """Parse one table row ``(id, url, title, date, text)`` into a Report."""
    id, url, title, date, text = row
    try:
        report = parse_report(text, id=id, **read_kwargs)
    except Exception as e:  # one bad row must not stop a corpus run
        return None, f"{type(e).__name__}: {e}"
    meta = report.metadata
    fill = {}
    if title and not meta.title:
        fill["title"] = title
    date = _iso_date(date) if date else None
    if date and not meta.date:
        fill["date"] = date
    if fill:
        report.metadata = replace(meta, **fill)
    report.url = url
    return report, None


def read_corpus(source, *, pattern=None, n_jobs=1, progress=True, recursive=True,
                columns=None, **read_kwargs) -> Corpus:
    """Read reports from a folder of files or a table with one row per page.

    Parameters
    ----------
    source : str or os.PathLike
        A folder of ``.txt``/``.html``/``.htm`` files (searched recursively),
        or a ``.jsonl``/``.ndjson``, ``.csv`` or ``.parquet`` file with one
        row per report page, as scrapers deliver them: a ``url``, ``title``
        and ``date`` and the page's ``text`` or ``html``.
    pattern : str, optional
        Glob restricting the files of a folder (see :func:`find_reports`).
    n_jobs : int, default 1
        Worker processes (joblib); results are identical to ``n_jobs=1``.
    progress : bool, default True
        Show a tqdm progress bar.
    recursive : bool, default True
        Search subfolders (``read_corpus("corpus/")`` finds ``corpus/reports/*``).
    columns : dict, optional
        Column names of a table, overriding the defaults
        ``{"id": "id", "url": "url", "title": "title", "date": "date",
        "text": "text", "html": "html"}``.  Report ids come from the id
        column when the table has one, else from the url; a row's title and
        date fill the metadata the text does not give, and its url is kept as
        ``report.url``.
    **read_kwargs
        Passed to :func:`rolnlp.read_report` / :func:`rolnlp.parse_report`
        (``encoding`` for files, ``to_simplified``).

    Returns
    -------
    Corpus
        Reports in sorted path (or row) order.  Files, folders and rows that
        cannot be read are logged as warnings, skipped and listed in
        ``corpus.errors``.

    Raises
    ------
    FileNotFoundError
        If ``source`` does not exist.
    ReportError
        If ``source`` is a file that is not a table, or a table without a
        text or html column; for Parquet without pyarrow (install
        ``rolnlp[parquet]``).

    Example
    -------
    >>> corpus = read_corpus("corpus/", progress=False)  # doctest: +SKIP
    >>> corpus.ids[0]  # doctest: +SKIP
    '000_5c5bdc2152d9c680'
    >>> read_corpus("corpus/chunks/chunks.jsonl", progress=False)  # doctest: +SKIP
    <Corpus: 676 reports, ...>
    """
    if "id" in read_kwargs:
        raise TypeError("read_corpus() sets report ids from file names or the id column; "
                        "'id' is not accepted")
    if isinstance(source, (str, os.PathLike)):
        source = os.fspath(source)
    else:
        raise TypeError(f"read_corpus() takes a folder or table path, not {type(source).__name__}")
    if os.path.isfile(source) and source.lower().endswith(TABLE_SUFFIXES):
        return _read_table(source, columns, n_jobs, progress, read_kwargs)
    if columns is not None:
        raise TypeError("columns= applies to a table file (.jsonl, .csv, .parquet)")
    if os.path.isfile(source):
        raise ReportError(f"{display_path(source)!r} is not a directory or a table file "
                          f"({', '.join(TABLE_SUFFIXES)}); use rolnlp.read_report() for one "
                          "report file")
    _check_directory(source)
    paths, errors = _walk(source, pattern, recursive)
    for where, msg in errors:
        logger.warning("skipped %s: %s", where, msg)
    ids = _ids(paths, source)
    if not paths:
        logger.warning("no report files (%s) under %s", "/".join(SUFFIXES), display_path(source))
    tasks = [(p, i) for p, i in zip(paths, ids)]
    results = _run(_read_one, [(p, i, read_kwargs) for p, i in tasks], n_jobs, progress)
    reports = []
    for path, (report, err) in zip(paths, results):
        if err is None:
            reports.append(report)
        else:
            shown = display_path(path)
            logger.warning("skipped %s: %s", shown, err)
            errors.append((shown, err))
    return Corpus(reports, errors)


def _run(fn, args, n_jobs, progress):
    """``[fn(*a) for a in args]``, in worker processes when ``n_jobs != 1``."""
    from tqdm.auto import tqdm

    bar = dict(total=len(args), desc="reading reports", unit="report",
               disable=not progress or not args)
    if n_jobs == 1 or len(args) < 2:
        return [fn(*a) for a in tqdm(args, **bar)]
    from joblib import delayed

    return list(tqdm(_parallel(n_jobs, (delayed(fn)(*a) for a in args)), **bar))


def read_table(path):
    """Rows of a report table as dicts, with the errors of rows that could not be read.

    Parameters
    ----------
    path : str
        A ``.jsonl``/``.ndjson``, ``.csv`` or ``.parquet`` file.

    Returns
    -------
    tuple
        ``(rows, errors)``: a list of dicts and a list of
        ``(where, message)`` for lines that are not JSON objects.

    Raises
    ------
    ReportError
        For an unreadable file, an undecodable CSV, or Parquet without pyarrow.

    Example
    -------
    >>> rows, errors = read_table("corpus/chunks/chunks.jsonl")  # doctest: +SKIP
    >>> len(rows), errors  # doctest: +SKIP
    (676, [])
    """
    shown = display_path(path)
    lower = path.lower()
    if lower.endswith(".parquet"):
        try:
            import pyarrow.parquet as pq
        except ImportError:
            raise ReportError(f"reading {shown!r} needs pyarrow: install the extra with "
                              "pip install 'rolnlp[parquet]'") from None
        try:
            return pq.read_table(path).to_pylist(), []
        except Exception as e:  # a damaged file: say which, not pyarrow's traceback
            raise ReportError(f"cannot read Parquet file {shown!r}: {e}") from None
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise ReportError(f"cannot read {shown!r}: {e.strerror or e}") from e
    try:
        text, _ = decode_bytes(data)
    except ReportError as e:
        raise ReportError(f"{shown}: {e}") from None
    rows, errors = [], []
    if lower.endswith(".csv"):
        csv.field_size_limit(min(2**31 - 1, 1 << 30))
        try:
            rows = list(csv.DictReader(io.StringIO(text, newline="")))
        except csv.Error as e:
            raise ReportError(f"{shown}: not a valid CSV file ({e})") from None
        return rows, errors
    for no, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            errors.append((f"{shown}:{no}", f"not valid JSON ({e.msg})"))
            continue
        if not isinstance(row, dict):
            errors.append((f"{shown}:{no}", f"a JSON {type(row).__name__}, not an object"))
            continue
        rows.append(row)
    return rows, errors


def _id_from_url(url: str) -> str:
    """``host/path`` of a url without scheme, query or suffix: a readable stable id."""
    m = re.match(r"(?i)^[a-z][a-z0-9+.-]*://([^/?#]+)([^?#]*)", url.strip())
    if not m:
        return url.strip()
    host, path = m.group(1), m.group(2).rstrip("/")
    path = re.sub(r"\.(?:s?html?|php|aspx?|jsp)$", "", path, flags=re.I)
    return host + path


def _iso_date(s: str):
    """``YYYY-MM-DD`` from a date cell (``2023-05-07 17:15``, ``2023年5月7日``), else None."""
    m = re.search(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})", s)
    if not m:
        return None
    y, mo, d = (int(g) for g in m.groups())
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def _cell(row, name):
    value = row.get(name) if name else None
    if value is None:
        return None
    if isinstance(value, float) and value != value:  # NaN from a table
        return None
    return str(value).strip() or None


def _read_table(path, columns, n_jobs, progress, read_kwargs) -> Corpus:
    cols = dict(TABLE_COLUMNS)
    if columns is not None:
        if not isinstance(columns, dict):
            raise TypeError(f"columns must be a dict, not {type(columns).__name__}")
        unknown = set(columns) - set(TABLE_COLUMNS)
        if unknown:
            raise ValueError(f"unknown column roles {sorted(unknown)}; use "
                             f"{sorted(TABLE_COLUMNS)}")
        cols.update(columns)
    if "encoding" in read_kwargs:
        raise TypeError("encoding= applies to report files; a table's encoding is detected")
    rows, errors = read_table(path)
    shown = display_path(path)
    names = set().union(*(r.keys() for r in rows)) if rows else set()
    if rows and cols["text"] not in names and cols["html"] not in names:
        raise ReportError(f"{shown!r} has no {cols['text']!r} or {cols['html']!r} column "
                          f"(columns: {', '.join(sorted(map(str, names)))}); pass "
                          "columns={'text': ...}")
    use_id = cols["id"] in names
    ids, args, wheres = [], [], []
    for no, row in enumerate(rows):
        text = _cell(row, cols["text"]) or _cell(row, cols["html"])
        url = _cell(row, cols["url"])
        where = f"{shown}: row {no + 1}" + (f" ({url})" if url else "")
        if text is None:
            errors.append((where, "no text or html"))
            continue
        rid = (_cell(row, cols["id"]) if use_id else None) or (
            _id_from_url(url) if url else f"row-{no + 1}")
        ids.append(rid)
        args.append([url, _cell(row, cols["title"]), _cell(row, cols["date"]), text])
        wheres.append(where)
    ids = _unique(ids)
    results = _run(_parse_one, [((i, *a), read_kwargs) for i, a in zip(ids, args)],
                   n_jobs, progress)
    reports = []
    for where, (report, err) in zip(wheres, results):
        if err is None:
            reports.append(report)
        else:
            errors.append((where, err))
    for where, msg in errors:
        logger.warning("skipped %s: %s", where, msg)
    return Corpus(reports, errors)
