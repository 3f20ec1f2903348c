"""Look-ups that keep the organisation boundary, and the edit rule for an initiative.

Every portfolio view fetches objects through these helpers. Each reaches the object through
`request.organisation`, so another organisation's object is simply not found (404).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from headway.accounts.access import current_membership, current_organisation
from headway.accounts.roles import Action
from headway.portfolio.models import Initiative, Risk, Service, StrategicGoal, UserNeed


def get_initiative(request: HttpRequest, pk: int) -> Initiative:
    return get_object_or_404(
        Initiative.objects.for_organisation(current_organisation(request)).select_related(
            "sro", "clinical_lead", "delivery_lead"
        ),
        pk=pk,
    )


def get_user_need(request: HttpRequest, pk: int) -> UserNeed:
    return get_object_or_404(
        UserNeed.objects.filter(initiative__organisation=current_organisation(request)).select_related(
            "initiative"
        ),
        pk=pk,
    )


def get_risk(request: HttpRequest, pk: int) -> Risk:
    return get_object_or_404(
        Risk.objects.for_organisation(current_organisation(request)).select_related("initiative", "owner"),
        pk=pk,
    )


def get_goal(request: HttpRequest, pk: int) -> StrategicGoal:
    return get_object_or_404(StrategicGoal.objects.for_organisation(current_organisation(request)), pk=pk)


def get_service(request: HttpRequest, pk: int) -> Service:
    return get_object_or_404(Service.objects.for_organisation(current_organisation(request)), pk=pk)


def can_edit_initiative(request: HttpRequest, initiative: Initiative) -> bool:
    """Anyone who may edit any initiative, or a delivery lead on the initiatives they lead."""
    membership = getattr(request, "membership", None)
    if membership is None:
        return False
    if membership.can(Action.EDIT_ANY_INITIATIVE):
        return True
    return bool(membership.can(Action.EDIT_OWN_INITIATIVE) and initiative.is_led_by(request.user))


def require_edit(request: HttpRequest, initiative: Initiative) -> None:
    if not can_edit_initiative(request, initiative):
        role = current_membership(request).get_role_display()
        raise PermissionDenied(f"Your role ({role}) cannot change {initiative.reference}.")


def can_do(request: HttpRequest, action: str) -> bool:
    membership = getattr(request, "membership", None)
    return bool(membership is not None and membership.can(action))


def require_risk_edit(request: HttpRequest, risk: Risk) -> None:
    """An initiative's risk follows the initiative's edit rule; a portfolio risk needs its own right."""
    if risk.initiative is not None:
        require_edit(request, risk.initiative)
    elif not can_do(request, Action.MANAGE_PORTFOLIO_RISKS):
        raise PermissionDenied("Only those who manage portfolio risks can change this risk.")
