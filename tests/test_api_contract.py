"""The API's contract (ADR 31): schemathesis generates requests from the OpenAPI document for
every operation, valid and not, and sends them in-process (WSGI, no server). No answer may be a
server error, and every answer must be one the document declares, in the shape and media type
it declares. The data is built once, like a small demo trust, so reads find things to return."""

from __future__ import annotations

import datetime as dt

import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import TestCase
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from headway.metrics import actions as metric_actions
from headway.portfolio import actions
from headway.portfolio.models import Initiative, Risk, Service, StrategicGoal, UserNeed
from headway.prioritisation.models import Candidate, Round
from headway.wsgi import application
from tests.factories import bearer, make_funding_line, make_initiative, make_metric, make_token
from tests.personas import personas

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Examples per operation and mode: enough to reach each refusal and the answers that read data,
# few enough that the whole contract runs in well under a minute.
EXAMPLES = 12


class ApiContractTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cast = personas("Contract Trust")
        trust, office = cls.cast.trust, cls.cast.office
        goal = StrategicGoal.objects.create(organisation=trust, title="Care closer to home")
        Service.objects.create(organisation=trust, name="Electronic patient record")
        # Small keys, so that generated paths find real objects as well as missing ones.
        for n in range(1, 4):
            initiative = make_initiative(trust, by=office, status="active", delivery_lead=office, id=n)
            initiative.goals.add(goal)
            UserNeed.objects.create(initiative=initiative, statement="As a nurse I need…", evidence="assumed")
            actions.record_checkpoint(
                initiative=initiative,
                by=office,
                week=dt.date(2026, 11, 23),
                fields={"confidence": "green", "confidence_reason": "On track.", "reached_real_users": False},
            )
        metric = make_metric(trust, name="Discharges before noon", id=1)
        for month in range(1, 12):
            metric_actions.record_observation(
                metric=metric, by=office, period=dt.date(2026, month, 1), value=40 + month % 5
            )
        Risk.objects.create(
            organisation=trust,
            initiative_id=1,
            title="Supplier delay",
            likelihood=4,
            consequence=4,
            owner=office,
            next_review=dt.date(2027, 1, 1),
            id=1,
        )
        round = Round.objects.create(organisation=trust, name="2026/27 Q4", held_on=dt.date(2026, 11, 1), id=1)
        Candidate.objects.create(round=round, initiative_id=1)
        make_funding_line(Initiative.objects.get(pk=1), by=office)
        cls.secret = make_token(office, trust, can_write=True)

    def test_every_operation_answers_as_its_document_says_and_never_with_a_server_error(self):
        # Called as a WSGI application, Django would close the test's database connection at the
        # end of each request (as it does in production); Django's own test client keeps it open
        # the same way, so the data built once stays visible.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        self.addCleanup(request_started.connect, close_old_connections)
        self.addCleanup(request_finished.connect, close_old_connections)
        schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
        headers = bearer(self.secret)
        operations = [result.ok() for result in schema.get_all_operations()]
        answered: dict[str, set[int]] = {}
        self.assertGreaterEqual(len(operations), 15)
        for operation in operations:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                with self.subTest(operation=operation.label, mode=mode.value):
                    strategy = operation.as_strategy(generation_mode=mode, headers=headers)

                    @given(case=strategy)
                    @settings(
                        max_examples=EXAMPLES,
                        deadline=None,
                        database=None,
                        derandomize=True,
                        phases=[Phase.explicit, Phase.generate],
                        suppress_health_check=list(HealthCheck),
                    )
                    def check(case):
                        case.headers = {**(case.headers or {}), **headers}
                        response = case.call_and_validate(checks=CHECKS)
                        answered.setdefault(case.operation.label, set()).add(response.status_code)

                    try:
                        check()
                    except Unsatisfiable:
                        # Nothing in this operation can be made invalid (no parameters, no body).
                        self.assertEqual(mode, GenerationMode.NEGATIVE, operation.label)
        # The generated requests got through the token to real answers, not only refusals.
        for label, statuses in answered.items():
            if label.startswith("GET") and "{" not in label:
                with self.subTest(label=label):
                    self.assertIn(200, statuses)

    def test_the_document_is_openapi_3_1_and_every_refusal_is_problem_details(self):
        document = self.client.get("/api/v1/openapi.json").json()
        self.assertTrue(document["openapi"].startswith("3.1"))
        for path, operations in document["paths"].items():
            for method, operation in operations.items():
                for status, answer in operation["responses"].items():
                    if int(status) >= 400:
                        with self.subTest(path=path, method=method, status=status):
                            self.assertEqual(list(answer["content"]), ["application/problem+json"])
