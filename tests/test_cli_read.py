"""``rolnlp read``."""
import json

import pytest

from rolnlp.cli import main

from conftest import REPORTS

SEED = str(REPORTS / "004_63693fb56a6a40d7.txt")


def test_prints_metadata_and_outline(capsys):
    assert main(["read", SEED]) == 0
    out = capsys.readouterr().out
    assert "region: 海盐县" in out and "year: 2024" in out
    lines = out.splitlines()
    top = [l for l in lines if l.startswith(("一、", "二、", "三、"))]
    assert [l.split("  [")[0] for l in top] == [
        "一、2024年度法治政府建设总体情况", "二、存在的问题和短板", "三、2025年度法治政府建设工作思路"]
    assert "[plans, 5 ¶]" in top[2]
    assert any(l.startswith("  （一）") for l in lines)


def test_json_output(capsys):
    assert main(["read", SEED, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["metadata"]["publisher"] == "海盐县人民政府"
    assert len(data["paragraphs"]) >= 20
    assert data["outline"][1]["section"] == "shortcomings"


def test_friendly_errors(tmp_path, capsys):
    assert main(["read", str(tmp_path / "missing.txt")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["read", str(tmp_path)]) == 2
    assert "is a directory" in capsys.readouterr().err
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01binary\x00")
    assert main(["read", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "binary" in err and "Traceback" not in err
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes("一、总体情况\n正文。".encode("gbk"))
    assert main(["read", str(gbk), "--encoding", "utf-8"]) == 2
    assert "not valid utf-8" in capsys.readouterr().err
    assert main(["read", str(gbk), "--encoding", "bogus"]) == 2
    assert "unknown encoding" in capsys.readouterr().err


def test_help_has_an_example(capsys):
    with pytest.raises(SystemExit):
        main(["read", "--help"])
    out = capsys.readouterr().out
    assert "rolnlp read corpus/reports/" in out and "--json" in out
