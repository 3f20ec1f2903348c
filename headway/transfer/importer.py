"""Reading an organisation's export into a new, empty organisation (ADR 35).

The document is checked whole before anything is written: its format and version, the shape of
each section, every value against the field it fills and the bounds of `headway/lib/bounds.py`,
and every link against the keys the document holds. Each problem is reported with its place in
the document (`sections.checkpoints[12].confidence`), never as a traceback. Then everything is
written in one transaction, in bulk, with one history entry per record saying where it came
from; the derived data is worked out again as the actions would (ADR 6, 7, 14, 26).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import (
    BooleanField,
    DateField,
    DateTimeField,
    DecimalField,
    Field,
    FloatField,
    ForeignKey,
    IntegerField,
    JSONField,
    Model,
    PositiveBigIntegerField,
    PositiveIntegerField,
    PositiveSmallIntegerField,
    TextField,
)

from headway import derived
from headway.accounts.models import IntegratedCareSystem, Organisation, User, normalise_email
from headway.lib import bounds
from headway.lib.errors import InputError
from headway.transfer.export import NUMBER, RESULT_ID_FIELDS, carried_fields, label, many_fields
from headway.transfer.sections import BY_LABEL, BY_NAME, FORMAT, REFERENCE_KEYS, SECTIONS, VERSION, Section

MAX_PROBLEMS = 50
BATCH = 2_000
PERSON_FIELDS = ("email", "full_name", "first_name", "last_name", "job_title")


class ImportRefused(Exception):
    """The document cannot be imported; `problems` says each thing wrong and where."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class _Problems:
    def __init__(self) -> None:
        self.found: list[str] = []
        self.more = 0

    def add(self, path: str, message: str) -> None:
        if len(self.found) < MAX_PROBLEMS:
            self.found.append(f"{path}: {message}")
        else:
            self.more += 1

    def raise_any(self) -> None:
        if self.found:
            extra = [f"… and {self.more:,} more problems."] if self.more else []
            raise ImportRefused(self.found + extra)


def read_document(stream: BinaryIO) -> dict[str, Any]:
    """The file as JSON, or refused saying where it stops being JSON."""
    try:
        document = json.load(stream)
    except UnicodeDecodeError:
        raise ImportRefused(["The file is not text in UTF-8: is it an organisation export?"]) from None
    except json.JSONDecodeError as error:
        raise ImportRefused(
            [f"The file is not JSON: {error.msg} at line {error.lineno}, column {error.colno}."]
        ) from None
    if not isinstance(document, dict):
        raise ImportRefused(["$: an organisation export is a JSON object, with format, version and sections."])
    return document


# Checking -------------------------------------------------------------------------------------


@dataclass
class Checked:
    """The document, checked: the values as Python, links still as the document's keys."""

    source: dict[str, str]
    exported_at: dt.datetime
    settings: dict[str, Any]
    people: list[dict[str, str]]
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    keys: dict[str, list[Any]] = field(default_factory=dict)
    reference: dict[str, dict[Any, int]] = field(default_factory=dict)


def _reference_ids() -> dict[str, dict[Any, int]]:
    from django.apps import apps

    found: dict[str, dict[Any, int]] = {}
    for reference_label, parts in REFERENCE_KEYS.items():
        rows = apps.get_model(reference_label).objects.values_list("pk", *parts)
        found[reference_label] = {(row[1] if len(parts) == 1 else tuple(row[1:])): row[0] for row in rows}
    return found


def _json_type_ok(model_field: Field[Any, Any], value: Any) -> bool:
    if isinstance(model_field, JSONField):
        return True
    if isinstance(model_field, BooleanField):
        return isinstance(value, bool)
    if isinstance(model_field, IntegerField):
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(model_field, FloatField):
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, str)


def _bounded(model_field: Field[Any, Any], value: Any) -> Any:
    """The bounds a person typing this value would be held to (ADR 18)."""
    if isinstance(model_field, TextField):
        return bounds.check_text(value)
    if isinstance(model_field, DateTimeField):
        return value
    if isinstance(model_field, DateField):
        return bounds.check_date(value)
    if isinstance(model_field, FloatField):
        return bounds.check_measure(value)
    if isinstance(model_field, PositiveBigIntegerField):
        return bounds.check_pounds(value)
    if isinstance(model_field, PositiveIntegerField | PositiveSmallIntegerField):
        return bounds.check_whole_number(value)
    if isinstance(model_field, IntegerField):
        return bounds.check_whole_number(value, minimum=-bounds.MAX_WHOLE_NUMBER)
    return value


