"""Near-duplicate sets: character n-gram sets in flat arrays, and every pair of
them whose Jaccard similarity reaches a threshold.

Memory is a few int32s an n-gram and no Python object per n-gram or per set:
n-grams are keys that sort as their text (three code points packed into a
uint64, longer n-grams as fixed-width unicode), collected in sorted runs;
postings for the prefix filter are one array built by a sort.
"""
from __future__ import annotations

import hashlib

import numpy as np


def gram_keys(norms, n):
    """The distinct n-grams of each normalised sentence as sortable keys.

    A sentence no longer than ``n`` is its own single n-gram, as in
    :func:`rolnlp.text.sentences.shingles`.

    Parameters
    ----------
    norms : list of str
        Normalised sentences (no NUL character).
    n : int
        n-gram length.

    Returns
    -------
    keys : ndarray
        The sentences' n-grams, sentence by sentence; uint64 for ``n <= 3``
        (code points packed from the left, so keys order as the text), else
        ``<U{n}``.
    sizes : ndarray of int64
        The number of distinct n-grams of each sentence.

    Example
    -------
    >>> keys, sizes = gram_keys(["依法行政", "法治"], 3)
    >>> sizes.tolist()
    [2, 1]
    """
    lens = np.fromiter(map(len, norms), dtype=np.int64, count=len(norms))
    # n NULs after each sentence: a short sentence's window is the sentence, padded
    cps = np.frombuffer(("\0" * n).join(norms).encode("utf-32-le", "surrogatepass")
                        + b"\0" * (4 * n), dtype="<u4")
    starts = np.zeros(len(norms), dtype=np.int64)
    np.cumsum(lens[:-1] + n, out=starts[1:])
    count = np.maximum(lens - n + 1, 1)
    owner = np.repeat(np.arange(len(norms)), count)
    pos = _ranges(starts, count)
    window = np.lib.stride_tricks.sliding_window_view(cps, n)[pos]
    if n <= 3:
        keys = np.zeros(len(pos), dtype=np.uint64)
        for j in range(n):
            keys |= window[:, j].astype(np.uint64) << np.uint64(21 * (2 - j))
    else:
        keys = np.ascontiguousarray(window).view(f"<U{n}").reshape(-1)
    order = np.lexsort((keys, owner))
    keys, owner = keys[order], owner[order]
    keep = np.ones(len(keys), dtype=bool)
    keep[1:] = (keys[1:] != keys[:-1]) | (owner[1:] != owner[:-1])
    return keys[keep], np.bincount(owner[keep], minlength=len(norms))


class _SortedIds:
    """Keys kept sorted in one array, each with an int32 id given the first
    time it is seen: a dictionary without a Python object per key."""

    def __init__(self, dtype):
        self.keys = np.zeros(0, dtype=dtype)
        self.ids = np.zeros(0, dtype=np.int32)

    def __len__(self):
        return len(self.ids)

    def ids_of(self, uniq, first=None):
        """The ids of the sorted distinct keys ``uniq``, new keys numbered on
        in the order of ``first`` (default: their own); also returns the
        positions in ``uniq`` of the new keys, in the order of their ids."""
        at = np.searchsorted(self.keys, uniq)
        known = at < len(self.keys)
        known[known] = self.keys[at[known]] == uniq[known]
        new = np.flatnonzero(~known)
        if first is not None:
            new = new[np.argsort(first[new], kind="stable")]
        ids = np.empty(len(uniq), dtype=np.int32)
        ids[known] = self.ids[at[known]]
        ids[new] = np.arange(len(self.ids), len(self.ids) + len(new), dtype=np.int32)
        by_key = np.sort(new)
        self.keys = np.insert(self.keys, at[by_key], uniq[by_key])
        self.ids = np.insert(self.ids, at[by_key], ids[by_key])
        return ids, new


class _Segments:
    """A growing int32 array kept in fixed segments of ``size`` items.

    Draining the store frees one segment at a time while the caller fills
    what replaces it, so moving the values costs at most a segment more than
    the values themselves (one array grown by copying costs twice as much).
    """

    def __init__(self, size=1 << 22):
        self.size, self.parts, self.used = size, [], size

    def extend(self, values):
        at = 0
        while at < len(values):
            if self.used == self.size:
                self.parts.append(np.empty(self.size, dtype=np.int32))
                self.used = 0
            k = min(len(values) - at, self.size - self.used)
            self.parts[-1][self.used:self.used + k] = values[at:at + k]
            self.used += k
            at += k

    def filled(self):
        """The values in order, a view of each segment."""
        return [p if i + 1 < len(self.parts) else p[:self.used]
                for i, p in enumerate(self.parts)]

    def drain(self):
        """The values in order, a segment at a time, each freed once the
        caller has moved on; the store ends empty."""
        parts, self.parts, self.used = self.filled(), [], self.size
        while parts:
            yield parts.pop(0)


