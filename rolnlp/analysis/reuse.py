"""Text reuse: sentences shared across reports.

:func:`find_reuse` finds the sentences that two reports share word for word or
nearly so, with their offsets in both reports.

Sentences are split at 。；！？ and compared by the Jaccard similarity of the
character n-grams of their normalised text (CJK, letters and digits only; a
run of digits becomes ``0`` so that template sentences differing only in
figures match).  Identical normalised sentences are merged first; near
duplicates are found with prefix filtering (Bayardo et al. 2007, "All-Pairs"):
two sets with Jaccard >= t must share one of their rarest
``|x| - ceil(t|x|) + 1`` n-grams, so only those enter the inverted index and
the work grows with the number of sentences, not its square.
"""
from __future__ import annotations

import logging
from array import array
from itertools import chain
from typing import NamedTuple

logger = logging.getLogger(__name__)

# one notion of a sentence for text reuse and the year-over-year audit
from ..text.sentences import normalize, split_sentences  # noqa: E402,F401  (re-exported)
from .near_duplicates import GramSetsBuilder, similar_pairs  # noqa: E402


class Reuse(NamedTuple):
    """Result of :func:`find_reuse`.

    ``pairs``: one row per pair of matching sentences in two reports, columns
    ``report_a, start_a, end_a, sentence_a, report_b, start_b, end_b,
    sentence_b, similarity`` (offsets into ``Report.text``).
    ``boilerplate``: sentences found in more than ``max_reports`` reports
    (listed once, not pairwise): ``sentence, n_reports, n_occurrences,
    reports``.
    """

    pairs: "object"
    boilerplate: "object"


def _report_texts(reports):
    from ..reading.report import Report

    if isinstance(reports, dict):
        return [(str(k), v) for k, v in reports.items()]
    if isinstance(reports, ReportTexts):
        return list(reports)
    out = []
    for r in getattr(reports, "reports", reports):
        if isinstance(r, Report):
            out.append((r.id, r.text))
        elif isinstance(r, tuple) and len(r) == 2:
            out.append((str(r[0]), r[1]))
        else:
            raise TypeError("expected Reports, (id, text) pairs or a dict of id -> text")
    return out


class ReportTexts:
    """``(id, text)`` pairs produced anew on each iteration, for corpora whose
    texts are not all held in memory at once.

    Parameters
    ----------
    pairs : callable
        Returns a fresh iterator of ``(id, text)`` each time it is called.

    Example
    -------
    >>> texts = ReportTexts(lambda: iter([("a", "今年共办理行政复议案件一百件。")]))
    >>> [rid for rid, _ in texts]
    ['a']
    """

    def __init__(self, pairs):
        self._pairs = pairs

    def __iter__(self):
        for rid, text in self._pairs():
            yield str(rid), text


def _texts_iterable(reports):
    """A re-iterable of ``(id, text)``: ``reports`` itself when it is lazy."""
    return reports if isinstance(reports, ReportTexts) else _report_texts(reports)