def _plain_value(model_field: Field[Any, Any], value: Any) -> Any:
    """The value as Python, or InputError/ValidationError saying why not."""
    if not _json_type_ok(model_field, value):
        kind = type(value).__name__ if value is not None else "null"
        raise InputError(f"expected {_expected(model_field)}, found {kind}")
    python = model_field.to_python(value)
    if isinstance(model_field, DateTimeField) and isinstance(python, dt.datetime) and python.tzinfo is None:
        raise InputError("a time must say its offset from UTC, such as +00:00")
    blank = python in model_field.empty_values and model_field.blank
    if model_field.choices and not blank and python not in {choice for choice, _ in model_field.flatchoices}:
        allowed = ", ".join(str(choice) for choice, _ in model_field.flatchoices)
        raise InputError(f"{python!r} is not one of: {allowed}")
    model_field.run_validators(python)
    return _bounded(model_field, python)


def _expected(model_field: Field[Any, Any]) -> str:
    if isinstance(model_field, BooleanField):
        return "true or false"
    if isinstance(model_field, IntegerField):
        return "a whole number"
    if isinstance(model_field, FloatField):
        return "a number"
    if isinstance(model_field, DateTimeField):
        return "a date and time written YYYY-MM-DDTHH:MM:SS+00:00"
    if isinstance(model_field, DateField):
        return "a date written YYYY-MM-DD"
    if isinstance(model_field, DecimalField):
        return "a decimal number written as text"
    return "text"


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(str(m) for m in error.messages)
    return str(error)


def check_document(document: dict[str, Any]) -> Checked:
    """Every problem in the document, each with its place, or the document ready to write."""
    problems = _Problems()
    if document.get("format") != FORMAT:
        raise ImportRefused([f"$.format: this is not an organisation export (expected {FORMAT!r})."])
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ImportRefused(["$.version: expected a whole number, the version of the format."])
    if version > VERSION:
        raise ImportRefused(
            [f"$.version: the file is version {version}, written by a newer Headway; this one reads version {VERSION}."]
        )
    source = document.get("source")
    if not (isinstance(source, dict) and all(isinstance(source.get(k), str) for k in ("name", "ods_code"))):
        problems.add("$.source", "expected the source organisation's name and ods_code as text")
        source = {"name": "", "ods_code": ""}
    exported_at = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    try:
        exported_at = dt.datetime.fromisoformat(str(document.get("exported_at")))
        if exported_at.tzinfo is None:
            raise ValueError
    except ValueError:
        problems.add("$.exported_at", "expected the date and time of the export, with its offset from UTC")
    settings = _check_settings(document.get("organisation"), problems)
    people = _check_people(document.get("people"), problems)
    sections = document.get("sections")
    if not isinstance(sections, dict):
        problems.add("$.sections", "expected an object with a list of rows for each section")
        problems.raise_any()
        return Checked(source, exported_at, settings, people)
    for name in sorted(set(sections) - set(BY_NAME)):
        problems.add(f"$.sections.{name}", "is not a section this Headway knows")
    checked = Checked(
        source={"name": source["name"], "ods_code": source["ods_code"]},
        exported_at=exported_at,
        settings=settings,
        people=people,
        reference=_reference_ids(),
    )
    emails = {person["email"] for person in people}
    for section in SECTIONS:
        rows = sections.setdefault(section.name, [])  # a section an older file lacks is empty
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            problems.add(f"$.sections.{section.name}", "expected a list of objects, one for each row")
            sections[section.name] = []
    for section in SECTIONS:
        checked.keys[section.name] = _keys(section, sections[section.name], problems)
    key_sets = {name: set(keys) for name, keys in checked.keys.items()}
    for section in SECTIONS:
        checked.rows[section.name] = [
            _check_row(section, row, f"$.sections.{section.name}[{i}]", emails, key_sets, checked.reference, problems)
            for i, row in enumerate(sections[section.name])
        ]
    _check_results(checked, emails, problems)
    problems.raise_any()
    return checked


def _is_key(value: Any) -> bool:
    """Whether a value can be a row's key: text or a whole number."""
    return isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))


