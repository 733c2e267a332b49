"""The whole analysis in one call: :func:`analyze` (and :func:`mine_topics`,
its topic part alone)."""
from __future__ import annotations

import logging
import os

from ..errors import LabelError, ReportError
from ._units import as_reports, tokenize_texts

logger = logging.getLogger(__name__)

STAGES = ("read", "classify", "tokenize", "topics", "compare", "reuse", "figures",
          "summary")


def _write_csv(df, path):
    from .._io import atomic_write

    with atomic_write(path) as f:
        df.to_csv(f, index=False)
    return path


def _paragraph_table(reports):
    import pandas as pd

    frames = [r.to_dataframe() for r in reports]
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=["report_id", "region", "year", "level", "index", "text"])


def _labels_for(df, labels, model, n_jobs):
    """Category label per paragraph row: given, computed by a callable, or classified."""
    import pandas as pd

    texts = df["text"].tolist()
    if labels is None:
        from ..classification import classify

        preds = classify(texts, model=model, n_jobs=n_jobs)
        return ([p.label for p in preds], [";".join(p.labels) for p in preds],
                [round(float(p.confidence), 4) for p in preds])
    if callable(labels):
        out = list(labels(texts))
    elif isinstance(labels, pd.DataFrame):
        if "label" not in labels.columns:
            raise LabelError("a labels DataFrame needs a 'label' column")
        if {"report_id", "index"} <= set(labels.columns):
            key = labels.set_index(["report_id", "index"])["label"]
            out = [key.get((r, i)) for r, i in zip(df["report_id"], df["index"])]
        else:
            out = labels["label"].tolist()
    else:
        out = list(labels)
    if len(out) != len(df):
        raise LabelError(f"got {len(out)} labels for {len(df)} paragraphs")
    if any(x is None for x in out):
        raise LabelError("some paragraphs have no label")
    return out, out, [None] * len(out)


def mine_topics(source, out_dir, *, n_topics="auto", random_state=0, progress=True,
                n_jobs=1, seed_words=None, tokens=None, reports=None, model_dir=True):
    """Fit a :class:`TopicModel` and write its tables and figures to ``out_dir``.

    Parameters
    ----------
    source : str, Corpus or list of Report
        A directory (searched recursively) or reports already read.
    out_dir : str
        Created if missing.
    n_topics, random_state, seed_words : see :class:`TopicModel`
    progress : bool
        Progress bars.
    n_jobs : int
        Processes for tokenizing.
    tokens : list of list of str, optional
        Tokens per paragraph, when already computed.
    model_dir : bool
        Also save the fitted model under ``out_dir/topic_model``.

    Returns
    -------
    (TopicModel, dict)
        The fitted model and ``{name: path}`` of the files written.

    Example
    -------
    >>> tm, paths = mine_topics("corpus/", "out/")  # doctest: +SKIP
    """
    from .plots import save_figure
    from .topics import TopicModel

    reports = reports if reports is not None else as_reports(source, progress=progress)
    if not reports:
        raise ReportError(f"no reports found in {source}")
    tm = TopicModel(n_topics=n_topics, random_state=random_state, seed_words=seed_words,
                    progress=progress)
    tm.fit(reports, tokens=tokens)
    out = {}
    j = os.path.join
    out["topic_info"] = _write_csv(tm.get_topic_info(), j(out_dir, "topic_info.csv"))
    per_report = tm.topics_per_report()
    out["topics_per_report"] = _write_csv(per_report, j(out_dir, "topics_per_report.csv"))
    over_time = tm.topics_over_time()
    out["topics_over_time"] = _write_csv(over_time, j(out_dir, "topics_over_time.csv"))
    if tm.coherence_sweep_ is not None:
        out["coherence_sweep"] = _write_csv(tm.coherence_sweep_,
                                            j(out_dir, "coherence_sweep.csv"))
        out["fig_coherence"] = save_figure(tm.visualize_coherence(), j(out_dir, "coherence.png"))
    out["fig_topics"] = save_figure(tm.visualize_topics(), j(out_dir, "topics.png"))
    out["fig_topics_per_report"] = save_figure(
        tm.visualize_topics_per_class("report_id"), j(out_dir, "topics_per_report.png"))
    out["fig_topics_over_time"] = save_figure(tm.visualize_topics_over_time(),
                                              j(out_dir, "topics_over_time.png"))
    if model_dir:
        out["topic_model"] = tm.save(j(out_dir, "topic_model"))
    return tm, out


