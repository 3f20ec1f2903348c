"""The money figures: typed numbers worked out from what `queries.load` read, with no database
access, no sentences and no SVG.

The figures of each business case (through the pure `forecast` module), each initiative's money
and the checks on it (`flags`), the organisation's own track record (the reference class) and the
forecasts from it, actual against forecast year by year, the portfolio's totals and the inputs and
ranges of its Monte Carlo forecast. `presenters` turns them into words and charts for a page; the
board pack and the API read the same figures.

Amounts are whole pounds. Financial years are NHS years written 2026/27; year 0 of an appraisal
is the business case's first year.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from headway.finance import flags, forecast
from headway.finance.flags import SECURED_STATES, Flag, FundingCheck, LeftOut, usable_ratios
from headway.finance.models import (
    Actual,
    BenefitLine,
    BiasFactor,
    BusinessCase,
    CostLine,
    FundingLine,
    Mitigation,
    MoneyKind,
    ProjectType,
)
from headway.finance.queries import MoneyData
from headway.lib.financial_years import financial_year_start, first_day, year_label, year_start
from headway.metrics.improvement import SUSTAINED_RUN
from headway.portfolio.models import Initiative, Status

OPEN_STATUSES = (Status.PROPOSED, Status.ACTIVE, Status.PAUSED)
FORECAST_STATUSES = (Status.PROPOSED, Status.ACTIVE)
DAYS_IN_A_MONTH = 365.25 / 12
#: Why an active or proposed initiative is left out of the portfolio forecast.
NO_CASE_TO_FORECAST = "no_case"
NOTHING_TO_COME = "nothing_to_come"
MONTE_CARLO_TRIALS = 10_000
MONTE_CARLO_SEED = 2026  # fixed, so the page shows the same ranges each time it is opened


def months_between(start: dt.date, end: dt.date) -> float:
    return (end - start).days / DAYS_IN_A_MONTH


def _fraction(value: Decimal | None) -> float | None:
    return None if value is None else float(value) / 100


# One business case ---------------------------------------------------------------------------


@dataclass
class YearRow:
    year: str
    capital: int = 0
    revenue: int = 0
    benefits: int = 0
    discount_factor: float = 1.0

    @property
    def cost(self) -> int:
        return self.capital + self.revenue

    @property
    def net(self) -> int:
        return self.benefits - self.cost


@dataclass
class FactorRow:
    factor: BiasFactor
    cost_share: float | None  # fraction of the recorded cost overrun
    duration_share: float | None
    mitigation: float
    evidence: str
    scored: bool


@dataclass
class BiasFigures:
    """HM Treasury optimism bias for one case: bounds, each risk area's score, and the result."""

    project_type: ProjectType
    cost_upper: float | None
    cost_lower: float | None
    duration_upper: float | None
    duration_lower: float | None
    factors: list[FactorRow]
    cost_bias: float | None
    duration_bias: float | None
    total_cost: int
    adjusted_cost: float | None  # the total cost with the cost bias added to the costs it applies to
    planned_months: int | None
    adjusted_months: float | None
    scored: int  # how many risk areas have a score
    # The kind of cost the cost bias applies to (capital; revenue for outsourcing) and how much of
    # the total cost is of that kind. HM Treasury's bounds are for capital cost (operating
    # expenditure for outsourcing), so running costs are not raised.
    cost_kind: str = MoneyKind.CAPITAL
    biased_cost: int = 0
    # What the bias maths refused, when the reference data cannot be used (say, a lower bound above
    # the upper bound after an edit in the admin), as (measure, the forecast module's reason) with
    # measure "cost" or "time"; empty when all is well.
    problems: list[tuple[str, str]] = field(default_factory=list)

    @property
    def uplift(self) -> float | None:
        """The cost bias in pounds: the costs it applies to × the bias."""
        return None if self.cost_bias is None else self.biased_cost * self.cost_bias

    @property
    def cost_reduction(self) -> float | None:
        """How much of the upper bound the mitigation has taken away (a fraction)."""
        if self.cost_bias is None or self.cost_upper is None:
            return None
        return self.cost_upper - self.cost_bias

    @property
    def duration_reduction(self) -> float | None:
        if self.duration_bias is None or self.duration_upper is None:
            return None
        return self.duration_upper - self.duration_bias


@dataclass
class KindTotal:
    kind: str
    label: str
    amount: int
    lines: int
    measured: int  # lines with a linked metric


