"""Statistical process control: XmR charts as in NHS England's "Making Data Count" (MDC).

Pure functions only (stdlib, no I/O). Two rule sets: ``mdc`` (the default), the NHS England rules as
published since November 2023, where every point beyond two sigma counts toward the two-in-three
rule, including points beyond the process limits; and ``ptd-0.2``, NHSRplotthedots v0.2.2 number for
number (``tests/test_spc.py`` checks it against 12 reference vectors, ``tests/data/spc_vectors.json``).

Sign convention used by the rule functions: ``+1`` is a high signal (above the mean / above the upper limit /
increasing), ``-1`` a low one, ``0`` none.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass

LIMIT_SIGMA = 2.66  # 3 sigma expressed in moving-range units (3 / d2, d2 = 1.128)
NEAR_SIGMA = 2 * (LIMIT_SIGMA / 3)  # 2 sigma, the inner edge of the near zone
SCREEN_FACTOR = 3.267  # D4 for n = 2: a moving range at or above 3.267 x mR-bar is screened out
RUN_LENGTH = 7  # points needed for a shift or a trend
MIN_POINTS_FOR_FIRM_LIMITS = 12

IMPROVEMENT_DIRECTIONS = ("increase", "decrease", "neutral")
RULE_SETS = ("mdc", "ptd-0.2")
"""``mdc``: NHS England's Making Data Count rules (2023); ``ptd-0.2``: NHSRplotthedots v0.2.2."""
RUN_LENGTHS = (6, 7)
"""Points needed for a shift or a trend: 7, or 6 as the Making Data Count Excel tool allows."""
_RULE_NAMES = {
    "outside": ("outside_upper", "outside_lower"),
    "trend": ("trend_increasing", "trend_decreasing"),
    "two_in_three": ("two_in_three_upper", "two_in_three_lower"),
    "shift": ("shift_above", "shift_below"),
}


@dataclass(frozen=True)
class SpcLimits:
    """Centre line and limits of one phase. ``screened_out_mr_indices`` are point indices i (the range x[i-1]..x[i])."""

    start: int  # index of the phase's first point
    end: int  # one past the phase's last point
    basis_points: int  # how many points the figures were computed from (the baseline, if one applies)
    mean: float
    mr_bar: float
    mr_bar_before_screening: float
    screened_out_mr_indices: tuple[int, ...]
    upl: float
    lpl: float
    upper_near: float
    lower_near: float

    @property
    def screening_applied(self) -> bool:
        return bool(self.screened_out_mr_indices)


@dataclass(frozen=True)
class SpcPoint:
    """One point of the chart, with its own phase's mean and limits so a chart can draw stepped limits."""

    index: int
    value: float
    special_cause: bool
    type: str  # improvement | concern | neutral | common_cause
    rule: str | None  # outside_upper ... shift_below, or None for common cause
    near: bool  # in the near zone: beyond 2 sigma but not beyond the process limits
    phase: int
    mean: float
    upl: float
    lpl: float
    excluded: bool = False
    """Left out of the mean, the limits and the rules (``spc_exclude``): drawn, never judged."""


@dataclass(frozen=True)
class SpcResult:
    """A whole XmR chart. Top-level figures describe the last phase (the whole series when there is no rebase)."""

    mean: float
    mr_bar: float
    mr_bar_before_screening: float
    screening_applied: bool
    screened_out_mr_indices: tuple[int, ...]
    upl: float
    lpl: float
    upper_near: float
    lower_near: float
    points: tuple[SpcPoint, ...]
    assurance: str  # consistent_pass | consistent_fail | hit_or_miss | none
    provisional: bool  # the top-level limits rest on fewer than 12 points
    phases: tuple[SpcLimits, ...] = ()


def improvement_direction(polarity: str) -> str:
    """Map a catalogue polarity ("higher"/"lower" is better) to an SPC improvement direction."""
    try:
        return {"higher": "increase", "lower": "decrease", "none": "neutral"}[polarity]
    except KeyError:
        raise ValueError(f"unknown polarity {polarity!r}; expected 'higher' or 'lower'") from None


