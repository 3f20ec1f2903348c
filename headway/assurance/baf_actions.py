"""Every write to the board assurance framework: a principal risk saved or removed (ADR 29).
Linking a portfolio or initiative risk to one is part of saving that risk (`portfolio.actions`)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from headway.accounts.models import Organisation, User
from headway.assurance.models import PrincipalRisk
from headway.history import apply_fields, stamp

FIELDS = (
    "reference",
    "title",
    "description",
    "goal",
    "owner",
    "current_likelihood",
    "current_consequence",
    "target_likelihood",
    "target_consequence",
    "appetite",
    "controls",
    "assurances",
    "gaps_in_control",
    "gaps_in_assurance",
    "next_review",
    "status",
)


def save_principal_risk(
    *, organisation: Organisation, by: User | None, fields: dict[str, Any], risk: PrincipalRisk | None = None
) -> PrincipalRisk:
    if risk is None:
        risk = PrincipalRisk(organisation=organisation)
    apply_fields(risk, {name: value for name, value in fields.items() if name in FIELDS})
    if risk.goal is not None and risk.goal.organisation_id != organisation.pk:
        raise ValidationError({"goal": "Choose one of your organisation's strategic goals."})
    risk.full_clean()
    stamp(risk, by, "Added to the board assurance framework" if risk.pk is None else "Updated")
    risk.save()
    return risk


@transaction.atomic
def remove_principal_risk(*, risk: PrincipalRisk, by: User | None) -> None:
    """Remove it; the risks linked to it stay in the register, unlinked (each change recorded)."""
    for linked in risk.linked_risks.select_for_update():
        linked.principal_risk = None
        stamp(linked, by, f"Unlinked: principal risk {risk.reference} removed")
        linked.save()
    stamp(risk, by, "Removed from the board assurance framework")
    risk.delete()