@dataclass
class CaseFigures:
    case: BusinessCase
    costs: list[CostLine]
    benefits: list[BenefitLine]
    rows: list[YearRow]
    total_capital: int
    total_revenue: int
    total_benefits: int
    rate: float
    appraisal: forecast.Appraisal
    adjusted_appraisal: forecast.Appraisal | None  # costs raised by the optimism bias
    by_kind: list[KindTotal]
    bias: BiasFigures

    @property
    def total_cost(self) -> int:
        return self.total_capital + self.total_revenue

    @property
    def cash_only(self) -> bool:
        """Every benefit is cash-releasing (see `flags.is_cash_only`)."""
        return flags.is_cash_only(self.benefits)

    @property
    def no_benefits(self) -> bool:
        """The case records no benefits at all."""
        return not self.benefits

    @property
    def unmeasured(self) -> int:
        return sum(1 for b in self.benefits if b.metric_id is None)

    @property
    def benefit_kinds(self) -> int:
        return sum(1 for k in self.by_kind if k.lines)


def bias_figures(
    case: BusinessCase,
    total_cost: int,
    factors: Sequence[BiasFactor],
    mitigations: Sequence[Mitigation],
    *,
    biased_cost: int | None = None,
) -> BiasFigures:
    """The case's optimism bias. `biased_cost` is the part of `total_cost` the cost bias applies to
    (its capital costs; its revenue costs for outsourcing); without it, the whole total.

    Reference data that the bias maths refuses (edited into a state such as a lower bound above
    its upper bound, or contributions adding up to more than 105%) gives no uplift and `problems`
    saying why, instead of an error that would stop the page."""
    project_type = case.project_type
    scores = {m.factor_id: m for m in mitigations}
    rows = []
    for factor in factors:
        mitigation = scores.get(factor.pk)
        rows.append(
            FactorRow(
                factor=factor,
                cost_share=_fraction(factor.cost_contribution),
                duration_share=_fraction(factor.duration_contribution),
                mitigation=float(mitigation.mitigation) if mitigation else 0.0,
                evidence=mitigation.evidence if mitigation else "",
                scored=mitigation is not None,
            )
        )
    cost_upper, cost_lower = _fraction(project_type.cost_upper), _fraction(project_type.cost_lower)
    duration_upper, duration_lower = _fraction(project_type.duration_upper), _fraction(project_type.duration_lower)
    cost_bias = duration_bias = None
    problems: list[tuple[str, str]] = []
    if cost_upper is not None:
        try:
            cost_bias = forecast.resultant_bias(
                cost_upper, [(r.cost_share, r.mitigation) for r in rows if r.cost_share is not None], lower=cost_lower
            )
        except ValueError as error:
            problems.append(("cost", str(error)))
    if duration_upper is not None:
        try:
            duration_bias = forecast.resultant_bias(
                duration_upper,
                [(r.duration_share, r.mitigation) for r in rows if r.duration_share is not None],
                lower=duration_lower,
            )
        except ValueError as error:
            problems.append(("time", str(error)))
    biased = total_cost if biased_cost is None else biased_cost
    planned_months = case.planned_months
    return BiasFigures(
        project_type=project_type,
        cost_upper=cost_upper,
        cost_lower=cost_lower,
        duration_upper=duration_upper,
        duration_lower=duration_lower,
        factors=rows,
        cost_bias=cost_bias,
        duration_bias=duration_bias,
        total_cost=total_cost,
        adjusted_cost=(total_cost - biased) + forecast.adjust(biased, cost_bias) if cost_bias is not None else None,
        planned_months=planned_months,
        adjusted_months=(
            forecast.adjust(planned_months, duration_bias)
            if duration_bias is not None and planned_months is not None
            else None
        ),
        scored=sum(1 for r in rows if r.scored),
        cost_kind=project_type.cost_bias_kind,
        biased_cost=biased,
        problems=problems,
    )


