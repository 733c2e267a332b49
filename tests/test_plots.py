"""Figures: the CJK font chosen, reports named by region and year, readable
similarity, gaps in time, a colour per topic; and the HTML summary."""
import logging

import numpy as np
import pandas as pd
import pytest

from rolnlp.analysis import plots
from rolnlp.analysis.summary import render_summary
from rolnlp.codebook import category_name


# ------------------------------------------------------------------ fonts
@pytest.mark.parametrize("families, expected", [
    # the old rule took the first fc-list hit: a serif Japanese face
    (["Noto Serif CJK JP", "Noto Serif CJK SC", "DejaVu Sans", "Noto Sans CJK JP",
      "Noto Sans CJK SC"], "Noto Sans CJK SC"),
    (["Noto Serif CJK JP", "DejaVu Sans", "Noto Sans CJK JP"], "Noto Sans CJK JP"),
    (["AR PL UMing CN", "AR PL UKai CN", "WenQuanYi Zen Hei"], "WenQuanYi Zen Hei"),
    (["SimSun", "SimHei", "Microsoft YaHei"], "SimHei"),
    (["PingFang SC", "Songti SC", "STKaiti"], "PingFang SC"),
    (["Source Han Sans SC", "Noto Sans CJK SC"], "Noto Sans CJK SC"),
    (["Microsoft YaHei", "WenQuanYi Micro Hei"], "Microsoft YaHei"),
    (["Noto Serif CJK SC", "AR PL UMing CN", "SimSun", "DejaVu Sans"], None),
    (["DejaVu Sans", "Liberation Serif"], None),
    ([], None),
])
def test_choose_cjk_font_prefers_simplified_sans(families, expected):
    assert plots.choose_cjk_font(families) == expected


def test_choose_cjk_font_trusts_fontconfig_for_unknown_names():
    assert plots.choose_cjk_font(["DejaVu Sans", "ZCOOL XiaoWei"], ["ZCOOL XiaoWei"]) == \
        "ZCOOL XiaoWei"
    # a serif face stays out even when fontconfig says it covers Chinese
    assert plots.choose_cjk_font(["FZShuSong"], ["FZShuSong"]) is None


def test_no_cjk_font_warns_once_with_an_install_hint(monkeypatch, caplog):
    from matplotlib import font_manager

    # only the fonts that cannot draw Chinese (or only as serif) stay visible
    latin = [f for f in font_manager.fontManager.ttflist
             if plots.choose_cjk_font([f.name], ["Noto Serif CJK JP"]) is None]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", latin)
    monkeypatch.setattr(plots, "_fc_families", lambda: ["Noto Serif CJK JP"])
    monkeypatch.setattr(plots, "_add_fontconfig_cjk", lambda fm: False)  # no font on disk either
    plots.cjk_font.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="rolnlp"):
            assert plots.cjk_font() is None
            assert plots.cjk_font() is None
            fig = plots.plot_category_heatmap(pd.DataFrame(
                {"report_id": ["a"], "category": ["enforcement"], "paragraph_share": [1.0]}))
        warnings = [r for r in caplog.records if "CJK" in r.getMessage()]
        assert len(warnings) == 1
        assert "apt install fonts-noto-cjk" in warnings[0].getMessage()
        assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["enforcement"]
    finally:
        plots.cjk_font.cache_clear()
        # font lookups made while the list was narrowed must not outlive this test
        font_manager.FontManager._findfont_cached.cache_clear()


def test_every_figure_uses_the_chosen_font(monkeypatch):
    monkeypatch.setattr(plots, "cjk_font", lambda: "Noto Sans CJK SC")
    sweep = pd.DataFrame({"n_topics": [2, 3, 4], "coherence": [-0.3, -0.2, -0.25]})
    fig = plots.plot_coherence(sweep, chosen=3)
    families = {tuple(t.get_fontfamily()) for t in fig.findobj(
        lambda a: hasattr(a, "get_fontfamily")) if getattr(t, "get_text", lambda: "")()}
    assert families and all(f[0] == "Noto Sans CJK SC" for f in families)


