"""Numbers as the committee reads them: exact decimal arithmetic, rounding half away from zero,
and the printed figure (``1,588``; ``97.3``). The base of the calculator and the result checks."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Context, Decimal

_WIDE = Context(prec=80)  # enough digits for any figure a council reports, at any display precision

FIGURE_LIMIT = 10**15
"""Every figure read (a value, numerator, denominator, target, bound, multiplier) and every value
computed from them is smaller than this in size, so any sum, ratio or rounding of them stays exact
and finite; it is more than a council's budget in pence."""
FIGURE_LIMIT_TEXT = "1,000,000,000,000,000"
MAX_DIGITS = 30
"""The most digits a figure may be written with (before and after the point)."""


def out_of_range(number: int | float | Decimal) -> str | None:
    """Why a figure cannot be used (infinite, or not below :data:`FIGURE_LIMIT` in size); None if it can."""
    if isinstance(number, float) and not math.isfinite(number):
        return "is not a finite number"
    if not -FIGURE_LIMIT < number < FIGURE_LIMIT:  # Python compares an int, a float and a Decimal exactly
        return f"is too large: a figure must be less than {FIGURE_LIMIT_TEXT} in size"
    return None


def exact(number: int | float | Decimal) -> Decimal:
    """A number as written (``0.1`` is 0.1, not the nearest binary fraction)."""
    return Decimal(repr(number)) if isinstance(number, float) else Decimal(number)


def ratio(numerator: int | float | Decimal, denominator: int | float | Decimal, factor: int | float) -> float:
    """numerator / denominator × factor in decimal arithmetic: 57 / 200 × 100 is 28.5 (shown as 29),
    not 28.499999999999996 (shown as 28)."""
    return float(exact(numerator) * exact(factor) / exact(denominator))


def rounded(value: float | int, decimals: int) -> Decimal:
    """``value`` rounded to ``decimals`` places, half away from zero (2.5 → 3, -2.5 → -3)."""
    return Decimal(repr(value) if isinstance(value, float) else str(value)).quantize(
        Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP, context=_WIDE
    )


def display(value: float | int | None, decimals: int, currency: str | None = None) -> str | None:
    """The printed figure: rounded, with a thousands separator from 1,000 up (``1,588``; ``97.3``), and
    for a currency measure its symbol (``£1,508``; ``-£12``)."""
    if value is None:
        return None
    number = rounded(value, decimals)
    if number == 0:
        number = abs(number)  # never print -0
    return with_currency(f"{number:,.{decimals}f}", currency)


def with_currency(figure: str, currency: str | None) -> str:
    """A printed figure with a currency symbol before its digits: ``£1,508``, ``-£12``."""
    if not currency:
        return figure
    sign = "-" if figure.startswith("-") else ""
    return f"{sign}{currency}{figure.removeprefix('-')}"


def target_display(target: float | int | None, decimals: int, currency: str | None = None) -> str | None:
    """A target as it was set (``96``, not ``96.0``), never with more than ``decimals`` places."""
    if target is None:
        return None
    written = Decimal(repr(target) if isinstance(target, float) else str(target)).normalize()
    places = min(decimals, max(0, -written.as_tuple().exponent))  # type: ignore[operator]
    return display(target, places, currency)


def ordinal(number: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``11th``, ``87th``."""
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def plural(count: int, word: str, many: str | None = None) -> str:
    """A count and its noun: ``1 measure``, ``2 measures``."""
    return f"{count} {word if count == 1 else many or word + 's'}"
