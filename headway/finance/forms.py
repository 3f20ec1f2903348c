"""Forms for money, drawn in the NHS design system.

Amounts are whole pounds, read by `headway.lib.money` (£250,000, 250000, 1200.00, £1.2m, 250k);
pence and negative amounts are refused with a message saying what to type. Financial years are
written 2026/27 and checked by the one rule in `headway.lib.financial_years`. People and metrics
come from the current organisation only, so a forged post naming another organisation's metric,
or someone who is not a member, fails validation.

Costs and benefits are added a year at a time in one box (one financial year a line), which
suits a business case's five- or ten-year profile, reads well with a screen reader and works
without JavaScript; each line can then be changed on its own.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from headway.accounts.models import Organisation, User
from headway.accounts.people import members_of
from headway.finance.models import (
    Actual,
    BenefitLine,
    BiasFactor,
    BusinessCase,
    CostLine,
    FundingLine,
    MoneyKind,
    ProjectType,
    check_financial_year,
)
from headway.forms import DateInput, HintedRadioSelect, NHSFormMixin, PersonChoiceField
from headway.lib import money
from headway.lib.percentages import points
from headway.metrics.models import Metric
from headway.portfolio.models import Initiative

MONEY_HELP = "In whole pounds, for example £250,000."
AMOUNTS_HINT = (
    "One financial year a line: the year, then the amount in whole pounds, split by | (or pasted from a "
    "spreadsheet with a tab). For example: 2026/27 | £250,000"
)
BENEFIT_KIND_HINTS = {
    BenefitLine.Kind.CASH_RELEASING: "Money that stops being spent and can be taken out of a budget, "
    "for example a contract that ends.",
    BenefitLine.Kind.NON_CASH: "Money's worth that is freed up but stays in the budget, for example "
    "fewer agency hours, with the staff doing other work.",
    BenefitLine.Kind.QUALITY_SAFETY: "Fewer harms, errors or incidents.",
    BenefitLine.Kind.PATIENT_EXPERIENCE: "Shorter waits, fewer journeys, clearer information.",
    BenefitLine.Kind.STAFF_TIME: "Hours given back to staff for care.",
    BenefitLine.Kind.WIDER_SOCIETY: "Benefits beyond the NHS, for example carers' time or travel.",
}
PURPOSE_HINTS = {
    FundingLine.Purpose.BUILD: "Discovery, building, testing and launching.",
    FundingLine.Purpose.RUN: "Hosting, support, licences and a team to keep improving it once it is live.",
}
STATE_HINTS = {
    FundingLine.State.REQUESTED: "Asked for, not yet agreed.",
    FundingLine.State.APPROVED: "Agreed by whoever holds the budget.",
    FundingLine.State.COMMITTED: "Contracted or otherwise promised, so it will be spent.",
    FundingLine.State.SPENT: "Already spent.",
}
STAGE_HINTS = {
    BusinessCase.Stage.SOC: "The case for change and the options, before much is known.",
    BusinessCase.Stage.OBC: "The preferred option, with costs and benefits estimated.",
    BusinessCase.Stage.FBC: "The deal to be signed, with costs and benefits firmed up.",
}
MITIGATION_ERROR = "Give a number from 0 (not managed at all) to 1 (fully managed), for example 0.5."


def _pounds(text: str) -> int:
    """Whole pounds, read by the one rule in `headway.lib.money`; its refusal as a form's error."""
    try:
        return money.parse_pounds(text)
    except money.MoneyError as error:
        raise ValidationError(str(error)) from error


