"""``rolnlp classify`` / ``train`` / ``evaluate`` from the command line."""
import csv
import io
import json

import pytest

from clf_helpers import subset
from rolnlp.cli import main


@pytest.fixture(scope="module")
def labels_file(tmp_path_factory):
    X, y, groups = subset()
    path = tmp_path_factory.mktemp("cli") / "labels.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for t, lab, g in zip(X, y, groups):
            f.write(json.dumps({"text": t, "primary": lab, "source": g}, ensure_ascii=False) + "\n")
    return path


@pytest.fixture(scope="module")
def model_dir(labels_file):
    out = labels_file.parent / "model"
    assert main(["train", str(labels_file), "--out", str(out), "--features", "char",
                 "--model", "logreg", "--seed", "1", "--quiet"]) == 0
    return out


@pytest.fixture
def report_dir(tmp_path):
    (tmp_path / "a.txt").write_text("某区2024年法治政府建设情况报告\n全年办理行政复议案件120件。\n"
                                    "开展宪法宣传周活动。\n", "utf-8")
    (tmp_path / "b.txt").write_text("特此报告。\n", "utf-8")
    return tmp_path


def test_train_writes_a_loadable_model(model_dir):
    import rolnlp
    m = rolnlp.load_model(model_dir)
    assert m.metadata["params"]["features"] == "char"
    assert m.metadata["params"]["random_state"] == 1


def test_classify_formats(model_dir, report_dir, capsys):
    assert main(["classify", str(report_dir), "--model", str(model_dir), "--format", "json",
                 "--quiet"]) == 0
    rows = json.loads(capsys.readouterr().out)  # one document
    assert {r["report_id"] for r in rows} == {"a", "b"}
    assert all(isinstance(r["labels"], list) and isinstance(r["evidence"], list) for r in rows)
    assert main(["classify", str(report_dir), "--model", str(model_dir), "--format", "jsonl",
                 "--quiet"]) == 0
    assert [json.loads(line) for line in capsys.readouterr().out.splitlines()] == rows
    assert all(r["label"] in r["labels"] and 0 <= r["confidence"] <= 1 for r in rows)
    assert main(["classify", str(report_dir / "a.txt"), "--model", str(model_dir),
                 "--format", "csv", "--quiet"]) == 0
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(table) == len([r for r in rows if r["report_id"] == "a"])
    assert "p_other" in table[0]
    assert main(["classify", str(report_dir / "a.txt"), "--model", str(model_dir),
                 "--quiet"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split()[:4] == ["report_id", "index", "section", "label"]


def test_evaluate_json(labels_file, model_dir, capsys):
    assert main(["evaluate", str(labels_file), "--model", str(model_dir), "--format", "json",
                 "--quiet"]) == 0
    res = json.loads(capsys.readouterr().out)
    assert res["n"] == len(subset()[0])
    assert res["accuracy"] > 0.8  # training data: a broken model would not fit it
    assert len(res["confusion"]["matrix"]) == len(res["confusion"]["labels"])


@pytest.mark.parametrize("argv,message", [
    (["classify", "no/such/file.txt"], "no such file"),
    (["classify", "{reports}", "--model", "{missing}"], "no model"),
    (["evaluate", "no/such.jsonl"], "no such labels file"),
    (["train", "{bad_labels}", "--out", "{out}"], "primary"),
    (["train", "{one_label}", "--out", "{out}"], "distinct labels"),
])
def test_errors_exit_2_without_traceback(argv, message, report_dir, tmp_path, capsys):
    (tmp_path / "bad.jsonl").write_text('{"text": "甲", "code": "x"}\n', "utf-8")
    (tmp_path / "one.jsonl").write_text('{"text": "甲", "primary": "other"}\n', "utf-8")
    subs = {"{reports}": str(report_dir), "{missing}": str(tmp_path / "missing"),
            "{bad_labels}": str(tmp_path / "bad.jsonl"), "{one_label}": str(tmp_path / "one.jsonl"),
            "{out}": str(tmp_path / "out")}
    assert main([subs.get(a, a) for a in argv]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


@pytest.mark.parametrize("command", ["classify", "train", "evaluate"])
def test_help_has_examples(command, capsys):
    with pytest.raises(SystemExit):
        main([command, "--help"])
    out = capsys.readouterr().out
    assert "examples:" in out and f"rolnlp {command} " in out
