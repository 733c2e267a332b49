"""Remove web residue and normalise text (placeholder)."""
from __future__ import annotations


def clean(text):
    """Return ``(cleaned_text, removed)``."""
    lines = [ln.strip() for ln in text.replace("\r\n", "\n").split("\n")]
    return "\n".join(ln for ln in lines if ln), []


def to_simplified(text):
    return text
