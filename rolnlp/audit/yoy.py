"""Year over year: what a place's report repeats from last year, and which of
last year's plans it reports as done.

For two reports of the same place in consecutive years:

* *reuse*: the sentences of the later report that the earlier one already had,
  verbatim or nearly (Jaccard similarity of character trigrams of the
  normalised sentences, digits folded, at least ``threshold``; the same
  sentence notion as :func:`rolnlp.analysis.find_reuse`, from
  :mod:`rolnlp.text.sentences`);
* *promises*: each item of the earlier report's plans part (``一是…``,
  ``（一）…``, else its sentences) is looked for in the later report's
  achievements: an item is ``kept`` when some achievement sentence covers at
  least ``promise_threshold`` of the item's content words (tokens of the
  rule-of-law tokenizer, two characters or more, stopwords left out).

Example
-------
>>> from rolnlp.reading import read_report
>>> a = read_report("一、成效\\n全面推行行政执法三项制度，执法规范化水平明显提升。\\n"
...                 "二、下一步安排\\n一是深化行政复议体制改革，提升办案质效。二是加强法治宣传教育。", id="y1")
>>> b = read_report("一、成效\\n全面推行行政执法三项制度，执法规范化水平明显提升。\\n"
...                 "深化行政复议体制改革，复议办案质效明显提升。", id="y2")
>>> pr = compare_years(a, b)
>>> round(pr["reused_share"], 2), pr["promises"]["kept"].tolist()
(0.5, [True, False])
"""
from __future__ import annotations

import re
from collections import defaultdict
from typing import NamedTuple

from ..text.sentences import normalize, shingles, split_sentences

REUSE_COLUMNS = ["report_a", "report_b", "sentence_a", "sentence_b", "start_a", "end_a",
                 "start_b", "end_b", "similarity"]
PROMISE_COLUMNS = ["report_a", "report_b", "item", "kept", "coverage", "evidence",
                   "evidence_start", "evidence_end"]
PAIR_COLUMNS = ["place", "level", "year_a", "year_b", "report_a", "report_b", "sentences_b",
                "reused", "reused_share", "promises", "kept", "kept_share"]

_ITEM = re.compile(r"(?:(?<=^)|(?<=[。；;：:\s]))(?:[一二三四五六七八九十]{1,3}是|[（(][一二三四五六七八九十]{1,3}[)）]|\d{1,2}[.．、](?!\d))")


class YearOverYear(NamedTuple):
    """Result of :func:`year_over_year`.

    ``pairs``: one row per consecutive-year pair (columns :data:`PAIR_COLUMNS`);
    ``reused``: the reused sentences (:data:`REUSE_COLUMNS`); ``promises``: one
    row per plan item of the earlier year (:data:`PROMISE_COLUMNS`).
    """

    pairs: "object"
    reused: "object"
    promises: "object"


def _sentences(report, paragraphs, min_chars):
    out = []
    for p in paragraphs:
        for s, e, text in split_sentences(p.text):
            norm = normalize(text)
            if len(norm) >= min_chars:
                out.append((p.start + s, p.start + e, text, norm))
    return out


def reused_sentences(a, b, *, threshold=0.8, ngram=3, min_chars=15):
    """Sentences of report ``b`` that report ``a`` already had, verbatim or nearly.

    Parameters
    ----------
    a, b : Report
        The earlier and the later report.
    threshold : float, default 0.8
        Jaccard similarity of character n-grams for "nearly".
    ngram : int, default 3
    min_chars : int, default 15
        Shorter sentences (after normalising) are not compared.

    Returns
    -------
    tuple
        ``(rows, n_sentences_b)``: one dict per reused sentence of ``b`` (its
        best match in ``a``), and the number of comparable sentences of ``b``.
    """
    sa = _sentences(a, [p for p in a.paragraphs if p.section != "other"], min_chars)
    sb = _sentences(b, [p for p in b.paragraphs if p.section != "other"], min_chars)
    grams_a = [shingles(x[3], ngram) for x in sa]
    index = defaultdict(list)
    for i, g in enumerate(grams_a):
        for t in g:
            index[t].append(i)
    rows = []
    for s_start, s_end, text, norm in sb:
        g = shingles(norm, ngram)
        hits = defaultdict(int)
        for t in g:
            for i in index.get(t, ()):
                hits[i] += 1
        best, best_sim = None, 0.0
        for i, inter in hits.items():
            sim = inter / (len(g) + len(grams_a[i]) - inter)
            if sim > best_sim:
                best, best_sim = i, sim
        if best is not None and best_sim >= threshold:
            x = sa[best]
            rows.append({"report_a": a.id, "report_b": b.id, "sentence_a": x[2], "sentence_b": text,
                         "start_a": x[0], "end_a": x[1], "start_b": s_start, "end_b": s_end,
                         "similarity": round(best_sim, 4)})
    return rows, len(sb)


