"""Writing an organisation's export: one JSON document, streamed section by section so a trust
with years of checkpoints never sits in memory at once, and written the same way every time
(keys sorted, rows in the order they were created) so two exports can be compared line by line.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TextIO

from django.db import connection, transaction
from django.db.models import Field, ForeignKey, ManyToManyField, Model
from django.utils import timezone

from headway.accounts.models import Organisation, User
from headway.transfer.sections import BY_LABEL, FORMAT, REFERENCE_KEYS, SECTIONS, VERSION, Section

CHUNK = 5_000
NUMBER = "number"  # the field holding a row's number in a section without a natural key


def label(model: type[Model]) -> str:
    return model._meta.label


def carried_fields(section: Section) -> list[Field[Any, Any]]:
    """The model's own columns the export writes: all but the id, the organisation and the derived."""
    found: list[Field[Any, Any]] = []
    for model_field in section.model._meta.concrete_fields:
        if model_field.primary_key or model_field.name in section.derived:
            continue
        if isinstance(model_field, ForeignKey) and model_field.related_model is Organisation:
            continue
        found.append(model_field)
    return found


def many_fields(section: Section) -> list[ManyToManyField[Any, Any]]:
    return [f for f in section.model._meta.local_many_to_many if isinstance(f, ManyToManyField)]


def plain(value: Any) -> Any:
    """A column's value as JSON: dates and times in ISO 8601, decimals as text."""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


@dataclass
class Keys:
    """Database id → the key the document uses, for every section linked to and for people."""

    people: dict[int, str] = field(default_factory=dict)
    sections: dict[str, dict[int, Any]] = field(default_factory=dict)
    reference: dict[str, dict[int, Any]] = field(default_factory=dict)


def _rows(section: Section, organisation: Organisation) -> Any:
    return section.model._base_manager.filter(**{section.scope: organisation}).order_by("pk")


def _linked_sections() -> set[str]:
    linked: set[str] = set()
    for section in SECTIONS:
        for model_field in carried_fields(section):
            if isinstance(model_field, ForeignKey) and label(model_field.related_model) in BY_LABEL:
                linked.add(BY_LABEL[label(model_field.related_model)].name)
        for many in many_fields(section):
            linked.add(BY_LABEL[label(many.related_model)].name)
    linked.add("candidates")  # the results name their candidates by initiative reference
    return linked


def collect_keys(organisation: Organisation) -> Keys:
    keys = Keys()
    linked = _linked_sections()
    for section in SECTIONS:
        if section.name not in linked:
            continue
        ids = _rows(section, organisation)
        if section.key:
            keys.sections[section.name] = dict(ids.values_list("pk", section.key))
        else:
            keys.sections[section.name] = {pk: n for n, pk in enumerate(ids.values_list("pk", flat=True), start=1)}
    user_ids: set[int] = set()
    for section in SECTIONS:
        for model_field in carried_fields(section):
            if isinstance(model_field, ForeignKey) and model_field.related_model is User:
                values = _rows(section, organisation).exclude(**{model_field.attname: None})
                user_ids.update(values.order_by().values_list(model_field.attname, flat=True).distinct())
    keys.people = dict(User.objects.filter(pk__in=user_ids).values_list("pk", "email"))
    for reference_label, parts in REFERENCE_KEYS.items():
        model = _model(reference_label)
        keys.reference[reference_label] = {
            row[0]: (row[1] if len(parts) == 1 else list(row[1:]))
            for row in model._base_manager.values_list("pk", *parts)
        }
    return keys


def _model(name: str) -> type[Model]:
    from django.apps import apps

    return apps.get_model(name)


def _result_json(name: str, value: Any, candidates: dict[int, str], keys: Keys) -> Any:
    """A result's stored JSON with candidates named by their initiative's reference and scorers by
    email, instead of database ids (the result itself is never changed, ADR 8)."""

    def cand(pk: Any) -> Any:
        return candidates.get(int(pk), pk)

    if name in {"explanations", "robustness", "costs"}:
        return {cand(k): v for k, v in value.items()}
    if name in {"selected", "greedy_selected"}:
        return [cand(pk) for pk in value]
    if name == "inputs":
        return {cand(k): {keys.people.get(int(s), s): v for s, v in by.items()} for k, by in value.items()}
    if name == "scores":
        initiatives = {pk: ref for pk, ref in keys.sections["initiatives"].items()}
        return {
            cand(k): {**row, "initiative": initiatives.get(row.get("initiative"), row.get("initiative"))}
            for k, row in value.items()
        }
    return value


RESULT_ID_FIELDS = {"explanations", "robustness", "costs", "selected", "greedy_selected", "inputs", "scores"}


