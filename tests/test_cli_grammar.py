"""One grammar across subcommands: --format, -q/-v anywhere, the same file
finder as analyze, and train's defaults taken from the shipped model."""
import csv
import io
import json
import logging
import shutil

import pytest

from rolnlp.cli import build_parser, main

from conftest import REPORTS

SEED = str(sorted(REPORTS.glob("*.txt"))[0])


@pytest.fixture
def nested(tmp_path):
    """Reports in subfolders, as people keep them (one folder per year)."""
    paths = sorted(REPORTS.glob("*.txt"))[:3]
    (tmp_path / "2023").mkdir()
    (tmp_path / "2024" / "wuhan").mkdir(parents=True)
    shutil.copy(paths[0], tmp_path / "top.txt")
    shutil.copy(paths[1], tmp_path / "2023" / paths[1].name)
    shutil.copy(paths[2], tmp_path / "2024" / "wuhan" / paths[2].name)
    return tmp_path


def _out(capsys, argv):
    assert main(argv) == 0, capsys.readouterr().err
    return capsys.readouterr().out


@pytest.mark.parametrize("argv", [["read", SEED], ["classify", SEED, "--model", "{model}"]])
def test_every_row_command_speaks_four_formats(argv, tiny_model, capsys):
    argv = [a.format(model=tiny_model) for a in argv]
    doc = json.loads(_out(capsys, argv + ["--format", "json"]))
    lines = [json.loads(line) for line in _out(capsys, argv + ["--format", "jsonl"]).splitlines()]
    text = _out(capsys, argv + ["--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(text)))
    table = _out(capsys, argv + ["--format", "table"])
    assert lines and all(isinstance(r, dict) for r in lines)
    assert len(rows) == len(lines)
    assert ",nan," not in text and not text.rstrip().endswith(",nan")
    assert "  " in table.splitlines()[0]
    if argv[0] == "classify":
        assert doc == lines  # one array holding the same objects
        assert all(isinstance(r["labels"], list) for r in doc)
        assert [r["text"] for r in rows] == [r["text"] for r in lines]
    else:
        # one document with everything; the rows are the report's paragraph table
        assert doc["paragraphs"] and {p["text"] for p in doc["paragraphs"]} <= \
            {r["text"] for r in lines}
        assert {r["report_id"] for r in lines} == {doc["id"]}


def test_read_json_flag_is_format_json(capsys):
    assert _out(capsys, ["read", SEED, "--json"]) == _out(capsys, ["read", SEED, "--format",
                                                                    "json"])


@pytest.mark.parametrize("argv", [
    ["-q", "classify", "{dir}", "--model", "{model}", "--format", "csv"],
    ["classify", "{dir}", "--model", "{model}", "--format", "csv", "-q"],
    ["--quiet", "classify", "{dir}", "--model", "{model}", "--format", "csv"],
])
def test_quiet_before_or_after_the_subcommand(argv, nested, tiny_model, capsys):
    argv = [a.format(dir=nested, model=tiny_model) for a in argv]
    assert main(argv) == 0
    out, err = capsys.readouterr()
    assert err == "" and out.startswith("report_id")


@pytest.mark.parametrize("position", ["before", "after"])
def test_verbose_before_or_after_the_subcommand(position, tiny_model, capsys, caplog):
    argv = ["classify", SEED, "--model", tiny_model, "--format", "csv"]
    argv = ["-v", *argv] if position == "before" else [*argv, "--verbose"]
    args = build_parser()[0].parse_args(argv)
    assert args.verbose is True and args.quiet is False
    assert main(argv) == 0
    assert logging.getLogger("rolnlp").getEffectiveLevel() == logging.INFO


def test_quiet_and_verbose_exclude_each_other(capsys):
    with pytest.raises(SystemExit):
        main(["-q", "read", SEED, "-v"])


def test_classify_finds_reports_in_subfolders_as_analyze_does(nested, tiny_model, capsys):
    from rolnlp.corpus import read_corpus

    rows = json.loads(_out(capsys, ["classify", str(nested), "--model", tiny_model,
                                    "--format", "json", "-q"]))
    corpus = read_corpus(nested, progress=False)
    assert len(corpus) == 3
    assert {r["report_id"] for r in rows} == set(corpus.ids)


def test_train_defaults_to_the_shipped_configuration():
    from rolnlp.classification.api import default_model_path

    params = json.loads((default_model_path() / "metrics.json").read_text("utf-8"))["params"]
    args = build_parser()[0].parse_args(["train", "x.jsonl", "--out", "m"])
    assert (args.features, args.model, args.C) == (params["features"], params["model"],
                                                   params["C"])
    from rolnlp.cli.train import shipped_config

    assert shipped_config()["class_weight"] == params["class_weight"]
