"""Money through the API (read only): an initiative's funding lines and business cases with their
cost and benefit lines, in whole pounds, as entered once (ADR 12)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Router, Schema
from pydantic import Field

from headway.api.auth import ApiRequest
from headway.api.portfolio import Id
from headway.api.schemas import responses
from headway.finance.models import BusinessCase, FundingLine
from headway.portfolio import access

router = Router(tags=["Money"])


class FundingOut(Schema):
    id: int
    financial_year: str = Field(description="For example 2026/27.")
    kind: str = Field(description="capital or revenue.")
    source: str
    state: str
    purpose: str
    amount: int = Field(description="Whole pounds.")
    note: str


class CostOut(Schema):
    financial_year: str
    kind: str
    category: str
    amount: int
    note: str


class BenefitOut(Schema):
    financial_year: str
    kind: str
    description: str
    amount: int


class BusinessCaseOut(Schema):
    id: int
    stage: str = Field(description="soc, obc or fbc.")
    project_type: str
    first_year: str
    discount_rate: float = Field(description="The real discount rate in per cent (3.5 for the Green Book rate).")
    approved_on: dt.date | None
    summary: str
    costs: list[CostOut]
    benefits: list[BenefitOut]


@router.get(
    "/initiatives/{initiative_id}/funding", response=responses({200: list[FundingOut]}), summary="Funding lines"
)
def list_funding(request: ApiRequest, initiative_id: Id) -> list[dict[str, Any]]:
    initiative = access.get_initiative(request, initiative_id)  # type: ignore[arg-type]
    return [
        {
            "id": line.pk,
            "financial_year": line.financial_year,
            "kind": line.kind,
            "source": line.source,
            "state": line.state,
            "purpose": line.purpose,
            "amount": line.amount,
            "note": line.note,
        }
        for line in FundingLine.objects.filter(initiative=initiative).order_by("financial_year", "pk")
    ]


@router.get(
    "/initiatives/{initiative_id}/business-cases",
    response=responses({200: list[BusinessCaseOut]}),
    summary="Business cases",
)
def list_business_cases(request: ApiRequest, initiative_id: Id) -> list[dict[str, Any]]:
    initiative = access.get_initiative(request, initiative_id)  # type: ignore[arg-type]
    cases = (
        BusinessCase.objects.filter(initiative=initiative)
        .select_related("project_type")
        .prefetch_related("costs", "benefits")
        .order_by("pk")
    )
    return [
        {
            "id": case.pk,
            "stage": case.stage,
            "project_type": str(case.project_type),
            "first_year": case.first_year,
            "discount_rate": float(case.discount_rate),
            "approved_on": case.approved_on,
            "summary": case.summary,
            "costs": [
                {
                    "financial_year": c.financial_year,
                    "kind": c.kind,
                    "category": c.category,
                    "amount": c.amount,
                    "note": c.note,
                }
                for c in case.costs.all()
            ],
            "benefits": [
                {"financial_year": b.financial_year, "kind": b.kind, "description": b.description, "amount": b.amount}
                for b in case.benefits.all()
            ],
        }
        for case in cases
    ]