def case_figures(
    case: BusinessCase,
    costs: Sequence[CostLine],
    benefits: Sequence[BenefitLine],
    factors: Sequence[BiasFactor],
    mitigations: Sequence[Mitigation],
) -> CaseFigures:
    """A business case's figures year by year, its appraisal at its own discount rate (year 0 is
    its first year), and its optimism bias."""
    first = year_start(case.first_year)
    years = [line.financial_year for line in costs] + [line.financial_year for line in benefits]
    last = max([first, *(year_start(year) for year in years)])
    rate = float(case.discount_rate) / 100
    discounts = forecast.discount_factors(last - first + 1, rate)
    rows = [YearRow(year=year_label(y), discount_factor=discounts[y - first]) for y in range(first, last + 1)]
    for cost in costs:
        offset = year_start(cost.financial_year) - first
        if offset < 0:
            continue  # cannot be saved (actions refuse it); ignored rather than mis-discounted
        if cost.kind == MoneyKind.CAPITAL:
            rows[offset].capital += cost.amount
        else:
            rows[offset].revenue += cost.amount
    for benefit in benefits:
        offset = year_start(benefit.financial_year) - first
        if offset >= 0:
            rows[offset].benefits += benefit.amount
    cost_flows = [float(r.cost) for r in rows]
    benefit_flows = [float(r.benefits) for r in rows]
    total_capital = sum(r.capital for r in rows)
    total_revenue = sum(r.revenue for r in rows)
    # HM Treasury's cost bounds are for capital cost (operating expenditure for outsourcing): the
    # uplift raises those costs only, not the revenue (or capital) costs beside them.
    on_revenue = case.project_type.cost_bias_kind == MoneyKind.REVENUE
    bias = bias_figures(
        case,
        total_capital + total_revenue,
        factors,
        mitigations,
        biased_cost=total_revenue if on_revenue else total_capital,
    )
    adjusted = None
    if bias.cost_bias is not None:
        raised = [
            float(r.capital) + forecast.adjust(r.revenue, bias.cost_bias)
            if on_revenue
            else forecast.adjust(r.capital, bias.cost_bias) + float(r.revenue)
            for r in rows
        ]
        adjusted = forecast.appraise(raised, benefit_flows, rate=rate)
    by_kind = []
    for kind, label in BenefitLine.Kind.choices:
        of_kind = [b for b in benefits if b.kind == kind]
        by_kind.append(
            KindTotal(
                kind=kind,
                label=str(label),
                amount=sum(b.amount for b in of_kind),
                lines=len(of_kind),
                measured=sum(1 for b in of_kind if b.metric_id is not None),
            )
        )
    return CaseFigures(
        case=case,
        costs=list(costs),
        benefits=list(benefits),
        rows=rows,
        total_capital=total_capital,
        total_revenue=total_revenue,
        total_benefits=sum(r.benefits for r in rows),
        rate=rate,
        appraisal=forecast.appraise(cost_flows, benefit_flows, rate=rate),
        adjusted_appraisal=adjusted,
        by_kind=by_kind,
        bias=bias,
    )


def figures_for(data: MoneyData, case: BusinessCase) -> CaseFigures:
    return case_figures(
        case,
        data.costs.get(case.pk, []),
        data.benefits.get(case.pk, []),
        data.factors.get(case.project_type_id, []),
        data.mitigations.get(case.pk, []),
    )


@dataclass(frozen=True)
class BenefitEvidence:
    """How the first benefit is known: a realised benefit recorded for a financial year, or a linked
    metric that the one rule (`metrics.improvement`, ADR 13) counts as better."""

    REALISED = "realised"
    METRIC = "metric"

    kind: str
    year: str = ""  # the financial year of the realised benefit
    run: int = SUSTAINED_RUN


def first_benefit(
    initiative: Initiative, actuals: Sequence[Actual], improved: Sequence[tuple[dt.date, int]]
) -> tuple[dt.date | None, BenefitEvidence | None]:
    """When the first benefit was measured, and how we know.

    The earlier of two kinds of evidence (the metric, on the same day):
    - the first day (1 April) of the earliest financial year with a realised benefit recorded
      as an actual (we record benefits by year, so the start of that year is the earliest it
      could have been), or the start date if that is later;
    - the first observation, on or after the start date, of a metric linked to one of the
      initiative's benefits that starts a run the one rule counts as better (`metrics.improvement`:
      a special cause improvement on its chart, or with too few points for a chart
      SUSTAINED_RUN in a row better than the baseline; metrics with no direction never count).
    """
    candidates: list[tuple[dt.date, int, BenefitEvidence]] = []
    realised = [a for a in actuals if a.kind == Actual.Kind.BENEFIT and a.amount > 0]
    start = initiative.start_date
    if realised:
        year = min(a.financial_year for a in realised)
        # No earlier than the start: a benefit cannot come before the work (and a first benefit dated
        # before the start would make the months to it negative).
        day = first_day(year) if start is None else max(first_day(year), start)
        candidates.append((day, 1, BenefitEvidence(BenefitEvidence.REALISED, year)))
    for period, _ in improved:
        if start is None or period >= start:
            candidates.append((period, 0, BenefitEvidence(BenefitEvidence.METRIC)))
            break
    if not candidates:
        return None, None
    day, _, evidence = min(candidates, key=lambda candidate: candidate[:2])
    return day, evidence


# One initiative ------------------------------------------------------------------------------


