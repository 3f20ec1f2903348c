"""Access in words: who gave a person access to the organisation, changed their role or removed
them, and when (the people page)."""

from __future__ import annotations

from typing import Any

from django.db.models import Model

from headway.accounts.models import Membership, Organisation, User
from headway.history import HistoryEntry, history_entries


def access_history(organisation: Organisation) -> list[HistoryEntry]:
    """Every recorded change to who may use Headway here, newest first. People are named even
    after they have left, so the names come from every account the records mention."""
    records = Membership.history.filter(organisation_id=organisation.pk)  # type: ignore[attr-defined]
    mentioned = set(records.values_list("user_id", flat=True)) | set(records.values_list("history_user_id", flat=True))
    people = {u.pk: u.full_name or u.email for u in User.objects.filter(pk__in=mentioned - {None})}

    def describe(model: type[Model], record: Any) -> str:
        return f"Access for {people.get(record.user_id, 'a removed account')}"

    return history_entries([(Membership, records)], people, describe=describe, skip={"user"})
