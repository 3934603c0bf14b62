"""The ``measures.yaml`` schema: organisation, reports, measures and targets.

Every key is a pydantic field with a docstring; unknown keys are refused. Problems are
reported with the YAML line they come from (``measures.yaml:12: measures[3].polarity: …``).
"""

from __future__ import annotations

import difflib
import math
import re
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal, cast, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    Strict,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from .numbers import out_of_range
from .periods import (
    ACADEMIC_START,
    CALENDAR_START,
    FREQUENCIES,
    FinancialYear,
    Frequency,
    LabelStyle,
    Lag,
    Period,
    PeriodError,
    Years,
    parse_financial_year,
    parse_lag,
)
from .problems import Problem, Severity, outside_project, unreadable
from .targets import covering_key, target_period
from .yamlfile import line_of, load_yaml

Slug = Annotated[str, Field(pattern=r"^[a-z0-9-]+$", min_length=1)]
RESERVED_REPORT_IDS = ("index", "latest", "measures", "site")
"""Names the portal gives its own pages and folders (``2017-12-31/index.html``, ``latest/``,
``measures/``, ``out/site/``): a report named so would overwrite one of them."""


def _lag(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError("lag must be like 30 days, 2 months or 1 quarter (or 0)")
    try:
        parse_lag(value)
    except PeriodError as exc:
        raise ValueError(str(exc)) from None
    return value


LagText = Annotated[str | int, BeforeValidator(_lag)]


def _label(value: Any) -> Any:
    """A label written as a number (``appendix: 2``) is its text; a blank one is refused."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str) and not value.strip():
        raise ValueError("appendix must not be blank: give a letter (B), a number or a label (Annex 1)")
    return value


Comparator = Literal["previous_period", "same_period_last_year", "previous_year"]
COMPARATORS: tuple[str, ...] = get_args(Comparator)


def _directions(value: Any) -> Any:
    """``direction``: one comparator, or a list of different ones (each a column of its own)."""
    values = list(value) if isinstance(value, (list, tuple)) else [value]
    choices = ", ".join(COMPARATORS[:-1]) + f" or {COMPARATORS[-1]}"
    if not values:
        raise ValueError(f"direction must name at least one of {choices}")
    for item in values:
        if not isinstance(item, str) or item not in COMPARATORS:
            raise ValueError(f"direction must be {choices}, or a list of them (got {item!r})")
    twice = next((item for i, item in enumerate(values) if item in values[:i]), None)
    if twice is not None:
        raise ValueError(f"direction lists {twice} twice: each comparator gives a column of its own, so name it once")
    return tuple(values)


# numbers as YAML writes them; true/false and quoted text are not numbers (the YAML loader refuses
# one too large to compute with, at its line)
Number = Annotated[int, Strict()] | Annotated[float, Strict()]

UNIT_LABELS = {
    "percentage": "%",
    "number": "Number",
    "days": "Days",
    "weeks": "Weeks",
    "score": "Score",
    "currency": "£",
}
UNDERLYING_FIELDS = ("numerator", "denominator")
BENCHMARK_FIELDS = ("rank", "neighbour_rank", "quartile")
"""Placeholders of a measure with benchmarks, beside one per comparator group (``{england}``)."""
BENCHMARK_COLUMNS = ("rank", "neighbour_rank", "quartile")
"""Appendix columns a report may show besides one per comparator group."""
MAX_REPORT_MEASURES = 500
"""The most measures one report may show: its PDF takes about 0.8 MB of memory and 0.08 s per
measure to render (500: about 500 MB and 40 s)."""
DEFAULT_CURRENCY = "£"
_CURRENCY_RE = re.compile(r"^[^\d\s.,%+\-−]{1,4}$")
_TOLERANCE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*%\s*$")


YearType = Literal["financial", "calendar", "academic"]
SpcRuleSet = Literal["mdc", "ptd-0.2"]
"""``mdc``: NHS England's Making Data Count rules as published since 2023; ``ptd-0.2``: NHSRplotthedots v0.2.2."""
PeriodKey = Annotated[str, Field(pattern=r"^\d{4}-(\d{2}|W\d{2})$")]
"""A period by its first month (``2018-04``) or ISO week (``2024-W05``)."""
_YEAR_STARTS = {"calendar": CALENDAR_START, "academic": ACADEMIC_START}


def own_start(year_type: Any, year_start_month: Any) -> int | None:
    """The first month of a measure's own years (``year``, ``year_start_month``); None for the
    catalogue's financial years."""
    if isinstance(year_start_month, int) and not isinstance(year_start_month, bool):
        return year_start_month
    return _YEAR_STARTS.get(year_type) if isinstance(year_type, str) else None


def survey_start(text: str, calendar: bool = False) -> int:
    """The calendar year a ``survey_year`` starts in: ``2023/24`` gives 2023; in calendar years it is
    written ``2023``."""
    if not calendar:
        return parse_financial_year(text).first_year
    if not re.fullmatch(r"\d{4}", text.strip()):
        raise PeriodError(f"'{text}' is not a calendar year like 2023: this measure's years are calendar years")
    return int(text)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True, allow_inf_nan=False)


ByYear = Number | dict[str, Number | None]
"""A figure by financial year (``2017/18: 22``), or a bare number for every year: targets and floors."""


def check_by_year(value: Any, name: str, singular: str) -> Any:
    """A number or financial years with numbers (``targets``, ``floor``): one clear message for anything
    else, and each year key checked."""
    if value is not None and not isinstance(value, (int, float, dict)):
        raise ValueError(f"{name} must be a number or financial years with numbers, like {{2017/18: 22}}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number (got {value})")
    if isinstance(value, dict):
        for year in value:
            try:
                parse_financial_year(str(year))
            except PeriodError as exc:
                raise ValueError(f"{singular} year {exc}") from None
    return value


def for_year(setting: ByYear | None, year: FinancialYear) -> Number | None:
    """The figure of a financial year from a by-year setting (targets, floor), or None."""
    if setting is None or isinstance(setting, (int, float)):
        return setting
    for key, figure in setting.items():
        if parse_financial_year(str(key), year.start_month) == year:
            return figure
    return None


def check_amount(value: Number | str, name: str) -> Number | str:
    """An amount of a target (``tolerance``, ``exceeding``): "5%" of it, or a number not below 0."""
    if isinstance(value, str):
        match = _TOLERANCE_RE.match(value)
        if not match:
            raise ValueError(f"{name} must be a number or a percentage of the target like '5%'")
        if out_of_range(Decimal(match.group(1))):
            raise ValueError(f"{name} is too large a percentage")
    elif value < 0:
        raise ValueError(f"{name} must not be negative")
    return value


