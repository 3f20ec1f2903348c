"""Risks through the API: the risk register and the board assurance framework's principal risks
(ADR 31), read only.

The register is the page's own query (`portfolio.queries.risk_register`) with the page's own
filter form (`RiskFilterForm`), so a list here and on the page agree: open risks, highest score
first. Principal risks are read through `assurance.baf.principal_risks`, as the framework's page
reads them. Everyone in the organisation reads both pages, so every role reads both here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from headway.accounts.roles import Action
from headway.api.auth import ApiRequest, require
from headway.api.portfolio import Id, Limit, Offset
from headway.api.problems import refuse_invalid
from headway.api.schemas import Page, paged, responses
from headway.assurance import baf
from headway.assurance.models import PrincipalRisk
from headway.portfolio import access, queries
from headway.portfolio.forms import RiskFilterForm
from headway.portfolio.models import Risk
from headway.views import scoped_get

router = Router(tags=["Risks"])


def _name(person: Any) -> str | None:
    return (person.full_name or person.email) if person is not None else None


# The risk register ---------------------------------------------------------------------------


class RiskOut(Schema):
    id: int
    title: str
    description: str
    initiative: str | None = Field(description="The initiative's reference; null for a risk to the whole portfolio.")
    initiative_id: int | None
    likelihood: int = Field(description="1 to 5.")
    consequence: int = Field(description="1 to 5.")
    score: int = Field(description="Likelihood × consequence, 1 to 25.")
    rating: str = Field(description="The NHS 5×5 band: low, moderate, high or extreme.")
    owner: str | None
    mitigation: str
    next_review: dt.date
    review_overdue: bool = Field(description="Whether the next review date has passed.")
    status: str = Field(description="open or closed.")
    principal_risk: str | None = Field(description="The reference of the principal risk it rolls up to, if any.")


class RiskFilters(Schema):
    """The risk register's filters, with the same names and values as its address."""

    level: str | None = Field(None, description="extreme, high, moderate or low.")
    review_overdue: bool | None = Field(None, description="Only risks past their review date.")


def _risk(risk: Risk, today: dt.date) -> dict[str, Any]:
    return {
        "id": risk.pk,
        "title": risk.title,
        "description": risk.description,
        "initiative": risk.initiative.reference if risk.initiative is not None else None,
        "initiative_id": risk.initiative_id,
        "likelihood": risk.likelihood,
        "consequence": risk.consequence,
        "score": risk.score,
        "rating": risk.rating,
        "owner": _name(risk.owner),
        "mitigation": risk.mitigation,
        "next_review": risk.next_review,
        "review_overdue": risk.next_review < today,
        "status": risk.status,
        "principal_risk": risk.principal_risk.reference if risk.principal_risk is not None else None,
    }


@router.get("/risks", response=responses({200: Page[RiskOut]}), summary="The risk register")
def list_risks(
    request: ApiRequest, filters: Query[RiskFilters], limit: Limit = 50, offset: Offset = 0
) -> dict[str, Any]:
    """The open risks, highest score first, filtered as on the risk register page."""
    require(request, Action.VIEW)
    data: dict[str, str] = {}
    if filters.level:
        data["level"] = filters.level
    if filters.review_overdue:
        data["review_overdue"] = "on"
    form = RiskFilterForm(data)
    refuse_invalid(form, at=("query",))
    today = timezone.localdate()
    rows = queries.risk_register(request.organisation, form.cleaned_data, today)
    return paged(request, rows, limit, offset, lambda r: _risk(r, today))


@router.get("/risks/{risk_id}", response=responses({200: RiskOut}), summary="A risk")
def get_risk(request: ApiRequest, risk_id: Id) -> dict[str, Any]:
    """One risk, open or closed."""
    require(request, Action.VIEW)
    risk = access.get_risk(request, risk_id)  # type: ignore[arg-type]
    return _risk(risk, timezone.localdate())


# The board assurance framework ---------------------------------------------------------------


class LinkedRiskOut(Schema):
    id: int
    title: str
    initiative: str | None
    score: int
    rating: str
    status: str


