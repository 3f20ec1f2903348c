"""The portfolio through the API: organisations, goals, services, initiatives, user needs,
checkpoints and decisions (ADR 31).

Reads use the pages' own queries and filter forms (the portfolio list's `PortfolioFilterForm`
and `assurance.initiatives.portfolio`), so a list here and on the page agree. Writes use the
forms' own form classes for validation and the same actions, with the same role rules.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Header, Path, Query, Router, Schema, Status
from pydantic import Field

from headway.accounts.roles import Action
from headway.api.auth import ApiRequest, require, require_write
from headway.api.etags import check_if_match, etag_of
from headway.api.problems import Problem, refuse_invalid
from headway.api.schemas import WRITE_ERRORS, Page, paged, responses
from headway.assurance import actions as assurance_actions
from headway.assurance import initiatives as assurance_initiatives
from headway.assurance.forms import PortfolioFilterForm
from headway.assurance.glance import verdict_state
from headway.lib import bounds
from headway.lib.weeks import WeekError, parse_week, week_start
from headway.portfolio import access, actions, queries
from headway.portfolio.forms import CheckpointForm, DecisionForm
from headway.portfolio.models import Checkpoint, Decision, Initiative, Service, StrategicGoal

router = Router(tags=["Portfolio"])

Id = Annotated[int, Path(ge=1, le=bounds.MAX_WHOLE_NUMBER)]
Limit = Annotated[int, Query(ge=1, le=bounds.API_PAGE_MAX, description="How many to return (a page).")]
Offset = Annotated[int, Query(ge=0, le=bounds.MAX_WHOLE_NUMBER, description="How many to skip.")]


def _name(person: Any) -> str | None:
    return (person.full_name or person.email) if person is not None else None


# Organisations -------------------------------------------------------------------------------


class OrganisationOut(Schema):
    id: int
    name: str
    ods_code: str
    kind: str
    role: str
    this_token: bool = Field(description="Whether this is the organisation the token works in.")


@router.get("/organisations", response=responses({200: list[OrganisationOut]}), summary="Your organisations")
def list_organisations(request: ApiRequest) -> list[dict[str, Any]]:
    """Every organisation the token's person belongs to, with their role in each. A token works
    in one of them; make another token for another."""
    memberships = request.user.memberships.select_related("organisation")
    return [
        {
            "id": m.organisation_id,
            "name": m.organisation.name,
            "ods_code": m.organisation.ods_code,
            "kind": m.organisation.kind,
            "role": m.role,
            "this_token": m.organisation_id == request.organisation.pk,
        }
        for m in memberships
    ]


# Goals and services ---------------------------------------------------------------------------


class GoalOut(Schema):
    id: int
    title: str
    description: str
    order: int


class ServiceOut(Schema):
    id: int
    name: str
    description: str


def _goal(goal: StrategicGoal) -> dict[str, Any]:
    return {"id": goal.pk, "title": goal.title, "description": goal.description, "order": goal.order}


def _service(service: Service) -> dict[str, Any]:
    return {"id": service.pk, "name": service.name, "description": service.description}


@router.get("/goals", response=responses({200: Page[GoalOut]}), summary="Strategic goals")
def list_goals(request: ApiRequest, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    return paged(request, StrategicGoal.objects.for_organisation(request.organisation), limit, offset, _goal)


@router.get("/goals/{goal_id}", response=responses({200: GoalOut}), summary="A strategic goal")
def get_goal(request: ApiRequest, goal_id: Id) -> dict[str, Any]:
    return _goal(access.get_goal(request, goal_id))  # type: ignore[arg-type]


@router.get("/services", response=responses({200: Page[ServiceOut]}), summary="Services")
def list_services(request: ApiRequest, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    return paged(request, Service.objects.for_organisation(request.organisation), limit, offset, _service)


@router.get("/services/{service_id}", response=responses({200: ServiceOut}), summary="A service")
def get_service(request: ApiRequest, service_id: Id) -> dict[str, Any]:
    return _service(access.get_service(request, service_id))  # type: ignore[arg-type]


# Initiatives ---------------------------------------------------------------------------------


class InitiativeOut(Schema):
    id: int
    reference: str
    title: str
    phase: str
    status: str
    sro: str | None
    delivery_lead: str | None
    latest_confidence: str | None = Field(description="The newest checkpoint's rating; null before the first.")
    last_checkpoint_week: dt.date | None
    checkpoint_state: str | None = Field(description="'current', 'due' or 'overdue' for an active initiative.")
    is_it_working: str = Field(description="The verdict from its measures, as on the portfolio list.")
    start_date: dt.date | None
    planned_first_release: dt.date | None
    planned_go_live: dt.date | None
    went_live_on: dt.date | None


class InitiativeDetailOut(InitiativeOut):
    problem: str
    patients_served: str
    staff_served: str
    riskiest_assumption: str
    goals: list[int]
    services: list[int]
    joins_up_with: list[str] = Field(description="The references of the initiatives it must join up with.")


class InitiativeFilters(Schema):
    """The portfolio list's filters, with the same names and values as its address."""

    q: str | None = Field(None, description="Words in the title, reference or problem.")
    status: str | None = Field(None, description="proposed, active, paused, stopped, completed, or current.")
    phase: str | None = None
    goal: int | None = Field(None, ge=1, le=bounds.MAX_WHOLE_NUMBER)
    confidence: str | None = Field(None, description="A rating, or 'none' for no checkpoint yet.")
    working: str | None = Field(None, description="improving, no_change, deteriorating, not_measured, …")
    warning: str | None = None
    overdue: bool | None = None
    asks: bool | None = None
    week: dt.date | None = None
    week_confidence: str | None = None
    sort: str | None = None
    order: str | None = None


