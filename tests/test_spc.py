"""Tests for ncc_scorecard.spc against the NHSRplotthedots reference vectors plus hand-worked cases."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ncc_scorecard.spc import (
    RunningLimits,
    SpcLimits,
    assurance,
    compute_limits,
    compute_spc,
    improvement_direction,
    label_point,
    moving_ranges,
    near_zone,
    outside_rule,
    phase_bounds,
    point_type,
    screen_moving_ranges,
    shift_rule,
    sides,
    trend_rule,
    two_in_three_rule,
)

TOL = 1e-6
VECTORS = Path(__file__).resolve().parent / "data" / "spc_vectors.json"
"""NHSRplotthedots v0.2.2's results for 12 series, each rule and figure written out."""


CASES: list[dict[str, Any]] = json.loads(VECTORS.read_text(encoding="utf-8"))
CASE_PARAMS = [pytest.param(case, id=case["name"]) for case in CASES]
NUMBERS = ("mean", "mr_bar", "mr_bar_before_screening", "upl", "lpl", "upper_near", "lower_near")


def test_there_are_twelve_uniquely_named_cases() -> None:
    assert len(CASES) == 12
    assert len({case["name"] for case in CASES}) == 12


# --- the reference vectors, end to end and step by step ---------------------------------------------------------


@pytest.mark.parametrize("case", CASE_PARAMS)
def test_compute_spc_matches_reference(case: dict[str, Any]) -> None:
    expected = case["expected"]
    result = compute_spc(case["values"], case["improvement_direction"], case["target"], rules="ptd-0.2")
    assert result is not None
    for name in NUMBERS:
        assert getattr(result, name) == pytest.approx(expected[name], abs=TOL), name
    assert result.screening_applied is expected["screening_applied"]
    assert list(result.screened_out_mr_indices) == expected["screened_out_mr_indices"]
    assert result.assurance == expected["assurance"]
    assert result.provisional is (len(case["values"]) < 12)
    got_points = [
        {"index": p.index, "special_cause": p.special_cause, "type": p.type, "rule": p.rule} for p in result.points
    ]
    assert got_points == expected["points"]
    assert [p.value for p in result.points] == [float(v) for v in case["values"]]


@pytest.mark.parametrize("case", CASE_PARAMS)
def test_screening_and_limits_step(case: dict[str, Any]) -> None:
    expected = case["expected"]
    values = case["values"]
    ranges = moving_ranges(values)
    assert len(ranges) == len(values) - 1
    before, mr_bar, dropped = screen_moving_ranges(ranges)
    assert before == pytest.approx(expected["mr_bar_before_screening"], abs=TOL)
    assert mr_bar == pytest.approx(expected["mr_bar"], abs=TOL)
    assert [j + 1 for j in dropped] == expected["screened_out_mr_indices"]  # position j is the range ending at j + 1
    limits = compute_limits(values)
    for name in ("mean", "upl", "lpl", "upper_near", "lower_near"):
        assert getattr(limits, name) == pytest.approx(expected[name], abs=TOL), name


@given(
    st.lists(
        st.one_of(st.sampled_from([0.0, 1.0, 1.5, 100.0]), st.floats(-1e6, 1e6, allow_nan=False)),
        min_size=2,
        max_size=40,
    )
)
def test_running_limits_are_those_of_the_whole_series_number_for_number(values: list[float]) -> None:
    running = RunningLimits()
    running.add(values[0])
    for count, value in enumerate(values[1:], start=2):
        running.add(value)
        limits = compute_limits(values[:count])
        assert running.limits() == (limits.lpl, limits.upl, limits.mr_bar)


def test_running_limits_screen_a_large_range_out() -> None:
    running = RunningLimits()
    for value in [10, 11, 10, 11, 10, 11, 10, 90, 10, 11]:
        running.add(value)
    lpl, upl, mr_bar = running.limits()
    assert mr_bar == compute_limits([10, 11, 10, 11, 10, 11, 10, 90, 10, 11]).mr_bar
    assert mr_bar == 1  # the two ranges of 80 are screened out; without screening mR-bar is 18.6


@pytest.mark.parametrize("case", CASE_PARAMS)
def test_rule_functions_and_labels_step(case: dict[str, Any]) -> None:
    values = case["values"]
    limits = compute_limits(values)
    point_sides = sides(values, limits.mean)
    rules = zip(
        outside_rule(values, limits),
        trend_rule(values),
        two_in_three_rule(point_sides, near_zone(values, limits)),
        shift_rule(point_sides),
        strict=True,
    )
    labels = [label_point(*flags) for flags in rules]
    assert [rule for rule, _ in labels] == [p["rule"] for p in case["expected"]["points"]]
    types = [point_type(sign, case["improvement_direction"]) for _, sign in labels]
    assert types == [p["type"] for p in case["expected"]["points"]]


