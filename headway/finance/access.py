"""Look-ups that keep the organisation boundary for money, and who may change it.

Every finance view fetches objects through these helpers. Each reaches the object through
`request.organisation` (by way of the initiative it belongs to), so another organisation's
funding line, business case or actual is simply not found (404).

Everyone in the organisation reads the money pages. Changing an initiative's money is for those
who may manage money (`Action.MANAGE_MONEY`, any initiative) and for a delivery lead on the
initiatives they lead (`Action.EDIT_OWN_INITIATIVE`).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from headway.accounts.access import current_membership, current_organisation
from headway.accounts.roles import Action
from headway.finance.models import Actual, BenefitLine, BusinessCase, CostLine, FundingLine
from headway.portfolio.models import Initiative


def get_initiative(request: HttpRequest, pk: int) -> Initiative:
    return get_object_or_404(
        Initiative.objects.for_organisation(current_organisation(request)).select_related(
            "organisation", "delivery_lead", "sro"
        ),
        pk=pk,
    )


def get_funding_line(request: HttpRequest, pk: int) -> FundingLine:
    return get_object_or_404(
        FundingLine.objects.for_organisation(current_organisation(request)).select_related("initiative"), pk=pk
    )


def get_business_case(request: HttpRequest, pk: int) -> BusinessCase:
    return get_object_or_404(
        BusinessCase.objects.for_organisation(current_organisation(request)).select_related(
            "initiative", "initiative__organisation", "project_type", "created_by"
        ),
        pk=pk,
    )


def get_cost_line(request: HttpRequest, pk: int) -> CostLine:
    return get_object_or_404(
        CostLine.objects.filter(business_case__initiative__organisation=current_organisation(request)).select_related(
            "business_case", "business_case__initiative"
        ),
        pk=pk,
    )


def get_benefit_line(request: HttpRequest, pk: int) -> BenefitLine:
    return get_object_or_404(
        BenefitLine.objects.filter(
            business_case__initiative__organisation=current_organisation(request)
        ).select_related("business_case", "business_case__initiative"),
        pk=pk,
    )


def get_actual(request: HttpRequest, pk: int) -> Actual:
    return get_object_or_404(
        Actual.objects.for_organisation(current_organisation(request)).select_related("initiative", "benefit"),
        pk=pk,
    )


def can_change_money(request: HttpRequest, initiative: Initiative) -> bool:
    """Anyone who may manage money, or a delivery lead on the initiatives they lead."""
    membership = getattr(request, "membership", None)
    if membership is None:
        return False
    if membership.can(Action.MANAGE_MONEY):
        return True
    return bool(membership.can(Action.EDIT_OWN_INITIATIVE) and initiative.is_led_by(request.user))


def require_change(request: HttpRequest, initiative: Initiative) -> None:
    if not can_change_money(request, initiative):
        role = current_membership(request).get_role_display()
        raise PermissionDenied(f"Your role ({role}) cannot change the money for {initiative.reference}.")
