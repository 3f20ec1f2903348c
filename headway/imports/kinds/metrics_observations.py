"""A metric's observations: one value a period. A row finds its metric by name (unique in the
organisation, compared without regard to case) and its observation by period. The values are
saved through `metrics.actions.import_observations`, one call per metric, which writes them in
bulk with their history and works the metric's chart out again once."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any, ClassVar

from django.core.exceptions import ValidationError

from headway.accounts.models import User
from headway.accounts.roles import Action
from headway.imports import columns as read
from headway.imports.columns import Column, Lookups, shown
from headway.imports.kinds._shared import reference
from headway.imports.plan import CHANGE, CREATE, UNCHANGED, Change, Item, Kind, RowProblems
from headway.lib.bounds import BoundsError, check_period
from headway.lib.periods import period_label
from headway.lib.tables import Cell, RowError
from headway.metrics import actions
from headway.metrics.imports import MAX_NOTE, ObservationRow, lower_first, number_of, period_of
from headway.metrics.models import Metric, Observation


def _raw(cell: Cell, lookups: Lookups) -> Cell:
    """Periods and values are read once the metric is known (its frequency and unit)."""
    return cell


class MetricObservations(Kind):
    slug: ClassVar[str] = "metrics_observations"
    title: ClassVar[str] = "Metric values"
    actions: ClassVar[tuple[str, ...]] = (Action.MANAGE_METRICS,)
    matching: ClassVar[str] = (
        "A row matches the value of the named metric for the same period (any date in it). The metric must "
        "exist already: add it on the metric pages, or import it first as a metric."
    )
    columns: ClassVar[tuple[Column, ...]] = (
        Column(
            "metric", "The metric’s name, as Headway shows it.", "Patients seen within 15 minutes", read.text(200), True
        ),
        Column(
            "initiative",
            "If given, the reference of an initiative the metric serves (a check that the right metric is named).",
            "",
            reference,
        ),
        Column(
            "period",
            "The period: a month (2026-03), a quarter (2026-Q1) or any date in it, as the metric is measured.",
            "2026-03",
            _raw,
            True,
        ),
        Column("value", "The value measured. For a metric in %, 72 or 72%.", "72", _raw, True),
        Column("note", "A note about this value.", "", read.text(MAX_NOTE)),
    )

    def prepare(self, rows: list[dict[str, Any]]) -> None:
        names = {v["metric"].strip().lower() for v in rows}
        self.metrics = {
            m.name.strip().lower(): m
            for m in Metric.objects.for_organisation(self.organisation).prefetch_related("initiatives")
            if m.name.strip().lower() in names
        }
        self.existing: dict[tuple[int, dt.date], Observation] = {
            (o.metric_id, o.period): o
            for o in Observation.objects.filter(metric__in=list(self.metrics.values())).only(
                "metric_id", "period", "value", "note"
            )
        }
        self.serves = {m.pk: {i.reference.upper() for i in m.initiatives.all()} for m in self.metrics.values()}

    def plan_row(self, row: int, values: dict[str, Any], present: tuple[str, ...]) -> Item:
        metric = self.metrics.get(values["metric"].strip().lower())
        if metric is None:
            raise RowProblems([("metric", f"there is no metric called ‘{values['metric']}’ in your organisation.")])
        problems: list[tuple[str | None, str]] = []
        if values.get("initiative") and values["initiative"] not in self.serves[metric.pk]:
            problems.append(("initiative", f"‘{metric.name}’ does not serve the initiative {values['initiative']}."))
        period = period_of(values["period"], metric.frequency)
        if isinstance(period, str):
            problems.append(("period", period))
        else:
            try:
                check_period(period, today=self.lookups.today)
            except BoundsError as error:
                problems.append(("period", lower_first(str(error))))
        value = number_of(values["value"], metric.unit, self.lookups.decimal_comma)
        if isinstance(value, str):
            problems.append(("value", value))
        if problems or not isinstance(period, dt.date) or not isinstance(value, float):
            raise RowProblems(problems)
        if (metric.pk, period) in self.seen:
            raise RowProblems(
                [
                    (
                        "period",
                        f"{metric.name} for {period_label(period, metric.frequency)} is already on row "
                        f"{self.seen[(metric.pk, period)]}. Give each period once.",
                    )
                ]
            )
        self.seen[(metric.pk, period)] = row
        note = values.get("note")
        label = f"{metric.name}, {period_label(period, metric.frequency)}"
        payload = (metric, ObservationRow(row=row, period=period, value=value, note=note))
        existing = self.existing.get((metric.pk, period))
        if existing is None:
            listed = [Change("value", "", shown(value))] + ([Change("note", "", note)] if note else [])
            return Item(row, label, CREATE, listed, payload)
        found = []
        if existing.value != value:
            found.append(Change("value", shown(existing.value), shown(value)))
        if note is not None and existing.note != note:
            found.append(Change("note", shown(existing.note), shown(note)))
        return Item(row, label, CHANGE if found else UNCHANGED, found, payload)

    def __init__(self, lookups: Lookups) -> None:
        super().__init__(lookups)
        self.seen: dict[tuple[int, dt.date], int] = {}

    def write(self, items: list[Item], *, by: User | None, reason: str) -> list[RowError]:
        by_metric: dict[int, list[ObservationRow]] = defaultdict(list)
        metrics: dict[int, Metric] = {}
        for item in items:
            metric, observation = item.payload
            metrics[metric.pk] = metric
            by_metric[metric.pk].append(observation)
        problems: list[RowError] = []
        for pk, rows in by_metric.items():
            try:
                actions.import_observations(metric=metrics[pk], by=by, rows=rows, reason=reason)
            except ValidationError as error:  # placed on the metric's first row; then all is undone
                problems.extend(RowError(rows[0].row, None, str(message)) for message in error.messages)
        return problems
