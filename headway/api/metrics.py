"""Metrics through the API: definitions, values (observations, sent many at once) and
annotations (ADR 31). Values are checked by the observation form's own fields and saved by the
same action as a metric upload, so a value sent here is held to the same rules as one typed in."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.db.models import QuerySet
from ninja import Query, Router, Schema
from pydantic import Field

from headway.api.auth import ApiRequest, require_write
from headway.api.portfolio import Id
from headway.api.problems import Location, Problem, form_errors
from headway.api.schemas import WRITE_ERRORS, Page, paged, responses
from headway.lib import bounds
from headway.lib.periods import period_label
from headway.metrics import access, actions
from headway.metrics.forms import ObservationForm
from headway.metrics.imports import ObservationRow
from headway.metrics.models import Metric

router = Router(tags=["Metrics"])

Limit = Annotated[int, Query(ge=1, le=bounds.API_PAGE_MAX, description="How many to return (a page).")]
Offset = Annotated[int, Query(ge=0, le=bounds.MAX_WHOLE_NUMBER, description="How many to skip.")]


class MetricOut(Schema):
    id: int
    name: str
    definition: str
    kind: str
    beneficiary: str
    unit: str
    improvement_direction: str
    frequency: str
    baseline_value: float | None
    target_value: float | None
    target_date: dt.date | None
    data_source: str
    owner: str | None
    initiatives: list[str] = Field(description="The references of the initiatives it measures.")
    latest_period: dt.date | None
    point_count: int
    variation: str = Field(description="The SPC variation icon's code ('' before enough data).")
    assurance: str = Field(description="The SPC assurance icon's code ('' without a target).")


def _metric(metric: Metric) -> dict[str, Any]:
    return {
        "id": metric.pk,
        "name": metric.name,
        "definition": metric.definition,
        "kind": metric.kind,
        "beneficiary": metric.beneficiary,
        "unit": metric.unit,
        "improvement_direction": metric.improvement_direction,
        "frequency": metric.frequency,
        "baseline_value": metric.baseline_value,
        "target_value": metric.target_value,
        "target_date": metric.target_date,
        "data_source": metric.data_source,
        "owner": (metric.owner.full_name or metric.owner.email) if metric.owner is not None else None,
        "initiatives": [i.reference for i in metric.initiatives.all()],
        "latest_period": metric.latest_period,
        "point_count": metric.point_count,
        "variation": metric.variation_icon,
        "assurance": metric.assurance_icon,
    }


def _metrics(request: ApiRequest) -> QuerySet[Metric]:
    return Metric.objects.for_organisation(request.organisation).select_related("owner").prefetch_related("initiatives")


@router.get("/metrics", response=responses({200: Page[MetricOut]}), summary="Metrics")
def list_metrics(request: ApiRequest, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    return paged(request, _metrics(request), limit, offset, _metric)


@router.get("/metrics/{metric_id}", response=responses({200: MetricOut}), summary="A metric")
def get_metric(request: ApiRequest, metric_id: Id) -> dict[str, Any]:
    access.get_metric(request, metric_id)  # type: ignore[arg-type]  # another organisation's is 404
    return _metric(_metrics(request).get(pk=metric_id))


class ObservationOut(Schema):
    period: dt.date = Field(description="The first day of the period.")
    label: str = Field(description="The period in words, as on the chart.")
    value: float
    note: str


@router.get(
    "/metrics/{metric_id}/observations",
    response=responses({200: Page[ObservationOut]}),
    summary="A metric's values, oldest first",
)
def list_observations(request: ApiRequest, metric_id: Id, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    metric = access.get_metric(request, metric_id)  # type: ignore[arg-type]
    return paged(
        request,
        metric.observations.order_by("period"),
        limit,
        offset,
        lambda o: {
            "period": o.period,
            "label": period_label(o.period, metric.frequency),
            "value": o.value,
            "note": o.note,
        },
    )


class ObservationIn(Schema):
    period: str = Field(description="A date, month (2026-11) or quarter, as the metric's frequency reads it.")
    value: float = Field(allow_inf_nan=False)
    note: str | None = Field(None, description="Left out: a replaced value keeps its note.")


class ObservationsIn(Schema):
    observations: list[ObservationIn] = Field(min_length=1, max_length=bounds.API_BULK_MAX)
    replace: bool = Field(
        False,
        description="Whether to replace values already recorded for these periods. Without it, a period "
        "whose value differs is refused (409) and nothing is saved.",
    )


class ObservationsSaved(Schema):
    added: int
    replaced: int
    unchanged: int


@router.post(
    "/metrics/{metric_id}/observations",
    response=responses({200: ObservationsSaved}, WRITE_ERRORS),
    summary="Record many values at once",
)
def create_observations(request: ApiRequest, metric_id: Id, payload: ObservationsIn) -> dict[str, int]:
    """Record a metric's values for many periods in one go: all of them or, if any is refused,
    none. Each is checked as the value form checks it."""
    require_write(request)
    metric = access.get_metric(request, metric_id)  # type: ignore[arg-type]
    access.require_add_data(request, metric)
    rows: list[ObservationRow] = []
    errors: list[tuple[Location, str]] = []
    first_row: dict[dt.date, int] = {}
    for index, item in enumerate(payload.observations):
        at: Location = ("body", "observations", index)
        form = ObservationForm({"period": item.period, "value": item.value, "note": item.note or ""}, metric=metric)
        if not form.is_valid():
            errors += form_errors(form, at=at)
            continue
        period: dt.date = form.cleaned_data["period"]
        if period in first_row:
            errors.append(
                (
                    [*at, "period"],
                    f"{period_label(period, metric.frequency)} is already at observations[{first_row[period]}].",
                )
            )
            continue
        first_row[period] = index
        rows.append(ObservationRow(row=index, period=period, value=form.cleaned_data["value"], note=item.note))
    if errors:
        raise Problem(422, "Nothing has been saved: correct the values named in errors.", errors=errors)
    if not payload.replace:
        existing = dict(metric.observations.filter(period__in=list(first_row)).values_list("period", "value"))
        clashes: list[tuple[Location, str]] = [
            (
                ["body", "observations", row.row, "value"],
                f"{period_label(row.period, metric.frequency)} already has "
                f"the value {existing[row.period]:g}. Send replace: true to replace it.",
            )
            for row in rows
            if row.period in existing and existing[row.period] != row.value
        ]
        if clashes:
            raise Problem(409, "Nothing has been saved: some periods already have other values.", errors=clashes)
    counts = actions.import_observations(metric=metric, by=request.user, rows=rows, reason="Sent through the API")
    return {"added": counts.added, "replaced": counts.replaced, "unchanged": counts.unchanged}


class AnnotationOut(Schema):
    id: int
    period: dt.date
    text: str
    starts_new_period: bool
    created_at: dt.datetime


@router.get(
    "/metrics/{metric_id}/annotations", response=responses({200: list[AnnotationOut]}), summary="A metric's annotations"
)
def list_annotations(request: ApiRequest, metric_id: Id) -> list[dict[str, Any]]:
    metric = access.get_metric(request, metric_id)  # type: ignore[arg-type]
    return [
        {
            "id": a.pk,
            "period": a.period,
            "text": a.text,
            "starts_new_period": a.starts_new_period,
            "created_at": a.created_at,
        }
        for a in metric.annotations.order_by("period", "pk")
    ]
