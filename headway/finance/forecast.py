"""Forecasting that admits uncertainty: discounting, optimism bias, reference classes, Monte Carlo.

Pure computation (numpy and scipy); no Django. Money is in pounds, durations in months, rates and
biases as fractions (0.035 is 3.5%, 2.0 is +200%). docs/forecasting.md describes the model, every
parameter and its source; the short version:

- `npv` and `appraise` discount at the HM Treasury Green Book's real rates: 3.5% a year to year 30,
  then its lower long-term rates (3.0% for years 31–75, 2.5% for years 76–125, and so on).
- `combined_upper_bound`, `resultant_bias` and `adjust` follow HM Treasury's supplementary Green
  Book guidance on optimism bias (2003, from Mott MacDonald's 2002 review of large public
  procurement), and reproduce its worked examples.
- `reference_class_forecast` uses the organisation's own finished initiatives (Flyvbjerg's
  "outside view"), and falls back to the Green Book adjustment when there are too few of them.
- `delivery_shape` flags work that shows nothing to real users early, or delivers all its value
  at the end.
- `simulate_portfolio` draws fat-tailed, correlated cost and schedule overruns and benefit
  shortfalls for every item of a portfolio, calibrated to Flyvbjerg and Budzier (2011, Harvard
  Business Review, "Why your IT project may be riskier than you think"), and reports P10/P50/P80/P90
  by financial year.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix
from scipy.special import log_ndtr, ndtri

from headway.lib.percentages import percent

FloatArray = npt.NDArray[np.float64]

#: HM Treasury Green Book real discount rate for the first 30 years of an appraisal.
GREEN_BOOK_RATE = 0.035
#: The Green Book's long-term discount rates (HM Treasury, The Green Book, 2022, Annex A6, table 8:
#: 3.5% for years 0–30, 3.0% for 31–75, 2.5% for 76–125, 2.0% for 126–200, 1.5% for 201–300, 1.0%
#: after), each as a share of the rate for years 0–30: (last year of the step, share); None = no end.
#: A case at another rate (the Green Book's 1.5% for health effects, table 9) falls by the same
#: shares, which gives that table's rates (1.29%, 1.07%, …).
LONG_TERM_STEPS: tuple[tuple[int | None, float], ...] = (
    (30, 1.0),
    (75, 3.0 / 3.5),
    (125, 2.5 / 3.5),
    (200, 2.0 / 3.5),
    (300, 1.5 / 3.5),
    (None, 1.0 / 3.5),
)
#: Fewer finished initiatives than this and a reference class says more about luck than about us.
MIN_REFERENCE_CLASS = 5
#: Contributions in the guidance's tables are whole percentages (some "< 1"), so a column can add
#: up to a little over 100% by rounding alone.
CONTRIBUTION_TOLERANCE = 0.05
#: The percentiles a portfolio forecast reports unless asked for others.
PERCENTILES: tuple[int, ...] = (10, 50, 80, 90)

_SHARE_TOLERANCE = 1e-9


# --------------------------------------------------------------------------- checks


def _finite(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise ValueError(f"{name} must be a number, not {value!r}.")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite number, not {number!r}.")
    return number


def _numbers(name: str, values: Sequence[float], *, non_negative: bool = False) -> list[float]:
    if isinstance(values, str | bytes) or not isinstance(values, Sequence | np.ndarray):
        raise ValueError(f"{name} must be a list of numbers.")
    checked = []
    for index, value in enumerate(values):
        number = _finite(f"{name}[{index}]", value)
        if non_negative and number < 0:
            raise ValueError(f"{name}[{index}] is negative ({number:g}); amounts must be zero or more.")
        checked.append(number)
    return checked


def _times(ratio: float) -> str:
    return f"{ratio:.2f}×"


# --------------------------------------------------------------------------- discounting


def year_rate(year: int, rate: float = GREEN_BOOK_RATE) -> float:
    """The discount rate for the step from year − 1 to `year` (year ≥ 1): `rate` to year 30, then
    the Green Book's lower long-term rates (`LONG_TERM_STEPS`)."""
    for last, share in LONG_TERM_STEPS:
        if last is None or year <= last:
            return rate * share
    raise AssertionError("the last step has no end")  # pragma: no cover


def discount_factors(years: int, rate: float = GREEN_BOOK_RATE) -> list[float]:
    """The discount factor of years 0 … years − 1: 1 for year 0, and for year t the factor of
    year t − 1 divided by (1 + that year's rate). With 3.5%: 1/1.035^t to year 30, then
    1/(1.035^30 × 1.03^(t − 30)) to year 75, and so on."""
    rate = _finite("rate", rate)
    if rate <= -1:
        raise ValueError(f"rate must be above -1 (−100%), not {rate:g}.")
    factors: list[float] = []
    factor = 1.0
    for year in range(years):
        if year:
            factor /= 1 + year_rate(year, rate)
        factors.append(factor)
    return factors


def npv(flows: Sequence[float], rate: float = GREEN_BOOK_RATE) -> float:
    """Net present value: flows[0] is year 0 (not discounted), flows[t] is multiplied by year t's
    discount factor (`discount_factors`).

    The Green Book discounts real (inflation-removed) flows at 3.5% a year for the first 30 years
    and at its lower long-term rates after; flows are summed with `math.fsum` so the order of years
    cannot change the answer.
    """
    values = _numbers("flows", flows)
    factors = discount_factors(len(values), rate)
    return math.fsum(value * factor for value, factor in zip(values, factors, strict=True))


@dataclass(frozen=True)
class Appraisal:
    pv_costs: float
    pv_benefits: float
    npv: float  # pv_benefits − pv_costs
    bcr: float | None  # benefit–cost ratio; None when the costs' present value is 0


