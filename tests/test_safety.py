"""Model files and outputs: foreign or tampered files are refused with ModelError
without running anything, saves survive interruption, inputs are never modified.

(The classifier's pickle-as-model.json, object-array npz and schema checks live
in test_classifier_persist.py; this file covers the remaining attacks, the
topic model, a real kill during a save and the inputs of a whole analysis.)
"""
import hashlib
import io
import json
import os
import pickle
import shutil
import signal
import subprocess
import sys
import time
import zipfile

import numpy as np
import pytest

import rolnlp
from rolnlp import ModelError, load_model
from rolnlp._io import atomic_write
from rolnlp.persistence import _digest
from rolnlp.cli import main

from conftest import CORPUS, ROOT
from test_topics import SpaceTokenizer, make_docs

SHIPPED = ROOT / "rolnlp" / "models" / "rol-paragraph-v1"
needs_model = pytest.mark.skipif(not (SHIPPED / "model.json").is_file(),
                                 reason="shipped model not built")


class Payload:
    """Unpickling this creates the marker file."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def _arrays(path):
    (f,) = sorted(path.glob("arrays-*.npz"))
    return f


def _object_npz(template, marker, key):
    """``template``'s arrays with ``key`` replaced by an object array (a pickle)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z, np.load(template) as orig:
        for k in orig.files:
            a = io.BytesIO()
            arr = np.array([Payload(marker)], dtype=object) if k == key else orig[k]
            np.lib.format.write_array(a, arr, allow_pickle=True)
            z.writestr(k + ".npy", a.getvalue())
    return buf.getvalue()


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    if not (SHIPPED / "model.json").is_file():
        pytest.skip("shipped model not built")
    d = tmp_path_factory.mktemp("shipped") / "model"
    d.mkdir()
    for name in ("model.json", _arrays(SHIPPED).name):
        shutil.copy(SHIPPED / name, d / name)
    return d


@pytest.fixture
def evil(model_dir, tmp_path):
    """A fresh copy of the model to tamper with, and the marker path."""
    d = tmp_path / "evil"
    shutil.copytree(model_dir, d)
    return d, tmp_path / "PWNED"


def _set_arrays(d, blob_or_target, name=None, symlink=False):
    doc = json.loads((d / "model.json").read_text("utf-8"))
    old = d / doc["arrays"]["file"]
    old.unlink()
    if symlink:
        data = open(blob_or_target, "rb").read()
    else:
        data = blob_or_target
    digest = hashlib.sha256(data).hexdigest()
    name = name or f"arrays-{digest[:16]}.npz"
    if symlink:
        (d / name).symlink_to(blob_or_target)
    else:
        (d / name).write_bytes(data)
    doc["arrays"].update(file=name, sha256=digest)
    doc["sha256"] = _digest(doc)  # re-signed, as a crafted file would be
    (d / "model.json").write_text(json.dumps(doc), "utf-8")


# ------------------------------------------------------------- classifier model
def test_symlinked_weights_are_refused(evil):
    d, marker = evil
    name = _arrays(d).name
    (d / name).unlink()
    (d / name).symlink_to("/etc/passwd")
    with pytest.raises(ModelError, match="checksum mismatch"):
        load_model(d)
    # even with the checksum of /etc/passwd written into model.json
    _set_arrays(d, "/etc/passwd", symlink=True)
    with pytest.raises(ModelError, match="not a numpy archive"):
        load_model(d)
    with pytest.raises(ModelError):
        rolnlp.classify("依法行政", model=d)  # the public boundary says the same


def test_pickled_weights_with_matching_checksum_never_run(evil):
    d, marker = evil
    _set_arrays(d, pickle.dumps(Payload(marker)))
    with pytest.raises(ModelError, match="not a numpy archive"):
        load_model(d)
    for key in ("vocab_0", "idf_1", "intercept"):
        _set_arrays(d, _object_npz(SHIPPED / _arrays(SHIPPED).name, marker, key))
        with pytest.raises(ModelError):
            load_model(d)
    assert not marker.exists()


def test_foreign_model_json(evil, tmp_path):
    d, marker = evil
    (d / "model.json").unlink()
    (d / "model.json").symlink_to("/etc/passwd")
    with pytest.raises(ModelError, match="not a rolnlp model"):
        load_model(d)
    (d / "model.json").unlink()
    (d / "model.json").write_text(json.dumps([1, 2, 3]), "utf-8")
    with pytest.raises(ModelError, match="not a rolnlp model"):
        load_model(d)
    (d / "model.json").write_bytes(b"{" * 100_000)  # deeply nested garbage
    with pytest.raises(ModelError):
        load_model(d)
    (d / "model.json").write_bytes(b" " * 6_000_000)  # larger than any real model.json
    with pytest.raises(ModelError, match="larger than"):
        load_model(d)
    for path in ("/dev/zero", "/etc/passwd", tmp_path / "nothing"):
        with pytest.raises(ModelError):
            load_model(path)
    assert not marker.exists()