@pytest.mark.parametrize("case", CASE_PARAMS)
def test_assurance_step(case: dict[str, Any]) -> None:
    expected = case["expected"]
    got = assurance(case["target"], expected["upl"], expected["lpl"], case["improvement_direction"])
    assert got == expected["assurance"]


# --- hand-worked unit tests ----------------------------------------------------------------------------------------


def test_moving_ranges() -> None:
    assert moving_ranges([1, 4, 2, 2]) == [3, 2, 0]
    assert moving_ranges([5]) == []


def test_screening_drops_ranges_at_or_above_3_267_mr_bar() -> None:
    # mean range 26/7 = 3.714..., threshold 12.13...: the 20 goes, mR-bar of the rest is 1
    before, mr_bar, dropped = screen_moving_ranges([1, 1, 1, 1, 1, 1, 20])
    assert before == pytest.approx(26 / 7)
    assert mr_bar == 1
    assert dropped == (6,)
    # 10 < 3.267 x 3.25, so nothing is screened
    assert screen_moving_ranges([1, 1, 1, 10]) == (3.25, 3.25, ())
    # a flat series keeps its zero ranges rather than dropping them all
    assert screen_moving_ranges([0, 0, 0]) == (0, 0, ())


def test_limit_and_near_zone_comparisons_are_strict() -> None:
    limits = SpcLimits(
        start=0, end=6, basis_points=6, mean=0.0, mr_bar=1.0, mr_bar_before_screening=1.0,
        screened_out_mr_indices=(), upl=3.0, lpl=-3.0, upper_near=2.0, lower_near=-2.0,
    )  # fmt: skip
    values = [2.0, 2.5, 3.0, 3.5, -2.5, -3.5]
    assert outside_rule(values, limits) == [0, 0, 0, 1, 0, -1]
    assert near_zone(values, limits) == [False, True, True, False, True, False]
    assert sides([1.0, 0.0, -1.0], 0.0) == [1, 0, -1]


def test_shift_needs_seven_on_one_side_and_the_mean_breaks_a_run() -> None:
    assert shift_rule([1] * 7) == [1] * 7
    assert shift_rule([-1] * 8) == [-1] * 8
    assert shift_rule([1] * 6) == [0] * 6
    assert shift_rule([1, 1, 1, 0, 1, 1, 1, 1]) == [0] * 8
    assert shift_rule([-1, 1, 1, 1, 1, 1, 1, 1, 0]) == [0, 1, 1, 1, 1, 1, 1, 1, 0]


def test_trend_needs_six_strict_steps() -> None:
    assert trend_rule([1, 2, 3, 4, 5, 6, 7]) == [1] * 7
    assert trend_rule([7, 6, 5, 4, 3, 2, 1, 5]) == [-1] * 7 + [0]
    assert trend_rule([1, 2, 3, 4, 5, 6]) == [0] * 6
    assert trend_rule([1, 2, 3, 4, 4, 5, 6, 7]) == [0] * 8  # an equal pair breaks it


def test_trend_peak_takes_the_direction_of_the_next_step() -> None:
    values = [1, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1]
    assert trend_rule(values) == [1] * 6 + [-1] * 7


def test_two_in_three_flags_only_the_near_points_of_a_one_sided_window() -> None:
    assert two_in_three_rule([1, 1, 1], [True, False, True]) == [1, 0, 1]
    assert two_in_three_rule([-1, -1, -1, -1], [False, True, True, False]) == [0, -1, -1, 0]
    assert two_in_three_rule([1, -1, 1], [True, False, True]) == [0, 0, 0]  # window not all on one side
    assert two_in_three_rule([1, 1, 1], [True, False, False]) == [0, 0, 0]
    assert two_in_three_rule([1, 1], [True, True]) == [0, 0]  # no complete window


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ((-1, 1, 0, 0), ("outside_lower", -1)),
        ((1, -1, -1, -1), ("outside_upper", 1)),
        ((0, 1, -1, -1), ("trend_increasing", 1)),
        ((0, 0, 1, -1), ("two_in_three_upper", 1)),
        ((0, 0, 0, -1), ("shift_below", -1)),
        ((0, 0, 0, 0), (None, 0)),
    ],
)
def test_label_precedence(flags: tuple[int, int, int, int], expected: tuple[str | None, int]) -> None:
    assert label_point(*flags) == expected


