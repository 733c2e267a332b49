"""Mine domain-term candidates from a corpus of report texts.

Candidates are character n-grams inside runs of CJK characters, scored with
the three classic statistics for unsupervised word discovery:

* ``freq`` -- how often the n-gram occurs;
* ``pmi`` -- cohesion: the *minimum* over every split point ``w = a + b`` of
  ``log2(p(w) / (p(a) p(b)))``; a real term is not a chance meeting of two
  frequent parts at any split;
* ``left_entropy`` / ``right_entropy`` -- boundary freedom: the entropy (bits)
  of the characters just before / after each occurrence; a fragment of a
  longer term (``合法性审`` inside ``合法性审查``) has one fixed neighbour.

Each candidate also records how jieba's stock dictionary cuts it (``pieces``),
since a term jieba already holds whole gains nothing from a user dictionary,
and whether it is one of the codebook cues (``is_cue``).  The result is a list
to *review*, not a lexicon: junk with good statistics (``年以来``, ``的基础上``)
still needs a human eye.

Example
-------
>>> from rolnlp.text.mine import mine_terms
>>> texts = ["推行行政复议体制改革，行政复议案件办理规范。"] * 3
>>> df = mine_terms(texts, min_freq=3, min_len=4, progress=False)
>>> "行政复议" in set(df["term"])
True
"""
from __future__ import annotations

import logging
import math
import re
from collections import Counter, defaultdict
from typing import Iterable

from ..reading.clean import to_simplified
from .backend import stock_jieba

logger = logging.getLogger(__name__)

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_STOP_EDGE = frozenset("的了和与及或在是对为把被将等中")  # a term rarely starts/ends with these

def _entropy(counter: Counter, boundary: int) -> float:
    """Entropy in bits of the neighbour distribution; each text edge counts as a new neighbour."""
    total = sum(counter.values()) + boundary
    if total == 0:
        return 0.0
    h = -sum(c / total * math.log2(c / total) for c in counter.values())
    if boundary:
        h += boundary * (1 / total) * math.log2(total)
    return h


