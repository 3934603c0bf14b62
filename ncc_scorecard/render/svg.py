"""Small helpers for the hand-written SVG of the charts and sparklines."""

from __future__ import annotations


def num(number: float) -> str:
    """A coordinate as SVG wants it: at most one decimal, no trailing zeros (``12.5``, ``40``)."""
    return f"{number:.1f}".rstrip("0").rstrip(".")