def amount_of(setting: Number | str, target: Decimal) -> Decimal:
    """An amount (``tolerance``, ``exceeding``) in the target's terms: "5%" of the target, or the number."""
    if isinstance(setting, str):  # "5%", checked when the catalogue was read
        return abs(target) * Decimal(setting.strip().removesuffix("%").strip()) / 100
    return Decimal(str(setting))


def _name(value: Any) -> Any:
    """A rating's words, without spaces around them; blank is refused."""
    if isinstance(value, str) and not value.strip():
        raise ValueError("a rating name must not be blank: give the words to print, like 'On target'")
    return value.strip() if isinstance(value, str) else value


RatingName = Annotated[str, BeforeValidator(_name)]


class RatingNames(_Model):
    """The words printed for each rating instead of Green, Amber, Red and Blue; the symbols, colours
    and the JSON's values stay the same."""

    green: RatingName | None = None
    """The word for green (meets or beats the target), like "On target"."""
    amber: RatingName | None = None
    """The word for amber, like "Close to target"."""
    red: RatingName | None = None
    """The word for red, like "Off target"."""
    blue: RatingName | None = None
    """The word for blue (beats the target by more than ``exceeding``), like "Exceeding"."""

    @model_validator(mode="after")
    def _distinct(self) -> RatingNames:
        check_distinct_names(self)
        return self


def check_distinct_names(names: RatingNames) -> None:
    """Two ratings with the same word could only be told apart by colour and symbol: an error."""
    seen: dict[str, str] = {}
    for rating, word in names.model_dump().items():
        if word is None:
            continue
        other = seen.setdefault(" ".join(word.split()).casefold(), rating)
        if other != rating:
            raise ValueError(f"{other} and {rating} are both named '{word}': each rating needs its own words")


class Rating(_Model):
    """Rating rules beyond a fixed amber band, on a measure, a report or ``defaults``. Each key is taken
    from the measure, else its report, else ``defaults``."""

    exceeding: Number | str | None = None
    """Blue ("exceeding target") when a result beats the target by more than this: "5%" of the target or
    an absolute number, as ``tolerance`` is written."""
    amber: Literal["tolerance", "improved"] | None = None
    """What makes a miss amber: ``tolerance`` (default) a miss within the measure's tolerance; ``improved``
    also a miss that is better than the figure its direction of travel compares with."""
    floor: ByYear | None = None
    """A measure's floor standard, by financial year like its targets: amber when a result meets the floor
    but not the target, red below the floor (instead of a tolerance)."""
    names: RatingNames | None = None
    """The words printed for green, amber, red and blue (a report's or ``defaults`` only)."""

    @field_validator("exceeding")
    @classmethod
    def _exceeding(cls, value: Number | str | None) -> Number | str | None:
        return None if value is None else check_amount(value, "exceeding")

    @field_validator("floor", mode="before")  # before: one clear message, not one per union member
    @classmethod
    def _floor(cls, value: Any) -> Any:
        return check_by_year(value, "floor", "floor")


@dataclass(frozen=True)
class RatingRules:
    """How a measure is rated in a report, resolved from the measure, its report and ``defaults``."""

    exceeding: Number | str | None = None
    """Blue beyond this margin over the target (None: no Blue)."""
    amber: Literal["tolerance", "improved", "floor"] = "tolerance"
    """What makes a miss amber: the tolerance; the tolerance or a result better than its comparator;
    or meeting the measure's floor."""

    def exceeding_amount(self, target: Decimal) -> Decimal | None:
        """The Blue margin in the target's terms, or None without a Blue rule."""
        return None if self.exceeding is None else amount_of(self.exceeding, target)


NO_RULES = RatingRules()
"""Green, amber within the tolerance, red: the rating of a measure that sets no ``rating``."""


def check_measure_rating(rating: Rating, fields: Mapping[str, Any]) -> None:
    """A measure's own ``rating`` against its other keys (``fields``, those validated before it): none on a
    data-only measure; ``names`` belong to a report; a floor needs targets, takes the place of the
    tolerance and of ``amber``, and is not better than the target of its year."""
    polarity = fields.get("polarity")
    if polarity == "none":
        raise ValueError("a data-only measure (polarity: none) has no targets, so no rating")
    if rating.names is not None:
        raise ValueError("names are the words of a whole report: set them on the report or under defaults")
    if rating.floor is None:
        return
    tolerance = fields.get("tolerance", 0)
    if amount_of(tolerance, Decimal(100)) != 0:
        raise ValueError(
            f"a floor sets the amber band (the floor met, the target missed), so the measure takes no "
            f"tolerance (tolerance: {tolerance})"
        )
    if rating.amber is not None:
        raise ValueError(
            f"a floor decides amber itself (the floor met, the target missed): leave out amber: {rating.amber}"
        )
    if "targets" not in fields:
        return  # the targets are wrong: that is reported
    if fields["targets"] is None:
        raise ValueError("a floor needs targets: it is the standard below the target that is still amber")
    for label, target, floor in _floor_pairs(fields["targets"], rating.floor):
        if target is not None and floor is not None and (floor > target if polarity == "higher" else floor < target):
            side, where = ("above", "at or below") if polarity == "higher" else ("below", "at or above")
            raise ValueError(
                f"the floor{label} ({floor:g}) is {side} the target ({target:g}): a floor is the least that is "
                f"still amber, {where} the target where {polarity} is better"
            )


def _floor_pairs(targets: ByYear, floor: ByYear) -> list[tuple[str, Number | None, Number | None]]:
    """(" for 2017/18", target, floor) for each year either names, or ("", target, floor) for bare numbers."""
    if not isinstance(targets, dict) and not isinstance(floor, dict):
        return [("", targets, floor)]
    keys = [key for setting in (targets, floor) if isinstance(setting, dict) for key in setting]
    years = {parse_financial_year(str(key)): str(key) for key in keys}
    return [(f" for {key}", for_year(targets, year), for_year(floor, year)) for year, key in years.items()]


class Area(_Model):
    """An area by its ONS code: the organisation's own, or a comparator published as one figure."""

    code: str = Field(pattern=r"^[A-Z][0-9]{8}$")
    """The area's ONS code (E06000057; England E92000001; a region E12000001)."""
    name: str
    """Its name as printed ("Northumberland", "England")."""


