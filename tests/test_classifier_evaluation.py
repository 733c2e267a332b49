"""Grouped cross-validation: groups survive re-loading, folds never split a report."""
from __future__ import annotations

import numpy as np

from clf_helpers import labelled


def test_reloading_a_loaded_frame_keeps_its_report_groups():
    from rolnlp.classification.data import load_labelled
    df = labelled()
    again = load_labelled(df)
    assert again["group"].tolist() == df["group"].tolist()
    # several units share a report, so the groups are not one per row
    assert again["group"].nunique() < len(again)


def test_folds_from_a_loaded_frame_never_split_a_report():
    from rolnlp.classification.data import load_labelled
    from rolnlp.classification.evaluation import grouped_folds
    df = load_labelled(labelled())
    groups = df["group"].to_numpy()
    for tr, te in grouped_folds(df["label"].to_numpy(), groups, 5, 0):
        assert not set(groups[tr]) & set(groups[te])
        assert len(np.intersect1d(tr, te)) == 0
