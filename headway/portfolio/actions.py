"""Writes that span models: each is atomic, keyword-only, takes the acting person as `by`,
and leaves a history record saying who made the change.

Every path that changes portfolio data — the web forms, the admin, management commands and the
demo loader — goes through these functions or through model `save()`, which django-simple-history
records. `by` may be None for automated jobs; pass `reason` to say which job it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from headway import derived
from headway.accounts.models import Organisation, User
from headway.concurrency import lock_for_create
from headway.history import apply_fields, links_saved_as_one_entry, stamp
from headway.lib.weeks import week_start
from headway.portfolio.models import (
    Checkpoint,
    Comment,
    Decision,
    Initiative,
    Risk,
    Service,
    Status,
    StrategicGoal,
    UserNeed,
    reversible,
)


@transaction.atomic
def create_initiative(
    *,
    organisation: Organisation,
    by: User | None,
    fields: Mapping[str, Any],
    goals: Iterable[StrategicGoal] = (),
    services: Iterable[Service] = (),
    joins_up_with: Iterable[Initiative] = (),
    reason: str | None = None,
) -> Initiative:
    # Two proposals at once would both count the same initiatives and take the same reference:
    # hold the organisation's row until this one is saved, so the second counts the first (ADR 17).
    lock_for_create(Organisation.objects.filter(pk=organisation.pk))
    initiative = Initiative(organisation=organisation, status=Status.PROPOSED)
    apply_fields(initiative, fields)
    if not initiative.reference:
        initiative.reference = next_reference(organisation)
    initiative.full_clean(exclude=["organisation"])
    stamp(initiative, by, reason or "Created")
    initiative.save()
    goals, services, joins_up_with = list(goals), list(services), list(joins_up_with)
    if goals or services or joins_up_with:
        # The links need the saved row; they go into the history as one entry after "Created".
        with links_saved_as_one_entry(initiative):
            initiative.goals.set(goals)
            initiative.services.set(services)
            initiative.joins_up_with.set(joins_up_with)
        stamp(initiative, by, reason or "Linked")
        initiative.save()
    derived.organisation_changed(organisation.pk)
    return initiative


def next_reference(organisation: Organisation) -> str:
    count = Initiative.objects.for_organisation(organisation).count()
    while True:
        count += 1
        reference = f"DIG-{count:03d}"
        if not Initiative.objects.filter(organisation=organisation, reference=reference).exists():
            return reference


@transaction.atomic
def update_initiative(
    *,
    initiative: Initiative,
    by: User | None,
    fields: Mapping[str, Any],
    goals: Iterable[StrategicGoal] | None = None,
    services: Iterable[Service] | None = None,
    joins_up_with: Iterable[Initiative] | None = None,
    reason: str | None = None,
) -> Initiative:
    if "status" in fields:
        raise ValidationError({"status": "An initiative's status changes only through a recorded decision."})
    apply_fields(initiative, fields)
    initiative.full_clean(exclude=["organisation"])
    # Links first, so the save below records them with the other changes as one entry.
    with links_saved_as_one_entry(initiative):
        if goals is not None:
            initiative.goals.set(goals)
        if services is not None:
            initiative.services.set(services)
        if joins_up_with is not None:
            initiative.joins_up_with.set([i for i in joins_up_with if i.pk != initiative.pk])
    stamp(initiative, by, reason or "Edited")
    initiative.save()
    derived.organisation_changed(initiative.organisation_id)
    return initiative


@transaction.atomic
def save_user_need(
    *, initiative: Initiative, by: User | None, fields: Mapping[str, Any], need: UserNeed | None = None
) -> UserNeed:
    need = need or UserNeed(initiative=initiative)
    apply_fields(need, fields)
    need.full_clean(exclude=["initiative"])
    stamp(need, by, None)
    need.save()
    derived.organisation_changed(initiative.organisation_id)
    return need


@transaction.atomic
def delete_user_need(*, need: UserNeed, by: User | None) -> None:
    organisation_id = Initiative.objects.filter(pk=need.initiative_id).values_list("organisation_id", flat=True).first()
    stamp(need, by, "Removed")
    need.delete()
    derived.organisation_changed(organisation_id)


@transaction.atomic
def record_checkpoint(
    *,
    initiative: Initiative,
    by: User | None,
    week: dt.date,
    fields: Mapping[str, Any],
    reason: str | None = None,
) -> tuple[Checkpoint, bool]:
    """Record the week's checkpoint. A second entry for the same week edits the first (its
    earlier version stays in the history). Returns the checkpoint and whether it was new."""
    monday = week_start(week)
    # Two first entries for one week at once: the second waits here, then finds the first and
    # edits it, instead of both inserting and the second failing on the one-per-week rule (ADR 17).
    lock_for_create(Initiative.objects.filter(pk=initiative.pk))
    checkpoint = Checkpoint.objects.select_for_update().filter(initiative=initiative, week_start=monday).first()
    created = checkpoint is None
    if checkpoint is None:
        checkpoint = Checkpoint(initiative=initiative, week_start=monday)
    apply_fields(checkpoint, fields)
    checkpoint.recorded_by = by
    save_checkpoint(checkpoint=checkpoint, by=by, reason=reason or ("Recorded" if created else "Edited"))
    return checkpoint, created


@transaction.atomic
def save_checkpoint(*, checkpoint: Checkpoint, by: User | None, reason: str | None = None) -> Checkpoint:
    """Save a checkpoint as it stands (the weekly form through `record_checkpoint`, or the admin)
    and bring its initiative's newest-checkpoint summary up to date (ADR 6, ADR 14)."""
    moved_from = (
        Checkpoint.objects.filter(pk=checkpoint.pk).values_list("initiative_id", flat=True).first()
        if checkpoint.pk
        else None
    )
    checkpoint.full_clean(exclude=["initiative", "recorded_by"])
    stamp(checkpoint, by, reason)
    checkpoint.save()
    refresh_checkpoint_summaries(initiative_ids=[checkpoint.initiative_id, moved_from])
    derived.organisation_changed(checkpoint.initiative.organisation_id)
    return checkpoint