def section_rows(section: Section, organisation: Organisation, keys: Keys) -> Iterator[dict[str, Any]]:
    fields = carried_fields(section)
    manies = many_fields(section)
    links: dict[int, dict[str, list[Any]]] = {}
    for many in manies:
        through: Any = many.remote_field.through
        source = many.m2m_field_name()
        target = many.m2m_reverse_field_name()
        target_keys = keys.sections[BY_LABEL[label(many.related_model)].name]
        pairs = through.objects.filter(**{f"{source}__{section.scope}": organisation})
        for source_id, target_id in pairs.values_list(f"{source}_id", f"{target}_id"):
            links.setdefault(source_id, {}).setdefault(many.name, []).append(target_keys[target_id])
    candidates: dict[Any, dict[int, str]] = {}  # round's key → candidate id → initiative reference
    if section.name == "results":
        rows = _rows(BY_LABEL["prioritisation.Candidate"], organisation)
        rounds = keys.sections["rounds"]
        for pk, round_id, reference in rows.values_list("pk", "round_id", "initiative__reference"):
            candidates.setdefault(rounds[round_id], {})[pk] = reference
    names = ["pk", *(f.attname for f in fields)]
    for n, values in enumerate(_rows(section, organisation).values_list(*names).iterator(chunk_size=CHUNK), start=1):
        pk = values[0]
        row: dict[str, Any] = {} if section.key else {NUMBER: n}
        for model_field, value in zip(fields, values[1:], strict=True):
            row[model_field.name] = _value(section, model_field, value, keys, row, candidates)
        for many in manies:
            row[many.name] = sorted(links.get(pk, {}).get(many.name, []))
        yield row


def _value(
    section: Section, model_field: Field[Any, Any], value: Any, keys: Keys, row: dict[str, Any], candidates: Any
) -> Any:
    if value is None:
        return None
    if isinstance(model_field, ForeignKey):
        target = label(model_field.related_model)
        if model_field.related_model is User:
            return keys.people[value]
        if target in BY_LABEL:
            return keys.sections[BY_LABEL[target].name][value]
        return keys.reference[target][value]
    if section.name == "results" and model_field.name in RESULT_ID_FIELDS:
        return _result_json(model_field.name, value, candidates.get(row["round"], {}), keys)
    return plain(value)


def organisation_settings(organisation: Organisation) -> dict[str, Any]:
    settings: dict[str, Any] = {}
    for model_field in Organisation._meta.concrete_fields:
        if model_field.primary_key or model_field.name in {"name", "ods_code"}:
            continue
        if model_field.name == "integrated_care_system":
            system = organisation.integrated_care_system
            settings["integrated_care_system"] = system and {"code": system.code, "name": system.name}
            continue
        settings[model_field.name] = plain(getattr(organisation, model_field.attname))
    return settings


@dataclass
class ExportSummary:
    rows: dict[str, int]
    people: int


def export_chunks(
    organisation: Organisation, *, now: dt.datetime | None = None, summary: ExportSummary | None = None
) -> Iterator[str]:
    """The organisation's export as pieces of text, in order: the header, then people, then each
    section with one row to a line. `summary`, if given, is filled in as the rows go by."""
    keys = collect_keys(organisation)
    exported_at = (now or timezone.now()).astimezone(dt.UTC).isoformat(timespec="seconds")
    yield "{\n"
    yield f'"exported_at": {dumps(exported_at)},\n'
    yield f'"format": {dumps(FORMAT)},\n'
    yield f'"organisation": {dumps(organisation_settings(organisation))},\n'
    people = User.objects.filter(pk__in=keys.people).order_by("email")
    yield '"people": ['
    person_fields = ("email", "full_name", "first_name", "last_name", "job_title")
    for n, values in enumerate(people.values_list(*person_fields)):
        yield ("," if n else "") + "\n" + dumps(dict(zip(person_fields, values, strict=True)))
    yield "\n],\n"
    yield '"sections": {'
    for s, section in enumerate(SECTIONS):
        yield ("," if s else "") + f"\n{dumps(section.name)}: ["
        count = 0
        for row in section_rows(section, organisation, keys):
            yield ("," if count else "") + "\n" + dumps(row)
            count += 1
        if summary is not None:
            summary.rows[section.name] = count
        yield "\n]"
    yield "\n},\n"
    source = {"name": organisation.name, "ods_code": organisation.ods_code}
    yield f'"source": {dumps(source)},\n'
    yield f'"version": {VERSION}\n'
    yield "}\n"
    if summary is not None:
        summary.people = len(keys.people)


@contextmanager
def one_moment() -> Iterator[None]:
    """Read everything as it stood at one moment, however long the export takes: a transaction
    that only reads, which on PostgreSQL sees one snapshot (REPEATABLE READ; the default, READ
    COMMITTED, would let a change made meanwhile show in the later sections only) and on SQLite
    holds its snapshot from the first read."""
    outermost = not connection.in_atomic_block  # inside another transaction, it sees what that one sees
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def write_export(organisation: Organisation, out: TextIO | Any, *, now: dt.datetime | None = None) -> ExportSummary:
    """Write the organisation's export to `out`, as it stood at one moment."""
    summary = ExportSummary(rows={}, people=0)
    with one_moment():
        for chunk in export_chunks(organisation, now=now, summary=summary):
            out.write(chunk)
    return summary


def streamed_export(organisation: Organisation, *, block: int = 256 * 1024) -> Iterator[bytes]:
    """The export as UTF-8 blocks of about `block` bytes, for a download that never holds the
    whole document in memory; read at one moment, like `write_export`."""
    with one_moment():
        pending: list[str] = []
        size = 0
        for chunk in export_chunks(organisation):
            pending.append(chunk)
            size += len(chunk)
            if size >= block:
                yield "".join(pending).encode("utf-8")
                pending, size = [], 0
        if pending:
            yield "".join(pending).encode("utf-8")
