"""Statistical process control for Making Data Count: XmR charts, special causes and icons.

Pure computation (no Django). The behaviour follows the NHS-R community's R package
NHSRplotthedots 0.2.2 (the reference implementation of NHS England's "Making Data Count"),
including its edge cases; docs/spc.md gives the method, the choices where the guidance and the
package differ, and what happens with missing values, constant series and very short series.

Everything is computed on flat numpy arrays holding every period of every series end to end, so
`analyse_many` handles thousands of series with a fixed number of array operations. A *group* is
one period of one series (the package's facet × rebase group): limits and every run rule are
computed within a group and never across its edges.
"""

from __future__ import annotations

import gc
import math
import numbers
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

Direction = Literal["increase", "decrease", "neutral"]
DIRECTIONS: tuple[str, ...] = ("increase", "decrease", "neutral")

# Wheeler's XmR scaling constants, as Making Data Count and the package use them.
LIMIT = 2.66  # 3 / d2 with d2 = 1.128 for moving ranges of two points
NEAR_LIMIT = 2 * (LIMIT / 3)  # "two sigma"; computed exactly as the package does, for identical floats
MR_SCREEN = 3.267  # D4 for n = 2: moving ranges at or above 3.267 × their mean are screened out
RUN_LENGTH = 7  # trends and shifts
TRIAL_BELOW = 13  # the package's short-group warning: a period of fewer than 13 points has trial limits
MIN_FIX_AFTER = 12

SPECIAL_CAUSES: tuple[str, ...] = ("neither", "improvement", "concern", "neutral_high", "neutral_low")
RULES: tuple[str | None, ...] = (None, "astronomical", "trend", "two_in_three", "shift")

_FLOAT_TYPES = frozenset({float, int, type(None), np.float64, np.float32, np.int64, np.int32})
_NAN = float("nan")


class SPCInputError(ValueError):
    """Bad input to the SPC engine; the message says what is wrong and where."""


@dataclass(frozen=True)
class Period:
    first_index: int
    last_index: int
    mean: float | None
    lpl: float | None
    upl: float | None
    trial: bool  # fewer points than the package needs for reliable limits

    def to_json(self) -> dict[str, Any]:
        return {
            "first_index": self.first_index,
            "last_index": self.last_index,
            "mean": self.mean,
            "lpl": self.lpl,
            "upl": self.upl,
        }


@dataclass(frozen=True)
class SPCResult:
    periods: tuple[Period, ...]
    special_cause: tuple[str, ...]  # per point: improvement, concern, neutral_high, neutral_low or neither
    special_cause_rule: tuple[str | None, ...]  # per point: astronomical, trend, two_in_three, shift or None
    variation_icon: str | None
    assurance_icon: str | None  # pass, fail, inconsistent; None without a target or for neutral
    trial_limits: bool
    mean: tuple[float | None, ...]  # per point; None where the value is missing or the mean undefined
    lpl: tuple[float | None, ...]
    upl: tuple[float | None, ...]
    values: tuple[float | None, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "periods": [period.to_json() for period in self.periods],
            "special_cause": list(self.special_cause),
            "special_cause_rule": list(self.special_cause_rule),
            "variation_icon": self.variation_icon,
            "assurance_icon": self.assurance_icon,
            "trial_limits": self.trial_limits,
        }


@dataclass(frozen=True)
class _Spec:
    """One validated series."""

    values: npt.NDArray[np.float64]
    direction: int  # +1 increase, -1 decrease, 0 neutral
    target: float | None
    starts: tuple[int, ...]  # first index of each period, beginning with 0
    screen_outliers: bool
    fix_after: int | None


def analyse(
    values: Sequence[float | None],
    *,
    improvement_direction: Direction = "increase",
    target: float | None = None,
    rebase_at: Sequence[int] = (),
    screen_outliers: bool = True,
    fix_after_n_points: int | None = None,
) -> SPCResult:
    """Analyse one series as an XmR chart. None or NaN is a missing value."""
    return _analyse_specs(
        [_validate(values, improvement_direction, target, rebase_at, screen_outliers, fix_after_n_points, None)]
    )[0]


