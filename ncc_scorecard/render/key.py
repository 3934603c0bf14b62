"""The key after the scorecard (``v.key``): what the table's symbols, colours and words mean, and what
each measure's direction of travel is compared with. Every word and symbol comes from :mod:`.words`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..model import MeasureResult, Rag, ReportResult, Status, Travel
from ..numbers import with_currency
from .badges import performance_badge, status_badge, travel_badge, travel_basis, travel_css
from .benchmarks_view import benchmark_headers
from .words import (
    AMBER_MEANINGS,
    ASSURANCE,
    BLUE_MEANING,
    COMPARATOR_WORDS,
    DATA_ONLY_MEANING,
    FREQUENCY_WORDS,
    GREEN_BELOW_BLUE,
    KEY_ASSURANCE,
    KEY_BASIS,
    KEY_BENCHMARK_NOTES,
    KEY_BENCHMARKS,
    KEY_COLUMN_COMPARATORS,
    KEY_COMPARATORS,
    KEY_DIRECTION,
    KEY_HEADING,
    KEY_NOT_USED,
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
    NOT_USED,
    ORDINALS,
    RAG_MEANINGS,
    RAG_ORDER,
    RAG_WORDS,
    RED_MEANINGS,
    STATUS_MEANINGS,
    TRAVEL_MEANINGS,
    TRAVEL_WORDS,
    TREND_LATEST,
    TREND_SPANS,
    TREND_TARGET,
    TREND_TARGET_STEPS,
    VARIATION,
    comparator_key,
    rag_words,
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
    performance = performance_key(data_only, rows, rag_words(report.names), profiled)
    groups = [
        performance,
        direction_key(rows, data_only, start_month),
        status_key(),
        trend_key(rows, start_month, profiled),
    ]
    if any(row.spc for row in rows):
        groups += spc_keys()
    if report.report.benchmark_columns:
        groups.append(benchmark_key(report))
    return KeyView(KEY_HEADING, tuple(groups))


def benchmark_key(report: ReportResult) -> KeyGroup:
    """What the report's benchmark columns mean: a note for the groups' figures and one for each of
    rank, neighbour rank and quartile it shows."""
    columns = report.report.benchmark_columns
    headers = dict(zip(columns, benchmark_headers(report), strict=True))
    groups = [headers[c] for c in columns if c not in KEY_BENCHMARK_NOTES]
    notes = [KEY_BENCHMARK_NOTES["group"].format(groups=series(groups, "and"))] if groups else []
    notes += [KEY_BENCHMARK_NOTES[c] for c in columns if c in KEY_BENCHMARK_NOTES and c != "group"]
    return KeyGroup(KEY_BENCHMARKS, (), tuple(notes))


def performance_key(
    data_only: bool = False,
    rows: Sequence[MeasureResult] = (),
    words: Mapping[Rag, str] = RAG_WORDS,
    profiled: bool = False,
) -> KeyGroup:
    """Each word the Performance column can show, as its badge shows it, and what it means by the
    rating rules of the report's ``rows`` (Blue only when one of them can be Blue); with targets by
    quarter or month (``profiled``), which target is the current one."""
    meanings = rag_meanings(rows, words)
    rags = [rag for rag in RAG_ORDER if rag in meanings]
    badges = [(performance_badge(rag, words=words), meanings[rag]) for rag in rags]
    no_target = NO_TARGET_PERIOD_MEANING if profiled else NO_TARGET_MEANING
    badges += [(performance_badge(None), no_target), (performance_badge(None, False), NO_RESULT_MEANING)]
    if data_only:
        badges.append((performance_badge(None, data_only=True), DATA_ONLY_MEANING))
    entries = tuple(KeyEntry(b.symbol, b.text, b.css, meaning) for b, meaning in badges)
    return KeyGroup(KEY_PERFORMANCE, entries, (KEY_PROFILED,) if profiled else ())


def rag_meanings(rows: Sequence[MeasureResult], words: Mapping[Rag, str] = RAG_WORDS) -> dict[Rag, str]:
    """What each rating means by the rules of the rows (numbered from 1) that are rated: by row number
    where the rows differ ("misses the floor standard (measure 3)"); Blue only when a row has a margin."""
    rated = [(number, row) for number, row in enumerate(rows, start=1) if not row.measure.data_only]
    meanings = {rag: RAG_MEANINGS[rag] for rag in (Rag.GREEN, Rag.AMBER, Rag.RED)}
    margins = [(number, margin_text(row, "it")) for number, row in rated if row.rating.exceeding is not None]
    if margins:
        texts = [(number, BLUE_MEANING.format(margin=margin)) for number, margin in margins]
        meanings[Rag.BLUE] = by_rows(texts, len(rated))
        below = GREEN_BELOW_BLUE.format(blue=words[Rag.BLUE])
        greens = [(n, below if row.rating.exceeding is not None else RAG_MEANINGS[Rag.GREEN]) for n, row in rated]
        meanings[Rag.GREEN] = by_rows(greens, len(rated))
    rules = [(number, row.rating.amber) for number, row in rated]
    if any(rule != "tolerance" for _, rule in rules):
        meanings[Rag.AMBER] = by_rows([(number, AMBER_MEANINGS[rule]) for number, rule in rules], len(rated))
        meanings[Rag.RED] = by_rows([(number, RED_MEANINGS[rule]) for number, rule in rules], len(rated))
    return meanings


def margin_text(row: MeasureResult, target: str = "the target") -> str:
    """A row's Blue margin in words: "5% of the target" (of ``target``), "2", "£50"."""
    margin = row.rating.exceeding
    if isinstance(margin, str):
        return f"{margin.replace(' ', '')} of {target}"
    return with_currency(f"{margin:,}", row.measure.currency)


