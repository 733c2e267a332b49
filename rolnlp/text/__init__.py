"""Text: the rule-of-law tokenizer, its lexicon and stopwords."""
from .tokenizer import Tokenizer, default_tokenizer, tokenize

__all__ = ["Tokenizer", "tokenize", "default_tokenizer"]
