from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm

from headway.accounts.models import Membership
from headway.accounts.roles import Role
from headway.forms import NHSFormMixin


class LoginForm(NHSFormMixin, AuthenticationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Email address"
        self.fields["username"].widget = forms.EmailInput(attrs={"autocomplete": "email"})
        self.fields["password"].widget.attrs["autocomplete"] = "current-password"
        self.apply_nhs_classes()


class PasswordResetRequestForm(NHSFormMixin, PasswordResetForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = "We will email a link to set a new password if the address is registered."
        self.apply_nhs_classes()


class SetNewPasswordForm(NHSFormMixin, SetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.apply_nhs_classes()


class SwitchOrganisationForm(NHSFormMixin, forms.Form):
    organisation = forms.TypedChoiceField(coerce=int, widget=forms.RadioSelect, label="Which organisation?")

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = choices  # type: ignore[attr-defined]
        self.apply_nhs_classes()


class WeeknotesChoiceForm(NHSFormMixin, forms.Form):
    by_email = forms.BooleanField(
        label="Email me the weeknotes every week",
        required=False,
        help_text="What was shown and what reached real users across the portfolio, sent once a week. "
        "Untick this to stop.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.shows_saved_values = True
        self.apply_nhs_classes()


ROLE_HINTS = {
    Role.BOARD: "Reads the whole portfolio and can comment.",
    Role.EXECUTIVE: "Proposes and edits initiatives, records decisions and portfolio risks.",
    Role.DELIVERY_LEAD: "Updates the initiatives they lead: weekly checkpoints, risks, user needs.",
    Role.PORTFOLIO_OFFICE: "Everything an executive can do, plus goals, services, people and settings.",
    Role.VIEWER: "Reads the portfolio only.",
}


class MemberForm(NHSFormMixin, forms.Form):
    email = forms.EmailField(
        label="Email address", max_length=254, help_text="We will email an invitation to this address."
    )
    full_name = forms.CharField(label="Full name", max_length=150)
    role = forms.ChoiceField(
        choices=[(r.value, f"{r.label} — {ROLE_HINTS[r]}") for r in Role], widget=forms.RadioSelect
    )
    directorate = forms.CharField(
        max_length=150, required=False, help_text="For example, Nursing or Digital. Leave empty if none."
    )

    def __init__(self, *args: Any, membership: Membership | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Changing someone's role shows the role saved now; adding someone shows nothing saved.
        self.shows_saved_values = membership is not None
        if membership is not None:
            # Changing someone's role: their account details are theirs, not the organisation's.
            del self.fields["email"]
            del self.fields["full_name"]
        self.apply_nhs_classes()


class AccountSetUpForm(NHSFormMixin, SetPasswordForm):
    """Accepting an invitation without an account: the person's name and a password."""

    full_name = forms.CharField(label="Your full name", max_length=150)
    field_order = ["full_name", "new_password1", "new_password2"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(self.field_order)
        self.fields["new_password1"].label = "Choose a password"
        self.fields["new_password2"].label = "Type the password again"
        self.apply_nhs_classes()

    def clean_full_name(self) -> str:
        name: str = self.cleaned_data["full_name"].strip()
        # The password validators compare the password with the name, so it is set before they run.
        self.user.full_name = name
        return name

    def save(self, commit: bool = False) -> Any:
        # The account and the membership are saved together by accounts.actions.accept_invitation.
        return super().save(commit=False)