@transaction.atomic
def delete_checkpoints(*, checkpoints: Iterable[Checkpoint], by: User | None, reason: str | None = None) -> None:
    """Remove checkpoints (only the admin does) and refresh their initiatives' summaries."""
    touched = set()
    for checkpoint in checkpoints:
        touched.add(checkpoint.initiative_id)
        stamp(checkpoint, by, reason or "Removed")
        checkpoint.delete()
    refresh_checkpoint_summaries(initiative_ids=touched)
    organisations = Initiative.objects.filter(pk__in=touched).values_list("organisation_id", flat=True).distinct()
    for organisation_id in organisations:
        derived.organisation_changed(organisation_id)


def refresh_checkpoint_summaries(*, initiative_ids: Iterable[int | None]) -> None:
    """Recompute the stored newest-checkpoint summary of these initiatives. The actions above call
    it; so must anything that writes checkpoints in bulk (`bulk_create` in the bench generator)."""
    ids = {pk for pk in initiative_ids if pk is not None}
    if ids:
        Initiative.objects.filter(pk__in=ids).refresh_checkpoint_summaries()


@transaction.atomic
def record_decision(
    *,
    initiative: Initiative,
    by: User | None,
    kind: str,
    rationale: str,
    evidence: str,
    decided_by: str,
    decided_on: dt.date,
    reason: str | None = None,
) -> Decision:
    """Record a decision and apply it to the initiative's status — the only way status changes."""
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if not rationale.strip():
        raise ValidationError({"rationale": "Write down why: every decision needs its reason."})
    if kind not in Decision.TRANSITIONS:
        raise ValidationError({"kind": f"{kind!r} is not a kind of decision."})
    sources, target = Decision.TRANSITIONS[kind]
    if initiative.status not in sources:
        label = Decision.Kind(kind).label.lower()
        raise ValidationError(
            {
                "kind": f"An initiative that is {initiative.get_status_display().lower()} cannot be given a "
                f"‘{label}’ decision."
            }
        )
    new_status = target or initiative.status
    decision = Decision(
        initiative=initiative,
        kind=kind,
        rationale=rationale.strip(),
        evidence=evidence.strip(),
        decided_by=decided_by.strip(),
        decided_on=decided_on,
        status_before=initiative.status,
        status_after=new_status,
        recorded_by=by,
    )
    decision.full_clean(exclude=["initiative", "recorded_by"])
    stamp(decision, by, reason or "Recorded")
    decision.save()
    if new_status != initiative.status:
        initiative.status = new_status
        if new_status == Status.ACTIVE and initiative.start_date is None:
            initiative.start_date = decided_on
        stamp(initiative, by, f"{decision.get_kind_display()} decision on {decided_on:%d %B %Y}")
        initiative.save()
    derived.organisation_changed(initiative.organisation_id)
    return decision


