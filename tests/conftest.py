import json
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
REPORTS = CORPUS / "reports"


@pytest.fixture(scope="session")
def seed_paths():
    return sorted(REPORTS.glob("*.txt"))


@pytest.fixture(scope="session")
def truth():
    path = CORPUS / "reports.jsonl"
    return {r["id"]: r for r in map(json.loads, path.read_text("utf-8").splitlines()) if r}
