from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from headway.accounts.models import Organisation
from headway.portfolio.models import Initiative


class Kind(models.TextChoices):
    OUTCOME = "outcome", "Outcome"
    ADOPTION = "adoption", "Adoption"
    EXPERIENCE = "experience", "Experience"
    FINANCIAL = "financial", "Financial"
    # Allowed, because teams count things, but always labelled: activity is not impact.
    ACTIVITY = "activity", "Activity"


# The kinds that can show whether an initiative is working for patients and staff.
IMPACT_KINDS = (Kind.OUTCOME, Kind.ADOPTION, Kind.EXPERIENCE)


class Beneficiary(models.TextChoices):
    PATIENTS = "patients", "Patients"
    STAFF = "staff", "Staff"
    ORGANISATION = "organisation", "The organisation"


class Direction(models.TextChoices):
    INCREASE = "increase", "Higher is better"
    DECREASE = "decrease", "Lower is better"
    NEUTRAL = "neutral", "Neither (watch for change)"


class Frequency(models.TextChoices):
    WEEKLY = "weekly", "Weekly"
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"


FREQUENCY_DAYS = {Frequency.WEEKLY: 7, Frequency.MONTHLY: 31, Frequency.QUARTERLY: 92}


def fresh_from(frequency: str, today: dt.date) -> dt.date:
    """The staleness rule, in one place: a metric is stale when its newest data is older than twice
    its frequency (or it has none), so data from this day on is fresh."""
    return today - dt.timedelta(days=2 * FREQUENCY_DAYS[Frequency(frequency)])


class MetricQuerySet(models.QuerySet["Metric"]):
    def for_organisation(self, organisation: Organisation) -> MetricQuerySet:
        return self.filter(organisation=organisation)

    def stale(self, today: dt.date) -> MetricQuerySet:
        """The metrics `Metric.is_stale` says are stale, in the database."""
        q = Q(latest_period__isnull=True)
        for frequency in FREQUENCY_DAYS:
            q |= Q(frequency=frequency, latest_period__lt=fresh_from(frequency, today))
        return self.filter(q)


class Metric(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="metrics")
    name = models.CharField(max_length=200)
    definition = models.TextField(help_text="Exactly what is counted or measured, and how.")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    beneficiary = models.CharField("who benefits", max_length=20, choices=Beneficiary.choices)
    unit = models.CharField(max_length=50, help_text="For example: %, minutes, patients, £.")
    improvement_direction = models.CharField(max_length=10, choices=Direction.choices)
    baseline_value = models.FloatField(null=True, blank=True)
    baseline_period = models.CharField(
        max_length=100, blank=True, help_text="The period the baseline describes, for example April to September 2025."
    )
    target_value = models.FloatField(null=True, blank=True)
    target_date = models.DateField(null=True, blank=True)
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="metrics_owned"
    )
    data_source = models.CharField(max_length=300, help_text="Where the numbers come from.")
    initiatives = models.ManyToManyField(Initiative, blank=True, related_name="metrics")
    screen_outliers = models.BooleanField(
        "screen large moving ranges",
        default=True,
        help_text="Leave on: one unusual jump then does not widen the process limits.",
    )
    fix_after_n_points = models.PositiveIntegerField(
        "fix the limits after this many points",
        null=True,
        blank=True,
        validators=[MinValueValidator(12)],
        help_text="Leave empty to recalculate the limits from every point. At least 12.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # The SPC summary of the current data (ADR 7): derived, refreshed whenever observations or
    # annotations change, so lists and the verdicts never recompute charts. Not in history.
    latest_period = models.DateField(null=True, blank=True, editable=False)
    point_count = models.PositiveIntegerField(default=0, editable=False)
    variation_icon = models.CharField(max_length=20, blank=True, editable=False)
    assurance_icon = models.CharField(max_length=20, blank=True, editable=False)
    trial_limits = models.BooleanField(default=True, editable=False)

    history = HistoricalRecords(
        excluded_fields=["latest_period", "point_count", "variation_icon", "assurance_icon", "trial_limits"]
    )
    objects = MetricQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="unique_metric_name_per_organisation")
        ]

    def __str__(self) -> str:
        return self.name

    def is_stale(self, today: dt.date) -> bool:
        """Its newest data is older than twice its frequency (or it has none)."""
        if self.latest_period is None:
            return True
        return self.latest_period < fresh_from(self.frequency, today)


class Observation(models.Model):
    """One period's value. `period` is the first day of the period (a Monday, the 1st of a month
    or the 1st of a quarter). Sending a period again replaces its value; history keeps the old."""

    metric = models.ForeignKey(Metric, on_delete=models.CASCADE, related_name="observations")
    period = models.DateField()
    value = models.FloatField()
    note = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["recorded_at"])

    class Meta:
        ordering = ["period"]
        constraints = [models.UniqueConstraint(fields=["metric", "period"], name="one_observation_per_period")]

    def __str__(self) -> str:
        return f"{self.metric} {self.period:%Y-%m-%d}: {self.value:g}"

    def clean(self) -> None:
        if self.value is not None and self.value != self.value:  # NaN
            raise ValidationError({"value": "A value must be a number."})


class Annotation(models.Model):
    """A note on the chart: a process change, with its reason, which may start a new SPC period."""

    metric = models.ForeignKey(Metric, on_delete=models.CASCADE, related_name="annotations")
    period = models.DateField(help_text="The first period the change applies to.")
    text = models.CharField("what changed and why", max_length=500)
    starts_new_period = models.BooleanField(
        "recalculate the limits from here",
        default=False,
        help_text="Choose this when the process itself changed, so the old limits no longer describe it.",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["period"]

    def __str__(self) -> str:
        return f"{self.metric}: {self.text}"


class Verdict(models.Model):
    """ "Is it working?" for one initiative, from its outcome, adoption and experience metrics.

    Derived data (ADR 7): recomputed whenever one of its metrics' summaries changes, or the
    metrics linked to it change."""

    class State(models.TextChoices):
        IMPROVING = "improving", "Improving"
        NO_CHANGE = "no_change", "No change yet"
        DETERIORATING = "deteriorating", "Deteriorating"
        NOT_MEASURED = "not_measured", "Not measured"
        NOT_ENOUGH_DATA = "not_enough_data", "Not enough data"

    initiative = models.OneToOneField(Initiative, on_delete=models.CASCADE, related_name="verdict")
    state = models.CharField(max_length=20, choices=State.choices, default=State.NOT_MEASURED)
    # [{"metric": id, "name": str, "kind": str, "variation_icon": str}] — the metrics behind the state.
    drivers = models.JSONField(default=list, blank=True)
    # Codes for what the board should know: "no_outcome_or_adoption", "activity_only".
    flags = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.initiative.reference}: {self.get_state_display()}"
