"""Metrics: what a trust measures, with its unit, frequency, baseline, target, owner and the
initiatives whose impact it shows. Import these first, then their values (`metrics_observations`).

A row finds its metric by name (unique in the organisation, compared without regard to case), as
the values import does; a name not yet used creates a metric. The name of an existing metric is
not changed by an import, since it is what the row is matched by. Metrics are created and changed
through `metrics.actions.save_metric`, as the metric form saves them, so the same rules hold
(the owner a member, the initiatives this organisation's, the name free).
"""

from __future__ import annotations

from typing import Any, ClassVar

from headway.accounts.models import User
from headway.accounts.roles import Action
from headway.imports import columns as read
from headway.imports.columns import CellError, Column, Lookups, shown
from headway.imports.kinds._shared import initiatives_by_reference
from headway.imports.plan import CHANGE, CREATE, UNCHANGED, Change, Item, Kind, RowProblems, changes
from headway.lib import bounds
from headway.lib.tables import Cell, text_of
from headway.metrics import actions
from headway.metrics.forms import MetricForm
from headway.metrics.imports import number_of
from headway.metrics.models import Beneficiary, Direction, Frequency, Metric
from headway.metrics.models import Kind as MetricKind
from headway.portfolio.models import Initiative

# What the metric form says when one of the fields every metric needs is empty, so an import
# refuses a row in the same words as the page.
NEEDED = {
    "definition": "Say exactly what is counted or measured.",
    "kind": "Choose what kind of measure it is.",
    "beneficiary": "Choose who benefits.",
    "unit": "Enter the unit, for example %, minutes or patients.",
    "improvement_direction": "Choose which way is better.",
    "frequency": "Choose how often it is measured.",
    "data_source": "Say where the numbers come from.",
}

# The metric form's fields, but the name (what a row matches by), the initiatives (a column of
# references of their own) and the chart's settings (kept on the metric page, ADR 33).
FIELDS = tuple(
    name
    for name in MetricForm.Meta.fields
    if name not in ("name", "initiatives", "screen_outliers", "fix_after_n_points")
)

# Read once the metric's unit is known: "72%" is a value only for a metric measured in %.
VALUES = ("baseline_value", "target_value")


def _raw(cell: Cell, lookups: Lookups) -> Cell:
    return cell


def _references(cell: Cell, lookups: Lookups) -> list[str]:
    found = [part.upper() for part in read.several(cell, lookups)]
    for reference in found:
        if len(reference) > 20:
            raise CellError(f"‘{reference}’ is not a reference: a reference has at most 20 characters, like RZZ-012.")
    return found


