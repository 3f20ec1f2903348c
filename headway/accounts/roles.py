"""Roles within an organisation and what each may do.

Kept as plain data so the rules can be read in one place and tested without a database.
"""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    BOARD = "board", "Board member"
    EXECUTIVE = "executive", "Executive or senior responsible owner"
    DELIVERY_LEAD = "delivery_lead", "Delivery lead"
    PORTFOLIO_OFFICE = "portfolio_office", "Portfolio office"
    VIEWER = "viewer", "Viewer"


class Action(models.TextChoices):
    VIEW = "view", "See the organisation's portfolio"
    COMMENT = "comment", "Comment on initiatives"
    CREATE_INITIATIVE = "create_initiative", "Propose a new initiative"
    EDIT_ANY_INITIATIVE = "edit_any_initiative", "Edit any initiative"
    EDIT_OWN_INITIATIVE = "edit_own_initiative", "Edit the initiatives they lead"
    DECIDE = "decide", "Record decisions (start, pause, stop and so on)"
    MANAGE_PORTFOLIO_RISKS = "manage_portfolio_risks", "Manage portfolio-level risks"
    MANAGE_METRICS = "manage_metrics", "Add metrics and record observations for any initiative"
    MANAGE_MONEY = "manage_money", "Record funding, business cases and actuals for any initiative"
    RUN_PRIORITISATION = "run_prioritisation", "Run prioritisation rounds: candidates, scores and capacity"
    PREPARE_BOARD_PACKS = "prepare_board_packs", "Draft and publish board packs"
    ADMINISTER = "administer", "Administer the organisation: goals, services, people, settings"


_ALL_READERS = {Action.VIEW}
PERMISSIONS: dict[str, frozenset[str]] = {
    Role.VIEWER: frozenset(_ALL_READERS),
    Role.BOARD: frozenset(_ALL_READERS | {Action.COMMENT}),
    Role.DELIVERY_LEAD: frozenset(_ALL_READERS | {Action.COMMENT, Action.EDIT_OWN_INITIATIVE}),
    Role.EXECUTIVE: frozenset(
        _ALL_READERS
        | {
            Action.COMMENT,
            Action.CREATE_INITIATIVE,
            Action.EDIT_ANY_INITIATIVE,
            Action.MANAGE_METRICS,
            Action.MANAGE_MONEY,
            Action.RUN_PRIORITISATION,
            Action.DECIDE,
            Action.MANAGE_PORTFOLIO_RISKS,
        }
    ),
    Role.PORTFOLIO_OFFICE: frozenset(
        _ALL_READERS
        | {
            Action.COMMENT,
            Action.CREATE_INITIATIVE,
            Action.EDIT_ANY_INITIATIVE,
            Action.MANAGE_METRICS,
            Action.MANAGE_MONEY,
            Action.RUN_PRIORITISATION,
            Action.DECIDE,
            Action.MANAGE_PORTFOLIO_RISKS,
            Action.PREPARE_BOARD_PACKS,
            Action.ADMINISTER,
        }
    ),
}


def role_allows(role: str, action: str) -> bool:
    return action in PERMISSIONS.get(role, frozenset())
