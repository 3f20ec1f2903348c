"""The board layer's own data: the thresholds the pitfall detectors compare with (ADR 25), and
the board's questions, kept as reference data (ADR 27).

The questions' wording, the guide's reference and whether a question is asked live in the
database, editable in the admin with history, because a board rewords its questions and adds its
own. What answers a question is code: `assurance.ratings` holds one rule per question `key`, and a
question whose key has no rule is shown as not yet answered from the data.
"""

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


class QuestionQuerySet(models.QuerySet["Question"]):
    def active(self) -> QuestionQuerySet:
        return self.filter(active=True)


class Question(models.Model):
    key = models.SlugField(
        max_length=50, unique=True, help_text="Names the rule that answers it; change it only with the code."
    )
    wording = models.TextField(help_text="The question as the board asks it.")
    guide_reference = models.CharField(
        "the guide's reference",
        max_length=300,
        blank=True,
        help_text="Where the question comes from, for example a section of the NHS digital delivery guide for boards.",
    )
    version = models.PositiveIntegerField(default=1, help_text="Raised each time the wording changes.")
    active = models.BooleanField(default=True, help_text="Only active questions are asked on the page.")
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()
    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["order", "key"]

    def __str__(self) -> str:
        return self.wording