def moving_ranges(values: Sequence[float]) -> list[float]:
    """Moving ranges |x[i] - x[i-1]|; element j is the range ending at point j + 1 (n - 1 of them)."""
    return [abs(values[i] - values[i - 1]) for i in range(1, len(values))]


def screen_moving_ranges(ranges: Sequence[float]) -> tuple[float, float, tuple[int, ...]]:
    """One screening pass: drop every range >= 3.267 x the mean of all ranges.

    Returns ``(mr_bar_before_screening, mr_bar, dropped)`` where ``dropped`` are positions in ``ranges``.
    When every range is zero nothing is dropped (a zero threshold would otherwise remove them all).
    """
    if not ranges:
        raise ValueError("need at least one moving range")
    before = math.fsum(ranges) / len(ranges)
    if before == 0:
        return before, before, ()
    threshold = SCREEN_FACTOR * before
    dropped = tuple(j for j, r in enumerate(ranges) if not r < threshold)
    kept = [r for r in ranges if r < threshold]
    return before, math.fsum(kept) / len(kept), dropped


def compute_limits(
    values: Sequence[float], start: int = 0, end: int | None = None, baseline: int | None = None
) -> SpcLimits:
    """Mean, screened mR-bar and limits for ``values[start:end]``, using only its first ``baseline`` points if given."""
    end = len(values) if end is None else end
    basis_end = end if baseline is None else min(end, start + baseline)
    basis = values[start:basis_end]
    if len(basis) < 2:
        raise ValueError("limits need at least 2 points")
    mean = math.fsum(basis) / len(basis)
    before, mr_bar, dropped = screen_moving_ranges(moving_ranges(basis))
    return SpcLimits(
        start=start,
        end=end,
        basis_points=len(basis),
        mean=mean,
        mr_bar=mr_bar,
        mr_bar_before_screening=before,
        screened_out_mr_indices=tuple(start + 1 + j for j in dropped),
        upl=mean + LIMIT_SIGMA * mr_bar,
        lpl=mean - LIMIT_SIGMA * mr_bar,
        upper_near=mean + NEAR_SIGMA * mr_bar,
        lower_near=mean - NEAR_SIGMA * mr_bar,
    )


class RunningLimits:
    """The process limits of a series that grows a point at a time, as :func:`compute_limits` gives
    them for every point so far, number for number, without going over the whole series again for
    each point: its moving ranges are kept in order, so screening is a search, and ``math.fsum`` (a
    correctly rounded sum) does not depend on the order of what it adds."""

    def __init__(self) -> None:
        self.values: list[float] = []
        self._ranges: list[float] = []
        """The moving ranges so far, smallest first."""

    def add(self, value: float) -> None:
        if self.values:
            bisect.insort(self._ranges, abs(value - self.values[-1]))
        self.values.append(value)

    def limits(self) -> tuple[float, float, float]:
        """The lower and upper process limits and the screened mR-bar of the points so far."""
        if len(self.values) < 2:
            raise ValueError("limits need at least 2 points")
        mean = math.fsum(self.values) / len(self.values)
        ranges = self._ranges
        mr_bar = math.fsum(ranges) / len(ranges)
        if mr_bar != 0:
            kept = ranges[: bisect.bisect_left(ranges, SCREEN_FACTOR * mr_bar)]
            mr_bar = math.fsum(kept) / len(kept)
        return mean - LIMIT_SIGMA * mr_bar, mean + LIMIT_SIGMA * mr_bar, mr_bar


def sides(values: Sequence[float], mean: float) -> list[int]:
    """sign(x - mean) per point: +1 above, -1 below, 0 exactly on the mean."""
    return [(x > mean) - (x < mean) for x in values]


def outside_rule(values: Sequence[float], limits: SpcLimits) -> list[int]:
    """+1 for a point strictly above the UPL, -1 strictly below the LPL, else 0 (a point on a limit is inside)."""
    return [1 if x > limits.upl else -1 if x < limits.lpl else 0 for x in values]


def near_zone(values: Sequence[float], limits: SpcLimits) -> list[bool]:
    """True for a point strictly beyond a near limit but not beyond the process limits."""
    return [limits.lpl <= x <= limits.upl and (x > limits.upper_near or x < limits.lower_near) for x in values]


