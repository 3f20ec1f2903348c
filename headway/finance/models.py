"""Money and realism: funding lines, business cases, optimism bias and actual spend.

Amounts are whole pounds. Financial years are NHS years (1 April to 31 March) written 2026/27.
The optimism-bias bounds and contributory factors are reference data (HM Treasury supplementary
Green Book guidance), loaded by a data migration and editable by an administrator, so a new
edition is a data change, not a code change.
"""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from headway.accounts.models import Organisation
from headway.finance.forecast import CONTRIBUTION_TOLERANCE
from headway.lib.financial_years import FinancialYearError, stored_financial_year
from headway.lib.money import pounds
from headway.portfolio.models import Initiative

#: How a financial year is stored and shown; said when it was typed some other way.
WRITE_FINANCIAL_YEAR = (
    "Write the financial year as 2026/27 (the year it starts, a slash, the next year's last two digits)."
)


def check_financial_year(value: str) -> None:
    """A financial year as it is stored: the one rule, range and spelling of
    `headway.lib.financial_years.stored_financial_year` (2000/01 to 2099/00, written 2026/27)."""
    try:
        stored_financial_year(value)
    except FinancialYearError as error:
        # Written in another shape (2026/2028, 26/27, 2026-27): say how to write it as well.
        if len(value) != len("2026/27") or "/" not in value:
            raise ValidationError(f"{WRITE_FINANCIAL_YEAR} {error}") from error
        raise ValidationError(str(error)) from error


class MoneyKind(models.TextChoices):
    CAPITAL = "capital", "Capital"
    REVENUE = "revenue", "Revenue"


# --------------------------------------------------------------------------- reference data

#: Project types whose cost bounds are for operating expenditure, not capital cost: HM Treasury gives
#: outsourcing's bounds for operating expenditure only (held in the cost columns, with a note).
OPERATING_COST_TYPES = frozenset({"outsourcing"})


class ProjectType(models.Model):
    """A project type in HM Treasury's optimism-bias table, with its upper and lower bounds.

    Bounds are percentages (200 means +200%); blank where the guidance gives none (for
    outsourcing only operating expenditure has a bound, held in the capital columns with a note).
    """

    key = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100)
    duration_upper = models.DecimalField("works duration, upper bound (%)", max_digits=6, decimal_places=2, null=True)
    duration_lower = models.DecimalField("works duration, lower bound (%)", max_digits=6, decimal_places=2, null=True)
    cost_upper = models.DecimalField("capital cost, upper bound (%)", max_digits=6, decimal_places=2, null=True)
    cost_lower = models.DecimalField("capital cost, lower bound (%)", max_digits=6, decimal_places=2, null=True)
    note = models.TextField(blank=True)
    source = models.CharField(max_length=500)
    is_default = models.BooleanField(
        default=False, help_text="Used for new business cases; digital work is equipment/development."
    )
    order = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def cost_bias_kind(self) -> str:
        """The kind of cost the cost bounds are for: capital, except for the types whose bounds
        HM Treasury gives for operating expenditure (outsourcing), where it is revenue."""
        return MoneyKind.REVENUE if self.key in OPERATING_COST_TYPES else MoneyKind.CAPITAL

    def clean(self) -> None:
        """The checks `forecast.resultant_bias` makes, so that the admin cannot save bounds the
        money pages cannot use: no negative bound, and no lower bound above its upper bound."""
        errors: dict[str, list[str]] = {}
        for what, upper_field, lower_field in (
            ("cost", "cost_upper", "cost_lower"),
            ("works duration", "duration_upper", "duration_lower"),
        ):
            upper, lower = getattr(self, upper_field), getattr(self, lower_field)
            for name, value in ((upper_field, upper), (lower_field, lower)):
                if value is not None and value < 0:
                    errors.setdefault(name, []).append(f"A bound cannot be negative ({value.normalize():f}%).")
            if upper is not None and lower is not None and lower > upper:
                errors.setdefault(lower_field, []).append(
                    f"The lower bound for {what} ({lower.normalize():f}%) is above the upper bound "
                    f"({upper.normalize():f}%). The lower bound is what good risk management brings the "
                    "uplift down to, so it cannot be more than the upper bound."
                )
        if errors:
            raise ValidationError(errors)


class BiasFactor(models.Model):
    """A project risk area and its share of the recorded optimism bias for one project type.

    Contributions are percentages of the bias (they sum to about 100 for each column); blank
    where the study recorded nothing for that area.
    """

    project_type = models.ForeignKey(ProjectType, on_delete=models.CASCADE, related_name="factors")
    group = models.CharField(max_length=50)
    name = models.CharField(max_length=100)
    duration_contribution = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    cost_contribution = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    order = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project_type", "order"]
        constraints = [models.UniqueConstraint(fields=["project_type", "name"], name="unique_factor_per_type")]

    def __str__(self) -> str:
        return f"{self.project_type}: {self.name}"

    def clean(self) -> None:
        """Each contribution is a share of the bias: from 0 to 100%. (That a type's contributions add
        up to no more than 100%, allowing for rounding, is checked across them all: see
        `check_contributions`.)"""
        errors: dict[str, str] = {}
        for name in ("cost_contribution", "duration_contribution"):
            value = getattr(self, name)
            if value is not None and not 0 <= value <= 100:
                errors[name] = (
                    f"{value.normalize():f}% is not a share of the bias: give a percentage from 0 to 100, "
                    "or leave it empty where the study recorded nothing."
                )
        if errors:
            raise ValidationError(errors)


