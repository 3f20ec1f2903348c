from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from simple_history.models import HistoricalRecords

from headway.accounts.models import Organisation


class Phase(models.TextChoices):
    DISCOVERY = "discovery", "Discovery"
    ALPHA = "alpha", "Alpha"
    BETA = "beta", "Beta"
    LIVE = "live", "Live"
    RETIRING = "retiring", "Retiring"


class Status(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    STOPPED = "stopped", "Stopped"
    COMPLETED = "completed", "Completed"


class Confidence(models.TextChoices):
    """The Infrastructure and Projects Authority delivery confidence scale.

    Three-point (green, amber, red) is the current IPA scale and the default; the older
    five-point scale (with amber/green and amber/red) can be chosen per organisation.
    """

    GREEN = "green", "Green"
    AMBER_GREEN = "amber_green", "Amber/green"
    AMBER = "amber", "Amber"
    AMBER_RED = "amber_red", "Amber/red"
    RED = "red", "Red"


THREE_POINT = (Confidence.GREEN, Confidence.AMBER, Confidence.RED)
FIVE_POINT = tuple(Confidence)
# Higher is better; lets us say whether confidence rose or fell between two weeks.
CONFIDENCE_RANK = {
    Confidence.RED: 1,
    Confidence.AMBER_RED: 2,
    Confidence.AMBER: 3,
    Confidence.AMBER_GREEN: 4,
    Confidence.GREEN: 5,
}


def confidence_choices(organisation: Organisation) -> list[tuple[str, str]]:
    scale = FIVE_POINT if organisation.confidence_scale == Organisation.ConfidenceScale.FIVE_POINT else THREE_POINT
    return [(c.value, c.label) for c in scale]


class StrategicGoalQuerySet(models.QuerySet["StrategicGoal"]):
    def for_organisation(self, organisation: Organisation) -> StrategicGoalQuerySet:
        return self.filter(organisation=organisation)


class StrategicGoal(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()
    objects = StrategicGoalQuerySet.as_manager()

    class Meta:
        ordering = ["order", "title"]

    def __str__(self) -> str:
        return self.title


class ServiceQuerySet(models.QuerySet["Service"]):
    def for_organisation(self, organisation: Organisation) -> ServiceQuerySet:
        return self.filter(organisation=organisation)


class Service(models.Model):
    """A clinical or corporate service an initiative must join up with (for example, the EPR)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="services")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    history = HistoricalRecords()
    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="unique_service_name_per_organisation")
        ]

    def __str__(self) -> str:
        return self.name


class InitiativeQuerySet(models.QuerySet["Initiative"]):
    def for_organisation(self, organisation: Organisation) -> InitiativeQuerySet:
        return self.filter(organisation=organisation)

    def in_progress(self) -> InitiativeQuerySet:
        return self.filter(status=Status.ACTIVE)

    def needing_checkpoints(self) -> InitiativeQuerySet:
        """Initiatives that owe a weekly checkpoint: the active ones."""
        return self.filter(status=Status.ACTIVE)

    def refresh_checkpoint_summaries(self) -> int:
        """Recompute the checkpoint summary (the newest week and its confidence, the newest week
        with a different confidence, the newest week that demonstrated something and that reached
        real users, and the first week that reached real users) from the checkpoints.

        The checkpoint actions (`portfolio.actions`) do this for the initiatives they touch (ADR 14);
        call it after writing checkpoints any other way, such as `bulk_create`.
        """
        latest = Checkpoint.objects.filter(initiative=OuterRef("pk")).order_by("-week_start")
        newest_rating = Checkpoint.objects.filter(initiative=OuterRef(OuterRef("pk"))).order_by("-week_start")
        return self.update(
            confidence_changed_week=Subquery(
                latest.exclude(confidence=Subquery(newest_rating.values("confidence")[:1])).values("week_start")[:1]
            ),
            last_checkpoint_week=Subquery(latest.values("week_start")[:1]),
            current_confidence=Coalesce(Subquery(latest.values("confidence")[:1]), Value("")),
            last_demonstrated_week=Subquery(latest.exclude(demonstrated="").values("week_start")[:1]),
            last_reached_users_week=Subquery(latest.filter(reached_real_users=True).values("week_start")[:1]),
            first_reached_users_week=Subquery(
                latest.filter(reached_real_users=True).order_by("week_start").values("week_start")[:1]
            ),
        )


class Initiative(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="initiatives")
    reference = models.CharField(max_length=20, help_text="A short reference, for example DIG-014.")
    title = models.CharField(max_length=200)
    problem = models.TextField("the problem it solves")
    patients_served = models.TextField("patients it serves", blank=True)
    staff_served = models.TextField("staff it serves", blank=True)
    sro = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="senior responsible owner",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="initiatives_owned",
    )
    sro_directorate = models.CharField("SRO's directorate", max_length=150, blank=True)
    clinical_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="initiatives_clinically_led",
    )
    delivery_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="initiatives_led",
    )
    phase = models.CharField(max_length=20, choices=Phase.choices, default=Phase.DISCOVERY)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED, editable=False)
    start_date = models.DateField(null=True, blank=True)
    planned_first_release = models.DateField("planned first release to real users", null=True, blank=True)
    planned_go_live = models.DateField(null=True, blank=True)
    went_live_on = models.DateField(
        "went live on", null=True, blank=True, help_text="The date it actually went live, once it has."
    )
    goals = models.ManyToManyField(StrategicGoal, blank=True, related_name="initiatives")
    services = models.ManyToManyField(Service, blank=True, related_name="initiatives")
    joins_up_with = models.ManyToManyField(
        "self",
        blank=True,
        symmetrical=False,
        related_name="joined_up_by",
        help_text="Other initiatives this one must join up with.",
    )
    riskiest_assumption = models.TextField(blank=True)
    # A summary of the newest checkpoint, kept on the initiative so that the portfolio list and
    # the at-a-glance page read one row per initiative instead of searching ~100 checkpoints
    # each (ADR 6). Derived data: refreshed by the checkpoint actions (ADR 14), not in history.
    last_checkpoint_week = models.DateField(null=True, blank=True, editable=False)
    current_confidence = models.CharField(
        "latest delivery confidence", max_length=20, choices=Confidence.choices, blank=True, editable=False
    )
    # The newest week rated otherwise than the newest checkpoint: the current rating has held for
    # every checkpoint since. What "confidence never changes" counts from (ADR 36).
    confidence_changed_week = models.DateField(null=True, blank=True, editable=False)
    # The newest weeks something was demonstrated and something reached real users: what the
    # pitfall findings read for every initiative on every write (ADR 26), kept here for the same reason.
    last_demonstrated_week = models.DateField(null=True, blank=True, editable=False)
    last_reached_users_week = models.DateField(null=True, blank=True, editable=False)
    # The first week something reached real users: the first release the money checks read.
    first_reached_users_week = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # The links are kept with each version, so linking a goal shows as "Linked to ..." (ADR 22).
    history = HistoricalRecords(
        excluded_fields=[
            "updated_at",
            "last_checkpoint_week",
            "current_confidence",
            "confidence_changed_week",
            "last_demonstrated_week",
            "last_reached_users_week",
            "first_reached_users_week",
        ],
        m2m_fields=["goals", "services", "joins_up_with"],
    )
    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["reference"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "reference"], name="unique_reference_per_organisation")
        ]
        indexes = [
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["organisation", "status", "last_checkpoint_week"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def is_led_by(self, user: object) -> bool:
        return self.delivery_lead_id is not None and self.delivery_lead_id == getattr(user, "pk", None)


class UserNeed(models.Model):
    class Evidence(models.TextChoices):
        ASSUMED = "assumed", "Assumed"
        RESEARCHED = "researched", "Researched"
        VALIDATED = "validated", "Validated"

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="user_needs")
    statement = models.TextField(help_text="As a … I need … so that …")
    evidence = models.CharField("how it is evidenced", max_length=20, choices=Evidence.choices)
    evidence_notes = models.TextField("the evidence", blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.statement[:80]


class Checkpoint(models.Model):
    """One week of an initiative's delivery, recorded by its delivery lead."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="checkpoints")
    week_start = models.DateField(help_text="The Monday of the reporting week.")
    demonstrated = models.TextField("what was demonstrated", blank=True)
    demonstrated_to = models.CharField("demonstrated to whom", max_length=300, blank=True)
    reached_real_users = models.BooleanField("anything reached real users this week", default=False)
    real_users_detail = models.TextField("what reached real users", blank=True)
    confidence = models.CharField("delivery confidence", max_length=20, choices=Confidence.choices)
    confidence_reason = models.TextField("reason for the confidence rating")
    risks_and_blockers = models.TextField("top risks or blockers", blank=True)
    asks_of_the_board = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["recorded_at"])

    class Meta:
        ordering = ["-week_start"]
        constraints = [models.UniqueConstraint(fields=["initiative", "week_start"], name="one_checkpoint_per_week")]
        indexes = [
            models.Index(fields=["week_start", "initiative"]),
            # Each initiative's newest ratings, read from the index alone: the pitfall refresh's
            # "confidence never changes" check (half the time of the table's rows on PostgreSQL).
            models.Index(fields=["initiative", "-week_start", "confidence"], name="checkpoint_newest_ratings"),
        ]

    def __str__(self) -> str:
        return f"{self.initiative.reference} week of {self.week_start:%d %b %Y}"


class DecisionQuerySet(models.QuerySet["Decision"]):
    def for_organisation(self, organisation: Organisation) -> DecisionQuerySet:
        return self.filter(initiative__organisation=organisation)


class Decision(models.Model):
    class Kind(models.TextChoices):
        START = "start", "Start"
        CONTINUE = "continue", "Continue"
        PAUSE = "pause", "Pause"
        STOP = "stop", "Stop"
        CHANGE_COURSE = "change_course", "Change course"
        CLOSE = "close", "Close"
        # Puts right a decision recorded by mistake: the initiative goes back to the status it had
        # before that decision, and both stay in the log (ADR 20). Never offered as a choice.
        REVERSE = "reverse", "Reverse"

    # What each kind of decision does to the initiative's status, and from which statuses it
    # may be taken. A status changes only through one of these.
    TRANSITIONS: ClassVar[dict[str, tuple[frozenset[str], str | None]]] = {
        Kind.START: (frozenset({Status.PROPOSED, Status.PAUSED}), Status.ACTIVE),
        Kind.CONTINUE: (frozenset({Status.ACTIVE}), None),
        Kind.PAUSE: (frozenset({Status.ACTIVE}), Status.PAUSED),
        Kind.STOP: (frozenset({Status.PROPOSED, Status.ACTIVE, Status.PAUSED}), Status.STOPPED),
        Kind.CHANGE_COURSE: (frozenset({Status.ACTIVE, Status.PAUSED}), Status.ACTIVE),
        Kind.CLOSE: (frozenset({Status.ACTIVE, Status.PAUSED}), Status.COMPLETED),
    }

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField("decision", max_length=20, choices=Kind.choices)
    rationale = models.TextField("why")
    evidence = models.TextField("evidence considered")
    decided_by = models.CharField(
        max_length=200, help_text="The person or group that decided, for example the Digital Board."
    )
    decided_on = models.DateField()
    status_before = models.CharField(max_length=20, choices=Status.choices, editable=False)
    status_after = models.CharField(max_length=20, choices=Status.choices, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    # Set on a reversal: the decision it reverses, which is never edited. One reversal each.
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.RESTRICT, related_name="reversed_by", editable=False
    )

    history = HistoricalRecords()
    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_on", "-pk"]
        indexes = [
            models.Index(fields=["initiative", "decided_on"]),
            # "Recent decisions" on the portfolio pages: newest first without sorting them all.
            models.Index(fields=["-decided_on", "-id"], name="decision_newest_first"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(rationale=""), name="decision_has_a_rationale"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.initiative.reference} on {self.decided_on:%d %b %Y}"

    @classmethod
    def allowed_kinds(cls, status: str) -> list[str]:
        return [kind for kind, (sources, _) in cls.TRANSITIONS.items() if status in sources]

    @property
    def changes_status(self) -> bool:
        return self.status_before != self.status_after


def reversible(decisions: Iterable[Decision], status: str) -> set[int]:
    """The ids, among all of one initiative's `decisions`, of those that can still be reversed
    while it is `status`: not a reversal, not already reversed, and nothing recorded after it has
    changed the status it left (so reversing it puts back exactly what it changed)."""
    ordered = sorted(decisions, key=lambda d: d.pk)
    reversed_ids = {d.reverses_id for d in ordered if d.reverses_id is not None}
    found: set[int] = set()
    for decision in reversed(ordered):
        if (
            decision.kind != Decision.Kind.REVERSE
            and decision.pk not in reversed_ids
            and decision.status_after == status
        ):
            found.add(decision.pk)
        if decision.changes_status:
            break
    return found


# The "extreme" band of `Risk.rating` (a score of 15 or more) as a condition the database can count.
EXTREME_RISK = (
    Q(likelihood__gte=3, consequence__gte=5)
    | Q(likelihood__gte=4, consequence__gte=4)
    | Q(likelihood__gte=5, consequence__gte=3)
)


def rating_of(score: int) -> str:
    """The NHS 5×5 band of a score (likelihood × consequence): 1–3 low, 4–6 moderate, 8–12 high,
    15–25 extreme. The one place the bands are written; risks and principal risks both use it."""
    if score >= 15:
        return "extreme"
    if score >= 8:
        return "high"
    if score >= 4:
        return "moderate"
    return "low"


class RiskQuerySet(models.QuerySet["Risk"]):
    def for_organisation(self, organisation: Organisation) -> RiskQuerySet:
        return self.filter(organisation=organisation)

    def open(self) -> RiskQuerySet:
        return self.filter(status=Risk.State.OPEN)

    def review_overdue(self, today: dt.date) -> RiskQuerySet:
        return self.open().filter(next_review__lt=today)

    def extreme(self) -> RiskQuerySet:
        """Scoring 15 or more on the 5×5 matrix (`Risk.rating`), as a query."""
        return self.filter(EXTREME_RISK)


class Risk(models.Model):
    """A risk on the NHS 5×5 matrix: likelihood × consequence, each 1–5, scoring 1–25."""

    class State(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="risks")
    initiative = models.ForeignKey(
        Initiative,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="risks",
        help_text="Leave empty for a risk to the portfolio as a whole.",
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    likelihood = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    consequence = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    mitigation = models.TextField(blank=True)
    next_review = models.DateField()
    status = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    # Rolls up to one principal risk of the board assurance framework (ADR 29). Named by string:
    # the board layer sits above the portfolio, which never imports it.
    principal_risk = models.ForeignKey(
        "assurance.PrincipalRisk",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="linked_risks",
        verbose_name="principal risk",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = RiskQuerySet.as_manager()

    class Meta:
        ordering = ["-likelihood", "-consequence", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(likelihood__gte=1, likelihood__lte=5), name="likelihood_1_to_5"),
            models.CheckConstraint(condition=Q(consequence__gte=1, consequence__lte=5), name="consequence_1_to_5"),
        ]
        indexes = [models.Index(fields=["organisation", "status", "next_review"])]

    def __str__(self) -> str:
        return self.title

    @property
    def score(self) -> int:
        return self.likelihood * self.consequence

    @property
    def rating(self) -> str:
        """The NHS 5×5 bands: 1–3 low, 4–6 moderate, 8–12 high, 15–25 extreme."""
        return rating_of(self.score)


class Comment(models.Model):
    """A board member's (or anyone's) comment on an initiative."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    # Comments are added on the initiative page; the admin can change or remove them.
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.initiative.reference}"
