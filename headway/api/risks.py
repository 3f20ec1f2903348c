"""The risk register through the API: the open risks, filtered and ordered as on the page
(`portfolio.queries.risk_register` with the page's own `RiskFilterForm`), and one risk."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from headway.api.auth import ApiRequest
from headway.api.portfolio import Id, Limit, Offset
from headway.api.problems import refuse_invalid
from headway.api.schemas import Page, paged, responses
from headway.portfolio import access, queries
from headway.portfolio.forms import RiskFilterForm
from headway.portfolio.models import Risk

router = Router(tags=["Risks"])


class RiskOut(Schema):
    id: int
    title: str
    description: str
    initiative: str | None = Field(description="The initiative's reference; null for a risk to the whole portfolio.")
    likelihood: int
    consequence: int
    score: int
    rating: str = Field(description="The NHS 5×5 band: low, moderate, high or extreme.")
    owner: str | None
    mitigation: str
    next_review: dt.date
    status: str


class RiskFilters(Schema):
    level: str | None = Field(None, description="extreme, high, moderate or low.")
    review_overdue: bool | None = None


def _risk(risk: Risk) -> dict[str, Any]:
    return {
        "id": risk.pk,
        "title": risk.title,
        "description": risk.description,
        "initiative": risk.initiative.reference if risk.initiative is not None else None,
        "likelihood": risk.likelihood,
        "consequence": risk.consequence,
        "score": risk.score,
        "rating": risk.rating,
        "owner": (risk.owner.full_name or risk.owner.email) if risk.owner is not None else None,
        "mitigation": risk.mitigation,
        "next_review": risk.next_review,
        "status": risk.status,
    }


@router.get("/risks", response=responses({200: Page[RiskOut]}), summary="The risk register (open risks)")
def list_risks(
    request: ApiRequest, filters: Query[RiskFilters], limit: Limit = 50, offset: Offset = 0
) -> dict[str, Any]:
    """The open risks, highest score first, with the risk register's filters."""
    data = {"level": filters.level or "", **({"review_overdue": "on"} if filters.review_overdue else {})}
    form = RiskFilterForm(data)
    refuse_invalid(form, at=("query",))
    risks = queries.risk_register(request.organisation, form.cleaned_data, timezone.localdate())
    return paged(request, risks, limit, offset, _risk)


@router.get("/risks/{risk_id}", response=responses({200: RiskOut}), summary="A risk")
def get_risk(request: ApiRequest, risk_id: Id) -> dict[str, Any]:
    return _risk(access.get_risk(request, risk_id))  # type: ignore[arg-type]
