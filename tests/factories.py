"""Small builders for test data: named organisations, people in roles, initiatives.

Use them in `setUpTestData` so each class builds its data once.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from headway.accounts.models import Membership, Organisation, User
from headway.accounts.roles import Role
from headway.portfolio import actions
from headway.portfolio.models import Initiative

PASSWORD = "correct-horse-battery-staple"
_sequence = itertools.count(1)


def make_organisation(name: str = "Test Acute Trust", ods_code: str | None = None, **fields: Any) -> Organisation:
    code = ods_code or f"T{next(_sequence):04d}"
    return Organisation.objects.create(name=name, ods_code=code, kind=fields.pop("kind", "acute"), **fields)


def make_person(
    organisation: Organisation | None, role: str = Role.VIEWER, name: str | None = None, **fields: Any
) -> User:
    n = next(_sequence)
    name = name or f"Person {n}"
    user = User.objects.create_user(
        email=fields.pop("email", f"person{n}@example.test"), password=PASSWORD, full_name=name, **fields
    )
    if organisation is not None:
        Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


def make_initiative(organisation: Organisation, by: User | None = None, **fields: Any) -> Initiative:
    status = fields.pop("status", None)
    fields.setdefault("title", f"Initiative {next(_sequence)}")
    fields.setdefault("problem", "Staff re-key the same information into three systems.")
    initiative = actions.create_initiative(organisation=organisation, by=by, fields=fields)
    if status and status != "proposed":
        path = {
            "active": ["start"],
            "paused": ["start", "pause"],
            "stopped": ["stop"],
            "completed": ["start", "close"],
        }[status]
        for kind in path:
            actions.record_decision(
                initiative=initiative,
                by=by,
                kind=kind,
                rationale=f"Test: {kind}.",
                evidence="Test evidence.",
                decided_by="Test board",
                decided_on=dt.date(2026, 1, 5),
            )
        initiative.refresh_from_db()
    return initiative