def appraise(costs: Sequence[float], benefits: Sequence[float], rate: float = GREEN_BOOK_RATE) -> Appraisal:
    """Present values, net present value and benefit–cost ratio of costs and benefits by year.

    Both sequences start at year 0 and may differ in length (a missing year is a zero).
    """
    pv_costs = npv(costs, rate)
    pv_benefits = npv(benefits, rate)
    return Appraisal(
        pv_costs=pv_costs,
        pv_benefits=pv_benefits,
        npv=pv_benefits - pv_costs,
        bcr=None if pv_costs == 0 else pv_benefits / pv_costs,
    )


# --------------------------------------------------------------------------- optimism bias


def combined_upper_bound(parts: Sequence[tuple[float, float]]) -> float:
    """The upper bound for a project made of parts of different types: Σ share × upper bound.

    HM Treasury's example (supplementary guidance on optimism bias, section 2.4): a building that is
    30% non-standard (upper bound 51%) and 70% standard (24%) has a combined bound of 32.1%.
    Shares are fractions of the capital cost (or of the works duration) and must add up to 1.
    """
    if not parts:
        raise ValueError("Give at least one part as (share, upper bound).")
    total_share = 0.0
    combined = 0.0
    for index, part in enumerate(parts):
        if not isinstance(part, tuple | list) or len(part) != 2:
            raise ValueError(f"parts[{index}] must be a pair (share, upper bound), not {part!r}.")
        share = _finite(f"parts[{index}] share", part[0])
        upper = _finite(f"parts[{index}] upper bound", part[1])
        if not 0 <= share <= 1:
            raise ValueError(f"parts[{index}] share is {share:g}; a share must be between 0 and 1.")
        if upper < 0:
            raise ValueError(f"parts[{index}] upper bound is {upper:g}; an upper bound cannot be negative.")
        total_share += share
        combined += share * upper
    if abs(total_share - 1) > _SHARE_TOLERANCE:
        raise ValueError(
            f"The shares must add up to 1 (100%), but they add up to {total_share:.6g} ({percent(total_share)})."
        )
    return combined


def resultant_bias(upper: float, factors: Sequence[tuple[float, float]], lower: float | None = None) -> float:
    """Optimism bias left after managing risks: upper × (1 − Σ contribution × mitigation).

    From HM Treasury's supplementary Green Book guidance on optimism bias (2003). Each factor is a
    project risk area's contribution to the bias, as a fraction of the bias (0.22 for 22%), and how
    fully its risks are managed (0 = not at all, 1 = fully). Contributions may add up to a little over
    1 (CONTRIBUTION_TOLERANCE), because the published tables round them; the result never goes below
    0. With `lower` (the type's lower bound) the result is not allowed below it: the guidance treats
    the lower bound as what effective risk management achieves by contract award, so claiming more
    mitigation than that is not credible.
    """
    upper = _finite("upper", upper)
    if upper < 0:
        raise ValueError(f"upper is {upper:g}; an upper bound cannot be negative.")
    managed = 0.0
    total = 0.0
    for index, factor in enumerate(factors):
        if not isinstance(factor, tuple | list) or len(factor) != 2:
            raise ValueError(f"factors[{index}] must be a pair (contribution, mitigation), not {factor!r}.")
        contribution = _finite(f"factors[{index}] contribution", factor[0])
        mitigation = _finite(f"factors[{index}] mitigation", factor[1])
        if contribution < 0:
            raise ValueError(f"factors[{index}] contribution is {contribution:g}; contributions cannot be negative.")
        if not 0 <= mitigation <= 1:
            raise ValueError(
                f"factors[{index}] mitigation is {mitigation:g}; mitigation runs from 0 (none) to 1 (fully managed)."
            )
        total += contribution
        managed += contribution * mitigation
    if total > 1 + CONTRIBUTION_TOLERANCE:
        raise ValueError(
            f"The contributions add up to {percent(total)} of the bias; they cannot add up to more than 100% "
            f"(allowing {percent(CONTRIBUTION_TOLERANCE)} for rounding in the published tables)."
        )
    result = upper * max(0.0, 1 - managed)
    if lower is not None:
        lower = _finite("lower", lower)
        if lower < 0:
            raise ValueError(f"lower is {lower:g}; a lower bound cannot be negative.")
        if lower > upper:
            raise ValueError(f"The lower bound ({percent(lower)}) is above the upper bound ({percent(upper)}).")
        result = max(result, lower)
    return result


def adjust(value: float, bias: float) -> float:
    """An estimate raised by an optimism bias: value × (1 + bias)."""
    return _finite("value", value) * (1 + _finite("bias", bias))


# --------------------------------------------------------------------------- reference classes


@dataclass(frozen=True)
class ClassForecast:
    planned: float
    p50: float
    p80: float
    n: int  # finished initiatives in the reference class
    fallback: bool  # True: too few of them, so p50 = p80 = the Green Book adjusted figure
    explanation: str


def _at_or_below(ratios: Sequence[float], shown: float) -> str:
    """How many of the ratios are at or below a percentile as it is shown (two decimals), counted:
    with few initiatives an interpolated percentile is not the share its name suggests (the 80th
    of 8 ratios has 6 of them, not "four in five", at or below it)."""
    limit = float(f"{shown:.2f}")
    count = sum(1 for ratio in ratios if ratio <= limit + 1e-12)
    return f"{count} of the {len(ratios)}"


