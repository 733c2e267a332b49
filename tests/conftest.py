import json
import pathlib

import os

import pytest
from hypothesis import settings

# Property tests draw the same examples on every run, so a suite that passes
# once passes again; set ROLNLP_HYPOTHESIS_RANDOM=1 (and
# ROLNLP_HYPOTHESIS_EXAMPLES=3000) for a deeper, randomised search.
settings.register_profile("rolnlp", derandomize=not os.environ.get("ROLNLP_HYPOTHESIS_RANDOM"))
settings.load_profile("rolnlp")

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
