"""Django forms drawn in the NHS design system.

Every form renders through `templates/components/form.html` and `field.html`: labels, hints,
inline error messages and the error summary follow the NHS design system's markup. Forms mix in
`NHSFormMixin` and call `apply_nhs_classes()` once their fields are final.

The mixin also keeps what a person typed from overwriting a save they never saw (ADR 16): a form
that shows saved values carries a signed copy of them, as they were when the page was opened,
and a save whose page is out of date is refused with what changed. `headway.views.saved` adds a
single-use submission token, so a retried post is not saved twice.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.core import signing, validators
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.forms.widgets import Input
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.text import Truncator

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


# The hidden inputs the mixin adds to a form (not fields, so they never reach cleaned_data).
OPENED_INPUT = "_opened"
SUBMISSION_INPUT = "_submission"
_OPENED_SALT = "headway.forms.opened"

Snapshot = dict[str, str | list[str]]


@dataclass(frozen=True)
class Change:
    """One field someone else saved after this form was opened: its label, and its value then and now."""

    label: str
    was: str
    now: str


def _comparable(field: forms.Field, value: Any) -> str | list[str]:
    """A field's saved value as plain text (a list for a multiple choice), to compare two loads."""
    value = field.prepare_value(value)
    if value is None:
        return ""
    if isinstance(value, list | tuple | set | frozenset):
        return sorted("" if v is None else str(v) for v in value)
    return str(value)


def _flat_choices(choices: Iterable[Any]) -> Iterable[tuple[str, str]]:
    for value, label in choices:
        if isinstance(label, list | tuple):
            yield from _flat_choices(label)
        else:
            yield str(value), str(label)


def _shown(field: forms.Field, value: str | list[str]) -> str:
    """A saved value in words: the label of a choice, a date written out, "Yes" or "No"."""
    values = value if isinstance(value, list) else [value]
    values = [v for v in values if v != ""]
    if not values:
        return "nothing"
    if isinstance(field, forms.BooleanField):
        return "Yes" if values[0] == "True" else "No"
    choices = getattr(field, "choices", None)
    if choices is not None:
        labels = dict(_flat_choices(choices))
        values = [labels.get(v, v) for v in values]
    elif isinstance(field, forms.DateField):
        with contextlib.suppress(ValueError):
            values = [f"{dt.date.fromisoformat(v):%-d %B %Y}" for v in values]
    return ", ".join(values)


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
    """Adds the design system's classes to widgets, holds every field to the shared bounds, lists
    errors for the error summary, and keeps a save from overwriting changes made since the form
    was opened (ADR 16)."""

    fields: dict[str, forms.Field]
    # Whether the form shows saved values that a save overwrites. None means "a model form
    # editing a saved row"; a plain form showing saved values (a checkpoint, a round's capacity,
    # someone's ratings or role) sets it to True.
    shows_saved_values: bool | None = None
    # What someone else saved after this form was opened, when that refused the save.
    changed_since_opened: tuple[Change, ...] = ()
    # The single-use token a post of this form carries (`headway.views.saved` sets it).
    submission_token: str = ""

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

    # Changes since the form was opened -------------------------------------------------------

    def guards_saved_values(self) -> bool:
        if self.shows_saved_values is not None:
            return self.shows_saved_values
        instance = getattr(self, "instance", None)
        return instance is not None and not instance._state.adding

    def saved_values(self) -> Snapshot:
        """The values the form starts from, as saved now: the instance's for a model form, the
        `initial` the view gave for a plain one."""
        form = cast(forms.BaseForm, self)
        return {
            name: _comparable(field, form.get_initial_for_field(field, name)) for name, field in form.fields.items()
        }

    def hidden_state(self) -> SafeString:
        """The hidden inputs: the saved values as this page shows them (signed), and the
        submission token. `components/form.html` renders them; a template that lays out the
        fields itself renders `{{ form.hidden_state }}`."""
        form = cast(forms.BaseForm, self)
        inputs: list[tuple[str, str]] = []
        if self.guards_saved_values():
            opened = signing.dumps(self.saved_values(), salt=_OPENED_SALT, compress=True)
            inputs.append((form.add_prefix(OPENED_INPUT), opened))
        if self.submission_token:
            inputs.append((SUBMISSION_INPUT, self.submission_token))
        return format_html_join("", '<input type="hidden" name="{}" value="{}">', inputs)

    def offer_submission(self, token: str = "") -> None:
        """Give the form a single-use submission token: the one posted, or a new one."""
        self.submission_token = token or secrets.token_urlsafe(18)

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        self._refuse_if_changed_since_opened()

    def _refuse_if_changed_since_opened(self) -> None:
        """Refuse a save that would overwrite what someone saved after this form was opened.

        Only fields saved since then that this post would set to something else count: someone
        who typed the same as the other person loses nothing. A post without the snapshot (a
        script, or a page from before this check) is not checked."""
        form = cast(forms.BaseForm, self)
        if not form.is_bound or not self.guards_saved_values():
            return
        token = form.data.get(form.add_prefix(OPENED_INPUT))
        if not token:
            return
        try:
            opened = signing.loads(token, salt=_OPENED_SALT)
        except signing.BadSignature:
            form.add_error(
                None,
                "We could not check whether this was changed after you opened it, so nothing has been saved. "
                "What you typed is kept below: check it and save again.",
            )
            return
        now = self.saved_values()
        changed = [name for name in form.fields if opened.get(name, now[name]) != now[name]]
        typed = set(form.changed_data)
        if not any(name in typed for name in changed):
            return
        self.changed_since_opened = tuple(
            Change(
                label=str(form.fields[name].label or name.replace("_", " ").capitalize()),
                was=_shown(form.fields[name], opened[name]),
                now=_shown(form.fields[name], now[name]),
            )
            for name in changed
        )
        listed = "; ".join(
            f"{c.label} was “{Truncator(c.was).chars(80)}”, now “{Truncator(c.now).chars(80)}”"
            for c in self.changed_since_opened
        )
        form.add_error(
            None,
            f"This was changed after you opened it (by someone else, or by you in another window), so nothing "
            f"has been saved. {listed}. What you typed is kept below: check it against these changes, then save "
            "again to keep your version.",
        )

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
