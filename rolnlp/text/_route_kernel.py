"""numba kernels of :mod:`rolnlp.text.compiled`; importing this module imports numba.

Every function mirrors a piece of jieba (or of rolnlp's exact copies of it in
:mod:`rolnlp.text.fastcut` and :mod:`rolnlp.text.hmm`) operation for
operation: the same float64 additions in the same order, the same
comparisons, the same tie-breaking.  No ``fastmath``.
"""
import numba
import numpy as np

# jieba.finalseg's states in the order of their letters (B < E < M < S): jieba
# takes max((score, state)), so on equal scores the later letter wins
_B, _E, _M, _S = 0, 1, 2, 3
_HAN_LO, _HAN_HI = 0x4E00, 0x9FD5  # jieba.finalseg.re_han


@numba.njit(cache=True, nogil=True, boundscheck=False)
def child(node, cp, cstart, ccp, cid):
    """The trie node below ``node`` for code point ``cp``, or -1 (binary search)."""
    lo = cstart[node]
    hi = cstart[node + 1]
    while lo < hi:
        mid = (lo + hi) >> 1
        c = ccp[mid]
        if c < cp:
            lo = mid + 1
        elif c > cp:
            hi = mid
        else:
            return cid[mid]
    return -1


@numba.njit(cache=True, nogil=True, boundscheck=False)
def alnum(c):
    return (48 <= c <= 57) or (65 <= c <= 90) or (97 <= c <= 122)


@numba.njit(cache=True, nogil=True, boundscheck=False)
def emit_token(end, kind, ends, kinds, n_tok):
    ends[n_tok] = end
    kinds[n_tok] = kind
    return n_tok + 1


@numba.njit(cache=True, nogil=True, boundscheck=False)
def viterbi(a, b, cps, emit, start_p, trans, back, ends, kinds, n_tok):
    """Words of the Han run ``cps[a:b]`` by jieba's Viterbi, appended with kind 2."""
    v0 = np.empty(4, np.float64)
    v1 = np.empty(4, np.float64)
    c = cps[a] - _HAN_LO
    for y in range(4):
        v0[y] = start_p[y] + emit[y, c]
    for t in range(a + 1, b):
        c = cps[t] - _HAN_LO
        # jieba.finalseg.PrevStatus: B <- E, S;  E <- B, M;  M <- M, B;  S <- S, E.
        # score = (v[y0] + trans[y0][y]) + emit[y][ch]; ties go to the later letter
        for y in range(4):
            if y == _B:
                p1, p2 = _E, _S
            elif y == _E:
                p1, p2 = _B, _M
            elif y == _M:
                p1, p2 = _B, _M
            else:
                p1, p2 = _E, _S
            em = emit[y, c]
            s1 = v0[p1] + trans[p1, y] + em
            s2 = v0[p2] + trans[p2, y] + em
            if s2 >= s1:
                v1[y] = s2
                back[t, y] = p2
            else:
                v1[y] = s1
                back[t, y] = p1
        for y in range(4):
            v0[y] = v1[y]
    state = _S if v0[_S] >= v0[_E] else _E
    # walk back, keeping each tag in column 0 of its row (no longer needed)
    for t in range(b - 1, a - 1, -1):
        prev = back[t, state]
        back[t, 0] = state
        state = prev
    nexti = a
    for t in range(a, b):
        tag = back[t, 0]
        if tag == _E or tag == _S:
            n_tok = emit_token(t + 1, 2, ends, kinds, n_tok)
            nexti = t + 1
    if nexti < b:
        n_tok = emit_token(b, 2, ends, kinds, n_tok)
    return n_tok


@numba.njit(cache=True, nogil=True, boundscheck=False)
def hmm_run(a, b, cps, emit, start_p, trans, back, ends, kinds, n_tok):
    """``jieba.finalseg.cut`` of ``cps[a:b]`` (as :func:`rolnlp.text.hmm.cut`)."""
    p = a
    while p < b:
        c = cps[p]
        q = p + 1
        if _HAN_LO <= c <= _HAN_HI:
            while q < b and _HAN_LO <= cps[q] <= _HAN_HI:
                q += 1
            n_tok = viterbi(p, q, cps, emit, start_p, trans, back, ends, kinds, n_tok)
        else:
            # re.split(r"([a-zA-Z0-9]+(?:\.\d+)?%?)") over the non-Han stretch,
            # empty pieces dropped (only ASCII reaches here: jieba's re_han_default)
            stop = q
            while stop < b and not (_HAN_LO <= cps[stop] <= _HAN_HI):
                stop += 1
            if alnum(c):
                while q < stop and alnum(cps[q]):
                    q += 1
                if q + 1 < stop and cps[q] == 46 and 48 <= cps[q + 1] <= 57:
                    q += 2
                    while q < stop and 48 <= cps[q] <= 57:
                        q += 1
                if q < stop and cps[q] == 37:
                    q += 1
            else:
                while q < stop and not alnum(cps[q]):
                    q += 1
            n_tok = emit_token(q, 0, ends, kinds, n_tok)
        p = q
    return n_tok


