"""Two people saving at the same moment: the one place that says how Headway keeps them apart.

A record that must be unique within its parent (one checkpoint a week for an initiative, one
value a period for a metric, one reference for an organisation's initiative) is created by an
action that first locks the parent's row with `lock_for_create`. A second request for the same
parent waits there until the first commits, then sees what the first saved and edits it (or takes
the next reference) instead of inserting a duplicate that the database refuses (ADR 17).
"""

from __future__ import annotations

from django.db.models import Model, QuerySet


def lock_for_create(parent: QuerySet[Model]) -> None:
    """Lock the parent row(s) until the surrounding transaction ends; call it inside the action's
    `transaction.atomic`, before looking for the record to edit.

    FOR NO KEY UPDATE, not FOR UPDATE: it still makes a second creator wait, but not the inserts
    elsewhere that merely point at the parent (a comment on the initiative, a history row), which
    take a key-share lock. SQLite has no row locks; its IMMEDIATE transactions (settings.py)
    already let only one writer in at a time."""
    list(parent.select_for_update(no_key=True).values_list("pk", flat=True))
