"""What the money pages show, gathered in a fixed number of queries.

`load` reads every money record for a set of initiatives in about a dozen queries, however many
initiatives there are, and the rest of this module works on those lists in Python: the figures
of each business case (through the pure `forecast` module), the checks a board should see
(funding that stops at go-live, benefits argued only in cash or not recorded at all, a late first
release), the organisation's own track record (the reference class) and the portfolio's Monte
Carlo ranges.

Amounts are whole pounds. Financial years are NHS years written 2026/27; year 0 of an appraisal
is the business case's first year.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Min, OuterRef, QuerySet, Subquery
from django.utils.safestring import SafeString, mark_safe

from headway.accounts.models import Organisation
from headway.finance import charts, forecast
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
from headway.lib.financial_years import financial_year_start, first_day, last_day, year_label, year_start
from headway.lib.money import pounds, short_pounds
from headway.lib.percentages import percent
from headway.metrics.improvement import SUSTAINED_RUN, better_than, sustained_improvements
from headway.metrics.models import Metric, Observation
from headway.portfolio.models import Checkpoint, Initiative, Status

STAGE_ORDER = {BusinessCase.Stage.SOC: 1, BusinessCase.Stage.OBC: 2, BusinessCase.Stage.FBC: 3}
STAGE_SHORT = {
    BusinessCase.Stage.SOC: "Strategic outline",
    BusinessCase.Stage.OBC: "Outline",
    BusinessCase.Stage.FBC: "Full",
}
OPEN_STATUSES = (Status.PROPOSED, Status.ACTIVE, Status.PAUSED)
FORECAST_STATUSES = (Status.PROPOSED, Status.ACTIVE)
SECURED_STATES = (FundingLine.State.APPROVED, FundingLine.State.COMMITTED, FundingLine.State.SPENT)
DAYS_IN_A_MONTH = 365.25 / 12
MONTE_CARLO_TRIALS = 10_000
MONTE_CARLO_SEED = 2026  # fixed, so the page shows the same ranges each time it is opened


# Words and numbers ---------------------------------------------------------------------------


def months_text(months: float | None) -> str:
    if months is None:
        return ""
    rounded = round(months, 1)
    text = f"{rounded:g}"
    return f"{text} month" if rounded == 1 else f"{text} months"


def months_between(start: dt.date, end: dt.date) -> float:
    return (end - start).days / DAYS_IN_A_MONTH


def _fraction(value: Decimal | None) -> float | None:
    return None if value is None else float(value) / 100


def stage_rank(case: BusinessCase) -> int:
    return STAGE_ORDER.get(BusinessCase.Stage(case.stage), 0)


# Loading -------------------------------------------------------------------------------------


@dataclass
class MoneyData:
    """Every money record for a set of initiatives, grouped by initiative and by case."""

    initiatives: list[Initiative]
    cases: dict[int, list[BusinessCase]]  # by initiative, latest stage first
    costs: dict[int, list[CostLine]]  # by case
    benefits: dict[int, list[BenefitLine]]  # by case
    mitigations: dict[int, list[Mitigation]]  # by case
    factors: dict[int, list[BiasFactor]]  # by project type
    funding: dict[int, list[FundingLine]]  # by initiative
    actuals: dict[int, list[Actual]]  # by initiative
    first_release: dict[int, dt.date]  # by initiative
    improved: dict[int, list[tuple[dt.date, int]]]  # by initiative: (period, metric id) better than baseline


def _group(items: Iterable[Any], key: str) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = defaultdict(list)
    for item in items:
        grouped[getattr(item, key)].append(item)
    return grouped


def load(initiatives: QuerySet[Initiative]) -> MoneyData:
    """Read the money for these initiatives (already scoped to one organisation) in a fixed
    number of queries."""
    chosen = list(initiatives.select_related("organisation", "sro", "delivery_lead").order_by("reference"))
    ids = [i.pk for i in chosen]
    cases = list(BusinessCase.objects.filter(initiative_id__in=ids).select_related("project_type"))
    by_initiative = _group(cases, "initiative_id")
    for group in by_initiative.values():
        group.sort(key=stage_rank, reverse=True)
    case_ids = [c.pk for c in cases]
    benefits = list(
        BenefitLine.objects.filter(business_case_id__in=case_ids)
        .select_related("owner", "metric")
        .order_by("financial_year", "kind", "pk")
    )
    metric_initiatives: dict[int, set[int]] = defaultdict(set)
    case_initiative = {c.pk: c.initiative_id for c in cases}
    for benefit in benefits:
        if benefit.metric_id is not None:
            metric_initiatives[benefit.metric_id].add(case_initiative[benefit.business_case_id])
    improved: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
    if metric_initiatives:
        series = Observation.objects.filter(metric_id__in=list(metric_initiatives)).order_by("metric_id", "period")
        rows = series.values_list(
            "metric_id", "period", "value", "metric__baseline_value", "metric__improvement_direction"
        )
        for metric_id, period in sustained_improvements(rows):
            for initiative_id in metric_initiatives[metric_id]:
                improved[initiative_id].append((period, metric_id))
        for periods in improved.values():
            periods.sort()
    releases = (
        Checkpoint.objects.filter(initiative_id__in=ids, reached_real_users=True)
        .values("initiative_id")
        .annotate(first=Min("week_start"))
    )
    return MoneyData(
        initiatives=chosen,
        cases=by_initiative,
        costs=_group(
            CostLine.objects.filter(business_case_id__in=case_ids).order_by("financial_year", "pk"), "business_case_id"
        ),
        benefits=_group(benefits, "business_case_id"),
        mitigations=_group(Mitigation.objects.filter(business_case_id__in=case_ids), "business_case_id"),
        factors=_group(BiasFactor.objects.all(), "project_type_id"),
        funding=_group(
            FundingLine.objects.filter(initiative_id__in=ids).order_by("financial_year", "kind", "pk"), "initiative_id"
        ),
        actuals=_group(
            Actual.objects.filter(initiative_id__in=ids).select_related("benefit").order_by("financial_year", "pk"),
            "initiative_id",
        ),
        first_release={r["initiative_id"]: r["first"] for r in releases},
        improved=improved,
    )


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
    # Why no uplift could be worked out, when the reference data cannot be used (say, a lower bound
    # above the upper bound after an edit in the admin); empty when all is well.
    problem: str = ""

    @property
    def cost_kind_label(self) -> str:
        """ "capital costs" or "revenue (operating) costs"."""
        return "revenue (operating) costs" if self.cost_kind == MoneyKind.REVENUE else "capital costs"

    @property
    def uplift(self) -> float | None:
        """The cost bias in pounds: the costs it applies to × the bias."""
        return None if self.cost_bias is None else self.biased_cost * self.cost_bias

    @property
    def applied_to(self) -> str:
        """What the cost uplift was applied to, in words, for the page."""
        if self.cost_bias is None:
            return ""
        other = "revenue" if self.cost_kind == MoneyKind.CAPITAL else "capital"
        guidance = (
            "HM Treasury's bounds for this type of project are for operating expenditure"
            if self.cost_kind == MoneyKind.REVENUE
            else "HM Treasury's bounds are for capital cost"
        )
        if not self.biased_cost:
            return (
                f"The {percent(self.cost_bias)} cost uplift applies to {self.cost_kind_label} only ({guidance}), "
                f"and this case has none, so nothing is raised."
            )
        return (
            f"The {percent(self.cost_bias)} cost uplift is applied to the {pounds(self.biased_cost)} of "
            f"{self.cost_kind_label} only, adding {pounds(self.uplift)}; the other "
            f"{pounds(self.total_cost - self.biased_cost)} ({other}) is not raised, because {guidance}."
        )

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
    def stage_short(self) -> str:
        return STAGE_SHORT.get(BusinessCase.Stage(self.case.stage), "")

    @property
    def cash_only(self) -> bool:
        """Every benefit is cash-releasing: the case is argued only in cash. (A case with no benefits
        at all is not argued in cash; `no_benefits` says so instead.)"""
        return bool(self.benefits) and all(b.kind == BenefitLine.Kind.CASH_RELEASING for b in self.benefits)

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
    its upper bound, or contributions adding up to more than 105%) gives no uplift and a `problem`
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
    problems = []
    if cost_upper is not None:
        try:
            cost_bias = forecast.resultant_bias(
                cost_upper, [(r.cost_share, r.mitigation) for r in rows if r.cost_share is not None], lower=cost_lower
            )
        except ValueError as error:
            problems.append(f"for cost: {str(error).rstrip('.')}")
    if duration_upper is not None:
        try:
            duration_bias = forecast.resultant_bias(
                duration_upper,
                [(r.duration_share, r.mitigation) for r in rows if r.duration_share is not None],
                lower=duration_lower,
            )
        except ValueError as error:
            problems.append(f"for time: {str(error).rstrip('.')}")
    problem = ""
    if problems:
        problem = (
            f"The optimism-bias reference data for “{project_type.name}” cannot be used ({'; '.join(problems)}), "
            "so no uplift is shown where it is affected. An administrator needs to correct the project type "
            "and its risk areas."
        )
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
        problem=problem,
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
    rows = [YearRow(year=year_label(y), discount_factor=1 / (1 + rate) ** (y - first)) for y in range(first, last + 1)]
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


# Checks a board should see -------------------------------------------------------------------


@dataclass
class Flag:
    code: str
    label: str
    explanation: str
    colour: str = "orange"


@dataclass
class FundingCheck:
    """Is there money to run and improve the service after it goes live?"""

    go_live: dt.date | None
    live: bool  # the date is the real go-live, not the plan
    go_live_year: str
    after: int  # approved, committed or spent funding in financial years that end after go-live
    after_years: list[str]
    flagged: bool
    text: str
    requested_after: int = 0  # requested (not yet approved) funding in years that end after go-live
    requested_years: list[str] = field(default_factory=list)


def funding_check(initiative: Initiative, lines: Sequence[FundingLine]) -> FundingCheck:
    """Flagged when nothing secured (approved, committed or spent) pays for the service after
    go-live (the real date once it has gone live, the planned one before). What counts: a line
    marked for running and improving the live service in a financial year that ends after go-live,
    or any line for a financial year after the go-live year. Money to build it in the go-live year
    does not count, because it is spent getting to go-live. Money only requested for those years is
    reported separately: it is not yet secured."""
    go_live = initiative.went_live_on or initiative.planned_go_live
    live = initiative.went_live_on is not None
    if go_live is None:
        return FundingCheck(
            None,
            False,
            "",
            0,
            [],
            False,
            "There is no planned go-live date yet, so we cannot tell whether the funding carries on after it.",
        )
    year = financial_year_start(go_live)
    running_on = [
        line
        for line in lines
        if last_day(line.financial_year) > go_live
        and (line.purpose == FundingLine.Purpose.RUN or year_start(line.financial_year) > year)
    ]
    later = [line for line in running_on if line.state in SECURED_STATES]
    requested = [line for line in running_on if line.state == FundingLine.State.REQUESTED]
    after = sum(line.amount for line in later)
    years = sorted({line.financial_year for line in later})
    requested_after = sum(line.amount for line in requested)
    requested_years = sorted({line.financial_year for line in requested})
    went = "went live" if live else "is planned to go live"
    if later:
        text = (
            f"It {went} on {go_live:%-d %B %Y} ({year_label(year)}). There is {pounds(after)} of approved, committed "
            f"or spent funding for after go-live ({', '.join(years)})"
        )
        if any(line.purpose == FundingLine.Purpose.RUN for line in later):
            text += ", to run and improve the live service."
        else:
            text += (
                ", though none of it is marked for running and improving the live service: check that it "
                "pays for more than the build."
            )
    else:
        text = (
            f"It {went} on {go_live:%-d %B %Y} ({year_label(year)}), and no approved, committed or spent funding is "
            "recorded for after it: nothing secured pays to run and improve the live service (money to build it "
            "in the go-live year does not count), and digital services that are not kept improving decline. "
            "Secure run-and-improve funding for the years after go-live."
        )
    if requested:
        text += (
            f" Separately, there is {pounds(requested_after)} requested but not yet approved for those years "
            f"({', '.join(requested_years)}); it does not count until it is approved."
        )
    return FundingCheck(
        go_live, live, year_label(year), after, years, not later, text, requested_after, requested_years
    )


def first_benefit(
    initiative: Initiative, actuals: Sequence[Actual], improved: Sequence[tuple[dt.date, int]]
) -> tuple[dt.date | None, str]:
    """When the first benefit was measured, and how we know.

    The earlier of two kinds of evidence:
    - the first day (1 April) of the earliest financial year with a realised benefit recorded
      as an actual (we record benefits by year, so the start of that year is the earliest it
      could have been), or the start date if that is later;
    - the first observation, on or after the start date, of a metric linked to one of the
      initiative's benefits that begins SUSTAINED_RUN observations in a row better than the
      metric's baseline (higher where higher is better, lower where lower is better; metrics with
      no baseline or no direction do not count).
    """
    candidates: list[tuple[dt.date, str]] = []
    realised = [a for a in actuals if a.kind == Actual.Kind.BENEFIT and a.amount > 0]
    start = initiative.start_date
    if realised:
        year = min(a.financial_year for a in realised)
        # No earlier than the start: a benefit cannot come before the work (and a first benefit dated
        # before the start would make the months to it negative).
        day = first_day(year) if start is None else max(first_day(year), start)
        candidates.append((day, f"a realised benefit recorded for {year}"))
    for period, _ in improved:
        if start is None or period >= start:
            candidates.append((period, f"a linked metric better than its baseline {SUSTAINED_RUN} times in a row"))
            break
    if not candidates:
        return None, ""
    return min(candidates)


SHAPE_LABELS = {"no_early_release": "No early release", "value_only_at_end": "Value only at the end"}


def shape_flags(shape: forecast.DeliveryShape | None) -> list[Flag]:
    """The delivery-shape flags, each with the forecast module's own sentence as its explanation
    (one sentence per flag set, in the order of the booleans)."""
    if shape is None:
        return []
    codes = [code for code in ("no_early_release", "value_only_at_end") if getattr(shape, code)]
    return [Flag(code, SHAPE_LABELS[code], sentence) for code, sentence in zip(codes, shape.flags, strict=False)]


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
    first_benefit_source: str
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
        funding_check=funding_check(initiative, funding),
        cases=cases,
        latest=latest,
        actuals=actuals,
        first_release=release,
        first_benefit=benefit_day,
        first_benefit_source=source,
        shape=shape,
    )
    if money.is_open:
        if money.funding_check.flagged:
            money.flags.append(Flag("funding_ends", "Funding ends at go-live", money.funding_check.text, colour="red"))
        if latest is not None and latest.cash_only:
            money.flags.append(
                Flag(
                    "cash_only",
                    "Benefits argued only in cash",
                    f"Every benefit in the {latest.case.get_stage_display().lower()} is cash-releasing. Digital "
                    "work also pays back in staff time, safety and patients' experience; a case argued only in "
                    "cash misses these and stands or falls on savings that are often hard to take out.",
                )
            )
        if latest is not None and latest.no_benefits:
            money.flags.append(
                Flag(
                    "no_benefits",
                    "No benefits recorded",
                    f"The {latest.case.get_stage_display().lower()} records no benefits at all, so nothing says "
                    "what the money will buy or how anyone would know it worked. Add the benefits, of every kind, "
                    "each with an owner.",
                )
            )
        money.flags += shape_flags(shape)
        if not cases and initiative.status == Status.ACTIVE:
            money.flags.append(
                Flag("no_case", "No business case", "It is under way with no business case recorded.", "yellow")
            )
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


#: Why a finished initiative's ratio can be left out of a measure, by measure.
LEFT_OUT_REASONS = {
    "cost": "no spend is recorded up to the year it went live",
    "duration": "it went live on (or before) the day it started, so it took no time to compare",
    "benefit": "its first measured benefit is dated on the day it started, so it took no time to compare",
}
MEASURE_NAMES = {"cost": "cost", "duration": "time to go-live", "benefit": "time to the first benefit"}


def usable_ratios(members: Sequence[ClassMember], measure: str) -> tuple[list[float], list[ClassMember]]:
    """The members' ratios (actual ÷ planned) for "cost", "duration" or "benefit" that can be used,
    and the members left out because their ratio is not above 0 or not finite (a ratio of 0 is not
    an outcome: it would say the work cost, or took, nothing). Members with no ratio for the measure
    (no planned months to a first benefit, say) are neither."""
    ratios: list[float] = []
    left_out: list[ClassMember] = []
    for member in members:
        ratio = {"cost": member.cost_ratio, "duration": member.duration_ratio, "benefit": member.benefit_ratio}[measure]
        if ratio is None:
            continue
        if math.isfinite(ratio) and ratio > 0:
            ratios.append(ratio)
        else:
            left_out.append(member)
    return ratios, left_out


def left_out_text(measure: str, left_out: Sequence[ClassMember]) -> str:
    """A sentence saying which finished initiatives were left out of a measure, and why."""
    if not left_out:
        return ""
    count = len(left_out)
    names = ", ".join(m.initiative.reference for m in left_out)
    which = "1 finished initiative was" if count == 1 else f"{count} finished initiatives were"
    return (
        f"For {MEASURE_NAMES[measure]}, {which} left out ({names}): actual ÷ planned is 0, because "
        f"{LEFT_OUT_REASONS[measure]}. Check {'its' if count == 1 else 'their'} dates and spend."
    )


@dataclass
class ClassForecasts:
    cost: forecast.ClassForecast
    duration: forecast.ClassForecast | None
    benefit: forecast.ClassForecast | None
    cost_basis: str = ""  # what the cost figures cover, in words
    cost_note: str = ""  # how the Green Book uplift was applied, when it was used
    left_out: list[str] = field(default_factory=list)  # which finished initiatives were left out, and why


def class_forecasts(
    figures: CaseFigures, members: Sequence[ClassMember], initiative: Initiative | None = None
) -> ClassForecasts:
    """P50 and P80 for the case's cost to go-live, duration and months to first benefit, from the
    reference class; below the minimum class size, the case's own optimism bias is used instead.

    Cost is on the reference class's basis: the case's costs up to and including the financial year
    it goes live (`go_live_date`), without running costs. Ratios that are not above 0 are left
    out, and `left_out` says which and why."""
    initiative = initiative or figures.case.initiative
    bias = figures.bias
    go_live = go_live_date(initiative, figures.case)
    go_live_year = financial_year_start(go_live) if go_live is not None else None
    basis = cost_to_go_live(figures.costs, go_live_year)
    if go_live_year is not None:
        cost_basis = (
            "Cost here is the cost to go-live: the business case's costs up to and including "
            f"{year_label(go_live_year)}, the year it goes live, without the running costs (the “Running and "
            "improving the live service” category). The finished initiatives are compared on the same basis: "
            "their planned costs to the year they went live, without running costs, against what they spent up "
            "to and including that year."
        )
    else:
        cost_basis = (
            "Cost here is every cost in the business case except the running costs (the “Running and improving "
            "the live service” category): with no go-live date there is no year to stop at. The finished "
            "initiatives are compared on their planned costs to the year they went live, without running costs, "
            "against what they spent up to and including that year."
        )
    # The Green Book uplift, for when the class is too small, applies to the capital costs only
    # (operating costs for outsourcing): as a share of the whole basis it is smaller.
    cost_fallback = 0.0
    cost_note = ""
    if bias.cost_bias is not None and basis > 0:
        biased = cost_to_go_live(figures.costs, go_live_year, kind=bias.cost_kind)
        cost_fallback = bias.cost_bias * biased / basis
        cost_note = (
            f"The Green Book uplift of {percent(bias.cost_bias)} applies to {bias.cost_kind_label} only: "
            f"{pounds(biased)} of the {pounds(basis)}, which is {percent(cost_fallback)} on the whole figure."
        )
    if bias.problem:
        cost_note = (cost_note + " " if cost_note else "") + bias.problem
    duration_fallback = bias.duration_bias or 0.0
    left: list[str] = []
    cost_ratios, cost_left = usable_ratios(members, "cost")
    left.append(left_out_text("cost", cost_left))
    cost = forecast.reference_class_forecast(float(basis), cost_ratios, fallback_bias=cost_fallback)
    duration = None
    if figures.case.planned_months:
        ratios, out = usable_ratios(members, "duration")
        left.append(left_out_text("duration", out))
        duration = forecast.reference_class_forecast(
            float(figures.case.planned_months), ratios, fallback_bias=duration_fallback
        )
    benefit = None
    if figures.case.planned_first_benefit_months:
        ratios, out = usable_ratios(members, "benefit")
        left.append(left_out_text("benefit", out))
        benefit = forecast.reference_class_forecast(
            float(figures.case.planned_first_benefit_months), ratios, fallback_bias=duration_fallback
        )
    return ClassForecasts(
        cost=cost,
        duration=duration,
        benefit=benefit,
        cost_basis=cost_basis,
        cost_note=cost_note if cost.fallback else (bias.problem if bias.problem else ""),
        left_out=[text for text in left if text],
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


@dataclass
class Evidence:
    """A benefit's linked metric: its latest value against its baseline and target."""

    metric: Metric
    benefits: list[BenefitLine]
    latest_value: float | None
    latest_period: dt.date | None
    better_than_baseline: bool | None