def reversal_refusal(decision: Decision, status: str | None = None) -> str:
    """Why this decision cannot be reversed now, or "" if it can (`status`: the initiative's, if
    already read)."""
    if decision.kind == Decision.Kind.REVERSE:
        return "A reversal cannot itself be reversed. Record a new decision instead."
    if Decision.objects.filter(reverses=decision).exists():
        return "This decision has already been reversed."
    current = status if status is not None else decision.initiative.status
    if decision.pk not in reversible(decision.initiative.decisions.all(), current):
        return (
            "A later decision has changed the initiative's status since, so this one can no longer be undone "
            "on its own. Record a new decision instead."
        )
    return ""


@transaction.atomic
def reverse_decision(
    *,
    decision: Decision,
    by: User | None,
    rationale: str,
    evidence: str,
    decided_by: str,
    decided_on: dt.date,
    reason: str | None = None,
) -> Decision:
    """Correct a decision recorded by mistake with a recorded reversal: a new decision, linked to
    it, with its own reason, that puts the initiative back to the status it had before. The
    original decision is never edited; both stay in the decision log (ADR 20)."""
    initiative = Initiative.objects.select_for_update().get(pk=decision.initiative_id)
    refusal = reversal_refusal(decision, initiative.status)
    if refusal:
        raise ValidationError(refusal)
    if not rationale.strip():
        raise ValidationError({"rationale": "Write down why the decision is reversed."})
    if decided_on < decision.decided_on:
        raise ValidationError(
            {
                "decided_on": "A reversal cannot be dated before the decision it reverses "
                f"({decision.decided_on:%d %B %Y})."
            }
        )
    reversal = Decision(
        initiative=initiative,
        kind=Decision.Kind.REVERSE,
        reverses=decision,
        rationale=rationale.strip(),
        evidence=evidence.strip(),
        decided_by=decided_by.strip(),
        decided_on=decided_on,
        status_before=initiative.status,
        status_after=decision.status_before,
        recorded_by=by,
    )
    reversal.full_clean(exclude=["initiative", "recorded_by", "reverses"])
    what = f"the {decision.get_kind_display().lower()} decision of {decision.decided_on:%d %B %Y}"
    stamp(reversal, by, reason or f"Reverses {what}")
    reversal.save()
    if reversal.changes_status:
        initiative.status = reversal.status_after
        if (
            decision.kind == Decision.Kind.START
            and initiative.status == Status.PROPOSED
            and initiative.start_date == decision.decided_on
        ):
            initiative.start_date = None  # the start it gave is undone with it
        stamp(
            initiative,
            by,
            f"Reversal on {decided_on:%d %B %Y} of {what}",
        )
        initiative.save()
    derived.organisation_changed(initiative.organisation_id)
    return reversal


@transaction.atomic
def save_risk(
    *,
    organisation: Organisation,
    by: User | None,
    fields: Mapping[str, Any],
    risk: Risk | None = None,
    reason: str | None = None,
) -> Risk:
    if risk is None:
        risk = Risk(organisation=organisation)
    apply_fields(risk, fields)
    if risk.initiative is not None and risk.initiative.organisation_id != organisation.pk:
        raise ValidationError({"initiative": "That initiative belongs to another organisation."})
    if risk.principal_risk is not None and risk.principal_risk.organisation_id != organisation.pk:
        raise ValidationError({"principal_risk": "Choose one of your organisation's principal risks."})
    risk.full_clean(exclude=["organisation"])
    stamp(risk, by, reason or ("Raised" if risk.pk is None else "Updated"))
    risk.save()
    derived.organisation_changed(organisation.pk)
    return risk


def add_comment(*, initiative: Initiative, by: User, body: str) -> Comment:
    if not body.strip():
        raise ValidationError({"body": "Write a comment before posting it."})
    return Comment.objects.create(initiative=initiative, author=by, body=body.strip())