def plan_items(report, parts=None):
    """The items of a report's plans part, as strings.

    Parameters
    ----------
    report : Report
    parts : list of Part, optional

    Returns
    -------
    list of str
    """
    from .parts import find_parts
    from .shortcomings import part_paragraphs

    parts = parts if parts is not None else find_parts(report)
    items = []
    for p in part_paragraphs(report, parts, "plans"):
        starts = [m.start() for m in _ITEM.finditer(p.text)]
        if starts:
            items += [p.text[x:y].strip() for x, y in zip(starts, starts[1:] + [len(p.text)])]
        else:
            items += [s for _, _, s in split_sentences(p.text) if len(s) >= 10]
    # a lead-in sentence that only announces the plans is not a promise
    return [i for i in items if not re.search(r"(?:将|要)(?:坚持|继续)?以习近平", i)]


def _content_words(text, tokenizer):
    from ..text import load_stopwords

    stop = _content_words.stop = getattr(_content_words, "stop", None) or set(load_stopwords())
    return {t for t in tokenizer(text) if len(t) >= 2 and t not in stop and not t.isdigit()}


def _best_cover(words, sentences):
    """The sentence covering most of ``words`` (weighted by word length) and the share."""
    total = sum(len(w) for w in words)
    best, cov = None, 0.0
    if not total:
        return best, cov
    for x in sentences:
        c = sum(len(w) for w in words & x[3]) / total
        if c > cov:
            best, cov = x, c
    return best, cov


def track_promises(a, b, *, promise_threshold=0.5, parts_a=None, parts_b=None):
    """Which plan items of report ``a`` reappear in the achievements of report ``b``.

    Parameters
    ----------
    a, b : Report
        The earlier and the later report.
    promise_threshold : float, default 0.5
        Share of an item's content words (weighted by length) an achievement
        sentence must hold; when the whole item is not matched, its heading
        clause (up to the first 。；) may be, at 0.6 or more.

    Returns
    -------
    list of dict
        One per plan item: ``item``, ``kept``, ``coverage`` and the best
        achievement sentence of ``b`` (``evidence``, with its offsets).
    """
    from ..text import tokenize
    from .parts import find_parts
    from .shortcomings import part_paragraphs

    parts_b = parts_b if parts_b is not None else find_parts(b)
    achieved = []
    for p in part_paragraphs(b, parts_b, "achievements"):
        for s, e, text in split_sentences(p.text):
            achieved.append((p.start + s, p.start + e, text, _content_words(text, tokenize)))
    rows = []
    for item in plan_items(a, parts_a):
        words = _content_words(item, tokenize)
        best, cov = _best_cover(words, achieved)
        kept = best is not None and cov >= promise_threshold
        # a long item is rarely matched by one sentence: its heading clause is what was
        # promised, and a short clause must be matched more fully
        if not kept:
            head = re.split(r"[。；;]", item, maxsplit=1)[0]
            hw = _content_words(head, tokenize)
            if hw and len(hw) < len(words):
                hbest, hcov = _best_cover(hw, achieved)
                if hbest is not None and hcov >= max(promise_threshold, 0.6):
                    best, cov, kept = hbest, hcov, True
        rows.append({"report_a": a.id, "report_b": b.id, "item": item, "kept": kept,
                     "coverage": round(cov, 4), "evidence": best[2] if best else None,
                     "evidence_start": best[0] if best else None,
                     "evidence_end": best[1] if best else None})
    return rows


