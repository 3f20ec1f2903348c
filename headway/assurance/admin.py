from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from headway.assurance import pitfall_store
from headway.assurance.models import PitfallSettings, Question


@admin.register(PitfallSettings)
class PitfallSettingsAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "overrides"]

    # New thresholds change the findings: they are worked out again in the same transaction (ADR 26).
    def save_model(self, request: HttpRequest, obj: PitfallSettings, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        pitfall_store.refresh(obj.organisation)

    def delete_model(self, request: HttpRequest, obj: PitfallSettings) -> None:
        organisation = obj.organisation
        super().delete_model(request, obj)
        pitfall_store.refresh(organisation)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        organisations = [s.organisation for s in queryset.select_related("organisation")]
        super().delete_queryset(request, queryset)
        for organisation in organisations:
            pitfall_store.refresh(organisation)


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
