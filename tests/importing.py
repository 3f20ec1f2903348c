"""What the import tests share: files built from rows, and an import or preview of them."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from headway.accounts.models import Organisation, User
from headway.imports.actions import import_file
from headway.imports.kinds import KINDS
from headway.imports.plan import ImportRefused, Plan, preview
from headway.lib import exports

TODAY = dt.date(2026, 12, 7)


def csv_file(rows: Sequence[Sequence[Any]]) -> bytes:
    return exports.csv_text(rows).encode()


def xlsx_file(rows: Sequence[Sequence[Any]]) -> bytes:
    return exports.xlsx_bytes(rows)


def json_file(rows: Sequence[Sequence[Any]]) -> bytes:
    header, *body = rows
    return json.dumps([dict(zip(header, row, strict=True)) for row in body]).encode()


def imported(
    organisation: Organisation, kind: str, data: bytes, *, by: User | None, filename: str = "file.csv"
) -> Plan:
    return import_file(
        organisation=organisation, kind=kind, data=data, filename=filename, by=by, reason="Test import", today=TODAY
    )


def previewed(organisation: Organisation, kind: str, data: bytes, filename: str = "file.csv") -> Plan:
    return preview(organisation=organisation, kind=KINDS[kind], data=data, filename=filename, today=TODAY)


def problems_of(
    organisation: Organisation, kind: str, data: bytes, *, by: User | None, filename: str = "file.csv"
) -> list[str]:
    try:
        imported(organisation, kind, data, by=by, filename=filename)
    except ImportRefused as refused:
        return [str(p) for p in refused.problems]
    raise AssertionError("the import was not refused")