class Metrics(Kind):
    slug: ClassVar[str] = "metrics"
    title: ClassVar[str] = "Metrics"
    actions: ClassVar[tuple[str, ...]] = (Action.MANAGE_METRICS,)
    matching: ClassVar[str] = (
        "A row matches the metric with the same name, compared without regard to case. A name not yet used "
        "creates a new metric, which then needs every column marked as needed for a new metric. Import "
        "metrics before their values."
    )
    columns: ClassVar[tuple[Column, ...]] = (
        Column(
            "name",
            "The metric’s name, unique in your organisation. A board member should recognise it.",
            "Patients seen within 15 minutes",
            read.text(200),
            True,
        ),
        Column(
            "definition",
            "Exactly what is counted or measured and how. Needed for a new metric.",
            "Share of emergency patients assessed within 15 minutes of arrival",
            read.text(),
        ),
        Column(
            "kind",
            "outcome, adoption, experience, financial or activity (activity is shown as activity, never as "
            "impact). Needed for a new metric.",
            "outcome",
            read.choice(MetricKind.choices),
            choices=tuple(MetricKind.choices),
        ),
        Column(
            "beneficiary",
            "Who benefits: patients, staff or organisation. Needed for a new metric.",
            "patients",
            read.choice(Beneficiary.choices),
            choices=tuple(Beneficiary.choices),
        ),
        Column(
            "unit",
            "The unit, like %, minutes or patients. Needed for a new metric.",
            "%",
            read.text(Metric._meta.get_field("unit").max_length or 50),
        ),
        Column(
            "improvement_direction",
            "Which way is better: increase (higher is better), decrease (lower is better) or neutral. Needed for "
            "a new metric.",
            "increase",
            read.choice(Direction.choices),
            choices=tuple(Direction.choices),
        ),
        Column(
            "frequency",
            "How often it is measured: weekly, monthly or quarterly. Needed for a new metric.",
            "monthly",
            read.choice(Frequency.choices),
            choices=tuple(Frequency.choices),
        ),
        Column("baseline_value", "The level before the change, in the metric’s unit (72 or 72% for %).", "61", _raw),
        Column(
            "baseline_period",
            "The period the baseline describes.",
            "April to September 2025",
            read.text(Metric._meta.get_field("baseline_period").max_length or 100),
        ),
        Column("target_value", "The level aimed for, in the metric’s unit.", "80", _raw),
        Column("target_date", "When the target should be met, 2027-03-31 or 31/03/2027.", "2027-03-31", read.date),
        Column("owner", "The email of the person who answers for the numbers (a member).", "", read.person),
        Column(
            "data_source",
            "Where the numbers come from. Needed for a new metric.",
            "Emergency department system",
            read.text(Metric._meta.get_field("data_source").max_length or bounds.SHORT_TEXT),
        ),
        Column(
            "initiatives",
            "The references of the initiatives whose impact it shows, separated by semicolons. They must exist "
            "already; an empty cell links it to none.",
            "DIG-101",
            _references,
        ),
    )

    def prepare(self, rows: list[dict[str, Any]]) -> None:
        names = {v["name"].strip().lower() for v in rows}
        self.existing = {
            m.name.strip().lower(): m
            for m in Metric.objects.for_organisation(self.organisation)
            .select_related("owner")
            .prefetch_related("initiatives")
            if m.name.strip().lower() in names
        }
        self.initiatives = initiatives_by_reference(
            self.organisation, (r for v in rows for r in v.get("initiatives", []))
        )

    def key(self, values: dict[str, Any]) -> tuple[Any, ...]:
        return (values["name"].strip().lower(),)

    def plan_row(self, row: int, values: dict[str, Any], present: tuple[str, ...]) -> Item:
        metric = self.existing.get(values["name"].strip().lower())
        problems: list[tuple[str | None, str]] = []
        fields: dict[str, Any] = {name: values[name] for name in FIELDS if name in values and name not in VALUES}
        for name, message in NEEDED.items():
            if fields.get(name, None if metric is None else "set") in ("", None):
                problems.append((name, lower(message)))
        unit = fields.get("unit") or (metric.unit if metric else "")
        for name in VALUES:
            if name not in values:
                continue
            if text_of(values[name]) == "":
                fields[name] = None
                continue
            number = number_of(values[name], unit, self.lookups.decimal_comma)
            if isinstance(number, str):
                problems.append((name, number))
            else:
                fields[name] = number
        fields = {n: fields[n] for n in FIELDS if n in fields}  # in the file's order of columns
        chosen: list[Initiative] | None = None
        if "initiatives" in values:
            chosen = []
            for reference in values["initiatives"]:
                initiative = self.initiatives.get(reference)
                if initiative is None:
                    problems.append(
                        (
                            "initiatives",
                            f"there is no initiative with the reference ‘{reference}’ in your organisation.",
                        )
                    )
                elif initiative not in chosen:
                    chosen.append(initiative)
        if problems:
            raise RowProblems(problems)
        if metric is None:
            name = values["name"].strip()
            listed = [Change("name", "", name)]
            listed += [Change(n, "", shown(v)) for n, v in fields.items() if v not in ("", None)]
            if chosen:
                listed.append(Change("initiatives", "", shown([i.reference for i in chosen])))
            return Item(row, name, CREATE, listed, (None, {"name": name, **fields}, chosen or []))
        found = changes({n: getattr(metric, n) for n in fields}, fields, {}, shown)
        changed = {n: v for n, v in fields.items() if any(c.column == n for c in found)}
        current = list(metric.initiatives.all())
        if chosen is not None and {i.pk for i in chosen} != {i.pk for i in current}:
            found.append(
                Change("initiatives", shown([i.reference for i in current]), shown([i.reference for i in chosen]))
            )
        else:
            chosen = None
        payload = (metric, changed, chosen if chosen is not None else current)
        return Item(row, metric.name, CHANGE if found else UNCHANGED, found, payload)

    def write_item(self, item: Item, *, by: User | None, reason: str) -> None:
        metric, fields, initiatives = item.payload
        actions.save_metric(
            organisation=self.organisation, by=by, fields=fields, initiatives=initiatives, metric=metric, reason=reason
        )


def lower(message: str) -> str:
    """The form's sentence, placed after "Row 3, column unit:"."""
    return message[:1].lower() + message[1:]