def _initiative(initiative: Initiative, today: dt.date) -> dict[str, Any]:
    return {
        "id": initiative.pk,
        "reference": initiative.reference,
        "title": initiative.title,
        "phase": initiative.phase,
        "status": initiative.status,
        "sro": _name(initiative.sro),
        "delivery_lead": _name(initiative.delivery_lead),
        "latest_confidence": initiative.current_confidence or None,
        "last_checkpoint_week": initiative.last_checkpoint_week,
        "checkpoint_state": queries.state_of(initiative, today),
        "is_it_working": verdict_state(initiative),
        "start_date": initiative.start_date,
        "planned_first_release": initiative.planned_first_release,
        "planned_go_live": initiative.planned_go_live,
        "went_live_on": initiative.went_live_on,
    }


@router.get("/initiatives", response=responses({200: Page[InitiativeOut]}), summary="The portfolio")
def list_initiatives(
    request: ApiRequest, filters: Query[InitiativeFilters], limit: Limit = 50, offset: Offset = 0
) -> dict[str, Any]:
    """The portfolio list, filtered and sorted as on the page (the same names and values)."""
    given = {k: v for k, v in filters.dict().items() if v is not None and v != ""}
    data = {k: ("on" if v is True else v.isoformat() if isinstance(v, dt.date) else str(v)) for k, v in given.items()}
    data = {k: v for k, v in data.items() if v is not False and given[k] is not False}
    form = PortfolioFilterForm(data, organisation=request.organisation)
    refuse_invalid(form, at=("query",))
    today = timezone.localdate()
    rows = assurance_initiatives.portfolio(request.organisation, form.cleaned_data, today)
    return paged(request, rows, limit, offset, lambda i: _initiative(i, today))


