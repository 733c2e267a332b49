"""Grouping by place, bootstrap intervals over groups, top-k accuracy and calibration error."""
import numpy as np
import pytest

from rolnlp.classification.evaluation import (bootstrap_ci, expected_calibration_error,
                                              grouped_folds, place_key, region_groups,
                                              top_k_accuracy)


@pytest.mark.parametrize("region,key", [
    ("浙江省湖州市德清县", "德清县"), ("湖北省黄石市司法局", "黄石市"), ("北京市", "北京市"),
    ("新疆维吾尔自治区", "新疆维吾尔自治区"), ("云南省昆明市石林彝族自治县", "石林彝族自治县"),
    ("济南市市中区", "市中区"), ("吉林省辽源市东辽县渭津镇", "渭津镇"), ("  ", None), (None, None),
])
def test_place_key(region, key):
    assert place_key(region) == key


def test_region_folds_never_split_a_place():
    regions = ["浙江省湖州市", "湖州市", "北京市海淀区", None, None, "海淀区"] * 5
    reports = [f"r{i}" for i in range(30)]
    groups = region_groups(regions, reports)
    assert groups[0] == groups[1] and groups[2] == groups[5]
    y = ["a", "b"] * 15
    for tr, te in grouped_folds(y, groups, n_splits=3):
        assert not set(groups[tr]) & set(groups[te])


def test_bootstrap_resamples_groups_and_pairs_differences():
    rng = np.random.default_rng(0)
    y = rng.choice(["a", "b", "c"], 400).tolist()
    groups = np.repeat(np.arange(40), 10)
    good = [t if rng.random() < 0.9 else "a" for t in y]
    bad = [t if rng.random() < 0.6 else "a" for t in y]
    ci = bootstrap_ci(y, {"good": good, "bad": bad}, groups, n_boot=300)
    lo, hi = ci["good"]["accuracy"]
    assert lo < np.mean(np.array(good) == np.array(y)) < hi
    assert ci["diff"]["bad"]["accuracy"][1] < 0  # clearly worse, on paired draws
    # same seed, same interval
    assert bootstrap_ci(y, {"good": good}, groups, n_boot=300)["good"] == \
        {k: ci["good"][k] for k in ("macro_f1", "accuracy")}
    # one group only: every draw is the same, the interval has no width
    one = bootstrap_ci(y, {"good": good}, np.zeros(len(y)), n_boot=50)["good"]["accuracy"]
    assert one[0] == one[1]


def test_top_k_and_calibration():
    classes = np.array(["a", "b", "c"])
    proba = np.array([[0.6, 0.3, 0.1], [0.2, 0.5, 0.3], [0.7, 0.2, 0.1]])
    y = ["b", "b", "c"]
    assert top_k_accuracy(y, classes, proba, 1) == pytest.approx(1 / 3)
    assert top_k_accuracy(y, classes, proba, 2) == pytest.approx(2 / 3)
    # a perfectly calibrated confident model has no calibration error
    assert expected_calibration_error(["a", "b"], classes, np.eye(3)[:2]) == 0.0
    assert expected_calibration_error(y, classes, proba) > 0.2
