"""The whole analysis in one call: :func:`analyze` (and :func:`mine_topics`,
its topic part alone)."""
from __future__ import annotations

import contextlib
import logging
import os
import time
from typing import Any

from ..errors import LabelError, ReportError
from ._units import as_reports, tokenize_texts

logger = logging.getLogger(__name__)

STAGES = ("read", "classify", "tokenize", "topics", "compare", "reuse", "figures",
          "summary")


def _write_csv(df, path):
    from .outputs import write_csv

    return write_csv(df, path)


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
        from ..classification.api import unit_contexts

        # each unit's section and kind, as classify_report uses them
        preds = classify(texts, model=model, n_jobs=n_jobs, context=unit_contexts(df))
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


def mine_topics(source: str | os.PathLike | Any, out_dir: str | os.PathLike, *,
                n_topics: int | str = "auto", random_state: int = 0, progress: bool = True,
                n_jobs: int = 1, seed_words: dict | str | None = None,
                tokens: list[list[str]] | None = None, reports: list | None = None,
                model_dir: bool = True) -> tuple[Any, dict[str, str]]:
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
    from .outputs import OutputDir, with_safe_ids

    reports = with_safe_ids(reports if reports is not None
                            else as_reports(source, progress=progress))
    if not reports:
        raise ReportError(f"no reports found in {source}")
    if isinstance(out_dir, OutputDir):
        return _mine_topics(reports, out_dir, n_topics=n_topics, random_state=random_state,
                            progress=progress, seed_words=seed_words, tokens=tokens,
                            model_dir=model_dir)
    with _output_dir(out_dir) as out:
        return _mine_topics(reports, out, n_topics=n_topics, random_state=random_state,
                            progress=progress, seed_words=seed_words, tokens=tokens,
                            model_dir=model_dir)


@contextlib.contextmanager
def _output_dir(path):
    """An :class:`OutputDir` whose write failures become one-line ``OutputError``."""
    from .outputs import OutputDir, OutputError, describe_os_error

    try:
        with OutputDir(path) as out:
            yield out
    except OSError as e:
        raise OutputError(describe_os_error(e, os.fspath(path))) from e


def _mine_topics(reports, out, *, n_topics, random_state, progress, seed_words, tokens,
                 model_dir, names=None):
    from .plots import (plot_coherence, plot_topic_prevalence, plot_topics,
                        plot_topics_over_time, report_names, save_figure)
    from .topics import TopicModel

    tm = TopicModel(n_topics=n_topics, random_state=random_state, seed_words=seed_words,
                    progress=progress)
    tm.fit(reports, tokens=tokens)
    if names is None:
        names = report_names(_report_rows(reports))
    paths = {}

    def put(key, path):
        paths[key] = out.add(path)

    f = out.file
    info = tm.get_topic_info()
    put("topic_info", _write_csv(info, f("topic_info.csv")))
    per_report = tm.topics_per_report()
    put("topics_per_report", _write_csv(per_report, f("topics_per_report.csv")))
    over_time = tm.topics_over_time()
    put("topics_over_time", _write_csv(over_time, f("topics_over_time.csv")))
    if tm.coherence_sweep_ is not None:
        put("coherence_sweep", _write_csv(tm.coherence_sweep_, f("coherence_sweep.csv")))
        put("fig_coherence", save_figure(plot_coherence(tm.coherence_sweep_,
                                                        chosen=tm.n_topics_),
                                         f("coherence.png")))
    put("fig_topics", save_figure(plot_topics(info), f("topics.png")))
    put("fig_topics_per_report", save_figure(
        plot_topic_prevalence(per_report, "report_id", info, names=names),
        f("topics_per_report.png")))
    put("fig_topics_over_time", save_figure(plot_topics_over_time(over_time, info),
                                            f("topics_over_time.png")))
    docs = tm.documents_
    for by in ("province", "city", "level"):
        if by in docs.columns and docs[by].notna().any():
            put(f"topics_by_{by}", _write_csv(tm.topics_per_class(by, min_reports=2, n_boot=200),
                                              f(f"topics_by_{by}.csv")))
    if "province" in docs.columns and docs["province"].nunique() > 1:
        import matplotlib.pyplot as plt

        ax = tm.visualize_heatmap("province", top_n=20, min_reports=2)
        put("fig_topics_by_province", save_figure(getattr(ax, "figure", ax),
                                                  f("topics_by_province.png")))
        plt.close("all")
    put("topic_examples", _write_csv(tm.get_representative_docs(top_n=3),
                                     f("topic_examples.csv")))
    if model_dir:
        put("topic_model", tm.save(f("topic_model")))
    return tm, paths


def _report_rows(reports):
    """One row per report: ``report_id, region, year`` (for display names)."""
    import pandas as pd

    if isinstance(reports, pd.DataFrame):
        return reports.drop_duplicates("report_id")[["report_id", "region", "year"]]
    return pd.DataFrame([{"report_id": r.id, "region": r.metadata.region,
                          "year": r.metadata.year} for r in reports],
                        columns=["report_id", "region", "year"])