@router.get("/initiatives/{initiative_id}", response=responses({200: InitiativeDetailOut}), summary="An initiative")
def get_initiative(request: ApiRequest, initiative_id: Id) -> dict[str, Any]:
    initiative = get_object_or_404(
        queries.annotated_initiatives(request.organisation).select_related("sro", "delivery_lead", "verdict"),
        pk=initiative_id,
    )
    return {
        **_initiative(initiative, timezone.localdate()),
        "problem": initiative.problem,
        "patients_served": initiative.patients_served,
        "staff_served": initiative.staff_served,
        "riskiest_assumption": initiative.riskiest_assumption,
        "goals": list(initiative.goals.values_list("pk", flat=True)),
        "services": list(initiative.services.values_list("pk", flat=True)),
        "joins_up_with": list(initiative.joins_up_with.values_list("reference", flat=True)),
    }


# User needs ----------------------------------------------------------------------------------


class UserNeedOut(Schema):
    id: int
    statement: str
    evidence: str
    evidence_notes: str


@router.get(
    "/initiatives/{initiative_id}/user-needs", response=responses({200: list[UserNeedOut]}), summary="User needs"
)
def list_user_needs(request: ApiRequest, initiative_id: Id) -> list[dict[str, Any]]:
    initiative = access.get_initiative(request, initiative_id)  # type: ignore[arg-type]
    return [
        {"id": n.pk, "statement": n.statement, "evidence": n.evidence, "evidence_notes": n.evidence_notes}
        for n in initiative.user_needs.all()
    ]


# Checkpoints ---------------------------------------------------------------------------------


class CheckpointOut(Schema):
    week_start: dt.date
    demonstrated: str
    demonstrated_to: str
    reached_real_users: bool
    real_users_detail: str
    confidence: str
    confidence_reason: str
    risks_and_blockers: str
    asks_of_the_board: str
    recorded_by: str | None
    recorded_at: dt.datetime
    etag: str = Field(description="Send it back as If-Match to update this checkpoint.")


class CheckpointIn(Schema):
    demonstrated: str = ""
    demonstrated_to: str = ""
    reached_real_users: bool
    real_users_detail: str = ""
    confidence: str = Field(description="green, amber or red (or amber_green, amber_red on the five-point scale).")
    confidence_reason: str
    risks_and_blockers: str = ""
    asks_of_the_board: str = ""


class NewCheckpointIn(CheckpointIn):
    week: dt.date | None = Field(None, description="The Monday of the week; this week if left out.")


def _checkpoint_form(request: ApiRequest, checkpoint: Checkpoint | None, data: Any = None) -> CheckpointForm:
    initial = CheckpointForm.initial_from(checkpoint) if checkpoint is not None else None
    return CheckpointForm(data, organisation=request.organisation, initial=initial)


def _checkpoint(request: ApiRequest, checkpoint: Checkpoint) -> dict[str, Any]:
    return {
        "week_start": checkpoint.week_start,
        "demonstrated": checkpoint.demonstrated,
        "demonstrated_to": checkpoint.demonstrated_to,
        "reached_real_users": checkpoint.reached_real_users,
        "real_users_detail": checkpoint.real_users_detail,
        "confidence": checkpoint.confidence,
        "confidence_reason": checkpoint.confidence_reason,
        "risks_and_blockers": checkpoint.risks_and_blockers,
        "asks_of_the_board": checkpoint.asks_of_the_board,
        "recorded_by": _name(checkpoint.recorded_by),
        "recorded_at": checkpoint.recorded_at,
        "etag": etag_of(_checkpoint_form(request, checkpoint)),
    }


def _form_data(payload: CheckpointIn) -> dict[str, str]:
    data = {k: v for k, v in payload.dict().items() if k != "week"}
    data["reached_real_users"] = "True" if payload.reached_real_users else "False"
    return data


def _week(text: str) -> dt.date:
    try:
        week = parse_week(text)
    except WeekError as error:
        raise Problem(422, str(error), errors=[(["path", "week"], str(error))]) from None
    return _not_future(week, ["path", "week"])


