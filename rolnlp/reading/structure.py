"""Headings, paragraphs and sections (placeholder: one paragraph per line)."""
from __future__ import annotations

from .report import Paragraph


def segment(text):
    """Return ``(headings, paragraphs)`` tiling ``text``."""
    paras = []
    pos = 0
    for i, line in enumerate(text.split("\n")):
        end = pos + len(line)
        ws = "\n" if end < len(text) else ""
        paras.append(Paragraph(line, pos, end, (), "achievements", i, ws))
        pos = end + len(ws)
    return [], paras


def split_items(paragraphs):
    return list(paragraphs)