def parse_year_amounts(text: str, *, allow_zero: bool = True) -> dict[str, int]:
    """{financial year: pounds} from lines like `2026/27 | £250,000`; every bad line is reported."""
    amounts: dict[str, int] = {}
    errors: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in re.split(r"[|\t]", line)]
        if len(parts) != 2:
            errors.append(f"Line {number}: give the year and the amount, split by |, like 2026/27 | £250,000.")
            continue
        try:
            check_financial_year(parts[0])
            amount = _pounds(parts[1])
            if parts[0] in amounts:
                raise ValidationError(f"{parts[0]} is given twice.")
            if amount == 0 and not allow_zero:
                raise ValidationError("an amount of £0 adds nothing; leave the line out.")
            amounts[parts[0]] = amount
        except ValidationError as error:
            errors += [f"Line {number}: {message}" for message in error.messages]
    if errors:
        raise ValidationError(errors)
    if not amounts:
        raise ValidationError("Give at least one financial year and amount.")
    return amounts


def amounts_text(amounts: dict[str, int]) -> str:
    return "\n".join(f"{year} | {money.pounds(amount)}" for year, amount in sorted(amounts.items()))


class MoneyField(forms.CharField):
    """Whole pounds, typed as people type money."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", MONEY_HELP)
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"class": "nhsuk-input--width-10", "inputmode": "numeric", "spellcheck": "false"})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int):
            return money.pounds(value)
        return value

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        return _pounds(str(text))


class FinancialYearField(forms.CharField):
    default_validators = [check_financial_year]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 7)
        kwargs.setdefault("help_text", "For example, 2026/27. NHS financial years run from April to March.")
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"class": "nhsuk-input--width-5", "spellcheck": "false"})


class YearAmountsField(forms.CharField):
    def __init__(self, *args: Any, allow_zero: bool = True, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 5, "spellcheck": "false"}))
        kwargs.setdefault("help_text", AMOUNTS_HINT)
        kwargs.setdefault("error_messages", {"required": "Give at least one financial year and amount."})
        super().__init__(*args, **kwargs)
        self.allow_zero = allow_zero

    def clean(self, value: Any) -> dict[str, int]:  # type: ignore[override]
        text = super().clean(value)
        return parse_year_amounts(text, allow_zero=self.allow_zero)


class MetricChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.unit})" if obj.unit else obj.name


def _radios(form: forms.BaseForm, name: str, choices: Any) -> None:
    form.fields[name].choices = list(choices)  # type: ignore[attr-defined]


# Funding -------------------------------------------------------------------------------------


class ReleaseChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return (
            f"{obj.financial_year} {obj.get_kind_display().lower()}: {money.pounds(obj.amount)} "
            f"({obj.get_state_display().lower()}, {obj.get_source_display()})"
        )


class ReleaseForm(NHSFormMixin, forms.Form):
    """Which of an initiative's future funding to hand back after it stopped, paused or finished."""

    lines = ReleaseChoiceField(
        queryset=FundingLine.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Funding to release",
        help_text="Each line released is taken off the initiative's money; the history keeps it.",
        error_messages={
            "required": "Choose the funding to release, or keep it all.",
            "invalid_choice": "Choose only this initiative's requested or approved future funding.",
        },
    )

    def __init__(self, *args: Any, lines: list[FundingLine], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lines"].queryset = FundingLine.objects.filter(  # type: ignore[attr-defined]
            pk__in=[line.pk for line in lines]
        ).order_by("financial_year", "kind", "pk")
        self.apply_nhs_classes()