def _not_future(week: dt.date, where: list[str | int]) -> dt.date:
    if week > week_start(timezone.localdate()):
        message = f"The week of {week:%-d %B %Y} has not started yet: a checkpoint looks back on a week."
        raise Problem(422, message, errors=[(where, message)])
    return week


@router.get(
    "/initiatives/{initiative_id}/checkpoints",
    response=responses({200: Page[CheckpointOut]}),
    summary="An initiative's checkpoints, newest first",
)
def list_checkpoints(request: ApiRequest, initiative_id: Id, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    initiative = access.get_initiative(request, initiative_id)  # type: ignore[arg-type]
    rows = initiative.checkpoints.select_related("recorded_by").order_by("-week_start")
    return paged(request, rows, limit, offset, lambda c: _checkpoint(request, c))


@router.get(
    "/initiatives/{initiative_id}/checkpoints/{week}",
    response=responses({200: CheckpointOut}),
    summary="One week's checkpoint",
)
def get_checkpoint(request: ApiRequest, response: HttpResponse, initiative_id: Id, week: str) -> Any:
    initiative = access.get_initiative(request, initiative_id)  # type: ignore[arg-type]
    checkpoint = get_object_or_404(initiative.checkpoints.select_related("recorded_by"), week_start=_week(week))
    return _with_etag(response, _checkpoint(request, checkpoint), 200)


def _with_etag(response: HttpResponse, body: dict[str, Any], status: int) -> Status[dict[str, Any]]:
    response["ETag"] = body["etag"]
    return Status(status, body)


@router.post(
    "/initiatives/{initiative_id}/checkpoints",
    response=responses({201: CheckpointOut}, WRITE_ERRORS),
    summary="Record a week's checkpoint",
)
def create_checkpoint(request: ApiRequest, response: HttpResponse, initiative_id: Id, payload: NewCheckpointIn) -> Any:
    """Record the checkpoint for a week (this week if no week is given). If that week already has
    one, nothing is saved (409): read it and update it with its ETag instead, so nobody's
    checkpoint is overwritten unseen."""
    require_write(request)
    initiative = access.get_initiative(request, initiative_id)  # type: ignore[arg-type]
    access.require_edit(request, initiative)  # type: ignore[arg-type]
    if payload.week is None:
        week = week_start(timezone.localdate())
    else:
        if payload.week.weekday() != 0:
            message = f"{payload.week} is a {payload.week:%A}: give the Monday its week starts on."
            raise Problem(422, message, errors=[(["body", "week"], message)])
        try:
            bounds.check_date(payload.week)
        except bounds.BoundsError as error:
            raise Problem(422, str(error), errors=[(["body", "week"], str(error))]) from None
        week = _not_future(payload.week, ["body", "week"])
    form = _checkpoint_form(request, None, _form_data(payload))
    refuse_invalid(form)
    with transaction.atomic():
        if initiative.checkpoints.filter(week_start=week).exists():
            raise Problem(
                409,
                f"The week of {week:%-d %B %Y} already has a checkpoint. Read it, then update it with its ETag.",
                errors=[(["body", "week"], "This week already has a checkpoint.")],
            )
        checkpoint, _created = actions.record_checkpoint(
            initiative=initiative, by=request.user, week=week, fields=form.checkpoint_fields(), reason="Recorded (API)"
        )
    return _with_etag(response, _checkpoint(request, checkpoint), 201)


@router.put(
    "/initiatives/{initiative_id}/checkpoints/{week}",
    response=responses({200: CheckpointOut}, (*WRITE_ERRORS, 412, 428)),
    summary="Update a week's checkpoint",
)
def update_checkpoint(
    request: ApiRequest,
    response: HttpResponse,
    initiative_id: Id,
    week: str,
    payload: CheckpointIn,
    if_match: Annotated[str | None, Header(alias="If-Match", description="The ETag you read.")] = None,
) -> Any:
    """Replace a week's checkpoint with these values. Send the ETag you read as If-Match: if the
    checkpoint changed since (through the API or the page), nothing is saved (412)."""
    require_write(request)
    initiative = access.get_initiative(request, initiative_id)  # type: ignore[arg-type]
    access.require_edit(request, initiative)  # type: ignore[arg-type]
    monday = _week(week)
    with transaction.atomic():
        checkpoint = get_object_or_404(initiative.checkpoints.select_for_update(), week_start=monday)
        check_if_match(if_match, etag_of(_checkpoint_form(request, checkpoint)))
        form = _checkpoint_form(request, checkpoint, _form_data(payload))
        refuse_invalid(form)
        checkpoint, _created = actions.record_checkpoint(
            initiative=initiative, by=request.user, week=monday, fields=form.checkpoint_fields(), reason="Edited (API)"
        )
    checkpoint.refresh_from_db()
    return _with_etag(response, _checkpoint(request, checkpoint), 200)


# Decisions -----------------------------------------------------------------------------------


class DecisionOut(Schema):
    id: int
    kind: str
    rationale: str
    evidence: str
    decided_by: str
    decided_on: dt.date
    status_before: str
    status_after: str
    recorded_at: dt.datetime


class DecisionIn(Schema):
    kind: str = Field(description="start, continue, pause, stop, change_course or close, as the status allows.")
    rationale: str
    evidence: str
    decided_by: str
    decided_on: dt.date


def _decision(decision: Decision) -> dict[str, Any]:
    return {
        "id": decision.pk,
        "kind": decision.kind,
        "rationale": decision.rationale,
        "evidence": decision.evidence,
        "decided_by": decision.decided_by,
        "decided_on": decision.decided_on,
        "status_before": decision.status_before,
        "status_after": decision.status_after,
        "recorded_at": decision.recorded_at,
    }


@router.get(
    "/initiatives/{initiative_id}/decisions",
    response=responses({200: Page[DecisionOut]}),
    summary="An initiative's decisions, newest first",
)
def list_decisions(request: ApiRequest, initiative_id: Id, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    initiative = access.get_initiative(request, initiative_id)  # type: ignore[arg-type]
    rows = initiative.decisions.order_by("-decided_on", "-pk")
    return paged(request, rows, limit, offset, _decision)


@router.post(
    "/initiatives/{initiative_id}/decisions",
    response=responses({201: DecisionOut}, WRITE_ERRORS),
    summary="Record a decision",
)
def create_decision(request: ApiRequest, initiative_id: Id, payload: DecisionIn) -> Status[dict[str, Any]]:
    """Record a decision on an initiative, as the decision page does: it changes the initiative's
    status, and a stop, pause or close takes it out of the open prioritisation rounds."""
    require_write(request)
    require(request, Action.DECIDE)
    initiative = access.get_initiative(request, initiative_id)  # type: ignore[arg-type]
    allowed = Decision.allowed_kinds(initiative.status)
    if payload.kind in Decision.Kind.values and payload.kind not in allowed:
        message = (
            f"An initiative that is {initiative.get_status_display().lower()} cannot be given a "
            f"‘{Decision.Kind(payload.kind).label.lower()}’ decision. It can be given: {', '.join(allowed)}."
        )
        raise Problem(409, message, errors=[(["body", "kind"], message)])
    data = payload.dict()
    data["decided_on"] = payload.decided_on.isoformat()
    form = DecisionForm(data, initiative=initiative)
    refuse_invalid(form)
    decided = assurance_actions.record_decision(
        initiative=initiative,
        by=request.user,
        kind=form.cleaned_data["kind"],
        rationale=form.cleaned_data["rationale"],
        evidence=form.cleaned_data["evidence"],
        decided_by=form.cleaned_data["decided_by"],
        decided_on=form.cleaned_data["decided_on"],
        reason="Recorded (API)",
    )
    return Status(201, _decision(decided.decision))