# ------------------------------------------------------------------ names
def test_reports_are_named_by_region_and_year_and_disambiguated():
    df = pd.DataFrame({"report_id": ["a", "a", "b", "c", "d"],
                       "region": ["硚口区", "硚口区", "硚口区", "洞头区", None],
                       "year": [2024, 2024, 2024, np.nan, 2023]})
    assert plots.report_names(df) == {"a": "硚口区 2024 #1", "b": "硚口区 2024 #2",
                                      "c": "洞头区", "d": "d"}


def test_figures_label_reports_by_name_with_a_font_and_by_id_without(monkeypatch):
    prof = pd.DataFrame({"report_id": ["r1", "r2"], "category": ["enforcement"] * 2,
                         "paragraph_share": [0.5, 0.2]})
    names = {"r1": "硚口区 2024", "r2": "洞头区 2020"}
    monkeypatch.setattr(plots, "cjk_font", lambda: "Noto Sans CJK SC")
    fig = plots.plot_category_heatmap(prof, names=names)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["硚口区 2024", "洞头区 2020"]
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == [
        category_name("enforcement", "zh")]
    monkeypatch.setattr(plots, "cjk_font", lambda: None)
    fig = plots.plot_category_heatmap(prof, names=names)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["r1", "r2"]


def test_topic_labels_use_top_terms():
    row = {"topic": 3, "top_terms": "执法 行政 案件 办理", "label": "x", "short_label": "T3"}
    assert plots.topic_label(row) == "T3 执法 行政 案件"


# ------------------------------------------------------------------ readability
def test_similarity_scale_ignores_the_diagonal():
    sim = pd.DataFrame([[1.0, 0.2, 0.3], [0.2, 1.0, 0.25], [0.3, 0.25, 1.0]],
                       index=list("abc"), columns=list("abc"))
    fig = plots.plot_similarity(sim)
    im = fig.axes[0].images[0]
    assert im.norm.vmin == pytest.approx(0.2) and im.norm.vmax == pytest.approx(0.3)
    data = im.get_array()
    assert np.ma.is_masked(data) and data.mask.diagonal().all()
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "0.30" in texts and "1.00" not in texts


def test_topics_over_time_leaves_gaps_for_missing_years():
    over = pd.DataFrame({"year": [2019, 2019, 2022, 2022], "topic": [0, 1, 0, 1],
                         "share": [0.6, 0.4, 0.3, 0.7]})
    info = pd.DataFrame({"topic": [0, 1], "top_terms": ["执法 行政", "复议 调解"],
                         "label": ["执法_行政", "复议_调解"], "short_label": ["T0", "T1"]})
    fig = plots.plot_topics_over_time(over, info)
    for line in fig.axes[0].get_lines():
        x, y = line.get_data()
        assert list(x) == [2019, 2020, 2021, 2022]
        assert np.isnan(y[1]) and np.isnan(y[2])  # no segment drawn across 2020-2021


@pytest.mark.parametrize("n", [3, 10, 11, 20, 21, 40])
def test_topics_never_share_a_colour(n):
    colours = plots.topic_colors(n)
    assert len(colours) == n and len({tuple(np.round(c, 4)) for c in colours}) == n


def test_many_topics_get_distinct_line_colours():
    k = 14
    over = pd.DataFrame({"year": [2020] * k + [2021] * k, "topic": list(range(k)) * 2,
                         "share": np.linspace(0, 1, 2 * k)})
    info = pd.DataFrame({"topic": range(k), "top_terms": [f"t{i}" for i in range(k)],
                         "label": [f"t{i}" for i in range(k)],
                         "short_label": [f"T{i}" for i in range(k)]})
    fig = plots.plot_topics_over_time(over, info)
    colours = {line.get_color() if isinstance(line.get_color(), str)
               else tuple(line.get_color()) for line in fig.axes[0].get_lines()}
    assert len(colours) == k