class RevisionNote(_Model):
    """A figure revised after publication, acknowledged: ``{measure: sw-caseload, period: 2017-11,
    note: Late return from the east locality}``."""

    measure: Slug
    """The measure whose published figure changed."""
    period: PeriodKey
    """The period of the changed result (``2017-11``; a quarter or year by its first month)."""
    note: Annotated[str, Field(min_length=1, max_length=500)]
    """Why it changed, for the record."""


class ComparatorGroup(_Model):
    """A comparator group: one published figure (``code``: England, a region) or the mean of the
    figures of several areas (``codes``: statistical neighbours)."""

    name: str
    """The group's name as printed ("England", "Statistical neighbours")."""
    code: str | None = Field(default=None, pattern=r"^[A-Z][0-9]{8}$")
    """The code of the area whose published figure is the group's."""
    codes: list[Annotated[str, Field(pattern=r"^[A-Z][0-9]{8}$")]] | None = Field(default=None, min_length=1)
    """The codes of the areas whose mean is the group's figure, and among which ``neighbour_rank`` ranks."""

    @model_validator(mode="after")
    def _one_kind(self) -> ComparatorGroup:
        if (self.code is None) == (self.codes is None):
            raise ValueError("a comparator group needs either `code` (a published figure) or `codes` (a mean)")
        return self


class BenchmarkSource(_Model):
    """A measure's column of a DfE Explore education statistics data file."""

    file: str
    """The file, relative to the project (``benchmarks/cla.csv``)."""
    column: str
    """The indicator column holding the measure's figure (``rate_per_10000``)."""
    filter: dict[str, str] = {}
    """Only rows whose columns hold these values (``{characteristic: Total}``)."""


