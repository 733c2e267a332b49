"""Crafted model files are refused with ModelError, quickly and in bounded memory.

Each case builds a hostile bundle from a small real model (checksums
recomputed, as an attacker would) and loads it in a fresh subprocess that
reports its peak resident memory (``resource.getrusage``) and wall time.
"""
import io
import json
import os
import subprocess
import sys
import textwrap
import zipfile
import zlib
import hashlib

import numpy as np
import pytest

from clf_helpers import toy
from rolnlp import ModelError, ParagraphClassifier, load_model
from rolnlp.persistence import _digest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEAK_MB = 400  # generous: the interpreter with numpy and rolnlp is ~100 MB
SECONDS = 20


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    path = tmp_path_factory.mktemp("crafted") / "good"
    X, y = toy()
    ParagraphClassifier(features="char", model="logreg").fit(X, y).save(path)
    return path


def _doc(path):
    return json.loads((path / "model.json").read_text("utf-8"))


def _write(path, doc, blob):
    """A bundle at ``path`` with arrays ``blob`` and a re-signed manifest ``doc``."""
    path.mkdir()
    digest = hashlib.sha256(blob).hexdigest()
    name = f"arrays-{digest[:16]}.npz"
    (path / name).write_bytes(blob)
    doc["arrays"].update(file=name, sha256=digest)
    doc["sha256"] = _digest(doc)
    (path / "model.json").write_text(json.dumps(doc), "utf-8")
    return path


def _members(path):
    (f,) = path.glob("arrays-*.npz")
    with zipfile.ZipFile(f) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def _zip(members, big=None):
    """An archive of ``members`` (name -> bytes), plus ``big`` = (name, header, n_zero_bytes)
    streamed as a highly compressible member."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
        if big:
            name, header, n = big
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            with z.open(info, "w", force_zip64=True) as f:
                f.write(header)
                chunk = bytes(1 << 24)
                for _ in range(n // len(chunk)):
                    f.write(chunk)
    return buf.getvalue()


def _npy_header(dtype, shape):
    b = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        b, {"descr": np.dtype(dtype).str, "fortran_order": False, "shape": shape})
    return b.getvalue()


def _load_in_subprocess(path):
    code = textwrap.dedent(f"""
        import resource, sys, time
        t = time.perf_counter()
        from rolnlp import ModelError, load_model
        try:
            load_model({str(path)!r})
            outcome = "loaded"
        except ModelError as e:
            outcome = "ModelError: " + str(e)
        except BaseException as e:
            outcome = type(e).__name__ + ": " + str(e)
        try:  # VmHWM starts afresh at exec; ru_maxrss may carry the parent's peak
            with open("/proc/self/status") as f:
                peak = next(int(l.split()[1]) for l in f if l.startswith("VmHWM")) / 1024
        except OSError:
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(outcome[:300]); print(peak); print(time.perf_counter() - t)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, env={**os.environ, "PYTHONPATH": ROOT})
    outcome, peak, secs = out.stdout.strip().splitlines()[-3:]
    return outcome, float(peak), float(secs)


def _assert_refused(path, match):
    outcome, peak, secs = _load_in_subprocess(path)
    assert outcome.startswith("ModelError") and match in outcome, outcome
    assert peak < PEAK_MB, f"peak RSS {peak:.0f} MB"
    assert secs < SECONDS, f"{secs:.1f} s"


def test_zip_bomb_member_is_refused_from_its_header(good, tmp_path):
    # coef.npy replaced by 512 MB of zeros (about 0.5 MB compressed) under a
    # header that claims the size: the manifest keeps declaring the real shape
    members = _members(good)
    del members["coef.npy"]
    n = 512 * 2**20
    blob = _zip(members, ("coef.npy", _npy_header("<f8", (n // 8,)), n))
    assert len(blob) < 5 * 2**20
    _assert_refused(_write(tmp_path / "bomb", _doc(good), blob), "coef.npy is")


def test_zip_bomb_declared_in_the_manifest_is_refused_before_reading(good, tmp_path):
    doc = _doc(good)
    members = _members(good)
    del members["coef.npy"]
    n = 256 * 2**20  # within the global limit: the model's own shapes refuse it
    doc["arrays"]["members"]["coef"]["shape"] = [n // 8]
    blob = _zip(members, ("coef.npy", _npy_header("<f8", (n // 8,)), n))
    _assert_refused(_write(tmp_path / "bomb2", doc, blob), "coef must be")


def test_twenty_extra_members_are_refused(good, tmp_path):
    members = _members(good)
    zeros = np.zeros(2**20)  # 8 MB each, 160 MB in all, tiny compressed
    for i in range(20):
        b = io.BytesIO()
        np.lib.format.write_array(b, zeros)
        members[f"extra_{i}.npy"] = b.getvalue()
    _assert_refused(_write(tmp_path / "extra", _doc(good), _zip(members)),
                    "archive members differ")


def test_extra_members_declared_in_the_manifest_are_refused(good, tmp_path):
    doc = _doc(good)
    members = _members(good)
    for i in range(20):
        members[f"extra_{i}.npy"] = _npy_header("<f8", (4,)) + bytes(32)
        doc["arrays"]["members"][f"extra_{i}"] = {"dtype": "<f8", "shape": [4]}
    with pytest.raises(ModelError, match="differ from the expected"):
        load_model(_write(tmp_path / "declared", doc, _zip(members)))


def test_member_without_npy_suffix_is_a_model_error(good, tmp_path):
    members = _members(good)
    members["coef"] = members.pop("coef.npy")
    with pytest.raises(ModelError, match="archive members differ"):
        load_model(_write(tmp_path / "nosuffix", _doc(good), _zip(members)))


def test_member_header_disagreeing_with_the_manifest_is_refused(good, tmp_path):
    members = _members(good)
    members["intercept.npy"] = _npy_header("<i8", (3,)) + bytes(24)
    with pytest.raises(ModelError, match="intercept.npy holds"):
        load_model(_write(tmp_path / "header", _doc(good), _zip(members)))


def test_deeply_nested_manifest_is_a_model_error(good, tmp_path):
    bad = tmp_path / "deep"
    bad.mkdir()
    (bad / "model.json").write_text("[" * 200_000 + "]" * 200_000, "utf-8")
    with pytest.raises(ModelError, match="nests deeper"):
        load_model(bad)
    doc = _doc(good)
    doc["manifest"]["metadata"]["deep"] = "@@"
    text = json.dumps(doc).replace('"@@"', '{"a": ' * 5000 + '"x"' + "}" * 5000)
    (bad / "model.json").write_text(text, "utf-8")
    with pytest.raises(ModelError):
        load_model(bad)


def test_huge_sparse_manifest_is_not_read(tmp_path):
    bad = tmp_path / "sparse"
    bad.mkdir()
    with open(bad / "model.json", "wb") as f:
        f.write(b'{"format": "rolnlp-bundle", "pad": "')
        f.truncate(2 * 2**30)  # 2 GB, sparse: no disk used
    _assert_refused(bad, "larger than")


def test_non_dict_tokenizer_metadata_is_a_model_error(good, tmp_path):
    doc = _doc(good)
    doc["manifest"]["metadata"]["tokenizer"] = "jieba"
    (f,) = good.glob("arrays-*.npz")
    with pytest.raises(ModelError, match="tokenizer"):
        load_model(_write(tmp_path / "tok", doc, f.read_bytes()))


def test_a_real_model_still_loads_within_the_bounds(good):
    outcome, peak, secs = _load_in_subprocess(good)
    assert outcome == "loaded" and peak < PEAK_MB
