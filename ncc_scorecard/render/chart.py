"""A measure's trend line chart as hand-written SVG: values, target by year, RAG points with
shapes, period axis, and (with SPC) the mean, process limits and special-cause points.

Pure functions from numbers to markup; the chart's text equivalent is its ``<title>`` and
``<desc>``, and pages show the full history as a table beside it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

RAG_STYLE = {
    # rag: (fill colour, shape) — the shape repeats what the colour says
    "green": ("#00703c", "circle"),
    "amber": ("#b58800", "diamond"),
    "red": ("#d4351c", "square"),
    None: ("#ffffff", "ring"),
}


@dataclass(frozen=True)
class ChartPoint:
    """One period of a measure's history."""

    label: str
    """The period's name on the axis ("Dec 2017")."""
    value: float
    target: float | None = None
    rag: str | None = None
    mean: float | None = None
    """SPC: the process mean at this point (None without SPC)."""
    upl: float | None = None
    lpl: float | None = None
    special_cause: bool = False
    text: str | None = None
    """The value as the page prints it ("1,588"), for the description; default: the value itself."""


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


def _fmt(number: float) -> str:
    return f"{number:.1f}".rstrip("0").rstrip(".")


def _label(number: float) -> str:
    return f"{number:,.2f}".rstrip("0").rstrip(".")


def _marker(shape: str, x: float, y: float, fill: str, size: float = 4.5) -> str:
    if shape == "circle":
        return (
            f'<circle cx="{_fmt(x)}" cy="{_fmt(y)}" r="{_fmt(size)}" fill="{fill}" stroke="#0b0c0c" stroke-width="1"/>'
        )
    if shape == "square":
        s = size * 0.9
        return (
            f'<rect x="{_fmt(x - s)}" y="{_fmt(y - s)}" width="{_fmt(2 * s)}" height="{_fmt(2 * s)}" '
            f'fill="{fill}" stroke="#0b0c0c" stroke-width="1"/>'
        )
    if shape == "diamond":
        d = size * 1.25
        points = f"{_fmt(x)},{_fmt(y - d)} {_fmt(x + d)},{_fmt(y)} {_fmt(x)},{_fmt(y + d)} {_fmt(x - d)},{_fmt(y)}"
        return f'<polygon points="{points}" fill="{fill}" stroke="#0b0c0c" stroke-width="1"/>'
    return (
        f'<circle cx="{_fmt(x)}" cy="{_fmt(y)}" r="{_fmt(size * 0.8)}" '
        'fill="#ffffff" stroke="#0b0c0c" stroke-width="1.5"/>'
    )