def analyse_many(series: Iterable[Mapping[str, Any]]) -> list[SPCResult]:
    """Analyse many series at once; each mapping holds `analyse`'s arguments by name."""
    specs: list[_Spec] = []
    for number, kwargs in enumerate(series):
        unknown = set(kwargs) - _ARGUMENTS
        if unknown:
            raise SPCInputError(f"series {number}: unknown field {sorted(unknown)[0]!r}")
        if "values" not in kwargs:
            raise SPCInputError(f"series {number}: field 'values' is required")
        specs.append(
            _validate(
                kwargs["values"],
                kwargs.get("improvement_direction", "increase"),
                kwargs.get("target"),
                kwargs.get("rebase_at", ()),
                kwargs.get("screen_outliers", True),
                kwargs.get("fix_after_n_points"),
                number,
            )
        )
    return _analyse_specs(specs)


_ARGUMENTS = frozenset(
    {"values", "improvement_direction", "target", "rebase_at", "screen_outliers", "fix_after_n_points"}
)


# Validation -------------------------------------------------------------------------------


def _is_number(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_)


def _validate(
    values: Any,
    direction: Any,
    target: Any,
    rebase_at: Any,
    screen_outliers: Any,
    fix_after: Any,
    number: int | None,
) -> _Spec:
    where = "" if number is None else f"series {number}, "

    def fail(field: str, message: str) -> SPCInputError:
        return SPCInputError(f"{where}field {field!r}: {message}")

    if isinstance(values, np.ndarray):
        if values.ndim != 1 or values.dtype.kind not in "fiu":
            raise fail("values", "must be a one-dimensional array of numbers")
        array = values.astype(np.float64)
    else:
        if type(values) is not list:
            if isinstance(values, str | bytes | Mapping) or not isinstance(values, Iterable):
                raise fail("values", "must be a list of numbers or nulls")
            values = list(values)
        if not _FLOAT_TYPES.issuperset(map(type, values)):
            for index, value in enumerate(values):
                if value is not None and not _is_number(value):
                    raise fail("values", f"item {index} is {value!r}, not a number or null")
        array = np.array(values, dtype=np.float64)
    infinite = np.isinf(array)
    if infinite.any():
        raise fail("values", f"item {int(np.argmax(infinite))} is infinite")

    if direction not in DIRECTIONS:
        raise fail("improvement_direction", f"{direction!r} is not one of {', '.join(DIRECTIONS)}")

    if target is not None:
        if not _is_number(target) or not math.isfinite(target):
            raise fail("target", f"{target!r} is not a finite number")
        target = float(target)

    if isinstance(rebase_at, str | bytes) or not isinstance(rebase_at, Iterable):
        raise fail("rebase_at", "must be a list of point indices")
    starts = {0}
    for index in rebase_at:
        if not isinstance(index, numbers.Integral) or isinstance(index, bool | np.bool_):
            raise fail("rebase_at", f"{index!r} is not a whole number")
        if not 0 <= int(index) < len(array):
            raise fail("rebase_at", f"index {index} is outside the series (0 to {len(array) - 1})")
        starts.add(int(index))

    if not isinstance(screen_outliers, bool | np.bool_):
        raise fail("screen_outliers", f"{screen_outliers!r} is not true or false")

    if fix_after is not None:
        if not isinstance(fix_after, numbers.Integral) or isinstance(fix_after, bool | np.bool_):
            raise fail("fix_after_n_points", f"{fix_after!r} is not a whole number")
        if int(fix_after) < MIN_FIX_AFTER:
            raise fail("fix_after_n_points", f"{fix_after} is fewer than {MIN_FIX_AFTER} points")
        fix_after = int(fix_after)

    return _Spec(
        values=array,
        direction={"increase": 1, "decrease": -1, "neutral": 0}[direction],
        target=target,
        starts=tuple(sorted(starts)) if len(array) else (),
        screen_outliers=bool(screen_outliers),
        fix_after=fix_after,
    )


# Computation ------------------------------------------------------------------------------

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.intp]


