"""The whole analysis in one call: :func:`analyze` (and :func:`mine_topics`,
its topic part alone)."""
from __future__ import annotations

import contextlib
import logging
import os
import time
from typing import Any

from ..errors import LabelError, ReportError
from ._units import as_reports, term_coords

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
                 model_dir, names=None, fitted=None, examples=None):
    from .plots import (plot_coherence, plot_topic_prevalence, plot_topics,
                        plot_topics_over_time, report_names, save_figure)
    from .topics import TopicModel

    if fitted is not None:  # fitted by the caller (``reports`` unused)
        tm = fitted
    else:
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
    if tm.coherence_sweep_ is not None and len(tm.coherence_sweep_) > 1:  # one point is no curve
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
    if examples is None:
        examples = tm.get_representative_docs(top_n=3)
    put("topic_examples", _write_csv(examples, f("topic_examples.csv")))
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
            reuse_threshold: float = 0.8, resume: bool = True) -> dict[str, str]:
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
    resume : bool, default True
        Reuse the batches an earlier (possibly interrupted) run into the same
        ``out_dir`` left in ``out_dir/.rolnlp-work``: a batch of reports is
        read, classified, tokenized and audited again only when its files,
        the model, the tokenizer's lexicon or the rolnlp version changed.
        ``False`` recomputes every batch.

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
                        reuse_threshold=reuse_threshold, resume=resume)


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


TOPIC_SAMPLE = 20_000
"""Paragraphs topics are fitted on at most: larger corpora are fitted on a seeded
sample of this many and the other paragraphs get the fitted model's topics, so
the topic stage needs the same memory at any corpus size."""

BATCH_SIZE = 64  # reports per streamed batch (and per file in the work area)
COMPARE_BLOCK = 2_000  # reports whose term counts the compare stage reads at once


class _Streamed:
    """What the streamed stage leaves in memory: for every paragraph only the
    :data:`~rolnlp.analysis.spill.META_COLUMNS` and its length (``chars``), and
    one entry per batch file, which holds the rest."""

    def __init__(self):
        self.batches = []      # SpilledBatch, in input order
        self.starts = [0]      # first paragraph row of each batch, then the total
        self.report_ids = []   # readable reports, in input order
        self.errors = []
        self.table_columns = None  # the columns of the batch tables, in order
        self.meta = None

    def rows(self, j):
        return self.starts[j], self.starts[j + 1]

    def table(self, j, rows=None):
        """Batch ``j``'s paragraph table (its ``rows``, positions within the batch)
        as later stages see it: the columns it shares with :attr:`meta` taken
        from there, so that every batch gives them the same dtypes, and labels
        given in place of the classifier's (``_given_labels``) added."""
        import numpy as np

        a, _ = self.rows(j)
        table = self.batches[j].table()
        local = np.arange(len(table)) if rows is None else np.asarray(rows)
        if rows is not None:
            table = table.iloc[local].reset_index(drop=True)
        at = a + local
        for c in self.meta.columns:
            if c in table.columns or c in _LABEL_COLUMNS:  # a slice, never the whole column
                table[c] = self.meta[c].iloc[at].reset_index(drop=True)
        return table


_LABEL_COLUMNS = ("label", "labels", "confidence")

def _stream_base(model, classify):
    """The part of every batch's key that is not its files: ``None`` when it
    cannot be fingerprinted (a model object), which turns resuming off."""
    import json

    from .._version import __version__
    from ..classification.features import tokenizer_fingerprint
    from .spill import FORMAT, model_fingerprint

    fp = model_fingerprint(model) if classify else "no-model"
    if fp is None:
        return None
    return json.dumps({"format": FORMAT, "version": __version__, "model": fp,
                       "classify": classify, "audit": True, "batch": BATCH_SIZE,
                       "tokenizer": tokenizer_fingerprint()}, sort_keys=True)