@dataclass
class InitiativeMoney:
    initiative: Initiative
    funding: list[FundingLine]
    funding_check: FundingCheck
    cases: list[BusinessCase]
    latest: CaseFigures | None
    actuals: list[Actual]
    first_release: dt.date | None
    first_benefit: dt.date | None
    first_benefit_source: BenefitEvidence | None
    shape: forecast.DeliveryShape | None
    flags: list[Flag] = field(default_factory=list)

    @property
    def funding_total(self) -> int:
        return sum(line.amount for line in self.funding)

    @property
    def funding_secured(self) -> int:
        return sum(line.amount for line in self.funding if line.state in SECURED_STATES)

    @property
    def funding_requested(self) -> int:
        return sum(line.amount for line in self.funding if line.state == FundingLine.State.REQUESTED)

    @property
    def spent(self) -> int:
        return sum(a.amount for a in self.actuals if a.kind == Actual.Kind.SPEND)

    @property
    def realised(self) -> int:
        return sum(a.amount for a in self.actuals if a.kind == Actual.Kind.BENEFIT)

    @property
    def is_open(self) -> bool:
        return self.initiative.status in OPEN_STATUSES


def initiative_money(data: MoneyData, initiative: Initiative, today: dt.date) -> InitiativeMoney:
    cases = data.cases.get(initiative.pk, [])
    latest = figures_for(data, cases[0]) if cases else None
    funding = data.funding.get(initiative.pk, [])
    actuals = data.actuals.get(initiative.pk, [])
    benefit_day, source = first_benefit(initiative, actuals, data.improved.get(initiative.pk, []))
    release = data.first_release.get(initiative.pk)
    weeks = initiative.organisation.first_release_weeks
    shape = None
    if initiative.start_date is not None:
        shape = forecast.delivery_shape(
            initiative.start_date,
            release,
            initiative.planned_go_live,
            benefit_day,
            today,
            release_weeks=weeks,
            planned_first_release=initiative.planned_first_release,
        )
    money = InitiativeMoney(
        initiative=initiative,
        funding=funding,
        funding_check=flags.funding_check(initiative, funding),
        cases=cases,
        latest=latest,
        actuals=actuals,
        first_release=release,
        first_benefit=benefit_day,
        first_benefit_source=source,
        shape=shape,
    )
    if money.is_open:
        money.flags = flags.initiative_flags(initiative, money.funding_check, latest, shape, has_case=bool(cases))
    return money


# The organisation's track record -------------------------------------------------------------


@dataclass
class ClassMember:
    """A finished initiative in the reference class: what was planned and what happened.

    Costs are compared on one basis: the business case's cost lines up to and including the
    financial year it went live, leaving out running costs (the "run" category), against the spend
    recorded up to and including that year. The whole appraisal would compare years of planned
    running costs with spend that stopped at go-live."""

    initiative: Initiative
    planned_cost: int  # the case's costs to the go-live year, without running costs
    actual_cost: int  # spend recorded to the go-live year
    planned_months: int
    actual_months: float
    planned_benefit_months: int | None
    actual_benefit_months: float | None
    go_live_year: str = ""

    @property
    def cost_ratio(self) -> float:
        return self.actual_cost / self.planned_cost

    @property
    def duration_ratio(self) -> float:
        return self.actual_months / self.planned_months

    @property
    def benefit_ratio(self) -> float | None:
        if not self.planned_benefit_months or self.actual_benefit_months is None:
            return None
        return self.actual_benefit_months / self.planned_benefit_months


def cost_to_go_live(costs: Iterable[CostLine], go_live_year: int | None, *, kind: str | None = None) -> int:
    """The cost lines up to and including the go-live financial year, without the running costs (the
    "run" category): what it costs to get it live. With no go-live year, every year. With `kind`,
    only lines of that kind (capital or revenue)."""
    return sum(
        line.amount
        for line in costs
        if line.category != CostLine.Category.RUN
        and (go_live_year is None or year_start(line.financial_year) <= go_live_year)
        and (kind is None or line.kind == kind)
    )


def go_live_date(initiative: Initiative, case: BusinessCase | None = None) -> dt.date | None:
    """When it went live, or is planned to: the real date once live, then the planned date, then the
    start plus the case's planned months."""
    if initiative.went_live_on is not None:
        return initiative.went_live_on
    if initiative.planned_go_live is not None:
        return initiative.planned_go_live
    if case is not None and case.planned_months and initiative.start_date is not None:
        return _add_months(initiative.start_date, case.planned_months)
    return None


