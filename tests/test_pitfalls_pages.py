"""The pitfalls on the pages (ADR 25): the organisation's findings grouped by severity, each with
the initiatives it names, its numbers in words and where to put it right; and on the initiative
page, the findings that name that initiative."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test import SimpleTestCase, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from headway.assurance import pitfall_presenters
from headway.assurance.pitfalls import HIGH, MEDIUM, Finding, LinkTarget
from headway.portfolio import actions as portfolio_actions
from tests.factories import make_business_case, make_initiative
from tests.personas import personas


def cash_and_plain(cls) -> None:
    """The trust of the page tests: a case argued only in cash, and another without a riskiest
    assumption (also used by tests/test_stored_findings.py)."""
    cls.cast = personas()
    trust, office = cls.cast.trust, cls.cast.office
    cls.cash = make_initiative(
        trust, by=office, status="active", title="Cash only case", riskiest_assumption="Staff use it."
    )
    make_business_case(
        cls.cash,
        costs={"2026/27": 50_000},
        benefits={"2027/28": 80_000},
        benefit_kind="cash",
        owner=cls.cast.executive,
    )
    cls.plain = make_initiative(trust, by=office, status="active", title="No assumption")


class PitfallsPagesTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cash_and_plain(cls)
        cls.theirs = make_initiative(
            cls.cast.other_trust, by=cls.cast.other_office, status="active", title="Their secret work"
        )

    def page(self, user=None):
        self.client.force_login(user or self.cast.board)
        return self.client.get(reverse("portfolio:pitfalls"))

    def test_the_page_lists_the_findings_with_their_initiatives_named_and_linked(self):
        response = self.page()
        self.assertContains(response, "Benefits argued only as cash savings")
        self.assertContains(response, "No riskiest assumption recorded")
        detail = reverse("portfolio:detail", args=[self.cash.pk])
        self.assertContains(response, f'<a href="{detail}">{self.cash.reference} Cash only case</a>', html=True)
        self.assertContains(response, reverse("finance:initiative", args=[self.cash.pk]))  # where to fix it
        self.assertContains(response, "Where to fix it")
        self.assertContains(response, "From the money checks on the latest business cases.")

    def test_findings_are_grouped_most_severe_first(self):
        text = self.page().content.decode()
        self.assertIn('id="severity-high"', text)
        self.assertIn('<a href="#severity-high">High severity: 2</a>', text)  # the contents at the top
        self.assertLess(text.index('id="severity-high"'), text.index('id="severity-medium"'))
        self.assertLess(text.index('id="severity-medium"'), text.index('id="severity-low"'))

    def test_another_organisations_initiatives_are_not_named(self):
        response = self.page()
        self.assertNotContains(response, "Their secret work")
        self.assertNotContains(response, reverse("portfolio:detail", args=[self.theirs.pk]))
        self.client.force_login(self.cast.other_office)
        theirs = self.client.get(reverse("portfolio:pitfalls"))
        self.assertNotContains(theirs, "Cash only case")
        self.assertContains(theirs, "Their secret work")

    def test_every_role_that_can_see_at_a_glance_can_open_it(self):
        for role, user in self.cast.by_role().items():
            with self.subTest(role):
                self.client.force_login(user)
                self.assertEqual(self.client.get(reverse("portfolio:glance")).status_code, 200)
                self.assertEqual(self.page(user).status_code, 200)

    def test_someone_signed_out_is_sent_to_sign_in(self):
        response = self.client.get(reverse("portfolio:pitfalls"))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])

    def test_the_page_reads_the_same_number_of_queries_however_many_initiatives(self):
        self.page()  # warm the session

        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.client.get(reverse("portfolio:pitfalls")).status_code, 200)
            return len(queries)

        before = count()
        for n in range(5):
            extra = make_initiative(self.cast.trust, by=self.cast.office, status="active", title=f"More {n}")
            make_business_case(
                extra,
                costs={"2026/27": 10_000},
                benefits={"2027/28": 20_000},
                benefit_kind="cash",
                owner=self.cast.executive,
            )
        with self.assertNumQueries(before):
            self.client.get(reverse("portfolio:pitfalls"))

    def test_the_initiative_page_shows_its_own_findings_with_evidence_and_fix_link(self):
        self.client.force_login(self.cast.viewer)
        response = self.client.get(reverse("portfolio:detail", args=[self.cash.pk]))
        self.assertContains(response, "Pitfalls the guide warns about")
        self.assertContains(response, "Benefits argued only as cash savings")
        self.assertContains(response, reverse("finance:initiative", args=[self.cash.pk]))
        self.assertNotContains(response, "No riskiest assumption recorded")  # names the other one only
        # The figures given per initiative keep this initiative's line alone.
        self.assertContains(response, f"{self.cash.reference}: nothing demonstrated yet")
        self.assertNotContains(response, f"{self.plain.reference}: nothing demonstrated yet")
        other = self.client.get(reverse("portfolio:detail", args=[self.plain.pk]))
        self.assertContains(other, "No riskiest assumption recorded")
        self.assertNotContains(other, "Benefits argued only as cash savings")

    def test_an_initiative_with_no_findings_shows_no_section(self):
        # Proposed (so no decisions, needs or checkpoints are judged) and joined up with other work.
        quiet = make_initiative(self.cast.trust, by=self.cast.office, title="Joined up proposal")
        # Through the action, which works the stored findings out again (ADR 26).
        portfolio_actions.update_initiative(
            initiative=quiet, by=self.cast.office, fields={}, joins_up_with=[self.plain]
        )
        self.client.force_login(self.cast.viewer)
        response = self.client.get(reverse("portfolio:detail", args=[quiet.pk]))
        self.assertNotContains(response, "Pitfalls the guide warns about")


class EvidenceInWordsTest(SimpleTestCase):
    def finding(self, evidence: dict, key: str = "x.y") -> Finding:
        return Finding(key, "x", "Title", MEDIUM, ("A-1",), evidence, None, LinkTarget("portfolio:list"))

    def test_figures_become_short_plain_lines_with_the_source_last(self):
        lines = pitfall_presenters.evidence_words(
            self.finding(
                {
                    "gap": {"A-1": {"p80_cost": 120_000, "funding_secured": 100_000}},
                    "source": "finance reference-class forecast and funding lines",
                }
            )
        )
        self.assertEqual(
            lines,
            [
                "A-1: P80 cost £120,000 against £100,000 secured",
                "From the reference-class cost forecast and the funding lines.",
            ],
        )

    def test_dates_and_shares_read_as_words(self):
        self.assertEqual(
            pitfall_presenters.evidence_words(self.finding({"last_demonstrated": {"A-1": "2026-10-05", "A-2": None}})),
            ["A-1: last demonstrated 5 October 2026", "A-2: nothing demonstrated yet"],
        )
        self.assertEqual(
            pitfall_presenters.evidence_words(
                self.finding({"share": 0.5, "threshold": 0.4, "its_funding_secured": 500, "open_funding_secured": 1000})
            ),
            [
                "50% of the funding secured for open work (threshold 40%)",
                "Its funding secured: £500",
                "All open work's funding secured: £1,000",
            ],
        )

    def test_counted_since_is_not_said_twice(self):
        finding = Finding(
            "x.y", "x", "T", MEDIUM, (), {"since": "2025-12-04"}, dt.date(2025, 12, 4), LinkTarget("portfolio:list")
        )
        self.assertEqual(pitfall_presenters.evidence_words(finding), [])
        self.assertEqual(
            pitfall_presenters.evidence_words(self.finding({"since": "2025-12-04"})), ["Counted since 4 December 2025"]
        )

    def test_a_figure_the_page_does_not_know_is_still_shown(self):
        self.assertEqual(pitfall_presenters.evidence_words(self.finding({"new_count": 3})), ["New count: 3"])

    def test_groups_leave_out_severities_with_no_findings(self):
        row = pitfall_presenters.ShownFinding(self.finding({}), "Medium", (), (), "", "/")
        self.assertEqual([s for s, _, _ in pitfall_presenters.by_severity([row])], [MEDIUM])
        self.assertNotIn(HIGH, [s for s, _, _ in pitfall_presenters.by_severity([row])])
