"""The data model: a :class:`Report` made of units with a kind.

Like spaCy's ``Doc``/``Token``, every unit is a view into ``Report.text`` with
offsets: ``report.text[u.start:u.end] == u.text``.  The whitespace that follows a
unit is kept in ``u.whitespace`` so that concatenating ``u.text_with_ws`` over
``report.units("all")`` gives back ``report.text`` exactly (lossless).

Every unit has a ``kind`` (:data:`UNIT_KINDS`): the title, an addressee line
(``常州市人民政府：``), headings, body paragraphs, ``一是…`` items, the signature
(``海盐县人民政府``) and the date (``2025年3月19日``).  ``report.paragraphs`` and
``len(report)`` count body paragraphs only.

This module holds data only: the parser (:mod:`rolnlp.reading.structure`)
builds the units and :func:`rolnlp.read_report` / :func:`rolnlp.parse_report`
put them together.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Iterator, Optional

#: Every kind of unit, in the order a report usually presents them.
UNIT_KINDS = ("title", "addressee", "heading", "paragraph", "item", "signature", "date")
#: Levels of :meth:`Report.units` and :meth:`Report.to_dataframe`.
LEVELS = ("paragraph", "item", "all")


@dataclass(frozen=True)
class Metadata:
    """What a report says about itself.  Any field may be ``None`` when unknown.

    ``level`` is one of province / city / district / county / town / department;
    ``adcode`` is the six-digit GB/T 2260 code of ``region`` (``'420104'``);
    ``date`` is the publication date as ISO ``YYYY-MM-DD``; ``year`` is the
    year reported on (not the year of publication).

    Example
    -------
    >>> from rolnlp import read_report
    >>> m = read_report("corpus/reports/000_5c5bdc2152d9c680.txt").metadata  # doctest: +SKIP
    >>> m.region, m.level, m.year  # doctest: +SKIP
    ('硚口区', 'district', 2024)
    >>> Metadata(region="某区", year=2024).to_dict()["year"]
    2024
    """

    title: Optional[str] = None
    region: Optional[str] = None
    city: Optional[str] = None
    province: Optional[str] = None
    county: Optional[str] = None
    town: Optional[str] = None
    adcode: Optional[str] = None  # GB/T 2260 six-digit code of the region
    level: Optional[str] = None
    year: Optional[int] = None
    publisher: Optional[str] = None
    date: Optional[str] = None
    source: Optional[str] = None

    def to_dict(self) -> dict:
        """The fields as a plain dict (JSON-ready)."""
        return asdict(self)


@dataclass(frozen=True)
class Removed:
    """A piece of web residue taken out during cleaning, with the rule that took it."""

    text: str
    reason: str
    line: int = -1  # line number in the decoded input, -1 when not line-based


@dataclass(frozen=True)
class Heading:
    """A heading standing on its own (``一、…``, ``（一）…``, ``1.…``).

    ``level`` is 1 for ``一、``, 2 for ``（一）``, 3 for ``1.``/``（1）``;
    ``path`` holds the titles of the enclosing headings and this one.

    Example
    -------
    >>> from rolnlp import parse_report
    >>> h = parse_report("一、总体情况\\n正文。").headings[0]
    >>> h.level, h.marker, h.title
    (1, '一、', '总体情况')
    """

    text: str
    start: int
    end: int
    level: int
    marker: str
    path: tuple[str, ...]
    section: str
    index: int
    whitespace: str = ""
    kind: str = field(default="heading", init=False)

    @property
    def title(self) -> str:
        return self.text[len(self.marker):].strip()

    @property
    def text_with_ws(self) -> str:
        return self.text + self.whitespace


@dataclass(frozen=True)
class Paragraph:
    """A unit of running text: a body paragraph or another kind of line.

    ``kind`` is ``"paragraph"`` for body paragraphs, ``"item"`` for one
    ``一是…`` item split out of a paragraph, or ``"title"``, ``"addressee"``,
    ``"signature"``, ``"date"`` for the front and closing lines of a report.
    ``heading_path`` lists the headings it stands under, outermost first,
    including a heading written inline at its own start; ``section`` is a
    section code of the codebook (preamble, achievements, shortcomings, plans,
    other); ``index`` counts units of its kind from 0 in reading order.

    Example
    -------
    >>> from rolnlp import parse_report
    >>> r = parse_report("一、总体情况\\n全年办理行政复议案件12件。")
    >>> p = r.paragraphs[0]
    >>> p.heading, r.text[p.start:p.end] == p.text
    ('一、总体情况', True)
    """

    text: str
    start: int
    end: int
    heading_path: tuple[str, ...]
    section: str
    index: int
    whitespace: str = ""
    kind: str = "paragraph"
    parent: Optional[int] = None  # for items: index of the paragraph they split

    @property
    def text_with_ws(self) -> str:
        return self.text + self.whitespace

    @property
    def heading(self) -> Optional[str]:
        """The innermost heading, or ``None`` before the first heading."""
        return self.heading_path[-1] if self.heading_path else None


@dataclass(frozen=True)
class SectionSpan:
    """A report section: a run of units sharing a section code."""

    code: str
    title: Optional[str]
    start: int
    end: int
    paragraphs: tuple[Paragraph, ...]


class Report:
    """A cleaned, structured report.

    Build one with :func:`rolnlp.read_report` (a file or bytes) or
    :func:`rolnlp.parse_report` (text in memory).

    Attributes
    ----------
    id : str
        Stable identifier (file stem, or a content hash for text input).
    text : str
        The cleaned text (simplified script unless ``to_simplified=False``).
    original : str
        The cleaned text before script conversion.
    raw : str
        The decoded input before cleaning.
    removed : list of Removed
        Web residue taken out during cleaning.
    metadata : Metadata
    headings : list of Heading
    paragraphs : list of Paragraph
        Body paragraphs only (``kind == "paragraph"``); ``len(report)`` counts them.
    encoding : str or None
        The encoding the input was decoded from (``None`` for ``str`` input).
    path : str or None
        The file read, if any.
    url : str or None
        The page the report was taken from, when known (a table's ``url``).

    Example
    -------
    >>> from rolnlp import parse_report
    >>> r = parse_report("一、总体情况\\n正文一。\\n二、存在的不足\\n正文二。", id="demo")
    >>> len(r), [p.section for p in r]
    (2, ['achievements', 'shortcomings'])
    >>> "".join(u.text_with_ws for u in r.units("all")) == r.text
    True
    >>> [u.kind for u in r.units("all")]
    ['heading', 'paragraph', 'heading', 'paragraph']
    """

    def __init__(self, *, id, text, original, raw, removed, metadata, units, items=None,
                 encoding=None, path=None, url=None):
        self.id = id
        self.text = text
        self.original = original
        self.raw = raw
        self.removed = list(removed)
        self.metadata = metadata
        self._units = list(units)
        self.headings = [u for u in self._units if u.kind == "heading"]
        self.paragraphs = [u for u in self._units if u.kind == "paragraph"]
        # items are split by the reader; without them each paragraph is its own unit
        self._items = list(items) if items is not None else list(self.paragraphs)
        self.encoding = encoding
        self.path = path
        self.url = url
        # per line of ``original``: settled by the cleaner (rolnlp.reading.clean._clean)
        self._settled = None

    def __repr__(self) -> str:
        m = self.metadata
        return (f"<Report {self.id!r} {m.region or '?'} {m.year or '?'}: "
                f"{len(self.headings)} headings, {len(self.paragraphs)} paragraphs>")

    def __iter__(self) -> Iterator[Paragraph]:
        return iter(self.paragraphs)

    def __len__(self) -> int:
        return len(self.paragraphs)

    def units(self, level: str = "paragraph") -> list:
        """Units of the report in reading order.

        Parameters
        ----------
        level : {"paragraph", "item", "all"}
            ``"paragraph"``: the body paragraphs; ``"item"``: body paragraphs
            with the ``一是…二是…`` items of long paragraphs split out (still
            lossless over the paragraphs); ``"all"``: every unit with its
            ``kind`` (title, addressee, heading, paragraph, signature, date),
            which together tile ``text``.

        Returns
        -------
        list
            :class:`Heading` and :class:`Paragraph` objects.

        Example
        -------
        >>> from rolnlp import parse_report
        >>> r = parse_report("常州市人民政府：\\n一、总体情况\\n正文。\\n2024年3月6日")
        >>> [(u.kind, u.text) for u in r.units("all")]  # doctest: +NORMALIZE_WHITESPACE
        [('addressee', '常州市人民政府：'), ('heading', '一、总体情况'),
         ('paragraph', '正文。'), ('date', '2024年3月6日')]
        """
        if level == "paragraph":
            return list(self.paragraphs)
        if level == "item":
            return list(self._items)
        if level == "all":
            return list(self._units)
        raise ValueError(f"level must be one of {LEVELS}, got {level!r}")

    @property
    def sections(self) -> list[SectionSpan]:
        """Consecutive paragraphs grouped by section code."""
        out: list[SectionSpan] = []
        for p in self.paragraphs:
            if out and out[-1].code == p.section:
                last = out[-1]
                out[-1] = replace(last, end=p.end, paragraphs=last.paragraphs + (p,))
            else:
                title = p.heading_path[0] if p.heading_path else None
                out.append(SectionSpan(p.section, title, p.start, p.end, (p,)))
        return out

    def outline(self) -> list[dict]:
        """The heading tree as nested dicts: title, level, section, paragraphs, children.

        ``paragraphs`` counts the paragraphs directly under the heading.
        """
        roots: list[dict] = []
        stack: list[dict] = []
        by_path: dict[tuple, dict] = {}
        for h in self.headings:
            node = {"title": h.text, "level": h.level, "section": h.section,
                    "paragraphs": 0, "children": []}
            while stack and stack[-1]["level"] >= h.level:
                stack.pop()
            (stack[-1]["children"] if stack else roots).append(node)
            stack.append(node)
            by_path[h.path] = node
        for p in self.paragraphs:
            path = p.heading_path
            while path and path not in by_path:
                path = path[:-1]
            if path:
                by_path[path]["paragraphs"] += 1
        return roots

    def _normal_texts(self, texts) -> list:
        """Those of ``texts`` known to be their own ``normalize_text``, without running it.

        A text qualifies when it is a whole line of the report that the
        cleaner left settled, the same in ``original`` and in ``text``, and
        passes :func:`~rolnlp.reading.clean.is_settled_normal`.  Other texts
        may be normal too; they are just not known to be.
        """
        from .clean import is_settled_normal

        settled = self._settled
        if not settled:
            return []
        lines = self.text.split("\n")
        original = self.original.split("\n") if self.original != self.text else lines
        if not len(lines) == len(original) == len(settled):
            return []
        candidates = {ln for ln, o, ok in zip(lines, original, settled) if ok and ln == o}
        return [t for t in texts if t in candidates and is_settled_normal(t)]

    def to_dataframe(self, level: str = "paragraph"):
        """One row per unit with the report's metadata (a pandas DataFrame).

        Parameters
        ----------
        level : {"paragraph", "item", "all"}
            Which units make the rows, as for :meth:`units`.

        Returns
        -------
        pandas.DataFrame
            Columns :data:`rolnlp.reading.table.UNIT_COLUMNS`, in that order.

        Example
        -------
        >>> from rolnlp import parse_report
        >>> df = parse_report("一、总体情况\\n正文。", id="a").to_dataframe()
        >>> df[["report_id", "kind", "section", "heading", "text"]].values.tolist()
        [['a', 'paragraph', 'achievements', '一、总体情况', '正文。']]
        """
        from .table import report_frame

        return report_frame(self, level)

    def to_dict(self) -> dict:
        """A JSON-ready dict: id, metadata, outline and paragraphs."""
        return {
            "id": self.id,
            "metadata": self.metadata.to_dict(),
            "outline": self.outline(),
            "paragraphs": [
                {"index": p.index, "start": p.start, "end": p.end, "section": p.section,
                 "heading_path": list(p.heading_path), "text": p.text}
                for p in self.paragraphs
            ],
        }
