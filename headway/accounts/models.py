from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from headway.accounts.roles import Role, role_allows


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=normalise_email(email), **extra)
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

    def get_by_natural_key(self, username: str | None) -> User:
        # Signing in as "Bea@Example.test" finds bea@example.test: addresses are stored lower case.
        return self.get(email=normalise_email(username or ""))


def normalise_email(email: str) -> str:
    """The one form an email address is stored and looked up in: trimmed and lower case."""
    return email.strip().lower()


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

    def clean(self) -> None:
        super().clean()
        self.email = normalise_email(self.email)

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Every path (forms, the admin, commands, objects.create) stores the one form of the address,
        # so signing in, password reset and invitations all find the person whatever case they type.
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)

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
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_organisation")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.organisation}"

    def can(self, action: str) -> bool:
        return role_allows(self.role, action)


class Submission(models.Model):
    """A form a person has saved, by its single-use token and what they posted: a retried post
    (a double click, a timeout and a retry) shows the same result instead of saving twice
    (`headway.views.saved`, ADR 16). Kept for a day."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)  # a SHA-256 of the token and the posted values
    message = models.TextField(blank=True)
    url = models.CharField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_submission_per_key")]

    def __str__(self) -> str:
        return f"{self.user} at {self.created_at:%Y-%m-%d %H:%M}"


def invitation_digest(token: str) -> str:
    """What is stored for an invitation link: a digest, so the database never holds a usable link."""
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def for_organisation(self, organisation: Organisation) -> InvitationQuerySet:
        return self.filter(organisation=organisation)

    def unanswered(self) -> InvitationQuerySet:
        """Neither accepted nor withdrawn: pending, or expired and not yet cleared away."""
        return self.filter(accepted_at__isnull=True, withdrawn_at__isnull=True)

    def pending(self, now: datetime | None = None) -> InvitationQuerySet:
        """Sent, and still waiting: not accepted, withdrawn or expired."""
        return self.filter(accepted_at__isnull=True, withdrawn_at__isnull=True, expires_at__gt=now or timezone.now())

    def with_token(self, token: str) -> InvitationQuerySet:
        return self.filter(token_digest=invitation_digest(token))


class Invitation(models.Model):
    """An offer of a role in an organisation, emailed as a single-use link (ADR 23).

    The portfolio office invites an email address; it never learns whether the address already
    has a Headway account, and nobody is added to an organisation without saying yes. Whoever
    opens the link accepts it signed in as that address, or sets up their account there.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField("email address")
    full_name = models.CharField(max_length=150, help_text="As the portfolio office typed it.")
    role = models.CharField(max_length=20, choices=Role.choices)
    directorate = models.CharField(max_length=150, blank=True)
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation to {self.email} to join {self.organisation} as {self.get_role_display().lower()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)

    def why_not_usable(self, now: datetime | None = None) -> str:
        """Why the link can no longer be used, or "" if it can."""
        if self.accepted_at is not None:
            return "This invitation has already been accepted."
        if self.withdrawn_at is not None:
            return "This invitation has been withdrawn by the portfolio office."
        if self.expires_at <= (now or timezone.now()):
            return "This invitation has expired."
        return ""

    def account(self) -> User | None:
        """The Headway account with the invited address, if there is one. Only for the person who
        holds the link: the portfolio office is never told."""
        return User.objects.filter(email=self.email).first()
