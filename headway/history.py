"""One presenter for every history page: simple_history records turned into what changed, by
whom, when and why, in words a board member can read.

An app names its sources (a model and its history records, oldest first) and how to describe
one record ("Checkpoint, week of 3 March 2025"); `history_entries` does the rest, newest first.
Links (many-to-many fields named in `HistoricalRecords(m2m_fields=...)`) are put in sentences:
"Linked to strategic goal 'Shorter waits'", "Unlinked from service 'EPR'" (ADR 22).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Field, ManyToManyField, Model

from headway.accounts.models import User

#: Fields that are bookkeeping, not something a person changed.
SKIP_FIELDS = frozenset({"id", "organisation", "recorded_at", "updated_at", "created_at"})


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: dt.datetime
    who: str
    what: str  # for example "Checkpoint, week of 3 March 2025"
    action: str  # "Created", "Changed" or "Deleted"
    reason: str
    changes: list[Change]
    links: list[str] = field(default_factory=list)  # "Linked to strategic goal 'Shorter waits'"


def display(model: type[Model], name: str, value: Any, people: Mapping[int, str]) -> str:
    """A stored value as a person would say it: choices by their label, people by name."""
    if value is None or value == "":
        return "(empty)"
    model_field = model._meta.get_field(name)
    assert isinstance(model_field, Field)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation:
        if model_field.related_model is User:
            return people.get(value, f"person {value}")
        return str(value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        return f"{value:%d %B %Y %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%d %B %Y}"
    return str(value)


def label(model: type[Model], name: str) -> str:
    """The field's name as the forms show it, with a capital letter."""
    verbose = str(getattr(model._meta.get_field(name), "verbose_name", name))
    return verbose[:1].upper() + verbose[1:]


Describe = Callable[[type[Model], Any], str]
Show = Callable[[type[Model], str, Any], str]


class _Links:
    """The links each history record kept (its many-to-many rows), loaded in one query a field,
    and the names of what they point to, so that a change of links can be said in words."""

    def __init__(self, model: type[Model], records: Sequence[Any]) -> None:
        history_model = model.history.model  # type: ignore[attr-defined]
        self.fields: list[ManyToManyField[Any, Any]] = list(getattr(history_model, "_history_m2m_fields", []))
        self.model = model
        self.kept: dict[str, dict[int, set[int]]] = {}
        self.names: dict[str, dict[int, str]] = {}
        ids = [r.history_id for r in records]
        for m2m in self.fields:
            rows = getattr(history_model, m2m.name).model.objects.filter(history_id__in=ids)
            target = m2m.m2m_reverse_field_name() + "_id"
            kept: dict[int, set[int]] = {}
            for history_id, pk in rows.values_list("history_id", target):
                kept.setdefault(history_id, set()).add(pk)
            self.kept[m2m.name] = kept
            everything = set().union(*kept.values()) if kept else set()
            related = m2m.related_model._default_manager.filter(pk__in=everything)  # type: ignore[union-attr]
            self.names[m2m.name] = {obj.pk: str(obj) for obj in related}

    def sentences(self, record: Any, before: Any | None) -> list[str]:
        """What `record` linked and unlinked compared with `before` (None: what it was created with)."""
        said: list[str] = []
        for m2m in self.fields:
            now = self.kept[m2m.name].get(record.history_id, set())
            then = self.kept[m2m.name].get(before.history_id, set()) if before is not None else set()
            names = self.names[m2m.name]
            if m2m.related_model is self.model:  # a link between two of the same kind of record
                added, removed = f"{label(self.model, m2m.name)}: added", f"{label(self.model, m2m.name)}: removed"
            else:
                noun = str(m2m.related_model._meta.verbose_name)  # type: ignore[union-attr]
                added, removed = f"Linked to {noun}", f"Unlinked from {noun}"
            for verb, pks in ((added, now - then), (removed, then - now)):
                said += sorted(f"{verb} '{names.get(pk, f'number {pk}, since removed')}'" for pk in pks)
        return said


