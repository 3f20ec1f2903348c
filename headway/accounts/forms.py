from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm

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
