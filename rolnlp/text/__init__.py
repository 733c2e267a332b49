"""Text: the rule-of-law tokenizer, its lexicon and stopwords, and term mining.

Example
-------
>>> from rolnlp.text import tokenize
>>> tokenize("深化“枫桥经验”")
['枫桥经验']
"""
from .lexicon import load_lexicon, load_stopwords
from .mine import mine_terms, tune_frequencies
from .tokenizer import Tokenizer, default_tokenizer, tokenize

__all__ = ["Tokenizer", "tokenize", "default_tokenizer", "load_lexicon", "load_stopwords",
           "mine_terms", "tune_frequencies"]
