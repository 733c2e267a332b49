"""What the analysis writes and how: an output directory that remembers its
own files, CSV cells a spreadsheet cannot run, and names that can be written.

* :class:`OutputDir` keeps ``DIR/.rolnlp-manifest.json`` listing the files a
  run wrote.  The next run into the same directory removes the files the old
  manifest lists and the new run did not write again (stale figures, an old
  ``coherence_sweep.csv``), and never touches any other file.  A lock file
  ``DIR/.rolnlp.lock`` refuses a second run into the same directory while one
  is writing.
* :func:`write_csv` writes a DataFrame with pandas (empty cells stay empty,
  never ``nan``) and neutralises cells a spreadsheet would run as a formula:
  a text cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return
  gets a leading apostrophe (``'=SUM(A1)``), as OWASP recommends.  Numbers
  are left alone.
* :func:`safe_text` replaces lone surrogates (file names whose bytes are not
  UTF-8, e.g. GBK names from a Windows archive) with U+FFFD so they can be
  written as UTF-8 anywhere.
"""
from __future__ import annotations

import contextlib
import datetime as _dt
import errno
import json
import logging
import os
import re
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from ..errors import RolnlpError

if TYPE_CHECKING:
    import pandas as pd

logger = logging.getLogger(__name__)

MANIFEST_NAME = ".rolnlp-manifest.json"
LOCK_NAME = ".rolnlp.lock"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SURROGATES = re.compile("[\ud800-\udfff]")


class OutputError(RolnlpError):
    """The output directory cannot be written (read-only, full, locked by another run)."""


def safe_text(value: Any) -> Any:
    """``value`` with lone surrogates replaced by U+FFFD when it is a str.

    Example
    -------
    >>> safe_text("报告\\udcb1\\udca8.txt")
    '报告\\ufffd\\ufffd.txt'
    """
    if isinstance(value, str) and _SURROGATES.search(value):
        return _SURROGATES.sub("\ufffd", value)
    return value


def _neutral(value: Any) -> Any:
    value = safe_text(value)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def spreadsheet_safe(df: "pd.DataFrame") -> "pd.DataFrame":
    """A copy of ``df`` whose text cells are safe to open in a spreadsheet.

    Text starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets
    a leading ``'``; lists become ``;``-joined text; lone surrogates become
    U+FFFD.  Numeric columns are unchanged.

    Parameters
    ----------
    df : pandas.DataFrame

    Returns
    -------
    pandas.DataFrame

    Example
    -------
    >>> spreadsheet_safe(pd.DataFrame({"text": ["=1+1", "依法行政"]}))["text"].tolist()
    ["'=1+1", '依法行政']
    """
    import pandas as pd
    from pandas.api import types

    out = df.copy()
    for col in out.columns:
        dtype = out[col].dtype
        if types.is_numeric_dtype(dtype) or types.is_bool_dtype(dtype) or \
                types.is_datetime64_any_dtype(dtype):
            continue
        values = [";".join(map(str, v)) if isinstance(v, (list, tuple)) else _neutral(v)
                  for v in out[col]]
        out[col] = pd.Series(values, index=out.index, dtype=object)
    out.columns = [_neutral(c) if isinstance(c, str) else c for c in out.columns]
    return out


def write_csv(df: "pd.DataFrame", path: str | os.PathLike, *, formulas: bool = False) -> str | os.PathLike:
    """Write ``df`` as UTF-8 CSV atomically; returns ``path``.

    Parameters
    ----------
    df : pandas.DataFrame
    path : str
    formulas : bool, default False
        Keep text that looks like a spreadsheet formula as it is.

    Example
    -------
    >>> write_csv(df, "out/paragraphs.csv")  # doctest: +SKIP
    """
    from .._io import atomic_write

    table = df if formulas else spreadsheet_safe(df)
    with atomic_write(path) as f:
        table.to_csv(f, index=False)
    return path


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def describe_os_error(e: OSError, where: str) -> str:
    """One line saying why ``where`` could not be written."""
    reasons = {errno.ENOSPC: "the disk is full", errno.EROFS: "it is on a read-only file system",
               errno.EACCES: "permission denied", errno.EPERM: "permission denied",
               errno.EDQUOT: "the disk quota is exceeded"}
    reason = reasons.get(e.errno, e.strerror or str(e))
    name = safe_text(e.filename) if e.filename else where
    return f"cannot write {name}: {reason}"