@numba.njit(cache=True, nogil=True, boundscheck=False)
def flush(a, b, hmm, cps, root, cstart, ccp, cid, known, emit, start_p, trans, back, ends, kinds,
          n_tok):
    """A run ``cps[a:b]`` of single characters on the route, as jieba emits it."""
    # Without the HMM the run is one token (ASCII letters and digits joined).
    # With it: one character as it is; a run the dictionary knows as a word
    # (freq > 0) character by character; any other run through the HMM.
    if b - a == 1 or not hmm:
        return emit_token(b, 0, ends, kinds, n_tok)
    cp = cps[a]
    node = root[cp] if cp < root.shape[0] else -1
    i = a + 1
    while node >= 0 and i < b:
        node = child(node, cps[i], cstart, ccp, cid)
        i += 1
    if node >= 0 and known[node]:
        for j in range(a + 1, b + 1):
            n_tok = emit_token(j, 0, ends, kinds, n_tok)
        return n_tok
    return hmm_run(a, b, cps, emit, start_p, trans, back, ends, kinds, n_tok)


@numba.njit(cache=True, nogil=True, boundscheck=False)
def in_block(c):
    """A character of jieba's ``re_han_default``: CJK, ASCII letters and digits, ``+#&._%-``."""
    return ((_HAN_LO <= c <= _HAN_HI) or alnum(c) or c == 43 or c == 35 or c == 38 or c == 46
            or c == 95 or c == 37 or c == 45)


@numba.njit(cache=True, nogil=True, boundscheck=False)
def cut_block(lo, hi, hmm, cps, root, cstart, ccp, cid, logp, known, unknown, emit, start_p,
              trans, score, nxt, back, ends, kinds, n_tok):
    """Tokens of the block ``cps[lo:hi]``: jieba's ``__cut_DAG`` (or ``__cut_DAG_NO_HMM``)."""
    n_root = root.shape[0]
    # the route: FastCutter._route, i.e. jieba's get_DAG + calc
    score[hi] = 0.0
    for k in range(hi - 1, lo - 1, -1):
        have = False
        best = 0.0
        bx = k
        cp = cps[k]
        node = root[cp] if cp < n_root else -1
        i = k
        while node >= 0:
            if known[node]:
                sc = logp[node] + score[i + 1]
                if not have or sc >= best:  # on a tie the longer word wins
                    best = sc
                    bx = i
                    have = True
            i += 1
            if i >= hi:
                break
            node = child(node, cps[i], cstart, ccp, cid)
        if not have:
            best = unknown + score[k + 1]
        score[k] = best
        nxt[k] = bx
    # the tokens: FastCutter._cut_dag / _cut_dag_no_hmm
    x = lo
    start = -1
    while x < hi:
        y = nxt[x] + 1
        single = y - x == 1
        if single and not hmm:
            single = alnum(cps[x])
        if single:
            if start < 0:
                start = x
        else:
            if start >= 0:
                n_tok = flush(start, x, hmm, cps, root, cstart, ccp, cid, known, emit,
                              start_p, trans, back, ends, kinds, n_tok)
                start = -1
            n_tok = emit_token(y, 0, ends, kinds, n_tok)
        x = y
    if start >= 0:
        n_tok = flush(start, hi, hmm, cps, root, cstart, ccp, cid, known, emit, start_p,
                      trans, back, ends, kinds, n_tok)
    return n_tok


@numba.njit(cache=True, nogil=True, boundscheck=False)
def cut_text(cps, hmm, root, cstart, ccp, cid, logp, known, unknown, emit, start_p, trans):
    """jieba's accurate-mode cut of the whole text ``cps``: ``(ends, kinds)`` of its tokens.

    Blocks of ``re_han_default`` characters are cut by :func:`cut_block`;
    between blocks every character is a token, except that ``"\r\n"`` is one
    (``re_skip_default.split``).  ``kinds[t]``: 0 a token, 2 a word the HMM
    joined (jieba splits it again if ``del_word`` forced a split).
    """
    n = cps.shape[0]
    ends = np.empty(n, np.int64)
    kinds = np.zeros(n, np.int8)
    score = np.zeros(n + 1, np.float64)
    nxt = np.zeros(n, np.int64)
    back = np.zeros((n if hmm else 0, 4), np.int8)
    n_tok = 0
    x = 0
    while x < n:
        c = cps[x]
        if in_block(c):
            y = x + 1
            while y < n and in_block(cps[y]):
                y += 1
            n_tok = cut_block(x, y, hmm, cps, root, cstart, ccp, cid, logp, known, unknown,
                              emit, start_p, trans, score, nxt, back, ends, kinds, n_tok)
            x = y
        elif c == 13 and x + 1 < n and cps[x + 1] == 10:
            n_tok = emit_token(x + 2, 0, ends, kinds, n_tok)
            x += 2
        else:
            n_tok = emit_token(x + 1, 0, ends, kinds, n_tok)
            x += 1
    return ends[:n_tok], kinds[:n_tok]
