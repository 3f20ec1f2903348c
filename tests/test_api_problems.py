"""Every API error has one shape: RFC 9457 problem details as application/problem+json, naming
the field path where a value is at fault (ADR 31); never a server error on bad input."""

from __future__ import annotations

from django.test import TestCase

from tests.factories import bearer, make_initiative, make_token
from tests.personas import personas

API = "/api/v1"


class ProblemDetailsTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cast = personas("Problem Trust")
        cls.initiative = make_initiative(cls.cast.trust, by=cls.cast.office, status="active")
        cls.secret = make_token(cls.cast.office, cls.cast.trust, can_write=True)

    def assertProblem(self, response, status):
        self.assertEqual(response.status_code, status, response.content)
        self.assertEqual(response["Content-Type"], "application/problem+json")
        body = response.json()
        self.assertEqual(body["status"], status)
        self.assertTrue(body["title"] and body["detail"])
        return body

    def test_an_address_the_api_does_not_have_is_a_404_problem(self):
        self.assertProblem(self.client.get(API + "/nothing-here", headers=bearer(self.secret)), 404)

    def test_a_method_an_address_does_not_take_is_a_405_problem(self):
        response = self.client.delete(f"{API}/initiatives/{self.initiative.pk}", headers=bearer(self.secret))
        self.assertProblem(response, 405)
        self.assertIn("GET", response["Allow"])

    def test_a_body_that_is_not_json_is_refused_as_a_problem(self):
        response = self.client.post(
            f"{API}/initiatives/{self.initiative.pk}/checkpoints",
            "{not json",
            content_type="application/json",
            headers=bearer(self.secret),
        )
        self.assertIn(response.status_code, (400, 422))
        self.assertProblem(response, response.status_code)

    def test_a_value_of_the_wrong_type_is_named_by_its_path(self):
        response = self.client.post(
            f"{API}/initiatives/{self.initiative.pk}/decisions",
            {"kind": "pause", "rationale": 5, "evidence": "e", "decided_by": "Board", "decided_on": "not a date"},
            content_type="application/json",
            headers=bearer(self.secret),
        )
        body = self.assertProblem(response, 422)
        fields = [e["field"] for e in body["errors"]]
        self.assertIn(["body", "rationale"], fields)
        self.assertIn(["body", "decided_on"], fields)

    def test_a_key_beyond_what_the_database_holds_is_a_422_not_a_server_error(self):
        response = self.client.get(f"{API}/initiatives/99999999999999999999", headers=bearer(self.secret))
        self.assertEqual(response.json()["errors"][0]["field"], ["path", "initiative_id"])
        self.assertProblem(response, 422)

    def test_a_week_that_is_not_a_monday_is_named_in_the_path(self):
        response = self.client.get(
            f"{API}/initiatives/{self.initiative.pk}/checkpoints/2026-12-02", headers=bearer(self.secret)
        )
        self.assertEqual(self.assertProblem(response, 422)["errors"][0]["field"], ["path", "week"])