def _stream(items, *, model, classify, n_jobs, progress, work, resume):
    """Read, classify, tokenize and audit ``items`` in batches, each written to
    ``work/batches`` (reused when its key matches) by the process that computed
    it; keep only each paragraph's :data:`~rolnlp.analysis.spill.META_COLUMNS`."""
    import pandas as pd

    from . import stream
    from .spill import MetaTable, SpilledBatch, batch_key, remove_stale

    directory = os.path.join(work, "batches")
    os.makedirs(directory, exist_ok=True)
    chunks = [items[i:i + BATCH_SIZE] for i in range(0, len(items), BATCH_SIZE)]
    base = _stream_base(model, classify)
    if base is None:
        resume = False
        base = f"unkeyed-{os.getpid()}-{time.time_ns()}"
    names = [batch_key(base, [i for i, _ in c], [d for _, d in c]) + ".npz" for c in chunks]
    paths = [os.path.join(directory, n) for n in names]
    todo = [j for j, p in enumerate(paths) if not (resume and os.path.exists(p))]
    logger.info("analyze: %d of %d batches to compute, %d reused from %s", len(todo),
                len(chunks), len(chunks) - len(todo), directory)
    computed = iter(stream.process_reports(
        [i for j in todo for i, _ in chunks[j]], [d for j in todo for _, d in chunks[j]],
        model=model, classify=classify, audit=True, n_jobs=n_jobs, progress=progress,
        batch_size=BATCH_SIZE, spill_to=[paths[j] for j in todo]) if todo else ())
    todo = set(todo)
    out = _Streamed()
    metas = MetaTable()
    for j, path in enumerate(paths):
        # read back from the file in both cases, so a resumed run sees exactly
        # what a fresh one does
        if j in todo:
            sb = next(computed)  # written by whichever process computed it
            logger.debug("analyze: batch %d computed (%s)", j, names[j])
        else:
            sb = SpilledBatch(path)
            logger.debug("analyze: batch %d reused (%s)", j, names[j])
        spec, arrays = sb.meta_parts()
        out.batches.append(sb)
        out.report_ids.extend(sb.report_ids())
        out.errors.extend(sb.errors())
        if spec["rows"] and out.table_columns is None:
            out.table_columns = sb.columns()
        metas.add(spec, arrays)
        out.starts.append(out.starts[-1] + spec["rows"])
    removed = remove_stale(directory, names)
    if removed:
        logger.info("analyze: removed %d stale batch files", removed)
    out.meta = metas.frame() if metas.rows else pd.DataFrame()
    if out.table_columns is None:
        out.table_columns = list(out.meta.columns)
    return out


def _audit_frames(streamed):
    """The audit rows and indicator mentions of all batches (read when written,
    so they are not held through the topic and compare stages)."""
    import pandas as pd

    audits, mentions = [], []
    for b in streamed.batches:
        audit = b.frame("audit")
        if audit is not None:
            audits.append(audit)
            mentions.append(b.frame("mentions"))
    if not audits:
        return None, None
    return pd.concat(audits, ignore_index=True), pd.concat(mentions, ignore_index=True)


def _given_labels(streamed, labels):
    """Category per paragraph row from ``labels`` (sequence, DataFrame or callable)."""
    import pandas as pd

    n = len(streamed.meta)
    if callable(labels):
        out = []
        for j, b in enumerate(streamed.batches):  # one batch of texts at a time
            a, e = streamed.rows(j)
            texts = b.table()["text"].tolist() if e > a else []
            if texts:
                got = list(labels(texts))
                if len(got) != len(texts):
                    raise LabelError(f"got {len(got)} labels for {len(texts)} paragraphs")
                out.extend(got)
    elif isinstance(labels, pd.DataFrame):
        if "label" not in labels.columns:
            raise LabelError("a labels DataFrame needs a 'label' column")
        if {"report_id", "index"} <= set(labels.columns):
            key = labels.set_index(["report_id", "index"])["label"]
            out = []
            for j, b in enumerate(streamed.batches):
                a, e = streamed.rows(j)
                if e > a:
                    t = b.table()
                    out.extend(key.get((r, i)) for r, i in zip(t["report_id"], t["index"]))
        else:
            out = labels["label"].tolist()
    else:
        out = list(labels)
    if len(out) != n:
        raise LabelError(f"got {len(out)} labels for {n} paragraphs")
    if any(x is None for x in out):
        raise LabelError("some paragraphs have no label")
    return out, out, [None] * len(out)


def _sample_rows(streamed, rows):
    """Paragraph rows ``rows`` (sorted positions) with their text, and their tokens."""
    import numpy as np
    import pandas as pd

    frames, tokens = [], []
    for j, b in enumerate(streamed.batches):
        a, e = streamed.rows(j)
        lo, hi = np.searchsorted(rows, [a, e])
        if lo == hi:
            continue
        local = rows[lo:hi] - a
        frames.append(streamed.table(j, local))
        btok = b.tokens()
        tokens.extend(btok[i] for i in local.tolist())
    return pd.concat(frames, ignore_index=True), tokens


