"""Recover report metadata (placeholder)."""
from __future__ import annotations

from .report import Metadata


def extract_metadata(text, raw=None, removed=()):
    return Metadata()
