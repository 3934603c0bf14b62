"""Every word and symbol a reader sees for a computed value, defined once.

The calculator returns enums (:mod:`ncc_scorecard.model`); every output — appendix, portal,
changes list, JSON sentences — names them with these words. Colours are in :mod:`.palette`.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..catalogue import RatingNames
from ..model import ChangeKind, Rag, Status, Travel
from ..periods import YearKind

RAG_WORDS = {Rag.GREEN: "Green", Rag.AMBER: "Amber", Rag.RED: "Red", Rag.BLUE: "Blue"}
"""The word of each rating, unless a report's ``rating.names`` gives its own (:func:`rag_words`)."""
RAG_SYMBOLS = {Rag.GREEN: "●", Rag.AMBER: "◆", Rag.RED: "■", Rag.BLUE: "★"}
"""Shapes that repeat what the colour says (the chart draws the same shapes)."""
RAG_ORDER = (Rag.BLUE, Rag.GREEN, Rag.AMBER, Rag.RED)
"""Best first, as counts, keys and filters list them (Blue only where a measure has a Blue rule)."""
NO_RESULT = "No result"
NO_TARGET = "No target"
NO_SYMBOL = "–"
PROVISIONAL_MARK = "*"
PROVISIONAL_NOTE = "* Provisional figure: it may be revised when the final figure is available."
APPENDIX_WORD = "Appendix"
"""Put before a bare appendix letter or number: "Appendix B"."""
"""Printed for an absent judgement or figure."""

TRAVEL_WORDS = {
    Travel.BETTER: "Better",
    Travel.SAME: "Same",
    Travel.WORSE: "Worse",
    Travel.INCREASED: "Increased",
    Travel.DECREASED: "Decreased",
}
NO_CHANGE = "No change"
"""A data-only measure's "same": neither better nor worse."""
DATA_ONLY = "Data only"
DATA_ONLY_MEANING = "a figure for information: it has no target and no better direction"
DATA_ONLY_KEY = "data-only"
MOVE_SYMBOLS = {"up": "▲", "down": "▼", "same": "►"}
"""Which way the value moved (not whether that is better)."""
NO_COMPARISON = "No comparison"
TRAVEL_BASIS = "vs\u00a0{label}: {figure}"
"""What the direction of travel compared with: "vs 2016/17: 22" (no line break before the label)."""
CELL_DETAIL = "— {detail}"
NEXT_DUE = "next due {date}"
WAS_DUE = "{period} was due {date}"
"""A table cell's detail after its word: "Worse — vs 2016/17: 22"."""

STATUS_WORDS = {
    Status.UP_TO_DATE: "Up to date",
    Status.OVERDUE: "Overdue",
    Status.NO_DATA: "No data",
    Status.NOT_AVAILABLE: "Not available",
}
FREQUENCY_WORDS = {
    "weekly": "Weekly",
    "monthly": "Monthly",
    "quarterly": "Quarterly",
    "annual": "Annual",
    "biennial": "Biennial",
}
POLARITY_WORDS = {"higher": "Higher", "lower": "Lower", "none": "Neither: a figure for information"}
COMPARATOR_WORDS = {
    "previous_period": "the period before",
    "same_period_last_year": "the same period a year before",
    "previous_year": "the previous financial year's outturn",
    "two_years_before": "the result two years before",
    "previous_calendar_year": "the previous calendar year's outturn",
    "previous_academic_year": "the previous academic year's outturn",
    "previous_other_year": "the previous year's outturn, in the measure's own years",
}
"""What the direction of travel compares with (the catalogue's ``direction``; a biennial measure's
is always the result two years before, and a measure counted in its own years compares with the
outturn of its own previous year: :func:`comparator_key`)."""
DIRECTION_HEADER = "Direction of Travel"
"""The header of the Direction of Travel column, when the table has one."""
DIRECTION_HEADER_VS = "Direction of Travel: {versus}"
"""The header of one of several Direction of Travel columns whose measures all compare with the
same: "Direction of Travel: vs previous period"."""
DIRECTION_HEADER_NTH = "Direction of Travel: {ordinal} comparison"
"""The header of one of several Direction of Travel columns whose measures compare with different
things (the key says which, by measure number): "Direction of Travel: second comparison"."""
COMPARATOR_VERSUS = {
    "previous_period": "vs previous period",
    "same_period_last_year": "vs same period last year",
    "previous_year": "vs previous year's outturn",
    "two_years_before": "vs previous period",
}
"""A Direction of Travel column's comparator in a header (a biennial measure's period before is the
result two years before)."""
ORDINALS = ("first", "second", "third")
NOT_USED = "Not used"
"""The cell of a column a measure does not use: a Direction of Travel column it has no comparator
for, as the SPC columns of a measure without SPC (``_scorecard.html.j2`` prints both; the key quotes it)."""