def _fit_topics(streamed, *, n_topics, random_state, seed_words, sample_size):
    """Fit topics on all paragraphs, or on a seeded sample of ``sample_size`` and
    give the others the fitted model's topics batch by batch.

    Returns ``(TopicModel, representative paragraphs or None)``.
    """
    import numpy as np

    from .topics import TopicModel

    n = len(streamed.meta)
    sampled = n > sample_size
    rows = (np.sort(np.random.default_rng(random_state).choice(n, sample_size, replace=False))
            if sampled else np.arange(n))
    df, tokens = _sample_rows(streamed, rows)
    tm = TopicModel(n_topics=n_topics, random_state=random_state, seed_words=seed_words,
                    progress=False)
    tm.fit(df, tokens=tokens)
    if not sampled:
        return tm, None
    logger.info("analyze: topics fitted on %d of %d paragraphs", sample_size, n)
    del df, tokens
    examples = tm.get_representative_docs(top_n=3)
    examples["row"] = rows[examples["row"].to_numpy()]
    probs = np.zeros((n, tm.n_topics_), dtype=np.float32)
    fitted = tm.doc_topic_
    for j, b in enumerate(streamed.batches):
        a, e = streamed.rows(j)
        if a == e:
            continue
        probs[a:e] = tm._assign(streamed.table(j), b.tokens())
    probs[rows] = fitted  # the sampled rows keep their fitted distributions
    tm._set_documents(streamed.meta.drop(columns=["chars"]), probs)
    return tm, examples


def _report_counts(streamed, directory):
    """Counts of the terms (``_units.term_coords``) per report (rows in
    ``streamed.report_ids`` order), written to ``directory`` batch by batch.

    Returns ``(RowBlocks of int32 counts, the term of each column, column sums)``;
    memory keeps the vocabulary and a few numbers per report, never the counts."""
    import numpy as np
    import scipy.sparse as sp

    from .blocks import RowBlocks

    index = {rid: i for i, rid in enumerate(streamed.report_ids)}
    vocab: dict = {}
    store = RowBlocks(directory, "counts", dtype=np.int32)
    total = np.zeros(0, dtype=np.int64)
    rids = streamed.meta["report_id"].to_numpy() if len(streamed.meta) else []
    for j, b in enumerate(streamed.batches):
        a, e = streamed.rows(j)
        if a == e:
            continue
        r, c = term_coords(((index[rid], toks) for rid, toks in zip(rids[a:e], b.tokens())),
                           vocab)
        if not r:
            continue
        lo = min(r)  # a batch's reports are consecutive rows
        m = sp.coo_matrix((np.ones(len(r), dtype=np.int32),
                           (np.asarray(r, dtype=np.int64) - lo, c)),
                          shape=(max(r) - lo + 1, len(vocab))).tocsr()
        m.sum_duplicates()
        store.append(lo, m)
        total = np.concatenate([total, np.zeros(len(vocab) - len(total), dtype=np.int64)])
        total += np.bincount(m.indices, weights=m.data, minlength=len(vocab)).astype(np.int64)
        del m, r, c
    store.close(n_rows=len(index), n_cols=len(vocab))
    return store, list(vocab), total


def _report_distinctive(store, terms, total, report_ids, in_table):
    """Distinctive terms of every report with paragraphs, a block of reports at a time."""
    import numpy as np
    import pandas as pd

    from .distinctive import distinctive_from_counts

    frames = []
    keep = np.asarray(in_table, dtype=bool)
    for a, b, block in store.blocks(COMPARE_BLOCK):
        rows = np.flatnonzero(keep[a:b])
        if len(rows):
            frames.append(distinctive_from_counts(
                [report_ids[a + r] for r in rows], block[rows], terms, by="report_id",
                top_n=20, total=total))
    if not frames:
        return distinctive_from_counts([], store.block(0, 0), terms, by="report_id", top_n=20)
    return pd.concat(frames, ignore_index=True)