def mine_terms(
    texts: Iterable[str],
    *,
    min_len: int = 2,
    max_len: int = 8,
    min_freq: int = 3,
    min_pmi: float = 1.0,
    min_entropy: float = 0.5,
    t2s: bool = True,
    seeds: Iterable[str] | None = None,
    progress: bool = True,
):
    """Mine term candidates from ``texts`` with frequency, cohesion and boundary entropy.

    Parameters
    ----------
    texts : iterable of str
        Raw report texts (any noise is fine: only CJK runs are used).
    min_len, max_len : int
        Candidate length range in characters.
    min_freq : int
        Minimum number of occurrences.
    min_pmi : float
        Minimum cohesion (min-split PMI, bits).
    min_entropy : float
        Minimum of left and right boundary entropy (bits).
    t2s : bool
        Convert traditional script to simplified first (OpenCC ``t2s``).
    seeds : iterable of str, optional
        Terms flagged ``is_cue`` (default: the codebook cues of
        :mod:`rolnlp.codebook`). Seeds that occur at least once are always kept,
        whatever their statistics, so they can be reviewed with the rest.
    progress : bool
        Show a tqdm progress bar over the texts.

    Returns
    -------
    pandas.DataFrame
        One row per candidate, columns ``term, length, freq, pmi,
        left_entropy, right_entropy, pieces, in_jieba, is_cue, score``,
        sorted by ``score`` (descending). ``pieces`` is jieba's stock cut
        joined by ``/``; ``score = log2(freq) * min(pmi, 12) *
        min(left_entropy, right_entropy)``.

    Raises
    ------
    TypeError
        If an item of ``texts`` is not a str.
    ValueError
        If the length or threshold arguments are inconsistent.

    Example
    -------
    >>> df = mine_terms(["深化枫桥经验，坚持枫桥经验，发展枫桥经验"], min_freq=3)  # doctest: +SKIP
    >>> df.iloc[0]["term"]  # doctest: +SKIP
    '枫桥经验'
    """
    import pandas as pd  # heavy; only mining needs it

    if not (1 <= min_len <= max_len):
        raise ValueError(f"need 1 <= min_len <= max_len, got {min_len}, {max_len}")
    if min_freq < 1:
        raise ValueError(f"min_freq must be >= 1, got {min_freq}")
    if seeds is None:
        from ..codebook import CATEGORIES

        seeds = [cue for c in CATEGORIES for cue in c.cues]
    seeds = {s for s in seeds if isinstance(s, str) and s}

    runs: list[str] = []
    items = texts
    if progress:
        from tqdm.auto import tqdm

        items = tqdm(texts, desc="mining", unit="text")
    for i, text in enumerate(items):
        if not isinstance(text, str):
            raise TypeError(f"texts[{i}] must be str, got {type(text).__name__}")
        if t2s:
            text = to_simplified(text)
        runs.extend(_CJK_RUN.findall(text))

    # Apriori-style counting: an n-gram can reach min_freq only if its
    # (n-1)-prefix and suffix do, so longer n-grams are counted only then.
    counts: dict[int, Counter] = {1: Counter()}
    for run in runs:
        counts[1].update(run)
    n_chars = sum(counts[1].values())
    for n in range(2, max_len + 1):
        prev = {g for g, c in counts[n - 1].items() if c >= min_freq}
        cn: Counter = Counter()
        for run in runs:
            for i in range(len(run) - n + 1):
                g = run[i:i + n]
                if g[:-1] in prev and g[1:] in prev:
                    cn[g] += 1
        counts[n] = cn
        logger.debug("n=%d: %d distinct n-grams", n, len(cn))

    def p(g: str) -> float:
        return counts[len(g)][g] / n_chars

    cand: dict[str, tuple[int, float]] = {}
    for n in range(max(min_len, 2), max_len + 1):
        for g, c in counts[n].items():
            is_seed = g in seeds
            if c < min_freq and not is_seed:
                continue
            if not is_seed and (g[0] in _STOP_EDGE or g[-1] in _STOP_EDGE):
                continue
            pmi = min(math.log2(p(g) / (p(g[:k]) * p(g[k:])))
                      for k in range(1, n) if counts[k][g[:k]] and counts[n - k][g[k:]])
            if pmi >= min_pmi or is_seed:
                cand[g] = (c, pmi)
    if min_len == 1:
        cand.update({g: (c, 0.0) for g, c in counts[1].items() if c >= min_freq})
    # Seeds too rare to pass the Apriori pruning are counted directly.
    def count(g: str) -> int:
        return counts[len(g)][g] if len(g) <= max_len and g in counts[len(g)] \
            else sum(run.count(g) for run in runs)

    for s in seeds - set(cand):
        c = count(s)
        if c and _CJK_RUN.fullmatch(s):
            pmi = min((math.log2(c * n_chars / (count(s[:k]) * count(s[k:])))
                       for k in range(1, len(s))), default=0.0)
            cand[s] = (c, pmi)

    # Second pass: neighbour characters of every candidate occurrence.
    left: dict[str, Counter] = defaultdict(Counter)
    right: dict[str, Counter] = defaultdict(Counter)
    ledge: Counter = Counter()
    redge: Counter = Counter()
    lengths = sorted({len(g) for g in cand})
    for run in runs:
        m = len(run)
        for i in range(m):
            for n in lengths:
                if i + n > m:
                    break
                g = run[i:i + n]
                if g in cand:
                    if i:
                        left[g][run[i - 1]] += 1
                    else:
                        ledge[g] += 1
                    if i + n < m:
                        right[g][run[i + n]] += 1
                    else:
                        redge[g] += 1

    # stock dictionary, in a private instance: jieba's global state stays untouched
    stock = stock_jieba()
    rows = []
    for g, (c, pmi) in cand.items():
        le = _entropy(left[g], ledge[g])
        re_ = _entropy(right[g], redge[g])
        is_seed = g in seeds
        if min(le, re_) < min_entropy and not is_seed:
            continue
        pieces = stock.lcut(g, HMM=False)
        score = math.log2(max(c, 1)) * min(pmi, 12.0) * min(le, re_)
        rows.append((g, len(g), c, pmi, le, re_, "/".join(pieces), len(pieces) == 1, is_seed, score))
    df = pd.DataFrame(rows, columns=["term", "length", "freq", "pmi", "left_entropy",
                                     "right_entropy", "pieces", "in_jieba", "is_cue", "score"])
    return df.sort_values(["score", "term"], ascending=[False, True], ignore_index=True)


_CLAUSE_SPLIT = re.compile(r"[^\u4e00-\u9fffA-Za-z0-9+#&._%\-]+")

DEFAULT_FRAMES = ("{}", "，{}。", "我们{}工作", "全面推进{}，取得成效。")