class Measure(_Model):
    """One performance measure: what it counts, which way is better, and its targets."""

    id: Slug
    """A unique slug ([a-z0-9-]+) that result files use in their ``measure`` column."""
    title: str
    """The measure's name as the appendix prints it."""
    unit: Literal["percentage", "number", "rate", "days", "weeks", "score", "currency"]
    """What the value is measured in."""
    unit_label: str | None = None
    """The text of the Unit column; defaults to %, Number, Rate per N, Days, Weeks, Score or the currency symbol."""
    currency_symbol: str | None = None
    """For ``currency`` measures only: the symbol of this measure's figures, instead of the catalogue's."""
    per: int | None = Field(default=None, gt=0)
    """For ``rate`` measures only: the rate's base ("Rate per 10,000"), also its default multiplier."""
    polarity: Literal["higher", "lower", "none"]
    """Which direction is better."""
    frequency: Frequency
    """How often a result is due: weekly (ISO weeks, Monday to Sunday), monthly, quarterly, annual, or
    biennial (every second financial year, in step with ``survey_year``)."""
    year_type: YearType | None = Field(default=None, alias="year")
    """The years the measure is counted in (the catalogue key ``year``): ``financial`` (the catalogue's
    ``year_start_month``; the default), ``calendar`` (January to December, as recorded crime is) or
    ``academic`` (September to August, as school results are). They decide its annual periods, the
    years its targets are keyed by (``2023``; ``2022/23``), its previous-year outturn, the span of its
    monthly trend and its year labels (``2023``; ``2022/23 (academic)``)."""
    year_start_month: int | None = Field(default=None, ge=1, le=12)
    """The first month of the measure's years (1 to 12), instead of ``year``: 1 counts it in calendar
    years, 9 in academic years."""
    survey_year: str | None = None
    """For biennial measures only, and required for them: a year the measure has a result for
    (``2023/24``; ``2023`` in calendar years); its results are for that year and every second year
    before and after it."""
    decimals: int = Field(default=0, ge=0, le=6)
    """Display precision; RAG and direction compare values rounded to it."""
    targets: Number | dict[str, Number | None] | None = None
    """Targets by year (``2017/18: 22``), quarter (``2017/18 Q3: 20``) or month (``2017-12: 19``), in the
    measure's years; a period's target is that of the most specific key covering it (a month's, else
    its quarter's, else its year's). A bare number means every period."""
    tolerance: Number | str = 0
    """Amber band: ``"5%"`` of the target or an absolute number; 0 means no amber."""
    rating: Rating | None = None
    """Rating rules beyond the tolerance (``exceeding``, ``amber``, ``floor``); keys it leaves out come
    from the report, else ``defaults``."""
    comparators: Annotated[tuple[Comparator, ...], BeforeValidator(_directions)] = Field(
        default=("previous_period",), alias="direction"
    )
    """What the direction of travel compares the current value with (the catalogue key ``direction``):
    one comparator, or a list of up to three different ones, each with its own Direction of Travel
    column; the first is the measure's direction of travel (:attr:`comparator`)."""
    outturn: Literal["latest", "sum", "mean", "ratio"] = "latest"
    """How a year's figure is derived from its periods when no explicit year row is given."""
    multiplier: Number | None = None
    """value = numerator / denominator × multiplier; default 100 for percentages, ``per`` for rates, else 1."""
    underlying: str | None = None
    """A sentence printed as "Underlying data: …", with {numerator} and {denominator} filled in."""
    owner: str | None = None
    """Who supplies the result (a service or officer); shown in lists of results due."""
    min: Number | None = None
    """The smallest value a result can have; a result below it is an error (percentages: 0)."""
    max: Number | None = None
    """The largest value a result can have; a result above it is an error (percentages: 100)."""
    spc: bool | None = None
    """Show statistical process control (XmR variation and assurance); default from the report or defaults."""
    lag: LagText | None = None
    """How long after a period ends its result is due ("30 days", "2 months", "1 quarter"); default
    from the report or ``defaults`` (0: due when the period ends)."""
    spc_baseline: int | None = Field(default=None, ge=2)
    """SPC: the first N points fix the mean and process limits."""
    spc_rebase: list[PeriodKey] = []
    """SPC: periods (2018-04; a week 2024-W05) where the process changed and new limits start."""
    spc_rules: SpcRuleSet | None = None
    """SPC: the rule set, ``mdc`` or ``ptd-0.2``; default the report's, else ``defaults`` (``mdc``)."""
    spc_run_length: Literal[6, 7] | None = None
    """SPC: points in a shift or a trend, 7 or 6; default the report's, else ``defaults`` (7)."""
    spc_exclude: list[PeriodKey] = []
    """SPC: periods left out of the mean, the limits and the rules (drawn and marked), such as the
    pandemic months: ``['2020-04', '2020-05']``."""
    annotations: dict[PeriodKey, Annotated[str, Field(min_length=1, max_length=200)]] = {}
    """Notes on the history by period (``2018-04: New triage process``): a labelled marker on the
    portal's chart and a note in its history table."""
    benchmarks: list[Slug] | None = None
    """The comparator groups (ids of the catalogue's ``comparators``) to compare this measure with;
    default the report's ``benchmarks`` (none)."""
    benchmark_source: BenchmarkSource | None = None
    """Where this measure's benchmark figures are in a DfE Explore education statistics data file
    (instead of, or besides, rows of the tidy ``benchmarks/*.csv`` files)."""

    _catalogue_currency: str = PrivateAttr(default=DEFAULT_CURRENCY)
    """The catalogue's ``currency_symbol`` (set by :class:`Catalogue`)."""
    _financial_start: int = PrivateAttr(default=4)
    """The catalogue's ``year_start_month`` (set by :class:`Catalogue`)."""
    _derived: dict[str, Any] = PrivateAttr(default_factory=dict)
    """What :attr:`years`, :meth:`target_periods` and :attr:`profiled` give, worked out once (:meth:`_once`):
    a measure is frozen, and a copy (:meth:`model_copy`) or a catalogue taking it in
    (:meth:`in_catalogue`) starts afresh."""

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Measure:
        copied = super().model_copy(update=update, deep=deep)
        copied._derived = {}
        return copied

    def in_catalogue(self, currency_symbol: str, financial_start: int) -> None:
        """Take the catalogue's currency symbol and first month of the financial year."""
        self._catalogue_currency = currency_symbol
        self._financial_start = financial_start
        self._derived = {}

    def _private(self) -> dict[str, Any]:
        """The private attributes, read directly: pydantic's own lookup of one costs a microsecond or
        two, and :attr:`years` and :attr:`currency` are read for every row of every result file."""
        return cast("dict[str, Any]", self.__pydantic_private__)

    def _once(self, name: str, make: Callable[[], Any]) -> Any:
        """What ``make`` gives, made the first time ``name`` is asked for."""
        derived = self._private()["_derived"]
        if name not in derived:
            derived[name] = make()
        return derived[name]

    @field_validator("currency_symbol")
    @classmethod
    def _currency_symbol(cls, value: str | None) -> str | None:
        return None if value is None else check_currency_symbol(value)

    @field_validator("tolerance")
    @classmethod
    def _tolerance(cls, value: Number | str) -> Number | str:
        return check_amount(value, "tolerance")

    @field_validator("targets", mode="before")  # before: one clear message, not one per union member
    @classmethod
    def _targets(cls, value: Any) -> Any:
        if value is not None and not isinstance(value, (int, float, dict)):
            raise ValueError("targets must be a number or financial years with numbers, like {2017/18: 22}")
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"targets must be a finite number (got {value})")
        if isinstance(value, dict):  # the keys are checked against the measure's years: see _target_keys
            return {str(key): target for key, target in value.items()}
        return value

    @field_validator("rating")
    @classmethod
    def _rating(cls, rating: Rating | None, info: ValidationInfo) -> Rating | None:
        if rating is not None:
            check_measure_rating(rating, info.data)
        return rating

    @field_validator("survey_year", mode="before")  # before: one clear message for a number too
    @classmethod
    def _survey_year(cls, value: Any, info: ValidationInfo) -> Any:
        if value is not None:
            calendar = own_start(info.data.get("year_type"), info.data.get("year_start_month")) == CALENDAR_START
            try:
                survey_start(str(value), calendar)
            except PeriodError as exc:
                raise ValueError(f"survey_year {exc}") from None
            return str(value)
        return value

    @field_validator("year_start_month")
    @classmethod
    def _one_year_start(cls, value: int | None, info: ValidationInfo) -> int | None:
        if value is not None and info.data.get("year_type") is not None:
            raise ValueError("give `year` or `year_start_month`, not both: each says when the measure's years start")
        return value

    @field_validator("comparators")
    @classmethod
    def _one_comparison_a_year(cls, value: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        frequency = info.data.get("frequency")
        if len(value) > 1 and frequency == "biennial":
            raise ValueError(
                "a biennial measure is always compared with the result before, two years earlier, so it "
                "takes one direction, not a list"
            )
        if len(value) > 1 and frequency == "annual":
            raise ValueError(
                "for an annual measure the period before, the same period last year and the previous year's "
                "outturn are all the year before: give one direction, not a list"
            )
        return value

    @property
    def comparator(self) -> str:
        """The first comparator of ``direction``: what the measure's direction of travel (the JSON's
        ``direction``) compares with."""
        return self.comparators[0]

    @field_validator("underlying")
    @classmethod
    def _underlying(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return value
        try:
            fields = [(name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(value)]
        except ValueError as exc:
            raise ValueError(f"underlying sentence cannot be read: {exc}") from None
        names = [name for name, _, _ in fields if name is not None]
        for name, spec, conversion in fields:
            if name is not None and (spec or conversion):
                written = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
                raise ValueError(
                    f"underlying sentence writes {written}; a placeholder takes no format: write {{{name}}}, "
                    "which prints the figure as the result file gives it"
                )
        benchmark_names = tuple((info.context or {}).get("placeholders", ()))
        for name in names:
            if name not in UNDERLYING_FIELDS + benchmark_names:
                allowed = " and ".join(
                    ", ".join(f"{{{n}}}" for n in UNDERLYING_FIELDS + benchmark_names).rsplit(", ", 1)
                )
                raise ValueError(f"underlying sentence names {{{name}}}; only {allowed} can be filled in")
        return value

    @model_validator(mode="after")
    def _data_only(self) -> Measure:
        if self.polarity == "none" and self.targets is not None:
            raise ValueError("a data-only measure (polarity: none) has no better direction, so no targets")
        if self.polarity == "none" and self.tolerance not in (0, "0", "0%"):
            raise ValueError("a data-only measure (polarity: none) has no targets, so no tolerance")
        return self

    @property
    def data_only(self) -> bool:
        """A context figure with no better direction (``polarity: none``): no RAG, no assurance."""
        return self.polarity == "none"

    @model_validator(mode="after")
    def _bounds(self) -> Measure:
        if self.min is not None and self.max is not None and self.min >= self.max:
            raise ValueError(f"min ({self.min:g}) must be below max ({self.max:g})")
        return self

    @model_validator(mode="after")
    def _per(self) -> Measure:
        if self.unit == "rate" and self.per is None and self.multiplier is None:
            raise ValueError("a rate measure needs `per` (e.g. per: 10000)")
        if self.unit != "rate" and self.per is not None:
            raise ValueError("`per` is only for rate measures")
        if self.unit != "currency" and self.currency_symbol is not None:
            raise ValueError("`currency_symbol` is only for currency measures")
        return self

    @model_validator(mode="after")
    def _survey(self) -> Measure:
        if self.frequency == "biennial" and self.survey_year is None:
            raise ValueError(
                "a biennial measure needs `survey_year`: a financial year it has a result for, like 2023/24 "
                "(its results are for every second year in step with it)"
            )
        if self.frequency != "biennial" and self.survey_year is not None:
            raise ValueError("`survey_year` is only for biennial measures")
        return self

    @property
    def label(self) -> str:
        """The text of the Unit column."""
        if self.unit_label is not None:
            return self.unit_label
        if self.unit == "rate":
            return f"Rate per {self.per:,}" if self.per else "Rate"
        return self.currency or UNIT_LABELS[self.unit]

    @property
    def currency(self) -> str | None:
        """The currency symbol of a currency measure's figures ("£"); None for every other unit."""
        if self.unit != "currency":
            return None
        return self.currency_symbol or self._private()["_catalogue_currency"]

    @property
    def factor(self) -> float:
        """The multiplier applied to numerator / denominator."""
        if self.multiplier is not None:
            return self.multiplier
        if self.unit == "percentage":
            return 100
        if self.unit == "rate" and self.per:
            return self.per
        return 1

    @property
    def survey_year_start(self) -> int | None:
        """The calendar year ``survey_year`` starts in (2023 for 2023/24); None for other frequencies."""
        if self.survey_year is None:
            return None
        return survey_start(self.survey_year, own_start(self.year_type, self.year_start_month) == CALENDAR_START)

    @property
    def years(self) -> Years:
        """The years the measure is counted in: its own (``year``, ``year_start_month``), else the
        catalogue's financial years."""
        return cast(Years, self._once("years", lambda: self.years_in(self._private()["_financial_start"])))

    def years_in(self, financial_start: int) -> Years:
        """The measure's years in a report whose financial years start in ``financial_start``."""
        start = own_start(self.year_type, self.year_start_month)
        return Years(financial_start if start is None else start, financial_start)

    @property
    def profiled(self) -> bool:
        """Whether some targets are by quarter or month (a profile or trajectory within the year)."""
        return cast(bool, self._once("profiled", lambda: any(c.months < 12 for _, c in self.target_periods())))

    @property
    def bounds(self) -> tuple[float | None, float | None]:
        """The smallest and largest possible value: ``min``/``max``, for a percentage 0 and 100 by default."""
        low, high = (0, 100) if self.unit == "percentage" else (None, None)
        return (self.min if self.min is not None else low), (self.max if self.max is not None else high)

    def target_for(self, period: Period) -> Number | None:
        """The target of the period a result is for, or None: the bare number, else the target of the
        most specific key covering the period (:meth:`target_key`)."""
        if self.targets is None or isinstance(self.targets, (int, float)):
            return self.targets
        key = self.target_key(period)
        return None if key is None else self.targets[key]

    def target_key(self, period: Period) -> str | None:
        """The key of ``targets`` that sets a period's target: of those covering it, a month's, else a
        quarter's, else a year's; a week is counted in the month holding its Thursday. None when no key
        covers it (or targets are not by period)."""
        return covering_key(self.target_periods(), period)

    def target_periods(self) -> list[tuple[str, Period]]:
        """Each key of ``targets`` and the period it covers in the measure's years (a month key of a
        quarterly measure names the quarter it starts)."""
        if not isinstance(self.targets, dict):
            return []
        targets = self.targets
        return list(
            self._once("target_periods", lambda: [(k, target_period(k, self.frequency, self.years)) for k in targets])
        )

    @property
    def floor(self) -> ByYear | None:
        """The measure's floor standard (``rating.floor``), or None."""
        return self.rating.floor if self.rating is not None else None

    def floor_for(self, period: Period) -> Number | None:
        """The floor standard of the year holding a period (in the measure's years), or None."""
        return for_year(self.floor, self.years.year_of(period))

    def tolerance_amount(self, target: Decimal) -> Decimal:
        """The tolerance as an absolute amount for a given target."""
        return amount_of(self.tolerance, target)


def check_currency_symbol(value: str) -> str:
    """A currency symbol: one to four characters, none of them a digit, space, sign, point, comma or %."""
    if not _CURRENCY_RE.match(value):
        raise ValueError(
            "currency_symbol must be 1 to 4 characters with no digits, spaces, signs, points, commas or % (like '£')"
        )
    return value


class Section(_Model):
    """A titled group of measures within a report."""

    title: str
    """The section's heading row."""
    measures: list[Slug] = Field(min_length=1)
    """Measure ids, in display order."""


class Report(_Model):
    """One appendix: a title and the measures it shows, in order."""

    id: Slug
    """A slug ([a-z0-9-]+) that names the output files."""
    title: str
    """The report's title, e.g. "Children's Safeguarding"."""
    appendix: Annotated[str, BeforeValidator(_label)] | None = None
    """Optional label of the appendix: a bare letter or number (``B``, ``2``) gives the heading
    "Appendix B: …"; any other label (``Annex 1``, ``Appendix A``) is printed as written."""
    measures: list[Slug] | None = None
    """Measure ids in display order (or use ``sections``)."""
    sections: list[Section] | None = None
    """Titled groups of measures, instead of ``measures``."""
    spc: bool | None = None
    """Show SPC variation and assurance for this report's measures (unless a measure says otherwise)."""
    spc_rules: SpcRuleSet | None = None
    """SPC rule set of this report's measures (``mdc`` or ``ptd-0.2``), unless a measure sets its own."""
    spc_run_length: Literal[6, 7] | None = None
    """SPC run length (7 or 6) of this report's measures, unless a measure sets its own."""
    lag: LagText | None = None
    """The reporting lag of this report's measures, unless a measure sets its own."""
    rating: Rating | None = None
    """Rating rules (``exceeding``, ``amber``, ``names``) of this report's measures, key by key unless a
    measure sets its own."""
    benchmarks: list[Slug] | None = None
    """The comparator groups to compare this report's measures with, unless a measure names its own."""
    benchmark_columns: list[Slug] = []
    """Benchmark columns of the appendix, after Direction of Travel, in order: a comparator group's id
    (its figure), ``rank`` ("87th of 152"), ``neighbour_rank`` ("6th of 11"), ``quartile`` (A–D)."""

    @field_validator("rating")
    @classmethod
    def _rating(cls, rating: Rating | None) -> Rating | None:
        return check_shared_rating(rating)

    @field_validator("id")
    @classmethod
    def _not_reserved(cls, value: str) -> str:
        if value in RESERVED_REPORT_IDS:
            names = ", ".join(RESERVED_REPORT_IDS)
            raise ValueError(f"'{value}' names the portal's own pages and folders ({names}): choose another id")
        return value

    @model_validator(mode="after")
    def _one_list(self) -> Report:
        if (self.measures is None) == (self.sections is None):
            raise ValueError("a report needs either `measures` or `sections` (one of them)")
        if self.measures is not None and not self.measures:
            raise ValueError("a report needs at least one measure")
        count = len(self.measure_ids)
        if count > MAX_REPORT_MEASURES:
            raise ValueError(
                f"the report shows {count:,} measures, more than the {MAX_REPORT_MEASURES} a report may show "
                "(a PDF takes about 1 MB of memory for each): split it into several reports"
            )
        return self

    @property
    def groups(self) -> list[tuple[str | None, list[str]]]:
        """(section title or None, measure ids) in display order."""
        if self.sections is not None:
            return [(section.title, list(section.measures)) for section in self.sections]
        return [(None, list(self.measures or []))]

    @property
    def measure_ids(self) -> list[str]:
        return [measure_id for _, ids in self.groups for measure_id in ids]


class Defaults(_Model):
    """Settings that apply to every report and measure unless they say otherwise."""

    spc: bool = False
    """Show SPC variation and assurance beside RAG."""
    spc_rules: SpcRuleSet = "mdc"
    """The SPC rule set: ``mdc``, NHS England's Making Data Count rules as published since 2023, or
    ``ptd-0.2``, NHSRplotthedots v0.2.2 (where points beyond the process limits do not count toward
    two-in-three)."""
    spc_run_length: Literal[6, 7] = 7
    """Points in an SPC shift or trend: 7, or 6 as the Making Data Count Excel tool allows."""
    lag: LagText = 0
    """The reporting lag of every measure unless a measure or its report sets one (0: none)."""
    rating: Rating | None = None
    """Rating rules (``exceeding``, ``amber``, ``names``) of every measure, key by key unless a measure or
    its report sets its own."""

    @field_validator("rating")
    @classmethod
    def _rating(cls, rating: Rating | None) -> Rating | None:
        return check_shared_rating(rating)


def check_shared_rating(rating: Rating | None) -> Rating | None:
    """A report's or ``defaults``' rating: a floor is a figure of one measure, like its targets."""
    if rating is not None and rating.floor is not None:
        raise ValueError("a floor is a measure's own standard, like its targets: set it on the measure")
    return rating


class Catalogue(_Model):
    """The whole ``measures.yaml``."""

    organisation: str
    """The council's name, printed on every report."""
    year_start_month: int = Field(default=4, ge=1, le=12)
    """The first month of the financial year (4 = April)."""
    period_labels: LabelStyle = "natural"
    """How every output names a period: ``natural`` says what it covers (``Dec 2017``, ``Oct–Dec 2017``
    for a quarter, ``2017/18`` for a year); ``first-month`` names it by its first month, as NCC's
    published appendices do (``Dec 2017``, ``Oct 2017``, ``Apr 2017``)."""
    reports: list[Report] = Field(min_length=1)
    """The reports (appendices) to build."""
    measures: list[Measure] = Field(min_length=1)
    """Every measure the reports show."""
    defaults: Defaults = Defaults()
    """Defaults for every report and measure (``spc``)."""
    currency_symbol: str = DEFAULT_CURRENCY
    """The symbol of currency measures' figures ("£1,508"), also accepted before a figure in result files."""
    area: Area | None = None
    """The organisation's own area, whose figures the benchmarks rank (``{code: E06000057, name: …}``)."""
    comparators: dict[Slug, ComparatorGroup] = {}
    """Comparator groups by id (``england``, ``region``, ``neighbours``): benchmarks to compare with."""
    revisions: list[RevisionNote] = []
    """Published figures known to have been revised since (``publish``), each with its note: they
    are listed but no longer warned about."""

    _by_id: dict[str, Measure] = PrivateAttr(default_factory=dict)
    _positions: dict[str, int] = PrivateAttr(default_factory=dict)
    """Each measure's position in ``measures``, by id."""
    _showing: dict[str, list[Report]] = PrivateAttr(default_factory=dict)
    """The reports that show each measure, by measure id, in report order."""
    _source: tuple[Path, Any] = PrivateAttr(default=(Path("measures.yaml"), None))
    """The file it was read from and its YAML data (with the line of every key)."""

    @field_validator("currency_symbol")
    @classmethod
    def _currency_symbol(cls, value: str) -> str:
        return check_currency_symbol(value)

    def model_post_init(self, context: Any) -> None:
        self._by_id.update((measure.id, measure) for measure in self.measures)
        for position, measure in enumerate(self.measures):
            self._positions.setdefault(measure.id, position)
        for report in self.reports:
            for measure_id in dict.fromkeys(report.measure_ids):
                self._showing.setdefault(measure_id, []).append(report)
        for measure in self.measures:
            measure.in_catalogue(self.currency_symbol, self.year_start_month)

    def measure(self, measure_id: str) -> Measure:
        """The measure with this id (KeyError if there is none)."""
        return self._by_id[measure_id]

    def problem(self, loc: tuple[Any, ...], message: str, severity: Severity = "error") -> Problem:
        """A problem with the entry at ``loc`` (``("measures", 3, "targets")``), located at its line."""
        path, data = self._source
        return Problem(path, line_of(data, loc), f"{_dotted(loc)}: {message}", severity=severity)

    def index(self, measure: Measure) -> int:
        """The measure's position in ``measures`` (for locating it)."""
        position = self._positions.get(measure.id)
        if position is not None and self.measures[position] is measure:
            return position
        return self.measures.index(measure)

    def reports_of(self, measure: Measure) -> list[Report]:
        """The reports that show a measure."""
        return list(self._showing.get(measure.id, ()))

    def lag_for(self, measure: Measure, report: Report | None = None) -> Lag:
        """When a measure's results are due: its own ``lag``, else its report's (without a report: the
        first report showing it that sets one), else ``defaults``."""
        reports = [report] if report is not None else self.reports_of(measure)
        for setting in (measure.lag, *(r.lag for r in reports)):
            if setting is not None:
                return parse_lag(setting)
        return parse_lag(self.defaults.lag)

    def benchmarks_for(self, measure: Measure, report: Report | None = None) -> list[str]:
        """The comparator groups a measure is compared with: its own ``benchmarks``, else its report's."""
        if measure.benchmarks is not None:
            return list(measure.benchmarks)
        return list(report.benchmarks or []) if report is not None else []

    def rating_for(self, measure: Measure, report: Report | None = None) -> RatingRules:
        """How a measure is rated in a report: each ``rating`` key from the measure, else the report
        (without a report: the first report showing it that sets the key), else ``defaults``. A floor
        decides amber whatever the report says; a data-only measure is not rated."""
        if measure.data_only:
            return NO_RULES
        reports = [report] if report is not None else self.reports_of(measure)
        found = [r for r in (measure.rating, *(r.rating for r in reports), self.defaults.rating) if r is not None]
        exceeding = next((rating.exceeding for rating in found if rating.exceeding is not None), None)
        amber: Literal["tolerance", "improved"] = next((r.amber for r in found if r.amber is not None), "tolerance")
        return RatingRules(exceeding, "floor" if measure.floor is not None else amber)

    def names_for(self, report: Report) -> RatingNames:
        """The words of a report's ratings: each of the report's ``rating.names``, else that of ``defaults``."""
        words: dict[str, str | None] = {}
        for rating in (report.rating, self.defaults.rating):
            given = rating.names.model_dump() if rating is not None and rating.names is not None else {}
            words = {key: words.get(key) or given.get(key) for key in RatingNames.model_fields}
        return RatingNames.model_construct(None, **words)

    def spc_enabled(self, report: Report, measure: Measure) -> bool:
        """Whether SPC is shown for a measure in a report: the measure, else the report, else defaults."""
        for setting in (measure.spc, report.spc):
            if setting is not None:
                return setting
        return self.defaults.spc

    def spc_rules_for(self, report: Report, measure: Measure) -> tuple[SpcRuleSet, int]:
        """A measure's SPC rule set and run length in a report: the measure's, else the report's, else
        ``defaults``."""
        rules = measure.spc_rules or report.spc_rules or self.defaults.spc_rules
        run = measure.spc_run_length or report.spc_run_length or self.defaults.spc_run_length
        return rules, run


def load_catalogue(path: Path) -> tuple[Catalogue | None, list[Problem]]:
    """Read and check ``measures.yaml``; return it (None when invalid) and every problem found."""
    try:
        found = path.is_file()
    except OSError as exc:  # a folder the system will not look into
        return None, [unreadable(path, exc)]
    if not found:
        return None, [Problem(path, None, "not found: a scorecard project needs a measures.yaml")]
    outside = outside_project(path, path.parent)
    if outside is not None:
        return None, [outside]
    data, problems = load_yaml(path)
    if problems:
        return None, problems
    if not isinstance(data, dict):
        return None, [Problem(path, 1, "must be a mapping with organisation, reports and measures")]
    cross = _cross_check(path, data)  # on the raw data, so it runs even when the schema fails
    try:
        catalogue = Catalogue.model_validate(data, context={"placeholders": _placeholders(data)})
    except ValidationError as exc:
        # the members of a union (int | float) can each give the same message: print it once
        problems = list(dict.fromkeys(_problem(path, data, error) for error in exc.errors()))
        return None, sorted(problems + cross, key=lambda problem: problem.line or 0)
    catalogue._source = (path, data)
    cross += _names_problems(catalogue) + _benchmark_problems(catalogue)
    if cross:
        return None, cross
    return catalogue, []


def _placeholders(data: dict[str, Any]) -> tuple[str, ...]:
    """What an underlying sentence may name besides numerator and denominator: with comparator groups,
    each group's id and the rank and quartile."""
    groups = data.get("comparators")
    if not isinstance(groups, dict) or not groups:
        return ()
    return (*(str(key) for key in groups), *BENCHMARK_FIELDS)


def _benchmark_problems(catalogue: Catalogue) -> list[Problem]:
    """Benchmarks naming comparator groups that exist, and an ``area`` to compare once any is used."""
    groups = catalogue.comparators
    problems = []
    named: list[tuple[tuple[Any, ...], list[str], tuple[str, ...]]] = []
    for m, measure in enumerate(catalogue.measures):
        named.append((("measures", m, "benchmarks"), measure.benchmarks or [], ()))
    for r, report in enumerate(catalogue.reports):
        named.append((("reports", r, "benchmarks"), report.benchmarks or [], ()))
        named.append((("reports", r, "benchmark_columns"), report.benchmark_columns, BENCHMARK_COLUMNS))
    for loc, ids, extra in named:
        for i, group_id in enumerate(ids):
            if group_id not in groups and group_id not in extra:
                known = ", ".join((*groups, *extra)) or "none: add `comparators` to the catalogue"
                problems.append(
                    catalogue.problem((*loc, i), f"no comparator group '{group_id}'; the groups are {known}")
                )
    used = any(ids for _, ids, _ in named) or any(m.benchmark_source for m in catalogue.measures)
    if used and catalogue.area is None:
        problems.append(
            catalogue.problem(("organisation",), "benchmarks need the organisation's `area` (code and name)")
        )
    return problems


def _names_problems(catalogue: Catalogue) -> list[Problem]:
    """A report's rating names with those of ``defaults`` it keeps: no two ratings with the same words."""
    problems = []
    for r, report in enumerate(catalogue.reports):
        if report.rating is None or report.rating.names is None:
            continue
        try:
            check_distinct_names(catalogue.names_for(report))
        except ValueError as exc:
            problems.append(catalogue.problem(("reports", r, "rating", "names"), f"{exc} (with those of defaults)"))
    return problems


def _problem(path: Path, data: Any, error: Any) -> Problem:
    loc = tuple(error["loc"])
    # pydantic puts union member names into locations (``targets.dict[str,...]``): drop them
    loc = tuple(
        part for part in loc if not (isinstance(part, str) and ("[" in part or part in {"int", "float", "str"}))
    )
    where = _dotted(loc)
    if error["type"] == "extra_forbidden":
        message = f"unknown key '{loc[-1]}'"
        parent = _node(data, loc[:-1])
        known = _fields_for(loc[:-1])
        guess = difflib.get_close_matches(str(loc[-1]), known, n=1)
        if guess:
            message += f"; did you mean '{guess[0]}'?"
        elif known and parent is not None:
            message += f"; known keys: {', '.join(known)}"
    elif error["type"] == "missing":
        message = f"missing required key '{loc[-1]}'"
        where = _dotted(loc[:-1])
    else:
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] not in {"value_error", "assertion_error"} and "input" in error:
            shown = error["input"]
            if not isinstance(shown, (dict, list)):
                message += f" (got {shown!r})"
    prefix = f"{where}: " if where else ""
    return Problem(path, line_of(data, loc), prefix + message)


def _dotted(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _node(data: Any, loc: tuple[Any, ...]) -> Any:
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


_NESTED: dict[str, type[BaseModel]] = {
    "reports": Report,
    "measures": Measure,
    "sections": Section,
    "defaults": Defaults,
    "rating": Rating,
    "names": RatingNames,
}


def _fields_for(loc: tuple[Any, ...]) -> list[str]:
    model: type[BaseModel] = Catalogue
    for part in loc:
        if isinstance(part, int):
            continue
        nested = _NESTED.get(str(part))
        if nested is None:
            return []
        model = nested
    return [field.alias or name for name, field in model.model_fields.items()]


def _ids(items: Any) -> list[tuple[int, str]]:
    """(index, id) of the entries of a raw list that have a text id."""
    if not isinstance(items, list):
        return []
    return [
        (i, item["id"]) for i, item in enumerate(items) if isinstance(item, dict) and isinstance(item.get("id"), str)
    ]


def _cross_check(path: Path, data: Any) -> list[Problem]:
    """Rules across entries, on the raw YAML data: unique ids, reports naming known measures, and target
    keys in each measure's years (which the catalogue's ``year_start_month`` decides)."""
    problems: list[Problem] = []
    measures = _ids(data.get("measures"))
    problems += _duplicates(path, data, "measures", measures)
    problems += _duplicates(path, data, "reports", _ids(data.get("reports")))
    problems += _target_keys(path, data)
    known = {measure_id for _, measure_id in measures}
    notes = data.get("revisions") if isinstance(data.get("revisions"), list) else []
    for i, note in enumerate(notes):
        if isinstance(note, dict) and isinstance(note.get("measure"), str) and note["measure"] not in known:
            loc = ("revisions", i, "measure")
            problems.append(
                Problem(path, line_of(data, loc), f"{_dotted(loc)}: no measure '{note['measure']}' in the catalogue")
            )
    reports = data.get("reports") if isinstance(data.get("reports"), list) else []
    for r, report in enumerate(reports):
        if not isinstance(report, dict):
            continue
        lists: list[tuple[tuple[Any, ...], Any]] = [(("reports", r, "measures"), report.get("measures"))]
        sections = report.get("sections")
        if isinstance(sections, list):
            lists += [
                (("reports", r, "sections", s, "measures"), section.get("measures"))
                for s, section in enumerate(sections)
                if isinstance(section, dict)
            ]
        seen: set[str] = set()
        for prefix, ids in lists:
            for i, measure_id in enumerate(ids if isinstance(ids, list) else []):
                if not isinstance(measure_id, str):
                    continue
                loc = (*prefix, i)
                if measure_id not in known:
                    guess = difflib.get_close_matches(measure_id, sorted(known), n=1)
                    hint = f"; did you mean '{guess[0]}'?" if guess else ""
                    message = f"{_dotted(loc)}: no measure '{measure_id}' in the catalogue{hint}"
                    problems.append(Problem(path, line_of(data, loc), message))
                elif measure_id in seen:
                    message = f"{_dotted(loc)}: measure '{measure_id}' is listed twice in report '{report.get('id')}'"
                    problems.append(Problem(path, line_of(data, loc), message))
                seen.add(measure_id)
    return problems


def _target_keys(path: Path, data: Any) -> list[Problem]:
    """Each measure's target keys, each at its line: a year, quarter or month of the measure's years,
    fitting its frequency, and no two naming the same period. Measures whose frequency or years are
    themselves wrong are left to the schema's messages."""
    financial = data.get("year_start_month", 4)
    measures = data.get("measures")
    if type(financial) is not int or not 1 <= financial <= 12:
        return []
    problems = []
    for m, raw in enumerate(measures if isinstance(measures, list) else []):
        if not isinstance(raw, dict) or not isinstance(raw.get("targets"), dict):
            continue
        years = _raw_years(raw, financial)
        if years is None or raw.get("frequency") not in FREQUENCIES:
            continue
        seen: dict[Period, Any] = {}
        for key in raw["targets"]:
            loc = ("measures", m, "targets", key)
            try:
                covered = target_period(str(key), raw["frequency"], years)
            except PeriodError as exc:
                problems.append(Problem(path, line_of(data, loc), f"{_dotted(loc)}: {exc}"))
                continue
            if covered in seen:
                message = f"{_dotted(loc)}: target '{key}' names the same period as '{seen[covered]}' (line "
                problems.append(
                    Problem(path, line_of(data, loc), f"{message}{line_of(data, loc[:-1] + (seen[covered],))})")
                )
            seen.setdefault(covered, key)
    return problems


def _raw_years(raw: dict[str, Any], financial: int) -> Years | None:
    """The years of a measure as written (None when ``year`` or ``year_start_month`` is itself wrong)."""
    year_type, start_month = raw.get("year"), raw.get("year_start_month")
    if year_type is not None and (year_type not in ("financial", *_YEAR_STARTS) or start_month is not None):
        return None
    if start_month is not None and (type(start_month) is not int or not 1 <= start_month <= 12):
        return None
    start = own_start(year_type, start_month)
    return Years(financial if start is None else start, financial)


def _duplicates(path: Path, data: Any, key: str, ids: list[tuple[int, str]]) -> list[Problem]:
    first: dict[str, int] = {}
    problems = []
    for index, item_id in ids:
        if item_id in first:
            line = line_of(data, (key, index, "id"))
            first_line = line_of(data, (key, first[item_id], "id"))
            problems.append(
                Problem(path, line, f"{key}[{index}].id: duplicate id '{item_id}' (first used at line {first_line})")
            )
        else:
            first[item_id] = index
    return problems


__all__ = ["Catalogue", "Measure", "Report", "Section", "load_catalogue"]