def _grouped(store, report_ids, keys):
    """Sum report rows of ``store`` by ``keys`` (one per report; NA left out),
    groups in order of first appearance; integer sums."""
    import numpy as np
    import pandas as pd
    import scipy.sparse as sp

    keys = pd.Series(keys, index=report_ids)
    keep = keys.notna().to_numpy()
    groups = pd.Index(pd.unique(keys[keep]))
    g = np.full(len(report_ids), -1, dtype=np.int64)
    g[keep] = groups.get_indexer(keys[keep])
    out = None
    for a, b, block in store.blocks(COMPARE_BLOCK):
        rows = np.flatnonzero(g[a:b] >= 0)
        if not len(rows):
            continue
        member = sp.csr_matrix((np.ones(len(rows), dtype=np.int64), (g[a:b][rows], rows)),
                               shape=(len(groups), b - a))
        part = member @ block.astype(np.int64)
        out = part if out is None else out + part
    if out is None:
        out = sp.csr_matrix((len(groups), store.shape[1]), dtype=np.int64)
    if out.data.size and out.data.max() < np.iinfo(np.int32).max:
        out = out.astype(np.int32)
    return groups, out


def _report_vectors(store, terms, total, directory):
    """The TF-IDF vector of every report (``similarity.vectors_from_counts``),
    made a block at a time from ``store`` and written to ``directory``."""
    import numpy as np
    import scipy.sparse as sp

    from .blocks import RowBlocks
    from .similarity import term_order, tfidf_idf, tfidf_rows

    used = total > 0
    rank = term_order(terms)  # columns in term order, unused ones dropped
    kept = np.cumsum(used[np.argsort(rank, kind="stable")]) - 1
    column = kept[rank].astype(np.int32)
    doc_freq = np.zeros(int(used.sum()), dtype=np.int64)
    for _, _, block in store.blocks(COMPARE_BLOCK):
        doc_freq += np.bincount(column[block.indices], minlength=len(doc_freq))
    idf = tfidf_idf(doc_freq, store.shape[0])
    vectors = RowBlocks(directory, "vectors", dtype=np.float64)
    for a, _, block in store.blocks(COMPARE_BLOCK):
        block = sp.csr_matrix((block.data, column[block.indices], block.indptr),
                              shape=(block.shape[0], len(doc_freq)))
        block.sort_indices()
        vectors.append(a, tfidf_rows(block, idf))
    vectors.close(n_rows=store.shape[0], n_cols=len(doc_freq))
    return vectors


def _write_paragraphs(streamed, topics, cols, path):
    """paragraphs.csv written batch by batch (read back from the work area), with
    each paragraph's ``topics``."""
    from .._io import atomic_write
    from .outputs import spreadsheet_safe

    with atomic_write(path) as f:
        header = True
        for j in range(len(streamed.batches)):
            a, e = streamed.rows(j)
            if a == e:
                continue
            part = streamed.table(j)
            part["topic"] = topics[a:e]
            spreadsheet_safe(part[cols]).to_csv(f, index=False, header=header)
            header = False
    return path


def _report_texts_of(streamed):
    texts: dict = {}
    for b in streamed.batches:
        texts.update(b.texts())
    return texts


def _lazy_texts(streamed):
    """Report texts read back one batch at a time, as often as they are iterated."""
    from .reuse import ReportTexts

    def pairs():
        for b in streamed.batches:
            yield from b.texts().items()

    return ReportTexts(pairs)


