from __future__ import annotations

from typing import Any

from django import forms

from headway.forms import HintedRadioSelect, NHSFormMixin
from headway.imports.plan import Kind
from headway.lib.tables import MAX_BYTES, MAX_ROWS


class UploadForm(NHSFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label="What does the file hold?",
        error_messages={"required": "Choose what the file holds.", "invalid_choice": "Choose what the file holds."},
    )
    file = forms.FileField(
        label="CSV, Excel or JSON file",
        help_text=f"Up to {MAX_BYTES // (1024 * 1024)} MB and {MAX_ROWS:,} rows. Nothing is saved until you have "
        "seen what it would change.",
        error_messages={"required": "Choose a file to upload.", "empty": "The file is empty."},
    )

    def __init__(self, *args: Any, kinds: list[type[Kind]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["kind"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(kind.slug, kind.title) for kind in kinds]
        field.widget = HintedRadioSelect(hints={kind.slug: kind.matching for kind in kinds})
        field.widget.choices = field.choices
        self.fields["file"].widget.attrs.update({"accept": ".csv,.xlsx,.json,text/csv,application/json"})
        self.apply_nhs_classes()

    def error_summary(self) -> list[tuple[str, str]]:
        # The fields' own messages (linked) first, then each problem found in the file.
        items = super().error_summary()
        return sorted(items, key=lambda item: item[0] == "")


class ConfirmForm(NHSFormMixin, forms.Form):
    """Confirms the preview the person saw: its fingerprint, so a changed plan is refused."""

    seen = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.apply_nhs_classes()
