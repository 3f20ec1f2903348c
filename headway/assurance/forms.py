from __future__ import annotations

from typing import Any

from django import forms

from headway.accounts.models import Organisation
from headway.assurance.initiatives import WARNING_LABELS
from headway.assurance.models import BoardPack
from headway.assurance.pack_actions import COVER_FIELDS
from headway.forms import DateInput, NHSFormMixin
from headway.metrics.models import Verdict
from headway.portfolio import forms as portfolio_forms


class PortfolioFilterForm(portfolio_forms.PortfolioFilterForm):
    """The portfolio list's filters, with "Is it working?" (the metrics' verdict) among them."""

    working = forms.ChoiceField(label="Is it working?", required=False)
    warning = forms.ChoiceField(label="Warning about its measures", required=False)
    # The key of a stored pitfall finding: the initiatives it names (at-a-glance links here).
    pitfall = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)

    field_order = [
        "q",
        "status",
        "phase",
        "goal",
        "confidence",
        "working",
        "warning",
        "overdue",
        "asks",
        "week",
        "week_confidence",
        "pitfall",
    ]

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, organisation=organisation, **kwargs)
        self.fields["working"].choices = [("", "Any answer"), *Verdict.State.choices]  # type: ignore[attr-defined]
        self.fields["warning"].choices = [("", "Any or none"), *WARNING_LABELS.items()]  # type: ignore[attr-defined]
        self.apply_nhs_classes()


class BoardPackForm(NHSFormMixin, forms.ModelForm):
    """The cover sheet of a board paper, filled in by the portfolio office on the draft."""

    class Meta:
        model = BoardPack
        fields = list(COVER_FIELDS)
        widgets = {
            "meeting_date": DateInput(),
            "purpose": forms.RadioSelect,
            "assurance_level": forms.RadioSelect,
            "assurance_reason": forms.Textarea(attrs={"rows": 3}),
            "baf_risks": forms.Textarea(attrs={"rows": 3}),
            "recommendation": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.apply_nhs_classes()
