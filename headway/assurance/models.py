"""The board layer's own settings: the thresholds the pitfall detectors compare with (ADR 25)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from headway.accounts.models import Organisation
from headway.assurance.pitfalls import Thresholds


def check_overrides(value: Any) -> None:
    if not isinstance(value, dict):
        raise ValidationError('Enter the thresholds as a JSON object, for example {"per_sro": 4}.')
    bad = Thresholds.bad_overrides(value)
    if bad:
        raise ValidationError(
            "These thresholds are unknown or have a value of the wrong kind: %(names)s.",
            params={"names": ", ".join(bad)},
        )


class PitfallSettings(models.Model):
    """An organisation's overrides of the pitfall thresholds' defaults (`pitfalls.Thresholds`);
    a threshold not named here keeps its default."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="pitfall_settings")
    overrides = models.JSONField(
        default=dict,
        blank=True,
        validators=[check_overrides],
        help_text='Only the thresholds that differ from the defaults, for example {"per_sro": 4}.',
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "pitfall thresholds"
        verbose_name_plural = "pitfall thresholds"

    def __str__(self) -> str:
        return f"Pitfall thresholds for {self.organisation}"

    @property
    def thresholds(self) -> Thresholds:
        return Thresholds.with_overrides(self.overrides)