def _check_results(checked: Checked, emails: set[str], problems: _Problems) -> None:
    """A result's JSON names candidates by initiative reference and scorers by email: each must
    be a candidate of the result's round, and a person in the file."""
    candidates: dict[Any, set[Any]] = {}
    for row in checked.rows["candidates"]:
        candidates.setdefault(row.get("round"), set()).add(row.get("initiative"))
    for i, row in enumerate(checked.rows["results"]):
        path = f"$.sections.results[{i}]"
        known = candidates.get(row.get("round"), set())
        for name in sorted(RESULT_ID_FIELDS):
            value: Any = row.get(name)
            if value is None:
                continue
            where = f"{path}.{name}"
            if name in {"selected", "greedy_selected"}:
                if not isinstance(value, list):
                    problems.add(where, "expected a list of initiative references")
                    continue
                named = value
            elif not isinstance(value, dict) or (
                name in {"inputs", "scores"} and not all(isinstance(v, dict) for v in value.values())
            ):
                problems.add(where, "expected an object keyed by initiative reference")
                continue
            else:
                named = list(value)
            for reference in named:
                if not _is_key(reference) or reference not in known:
                    problems.add(where, f"names {reference!r}, which is not a candidate in the result's round")
            if name == "inputs":
                for reference, by in value.items():
                    for email in by:
                        if email not in emails:
                            problems.add(f"{where}.{reference}", f"names {email!r}, who is not in the people section")
            if name == "scores":
                for reference, score in value.items():
                    if score.get("initiative") not in checked.keys["initiatives"]:
                        problems.add(f"{where}.{reference}.initiative", "is not an initiative in the file")


def _check_settings(settings: Any, problems: _Problems) -> dict[str, Any]:
    if not isinstance(settings, dict):
        problems.add("$.organisation", "expected the organisation's settings as an object")
        return {}
    out: dict[str, Any] = {}
    for model_field in Organisation._meta.concrete_fields:
        name = model_field.name
        if model_field.primary_key or name in {"name", "ods_code"} or name not in settings:
            continue
        value = settings[name]
        if name == "integrated_care_system":
            if value is not None and not (
                isinstance(value, dict) and isinstance(value.get("code"), str) and isinstance(value.get("name"), str)
            ):
                problems.add("$.organisation.integrated_care_system", "expected null, or its code and name as text")
                continue
            out[name] = value
            continue
        try:
            out[name] = _plain_value(model_field, value)
        except (InputError, ValidationError) as error:
            problems.add(f"$.organisation.{name}", _message(error))
    for name in sorted(set(settings) - {f.name for f in Organisation._meta.concrete_fields}):
        problems.add(f"$.organisation.{name}", "is not a setting this Headway knows")
    return out


def _check_people(people: Any, problems: _Problems) -> list[dict[str, str]]:
    if not isinstance(people, list):
        problems.add("$.people", "expected a list of people, each with an email address")
        return []
    out: list[dict[str, str]] = []
    seen: set[str] = set()
    limits = {
        name: getattr(User._meta.get_field(name), "max_length", None) or bounds.SHORT_TEXT for name in PERSON_FIELDS
    }
    for i, person in enumerate(people):
        path = f"$.people[{i}]"
        if not isinstance(person, dict):
            problems.add(path, "expected an object with the person's email and name")
            continue
        row: dict[str, str] = {}
        for name in PERSON_FIELDS:
            value = person.get(name, "")
            if not isinstance(value, str) or len(value) > limits[name]:
                problems.add(f"{path}.{name}", f"expected text of up to {limits[name]} characters")
            else:
                row[name] = value
        for name in sorted(set(person) - set(PERSON_FIELDS)):
            problems.add(f"{path}.{name}", "is not something this Headway keeps about a person")
        email = normalise_email(row.get("email", ""))
        try:
            validate_email(email)
        except ValidationError:
            problems.add(f"{path}.email", f"{email!r} is not an email address")
            continue
        if email in seen:
            problems.add(f"{path}.email", f"{email} appears twice")
        seen.add(email)
        out.append({**row, "email": email})
    return out


def _keys(section: Section, rows: list[dict[str, Any]], problems: _Problems) -> list[Any]:
    """The key of each row, in order: its natural key, or its number in the section."""
    name = section.key or NUMBER
    keys: list[Any] = []
    seen: set[Any] = set()
    for i, row in enumerate(rows):
        key = row.get(name)
        path = f"$.sections.{section.name}[{i}].{name}"
        if section.key is None and (not isinstance(key, int) or isinstance(key, bool)):
            problems.add(path, "expected the row's number, a whole number")
        elif section.key is not None and not isinstance(key, str):
            problems.add(path, "expected text, the key other rows link to")
        elif key in seen:
            problems.add(path, f"{key!r} appears twice in the section")
        seen.add(key)
        keys.append(key)
    return keys