class GramSetsBuilder:
    """Collects the n-gram sets of texts, a run at a time, into
    :class:`GramSets`: one set per distinct text.

    Parameters
    ----------
    n : int
        n-gram length.
    run_chars : int, default 1 << 20
        Characters of text collected before they are merged into the
        vocabulary (bounds the scratch memory of a merge).

    Example
    -------
    >>> b = GramSetsBuilder(3)
    >>> for text in ["依法行政", "依法行政工作", "依法行政"]:
    ...     b.add(text)
    >>> sets, set_of = b.finish()
    >>> len(sets), sets.sizes.tolist(), set_of.tolist()
    (2, [2, 4], [0, 1, 0])
    """

    def __init__(self, n, run_chars=1 << 20):
        self.n, self.run_chars = n, run_chars
        self._pending, self._pending_chars = [], 0
        # distinct texts by a 16-byte digest; n-grams by their sortable key
        self._texts = _SortedIds("S16")
        self._vocab = None
        self._set_of = []  # per run: the set of each text added
        self._grams = _Segments()  # the n-gram ids of the sets, set after set
        self._sizes = []

    def add(self, text):
        """Add the next text (a normalised sentence, no NUL character)."""
        self._pending.append(text)
        self._pending_chars += len(text) + 1
        if self._pending_chars >= self.run_chars:
            self._flush()

    def _flush(self):
        if not self._pending:
            return
        digests = np.frombuffer(b"".join(
            hashlib.blake2b(t.encode("utf-8", "surrogatepass"), digest_size=16).digest()
            for t in self._pending), dtype="S16")
        uniq, first, inverse = np.unique(digests, return_index=True, return_inverse=True)
        ids, new = self._texts.ids_of(uniq, first)
        self._set_of.append(ids[inverse.reshape(-1)])
        texts = [self._pending[i] for i in first[new].tolist()]
        self._pending, self._pending_chars = [], 0
        del digests, uniq, first, inverse, ids
        if not texts:
            return
        keys, sizes = gram_keys(texts, self.n)
        del texts
        uniq, inverse = np.unique(keys, return_inverse=True)
        del keys
        if self._vocab is None:
            self._vocab = _SortedIds(uniq.dtype)
        ids, _ = self._vocab.ids_of(uniq)
        self._grams.extend(ids[inverse.reshape(-1)])
        self._sizes.append(sizes)

    def finish(self):
        """The sets and which set each text added is.

        Returns
        -------
        sets : GramSets
            One set per distinct text, in the order the texts were first added.
        set_of : ndarray of int32
            For each text added, the index of its set.

        The builder is emptied.
        """
        self._flush()
        set_of = (np.concatenate(self._set_of) if self._set_of
                  else np.zeros(0, dtype=np.int32))
        self._set_of, self._texts = [], None
        vocab_ids = self._vocab.ids if self._vocab is not None else np.zeros(0, np.int32)
        self._vocab = None
        n_grams = len(vocab_ids)
        df = np.zeros(n_grams, dtype=np.int64)
        for part in self._grams.filled():
            df += np.bincount(part, minlength=n_grams)
        # rank: rarest first, ties by the n-gram's text (the vocabulary's order)
        by_text = np.argsort(df[vocab_ids], kind="stable")
        del df
        rank = np.empty(n_grams, dtype=np.int32)
        rank[vocab_ids[by_text]] = np.arange(n_grams, dtype=np.int32)
        del by_text, vocab_ids
        sizes = np.concatenate(self._sizes) if self._sizes else np.zeros(0, dtype=np.int64)
        self._sizes = []
        offsets = np.zeros(len(sizes) + 1, dtype=np.int64)
        np.cumsum(sizes, out=offsets[1:])
        del sizes
        flat = np.empty(int(offsets[-1]), dtype=np.int32)  # pages filled as segments are freed
        lo = 0
        for part in self._grams.drain():
            np.take(rank, part, out=flat[lo:lo + len(part)], mode="clip")  # unbuffered
            lo += len(part)
        return GramSets(flat, offsets), set_of


class GramSets:
    """n-gram sets as ranks in one flat int32 array: each set's ranks sorted,
    rarest n-gram first (ties: the n-gram's text), so a prefix is a slice.

    Parameters
    ----------
    flat : ndarray of int32
        The sets' ranks, set after set (sorted here, in place).
    offsets : ndarray of int64
        Set ``t`` is ``flat[offsets[t]:offsets[t + 1]]``.
    """

    def __init__(self, flat, offsets):
        self.flat, self.offsets = flat, offsets
        self.sizes = np.diff(offsets)
        # each set's ranks sorted, a run of sets at a time (bounded scratch memory)
        step = 1 << 16
        for t0 in range(0, len(self.sizes), step):
            t1 = min(len(self.sizes), t0 + step)
            lo, hi = int(offsets[t0]), int(offsets[t1])
            owner = np.repeat(np.arange(t1 - t0, dtype=np.int32), self.sizes[t0:t1])
            part = flat[lo:hi]
            part[:] = part[np.lexsort((part, owner))]

    def __len__(self):
        return len(self.sizes)

    def __getitem__(self, t):
        return self.flat[self.offsets[t]:self.offsets[t + 1]]


