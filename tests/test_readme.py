"""The README's code runs, and its facts match the repository."""
import json
import pathlib
import re

import pytest

import rolnlp
from rolnlp.cli import SUBCOMMANDS
from rolnlp.codebook import CATEGORY_CODES, category_name

ROOT = pathlib.Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text("utf-8")


def _blocks(lang):
    return re.findall(rf"^```{lang}\n(.*?)^```", README, flags=re.S | re.M)


def _section(title):
    m = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", README, flags=re.S | re.M)
    assert m, f"README has no section {title!r}"
    return m.group(1)


@pytest.mark.parametrize("index", range(len(_blocks("python"))))
def test_python_blocks_run(index, monkeypatch, tmp_path, capsys):
    code = _blocks("python")[index]
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    exec(compile(code, f"README.md python block {index}", "exec"), {"__name__": "__readme__"})
    assert capsys.readouterr().out.strip(), "a README example should show its result"


def test_has_python_examples():
    assert len(_blocks("python")) >= 2


def test_two_commands_come_first_and_match_ci():
    sections = re.findall(r"^## (.+)$", README, flags=re.M)
    assert sections[0] == "Two commands"
    setup, test = _blocks("bash")[:2]
    # the main job runs on the shipped corpus, which read_corpus finds recursively
    assert re.search(r"&& rolnlp analyze corpus/(reports)? --out \S+$", setup.strip())
    assert "pip install -e ." in setup
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert test.strip() in ci.splitlines()


def test_cli_table_names_every_subcommand():
    cli = _section("Command line")
    for name in SUBCOMMANDS:
        assert f"`rolnlp {name}`" in cli
        assert re.search(rf"`rolnlp {name} [^`]+`", cli), f"no example for {name}"


def test_codebook_table_matches_the_codes():
    rows = re.findall(r"^\| `(\w+)` \| (\S+) \| (.+?) \|$", _section("Codebook"), flags=re.M)
    assert [r[0] for r in rows] == list(CATEGORY_CODES)
    for code, zh, en in rows:
        assert zh == category_name(code, "zh")
        assert en == category_name(code, "en")
    assert f"v{rolnlp.CODEBOOK_VERSION}" in _section("Citing the codebook")


def test_model_card_quotes_metrics_json():
    from rolnlp.classification.api import DEFAULT_MODEL_NAME

    metrics = json.loads((ROOT / "rolnlp" / "models" / DEFAULT_MODEL_NAME / "metrics.json")
                         .read_text("utf-8"))
    card = _section(f"The shipped model: {DEFAULT_MODEL_NAME}")
    # quoted to three decimals, as the model card rounds them
    assert f"macro-F1 `{metrics['macro_f1']:.3f}`" in card
    assert f"accuracy `{metrics['accuracy']:.3f}`" in card
    assert "python models/build.py" in card
    assert str(metrics["training_data"]["n"]) in card
    for code, n in metrics["training_data"]["label_counts"].items():
        assert f"{code} {n}" in card


def test_paths_and_commands_exist():
    for path in re.findall(r"`((?:notebooks|models|benchmarks|corpus)/[\w./-]+)`", README):
        if "my-model" in path or "my_" in path:
            continue
        assert (ROOT / path).exists(), path
    for script in re.findall(r"python (benchmarks/\w+\.py|models/build\.py)", README):
        assert (ROOT / script).is_file(), script


def test_readme_is_the_package_description():
    cfg = (ROOT / "setup.cfg").read_text("utf-8")
    assert "long_description = file: README.md" in cfg


def test_changelog_records_this_version():
    changelog = (ROOT / "CHANGELOG.md").read_text("utf-8")
    assert "CHANGELOG.md" in README
    assert re.search(rf"^## \[{re.escape(rolnlp.__version__)}\] - \d{{4}}-\d{{2}}-\d{{2}}$",
                     changelog, re.M)
    assert changelog.index("## [Unreleased]") < changelog.index(f"## [{rolnlp.__version__}]")


# --------------------------------------------------------------- docstrings
SECTIONS = ("Parameters", "Returns", "Example")
SKLEARN_INHERITED = {"get_params", "set_params", "score", "get_metadata_routing",
                     "set_fit_request", "set_score_request"}


def _takes_arguments(obj):
    import inspect

    try:
        params = inspect.signature(obj).parameters.values()
    except (TypeError, ValueError):
        return False
    return any(p.name not in ("self", "cls") for p in params)


def _check_doc(name, obj, problems):
    import inspect

    doc = inspect.getdoc(obj) or ""
    if not doc.strip():
        problems.append(f"{name}: no docstring")
    elif _takes_arguments(obj) and not any(s in doc for s in SECTIONS):
        problems.append(f"{name}: no Parameters, Returns or Example section")


def test_public_names_have_useful_docstrings():
    import inspect

    problems = []
    for name in rolnlp.__all__:
        obj = getattr(rolnlp, name)
        if inspect.isclass(obj) or inspect.isfunction(obj):
            _check_doc(f"rolnlp.{name}", obj, problems)
    import rolnlp.analysis as analysis

    for name in analysis.__all__:
        _check_doc(f"rolnlp.analysis.{name}", getattr(analysis, name), problems)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("cls_name", ["Report", "Corpus", "ParagraphClassifier", "TopicModel"])
def test_public_methods_have_useful_docstrings(cls_name):
    import inspect

    cls = getattr(rolnlp, cls_name)
    problems = []
    for name, member in inspect.getmembers(cls):
        if name.startswith("_") or name in SKLEARN_INHERITED:
            continue
        static = inspect.getattr_static(cls, name)
        if isinstance(static, property):
            if not (static.__doc__ or "").strip():
                problems.append(f"{cls_name}.{name}: property without docstring")
        elif callable(member):
            _check_doc(f"{cls_name}.{name}", member, problems)
    assert not problems, "\n".join(problems)


def test_help_of_classify_is_useful():
    import pydoc

    text = pydoc.render_doc(rolnlp.classify, renderer=pydoc.plaintext)
    for word in ("Parameters", "Returns", "Example", "threshold", "Prediction"):
        assert word in text
