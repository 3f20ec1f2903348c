from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from headway.assurance.models import PitfallSettings, Question


@admin.register(PitfallSettings)
class PitfallSettingsAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "overrides"]


@admin.register(Question)
class QuestionAdmin(SimpleHistoryAdmin):
    """The board's questions (ADR 27): reworded here, with history. The key names the rule in
    `assurance.ratings` that answers the question, so it is fixed once the question exists."""

    list_display = ["wording", "key", "version", "active", "order"]
    list_filter = ["active"]

    def get_readonly_fields(self, request: HttpRequest, obj: Question | None = None) -> list[str]:
        return ["key", "version"] if obj is not None else ["version"]

    def save_model(self, request: HttpRequest, obj: Question, form: Any, change: bool) -> None:
        # A new wording is a new version of the question, so a board pack can say which it answered.
        if change and "wording" in form.changed_data:
            obj.version += 1
        super().save_model(request, obj, form, change)
