"""Badges: a judgement as word, symbol and colour class together, so colour is never alone."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..model import Comparison, MeasureResult, Rag, Status, Travel
from ..periods import LabelStyle, period_label, short_date
from .words import (
    ASSURANCE,
    CELL_DETAIL,
    DATA_ONLY,
    DATA_ONLY_KEY,
    DATA_ONLY_MEANING,
    MOVE_SYMBOLS,
    NEXT_DUE,
    NO_CHANGE,
    NO_COMPARISON,
    NO_SYMBOL,
    RAG_SYMBOLS,
    RAG_WORDS,
    STATUS_WORDS,
    TRAVEL_BASIS,
    TRAVEL_WORDS,
    VARIATION,
    WAS_DUE,
    in_sentence,
    performance_word,
)

NONE = "none"
"""The key of an absent judgement (no RAG, no comparison)."""


@dataclass(frozen=True)
class Badge:
    """A status word with its symbol and colour class: never colour alone."""

    text: str
    """The word printed in the cell ("Red", "Better", "Up to date")."""
    symbol: str
    """A shape that repeats the meaning (▲ ▼ ► ● ■), hidden from screen readers."""
    css: str
    """The colour class: rag-green, rag-amber, rag-red or rag-none (status-ok, status-overdue; spc-…)."""
    description: str
    """A longer text for screen readers and tooltips."""
    key: str = NONE
    """The value shown, as the JSON names it (green, better, up-to-date), or none: for filters."""
    detail: str = ""
    """Printed after the word in a table cell, as text: the direction of travel's "— vs 2016/17: 22"."""


def performance_badge(
    rag: Rag | None, has_result: bool = True, data_only: bool = False, words: Mapping[Rag, str] = RAG_WORDS
) -> Badge:
    """The Performance column: RAG against target (in the report's ``words``), or why there is none
    ("Data only": no target by design, in the neutral colour)."""
    if data_only:
        return Badge(DATA_ONLY, NO_SYMBOL, "rag-none", f"Performance: {DATA_ONLY_MEANING}", DATA_ONLY_KEY)
    word = performance_word(rag, has_result, words)
    if rag is None:
        return Badge(word, NO_SYMBOL, "rag-none", f"Performance: {word.lower()}")
    return Badge(word, RAG_SYMBOLS[rag], f"rag-{rag}", f"Performance against target: {in_sentence(word)}", rag)


def travel_badge(
    row: MeasureResult, style: LabelStyle = "natural", start_month: int = 4, comparison: Comparison | None = None
) -> Badge:
    """The Direction of Travel column: better/same/worse, with an arrow for which way the value moved;
    of one ``comparison`` of the row (default: its first, the measure's direction of travel)."""
    c = comparison or row.comparisons[0]
    description = f"Direction of travel: {travel_detail(row, style, start_month, c)}"
    if c.travel is None:
        return Badge(NO_COMPARISON, NO_SYMBOL, "rag-none", description)
    basis = travel_basis(row, style, start_month, c)
    detail = CELL_DETAIL.format(detail=basis) if basis else ""
    css = travel_css(c.travel, row.measure.data_only)
    word = travel_word(c.travel, row.measure.data_only)
    return Badge(word, MOVE_SYMBOLS[_moved(row, c)], css, description, c.travel, detail)


def travel_word(travel: Travel, data_only: bool = False) -> str:
    """Better, Same, Worse; for a data-only measure Increased, Decreased, No change."""
    return NO_CHANGE if data_only and travel is Travel.SAME else TRAVEL_WORDS[travel]


def travel_css(travel: Travel, data_only: bool = False) -> str:
    """The colour class of a direction of travel: green for better and same, red for worse, and
    neutral for a data-only measure, which is neither better nor worse."""
    if data_only:
        return "rag-none"
    return "rag-red" if travel is Travel.WORSE else "rag-green"


