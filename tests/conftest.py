import json
import logging
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


@pytest.fixture(autouse=True)
def _restore_log_level():
    # --quiet raises the package logger's level; keep that from leaking into other tests
    logger = logging.getLogger("rolnlp")
    level = logger.level
    yield
    logger.setLevel(level)


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory):
    """A small model trained in a fraction of a second, so no CLI test needs the shipped one."""
    from rolnlp.classification.estimator import ParagraphClassifier

    texts = ["办理行政复议案件", "开展宪法宣传周活动", "推行行政执法三项制度", "现将有关情况报告如下"] * 3
    labels = ["dispute_resolution", "legal_publicity", "enforcement", "other"] * 3
    clf = ParagraphClassifier(features="char", model="logreg").fit(texts, labels)
    return str(clf.save(tmp_path_factory.mktemp("tiny") / "model"))
