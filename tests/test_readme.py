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
    assert setup.strip().endswith("rolnlp analyze corpus/reports --out out/")
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

    metrics = json.loads((ROOT / "models" / DEFAULT_MODEL_NAME / "metrics.json")
                         .read_text("utf-8"))
    card = _section(f"The shipped model: {DEFAULT_MODEL_NAME}")
    assert f"`{metrics['macro_f1']!r}`" in card
    assert f"`{metrics['accuracy']!r}`" in card
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
    assert f"## [{rolnlp.__version__}] - 2026-11-22" in changelog
    assert changelog.index("## [Unreleased]") < changelog.index(f"## [{rolnlp.__version__}]")
