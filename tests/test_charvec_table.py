"""The character n-gram hash table finds exactly the keys a binary search finds."""
import pickle

import numpy as np
import pytest

from rolnlp.classification.charvec import CharIndex


@pytest.mark.parametrize("n_vocab", [0, 1, 7, 5000, 60000])
def test_hash_lookup_equals_binary_search(n_vocab):
    rng = np.random.default_rng(n_vocab)
    chars = np.array([chr(c) for c in rng.integers(0x4E00, 0x4E00 + 300, size=3 * n_vocab + 3)])
    grams = {"".join(chars[i:i + 1 + i % 3]) for i in range(n_vocab)}
    vocab = np.array(sorted(grams) or ["行"])[:max(n_vocab, 1)]
    index = CharIndex(vocab, (1, 3))
    present = index._keys
    queries = np.concatenate([present, present + 1, rng.integers(0, 2 ** 50, 20000),
                              present[::-1]]).astype(np.int64)
    hit, col = index._lookup(queries)
    pos = np.searchsorted(present, queries)
    pos[pos == len(present)] = 0
    want = present[pos] == queries if len(present) else np.zeros(len(queries), bool)
    assert np.array_equal(hit, want)
    assert np.array_equal(col[hit], index._cols[pos[want]])
    # the table is rebuilt after unpickling, not carried
    again = pickle.loads(pickle.dumps(index))
    assert again._table is None and np.array_equal(again._lookup(queries)[0], hit)
