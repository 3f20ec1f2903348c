"""Money through the API: funding lines and business cases (ADR 31), read only.

The figures are the money pages' own: each business case's totals, appraisal and optimism bias
come from `finance.figures.figures_for` over the data `finance.queries.load` reads (as the case
page reads them), and its P50 and P80 from `finance.figures.class_forecasts` against the same
reference class. Nothing is worked out here, so a figure here and on the page agree. Everyone in
the organisation reads the money pages, so every role reads them here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from ninja import Query, Router, Schema
from pydantic import Field

from headway.accounts.models import Organisation
from headway.accounts.roles import Action
from headway.api.auth import ApiRequest, require
from headway.api.portfolio import Id, Limit, Offset
from headway.api.problems import Problem
from headway.api.schemas import Page, paged, responses
from headway.finance import access, figures, queries
from headway.finance.forecast import ClassForecast
from headway.finance.models import BusinessCase, FundingLine, MoneyKind, check_financial_year
from headway.lib import bounds
from headway.portfolio.models import Initiative, Status

router = Router(tags=["Money"])


def _name(person: Any) -> str | None:
    return (person.full_name or person.email) if person is not None else None


def _choice(value: str | None, choices: Sequence[str], name: str) -> str | None:
    """A filter's value, refused (naming the query field) unless it is one of `choices`."""
    if value is None or value == "":
        return None
    if value not in choices:
        message = f"‘{value}’ is not one of: {', '.join(choices)}."
        raise Problem(422, message, errors=[(["query", name], message)])
    return value


def _year(value: str | None) -> str | None:
    if not value:
        return None
    try:
        check_financial_year(value)
    except ValidationError as error:  # in the model's own words
        message = " ".join(error.messages)
        raise Problem(422, message, errors=[(["query", "financial_year"], message)]) from None
    return value


# Funding lines -------------------------------------------------------------------------------


class FundingLineOut(Schema):
    id: int
    initiative: str = Field(description="The initiative's reference.")
    initiative_id: int
    financial_year: str = Field(description="For example 2026/27.")
    kind: str = Field(description="capital or revenue.")
    source: str
    state: str = Field(description="requested, approved, committed or spent.")
    purpose: str = Field(description="build (to go live) or run (after go-live).")
    amount: int = Field(description="Pounds.")
    note: str


class FundingFilters(Schema):
    """The money on an initiative's page, and across the portfolio, by these."""

    initiative: int | None = Field(None, ge=1, le=bounds.MAX_WHOLE_NUMBER, description="An initiative's id.")
    financial_year: str | None = Field(None, max_length=7, description="For example 2026/27.")
    kind: str | None = Field(None, description="capital or revenue.")
    source: str | None = Field(None, description="national, ics, trust or other.")
    state: str | None = Field(None, description="requested, approved, committed or spent.")
    purpose: str | None = Field(None, description="build or run.")


def _funding_line(line: FundingLine) -> dict[str, Any]:
    return {
        "id": line.pk,
        "initiative": line.initiative.reference,
        "initiative_id": line.initiative_id,
        "financial_year": line.financial_year,
        "kind": line.kind,
        "source": line.source,
        "state": line.state,
        "purpose": line.purpose,
        "amount": line.amount,
        "note": line.note,
    }


@router.get("/funding-lines", response=responses({200: Page[FundingLineOut]}), summary="Funding lines")
def list_funding_lines(
    request: ApiRequest, filters: Query[FundingFilters], limit: Limit = 50, offset: Offset = 0
) -> dict[str, Any]:
    """The organisation's funding lines, by initiative, year and kind as on the money pages."""
    require(request, Action.VIEW)
    rows = FundingLine.objects.for_organisation(request.organisation).select_related("initiative")
    chosen = {
        "initiative_id": filters.initiative,
        "financial_year": _year(filters.financial_year),
        "kind": _choice(filters.kind, MoneyKind.values, "kind"),
        "source": _choice(filters.source, FundingLine.Source.values, "source"),
        "state": _choice(filters.state, FundingLine.State.values, "state"),
        "purpose": _choice(filters.purpose, FundingLine.Purpose.values, "purpose"),
    }
    rows = rows.filter(**{k: v for k, v in chosen.items() if v is not None})
    return paged(
        request, rows.order_by("initiative__reference", "financial_year", "kind", "pk"), limit, offset, _funding_line
    )


@router.get("/funding-lines/{funding_line_id}", response=responses({200: FundingLineOut}), summary="A funding line")
def get_funding_line(request: ApiRequest, funding_line_id: Id) -> dict[str, Any]:
    require(request, Action.VIEW)
    return _funding_line(access.get_funding_line(request, funding_line_id))  # type: ignore[arg-type]


# Business cases ------------------------------------------------------------------------------


class AppraisalOut(Schema):
    pv_costs: float = Field(description="Present value of the costs, pounds.")
    pv_benefits: float
    npv: float = Field(description="Net present value: benefits less costs, pounds.")
    bcr: float | None = Field(description="Benefit–cost ratio; null when the costs' present value is 0.")