def _runs_of(flag: BoolArray, start: BoolArray, length: int) -> BoolArray:
    """Whether the `length` points ending here are all flagged and all in one group."""
    flagged = np.concatenate(([0], np.cumsum(flag, dtype=np.int32)))
    starts = np.concatenate(([0], np.cumsum(start, dtype=np.int32)))
    result: BoolArray = np.zeros(len(flag), dtype=bool)
    if len(flag) >= length:
        # Points i-length+1 .. i all flagged, and no group starts at i-length+2 .. i.
        result[length - 1 :] = (flagged[length:] - flagged[:-length] == length) & (
            starts[length:] - starts[1 : len(starts) - length + 1] == 0
        )
    return result


def _part_of(ends: BoolArray, length: int) -> BoolArray:
    """Whether a point lies in a window of `length` points ending at a point where `ends` is set.

    A window never crosses a group's edge, so neither does the result."""
    total = len(ends)
    counts = np.concatenate(([0], np.cumsum(ends, dtype=np.int32)))
    # The number of ends among points i .. i+length-1 (clipped at the last point).
    ahead = np.concatenate((counts[length:], np.full(min(length - 1, total), counts[-1], dtype=np.int32)))
    result: BoolArray = ahead[:total] - counts[:total] > 0
    return result


def _group_mean(weights: FloatArray, group: IntArray, groups: int) -> FloatArray:
    present = ~np.isnan(weights)
    totals = np.bincount(group, weights=np.where(present, weights, 0.0), minlength=groups)
    counts = np.bincount(group, weights=present, minlength=groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        result: FloatArray = totals / counts  # 0/0 is NaN: an undefined mean, as R's mean(numeric(0))
    return result


CHUNK_POINTS = 1 << 16  # arrays of this many points stay in the processor's cache


def _analyse_specs(specs: list[_Spec]) -> list[SPCResult]:
    results: list[SPCResult] = []
    chunk: list[_Spec] = []
    points = 0
    for spec in specs:
        chunk.append(spec)
        points += len(spec.values)
        if points >= CHUNK_POINTS:
            results += _analyse_chunk(chunk)
            chunk, points = [], 0
    if chunk or not results:
        results += _analyse_chunk(chunk)
    return results


def _analyse_chunk(specs: list[_Spec]) -> list[SPCResult]:
    lengths = np.array([len(spec.values) for spec in specs], dtype=np.intp)
    total = int(lengths.sum())
    y: FloatArray = np.concatenate([spec.values for spec in specs]) if total else np.zeros(0)
    series_start = np.concatenate(([0], np.cumsum(lengths)[:-1])) if specs else np.zeros(0, dtype=np.intp)

    # Group (period) starts as flat indices.
    group_first_list: list[int] = []
    for offset, spec in zip(series_start.tolist(), specs, strict=True):
        group_first_list.extend(offset + s for s in spec.starts)
    group_first = np.array(group_first_list, dtype=np.intp)
    groups = len(group_first)
    start: BoolArray = np.zeros(total, dtype=bool)
    start[group_first] = True
    group: IntArray = np.cumsum(start) - 1
    group_sizes = np.diff(np.append(group_first, total))
    position = np.arange(total) - group_first[group] if total else np.zeros(0, dtype=np.intp)
    series_of_group = np.repeat(np.arange(len(specs)), [len(spec.starts) for spec in specs])

    fix_after = np.array([spec.fix_after or total + 1 for spec in specs], dtype=np.intp)
    screen = np.array([spec.screen_outliers for spec in specs], dtype=bool)

    # Centre line and limits, from the first `fix_after` points of each group when fixed.
    fixed_y = np.where(position < fix_after[series_of_group][group], y, np.nan) if total else y
    mean = _group_mean(fixed_y, group, groups)
    moving_range = np.abs(np.diff(fixed_y, prepend=np.nan))
    moving_range[start] = np.nan
    mean_mr = _group_mean(moving_range, group, groups)
    with np.errstate(invalid="ignore"):
        screened = np.where(moving_range < MR_SCREEN * mean_mr[group], moving_range, np.nan)
    moving_range = np.where(screen[series_of_group][group], screened, moving_range)
    mean_mr = _group_mean(moving_range, group, groups)
    lpl = mean - LIMIT * mean_mr
    upl = mean + LIMIT * mean_mr
    near_lpl = mean - NEAR_LIMIT * mean_mr
    near_upl = mean + NEAR_LIMIT * mean_mr

    # Where a comparison involves a missing value the package's answer is NA, which no rule counts.
    point_mean, point_lpl, point_upl = mean[group], lpl[group], upl[group]
    known = ~np.isnan(y) & ~np.isnan(point_upl)
    with np.errstate(invalid="ignore"):
        outside = known & ((y > point_upl) | (y < point_lpl))
        close = known & ~outside & ((y < near_lpl[group]) | (y > near_upl[group]))
        side = np.sign(y - point_mean)  # NaN when unknown; 0 exactly on the mean
    above, below = side == 1, side == -1

    # Trend: 7 points each strictly beyond the last (a tie or a missing value breaks it).
    with np.errstate(invalid="ignore"):
        step = np.sign(np.diff(y, prepend=np.nan))
    step[start] = 0
    step = np.nan_to_num(step, nan=0.0)
    # A step is 0 at a group's first point, so six steps in a row never cross a group's edge.
    trend_end = np.zeros(total, dtype=bool)
    steps = RUN_LENGTH - 1
    trend_end[1:] = _runs_of(step[1:] == 1, start[1:], steps) | _runs_of(step[1:] == -1, start[1:], steps)
    in_trend = _part_of(trend_end, RUN_LENGTH)
    # The package reads a trend point's direction from the step to the next point when that point
    # is in a trend too, otherwise from the step to it; anything but a rise reads as "decreasing".
    next_in_trend = np.zeros(total, dtype=bool)
    next_in_trend[:-1] = in_trend[1:] & ~start[1:]
    next_step = np.append(step[1:], 0.0)
    trend_rising = np.where(in_trend & next_in_trend, next_step, step) == 1

    # Two of three: a window of three points of one group, all on the same side of the mean,
    # at least two of them near (beyond two-thirds of the way to) a limit but not beyond it.
    near_count = close[2:].astype(np.int8) + close[1:-1] + close[:-2]
    side_sum = np.nan_to_num(side[2:] + side[1:-1] + side[:-2], nan=0.0)
    window_ok = (near_count >= 2) & (np.abs(side_sum) == 3) & ~start[2:] & ~start[1:-1] if total > 2 else None
    in_two_of_three = np.zeros(total, dtype=bool)
    if window_ok is not None:
        for shift in range(3):
            in_two_of_three[shift : total - 2 + shift] |= window_ok
    in_two_of_three &= close

    # Shift: 7 points in a row on one side of the mean (a point on the mean breaks the run).
    shift_end = _runs_of(above, start, RUN_LENGTH) | _runs_of(below, start, RUN_LENGTH)
    in_shift = _part_of(shift_end, RUN_LENGTH)

    # The package's priority: beyond a limit, then trend, then two of three, then shift.
    rule = np.select([outside, in_trend, in_two_of_three, in_shift], [1, 2, 3, 4], 0).astype(np.int8)
    high = np.select([rule == 1, rule == 2], [above, trend_rising], above)
    direction = np.array([spec.direction for spec in specs], dtype=np.int8)
    point_direction = np.repeat(direction, lengths)
    # Codes index SPECIAL_CAUSES: 0 neither, 1 improvement, 2 concern, 3 neutral_high, 4 neutral_low.
    cause = np.where(
        point_direction == 0,
        np.where(high, 3, 4),
        np.where(high == (point_direction == 1), 1, 2),
    ).astype(np.int8)
    cause[rule == 0] = 0

    # Building a few hundred thousand small tuples would otherwise trigger many needless passes
    # of the cyclic garbage collector (none of these objects can form a cycle).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _assemble(specs, lengths, series_start, y, group_first, group_sizes, mean, lpl, upl, rule, cause)
    finally:
        if collecting:
            gc.enable()


def _optional(values: FloatArray) -> list[float | None]:
    return [None if v != v else v for v in values.tolist()]


_CAUSE_LABELS = np.array(SPECIAL_CAUSES, dtype=object)
_RULE_LABELS = np.array(RULES, dtype=object)


def _assemble(
    specs: list[_Spec],
    lengths: IntArray,
    series_start: IntArray,
    y: FloatArray,
    group_first: IntArray,
    group_sizes: IntArray,
    mean: FloatArray,
    lpl: FloatArray,
    upl: FloatArray,
    rule: npt.NDArray[np.int8],
    cause: npt.NDArray[np.int8],
) -> list[SPCResult]:
    causes = _CAUSE_LABELS[cause].tolist()
    rules = _RULE_LABELS[rule].tolist()
    missing = np.isnan(y)
    y_list: list[float | None] = y.tolist()
    missing_at = np.flatnonzero(missing).tolist()
    for index in missing_at:
        y_list[index] = None
    missing_before = np.concatenate(([0], np.cumsum(missing)))
    missing_count = missing_before[series_start + lengths] - missing_before[series_start]
    period_mean, period_lpl, period_upl = _optional(mean), _optional(lpl), _optional(upl)
    firsts, sizes = group_first.tolist(), group_sizes.tolist()

    results: list[SPCResult] = []
    g = 0
    counts = zip(series_start.tolist(), lengths.tolist(), missing_count.tolist(), strict=True)
    for spec, (offset, length, gaps) in zip(specs, counts, strict=True):
        end = offset + length
        periods = []
        point_mean: list[float | None] = []
        point_lpl: list[float | None] = []
        point_upl: list[float | None] = []
        for _ in spec.starts:
            size = sizes[g]
            periods.append(
                Period(
                    first_index=firsts[g] - offset,
                    last_index=firsts[g] - offset + size - 1,
                    mean=period_mean[g],
                    lpl=period_lpl[g],
                    upl=period_upl[g],
                    trial=size < TRIAL_BELOW,
                )
            )
            point_mean += [period_mean[g]] * size
            point_lpl += [period_lpl[g]] * size
            point_upl += [period_upl[g]] * size
            g += 1
        values = y_list[offset:end]
        if gaps:
            for index, value in enumerate(values):
                if value is None:
                    point_mean[index] = point_lpl[index] = point_upl[index] = None
        has_values = gaps < length
        results.append(
            SPCResult(
                periods=tuple(periods),
                special_cause=tuple(causes[offset:end]),
                special_cause_rule=tuple(rules[offset:end]),
                variation_icon=_variation_icon(causes[end - 1], spec.direction) if has_values else None,
                assurance_icon=_assurance_icon(spec, periods[-1]) if has_values else None,
                trial_limits=not periods or min(sizes[g - len(periods) : g]) < TRIAL_BELOW,
                mean=tuple(point_mean),
                lpl=tuple(point_lpl),
                upl=tuple(point_upl),
                values=tuple(values),
            )
        )
    return results


def _variation_icon(cause: str, direction: int) -> str:
    if cause == "improvement":
        return "improvement_high" if direction == 1 else "improvement_low"
    if cause == "concern":
        return "concern_low" if direction == 1 else "concern_high"
    if cause == "neither":
        return "common_cause"
    return cause  # neutral_high, neutral_low


def _constant_value(spec: _Spec, last: Period) -> float | None:
    """The value of the latest period when it has at least two points and all are the same (and
    its limits are therefore undefined or of zero width); otherwise None."""
    if last.lpl is not None and last.upl is not None and last.lpl != last.upl:
        return None
    points = spec.values[last.first_index : last.last_index + 1]
    points = points[~np.isnan(points)]
    if points.size < 2 or not bool(np.all(points == points[0])):
        return None
    return float(points[0])


def _assurance_icon(spec: _Spec, last: Period) -> str | None:
    """Compare the target with the latest period's limits. Undefined limits (a single point)
    compare as neither above nor below: the package's NA comparisons.

    One deliberate difference from the package (ADR 19): when every point of the latest period is
    the same value, the limits are undefined (screening drops every moving range of 0) or of zero
    width, and the package says "inconsistent". A process that gives the same value every time
    meets the target every time or misses it every time, so it passes or fails by that value (a
    value equal to the target meets it). The limits themselves stay as the package computes them."""
    if spec.target is None or spec.direction == 0:
        return None
    constant = _constant_value(spec, last)
    if constant is not None:
        meets = constant >= spec.target if spec.direction == 1 else constant <= spec.target
        return "pass" if meets else "fail"
    if last.upl is not None and spec.target > last.upl:
        return "fail" if spec.direction == 1 else "pass"
    if last.lpl is not None and spec.target < last.lpl:
        return "pass" if spec.direction == 1 else "fail"
    return "inconsistent"