def metric_evidence(benefits: Sequence[BenefitLine], organisation: Organisation) -> list[Evidence]:
    """One query: each linked metric with its newest observation."""
    by_metric: dict[int, list[BenefitLine]] = defaultdict(list)
    for benefit in benefits:
        if benefit.metric_id is not None:
            by_metric[benefit.metric_id].append(benefit)
    if not by_metric:
        return []
    newest = Observation.objects.filter(metric=OuterRef("pk")).order_by("-period")
    metrics = (
        Metric.objects.for_organisation(organisation)
        .filter(pk__in=list(by_metric))
        .annotate(
            newest_value=Subquery(newest.values("value")[:1]), newest_period=Subquery(newest.values("period")[:1])
        )
        .order_by("name")
    )
    found = []
    for metric in metrics:
        value = metric.newest_value  # type: ignore[attr-defined]
        better = better_than(value, metric.baseline_value, metric.improvement_direction)
        found.append(
            Evidence(
                metric=metric,
                benefits=by_metric[metric.pk],
                latest_value=value,
                latest_period=metric.newest_period,  # type: ignore[attr-defined]
                better_than_baseline=better,
            )
        )
    return found


# The portfolio -------------------------------------------------------------------------------


FLAG_SUMMARIES = {
    "funding_ends": "No approved, committed or spent funding runs on past go-live, so nothing secured pays to run "
    "and improve the live service.",
    "cash_only": "Every benefit in the latest business case is cash-releasing; staff time, safety and patients' "
    "experience are left out.",
    "no_benefits": "The latest business case records no benefits at all.",
    "no_early_release": "Nothing reached real users within {weeks} weeks of the start.",
    "value_only_at_end": "Go-live is planned more than a year after the start, with nothing released to real users "
    "before it.",
    "no_case": "Under way with no business case recorded.",
}


