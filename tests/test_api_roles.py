"""What each role's token may do through the API: the same as on the pages (ADR 21, ADR 32).
Every role reads everything in its organisation; each write is allowed exactly to the roles
whose form allows it, and a read-only token writes nothing whatever the role. Every operation
in the API's document is walked, so a new one must say here who may use it."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase

from headway.accounts.roles import Role
from headway.assurance import pack_actions
from headway.assurance.models import BoardPack, PrincipalRisk
from headway.finance.models import BusinessCase, FundingLine, ProjectType
from headway.metrics import actions as metric_actions
from headway.portfolio import actions
from headway.portfolio.models import Risk, Service, StrategicGoal
from headway.prioritisation import actions as prioritisation_actions
from tests import api_walk
from tests.factories import bearer, make_initiative, make_metric, make_token
from tests.personas import personas

KEY = 1
EVERYONE = set(Role)
# Who may make each write, as the form's page allows (the delivery lead leads the initiative and
# the metric measures it).
WRITERS = {
    ("POST", "/api/v1/initiatives/{initiative_id}/checkpoints"): {
        Role.EXECUTIVE,
        Role.PORTFOLIO_OFFICE,
        Role.DELIVERY_LEAD,
    },
    ("PUT", "/api/v1/initiatives/{initiative_id}/checkpoints/{week}"): {
        Role.EXECUTIVE,
        Role.PORTFOLIO_OFFICE,
        Role.DELIVERY_LEAD,
    },
    ("POST", "/api/v1/initiatives/{initiative_id}/decisions"): {Role.EXECUTIVE, Role.PORTFOLIO_OFFICE},
    ("POST", "/api/v1/metrics/{metric_id}/observations"): {
        Role.EXECUTIVE,
        Role.PORTFOLIO_OFFICE,
        Role.DELIVERY_LEAD,
    },
}


class ApiRolesTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cast = personas("Roles Trust")
        trust, office = cls.cast.trust, cls.cast.office
        StrategicGoal.objects.create(organisation=trust, title="Goal", id=KEY)
        Service.objects.create(organisation=trust, name="EPR", id=KEY)
        initiative = make_initiative(trust, by=office, status="active", delivery_lead=cls.cast.lead, id=KEY)
        actions.record_checkpoint(
            initiative=initiative, by=office, week=dt.date.fromisoformat(api_walk.WEEK), fields=api_walk.CHECKPOINT
        )
        metric = make_metric(trust, name="Measure", id=KEY)
        metric.initiatives.add(initiative)
        metric_actions.record_observation(metric=metric, by=office, period=dt.date(2026, 10, 1), value=3)
        Risk.objects.create(
            organisation=trust,
            initiative=initiative,
            title="Risk",
            likelihood=3,
            consequence=3,
            owner=office,
            next_review=dt.date(2027, 1, 1),
            id=KEY,
        )
        chosen = prioritisation_actions.create_round(
            organisation=trust, by=office, name="Round", held_on=dt.date(2026, 11, 1)
        )
        result = prioritisation_actions.run_selection(round=chosen, by=office, with_robustness=False)
        cls.keys = {"round_id": chosen.pk, "result_id": result.pk}
        PrincipalRisk.objects.create(
            organisation=trust,
            reference="BAF-01",
            title="Principal risk",
            owner=office,
            current_likelihood=4,
            current_consequence=4,
            target_likelihood=2,
            target_consequence=2,
            next_review=dt.date(2027, 1, 1),
            id=KEY,
        )
        FundingLine.objects.create(
            initiative=initiative, financial_year="2026/27", kind="capital", source="trust", amount=1000, id=KEY
        )
        BusinessCase.objects.create(
            initiative=initiative,
            stage="obc",
            first_year="2026/27",
            project_type=ProjectType.objects.get(is_default=True),
            id=KEY,
        )
        # Published, so every role reads it (a draft is "not found" to all but the portfolio office).
        pack = BoardPack.objects.create(
            organisation=trust,
            title="Pack",
            meeting="Board",
            meeting_date=dt.date(2026, 12, 10),
            assurance_reason="Reasons given here.",
            recommendation="Note it.",
            executive_lead="CDO",
            author="PMO",
            id=KEY,
        )
        pack_actions.publish_pack(pack=pack, by=office)
        cls.tokens = {
            role: (make_token(person, trust, can_write=True), make_token(person, trust))
            for role, person in cls.cast.by_role().items()
        }

    def expected(self, operation, role, can_write):
        if not operation.writes:
            return "allowed"
        if (operation.method, operation.template) not in WRITERS:
            self.fail(f"Say who may use {operation.method} {operation.template} in WRITERS.")
        return "allowed" if can_write and role in WRITERS[(operation.method, operation.template)] else "refused"

    def test_every_operation_is_open_to_exactly_the_roles_the_pages_allow(self):
        for operation in api_walk.operations():
            for role in self.cast.by_role():
                for can_write in (True, False):
                    with self.subTest(operation=f"{operation.method} {operation.template}", role=role, write=can_write):
                        secret = self.tokens[role][0 if can_write else 1]
                        response = api_walk.send(self.client, operation, KEY, bearer(secret), self.keys)
                        if self.expected(operation, role, can_write) == "refused":
                            self.assertEqual(response.status_code, 403, response.content)
                        else:
                            # Allowed: past the role check (a stale If-Match is still refused, 412, and a
                            # week recorded by the role before is not recorded again, 409).
                            self.assertIn(response.status_code, (200, 201, 409, 412), response.content)
