"""The key after the scorecard (``v.key``): what the table's symbols, colours and words mean, and what
each measure's direction of travel is compared with. Every word and symbol comes from :mod:`.words`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..model import MeasureResult, Rag, ReportResult, Status, Travel
from .badges import performance_badge, status_badge, travel_badge, travel_basis, travel_css
from .words import (
    ASSURANCE,
    COMPARATOR_WORDS,
    DATA_ONLY_MEANING,
    FREQUENCY_WORDS,
    KEY_ASSURANCE,
    KEY_BASIS,
    KEY_COMPARATORS,
    KEY_DIRECTION,
    KEY_HEADING,
    KEY_PERFORMANCE,
    KEY_PROFILED,
    KEY_PROVISIONAL,
    KEY_STATUS,
    KEY_TREND,
    KEY_TREND_SPAN,
    KEY_VARIATION,
    MOVE_MEANINGS,
    MOVE_SYMBOLS,
    NO_CHANGE,
    NO_CHANGE_MEANING,
    NO_COMPARISON,
    NO_COMPARISON_MEANING,
    NO_RESULT_MEANING,
    NO_SYMBOL,
    NO_TARGET_MEANING,
    NO_TARGET_PERIOD_MEANING,
    RAG_MEANINGS,
    STATUS_MEANINGS,
    TRAVEL_MEANINGS,
    TRAVEL_WORDS,
    TREND_LATEST,
    TREND_SPANS,
    TREND_TARGET,
    TREND_TARGET_STEPS,
    VARIATION,
    comparator_key,
    series,
    trend_span_key,
)


@dataclass(frozen=True)
class KeyEntry:
    """One item of the key: a sample as the table shows it (symbol, word, colour), and its meaning."""

    symbol: str
    """The shape the table prints ("●", "▲"); "" for none."""
    word: str
    """The word the table prints ("Green", "Better"); "" when the symbol alone is explained."""
    css: str
    """The colour class of the sample, as in the table (rag-green, spc-concern); "" for none, or the
    sample drawn by the stylesheet (key-target, key-latest: the trend line's parts)."""
    meaning: str


@dataclass(frozen=True)
class KeyGroup:
    """The key of one column (or column pair)."""

    heading: str
    """"Performance", "Direction of travel", "Trend", "Variation (SPC)", "Assurance (SPC)"."""
    entries: tuple[KeyEntry, ...]
    notes: tuple[str, ...] = ()
    """Sentences after the entries (what direction of travel compares with; how far a trend goes)."""


@dataclass(frozen=True)
class KeyView:
    """The key: a heading and a group per column that needs explaining (SPC only when the table has it)."""

    heading: str
    """"Key"."""
    groups: tuple[KeyGroup, ...]


def key_view(report: ReportResult) -> KeyView:
    """The key of a report's scorecard: the groups its columns need."""
    rows, start_month = report.rows, report.start_month
    data_only = any(row.measure.data_only for row in rows)
    profiled = any(row.measure.profiled for row in rows)
    groups = [
        performance_key(data_only, profiled),
        direction_key(rows, data_only, start_month),
        status_key(),
        trend_key(rows, start_month, profiled),
    ]
    if any(row.spc for row in rows):
        groups += spc_keys()
    return KeyView(KEY_HEADING, tuple(groups))


def performance_key(data_only: bool = False, profiled: bool = False) -> KeyGroup:
    """Each word the Performance column can show, as its badge shows it; with targets by quarter or
    month (``profiled``), which target is the current one."""
    badges = [(performance_badge(rag), RAG_MEANINGS[rag]) for rag in Rag]
    no_target = NO_TARGET_PERIOD_MEANING if profiled else NO_TARGET_MEANING
    badges += [(performance_badge(None), no_target), (performance_badge(None, False), NO_RESULT_MEANING)]
    if data_only:
        badges.append((performance_badge(None, data_only=True), DATA_ONLY_MEANING))
    entries = tuple(KeyEntry(b.symbol, b.text, b.css, meaning) for b, meaning in badges)
    return KeyGroup(KEY_PERFORMANCE, entries, (KEY_PROFILED,) if profiled else ())


def direction_key(rows: Sequence[MeasureResult], data_only: bool = False, start_month: int = 4) -> KeyGroup:
    """Arrows, words and what each measure is compared with (by row number)."""
    entries = [KeyEntry(MOVE_SYMBOLS[move], "", "", MOVE_MEANINGS[move]) for move in ("up", "down", "same")]
    judged = (Travel.BETTER, Travel.SAME, Travel.WORSE)
    entries += [KeyEntry("", TRAVEL_WORDS[travel], travel_css(travel), TRAVEL_MEANINGS[travel]) for travel in judged]
    if data_only:
        entries += [
            KeyEntry("", TRAVEL_WORDS[travel], "rag-none", TRAVEL_MEANINGS[travel])
            for travel in (Travel.INCREASED, Travel.DECREASED)
        ]
        entries.append(KeyEntry("", NO_CHANGE, "rag-none", NO_CHANGE_MEANING))
    entries.append(KeyEntry(NO_SYMBOL, NO_COMPARISON, "rag-none", NO_COMPARISON_MEANING))
    notes = [comparator_sentence([_comparator_key(row, start_month) for row in rows])]
    example = next((travel_badge(row) for row in rows if travel_basis(row)), None)
    if example is not None:
        notes.insert(0, KEY_BASIS.format(example=f"{example.text} {example.detail}"))
    return KeyGroup(KEY_DIRECTION, tuple(entries), tuple(notes))


def _comparator_key(row: MeasureResult, start_month: int) -> str:
    measure = row.measure
    return comparator_key(measure.frequency, measure.comparator, measure.years_in(start_month).kind)


def comparator_sentence(comparators: Sequence[str]) -> str:
    """What direction of travel compares with, by row number when the measures differ: "… with the
    previous financial year's outturn (measures 1–3, 5) or the period before (measure 4)"."""
    numbers: dict[str, list[int]] = {}
    for number, comparator in enumerate(comparators, start=1):
        numbers.setdefault(comparator, []).append(number)
    if len(numbers) == 1:
        return KEY_COMPARATORS.format(comparators=COMPARATOR_WORDS[next(iter(numbers))])
    parts = [f"{COMPARATOR_WORDS[comparator]} ({row_numbers(found)})" for comparator, found in numbers.items()]
    return KEY_COMPARATORS.format(comparators=series(parts))


def row_numbers(numbers: Sequence[int]) -> str:
    """Row numbers with runs as ranges: "measure 4", "measures 1–3, 5"."""
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    text = ", ".join(f"{run[0]}–{run[-1]}" if len(run) > 2 else ", ".join(map(str, run)) for run in runs)
    return f"measure {text}" if len(numbers) == 1 else f"measures {text}"


def status_key() -> KeyGroup:
    """Each word the Status column can show."""
    badges = [(status_badge(status), STATUS_MEANINGS[status]) for status in Status]
    return KeyGroup(KEY_STATUS, tuple(KeyEntry("", b.text, b.css, meaning) for b, meaning in badges))


def trend_key(rows: Sequence[MeasureResult], start_month: int = 4, profiled: bool = False) -> KeyGroup:
    """The trend line's parts (a target that steps when targets are by quarter or month), and how far
    back each line goes (by frequency, and for a monthly measure by the years it is counted in)."""
    shown = {
        trend_span_key(row.measure.frequency, row.measure.years_in(start_month).kind): row.measure.frequency
        for row in rows
    }
    keys = [key for key in TREND_SPANS if key in shown]
    several = len(keys) > 1
    spans = [TREND_SPANS[k] + (f" ({FREQUENCY_WORDS[shown[k]].lower()})" if several else "") for k in keys]
    entries = (
        KeyEntry("", TREND_TARGET[0], "key-target", TREND_TARGET_STEPS if profiled else TREND_TARGET[1]),
        KeyEntry("", TREND_LATEST[0], "key-latest", TREND_LATEST[1]),
    )
    return KeyGroup(KEY_TREND, entries, (KEY_TREND_SPAN.format(spans=series(spans)),) if spans else ())


def spc_keys() -> list[KeyGroup]:
    """Variation and assurance: each symbol and word the SPC columns can show."""
    variation = tuple(KeyEntry(symbol, word, css, text) for symbol, word, css, text in VARIATION.values())
    assurance = tuple(KeyEntry(symbol, word, css, text) for symbol, word, css, text in ASSURANCE.values())
    return [KeyGroup(KEY_VARIATION, variation, (KEY_PROVISIONAL,)), KeyGroup(KEY_ASSURANCE, assurance)]
