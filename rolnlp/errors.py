"""Exception types raised at rolnlp's public boundary.

Every documented failure is one of these (or a plain ``TypeError`` for a wrong
argument type), so callers can catch rolnlp errors without catching bugs.
"""
from __future__ import annotations


class RolnlpError(Exception):
    """Base class of all rolnlp errors."""


class ReportError(RolnlpError, ValueError):
    """A report could not be read: binary data, undecodable bytes, missing file."""


class ModelError(RolnlpError, ValueError):
    """A model file is missing, foreign, tampered with or incompatible."""


class LabelError(RolnlpError, ValueError):
    """Labelled training data is malformed or uses codes that cannot be handled."""