def reference_class_forecast(
    planned: float, ratios: Sequence[float], *, fallback_bias: float, minimum: int = MIN_REFERENCE_CLASS
) -> ClassForecast:
    """P50 and P80 for a plan from how the organisation's finished initiatives did against theirs.

    `ratios` are actual ÷ planned (cost, duration or months to first benefit) of finished initiatives.
    With at least `minimum` of them, P50 and P80 are the plan times the 50th and 80th percentiles of
    the ratios (numpy's default percentile: linear interpolation between the nearest ranks). With
    fewer, both are the plan adjusted by `fallback_bias` (the Green Book optimism bias for the
    type of project), and the explanation says why no range is given.
    """
    planned = _finite("planned", planned)
    if planned < 0:
        raise ValueError(f"planned is {planned:g}; a plan cannot be negative.")
    fallback_bias = _finite("fallback_bias", fallback_bias)
    if fallback_bias <= -1:
        raise ValueError(f"fallback_bias is {fallback_bias:g}; it must be above -1 (−100%).")
    if isinstance(minimum, bool) or not isinstance(minimum, int) or minimum < 1:
        raise ValueError(f"minimum must be a whole number of at least 1, not {minimum!r}.")
    values = _numbers("ratios", ratios)
    for index, ratio in enumerate(values):
        if ratio <= 0:
            raise ValueError(f"ratios[{index}] is {ratio:g}; an actual ÷ planned ratio must be above 0.")
    n = len(values)
    if n < minimum:
        adjusted = adjust(planned, fallback_bias)
        have = {0: "No finished initiatives have", 1: "Only 1 finished initiative has"}.get(
            n, f"Only {n} finished initiatives have"
        )
        explanation = (
            f"{have} a recorded outcome to compare with, fewer than the {minimum} needed for a reference class. "
            f"So this uses the Green Book optimism-bias adjustment instead ({percent(fallback_bias)} on the plan), "
            "and gives one figure, not a range: P50 and P80 are both the adjusted plan."
        )
        return ClassForecast(planned=planned, p50=adjusted, p80=adjusted, n=n, fallback=True, explanation=explanation)
    p50_ratio, p80_ratio = (float(q) for q in np.percentile(np.asarray(values, dtype=np.float64), [50, 80]))
    explanation = (
        f"Based on {n} finished initiatives of ours: {_at_or_below(values, p50_ratio)} ended at or below "
        f"{_times(p50_ratio)} what they planned, and {_at_or_below(values, p80_ratio)} at or below "
        f"{_times(p80_ratio)}. "
        f"Applied to this plan, that gives a P50 of {_times(p50_ratio)} and a P80 of {_times(p80_ratio)} the plan."
    )
    return ClassForecast(
        planned=planned,
        p50=planned * p50_ratio,
        p80=planned * p80_ratio,
        n=n,
        fallback=False,
        explanation=explanation,
    )


# --------------------------------------------------------------------------- delivery shape


@dataclass(frozen=True)
class DeliveryShape:
    weeks_to_first_release: float | None  # start to first release to real users; None if none yet
    weeks_to_first_benefit: float | None  # start to first measured benefit; None if none yet
    no_early_release: bool
    value_only_at_end: bool
    flags: tuple[str, ...]  # one plain-English sentence per flag set


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    # 31 January + 1 month is the last day of February, as people count it.
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _weeks(start: dt.date, end: dt.date) -> float:
    return (end - start).days / 7


def delivery_shape(
    start: dt.date | None,
    first_release: dt.date | None,
    planned_go_live: dt.date | None,
    first_benefit: dt.date | None,
    today: dt.date,
    *,
    release_weeks: int = 12,
    planned_first_release: dt.date | None = None,
) -> DeliveryShape:
    """How early an initiative puts something in front of real users, and whether its value comes
    only at the end ("big bang").

    - `no_early_release`: work has started and nothing reached real users within `release_weeks`
      weeks of the start (either nothing yet, and that long has passed, or the first release came
      later than that).
    - `value_only_at_end`: go-live is planned more than 12 months after the start and nothing is
      released before it (no release at all, or the first one on or after go-live). This is a
      property of the plan, so it is flagged before work starts too. A `planned_first_release`
      before go-live breaks up the big bang while it is still to come: before work starts, or
      while its date has not yet passed. Once that date has passed with nothing released, only a
      real release counts.

    Dates after `today` have not happened yet, so a first release or benefit dated in the future
    counts as none. Nothing is flagged without a start date.
    """
    if isinstance(release_weeks, bool) or not isinstance(release_weeks, int) or release_weeks < 1:
        raise ValueError(f"release_weeks must be a whole number of at least 1, not {release_weeks!r}.")
    released = first_release if first_release is not None and first_release <= today else None
    benefited = first_benefit if first_benefit is not None and first_benefit <= today else None
    if start is None:
        return DeliveryShape(None, None, no_early_release=False, value_only_at_end=False, flags=())
    weeks_to_release = _weeks(start, released) if released is not None else None
    weeks_to_benefit = _weeks(start, benefited) if benefited is not None else None
    deadline = start + dt.timedelta(weeks=release_weeks)
    started = start <= today
    flags: list[str] = []
    no_early_release = False
    if started and released is None and today > deadline:
        no_early_release = True
        flags.append(
            f"Nothing has reached real users in the {math.floor(_weeks(start, today))} weeks since work started; "
            f"something usable should be in users' hands within {release_weeks} weeks."
        )
    elif started and released is not None and released > deadline:
        no_early_release = True
        assert weeks_to_release is not None
        flags.append(
            f"The first release to real users came {math.floor(weeks_to_release)} weeks after work started, "
            f"later than the {release_weeks} weeks to aim for."
        )
    value_only_at_end = False
    big_bang = planned_go_live is not None and planned_go_live > _add_months(start, 12)
    # A first release before go-live breaks up the big bang: a real one, or the plan's while it is
    # still to come (before work starts, or while its date is still ahead).
    first = released
    if planned_first_release is not None and (not started or planned_first_release >= today):
        first = planned_first_release if first is None else min(first, planned_first_release)
    if big_bang and planned_go_live is not None and (first is None or first >= planned_go_live):
        value_only_at_end = True
        months = (planned_go_live.year - start.year) * 12 + planned_go_live.month - start.month
        flags.append(
            f"All the value is planned to arrive at the end: go-live is about {months} months after the start, "
            "with nothing released to real users before it."
        )
    return DeliveryShape(
        weeks_to_first_release=weeks_to_release,
        weeks_to_first_benefit=weeks_to_benefit,
        no_early_release=no_early_release,
        value_only_at_end=value_only_at_end,
        flags=tuple(flags),
    )


