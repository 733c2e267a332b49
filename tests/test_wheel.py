"""The wheel built from a clean copy of the repository works as users install it:
non-editable, in a fresh virtual environment, run from a directory outside the
clone, with the default model found inside the installed package."""
import csv
import io
import json
import os
import pathlib
import shutil
import site
import subprocess
import sys
import zipfile

import pytest

from rolnlp.codebook import CATEGORY_CODES

ROOT = pathlib.Path(__file__).resolve().parents[1]
REPORTS = ROOT / "corpus" / "reports"
BIN = "Scripts" if os.name == "nt" else "bin"


def _tracked_files():
    """Paths a fresh clone holds: the files git tracks, or the tree when not in git."""
    try:
        out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                             check=True, timeout=60).stdout
        files = [f for f in out.decode("utf-8", "surrogateescape").split("\0") if f]
        if files:
            return [f for f in files if (ROOT / f).is_file()]
    except (OSError, subprocess.SubprocessError):
        pass
    skip = {".git", ".venv", "build", "dist", "out", "__pycache__", ".pytest_cache"}
    return [str(p.relative_to(ROOT)) for p in ROOT.rglob("*")
            if p.is_file() and not skip & set(p.relative_to(ROOT).parts)
            and not p.name.endswith(".egg-info")]


def _can_build_without_isolation():
    # with setuptools >= 61 and wheel at hand nothing needs downloading
    try:
        import setuptools
        import wheel  # noqa: F401
    except ImportError:
        return False
    return int(setuptools.__version__.split(".")[0]) >= 61


def _run(cmd, cwd, env, timeout=300):
    res = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True,
                         timeout=timeout)
    assert res.returncode == 0, (f"{cmd} exited {res.returncode}\nstdout:\n{res.stdout[-3000:]}"
                                 f"\nstderr:\n{res.stderr[-3000:]}")
    return res


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    base = tmp_path_factory.mktemp("wheel")
    src = base / "src"
    for rel in _tracked_files():
        dest = src / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, dest)
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "ROLNLP_MODEL", "PYTHONHOME", "PIP_REQUIRE_VIRTUALENV")}
    env.update(PYTHONNOUSERSITE="1", MPLBACKEND="Agg", PIP_DISABLE_PIP_VERSION_CHECK="1",
               ROLNLP_CACHE_DIR=str(base / "cache"))
    dist = base / "dist"
    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(src)]
    if _can_build_without_isolation():
        cmd.insert(4, "--no-build-isolation")
    _run(cmd, cwd=base, env=env)
    wheels = list(dist.glob("rolnlp-*.whl"))
    assert len(wheels) == 1, wheels

    venv = base / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], cwd=base, env=env)
    py = venv / BIN / ("python.exe" if os.name == "nt" else "python")
    _run([str(py), "-m", "pip", "install", "--no-deps", "--no-index", "-q", str(wheels[0])],
         cwd=base, env=env)
    # the dependencies come from the environment running the tests: a .pth file
    # adds its site-packages after the fresh environment's own, without running
    # that directory's .pth files (so an editable rolnlp there stays invisible)
    fresh_site = _run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                      cwd=base, env=env).stdout.strip()
    # (every site-packages directory this interpreter sees, even one inside the
    # clone, as .ci/run's .venv is: only its .pth files could bring the clone in)
    outer = [p for p in dict.fromkeys([*site.getsitepackages(), *sys.path])
             if p and os.path.isdir(p)
             and os.path.basename(p.rstrip(os.sep)) in ("site-packages", "dist-packages")]
    pathlib.Path(fresh_site, "zz_test_dependencies.pth").write_text(
        "".join(p + "\n" for p in outer), "utf-8")
    work = base / "elsewhere"
    work.mkdir()
    shutil.copytree(REPORTS, work / "reports")
    return {"wheel": wheels[0], "venv": venv, "python": py, "env": env, "work": work,
            "rolnlp": venv / BIN / ("rolnlp.exe" if os.name == "nt" else "rolnlp")}


def test_wheel_carries_model_data_licence_and_marker(installed):
    names = zipfile.ZipFile(installed["wheel"]).namelist()
    for needed in ("rolnlp/py.typed", "rolnlp/text/data/lexicon.txt",
                   "rolnlp/text/data/stopwords.txt",
                   "rolnlp/models/rol-paragraph-v1/model.json",
                   "rolnlp/models/rol-paragraph-v1/metrics.json"):
        assert needed in names, needed
    assert any(n.startswith("rolnlp/models/rol-paragraph-v1/arrays-") and n.endswith(".npz")
               for n in names)
    assert any(n.endswith(".dist-info/licenses/LICENSE") or n.endswith(".dist-info/LICENSE")
               for n in names)
    assert not any(n.startswith(("tests/", "corpus/", "benchmarks/")) for n in names)
    assert installed["wheel"].stat().st_size < 20_000_000


def test_installed_package_classifies_outside_the_clone(installed):
    code = ("import json, rolnlp; p = rolnlp.classify('依法办理行政复议案件'); "
            "print(json.dumps({'file': rolnlp.__file__, 'label': p.label, "
            "'confidence': float(p.confidence)}))")
    res = _run([str(installed["python"]), "-c", code], cwd=installed["work"],
               env=installed["env"])
    out = json.loads(res.stdout.strip().splitlines()[-1])
    assert pathlib.Path(out["file"]).is_relative_to(installed["venv"]), out["file"]
    assert out["label"] in CATEGORY_CODES
    assert 0 < out["confidence"] <= 1


def test_installed_cli_classifies_a_directory(installed):
    res = _run([str(installed["rolnlp"]), "classify", "reports", "--format", "csv", "--quiet"],
               cwd=installed["work"], env=installed["env"])
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert len({r["report_id"] for r in rows}) == len(list(REPORTS.iterdir()))
    assert len(rows) > 20
    assert {r["label"] for r in rows} <= set(CATEGORY_CODES)


def test_installed_cli_analyzes_a_directory(installed):
    work = installed["work"]
    _run([str(installed["rolnlp"]), "analyze", "reports", "--out", "out", "--n-topics", "3",
          "--quiet"], cwd=work, env=installed["env"])
    out = work / "out"
    assert (out / "summary.html").stat().st_size > 10_000
    with open(out / "paragraphs.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) > 20
    assert {r["label"] for r in rows} <= set(CATEGORY_CODES)
    manifest = json.loads((out / ".rolnlp-manifest.json").read_text("utf-8"))
    assert "summary.html" in manifest["files"]
