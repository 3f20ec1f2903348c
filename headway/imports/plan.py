"""An import from reading to writing: check every row, say what each would do (the preview),
then do all of it or none (ADR 33).

`preview` only reads. `apply` works the plan out again inside one transaction, refuses it if it
differs from the one the person saw (the data changed since, or the file was already imported),
and writes through each kind's actions; a write the actions refuse is reported by row and column
like any other problem, and nothing is kept.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import transaction

from headway import derived
from headway.accounts.models import Organisation, User
from headway.accounts.roles import role_allows
from headway.imports.columns import CellError, Column, Lookups, lower_first
from headway.lib.tables import FileRefused, Layout, RowError, Table, TableRow, read_table

CREATE = "create"
CHANGE = "change"
UNCHANGED = "unchanged"


@dataclass(frozen=True)
class Change:
    column: str
    old: str
    new: str


@dataclass
class Item:
    """What one row of the file would do."""

    row: int
    label: str  # how the person knows the record: "RZZ-012", "RZZ-012, week of 2026-03-02"
    outcome: str  # CREATE, CHANGE or UNCHANGED
    changes: list[Change] = field(default_factory=list)
    payload: Any = None  # what the kind needs to write it


@dataclass
class Plan:
    kind: str
    items: list[Item] = field(default_factory=list)
    problems: list[RowError] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for item in self.items if item.outcome == outcome)

    @property
    def created(self) -> int:
        return self.count(CREATE)

    @property
    def changed(self) -> int:
        return self.count(CHANGE)

    @property
    def unchanged(self) -> int:
        return self.count(UNCHANGED)

    def summary(self) -> str:
        return f"{self.created} created, {self.changed} changed, {self.unchanged} unchanged"

    @property
    def fingerprint(self) -> str:
        """What the preview showed, in a few characters: a confirm whose plan has another
        fingerprint would do something the person did not see."""
        shape = [
            self.kind,
            [(i.row, i.label, i.outcome, [(c.column, c.old, c.new) for c in i.changes]) for i in self.items],
        ]
        return hashlib.sha256(json.dumps(shape, default=str).encode()).hexdigest()[:32]


class ImportRefused(Exception):
    """Nothing was saved; `problems` says why, by row and column where there is one."""

    def __init__(self, problems: Sequence[RowError]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = list(problems)


class StalePreview(Exception):
    """The plan is not the one the person saw."""


class Kind(ABC):
    """One kind of record that can be imported. A subclass names its columns, how a row finds
    the record it describes (by reference), what would change, and which actions write it."""

    # Templates name the kind itself, not an instance of it.
    do_not_call_in_templates: ClassVar[bool] = True
    slug: ClassVar[str]
    title: ClassVar[str]  # "Initiatives"
    #: Each role that holds every one of these may import this kind (`headway.accounts.roles`).
    actions: ClassVar[tuple[str, ...]]
    columns: ClassVar[tuple[Column, ...]]
    #: How a row finds the record it describes, in a sentence for the page and the docs.
    matching: ClassVar[str]
    #: Fields an action may name that are not a column's own, by the column that holds them.
    extra_fields: ClassVar[dict[str, str]] = {}

    def __init__(self, lookups: Lookups) -> None:
        self.lookups = lookups
        self.organisation = lookups.organisation

    @classmethod
    def layout(cls) -> Layout:
        return Layout(
            columns=tuple(c.name for c in cls.columns),
            required=tuple(c.name for c in cls.columns if c.required),
            json=True,
        )

    @classmethod
    def allowed(cls, role: str) -> bool:
        return all(role_allows(role, action) for action in cls.actions)

    def prepare(self, rows: list[dict[str, Any]]) -> None:
        """Load the existing records the rows may refer to, in a few queries for the whole file
        (nothing, for a kind whose rows find their records one by one)."""
        return None

    def key(self, values: dict[str, Any]) -> tuple[Any, ...] | None:
        """What makes a row the same record as another, to refuse a file that gives one twice."""
        return None

    @abstractmethod
    def plan_row(self, row: int, values: dict[str, Any], present: tuple[str, ...]) -> Item:
        """What the row would do; raise RowProblems for what is wrong with it. Every kind says."""

    def write(self, items: list[Item], *, by: User | None, reason: str) -> list[RowError]:
        """Write the items through the apps' actions; the problems the actions found, by row."""
        problems: list[RowError] = []
        for item in items:
            try:
                self.write_item(item, by=by, reason=reason)
            except ValidationError as error:
                problems.extend(self.placed(item.row, error))
        return problems

    def write_item(self, item: Item, *, by: User | None, reason: str) -> None:
        """One item through its app's action. Every kind defines it, but for one that writes all
        its items at once by overriding `write` (the metric values)."""
        raise NotImplementedError(f"{type(self).__name__} writes its items in `write`, not one at a time")

    def placed(self, row: int, error: ValidationError) -> list[RowError]:
        """An action's refusal, placed in the column that holds the field it names."""
        by_field = {c.target: c.name for c in self.columns} | self.extra_fields
        if hasattr(error, "error_dict"):
            return [
                RowError(row, by_field.get(name), lower_first(str(message)))
                for name, messages in error.message_dict.items()
                for message in messages
            ]
        return [RowError(row, None, lower_first(str(message))) for message in error.messages]


