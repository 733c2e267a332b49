"""The :class:`Audit` of one report and the columns of the corpus audit table."""
from __future__ import annotations

from dataclasses import dataclass, field

from .evidence import Evidence
from .parts import MAIN_PARTS, PART_CODES, Part
from .shortcomings import Shortcomings
from .timeliness import Timeliness

#: columns of :func:`rolnlp.audit.audit_corpus` (one row per report), in order
AUDIT_COLUMNS = (
    ["report_id", "title", "region", "province", "city", "level", "year", "publisher",
     "date", "date_source", "deadline", "on_time", "days_early", "main_parts"]
    + [f"has_{c}" for c in PART_CODES]
    + ["first_responsible_mentioned", "parts_order"]
    + [f"share_{c}" for c in PART_CODES]
    + ["chars", "paragraphs", "figures", "figures_per_1000", "paragraphs_with_figure",
       "indicator_mentions", "indicator_codes", "problems", "problems_with_cause",
       "problems_specific", "stock_phrases"]
)


@dataclass
class Audit:
    """What an evaluator checks in one report.  Build one with :func:`rolnlp.audit`.

    Attributes
    ----------
    report_id : str
    metadata : dict
        The report's :class:`~rolnlp.reading.Metadata` as a dict.
    parts : list of Part
        The five parts, in ``PART_CODES`` order (see :mod:`rolnlp.audit.parts`).
    timeliness : Timeliness
    evidence : Evidence
    shortcomings : Shortcomings
    indicators : pandas.DataFrame
        The report's indicator mentions (:func:`rolnlp.extract_indicators`).

    Example
    -------
    >>> import rolnlp
    >>> a = rolnlp.audit(rolnlp.read_report("corpus/reports/002_87db0459dcb0080d.txt"))  # doctest: +SKIP
    >>> a.part("first_responsible").order, a.timeliness.on_time  # doctest: +SKIP
    (1, True)
    """

    report_id: str
    metadata: dict
    parts: list
    timeliness: Timeliness
    evidence: Evidence
    shortcomings: Shortcomings
    indicators: "object" = field(repr=False, default=None)

    def part(self, code: str) -> Part:
        """The :class:`Part` with ``code``.

        Raises
        ------
        ValueError
            For a code not in ``PART_CODES``.
        """
        for p in self.parts:
            if p.code == code:
                return p
        raise ValueError(f"unknown part {code!r}; expected one of {PART_CODES}")

    @property
    def present_parts(self) -> list:
        """Codes of the parts present, in the order the report gives them."""
        return [p.code for p in sorted((p for p in self.parts if p.present), key=lambda p: p.order)]

    def parts_table(self):
        """The parts as a DataFrame, one row per part."""
        from .parts import parts_table
        return parts_table(self.parts)

    def to_row(self) -> dict:
        """One flat row (the columns :data:`AUDIT_COLUMNS`)."""
        m = self.metadata
        t, e, s = self.timeliness, self.evidence, self.shortcomings
        row = {"report_id": self.report_id}
        for k in ("title", "region", "province", "city", "level", "year", "publisher"):
            row[k] = m.get(k)
        row.update(date=t.date, date_source=t.date_source, deadline=t.deadline,
                   on_time=t.on_time, days_early=t.days_early,
                   main_parts=sum(self.part(c).present for c in MAIN_PARTS))
        for c in PART_CODES:
            row[f"has_{c}"] = self.part(c).present
        row["first_responsible_mentioned"] = self.part("first_responsible").mentioned
        row["parts_order"] = " > ".join(self.present_parts)
        for c in PART_CODES:
            row[f"share_{c}"] = self.part(c).share
        row.update(chars=e.chars, paragraphs=e.paragraphs, figures=e.figures,
                   figures_per_1000=e.figures_per_1000,
                   paragraphs_with_figure=e.paragraphs_with_figure,
                   indicator_mentions=e.indicator_mentions, indicator_codes=e.indicator_codes,
                   problems=s.problems, problems_with_cause=s.with_cause,
                   problems_specific=s.specific, stock_phrases=s.stock_phrases)
        return row

    def to_dict(self) -> dict:
        """Everything as plain JSON-ready data (indicators as a list of records)."""
        ind = [] if self.indicators is None else self.indicators.to_dict("records")
        return {"report_id": self.report_id, "metadata": dict(self.metadata),
                "parts": [p.to_dict() for p in self.parts],
                "timeliness": self.timeliness.to_dict(), "evidence": self.evidence.to_dict(),
                "shortcomings": self.shortcomings.to_dict(), "indicators": ind}

    def __repr__(self) -> str:
        t = self.timeliness
        when = {True: "on time", False: "late", None: "date unknown"}[t.on_time]
        return (f"<Audit {self.report_id!r}: parts {self.present_parts}, {when}, "
                f"{self.evidence.indicator_mentions} indicator mentions>")