YEAR_KINDS = {"calendar": "Calendar years", "academic": "Academic years", "other": "Years of its own"}
YEAR_NAMES = {"calendar": "calendar years", "academic": "academic years", "other": "years of their own"}
YEAR_TEXT = "{kind}: {first} to {last}, labelled like {example}"
"""The years a measure is counted in, on its portal page, when they are not the financial years."""
OWN_YEARS_NOTE = (
    "Measures counted in {years} show the outturn of their own previous year in the “{header}” column, "
    "with that year under the figure."
)
"""After the appendix's table, when a measure is counted in calendar or academic years."""

KEY_HEADING = "Key"
"""The key after the scorecard: what its symbols, colours and words mean."""
KEY_PERFORMANCE = "Performance"
RAG_MEANINGS = {
    Rag.GREEN: "meets or beats the target",
    Rag.AMBER: "misses the target by no more than the measure's tolerance",
    Rag.RED: "misses the target by more than the tolerance",
}
GREEN_BELOW_BLUE = "meets or beats the target, but not by more than the margin for {blue}"
"""Green's meaning in a report where a measure can be Blue."""
BLUE_MEANING = "beats the target by more than {margin}"
AMBER_MEANINGS = {
    "tolerance": RAG_MEANINGS[Rag.AMBER],
    "improved": f"{RAG_MEANINGS[Rag.AMBER]}, or is better than the figure compared with",
    "floor": "misses the target, but meets the floor standard",
}
"""Amber by each rule of a measure's rating (``amber: tolerance``, ``amber: improved``, a floor)."""
RED_MEANINGS = {
    "tolerance": RAG_MEANINGS[Rag.RED],
    "improved": f"{RAG_MEANINGS[Rag.RED]}, and is no better than the figure compared with",
    "floor": "misses the floor standard",
}
FLOOR_TEXT = "floor {figure}"
"""After a target with a floor standard: "60 floor 55"."""
NO_TARGET_MEANING = "a result with no target for its year"
NO_TARGET_PERIOD_MEANING = "a result with no target for its period"
"""No target, when targets may be by quarter or month."""
NO_RESULT_MEANING = "no result yet"
KEY_DIRECTION = "Direction of travel"
MOVE_MEANINGS = {"up": "the value went up", "down": "the value went down", "same": "the value did not change"}
TRAVEL_MEANINGS = {
    Travel.BETTER: "an improvement on the figure compared with (up where higher is better, down where lower is)",
    Travel.SAME: "no change from the figure compared with",
    Travel.WORSE: "a deterioration from the figure compared with",
    Travel.INCREASED: "a data-only figure rose (neither better nor worse)",
    Travel.DECREASED: "a data-only figure fell (neither better nor worse)",
}
NO_CHANGE_MEANING = "a data-only figure did not change"
NO_COMPARISON_MEANING = "no earlier figure to compare with"
KEY_BASIS = "The figure compared with follows the word: “{example}”."
KEY_COMPARATORS = "Direction of travel compares each result with {comparators}."
KEY_COLUMN_COMPARATORS = "The {ordinal} Direction of Travel column compares each result with {comparators}."
KEY_NOT_USED = "“{not_used}”: {measures} no {ordinal} comparison."
"""After a column's comparators: the measures with a "Not used" cell in it ("measures 4, 5 have")."""
KEY_STATUS = "Status"
STATUS_MEANINGS = {
    Status.UP_TO_DATE: "the latest result due is in; when the next one is due follows",
    Status.OVERDUE: "a result that was due is missing: which one, and when it was due, follows",
    Status.NOT_AVAILABLE: "the service could not supply the latest figure; the reason is in the notes",
    Status.NO_DATA: "no result at all",
}
KEY_TREND = "Trend"
TREND_TARGET = ("Dashed line", "the target")
TREND_TARGET_STEPS = "the target of each period, in steps where it changes within the year"
"""The dashed line's meaning when a measure's targets are by quarter or month."""
KEY_PROFILED = (
    "Current Target is the target of the current result's period: its month's or quarter's where "
    "the measure has one (a profile or trajectory within the year), else its year's."
)
"""Under the Performance key, when a measure's targets are by quarter or month."""
TREND_LATEST = ("Dot", "the latest result")
TREND_SPANS = {
    "weekly": "the last 13 weeks",
    "monthly": "this financial year's months",
    "monthly-calendar": "this calendar year's months",
    "monthly-academic": "this academic year's months",
    "monthly-other": "this year's months, in the measure's own years",
    "quarterly": "the last 8 quarters",
    "annual": "the last 5 years",
    "biennial": "the last 5 results, two years apart",
}
"""How far back a trend line goes, by frequency (the calculator's ``trend``); a monthly measure
counted in its own years shows its own year's months (:func:`trend_span_key`)."""
KEY_TREND_SPAN = "Each line shows {spans}."
KEY_VARIATION = "Variation (SPC)"
KEY_ASSURANCE = "Assurance (SPC)"
KEY_PROVISIONAL = "“(provisional)” after the word: fewer than 12 points, so the process limits may still move."

CHANGE_KIND_WORDS = {
    ChangeKind.RAG: "Performance",
    ChangeKind.OVERDUE: "Became overdue",
    ChangeKind.NO_RESULT: "No result",
}
CHANGES_HEADING = "Changes since the last period"

