"""Look-ups that keep the organisation boundary, and the edit rule for an initiative.

Every portfolio view fetches objects through these helpers. Each reaches the object through
`request.organisation` (`headway.views.scoped_get`), so another organisation's object is simply
not found (404).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from headway.accounts.roles import Action
from headway.portfolio.models import Decision, Initiative, Risk, Service, StrategicGoal, UserNeed
from headway.views import MemberRequest, can_do, scoped_get

__all__ = [
    "can_do",
    "can_edit_initiative",
    "can_edit_risk",
    "get_decision",
    "get_goal",
    "get_initiative",
    "get_risk",
    "get_service",
    "get_user_need",
    "require_edit",
    "require_risk_edit",
]


def get_initiative(request: MemberRequest, pk: int) -> Initiative:
    return scoped_get(request, Initiative.objects.select_related("sro", "clinical_lead", "delivery_lead"), pk)


def get_decision(request: MemberRequest, pk: int) -> Decision:
    return scoped_get(request, Decision.objects.select_related("initiative"), pk, through="initiative__organisation")


def get_user_need(request: MemberRequest, pk: int) -> UserNeed:
    return scoped_get(request, UserNeed.objects.select_related("initiative"), pk, through="initiative__organisation")


def get_risk(request: MemberRequest, pk: int) -> Risk:
    return scoped_get(request, Risk.objects.select_related("initiative", "owner"), pk)


def get_goal(request: MemberRequest, pk: int) -> StrategicGoal:
    return scoped_get(request, StrategicGoal.objects.all(), pk)


def get_service(request: MemberRequest, pk: int) -> Service:
    return scoped_get(request, Service.objects.all(), pk)


def can_edit_initiative(request: HttpRequest, initiative: Initiative) -> bool:
    """Anyone who may edit any initiative, or a delivery lead on the initiatives they lead."""
    membership = getattr(request, "membership", None)
    if membership is None:
        return False
    if membership.can(Action.EDIT_ANY_INITIATIVE):
        return True
    return bool(membership.can(Action.EDIT_OWN_INITIATIVE) and initiative.is_led_by(request.user))


def require_edit(request: MemberRequest, initiative: Initiative) -> None:
    if not can_edit_initiative(request, initiative):
        role = request.membership.get_role_display()
        raise PermissionDenied(f"Your role ({role}) cannot change {initiative.reference}.")


def can_edit_risk(request: HttpRequest, risk: Risk) -> bool:
    """An initiative's risk follows the initiative's edit rule; a portfolio risk needs its own
    right. The risk register links a risk to its edit page only when this says so."""
    if risk.initiative is not None:
        return can_edit_initiative(request, risk.initiative)
    return can_do(request, Action.MANAGE_PORTFOLIO_RISKS)


def require_risk_edit(request: MemberRequest, risk: Risk) -> None:
    if can_edit_risk(request, risk):
        return
    if risk.initiative is not None:
        require_edit(request, risk.initiative)  # refuses, naming the initiative
    raise PermissionDenied("Only those who manage portfolio risks can change this risk.")
