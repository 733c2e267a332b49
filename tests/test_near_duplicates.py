"""The flat n-gram sets and the prefix-filter search behind text reuse."""
import numpy as np
import pytest

from rolnlp.analysis.near_duplicates import (GramSetsBuilder, _postings, gram_keys,
                                             similar_pairs)
from rolnlp.text.sentences import shingles

POOL = list("甲乙丙丁戊己庚辛壬癸子丑ab0") + ["\U00020000"]  # a character beyond the BMP too


def sentences(seed, n, lo=1, hi=30):
    rng = np.random.default_rng(seed)
    return ["".join(rng.choice(POOL, rng.integers(lo, hi))) for _ in range(n)]


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5])
def test_gram_keys_are_the_shingles_and_sort_as_their_text(n):
    norms = sentences(n, 200) + ["甲" * n, "乙" * (n + 1)]
    keys, sizes = gram_keys(norms, n)
    assert sizes.tolist() == [len(shingles(s, n)) for s in norms]
    # one key per distinct n-gram, in the n-grams' text order
    texts = sorted({g for s in norms for g in shingles(s, n)})
    uniq = np.unique(keys)
    assert len(uniq) == len(texts)
    per_text = {}
    at = 0
    for s, k in zip(norms, sizes):
        for key, g in zip(keys[at:at + k], sorted(shingles(s, n))):
            assert per_text.setdefault(g, key) == key
        at += k
    assert [per_text[g] for g in texts] == uniq.tolist()


def brute_force_pairs(norms, n, threshold):
    sets = [shingles(s, n) for s in norms]
    out = set()
    for a in range(len(sets)):
        for b in range(a + 1, len(sets)):
            inter = len(sets[a] & sets[b])
            sim = inter / (len(sets[a]) + len(sets[b]) - inter)
            if sim >= threshold:
                out.add((a, b, round(sim, 4)))
    return out


def near_copies(seed, n_base=15, n_copies=8):
    rng = np.random.default_rng(seed)
    out = []
    for s in sentences(seed, n_base, lo=30, hi=70):
        for _ in range(n_copies):
            t = list(s)
            for _ in range(rng.integers(0, 3)):
                t[rng.integers(len(t))] = rng.choice(POOL)
            out.append("".join(t))
    rng.shuffle(out)
    return list(dict.fromkeys(out))  # distinct sets, as sentence types are


@pytest.mark.parametrize("threshold", [0.5, 0.8, 0.9])
def test_similar_pairs_equal_an_all_pairs_comparison(threshold):
    norms = near_copies(int(threshold * 10))
    b = GramSetsBuilder(3, run_chars=97)  # many runs merged into the vocabulary
    for s in norms:
        b.add(s)
    got_a, got_b, got_sim = similar_pairs(b.finish()[0], threshold, max_postings=10**6)
    got = set(zip(got_a.tolist(), got_b.tolist(), got_sim.tolist()))
    want = brute_force_pairs(norms, 3, threshold)
    assert len(want) >= 10 and any(s < 1 for _, _, s in want)
    assert got == want
    assert len(got) == len(got_a)  # each pair once


def test_one_set_per_distinct_text_whatever_the_runs():
    norms = near_copies(3)
    rng = np.random.default_rng(3)
    added = norms + [norms[i] for i in rng.integers(0, len(norms), 40)]
    rng.shuffle(added)
    first_seen = list(dict.fromkeys(added))
    built = []
    for run_chars in (1, 50, 10**6):
        b = GramSetsBuilder(3, run_chars=run_chars)
        for s in added:
            b.add(s)
        sets, set_of = b.finish()
        assert len(sets) == len(first_seen)
        assert set_of.tolist() == [first_seen.index(s) for s in added]
        built.append((sets.flat.tolist(), sets.offsets.tolist()))
    assert built[0] == built[1] == built[2]
    norms = first_seen
    # ranks order the n-grams by document frequency, then text; each set's
    # ranks are sorted, so its prefix is its rarest n-grams
    df = {}
    for s in norms:
        for g in shingles(s, 3):
            df[g] = df.get(g, 0) + 1
    flat, offsets = built[0]
    gram_of = {}
    for s, lo in zip(norms, offsets):
        grams = sorted(shingles(s, 3), key=lambda g: (df[g], g))
        for r, g in zip(flat[lo:lo + len(grams)], grams):
            assert gram_of.setdefault(r, g) == g
    assert len(set(gram_of.values())) == len(gram_of) == len(df)
    by_rank = [gram_of[r] for r in sorted(gram_of)]
    assert by_rank == sorted(df, key=lambda g: (df[g], g))


def test_postings_built_in_small_steps_equal_one_step():
    b = GramSetsBuilder(3)
    for s in near_copies(4):
        b.add(s)
    sets, _ = b.finish()
    order = np.lexsort((np.arange(len(sets)), sets.sizes)).astype(np.int32)
    plen = sets.sizes - np.ceil(0.7 * sets.sizes).astype(np.int64) + 1
    whole = _postings(sets, order, plen)
    for step in (1, 3, 64):
        parts = _postings(sets, order, plen, step=step)
        for x, y in zip(whole, parts):
            assert x.tolist() == y.tolist()
    post, pre_off, start, before = whole
    # the sets before a position in a group are exactly the earlier sets sharing that prefix n-gram
    pos = np.empty(len(order), dtype=np.int64)
    pos[order] = np.arange(len(order))
    for p in range(0, len(order), 7):
        x = order[p]
        for j, e in enumerate(range(pre_off[p], pre_off[p + 1])):
            gram = sets[x][j]
            earlier = [y for y in order[:p] if gram in sets[y][:plen[y]]]
            assert post[start[e]:start[e] + before[e]].tolist() == earlier


def test_max_postings_bounds_the_candidates():
    norms = ["甲乙丙丁戊己庚辛壬癸" + c for c in "子丑寅卯辰巳午未申酉戌亥"]
    b = GramSetsBuilder(3)
    for s in norms:
        b.add(s)
    sets, _ = b.finish()
    every = similar_pairs(sets, 0.5, max_postings=10**6)
    capped = similar_pairs(sets, 0.5, max_postings=2)
    assert len(every[0]) == 66  # 12 choose 2
    assert 0 < len(capped[0]) < len(every[0])


def test_segments_keep_values_in_order_across_segment_ends():
    from rolnlp.analysis.near_duplicates import _Segments

    store = _Segments(size=5)
    values = np.arange(23, dtype=np.int32)
    for lo, hi in [(0, 3), (3, 3), (3, 11), (11, 12), (12, 23)]:
        store.extend(values[lo:hi])
    assert np.concatenate(store.filled()).tolist() == values.tolist()
    assert np.concatenate(list(store.drain())).tolist() == values.tolist()
    assert store.filled() == []