# --------------------------------------------------------------------------- Monte Carlo: the model


@dataclass(frozen=True)
class PlannedItem:
    """One initiative as planned. Years are financial years counted from year 0 of the forecast."""

    key: str
    cost_by_year: Sequence[float]
    benefits_by_year: Sequence[float]
    # Months from the forecast's start until the planned finish (go-live); below 0 once it has passed.
    planned_months: float
    # Months from the forecast's start until work starts; below 0 for work already under way (how
    # many months ago it started), so that a slip stretches the whole planned duration.
    start_month: float = 0.0
    group: str = ""  # a shared supplier or team: items in one group share an extra shock


@dataclass(frozen=True)
class OverrunModel:
    """How far digital work strays from plan. docs/forecasting.md gives the reasons and sources.

    Each item in each trial gets one standard-normal score Z. Scores are correlated: Z mixes a shock
    common to the whole portfolio (weight `common_weight`), one shared by the item's group
    (`group_weight`) and the item's own (the rest) — a Gaussian copula. The item's cost, schedule and
    benefit ratios (actual ÷ planned) all follow from its Z, so an item that goes badly costs more,
    finishes later and delivers less:

    - the top `black_swan_share` of scores are black swans: ratio = swan minimum × X, where X is
      Pareto-distributed with tail index `tail_index` (X ≥ 1, mean tail/(tail − 1)), so the black
      swans' mean overrun is `*_swan_mean_overrun` exactly;
    - the rest follow a log-normal body, exp(μ + σZ), cut off where the swans begin; σ is the
      `*_spread` and μ is set so that the mean over all items is `*_mean_overrun`.

    Benefits use the same shape mirrored: black swans deliver (1 − `benefit_swan_shortfall`) of plan;
    the rest exp(μ − σZ), with μ set so that the mean shortfall over all items is
    `benefit_mean_shortfall`.
    """

    # Flyvbjerg and Budzier (2011): one IT project in six is a black swan ...
    black_swan_share: float = 1 / 6
    # ... whose overruns average 200% (cost) and almost 70% (schedule), with a power-law tail. Flyvbjerg
    # et al. (2022) find IT's tail fatter still (index ≤ 1, no finite mean); 3 keeps a mean to match.
    tail_index: float = 3.0
    # Mean cost overrun over all IT projects: 27% (Flyvbjerg and Budzier 2011).
    cost_mean_overrun: float = 0.27
    cost_swan_mean_overrun: float = 2.0
    # Spread of the body: about 8 in 10 projects miss their cost estimate by more than 10%
    # (Budzier and Flyvbjerg 2011, "Double whammy").
    cost_spread: float = 0.35
    # Non-swans 7% late on average (Bloch, Blumberg and Laartz 2012, McKinsey–Oxford), swans 70%.
    schedule_mean_overrun: float = (5 * 0.07 + 0.70) / 6
    schedule_swan_mean_overrun: float = 0.70
    schedule_spread: float = 0.20  # a judgement, below the cost spread as the studies find for overruns
    # Black swans deliver 56% less value than planned (McKinsey–Oxford's average for large IT projects);
    # the rest, on average, what they planned.
    benefit_mean_shortfall: float = 0.56 / 6
    benefit_swan_shortfall: float = 0.56
    benefit_spread: float = 0.20  # a judgement
    # Correlation of scores: any two items 0.2; two items in one group 0.4 (judgements).
    common_weight: float = 0.2
    group_weight: float = 0.2
    # Years reported after the last planned year; the final year also holds everything later.
    extra_years: int = 3

    def __post_init__(self) -> None:
        for name in (
            "black_swan_share",
            "tail_index",
            "cost_mean_overrun",
            "cost_swan_mean_overrun",
            "cost_spread",
            "schedule_mean_overrun",
            "schedule_swan_mean_overrun",
            "schedule_spread",
            "benefit_mean_shortfall",
            "benefit_swan_shortfall",
            "benefit_spread",
            "common_weight",
            "group_weight",
        ):
            _finite(f"OverrunModel.{name}", getattr(self, name))
        if not 0 <= self.black_swan_share < 1:
            raise ValueError(f"black_swan_share is {self.black_swan_share:g}; it must be at least 0 and below 1.")
        if self.tail_index <= 1:
            raise ValueError(f"tail_index is {self.tail_index:g}; it must be above 1 for the overruns to have a mean.")
        for name in ("cost_spread", "schedule_spread", "benefit_spread", "common_weight", "group_weight"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} is {getattr(self, name):g}; it cannot be negative.")
        if self.common_weight + self.group_weight > 1:
            raise ValueError(
                f"common_weight + group_weight is {self.common_weight + self.group_weight:g}; "
                "together they cannot be above 1."
            )
        for name in (
            "cost_mean_overrun",
            "cost_swan_mean_overrun",
            "schedule_mean_overrun",
            "schedule_swan_mean_overrun",
        ):
            if getattr(self, name) <= -1:
                raise ValueError(f"{name} is {getattr(self, name):g}; an overrun must be above -1 (−100%).")
        if not 0 <= self.benefit_mean_shortfall < 1:
            raise ValueError(
                f"benefit_mean_shortfall is {self.benefit_mean_shortfall:g}; it must be from 0 to below 1."
            )
        if not 0 <= self.benefit_swan_shortfall <= 1:
            raise ValueError(f"benefit_swan_shortfall is {self.benefit_swan_shortfall:g}; it must be from 0 to 1.")
        if isinstance(self.extra_years, bool) or not isinstance(self.extra_years, int) or self.extra_years < 0:
            raise ValueError(f"extra_years must be a whole number of at least 0, not {self.extra_years!r}.")
        p = self.black_swan_share
        for kind, mean, swan in (
            ("cost", 1 + self.cost_mean_overrun, 1 + self.cost_swan_mean_overrun),
            ("schedule", 1 + self.schedule_mean_overrun, 1 + self.schedule_swan_mean_overrun),
            ("benefit", 1 - self.benefit_mean_shortfall, 1 - self.benefit_swan_shortfall),
        ):
            if (mean - p * swan) / (1 - p) <= 0:
                raise ValueError(
                    f"The black swans alone account for more than the whole mean {kind} ratio ({mean:g}), "
                    "leaving nothing for the other items: lower the swans' share or their mean, or raise the mean."
                )

    # The body's location μ so that the mean over all items is as asked (closed form).

    @property
    def swan_threshold(self) -> float:
        """The score above which an item is a black swan: Φ⁻¹(1 − share), +∞ with no black swans."""
        return math.inf if self.black_swan_share == 0 else float(ndtri(1 - self.black_swan_share))

    def _body_location(self, mean_ratio: float, swan_ratio: float, spread: float, sign: float) -> float:
        # E[exp(μ + sσZ) | Z ≤ z] = exp(μ + σ²/2) Φ(z − sσ) / Φ(z) for Z standard normal.
        p = self.black_swan_share
        body_mean = (mean_ratio - p * swan_ratio) / (1 - p)
        z = self.swan_threshold
        correction = 0.0 if math.isinf(z) else float(log_ndtr(z - sign * spread) - log_ndtr(z))
        return math.log(body_mean) - spread**2 / 2 - correction

    def swan_minimum(self, swan_mean_overrun: float) -> float:
        """The smallest ratio among black swans: mean ratio × (tail − 1) / tail."""
        return (1 + swan_mean_overrun) * (self.tail_index - 1) / self.tail_index

    @property
    def cost_location(self) -> float:
        return self._body_location(1 + self.cost_mean_overrun, 1 + self.cost_swan_mean_overrun, self.cost_spread, 1.0)

    @property
    def schedule_location(self) -> float:
        return self._body_location(
            1 + self.schedule_mean_overrun, 1 + self.schedule_swan_mean_overrun, self.schedule_spread, 1.0
        )

    @property
    def benefit_location(self) -> float:
        return self._body_location(
            1 - self.benefit_mean_shortfall, 1 - self.benefit_swan_shortfall, self.benefit_spread, -1.0
        )

    def schedule_cdf(self, ratio: float) -> float:
        """P(one item's schedule ratio ≤ ratio): the body's share of the log-normal cut off at the swan
        threshold, plus the swans' Pareto."""
        if ratio <= 0:
            return 0.0
        return float(self._schedule_cdf_of_log(np.array([math.log(ratio)]))[0])

    def _schedule_cdf_of_log(self, log_ratio: FloatArray) -> FloatArray:
        """`schedule_cdf` of exp(log_ratio), for an array at once."""
        p = self.black_swan_share
        z = self.swan_threshold
        location, spread = self.schedule_location, self.schedule_spread
        if spread > 0:
            score = (log_ratio - location) / spread
            cut = float(log_ndtr(z))
            body = np.exp(np.minimum(log_ndtr(score), cut) - cut)
        else:
            body = np.where(log_ratio >= location, 1.0, 0.0)
        swan = np.zeros_like(log_ratio)
        if p > 0:
            log_minimum = math.log(self.swan_minimum(self.schedule_swan_mean_overrun))
            above = log_ratio >= log_minimum
            swan[above] = 1 - np.exp(self.tail_index * (log_minimum - log_ratio[above]))
        return np.asarray((1 - p) * body + p * swan, dtype=np.float64)

    def schedule_quantile(self, q: float) -> float:
        """The q-quantile (0 < q < 1) of one item's schedule ratio, from the exact distribution.

        Found by bisection on the distribution function (in log ratio), because the black swans'
        schedule ratios overlap the body's: the ratio is not a monotone function of the score.
        """
        if not 0 < q < 1:
            raise ValueError(f"q is {q!r}; a quantile level must be between 0 and 1.")
        return float(self._schedule_quantiles(np.array([q], dtype=np.float64))[0])

    def _schedule_quantiles(self, levels: FloatArray) -> FloatArray:
        """`schedule_quantile` for an array of levels at once (the same bisection, side by side)."""
        low = np.full(levels.shape, -50.0)
        high = np.full(levels.shape, 50.0)
        for _ in range(200):
            middle = (low + high) / 2
            reached = self._schedule_cdf_of_log(middle) >= levels
            high = np.where(reached, middle, high)
            low = np.where(reached, low, middle)
        return np.exp(high)