def by_rows(texts: Sequence[tuple[int, str]], rated: int) -> str:
    """One text for every one of ``rated`` rows, else each text with the rows it is for:
    "… (measures 1, 2); … (measure 3)"."""
    numbers: dict[str, list[int]] = {}
    for number, text in texts:
        numbers.setdefault(text, []).append(number)
    if len(numbers) == 1 and len(texts) == rated:
        return next(iter(numbers))
    return "; ".join(f"{text} ({row_numbers(found)})" for text, found in numbers.items())


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
    columns = direction_columns(rows)
    notes = [
        comparator_sentence([_comparator_of(row, i, start_month) for row in rows], i if columns > 1 else None)
        for i in range(columns)
    ]
    example = next((row for row in rows if travel_basis(row)), None)
    if example is not None:
        badge = travel_badge(example)
        detail = travel_basis(example) if columns > 1 else badge.detail  # several columns: printed without the dash
        notes.insert(0, KEY_BASIS.format(example=f"{badge.text} {detail}"))
    return KeyGroup(KEY_DIRECTION, tuple(entries), tuple(notes))


def direction_columns(rows: Sequence[MeasureResult]) -> int:
    """How many Direction of Travel columns a table of ``rows`` has: the most comparators a measure has."""
    return max((len(row.comparisons) for row in rows), default=1)


def _comparator_of(row: MeasureResult, column: int, start_month: int = 4) -> str | None:
    """The :data:`COMPARATOR_WORDS` key of a row's comparison in a Direction of Travel column; None
    when the measure has no comparator for that column."""
    if column >= len(row.comparisons):
        return None
    measure = row.measure
    return comparator_key(measure.frequency, row.comparisons[column].comparator, measure.years_in(start_month).kind)


def comparator_sentence(comparators: Sequence[str | None], column: int | None = None) -> str:
    """What direction of travel compares with, by row number when the measures differ: "… with the
    previous financial year's outturn (measures 1–3, 5) or the period before (measure 4)". With
    several Direction of Travel columns, a sentence per ``column`` (0 for the first), which also names
    the measures without a comparator for it (None): their cell says "Not used"."""
    numbers: dict[str, list[int]] = {}
    unused: list[int] = []
    for number, comparator in enumerate(comparators, start=1):
        if comparator is None:
            unused.append(number)
        else:
            numbers.setdefault(comparator, []).append(number)
    if len(numbers) == 1 and not unused:
        words = COMPARATOR_WORDS[next(iter(numbers))]
    else:
        words = series(
            [f"{COMPARATOR_WORDS[comparator]} ({row_numbers(found)})" for comparator, found in numbers.items()]
        )
    if column is None:
        return KEY_COMPARATORS.format(comparators=words)
    sentence = KEY_COLUMN_COMPARATORS.format(ordinal=ORDINALS[column], comparators=words)
    if unused:
        measures = f"{row_numbers(unused)} {'has' if len(unused) == 1 else 'have'}"
        sentence += " " + KEY_NOT_USED.format(not_used=NOT_USED, measures=measures, ordinal=ORDINALS[column])
    return sentence


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
