"""What the management commands share: reading an organisation by its ODS code and a date option,
each refused with a message that names the option, as the forms do."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.utils import timezone

from headway.accounts.models import Organisation
from headway.lib.tables import MAX_BYTES
from headway.lib.weeks import WeekError, parse_week


def organisation_option(code: str) -> Organisation:
    try:
        return Organisation.objects.get(ods_code=code)
    except Organisation.DoesNotExist:
        raise CommandError(f"No organisation has the ODS code {code!r}.") from None


def date_option(option: str, value: str | None) -> dt.date:
    """The date given as `--option YYYY-MM-DD`; today when it is not given."""
    if not value:
        return timezone.localdate()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--{option} must be a date written YYYY-MM-DD, not {value!r}.") from None


def week_option(option: str, value: str | None) -> dt.date | None:
    """The reporting week given as `--option YYYY-MM-DD` (its Monday, within Headway's bounds);
    None when it is not given, so the command picks its own default."""
    if not value:
        return None
    try:
        return parse_week(value)
    except WeekError as error:
        raise CommandError(f"--{option}: {error}") from None


def file_option(path: Path) -> bytes:
    """An uploaded-file command's file, read whole once it is known to be within the upload
    limit (`lib/tables.py`, ADR 19); refused with a message naming it otherwise."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise CommandError(f"Nothing was imported: {path.name} is larger than {MAX_BYTES // (1024 * 1024)} MB.")
        return path.read_bytes()
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror}.") from None


def site_address() -> str:
    """Where Headway is served, for the links in the emails a command sends: HEADWAY_BASE_URL."""
    return str(getattr(settings, "HEADWAY_BASE_URL", "http://127.0.0.1:8000")).rstrip("/")