def test_non_finite_or_reshaped_weights_are_refused(evil, model_dir):
    d, _ = evil
    with np.load(_arrays(model_dir)) as z:
        arrays = {k: z[k] for k in z.files}
    from rolnlp.persistence import _npz_bytes

    bad = dict(arrays, intercept=np.full_like(arrays["intercept"], np.nan))
    _set_arrays(d, _npz_bytes(bad))
    with pytest.raises(ModelError, match="non-finite"):
        load_model(d)
    bad = dict(arrays, coef=arrays["coef"][:, :10])
    _set_arrays(d, _npz_bytes(bad))
    with pytest.raises(ModelError, match="coef.npy holds|coef must be"):
        load_model(d)


def _interrupting(real, match, fail_after):
    """Wrap ``atomic_write`` so writing a file ``match(name)`` fails after ``fail_after`` bytes."""
    import contextlib

    @contextlib.contextmanager
    def wrapped(path, *a, **k):
        with real(path, *a, **k) as f:
            if not match(os.path.basename(path)):
                yield f
                return

            class Full:
                def write(self, data):
                    f.write(data[:fail_after])
                    raise OSError(28, "No space left on device")

            yield Full()
    return wrapped


@needs_model
@pytest.mark.parametrize("target", ["arrays-", "model.json"])
def test_save_interrupted_mid_write_keeps_the_old_model(model_dir, tmp_path, monkeypatch, target):
    import rolnlp.persistence as portable

    path = tmp_path / "m"
    shutil.copytree(model_dir, path)
    old = load_model(path)
    texts = ["依法办理行政复议案件", "开展宪法宣传周活动", "现将有关情况报告如下"]
    before = old.predict_proba(texts)
    new = load_model(path)
    new.coef_ = new.coef_ * 0.5  # a different model, so its arrays get a new name
    new.metadata["name"] = "changed"
    files = sorted(os.listdir(path))
    monkeypatch.setattr(portable, "atomic_write",
                        _interrupting(atomic_write, lambda n: n.startswith(target), 100))
    with pytest.raises(OSError, match="No space left"):
        new.save(path)
    monkeypatch.undo()
    after = load_model(path)
    assert np.array_equal(after.predict_proba(texts), before)
    assert after.metadata.get("name") == old.metadata.get("name")
    assert not [p for p in os.listdir(path) if p.startswith(".tmp-")]
    if target == "arrays-":
        assert sorted(os.listdir(path)) == files
    new.save(path)  # the next save goes through and leaves one arrays file
    assert load_model(path).metadata["name"] == "changed"
    assert len(list(path.glob("arrays-*.npz"))) == 1


KILLER = r"""
import sys, rolnlp
from rolnlp.classification.portable import load_model
a = load_model(sys.argv[1]); b = load_model(sys.argv[1])
b.coef_ = b.coef_ * 0.5; b.metadata["name"] = "half"
print("ready", flush=True)
while True:
    a.save(sys.argv[1]); b.save(sys.argv[1])
"""


@needs_model
def test_killed_while_saving_leaves_a_loadable_model(model_dir, tmp_path):
    path = tmp_path / "m"
    shutil.copytree(model_dir, path)
    names = set()
    for delay in (0.3, 0.9):
        proc = subprocess.Popen([sys.executable, "-c", KILLER, str(path)], stdout=subprocess.PIPE,
                                env={**os.environ, "PYTHONPATH": str(ROOT)}, text=True)
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        m = load_model(path)  # whatever instant the kill hit, a whole model is there
        names.add(m.metadata.get("name"))
        assert m.predict(["依法办理行政复议案件"])
    assert names <= {load_model(model_dir).metadata.get("name"), "half"}


def test_atomic_write_interrupted_keeps_old_content_and_mode(tmp_path):
    out = tmp_path / "out.csv"
    out.write_text("old\n", "utf-8")
    out.chmod(0o640)
    with pytest.raises(KeyboardInterrupt):
        with atomic_write(out) as f:
            f.write("new, half")
            raise KeyboardInterrupt
    assert out.read_text("utf-8") == "old\n"
    assert os.listdir(tmp_path) == ["out.csv"]
    with atomic_write(out) as f:
        f.write("new\n")
    assert out.read_text("utf-8") == "new\n" and (out.stat().st_mode & 0o777) == 0o640


# ------------------------------------------------------------------- topic model
@pytest.fixture(scope="module")
def topic_dir(tmp_path_factory):
    from rolnlp.analysis import TopicModel

    tm = TopicModel(n_topics=3, random_state=0, tokenizer=SpaceTokenizer(), phrases=False,
                    stop_terms=()).fit(make_docs(10))
    return tm, tm.save(tmp_path_factory.mktemp("tm") / "tm")


