"""Small builders for test data: named organisations, people in roles, initiatives.

Use them in `setUpTestData` so each class builds its data once.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from headway.accounts.models import Membership, Organisation, User
from headway.accounts.roles import Role
from headway.finance import actions as finance_actions
from headway.metrics.models import Metric
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


def make_metric(organisation: Organisation, name: str | None = None, **fields: Any) -> Metric:
    """A metric of the organisation (monthly, higher is better unless told otherwise)."""
    defaults: dict[str, Any] = {
        "definition": "What is counted.",
        "kind": "outcome",
        "beneficiary": "patients",
        "unit": "%",
        "improvement_direction": "increase",
        "frequency": "monthly",
        "data_source": "Test data",
    }
    defaults.update(fields)
    return Metric.objects.create(organisation=organisation, name=name or f"Metric {next(_sequence)}", **defaults)


def make_business_case(
    initiative: Initiative,
    by: User | None = None,
    *,
    stage: str = "obc",
    first_year: str = "2026/27",
    costs: dict[str, int] | None = None,
    benefits: dict[str, int] | None = None,
    benefit_kind: str = "non_cash",
    owner: User | None = None,
    **fields: Any,
) -> Any:
    """A business case through finance.actions, with revenue staff costs and one benefit line a year."""
    case = finance_actions.save_business_case(
        initiative=initiative, by=by, fields={"stage": stage, "first_year": first_year, **fields}
    )
    if costs:
        finance_actions.add_cost_lines(case=case, by=by, kind="revenue", category="staff", amounts=costs)
    if benefits:
        assert owner is not None, "a benefit needs an owner"
        finance_actions.add_benefit_lines(
            case=case, by=by, kind=benefit_kind, description="Time given back", owner=owner, amounts=benefits
        )
    return case


def make_funding_line(initiative: Initiative, by: User | None = None, **fields: Any) -> Any:
    values: dict[str, Any] = {
        "financial_year": "2026/27",
        "kind": "capital",
        "source": "trust",
        "state": "approved",
        "purpose": "build",
        "amount": 100_000,
    }
    values.update(fields)
    return finance_actions.save_funding_line(initiative=initiative, by=by, fields=values)


def record_actual(initiative: Initiative, by: User | None = None, **fields: Any) -> Any:
    values: dict[str, Any] = {"financial_year": "2026/27", "kind": "spend", "money_kind": "revenue", "amount": 1000}
    values.update(fields)
    return finance_actions.save_actual(initiative=initiative, by=by, fields=values)


def make_token(user: User, organisation: Organisation, *, can_write: bool = False, days: int = 90) -> str:
    """A personal access token for the API (ADR 32); returns its secret, for an Authorization header."""
    from headway.api import actions as api_actions

    membership = Membership.objects.get(user=user, organisation=organisation)
    _token, secret = api_actions.create_token(
        membership=membership, by=user, name="Test token", can_write=can_write, days=days
    )
    return secret


def bearer(secret: str) -> dict[str, str]:
    """The header a test client sends a token in: `client.get(url, headers=bearer(secret))`."""
    return {"Authorization": f"Bearer {secret}"}
