"""Rule-of-law tokenizer (placeholder: bare jieba, own instance)."""
from __future__ import annotations

import re
import threading

import jieba

_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z]")


class Tokenizer:
    """Tokenize Chinese report text with jieba and the rule-of-law lexicon."""

    def __init__(self, *, keep_numbers=False, keep_punct=False, stopwords=True):
        self.keep_numbers = keep_numbers
        self.keep_punct = keep_punct
        self.stopwords = stopwords
        self._jieba = jieba.Tokenizer()
        self._lock = threading.Lock()

    def tokenize(self, text):
        return [t for t in self._jieba.lcut(text) if _WORD.search(t)]

    __call__ = tokenize


_default = None
_default_lock = threading.Lock()


def default_tokenizer():
    global _default
    with _default_lock:
        if _default is None:
            _default = Tokenizer()
    return _default


def tokenize(text, **kwargs):
    tok = Tokenizer(**kwargs) if kwargs else default_tokenizer()
    return tok.tokenize(text)