def _runs(signs: Sequence[int]) -> list[tuple[int, int, int]]:
    """Maximal runs of equal non-zero signs as ``(first, last, sign)``; zeros belong to no run."""
    runs: list[tuple[int, int, int]] = []
    i = 0
    while i < len(signs):
        j = i
        while j + 1 < len(signs) and signs[j + 1] == signs[i]:
            j += 1
        if signs[i] != 0:
            runs.append((i, j, signs[i]))
        i = j + 1
    return runs


def shift_rule(point_sides: Sequence[int], run_length: int = RUN_LENGTH) -> list[int]:
    """Flag every point of a run of ``run_length``+ consecutive points on the same side of the mean.

    A point exactly on the mean (side 0) belongs to no run and ends the current one.
    """
    flags = [0] * len(point_sides)
    for first, last, sign in _runs(point_sides):
        if last - first + 1 >= run_length:
            flags[first : last + 1] = [sign] * (last - first + 1)
    return flags


def trend_rule(values: Sequence[float], run_length: int = RUN_LENGTH) -> list[int]:
    """Flag every point of ``run_length``+ points each strictly above (+1) or below (-1) the one before.

    An equal neighbour is a zero step and breaks the trend. A point shared by a rising and a falling trend
    (a peak or trough) takes the direction of the step to the next point, as in NHSRplotthedots: a trend point
    uses the step to the next point when that point is also in a trend, otherwise the step from the previous one.
    """
    steps = [(b > a) - (b < a) for a, b in zip(values, values[1:], strict=False)]
    flags = [0] * len(values)
    for first, last, sign in _runs(steps):  # steps first..last join points first..last + 1
        if last - first + 2 >= run_length:
            flags[first : last + 2] = [sign] * (last - first + 2)  # runs go left to right: a later trend wins a peak
    return flags


def beyond_two_sigma(values: Sequence[float], limits: SpcLimits) -> list[int]:
    """+1 for a point strictly above the upper two-sigma line, -1 strictly below the lower one, else 0:
    under the ``mdc`` rules a point beyond a process limit counts too."""
    return [1 if x > limits.upper_near else -1 if x < limits.lower_near else 0 for x in values]


def two_in_three_mdc(beyond: Sequence[int]) -> list[int]:
    """NHS England (2023): flag the points beyond two sigma in any 3 consecutive points of which 2 or
    more lie beyond the same two-sigma line, whether or not they are also beyond the process limit.
    The third point may be anywhere."""
    flags = [0] * len(beyond)
    for w in range(len(beyond) - 2):
        for side in (1, -1):
            window = [i for i in range(w, w + 3) if beyond[i] == side]
            if len(window) >= 2:
                for i in window:
                    flags[i] = side
    return flags


def two_in_three_rule(point_sides: Sequence[int], near: Sequence[bool]) -> list[int]:
    """Flag near-zone points in any 3-point window that is all on one side of the mean with 2+ near-zone points.

    Only the window's near-zone points are flagged; points beyond the process limits are not near-zone points.
    """
    flags = [0] * len(point_sides)
    for w in range(len(point_sides) - 2):
        side = point_sides[w]
        window = range(w, w + 3)
        if side != 0 and all(point_sides[i] == side for i in window) and sum(near[i] for i in window) >= 2:
            for i in window:
                if near[i]:
                    flags[i] = side
    return flags


def label_point(outside: int, trend: int, two_in_three: int, shift: int) -> tuple[str | None, int]:
    """Pick one rule by precedence outside > trend > two-in-three > shift; returns ``(rule name, +1/-1)``.

    Returns ``(None, 0)`` for common cause.
    """
    for kind, sign in (("outside", outside), ("trend", trend), ("two_in_three", two_in_three), ("shift", shift)):
        if sign:
            high, low = _RULE_NAMES[kind]
            return (high if sign > 0 else low), sign
    return None, 0


def point_type(sign: int, improvement: str) -> str:
    """common_cause for sign 0; else improvement/concern by the improvement direction (high is good for
    increase), or neutral."""
    _check_improvement(improvement)
    if sign == 0:
        return "common_cause"
    if improvement == "neutral":
        return "neutral"
    return "improvement" if (sign > 0) == (improvement == "increase") else "concern"


