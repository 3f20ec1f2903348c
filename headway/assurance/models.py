"""The board layer's own data: the thresholds the pitfall detectors compare with (ADR 25), the
board's questions, kept as reference data (ADR 27), board packs (ADR 28) and the board assurance
framework's principal risks (ADR 29).

The questions' wording, the guide's reference and whether a question is asked live in the
database, editable in the admin with history, because a board rewords its questions and adds its
own. What answers a question is code: `assurance.ratings` holds one rule per question `key`, and a
question whose key has no rule is shown as not yet answered from the data.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from simple_history.models import HistoricalRecords

from headway.accounts.models import Organisation
from headway.assurance.pitfalls import Thresholds
from headway.portfolio.models import rating_of


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


# Stored pitfall findings (ADR 26) -----------------------------------------------------------
# Kept apart from the board pack and framework models above: derived data, refreshed by every
# action that changes what the detectors read (`headway.derived`, `assurance.pitfall_store`).


class StoredFindings(models.Model):
    """The organisation's pitfall findings as last worked out, so that pages read one row instead
    of loading the whole portfolio. Derived: no history (the data it comes from keeps it)."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="stored_findings")
    # `pitfall_store.as_stored` of each finding, most severe first
    findings = models.JSONField(default=list, encoder=DjangoJSONEncoder)
    judged_on = models.DateField(help_text="The date the detectors judged as of (weeks and months count to it).")
    worked_out_at = models.DateTimeField()
    # How long working them out took, and when data first changed after that without their being
    # worked out again: a large portfolio is worked out at most once a minute (ADR 26).
    took_ms = models.PositiveIntegerField(default=0)
    changed_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "stored pitfall findings"
        verbose_name_plural = "stored pitfall findings"

    def __str__(self) -> str:
        return f"Pitfall findings for {self.organisation}"


# The board assurance framework (ADR 29) ------------------------------------------------------


class Appetite(models.TextChoices):
    """How much risk the board will accept in pursuit of a goal, in the words NHS boards use."""

    AVERSE = "averse", "Averse"
    MINIMAL = "minimal", "Minimal"
    CAUTIOUS = "cautious", "Cautious"
    OPEN = "open", "Open"
    EAGER = "eager", "Eager"


# The highest score on the 5×5 matrix each appetite accepts: averse takes only low risks, minimal
# up to moderate, cautious up to high, open the lower extreme scores, eager any (ADR 29).
APPETITE_CEILING: dict[str, int] = {
    Appetite.AVERSE: 3,
    Appetite.MINIMAL: 6,
    Appetite.CAUTIOUS: 12,
    Appetite.OPEN: 16,
    Appetite.EAGER: 25,
}


class PrincipalRiskQuerySet(models.QuerySet["PrincipalRisk"]):
    def for_organisation(self, organisation: Organisation) -> PrincipalRiskQuerySet:
        return self.filter(organisation=organisation)

    def open(self) -> PrincipalRiskQuerySet:
        return self.filter(status=PrincipalRisk.State.OPEN)


def _one_to_five(name: str) -> models.Q:
    return models.Q(**{f"{name}__gte": 1, f"{name}__lte": 5})


class PrincipalRisk(models.Model):
    """A risk to the organisation's strategic goals that the board itself watches, with what
    controls it, what shows those controls work, and where either falls short."""

    class State(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="principal_risks")
    reference = models.CharField(max_length=20, help_text="A short reference, for example BAF-01.")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    goal = models.ForeignKey(
        "portfolio.StrategicGoal",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="principal_risks",
        verbose_name="strategic goal it threatens",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="executive owner"
    )
    current_likelihood = models.PositiveSmallIntegerField("current likelihood")
    current_consequence = models.PositiveSmallIntegerField("current consequence")
    target_likelihood = models.PositiveSmallIntegerField("target likelihood")
    target_consequence = models.PositiveSmallIntegerField("target consequence")
    appetite = models.CharField("risk appetite", max_length=10, choices=Appetite.choices, default=Appetite.CAUTIOUS)
    controls = models.TextField(blank=True, help_text="What is in place to control the risk, one a line.")
    assurances = models.TextField(
        blank=True,
        help_text="What shows the controls work, one a line, each optionally with the evidence in Headway after a |.",
    )
    gaps_in_control = models.TextField("gaps in control", blank=True)
    gaps_in_assurance = models.TextField("gaps in assurance", blank=True)
    next_review = models.DateField("next review date")
    status = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = PrincipalRiskQuerySet.as_manager()

    class Meta:
        ordering = ["reference", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="unique_principal_risk_reference_per_organisation"
            ),
            models.CheckConstraint(
                condition=_one_to_five("current_likelihood"), name="principal_current_likelihood_1_to_5"
            ),
            models.CheckConstraint(
                condition=_one_to_five("current_consequence"), name="principal_current_consequence_1_to_5"
            ),
            models.CheckConstraint(
                condition=_one_to_five("target_likelihood"), name="principal_target_likelihood_1_to_5"
            ),
            models.CheckConstraint(
                condition=_one_to_five("target_consequence"), name="principal_target_consequence_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def clean(self) -> None:
        scores = ("current_likelihood", "current_consequence", "target_likelihood", "target_consequence")
        errors = {
            name: "Give a whole number from 1 to 5."
            for name in scores
            if getattr(self, name) is not None and not 1 <= getattr(self, name) <= 5
        }
        if errors:
            raise ValidationError(errors)
        if all(getattr(self, name) is not None for name in scores) and self.target_score > self.current_score:
            raise ValidationError(
                {
                    "target_likelihood": "The target score cannot be higher than the current score: the target is "
                    "where the controls are to bring the risk down to."
                }
            )

    @property
    def current_score(self) -> int:
        return (self.current_likelihood or 0) * (self.current_consequence or 0)

    @property
    def target_score(self) -> int:
        return (self.target_likelihood or 0) * (self.target_consequence or 0)

    @property
    def current_rating(self) -> str:
        return rating_of(self.current_score)

    @property
    def target_rating(self) -> str:
        return rating_of(self.target_score)

    @property
    def appetite_ceiling(self) -> int:
        return APPETITE_CEILING[self.appetite]

    @property
    def above_appetite(self) -> bool:
        return self.current_score > self.appetite_ceiling

    @property
    def above_target(self) -> bool:
        return self.current_score > self.target_score

    @property
    def gap_count(self) -> int:
        """Gaps in control and in assurance, one a line."""
        return sum(
            1 for text in (self.gaps_in_control, self.gaps_in_assurance) for line in text.splitlines() if line.strip()
        )


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