class RowProblems(Exception):
    def __init__(self, problems: Iterable[tuple[str | None, str]]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(message for _, message in self.problems))


def changes(before: dict[str, Any], after: dict[str, Any], names: dict[str, str], show: Any) -> list[Change]:
    """The fields whose values differ, as the preview lists them (column, old → new)."""
    return [
        Change(names.get(name, name), show(before.get(name)), show(value))
        for name, value in after.items()
        if _normal(before.get(name)) != _normal(value)
    ]


def _normal(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list | tuple | set | frozenset):
        return frozenset(value)
    return value


def lookups_for(organisation: Organisation, today: dt.date) -> Lookups:
    from headway.accounts.people import members_of

    members = {user.email.lower(): user for user in members_of(organisation)}
    return Lookups(organisation=organisation, today=today, members=members)


def read(data: bytes, *, filename: str, kind: type[Kind]) -> Table:
    return read_table(data, filename=filename, layout=kind.layout())


def preview(*, organisation: Organisation, kind: type[Kind], data: bytes, filename: str, today: dt.date) -> Plan:
    """What importing the file would do, row by row, and every problem found. Only reads."""
    plan = Plan(kind=kind.slug)
    try:
        table = read(data, filename=filename, kind=kind)
    except FileRefused as refused:
        plan.problems = refused.errors
        return plan
    lookups = lookups_for(organisation, today)
    lookups.decimal_comma = table.decimal_comma
    worker = kind(lookups)
    rows = _values(worker, table, plan)
    worker.prepare([values for _, values in rows])
    seen: dict[tuple[Any, ...], int] = {}
    for number, values in rows:
        key = worker.key(values)
        if key is not None and key in seen:
            plan.problems.append(
                RowError(number, None, f"this row describes the same record as row {seen[key]}. Give each once.")
            )
            continue
        if key is not None:
            seen[key] = number
        try:
            plan.items.append(worker.plan_row(number, values, table.columns))
        except RowProblems as problems:
            plan.problems.extend(RowError(number, column, message) for column, message in problems.problems)
    plan.problems.extend(table.problems)
    plan.problems.sort(key=lambda problem: problem.row or 0)
    return plan


def _values(worker: Kind, table: Table, plan: Plan) -> list[tuple[int, dict[str, Any]]]:
    """Each row's cells read by their columns; rows with a problem are left out (and listed)."""
    read_rows: list[tuple[int, dict[str, Any]]] = []
    columns = [c for c in worker.columns if c.name in table.columns]
    for row in table.rows:
        values, problems = _read_row(row, columns, worker.lookups)
        if problems:
            plan.problems.extend(problems)
        else:
            read_rows.append((row.number, values))
    return read_rows


def _read_row(row: TableRow, columns: list[Column], lookups: Lookups) -> tuple[dict[str, Any], list[RowError]]:
    values: dict[str, Any] = {}
    problems: list[RowError] = []
    for column in columns:
        try:
            value = column.read(row.cells.get(column.name), lookups)
        except CellError as error:
            problems.append(RowError(row.number, column.name, str(error)))
            continue
        if column.required and value in (None, "", []):
            problems.append(RowError(row.number, column.name, "every row needs this: it is empty."))
            continue
        values[column.name] = value
    return values, problems


def apply(
    *,
    organisation: Organisation,
    kind: type[Kind],
    data: bytes,
    filename: str,
    today: dt.date,
    by: User | None,
    reason: str,
    fingerprint: str | None = None,
) -> Plan:
    """Import the file, all of it or none. Given the `fingerprint` of the preview the person saw,
    refuse (StalePreview) a plan that has changed since. Raises ImportRefused with every problem."""
    with transaction.atomic():
        # One import into an organisation at a time: a second waits, then finds the first's
        # records and plans against them (its preview then no longer matches and is refused).
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        plan = preview(organisation=organisation, kind=kind, data=data, filename=filename, today=today)
        if plan.problems:
            raise ImportRefused(plan.problems)
        if fingerprint is not None and plan.fingerprint != fingerprint:
            raise StalePreview()
        lookups = lookups_for(organisation, today)
        worker = kind(lookups)
        to_write = [item for item in plan.items if item.outcome != UNCHANGED]
        with derived.batch():
            problems = worker.write(to_write, by=by, reason=reason)
            if problems:
                raise ImportRefused(sorted(problems, key=lambda problem: problem.row or 0))
    return plan
