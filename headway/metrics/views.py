"""Metrics pages: what each metric measures, its data, and adding data by hand or by upload.

Function views only. Objects are fetched through `metrics.access`, which keeps the organisation
boundary; every write goes through `metrics.actions`, which also refreshes the SPC summary.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from headway import downloads
from headway.accounts.roles import Action
from headway.confirm import Removal, confirm_removal
from headway.history import Describe, HistoryEntry, display, history_entries
from headway.lib.periods import period_label
from headway.metrics import actions, presenters, queries
from headway.metrics import downloads as metric_downloads
from headway.metrics.access import (
    can_add_data,
    can_edit_metric,
    get_annotation,
    get_metric,
    get_observation,
    people_of,
    require_add_data,
    require_edit_metric,
)
from headway.metrics.forms import AnnotationForm, MetricForm, ObservationForm, UploadForm
from headway.metrics.imports import MAX_BYTES, FileRefused, read_observations
from headway.metrics.models import Annotation, Metric, Observation
from headway.views import MemberRequest, attach, member_required, page_of, posted, saved

MAX_LISTED_PROBLEMS = 50


# The list ------------------------------------------------------------------------------------


@member_required(Action.VIEW)
def metric_list(request: MemberRequest) -> HttpResponse:
    organisation = request.organisation
    file = downloads.list_file(
        request,
        organisation=organisation,
        what="metrics",
        sheet="Metrics",
        columns=metric_downloads.metric_columns(request.build_absolute_uri),
        rows=lambda: presenters.list_rows(queries.metrics_for_list(organisation), timezone.localdate()),
    )
    if file is not None:
        return file
    # 50 a page, like the portfolio list: drawing thousands of rows is what costs, not the SQL.
    page = page_of(request, queries.metrics_for_list(organisation))
    rows = presenters.list_rows(page.object_list, timezone.localdate())
    return render(
        request,
        "metrics/list.html",
        {
            "rows": rows,
            "page": page,
            "any_stale": any(row.stale for row in rows),
            "any_provisional": any(row.provisional for row in rows),
            "can_create": can_edit_metric(request),
            "downloads": downloads.links(request.GET),
        },
    )


# One metric ----------------------------------------------------------------------------------


@member_required(Action.VIEW)
def metric_detail(request: MemberRequest, pk: int) -> HttpResponse:
    metric = get_metric(request, pk)
    asked = downloads.asked(request)
    if isinstance(asked, HttpResponse):
        return asked
    observations, annotations, initiatives = queries.detail_data(metric)
    if asked:
        # Newest first, as the page's table of data shows them.
        return downloads.download(
            organisation=request.organisation,
            fmt=asked,
            what=f"metric-{metric.pk}-observations",
            sheet="Observations",
            columns=metric_downloads.observation_columns(metric),
            rows=reversed(observations),
        )
    page = presenters.metric_page(
        metric,
        observations=observations,
        annotations=annotations,
        initiatives=initiatives,
        series=queries.series_or_none(metric, observations, annotations),
        today=timezone.localdate(),
    )
    return render(
        request,
        "metrics/detail.html",
        {
            **page.context(),
            "can_edit": can_edit_metric(request),
            "can_add_data": can_add_data(request, metric),
            "downloads": downloads.links(request.GET),
        },
    )


def _metric_form_page(request: MemberRequest, *, metric: Metric | None, initial: Mapping[str, Any]) -> HttpResponse:
    organisation = request.organisation
    form = MetricForm(posted(request), instance=metric, organisation=organisation, initial=dict(initial))
    done = saved(
        request,
        form,
        lambda: actions.save_metric(
            organisation=organisation,
            by=request.user,
            fields=form.metric_fields(),
            initiatives=form.cleaned_data["initiatives"],
            metric=metric,
        ),
        lambda result: f"‘{result.name}’ has been {'updated' if metric else 'added'}.",
        lambda result: reverse("metrics:detail", args=[result.pk]),
    )
    return done or render(request, "metrics/metric_form.html", {"form": form, "metric": metric})


@member_required(Action.MANAGE_METRICS)
def metric_create(request: MemberRequest) -> HttpResponse:
    initial: dict[str, Any] = {}
    asked = request.GET.get("initiative", "")
    if asked.isdigit():
        initial["initiatives"] = queries.initiative_ids(request.organisation, [int(asked)])
    return _metric_form_page(request, metric=None, initial=initial)


@member_required(Action.VIEW)
def metric_edit(request: MemberRequest, pk: int) -> HttpResponse:
    metric = get_metric(request, pk)
    require_edit_metric(request)
    return _metric_form_page(request, metric=metric, initial={})


# Adding data ---------------------------------------------------------------------------------


@member_required(Action.VIEW)
def observation_add(request: MemberRequest, pk: int) -> HttpResponse:
    metric = get_metric(request, pk)
    require_add_data(request, metric)
    initial: dict[str, Any] = {}
    existing: Observation | None = None
    asked = request.GET.get("period", "")
    if request.method != "POST" and asked:
        try:
            existing = queries.observation_for(metric, dt.date.fromisoformat(asked))
        except ValueError:
            existing = None
        if existing is not None:
            initial = {"period": asked, "value": existing.value, "note": existing.note, "replace": asked}
    form = ObservationForm(posted(request), metric=metric, initial=initial)
    confirm: dict[str, Any] | None = None
    if request.method == "POST" and form.is_valid():
        period: dt.date = form.cleaned_data["period"]
        existing = queries.observation_for(metric, period)
        agreed = form.cleaned_data["replace"] == period.isoformat()
        if existing is not None and not agreed and existing.value != form.cleaned_data["value"]:
            # Say what will be replaced, and ask once more, rather than overwrite without warning.
            data = request.POST.copy()
            data["replace"] = period.isoformat()
            form = ObservationForm(data, metric=metric)
            form.is_valid()
            confirm = {
                "label": period_label(period, metric.frequency),
                "old": presenters.value_text(existing.value, metric.unit),
                "new": presenters.value_text(form.cleaned_data["value"], metric.unit),
            }
        else:
            try:
                _, created = actions.record_observation(
                    metric=metric,
                    by=request.user,
                    period=period,
                    value=form.cleaned_data["value"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                attach(form, error)
            else:
                label = period_label(period, metric.frequency)
                messages.success(
                    request,
                    f"The value for {label} has been {'added' if created else 'saved'}."
                    + ("" if created else " The previous value is kept in the history of changes."),
                )
                return redirect(reverse("metrics:detail", args=[metric.pk]) + "#data")
    return render(
        request,
        "metrics/observation_form.html",
        {"form": form, "metric": metric, "confirm": confirm, "existing": existing},
    )


@member_required(Action.VIEW)
def observation_delete(request: MemberRequest, pk: int) -> HttpResponse:
    """Remove a value recorded by mistake (for the wrong period, say, or the wrong metric). The
    history keeps it, and the metric's summary and its initiatives' verdicts are worked out again
    without it, as for any other change to the data."""
    observation = get_observation(request, pk)  # first, so another organisation's is "not found" by any method
    metric = observation.metric
    require_add_data(request, metric)
    back = reverse("metrics:detail", args=[metric.pk]) + "#data"
    label = period_label(observation.period, metric.frequency)

    def remove() -> HttpResponse:
        actions.delete_observations(observations=[observation], by=request.user)
        messages.success(request, f"The value for {label} has been removed. It stays in the history of changes.")
        return redirect(back)

    return confirm_removal(
        request,
        ask=lambda: Removal(
            question=f"Remove the value for {label}?",
            caption=metric.name,
            back=back,
            details=[("Value", presenters.value_text(observation.value, metric.unit))]
            + ([("Note", observation.note)] if observation.note else []),
            consequences=[
                "The chart, its limits and the verdict of each initiative the metric serves will be worked out "
                "again without it.",
                "If the value was only wrong, change it instead; if it belongs to another period, remove it here "
                "and add it to the right one.",
            ],
        ),
        remove=remove,
    )


@member_required(Action.VIEW)
def upload(request: MemberRequest, pk: int) -> HttpResponse:
    metric = get_metric(request, pk)
    require_add_data(request, metric)
    form = UploadForm(posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        problems: list[str] = []
        if file.size is not None and file.size > MAX_BYTES:
            problems = [f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB."]
        else:
            try:
                rows = read_observations(
                    file.read(),
                    filename=file.name or "",
                    frequency=metric.frequency,
                    unit=metric.unit,
                    today=timezone.localdate(),
                )
                counts = actions.import_observations(
                    metric=metric, by=request.user, rows=rows, reason=f"Uploaded from {file.name}"
                )
            except FileRefused as refused:
                problems = [str(e) for e in refused.errors]
            except ValidationError as error:
                problems = list(error.messages)
            else:
                messages.success(
                    request,
                    f"{file.name} has been uploaded: {counts.added} new value{'s' if counts.added != 1 else ''}, "
                    f"{counts.replaced} replaced and {counts.unchanged} unchanged.",
                )
                return redirect(reverse("metrics:detail", args=[metric.pk]) + "#data")
        shown = problems[:MAX_LISTED_PROBLEMS]
        if len(problems) > MAX_LISTED_PROBLEMS:
            shown.append(f"And {len(problems) - MAX_LISTED_PROBLEMS} more problems.")
        for problem in shown:
            form.add_error(None, problem)
        count = len(problems)
        form.add_error(
            "file",
            "The file has a problem. Nothing has been saved."
            if count == 1
            else f"The file has {count} problems. Nothing has been saved.",
        )
    return render(request, "metrics/upload.html", {"form": form, "metric": metric})


@member_required(Action.VIEW)
def annotation_add(request: MemberRequest, pk: int) -> HttpResponse:
    metric = get_metric(request, pk)
    require_add_data(request, metric)
    form = AnnotationForm(posted(request), metric=metric)
    done = saved(
        request,
        form,
        lambda: actions.add_annotation(
            metric=metric,
            by=request.user,
            period=form.cleaned_data["period"],
            text=form.cleaned_data["text"],
            starts_new_period=form.cleaned_data["starts_new_period"],
        ),
        lambda annotation: f"The annotation for {period_label(annotation.period, metric.frequency)} has been added.",
        reverse("metrics:detail", args=[metric.pk]) + "#annotations",
    )
    if done:
        return done
    return render(request, "metrics/annotation_form.html", {"form": form, "metric": metric})


@member_required(Action.VIEW)
def annotation_delete(request: MemberRequest, pk: int) -> HttpResponse:
    annotation = get_annotation(request, pk)  # first, so another organisation's is "not found" by any method
    metric = annotation.metric
    require_add_data(request, metric)
    back = reverse("metrics:detail", args=[metric.pk]) + "#annotations"

    def remove() -> HttpResponse:
        actions.delete_annotation(annotation=annotation, by=request.user)
        messages.success(request, "The annotation has been removed. It stays in the history of changes.")
        return redirect(back)

    return confirm_removal(
        request,
        ask=lambda: Removal(
            question=f"Remove the annotation from {annotation.period:%-d %B %Y}?",
            caption=metric.name,
            back=back,
            details=[("What changed and why", annotation.text)],
            consequences=[
                "The chart will no longer mark this change or its reason."
                + (" Its limits will no longer start a new period here." if annotation.starts_new_period else "")
            ],
        ),
        remove=remove,
    )


# History -------------------------------------------------------------------------------------


def _describe(metric: Metric) -> Describe:
    def describe(model: type[Model], record: Any) -> str:
        if model is Observation:
            return f"Value for {period_label(record.period, metric.frequency)}"
        if model is Annotation:
            return f"Annotation for {period_label(record.period, metric.frequency)}"
        return "Metric"

    return describe


def _history(metric: Metric) -> list[HistoryEntry]:
    """Every recorded change to the metric, its values and its annotations, newest first."""
    people = people_of(metric.organisation_id)

    def show(model: type[Model], name: str, value: Any) -> str:
        if name == "period" and isinstance(value, dt.date):
            return period_label(value, metric.frequency)
        return display(model, name, value, people)

    sources: list[tuple[type[Model], Any]] = [
        (Metric, Metric.history.filter(id=metric.pk)),  # type: ignore[attr-defined]
        (Observation, Observation.history.filter(metric_id=metric.pk)),  # type: ignore[attr-defined]
        (Annotation, Annotation.history.filter(metric_id=metric.pk)),  # type: ignore[attr-defined]
    ]
    return history_entries(sources, people, describe=_describe(metric), skip={"metric", "created_by"}, show=show)


@member_required(Action.VIEW)
def metric_history(request: MemberRequest, pk: int) -> HttpResponse:
    metric = get_metric(request, pk)
    page = page_of(request, _history(metric), 30)
    return render(request, "metrics/history.html", {"metric": metric, "page": page})
