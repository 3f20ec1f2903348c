"""Every write to a board pack: draft, edit the draft's cover sheet, publish (ADR 28)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from headway.accounts.models import Organisation, User
from headway.assurance import packs
from headway.assurance.models import BoardPack
from headway.history import stamp

COVER_FIELDS = (
    "title",
    "meeting",
    "meeting_date",
    "purpose",
    "assurance_level",
    "assurance_reason",
    "baf_risks",
    "recommendation",
    "executive_lead",
    "author",
)
ALREADY_PUBLISHED = "This board pack has been published, so it cannot change. Draft a new pack instead."


def create_pack(*, organisation: Organisation, by: User | None, fields: dict[str, Any]) -> BoardPack:
    pack = BoardPack(organisation=organisation, created_by=by, **{k: fields[k] for k in COVER_FIELDS if k in fields})
    pack.full_clean()
    stamp(pack, by, "Drafted")
    pack.save()
    return pack


@transaction.atomic
def update_pack(*, pack: BoardPack, by: User | None, fields: dict[str, Any]) -> BoardPack:
    locked = BoardPack.objects.select_for_update().get(pk=pack.pk)
    if locked.is_published:
        raise ValidationError(ALREADY_PUBLISHED)
    for name in COVER_FIELDS:
        if name in fields:
            setattr(pack, name, fields[name])
    pack.full_clean()
    stamp(pack, by, "Cover sheet edited")
    pack.save()
    return pack


@transaction.atomic
def publish_pack(*, pack: BoardPack, by: User | None, today: dt.date | None = None) -> BoardPack:
    """Freeze the pack: its content as of today, with the SHA-256 of the canonical JSON."""
    locked = BoardPack.objects.select_for_update().get(pk=pack.pk)
    if locked.is_published:
        raise ValidationError(ALREADY_PUBLISHED)
    # One publication at a time in an organisation, so "the previous pack" is well defined.
    Organisation.objects.select_for_update().filter(pk=locked.organisation_id).first()
    frozen = packs.content(locked, today or timezone.localdate())
    locked.content = frozen
    locked.content_hash = packs.content_hash(frozen)
    locked.status = BoardPack.State.PUBLISHED
    locked.published_at = timezone.now()
    locked.published_by = by
    stamp(locked, by, "Published")
    locked.save()
    return locked
