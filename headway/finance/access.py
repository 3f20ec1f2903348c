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

from headway.accounts.roles import Action
from headway.finance.models import Actual, BenefitLine, BusinessCase, CostLine, FundingLine
from headway.portfolio.models import Initiative
from headway.views import MemberRequest, scoped_get


def get_initiative(request: MemberRequest, pk: int) -> Initiative:
    return scoped_get(request, Initiative.objects.select_related("organisation", "delivery_lead", "sro"), pk)


def get_funding_line(request: MemberRequest, pk: int) -> FundingLine:
    return scoped_get(request, FundingLine.objects.select_related("initiative"), pk, through="initiative__organisation")


def get_business_case(request: MemberRequest, pk: int) -> BusinessCase:
    return scoped_get(
        request,
        BusinessCase.objects.select_related("initiative", "initiative__organisation", "project_type", "created_by"),
        pk,
        through="initiative__organisation",
    )


def get_cost_line(request: MemberRequest, pk: int) -> CostLine:
    return scoped_get(
        request,
        CostLine.objects.select_related("business_case", "business_case__initiative"),
        pk,
        through="business_case__initiative__organisation",
    )


def get_benefit_line(request: MemberRequest, pk: int) -> BenefitLine:
    return scoped_get(
        request,
        BenefitLine.objects.select_related("business_case", "business_case__initiative"),
        pk,
        through="business_case__initiative__organisation",
    )


def get_actual(request: MemberRequest, pk: int) -> Actual:
    return scoped_get(
        request, Actual.objects.select_related("initiative", "benefit"), pk, through="initiative__organisation"
    )


def can_change_money(request: HttpRequest, initiative: Initiative) -> bool:
    """Anyone who may manage money, or a delivery lead on the initiatives they lead."""
    membership = getattr(request, "membership", None)
    if membership is None:
        return False
    if membership.can(Action.MANAGE_MONEY):
        return True
    return bool(membership.can(Action.EDIT_OWN_INITIATIVE) and initiative.is_led_by(request.user))


def require_change(request: MemberRequest, initiative: Initiative) -> None:
    if not can_change_money(request, initiative):
        role = request.membership.get_role_display()
        raise PermissionDenied(f"Your role ({role}) cannot change the money for {initiative.reference}.")
