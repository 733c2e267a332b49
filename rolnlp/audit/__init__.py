"""Report audit: what evaluators and researchers measure in the annual reports.

* :func:`audit` (also ``rolnlp.audit(report)``): the five parts the 2019
  督察工作规定 requires (:mod:`.parts`), timeliness against the 1 April
  deadline (:mod:`.timeliness`), evidence density (:mod:`.evidence`),
  shortcomings depth (:mod:`.shortcomings`) and indicator figures
  (:mod:`.indicators`, codes in :mod:`.codes`), as an :class:`Audit`.
* :func:`audit_corpus`: the same for many reports, one row per report.
* :func:`extract_indicators` and :func:`indicator_table`: the figures, one row
  per mention or one row per report and indicator.
* :func:`year_over_year`: reused sentences and promise tracking between
  reports of one place in consecutive years (:mod:`.yoy`).
* :func:`rolnlp.audit.html.audit_section`: the audit section of an HTML summary.

The package is callable, so ``rolnlp.audit(report)`` works whether
``rolnlp.audit`` names the function or this package.

Example
-------
>>> import rolnlp
>>> a = rolnlp.audit(rolnlp.read_report("corpus/reports/000_5c5bdc2152d9c680.txt"))  # doctest: +SKIP
>>> a.present_parts  # doctest: +SKIP
['achievements', 'shortcomings', 'plans']
"""
from __future__ import annotations

import sys
import types

from .api import audit, audit_corpus
from .codes import INDICATOR_CODES, INDICATORS, INDICATORS_BY_CODE, Indicator
from .indicators import INDICATOR_COLUMNS, extract_indicators
from .parts import MAIN_PARTS, PART_CODES, Part, find_parts
from .result import AUDIT_COLUMNS, Audit
from .tables import indicator_table
from .timeliness import Timeliness, timeliness
from .yoy import YearOverYear, year_over_year

__all__ = ["audit", "audit_corpus", "Audit", "AUDIT_COLUMNS", "extract_indicators",
           "indicator_table", "INDICATOR_COLUMNS", "INDICATOR_CODES", "INDICATORS",
           "INDICATORS_BY_CODE", "Indicator", "PART_CODES", "MAIN_PARTS", "Part", "find_parts",
           "Timeliness", "timeliness", "year_over_year", "YearOverYear"]


class _CallableModule(types.ModuleType):
    """``rolnlp.audit`` is both this package and the function :func:`audit`."""

    def __call__(self, report):
        return audit(report)


sys.modules[__name__].__class__ = _CallableModule