VARIATION = {
    # (variation, side): (symbol, word, css class, description)
    ("common_cause", None): ("~", "Common cause", "spc-common", "no significant change"),
    ("improvement", "high"): ("H▲", "Improvement", "spc-improvement", "special cause improvement, higher"),
    ("improvement", "low"): ("L▼", "Improvement", "spc-improvement", "special cause improvement, lower"),
    ("concern", "high"): ("H▲", "Concern", "spc-concern", "special cause concern, higher"),
    ("concern", "low"): ("L▼", "Concern", "spc-concern", "special cause concern, lower"),
    ("neutral", "high"): ("H▲", "Special cause", "spc-neutral", "special cause, higher, neither better nor worse"),
    ("neutral", "low"): ("L▼", "Special cause", "spc-neutral", "special cause, lower, neither better nor worse"),
}
ASSURANCE = {
    "consistent_pass": ("P", "Will pass", "spc-improvement", "the process will consistently meet the target"),
    "consistent_fail": ("F", "Will fail", "spc-concern", "the process will consistently miss the target"),
    "hit_or_miss": ("?", "Hit or miss", "spc-common", "the process will sometimes meet and sometimes miss the target"),
    "none": ("–", "No assurance", "rag-none", "no target to assure against"),
}


def comparator_key(frequency: str, comparator: str, years: YearKind = "financial") -> str:
    """The :data:`COMPARATOR_WORDS` key of a measure's comparison: its ``direction``, except that a
    biennial measure, which has no result a year before, is compared with the result two years before,
    and the previous year of a measure counted in its own years (``years``) is one of those."""
    if frequency == "biennial":
        return "two_years_before"
    if comparator == "previous_year" and years != "financial":
        return f"previous_{years}_year"
    return comparator


def trend_span_key(frequency: str, years: YearKind = "financial") -> str:
    """The :data:`TREND_SPANS` key of a measure's trend: its frequency, or for a monthly measure counted
    in its own years (``years``), those years' months."""
    return f"monthly-{years}" if frequency == "monthly" and years != "financial" else frequency


def rag_words(names: RatingNames | None = None) -> dict[Rag, str]:
    """The word of each rating: Green, Amber, Red and Blue, or a report's own ``names`` for them."""
    given = names.model_dump() if names is not None else {}
    return {rag: given.get(rag.value) or RAG_WORDS[rag] for rag in Rag}


def in_sentence(word: str) -> str:
    """A rating's word inside a sentence: "Green" → "green", "On target" → "on target"; a word that
    starts with two capitals (an abbreviation, "OK") is kept."""
    return word if word[1:2].isupper() else word[:1].lower() + word[1:]


def performance_word(rag: Rag | None, has_result: bool = True, words: Mapping[Rag, str] = RAG_WORDS) -> str:
    """The Performance column's word: Green, Amber, Red (or the report's ``words`` for them), No target
    or No result."""
    if rag is not None:
        return words[rag]
    return NO_TARGET if has_result else NO_RESULT


def series(items: list[str], conjunction: str = "or") -> str:
    """``a``, ``a or b``, ``a, b or c`` (``a, b and c`` with ``and``)."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


BENCHMARK_HEADERS = {"rank": "Rank", "neighbour_rank": "Rank among neighbours", "quartile": "Quartile"}
"""The appendix's header of each benchmark column that is not a comparator group's (which is its name)."""
COMPARISON_WORDS = {"better": "better than", "same": "the same as", "worse": "worse than"}
"""How a benchmark cell's detail names ours against the group's figure."""
MEAN_OF = "mean of {count}"
MEAN_LINE = "{name} (mean)"
"""A group of areas' line on a trend chart: the mean of its areas' figures."""
"""A group's figure that is the mean of its areas' ("mean of 5")."""
OURS = "(us)"
"""After our own area's name in the chart and table ranking the neighbours."""
OURS_FIGURE = "ours ({ours})"
"""How a measure page names our figure when comparing it with a group's."""
RANK_CHART_TITLE = "{measure}: {group} and us, ranked best first ({period})"
"""The title of the ranked chart of a measure page."""
KEY_BENCHMARKS = "Benchmarks"
KEY_BENCHMARK_NOTES = {
    "group": "{groups}: the latest figure published for a period ended by the result's, whose period is "
    "printed under it when it is not the result's; \u201cmean of 5\u201d: the average of the figures of "
    "that group's areas.",
    "rank": "Rank: ours among every local area with a figure, 1st the best; equal figures share a rank.",
    "neighbour_rank": "Rank among neighbours: ours among us and our statistical neighbours, 1st the best.",
    "quartile": "Quartile: A is the best quarter of the areas by rank, B the next, then C, and D the worst.",
}
"""The key's notes on the benchmark columns a report shows."""

NOTE = "Note: {text}"
"""A measure's annotation on a period, in the portal's history table."""
LEFT_OUT_OF_SPC = "Left out of the SPC mean and limits (spc_exclude)."
"""A period excluded from SPC, in the portal's history table."""