def _link_section(model_field: Field[Any, Any]) -> str | None:
    target = label(model_field.related_model)  # type: ignore[arg-type]
    return BY_LABEL[target].name if target in BY_LABEL else None


def _check_row(
    section: Section,
    row: dict[str, Any],
    path: str,
    emails: set[str],
    key_sets: dict[str, set[Any]],
    reference: dict[str, dict[Any, int]],
    problems: _Problems,
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    fields = carried_fields(section)
    manies = many_fields(section)
    known = {f.name for f in fields} | {m.name for m in manies} | ({NUMBER} if section.key is None else set())
    for name in sorted(set(row) - known):
        problems.add(f"{path}.{name}", f"is not a field of {section.name}")
    for model_field in fields:
        name = model_field.name
        where = f"{path}.{name}"
        if name not in row:
            auto = getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False)
            if not (model_field.has_default() or model_field.null or auto):
                problems.add(where, "is missing")
            continue
        value = row[name]
        if value is None:
            if not model_field.null:
                problems.add(where, "must be given")
            out[name] = None
            continue
        if isinstance(model_field, ForeignKey):
            out[name] = _check_link(model_field, value, where, emails, key_sets, reference, problems)
            continue
        if section.name == "results" and name in RESULT_ID_FIELDS:
            out[name] = value  # translated when the round's candidates exist
            continue
        try:
            out[name] = _plain_value(model_field, value)
        except (InputError, ValidationError) as error:
            problems.add(where, _message(error))
    if section.name == "board_packs" and out.get("content") is not None and out.get("content_hash"):
        from headway.assurance.packs import content_hash

        if content_hash(out["content"]) != out["content_hash"]:
            problems.add(f"{path}.content", "does not match its SHA-256 hash: the frozen pack has been changed")
    for many in manies:
        value = row.get(many.name, [])
        target = _link_section(many)
        if not isinstance(value, list) or target is None:
            problems.add(f"{path}.{many.name}", "expected a list of keys")
            continue
        for j, key in enumerate(value):
            if not _is_key(key) or key not in key_sets[target]:
                problems.add(f"{path}.{many.name}[{j}]", f"links to {key!r}, which is not in the {target} section")
        out[many.name] = value
    if NUMBER in row:
        out[NUMBER] = row[NUMBER]
    return out


def _check_link(
    model_field: Field[Any, Any],
    value: Any,
    where: str,
    emails: set[str],
    key_sets: dict[str, set[Any]],
    reference: dict[str, dict[Any, int]],
    problems: _Problems,
) -> Any:
    target = label(model_field.related_model)  # type: ignore[arg-type]
    if model_field.related_model is User:
        email = normalise_email(value) if isinstance(value, str) else value
        if not isinstance(email, str) or email not in emails:
            problems.add(where, f"links to {value!r}, who is not in the people section")
        return email
    section_name = _link_section(model_field)
    if section_name is not None:
        if not _is_key(value) or value not in key_sets[section_name]:
            problems.add(where, f"links to {value!r}, which is not in the {section_name} section")
        return value
    key = tuple(value) if isinstance(value, list) and all(isinstance(v, str) for v in value) else value
    if not (_is_key(key) or isinstance(key, tuple)) or key not in reference.get(target, {}):
        problems.add(where, f"links to {value!r}, which this Headway's reference data ({target}) does not have")
    return key


# Writing --------------------------------------------------------------------------------------


@dataclass
class ImportSummary:
    organisation: Organisation
    rows: dict[str, int]
    people_created: list[str]
    people_found: int


def _has_history(model: type[Model]) -> bool:
    return hasattr(model._meta, "simple_history_manager_attribute")


@contextmanager
def _stored_times_kept() -> Iterator[None]:
    """Keep the times in the document (when a checkpoint was recorded) instead of now: the
    fields that stamp themselves on save are switched off while the import writes."""
    switched: list[tuple[Field[Any, Any], str]] = []
    for section in SECTIONS:
        for model_field in section.model._meta.concrete_fields:
            for flag in ("auto_now", "auto_now_add"):
                if getattr(model_field, flag, False):
                    setattr(model_field, flag, False)
                    switched.append((model_field, flag))
    try:
        yield
    finally:
        for model_field, flag in switched:
            setattr(model_field, flag, True)


