"""Forms for the metrics pages, drawn in the NHS design system.

The owner and the initiatives are chosen from the current organisation only, so a forged post
naming another organisation's person or initiative fails validation instead of saving.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from headway.accounts.models import Organisation, User
from headway.accounts.people import members_of
from headway.forms import DateInput, HintedRadioSelect, NHSFormMixin, PersonChoiceField
from headway.lib.bounds import check_period
from headway.lib.errors import InputError
from headway.lib.periods import MONTHLY, QUARTERLY, WEEKLY, parse_period
from headway.metrics.imports import MAX_BYTES, MAX_ROWS
from headway.metrics.models import Beneficiary, Direction, Frequency, Kind, Metric
from headway.metrics.values import NotThisUnit, OutOfBounds, ValueTextError, read_value
from headway.portfolio.models import Initiative

KIND_HINTS = {
    Kind.OUTCOME: "A result for patients or staff, such as fewer missed appointments or shorter waits.",
    Kind.ADOPTION: "Whether people use what was built, such as the share of referrals made online.",
    Kind.EXPERIENCE: "How it is to use, such as patient or staff satisfaction.",
    Kind.FINANCIAL: "Money saved, earned or spent, such as agency staff spend per month.",
    Kind.ACTIVITY: "Counts work done, such as training sessions held. It does not show impact, and is always "
    "shown as activity, never as evidence that an initiative works.",
}

PERIOD_HINTS = {
    WEEKLY: "Any date in the week, for example 02/03/2026. Weeks start on Monday.",
    MONTHLY: "The month, for example 2026-03, or any date in it.",
    QUARTERLY: "The quarter, for example 2026-Q1, or any date in it. Quarters start in January, April, July "
    "and October.",
}


class InitiativeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.reference} {obj.title}"


class MetricForm(NHSFormMixin, forms.ModelForm):
    owner = PersonChoiceField(
        queryset=User.objects.none(),
        required=False,
        label="Owner (optional)",
        help_text="The person who answers for the numbers. They can add data to this metric.",
        empty_label="Not chosen yet",
    )
    initiatives = InitiativeChoiceField(
        queryset=Initiative.objects.none(),
        required=False,
        label="Initiatives it shows the impact of (optional)",
        help_text="Choose all that apply.",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Choose only this organisation's initiatives.",
            "invalid_pk_value": "Choose only this organisation's initiatives.",
        },
    )

    class Meta:
        model = Metric
        fields = [
            "name",
            "definition",
            "kind",
            "beneficiary",
            "unit",
            "improvement_direction",
            "frequency",
            "baseline_value",
            "baseline_period",
            "target_value",
            "target_date",
            "owner",
            "data_source",
            "initiatives",
            "screen_outliers",
            "fix_after_n_points",
        ]
        labels = {
            "name": "Name",
            "definition": "Definition",
            "kind": "What kind of measure is it?",
            "beneficiary": "Who benefits?",
            "unit": "Unit",
            "improvement_direction": "Which way is better?",
            "frequency": "How often is it measured?",
            "baseline_value": "Baseline (optional)",
            "baseline_period": "Period the baseline describes (optional)",
            "target_value": "Target (optional)",
            "target_date": "Date the target should be met by (optional)",
            "data_source": "Data source",
            "screen_outliers": "Screen out unusual jumps when setting the limits",
            "fix_after_n_points": "Fix the limits after this many points (optional)",
        }
        help_texts = {
            "name": "A short name a board member will recognise, for example ‘Missed outpatient appointments’.",
            "definition": "Exactly what is counted or measured and how, so anyone would get the same number.",
            "baseline_value": "The level before the change, in the metric's unit.",
            "target_value": "The level you aim for, in the metric's unit. The chart shows whether it is likely "
            "to be met.",
            "data_source": "Where the numbers come from, for example the patient administration system.",
            "screen_outliers": "Leave this on: one unusual jump then does not widen the process limits.",
            "fix_after_n_points": "Leave empty to recalculate the limits from every point. At least 12.",
        }
        widgets = {
            "definition": forms.Textarea(attrs={"rows": 3}),
            "kind": HintedRadioSelect(hints={str(k): v for k, v in KIND_HINTS.items()}),
            "beneficiary": forms.RadioSelect,
            "improvement_direction": forms.RadioSelect,
            "frequency": forms.RadioSelect,
            "target_date": DateInput(),
        }
        error_messages = {
            "name": {"required": "Enter a name for the metric."},
            "definition": {"required": "Say exactly what is counted or measured."},
            "kind": {"required": "Choose what kind of measure it is."},
            "beneficiary": {"required": "Choose who benefits."},
            "unit": {"required": "Enter the unit, for example %, minutes or patients."},
            "improvement_direction": {"required": "Choose which way is better."},
            "frequency": {"required": "Choose how often it is measured."},
            "data_source": {"required": "Say where the numbers come from."},
            "baseline_value": {"invalid": "Enter the baseline as a number."},
            "target_value": {"invalid": "Enter the target as a number."},
            "target_date": {"invalid": "Enter a real date."},
            "fix_after_n_points": {"invalid": "Enter a whole number, or leave it empty."},
        }

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["owner"].queryset = members_of(organisation)  # type: ignore[attr-defined]
        self.fields["initiatives"].queryset = Initiative.objects.for_organisation(  # type: ignore[attr-defined]
            organisation
        ).order_by("reference")
        for name, choices in (
            ("kind", Kind.choices),
            ("beneficiary", Beneficiary.choices),
            ("improvement_direction", Direction.choices),
            ("frequency", Frequency.choices),
        ):
            self.fields[name].choices = list(choices)  # type: ignore[attr-defined]
        self.fields["unit"].widget.attrs.update({"class": "nhsuk-input--width-10"})
        # The unit being saved decides whether "72%" is a value, so read it from the post if there is one.
        unit = str(self.data.get(self.add_prefix("unit"), "")) if self.is_bound else (self.instance.unit or "")
        for name in ("baseline_value", "target_value"):
            old = self.fields[name]
            self.fields[name] = ValueField(
                unit=unit,
                required=False,
                label=old.label,
                help_text=old.help_text,
                widget=forms.TextInput(attrs={"class": "nhsuk-input--width-10", "inputmode": "decimal"}),
                error_messages={"invalid": old.error_messages["invalid"]},
            )
        self.fields["fix_after_n_points"].widget.attrs.update({"class": "nhsuk-input--width-4", "inputmode": "numeric"})
        self.apply_nhs_classes()

    def clean_name(self) -> str:
        name = str(self.cleaned_data["name"]).strip()
        clash = Metric.objects.for_organisation(self.organisation).filter(name__iexact=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError("There is already a metric with this name.")
        return name

    def clean_fix_after_n_points(self) -> int | None:
        value: int | None = self.cleaned_data.get("fix_after_n_points")
        if value is not None and value < 12:
            raise forms.ValidationError("Give at least 12 points, or leave it empty.")
        return value

    def metric_fields(self) -> dict[str, Any]:
        """The plain fields, for actions.save_metric."""
        return {name: value for name, value in self.cleaned_data.items() if name != "initiatives"}


class ValueField(forms.FloatField):
    """A value in the metric's unit, read by `values.read_value`: "72%" for a metric measured in %,
    and "1,200" with its thousands separated, as well as a plain number."""

    def __init__(self, *, unit: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.unit = unit

    def to_python(self, value: Any) -> float | None:  # type: ignore[override]
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        try:
            return read_value(value, self.unit)
        except NotThisUnit as error:
            raise forms.ValidationError(str(error)[0].upper() + str(error)[1:], code="unit") from None
        except OutOfBounds as error:
            raise forms.ValidationError(str(error), code="bounds") from None
        except ValueTextError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class PeriodField(forms.CharField):
    """A period typed as a date, a month or a quarter, read for the metric's frequency; with
    `measured`, one that has started (a value is recorded once it has been measured)."""

    def __init__(self, *, frequency: str, measured: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", PERIOD_HINTS.get(frequency, ""))
        kwargs.setdefault("error_messages", {"required": "Enter the period."})
        super().__init__(max_length=40, **kwargs)
        self.frequency = frequency
        self.measured = measured

    def clean(self, value: Any) -> dt.date:  # type: ignore[override]
        text = super().clean(value)
        try:
            start = parse_period(text, self.frequency)
            return check_period(start, today=timezone.localdate()) if self.measured else start
        except InputError as error:
            raise forms.ValidationError(str(error)) from None


class ObservationForm(NHSFormMixin, forms.Form):
    period = forms.CharField()  # replaced in __init__ with the metric's PeriodField
    value = ValueField(
        unit="",  # the metric's, set in __init__
        label="Value",
        error_messages={
            "required": "Enter the value.",
            "invalid": "Enter the value as a number, for example 42 or 3.5.",
        },
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=500,
        help_text="Anything someone reading the chart should know about this value.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    # The period (YYYY-MM-DD) whose value the person has agreed to replace.
    replace = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, metric: Metric, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"] = PeriodField(frequency=metric.frequency, measured=True, label="Period")
        self.order_fields(["period", "value", "note", "replace"])
        self.fields["period"].widget.attrs.update({"class": "nhsuk-input--width-10"})
        self.fields["value"].widget = forms.TextInput(attrs={"class": "nhsuk-input--width-10", "inputmode": "decimal"})
        self.fields["value"].unit = metric.unit  # type: ignore[attr-defined]
        if metric.unit:
            self.fields["value"].label = f"Value ({metric.unit})"
        self.apply_nhs_classes()


class AnnotationForm(NHSFormMixin, forms.Form):
    period = forms.CharField()
    text = forms.CharField(
        label="What changed, and why?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: the new booking system went live on the surgical wards.",
        error_messages={"required": "Say what changed and why."},
    )
    starts_new_period = forms.BooleanField(
        label="Recalculate the limits from this period",
        required=False,
        help_text="Choose this when the process itself changed, so the old limits no longer describe it.",
    )

    def __init__(self, *args: Any, metric: Metric, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"] = PeriodField(
            frequency=metric.frequency,
            label="The first period it applies to",
        )
        self.order_fields(["period", "text", "starts_new_period"])
        self.fields["period"].widget.attrs.update({"class": "nhsuk-input--width-10"})
        self.apply_nhs_classes()


class UploadForm(NHSFormMixin, forms.Form):
    file = forms.FileField(
        label="CSV or Excel file",
        help_text=f"Up to {MAX_BYTES // (1024 * 1024)} MB and {MAX_ROWS:,} rows.",
        error_messages={"required": "Choose a file to upload.", "empty": "The file is empty."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs.update({"accept": ".csv,.xlsx,text/csv"})
        self.apply_nhs_classes()

    def error_summary(self) -> list[tuple[str, str]]:
        # The file field's own message (linked) first, then each problem found in the file.
        items = super().error_summary()
        return sorted(items, key=lambda item: item[0] == "")
