"""A :class:`Corpus` of reports and :func:`read_corpus` (placeholder)."""
from __future__ import annotations

import os

from .reading import read_report

SUFFIXES = (".txt", ".html", ".htm")


class Corpus:
    """Many reports; iterate reports, paragraphs, or get a DataFrame."""

    def __init__(self, reports):
        self.reports = list(reports)

    def __iter__(self):
        return iter(self.reports)

    def __len__(self):
        return len(self.reports)

    def paragraphs(self):
        for r in self.reports:
            yield from r.paragraphs

    def to_dataframe(self):
        import pandas as pd
        frames = [r.to_dataframe() for r in self.reports]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def read_corpus(directory, **kwargs):
    files = sorted(f for f in os.listdir(directory) if f.lower().endswith(SUFFIXES))
    return Corpus(read_report(os.path.join(directory, f), **kwargs) for f in files)