class OutputDir:
    """An output directory that remembers the files rolnlp wrote into it.

    Use it as a context manager: entering creates the directory and takes the
    lock, :meth:`add` records each file written, and a successful exit writes
    the new manifest and removes the files the previous run listed that this
    run did not write.  On failure the manifest lists both runs' files, so
    the next run can still clean up.

    Parameters
    ----------
    path : str or os.PathLike

    Example
    -------
    >>> with OutputDir("out") as out:  # doctest: +SKIP
    ...     out.add(write_csv(df, out.file("paragraphs.csv")))
    """

    def __init__(self, path):
        self.path = os.fspath(path)
        self.written: dict[str, None] = {}
        self.previous: list[str] = []
        self._lock = os.path.join(self.path, LOCK_NAME)
        self._locked = False

    # ------------------------------------------------------------ context
    def __enter__(self) -> "OutputDir":
        try:
            os.makedirs(self.path, exist_ok=True)
            self._take_lock()
        except OSError as e:
            raise OutputError(describe_os_error(e, self.path)) from None
        self.previous = read_manifest(self.path)
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                self._finish()
            else:
                with contextlib.suppress(OSError):
                    self._write_manifest([*self.previous, *self.written])
        finally:
            self._release_lock()

    def _take_lock(self) -> None:
        for _ in range(2):
            try:
                fd = os.open(self._lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                try:
                    with open(self._lock, encoding="utf-8") as f:
                        pid = int(f.read().split()[0])
                except (OSError, ValueError, IndexError):
                    pid = None
                if pid is not None and not _pid_alive(pid):
                    logger.warning("removing the stale lock of an ended run (pid %s) in %s",
                                   pid, self.path)
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(self._lock)
                    continue
                raise OutputError(
                    f"another rolnlp run is writing to {safe_text(self.path)} (lock file "
                    f"{safe_text(self._lock)}; delete it if no run is active)") from None
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(f"{os.getpid()}\n")
            self._locked = True
            return
        raise OutputError(f"cannot lock {safe_text(self.path)}")

    def _release_lock(self) -> None:
        if self._locked:
            with contextlib.suppress(OSError):
                os.unlink(self._lock)
            self._locked = False

    # ------------------------------------------------------------ records
    def file(self, name: str) -> str:
        """Path of ``name`` inside the directory."""
        return os.path.join(self.path, name)

    def add(self, path):
        """Record ``path`` (a file, or a directory whose files are all recorded); returns it."""
        path = os.fspath(path)
        if os.path.isdir(path):
            for root, _, files in os.walk(path):
                for name in sorted(files):
                    self._record(os.path.join(root, name))
        else:
            self._record(path)
        return path

    def add_all(self, paths: Iterable) -> None:
        """Record every path of ``paths`` (an iterable of paths)."""
        for p in paths:
            self.add(p)

    def _record(self, path: str) -> None:
        rel = os.path.relpath(path, self.path).replace(os.sep, "/")
        if not rel.startswith("../"):
            self.written[rel] = None

    def _finish(self) -> None:
        stale = [r for r in self.previous if r not in self.written]
        for rel in stale:
            full = self.file(rel)
            with contextlib.suppress(FileNotFoundError, IsADirectoryError):
                os.unlink(full)
                logger.info("removed stale output %s", rel)
            # directories the old run created and that are now empty go too
            parent = os.path.dirname(rel)
            while parent:
                with contextlib.suppress(OSError):
                    os.rmdir(self.file(parent))
                parent = os.path.dirname(parent)
        self._write_manifest(list(self.written))

    def _write_manifest(self, files: Iterable[str]) -> None:
        from .._version import __version__
        from .._io import atomic_write

        files = sorted(dict.fromkeys(files))
        doc = {"written_by": f"rolnlp {__version__}",
               "date": _dt.datetime.now().isoformat(timespec="seconds"),
               "files": files}
        with atomic_write(self.file(MANIFEST_NAME)) as f:
            json.dump(doc, f, ensure_ascii=False, indent=1)
            f.write("\n")


def read_manifest(directory: str | os.PathLike) -> list[str]:
    """Relative paths listed in ``directory``'s manifest (empty when there is none).

    Entries that would leave the directory (absolute, ``..``) are ignored, so a
    crafted manifest cannot make a rerun delete other files.

    Example
    -------
    >>> read_manifest("out")  # doctest: +SKIP
    ['paragraphs.csv', 'summary.html', ...]
    """
    try:
        with open(os.path.join(os.fspath(directory), MANIFEST_NAME), encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError):
        return []
    files = doc.get("files") if isinstance(doc, dict) else None
    if not isinstance(files, list):
        return []
    out = []
    for rel in files:
        if not isinstance(rel, str) or not rel or rel.startswith(("/", "\\")) or ":" in rel:
            continue
        parts = rel.replace("\\", "/").split("/")
        if ".." in parts or "" in parts or rel in (MANIFEST_NAME, LOCK_NAME):
            continue
        out.append("/".join(parts))
    return out


def with_safe_ids(reports: Iterable) -> list:
    """``reports`` with ids that can be written as UTF-8.

    A report read from a file whose name is not UTF-8 (GBK bytes from a
    Windows archive) has lone surrogates in its id; such a report is replaced
    by a shallow copy whose id shows U+FFFD instead (made unique with ``~2``,
    ``~3`` when two ids then coincide).  Other reports are passed through, and
    the caller's objects are never changed.

    Example
    -------
    >>> [r.id for r in with_safe_ids(corpus.reports)]  # doctest: +SKIP
    """
    import copy

    reports = list(reports)
    taken = {getattr(r, "id", None) for r in reports}
    out = []
    for r in reports:
        rid = getattr(r, "id", None)
        if isinstance(rid, str) and _SURROGATES.search(rid):
            new, n = safe_text(rid), 1
            while new in taken:
                n += 1
                new = f"{safe_text(rid)}~{n}"
            taken.add(new)
            r = copy.copy(r)
            r.id = new
        out.append(r)
    return out


def iter_safe_rows(rows: Iterable[dict]) -> Iterator[dict]:
    """``rows`` with every text value passed through :func:`safe_text`."""
    for r in rows:
        yield {safe_text(k): safe_text(v) for k, v in r.items()}
