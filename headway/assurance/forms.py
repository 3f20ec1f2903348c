from __future__ import annotations

from typing import Any

from django import forms

from headway.accounts.models import Organisation
from headway.assurance.initiatives import WARNING_LABELS
from headway.metrics.models import Verdict
from headway.portfolio import forms as portfolio_forms


class PortfolioFilterForm(portfolio_forms.PortfolioFilterForm):
    """The portfolio list's filters, with "Is it working?" (the metrics' verdict) among them."""

    working = forms.ChoiceField(label="Is it working?", required=False)
    warning = forms.ChoiceField(label="Warning about its measures", required=False)

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
    ]

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, organisation=organisation, **kwargs)
        self.fields["working"].choices = [("", "Any answer"), *Verdict.State.choices]  # type: ignore[attr-defined]
        self.fields["warning"].choices = [("", "Any or none"), *WARNING_LABELS.items()]  # type: ignore[attr-defined]
        self.apply_nhs_classes()
