from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from simple_history.models import HistoricalRecords

from headway.accounts.roles import Role, role_allows


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


class User(AbstractUser):
    """A person. People sign in with their email address."""

    username = None  # type: ignore[assignment]
    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150)
    job_title = models.CharField(max_length=150, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["full_name"]

    objects = UserManager()  # type: ignore[assignment,misc]

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class IntegratedCareSystem(models.Model):
    name = models.CharField(max_length=200, unique=True)
    code = models.CharField(max_length=10, unique=True, help_text="ODS code of the integrated care board.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = "integrated care system"

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    class Kind(models.TextChoices):
        ACUTE = "acute", "Acute trust"
        MENTAL_HEALTH = "mental_health", "Mental health trust"
        COMMUNITY = "community", "Community trust"
        AMBULANCE = "ambulance", "Ambulance trust"
        ICB = "icb", "Integrated care board"

    class ConfidenceScale(models.TextChoices):
        THREE_POINT = "three", "Three-point (green, amber, red)"
        FIVE_POINT = "five", "Five-point (green, amber/green, amber, amber/red, red)"

    name = models.CharField(max_length=200)
    ods_code = models.CharField(
        "ODS code",
        max_length=10,
        unique=True,
        validators=[RegexValidator(r"^[A-Z0-9]{3,10}$", "An ODS code is 3 to 10 capital letters or digits.")],
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    integrated_care_system = models.ForeignKey(
        IntegratedCareSystem, null=True, blank=True, on_delete=models.SET_NULL, related_name="organisations"
    )
    wip_limit = models.PositiveIntegerField(
        "work-in-progress limit",
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text="The most initiatives the organisation will have active at once.",
    )
    confidence_scale = models.CharField(
        max_length=5, choices=ConfidenceScale.choices, default=ConfidenceScale.THREE_POINT
    )
    first_release_weeks = models.PositiveIntegerField(
        "weeks to a first release to real users",
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(104)],
        help_text="An initiative with nothing in real users' hands this many weeks after starting is flagged.",
    )
    # The settings (the work-in-progress limit, the confidence scale, the first-release weeks)
    # change what the board is shown, so who changed them and when is kept.
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MembershipQuerySet(models.QuerySet["Membership"]):
    def for_organisation(self, organisation: Organisation) -> MembershipQuerySet:
        return self.filter(organisation=organisation)


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    directorate = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Who was given access, what role they held and who removed them is governance evidence.
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_organisation")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.organisation}"

    def can(self, action: str) -> bool:
        return role_allows(self.role, action)
