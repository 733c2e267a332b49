"""Reading: decode, clean, normalise script, recover metadata and structure."""
from .clean import normalize_text
from .reader import parse_report, read_report
from .report import UNIT_KINDS, Heading, Metadata, Paragraph, Removed, Report, SectionSpan
from .table import UNIT_COLUMNS

__all__ = ["read_report", "parse_report", "normalize_text", "Report", "Paragraph", "Heading",
           "Metadata", "Removed", "SectionSpan", "UNIT_COLUMNS", "UNIT_KINDS"]
