"""The computed state of a scorecard: frozen values the calculator returns and the render layer reads.

Judgements are enums whose values are the words of the JSON output (``"green"``, ``"better"``,
``"up-to-date"``); the words, symbols and colours people see are chosen in ``render/``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .catalogue import NO_RULES, Measure, RatingNames, RatingRules, Report
from .periods import FinancialYear, LabelStyle, Period
from .results import NotAvailable
from .spc import SpcPoint, SpcResult


class Rag(StrEnum):
    """Performance against target."""

    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    BLUE = "blue"
    """Exceeding target: beats it by more than the ``exceeding`` margin (only with that rule)."""

    @property
    def rank(self) -> int:
        """Red 0, amber 1, green 2, blue 3: a higher rank is better."""
        return (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE).index(self)


class Travel(StrEnum):
    """Direction of travel: the current value against its comparator, judged by polarity; a
    data-only measure's (no polarity) only increases or decreases."""

    BETTER = "better"
    SAME = "same"
    WORSE = "worse"
    INCREASED = "increased"
    DECREASED = "decreased"


class Status(StrEnum):
    """Whether the current result is for the latest period that has ended."""

    UP_TO_DATE = "up-to-date"
    OVERDUE = "overdue"
    NO_DATA = "no-data"
    NOT_AVAILABLE = "not-available"
    """The latest figure due is marked not available, with a reason: never overdue."""


class ChangeKind(StrEnum):
    """What changed for a measure since the previous report date."""

    RAG = "rag"
    """Its Performance (RAG) changed, or it gained or lost one."""
    OVERDUE = "overdue"
    """It became overdue."""
    NO_RESULT = "no-result"
    """It has no result at all."""


@dataclass(frozen=True)
class TrendPoint:
    period: Period
    value: float
    target: int | float | None = None
    """The period's own target (it differs from point to point when targets are profiled)."""


@dataclass(frozen=True)
class Spc:
    """Statistical process control of a measure's history up to its current result."""

    result: SpcResult
    periods: tuple[Period, ...]
    """The period of each point, in order."""
    missing: tuple[Period, ...] = ()
    """Periods missing inside the series (drawn as gaps, never joined across)."""
    rules: tuple[str, int] = ("mdc", 7)
    """The rule set (``mdc`` or ``ptd-0.2``) and the run length the points were judged by."""
    bounds: tuple[float | None, float | None] = (None, None)
    """What the measure's results can take (``min``/``max``, 0–100 for a percentage, 0 for counts):
    process limits beyond them are drawn at them."""

    def drawn(self, limit: float) -> float:
        """A process limit as drawn: within the measure's bounds."""
        low, high = self.bounds
        if low is not None and limit < low:
            return low
        if high is not None and limit > high:
            return high
        return limit

    @property
    def latest(self) -> SpcPoint:
        return self.result.points[-1]

    @property
    def variation(self) -> str:
        """The latest point: common_cause, improvement, concern or neutral."""
        return self.latest.type

    @property
    def side(self) -> str | None:
        """high or low for a special cause at the latest point, else None."""
        rule = self.latest.rule
        if rule is None:
            return None
        return "high" if rule.endswith(("upper", "increasing", "above")) else "low"

    def by_period(self) -> dict[int, SpcPoint]:
        """Each point by its period's ``start`` (a month index; a week index for a weekly measure)."""
        return {period.start: point for period, point in zip(self.periods, self.result.points, strict=True)}


@dataclass(frozen=True)
class Comparison:
    """One direction of travel: the current value against one comparator of the measure's ``direction``."""

    comparator: str
    """What it compares with, as the catalogue names it: previous_period, same_period_last_year or
    previous_year (a biennial measure compares with the result two years before, whichever it names)."""
    period: Period | None
    """The period compared with (for ``previous_year``, the financial year whose outturn it is); None
    without a current result."""
    value: float | None
    """The figure compared with (None when there is none)."""
    display: str | None
    """That figure as printed, like ``display``."""
    travel: Travel | None
    """Better, same or worse (for a data-only measure increased, decreased or same); None without a figure."""


