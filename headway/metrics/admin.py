"""The installation admin for metrics. Saves and deletions here go through `metrics.actions`, as
every other path does, so the metric's stored SPC summary and its initiatives' verdicts stay true
(ADR 7) and the history records who made each change and that it was made in the admin."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from headway.lib.periods import period_start
from headway.metrics import actions
from headway.metrics.models import Annotation, Metric, Observation

CHANGED = "Changed in the admin"
REMOVED = "Removed in the admin"


class _MetricForm(forms.ModelForm):
    """Shows the rules `actions.save_metric` keeps (owner and initiatives from the metric's
    organisation, one name per organisation) on the form, before anything is saved."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        organisation = data.get("organisation")
        if organisation is not None:
            fields = {name: value for name, value in data.items() if name != "initiatives"}
            try:
                actions.check_metric(
                    organisation=organisation,
                    fields=fields,
                    initiatives=data.get("initiatives") or [],
                    metric=self.instance,
                )
            except ValidationError as error:
                self.add_error(None, error)
        return data


@admin.register(Metric)
class MetricAdmin(SimpleHistoryAdmin):
    form = _MetricForm
    list_display = ["name", "organisation", "kind", "frequency", "latest_period", "point_count"]
    list_filter = ["organisation", "kind", "frequency"]
    search_fields = ["name"]
    filter_horizontal = ["initiatives"]
    readonly_fields = ["latest_period", "point_count", "variation_icon", "assurance_icon", "trial_limits"]

    def save_model(self, request: HttpRequest, obj: Metric, form: Any, change: bool) -> None:
        # The metric and the initiatives it serves are saved together, by the action, in save_related.
        pass

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        data = form.cleaned_data
        fields = {name: value for name, value in data.items() if name not in ("initiatives", "organisation")}
        actions.save_metric(
            organisation=data["organisation"],
            by=request.user,  # type: ignore[arg-type]
            fields={"organisation": data["organisation"], **fields},
            initiatives=data["initiatives"],
            metric=form.instance,
            # The action's own reason, which names the initiatives it now serves or no longer serves.
            reason=None if change else "Added in the admin",
        )
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request: HttpRequest, obj: Metric) -> None:
        actions.delete_metrics(metrics=[obj], by=request.user, reason=REMOVED)  # type: ignore[arg-type]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Metric]) -> None:
        actions.delete_metrics(metrics=list(queryset), by=request.user, reason=REMOVED)  # type: ignore[arg-type]


class _PeriodStartForm(forms.ModelForm):
    """Moves the period to the start of the metric's period, as the forms and uploads do, before
    the one-value-per-period check runs."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        metric, period = data.get("metric"), data.get("period")
        if metric is not None and period is not None:
            data["period"] = period_start(period, metric.frequency)
        return data


@admin.register(Observation)
class ObservationAdmin(SimpleHistoryAdmin):
    form = _PeriodStartForm
    list_select_related = ["metric"]
    date_hierarchy = "period"
    list_display = ["metric", "period", "value", "recorded_by"]
    readonly_fields = ["recorded_by"]

    def save_model(self, request: HttpRequest, obj: Observation, form: Any, change: bool) -> None:
        reason = CHANGED if change else "Added in the admin"
        actions.save_observation(observation=obj, by=request.user, reason=reason)  # type: ignore[arg-type]

    def delete_model(self, request: HttpRequest, obj: Observation) -> None:
        actions.delete_observations(observations=[obj], by=request.user, reason=REMOVED)  # type: ignore[arg-type]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Observation]) -> None:
        observations = list(queryset.select_related("metric"))
        actions.delete_observations(observations=observations, by=request.user, reason=REMOVED)  # type: ignore[arg-type]


@admin.register(Annotation)
class AnnotationAdmin(SimpleHistoryAdmin):
    form = _PeriodStartForm
    list_select_related = ["metric"]
    date_hierarchy = "period"
    list_display = ["metric", "period", "text", "starts_new_period"]
    readonly_fields = ["created_by"]

    def save_model(self, request: HttpRequest, obj: Annotation, form: Any, change: bool) -> None:
        reason = CHANGED if change else "Added in the admin"
        actions.save_annotation(annotation=obj, by=request.user, reason=reason)  # type: ignore[arg-type]

    def delete_model(self, request: HttpRequest, obj: Annotation) -> None:
        actions.delete_annotations(annotations=[obj], by=request.user, reason=REMOVED)  # type: ignore[arg-type]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Annotation]) -> None:
        annotations = list(queryset.select_related("metric"))
        actions.delete_annotations(annotations=annotations, by=request.user, reason=REMOVED)  # type: ignore[arg-type]
