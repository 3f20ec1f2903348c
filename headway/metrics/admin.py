"""The installation admin for metrics. Saves and deletions here refresh the metric's stored SPC
summary and its initiatives' verdicts, as every other path does (ADR 7); django-simple-history
records who made each change."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from headway.lib.periods import period_start
from headway.metrics.actions import refresh_metric_summary
from headway.metrics.models import Annotation, Metric, Observation


@admin.register(Metric)
class MetricAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organisation", "kind", "frequency", "latest_period", "point_count"]
    list_filter = ["organisation", "kind", "frequency"]
    search_fields = ["name"]
    filter_horizontal = ["initiatives"]
    readonly_fields = ["latest_period", "point_count", "variation_icon", "assurance_icon", "trial_limits"]

    def save_model(self, request: HttpRequest, obj: Metric, form: Any, change: bool) -> None:
        # The initiatives are saved after the metric; remember the old ones for their verdicts.
        obj._initiatives_before = (  # type: ignore[attr-defined]
            list(obj.initiatives.values_list("pk", flat=True)) if obj.pk else []
        )
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        metric = form.instance
        refresh_metric_summary(metric, also=getattr(metric, "_initiatives_before", []))

    def delete_model(self, request: HttpRequest, obj: Metric) -> None:
        from headway.metrics.verdicts import refresh_verdicts

        initiatives = list(obj.initiatives.values_list("pk", flat=True))
        super().delete_model(request, obj)
        refresh_verdicts(initiatives)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Metric]) -> None:
        from headway.metrics.verdicts import refresh_verdicts

        initiatives = list(queryset.values_list("initiatives", flat=True).distinct())
        super().delete_queryset(request, queryset)
        refresh_verdicts([pk for pk in initiatives if pk is not None])


class _PeriodStartForm(forms.ModelForm):
    """Moves the period to the start of the metric's period, as the forms and uploads do, before
    the one-value-per-period check runs."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        metric, period = data.get("metric"), data.get("period")
        if metric is not None and period is not None:
            data["period"] = period_start(period, metric.frequency)
        return data


class _RefreshesMetric(SimpleHistoryAdmin):
    form = _PeriodStartForm
    list_select_related = ["metric"]
    date_hierarchy = "period"

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        refresh_metric_summary(obj.metric)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        metric = obj.metric
        super().delete_model(request, obj)
        refresh_metric_summary(metric)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        metrics = list(Metric.objects.filter(pk__in=queryset.values("metric_id")))
        super().delete_queryset(request, queryset)
        for metric in metrics:
            refresh_metric_summary(metric)


@admin.register(Observation)
class ObservationAdmin(_RefreshesMetric):
    list_display = ["metric", "period", "value", "recorded_by"]
    readonly_fields = ["recorded_by"]

    def save_model(self, request: HttpRequest, obj: Observation, form: Any, change: bool) -> None:
        obj.recorded_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)


@admin.register(Annotation)
class AnnotationAdmin(_RefreshesMetric):
    list_display = ["metric", "period", "text", "starts_new_period"]
    readonly_fields = ["created_by"]

    def save_model(self, request: HttpRequest, obj: Annotation, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)