def _rss_mb():
    """(current RSS, peak RSS) of this process in MB, where /proc tells them."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            vals = dict(line.split(":", 1) for line in f if line.startswith(("VmRSS", "VmHWM")))
        return (int(vals["VmRSS"].split()[0]) / 1024, int(vals["VmHWM"].split()[0]) / 1024)
    except (OSError, KeyError, ValueError):
        return None


def _analyze(source, out, *, n_topics, random_state, progress, n_jobs, model, labels,
             seed_words, reuse_threshold, resume=True, neighbours=10):
    from tqdm.auto import tqdm

    from .distinctive import distinctive_from_counts
    from .plots import plot_category_heatmap, plot_similarity, report_names, save_figure
    from .profile import category_profile
    from .reuse import find_reuse
    from .similarity import MATRIX_LIMIT, nearest_from_blocks, similarity_matrix
    from .spill import WORK_DIR

    f = out.file
    paths = {}
    work = os.path.join(out.path, WORK_DIR)

    def put(key, path):
        paths[key] = out.add(path)

    bar = tqdm(total=len(STAGES), desc="analyze", disable=not progress, unit="stage")
    clock = {"name": None, "start": 0.0}

    def stage(name):
        now = time.perf_counter()
        if clock["name"]:
            mem = _rss_mb()
            logger.info("analyze: stage %s took %.3f s%s", clock["name"], now - clock["start"],
                        f" (RSS {mem[0]:.0f} MB, peak {mem[1]:.0f} MB)" if mem else "")
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
        streamed = _stream(items, model=model, classify=classify, n_jobs=n_jobs,
                           progress=progress, work=work, resume=resume)
        unreadable += streamed.errors
        if not streamed.report_ids:
            raise ReportError(f"no readable reports in {source}")
        df = streamed.meta
        if len(df) == 0:
            raise ReportError("the reports have no paragraphs")
        report_ids = streamed.report_ids
        rows = df.drop_duplicates("report_id")[["report_id", "region", "year"]]
        names = report_names(rows.set_index("report_id").reindex(report_ids).reset_index())
        bar.update()

        stage("classify")  # done while streaming, unless labels are given
        if not classify:
            df["label"], df["labels"], df["confidence"] = _given_labels(streamed, labels)
        bar.update()

        stage("tokenize")  # done once per paragraph while streaming
        bar.update()

        stage("topics")
        tm, examples = _fit_topics(streamed, n_topics=n_topics, random_state=random_state,
                                   seed_words=seed_words, sample_size=TOPIC_SAMPLE)
        tm, topic_paths = _mine_topics(None, out, n_topics=n_topics,
                                       random_state=random_state, progress=False,
                                       seed_words=seed_words, tokens=None, model_dir=True,
                                       names=names, fitted=tm, examples=examples)
        paths.update(topic_paths)
        have = {*streamed.table_columns, *df.columns, "topic", "text"}
        cols = [c for c in ("report_id", "region", "province", "city", "year", "level", "index",
                            "section", "heading", "start", "end", "label", "labels",
                            "confidence", "topic", "text") if c in have]
        put("paragraphs", _write_paragraphs(streamed, tm.documents_["topic"].to_numpy(), cols,
                                            f("paragraphs.csv")))
        bar.update()

        stage("compare")
        profiles = {}
        for by in ("report_id", "region", "year"):
            prof = category_profile(df, by=by)
            profiles[by] = prof
            name = {"report_id": "report"}.get(by, by)
            put(f"profile_{name}", _write_csv(prof, f(f"profile_{name}.csv")))
        # term counts and vectors per report live in the work area, read a block at a time
        scratch = os.path.join(work, "compare")
        counts, terms, total = _report_counts(streamed, scratch)
        first = df.drop_duplicates("report_id").set_index("report_id")
        with_rows = first.index
        # reports without paragraphs have no row in the paragraph table
        in_table = [rid in with_rows for rid in report_ids]
        dist = _report_distinctive(counts, terms, total, report_ids, in_table)
        put("distinctive_terms", _write_csv(dist, f("distinctive_terms.csv")))
        if df["region"].notna().any():
            region = first["region"].reindex(report_ids).to_numpy()
            groups, gcounts = _grouped(counts, report_ids, region)
            dreg = distinctive_from_counts(groups, gcounts, terms, by="region", top_n=20)
            put("distinctive_terms_region", _write_csv(dreg, f("distinctive_terms_region.csv")))
            del gcounts, dreg
        vectors = _report_vectors(counts, terms, total, scratch)
        counts.remove()
        del terms, total
        nn = nearest_from_blocks(report_ids, vectors.block, n_cols=vectors.shape[1],
                                 k=neighbours, progress=False)
        vectors.remove()
        with contextlib.suppress(OSError):
            os.rmdir(scratch)
        put("neighbours", _write_csv(nn, f("neighbours.csv")))
        sim = None
        if 1 < len(report_ids) <= min(MATRIX_LIMIT, 40):  # a heatmap is readable up to ~40
            by_report: dict = {rid: [] for rid in report_ids}
            rids = df["report_id"].to_numpy()
            for j, b in enumerate(streamed.batches):
                a, e = streamed.rows(j)
                for rid, toks in zip(rids[a:e], b.tokens()):
                    by_report[rid].extend(toks)
            sim = similarity_matrix(_report_texts_of(streamed), tokens=by_report)
            put("similarity", _write_csv(sim.reset_index(), f("similarity.csv")))
            del by_report
        bar.update()

        stage("reuse")
        reuse = find_reuse(_lazy_texts(streamed), threshold=reuse_threshold,
                           progress=False)
        put("reuse_pairs", _write_csv(reuse.pairs, f("reuse_pairs.csv")))
        put("boilerplate", _write_csv(reuse.boilerplate, f("boilerplate.csv")))
        indicators = None
        audit_df, mention_df = _audit_frames(streamed)
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
