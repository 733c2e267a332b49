"""Terms for topic models: script normalisation, term filtering and phrases.

Topic models see *terms*: tokens of two or more characters that are not
generic report language or transliteration residue, with frequent adjacent
pairs joined into phrases (``行政`` + ``复议`` → ``行政复议``).

Two words are joined only when they were adjacent in the paragraph: a token
dropped in between (a stopword, a single character such as 新, a generic term)
or punctuation (a sentence boundary) separates them.  So 习近平/新/时代 never
gives ``习近平时代`` and "法治保障。现将…" never gives ``法治保障现将``.  Adjacency is
read from the text itself, so it holds for any tokenizer and for tokens
computed beforehand.
"""
from __future__ import annotations

import logging
import re
import unicodedata

logger = logging.getLogger(__name__)

_DELIM = "\x1f"  # separates the two words of a learnt phrase inside gensim

# Words every report uses whatever it is about; they would top every topic.
_FIRST_TIER = (
    "工作 建设 开展 推进 加强 全面 进一步 持续 深入 落实 完善 推动 提升 健全 积极 不断 切实 "
    "坚持 强化 有效 实现 进行 相关 组织 各类 有关 确保 做好 加快 扎实 全年 累计 共计 "
    "我区 我市 我县 全区 全市 全县 今年 年度 方面 情况 主要 重点 重要 工作机制 机制 制度 "
    "同比 以上 以及 通过 围绕 按照 根据 依法 法治 政府 法治政府 法治建设 法治政府建设")
# The second tier: still near the top of most topics once the first tier is gone.
# 群众, 服务, 部署 and 事项 are left out on purpose: on the labelled paragraphs they
# are among the ten most distinctive terms of an area (legal publicity; business
# environment and legal services; leadership; business environment).  tests/test_topic_prep.py checks
# that no area's ten most distinctive terms are in this list.
_SECOND_TIER = (
    "问题 部门 要求 任务 发展 全省 我省 全州 我州 省级 市级 县级 单位 各级 有关部门 "
    "工作人员 水平 能力 严格 规范 保障 方式 成效 取得 形成 提高 加大 深化 优化 创新 注重 "
    "人次 万元 亿元")
GENERIC_TERMS = frozenset(_FIRST_TIER.split()) | frozenset(_SECOND_TIER.split())

_LATIN = re.compile(r"[a-z]+", re.IGNORECASE)


def to_simplified(text):
    """Simplified script of ``text`` (the reader's shared converter)."""
    from ..reading.clean import to_simplified as convert

    return convert(text)


def is_term(token, stop=frozenset()):
    """Whether a token may be a topic term.

    Single characters, ``stop`` terms and tokens made only of Latin letters
    are not terms: scraped pages with ruby annotations leave pinyin fragments
    (``ng``, ``zh``, ``sh``) that would otherwise form topics of their own, and
    the tokenizer lowercases, so they cannot be told from acronyms (``app``).

    Example
    -------
    >>> is_term("行政复议"), is_term("zh"), is_term("新")
    (True, False, False)
    """
    if len(token) < 2 or token in stop or _DELIM in token:
        return False
    return not _LATIN.fullmatch(token)


def segments(text, tokens, stop=frozenset()):
    """Runs of terms that stand next to each other in ``text``.

    ``tokens`` are the tokenizer's output for ``text`` in order.  A token that
    is not a term, or a gap in the text between two tokens (a dropped word,
    punctuation, a line break), ends a run.  Tokens that cannot be found in the
    text (a tokenizer may rewrite them) form runs of their own.

    Returns
    -------
    list of list of str

    Example
    -------
    >>> segments("习近平新时代", ["习近平", "新", "时代"])
    [['习近平'], ['时代']]
    """
    hay = unicodedata.normalize("NFKC", text).lower()
    out, run = [], []
    pos = 0
    for tok in tokens:
        at = hay.find(tok.lower(), pos)
        adjacent = at == pos and run
        if at < 0:
            adjacent = False
        else:
            pos = at + len(tok)
        if not is_term(tok, stop):
            if run:
                out.append(run)
            run = []
            continue
        if not adjacent and run:
            out.append(run)
            run = []
        run.append(tok)
        if at < 0:  # cannot tell what follows it
            out.append(run)
            run = []
    if run:
        out.append(run)
    return out


def learn_phrases(all_segments, *, min_count=None, threshold=0.5):
    """Word pairs to join, learnt with gensim ``Phrases`` (npmi) on runs of terms.

    Parameters
    ----------
    all_segments : list of list of str
        Every run of every paragraph; a pair is only counted inside a run.
    min_count : int or None
        Least count of a pair; ``None`` adapts it to the number of runs.
    threshold : float
        npmi threshold in (-1, 1].

    Returns
    -------
    set of (str, str)
    """
    from gensim.models.phrases import Phrases

    runs = [s for s in all_segments if len(s) >= 2]
    if not runs:
        return set()
    if min_count is None:
        min_count = max(3, min(20, len(all_segments) // 2000))
    ph = Phrases(runs, min_count=min_count, threshold=threshold, scoring="npmi",
                 delimiter=_DELIM)
    pairs = {tuple(p.split(_DELIM, 1)) for p in ph.export_phrases()}
    logger.info("phrases: %d word pairs joined", len(pairs))
    return pairs


def apply_phrases(run, pairs):
    """Join known pairs in one run greedily left to right, as ``Phrases`` does."""
    if not pairs or len(run) < 2:
        return list(run)
    out, i, n = [], 0, len(run)
    while i < n:
        if i + 1 < n and (run[i], run[i + 1]) in pairs:
            out.append(run[i] + run[i + 1])
            i += 2
        else:
            out.append(run[i])
            i += 1
    return out


def terms_of(runs, pairs):
    """The terms of one paragraph: its runs with phrases joined, concatenated."""
    return [t for run in runs for t in apply_phrases(run, pairs)]