class FundingLineForm(NHSFormMixin, forms.ModelForm):
    financial_year = FinancialYearField(label="Financial year")
    amount = MoneyField(label="Amount")

    class Meta:
        model = FundingLine
        fields = ["financial_year", "kind", "source", "state", "purpose", "amount", "note"]
        labels = {
            "kind": "Capital or revenue?",
            "source": "Where does the money come from?",
            "state": "How firm is it?",
            "purpose": "What is it for?",
            "note": "Note (optional)",
        }
        help_texts = {
            "kind": "Capital buys things that last (building the service, hardware); revenue pays for running costs.",
            "note": "For example, the name of the national programme or the board paper that approved it.",
        }
        widgets = {
            "kind": forms.RadioSelect,
            "source": forms.RadioSelect,
            "state": HintedRadioSelect(hints={str(k): v for k, v in STATE_HINTS.items()}),
            "purpose": HintedRadioSelect(hints={str(k): v for k, v in PURPOSE_HINTS.items()}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _radios(self, "kind", MoneyKind.choices)
        _radios(self, "source", FundingLine.Source.choices)
        _radios(self, "state", FundingLine.State.choices)
        _radios(self, "purpose", FundingLine.Purpose.choices)
        self.apply_nhs_classes()


# Business cases ------------------------------------------------------------------------------


class ProjectTypeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


def _bound(value: Decimal | None) -> str:
    return "none given" if value is None else points(float(value), 2)


class BusinessCaseForm(NHSFormMixin, forms.ModelForm):
    first_year = FinancialYearField(
        label="First financial year of the appraisal",
        help_text="Year 0, for example 2026/27. Costs and benefits in it are not discounted; later years count "
        "for less.",
    )
    project_type = ProjectTypeChoiceField(
        queryset=ProjectType.objects.all(),
        label="Type of project, for optimism bias",
        empty_label=None,
        widget=HintedRadioSelect,
        help_text="HM Treasury's Green Book sets how far estimates for each type of project have run over. "
        "Digital work is equipment and development.",
    )
    copy_from = forms.ChoiceField(
        label="Start from an earlier stage?",
        required=False,
        widget=forms.RadioSelect,
        help_text="Copies its costs, benefits and optimism-bias scores, which you can then change.",
    )

    class Meta:
        model = BusinessCase
        fields = [
            "stage",
            "project_type",
            "first_year",
            "discount_rate",
            "planned_months",
            "planned_first_benefit_months",
            "approved_on",
            "summary",
        ]
        labels = {
            "stage": "Stage",
            "discount_rate": "Discount rate (%)",
            "planned_months": "Months from start to go-live, as planned (optional)",
            "planned_first_benefit_months": "Months from start to the first measured benefit, as planned (optional)",
            "approved_on": "Date approved (optional)",
            "summary": "Summary (optional)",
        }
        help_texts = {
            "discount_rate": "How much less a pound next year is worth than a pound now. The Green Book rate is "
            "3.5% for the first 30 years; later years are discounted at its lower long-term rates (3.0% to year "
            "75, then 2.5%). Change it only if your finance team tells you to.",
            "planned_months": "Used for the optimism-bias uplift on time and for comparing with finished work.",
            "planned_first_benefit_months": "When the first benefit should show in a measure.",
            "summary": "The case in a few sentences: the problem, the option chosen and why.",
        }
        widgets = {
            "stage": HintedRadioSelect(hints={str(k): v for k, v in STAGE_HINTS.items()}),
            "approved_on": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, initiative: Initiative, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _radios(self, "stage", BusinessCase.Stage.choices)
        types = list(ProjectType.objects.all())
        widget = self.fields["project_type"].widget
        assert isinstance(widget, HintedRadioSelect)
        widget.hints = {
            str(t.pk): f"Up to {_bound(t.cost_upper)} on cost and {_bound(t.duration_upper)} on time "
            f"before mitigation; at least {_bound(t.cost_lower)} and {_bound(t.duration_lower)} after."
            for t in types
        }
        for name in ("discount_rate", "planned_months", "planned_first_benefit_months"):
            self.fields[name].widget.attrs.update({"class": "nhsuk-input--width-4", "inputmode": "decimal"})
        earlier = list(initiative.business_cases.all()) if self.instance.pk is None else []
        if earlier:
            _radios(
                self,
                "copy_from",
                [
                    ("", "No, start empty"),
                    *[(str(c.pk), f"Yes, from the {c.get_stage_display().lower()}") for c in earlier],
                ],
            )
            self.earlier = {str(c.pk): c for c in earlier}
        else:
            del self.fields["copy_from"]
            self.earlier = {}
        self.apply_nhs_classes()

    def clean_copy_from(self) -> BusinessCase | None:
        chosen = self.cleaned_data.get("copy_from") or ""
        return self.earlier.get(chosen)

    def model_fields(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "copy_from"}


# Costs and benefits --------------------------------------------------------------------------


class CostLinesForm(NHSFormMixin, forms.Form):
    category = forms.ChoiceField(label="What is the cost for?", widget=forms.RadioSelect, choices=CostLine.Category)
    kind = forms.ChoiceField(
        label="Capital or revenue?",
        widget=forms.RadioSelect,
        choices=MoneyKind,
        help_text="Capital buys things that last; revenue pays for running costs.",
    )
    amounts = YearAmountsField(label="Amounts by financial year")
    note = forms.CharField(label="Note (optional)", required=False, max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.apply_nhs_classes()


class CostLineForm(NHSFormMixin, forms.ModelForm):
    financial_year = FinancialYearField(label="Financial year")
    amount = MoneyField(label="Amount")

    class Meta:
        model = CostLine
        fields = ["financial_year", "category", "kind", "amount", "note"]
        labels = {"category": "What is the cost for?", "kind": "Capital or revenue?", "note": "Note (optional)"}
        widgets = {"category": forms.RadioSelect, "kind": forms.RadioSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _radios(self, "category", CostLine.Category.choices)
        _radios(self, "kind", MoneyKind.choices)
        self.apply_nhs_classes()


def _owner_field() -> PersonChoiceField:
    return PersonChoiceField(
        queryset=User.objects.none(),
        label="Who owns this benefit?",
        help_text="The person who will make sure it is realised, and report whether it was.",
        error_messages={
            "invalid_choice": "Choose a member of your organisation.",
            "required": "Choose who owns this benefit.",
        },
        empty_label="Choose a person",
    )


def _metric_field() -> MetricChoiceField:
    return MetricChoiceField(
        queryset=Metric.objects.none(),
        required=False,
        label="Which metric shows it? (optional)",
        help_text="Where the benefit can be measured, choose the metric that will show whether it is real.",
        error_messages={"invalid_choice": "Choose one of your organisation's metrics."},
        empty_label="Not measured by a metric",
    )


def _benefit_kind_widget() -> HintedRadioSelect:
    return HintedRadioSelect(hints={str(k): v for k, v in BENEFIT_KIND_HINTS.items()})


class BenefitLinesForm(NHSFormMixin, forms.Form):
    kind = forms.ChoiceField(label="Kind of benefit", widget=_benefit_kind_widget(), choices=BenefitLine.Kind)
    description = forms.CharField(
        label="The benefit",
        max_length=300,
        help_text="What will be better, for whom. For example: nurses spend 40 fewer minutes a shift on paperwork.",
    )
    owner = _owner_field()
    metric = _metric_field()
    amounts = YearAmountsField(
        label="Value by financial year",
        help_text=AMOUNTS_HINT + ". Write £0 for a year where the benefit is real but not valued in pounds.",
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members_of(organisation)  # type: ignore[attr-defined]
        self.fields["metric"].queryset = Metric.objects.for_organisation(organisation)  # type: ignore[attr-defined]
        self.apply_nhs_classes()


class BenefitLineForm(NHSFormMixin, forms.ModelForm):
    financial_year = FinancialYearField(label="Financial year")
    amount = MoneyField(label="Value", help_text="In whole pounds; £0 where it is real but not valued in pounds.")
    owner = _owner_field()
    metric = _metric_field()

    class Meta:
        model = BenefitLine
        fields = ["financial_year", "kind", "description", "amount", "owner", "metric"]
        labels = {"kind": "Kind of benefit", "description": "The benefit"}
        widgets = {"kind": _benefit_kind_widget()}

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _radios(self, "kind", BenefitLine.Kind.choices)
        self.fields["owner"].queryset = members_of(organisation)  # type: ignore[attr-defined]
        self.fields["metric"].queryset = Metric.objects.for_organisation(organisation)  # type: ignore[attr-defined]
        self.apply_nhs_classes()


# Optimism bias -------------------------------------------------------------------------------


def _share(value: Decimal | None) -> str:
    return "" if value is None else points(float(value), 2)


class MitigationForm(NHSFormMixin, forms.Form):
    """One score (0 to 1) and its evidence for each risk area of the case's project type."""

    shows_saved_values = True

    def __init__(
        self, *args: Any, factors: list[BiasFactor], current: dict[int, tuple[Decimal, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.factors = factors
        for factor in factors:
            shares = []
            if factor.cost_contribution is not None:
                shares.append(f"{_share(factor.cost_contribution)} of the cost overrun")
            if factor.duration_contribution is not None:
                shares.append(f"{_share(factor.duration_contribution)} of the delay")
            score, evidence = current.get(factor.pk, (Decimal(0), ""))
            self.fields[f"score_{factor.pk}"] = forms.DecimalField(
                label=f"{factor.name}: how well is this risk managed?",
                help_text=f"{factor.group}. In the study this caused {' and '.join(shares) or 'no recorded bias'}. "
                "0 means not managed at all, 1 fully managed.",
                min_value=Decimal(0),
                max_value=Decimal(1),
                decimal_places=2,
                required=False,
                initial=score.normalize() if score else Decimal(0),
                error_messages={
                    "invalid": MITIGATION_ERROR,
                    "min_value": MITIGATION_ERROR,
                    "max_value": MITIGATION_ERROR,
                    "max_decimal_places": "Use no more than two decimal places, for example 0.25.",
                },
                widget=forms.TextInput(attrs={"class": "nhsuk-input--width-4", "inputmode": "decimal"}),
            )
            self.fields[f"evidence_{factor.pk}"] = forms.CharField(
                label=f"{factor.name}: the evidence (optional)",
                help_text="What has been done, and what shows it works.",
                required=False,
                initial=evidence,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.apply_nhs_classes()

    def scores(self) -> dict[int, tuple[Decimal, str]]:
        data = self.cleaned_data
        return {
            f.pk: (data.get(f"score_{f.pk}") or Decimal(0), data.get(f"evidence_{f.pk}") or "") for f in self.factors
        }


# Actuals -------------------------------------------------------------------------------------


class BenefitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.description} ({obj.financial_year}, {obj.business_case.get_stage_display().lower()})"


class ActualForm(NHSFormMixin, forms.ModelForm):
    financial_year = FinancialYearField(label="Financial year")
    amount = MoneyField(label="Amount")
    money_kind = forms.ChoiceField(
        label="Capital or revenue? (for spend)",
        required=False,
        widget=forms.RadioSelect,
        choices=MoneyKind,
        help_text="Needed for spend.",
    )
    benefit = BenefitChoiceField(
        queryset=BenefitLine.objects.none(),
        required=False,
        label="Which planned benefit is it? (optional, for a realised benefit)",
        empty_label="Not one of the planned benefits",
        error_messages={"invalid_choice": "Choose one of this initiative's benefits."},
    )

    class Meta:
        model = Actual
        fields = ["financial_year", "kind", "money_kind", "amount", "benefit", "note"]
        labels = {"kind": "Spend or realised benefit?", "note": "Note (optional)"}
        help_texts = {"note": "For example, where the figure comes from: the ledger code or the finance report."}
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args: Any, initiative: Initiative, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _radios(self, "kind", Actual.Kind.choices)
        self.fields["benefit"].queryset = (  # type: ignore[attr-defined]
            BenefitLine.objects.filter(business_case__initiative=initiative)
            .select_related("business_case")
            .order_by("business_case__stage", "financial_year", "pk")
        )
        self.apply_nhs_classes()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == Actual.Kind.SPEND and not data.get("money_kind"):
            self.add_error("money_kind", "Say whether the spend was capital or revenue.")
        if data.get("kind") == Actual.Kind.SPEND and data.get("benefit"):
            self.add_error("benefit", "Link a planned benefit only to a realised benefit, not to spend.")
        return data
