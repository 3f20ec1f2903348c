"""The installation admin for prioritisation: for support staff, read-mostly. Results are never
changed, so they are shown read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from headway.prioritisation.models import Candidate, Criterion, Result, Round, RoundChange


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["label", "organisation", "key", "weight", "higher_is_better", "order"]
    list_filter = ["organisation"]


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "held_on", "method", "status", "scenario_of"]
    list_filter = ["organisation", "status"]
    raw_id_fields = ["previous", "scenario_of", "current_result", "created_by"]


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ["initiative", "round", "must_do"]
    raw_id_fields = ["round", "initiative"]


@admin.register(RoundChange)
class RoundChangeAdmin(admin.ModelAdmin):
    list_display = ["initiative", "round", "change", "from_rank", "to_rank"]
    raw_id_fields = ["round", "initiative", "decision"]


@admin.register(Result)
class ResultAdmin(admin.ModelAdmin):
    list_display = ["pk", "round", "created_at", "method", "status", "objective", "gap"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
