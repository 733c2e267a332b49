"""Reading: decode, clean, normalise script, recover metadata and structure."""
from .clean import normalize_text
from .reader import read_report
from .report import Heading, Metadata, Paragraph, Removed, Report, SectionSpan

__all__ = ["read_report", "normalize_text", "Report", "Paragraph", "Heading", "Metadata",
           "Removed", "SectionSpan"]