def find_reuse(reports, *, threshold=0.8, min_chars=15, ngram=3, max_reports=10,
               max_postings=5000, progress=True):
    """Sentences that two reports share, verbatim or nearly so.

    Parameters
    ----------
    reports : Corpus, list of Report, list of (id, text), dict id -> text or ReportTexts
        A :class:`ReportTexts` is read twice (once for all sentences, once
        for the offsets of those in the output) and never held whole.
    threshold : float, default 0.8
        Smallest Jaccard similarity of character n-gram sets counted as reuse.
    min_chars : int, default 15
        Sentences with fewer normalised characters are ignored (short formulas).
    ngram : int, default 3
        Character n-gram length.
    max_reports : int or None, default 10
        A sentence found in more reports than this is boilerplate: listed once
        in ``Reuse.boilerplate`` instead of pairwise (keeps output linear).
        ``None`` lists every pair.
    max_postings : int, default 5000
        n-grams that begin more sentences than this are skipped as candidate
        keys (such sentences still match through their other n-grams).
    progress : bool, default True
        Show a tqdm progress bar.

    Returns
    -------
    Reuse
        Named tuple of two DataFrames, ``pairs`` and ``boilerplate``.

    Example
    -------
    >>> r = find_reuse({"a": "今年共办理行政复议案件一百件。", "b": "今年共办理行政复议案件一百件！"})  # doctest: +SKIP
    >>> r.pairs[["report_a", "report_b", "similarity"]]  # doctest: +SKIP
    """
    from tqdm.auto import tqdm

    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be in (0, 1], got {threshold!r}")
    if isinstance(ngram, bool) or not isinstance(ngram, int) or ngram < 1:
        raise ValueError(f"ngram must be a positive int, got {ngram!r}")
    import numpy as np

    docs = _texts_iterable(reports)
    ids = []
    # sentence types: identical normalised text -> one type, numbered in order of
    # first appearance, with its n-gram set (built without a Python object per
    # sentence or n-gram); each occurrence is (type, report, sentence)
    grams = GramSetsBuilder(ngram)
    occ_r, occ_s = array("i"), array("i")
    for ri, (rid, text) in enumerate(docs):
        ids.append(rid)
        for si, (_, _, s) in enumerate(split_sentences(text)):
            norm = normalize(s)
            if len(norm) < min_chars:
                continue
            grams.add(norm)
            occ_r.append(ri)
            occ_s.append(si)
    grams, occ_t = grams.finish()
    n_types = len(grams)
    occ_r, occ_s = (np.frombuffer(a, dtype=np.int32) for a in (occ_r, occ_s))
    # occurrences of a type stay in reading order
    order = np.argsort(occ_t, kind="stable").astype(np.int32)
    bounds = np.searchsorted(occ_t[order], np.arange(n_types + 1))
    reports_in_order = occ_r[order]

    def occurrences(t):
        sel = order[bounds[t]:bounds[t + 1]]
        return list(zip(occ_r[sel].tolist(), occ_s[sel].tolist()))

    pair_a, pair_b, pair_sim = similar_pairs(grams, threshold, max_postings, progress)
    del grams
    # reports per type: within a type occurrences come in reading order
    # (every type has at least one occurrence, so no segment is empty)
    first_in_report = np.ones(len(reports_in_order), dtype=bool)
    first_in_report[1:] = reports_in_order[1:] != reports_in_order[:-1]
    first_in_report[bounds[:-1]] = True
    n_reach = (np.add.reduceat(first_in_report, bounds[:-1], dtype=np.int64) if n_types
               else np.zeros(0, dtype=np.int64))
    boiler = set()
    if max_reports is not None:
        boiler = _boilerplate(reports_in_order[first_in_report], n_reach, len(ids),
                              pair_a, pair_b, max_reports)
    del reports_in_order, first_in_report
    selfs = np.flatnonzero(n_reach > 1)  # a type matches itself across reports
    n_similar = len(pair_a) + len(selfs)
    keys = set()
    with tqdm(total=n_similar, desc="text reuse", disable=not progress, leave=False) as bar:
        for a_, b_, sim_ in chain(_rows(pair_a, pair_b, pair_sim),
                                  _rows(selfs, selfs, np.ones(len(selfs)))):
            for a, b, sim in zip(a_, b_, sim_):
                if a in boiler or b in boiler:
                    continue
                occ_b = occurrences(b)
                for ra, sa in occurrences(a):
                    for rb, sb in occ_b:
                        if ra == rb or (a == b and ra > rb):
                            continue
                        (ra_, sa_), (rb_, sb_) = sorted([(ra, sa), (rb, sb)])
                        keys.add((ra_, sa_, rb_, sb_, sim))
            bar.update(len(a_))
    del pair_a, pair_b, pair_sim
    first = {t: occurrences(t)[0] for t in boiler}
    # a second reading gives the offsets and text of the sentences that are output
    wanted: dict = {}
    for ra, sa, rb, sb, _ in keys:
        wanted.setdefault(ra, set()).add(sa)
        wanted.setdefault(rb, set()).add(sb)
    for ri, si in first.values():
        wanted.setdefault(ri, set()).add(si)
    found = {}
    if wanted:
        for ri, (_, text) in enumerate(docs):
            if ri in wanted:
                sents = split_sentences(text)
                for si in wanted[ri]:
                    found[ri, si] = sents[si]
    rows = sorted((ra, *found[ra, sa], rb, *found[rb, sb], sim) for ra, sa, rb, sb, sim in keys)
    del keys
    pairs = _frame([(ids[r[0]], *r[1:4], ids[r[4]], *r[5:]) for r in rows],
                   ["report_a", "start_a", "end_a", "sentence_a", "report_b", "start_b",
                    "end_b", "sentence_b", "similarity"])
    del rows
    brows = []
    for t in boiler:
        occ = occurrences(t)
        ri, si = first[t]
        reps = sorted({ids[r] for r, _ in occ})
        brows.append((-len(reps), found[ri, si][2], len(occ), ";".join(reps[:20])))
    # most reports first, then by text (distinct types have distinct sentences)
    brows.sort()
    boilerplate = _frame([(s, -n, k, reps) for n, s, k, reps in brows],
                         ["sentence", "n_reports", "n_occurrences", "reports"])
    logger.info("text reuse: %d sentence types, %d similar pairs, %d reused pairs, "
                "%d boilerplate sentences", n_types, n_similar, len(pairs),
                len(boilerplate))
    return Reuse(pairs, boilerplate)