def analyze(directory_or_corpus, out_dir, *, n_topics="auto", random_state=0, progress=True,
            n_jobs=1, model=None, labels=None, seed_words=None, reuse_threshold=0.8):
    """Read, classify, mine topics and compare reports; write tables, figures and
    an HTML summary.

    Parameters
    ----------
    directory_or_corpus : str, Corpus or list of Report
        A directory is searched recursively for reports.
    out_dir : str
        Output directory (created); the inputs are never modified.
    n_topics : int or "auto", default "auto"
        Topics to mine; ``"auto"`` picks by coherence.
    random_state : int, default 0
        Seed: the same input and seed give the same output.
    progress : bool, default True
        A tqdm bar across the stages.
    n_jobs : int, default 1
        Processes for tokenizing and classifying.
    model : path or model, optional
        Classifier for :func:`rolnlp.classify`; default the shipped model.
    labels : sequence, callable or DataFrame, optional
        Precomputed category per paragraph (aligned with the paragraph rows,
        or a DataFrame with ``report_id, index, label``), or a callable
        mapping a list of texts to labels; skips the classifier.
    seed_words : dict, "codebook" or None
        Seed words for the topics (see :class:`TopicModel`).
    reuse_threshold : float, default 0.8
        Jaccard similarity above which two sentences count as reused.

    Returns
    -------
    dict
        ``{name: path}`` of every file written (CSV tables, PNG figures,
        ``summary`` → ``summary.html``, ``topic_model`` directory).

    Example
    -------
    >>> paths = rolnlp.analyze("corpus/", "out/")  # doctest: +SKIP
    >>> paths["summary"]  # doctest: +SKIP
    'out/summary.html'
    """
    from tqdm.auto import tqdm

    from .distinctive import distinctive_terms
    from .plots import (plot_category_heatmap, plot_similarity, save_figure)
    from .profile import category_profile
    from .reuse import find_reuse
    from .similarity import similarity_matrix

    out_dir = os.fspath(out_dir)
    if isinstance(directory_or_corpus, (str, os.PathLike)) and \
            os.path.abspath(directory_or_corpus) == os.path.abspath(out_dir):
        raise ValueError("out_dir must differ from the input directory")
    j = os.path.join
    paths = {}
    bar = tqdm(total=len(STAGES), desc="analyze", disable=not progress, unit="stage")

    def stage(name):
        bar.set_postfix_str(name)
        logger.info("analyze: %s", name)

    try:
        stage("read")
        reports = as_reports(directory_or_corpus)
        if not reports:
            raise ReportError(f"no reports found in {directory_or_corpus}")
        df = _paragraph_table(reports)
        if len(df) == 0:
            raise ReportError("the reports have no paragraphs")
        bar.update()

        stage("classify")
        df["label"], df["labels"], df["confidence"] = _labels_for(df, labels, model, n_jobs)
        bar.update()

        stage("tokenize")
        tokens = tokenize_texts(df["text"], n_jobs=n_jobs, progress=False)
        bar.update()

        stage("topics")
        tm, topic_paths = mine_topics(None, out_dir, n_topics=n_topics,
                                      random_state=random_state, progress=False,
                                      seed_words=seed_words, tokens=tokens, reports=reports)
        paths.update(topic_paths)
        df["topic"] = tm.documents_["topic"].to_numpy()
        cols = [c for c in ("report_id", "region", "year", "level", "index", "section",
                            "heading", "start", "end", "label", "labels", "confidence",
                            "topic", "text") if c in df.columns]
        paths["paragraphs"] = _write_csv(df[cols], j(out_dir, "paragraphs.csv"))
        bar.update()

        stage("compare")
        profiles = {}
        for by in ("report_id", "region", "year"):
            prof = category_profile(df, by=by)
            profiles[by] = prof
            name = {"report_id": "report"}.get(by, by)
            paths[f"profile_{name}"] = _write_csv(prof, j(out_dir, f"profile_{name}.csv"))
        dist = distinctive_terms(df, by="report_id", top=20, tokens=tokens)
        paths["distinctive_terms"] = _write_csv(dist, j(out_dir, "distinctive_terms.csv"))
        if df["region"].notna().any():
            dreg = distinctive_terms(df, by="region", top=20, tokens=tokens)
            paths["distinctive_terms_region"] = _write_csv(
                dreg, j(out_dir, "distinctive_terms_region.csv"))
        by_report = {}
        for rid, toks in zip(df["report_id"], tokens):
            by_report.setdefault(rid, []).extend(toks)
        for r in reports:
            by_report.setdefault(r.id, [])
        sim = similarity_matrix(reports, tokens=by_report)
        paths["similarity"] = _write_csv(sim.reset_index(), j(out_dir, "similarity.csv"))
        bar.update()

        stage("reuse")
        reuse = find_reuse(reports, threshold=reuse_threshold)
        paths["reuse_pairs"] = _write_csv(reuse.pairs, j(out_dir, "reuse_pairs.csv"))
        paths["boilerplate"] = _write_csv(reuse.boilerplate, j(out_dir, "boilerplate.csv"))
        bar.update()

        stage("figures")
        paths["fig_category_heatmap"] = save_figure(
            plot_category_heatmap(profiles["report_id"]), j(out_dir, "category_heatmap.png"))
        if df["year"].notna().any():
            paths["fig_category_by_year"] = save_figure(
                plot_category_heatmap(profiles["year"], by="year"),
                j(out_dir, "category_by_year.png"))
        paths["fig_similarity"] = save_figure(plot_similarity(sim), j(out_dir, "similarity.png"))
        bar.update()

        stage("summary")
        paths["summary"] = _summary(j(out_dir, "summary.html"), reports, df, tm, profiles,
                                    dist, reuse, paths)
        bar.update()
    finally:
        bar.close()
    return paths