def _named_relations(
    model: type[Model], records: Sequence[Any], kept: set[str], skip: frozenset[str]
) -> dict[str, dict[Any, str]]:
    """What each record's foreign keys (other than to people) point to, by name, loaded in one
    query a field: "Project type: Software", not "Project type: 3"."""
    names: dict[str, dict[Any, str]] = {}
    for f in model._meta.concrete_fields:
        if not f.is_relation or f.related_model is User or f.name in skip or f.name not in kept:
            continue
        ids = {getattr(r, f.attname, None) for r in records} - {None}
        if ids:
            related = f.related_model._default_manager.filter(pk__in=ids)  # type: ignore[union-attr]
            names[f.name] = {obj.pk: str(obj) for obj in related}
    return names


def _entries(
    model: type[Model], records: Iterable[Any], *, describe: Describe, show: Show, skip: frozenset[str]
) -> list[HistoryEntry]:
    kept = {f.name for f in model.history.model._meta.concrete_fields}  # type: ignore[attr-defined]
    records = list(records)
    links = _Links(model, records)
    unlinked = [m2m.name for m2m in links.fields]
    named = _named_relations(model, records, kept, skip)

    def said_as(name: str, value: Any) -> str:
        known = named[name].get(value) if name in named else None
        return known if known is not None else show(model, name, value)

    entries: list[HistoryEntry] = []
    previous: dict[int, Any] = {}
    for record in records:
        before = previous.get(record.id)
        action = {"+": "Created", "-": "Deleted"}.get(record.history_type, "Changed")
        changes: list[Change] = []
        said: list[str] = []
        if before is not None and record.history_type == "~":
            said = links.sentences(record, before)
            for change in record.diff_against(before, excluded_fields=unlinked).changes:
                if change.field not in skip:
                    changes.append(
                        Change(
                            label(model, change.field),
                            said_as(change.field, change.old),
                            said_as(change.field, change.new),
                        )
                    )
        elif record.history_type == "+":
            for f in model._meta.concrete_fields:
                if f.name in skip or f.name not in kept:
                    continue
                value = getattr(record, f.attname, None)
                if value in (None, ""):
                    continue
                changes.append(Change(label(model, f.name), "", said_as(f.name, value)))
            said = links.sentences(record, None)
        previous[record.id] = record
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=(user.full_name or user.email) if user is not None else "system",
                what=describe(model, record),
                action=action,
                reason=record.history_change_reason or "",
                changes=changes,
                links=said,
            )
        )
    return entries


def history_entries(
    sources: Sequence[tuple[type[Model], Any]],
    people: Mapping[int, str],
    *,
    describe: Describe,
    skip: Iterable[str] = (),
    show: Show | None = None,
    keep_unchanged: bool = True,
) -> list[HistoryEntry]:
    """Every change recorded in `sources` (model, history queryset), newest first. With
    `keep_unchanged=False`, saves that changed nothing shown (only derived fields, left out of
    the history) are left out."""
    skipped = SKIP_FIELDS | frozenset(skip)

    def shown(model: type[Model], name: str, value: Any) -> str:
        return display(model, name, value, people)

    entries: list[HistoryEntry] = []
    for model, records in sources:
        ordered = records.select_related("history_user").order_by("history_date", "history_id")
        entries += _entries(model, ordered, describe=describe, show=show or shown, skip=skipped)
    if not keep_unchanged:
        entries = [e for e in entries if e.action != "Changed" or e.changes or e.links]
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries


# Recording ---------------------------------------------------------------------------------------


def stamp(instance: Model, by: User | None, reason: str | None) -> None:
    """Tell django-simple-history who is making this change and why, whatever the path (a form,
    the admin, a command, an import); every action calls it before it saves."""
    if by is not None:
        instance._history_user = by  # type: ignore[attr-defined]
    if reason:
        instance._change_reason = reason  # type: ignore[attr-defined]


@contextmanager
def links_saved_as_one_entry(instance: Model) -> Iterator[None]:
    """Links (many-to-many) changed inside are not recorded one add or removal at a time; the
    instance's next `save()` records them, with its other changes, as one history entry."""
    instance.skip_history_when_saving = True  # type: ignore[attr-defined]
    try:
        yield
    finally:
        del instance.skip_history_when_saving  # type: ignore[attr-defined]


def apply_fields(instance: Model, fields: Mapping[str, Any]) -> None:
    """Set each named field of `instance` to its new value (the caller validates and saves)."""
    for name, value in fields.items():
        setattr(instance, name, value)
