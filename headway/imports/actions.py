"""The imports' own writes: keeping an uploaded file for its preview, and importing it once.

The records themselves are written by the other apps' actions, through each kind
(`headway.imports.kinds`); this module checks who may import what and that a file is imported
only once, from the preview the person saw (ADR 33).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.functions import Length
from django.utils import timezone

from headway.accounts.models import Membership, Organisation, User
from headway.imports.kinds import KINDS
from headway.imports.models import Upload
from headway.imports.plan import Kind, Plan, StalePreview, apply


class AlreadyImported(StalePreview):
    """The upload was imported already: confirming it again would do nothing the person saw."""


def kind_for(slug: str) -> type[Kind]:
    try:
        return KINDS[slug]
    except KeyError:
        raise ValueError(f"There is no kind of import called {slug!r}: use one of {', '.join(KINDS)}.") from None


def may_import(organisation: Organisation, person: User | None, kind: type[Kind]) -> bool:
    """Whether the person's role in the organisation allows every action the kind writes with."""
    if person is None:
        return True  # an automated job run by someone with the server's keys (`import_data` without --by)
    role = Membership.objects.filter(organisation=organisation, user=person).values_list("role", flat=True).first()
    return role is not None and person.is_active and kind.allowed(role)


def _check_allowed(organisation: Organisation, by: User | None, kind: type[Kind]) -> None:
    if not may_import(organisation, by, kind):
        raise PermissionDenied(f"Your role does not allow importing {kind.title.lower()}.")


@transaction.atomic
def store_upload(*, organisation: Organisation, by: User, kind: str, filename: str, data: bytes) -> Upload:
    """Keep the file for its preview. The same person's earlier uploads that were never imported
    are let go: only the newest preview can be confirmed, and old files do not pile up."""
    _check_allowed(organisation, by, kind_for(kind))
    Upload.objects.filter(organisation=organisation, uploaded_by=by, imported_at__isnull=True).delete()
    return Upload.objects.create(
        organisation=organisation, uploaded_by=by, kind=kind, filename=filename[:255], data=data
    )


@transaction.atomic
def import_upload(*, upload: Upload, by: User, fingerprint: str, today: dt.date | None = None) -> Plan:
    """Import the uploaded file as previewed, all or nothing. Refused (StalePreview) if the records
    changed since the preview, or (AlreadyImported) if it was imported already."""
    kind = kind_for(upload.kind)
    _check_allowed(upload.organisation, by, kind)
    # Two confirmations at once: the second waits here and then finds it imported.
    locked = Upload.objects.select_for_update().get(pk=upload.pk)
    if locked.imported_at is not None:
        raise AlreadyImported()
    plan = apply(
        organisation=upload.organisation,
        kind=kind,
        data=bytes(locked.data),
        filename=locked.filename,
        today=today or timezone.localdate(),
        by=by,
        reason=f"Imported from {locked.filename}",
        fingerprint=fingerprint,
    )
    locked.imported_at = timezone.now()
    locked.imported_by = by
    locked.outcome = plan.summary()
    locked.save(update_fields=["imported_at", "imported_by", "outcome"])
    upload.imported_at, upload.imported_by, upload.outcome = locked.imported_at, by, locked.outcome
    return plan


def import_file(
    *,
    organisation: Organisation,
    kind: str,
    data: bytes,
    filename: str,
    by: User | None,
    reason: str,
    today: dt.date | None = None,
) -> Plan:
    """Import a file straight away (the command), all or nothing; raises ImportRefused."""
    chosen = kind_for(kind)
    _check_allowed(organisation, by, chosen)
    return apply(
        organisation=organisation,
        kind=chosen,
        data=data,
        filename=filename,
        today=today or timezone.localdate(),
        by=by,
        reason=reason,
    )


@dataclass(frozen=True)
class Removed:
    """What `remove_old_files` let go."""

    previews: int  # uploads never imported, removed whole
    files: int  # imported uploads whose contents were removed (their record stays)
    bytes: int  # the size of the contents let go

    def summary(self) -> str:
        return (
            f"{self.previews} upload{'s' if self.previews != 1 else ''} never imported removed, and the contents of "
            f"{self.files} imported file{'s' if self.files != 1 else ''} ({self.bytes:,} bytes in all)"
        )


@transaction.atomic
def remove_old_files(*, kept_days: int, now: dt.datetime | None = None, dry_run: bool = False) -> Removed:
    """Let go of uploaded files no longer needed, in every organisation: an upload never imported
    `kept_days` after it was uploaded (its preview was abandoned), and the contents of an imported
    file `kept_days` after its import. What was imported, by whom and when stays on the record,
    and each imported record's history says what the import changed."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=kept_days)
    abandoned = Upload.objects.filter(imported_at__isnull=True, uploaded_at__lt=cutoff)
    imported = Upload.objects.filter(imported_at__lt=cutoff, file_removed_at__isnull=True)
    sizes = [
        abandoned.aggregate(n=Count("pk"), size=Sum(Length("data"))),
        imported.aggregate(n=Count("pk"), size=Sum(Length("data"))),
    ]
    removed = Removed(sizes[0]["n"], sizes[1]["n"], sum(int(found["size"] or 0) for found in sizes))
    if not dry_run:
        abandoned.delete()
        imported.update(data=b"", file_removed_at=now)
    return removed