def check_contributions(contributions: list[tuple[Decimal | None, Decimal | None]]) -> None:
    """A project type's risk areas, as (cost, duration) contributions in percent, must add up to no
    more than 100% in each column, allowing `forecast.CONTRIBUTION_TOLERANCE` for the rounding in
    the published tables (the same rule as `forecast.resultant_bias`)."""
    limit = Decimal(100) * (1 + Decimal(str(CONTRIBUTION_TOLERANCE)))
    errors = []
    for index, what in ((0, "cost overrun"), (1, "delay")):
        total = sum((pair[index] or Decimal(0) for pair in contributions), Decimal(0))
        if total > limit:
            errors.append(
                f"The risk areas together account for {total.normalize():f}% of the {what}; they cannot add up to "
                f"more than 100% (allowing {(limit - 100).normalize():f}% for rounding in the published tables)."
            )
    if errors:
        raise ValidationError(errors)


# --------------------------------------------------------------------------- funding


class FundingLineQuerySet(models.QuerySet["FundingLine"]):
    def for_organisation(self, organisation: Organisation) -> FundingLineQuerySet:
        return self.filter(initiative__organisation=organisation)


class FundingLine(models.Model):
    class Source(models.TextChoices):
        NATIONAL = "national", "National (NHS England or government)"
        ICS = "ics", "Integrated care system"
        TRUST = "trust", "Trust"
        OTHER = "other", "Other"

    class State(models.TextChoices):
        REQUESTED = "requested", "Requested"
        APPROVED = "approved", "Approved"
        COMMITTED = "committed", "Committed"
        SPENT = "spent", "Spent"

    # What can be handed back when an initiative stops, pauses or finishes: money asked for or
    # agreed, not money already committed or spent.
    RELEASABLE: ClassVar[tuple[str, ...]] = (State.REQUESTED, State.APPROVED)

    class Purpose(models.TextChoices):
        BUILD = "build", "Building and launching it"
        RUN = "run", "Running and improving it after go-live"

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="funding_lines")
    financial_year = models.CharField(max_length=7, validators=[check_financial_year])
    kind = models.CharField(max_length=10, choices=MoneyKind.choices)
    source = models.CharField(max_length=10, choices=Source.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.REQUESTED)
    purpose = models.CharField(max_length=10, choices=Purpose.choices, default=Purpose.BUILD)
    amount = models.PositiveBigIntegerField("amount (£)")
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    objects = FundingLineQuerySet.as_manager()

    class Meta:
        ordering = ["initiative", "financial_year", "kind", "pk"]

    def __str__(self) -> str:
        kind = self.get_kind_display().lower()
        return f"{self.financial_year} {kind} {pounds(self.amount)} ({self.get_state_display()})"


# --------------------------------------------------------------------------- business cases


class BusinessCaseQuerySet(models.QuerySet["BusinessCase"]):
    def for_organisation(self, organisation: Organisation) -> BusinessCaseQuerySet:
        return self.filter(initiative__organisation=organisation)


class BusinessCase(models.Model):
    """One business case per initiative and stage (strategic outline, outline, full)."""

    class Stage(models.TextChoices):
        SOC = "soc", "Strategic outline case"
        OBC = "obc", "Outline business case"
        FBC = "fbc", "Full business case"

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="business_cases")
    stage = models.CharField(max_length=3, choices=Stage.choices)
    project_type = models.ForeignKey(ProjectType, on_delete=models.PROTECT, related_name="+")
    first_year = models.CharField(
        "first financial year of the appraisal",
        max_length=7,
        validators=[check_financial_year],
        help_text="Year 0: costs and benefits in it are not discounted.",
    )
    discount_rate = models.DecimalField(
        "discount rate (%)",
        max_digits=4,
        decimal_places=2,
        default=Decimal("3.5"),
        validators=[MinValueValidator(0), MaxValueValidator(20)],
        help_text="The Green Book real discount rate is 3.5%.",
    )
    planned_months = models.PositiveIntegerField(
        "planned months from start to go-live", null=True, blank=True, validators=[MaxValueValidator(240)]
    )
    planned_first_benefit_months = models.PositiveIntegerField(
        "planned months from start to the first measured benefit",
        null=True,
        blank=True,
        validators=[MaxValueValidator(240)],
    )
    approved_on = models.DateField(null=True, blank=True)
    summary = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = BusinessCaseQuerySet.as_manager()

    class Meta:
        ordering = ["initiative", "stage"]
        constraints = [models.UniqueConstraint(fields=["initiative", "stage"], name="one_case_per_stage")]

    def __str__(self) -> str:
        return f"{self.initiative.reference} {self.get_stage_display()}"

    @property
    def stage_rank(self) -> int:
        """1 for a strategic outline case to 3 for a full business case: the latest stage is the
        highest, and an initiative's figures come from its latest case."""
        return STAGE_ORDER.get(BusinessCase.Stage(self.stage), 0)