@dataclass(frozen=True)
class MeasureResult:
    """Everything the appendix shows for one measure, computed once."""

    measure: Measure
    period: Period | None
    value: float | None
    display: str | None
    numerator: int | float | None
    denominator: int | float | None
    target: int | float | None
    target_display: str | None
    previous_year_value: float | None
    previous_year_display: str | None
    comparator_value: float | None
    """The figure the direction of travel compares with (None when there is none)."""
    comparator_display: str | None
    """That figure as printed, like ``display`` ("22"; "£1,508")."""
    comparator_period: Period | None
    """What the direction of travel compares with: the period before or the same period a year before,
    or for ``previous_year`` the financial year whose outturn it is (that year's 12-month period);
    None without a current result. The render layer names it."""
    rag: Rag | None
    travel: Travel | None
    """Direction of travel against the comparator (the JSON's ``direction``)."""
    status: Status
    underlying: str | None
    comment: str
    action: str
    trend: tuple[TrendPoint, ...]
    spc: Spc | None = None
    """Present when SPC is switched on for the measure and it has two or more points."""
    not_available: NotAvailable | None = None
    """The latest period due, marked not available, and why (status ``not-available``)."""
    due_date: date | None = None
    """When the next result is due: for an overdue measure, when the missing one was due."""
    overdue_period: Period | None = None
    """The latest period due without a result (None unless overdue or without any result)."""
    provisional: bool = False
    """The current result is marked provisional: it may be revised."""
    rating: RatingRules = NO_RULES
    """How the measure is rated in its report (Blue margin, amber rule)."""
    floor: int | float | None = None
    """The floor standard of the current result's year (with ``rating.floor``; None otherwise)."""
    floor_display: str | None = None
    """That floor as printed, like ``target_display``."""
    more_comparisons: tuple[Comparison, ...] = ()
    """The directions of travel after the first (``travel`` and ``comparator_*``), one for each further
    comparator of the measure's ``direction``, in its order; empty for a measure with one."""

    @property
    def comparisons(self) -> tuple[Comparison, ...]:
        """Every direction of travel of the measure, the first (``travel``, ``comparator_*``) first."""
        first = Comparison(
            self.measure.comparator, self.comparator_period, self.comparator_value, self.comparator_display, self.travel
        )
        return (first, *self.more_comparisons)

    target_key: str | None = None
    """The key of the measure's ``targets`` that set ``target`` (``2017/18``, ``2017/18 Q3``, ``2017-12``);
    None for a bare number or when no key covers the period."""
    previous_year_period: Period | None = None
    """The year whose outturn ``previous_year_value`` is: the year before the as-at date's, in the
    measure's years (the report's previous financial year, unless the measure has years of its own)."""
    benchmarks: Benchmarks | None = None
    """The measure against its comparator groups (None without ``benchmarks`` or benchmark figures)."""


@dataclass(frozen=True)
class Summary:
    """Counts for the report's summary line."""

    measures: int
    green: int
    amber: int
    red: int
    no_target: int
    no_data: int
    overdue: int
    not_available: int = 0
    data_only: int = 0
    """Measures for information only (no target, no RAG): counted apart from "without target"."""
    blue: int | None = None
    """Measures exceeding their target; None when no measure of the report has a Blue rule."""


@dataclass(frozen=True)
class Group:
    """A section of a report (title None when the report has no sections)."""

    title: str | None
    rows: tuple[MeasureResult, ...]