def _frame(rows, columns):
    """A DataFrame from a list of tuples, built column by column (lighter than
    from records when the rows are many)."""
    import pandas as pd

    if not rows:
        return pd.DataFrame([], columns=columns)
    return pd.DataFrame({c: list(v) for c, v in zip(columns, zip(*rows))}, columns=columns)


def _rows(*columns, size=1 << 16):
    """Equal-length arrays as lists, ``size`` rows at a time: no whole column
    becomes Python objects at once."""
    for lo in range(0, len(columns[0]), size):
        yield [c[lo:lo + size].tolist() for c in columns]


def _boilerplate(reached, n_reach, n_reports, pair_a, pair_b, max_reports, block=20_000):
    """Types whose family (the type and the types similar to it) reaches more
    than ``max_reports`` reports: rows of ``R + A R`` with that many entries,
    ``R`` types × reports (``reached``: each type's distinct reports, ``n_reach``
    of them, types in order) and ``A`` the similar pairs, a block of types at a
    time."""
    import numpy as np
    import scipy.sparse as sp

    out = set(np.flatnonzero(n_reach > max_reports).tolist())
    if not len(pair_a):
        return out
    n_types = len(n_reach)
    indptr = np.zeros(n_types + 1, dtype=np.int64)
    np.cumsum(n_reach, out=indptr[1:])
    # booleans: a sum is "reached by any", and the rows are canonical already
    reach = sp.csr_matrix((np.ones(len(reached), dtype=bool), reached, indptr),
                          shape=(n_types, n_reports))
    near = sp.csr_matrix((np.ones(2 * len(pair_a), dtype=bool),
                          (np.concatenate([pair_a, pair_b]), np.concatenate([pair_b, pair_a]))),
                         shape=(n_types, n_types))
    involved = np.flatnonzero(np.diff(near.indptr))
    for lo in range(0, len(involved), block):
        rows = involved[lo:lo + block]
        fam = reach[rows] + near[rows] @ reach  # any positive entry: a report reached
        wide = np.diff(fam.indptr) > max_reports  # entries are distinct reports
        out.update(rows[wide].tolist())
    return out
