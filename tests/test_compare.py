import math

import numpy as np
import pandas as pd
import pytest

from rolnlp.analysis import category_profile, distinctive_terms, log_odds
from rolnlp.codebook import CATEGORY_CODES


def test_log_odds_matches_the_formula_by_hand():
    # group i: x=3, y=1 (n_i=4); rest j: x=1, y=5 (n_j=6); prior 1 each (a0=2)
    delta, z = log_odds([3, 1], [1, 5], [1.0, 1.0])
    # x: log((3+1)/(4+2-3-1)) - log((1+1)/(6+2-1-1)) = log(2) - log(1/3) = log 6
    assert delta[0] == pytest.approx(math.log(6))
    assert z[0] == pytest.approx(math.log(6) / math.sqrt(1 / 4 + 1 / 2))
    # y: log((1+1)/(4+2-1-1)) - log((5+1)/(6+2-5-1)) = log(1/2) - log(3) = -log 6
    assert delta[1] == pytest.approx(-math.log(6))
    assert z[1] == pytest.approx(-math.log(6) / math.sqrt(1 / 2 + 1 / 6))


def test_log_odds_rejects_bad_input():
    with pytest.raises(ValueError):
        log_odds([1, 2], [1], 1.0)
    with pytest.raises(ValueError):
        log_odds([1, 2], [1, 2], 0.0)


def test_distinctive_terms_on_a_constructed_corpus():
    df = pd.DataFrame({
        "report_id": ["a", "a", "b", "b", "c"],
        "text": ["", "", "", "", ""],
        "tokens": [["复议", "复议", "调解"], ["复议", "执法"], ["执法", "执法"],
                   ["执法", "调解"], ["普法", "执法"]],
    })
    out = distinctive_terms(df, by="report_id", group="a", top_n=5, prior=0.5, min_count=1)
    assert out["term"].iloc[0] == "复议"
    # by hand: vocab {复议, 调解, 执法, 普法}, a0 = 2, n_a = 5, n_rest = 6
    yi, yj, a = 3, 0, 0.5
    delta = math.log((yi + a) / (5 + 2 - yi - a)) - math.log((yj + a) / (6 + 2 - yj - a))
    z = delta / math.sqrt(1 / (yi + a) + 1 / (yj + a))
    row = out.iloc[0]
    assert row["count"] == 3
    assert row["log_odds"] == pytest.approx(delta)
    assert row["z"] == pytest.approx(z)
    assert list(out["z"]) == sorted(out["z"], reverse=True)
    assert "普法" not in set(out["term"])  # not used by a


def test_distinctive_terms_corpus_prior_and_all_groups():
    df = pd.DataFrame({"region": ["x", "x", "y"], "text": ["", "", ""],
                       "tokens": [["行政复议"] * 4, ["调解", "行政复议"], ["调解"] * 5]})
    out = distinctive_terms(df, by="region", top_n=3, prior="corpus", prior_scale=1.0,
                            min_count=1)
    assert set(out["region"]) == {"x", "y"}
    # informative prior: a_w = total count of w (行政复议 5, 调解 6; a0 = 11)
    yi, yj, a, ni, nj = 5, 0, 5.0, 6, 5
    delta = math.log((yi + a) / (ni + 11 - yi - a)) - math.log((yj + a) / (nj + 11 - yj - a))
    got = out[(out.region == "x") & (out.term == "行政复议")].iloc[0]
    assert got["log_odds"] == pytest.approx(delta)
    with pytest.raises(ValueError):
        distinctive_terms(df, by="region", group="zzz")


def test_category_profile_shares():
    df = pd.DataFrame({
        "report_id": ["r1", "r1", "r1", "r2"],
        "year": [2022, 2022, 2022, 2023],
        "text": ["一二三四五六", "一二", "一二", "一"],
        "label": ["enforcement", "other", "other", "emergency"],
    })
    prof = category_profile(df, by="report_id")
    assert len(prof) == 2 * len(CATEGORY_CODES)
    r1 = prof[prof.report_id == "r1"].set_index("category")
    assert r1.loc["enforcement", "paragraph_share"] == pytest.approx(1 / 3)
    assert r1.loc["enforcement", "char_share"] == pytest.approx(6 / 10)
    assert r1.loc["other", "paragraphs"] == 2 and r1.loc["other", "chars"] == 4
    assert r1.loc["emergency", "paragraphs"] == 0
    np.testing.assert_allclose(prof.groupby("report_id")["char_share"].sum(), 1.0)
    by_year = category_profile(df, by="year")
    assert set(by_year["year"]) == {2022, 2023}
    with pytest.raises(ValueError):
        category_profile(df.drop(columns="label"))


def test_category_heatmap_uses_codes_without_cjk_font(monkeypatch):
    from rolnlp.analysis import plots

    monkeypatch.setattr(plots, "cjk_font", lambda: None)
    df = pd.DataFrame({"region": ["硚口区", "洞头区"], "text": ["执法", "复议"],
                       "label": ["enforcement", "dispute_resolution"]})
    fig = plots.plot_category_heatmap(category_profile(df, by="region"), by="region")
    ax = fig.axes[0]
    xt = [t.get_text() for t in ax.get_xticklabels()]
    yt = [t.get_text() for t in ax.get_yticklabels()]
    assert xt == list(CATEGORY_CODES)
    assert yt and not any(plots.has_cjk(t) for t in yt)
