"""What the management commands share: reading an organisation by its ODS code and a date option,
each refused with a message that names the option, as the forms do."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import CommandError
from django.utils import timezone

from headway.accounts.models import Organisation


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