def test_point_type() -> None:
    assert point_type(1, "increase") == "improvement"
    assert point_type(-1, "increase") == "concern"
    assert point_type(1, "decrease") == "concern"
    assert point_type(-1, "decrease") == "improvement"
    assert point_type(1, "neutral") == point_type(-1, "neutral") == "neutral"
    assert point_type(0, "increase") == "common_cause"
    with pytest.raises(ValueError):
        point_type(1, "up")


def test_assurance_ties_and_missing_target() -> None:
    assert assurance(10.0, 10.0, 0.0, "increase") == "hit_or_miss"  # a target on a limit is not beyond it
    assert assurance(0.0, 10.0, 0.0, "decrease") == "hit_or_miss"
    assert assurance(11.0, 10.0, 0.0, "decrease") == "consistent_pass"
    assert assurance(-1.0, 10.0, 0.0, "decrease") == "consistent_fail"
    assert assurance(None, 10.0, 0.0, "increase") == "none"
    assert assurance(11.0, 10.0, 0.0, "neutral") == "none"


def test_improvement_direction() -> None:
    assert improvement_direction("higher") == "increase"
    assert improvement_direction("lower") == "decrease"
    with pytest.raises(ValueError):
        improvement_direction("neutral")


def test_too_few_points_and_bad_input() -> None:
    assert compute_spc([], "increase") is None
    assert compute_spc([3.0], "increase") is None
    with pytest.raises(ValueError):
        compute_spc([1, 2, 3], "sideways")
    with pytest.raises(ValueError):
        compute_spc([1, float("nan"), 3], "increase")
    with pytest.raises(ValueError):
        compute_spc([1, 2, 3], "increase", baseline=1)


def test_provisional_below_twelve_points() -> None:
    eleven = compute_spc([10, 12] * 5 + [10], "increase")
    twelve = compute_spc([10, 12] * 6, "increase")
    assert eleven is not None and eleven.provisional
    assert twelve is not None and not twelve.provisional


def test_point_on_mean_at_start_is_not_a_shift() -> None:
    # README: the Python port flags index 0 here (it sits on the mean, 10); NHSRplotthedots flags nothing
    result = compute_spc([10, 9, 11, 8, 12, 9, 11, 10.5, 9.5, 10, 11, 9], "increase")
    assert result is not None
    assert result.mean == 10
    assert not any(p.special_cause for p in result.points)


def test_baseline_fixes_limits_on_the_first_points_but_tests_them_all() -> None:
    values = [10, 12, 10, 12, 20, 11]
    # first 4 points: mean 11, ranges 2,2,2 -> mR-bar 2, UPL 11 + 5.32 = 16.32, LPL 5.68
    fixed = compute_spc(values, "increase", target=17, baseline=4)
    assert fixed is not None
    assert (fixed.mean, fixed.mr_bar) == (11, 2)
    assert fixed.upl == pytest.approx(16.32)
    assert fixed.lpl == pytest.approx(5.68)
    assert fixed.upper_near == pytest.approx(11 + 2 * 2.66 / 3 * 2)
    assert [p.rule for p in fixed.points] == [None, None, None, None, "outside_upper", None]
    assert fixed.points[4].type == "improvement"
    assert fixed.assurance == "consistent_fail"  # 17 > 16.32
    assert fixed.provisional  # limits rest on 4 points
    # all six points: mean 12.5, ranges 2,2,2,8,9 -> mR-bar 4.6, UPL 24.736, so 20 is common cause
    free = compute_spc(values, "increase", target=17)
    assert free is not None
    assert free.mean == pytest.approx(12.5)
    assert free.upl == pytest.approx(12.5 + 2.66 * 4.6)
    assert not any(p.special_cause for p in free.points)
    assert free.assurance == "hit_or_miss"
    # a baseline longer than the series is the same as none
    assert compute_spc(values, "increase", target=17, baseline=50) == free


def test_baseline_shift_runs_beyond_the_baseline() -> None:
    values = [10, 12, 10, 12, 13, 13.5, 13, 13.5, 13, 13.5, 13]
    result = compute_spc(values, "decrease", baseline=4)  # mean 11: indices 3..10 are a run of 8 above it
    assert result is not None
    assert [p.rule for p in result.points] == [None, None, None] + ["shift_above"] * 8
    assert {p.type for p in result.points[3:]} == {"concern"}


