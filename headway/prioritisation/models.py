"""Prioritisation rounds: what was considered, with what money and people, how it was scored,
what the optimiser chose and what changed from the round before.

Money is whole pounds. Financial years are written 2026/27 and quarters "2026/27 Q1" (Q1 is
April to June). A `Result` is never changed once written: running the selection again writes a
new one, so any ranking the board saw can be reproduced from what it stored.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from headway.accounts.models import Organisation
from headway.portfolio.models import Decision, Initiative
from headway.prioritisation import results


class CriterionQuerySet(models.QuerySet["Criterion"]):
    def for_organisation(self, organisation: Organisation) -> CriterionQuerySet:
        return self.filter(organisation=organisation)


class Criterion(models.Model):
    """One criterion of the weighted-criteria method, with the organisation's weight for it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="criteria")
    key = models.SlugField(max_length=40)
    label = models.CharField(max_length=200)
    weight = models.FloatField(default=1.0)
    higher_is_better = models.BooleanField(default=True)
    order = models.PositiveIntegerField(default=0)

    objects = CriterionQuerySet.as_manager()

    class Meta:
        ordering = ["order", "key"]
        verbose_name_plural = "criteria"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "key"], name="unique_criterion_key_per_organisation")
        ]

    def __str__(self) -> str:
        return self.label


class Method(models.TextChoices):
    WEIGHTED = "weighted", "Weighted criteria"
    WSJF = "wsjf", "Weighted shortest job first (WSJF)"
    RICE = "rice", "Reach, impact, confidence and effort (RICE)"


class Combine(models.TextChoices):
    MEAN = "mean", "Average (mean) of the scorers"
    MEDIAN = "median", "Middle (median) of the scorers"


class RoundQuerySet(models.QuerySet["Round"]):
    def for_organisation(self, organisation: Organisation) -> RoundQuerySet:
        return self.filter(organisation=organisation)

    def rounds(self) -> RoundQuerySet:
        """Real rounds, not what-if scenarios."""
        return self.filter(scenario_of__isnull=True)


class Round(models.Model):
    class State(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="prioritisation_rounds")
    name = models.CharField(max_length=100, help_text="For example, 2026/27 Q4.")
    held_on = models.DateField("date of the round")
    method = models.CharField("scoring method", max_length=20, choices=Method.choices, default=Method.WEIGHTED)
    combine = models.CharField(
        "how scorers' scores are combined", max_length=10, choices=Combine.choices, default=Combine.MEDIAN
    )
    wip_limit = models.PositiveIntegerField(
        "most initiatives in progress at once",
        null=True,
        blank=True,
        help_text="The work-in-progress limit. Leave empty for no limit.",
    )
    status = models.CharField(max_length=10, choices=State.choices, default=State.OPEN, editable=False)
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_rounds",
        help_text="The closed round this one follows.",
    )
    scenario_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="scenarios",
        help_text="Set on a what-if copy: the round it is a copy of.",
    )
    scenario_note = models.TextField("what this scenario tries", blank=True)
    adopted = models.BooleanField(default=False, help_text="A scenario whose result the round adopted.")
    # The result the round stands on: its newest run, or an adopted scenario's result.
    current_result = models.ForeignKey("Result", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Its setting-up (name, method, the work-in-progress limit) and closing are kept; the result
    # it stands on is derived and each result is itself a dated record (ADR 8).
    history = HistoricalRecords(excluded_fields=["current_result"])
    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["organisation", "scenario_of", "held_on"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == self.State.OPEN

    @property
    def is_scenario(self) -> bool:
        return self.scenario_of_id is not None


class CandidateQuerySet(models.QuerySet["Candidate"]):
    def for_organisation(self, organisation: Organisation) -> CandidateQuerySet:
        return self.filter(round__organisation=organisation)


class Candidate(models.Model):
    """An initiative considered in a round, with what it would cost and whom it would need."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="candidates")
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="candidacies")
    must_do = models.BooleanField("must do", default=False)
    must_do_reason = models.TextField("why it must be done", blank=True)
    # Money entered for this round, {"2026/27": {"capital": 120000, "revenue": 40000}} in whole
    # pounds, which overrides the finance figures. Empty: the round reads the initiative's latest
    # business case, or else its funding lines (see `costs.py`), so money is entered once.
    costs = models.JSONField(default=dict, blank=True)
    costs_reason = models.TextField("why the finance figures are not used", blank=True)
    # {"Team name": {"2026/27 Q1": 20}} — days.
    team_demand = models.JSONField(default=dict, blank=True)
    # Money already spent or contracted, in the shape of `costs`; comes off the budget.
    committed = models.JSONField(default=dict, blank=True)
    # The decision (a stop, pause or close) that took it out of this open round (ADR 20): the round
    # shows it as such and leaves it out of the selection; a reversal of that decision puts it back.
    withdrawn_by = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    history = HistoricalRecords()
    objects = CandidateQuerySet.as_manager()

    class Meta:
        ordering = ["initiative__reference"]
        constraints = [models.UniqueConstraint(fields=["round", "initiative"], name="one_candidacy_per_round")]

    def __str__(self) -> str:
        return str(self.initiative)

    def clean(self) -> None:
        if self.must_do and not self.must_do_reason.strip():
            raise ValidationError({"must_do_reason": "Say why it must be done."})
        if self.costs and not self.costs_reason.strip():
            raise ValidationError(
                {"costs_reason": "Say why this round does not use the business case or funding lines."}
            )


class Budget(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="budgets")
    financial_year = models.CharField(max_length=7, help_text="For example, 2026/27.")
    capital = models.PositiveBigIntegerField(default=0)
    revenue = models.PositiveBigIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["financial_year"]
        constraints = [models.UniqueConstraint(fields=["round", "financial_year"], name="one_budget_per_year")]

    def __str__(self) -> str:
        return f"{self.financial_year} budget"


class TeamCapacity(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="team_capacities")
    team = models.CharField(max_length=100)
    quarter = models.CharField(max_length=10, help_text="For example, 2026/27 Q1.")
    days = models.PositiveIntegerField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["team", "quarter"]
        verbose_name_plural = "team capacities"
        constraints = [
            models.UniqueConstraint(fields=["round", "team", "quarter"], name="one_capacity_per_team_quarter")
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.quarter}"


class Dependency(models.Model):
    """`candidate` can be chosen only if `requires` is chosen too."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="dependencies")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="requirements")
    requires = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="required_by")

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name_plural = "dependencies"
        constraints = [models.UniqueConstraint(fields=["candidate", "requires"], name="unique_dependency")]

    def __str__(self) -> str:
        return f"{self.candidate} needs {self.requires}"


class Exclusive(models.Model):
    """At most one of `a` and `b` can be chosen: two ways of meeting the same need."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="exclusives")
    a = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="+")
    b = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["a", "b"], name="unique_exclusive_pair")]

    def __str__(self) -> str:
        return f"{self.a} or {self.b}"


class Rating(models.Model):
    """One scorer's value for one input of one candidate: a criterion, or a WSJF or RICE input."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="ratings")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="ratings")
    scorer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField("input", max_length=40)
    value = models.FloatField()
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["candidate", "scorer", "key"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "scorer", "key"], name="one_rating_per_scorer_input")
        ]

    def __str__(self) -> str:
        return f"{self.key}={self.value}"


