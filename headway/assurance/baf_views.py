"""The board assurance framework's pages: the list of principal risks, one principal risk, its
form, its removal and the history of changes (ADR 29).

Everyone in the organisation reads them; those who manage portfolio risks (the portfolio office
and executives, as for the risk register) add, change and remove principal risks."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Model
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from headway.accounts.people import names_of
from headway.accounts.roles import Action
from headway.assurance import baf, baf_actions
from headway.assurance.forms import PrincipalRiskForm
from headway.assurance.models import PrincipalRisk
from headway.confirm import Removal, confirm_removal, plural
from headway.history import display, history_entries
from headway.lib.bounds import BoundsError
from headway.portfolio.models import StrategicGoal
from headway.views import MemberRequest, can_do, member_required, page_of, saved, scoped_get

MANAGE = Action.MANAGE_PORTFOLIO_RISKS


def get_principal_risk(request: MemberRequest, pk: int) -> PrincipalRisk:
    return scoped_get(request, PrincipalRisk.objects.select_related("owner", "goal"), pk)


def _url(risk: PrincipalRisk) -> str:
    return reverse("portfolio:principal_risk", args=[risk.pk])


@member_required(Action.VIEW)
def baf_list(request: MemberRequest) -> HttpResponse:
    rows = baf.principal_risks(request.organisation)
    open_rows = [row for row in rows if row.risk.status == PrincipalRisk.State.OPEN]
    return render(
        request,
        "assurance/baf_list.html",
        {
            "rows": open_rows,
            "closed": [row for row in rows if row.risk.status != PrincipalRisk.State.OPEN],
            "above_appetite": sum(1 for row in open_rows if row.risk.above_appetite),
            "today": timezone.localdate(),
            "can_manage": can_do(request, MANAGE),
        },
    )


@member_required(Action.VIEW)
def principal_risk(request: MemberRequest, pk: int) -> HttpResponse:
    risk = get_principal_risk(request, pk)
    try:
        lines = baf.parse_assurances(risk.assurances)
    except BoundsError:  # saved before a rule tightened: shown as written
        lines = [baf.AssuranceLine(line) for line in baf.lines_of(risk.assurances)]
    linked = list(
        risk.linked_risks.select_related("initiative", "owner").order_by("status", "-likelihood", "-consequence", "pk")
    )
    return render(
        request,
        "assurance/principal_risk.html",
        {
            "risk": risk,
            "assurances": baf.evidence_of(request.organisation, lines),
            "controls": baf.lines_of(risk.controls),
            "gaps_in_control": baf.lines_of(risk.gaps_in_control),
            "gaps_in_assurance": baf.lines_of(risk.gaps_in_assurance),
            "linked": linked,
            "today": timezone.localdate(),
            "can_manage": can_do(request, MANAGE),
        },
    )


def _form_page(request: MemberRequest, risk: PrincipalRisk | None) -> HttpResponse:
    form = PrincipalRiskForm(request.POST or None, instance=risk, organisation=request.organisation)
    back = _url(risk) if risk else reverse("portfolio:baf")
    done = saved(
        request,
        form,
        lambda: baf_actions.save_principal_risk(
            organisation=request.organisation, by=request.user, fields=form.cleaned_data, risk=risk
        ),
        lambda result: f"{result.reference} {result.title} has been {'updated' if risk else 'added'}.",
        _url,
    )
    return done or render(
        request,
        "assurance/principal_risk_form.html",
        {"form": form, "risk": risk, "heading": str(risk) if risk else "", "back": back},
    )


@member_required(MANAGE)
def principal_risk_new(request: MemberRequest) -> HttpResponse:
    return _form_page(request, None)


@member_required(MANAGE)
def principal_risk_edit(request: MemberRequest, pk: int) -> HttpResponse:
    return _form_page(request, get_principal_risk(request, pk))


@member_required(MANAGE)
def principal_risk_remove(request: MemberRequest, pk: int) -> HttpResponse:
    risk = get_principal_risk(request, pk)

    def ask() -> Removal:
        linked = risk.linked_risks.count()
        return Removal(
            question=f"Remove the principal risk {risk.reference} {risk.title}?",
            caption="Board assurance framework",
            back=_url(risk),
            consequences=[
                "It goes from the board assurance framework, with its controls, assurances and gaps.",
                *(
                    [f"The {plural(linked, 'risk')} linked to it stay in the risk register, no longer linked."]
                    if linked
                    else []
                ),
                "Board packs already published keep it as they showed it.",
            ],
            details=[("Reference", risk.reference), ("Principal risk", risk.title)],
        )

    def remove() -> HttpResponse:
        baf_actions.remove_principal_risk(risk=risk, by=request.user)
        messages.success(request, f"{risk.reference} {risk.title} has been removed.")
        return redirect("portfolio:baf")

    return confirm_removal(request, ask=ask, remove=remove)


@member_required(Action.VIEW)
def baf_history(request: MemberRequest) -> HttpResponse:
    """Every change to the principal risks: added, changed, closed, removed."""
    organisation = request.organisation
    sources = [(PrincipalRisk, PrincipalRisk.history.filter(organisation_id=organisation.pk))]  # type: ignore[attr-defined]
    people = names_of(organisation.pk)
    goals = dict(StrategicGoal.objects.for_organisation(organisation).values_list("pk", "title"))

    def show(model: type[Model], name: str, value: Any) -> str:
        if name == "goal" and value is not None:
            return goals.get(value, "a goal since removed")
        return display(model, name, value, people)

    entries = history_entries(
        sources, people, describe=lambda _, r: f"Principal risk: {r.reference} {r.title}", show=show
    )
    return render(request, "assurance/baf_history.html", {"page": page_of(request, entries, 30)})
