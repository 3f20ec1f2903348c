"""Writes to metrics, their observations and annotations: each is atomic, keyword-only, takes
the acting person as `by`, and leaves a history record saying who made the change.

Every path that changes a metric's data — the web forms, the upload, the `import_observations`
command and the admin — comes through here, because each change must also refresh the stored SPC
summary of the metric and the "is it working?" verdicts of the initiatives it serves (ADR 7).
That refresh writes derived data with `update()`, so it leaves no history of its own.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from headway import derived
from headway.accounts.models import Organisation, User
from headway.concurrency import lock_for_create
from headway.history import stamp
from headway.lib import bounds
from headway.lib.periods import period_label, period_start
from headway.metrics import spc
from headway.metrics.imports import ObservationRow
from headway.metrics.models import Annotation, Metric, Observation
from headway.metrics.series import Series, build_series
from headway.portfolio.models import Initiative


def _finite(value: float, field: str = "value") -> float:
    """A value within `headway.lib.bounds`, whatever path it came by (form, upload, command)."""
    if value is None or isinstance(value, bool) or not math.isfinite(value):
        raise ValidationError({field: "Enter a number."})
    try:
        return bounds.check_measure(float(value))
    except bounds.BoundsError as error:
        raise ValidationError({field: str(error)}) from None


# The metric ----------------------------------------------------------------------------------


@transaction.atomic
def save_metric(
    *,
    organisation: Organisation,
    by: User | None,
    fields: Mapping[str, Any],
    initiatives: Iterable[Initiative],
    metric: Metric | None = None,
    reason: str | None = None,
) -> Metric:
    """Create or change a metric and the initiatives it serves, then refresh its summary and
    the verdicts of every initiative it served before or serves now."""
    chosen = list(initiatives)
    # Two metrics given the same name at once: the second waits, then is told the name is taken.
    lock_for_create(Organisation.objects.filter(pk=organisation.pk))
    check_metric(organisation=organisation, fields=fields, initiatives=chosen, metric=metric)
    creating = metric is None or metric.pk is None
    if metric is None:
        metric = Metric(organisation=organisation)
    name = str(fields.get("name", metric.name)).strip()
    for field_name, value in fields.items():
        setattr(metric, field_name, value)
    metric.name = name
    metric.full_clean()

    before = {} if creating else {i.pk: i for i in metric.initiatives.all()}
    after = {i.pk: i for i in chosen}
    stamp(metric, by, reason or ("Created" if creating else _links_reason(before, after) or "Edited"))
    metric.save()
    metric.initiatives.set(chosen)
    refresh_metric_summary(metric, also=before.keys())
    return metric


def check_metric(
    *,
    organisation: Organisation,
    fields: Mapping[str, Any],
    initiatives: Iterable[Initiative],
    metric: Metric | None = None,
) -> None:
    """The rules `save_metric` keeps beyond the model's own, raised as a ValidationError by field,
    so that a form that does not come through the pages (the admin's) can show them before saving."""
    if any(i.organisation_id != organisation.pk for i in initiatives):
        raise ValidationError({"initiatives": "Choose only this organisation's initiatives."})
    owner = fields.get("owner")
    if owner is not None and not owner.memberships.filter(organisation=organisation).exists():
        raise ValidationError({"owner": "The owner must be someone in this organisation."})
    name = str(fields.get("name", metric.name if metric else "")).strip()
    clash = Metric.objects.for_organisation(organisation).filter(name__iexact=name)
    if metric is not None and metric.pk is not None:
        clash = clash.exclude(pk=metric.pk)
    if clash.exists():
        raise ValidationError({"name": "There is already a metric with this name."})


@transaction.atomic
def delete_metrics(*, metrics: Sequence[Metric], by: User | None, reason: str | None = None) -> None:
    """Remove metrics with their data, then refresh the verdicts of the initiatives they served."""
    from headway.metrics.verdicts import refresh_verdicts

    served: set[int] = set()
    organisations: set[int] = set()
    for metric in metrics:
        served.update(metric.initiatives.values_list("pk", flat=True))
        organisations.add(metric.organisation_id)
        stamp(metric, by, reason or "Removed")
        metric.delete()
    refresh_verdicts(sorted(served))
    for organisation_id in sorted(organisations):
        derived.organisation_changed(organisation_id)


def _links_reason(before: Mapping[int, Initiative], after: Mapping[int, Initiative]) -> str:
    """History does not record the initiatives a metric serves, so the change reason says it."""
    added = sorted(i.reference for pk, i in after.items() if pk not in before)
    removed = sorted(i.reference for pk, i in before.items() if pk not in after)
    parts = []
    if added:
        parts.append("now serves " + ", ".join(added))
    if removed:
        parts.append("no longer serves " + ", ".join(removed))
    return ("Edited: " + "; ".join(parts)) if parts else ""


# Observations --------------------------------------------------------------------------------


@transaction.atomic
def record_observation(
    *,
    metric: Metric,
    by: User | None,
    period: dt.date,
    value: float,
    note: str = "",
    reason: str | None = None,
) -> tuple[Observation, bool]:
    """Record one period's value. Sending a period again replaces its value; the history keeps
    the old one. Returns the observation and whether it was new."""
    try:
        start = period_start(bounds.check_date(period), metric.frequency)
    except bounds.BoundsError as error:
        raise ValidationError({"period": str(error)}) from None
    value = _finite(value)
    note = (note or "").strip()
    # Two values for one period at once: the second waits for the first, then replaces it (the
    # history keeps both), instead of failing on the one-per-period rule (ADR 17).
    lock_for_create(Metric.objects.filter(pk=metric.pk))
    observation = Observation.objects.select_for_update().filter(metric=metric, period=start).first()
    created = observation is None
    if observation is None:
        observation = Observation(metric=metric, period=start)
    elif observation.value == value and observation.note == note:
        return observation, False  # nothing new: no history entry, no refresh
    observation.value = value
    observation.note = note
    observation.recorded_by = by
    observation.full_clean(exclude=["metric", "recorded_by"])
    stamp(observation, by, reason or ("Recorded" if created else "Replaced"))
    observation.save()
    refresh_metric_summary(metric)
    return observation, created


@transaction.atomic
def save_observation(*, observation: Observation, by: User | None, reason: str | None = None) -> Observation:
    """Save an observation someone changed field by field (the admin): its period moves to the
    start of the metric's period, and the summaries of its metric (and of the metric it belonged to
    until now, if it moved) are refreshed."""
    moved_from = None
    if observation.pk is not None:
        moved_from = Observation.objects.filter(pk=observation.pk).values_list("metric_id", flat=True).first()
    observation.period = period_start(observation.period, observation.metric.frequency)
    observation.value = _finite(observation.value)
    observation.recorded_by = by
    observation.full_clean(exclude=["recorded_by"])
    stamp(observation, by, reason or ("Replaced" if moved_from is not None else "Recorded"))
    observation.save()
    refresh_metric_summary(observation.metric)
    if moved_from is not None and moved_from != observation.metric_id:
        refresh_metric_summary(Metric.objects.get(pk=moved_from))
    return observation


@transaction.atomic
def delete_observations(*, observations: Sequence[Observation], by: User | None, reason: str | None = None) -> None:
    """Remove values; the history keeps them. Each metric's summary is refreshed once."""
    _remove_and_refresh(observations, by=by, reason=reason)


@dataclass(frozen=True)
class ImportCounts:
    added: int
    replaced: int
    unchanged: int

    def __str__(self) -> str:
        return f"{self.added} added, {self.replaced} replaced, {self.unchanged} unchanged"


@transaction.atomic
def import_observations(
    *,
    metric: Metric,
    by: User | None,
    rows: Sequence[ObservationRow],
    reason: str | None = None,
) -> ImportCounts:
    """Save every row or none: any problem raises ValidationError and the transaction is rolled
    back. Rows come checked from `metrics.imports`; they are checked again here because this is
    the last word on what is stored. A row without a note (None) keeps the note already there."""
    problems: list[str] = []
    seen: dict[dt.date, int] = {}
    for row in rows:
        start = period_start(row.period, metric.frequency)
        if isinstance(row.value, bool) or not math.isfinite(row.value):
            problems.append(f"Row {row.row}, column value: {row.value!r} is not a number.")
        if start in seen:
            problems.append(
                f"Row {row.row}, column period: {period_label(start, metric.frequency)} is already on row "
                f"{seen[start]}."
            )
        seen[start] = row.row
    if problems:
        raise ValidationError(problems)

    # Lock the metric so two uploads to it (or an upload and a typed value) cannot interleave.
    lock_for_create(Metric.objects.filter(pk=metric.pk))
    existing = {o.period: o for o in Observation.objects.filter(metric=metric)}
    new: list[Observation] = []
    changed: list[Observation] = []
    unchanged = 0
    for row in rows:
        start = period_start(row.period, metric.frequency)
        note = row.note.strip() if row.note is not None else None
        observation = existing.get(start)
        if observation is None:
            new.append(
                Observation(metric=metric, period=start, value=float(row.value), note=note or "", recorded_by=by)
            )
            continue
        if observation.value == row.value and (note is None or observation.note == note):
            unchanged += 1
            continue
        observation.value = float(row.value)
        if note is not None:
            observation.note = note
        observation.recorded_by = by
        changed.append(observation)
    for observation in [*new, *changed]:
        observation.full_clean(exclude=["metric", "recorded_by"], validate_unique=False)
    if new:
        bulk_create_with_history(
            new, Observation, batch_size=500, default_user=by, default_change_reason=reason or "Imported"
        )
    if changed:
        bulk_update_with_history(
            changed,
            Observation,
            ["value", "note", "recorded_by"],
            batch_size=500,
            default_user=by,
            default_change_reason=reason or "Replaced by an import",
        )
    if new or changed:
        refresh_metric_summary(metric)
    return ImportCounts(added=len(new), replaced=len(changed), unchanged=unchanged)


# Annotations ---------------------------------------------------------------------------------


@transaction.atomic
def add_annotation(
    *,
    metric: Metric,
    by: User | None,
    period: dt.date,
    text: str,
    starts_new_period: bool = False,
    reason: str | None = None,
) -> Annotation:
    if not (text or "").strip():
        raise ValidationError({"text": "Say what changed and why."})
    annotation = Annotation(
        metric=metric,
        period=period_start(period, metric.frequency),
        text=text.strip(),
        starts_new_period=starts_new_period,
        created_by=by,
    )
    annotation.full_clean(exclude=["metric", "created_by"])
    stamp(annotation, by, reason or "Added")
    annotation.save()
    refresh_metric_summary(metric)
    return annotation


@transaction.atomic
def delete_annotation(*, annotation: Annotation, by: User | None, reason: str | None = None) -> None:
    metric = annotation.metric
    stamp(annotation, by, reason or "Removed")
    annotation.delete()
    refresh_metric_summary(metric)


@transaction.atomic
def save_annotation(*, annotation: Annotation, by: User | None, reason: str | None = None) -> Annotation:
    """Save an annotation someone changed field by field (the admin), as `add_annotation` would,
    and refresh its metric's summary (and the one it belonged to until now, if it moved)."""
    moved_from = None
    if annotation.pk is not None:
        moved_from = Annotation.objects.filter(pk=annotation.pk).values_list("metric_id", flat=True).first()
    if not (annotation.text or "").strip():
        raise ValidationError({"text": "Say what changed and why."})
    annotation.text = annotation.text.strip()
    annotation.period = period_start(annotation.period, annotation.metric.frequency)
    if annotation.pk is None:
        annotation.created_by = by
    annotation.full_clean(exclude=["created_by"])
    stamp(annotation, by, reason or ("Edited" if moved_from is not None else "Added"))
    annotation.save()
    refresh_metric_summary(annotation.metric)
    if moved_from is not None and moved_from != annotation.metric_id:
        refresh_metric_summary(Metric.objects.get(pk=moved_from))
    return annotation


@transaction.atomic
def delete_annotations(*, annotations: Sequence[Annotation], by: User | None, reason: str | None = None) -> None:
    """Remove annotations; the history keeps them. Each metric's summary is refreshed once."""
    _remove_and_refresh(annotations, by=by, reason=reason)


def _remove_and_refresh(
    rows: Sequence[Observation] | Sequence[Annotation], *, by: User | None, reason: str | None
) -> None:
    metrics: dict[int, Metric] = {}
    for row in rows:
        metrics[row.metric_id] = row.metric
        stamp(row, by, reason or "Removed")
        row.delete()
    with derived.batch():  # the pitfall findings once, not once per metric
        for metric in metrics.values():
            refresh_metric_summary(metric)


# The derived summary (ADR 7) -----------------------------------------------------------------


def refresh_metric_summary(metric: Metric, *, also: Iterable[int] = ()) -> Series | None:
    """Recompute the metric's SPC summary from its data and store it, then refresh the verdicts
    of the initiatives it serves (and of `also`: initiatives it served until just now).

    Returns the series, or None when the SPC engine refuses the data (the summary is then
    cleared rather than left describing data that has changed)."""
    from headway.metrics.verdicts import refresh_verdicts

    metric.refresh_from_db()
    try:
        series: Series | None = build_series(metric)
    except spc.SPCInputError:
        series = None
    if series is not None and series.periods:
        summary: dict[str, Any] = {
            "latest_period": series.periods[-1],
            "point_count": series.points,
            "variation_icon": series.result.variation_icon or "",
            "assurance_icon": series.result.assurance_icon or "",
            "trial_limits": series.result.trial_limits,
        }
    else:
        latest = metric.observations.order_by("-period").values_list("period", flat=True).first()
        summary = {
            "latest_period": latest,
            "point_count": metric.observations.count(),
            "variation_icon": "",
            "assurance_icon": "",
            "trial_limits": True,
        }
    Metric.objects.filter(pk=metric.pk).update(**summary)
    for name, value in summary.items():
        setattr(metric, name, value)
    initiative_ids = set(metric.initiatives.values_list("pk", flat=True)) | set(also)
    refresh_verdicts(sorted(initiative_ids))
    # The verdicts feed the pitfall findings, stored per organisation (ADR 26).
    derived.organisation_changed(metric.organisation_id)
    return series