def analyze(directory_or_corpus: str | os.PathLike | Any, out_dir: str | os.PathLike, *,
            n_topics: int | str = "auto", random_state: int = 0, progress: bool = True,
            n_jobs: int = 1, model: Any = None, labels: Any = None,
            seed_words: dict | str | None = None,
            reuse_threshold: float = 0.8) -> dict[str, str]:
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
        ``summary`` → ``summary.html``, ``topic_model`` directory).  The
        same files are listed in ``out_dir/.rolnlp-manifest.json``; files an
        earlier run listed there and this run did not write are removed.

    Raises
    ------
    OutputError
        ``out_dir`` cannot be written (read-only, full) or another run is
        writing to it (``out_dir/.rolnlp.lock``).

    Example
    -------
    >>> paths = rolnlp.analyze("corpus/", "out/")  # doctest: +SKIP
    >>> paths["summary"]  # doctest: +SKIP
    'out/summary.html'
    """
    out_dir = os.fspath(out_dir)
    if isinstance(directory_or_corpus, (str, os.PathLike)) and \
            os.path.abspath(directory_or_corpus) == os.path.abspath(out_dir):
        raise ValueError("out_dir must differ from the input directory")
    # the lock is taken first, so an unwritable or busy --out fails before any work
    with _output_dir(out_dir) as out:
        return _analyze(directory_or_corpus, out, n_topics=n_topics,
                        random_state=random_state, progress=progress, n_jobs=n_jobs,
                        model=model, labels=labels, seed_words=seed_words,
                        reuse_threshold=reuse_threshold)


def _sources(source, progress):
    """``(items, unreadable)``: report files to stream, or reports already in memory."""
    from ..corpus import TABLE_SUFFIXES, _ids, _walk, read_corpus
    from .outputs import with_safe_ids

    if isinstance(source, (str, os.PathLike)) and os.path.isdir(source):
        files, errors = _walk(os.fspath(source), None, True)
        for where, msg in errors:
            logger.warning("skipped %s: %s", where, msg)
        # reports are read in the workers, batch by batch: only file names go out
        return list(zip(files, _ids(files, os.fspath(source)))), list(errors)
    if isinstance(source, (str, os.PathLike)) and \
            os.fspath(source).lower().endswith(TABLE_SUFFIXES):
        corpus = read_corpus(source, progress=progress)
        reports, unreadable = list(corpus.reports), list(corpus.errors)
    else:
        reports = as_reports(source)
        unreadable = list(getattr(source, "errors", None) or [])
    return [(r, r.id) for r in with_safe_ids(reports)], unreadable


def _stream(items, *, model, classify, n_jobs, progress):
    """Read, classify, tokenize and audit ``items`` in batches; keep the results compactly."""
    import pandas as pd

    from .stream import TokenStore, process_reports

    frames, audits, mentions, errors = [], [], [], []
    tokens = TokenStore()
    texts: dict = {}
    for batch in process_reports([i for i, _ in items], [d for _, d in items], model=model,
                                 classify=classify, audit=True, n_jobs=n_jobs,
                                 progress=progress):
        if len(batch.table):
            # per-class probabilities and evidence terms are not used downstream
            frames.append(batch.table.drop(columns=[c for c in batch.table.columns
                                                    if c.startswith("p_") or c == "evidence"]))
        tokens.extend(batch.tokens)
        texts.update(batch.texts)
        errors.extend(batch.errors)
        if batch.audit is not None:
            audits.append(batch.audit)
            mentions.append(batch.mentions)
    from ..reading.table import concat_frames

    df = concat_frames(frames)
    audit_df = pd.concat(audits, ignore_index=True) if audits else None
    mention_df = pd.concat(mentions, ignore_index=True) if mentions else None
    return df, tokens, texts, audit_df, mention_df, errors


def _analyze(source, out, *, n_topics, random_state, progress, n_jobs, model, labels,
             seed_words, reuse_threshold, neighbours=10):
    from tqdm.auto import tqdm

    from .distinctive import distinctive_terms
    from .plots import plot_category_heatmap, plot_similarity, report_names, save_figure
    from .profile import category_profile
    from .reuse import find_reuse
    from .similarity import MATRIX_LIMIT, nearest_reports, similarity_matrix

    f = out.file
    paths = {}

    def put(key, path):
        paths[key] = out.add(path)

    bar = tqdm(total=len(STAGES), desc="analyze", disable=not progress, unit="stage")
    clock = {"name": None, "start": 0.0}

    def stage(name):
        now = time.perf_counter()
        if clock["name"]:
            logger.info("analyze: stage %s took %.3f s", clock["name"], now - clock["start"])
        clock.update(name=name, start=now)
        if name:
            bar.set_postfix_str(name)
            logger.info("analyze: %s", name)

    try:
        stage("read")
        items, unreadable = _sources(source, progress)
        if not items:
            raise ReportError(f"no reports found in {source}")
        classify = labels is None
        df, tokens, texts, audit_df, mention_df, errors = _stream(
            items, model=model, classify=classify, n_jobs=n_jobs, progress=progress)
        unreadable += errors
        if not texts:
            raise ReportError(f"no readable reports in {source}")
        if len(df) == 0:
            raise ReportError("the reports have no paragraphs")
        report_ids = list(texts)
        rows = df.drop_duplicates("report_id")[["report_id", "region", "year"]]
        names = report_names(rows.set_index("report_id").reindex(report_ids).reset_index())
        bar.update()

        stage("classify")
        if not classify:
            df["label"], df["labels"], df["confidence"] = _labels_for(df, labels, model, n_jobs)
        elif "labels" in df.columns:
            df["labels"] = [";".join(x) if isinstance(x, (list, tuple)) else x
                            for x in df["labels"]]
        bar.update()

        stage("tokenize")  # done once per paragraph while streaming
        bar.update()

        stage("topics")
        tm, topic_paths = _mine_topics(df, out, n_topics=n_topics, random_state=random_state,
                                       progress=False, seed_words=seed_words, tokens=tokens,
                                       model_dir=True, names=names)
        paths.update(topic_paths)
        df["topic"] = tm.documents_["topic"].to_numpy()
        cols = [c for c in ("report_id", "region", "province", "city", "year", "level", "index",
                            "section", "heading", "start", "end", "label", "labels",
                            "confidence", "topic", "text") if c in df.columns]
        put("paragraphs", _write_csv(df[cols], f("paragraphs.csv")))
        bar.update()

        stage("compare")
        profiles = {}
        for by in ("report_id", "region", "year"):
            prof = category_profile(df, by=by)
            profiles[by] = prof
            name = {"report_id": "report"}.get(by, by)
            put(f"profile_{name}", _write_csv(prof, f(f"profile_{name}.csv")))
        dist = distinctive_terms(df, by="report_id", top_n=20, tokens=tokens)
        put("distinctive_terms", _write_csv(dist, f("distinctive_terms.csv")))
        if df["region"].notna().any():
            dreg = distinctive_terms(df, by="region", top_n=20, tokens=tokens)
            put("distinctive_terms_region", _write_csv(dreg, f("distinctive_terms_region.csv")))
        by_report: dict = {rid: [] for rid in report_ids}
        for rid, toks in zip(df["report_id"], tokens):
            by_report[rid].extend(toks)
        nn = nearest_reports(texts, k=neighbours, tokens=by_report, progress=False)
        put("neighbours", _write_csv(nn, f("neighbours.csv")))
        sim = None
        if 1 < len(report_ids) <= min(MATRIX_LIMIT, 40):  # a heatmap is readable up to ~40
            sim = similarity_matrix(texts, tokens=by_report)
            put("similarity", _write_csv(sim.reset_index(), f("similarity.csv")))
        del by_report
        bar.update()

        stage("reuse")
        reuse = find_reuse(texts, threshold=reuse_threshold, progress=False)
        put("reuse_pairs", _write_csv(reuse.pairs, f("reuse_pairs.csv")))
        put("boilerplate", _write_csv(reuse.boilerplate, f("boilerplate.csv")))
        indicators = None
        if audit_df is not None:
            from ..audit import indicator_table

            put("audit", _write_csv(audit_df, f("audit.csv")))
            put("indicator_mentions", _write_csv(mention_df, f("indicator_mentions.csv")))
            indicators = _with_places(indicator_table(mention_df, progress=False), audit_df)
            put("indicators", _write_csv(indicators, f("indicators.csv")))
        bar.update()

        stage("figures")
        put("fig_category_heatmap", save_figure(
            plot_category_heatmap(profiles["report_id"], names=names),
            f("category_heatmap.png")))
        if df["year"].notna().any():
            put("fig_category_by_year", save_figure(
                plot_category_heatmap(profiles["year"], by="year"), f("category_by_year.png")))
        if sim is not None:
            put("fig_similarity", save_figure(plot_similarity(sim, names=names),
                                              f("similarity.png")))
        bar.update()

        stage("summary")
        from .summary import analysis_summary

        put("summary", analysis_summary(f("summary.html"), report_ids, df, tm, profiles, dist,
                                        reuse, paths, names=names, out_dir=out.path,
                                        unreadable=unreadable, neighbours=nn,
                                        audit=(audit_df, indicators)))
        bar.update()
        stage(None)
    finally:
        bar.close()
    return paths


def _with_places(table, audit_df):
    """Fill the place and year columns of the indicator table from the audit rows."""
    if table is None or not len(table):
        return table
    meta = audit_df.set_index("report_id")
    for col in ("region", "province", "level", "year"):
        if col in table.columns and col in meta.columns:
            table[col] = table["report_id"].map(meta[col])
    return table