def test_rebase_gives_each_phase_its_own_limits() -> None:
    values = [10, 12, 10, 12, 30, 32, 30, 32]
    result = compute_spc(values, "increase", target=20, rebase=[4])
    assert result is not None
    # phase 0: mean 11, mR-bar 2; phase 1: mean 31, mR-bar 2 (the 12 -> 30 jump is in no phase)
    assert [(p.phase, p.mean) for p in result.points] == [(0, 11)] * 4 + [(1, 31)] * 4
    assert result.points[0].upl == pytest.approx(16.32)
    assert result.points[0].lpl == pytest.approx(5.68)
    assert result.points[7].upl == pytest.approx(36.32)
    assert (result.mean, result.mr_bar, result.mr_bar_before_screening) == (31, 2, 2)
    assert result.upl == pytest.approx(36.32)
    assert result.lpl == pytest.approx(25.68)
    assert result.screened_out_mr_indices == () and not result.screening_applied
    assert not any(p.special_cause for p in result.points)
    assert result.assurance == "consistent_pass"  # judged on the last phase: 20 < 25.68
    assert result.provisional
    assert [(ph.start, ph.end) for ph in result.phases] == [(0, 4), (4, 8)]
    # without the rebase: mean 21, the 18 range is screened out (18 >= 3.267 x 30/7), UPL 26.32, all points outside
    whole = compute_spc(values, "increase", target=20)
    assert whole is not None
    assert whole.screened_out_mr_indices == (4,)
    assert whole.mr_bar == 2
    assert [p.rule for p in whole.points] == ["outside_lower"] * 4 + ["outside_upper"] * 4


def test_rebase_runs_do_not_cross_phases() -> None:
    values = [1, 2, 3, 4, 5, 6, 7, 8]
    whole = compute_spc(values, "increase")
    assert whole is not None
    # mean 4.5, mR-bar 1: UPL 7.16, LPL 1.84
    assert [p.rule for p in whole.points] == ["outside_lower"] + ["trend_increasing"] * 6 + ["outside_upper"]
    split = compute_spc(values, "increase", rebase=[4])
    assert split is not None
    assert not any(p.special_cause for p in split.points)


def test_rebase_validation() -> None:
    assert phase_bounds(8, [0, 4, 4]) == [(0, 4), (4, 8)]
    with pytest.raises(ValueError):
        compute_spc([1, 2, 3, 4], "increase", rebase=[4])  # out of range
    with pytest.raises(ValueError):
        compute_spc([1, 2, 3, 4], "increase", rebase=[3])  # a one-point phase has no moving range


# --- the rule sets: mdc (NHS England 2023, the default) against ptd-0.2 -------------------------------------------


def _flags(result: Any) -> list[tuple[int, str]]:
    return [(p.index, p.rule) for p in result.points if p.special_cause]


def test_mdc_counts_a_point_beyond_the_limit_toward_two_in_three() -> None:
    # near_zone_then_beyond_upl: mean 11, mR-bar ≈ 1.6, upper two-sigma line 13.85, UPL 15.49.
    # Index 9 (14.2) is beyond two sigma, index 10 (16.5) beyond the limit. ptd-0.2 counts only
    # points between the lines, so index 9 stands alone; mdc counts 16.5 too: 9 and 10 are two of
    # the three points 8–10, so 9 is a two-in-three point and 10 stays "outside" (precedence).
    case = next(c for c in CASES if c["name"] == "near_zone_then_beyond_upl")
    ptd = compute_spc(case["values"], "increase", rules="ptd-0.2")
    mdc = compute_spc(case["values"], "increase")
    assert _flags(ptd) == [(10, "outside_upper")]
    assert _flags(mdc) == [(9, "two_in_three_upper"), (10, "outside_upper")]
    assert (mdc.mean, mdc.upl) == (ptd.mean, ptd.upl)  # the rules differ, never the limits


def test_mdc_two_in_three_does_not_need_the_third_point_on_the_same_side() -> None:
    # two_in_three_upper: mean 12.88, upper two-sigma line 24.35. Points 19 and 21 (24.5) are beyond
    # it with point 20 (8) below the mean between them: ptd-0.2 wants all three on one side of the
    # mean, the 2023 rule only two of three beyond the line.
    case = next(c for c in CASES if c["name"] == "two_in_three_upper")
    assert [i for i, _ in _flags(compute_spc(case["values"], "increase", rules="ptd-0.2"))] == [9, 11]
    assert _flags(compute_spc(case["values"], "increase")) == [
        (9, "two_in_three_upper"), (11, "two_in_three_upper"), (19, "two_in_three_upper"), (21, "two_in_three_upper"),
    ]  # fmt: skip