def trend_chart(
    points: Sequence[ChartPoint], title: str, unit: str = "", width: int = 640, height: int = 270
) -> Markup:
    """The chart as an accessible inline SVG (``role="img"``, ``<title>``, ``<desc>``); ``unit`` labels
    the value axis."""
    if not points:
        return Markup("")
    left, right, top, bottom = 56, 12, 24, 46
    plot_w, plot_h = width - left - right, height - top - bottom
    spc = any(point.mean is not None for point in points)
    span: list[float] = [p.value for p in points]
    span += [p.target for p in points if p.target is not None]
    if spc:
        span += [v for p in points for v in (p.upl, p.lpl) if v is not None]
    pad = (max(span) - min(span)) * 0.05 or 1  # keep lines at the extremes off the axis
    ticks = nice_ticks(min(span) - pad, max(span) + pad)
    low, high = ticks[0], ticks[-1]

    def y(value: float) -> float:
        return top + plot_h - (value - low) / ((high - low) or 1) * plot_h

    slot = plot_w / len(points)
    xs = [left + slot * (i + 0.5) for i in range(len(points))]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="trend-chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="chart-title chart-desc">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<desc id="chart-desc">{escape(describe(points))}</desc>',
    ]
    for tick in ticks:  # y axis: grid and labels
        ty = _fmt(y(tick))
        parts.append(f'<line x1="{left}" y1="{ty}" x2="{width - right}" y2="{ty}" stroke="#dddddd" stroke-width="1"/>')
        parts.append(
            f'<text x="{left - 6}" y="{ty}" text-anchor="end" dominant-baseline="middle" '
            f'font-size="11" fill="#0b0c0c">{escape(_label(tick))}</text>'
        )
    if unit:
        parts.append(f'<text x="4" y="12" font-size="11" fill="#0b0c0c">{escape(unit)}</text>')
    room = max(48, 6.5 * max(len(point.label) for point in points) + 10)  # pixels one axis label needs
    every = max(1, math.ceil(len(points) / max(int(plot_w // room), 1)))
    for i, (x, point) in enumerate(zip(xs, points, strict=True)):  # x axis: period labels
        if (len(points) - 1 - i) % every == 0:  # evenly spaced, always ending at the latest period
            parts.append(
                f'<text x="{_fmt(x)}" y="{height - bottom + 16}" text-anchor="middle" font-size="11" '
                f'fill="#0b0c0c">{escape(point.label)}</text>'
            )
    parts.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" '
        'stroke="#0b0c0c" stroke-width="1"/>'
    )
    half = slot / 2
    layers: list[tuple[str, list[float | None], str, str, float]] = [
        ("target", [p.target for p in points], "#505a5f", "6 4", 2)
    ]
    if spc:
        layers += [
            ("mean", [p.mean for p in points], "#005eb8", "", 1.5),
            ("process limit", [p.upl for p in points], "#4c2c92", "2 3", 1.5),
            ("process limit", [p.lpl for p in points], "#4c2c92", "2 3", 1.5),
        ]
    for name, values, colour, dash, stroke in layers:
        # a level held across each point's slot, so a change of target or limits shows as a step
        path = " ".join(
            f"M{_fmt(x - half)},{_fmt(y(value))} H{_fmt(x + half)}"
            for x, value in zip(xs, values, strict=True)
            if value is not None
        )
        if path:
            dashes = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<path class="{name.replace(" ", "-")}" d="{path}" fill="none" '
                f'stroke="{colour}" stroke-width="{stroke}"{dashes}/>'
            )
    line = " ".join(f"{_fmt(x)},{_fmt(y(p.value))}" for x, p in zip(xs, points, strict=True))
    parts.append(f'<polyline class="values" points="{line}" fill="none" stroke="#0b0c0c" stroke-width="2"/>')
    for x, point in zip(xs, points, strict=True):
        if point.special_cause:
            parts.append(
                f'<circle class="special-cause" cx="{_fmt(x)}" cy="{_fmt(y(point.value))}" r="9" fill="none" '
                'stroke="#ed8b00" stroke-width="2.5"/>'
            )
        fill, shape = RAG_STYLE.get(point.rag, RAG_STYLE[None])
        parts.append(_marker(shape, x, y(point.value), fill))
    parts.append(
        _legend(
            width,
            height,
            spc,
            special=any(p.special_cause for p in points),
            no_rag=any(p.rag is None for p in points),
            target=any(p.target is not None for p in points),
        )
    )
    parts.append("</svg>")
    return Markup("".join(parts))


def _legend(width: int, height: int, spc: bool, special: bool, no_rag: bool = False, target: bool = True) -> str:
    items = [(*RAG_STYLE[rag][::-1], rag.capitalize()) for rag in ("green", "amber", "red")]
    if no_rag:
        items.append(("ring", "#ffffff", "No target"))
    parts = []
    x, ly = 60.0, height - 10
    for shape, fill, text in items:
        parts.append(_marker(shape, x, ly - 4, fill, 4))
        parts.append(f'<text x="{_fmt(x + 8)}" y="{ly}" font-size="11" fill="#0b0c0c">{text}</text>')
        x += 24 + 6.5 * len(text)
    lines = [("#505a5f", "6 4", "Target")] if target else []
    if spc:
        lines += [("#005eb8", "", "Mean"), ("#4c2c92", "2 3", "Process limits")]
    for colour, dash, text in lines:
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{_fmt(x)}" y1="{ly - 4}" x2="{_fmt(x + 18)}" y2="{ly - 4}" '
            f'stroke="{colour}" stroke-width="2"{dashes}/>'
        )
        parts.append(f'<text x="{_fmt(x + 22)}" y="{ly}" font-size="11" fill="#0b0c0c">{text}</text>')
        x += 40 + 6.5 * len(text)
    if special:
        parts.append(
            f'<circle cx="{_fmt(x + 6)}" cy="{ly - 4}" r="6" fill="none" stroke="#ed8b00" stroke-width="2.5"/>'
        )
        parts.append(f'<text x="{_fmt(x + 16)}" y="{ly}" font-size="11" fill="#0b0c0c">Special cause</text>')
    return "".join(parts)


def describe(points: Sequence[ChartPoint]) -> str:
    """The chart's values in words, for its ``<desc>``."""
    texts = []
    for point in points:
        text = f"{point.label}: {point.text or _label(point.value)}"
        if point.rag:
            text += f" ({point.rag})"
        if point.special_cause:
            text += ", special cause"
        texts.append(text)
    return "; ".join(texts) + "."