def compare_years(a, b, *, threshold=0.8, promise_threshold=0.5):
    """Reuse and promise tracking for one pair of reports (``a`` the earlier).

    Parameters
    ----------
    a, b : Report
    threshold : float, default 0.8
    promise_threshold : float, default 0.5

    Returns
    -------
    dict
        ``reused`` and ``promises`` (DataFrames), ``sentences_b``,
        ``reused_share``, ``kept_share`` (None when ``a`` has no plan items).
    """
    import pandas as pd

    reused, n_b = reused_sentences(a, b, threshold=threshold)
    promises = track_promises(a, b, promise_threshold=promise_threshold)
    kept = sum(p["kept"] for p in promises)
    return {"reused": pd.DataFrame(reused, columns=REUSE_COLUMNS),
            "promises": pd.DataFrame(promises, columns=PROMISE_COLUMNS),
            "sentences_b": n_b, "reused_share": len(reused) / n_b if n_b else 0.0,
            "kept": kept, "kept_share": kept / len(promises) if promises else None}


def place_key(report):
    """The key that says two reports come from the same reporting body.

    Region and level, plus the publisher for departments (a 司法局 and its
    区政府 report on the same place but are different bodies).
    """
    m = report.metadata
    return (m.region, m.level, m.publisher if m.level == "department" else None)


def year_over_year(reports, *, key=place_key, threshold=0.8, promise_threshold=0.5,
                   progress=True):
    """Compare every report with the same place's report of the year before.

    Parameters
    ----------
    reports : Corpus or iterable of Report
    key : callable, default :func:`place_key`
        Report → hashable place key; reports with a ``None`` region or year
        are left out.
    threshold : float, default 0.8
        Similarity for a reused sentence.
    promise_threshold : float, default 0.5
        Coverage for a kept promise.
    progress : bool, default True
        A tqdm bar over the pairs (none for a single pair).

    Returns
    -------
    YearOverYear
        ``(pairs, reused, promises)`` DataFrames.

    Example
    -------
    >>> yoy = year_over_year(rolnlp.read_corpus("reports/", progress=False))  # doctest: +SKIP
    >>> yoy.pairs[["place", "year_a", "year_b", "reused_share", "kept_share"]]  # doctest: +SKIP
    """
    import pandas as pd
    from tqdm.auto import tqdm

    groups = defaultdict(dict)
    for r in getattr(reports, "reports", reports):
        k, y = key(r), r.metadata.year
        if y is None or k is None or k[0] is None:
            continue
        groups[k].setdefault(y, r)  # the first report read for a place and year
    todo = [(k, ys[y], ys[y + 1]) for k, ys in groups.items() for y in sorted(ys) if y + 1 in ys]
    pairs, reused, promises = [], [], []
    for k, a, b in tqdm(todo, desc="year over year", disable=not progress or len(todo) < 2):
        res = compare_years(a, b, threshold=threshold, promise_threshold=promise_threshold)
        pairs.append({"place": k[0], "level": k[1], "year_a": a.metadata.year,
                      "year_b": b.metadata.year, "report_a": a.id, "report_b": b.id,
                      "sentences_b": res["sentences_b"], "reused": len(res["reused"]),
                      "reused_share": round(res["reused_share"], 4),
                      "promises": len(res["promises"]), "kept": res["kept"],
                      "kept_share": res["kept_share"]})
        reused.append(res["reused"])
        promises.append(res["promises"])
    cat = (lambda frames, cols: pd.concat(frames, ignore_index=True) if frames
           else pd.DataFrame(columns=cols))
    return YearOverYear(pd.DataFrame(pairs, columns=PAIR_COLUMNS), cat(reused, REUSE_COLUMNS),
                        cat(promises, PROMISE_COLUMNS))
