from __future__ import annotations

from typing import Any

from django import forms

from headway.accounts.models import Organisation, User
from headway.accounts.people import members_of
from headway.assurance import baf
from headway.assurance.baf_actions import FIELDS
from headway.assurance.initiatives import WARNING_LABELS
from headway.assurance.models import APPETITE_CEILING, Appetite, BoardPack, PrincipalRisk
from headway.assurance.pack_actions import COVER_FIELDS
from headway.forms import DateInput, HintedRadioSelect, NHSFormMixin, PersonChoiceField
from headway.lib.bounds import BoundsError
from headway.metrics.models import Verdict
from headway.portfolio import forms as portfolio_forms
from headway.portfolio.models import StrategicGoal


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

    def __init__(self, *args: Any, organisation: Organisation | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organisation is not None:
            self._offer_principal_risks(organisation)
        self.apply_nhs_classes()

    # The board assurance framework's principal risks (ADR 29), offered as boxes to tick. What is
    # stored stays the cover's free text, one risk a line, so packs drafted before keep theirs: a
    # ticked principal risk becomes the line "BAF-01: title", and lines naming none stay as typed.

    def _offer_principal_risks(self, organisation: Organisation) -> None:
        self.principal = {r.reference: r for r in PrincipalRisk.objects.for_organisation(organisation).open()}
        if not self.principal:
            return
        ticked, other = self._split(self.initial.get("baf_risks") or "")
        self.fields = {
            **{name: field for name, field in self.fields.items() if name != "baf_risks"},
            "principal_risks": forms.MultipleChoiceField(
                label="Principal risks this paper relates to (optional)",
                required=False,
                choices=[(ref, str(risk)) for ref, risk in self.principal.items()],
                widget=forms.CheckboxSelectMultiple,
            ),
            "baf_risks": self.fields["baf_risks"],
        }
        # Keep the fields in their order: the boxes just before the free text.
        order = [
            *COVER_FIELDS[: COVER_FIELDS.index("baf_risks")],
            "principal_risks",
            *COVER_FIELDS[COVER_FIELDS.index("baf_risks") :],
        ]
        self.fields = {name: self.fields[name] for name in order if name in self.fields}
        self.fields["baf_risks"].label = "Other board assurance framework risks (optional)"
        self.fields["baf_risks"].help_text = "Any not listed above, one a line."
        self.initial["principal_risks"] = ticked
        self.initial["baf_risks"] = "\n".join(other)

    def _split(self, text: str) -> tuple[list[str], list[str]]:
        ticked, other = [], []
        for line in (line.strip() for line in text.splitlines()):
            if not line:
                continue
            ref = next((r for r in self.principal if line == r or line.startswith((f"{r}:", f"{r} "))), None)
            if ref is None:
                other.append(line)
            elif ref not in ticked:
                ticked.append(ref)
        return ticked, other

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "principal_risks" in self.fields and "baf_risks" in cleaned:
            # A principal risk typed in the free text counts as ticked.
            typed, other = self._split(cleaned["baf_risks"])
            chosen = set(cleaned.get("principal_risks") or []) | set(typed)
            ticked = [f"{ref}: {risk.title}" for ref, risk in self.principal.items() if ref in chosen]
            cleaned["baf_risks"] = "\n".join(ticked + other)
        return cleaned


# The board assurance framework (ADR 29) ------------------------------------------------------


def _score_field(label: str, choices: list[tuple[int, str]], required: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        coerce=int, choices=choices, widget=forms.RadioSelect, label=label, error_messages={"required": required}
    )


class PrincipalRiskForm(NHSFormMixin, forms.ModelForm):
    owner = PersonChoiceField(
        queryset=User.objects.none(),
        label="Executive owner",
        empty_label="Not chosen yet",
        error_messages={"required": "Choose the executive who owns this risk."},
    )
    current_likelihood = _score_field(
        "Current likelihood", portfolio_forms.SCORE_CHOICES, "Choose how likely the risk is now."
    )
    current_consequence = _score_field(
        "Current consequence", portfolio_forms.CONSEQUENCE_CHOICES, "Choose how bad the consequence would be now."
    )
    target_likelihood = _score_field(
        "Target likelihood", portfolio_forms.SCORE_CHOICES, "Choose how likely the risk should become."
    )
    target_consequence = _score_field(
        "Target consequence", portfolio_forms.CONSEQUENCE_CHOICES, "Choose how bad the consequence should become."
    )

    class Meta:
        model = PrincipalRisk
        fields = list(FIELDS)
        labels = {
            "reference": "Reference",
            "title": "Principal risk",
            "description": "Description (optional)",
            "goal": "Strategic goal it threatens (optional)",
            "appetite": "Risk appetite",
            "controls": "Controls (optional)",
            "assurances": "Assurances (optional)",
            "gaps_in_control": "Gaps in control (optional)",
            "gaps_in_assurance": "Gaps in assurance (optional)",
            "status": "Is the principal risk still open?",
        }
        help_texts = {
            "reference": "Unique in your organisation, for example BAF-01.",
            "title": "What could stop the organisation reaching a strategic goal.",
            "appetite": "How much of this kind of risk the board accepts.",
            "gaps_in_control": "Where the controls fall short, one a line.",
            "gaps_in_assurance": "Where the board lacks evidence that the controls work, one a line.",
            "assurances": (
                "One a line: what shows the controls work, then | and where the evidence is in Headway: an "
                "initiative's reference, metric: name, question: key, pitfall: key, or a page's address such "
                "as /metrics/12/. For example: Weekly adoption chart | metric: Letters sent in 7 days"
            ),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "controls": forms.Textarea(attrs={"rows": 4}),
            "assurances": forms.Textarea(attrs={"rows": 4}),
            "gaps_in_control": forms.Textarea(attrs={"rows": 3}),
            "gaps_in_assurance": forms.Textarea(attrs={"rows": 3}),
            "next_review": DateInput(),
            "appetite": HintedRadioSelect(
                hints={key: f"Accepts a score of up to {ceiling}." for key, ceiling in APPETITE_CEILING.items()}
            ),
            "status": forms.RadioSelect,
            "reference": forms.TextInput(attrs={"class": "nhsuk-input--width-10"}),
        }

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["owner"].queryset = members_of(organisation)  # type: ignore[attr-defined]
        self.fields["goal"].queryset = StrategicGoal.objects.for_organisation(organisation)  # type: ignore[attr-defined]
        self.fields["goal"].empty_label = "Not linked to a goal"  # type: ignore[attr-defined]
        self.fields["appetite"].choices = list(Appetite.choices)  # type: ignore[attr-defined]
        self.fields["status"].choices = list(PrincipalRisk.State.choices)  # type: ignore[attr-defined]
        if not self.instance.pk:
            del self.fields["status"]
        self.apply_nhs_classes()

    def clean_reference(self) -> str:
        reference = self.cleaned_data["reference"].strip().upper()
        taken = PrincipalRisk.objects.for_organisation(self.organisation).filter(reference=reference)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(f"{reference} is already a principal risk: give another reference.")
        return reference

    def clean_assurances(self) -> str:
        text: str = self.cleaned_data["assurances"]
        try:
            lines = baf.parse_assurances(text)
        except BoundsError as error:
            raise forms.ValidationError(str(error)) from None
        missing = baf.unknown_evidence(self.organisation, lines)
        if missing:
            raise forms.ValidationError(f"Your organisation has {'; '.join(missing)}: check the evidence named.")
        return text
