"""Safe persistence: numpy inference equals scikit-learn, foreign or tampered files
are refused without running anything, and an interrupted save keeps the old model."""
import hashlib
import json
import os
import pickle

import numpy as np
import pytest

from clf_helpers import fitted, subset
from rolnlp import ModelError, load_model
from rolnlp.persistence import _digest


def _resign(doc):
    """Recompute the manifest checksum, as someone crafting a file would."""
    doc["sha256"] = _digest(doc)
    return doc


class _Payload:
    """Unpickling this would create the marker file."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    clf = fitted("union", "svm")
    path = tmp_path_factory.mktemp("m") / "model"
    clf.save(path, metadata={"name": "test"})
    return clf, path


def _arrays_file(path):
    (f,) = sorted(path.glob("arrays-*.npz"))
    return f


@pytest.mark.parametrize("features,model", [("union", "svm"), ("word", "logreg")])
def test_loaded_model_equals_sklearn(tmp_path, features, model):
    clf = fitted(features, model)
    clf.save(tmp_path / "m")
    m = load_model(tmp_path / "m")
    X = subset()[0][:80] + ["", "完全没有见过的词语组合", "Ｆｕｌｌ－ｗｉｄｔｈ　行政復議"]
    assert np.allclose(m.predict_proba(X), clf.predict_proba(X), atol=1e-10)
    assert m.predict(X) == list(clf.predict(X))
    assert list(m.classes_) == list(clf.classes_)


def test_metadata_is_recorded(saved):
    _, path = saved
    doc = json.loads((path / "model.json").read_text("utf-8"))
    assert doc["format"] == "rolnlp-bundle" and doc["kind"] == "rolnlp-linear-text"
    meta = doc["manifest"]["metadata"]
    assert doc["manifest"]["codebook_version"] == meta["codebook_version"]
    assert meta["params"]["features"] == "union" and meta["name"] == "test"
    assert len(meta["tokenizer"]["lexicon_sha256"]) == 64
    assert "numpy" in meta["library_versions"]
    assert doc["arrays"]["sha256"] == hashlib.sha256(_arrays_file(path).read_bytes()).hexdigest()


def test_save_is_deterministic(tmp_path):
    clf = fitted("char", "svm")
    clf.save(tmp_path / "a")
    clf.save(tmp_path / "b")
    assert _arrays_file(tmp_path / "a").read_bytes() == _arrays_file(tmp_path / "b").read_bytes()


def test_refuses_a_pickle_without_running_it(tmp_path):
    marker = tmp_path / "pwned"
    evil = tmp_path / "evil"
    evil.mkdir()
    (evil / "model.json").write_bytes(pickle.dumps(_Payload(str(marker))))
    with pytest.raises(ModelError, match="not a rolnlp model"):
        load_model(evil)
    with pytest.raises(ModelError):
        load_model(evil / "model.json")
    assert not marker.exists()


def test_refuses_pickled_arrays_even_with_matching_checksum(saved, tmp_path):
    _, path = saved
    marker = tmp_path / "pwned"
    bad = tmp_path / "bad"
    bad.mkdir()
    doc = json.loads((path / "model.json").read_text("utf-8"))
    # an npz whose coef entry is an object array (i.e. a pickle)
    import io
    import zipfile
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        with np.load(_arrays_file(path)) as orig:
            for k in orig.files:
                a = io.BytesIO()
                arr = np.array([_Payload(str(marker))], dtype=object) if k == "coef" else orig[k]
                np.lib.format.write_array(a, arr, allow_pickle=True)
                z.writestr(k + ".npy", a.getvalue())
    blob = buf.getvalue()
    digest = hashlib.sha256(blob).hexdigest()
    name = f"arrays-{digest[:16]}.npz"
    (bad / name).write_bytes(blob)
    doc["arrays"].update(file=name, sha256=digest)
    (bad / "model.json").write_text(json.dumps(_resign(doc)), "utf-8")
    with pytest.raises(ModelError, match="coef.npy holds object"):
        load_model(bad)
    assert not marker.exists()


def test_refuses_tampered_arrays(saved, tmp_path):
    _, path = saved
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "model.json").write_bytes((path / "model.json").read_bytes())
    data = bytearray(_arrays_file(path).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (bad / _arrays_file(path).name).write_bytes(bytes(data))
    with pytest.raises(ModelError, match="checksum mismatch"):
        load_model(bad)


@pytest.mark.parametrize("mutate,message", [
    (lambda d: d.update(format="something-else"), "not a rolnlp-bundle"),
    (lambda d: d.update(kind="topic-model"), "not a 'rolnlp-linear-text'"),
    (lambda d: d.update(format_version=99), "format version"),
    (lambda d: d["manifest"].update(version=99), "model version"),
    (lambda d: d["manifest"].update(classes=["a"]), "classes"),
    (lambda d: d["manifest"]["blocks"][0].update(n_features=3), "(coef|vocab_0) must be"),
    (lambda d: d["arrays"].update(file="../../etc/passwd"), "arrays"),
    (lambda d: d["manifest"].update(calibration="magic"), "calibration"),
    (lambda d: d["manifest"].update(classes=d["manifest"]["classes"] + ["extra"]),
     "coef must be"),
    (lambda d: d["manifest"]["metadata"].update(tokenizer=[1, 2]), "tokenizer"),
    (lambda d: d["manifest"].update(metadata="x"), "metadata"),
])
def test_refuses_wrong_schema_or_shapes(saved, tmp_path, mutate, message):
    _, path = saved
    bad = tmp_path / "bad"
    bad.mkdir()
    doc = json.loads((path / "model.json").read_text("utf-8"))
    mutate(doc)
    (bad / "model.json").write_text(json.dumps(_resign(doc)), "utf-8")
    arrays = _arrays_file(path)
    (bad / arrays.name).write_bytes(arrays.read_bytes())
    with pytest.raises(ModelError, match=message):
        load_model(bad)


def test_hand_edited_manifest_is_refused(saved, tmp_path):
    _, path = saved
    bad = tmp_path / "bad"
    bad.mkdir()
    doc = json.loads((path / "model.json").read_text("utf-8"))
    doc["manifest"]["metadata"]["threshold"] = 0.9
    (bad / "model.json").write_text(json.dumps(doc), "utf-8")
    arrays = _arrays_file(path)
    (bad / arrays.name).write_bytes(arrays.read_bytes())
    with pytest.raises(ModelError, match="model.json checksum mismatch"):
        load_model(bad)


def test_missing_model_is_a_model_error(tmp_path):
    with pytest.raises(ModelError, match="no model"):
        load_model(tmp_path / "nothing")
    with pytest.raises(TypeError):
        load_model(42)


def test_interrupted_save_keeps_old_model(tmp_path, monkeypatch):
    old, new = fitted("char", "svm"), fitted("word", "logreg")
    path = tmp_path / "m"
    old.save(path)
    X = subset()[0][:30]
    before = load_model(path).predict_proba(X)

    import rolnlp.persistence as portable
    real = portable.atomic_write
    calls = []

    def failing(p, *a, **k):
        calls.append(os.path.basename(p))
        if os.path.basename(p) == "model.json":
            raise OSError("disk full")
        return real(p, *a, **k)

    monkeypatch.setattr(portable, "atomic_write", failing)
    with pytest.raises(OSError, match="disk full"):
        new.save(path)
    monkeypatch.undo()
    assert calls[-1] == "model.json"  # new arrays were already written
    after = load_model(path)
    assert np.allclose(after.predict_proba(X), before)
    assert after.metadata["params"]["features"] == "char"
    new.save(path)  # a later save succeeds and cleans up the stray arrays file
    assert len(list(path.glob("arrays-*.npz"))) == 1
    assert load_model(path).metadata["params"]["features"] == "word"