class OptimismBiasOut(Schema):
    project_type: str
    cost_upper: float | None = Field(description="HM Treasury's upper bound for cost, as a fraction (0.66 = 66%).")
    cost_lower: float | None
    duration_upper: float | None
    duration_lower: float | None
    cost_bias: float | None = Field(description="The bias after the case's mitigation, as a fraction.")
    duration_bias: float | None
    cost_kind: str = Field(description="The kind of cost the bias raises: capital (revenue for outsourcing).")
    biased_cost: int = Field(description="The costs of that kind, pounds.")
    uplift: float | None = Field(description="The cost bias in pounds.")
    adjusted_cost: float | None = Field(description="The total cost with the bias added, pounds.")
    planned_months: int | None
    adjusted_months: float | None
    risk_areas_scored: int
    problems: list[str] = Field(description="Why a bias could not be worked out, when the reference data is unusable.")


class BusinessCaseOut(Schema):
    id: int
    initiative: str = Field(description="The initiative's reference.")
    initiative_id: int
    stage: str = Field(description="soc, obc or fbc.")
    is_latest: bool = Field(description="Whether it is the initiative's latest stage (the one the portfolio uses).")
    project_type: str
    first_year: str
    discount_rate: float = Field(description="Per cent a year.")
    planned_months: int | None
    planned_first_benefit_months: int | None
    approved_on: dt.date | None
    summary: str
    total_capital: int
    total_revenue: int
    total_cost: int
    total_benefits: int
    appraisal: AppraisalOut
    adjusted_appraisal: AppraisalOut | None = Field(description="With the costs raised by the optimism bias.")
    optimism_bias: OptimismBiasOut


class CostLineOut(Schema):
    id: int
    financial_year: str
    kind: str
    category: str
    amount: int
    note: str


class BenefitLineOut(Schema):
    id: int
    financial_year: str
    kind: str
    description: str
    amount: int
    owner: str | None
    metric_id: int | None = Field(description="The metric that measures it, if any.")


class YearOut(Schema):
    year: str
    capital: int
    revenue: int
    benefits: int
    discount_factor: float
    net: int


class ForecastOut(Schema):
    planned: float
    p50: float
    p80: float
    reference_class_size: int = Field(description="Finished initiatives it rests on.")
    green_book_fallback: bool = Field(
        description="True when the class is too small, so P50 and P80 are the optimism-bias adjusted figure."
    )
    explanation: str


class ForecastsOut(Schema):
    cost_to_go_live: ForecastOut = Field(description="Pounds, without running costs, to the go-live year.")
    duration_months: ForecastOut | None
    months_to_first_benefit: ForecastOut | None


class BusinessCaseDetailOut(BusinessCaseOut):
    costs: list[CostLineOut]
    benefits: list[BenefitLineOut]
    years: list[YearOut]
    forecasts: ForecastsOut


class CaseFilters(Schema):
    initiative: int | None = Field(None, ge=1, le=bounds.MAX_WHOLE_NUMBER, description="An initiative's id.")
    stage: str | None = Field(None, description="soc, obc or fbc.")
    latest: bool | None = Field(None, description="Only each initiative's latest stage.")


def _appraisal(found: Any) -> dict[str, Any] | None:
    if found is None:
        return None
    return {"pv_costs": found.pv_costs, "pv_benefits": found.pv_benefits, "npv": found.npv, "bcr": found.bcr}


def _case(data: queries.MoneyData, case: BusinessCase, found: figures.CaseFigures) -> dict[str, Any]:
    bias = found.bias
    reference = next(i.reference for i in data.initiatives if i.pk == case.initiative_id)
    latest = data.cases[case.initiative_id][0]
    return {
        "id": case.pk,
        "initiative": reference,
        "initiative_id": case.initiative_id,
        "stage": case.stage,
        "is_latest": latest.pk == case.pk,
        "project_type": case.project_type.name,
        "first_year": case.first_year,
        "discount_rate": float(case.discount_rate),
        "planned_months": case.planned_months,
        "planned_first_benefit_months": case.planned_first_benefit_months,
        "approved_on": case.approved_on,
        "summary": case.summary,
        "total_capital": found.total_capital,
        "total_revenue": found.total_revenue,
        "total_cost": found.total_cost,
        "total_benefits": found.total_benefits,
        "appraisal": _appraisal(found.appraisal),
        "adjusted_appraisal": _appraisal(found.adjusted_appraisal),
        "optimism_bias": {
            "project_type": bias.project_type.name,
            "cost_upper": bias.cost_upper,
            "cost_lower": bias.cost_lower,
            "duration_upper": bias.duration_upper,
            "duration_lower": bias.duration_lower,
            "cost_bias": bias.cost_bias,
            "duration_bias": bias.duration_bias,
            "cost_kind": bias.cost_kind,
            "biased_cost": bias.biased_cost,
            "uplift": bias.uplift,
            "adjusted_cost": bias.adjusted_cost,
            "planned_months": bias.planned_months,
            "adjusted_months": bias.adjusted_months,
            "risk_areas_scored": bias.scored,
            "problems": [f"{measure}: {reason}" for measure, reason in bias.problems],
        },
    }