def overrun_ratios(scores: npt.ArrayLike, model: OverrunModel) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Cost, schedule and benefit ratios (actual ÷ planned) for standard-normal scores, by the model.

    Exposed so the calibration can be checked directly; `simulate_portfolio` uses the same mapping.
    """
    z = np.asarray(scores, dtype=np.float64)
    cost, log_schedule, benefit = _ratios(z, model)
    return cost, np.exp(log_schedule), benefit


def _ratios(z: FloatArray, model: OverrunModel) -> tuple[FloatArray, FloatArray, FloatArray]:
    """(cost ratio, log schedule ratio, benefit ratio); the schedule stays in logs for the timing grid."""
    cost = np.exp(model.cost_location + model.cost_spread * z)
    log_schedule = model.schedule_location + model.schedule_spread * z
    benefit = np.exp(model.benefit_location - model.benefit_spread * z)
    if model.black_swan_share > 0:
        swan = z > model.swan_threshold
        if swan.any():
            # log X = −(1/tail) log(Φ(−Z) / share): Pareto by inverse transform of the score's upper tail.
            log_x = (log_ndtr(-z[swan]) - math.log(model.black_swan_share)) / -model.tail_index
            cost[swan] = model.swan_minimum(model.cost_swan_mean_overrun) * np.exp(log_x)
            log_schedule[swan] = math.log(model.swan_minimum(model.schedule_swan_mean_overrun)) + log_x
            benefit[swan] = 1 - model.benefit_swan_shortfall
    return cost, log_schedule, benefit


# --------------------------------------------------------------------------- Monte Carlo: the result


@dataclass(frozen=True, kw_only=True, eq=False)
class PortfolioForecast:
    """Percentiles of a simulated portfolio. Year 0 is the forecast's first financial year; the last
    year (`years` − 1) holds that year and everything later. Percentiles are of the portfolio's totals
    in each trial (never sums of items' percentiles, which would overstate the spread)."""

    trials: int
    seed: int
    years: int
    percentiles: tuple[int, ...] = PERCENTILES
    planned_cost_by_year: list[float]
    cost_by_year: dict[int, list[float]]  # percentile -> one value per year
    planned_benefits_by_year: list[float]
    benefits_by_year: dict[int, list[float]]
    planned_total_cost: float
    total_cost: dict[int, float]
    total_cost_samples: FloatArray  # one portfolio total per trial, for the histogram
    # item key -> percentile -> months from the forecast's start to the finish (for work under way, given
    # that it has not finished by the forecast's start; never below 0)
    completion_months: dict[str, dict[int, float]]
    planned_completion_months: dict[str, float]
    planned_total_benefits: float = 0.0
    total_benefits: dict[int, float] = field(default_factory=dict)
    total_benefits_samples: FloatArray = field(default_factory=lambda: np.zeros(0))
    mean_total_cost: float = 0.0
    chance_within_budget: float = 0.0  # share of trials whose total cost is at or below the plan


# --------------------------------------------------------------------------- Monte Carlo: timing

# Each item's flows are re-timed for a schedule ratio r by stretching its delivery (from its start to
# its planned finish) by r and moving everything after the finish by the slip. Doing that exactly for
# every trial and item is too slow, so the re-timed profile is computed once per item on a grid of r
# (steps of 5% in log r, from 0.19 to 200) and interpolated linearly between the two nearest points.
# Totals are exact (every grid profile sums to the item's total); only the split between adjacent
# years is approximated.
_LOG_STEP = 0.05
_BELOW_ONE = 33  # grid points below r = 1 (r = 1 itself is a grid point, so the plan is reproduced exactly)
_ABOVE_ONE = 106
_GRID = np.exp(_LOG_STEP * np.arange(-_BELOW_ONE, _ABOVE_ONE + 1, dtype=np.float64))
#: Trials × items handled at once: bounds memory (about 100 bytes each) whatever the portfolio's size.
CHUNK_ELEMENTS = 400_000
#: Items × grid points × output years × plan years re-timed at once (about 8 bytes each).
PROFILE_ELEMENTS = 4_000_000


def _year_bounds(years: int, months_into_year: float) -> FloatArray:
    """Start of each financial year, in months from the forecast's start (year 0 starts at 0)."""
    bounds = 12.0 * np.arange(years + 1, dtype=np.float64) - months_into_year
    bounds[0] = 0.0
    return bounds


def _retimed(
    flows: Sequence[FloatArray], start: FloatArray, finish: FloatArray, bounds: FloatArray
) -> list[FloatArray]:
    """Each item's flows by output year for every grid ratio: shape (items, grid, output years).

    `flows` are (items, plan years) arrays (costs, benefits) re-timed alike. `bounds` are the starts
    of the output years (and the end of the last), in months from the forecast's start; the plan's
    years are the first of them. Flows are spread evenly within their year, and the last output
    year takes everything from its start onwards.
    """
    r = _GRID[None, :, None]
    s = start[:, None, None]
    d = (finish - start)[:, None, None]
    t = bounds[None, None, 1:-1]
    stretched_end = s + d * r
    # Where in the plan's time each output boundary falls (the inverse of the re-timing).
    u = np.where(t <= s, t, np.where(t < stretched_end, s + (t - s) / r, t - d * (r - 1)))
    plan_years = flows[0].shape[1]
    shares = [np.clip((u - bounds[year]) / (bounds[year + 1] - bounds[year]), 0.0, 1.0) for year in range(plan_years)]
    out = []
    for amounts in flows:
        n = amounts.shape[0]
        cumulative = np.zeros(u.shape, dtype=np.float64)
        for year in range(plan_years):
            amount = amounts[:, year][:, None, None]
            if amount.any():
                cumulative += amount * shares[year]
        totals = np.broadcast_to(amounts.sum(axis=1)[:, None, None], (n, len(_GRID), 1))
        edges = np.concatenate([np.zeros((n, len(_GRID), 1)), cumulative, totals], axis=2)
        out.append(np.diff(edges, axis=2))
    return out


# --------------------------------------------------------------------------- Monte Carlo: simulation


def _validate_items(items: Sequence[PlannedItem]) -> None:
    if isinstance(items, PlannedItem) or not isinstance(items, Sequence) or len(items) == 0:
        raise ValueError("There are no items to forecast: give at least one PlannedItem.")
    seen: set[str] = set()
    for index, item in enumerate(items):
        if not isinstance(item, PlannedItem):
            raise ValueError(f"items[{index}] is not a PlannedItem.")
        if not isinstance(item.key, str) or not item.key:
            raise ValueError(f"items[{index}] needs a key (a non-empty string).")
        if item.key in seen:
            raise ValueError(f"Two items have the key {item.key!r}; keys must be unique.")
        seen.add(item.key)
        label = f"Item {item.key!r}"
        try:
            _numbers(f"{label} cost_by_year", item.cost_by_year, non_negative=True)
            _numbers(f"{label} benefits_by_year", item.benefits_by_year, non_negative=True)
            planned = _finite(f"{label} planned_months", item.planned_months)
            start = _finite(f"{label} start_month", item.start_month)
        except ValueError as error:
            raise ValueError(str(error)) from None
        if planned < start:
            raise ValueError(
                f"{label}: planned_months ({planned:g}) is before start_month ({start:g}); both count months "
                "from the forecast's start, so the finish cannot come before the start."
            )
        if not isinstance(item.group, str):
            raise ValueError(f"{label}: group must be a string ('' for none).")


def simulate_portfolio(
    items: Sequence[PlannedItem],
    *,
    trials: int = 10_000,
    seed: int = 0,
    model: OverrunModel = OverrunModel(),  # frozen, so one shared default is safe
    percentiles: Sequence[int] = PERCENTILES,
    months_into_year: float = 0.0,
) -> PortfolioForecast:
    """Monte Carlo forecast of a portfolio's cost and benefits by financial year, and of each item's finish.

    Reproducible: the same items, trials and seed give the same answer (numpy's default generator,
    one independent stream per block of trials). `months_into_year` is how far into financial year 0
    the forecast starts (0: on 1 April), so year 0 holds only its remaining months.

    Per trial, each item's cost is its planned profile × its cost ratio, re-timed by its schedule
    ratio (delivery stretched from its start, everything after its planned finish moved by the
    slip); benefits likewise with the benefit ratio. An item whose start_month is below 0 is already
    under way: its whole planned duration, from its start, is stretched. Items' finishing months are
    given as exact percentiles of the model (an item's own outcome does not depend on the others);
    for work under way, given that it has not finished by the forecast's start, and never before it.
    """
    if isinstance(trials, bool) or not isinstance(trials, int | np.integer) or trials < 1:
        raise ValueError(f"trials must be a whole number of at least 1, not {trials!r}.")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError(f"seed must be a whole number of at least 0, not {seed!r}.")
    if not isinstance(model, OverrunModel):
        raise ValueError("model must be an OverrunModel.")
    levels = tuple(sorted(set(percentiles)))
    if not levels or any(isinstance(q, bool) or not isinstance(q, int) or not 0 < q < 100 for q in levels):
        raise ValueError(f"percentiles must be whole numbers from 1 to 99, not {list(percentiles)!r}.")
    months_into_year = _finite("months_into_year", months_into_year)
    if not 0 <= months_into_year < 12:
        raise ValueError(f"months_into_year is {months_into_year:g}; it must be from 0 to below 12.")
    _validate_items(items)
    trials = int(trials)

    n = len(items)
    plan_years = max(max(len(item.cost_by_year), len(item.benefits_by_year)) for item in items)
    plan_years = max(plan_years, 1)
    years = plan_years + model.extra_years
    costs = np.zeros((n, plan_years))
    benefits = np.zeros((n, plan_years))
    for i, item in enumerate(items):
        costs[i, : len(item.cost_by_year)] = np.asarray(item.cost_by_year, dtype=np.float64)
        benefits[i, : len(item.benefits_by_year)] = np.asarray(item.benefits_by_year, dtype=np.float64)
    start = np.array([float(item.start_month) for item in items])
    finish = np.array([float(item.planned_months) for item in items])
    bounds = _year_bounds(years, months_into_year)

    grid = len(_GRID)
    # A block of items at a time keeps the grid's intermediate arrays to a few tens of megabytes.
    block = max(1, PROFILE_ELEMENTS // (grid * years * (plan_years + 4)))
    cost_profiles = np.empty((n * grid, years))
    benefit_profiles = np.empty((n * grid, years))
    for first in range(0, n, block):
        last = min(n, first + block)
        span = slice(first, last)
        grid_rows = slice(first * grid, last * grid)
        cost_block, benefit_block = _retimed((costs[span], benefits[span]), start[span], finish[span], bounds)
        cost_profiles[grid_rows] = cost_block.reshape(-1, years)
        benefit_profiles[grid_rows] = benefit_block.reshape(-1, years)
    total_planned_cost = costs.sum(axis=1)
    total_planned_benefits = benefits.sum(axis=1)

    groups = sorted({item.group for item in items if item.group})
    group_index = np.array([groups.index(item.group) if item.group else -1 for item in items])
    grouped = group_index >= 0
    own = np.where(
        grouped, math.sqrt(max(0.0, 1 - model.common_weight - model.group_weight)), math.sqrt(1 - model.common_weight)
    )
    common = math.sqrt(model.common_weight)
    shared = math.sqrt(model.group_weight)

    cost_years = np.empty((trials, years))
    benefit_years = np.empty((trials, years))
    cost_totals = np.empty(trials)
    benefit_totals = np.empty(trials)
    chunk = max(1, min(trials, CHUNK_ELEMENTS // n))
    starts = range(0, trials, chunk)
    streams = np.random.SeedSequence(int(seed)).spawn(len(starts))
    index_type = np.int32 if n * grid < 2**31 - 1 and trials * n * 2 < 2**31 - 1 else np.int64
    offsets = (np.arange(n, dtype=index_type) * grid)[None, :]

    def simulate_block(first: int, stream: np.random.SeedSequence) -> None:
        rows = min(chunk, trials - first)
        rng = np.random.default_rng(stream)
        z = rng.standard_normal((rows, n))
        z *= own
        z += common * rng.standard_normal((rows, 1))
        if groups:
            group_shocks = rng.standard_normal((rows, len(groups)))
            z[:, grouped] += shared * group_shocks[:, group_index[grouped]]
        cost_ratio, log_schedule, benefit_ratio = _ratios(z, model)
        del z
        # Each (trial, item) takes its two nearest grid profiles, weighted, times its cost (or benefit)
        # ratio: a sparse matrix with two entries per item, multiplied by the stacked profiles.
        position = np.clip(log_schedule / _LOG_STEP + _BELOW_ONE, 0.0, grid - 1.0)
        lower = np.minimum(position.astype(index_type), grid - 2)
        weight = position - lower
        columns = np.empty((rows, n, 2), dtype=index_type)
        columns[:, :, 0] = lower + offsets
        columns[:, :, 1] = columns[:, :, 0] + 1
        indptr = np.arange(0, rows * n * 2 + 1, n * 2, dtype=index_type)
        for ratio, profiles, by_year, totals, planned in (
            (cost_ratio, cost_profiles, cost_years, cost_totals, total_planned_cost),
            (benefit_ratio, benefit_profiles, benefit_years, benefit_totals, total_planned_benefits),
        ):
            data = np.empty((rows, n, 2))
            np.multiply(ratio, weight, out=data[:, :, 1])
            np.subtract(ratio, data[:, :, 1], out=data[:, :, 0])
            spread = csr_matrix((data.ravel(), columns.ravel(), indptr), shape=(rows, n * grid))
            by_year[first : first + rows] = spread @ profiles
            totals[first : first + rows] = ratio @ planned

    # Each block of trials has its own random stream, so blocks are independent of one another.
    for first, stream in zip(starts, streams, strict=True):
        simulate_block(first, stream)

    def per_year(samples: FloatArray) -> dict[int, list[float]]:
        values = np.percentile(samples, levels, axis=0)
        return {q: [float(v) for v in row] for q, row in zip(levels, values, strict=True)}

    def overall(samples: FloatArray) -> dict[int, float]:
        return {q: float(v) for q, v in zip(levels, np.percentile(samples, levels), strict=True)}

    completion = _completion_months(items, model, levels)

    planned_total = float(total_planned_cost.sum())
    return PortfolioForecast(
        trials=trials,
        seed=int(seed),
        years=years,
        percentiles=levels,
        planned_cost_by_year=_padded(costs.sum(axis=0), years),
        cost_by_year=per_year(cost_years),
        planned_benefits_by_year=_padded(benefits.sum(axis=0), years),
        benefits_by_year=per_year(benefit_years),
        planned_total_cost=planned_total,
        total_cost=overall(cost_totals),
        total_cost_samples=cost_totals,
        completion_months=completion,
        planned_completion_months={item.key: float(item.planned_months) for item in items},
        planned_total_benefits=float(total_planned_benefits.sum()),
        total_benefits=overall(benefit_totals),
        total_benefits_samples=benefit_totals,
        mean_total_cost=float(cost_totals.mean()),
        chance_within_budget=float(np.mean(cost_totals <= planned_total * (1 + 1e-12))),
    )


def _completion_months(
    items: Sequence[PlannedItem], model: OverrunModel, levels: Sequence[int]
) -> dict[str, dict[int, float]]:
    """Each item's finish at each percentile, in months from the forecast's start: start + planned
    duration × schedule ratio, so a slip stretches the whole duration from the start.

    Work already under way (start_month below 0) that has not finished by the forecast's start took
    at least (months since the start ÷ planned duration) × its plan, so its percentiles are those of
    the schedule ratio given that it is at least that: the q-quantile is the quantile at
    F(floor) + q × (1 − F(floor)). No finish is before the forecast's start (0).
    """
    starts = np.array([float(item.start_month) for item in items])
    finishes = np.array([float(item.planned_months) for item in items])
    durations = finishes - starts
    timed = durations > 0
    floors = np.where(timed & (starts < 0), -starts / np.where(timed, durations, 1.0), 0.0)
    done = np.zeros(len(items))
    late = floors > 0
    if late.any():
        done[late] = model._schedule_cdf_of_log(np.log(floors[late]))
    fractions = np.array([q / 100 for q in levels])
    wanted = done[:, None] + (1 - done[:, None]) * fractions[None, :]
    # Levels that round to 1 (work far past any plausible ratio) take the floor itself.
    inside = wanted < 1
    ratios = np.broadcast_to(floors[:, None], wanted.shape).copy()
    if inside.any():
        ratios[inside] = model._schedule_quantiles(wanted[inside])
    ratios = np.maximum(ratios, floors[:, None])
    months = np.where(timed[:, None], starts[:, None] + durations[:, None] * ratios, finishes[:, None])
    months = np.maximum(months, 0.0)
    return {item.key: {q: float(months[i, j]) for j, q in enumerate(levels)} for i, item in enumerate(items)}


def _padded(values: FloatArray, years: int) -> list[float]:
    out = [float(v) for v in values]
    return out + [0.0] * (years - len(out))