def _tampered_topic(src, dst, mutate=None, npz=None):
    """Copy a saved topic model, change it, and recompute every checksum, as a forger would."""
    from rolnlp.persistence import _digest

    shutil.copytree(src, dst)
    doc = json.loads((dst / "model.json").read_text("utf-8"))
    if mutate:
        mutate(doc["manifest"])
    if npz is not None:
        arrays = dst / doc["arrays"]["file"]
        if isinstance(npz, str):
            arrays.unlink()
            arrays.symlink_to(npz)
            npz = open(npz, "rb").read()
        else:
            arrays.write_bytes(npz)
        doc["arrays"]["sha256"] = hashlib.sha256(npz).hexdigest()
    doc["sha256"] = _digest(doc)
    (dst / "model.json").write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    return dst


@pytest.mark.parametrize("case", ["pickle", "object-array", "passwd-symlink", "unknown-param",
                                  "seed-terms-list", "ragged-documents", "vocab-number",
                                  "wrong-shape"])
def test_topic_model_refuses_crafted_files(topic_dir, tmp_path, case):
    from rolnlp.analysis import TopicModel

    _, src = topic_dir
    src = type(tmp_path)(src)
    marker = tmp_path / "PWNED"
    kinds = {
        "pickle": {"npz": pickle.dumps(Payload(marker))},
        "object-array": {"npz": _object_npz(next(src.glob("arrays-*.npz")), marker, "topic_word")},
        "passwd-symlink": {"npz": "/etc/passwd"},
        "unknown-param": {"mutate": lambda p: p["params"].update(evil=1)},
        "seed-terms-list": {"mutate": lambda p: p.update(seed_terms=["x"])},
        "ragged-documents": {"mutate": lambda p: p.update(documents={"a": [1], "b": [1, 2]})},
        "vocab-number": {"mutate": lambda p: p.update(vocab=7)},
        "wrong-shape": {"mutate": lambda p: p.update(vocab=p["vocab"][:-1])},
    }
    bad = _tampered_topic(src, tmp_path / "bad", **kinds[case])
    with pytest.raises(ModelError) as info:
        TopicModel.load(bad, tokenizer=SpaceTokenizer())
    assert str(bad) in str(info.value)
    assert "allow_pickle=True" not in str(info.value)  # never invite unpickling
    assert not marker.exists()


@pytest.mark.parametrize("target", ["arrays-", "model.json"])
def test_topic_model_save_interrupted_keeps_old(topic_dir, tmp_path, monkeypatch, target):
    import rolnlp.persistence as persistence
    from rolnlp.analysis import TopicModel

    tm, _ = topic_dir
    path = tm.save(tmp_path / "tm")
    texts = list(make_docs(2)["text"])
    before = TopicModel.load(path, tokenizer=SpaceTokenizer()).transform(texts)[1]
    other = TopicModel(n_topics=2, random_state=1, tokenizer=SpaceTokenizer(), phrases=False,
                       stop_terms=()).fit(make_docs(5, seed=1))
    monkeypatch.setattr(persistence, "atomic_write",
                        _interrupting(atomic_write, lambda n: n.startswith(target), 50))
    with pytest.raises(OSError, match="No space left"):
        other.save(path)  # new arrays may be in place, the manifest is still the old one
    monkeypatch.undo()
    loaded = TopicModel.load(path, tokenizer=SpaceTokenizer())
    assert loaded.n_topics_ == tm.n_topics_
    np.testing.assert_allclose(loaded.transform(texts)[1], before)
    other.save(path)  # a complete save replaces the model and drops the kept arrays
    assert TopicModel.load(path, tokenizer=SpaceTokenizer()).n_topics_ == 2
    names = sorted(os.listdir(path))
    assert len(names) == 2 and names[1] == "model.json" and names[0].startswith("arrays-")


# ----------------------------------------------------------------- inputs
def _fingerprint(root):
    out = {}
    for dirpath, _, files in os.walk(root):
        for name in files:
            if name.endswith(".md"):
                continue  # documentation, not input data
            p = os.path.join(dirpath, name)
            st = os.stat(p)
            with open(p, "rb") as f:
                out[os.path.relpath(p, root)] = (hashlib.sha256(f.read()).hexdigest(),
                                                 st.st_size, st.st_mtime_ns, st.st_mode)
    return out


@needs_model
def test_commands_never_modify_their_inputs(tmp_path, capsys):
    before = _fingerprint(CORPUS)
    reports = str(CORPUS / "reports")
    out = tmp_path / "out"
    assert main(["analyze", reports, "--out", str(out), "--n-topics", "4", "--quiet"]) == 0
    # outputs inside the (recursively read) input tree are refused, and nothing is created
    assert main(["analyze", str(CORPUS), "--out", str(CORPUS / "reports" / "out"), "-q"]) == 2
    assert "inside the input directory" in capsys.readouterr().err
    assert main(["classify", reports, "--format", "csv", "-q"]) == 0
    assert main(["read", str(CORPUS / "reports" / sorted(os.listdir(reports))[0])]) == 0
    capsys.readouterr()
    rolnlp.read_corpus(CORPUS / "reports", progress=False).classify()
    assert _fingerprint(CORPUS) == before
    assert "paragraphs.csv" in os.listdir(out)
    assert not [p for p in os.listdir(out) if p.startswith(".tmp-")]