def _summary(path, reports, df, tm, profiles, dist, reuse, paths):
    from ..codebook import CATEGORY_CODES
    from .summary import write_summary

    years = sorted({int(y) for y in df["year"].dropna()})
    regions = sorted({str(r) for r in df["region"].dropna()})
    facts = {"reports": len(reports), "paragraphs": len(df),
             "years": f"{years[0]}–{years[-1]}" if years else "unknown",
             "regions": len(regions), "topics": tm.n_topics_,
             "reused sentence pairs": len(reuse.pairs),
             "boilerplate sentences": len(reuse.boilerplate)}
    overall = (df.groupby("label").size().reindex(CATEGORY_CODES, fill_value=0)
               .rename("paragraphs").reset_index().rename(columns={"label": "category"}))
    overall["share"] = overall["paragraphs"] / max(1, overall["paragraphs"].sum())
    reports_tbl = (df.groupby("report_id", sort=False)
                   .agg(region=("region", "first"), year=("year", "first"),
                        paragraphs=("text", "size"), chars=("text", lambda s: s.str.len().sum()))
                   .reset_index())
    year_tbl = profiles["year"].pivot_table(index="year", columns="category",
                                            values="paragraph_share", fill_value=0.0,
                                            sort=True).reset_index() \
        if len(profiles["year"]) else None
    info = tm.get_topic_info()[[c for c in ("topic", "size", "label", "top_terms",
                                           "category") if c in tm.get_topic_info()]]
    top_dist = dist.groupby("report_id", sort=False).head(8)
    top_dist = top_dist[top_dist["report_id"].isin(list(dict.fromkeys(
        dist["report_id"]))[:30])]
    pairs = reuse.pairs.sort_values("similarity", ascending=False, kind="stable").head(50)
    blocks = [("facts", facts),
              ("h2", "Reports"), ("table", reports_tbl.head(200),
                                  "One row per report (first 200)."),
              ("h2", "Categories"), ("table", overall, "Paragraphs per codebook category.")]
    if "fig_category_heatmap" in paths:
        blocks.append(("figure", paths["fig_category_heatmap"],
                       "Share of paragraphs per category in each report."))
    if year_tbl is not None:
        blocks.append(("table", year_tbl, "Share of paragraphs per category by report year."))
    if "fig_category_by_year" in paths:
        blocks.append(("figure", paths["fig_category_by_year"],
                       "Share of paragraphs per category by report year."))
    blocks += [("h2", "Topics"), ("table", info, "Topics: size = paragraphs whose top "
                                                 "topic it is.")]
    for key, cap in (("fig_topics", "Topic sizes."),
                     ("fig_coherence", "Coherence of the number of topics tried."),
                     ("fig_topics_per_report", "Topic prevalence per report."),
                     ("fig_topics_over_time", "Topic weight by report year.")):
        if key in paths:
            blocks.append(("figure", paths[key], cap))
    blocks += [("h2", "Distinctive terms"),
               ("table", top_dist, "Terms each report uses more than the others "
                                   "(weighted log-odds, z > 1.96 is notable; first 30 "
                                   "reports, 8 terms each)."),
               ("h2", "Similarity and text reuse"),
               ("figure", paths["fig_similarity"], "TF-IDF cosine similarity of reports."),
               ("table", pairs, "Near-identical sentences shared by two reports "
                                "(top 50; all in reuse_pairs.csv)."),
               ("table", reuse.boilerplate.head(30),
                "Sentences found in many reports (boilerplate; first 30).")]
    files = sorted(os.path.basename(p) for k, p in paths.items())
    blocks += [("h2", "Files"), ("p", ", ".join(files))]
    return write_summary(path, "Rule-of-law report analysis", blocks)
