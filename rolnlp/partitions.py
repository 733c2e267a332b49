"""The paragraph table of a corpus too large for one process, written as Parquet partitions.

Reports are read, segmented and classified in batches, each batch written as
one Parquet file (``part-00000.parquet`` …) as soon as it is done, so memory
holds one batch per worker whatever the size of the corpus.  Batches run
through joblib, so the same call spreads over a cluster when a distributed
backend is active::

    from dask.distributed import Client
    import joblib
    client = Client("scheduler-address:8786")     # or Client(LocalCluster())
    with joblib.parallel_config(backend="dask"):
        rolnlp.write_partitions(paths_on_shared_storage, "/shared/out/units", n_jobs=-1)

The partitions are identical whatever the backend or the number of jobs: a
batch holds the same reports (in sorted path order) and is written under the
same name.  Pandas, pyarrow and dask read the folder back as one table.

Example
-------
>>> out = write_partitions("corpus/reports", "out/units", batch_size=2)  # doctest: +SKIP
>>> import pandas as pd; pd.read_parquet("out/units").shape  # doctest: +SKIP
"""
from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Iterable, Optional, Union

from ._io import atomic_write
from .errors import RolnlpError

logger = logging.getLogger(__name__)

MANIFEST = "_partitions.json"
# integer columns of the paragraph table that may be all None in a batch
_INT_COLUMNS = frozenset({"year", "index", "start", "end"})


def _require_pyarrow():
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise RolnlpError("writing Parquet needs pyarrow: pip install 'rolnlp[distributed]'") from None


def _sources(source, pattern):
    from .corpus import _ids, find_reports

    if isinstance(source, (str, os.PathLike)):
        paths = find_reports(source, pattern=pattern)
        return paths, _ids(paths, os.fspath(source))
    if isinstance(source, (bytes, bytearray)):
        raise TypeError("source must be a directory or a list of file paths, not bytes")
    paths = sorted(os.fspath(p) for p in source)
    if len(set(paths)) != len(paths):
        raise RolnlpError("the list of files names one file twice")
    common = os.path.commonpath(paths) if paths else ""
    if common and not os.path.isdir(common):
        common = os.path.dirname(common)
    return paths, _ids(paths, common)


def _run_batch(index, paths, ids, out_dir, model, classify):
    """Read, classify and write one batch; returns its summary (runs in a worker)."""
    import pandas as pd

    from .corpus import _read_one

    frames, errors = [], []
    for path, rid in zip(paths, ids):
        report, err = _read_one(path, rid, {})
        if err is not None:
            errors.append([path, err])
            continue
        if classify:
            from .classification import classify_report

            frames.append(classify_report(report, model=model))
        else:
            frames.append(report.to_dataframe())
    frames = [f for f in frames if len(f)]
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    table = _stable_types(table)
    name = f"part-{index:05d}.parquet"
    with atomic_write(Path(out_dir) / name, "wb") as f:
        table.to_parquet(f, index=False)
    return {"partition": name, "reports": len(paths) - len(errors), "rows": len(table),
            "errors": errors}


def _stable_types(table):
    """One Parquet type per column in every partition, whatever a batch holds.

    A column that is empty (all None) in one batch would otherwise be written
    as Parquet's null type there and as strings elsewhere, and the partitions
    would not read back as one table.  Lists (evidence terms) become JSON text.
    """
    import pandas as pd

    for col in table.columns:
        s = table[col]
        if s.dtype != object:
            continue
        values = s.dropna()
        if values.map(lambda v: isinstance(v, (list, tuple))).any():
            table[col] = s.map(lambda v: json.dumps(list(v), ensure_ascii=False)
                               if isinstance(v, (list, tuple)) else v).astype("string")
        elif col in _INT_COLUMNS or (len(values) and values.map(
                lambda v: isinstance(v, int) and not isinstance(v, bool)).all()):
            table[col] = pd.array(s.tolist(), dtype="Int64")
        else:
            table[col] = s.astype("string")
    return table


def write_partitions(source: Union[str, os.PathLike, Iterable], out_dir: Union[str, os.PathLike], *,
                     model=None, classify: bool = True, batch_size: int = 200,
                     pattern: Optional[str] = None, n_jobs: int = 1,
                     progress: bool = True) -> dict:
    """Write the paragraph table of many reports as Parquet partitions, batch by batch.

    Parameters
    ----------
    source : path of a directory, or an iterable of file paths
        A directory is searched as :func:`rolnlp.read_corpus` searches it; a
        list of files (e.g. on storage every cluster worker can read) is
        taken as it is, in sorted order.
    out_dir : path
        Folder for ``part-NNNNN.parquet`` files and ``_partitions.json``;
        created if missing.  Partitions left by an earlier run are replaced.
    model : None, path or model, optional
        As for :func:`rolnlp.classify`; ``None`` uses the shipped model.
    classify : bool, default True
        Add the prediction columns; ``False`` writes the table as read.
    batch_size : int, default 200
        Reports per partition (and per task).
    pattern : str, optional
        Glob restricting the files of a directory.
    n_jobs : int, default 1
        Parallel tasks through joblib (``-1``: all cores, or all cluster
        workers under ``joblib.parallel_config(backend="dask")``).
    progress : bool, default True
        Show a progress bar over batches.

    Returns
    -------
    dict
        The manifest also written to ``out_dir/_partitions.json``: the
        partitions with their report and row counts, and the files that could
        not be read with the reason.

    Raises
    ------
    rolnlp.RolnlpError
        Without pyarrow, or for a list that names a file twice.

    Example
    -------
    >>> m = write_partitions("corpus/reports", "out/units", batch_size=2)  # doctest: +SKIP
    >>> [p["partition"] for p in m["partitions"]]  # doctest: +SKIP
    ['part-00000.parquet', 'part-00001.parquet', 'part-00002.parquet']
    """
    if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size < 1:
        raise TypeError(f"batch_size must be a positive int, got {batch_size!r}")
    _require_pyarrow()
    from joblib import Parallel, delayed

    paths, ids = _sources(source, pattern)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("part-*.parquet"):
        old.unlink()
    if model is not None and not isinstance(model, (str, os.PathLike)):
        logger.info("a model object is sent to every task; pass a path to load it once per worker")
    batches = [(i // batch_size, paths[i:i + batch_size], ids[i:i + batch_size])
               for i in range(0, len(paths), batch_size)]
    tasks = (delayed(_run_batch)(i, p, d, os.fspath(out), model, classify) for i, p, d in batches)
    gen = Parallel(n_jobs=n_jobs, return_as="generator")(tasks)
    if progress:
        from tqdm.auto import tqdm

        gen = tqdm(gen, total=len(batches), desc="partitions", unit="batch")
    parts = list(gen)
    manifest = {"partitions": parts, "reports": sum(p["reports"] for p in parts),
                "rows": sum(p["rows"] for p in parts),
                "errors": [e for p in parts for e in p.pop("errors")]}
    with atomic_write(out / MANIFEST) as f:
        json.dump(manifest, f, ensure_ascii=False, indent=1)
    for path, err in manifest["errors"]:
        logger.warning("skipped %s: %s", path, err)
    return manifest