def _organisation_for(ods_code: str, name: str, checked: Checked, reason: str) -> Organisation:
    existing = Organisation.objects.filter(ods_code=ods_code).first()
    if existing is not None:
        holding = [s.name for s in SECTIONS if s.model._base_manager.filter(**{s.scope: existing}).exists()]
        if holding:
            raise ImportRefused(
                [f"--ods: {ods_code} already exists and holds data ({', '.join(holding)}): import into a new code."]
            )
        organisation = existing
    else:
        organisation = Organisation(ods_code=ods_code, name=name)
    organisation.name = name
    for setting, value in checked.settings.items():
        if setting == "integrated_care_system":
            system = None
            if value is not None:
                system, _ = IntegratedCareSystem.objects.get_or_create(
                    code=value["code"], defaults={"name": value["name"]}
                )
            organisation.integrated_care_system = system
        else:
            setattr(organisation, setting, value)
    try:
        organisation.full_clean()
    except ValidationError as error:
        raise ImportRefused([f"--ods or --name: {_message(error)}"]) from None
    organisation._change_reason = reason  # type: ignore[attr-defined]
    organisation.save()
    return organisation


def _people(checked: Checked, *, create_people: bool, reason: str) -> tuple[dict[str, int], list[str]]:
    emails = [person["email"] for person in checked.people]
    found = dict(User.objects.filter(email__in=emails).values_list("email", "pk"))
    missing = [person for person in checked.people if person["email"] not in found]
    if missing and not create_people:
        listed = ", ".join(person["email"] for person in missing[:20]) + (" …" if len(missing) > 20 else "")
        raise ImportRefused(
            [
                f"$.people: {len(missing):,} people in the file have no account here ({listed}). "
                "Give --create-people to create them as accounts that cannot sign in until invited."
            ]
        )
    for person in missing:
        user = User(**person, is_active=False)
        user.set_unusable_password()
        user._change_reason = reason  # type: ignore[attr-defined]
        user.save()
        found[user.email] = user.pk
    return found, [person["email"] for person in missing]


def import_organisation(
    checked: Checked, *, ods_code: str, name: str | None = None, create_people: bool = False
) -> ImportSummary:
    """Write the checked document as the organisation `ods_code`, all or nothing."""
    source = checked.source
    reason = f"Imported from the export of {source['ods_code']} ({source['name']}) made {checked.exported_at:%Y-%m-%d}"
    try:
        with transaction.atomic(), derived.batch(), _stored_times_kept():
            organisation = _organisation_for(ods_code, name or source["name"], checked, reason)
            people, created = _people(checked, create_people=create_people, reason=reason)
            counts = _write_sections(checked, organisation, people, reason)
            _refresh_derived(organisation)
    except (IntegrityError, DatabaseError) as error:
        raise ImportRefused([f"The file breaks a rule the database keeps, so nothing was imported: {error}"]) from None
    return ImportSummary(organisation, counts, created, len(people) - len(created))


