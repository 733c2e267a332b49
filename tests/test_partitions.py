"""The corpus table as Parquet partitions: the same table sequentially, in processes and on a Dask cluster."""
import json
import shutil

import pandas as pd
import pytest

import rolnlp
from rolnlp.errors import RolnlpError

from conftest import REPORTS

pytest.importorskip("pyarrow")


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    root = tmp_path_factory.mktemp("tree")
    for i, p in enumerate(sorted(REPORTS.glob("*.txt"))):
        sub = root / ("a" if i % 2 else "b")
        sub.mkdir(exist_ok=True)
        shutil.copy(p, sub / p.name)
    (root / "b" / "broken.txt").write_bytes(b"\x00\x01\x02" * 200)
    (root / "c").mkdir()  # sorts last: a batch of its own, with no year, date or place
    (root / "c" / "undated.txt").write_text("一、总体情况\n全面推进依法行政工作。\n", "utf-8")
    return root


def _table(folder):
    return pd.read_parquet(folder).sort_values(["report_id", "index"], kind="stable") \
        .reset_index(drop=True)


def test_partitions_hold_the_corpus_table(tree, tmp_path):
    m = rolnlp.write_partitions(tree, tmp_path / "seq", batch_size=2, progress=False)
    assert [p["partition"] for p in m["partitions"]] == [
        "part-00000.parquet", "part-00001.parquet", "part-00002.parquet", "part-00003.parquet"]
    assert m["reports"] == 6 and len(m["errors"]) == 1 and "broken.txt" in m["errors"][0][0]
    assert json.loads((tmp_path / "seq" / "_partitions.json").read_text("utf-8")) == m
    got = _table(tmp_path / "seq")
    want = rolnlp.read_corpus(tree, progress=False).classify()
    want = want.sort_values(["report_id", "index"], kind="stable").reset_index(drop=True)
    assert len(got) == len(want) == m["rows"]
    assert list(got["text"]) == list(want["text"])
    assert list(got["label"]) == list(want["label"])
    assert set(got["label"]) <= set(rolnlp.CATEGORY_CODES)


def test_processes_give_identical_partitions(tree, tmp_path):
    rolnlp.write_partitions(tree, tmp_path / "seq", batch_size=2, progress=False)
    rolnlp.write_partitions(tree, tmp_path / "par", batch_size=2, n_jobs=2, progress=False)
    for part in sorted((tmp_path / "seq").glob("part-*.parquet")):
        pd.testing.assert_frame_equal(pd.read_parquet(part),
                                      pd.read_parquet(tmp_path / "par" / part.name))


def test_dask_local_cluster_gives_identical_partitions(tree, tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    import joblib

    files = sorted(str(p) for p in tree.rglob("*.txt"))
    rolnlp.write_partitions(files, tmp_path / "seq", batch_size=2, progress=False)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        with joblib.parallel_config(backend="dask"):
            m = rolnlp.write_partitions(files, tmp_path / "dask", batch_size=2, n_jobs=-1,
                                        progress=False)
        assert len(client.scheduler_info()["workers"]) == 2
    assert m["reports"] == 6
    for part in sorted((tmp_path / "seq").glob("part-*.parquet")):
        pd.testing.assert_frame_equal(pd.read_parquet(part),
                                      pd.read_parquet(tmp_path / "dask" / part.name))


def test_bad_arguments(tree, tmp_path):
    with pytest.raises(TypeError):
        rolnlp.write_partitions(tree, tmp_path, batch_size=0)
    with pytest.raises(RolnlpError, match="twice"):
        f = str(next(tree.rglob("*.txt")))
        rolnlp.write_partitions([f, f], tmp_path)