def _forecast(found: ClassForecast | None) -> dict[str, Any] | None:
    if found is None:
        return None
    return {
        "planned": found.planned,
        "p50": found.p50,
        "p80": found.p80,
        "reference_class_size": found.n,
        "green_book_fallback": found.fallback,
        "explanation": found.explanation,
    }


def _load(organisation: Organisation, initiative_ids: set[int]) -> queries.MoneyData:
    """The money of these initiatives, in the fixed number of queries the pages take."""
    return queries.load(Initiative.objects.for_organisation(organisation).filter(pk__in=initiative_ids))


def _reference_class(organisation: Organisation) -> list[figures.ClassMember]:
    # The same finished initiatives the case page compares against (finance.views).
    finished = Initiative.objects.for_organisation(organisation).filter(
        status=Status.COMPLETED, start_date__isnull=False, went_live_on__isnull=False
    )
    return figures.reference_class(queries.load(finished))


def _cases(request: ApiRequest) -> QuerySet[BusinessCase]:
    return BusinessCase.objects.for_organisation(request.organisation).select_related("initiative")


@router.get("/business-cases", response=responses({200: Page[BusinessCaseOut]}), summary="Business cases")
def list_business_cases(
    request: ApiRequest, filters: Query[CaseFilters], limit: Limit = 50, offset: Offset = 0
) -> dict[str, Any]:
    """Business cases with their totals, appraisal and optimism bias, as the case page shows them."""
    require(request, Action.VIEW)
    rows = _cases(request)
    if filters.initiative is not None:
        rows = rows.filter(initiative_id=filters.initiative)
    if stage := _choice(filters.stage, BusinessCase.Stage.values, "stage"):
        rows = rows.filter(stage=stage)
    cases: QuerySet[BusinessCase] | list[BusinessCase] = rows.order_by("initiative__reference", "stage", "pk")
    if filters.latest:
        # The latest stage of each initiative's cases, by the order `queries.load` sorts them in.
        every = BusinessCase.objects.for_organisation(request.organisation).only("pk", "initiative_id", "stage")
        latest: dict[int, BusinessCase] = {}
        for case in every:
            if case.initiative_id not in latest or case.stage_rank > latest[case.initiative_id].stage_rank:
                latest[case.initiative_id] = case
        chosen = {case.pk for case in latest.values()}
        cases = [case for case in cases if case.pk in chosen]
    page = paged(request, cases, limit, offset, lambda case: case)
    data = _load(request.organisation, {case.initiative_id for case in page["items"]})
    items = []
    for case in page["items"]:
        loaded = next(c for c in data.cases[case.initiative_id] if c.pk == case.pk)
        items.append(_case(data, loaded, figures.figures_for(data, loaded)))
    page["items"] = items
    return page


@router.get(
    "/business-cases/{business_case_id}", response=responses({200: BusinessCaseDetailOut}), summary="A business case"
)
def get_business_case(request: ApiRequest, business_case_id: Id) -> dict[str, Any]:
    """A business case with its cost and benefit lines, its figures year by year, and the P50 and
    P80 for its cost, duration and first benefit, as its page shows them."""
    require(request, Action.VIEW)
    found = access.get_business_case(request, business_case_id)  # type: ignore[arg-type]
    data = _load(request.organisation, {found.initiative_id})
    case = next(c for c in data.cases[found.initiative_id] if c.pk == found.pk)
    case_figures = figures.figures_for(data, case)
    forecasts = figures.class_forecasts(case_figures, _reference_class(request.organisation), data.initiatives[0])
    return {
        **_case(data, case, case_figures),
        "costs": [
            {
                "id": line.pk,
                "financial_year": line.financial_year,
                "kind": line.kind,
                "category": line.category,
                "amount": line.amount,
                "note": line.note,
            }
            for line in case_figures.costs
        ],
        "benefits": [
            {
                "id": line.pk,
                "financial_year": line.financial_year,
                "kind": line.kind,
                "description": line.description,
                "amount": line.amount,
                "owner": _name(line.owner),
                "metric_id": line.metric_id,
            }
            for line in case_figures.benefits
        ],
        "years": [
            {
                "year": row.year,
                "capital": row.capital,
                "revenue": row.revenue,
                "benefits": row.benefits,
                "discount_factor": row.discount_factor,
                "net": row.net,
            }
            for row in case_figures.rows
        ],
        "forecasts": {
            "cost_to_go_live": _forecast(forecasts.cost),
            "duration_months": _forecast(forecasts.duration),
            "months_to_first_benefit": _forecast(forecasts.benefit),
        },
    }