def assurance(target: float | None, upl: float, lpl: float, improvement: str) -> str:
    """Compare the target with the process limits (strictly; a target on a limit is hit_or_miss)."""
    _check_improvement(improvement)
    if target is None or improvement == "neutral":
        return "none"
    if target > upl:
        return "consistent_fail" if improvement == "increase" else "consistent_pass"
    if target < lpl:
        return "consistent_pass" if improvement == "increase" else "consistent_fail"
    return "hit_or_miss"


def phase_bounds(n: int, rebase: Sequence[int] = ()) -> list[tuple[int, int]]:
    """Split ``range(n)`` into ``(start, end)`` phases, a new one starting at each rebase index (0 is ignored)."""
    starts = sorted({int(i) for i in rebase} - {0})
    if starts and not 0 < starts[0] <= starts[-1] < n:
        raise ValueError(f"rebase indices must lie in 1..{n - 1}: {list(rebase)}")
    edges = [0, *starts, n]
    return list(zip(edges, edges[1:], strict=False))


def _check_improvement(improvement: str) -> None:
    if improvement not in IMPROVEMENT_DIRECTIONS:
        raise ValueError(f"improvement_direction must be one of {IMPROVEMENT_DIRECTIONS}, not {improvement!r}")


def compute_spc(
    values: Sequence[float],
    improvement_direction: str,
    target: float | None = None,
    baseline: int | None = None,
    rebase: Sequence[int] = (),
    rules: str = "mdc",
    run_length: int = RUN_LENGTH,
    excluded: Sequence[int] = (),
    breaks: Sequence[int] = (),
) -> SpcResult | None:
    """XmR chart for ``values`` (oldest first); None when fewer than 2 values are left to compute from.

    ``baseline=N`` computes each phase's mean and limits from its first N points while the rules still run over
    every point (NHSRplotthedots ``fix_after_n_points``). ``rebase`` lists indices where a new phase starts;
    each phase is an independent series (own moving ranges, limits and runs). Assurance uses the last phase.
    ``rules`` is ``mdc`` or ``ptd-0.2``; ``run_length`` 7 or 6 points for shifts and trends.
    ``excluded`` points are left out of the mean, the limits and the rules (they are returned, marked).
    ``breaks`` are indices with a missing period before them: no moving range and no run, trend or
    two-in-three window spans a break.
    """
    _check_improvement(improvement_direction)
    if rules not in RULE_SETS:
        raise ValueError(f"rules must be one of {RULE_SETS}, not {rules!r}")
    if run_length not in RUN_LENGTHS:
        raise ValueError(f"run_length must be one of {RUN_LENGTHS}, not {run_length!r}")
    xs = [float(v) for v in values]
    if not all(math.isfinite(x) for x in xs):
        raise ValueError("values must be finite numbers")
    if baseline is not None and baseline < 2:
        raise ValueError("baseline must be at least 2 points")
    left_out, gaps = set(excluded), set(breaks)
    points: list[SpcPoint] = []
    phases: list[SpcLimits] = []
    for phase, (start, end) in enumerate(phase_bounds(len(xs), rebase) if len(xs) >= 2 else []):
        if end - start < 2:
            raise ValueError("limits need at least 2 points: a phase of one point has no moving range")
        kept = [i for i in range(start, end) if i not in left_out]
        if len(kept) < 2:
            return None  # too few points left after the exclusions
        limits = _phase_limits(xs, kept, start, end, baseline, gaps)
        flags = _phase_rules(xs, kept, limits, rules, run_length, gaps)
        for i in range(start, end):
            rule, sign = flags.get(i, (None, 0))
            points.append(
                SpcPoint(
                    index=i,
                    value=xs[i],
                    special_cause=rule is not None,
                    type=point_type(sign, improvement_direction),
                    rule=rule,
                    near=i not in left_out
                    and limits.lpl <= xs[i] <= limits.upl
                    and (xs[i] > limits.upper_near or xs[i] < limits.lower_near),
                    phase=phase,
                    mean=limits.mean,
                    upl=limits.upl,
                    lpl=limits.lpl,
                    excluded=i in left_out,
                )
            )
        phases.append(limits)
    if not phases:
        return None
    last = phases[-1]
    return SpcResult(
        mean=last.mean,
        mr_bar=last.mr_bar,
        mr_bar_before_screening=last.mr_bar_before_screening,
        screening_applied=last.screening_applied,
        screened_out_mr_indices=last.screened_out_mr_indices,
        upl=last.upl,
        lpl=last.lpl,
        upper_near=last.upper_near,
        lower_near=last.lower_near,
        points=tuple(points),
        assurance=_assurance(target, last, improvement_direction, rules),
        provisional=last.basis_points < MIN_POINTS_FOR_FIRM_LIMITS,
        phases=tuple(phases),
    )