def term_contexts(term: str, texts: Iterable[str], *, width: int = 8, limit: int = 20) -> list[str]:
    """Return up to ``limit`` snippets of ``texts`` around occurrences of ``term``.

    Each snippet is the term with up to ``width`` characters on either side,
    cut at punctuation (jieba cuts clauses independently anyway).

    Example
    -------
    >>> term_contexts("述法", ["开展年度述法评议，效果好"], width=2)
    ['年度述法评议']
    """
    out: list[str] = []
    for text in texts:
        start = text.find(term)
        while start != -1 and len(out) < limit:
            lo = max(0, start - width)
            hi = min(len(text), start + len(term) + width)
            left = _CLAUSE_SPLIT.split(text[lo:start])[-1]
            right = _CLAUSE_SPLIT.split(text[start + len(term):hi])[0]
            out.append(left + term + right)
            start = text.find(term, start + 1)
        if len(out) >= limit:
            break
    return out


def tune_frequencies(
    terms: Iterable[str],
    texts: Iterable[str] = (),
    *,
    margin: float = 1000.0,
    floor: int = 20,
    frames: Iterable[str] = DEFAULT_FRAMES,
    rounds: int = 6,
    contexts_per_term: int = 20,
) -> "list[tuple[str, int, list[str]]]":
    """Choose a jieba frequency for each term so jieba keeps it whole.

    Start from ``margin`` times the frequency at which the term would merely
    tie with jieba's best cut of it into stock words (at least ``floor``; a
    word jieba's stock dictionary holds starts from its stock frequency), then, round by round, multiply by 5 the
    frequency of every term that is still cut apart in one of its contexts:
    the neutral ``frames`` and up to ``contexts_per_term`` corpus snippets.
    An occurrence swallowed whole by a longer token counts as kept; in corpus
    snippets an occurrence cut by another lexicon term that overlaps it is
    excused (the two cannot both stay whole).

    Parameters
    ----------
    terms : iterable of str
    texts : iterable of str
        Corpus texts to draw contexts from (simplified script).
    margin, floor : float, int
        Starting frequency rule.
    frames : iterable of str
        Sentence templates with one ``{}`` for the term.
    rounds : int
        Maximum rounds of raising.
    contexts_per_term : int
        Corpus snippets checked per term.

    Returns
    -------
    list of (term, freq, failing_contexts)
        ``failing_contexts`` lists the contexts that still split the term
        after the last round (to review by hand).

    Example
    -------
    >>> rows = tune_frequencies(["枫桥经验"], ["坚持和发展新时代枫桥经验"])  # doctest: +SKIP
    >>> rows[0][2]  # doctest: +SKIP
    []
    """
    terms = list(dict.fromkeys(terms))
    texts = list(texts)
    frames = tuple(frames)
    jb = stock_jieba()
    log_total = math.log(jb.total)

    def split_prob(term: str) -> float:
        # probability of jieba's best stock route through the term
        route = jb.lcut(term, HMM=False)
        return math.exp(sum(math.log(jb.FREQ.get(w) or 1) - log_total for w in route))

    freq = {}
    for t in terms:
        stock = jb.FREQ.get(t) or 0
        # a stock word already wins alone; only raise it if a context demands
        freq[t] = max(int(stock), floor) if stock else \
            max(floor, int(split_prob(t) * jb.total * margin) + 1)
    for t in terms:
        jb.add_word(t, freq[t])
    contexts = {t: [f.format(t) for f in frames] + term_contexts(t, texts, limit=contexts_per_term)
                for t in terms}

    n_frames = len(frames)
    lexicon = set(terms)

    def kept(t: str, c: str, excuse: bool) -> bool:
        start = c.find(t)
        end = start + len(t)
        pos = 0
        for tok in jb.lcut(c):
            lo, pos = pos, pos + len(tok)
            if lo <= start and end <= pos:
                return True  # whole, possibly inside a longer token
            # a corpus occurrence overlapping another lexicon term cannot keep both
            if excuse and tok in lexicon and lo < end and start < pos:
                return True
        return False

    def failures(t: str) -> list[str]:
        return [c for i, c in enumerate(contexts[t]) if not kept(t, c, i >= n_frames)]

    failing = {t: failures(t) for t in terms}
    for _ in range(rounds):
        bad = [t for t in terms if failing[t]]
        if not bad:
            break
        for t in bad:
            freq[t] *= 5
            jb.add_word(t, freq[t])
        # raising one term can break another: recheck all
        failing = {t: failures(t) for t in terms}
    return [(t, freq[t], failing[t]) for t in terms]
