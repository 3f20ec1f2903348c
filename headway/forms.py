"""Django forms drawn in the NHS design system.

Every form renders through `templates/components/form.html` and `field.html`: labels, hints,
inline error messages and the error summary follow the NHS design system's markup. Forms mix in
`NHSFormMixin` and call `apply_nhs_classes()` once their fields are final.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import TemplatesSetting
from django.forms.widgets import Input

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


class NHSFormMixin:
    """Adds the design system's classes to widgets and lists errors for the error summary."""

    fields: dict[str, forms.Field]

    def apply_nhs_classes(self) -> None:
        for name, field in self.fields.items():
            widget = field.widget
            for widget_type, css in _WIDGET_CLASSES:
                if isinstance(widget, widget_type):
                    existing = widget.attrs.get("class", "")
                    if css not in existing:
                        widget.attrs["class"] = f"{existing} {css}".strip()
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