def _assurance(target: float | None, limits: SpcLimits, improvement: str, rules: str) -> str:
    """Assurance of the last phase. Under ``mdc`` a constant series (every moving range zero, so both
    process limits equal the mean) will keep giving exactly its mean: it consistently passes when the
    mean meets the target (at or above it for "increase", at or below for "decrease") and consistently
    fails otherwise. A target on the limits is no longer "hit or miss" there: nothing varies, so
    nothing can miss. ``ptd-0.2`` keeps NHSRplotthedots' strict comparison (hit or miss)."""
    constant = limits.upl == limits.lpl
    if rules == "mdc" and constant and target is not None and improvement != "neutral":
        meets = limits.mean >= target if improvement == "increase" else limits.mean <= target
        return "consistent_pass" if meets else "consistent_fail"
    return assurance(target, limits.upl, limits.lpl, improvement)


def _phase_limits(
    xs: Sequence[float], kept: Sequence[int], start: int, end: int, baseline: int | None, gaps: set[int]
) -> SpcLimits:
    """A phase's mean and limits from its kept points (the first ``baseline`` of them), with moving
    ranges only between neighbours that no missing period separates."""
    basis = list(kept if baseline is None else kept[:baseline])
    mean = math.fsum(xs[i] for i in basis) / len(basis)
    pairs = [(a, b) for a, b in zip(basis, basis[1:], strict=False) if not any(a < g <= b for g in gaps)]
    if not pairs:
        raise ValueError("limits need two neighbouring points")
    before, mr_bar, dropped = screen_moving_ranges([abs(xs[b] - xs[a]) for a, b in pairs])
    return SpcLimits(
        start=start,
        end=end,
        basis_points=len(basis),
        mean=mean,
        mr_bar=mr_bar,
        mr_bar_before_screening=before,
        screened_out_mr_indices=tuple(pairs[j][1] for j in dropped),
        upl=mean + LIMIT_SIGMA * mr_bar,
        lpl=mean - LIMIT_SIGMA * mr_bar,
        upper_near=mean + NEAR_SIGMA * mr_bar,
        lower_near=mean - NEAR_SIGMA * mr_bar,
    )


def _phase_rules(
    xs: Sequence[float], kept: Sequence[int], limits: SpcLimits, rules: str, run_length: int, gaps: set[int]
) -> dict[int, tuple[str | None, int]]:
    """Each kept point's rule and sign; the kept points are cut into stretches at every missing period
    (and at excluded points' places only when a period is missing), and the rules run on each stretch."""
    stretches: list[list[int]] = []
    for i in kept:
        if stretches and not any(stretches[-1][-1] < g <= i for g in gaps):
            stretches[-1].append(i)
        else:
            stretches.append([i])
    flags: dict[int, tuple[str | None, int]] = {}
    for stretch in stretches:
        seg = [xs[i] for i in stretch]
        seg_sides = sides(seg, limits.mean)
        if rules == "mdc":
            two = two_in_three_mdc(beyond_two_sigma(seg, limits))
        else:
            two = two_in_three_rule(seg_sides, near_zone(seg, limits))
        found = zip(
            outside_rule(seg, limits),
            trend_rule(seg, run_length),
            two,
            shift_rule(seg_sides, run_length),
            strict=True,
        )
        for i, (out, trend, pair, shift) in zip(stretch, found, strict=True):
            flags[i] = label_point(out, trend, pair, shift)
    return flags
