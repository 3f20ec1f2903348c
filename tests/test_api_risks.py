"""Risks through the API: the risk register with its page's filters and order, one risk, and
the board assurance framework's principal risks, inside the organisation only (ADR 31)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from headway.assurance import baf_actions
from headway.portfolio import actions as portfolio_actions
from tests.clock import TODAY
from tests.factories import bearer, make_initiative, make_token
from tests.personas import personas

API = "/api/v1"
PRINCIPAL: dict[str, Any] = {
    "reference": "BAF-01",
    "title": "Too little delivery capacity for the portfolio",
    "current_likelihood": 4,
    "current_consequence": 4,
    "target_likelihood": 2,
    "target_consequence": 3,
    "appetite": "cautious",
    "controls": "Work-in-progress limit\nQuarterly prioritisation",
    "gaps_in_control": "No limit per team",
    "next_review": dt.date(2027, 1, 20),
}


def add_risk(cast: Any, title: str, likelihood: int, consequence: int, **fields: Any) -> Any:
    values = {
        "title": title,
        "likelihood": likelihood,
        "consequence": consequence,
        "next_review": TODAY + dt.timedelta(days=10),
        "owner": cast.office,
        **fields,
    }
    return portfolio_actions.save_risk(organisation=cast.trust, by=cast.office, fields=values)


class RiskRegisterTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cast = personas("Risky Trust")
        cls.initiative = make_initiative(cls.cast.trust, by=cls.cast.office, title="Cyber resilience")
        cls.principal = baf_actions.save_principal_risk(
            organisation=cls.cast.trust, by=cls.cast.office, fields={**PRINCIPAL, "owner": cls.cast.executive}
        )
        cls.extreme = add_risk(
            cls.cast, "Devices cannot take MFA", 4, 5, initiative=cls.initiative, principal_risk=cls.principal
        )
        cls.overdue = add_risk(cls.cast, "Supplier may fold", 2, 3, next_review=TODAY - dt.timedelta(days=3))
        cls.closed = add_risk(cls.cast, "Old server room floods", 3, 3, status="closed")
        cls.elsewhere = portfolio_actions.save_risk(
            organisation=cls.cast.other_trust,
            by=cls.cast.other_office,
            fields={
                "title": "Someone else's risk",
                "likelihood": 5,
                "consequence": 5,
                "next_review": TODAY,
                "owner": cls.cast.other_office,
            },
        )
        cls.other_principal = baf_actions.save_principal_risk(
            organisation=cls.cast.other_trust,
            by=cls.cast.other_office,
            fields={**PRINCIPAL, "owner": cls.cast.other_office},
        )
        cls.secret = make_token(cls.cast.viewer, cls.cast.trust)

    def get(self, path, secret=None, **params):
        return self.client.get(API + path, params, headers=bearer(secret or self.secret))

    def test_the_register_lists_open_risks_highest_score_first_and_none_of_another_trust(self):
        body = self.get("/risks").json()
        self.assertEqual(body["count"], 2)
        self.assertEqual([r["title"] for r in body["items"]], ["Devices cannot take MFA", "Supplier may fold"])
        first = body["items"][0]
        self.assertEqual((first["score"], first["rating"]), (20, "extreme"))
        self.assertEqual(first["initiative"], self.initiative.reference)
        self.assertEqual(first["principal_risk"], "BAF-01")
        self.assertTrue(body["items"][1]["review_overdue"])

    def test_the_filters_are_the_register_pages_and_give_the_same_risks(self):
        self.client.force_login(self.cast.viewer)
        for params in ({}, {"level": "extreme"}, {"level": "moderate"}, {"review_overdue": "true"}):
            with self.subTest(params=params):
                page_params = {**params, "review_overdue": "on"} if "review_overdue" in params else params
                page = self.client.get("/risks/", page_params)
                listed = [risk.pk for risk, _can_edit in page.context["risks"]]
                self.assertEqual([r["id"] for r in self.get("/risks", **params).json()["items"]], listed)
                self.assertTrue(listed)

    def test_a_level_the_page_does_not_have_is_named_by_its_query_path(self):
        response = self.get("/risks", level="catastrophic")
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response["Content-Type"], "application/problem+json")
        self.assertEqual(response.json()["errors"][0]["field"], ["query", "level"])

    def test_one_risk_is_read_even_when_closed(self):
        body = self.get(f"/risks/{self.closed.pk}").json()
        self.assertEqual((body["title"], body["status"]), ("Old server room floods", "closed"))

    def test_another_trusts_risk_and_principal_risk_are_not_found(self):
        for path in (f"/risks/{self.elsewhere.pk}", f"/principal-risks/{self.other_principal.pk}"):
            with self.subTest(path=path):
                response = self.get(path)
                self.assertEqual(response.status_code, 404)
                self.assertEqual(response["Content-Type"], "application/problem+json")

    def test_every_role_reads_the_register_and_the_framework_as_on_the_pages(self):
        for role, person in self.cast.by_role().items():
            with self.subTest(role=role):
                secret = make_token(person, self.cast.trust)
                self.assertEqual(self.get("/risks", secret=secret).status_code, 200)
                self.assertEqual(self.get("/principal-risks", secret=secret).status_code, 200)

    def test_a_principal_risk_shows_its_scores_appetite_gaps_and_linked_risks(self):
        listed = self.get("/principal-risks").json()
        self.assertEqual([p["reference"] for p in listed["items"]], ["BAF-01"])
        body = self.get(f"/principal-risks/{self.principal.pk}").json()
        self.assertEqual((body["current_score"], body["target_score"]), (16, 6))
        self.assertTrue(body["above_appetite"])
        self.assertEqual(body["controls"], ["Work-in-progress limit", "Quarterly prioritisation"])
        self.assertEqual(body["owner"], "Sam Sponsor")
        self.assertEqual([r["title"] for r in body["linked_risks"]], ["Devices cannot take MFA"])

    def test_principal_risks_filter_by_status(self):
        self.assertEqual(self.get("/principal-risks", status="closed").json()["count"], 0)
        self.assertEqual(self.get("/principal-risks", status="open").json()["count"], 1)
        self.assertEqual(self.get("/principal-risks", status="gone").status_code, 422)

    def test_the_lists_take_as_many_queries_for_many_risks_as_for_few(self):
        def count(path):
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.get(path).status_code, 200)
            return len(queries)

        self.get("/organisations")  # the token's first use of the minute writes when it was used
        few = {path: count(path) for path in ("/risks", "/principal-risks")}
        for n in range(6):
            principal = baf_actions.save_principal_risk(
                organisation=self.cast.trust,
                by=self.cast.office,
                fields={**PRINCIPAL, "reference": f"BAF-1{n}", "owner": self.cast.office},
            )
            add_risk(self.cast, f"Filler {n}", 3, 4, initiative=self.initiative, owner=self.cast.lead)
            add_risk(self.cast, f"Linked {n}", 2, 2, principal_risk=principal)
        self.assertEqual(self.get("/risks").json()["count"], 14)
        self.assertEqual({path: count(path) for path in few}, few)


class ReadRoutesWalkTest(TestCase):
    """Every read route of the risks, money, rounds and packs areas, taken from the OpenAPI
    document so a route added later is walked too: refused without a token, and another
    organisation's token finds nothing of this one's."""

    AREAS = {"Risks", "Money", "Prioritisation", "Board packs"}

    @classmethod
    def setUpTestData(cls):
        from headway.assurance import pack_actions
        from headway.prioritisation import actions as round_actions
        from tests.factories import make_business_case, make_funding_line
        from tests.test_board_packs import COVER

        cls.cast = personas("Walked Trust")
        office = cls.cast.office
        initiative = make_initiative(cls.cast.trust, by=office, status="active")
        principal = baf_actions.save_principal_risk(
            organisation=cls.cast.trust, by=office, fields={**PRINCIPAL, "owner": office}
        )
        round = round_actions.create_round(
            organisation=cls.cast.trust, by=office, name="Q1", held_on=dt.date(2026, 4, 10)
        )
        result = round_actions.run_selection(round=round, by=office, with_robustness=False)
        pack = pack_actions.create_pack(organisation=cls.cast.trust, by=office, fields=COVER)
        pack = pack_actions.publish_pack(pack=pack, by=office, today=TODAY)
        cls.ids = {
            "risk_id": add_risk(cls.cast, "A risk", 2, 2).pk,
            "principal_risk_id": principal.pk,
            "funding_line_id": make_funding_line(initiative, office).pk,
            "business_case_id": make_business_case(initiative, office, costs={"2026/27": 10}).pk,
            "round_id": round.pk,
            "result_id": result.pk,
            "pack_id": pack.pk,
        }
        cls.outsider = make_token(cls.cast.other_office, cls.cast.other_trust)

    def routes(self):
        document = self.client.get(f"{API}/openapi.json").json()
        found = [
            (path.format(**self.ids), "{" in path)
            for path, operations in document["paths"].items()
            for operation in operations.values()
            if self.AREAS & set(operation.get("tags", []))
        ]
        self.assertGreaterEqual(len(found), 15)
        return found

    def test_every_route_needs_a_token(self):
        for path, _of_one in self.routes():
            with self.subTest(path=path):
                response = self.client.get(path)
                self.assertEqual(response.status_code, 401)
                self.assertEqual(response["Content-Type"], "application/problem+json")

    def test_another_organisations_token_finds_none_of_this_ones_objects(self):
        for path, of_one in self.routes():
            if not of_one:
                continue  # a whole list: it answers with the caller's own organisation's rows
            with self.subTest(path=path):
                response = self.client.get(path, headers=bearer(self.outsider))
                self.assertEqual(response.status_code, 404)
                self.assertEqual(response["Content-Type"], "application/problem+json")
