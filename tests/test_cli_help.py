"""Every ``rolnlp`` subcommand explains itself and fails with a one-line, fixable message."""
import json
import subprocess
import sys

import pytest

import rolnlp
from rolnlp.cli import SUBCOMMANDS, main

from conftest import REPORTS

SEED = str(REPORTS / "000_5c5bdc2152d9c680.txt")


@pytest.fixture
def files(tmp_path):
    junk = bytes(range(128, 256)) * 20  # decodes as none of the supported encodings
    (tmp_path / "junk.txt").write_bytes(junk)
    (tmp_path / "gbk.txt").write_bytes("一、总体情况\n开展宪法宣传。".encode("gbk"))
    rows = [{"text": "开展宪法宣传", "primary": "legal_publicty"},
            {"text": "办理行政复议", "primary": "dispute_resolution"}]
    (tmp_path / "typo.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    (tmp_path / "reports").mkdir()
    for name in ("a.txt", "b.txt"):
        (tmp_path / "reports" / name).write_text("一、总体情况\n办理行政复议案件12件。\n", "utf-8")
    return tmp_path


def _error(capsys, argv, tmp_path, tiny_model):
    argv = [a.format(tmp=tmp_path, model=tiny_model) for a in argv]
    code = main(argv)
    err = capsys.readouterr().err
    return code, err


@pytest.mark.parametrize("command", SUBCOMMANDS)
def test_help_exits_0_with_an_example(command, capsys):
    with pytest.raises(SystemExit) as exc:
        main([command, "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert "example" in out.lower()
    # the example is a real invocation of this very subcommand
    assert f"rolnlp {command} " in out.split("example", 1)[1]


def test_top_level_help_lists_every_subcommand(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert all(name in out for name in SUBCOMMANDS)
    assert "examples:" in out


def test_no_subcommand_prints_help_and_fails(capsys):
    assert main([]) == 2
    assert "COMMAND" in capsys.readouterr().out


@pytest.mark.parametrize("argv,message", [
    # missing file or directory
    (["read", "{tmp}/missing.txt"], "no such file"),
    (["classify", "{tmp}/missing.txt", "--quiet"], "no such file"),
    (["evaluate", "{tmp}/missing.jsonl", "--quiet"], "no such labels file"),
    (["train", "{tmp}/missing.jsonl", "--out", "{tmp}/m", "--quiet"], "no such labels file"),
    (["topics", "{tmp}/missing", "--out", "{tmp}/o", "--quiet"], "not a directory"),
    (["analyze", "{tmp}/missing", "--out", "{tmp}/o", "--quiet"], "not a directory"),
    # unreadable encoding
    (["read", "{tmp}/junk.txt"], "--encoding"),
    (["read", "{tmp}/gbk.txt", "--encoding", "utf-8"], "not valid utf-8"),
    (["read", "{tmp}/gbk.txt", "--encoding", "no-such-codec"], "unknown encoding"),
    (["classify", "{tmp}/junk.txt", "--model", "{model}", "--quiet"], "cannot decode"),
    # unknown label code
    (["evaluate", "{tmp}/typo.jsonl", "--model", "{model}", "--quiet"], "legal_publicty"),
    # model not found
    (["classify", "{tmp}/reports", "--model", "{tmp}/no-model", "--quiet"], "no model"),
    (["evaluate", "{tmp}/typo.jsonl", "--model", "{tmp}/no-model", "--quiet"], "no model"),
    (["analyze", "{tmp}/reports", "--out", "{tmp}/o", "--model", "{tmp}/no-model",
      "--n-topics", "2", "--quiet"], "no model"),
    # training data too small to fit
    (["train", "{tmp}/typo.jsonl", "--out", "{tmp}/m", "--quiet"], "cannot train"),
])
def test_errors_exit_2_with_one_line(argv, message, files, tiny_model, capsys):
    code, err = _error(capsys, argv, files, tiny_model)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"rolnlp {argv[0]}: error: ")
    assert message in lines[0]
    assert "Traceback" not in err


def test_unknown_label_code_suggests_the_known_one(files, tiny_model, capsys):
    code, err = _error(capsys, ["evaluate", "{tmp}/typo.jsonl", "--model", "{model}", "-q"],
                       files, tiny_model)
    assert code == 2
    assert "did you mean legal_publicity?" in err


def test_quiet_turns_the_progress_bar_off(files, tiny_model, capsys):
    argv = ["classify", str(files / "reports"), "--model", tiny_model, "--format", "csv"]
    assert main(argv) == 0
    noisy = capsys.readouterr()
    assert main(argv + ["--quiet"]) == 0
    quiet = capsys.readouterr()
    assert "classify" in noisy.err and "%" in noisy.err  # a tqdm bar
    assert quiet.err == ""
    assert quiet.out == noisy.out  # same rows either way


@pytest.mark.parametrize("fmt", ["table", "json", "jsonl", "csv"])
def test_row_formats_agree_across_subcommands(fmt, files, tiny_model, capsys):
    labels = files / "labels.jsonl"
    labels.write_text('{"text": "办理行政复议案件", "primary": "dispute_resolution"}\n'
                      '{"text": "开展宪法宣传周活动", "primary": "legal_publicity"}\n', "utf-8")
    assert main(["classify", str(files / "reports"), "--model", tiny_model, "-q",
                 "--format", fmt]) == 0
    classified = capsys.readouterr().out
    assert main(["evaluate", str(labels), "--model", tiny_model, "-q", "--format", fmt]) == 0
    evaluated = capsys.readouterr().out
    for out in (classified, evaluated):
        first = out.splitlines()[0]
        if fmt == "json":  # one JSON document
            assert isinstance(json.loads(out), (list, dict))
        elif fmt == "jsonl":  # one object per line
            assert all(isinstance(json.loads(line), dict) for line in out.splitlines())
        elif fmt == "csv":
            assert "," in first and "  " not in first
        else:
            assert "  " in first and "," not in first  # aligned columns, header row


def test_version_subprocess_smoke():
    res = subprocess.run([sys.executable, "-m", "rolnlp", "--version"], capture_output=True,
                         text=True, timeout=120)
    assert res.returncode == 0
    assert res.stdout.strip() == f"rolnlp {rolnlp.__version__}"
    assert rolnlp.__version__.count(".") == 2