@dataclass
class FlagGroup:
    code: str
    label: str
    summary: str
    moneys: list[InitiativeMoney]


def overrun_text(ratio: float | None) -> str:
    """1.09 -> "9% more than", 0.88 -> "12% less than", 1.0 -> "exactly"."""
    if ratio is None:
        return ""
    change = round((ratio - 1) * 100)
    if change == 0:
        return "the same as"
    return f"{abs(change)}% {'more' if change > 0 else 'less'} than"


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
    def left_out(self) -> list[str]:
        """Which finished initiatives were left out of the track record's cost or time, and why."""
        texts = [left_out_text(measure, usable_ratios(self.members, measure)[1]) for measure in ("cost", "duration")]
        return [text for text in texts if text]

    @property
    def bias_problems(self) -> list[str]:
        """Why the optimism bias could not be worked out for some current cases (one message a type)."""
        return sorted({m.latest.bias.problem for m in self.current if m.latest and m.latest.bias.problem})

    @property
    def track_record(self) -> str:
        if not self.members:
            return ""
        return (
            f"The middle one of them cost {overrun_text(self.median_cost_ratio)} planned and took "
            f"{overrun_text(self.median_duration_ratio)} the planned time."
        )


def overview(organisation: Organisation, today: dt.date) -> Overview:
    """The portfolio's money: every initiative's row, totals by year, the flags and the track record."""
    data = load(Initiative.objects.for_organisation(organisation))
    moneys = [initiative_money(data, i, today) for i in data.initiatives]
    open_moneys = [m for m in moneys if m.is_open]
    groups = []
    for code, summary in FLAG_SUMMARIES.items():
        flagged = [m for m in open_moneys if any(f.code == code for f in m.flags)]
        if flagged:
            label = next(f.label for f in flagged[0].flags if f.code == code)
            groups.append(FlagGroup(code, label, summary.format(weeks=organisation.first_release_weeks), flagged))
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
class PortfolioForecastPage:
    result: forecast.PortfolioForecast | None
    included: list[InitiativeMoney]
    left_out: list[tuple[InitiativeMoney, str]]
    year_labels: list[str]
    cost_rows: list[BandRow]
    benefit_rows: list[BandRow]
    completion: list[CompletionRow]
    cost_chart: SafeString | None
    benefit_chart: SafeString | None
    histogram: SafeString | None
    planned_total: float
    p50_total: float
    p80_total: float
    p90_total: float
    exceed_planned: float  # chance the cost is more than planned
    summary: str
    benefit_summary: str = ""


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
            left_out.append((money, "it has no business case"))
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
            left_out.append((money, "its business case has no costs or benefits still to come"))
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
    organisation: Organisation, today: dt.date, *, trials: int = MONTE_CARLO_TRIALS, seed: int = MONTE_CARLO_SEED
) -> PortfolioForecastPage:
    """The portfolio's Monte Carlo forecast from today: cost and benefits by financial year and
    each initiative's go-live, as ranges, with charts and the tables behind them."""
    data = load(Initiative.objects.for_organisation(organisation).filter(status__in=FORECAST_STATUSES))
    moneys = [initiative_money(data, i, today) for i in data.initiatives]
    items, included, left_out, _ = planned_items(moneys, today)
    current = financial_year_start(today)
    if not items:
        return PortfolioForecastPage(
            None,
            included,
            left_out,
            [],
            [],
            [],
            [],
            None,
            None,
            None,
            0.0,
            0.0,
            0.0,
            0.0,
            0.0,
            "There is nothing to forecast yet: no active or proposed initiative has a business case with costs "
            "or benefits from this financial year on.",
        )
    into_year = min(months_between(dt.date(current, 4, 1), today), 11.99)
    result = forecast.simulate_portfolio(items, trials=trials, seed=seed, months_into_year=into_year)
    labels = year_labels(current, result.years)
    keep = _years_worth_showing(result)
    if keep < result.years:
        labels = [year_label(current + i) for i in range(keep)]
    planned_total = float(result.planned_total_cost)
    exceed = 1.0 - float(result.chance_within_budget)
    p50, p80, p90 = (float(result.total_cost[p]) for p in (50, 80, 90))
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
    summary = (
        f"We have planned {short_pounds(planned_total)} for the rest of this work, from {labels[0]} on. "
        f"There is an even chance it costs more than {short_pounds(p50)}, a one-in-five chance it costs more "
        f"than {short_pounds(p80)}, and a one-in-ten chance it costs more than {short_pounds(p90)}."
    )
    short_labels = [label.replace(" and later", "+") for label in labels]
    planned_benefits = float(result.planned_total_benefits)
    benefit_summary = ""
    if planned_benefits > 0:
        benefit_summary = (
            f"Of the {short_pounds(planned_benefits)} of benefits planned over the same years, there is an even "
            f"chance of less than {short_pounds(result.total_benefits[50])} and a one-in-ten chance of less than "
            f"{short_pounds(result.total_benefits[10])}, because late or troubled work delivers less."
        )
    return PortfolioForecastPage(
        result=result,
        included=included,
        left_out=left_out,
        year_labels=labels,
        cost_rows=_band_rows(labels, result.planned_cost_by_year, result.cost_by_year),
        benefit_rows=_band_rows(labels, result.planned_benefits_by_year, result.benefits_by_year),
        benefit_summary=benefit_summary,
        completion=completion,
        cost_chart=mark_safe(  # the chart module escapes every piece of text
            charts.fan_chart(
                short_labels,
                result.planned_cost_by_year[:keep],
                {q: v[:keep] for q, v in result.cost_by_year.items()},
                "Cost by financial year: the plan and the range of likely outcomes",
            )
        ),
        benefit_chart=mark_safe(
            charts.fan_chart(
                short_labels,
                result.planned_benefits_by_year[:keep],
                {q: v[:keep] for q, v in result.benefits_by_year.items()},
                "Benefits by financial year: the plan and the range of likely outcomes",
            )
        ),
        histogram=mark_safe(
            charts.histogram(
                result.total_cost_samples,
                {"Planned": planned_total, "P50": p50, "P80": p80},
                f"Total cost in {result.trials:,} simulated futures",
            )
        ),
        planned_total=planned_total,
        p50_total=p50,
        p80_total=p80,
        p90_total=p90,
        exceed_planned=exceed,
        summary=summary,
    )
