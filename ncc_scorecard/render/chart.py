"""A measure's trend line chart as hand-written SVG: values, target by year, RAG points with
shapes, period axis, and (with SPC) the mean, process limits and special-cause points.

Pure functions from numbers to markup; the chart's text equivalent is its ``<title>`` and
``<desc>``, and pages show the full history as a table beside it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from ..model import Rag
from .palette import COLOURS
from .svg import num as _fmt
from .words import DATA_ONLY, NO_TARGET, RAG_ORDER, RAG_WORDS, in_sentence

RAG_STYLE: dict[Rag | None, tuple[str, str]] = {
    # rag: (fill colour, shape) — the shape repeats what the colour says (as the symbols ● ◆ ■ do)
    Rag.GREEN: (COLOURS.green, "circle"),
    Rag.AMBER: (COLOURS.amber_mark, "diamond"),
    Rag.RED: (COLOURS.red, "square"),
    Rag.BLUE: (COLOURS.exceeding, "star"),
    None: (COLOURS.background, "ring"),
}
TEXT = f'font-size="11" fill="{COLOURS.text}"'


@dataclass(frozen=True)
class ChartPoint:
    """One period of a measure's history."""

    label: str
    """The period's name on the axis ("Dec 2017")."""
    value: float
    target: float | None = None
    rag: Rag | None = None
    mean: float | None = None
    """SPC: the process mean at this point (None without SPC)."""
    upl: float | None = None
    lpl: float | None = None
    special_cause: bool = False
    text: str | None = None
    """The value as the page prints it ("1,588"), for the description; default: the value itself."""
    benchmarks: tuple[float | None, ...] = ()
    """Each chosen comparator group's figure (England, the region…) for the latest benchmark period
    ended by this period, in the order of the chart's ``benchmarks`` names."""
    gap_before: bool = False
    """A period is missing before this one: the line breaks here, never joining across."""
    excluded: bool = False
    """Left out of the SPC mean and limits (``spc_exclude``): drawn, marked, never judged."""
    annotation: str = ""
    """A note on this period (``annotations``): a numbered marker on the chart."""


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round axis values covering ``low``..``high`` (1, 2, 2.5 or 5 × a power of ten apart)."""
    if high <= low:
        high = low + 1
    raw = (high - low) / max(count - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.floor(low / step) * step
    ticks = []
    tick = first
    while tick < high + step * 0.999:
        ticks.append(round(tick, 10))
        tick += step
    return ticks


def _label(number: float) -> str:
    return f"{number:,.2f}".rstrip("0").rstrip(".")


def _marker(shape: str, x: float, y: float, fill: str, size: float = 4.5) -> str:
    if shape == "circle":
        return (
            f'<circle cx="{_fmt(x)}" cy="{_fmt(y)}" r="{_fmt(size)}" fill="{fill}" '
            f'stroke="{COLOURS.text}" stroke-width="1"/>'
        )
    if shape == "square":
        s = size * 0.9
        return (
            f'<rect x="{_fmt(x - s)}" y="{_fmt(y - s)}" width="{_fmt(2 * s)}" height="{_fmt(2 * s)}" '
            f'fill="{fill}" stroke="{COLOURS.text}" stroke-width="1"/>'
        )
    if shape == "star":  # five points, as the symbol ★
        radii = [size * 1.3 if corner % 2 == 0 else size * 0.55 for corner in range(10)]
        corners = [(x + r * math.sin(i * math.pi / 5), y - r * math.cos(i * math.pi / 5)) for i, r in enumerate(radii)]
        points = " ".join(f"{_fmt(px)},{_fmt(py)}" for px, py in corners)
        return f'<polygon points="{points}" fill="{fill}" stroke="{COLOURS.text}" stroke-width="1"/>'
    if shape == "diamond":
        d = size * 1.25
        points = f"{_fmt(x)},{_fmt(y - d)} {_fmt(x + d)},{_fmt(y)} {_fmt(x)},{_fmt(y + d)} {_fmt(x - d)},{_fmt(y)}"
        return f'<polygon points="{points}" fill="{fill}" stroke="{COLOURS.text}" stroke-width="1"/>'
    return (
        f'<circle cx="{_fmt(x)}" cy="{_fmt(y)}" r="{_fmt(size * 0.8)}" '
        f'fill="{COLOURS.background}" stroke="{COLOURS.text}" stroke-width="1.5"/>'
    )


@dataclass(frozen=True)
class _Frame:
    """Where things go: the plot area, the value axis's range and each point's x."""

    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    ticks: list[float]
    xs: list[float]
    slots: int = 0
    """How many periods wide the axis is: a point each, and an empty slot where a period is missing."""

    @property
    def plot_w(self) -> int:
        return self.width - self.left - self.right

    @property
    def plot_h(self) -> int:
        return self.height - self.top - self.bottom

    @property
    def slot(self) -> float:
        """The width each point has."""
        return self.plot_w / (self.slots or len(self.xs))

    def y(self, value: float) -> float:
        low, high = self.ticks[0], self.ticks[-1]
        return self.top + self.plot_h - (value - low) / ((high - low) or 1) * self.plot_h


def _frame(points: Sequence[ChartPoint], width: int, height: int, spc: bool) -> _Frame:
    left, right, top, bottom = 56, 12, 24, 46
    span: list[float] = [p.value for p in points]
    span += [p.target for p in points if p.target is not None]
    span += [v for p in points for v in p.benchmarks if v is not None]
    if spc:
        span += [v for p in points for v in (p.upl, p.lpl) if v is not None]
    pad = (max(span) - min(span)) * 0.05 or 1  # keep lines at the extremes off the axis
    ticks = nice_ticks(min(span) - pad, max(span) + pad)
    places, place = [], 0
    for point in points:
        place += 1 if point.gap_before else 0  # an empty slot where a period is missing
        places.append(place)
        place += 1
    slot = (width - left - right) / place
    xs = [left + slot * (i + 0.5) for i in places]
    return _Frame(width, height, left, right, top, bottom, ticks, xs, place)


def trend_chart(
    points: Sequence[ChartPoint],
    title: str,
    unit: str = "",
    width: int = 640,
    height: int = 270,
    data_only: bool = False,
    words: Mapping[Rag, str] = RAG_WORDS,
    blue: bool = False,
    benchmarks: Sequence[str] = (),
) -> Markup:
    """The chart as an accessible inline SVG (``role="img"``, ``<title>``, ``<desc>``); ``unit`` labels
    the value axis. A data-only measure's points are plain rings, with no RAG in the legend; ``words``
    name the ratings, and ``blue`` (the measure can be Blue) puts Blue in the legend. ``benchmarks``
    name the comparator groups whose figures (each point's ``benchmarks``) are drawn as levels."""
    if not points:
        return Markup("")
    spc = any(point.mean is not None for point in points)
    frame = _frame(points, width, height, spc)
    legend, below = _legend(
        width,
        height,
        spc,
        special=any(p.special_cause for p in points),
        excluded=any(p.excluded for p in points),
        no_rag=any(p.rag is None for p in points),
        target=any(p.target is not None for p in points),
        data_only=data_only,
        words=words,
        blue=blue or any(p.rag is Rag.BLUE for p in points),
        benchmarks=_drawn(points, benchmarks),
    )
    full = height + below
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="trend-chart" role="img" width="{width}" height="{full}" '
        f'viewBox="0 0 {width} {full}" aria-labelledby="chart-title chart-desc">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<desc id="chart-desc">{escape(describe(points, words, benchmarks))}</desc>',
        *_axes(frame, points, unit),
        *_levels(frame, points, spc, len(benchmarks)),
        *_values(frame, points),
        legend,
        "</svg>",
    ]
    return Markup("".join(parts))


