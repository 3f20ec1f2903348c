"""The portfolio's figures in words, for its pages and the board layer's: the labels of a
confidence rating and of a checkpoint's state, and what each history record is.

Words only: the loading is `portfolio.queries`'.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model

from headway.accounts.models import Organisation
from headway.accounts.people import names_of
from headway.history import HistoryEntry, display, history_entries
from headway.portfolio import queries
from headway.portfolio.models import (
    Checkpoint,
    Comment,
    Confidence,
    Decision,
    Initiative,
    Risk,
    Service,
    StrategicGoal,
    UserNeed,
)

LABELS: dict[str, str] = {str(k): str(v) for k, v in Confidence.choices}

CHECKPOINT_STATE_LABELS = {"up_to_date": "Up to date", "due": "Due this week", "overdue": "Overdue"}


def describe(model: type[Model], record: Any) -> str:
    """What a history record is about: "Checkpoint, week of 05 January 2026"."""
    if model is Initiative:
        return "Initiative"
    if model is Checkpoint:
        return f"Checkpoint, week of {record.week_start:%d %B %Y}"
    if model is Decision:
        return f"Decision: {dict(Decision.Kind.choices).get(record.kind, record.kind)}"
    if model is Risk:
        return f"Risk: {record.title}" if record.initiative_id else f"Risk to the portfolio: {record.title}"
    if model is UserNeed:
        return f"User need: {record.statement[:60]}"
    if model is Comment:
        return "Comment"
    if model is StrategicGoal:
        return f"Goal: {record.title}"
    if model is Service:
        return f"Service: {record.name}"
    if model is Organisation:
        return "Settings"
    return model.__name__


def settings_history(organisation: Organisation) -> list[HistoryEntry]:
    """Every recorded change to the organisation's settings, goals and services, newest first."""
    people = names_of(organisation.pk)
    return history_entries(queries.settings_history_sources(organisation), people, describe=describe)


def risk_history(organisation: Organisation) -> list[HistoryEntry]:
    """Every recorded change to the risk register, newest first."""
    people = names_of(organisation.pk)
    # A link to a principal risk (ADR 29) said by its reference, reached through the link itself.
    principal = Risk._meta.get_field("principal_risk").related_model
    references = dict(
        principal._default_manager.filter(organisation=organisation).values_list("pk", "reference")  # type: ignore[union-attr]
    )

    def show(model: type[Model], name: str, value: Any) -> str:
        if name == "principal_risk" and value is not None:
            return str(references.get(value, f"principal risk {value} (since removed)"))
        return display(model, name, value, people)

    return history_entries(queries.risk_history_sources(organisation), people, describe=describe, show=show)