@dataclass(frozen=True)
class Change:
    """One change of one measure between the previous report date and this one."""

    measure: Measure
    number: int
    """The measure's row number in the report (1 for the first)."""
    kind: ChangeKind
    before: MeasureResult
    """The measure's row as at the previous report date."""
    after: MeasureResult
    """The measure's row as at this report's date."""
    due: Period | None = None
    """For ``overdue``: the period whose result is missing."""

    @property
    def old(self) -> str | None:
        """What changed, before: the RAG for ``rag``, the status otherwise (as in the JSON)."""
        return self.before.rag if self.kind is ChangeKind.RAG else self.before.status

    @property
    def new(self) -> str | None:
        return self.after.rag if self.kind is ChangeKind.RAG else self.after.status

    @property
    def movement(self) -> Travel | None:
        """For a RAG change: better or worse (None when either side has no RAG)."""
        if self.kind is not ChangeKind.RAG or self.before.rag is None or self.after.rag is None:
            return None
        return Travel.BETTER if self.after.rag.rank > self.before.rag.rank else Travel.WORSE


@dataclass(frozen=True)
class ReportResult:
    """A computed report: its heading facts, its rows in display order, and what changed."""

    report: Report
    organisation: str
    as_at: date
    current_year: FinancialYear
    previous_year: FinancialYear
    groups: tuple[Group, ...]
    summary: Summary
    changes: tuple[Change, ...] = ()
    """What changed since ``changes_since`` (see :mod:`ncc_scorecard.changes`)."""
    changes_since: date | None = None
    """The previous report date the changes compare with; None when not compared."""
    label_style: LabelStyle = "natural"
    """How every output names a period: the catalogue's ``period_labels`` (see :func:`~.periods.period_label`)."""
    names: RatingNames = RatingNames()
    """The words the report prints for its ratings, where the catalogue names them (``rating.names``)."""

    @property
    def rows(self) -> tuple[MeasureResult, ...]:
        return tuple(row for group in self.groups for row in group.rows)

    @property
    def start_month(self) -> int:
        """The first month of the financial year."""
        return self.current_year.start_month


@dataclass(frozen=True)
class HistoryPoint:
    """One period of a measure's history, judged against that period's target."""

    period: Period
    value: float
    display: str
    numerator: int | float | None
    denominator: int | float | None
    target: int | float | None
    target_display: str | None
    rag: Rag | None
    comment: str
    action: str
    provisional: bool = False
    """Marked provisional in its result file: it may be revised."""


@dataclass(frozen=True)
class GroupFigure:
    """One comparator group's figure for the benchmark period, against ours."""

    id: str
    name: str
    value: float | None
    """The published figure (a group with ``code``), or the mean of its areas' figures (``codes``)."""
    display: str | None
    mean_of: int | None
    """For a mean: how many areas had a figure; None for a published figure."""
    difference: float | None
    """Ours minus the group's (None when either is missing)."""
    difference_display: str | None
    comparison: Travel | None
    """Ours against the group's, by polarity: better, same or worse (rounded figures, as printed)."""
    series: tuple[tuple[Period, float], ...] = ()
    """The group's figure for every benchmark period up to the benchmark period, in order (for charts)."""


@dataclass(frozen=True)
class AreaFigure:
    """One area's figure for the benchmark period (a neighbour, or ours)."""

    code: str
    name: str
    value: float
    display: str
    rank: int
    """Its rank among the group's areas and ours (ties share a rank)."""
    ours: bool = False


@dataclass(frozen=True)
class Benchmarks:
    """A measure against its comparator groups, for the latest benchmark period that ended by its
    current result's period."""

    period: Period
    ours: float | None
    """Our figure for that period: our area's row of the benchmark files, else our result for it."""
    ours_display: str | None
    groups: tuple[GroupFigure, ...]
    rank: int | None
    """Our rank among every local area with a figure (1 = best by polarity; ties share a rank)."""
    rank_of: int | None
    neighbour_rank: int | None
    """Our rank among us and the areas of the first chosen group with ``codes``."""
    neighbour_rank_of: int | None
    quartile: str | None
    """A (best quarter) to D, from ``rank`` of ``rank_of``."""
    neighbours: tuple[AreaFigure, ...] = ()
    """Us and the areas of that group with a figure, best first (for the ranked chart)."""