def test_run_length_six() -> None:
    # mean of [10]*6 + [12]*6 + [10]*2 = 152/14 ≈ 10.86: the six 12s are a run of six above it
    values = [10, 11, 9, 10, 11, 9, 12, 12.5, 12, 12.5, 12, 12.5, 9, 10]
    seven = compute_spc(values, "increase")
    six = compute_spc(values, "increase", run_length=6)
    assert not any(p.rule == "shift_above" for p in seven.points)
    assert [p.index for p in six.points if p.rule == "shift_above"] == [6, 7, 8, 9, 10, 11]
    with pytest.raises(ValueError):
        compute_spc(values, "increase", run_length=5)


@pytest.mark.parametrize("rules", ["mdc", "ptd-0.2"])
def test_excluded_points_leave_the_mean_and_limits(rules: str) -> None:
    # 10, 12, 10, 12, 40 (excluded), 10, 12: the mean of the other six is 11; their moving ranges
    # (10→12, 12→10, 10→12, 12→10, 10→12 — 12→10 across the excluded point) are all 2, so
    # UPL = 11 + 2.66 × 2 = 16.32. The excluded point is returned, marked, with no rule.
    result = compute_spc([10, 12, 10, 12, 40, 10, 12], "increase", excluded=[4], rules=rules)
    assert result.mean == 11
    assert result.upl == pytest.approx(16.32)
    assert result.phases[-1].basis_points == 6
    point = result.points[4]
    assert (point.excluded, point.special_cause, point.rule, point.value) == (True, False, None, 40)
    # left in, 40 drags the mean to 106 / 7 ≈ 15.14 and widens the limits so far (UPL ≈ 44.4) that
    # it hides inside them
    kept = compute_spc([10, 12, 10, 12, 40, 10, 12], "increase", rules=rules)
    assert kept.mean == pytest.approx(106 / 7)
    assert kept.upl > 40 and not kept.points[4].special_cause
    assert compute_spc([10, 12, 10], "increase", excluded=[0, 1]) is None  # one point left: no chart


@pytest.mark.parametrize("rules", ["mdc", "ptd-0.2"])
def test_a_missing_period_breaks_moving_ranges_and_runs(rules: str) -> None:
    # seven points above the mean would be a shift, but a period is missing before index 4:
    # no run spans the gap, and the range 13→20 across it is not a moving range.
    values = [13, 14, 13, 14, 20, 21, 20, 5, 6, 5, 6, 5]
    whole = compute_spc(values, "increase", rules=rules)
    gapped = compute_spc(values, "increase", breaks=[4], rules=rules)
    ranges_whole = len(values) - 1
    assert whole.mr_bar_before_screening == pytest.approx(
        sum(abs(b - a) for a, b in zip(values, values[1:], strict=False)) / ranges_whole
    )
    kept = [abs(b - a) for i, (a, b) in enumerate(zip(values, values[1:], strict=False), start=1) if i != 4]
    assert gapped.mr_bar_before_screening == pytest.approx(sum(kept) / len(kept))
    assert any(p.rule == "shift_above" for p in whole.points[:7])
    assert not any(p.rule == "shift_above" for p in gapped.points[:7])


@pytest.mark.parametrize(
    ("target", "improvement", "mdc", "ptd"),
    [
        # 100 % every month: every moving range is 0, so mean = UPL = LPL = 100.
        (100, "increase", "consistent_pass", "hit_or_miss"),  # on target: it cannot miss
        (95, "increase", "consistent_pass", "consistent_pass"),
        (101, "increase", "consistent_fail", "consistent_fail"),
        (100, "decrease", "consistent_pass", "hit_or_miss"),
        (99, "decrease", "consistent_fail", "consistent_fail"),
        (None, "increase", "none", "none"),
    ],
)
def test_constant_series_assurance(target: float | None, improvement: str, mdc: str, ptd: str) -> None:
    # A process that gives exactly 100 every time will keep giving 100 (its limits have no width):
    # it passes for certain when 100 meets the target and fails for certain when it does not. The
    # strict comparison of ptd-0.2 calls a target equal to the limits "hit or miss", which a series
    # that never varies cannot be. No point is a special cause: every point is on the mean.
    values = [100.0] * 12
    result = compute_spc(values, improvement, target)
    assert (result.mean, result.upl, result.lpl) == (100, 100, 100)
    assert result.assurance == mdc
    assert compute_spc(values, improvement, target, rules="ptd-0.2").assurance == ptd
    assert not any(p.special_cause for p in result.points)
