"""Prioritisation rounds through the API: the rounds, and each stored selection run read as the
round page reads it, inside the organisation only (ADR 31)."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from headway.prioritisation import actions
from tests.factories import bearer, make_initiative, make_token
from tests.personas import personas
from tests.test_prioritisation_actions import HIGH, LOW, rate

API = "/api/v1"


class RoundReadTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cast = personas("Choosing Trust")
        office = cls.cast.office
        make_initiative(cls.cast.trust, by=office, status="active", reference="DIG-001", title="Electronic obs")
        make_initiative(cls.cast.trust, by=office, reference="DIG-002", title="Patient portal")
        cls.round = actions.create_round(
            organisation=cls.cast.trust, by=office, name="2026/27 Q1", held_on=dt.date(2026, 4, 10), wip_limit=1
        )
        rate(cls.round, office, {"DIG-001": LOW, "DIG-002": HIGH})
        cls.first = actions.run_selection(round=cls.round, by=office)
        cls.round.refresh_from_db()
        cls.scenario_free_older = actions.create_round(
            organisation=cls.cast.trust, by=office, name="2025/26 Q4", held_on=dt.date(2026, 1, 10)
        )
        cls.theirs = actions.create_round(
            organisation=cls.cast.other_trust, by=cls.cast.other_office, name="Theirs", held_on=dt.date(2026, 4, 1)
        )
        cls.secret = make_token(cls.cast.viewer, cls.cast.trust)

    def get(self, path, secret=None, **params):
        return self.client.get(API + path, params, headers=bearer(secret or self.secret))

    def test_rounds_are_listed_newest_first_and_filtered_by_status(self):
        body = self.get("/rounds").json()
        self.assertEqual([r["name"] for r in body["items"]], ["2026/27 Q1", "2025/26 Q4"])
        self.assertEqual(body["items"][0]["current_result_id"], self.round.current_result_id)
        self.assertEqual(self.get("/rounds", status="closed").json()["count"], 0)
        self.assertEqual(self.get("/rounds", status="shut").status_code, 422)

    def test_a_rounds_result_ranks_the_candidates_as_the_round_page_does(self):
        self.client.force_login(self.cast.viewer)
        page = self.client.get(f"/rounds/{self.round.pk}/").context
        runs = self.get(f"/rounds/{self.round.pk}/results").json()
        self.assertEqual(runs["count"], 1)
        self.assertTrue(runs["items"][0]["is_current"])
        body = self.get(f"/rounds/{self.round.pk}/results/{self.round.current_result_id}").json()
        expected = [(row.figures.candidate.initiative.reference, row.figures.rank) for row in page["rows"]]
        self.assertEqual([(c["initiative"], c["rank"]) for c in body["candidates"]], expected)
        self.assertEqual([c["selected"] for c in body["candidates"]], [True, False])  # the limit of one
        self.assertEqual(body["candidates"][0]["initiative"], "DIG-002")
        self.assertTrue(body["candidates"][0]["reason"])

    def test_another_trusts_round_and_a_result_of_another_round_are_not_found(self):
        for path in (
            f"/rounds/{self.theirs.pk}",
            f"/rounds/{self.theirs.pk}/results",
            f"/rounds/{self.scenario_free_older.pk}/results/{self.round.current_result_id}",
        ):
            with self.subTest(path=path):
                response = self.get(path)
                self.assertEqual(response.status_code, 404)
                self.assertEqual(response["Content-Type"], "application/problem+json")

    def test_every_role_reads_the_rounds_as_on_the_round_pages(self):
        for role, person in self.cast.by_role().items():
            with self.subTest(role=role):
                secret = make_token(person, self.cast.trust)
                self.assertEqual(self.get(f"/rounds/{self.round.pk}", secret=secret).status_code, 200)

    def test_the_lists_take_as_many_queries_for_many_rounds_and_runs_as_for_few(self):
        def count(path):
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.get(path).status_code, 200)
            return len(queries)

        self.get("/organisations")  # the token's first use of the minute writes when it was used
        small = f"/rounds/{self.round.pk}/results/{self.first.pk}"
        paths = ("/rounds", f"/rounds/{self.round.pk}/results")
        few = {path: count(path) for path in (*paths, small)}
        for n in range(3):
            make_initiative(self.cast.trust, by=self.cast.office, reference=f"DIG-1{n}", title=f"Filler {n}")
            actions.create_round(
                organisation=self.cast.trust, by=self.cast.office, name=f"Filler {n}", held_on=dt.date(2025, 1, n + 1)
            )
            actions.run_selection(round=self.round, by=self.cast.office, with_robustness=False)
        bigger = actions.create_round(
            organisation=self.cast.trust, by=self.cast.office, name="Bigger", held_on=dt.date(2025, 2, 1)
        )
        result = actions.run_selection(round=bigger, by=self.cast.office, with_robustness=False)
        large = f"/rounds/{bigger.pk}/results/{result.pk}"
        self.assertEqual(len(self.get(large).json()["candidates"]), 5)
        self.assertEqual(self.get("/rounds").json()["count"], 6)
        self.assertEqual({path: count(path) for path in paths} | {small: count(large)}, few)