# ------------------------------------------------------------------ summary page
def test_summary_shows_chinese_names_with_codes_on_hover_and_escapes_text():
    df = pd.DataFrame({"category": ["enforcement", "custom_code"], "paragraphs": [3, 1],
                       "share": [0.75, np.nan],
                       "text": ["<script>alert(1)</script>", "A & B"]})
    page = render_summary("t <b>", [("table", df, "caption", {"codes": ["category"]}),
                                    ("note", "No boilerplate: none found."),
                                    ("files", [("paragraphs.csv", "paragraphs.csv"),
                                               ("topic model/", "topic model/")])])
    assert f'<td title="enforcement">{category_name("enforcement", "zh")}' in page
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert "A &amp; B" in page and "t &lt;b&gt;" in page
    assert ">nan<" not in page
    assert '<a href="paragraphs.csv">paragraphs.csv</a>' in page
    assert '<a href="topic%20model/">' in page
    assert '<p class="note">No boilerplate: none found.</p>' in page
    assert "overflow-x:auto" in page  # wide tables scroll inside the page


def test_summary_of_an_analysis(tmp_path):
    import shutil

    from conftest import REPORTS
    from rolnlp.analysis import analyze

    src = tmp_path / "in"
    src.mkdir()
    for p in sorted(REPORTS.glob("*.txt"))[:3]:
        shutil.copy(p, src / p.name)
    paths = analyze(src, tmp_path / "out", n_topics=2, progress=False,
                    labels=lambda texts: ["enforcement" if "执法" in t else "other"
                                          for t in texts])
    page = (tmp_path / "out" / "summary.html").read_text("utf-8")
    para = pd.read_csv(paths["paragraphs"])
    names = plots.report_names(para)
    for rid, name in names.items():
        assert f'title="{rid}">{name}</td>' in page
    assert category_name("enforcement", "zh") in page
    assert "No coherence sweep" in page  # an empty section says why it is left out
    for key in ("paragraphs", "topic_info", "similarity"):
        rel = paths[key].split("/")[-1]
        assert f'<a href="{rel}">' in page


def test_fonts_installed_after_matplotlib_cached_its_list_are_registered(monkeypatch, tmp_path):
    import subprocess
    import types

    from rolnlp.analysis import plots

    sans, serif = tmp_path / "NotoSansCJK.ttc", tmp_path / "NotoSerifCJK.ttc"
    sans.write_bytes(b"x")
    serif.write_bytes(b"x")
    listing = (f"{sans}: Noto Sans CJK JP,Noto Sans CJK SC\n"
               f"{serif}: Noto Serif CJK SC\n/missing.ttc: Noto Sans CJK TC\n")
    monkeypatch.setattr(plots.shutil, "which", lambda name: "/usr/bin/fc-list")
    monkeypatch.setattr(plots.subprocess, "run", lambda *a, **k: subprocess.CompletedProcess(
        a, 0, stdout=listing, stderr=""))
    added = []
    fm = types.SimpleNamespace(fontManager=types.SimpleNamespace(addfont=added.append))
    assert plots._add_fontconfig_cjk(fm) is True
    assert added == [str(sans)]  # serif faces and files that do not exist are left out


def test_summary_cells_show_missing_values_as_empty():
    import pandas as pd

    from rolnlp.analysis.summary import _fmt

    assert _fmt(pd.NA) == ("", False)
    assert _fmt(None) == ("", False)
    assert _fmt(float("nan")) == ("", True)
    assert _fmt(26) == ("26", True)


def test_a_sweep_of_one_number_of_topics_draws_no_curve_and_says_why(tmp_path):
    import shutil

    from conftest import REPORTS
    from rolnlp.analysis import analyze

    src = tmp_path / "in"
    src.mkdir()
    for p in sorted(REPORTS.glob("*.txt"))[:2]:
        shutil.copy(p, src / p.name)
    # codebook seeds ask for one topic per seeded category; two reports allow no more
    paths = analyze(src, tmp_path / "out", n_topics="auto", seed_words="codebook",
                    progress=False, labels=lambda texts: ["other"] * len(texts))
    sweep = pd.read_csv(paths["coherence_sweep"])
    assert len(sweep) == 1
    assert "fig_coherence" not in paths and not (tmp_path / "out" / "coherence.png").exists()
    page = (tmp_path / "out" / "summary.html").read_text("utf-8")
    assert f"only {int(sweep['n_topics'][0])} topics could be tried" in page