def _axes(frame: _Frame, points: Sequence[ChartPoint], unit: str) -> list[str]:
    """Grid lines and labels of the value axis, the period labels, and the axis line."""
    parts = []
    for tick in frame.ticks:
        ty = _fmt(frame.y(tick))
        parts.append(
            f'<line x1="{frame.left}" y1="{ty}" x2="{frame.width - frame.right}" y2="{ty}" '
            f'stroke="{COLOURS.mid_grey}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{frame.left - 6}" y="{ty}" text-anchor="end" dominant-baseline="middle" '
            f"{TEXT}>{escape(_label(tick))}</text>"
        )
    if unit:
        parts.append(f'<text x="4" y="12" {TEXT}>{escape(unit)}</text>')
    room = max(48, 6.5 * max(len(point.label) for point in points) + 10)  # pixels one axis label needs
    every = max(1, math.ceil(len(points) / max(int(frame.plot_w // room), 1)))
    for i, (x, point) in enumerate(zip(frame.xs, points, strict=True)):
        if (len(points) - 1 - i) % every == 0:  # evenly spaced, always ending at the latest period
            parts.append(
                f'<text x="{_fmt(x)}" y="{frame.height - frame.bottom + 16}" text-anchor="middle" '
                f"{TEXT}>{escape(point.label)}</text>"
            )
    bottom = frame.top + frame.plot_h
    parts.append(
        f'<line x1="{frame.left}" y1="{bottom}" x2="{frame.width - frame.right}" y2="{bottom}" '
        f'stroke="{COLOURS.text}" stroke-width="1"/>'
    )
    return parts


def _benchmark_style(index: int) -> tuple[str, str]:
    """The colour and dash pattern of the ``index``-th comparator group's line: never colour alone."""
    return COLOURS.benchmark_lines[index % len(COLOURS.benchmark_lines)], BENCHMARK_DASHES[
        index % len(BENCHMARK_DASHES)
    ]


BENCHMARK_DASHES = ("", "10 3 2 3", "1 3")
"""The dash pattern of each comparator group's line, in order (solid for the first)."""


def _drawn(points: Sequence[ChartPoint], names: Sequence[str]) -> tuple[str, ...]:
    """The name of each comparator group with a figure at some point ("" for one without)."""
    return tuple(
        name if any(len(p.benchmarks) > i and p.benchmarks[i] is not None for p in points) else ""
        for i, name in enumerate(names)
    )


def _levels(frame: _Frame, points: Sequence[ChartPoint], spc: bool, groups: int = 0) -> list[str]:
    """The target, each comparator group's figure, and with SPC the mean and process limits: a level
    held across each point's slot, so a change of target or limits shows as a step."""
    layers: list[tuple[str, list[float | None], str, str, float]] = [
        ("target", [p.target for p in points], COLOURS.target_line, "6 4", 2)
    ]
    for i in range(groups):
        colour, dash = _benchmark_style(i)
        values = [p.benchmarks[i] if len(p.benchmarks) > i else None for p in points]
        layers.append(("benchmark", values, colour, dash, 2))
    if spc:
        layers += [
            ("mean", [p.mean for p in points], COLOURS.blue, "", 1.5),
            ("process limit", [p.upl for p in points], COLOURS.purple, "2 3", 1.5),
            ("process limit", [p.lpl for p in points], COLOURS.purple, "2 3", 1.5),
        ]
    half = frame.slot / 2
    parts = []
    for name, values, colour, dash, stroke in layers:
        path = " ".join(
            f"M{_fmt(x - half)},{_fmt(frame.y(value))} H{_fmt(x + half)}"
            for x, value in zip(frame.xs, values, strict=True)
            if value is not None
        )
        if path:
            dashes = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<path class="{name.replace(" ", "-")}" d="{path}" fill="none" '
                f'stroke="{colour}" stroke-width="{stroke}"{dashes}/>'
            )
    return parts


def _values(frame: _Frame, points: Sequence[ChartPoint]) -> list[str]:
    """The line of values (broken where a period is missing) and each point's RAG mark, ringed when it
    is a special cause, boxed with a dashed line when it is left out of SPC, numbered above the plot
    when it has a note."""
    stretches: list[list[str]] = []
    for x, point in zip(frame.xs, points, strict=True):
        if point.gap_before or not stretches:
            stretches.append([])
        stretches[-1].append(f"{_fmt(x)},{_fmt(frame.y(point.value))}")
    parts = [
        f'<polyline class="values" points="{" ".join(line)}" fill="none" stroke="{COLOURS.text}" stroke-width="2"/>'
        for line in stretches
        if len(line) > 1 or len(stretches) == 1
    ]
    parts += _notes_and_exclusions(frame, points)
    for x, point in zip(frame.xs, points, strict=True):
        if point.special_cause:
            parts.append(
                f'<circle class="special-cause" cx="{_fmt(x)}" cy="{_fmt(frame.y(point.value))}" r="9" fill="none" '
                f'stroke="{COLOURS.orange}" stroke-width="2.5"/>'
            )
        fill, shape = RAG_STYLE.get(point.rag, RAG_STYLE[None])
        parts.append(_marker(shape, x, frame.y(point.value), fill))
    return parts


def _notes_and_exclusions(frame: _Frame, points: Sequence[ChartPoint]) -> list[str]:
    """A numbered dotted line at each period with a note, a dashed box round each point left out of SPC."""
    parts = []
    number = 0
    for x, point in zip(frame.xs, points, strict=True):
        if point.annotation:
            number += 1
            parts.append(
                f'<line class="annotation" x1="{_fmt(x)}" y1="{frame.top - 4}" x2="{_fmt(x)}" '
                f'y2="{frame.top + frame.plot_h}" stroke="{COLOURS.secondary_text}" stroke-width="1" '
                f'stroke-dasharray="1 2"/><text x="{_fmt(x)}" y="{frame.top - 8}" text-anchor="middle" '
                f'font-weight="bold" {TEXT}>{number}</text>'
            )
        if point.excluded:
            y = frame.y(point.value)
            parts.append(
                f'<rect class="excluded" x="{_fmt(x - 8)}" y="{_fmt(y - 8)}" width="16" height="16" fill="none" '
                f'stroke="{COLOURS.secondary_text}" stroke-width="1.5" stroke-dasharray="3 2"/>'
            )
    return parts


def _legend(
    width: int,
    height: int,
    spc: bool,
    special: bool,
    no_rag: bool = False,
    target: bool = True,
    data_only: bool = False,
    words: Mapping[Rag, str] = RAG_WORDS,
    blue: bool = False,
    benchmarks: Sequence[str] = (),
    excluded: bool = False,
) -> tuple[str, int]:
    """The legend's markup, and how far it runs below the chart's ``height``: a legend with Blue or a
    report's own words for its ratings wraps onto another line rather than run off the chart."""
    items = [(*RAG_STYLE[rag][::-1], words[rag]) for rag in (RAG_ORDER if blue else RAG_ORDER[1:])]
    if data_only:
        items = [("ring", COLOURS.background, DATA_ONLY)]
    elif no_rag:
        items.append(("ring", COLOURS.background, NO_TARGET))
    parts = []
    x, ly = 60.0, height - 10
    wrap = blue or dict(words) != RAG_WORDS or sum(1 for name in benchmarks if name) > 1 or excluded

    def room(needed: float) -> None:
        """Start a new line when the next item (``needed`` wide) would run off the chart."""
        nonlocal x, ly
        if wrap and x > 60 and x + needed > width - 4:
            x, ly = 60.0, ly + 16

    for shape, fill, text in items:
        room(8 + 6.5 * len(text))
        parts.append(_marker(shape, x, ly - 4, fill, 4))
        parts.append(f'<text x="{_fmt(x + 8)}" y="{ly}" {TEXT}>{escape(text)}</text>')
        x += 24 + 6.5 * len(text)
    lines = [(COLOURS.target_line, "6 4", "Target")] if target else []
    lines += [(*_benchmark_style(i), name) for i, name in enumerate(benchmarks) if name]
    if spc:
        lines += [(COLOURS.blue, "", "Mean"), (COLOURS.purple, "2 3", "Process limits")]
    for colour, dash, text in lines:
        room(22 + 6.5 * len(text))
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{_fmt(x)}" y1="{ly - 4}" x2="{_fmt(x + 18)}" y2="{ly - 4}" '
            f'stroke="{colour}" stroke-width="2"{dashes}/>'
        )
        parts.append(f'<text x="{_fmt(x + 22)}" y="{ly}" {TEXT}>{escape(text)}</text>')
        x += 40 + 6.5 * len(text)
    samples = [(SPECIAL_SAMPLE, "Special cause")] if special else []
    samples += [(EXCLUDED_SAMPLE, EXCLUDED_LEGEND)] if excluded else []
    for sample, text in samples:
        room(16 + 6.5 * len(text))
        parts.append(sample.format(x=_fmt(x), cx=_fmt(x + 6), ly=ly - 4, top=ly - 10))
        parts.append(f'<text x="{_fmt(x + 16)}" y="{ly}" {TEXT}>{text}</text>')
        x += 30 + 6.5 * len(text)
    return "".join(parts), ly - (height - 10)


EXCLUDED_LEGEND = "Left out of SPC"
SPECIAL_SAMPLE = f'<circle cx="{{cx}}" cy="{{ly}}" r="6" fill="none" stroke="{COLOURS.orange}" stroke-width="2.5"/>'
EXCLUDED_SAMPLE = (
    f'<rect x="{{x}}" y="{{top}}" width="12" height="12" fill="none" stroke="{COLOURS.secondary_text}" '
    'stroke-width="1.5" stroke-dasharray="3 2"/>'
)


def describe(points: Sequence[ChartPoint], words: Mapping[Rag, str] = RAG_WORDS, benchmarks: Sequence[str] = ()) -> str:
    """The chart's values in words (each rating in ``words``), for its ``<desc>``."""
    texts = []
    for point in points:
        text = f"{point.label}: {point.text or _label(point.value)}"
        if point.rag:
            text += f" ({in_sentence(words[point.rag])})"
        if point.special_cause:
            text += ", special cause"
        if point.excluded:
            text += ", left out of the SPC mean and limits"
        if point.gap_before:
            text = "(a period is missing here) " + text
        if point.annotation:
            text += f", note: {point.annotation}"
        figures = [
            f"{name or 'benchmark'} {_label(value)}"
            for name, value in zip(benchmarks, point.benchmarks, strict=False)
            if value is not None
        ]
        if figures:
            text += f" ({', '.join(figures)})"
        texts.append(text)
    levels = spc_levels(points)
    return "; ".join(texts) + "." + (f" {levels}" if levels else "")


def spc_levels(points: Sequence[ChartPoint]) -> str:
    """The SPC process mean and limits in words ("Process mean 50, process limits 42 to 58.4."), a
    sentence for each run of points that share them, naming its periods when there are several
    runs (limits recalculated); "" without SPC."""
    runs: list[tuple[tuple[float, float | None, float | None], list[str]]] = []
    for point in points:
        if point.mean is None:
            continue
        levels = (point.mean, point.lpl, point.upl)
        if runs and runs[-1][0] == levels:
            runs[-1][1].append(point.label)
        else:
            runs.append((levels, [point.label]))
    sentences = []
    for (mean, lpl, upl), labels in runs:
        text = f"Process mean {_label(mean)}"
        if lpl is not None and upl is not None:
            text += f", process limits {_label(lpl)} to {_label(upl)}"
        elif upl is not None:
            text += f", upper process limit {_label(upl)}"
        elif lpl is not None:
            text += f", lower process limit {_label(lpl)}"
        if len(runs) > 1:
            text += f" ({labels[0]} to {labels[-1]})" if len(labels) > 1 else f" ({labels[0]})"
        sentences.append(text + ".")
    return " ".join(sentences)


@dataclass(frozen=True)
class RankBar:
    """One area on the ranked chart."""

    name: str
    value: float
    text: str
    """The value as printed."""
    ours: bool = False


def rank_chart(bars: Sequence[RankBar], title: str, description: str, width: int = 640) -> Markup:
    """Areas ranked best first as horizontal bars, ours in the brand colour and named in bold; an
    accessible inline SVG whose ``<desc>`` (and the page's table) gives every figure."""
    if not bars:
        return Markup("")
    left, right, row, top = 200, 60, 22, 8
    height = top * 2 + row * len(bars)
    high = max(max(bar.value for bar in bars), 0) or 1
    plot = width - left - right
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="rank-chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="rank-title rank-desc">',
        f'<title id="rank-title">{escape(title)}</title>',
        f'<desc id="rank-desc">{escape(description)}</desc>',
    ]
    for i, bar in enumerate(bars):
        y = top + row * i
        length = max(bar.value, 0) / high * plot
        fill = COLOURS.brand if bar.ours else COLOURS.benchmark_bar
        weight = ' font-weight="bold"' if bar.ours else ""
        parts.append(
            f'<text x="{left - 6}" y="{_fmt(y + row / 2)}" text-anchor="end" dominant-baseline="middle" '
            f"{TEXT}{weight}>{escape(bar.name)}</text>"
        )
        parts.append(f'<rect x="{left}" y="{y + 3}" width="{_fmt(length)}" height="{row - 6}" fill="{fill}"/>')
        parts.append(
            f'<text x="{_fmt(left + length + 4)}" y="{_fmt(y + row / 2)}" dominant-baseline="middle" '
            f"{TEXT}{weight}>{escape(bar.text)}</text>"
        )
    parts.append(
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{height - top}" stroke="{COLOURS.text}" stroke-width="1"/>'
    )
    parts.append("</svg>")
    return Markup("".join(parts))