class Result(models.Model):
    """One run of the selection, with everything needed to reproduce it. Never changed."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="results")
    # The version of the stored shape (`results.SCHEMA_VERSION`); 0 for results written before
    # it was declared. Read a result only through `results.load`.
    schema_version = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    method = models.CharField(max_length=20, choices=Method.choices)
    method_version = models.CharField(max_length=40)
    weights = models.JSONField(default=dict)
    inputs = models.JSONField(default=dict)
    # {candidate id: a score row}; the shapes of this and the other JSON fields are declared in results.py.
    scores = models.JSONField(default=dict)
    status = models.CharField(max_length=40)
    selected = models.JSONField(default=list)
    objective = models.FloatField(null=True)
    bound = models.FloatField(null=True)
    gap = models.FloatField(null=True)
    seconds = models.FloatField(default=0)
    greedy_selected = models.JSONField(default=list)
    greedy_objective = models.FloatField(null=True)
    capacity = models.JSONField(default=list)  # the constraint rows used: name, capacity, used
    explanations = models.JSONField(default=dict)
    robustness = models.JSONField(default=dict)
    conflicts = models.JSONField(default=list)
    costs = models.JSONField(default=dict)  # {candidate id: the money used, and where it came from}

    class Meta:
        ordering = ["-created_at", "-pk"]
        get_latest_by = "pk"

    def __str__(self) -> str:
        return f"Result {self.pk} of {self.round}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValidationError("A stored result is never changed: run the selection again instead.")
        super().save(*args, **kwargs)

    def stored(self) -> results.StoredResult:
        """What this result holds, read through the one loader that knows every stored version."""
        return results.load({"schema_version": self.schema_version, **{f: getattr(self, f) for f in results.FIELDS}})


class RoundChange(models.Model):
    class Kind(models.TextChoices):
        STARTED = "started", "Start"
        STOPPED = "stopped", "Stop"
        PAUSED = "paused", "Pause"
        CONTINUED = "continued", "Continue"
        MOVED_UP = "moved_up", "Continue, moved up"
        MOVED_DOWN = "moved_down", "Continue, moved down"
        NEW = "new", "Continue, new to the round"

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="changes")
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="round_changes")
    change = models.CharField(max_length=20, choices=Kind.choices)
    from_rank = models.PositiveIntegerField(null=True, blank=True)
    to_rank = models.PositiveIntegerField(null=True, blank=True)
    reason = models.TextField(blank=True)
    decision = models.ForeignKey(Decision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["change", "initiative__reference"]
        constraints = [models.UniqueConstraint(fields=["round", "initiative"], name="one_change_per_initiative")]

    def __str__(self) -> str:
        return f"{self.get_change_display()} {self.initiative.reference}"

    @property
    def decision_kind(self) -> str:
        if self.change == self.Kind.STARTED:
            return Decision.Kind.START
        if self.change == self.Kind.STOPPED:
            return Decision.Kind.STOP
        if self.change == self.Kind.PAUSED:
            return Decision.Kind.PAUSE
        return Decision.Kind.CONTINUE