def reference_class(data: MoneyData) -> list[ClassMember]:
    """The organisation's finished initiatives that can be compared: completed, with a start date
    and the date they went live, a business case (the latest stage) with costs to go-live and
    planned months, and actual spend recorded."""
    members = []
    for initiative in data.initiatives:
        if initiative.status != Status.COMPLETED or not initiative.start_date or not initiative.went_live_on:
            continue
        cases = data.cases.get(initiative.pk, [])
        if not cases or not cases[0].planned_months:
            continue
        case = cases[0]
        planned_months = case.planned_months
        assert planned_months is not None
        go_live_year = financial_year_start(initiative.went_live_on)
        planned = cost_to_go_live(data.costs.get(case.pk, []), go_live_year)
        actuals = data.actuals.get(initiative.pk, [])
        spend = [a for a in actuals if a.kind == Actual.Kind.SPEND]
        if planned <= 0 or not any(a.amount for a in spend):
            continue
        spent = sum(a.amount for a in spend if year_start(a.financial_year) <= go_live_year)
        benefit_day, _ = first_benefit(initiative, actuals, data.improved.get(initiative.pk, []))
        members.append(
            ClassMember(
                initiative=initiative,
                planned_cost=planned,
                actual_cost=spent,
                planned_months=planned_months,
                actual_months=max(months_between(initiative.start_date, initiative.went_live_on), 0.0),
                planned_benefit_months=case.planned_first_benefit_months,
                actual_benefit_months=(
                    max(months_between(initiative.start_date, benefit_day), 0.0) if benefit_day else None
                ),
                go_live_year=year_label(go_live_year),
            )
        )
    return members


@dataclass
class ClassForecasts:
    """P50 and P80 for a case's cost to go-live, duration and months to the first benefit, and what
    they rest on."""

    cost: forecast.ClassForecast
    duration: forecast.ClassForecast | None
    benefit: forecast.ClassForecast | None
    go_live_year: int | None = None  # the financial year the cost to go-live runs to; None: every year
    basis: int = 0  # the case's cost to go-live, without running costs
    biased: int = 0  # the part of it the Green Book uplift applies to (capital; revenue for outsourcing)
    cost_fallback: float = 0.0  # the uplift as a share of the whole basis
    bias: BiasFigures | None = None
    left_out: list[LeftOut] = field(default_factory=list)  # measures with finished initiatives left out


def class_forecasts(
    figures: CaseFigures, members: Sequence[ClassMember], initiative: Initiative | None = None
) -> ClassForecasts:
    """P50 and P80 for the case's cost to go-live, duration and months to first benefit, from the
    reference class; below the minimum class size, the case's own optimism bias is used instead.

    Cost is on the reference class's basis: the case's costs up to and including the financial year
    it goes live (`go_live_date`), without running costs. Ratios that are not above 0 are left
    out, and `left_out` says which."""
    initiative = initiative or figures.case.initiative
    bias = figures.bias
    go_live = go_live_date(initiative, figures.case)
    go_live_year = financial_year_start(go_live) if go_live is not None else None
    basis = cost_to_go_live(figures.costs, go_live_year)
    # The Green Book uplift, for when the class is too small, applies to the capital costs only
    # (operating costs for outsourcing): as a share of the whole basis it is smaller.
    cost_fallback = 0.0
    biased = 0
    if bias.cost_bias is not None and basis > 0:
        biased = cost_to_go_live(figures.costs, go_live_year, kind=bias.cost_kind)
        cost_fallback = bias.cost_bias * biased / basis
    duration_fallback = bias.duration_bias or 0.0
    left: list[LeftOut] = []
    cost_ratios, cost_left = usable_ratios(members, "cost")
    left.append(cost_left)
    cost = forecast.reference_class_forecast(float(basis), cost_ratios, fallback_bias=cost_fallback)
    duration = None
    if figures.case.planned_months:
        ratios, out = usable_ratios(members, "duration")
        left.append(out)
        duration = forecast.reference_class_forecast(
            float(figures.case.planned_months), ratios, fallback_bias=duration_fallback
        )
    benefit = None
    if figures.case.planned_first_benefit_months:
        ratios, out = usable_ratios(members, "benefit")
        left.append(out)
        benefit = forecast.reference_class_forecast(
            float(figures.case.planned_first_benefit_months), ratios, fallback_bias=duration_fallback
        )
    return ClassForecasts(
        cost=cost,
        duration=duration,
        benefit=benefit,
        go_live_year=go_live_year,
        basis=basis,
        biased=biased,
        cost_fallback=cost_fallback,
        bias=bias,
        left_out=[out for out in left if out.members],
    )


