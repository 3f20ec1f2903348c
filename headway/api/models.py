"""Personal access tokens for the API (ADR 32).

A token belongs to one person and one organisation. Only a digest of its secret is stored, with
a short prefix the person can recognise it by; the secret itself is shown once, when it is made.
It does no more than the person's role in the organisation allows now: if the membership ends,
the token stops working (`headway.api.auth`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from headway.accounts.models import Organisation

# Every secret starts with this, so a leaked one is recognisable (in logs, or by secret scanners).
SECRET_START = "hw_"
PREFIX_LENGTH = 11  # "hw_" and eight more characters: enough to tell a person's tokens apart


def token_digest(secret: str) -> str:
    """What is stored for a secret. A plain SHA-256 suffices: the secret is 256 random bits, so
    there is nothing to guess, and checking it on every request must be cheap."""
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret() -> str:
    return SECRET_START + secrets.token_urlsafe(32)


class AccessTokenQuerySet(models.QuerySet["AccessToken"]):
    def for_user(self, user: object) -> AccessTokenQuerySet:
        return self.filter(user=user)

    def usable(self, now: dt.datetime | None = None) -> AccessTokenQuerySet:
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())


class AccessToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_tokens")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="access_tokens")
    name = models.CharField("what it is for", max_length=100)
    prefix = models.CharField(max_length=PREFIX_LENGTH, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    can_write = models.BooleanField("can change data", default=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Noted at most once a minute (`headway.api.auth`), so a busy script does not write on every call.
    last_used_at = models.DateTimeField(null=True, blank=True)

    # Who made a token, for what and who revoked it is security evidence; its use is not history.
    history = HistoricalRecords(excluded_fields=["last_used_at"])
    objects = AccessTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def state(self, now: dt.datetime | None = None) -> str:
        """ "active", "revoked" or "expired"."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= (now or timezone.now()):
            return "expired"
        return "active"
