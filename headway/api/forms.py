from __future__ import annotations

from typing import Any

from django import forms

from headway.accounts.models import Membership
from headway.forms import NHSFormMixin
from headway.lib import bounds

READ, WRITE = "read", "write"


class TokenForm(NHSFormMixin, forms.Form):
    name = forms.CharField(
        label="What is it for?",
        max_length=100,
        help_text="For example, ‘Weekly checkpoint script’ or ‘Power BI portfolio report’.",
        error_messages={"required": "Say what the token is for, so you can tell it apart later."},
    )
    organisation = forms.TypedChoiceField(label="Organisation", coerce=int, widget=forms.RadioSelect)
    access = forms.ChoiceField(
        label="What may it do?",
        widget=forms.RadioSelect,
        choices=[
            (READ, "Read only: see what you can see"),
            (WRITE, "Read and write: also change what your role lets you change"),
        ],
        error_messages={"required": "Choose whether the token may change data."},
    )
    days = forms.TypedChoiceField(
        label="How long should it work?",
        coerce=int,
        widget=forms.RadioSelect,
        choices=[(d, f"{d} days") for d in bounds.TOKEN_DAYS_CHOICES],
        error_messages={"required": "Choose how long the token should work."},
    )

    def __init__(self, *args: Any, memberships: list[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [  # type: ignore[attr-defined]
            (m.organisation_id, f"{m.organisation.name} ({m.get_role_display().lower()})") for m in memberships
        ]
        self.apply_nhs_classes()
