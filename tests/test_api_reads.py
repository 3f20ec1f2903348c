"""The read-only resources through the API: the risk register, prioritisation rounds and their
results, money, and board packs (read and download), each as its page shows it (ADR 31)."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase

from headway.assurance import pack_actions
from headway.portfolio.models import Risk
from headway.prioritisation.models import Candidate, Round
from tests.factories import bearer, make_business_case, make_funding_line, make_initiative, make_token
from tests.personas import personas

API = "/api/v1"
COVER = {
    "title": "Digital portfolio report",
    "meeting": "Trust Board",
    "meeting_date": dt.date(2026, 12, 10),
    "purpose": "assurance",
    "assurance_level": "reasonable",
    "assurance_reason": "Most initiatives report weekly and their measures are improving.",
    "recommendation": "Note the report.",
    "executive_lead": "Chief Digital Officer",
    "author": "Portfolio office",
}


class ReadsTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cast = personas("Reads Trust")
        trust, office = cls.cast.trust, cls.cast.office
        cls.initiative = make_initiative(trust, by=office, status="active", title="Patient portal")
        Risk.objects.create(
            organisation=trust,
            initiative=cls.initiative,
            title="Supplier delay",
            likelihood=5,
            consequence=4,
            owner=office,
            next_review=dt.date(2026, 11, 1),
        )
        Risk.objects.create(
            organisation=trust,
            title="Skills gap",
            likelihood=2,
            consequence=2,
            owner=office,
            next_review=dt.date(2027, 3, 1),
        )
        cls.round = Round.objects.create(organisation=trust, name="2026/27 Q4", held_on=dt.date(2026, 11, 1))
        Candidate.objects.create(round=cls.round, initiative=cls.initiative)
        make_funding_line(cls.initiative, by=office, amount=250_000)
        make_business_case(cls.initiative, by=office)
        cls.draft = pack_actions.create_pack(organisation=trust, by=office, fields=dict(COVER))
        cls.published = pack_actions.publish_pack(
            pack=pack_actions.create_pack(organisation=trust, by=office, fields={**COVER, "title": "November pack"}),
            by=office,
        )
        cls.viewer = make_token(cls.cast.viewer, trust)
        cls.office = make_token(office, trust)

    def get(self, path, secret=None, **params):
        return self.client.get(API + path, params, headers=bearer(secret or self.viewer))

    def test_the_risk_register_is_highest_first_and_filtered_as_on_the_page(self):
        titles = [r["title"] for r in self.get("/risks").json()["items"]]
        self.assertEqual(titles, ["Supplier delay", "Skills gap"])
        extreme = self.get("/risks", level="extreme").json()["items"]
        self.assertEqual([(r["title"], r["score"], r["rating"]) for r in extreme], [("Supplier delay", 20, "extreme")])
        overdue = self.get("/risks", review_overdue="true").json()
        self.assertEqual([r["title"] for r in overdue["items"]], ["Supplier delay"])
        self.assertEqual(self.get("/risks", level="severe").status_code, 422)

    def test_a_round_reads_with_no_result_before_its_selection(self):
        rounds = self.get("/rounds").json()
        self.assertEqual([r["name"] for r in rounds["items"]], ["2026/27 Q4"])
        self.assertEqual(self.get(f"/rounds/{self.round.pk}").json()["name"], "2026/27 Q4")
        self.assertEqual(self.get(f"/rounds/{self.round.pk}/results").json()["count"], 0)  # not selected yet

    def test_money_is_in_whole_pounds(self):
        funding = self.get("/funding-lines", initiative=self.initiative.pk).json()["items"]
        self.assertEqual([line["amount"] for line in funding], [250_000])
        cases = self.get("/business-cases", initiative=self.initiative.pk).json()["items"]
        self.assertEqual(len(cases), 1)

    def test_a_viewer_reads_published_packs_only_and_the_portfolio_office_drafts_too(self):
        self.assertEqual([p["title"] for p in self.get("/board-packs").json()["items"]], ["November pack"])
        self.assertEqual(self.get(f"/board-packs/{self.draft.pk}").status_code, 404)
        self.assertEqual(self.get("/board-packs", secret=self.office).json()["count"], 2)
        pack = self.get(f"/board-packs/{self.published.pk}").json()
        self.assertEqual(pack["content_sha256"], self.published.content_hash)
        self.assertTrue(pack["content"])

    def test_a_published_pack_downloads_as_a_workbook_and_a_pdf(self):
        xlsx = self.get(f"/board-packs/{self.published.pk}/xlsx")
        self.assertEqual(xlsx.status_code, 200)
        self.assertTrue(xlsx.content.startswith(b"PK"))
        self.assertIn("attachment", xlsx["Content-Disposition"])
        pdf = self.get(f"/board-packs/{self.published.pk}/pdf")
        self.assertEqual(pdf["Content-Type"], "application/pdf")
        self.assertTrue(pdf.content.startswith(b"%PDF"))
