"""Django forms drawn in the NHS design system.

Every form renders through `templates/components/form.html` and `field.html`: labels, hints,
inline error messages and the error summary follow the NHS design system's markup. Forms mix in
`NHSFormMixin` and call `apply_nhs_classes()` once their fields are final.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.forms.widgets import Input

from headway.lib import bounds

_WIDGET_CLASSES: list[tuple[type[forms.Widget], str]] = [
    (forms.CheckboxSelectMultiple, "nhsuk-checkboxes__input"),
    (forms.RadioSelect, "nhsuk-radios__input"),
    (forms.CheckboxInput, "nhsuk-checkboxes__input"),
    (forms.Textarea, "nhsuk-textarea"),
    (forms.Select, "nhsuk-select"),
    (Input, "nhsuk-input"),
]


class NHSFormRenderer(TemplatesSetting):
    form_template_name = "components/form.html"
    field_template_name = "components/field.html"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _date_in_window(value: dt.date) -> None:
    try:
        bounds.check_date(value)
    except bounds.BoundsError as error:
        raise ValidationError(str(error), code="date_window") from None


class _TextWithin:
    """A length limit refused in `bounds.check_text`'s words."""

    def __init__(self, limit: int) -> None:
        self.limit = limit

    def __call__(self, value: str) -> None:
        try:
            bounds.check_text(value, limit=self.limit)
        except bounds.BoundsError as error:
            raise ValidationError(str(error), code="max_length") from None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _TextWithin) and other.limit == self.limit

    def __hash__(self) -> int:
        return hash(self.limit)


def apply_bounds(field: forms.Field) -> None:
    """Hold a field to the limits in `headway.lib.bounds` where it states none of its own: text
    to `SHORT_TEXT` (a line) or `LONG_TEXT` (a box), whole numbers to what the database holds,
    other numbers to `MAX_MEASURE` either way and dates to the window. Fields that read their
    own kind of value (money, periods, metric values) check it through the same module."""
    if isinstance(field, forms.CharField) and type(field).to_python is forms.CharField.to_python:
        if field.max_length is None:
            field.max_length = bounds.LONG_TEXT if isinstance(field.widget, forms.Textarea) else bounds.SHORT_TEXT
        # One message for every length limit, the field's own or the shared one.
        field.validators = [v for v in field.validators if not isinstance(v, validators.MaxLengthValidator)]
        if _TextWithin(field.max_length) not in field.validators:
            field.validators.append(_TextWithin(field.max_length))
    elif isinstance(field, forms.IntegerField) and not isinstance(field, forms.FloatField | forms.DecimalField):
        if field.max_value is None:
            field.max_value = bounds.MAX_WHOLE_NUMBER
            field.validators.append(validators.MaxValueValidator(field.max_value))
        if field.min_value is None:
            field.min_value = -bounds.MAX_WHOLE_NUMBER
            field.validators.append(validators.MinValueValidator(field.min_value))
        field.error_messages.setdefault("max_value", f"Give a whole number no larger than {field.max_value:,}.")
        field.error_messages.setdefault("min_value", f"Give a whole number no smaller than {field.min_value:,}.")
    elif isinstance(field, forms.FloatField) and not isinstance(field, forms.DecimalField):
        if field.max_value is None:
            field.max_value = bounds.MAX_MEASURE
            field.validators.append(validators.MaxValueValidator(field.max_value))
        if field.min_value is None:
            field.min_value = -bounds.MAX_MEASURE
            field.validators.append(validators.MinValueValidator(field.min_value))
        field.error_messages.setdefault("max_value", f"Give a number no larger than {field.max_value:,}.")
        field.error_messages.setdefault("min_value", f"Give a number no smaller than {field.min_value:,}.")
    elif isinstance(field, forms.DateField) and _date_in_window not in field.validators:
        field.validators.append(_date_in_window)


def hold_to(field: forms.Field, *, minimum: int, maximum: int) -> None:
    """A whole-number field with a tighter range than the database's (for example weeks, from
    which dates are worked out). Call before `apply_nhs_classes`."""
    assert isinstance(field, forms.IntegerField)
    field.min_value, field.max_value = minimum, maximum
    field.validators += [validators.MinValueValidator(minimum), validators.MaxValueValidator(maximum)]
    message = f"Give a whole number from {minimum:,} to {maximum:,}."
    field.error_messages.update({"min_value": message, "max_value": message})


def _has_class(widget: forms.Widget, css: str) -> bool:
    return css in str(widget.attrs.get("class", "")).split()


class NHSFormMixin:
    """Adds the design system's classes to widgets, holds every field to the shared bounds and
    lists errors for the error summary."""

    fields: dict[str, forms.Field]

    def apply_nhs_classes(self) -> None:
        for name, field in self.fields.items():
            apply_bounds(field)
            widget = field.widget
            for widget_type, css in _WIDGET_CLASSES:
                if isinstance(widget, widget_type):
                    # Compare whole class names: "nhsuk-input--width-10" is a modifier, not the base class.
                    if not _has_class(widget, css):
                        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
                    break
            if isinstance(widget, Input) and not isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("spellcheck", "false" if "email" in name else "true")

    def error_summary(self) -> list[tuple[str, str]]:
        """(anchor id, message) for each error, in field order, for the NHS error summary."""
        form: forms.BaseForm = self  # type: ignore[assignment]
        items: list[tuple[str, str]] = []
        for error in form.non_field_errors():
            items.append(("", str(error)))
        for name, field in form.fields.items():
            if name in form.errors:
                bound = form[name]
                anchor = bound.id_for_label or bound.auto_id
                if isinstance(field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                    anchor = f"{bound.auto_id}_0"
                for error in form.errors[name]:
                    items.append((anchor, f"{field.label or name.replace('_', ' ').capitalize()}: {error}"))
        return items


class HintedRadioSelect(forms.RadioSelect):
    """Radios with a hint under each option (the template reads `choice.data.hint`)."""

    def __init__(self, *args: Any, hints: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.hints = hints or {}

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        hint = self.hints.get(str(option["value"]))
        option["hint"] = hint
        if hint and option["attrs"].get("id"):
            option["attrs"]["aria-describedby"] = f"{option['attrs']['id']}-item-hint"
        return option


class PersonChoiceField(forms.ModelChoiceField):
    """A choice of person, shown by name (or email where no name was given)."""

    def label_from_instance(self, obj: Any) -> str:
        return obj.full_name or obj.email