def _write_sections(
    checked: Checked, organisation: Organisation, people: dict[str, int], reason: str
) -> dict[str, int]:
    order = {section.name: i for i, section in enumerate(SECTIONS)}
    ids: dict[str, dict[Any, int]] = {}
    # (section, model, object's pk, attname, target section, key): links to rows not yet written.
    pending: list[tuple[str, type[Model], int, str, str, Any]] = []
    links: list[tuple[Section, int, str, list[Any]]] = []
    counts: dict[str, int] = {}
    now = dt.datetime.now(dt.UTC)
    for section in SECTIONS:
        model = section.model
        fields = carried_fields(section)
        later: list[tuple[int, str, str, Any]] = []
        objects: list[Model] = []
        for i, row in enumerate(checked.rows[section.name]):
            attrs: dict[str, Any] = {}
            for model_field in model._meta.concrete_fields:
                if isinstance(model_field, ForeignKey) and model_field.related_model is Organisation:
                    attrs[model_field.attname] = organisation.pk
            for model_field in fields:
                if model_field.name not in row:
                    if getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False):
                        attrs[model_field.attname] = now
                    continue
                value = row[model_field.name]
                if value is None or not isinstance(model_field, ForeignKey):
                    attrs[model_field.attname] = value
                elif model_field.related_model is User:
                    attrs[model_field.attname] = people[value]
                elif (target := _link_section(model_field)) is not None:
                    if order[target] < order[section.name]:
                        attrs[model_field.attname] = ids[target][value]
                    else:
                        later.append((i, model_field.attname, target, value))
                else:
                    attrs[model_field.attname] = checked.reference[label(model_field.related_model)][value]
            if section.name == "results":
                _result_ids(attrs, row, ids, checked, people)
            objects.append(model(**attrs))
        for start in range(0, len(objects), BATCH):
            batch = model._base_manager.bulk_create(objects[start : start + BATCH])
            if _has_history(model):
                manager = getattr(model, model._meta.simple_history_manager_attribute)  # type: ignore[attr-defined]
                manager.bulk_history_create(batch, default_change_reason=reason, default_date=now)
        ids[section.name] = {key: obj.pk for key, obj in zip(checked.keys[section.name], objects, strict=True)}
        pending.extend((section.name, model, objects[i].pk, attname, target, key) for i, attname, target, key in later)
        for many in many_fields(section):
            for i, row in enumerate(checked.rows[section.name]):
                if row.get(many.name):
                    links.append((section, objects[i].pk, many.name, row[many.name]))
        pending = _settle(pending, ids)
        counts[section.name] = len(objects)
    for section, pk, many_name, keys in links:
        link: Any = section.model._meta.get_field(many_name)
        target = _link_section(link)
        assert target is not None
        through: Any = link.remote_field.through
        source_column = link.m2m_field_name() + "_id"
        target_column = link.m2m_reverse_field_name() + "_id"
        through._base_manager.bulk_create(
            [through(**{source_column: pk, target_column: ids[target][key]}) for key in sorted(keys, key=str)]
        )
    return counts


def _settle(
    pending: list[tuple[str, type[Model], int, str, str, Any]], ids: dict[str, dict[Any, int]]
) -> list[tuple[str, type[Model], int, str, str, Any]]:
    """Set the links whose rows now exist; keep the rest for later."""
    waiting = [p for p in pending if p[4] not in ids]
    ready = [p for p in pending if p[4] in ids]
    for _, model, pk, attname, target, key in ready:
        model._base_manager.filter(pk=pk).update(**{attname: ids[target][key]})
    return waiting


def _result_ids(
    attrs: dict[str, Any],
    row: dict[str, Any],
    ids: dict[str, dict[Any, int]],
    checked: Checked,
    people: dict[str, int],
) -> None:
    """A result's JSON with this Headway's candidate, initiative and person ids again."""
    from headway.prioritisation.models import Candidate

    candidates = {
        reference: str(pk)
        for pk, reference in Candidate.objects.filter(round_id=attrs["round_id"]).values_list(
            "pk", "initiative__reference"
        )
    }

    def cand(reference: Any) -> str:
        if reference not in candidates:
            raise ImportRefused([f"A result names {reference!r}, which is not a candidate in its round."])
        return candidates[reference]

    for name in RESULT_ID_FIELDS:
        value = row.get(name)
        if value is None:
            continue
        if name in {"explanations", "robustness", "costs"}:
            value = {cand(k): v for k, v in value.items()}
        elif name in {"selected", "greedy_selected"}:
            value = [int(cand(k)) for k in value]
        elif name == "inputs":
            value = {cand(k): {str(people[s]): v for s, v in by.items()} for k, by in value.items()}
        elif name == "scores":
            value = {
                cand(k): {**r, "initiative": ids["initiatives"].get(r.get("initiative"), r.get("initiative"))}
                for k, r in value.items()
            }
        attrs[name] = value


def _refresh_derived(organisation: Organisation) -> None:
    """What the actions would have worked out as each record was written (ADR 6, 7, 14, 26)."""
    from headway.metrics.actions import refresh_metric_summary
    from headway.metrics.models import Metric
    from headway.metrics.verdicts import refresh_verdicts
    from headway.portfolio.actions import refresh_checkpoint_summaries
    from headway.portfolio.models import Initiative

    initiative_ids = list(Initiative.objects.filter(organisation=organisation).values_list("pk", flat=True))
    refresh_checkpoint_summaries(initiative_ids=initiative_ids)
    for metric in Metric.objects.filter(organisation=organisation).order_by("pk"):
        refresh_metric_summary(metric)
    refresh_verdicts(initiative_ids)
    derived.organisation_changed(organisation.pk)