class PrincipalRiskOut(Schema):
    id: int
    reference: str
    title: str
    description: str
    goal: str | None = Field(description="The strategic goal it threatens.")
    goal_id: int | None
    owner: str | None = Field(description="The executive owner.")
    current_likelihood: int
    current_consequence: int
    current_score: int
    current_rating: str
    target_likelihood: int
    target_consequence: int
    target_score: int
    target_rating: str
    appetite: str
    appetite_ceiling: int = Field(description="The highest score the appetite accepts.")
    above_appetite: bool
    above_target: bool
    controls: list[str] = Field(description="One a line, as on the page.")
    assurances: list[str]
    gaps_in_control: list[str]
    gaps_in_assurance: list[str]
    next_review: dt.date
    status: str
    linked_risks: list[LinkedRiskOut] = Field(description="The risk register's risks that roll up to it.")


class PrincipalRiskFilters(Schema):
    status: str | None = Field(
        None, pattern="^(open|closed)$", description="open or closed; both if left out (the page shows both)."
    )


def _principal_risk(row: baf.PrincipalRiskRow) -> dict[str, Any]:
    risk = row.risk
    return {
        "id": risk.pk,
        "reference": risk.reference,
        "title": risk.title,
        "description": risk.description,
        "goal": risk.goal.title if risk.goal is not None else None,
        "goal_id": risk.goal_id,
        "owner": _name(risk.owner),
        "current_likelihood": risk.current_likelihood,
        "current_consequence": risk.current_consequence,
        "current_score": risk.current_score,
        "current_rating": risk.current_rating,
        "target_likelihood": risk.target_likelihood,
        "target_consequence": risk.target_consequence,
        "target_score": risk.target_score,
        "target_rating": risk.target_rating,
        "appetite": risk.appetite,
        "appetite_ceiling": risk.appetite_ceiling,
        "above_appetite": risk.above_appetite,
        "above_target": risk.above_target,
        "controls": baf.lines_of(risk.controls),
        "assurances": baf.lines_of(risk.assurances),
        "gaps_in_control": baf.lines_of(risk.gaps_in_control),
        "gaps_in_assurance": baf.lines_of(risk.gaps_in_assurance),
        "next_review": risk.next_review,
        "status": risk.status,
        "linked_risks": [
            {
                "id": linked.pk,
                "title": linked.title,
                "initiative": linked.initiative.reference if linked.initiative is not None else None,
                "score": linked.score,
                "rating": linked.rating,
                "status": linked.status,
            }
            for linked in row.linked
        ],
    }


@router.get(
    "/principal-risks",
    response=responses({200: Page[PrincipalRiskOut]}),
    summary="The board assurance framework's principal risks",
)
def list_principal_risks(
    request: ApiRequest, filters: Query[PrincipalRiskFilters], limit: Limit = 50, offset: Offset = 0
) -> dict[str, Any]:
    """The principal risks by reference, with the register's risks linked to each."""
    require(request, Action.VIEW)
    rows = baf.principal_risks(request.organisation, only_open=filters.status == PrincipalRisk.State.OPEN)
    if filters.status == PrincipalRisk.State.CLOSED:
        rows = [row for row in rows if row.risk.status == PrincipalRisk.State.CLOSED]
    return paged(request, rows, limit, offset, _principal_risk)


@router.get(
    "/principal-risks/{principal_risk_id}", response=responses({200: PrincipalRiskOut}), summary="A principal risk"
)
def get_principal_risk(request: ApiRequest, principal_risk_id: Id) -> dict[str, Any]:
    """One principal risk, open or closed, with the register's risks linked to it."""
    require(request, Action.VIEW)
    risk = scoped_get(
        request,  # type: ignore[arg-type]
        PrincipalRisk.objects.for_organisation(request.organisation).select_related("owner", "goal"),
        principal_risk_id,
    )
    linked = risk.linked_risks.select_related("initiative").order_by("status", "-likelihood", "-consequence", "pk")
    return _principal_risk(baf.PrincipalRiskRow(risk, list(linked)))
