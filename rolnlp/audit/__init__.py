"""Report audit: the parts a report must have, timeliness, evidence, shortcomings,
indicator figures and year-over-year reuse, as evaluators measure them."""
from .codes import INDICATOR_CODES, INDICATORS, INDICATORS_BY_CODE
from .indicators import INDICATOR_COLUMNS, extract_indicators

__all__ = ["INDICATOR_CODES", "INDICATORS", "INDICATORS_BY_CODE", "INDICATOR_COLUMNS",
           "extract_indicators"]
