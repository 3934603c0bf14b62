"""Small inline SVG sparklines, written by hand from the values."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from .palette import COLOURS
from .svg import num as _fmt


def sparkline(
    values: Sequence[float],
    title: str,
    target: float | None = None,
    width: int = 72,
    height: int = 20,
    pad: int = 3,
    targets: Sequence[float | None] | None = None,
) -> Markup:
    """An SVG line of ``values`` with the target as a faint dashed line and the last point marked.

    ``title`` becomes the SVG's ``<title>``: the text equivalent read by screen readers and
    tagged as the figure's alternative text in the PDF. ``targets``, one per value, draws a target
    that changes from point to point (profiled by quarter or month) as steps instead. Returns "" for
    no values.
    """
    if not values:
        return Markup("")
    if targets is not None and len(set(targets)) == 1:
        target, targets = targets[0], None  # one level: the plain line
    levels = [t for t in targets or [] if t is not None]
    span = [*values, *([target] if target is not None and targets is None else levels)]
    low, high = min(span), max(span)
    scale = (high - low) or 1.0
    step = (width - 2 * pad) / max(len(values) - 1, 1)

    def y(value: float) -> float:
        return height - pad - (value - low) / scale * (height - 2 * pad) if high != low else height / 2

    points = [((pad + i * step) if len(values) > 1 else width / 2, y(value)) for i, value in enumerate(values)]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sparkline" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">',
        f"<title>{escape(title)}</title>",
    ]
    if targets is not None:
        half = step / 2
        path = " ".join(
            f"M{_fmt(max(pad, x - half))},{_fmt(y(level))} H{_fmt(min(width - pad, x + half))}"
            for (x, _), level in zip(points, targets, strict=True)
            if level is not None
        )
        parts.append(
            f'<path class="target" d="{path}" fill="none" '
            f'stroke="{COLOURS.sparkline_target}" stroke-width="0.8" stroke-dasharray="2 2"/>'
        )
    elif target is not None:
        ty = _fmt(y(target))
        parts.append(
            f'<line class="target" x1="{pad}" y1="{ty}" x2="{width - pad}" y2="{ty}" '
            f'stroke="{COLOURS.sparkline_target}" stroke-width="0.8" stroke-dasharray="2 2"/>'
        )
    if len(points) > 1:
        line = " ".join(f"{_fmt(x)},{_fmt(py)}" for x, py in points)
        parts.append(f'<polyline points="{line}" fill="none" stroke="{COLOURS.text}" stroke-width="1.2"/>')
    last_x, last_y = points[-1]
    parts.append(f'<circle cx="{_fmt(last_x)}" cy="{_fmt(last_y)}" r="1.8" fill="{COLOURS.text}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))
