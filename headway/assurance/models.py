"""The board layer's own data: the thresholds the pitfall detectors compare with (ADR 25), the
board's questions, kept as reference data (ADR 27), and board packs (ADR 28).

The questions' wording, the guide's reference and whether a question is asked live in the
database, editable in the admin with history, because a board rewords its questions and adds its
own. What answers a question is code: `assurance.ratings` holds one rule per question `key`, and a
question whose key has no rule is shown as not yet answered from the data.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
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


class Purpose(models.TextChoices):
    DECISION = "decision", "For decision"
    ASSURANCE = "assurance", "For assurance"
    INFORMATION = "information", "For information"


class AssuranceLevel(models.TextChoices):
    SUBSTANTIAL = "substantial", "Substantial"
    REASONABLE = "reasonable", "Reasonable"
    LIMITED = "limited", "Limited"
    NONE = "none", "No assurance"


class BoardPackQuerySet(models.QuerySet["BoardPack"]):
    def for_organisation(self, organisation: Organisation) -> BoardPackQuerySet:
        return self.filter(organisation=organisation)

    def published(self) -> BoardPackQuerySet:
        return self.filter(status=BoardPack.State.PUBLISHED)


class BoardPack(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="board_packs")
    title = models.CharField(max_length=200, help_text="For example, Digital portfolio report.")
    meeting = models.CharField(max_length=200, help_text="For example, Trust Board meeting in public.")
    meeting_date = models.DateField("date of the meeting")
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.ASSURANCE)
    assurance_level = models.CharField(
        "level of assurance offered", max_length=20, choices=AssuranceLevel.choices, default=AssuranceLevel.REASONABLE
    )
    assurance_reason = models.TextField("why this level of assurance")
    baf_risks = models.TextField(
        "board assurance framework risks",
        blank=True,
        help_text="The principal risks this paper relates to, one a line, for example BAF 3: digital capacity.",
    )
    recommendation = models.TextField(help_text="What the board is recommended to do with this paper.")
    executive_lead = models.CharField("executive lead", max_length=200)
    author = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT, editable=False)
    # Frozen on publishing and never changed after: the whole pack as JSON, and its SHA-256.
    content = models.JSONField(null=True, blank=True, editable=False)
    content_hash = models.CharField("SHA-256 of the content", max_length=64, blank=True, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    # The frozen content is kept out of the history: it is written once, and the hash is kept.
    history = HistoricalRecords(excluded_fields=["content"])
    objects = BoardPackQuerySet.as_manager()

    class Meta:
        ordering = ["-meeting_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="draft") | ~models.Q(content_hash=""),
                name="published_pack_has_hash",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.meeting_date:%-d %B %Y})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The one guard below every path (admin, shell, actions): a published pack is never saved again.
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == self.State.PUBLISHED:
                raise ValueError("A published board pack never changes.")
        super().save(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.status == self.State.PUBLISHED


class WeeknotesSent(models.Model):
    """That one week's weeknotes for an organisation were emailed to one person (ADR 30): what
    makes `manage.py send_weeknotes` safe to run twice. Written once, never changed."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week_start = models.DateField(help_text="The Monday of the week the weeknotes are about.")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "weeknotes sent"
        verbose_name_plural = "weeknotes sent"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user", "week_start"], name="weeknotes_sent_once")
        ]

    def __str__(self) -> str:
        return f"Weeknotes for the week of {self.week_start:%d %b %Y} to {self.user} ({self.organisation})"
