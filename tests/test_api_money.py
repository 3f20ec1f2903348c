"""Money through the API: funding lines with their filters, and business cases with the same
totals, appraisal, optimism bias and P50/P80 as the case page, inside the organisation only (ADR 31)."""

from __future__ import annotations

from decimal import Decimal

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from headway.finance import actions
from tests.factories import bearer, make_business_case, make_funding_line, make_initiative, make_token
from tests.personas import personas

API = "/api/v1"


class MoneyReadTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cast = personas("Spending Trust")
        office = cls.cast.office
        cls.ours = make_initiative(cls.cast.trust, by=office, status="active", title="Electronic prescribing")
        cls.second = make_initiative(cls.cast.trust, by=office, title="Digital dictation")
        cls.theirs = make_initiative(cls.cast.other_trust, by=cls.cast.other_office, title="Someone else's")
        cls.case = make_business_case(
            cls.ours,
            office,
            stage="obc",
            planned_months=18,
            planned_first_benefit_months=12,
            costs={"2026/27": 400_000, "2027/28": 100_000},
            benefits={"2027/28": 250_000},
            owner=cls.cast.executive,
        )
        factors = list(cls.case.project_type.factors.all()[:3])
        actions.set_mitigations(case=cls.case, by=office, scores={f.pk: (Decimal("0.5"), "Evidence") for f in factors})
        cls.outline = make_business_case(cls.ours, office, stage="soc", costs={"2026/27": 300_000})
        cls.funding = make_funding_line(cls.ours, office, amount=500_000)
        make_funding_line(cls.ours, office, kind="revenue", state="requested", financial_year="2027/28", amount=5)
        make_funding_line(cls.second, office, source="national", amount=70_000)
        cls.their_case = make_business_case(cls.theirs, cls.cast.other_office, costs={"2026/27": 9})
        cls.their_funding = make_funding_line(cls.theirs, cls.cast.other_office)
        cls.secret = make_token(cls.cast.viewer, cls.cast.trust)

    def get(self, path, secret=None, **params):
        return self.client.get(API + path, params, headers=bearer(secret or self.secret))

    def test_funding_lines_are_listed_and_filtered_by_initiative_year_kind_state_and_source(self):
        self.assertEqual(self.get("/funding-lines").json()["count"], 3)
        for params, expected in (
            ({"initiative": self.ours.pk}, 2),
            ({"financial_year": "2027/28"}, 1),
            ({"kind": "revenue"}, 1),
            ({"state": "approved"}, 2),
            ({"source": "national"}, 1),
            ({"purpose": "run"}, 0),
        ):
            with self.subTest(params=params):
                self.assertEqual(self.get("/funding-lines", **params).json()["count"], expected)

    def test_a_filter_value_that_is_not_a_choice_is_named_by_its_query_path(self):
        for params, field in (({"state": "promised"}, "state"), ({"financial_year": "2026-27"}, "financial_year")):
            with self.subTest(params=params):
                response = self.get("/funding-lines", **params)
                self.assertEqual(response.status_code, 422)
                self.assertEqual(response.json()["errors"][0]["field"], ["query", field])

    def test_one_funding_line_reads_as_recorded(self):
        body = self.get(f"/funding-lines/{self.funding.pk}").json()
        self.assertEqual((body["amount"], body["kind"], body["state"]), (500_000, "capital", "approved"))
        self.assertEqual(body["initiative"], self.ours.reference)

    def test_another_trusts_money_is_not_found(self):
        for path in (f"/funding-lines/{self.their_funding.pk}", f"/business-cases/{self.their_case.pk}"):
            with self.subTest(path=path):
                response = self.get(path)
                self.assertEqual(response.status_code, 404)
                self.assertEqual(response["Content-Type"], "application/problem+json")
        self.assertNotIn("Someone else", self.get("/business-cases").content.decode())

    def test_a_business_case_has_the_case_pages_figures_optimism_bias_and_p50_p80(self):
        self.client.force_login(self.cast.viewer)
        page = self.client.get(f"/money/business-cases/{self.case.pk}/").context
        body = self.get(f"/business-cases/{self.case.pk}").json()
        figures, forecasts = page["c"], page["forecasts"]
        self.assertEqual(body["total_cost"], figures.total_cost)
        self.assertEqual(body["total_cost"], 500_000)
        self.assertAlmostEqual(body["appraisal"]["npv"], figures.appraisal.npv)
        self.assertAlmostEqual(body["adjusted_appraisal"]["npv"], figures.adjusted_appraisal.npv)
        self.assertAlmostEqual(body["optimism_bias"]["cost_bias"], figures.bias.cost_bias)
        self.assertAlmostEqual(body["optimism_bias"]["adjusted_cost"], figures.bias.adjusted_cost)
        self.assertEqual(body["optimism_bias"]["risk_areas_scored"], 3)
        self.assertAlmostEqual(body["forecasts"]["cost_to_go_live"]["p50"], forecasts.cost.p50)
        self.assertAlmostEqual(body["forecasts"]["cost_to_go_live"]["p80"], forecasts.cost.p80)
        self.assertAlmostEqual(body["forecasts"]["duration_months"]["p80"], forecasts.duration.p80)
        self.assertTrue(body["forecasts"]["cost_to_go_live"]["green_book_fallback"])
        self.assertEqual([line["amount"] for line in body["costs"]], [400_000, 100_000])
        self.assertEqual([(b["amount"], b["owner"]) for b in body["benefits"]], [(250_000, "Sam Sponsor")])
        self.assertEqual([y["year"] for y in body["years"]], ["2026/27", "2027/28"])
        self.assertTrue(body["is_latest"])

    def test_business_cases_are_listed_with_their_figures_and_filtered(self):
        body = self.get("/business-cases").json()
        self.assertEqual([(c["stage"], c["total_cost"]) for c in body["items"]], [("obc", 500_000), ("soc", 300_000)])
        self.assertEqual([c["is_latest"] for c in body["items"]], [True, False])
        self.assertEqual(self.get("/business-cases", stage="soc").json()["count"], 1)
        self.assertEqual(self.get("/business-cases", latest="true").json()["count"], 1)
        self.assertEqual(self.get("/business-cases", initiative=self.second.pk).json()["count"], 0)
        self.assertEqual(self.get("/business-cases", stage="xyz").status_code, 422)

    def test_every_role_reads_the_money_as_on_the_money_pages(self):
        for role, person in self.cast.by_role().items():
            with self.subTest(role=role):
                secret = make_token(person, self.cast.trust)
                self.assertEqual(self.get("/funding-lines", secret=secret).status_code, 200)
                self.assertEqual(self.get(f"/business-cases/{self.case.pk}", secret=secret).status_code, 200)

    def test_the_lists_take_as_many_queries_for_many_cases_and_lines_as_for_few(self):
        def count(path):
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.get(path).status_code, 200)
            return len(queries)

        self.get("/organisations")  # the token's first use of the minute writes when it was used
        paths = ("/funding-lines", "/business-cases", "/business-cases?latest=true")
        few = {path: count(path) for path in paths}
        for n in range(5):
            more = make_initiative(self.cast.trust, by=self.cast.office, title=f"Filler {n}")
            make_business_case(
                more,
                self.cast.office,
                costs={"2026/27": 1000 * (n + 1)},
                benefits={"2026/27": 10},
                owner=self.cast.lead,
            )
            make_funding_line(more, self.cast.office, amount=n + 1)
        self.assertEqual(self.get("/business-cases").json()["count"], 7)
        self.assertEqual({path: count(path) for path in paths}, few)
