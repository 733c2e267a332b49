"""Labelled-data files as users write them: odd lines, sloppy codes, clashes, GBK."""
import json
import logging

import pytest

from rolnlp import LabelError
from rolnlp.classification.data import load_labelled

ROWS = [{"text": "依法办理行政复议案件", "primary": "dispute_resolution"},
        {"text": "开展宪法宣传周活动", "primary": "legal_publicity"}]


def _jsonl(path, lines):
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


@pytest.mark.parametrize("line", ["42", "null", "[1, 2]", '"text"', "true"])
def test_a_line_that_is_json_but_not_an_object_names_file_and_line(tmp_path, line):
    f = _jsonl(tmp_path / "l.jsonl", [json.dumps(r, ensure_ascii=False) for r in ROWS] + [line])
    with pytest.raises(LabelError, match=r"l\.jsonl:3: expected a JSON object"):
        load_labelled(f)


def test_a_json_list_of_non_objects_is_a_label_error(tmp_path):
    f = tmp_path / "l.json"
    f.write_text("[1, 2, 3]", "utf-8")
    with pytest.raises(LabelError, match="item 0"):
        load_labelled(f)
    f.write_text('{"text": "x"}', "utf-8")
    with pytest.raises(LabelError, match="JSON list"):
        load_labelled(f)


def test_missing_file_is_a_label_error(tmp_path):
    with pytest.raises(LabelError, match="no such labels file"):
        load_labelled(tmp_path / "missing.jsonl")


def test_codes_differing_by_case_or_spaces_map_to_the_codebook(tmp_path, caplog):
    rows = [{"text": f"第{i}条行政执法公示", "primary": code} for i, code in
            enumerate(["Enforcement", "ENFORCEMENT ", " enforcement"])]
    rows += [{"text": "建成公共法律服务平台", "primary": "legal services",
              "secondary": ["Legal-Publicity"]},
             {"text": "开展宪法宣传周活动", "primary": "legal_publicity"}]
    f = _jsonl(tmp_path / "l.jsonl", [json.dumps(r, ensure_ascii=False) for r in rows])
    with caplog.at_level(logging.WARNING, logger="rolnlp"):
        df = load_labelled(f)
    assert sorted(set(df["label"])) == ["enforcement", "legal_publicity", "legal_services"]
    assert df["secondary"].iloc[3] == ["legal_publicity"]
    assert "'legal services' → legal_services" in caplog.text
    assert "custom categories" not in caplog.text


def test_the_same_text_with_two_labels_is_reported(tmp_path, caplog):
    rows = ROWS + [{"text": "依法办理行政复议案件 ", "primary": "other"}]
    f = _jsonl(tmp_path / "l.jsonl", [json.dumps(r, ensure_ascii=False) for r in rows])
    with caplog.at_level(logging.WARNING, logger="rolnlp"):
        df = load_labelled(f)
    assert len(df) == 3
    assert "1 text(s) carry two or more different labels" in caplog.text
    assert "dispute_resolution, other" in caplog.text


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_gbk_label_files_are_read_with_a_warning(tmp_path, caplog, suffix):
    f = tmp_path / f"l{suffix}"
    if suffix == ".csv":
        body = "text,primary\n" + "".join(f"{r['text']},{r['primary']}\n" for r in ROWS)
    else:
        body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in ROWS)
    f.write_bytes(body.encode("gbk"))
    with caplog.at_level(logging.WARNING, logger="rolnlp"):
        df = load_labelled(f)
    assert df["text"].tolist() == [r["text"] for r in ROWS]
    assert "not UTF-8" in caplog.text


def test_binary_label_file_is_refused_with_a_hint(tmp_path):
    f = tmp_path / "l.csv"
    f.write_bytes(bytes(range(128, 256)) * 4)
    with pytest.raises(LabelError, match="save the labels file as UTF-8"):
        load_labelled(f)


@pytest.mark.parametrize("content", ["42\n", "[1]\n", b"\xff\xfe\x00binary", "{not json\n"])
def test_cli_evaluate_never_shows_a_traceback(tmp_path, capsys, content):
    from rolnlp.cli import main

    f = tmp_path / "l.jsonl"
    if isinstance(content, bytes):
        f.write_bytes(content)
    else:
        f.write_text(content, "utf-8")
    code = main(["evaluate", str(f), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err and "l.jsonl" in err