def median(values: Sequence[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


# Actual against forecast ---------------------------------------------------------------------


@dataclass
class ActualRow:
    year: str
    forecast_cost: int = 0
    actual_spend: int = 0
    actual_capital: int = 0
    actual_revenue: int = 0
    forecast_benefits: int = 0
    realised: int = 0
    funding: int = 0

    @property
    def spend_difference(self) -> int:
        return self.actual_spend - self.forecast_cost

    @property
    def benefit_difference(self) -> int:
        return self.realised - self.forecast_benefits


def actual_rows(moneys: Iterable[InitiativeMoney], *, include_forecast: Iterable[int] | None = None) -> list[ActualRow]:
    """Year by year: forecast cost and benefits (each initiative's latest business case),
    funding, actual spend and realised benefits. `include_forecast` limits whose forecasts count."""
    rows: dict[str, ActualRow] = {}
    allowed = set(include_forecast) if include_forecast is not None else None

    def row(year: str) -> ActualRow:
        return rows.setdefault(year, ActualRow(year=year))

    for money in moneys:
        if money.latest is not None and (allowed is None or money.initiative.pk in allowed):
            for year_row in money.latest.rows:
                if year_row.cost or year_row.benefits:
                    row(year_row.year).forecast_cost += year_row.cost
                    row(year_row.year).forecast_benefits += year_row.benefits
        for line in money.funding:
            row(line.financial_year).funding += line.amount
        for actual in money.actuals:
            target = row(actual.financial_year)
            if actual.kind == Actual.Kind.SPEND:
                target.actual_spend += actual.amount
                if actual.money_kind == MoneyKind.CAPITAL:
                    target.actual_capital += actual.amount
                else:
                    target.actual_revenue += actual.amount
            else:
                target.realised += actual.amount
    return [rows[year] for year in sorted(rows)]


# The portfolio -------------------------------------------------------------------------------


@dataclass
class FlagGroup:
    """The open initiatives that failed one check."""

    code: str
    moneys: list[InitiativeMoney]


@dataclass
class Overview:
    moneys: list[InitiativeMoney]
    years: list[ActualRow]
    members: list[ClassMember]
    funding_total: int
    funding_secured: int
    planned_cost: int  # latest cases of open initiatives
    adjusted_cost: float  # the same after optimism bias
    spent: int
    realised: int
    npv: float
    flags: list[FlagGroup]
    first_release_weeks: int
    minimum_class: int = forecast.MIN_REFERENCE_CLASS

    @property
    def current(self) -> list[InitiativeMoney]:
        return [m for m in self.moneys if m.is_open]

    @property
    def finished(self) -> list[InitiativeMoney]:
        return [m for m in self.moneys if not m.is_open]

    @property
    def median_cost_ratio(self) -> float | None:
        return median(usable_ratios(self.members, "cost")[0])

    @property
    def median_duration_ratio(self) -> float | None:
        return median(usable_ratios(self.members, "duration")[0])

    @property
    def left_out(self) -> list[LeftOut]:
        """The track record's cost and time, where finished initiatives were left out of them."""
        found = [usable_ratios(self.members, measure)[1] for measure in ("cost", "duration")]
        return [out for out in found if out.members]

    @property
    def bias_problems(self) -> list[BiasFigures]:
        """The current cases' optimism bias that could not be worked out, one for each project type."""
        by_type = {
            m.latest.bias.project_type.pk: m.latest.bias for m in self.current if m.latest and m.latest.bias.problems
        }
        return list(by_type.values())


def overview(data: MoneyData, first_release_weeks: int, today: dt.date) -> Overview:
    """The portfolio's money, from all of an organisation's initiatives: every initiative's figures,
    totals by year, the open initiatives grouped by the checks they fail, and the track record."""
    moneys = [initiative_money(data, i, today) for i in data.initiatives]
    open_moneys = [m for m in moneys if m.is_open]
    groups = []
    for code in flags.CODES:
        flagged = [m for m in open_moneys if any(f.code == code for f in m.flags)]
        if flagged:
            groups.append(FlagGroup(code, flagged))
    not_stopped = [m.initiative.pk for m in moneys if m.initiative.status != Status.STOPPED]
    return Overview(
        moneys=moneys,
        years=actual_rows(moneys, include_forecast=not_stopped),
        members=reference_class(data),
        funding_total=sum(m.funding_total for m in open_moneys),
        funding_secured=sum(m.funding_secured for m in open_moneys),
        planned_cost=sum(m.latest.total_cost for m in open_moneys if m.latest),
        adjusted_cost=sum(
            (m.latest.bias.adjusted_cost if m.latest.bias.adjusted_cost is not None else m.latest.total_cost)
            for m in open_moneys
            if m.latest
        ),
        spent=sum(m.spent for m in moneys),
        realised=sum(m.realised for m in moneys),
        npv=sum(m.latest.appraisal.npv for m in open_moneys if m.latest),
        flags=groups,
        first_release_weeks=first_release_weeks,
    )


# Monte Carlo ---------------------------------------------------------------------------------


@dataclass
class BandRow:
    label: str
    planned: float
    p10: float
    p50: float
    p80: float
    p90: float


@dataclass
class CompletionRow:
    """One initiative's go-live: planned, and the simulated P10, P50, P80 and P90 (months from today
    and dates)."""

    money: InitiativeMoney
    planned_months: float
    p10: float
    p50: float
    p80: float
    p90: float
    planned_date: dt.date
    p10_date: dt.date
    p50_date: dt.date
    p80_date: dt.date
    p90_date: dt.date
    overdue: bool = False  # the planned go-live has passed and it is not live


@dataclass
class ForecastFigures:
    """The portfolio's Monte Carlo forecast from today, with the tables behind it. `result` is None
    when there is nothing to forecast."""

    result: forecast.PortfolioForecast | None
    included: list[InitiativeMoney]
    left_out: list[tuple[InitiativeMoney, str]]  # with why (NO_CASE_TO_FORECAST or NOTHING_TO_COME)
    year_labels: list[str] = field(default_factory=list)
    cost_rows: list[BandRow] = field(default_factory=list)
    benefit_rows: list[BandRow] = field(default_factory=list)
    completion: list[CompletionRow] = field(default_factory=list)
    planned_total: float = 0.0
    p50_total: float = 0.0
    p80_total: float = 0.0
    p90_total: float = 0.0
    exceed_planned: float = 0.0  # chance the cost is more than planned
    shown_years: int = 0  # how many of the forecast's years are worth showing


def _band_rows(labels: Sequence[str], planned: Sequence[float], bands: dict[int, list[float]]) -> list[BandRow]:
    return [
        BandRow(labels[i], planned[i], bands[10][i], bands[50][i], bands[80][i], bands[90][i])
        for i in range(len(labels))
    ]


def _add_months(day: dt.date, months: float) -> dt.date:
    return day + dt.timedelta(days=round(months * DAYS_IN_A_MONTH))


def planned_items(
    moneys: Sequence[InitiativeMoney], today: dt.date
) -> tuple[list[forecast.PlannedItem], list[InitiativeMoney], list[tuple[InitiativeMoney, str]], int]:
    """The PlannedItems for the simulation: each active or proposed initiative's latest business
    case, costs and benefits from this financial year on (year 0 is this year, less what has
    already been spent or realised in it), with its start and planned go-live in months from today.

    Work already under way starts at a negative month (how long ago it started), so that a slip
    stretches its whole planned duration from the start, not only the months still to go; an
    overdue go-live is a negative month too. Without a start date, work is taken to have started
    the case's planned months (12 if none) before its planned go-live, or today if that is later.
    Work that is live already has nothing left to slip (start and finish today)."""
    current = financial_year_start(today)
    items: list[forecast.PlannedItem] = []
    included: list[InitiativeMoney] = []
    left_out: list[tuple[InitiativeMoney, str]] = []
    rows: list[tuple[InitiativeMoney, list[float], list[float], float, float]] = []
    horizon = 1
    for money in moneys:
        initiative = money.initiative
        if initiative.status not in FORECAST_STATUSES:
            continue
        if money.latest is None:
            left_out.append((money, NO_CASE_TO_FORECAST))
            continue
        costs: dict[int, float] = defaultdict(float)
        benefits: dict[int, float] = defaultdict(float)
        for year_row in money.latest.rows:
            offset = year_start(year_row.year) - current
            if offset >= 0:
                costs[offset] += year_row.cost
                benefits[offset] += year_row.benefits
        # This year's plan less what has already been spent or realised this year: the rest of the work.
        this_year = year_label(current)
        for kind, flows in ((Actual.Kind.SPEND, costs), (Actual.Kind.BENEFIT, benefits)):
            done = sum(a.amount for a in money.actuals if a.kind == kind and a.financial_year == this_year)
            if done and flows.get(0):
                flows[0] = max(flows[0] - done, 0.0)
        if not any(costs.values()) and not any(benefits.values()):
            left_out.append((money, NOTHING_TO_COME))
            continue
        case_months = money.latest.case.planned_months
        finish: float | None
        if initiative.went_live_on is not None:
            start_month = finish = 0.0
        else:
            # Months from today to the planned go-live (the forecast counts from today); below 0 if overdue.
            if initiative.planned_go_live is not None:
                finish = months_between(today, initiative.planned_go_live)
            elif case_months and initiative.start_date is not None:
                finish = months_between(today, _add_months(initiative.start_date, case_months))
            elif case_months:
                finish = float(case_months)
            else:
                finish = None
            if initiative.start_date is not None:
                start_month = months_between(today, initiative.start_date)
            elif finish is not None:
                start_month = min(0.0, finish - float(case_months or 12))
            else:
                start_month = 0.0
            # A go-live recorded before the start takes no time, not negative time.
            finish = max(start_month, 0.0) + 12.0 if finish is None else max(finish, start_month)
        horizon = max(horizon, max([*costs, *benefits]) + 1)
        rows.append(
            (money, [costs[i] for i in range(horizon)], [benefits[i] for i in range(horizon)], finish, start_month)
        )
        included.append(money)
    for money, costs_list, benefits_list, finish, start_month in rows:
        pad = horizon - len(costs_list)
        items.append(
            forecast.PlannedItem(
                key=money.initiative.reference,
                cost_by_year=costs_list + [0.0] * pad,
                benefits_by_year=benefits_list + [0.0] * pad,
                planned_months=finish,
                start_month=start_month,
            )
        )
    return items, included, left_out, horizon


def _years_worth_showing(result: forecast.PortfolioForecast) -> int:
    """How many of the forecast's years to show: up to the last with anything in it (under £1 is
    nothing), so that empty years at the end do not fill the tables."""
    series = [
        result.planned_cost_by_year,
        result.planned_benefits_by_year,
        *(result.cost_by_year[q] for q in result.cost_by_year),
        *(result.benefits_by_year[q] for q in result.benefits_by_year),
    ]
    last = max((i for values in series for i, v in enumerate(values) if v >= 1), default=0)
    return last + 1


def year_labels(first: int, years: int) -> list[str]:
    """Labels for a forecast's years; the last holds that year and everything after it."""
    labels = [year_label(first + i) for i in range(years)]
    if labels:
        labels[-1] += " and later"
    return labels


def portfolio_forecast(
    data: MoneyData, today: dt.date, *, trials: int = MONTE_CARLO_TRIALS, seed: int = MONTE_CARLO_SEED
) -> ForecastFigures:
    """The portfolio's Monte Carlo forecast from today, from the active and proposed initiatives in
    `data`: cost and benefits by financial year and each initiative's go-live, as ranges."""
    moneys = [initiative_money(data, i, today) for i in data.initiatives]
    items, included, left_out, _ = planned_items(moneys, today)
    current = financial_year_start(today)
    if not items:
        return ForecastFigures(None, included, left_out)
    into_year = min(months_between(first_day(current), today), 11.99)
    result = forecast.simulate_portfolio(items, trials=trials, seed=seed, months_into_year=into_year)
    labels = year_labels(current, result.years)
    keep = _years_worth_showing(result)
    if keep < result.years:
        labels = [year_label(current + i) for i in range(keep)]
    planned_total = float(result.planned_total_cost)
    by_reference = {m.initiative.reference: m for m in included}
    completion = []
    for key, planned_months in result.planned_completion_months.items():
        money = by_reference.get(key)
        if money is None or money.initiative.went_live_on is not None:
            continue
        bands = result.completion_months[key]
        planned_date = money.initiative.planned_go_live or _add_months(today, planned_months)
        completion.append(
            CompletionRow(
                money=money,
                planned_months=planned_months,
                p10=bands[10],
                p50=bands[50],
                p80=bands[80],
                p90=bands[90],
                planned_date=planned_date,
                p10_date=_add_months(today, bands[10]),
                p50_date=_add_months(today, bands[50]),
                p80_date=_add_months(today, bands[80]),
                p90_date=_add_months(today, bands[90]),
                overdue=planned_date < today,
            )
        )
    return ForecastFigures(
        result=result,
        included=included,
        left_out=left_out,
        year_labels=labels,
        cost_rows=_band_rows(labels, result.planned_cost_by_year, result.cost_by_year),
        benefit_rows=_band_rows(labels, result.planned_benefits_by_year, result.benefits_by_year),
        completion=completion,
        planned_total=planned_total,
        p50_total=float(result.total_cost[50]),
        p80_total=float(result.total_cost[80]),
        p90_total=float(result.total_cost[90]),
        exceed_planned=1.0 - float(result.chance_within_budget),
        shown_years=keep,
    )