def _postings(sets, order, plen, step=1 << 18):
    """The prefix-filter index, built at once by one sort: for every set (in
    processing order) and every n-gram of its prefix, where that n-gram's group
    starts in ``post`` and how many sets precede it there.

    Returns ``post`` (set ids grouped by n-gram, each group in processing
    order), ``pre_off`` (position ``p``'s entries are
    ``pre_off[p]:pre_off[p + 1]``), ``start`` and ``before``.  Scratch memory
    is one int64 an entry; the rest is done ``step`` entries at a time."""
    n = len(order)
    pre_count = plen[order]
    pre_off = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(pre_count, out=pre_off[1:])
    n_entries = int(pre_off[-1])
    if n_entries >= 1 << 32:
        raise ValueError(f"too many sentences for one comparison ({n_entries} index entries)")
    # entry e (position p's j-th prefix n-gram) sorts by the key (n-gram, e),
    # that is (n-gram, p): the n-gram in the high half, e in the low half
    key = np.empty(n_entries, dtype=np.int64)
    cuts = np.searchsorted(pre_off, np.arange(0, n_entries, step), side="right") - 1
    for p0, p1 in zip(cuts.tolist(), cuts[1:].tolist() + [n]):
        e = np.arange(pre_off[p0], pre_off[p1], dtype=np.int64)
        src = _ranges(sets.offsets[order[p0:p1]], pre_count[p0:p1])
        key[pre_off[p0]:pre_off[p1]] = (sets.flat[src].astype(np.int64) << 32) | e
    key.sort()
    idx = np.int32 if n_entries < 1 << 31 else np.int64
    post = np.empty(n_entries, dtype=np.int32)
    start = np.empty(n_entries, dtype=idx)
    before = np.empty(n_entries, dtype=idx)
    group_start, last_gram = 0, -1
    for lo in range(0, n_entries, step):
        k = key[lo:lo + step]
        gram, e = k >> 32, k & 0xFFFFFFFF
        post[lo:lo + len(k)] = order[np.searchsorted(pre_off, e, side="right") - 1]
        here = np.arange(lo, lo + len(k), dtype=np.int64)
        head = np.empty(len(k), dtype=bool)
        head[0] = gram[0] != last_gram
        head[1:] = gram[1:] != gram[:-1]
        first = np.where(head, here, 0)
        first[0] = max(first[0], group_start)
        np.maximum.accumulate(first, out=first)
        start[e] = first
        before[e] = here - first
        group_start, last_gram = int(first[-1]), int(gram[-1])
    return post, pre_off, start, before


def _ranges(starts, lengths):
    """Concatenated ``arange(s, s + l)`` for each start and length."""
    ends = np.cumsum(lengths)
    return np.repeat(starts - ends + lengths, lengths) + np.arange(int(ends[-1]) if len(ends) else 0)


def similar_pairs(sets, threshold, max_postings, progress=False):
    """All pairs ``(a, b, similarity)`` of distinct sets of ``sets`` (a
    :class:`GramSets`) with Jaccard >= threshold, by prefix filtering
    (Bayardo et al. 2007).

    Sets are taken smallest first (ties: lower id); each is compared with the
    earlier sets that share one of its rarest ``|x| - ceil(threshold |x|) + 1``
    n-grams (two sets with Jaccard >= threshold must share one).  An n-gram
    already in the prefix of more than ``max_postings`` sets adds no
    candidates to later sets.

    Returns
    -------
    tuple of three ndarrays
        ``a`` and ``b`` (int32, ``a < b``) and the similarity rounded to four
        places (float64).
    """
    from array import array

    from tqdm.auto import tqdm

    sizes = sets.sizes
    n = len(sizes)
    order = np.lexsort((np.arange(n), sizes)).astype(np.int32)
    plen = sizes - np.ceil(threshold * sizes).astype(np.int64) + 1
    post, pre_off, start, before = _postings(sets, order, plen)
    del plen
    min_size = threshold * sizes
    out_a, out_b, out_sim = array("i"), array("i"), array("d")
    for p in tqdm(range(n), desc="near duplicates", disable=not progress, leave=False):
        lo, hi = pre_off[p], pre_off[p + 1]
        b = before[lo:hi]
        use = (b > 0) & (b <= max_postings)
        if not use.any():
            continue
        x = int(order[p])
        cands = post[_ranges(start[lo:hi][use], b[use])]
        cands = np.unique(cands[sizes[cands] >= min_size[x]])
        if not len(cands):
            continue
        sx = sets[x]
        cs = sizes[cands]
        g = sets.flat[_ranges(sets.offsets[cands], cs)]
        at = np.searchsorted(sx, g)
        at[at == len(sx)] = 0
        hit = (sx[at] == g).astype(np.int64)
        inter = np.add.reduceat(hit, np.cumsum(cs) - cs)
        sim = inter / (len(sx) + cs - inter)
        ok = sim >= threshold
        if ok.any():
            y = cands[ok]
            out_a.extend(np.minimum(y, x).tolist())
            out_b.extend(np.maximum(y, x).tolist())
            out_sim.extend(round(v, 4) for v in sim[ok].tolist())
    return (np.frombuffer(out_a, dtype=np.int32), np.frombuffer(out_b, dtype=np.int32),
            np.frombuffer(out_sim, dtype=np.float64))