def travel_basis(
    row: MeasureResult, style: LabelStyle = "natural", start_month: int = 4, comparison: Comparison | None = None
) -> str:
    """What the direction of travel compared with, and its figure: "vs 2016/17: 22" ("" without one)."""
    c = comparison or row.comparisons[0]
    if c.travel is None or c.display is None:
        return ""
    label = (comparator_label(row, style, start_month, c) or "").replace(" ", "\u00a0")  # "vs Nov 2017" stays whole
    label = label.replace("w/c", "w/\u2060c")  # a word joiner: "w/c 18 Mar 2024" is not broken after the slash
    return TRAVEL_BASIS.format(label=label, figure=c.display)


def comparator_label(
    row: MeasureResult, style: LabelStyle = "natural", start_month: int = 4, comparison: Comparison | None = None
) -> str | None:
    """What the direction of travel compares with: "Nov 2017", "Oct–Dec 2016"; a financial year's
    outturn (``previous_year``) is named as a year in either style, as the previous-year column is."""
    c = comparison or row.comparisons[0]
    if c.period is None:
        return None
    outturn = c.comparator == "previous_year"
    return period_label(c.period, "natural" if outturn else style, row.measure.years_in(start_month))


def travel_detail(
    row: MeasureResult, style: LabelStyle = "natural", start_month: int = 4, comparison: Comparison | None = None
) -> str:
    """The direction of travel in words: "worse than 2016/17 (value up)"."""
    c = comparison or row.comparisons[0]
    if c.travel is None:
        return "no earlier figure to compare with"
    label = comparator_label(row, style, start_month, c)
    basis = f" {'as' if c.travel is Travel.SAME else 'than'} {label}" if label else ""
    moved = _moved(row, c)
    return f"{c.travel}{basis}" + ("" if moved == "same" else f" (value {moved})")


def _moved(row: MeasureResult, comparison: Comparison) -> str:
    """Which way the value moved: up, down or same."""
    travel = comparison.travel
    if travel is None or travel is Travel.SAME:
        return "same"
    if travel in (Travel.INCREASED, Travel.DECREASED):
        return "up" if travel is Travel.INCREASED else "down"
    return "up" if (travel is Travel.BETTER) == (row.measure.polarity == "higher") else "down"


STATUS_CSS = {
    Status.UP_TO_DATE: "status-ok",
    Status.OVERDUE: "status-overdue",
    Status.NO_DATA: "status-overdue",
    Status.NOT_AVAILABLE: "status-na",
}


def status_badge(status: Status, period: str = "", due: str = "") -> Badge:
    """The Status column (no symbol: the word is the badge); the period a status is about follows
    the word ("Not available: Dec 2017"), and ``due`` says when a result is or was due ("next due
    28.02.18", "Dec 2017 was due 31.01.18")."""
    word = STATUS_WORDS[status]
    text = f"{word}: {period}" if period else word
    detail = CELL_DETAIL.format(detail=due) if due else ""
    description = f"Data status: {text[0].lower()}{text[1:]}" + (f"; {due}" if due else "")
    return Badge(text, "", STATUS_CSS[status], description, status, detail)


def due_text(row: MeasureResult, style: LabelStyle = "natural", start_month: int = 4) -> str:
    """When the next result is due ("next due 28.02.18"), or which period was due when ("Dec 2017
    was due 31.01.18"); "" when there is no date or the figure is marked not available."""
    if row.due_date is None or row.status is Status.NOT_AVAILABLE:
        return ""
    when = short_date(row.due_date)
    if row.overdue_period is not None:
        period = period_label(row.overdue_period, style, row.measure.years_in(start_month))
        return WAS_DUE.format(period=period, date=when)
    return NEXT_DUE.format(date=when)


def spc_badges(row: MeasureResult) -> tuple[Badge | None, Badge | None]:
    """Variation and assurance as symbol, word and colour; marked provisional under 12 points."""
    if row.spc is None:
        return None, None
    note = " (provisional: fewer than 12 points)" if row.spc.result.provisional else ""
    suffix = " (provisional)" if row.spc.result.provisional else ""
    symbol, word, css, text = VARIATION[(row.spc.variation, row.spc.side)]
    variation = Badge(word + suffix, symbol, css, f"Variation: {text}{note}", row.spc.variation)
    symbol, word, css, text = ASSURANCE[row.spc.result.assurance]
    assurance = Badge(word + suffix, symbol, css, f"Assurance: {text}{note}", row.spc.result.assurance)
    return variation, assurance