#: The stages in the order a business case goes through them.
STAGE_ORDER = {BusinessCase.Stage.SOC: 1, BusinessCase.Stage.OBC: 2, BusinessCase.Stage.FBC: 3}


class CostLine(models.Model):
    class Category(models.TextChoices):
        STAFF = "staff", "Staff"
        SUPPLIER = "supplier", "Supplier and licences"
        HARDWARE = "hardware", "Hardware and infrastructure"
        TRAINING = "training", "Training and change"
        RUN = "run", "Running and improving the live service"
        OTHER = "other", "Other"

    business_case = models.ForeignKey(BusinessCase, on_delete=models.CASCADE, related_name="costs")
    financial_year = models.CharField(max_length=7, validators=[check_financial_year])
    kind = models.CharField(max_length=10, choices=MoneyKind.choices)
    category = models.CharField(max_length=10, choices=Category.choices)
    amount = models.PositiveBigIntegerField("amount (£)")
    note = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["business_case", "financial_year", "kind", "pk"]

    def __str__(self) -> str:
        return f"{self.financial_year} {self.get_category_display().lower()} {pounds(self.amount)}"


class BenefitLine(models.Model):
    class Kind(models.TextChoices):
        CASH_RELEASING = "cash", "Cash-releasing"
        NON_CASH = "non_cash", "Non-cash-releasing"
        QUALITY_SAFETY = "quality", "Quality and safety"
        PATIENT_EXPERIENCE = "patient", "Patient experience"
        STAFF_TIME = "staff_time", "Staff time"
        WIDER_SOCIETY = "society", "Wider society"

    business_case = models.ForeignKey(BusinessCase, on_delete=models.CASCADE, related_name="benefits")
    financial_year = models.CharField(max_length=7, validators=[check_financial_year])
    kind = models.CharField(max_length=10, choices=Kind.choices)
    description = models.CharField(max_length=300)
    amount = models.PositiveBigIntegerField(
        "value (£)", default=0, help_text="The value in pounds, where it can be valued; 0 where it cannot."
    )
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    metric = models.ForeignKey(
        "metrics.Metric",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="benefit_lines",
        help_text="The metric that shows whether the benefit is real, where it can be measured.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["business_case", "financial_year", "kind", "pk"]

    def __str__(self) -> str:
        return f"{self.financial_year} {self.get_kind_display().lower()}: {self.description}"


class Mitigation(models.Model):
    """How far a business case has managed one project risk area: 0 not at all, 1 fully."""

    business_case = models.ForeignKey(BusinessCase, on_delete=models.CASCADE, related_name="mitigations")
    factor = models.ForeignKey(BiasFactor, on_delete=models.CASCADE, related_name="+")
    mitigation = models.DecimalField(
        max_digits=3, decimal_places=2, validators=[MinValueValidator(0), MaxValueValidator(1)]
    )
    evidence = models.TextField("how the risk is managed", blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["business_case", "factor"], name="one_mitigation_per_factor")]

    def __str__(self) -> str:
        return f"{self.factor.name}: {self.mitigation}"


# --------------------------------------------------------------------------- actuals


class ActualQuerySet(models.QuerySet["Actual"]):
    def for_organisation(self, organisation: Organisation) -> ActualQuerySet:
        return self.filter(initiative__organisation=organisation)


class Actual(models.Model):
    """What was really spent, or what benefit was really realised, in a financial year."""

    class Kind(models.TextChoices):
        SPEND = "spend", "Spend"
        BENEFIT = "benefit", "Realised benefit"

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="actuals")
    financial_year = models.CharField(max_length=7, validators=[check_financial_year])
    kind = models.CharField(max_length=10, choices=Kind.choices)
    money_kind = models.CharField(max_length=10, choices=MoneyKind.choices, blank=True)
    amount = models.PositiveBigIntegerField("amount (£)")
    benefit = models.ForeignKey(BenefitLine, null=True, blank=True, on_delete=models.SET_NULL, related_name="actuals")
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = ActualQuerySet.as_manager()

    class Meta:
        ordering = ["initiative", "financial_year", "kind", "pk"]

    def __str__(self) -> str:
        return f"{self.financial_year} {self.get_kind_display().lower()} {pounds(self.amount)}"
