"""The money pages: reading, each form and its bad input, role refusals, the organisation boundary
and query counts."""

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from headway.accounts.models import Organisation
from headway.accounts.roles import Role
from headway.finance import actions
from headway.finance.models import Actual, BenefitLine, BusinessCase, CostLine, FundingLine, Mitigation, ProjectType
from headway.metrics import queries as metric_queries
from headway.metrics.presenters import FIRST_BENEFIT_WORDS, better_words
from headway.portfolio.models import Initiative
from tests.factories import (
    make_business_case,
    make_funding_line,
    make_initiative,
    make_metric,
    make_person,
    record_actual,
)
from tests.personas import personas


def url(name, *args):
    return reverse(f"finance:{name}", args=args)


class FinancePagesTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cast = personas("Riverside Trust")
        cls.trust, cls.elsewhere = cls.cast.trust, cls.cast.other_trust
        cls.office, cls.board, cls.lead = cls.cast.office, cls.cast.board, cls.cast.lead
        cls.viewer, cls.stranger = cls.cast.viewer, cls.cast.other_office
        # Kept as their own people: the pages name the case's owner, and a second delivery lead leads theirs.
        cls.executive = make_person(cls.trust, Role.EXECUTIVE, "Esi Exec")
        cls.other_lead = make_person(cls.trust, Role.DELIVERY_LEAD, "Dot Otherlead")
        cls.ours = make_initiative(
            cls.trust,
            by=cls.office,
            status="active",
            reference="DIG-001",
            title="Electronic observations",
            delivery_lead=cls.lead,
            start_date=dt.date(2026, 1, 5),
            planned_go_live=dt.date(2027, 6, 1),
        )
        cls.theirs = make_initiative(
            cls.trust,
            by=cls.office,
            status="active",
            reference="DIG-002",
            title="Patient portal",
            delivery_lead=cls.other_lead,
        )
        cls.metric = make_metric(
            cls.trust,
            "Minutes of paperwork a shift",
            baseline_value=60,
            target_value=40,
            improvement_direction="decrease",
        )
        cls.foreign_metric = make_metric(cls.elsewhere, "Hillside falls")
        cls.case = make_business_case(
            cls.ours,
            cls.office,
            stage="obc",
            planned_months=18,
            costs={"2026/27": 400_000, "2027/28": 100_000},
            benefits={"2027/28": 250_000},
            owner=cls.executive,
        )
        cls.cost = cls.case.costs.order_by("financial_year").first()
        cls.benefit = cls.case.benefits.get()
        actions.save_benefit_line(line=cls.benefit, by=cls.office, fields={"metric": cls.metric})
        cls.funding = make_funding_line(cls.ours, cls.office, amount=500_000)
        cls.actual = record_actual(cls.ours, cls.office, amount=120_000)
        cls.their_case = make_business_case(cls.theirs, cls.office, benefits={"2026/27": 5}, owner=cls.office)

    def assert_form_errors(self, response, *messages):
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "There is a problem")
        self.assertContains(response, "<title>Error: ", html=False)
        for message in messages:
            self.assertContains(response, message)

    def counts(self):
        return (
            FundingLine.objects.count(),
            BusinessCase.objects.count(),
            CostLine.objects.count(),
            BenefitLine.objects.count(),
            Mitigation.objects.count(),
            Actual.objects.count(),
        )


class ReadingTest(FinancePagesTestCase):
    def test_everyone_in_the_organisation_reads_the_money_pages(self):
        self.client.force_login(self.viewer)
        for address in (url("overview"), url("forecast"), url("initiative", self.ours.pk), url("case", self.case.pk)):
            with self.subTest(address=address):
                self.assertEqual(self.client.get(address).status_code, 200)
        response = self.client.get(url("initiative", self.ours.pk))
        self.assertNotContains(response, url("funding_add", self.ours.pk))
        self.assertNotContains(response, url("funding_delete", self.funding.pk))

    def test_the_initiatives_money_page_shows_the_figures_a_board_needs(self):
        self.client.force_login(self.board)
        response = self.client.get(url("initiative", self.ours.pk))
        self.assertContains(response, "£500,000")  # funding and planned cost
        # +200% on capital only, and the case's costs are all revenue.
        self.assertContains(response, "£500,000 after optimism bias")
        self.assertContains(response, "The 200% cost uplift applies to capital costs only")
        self.assertContains(response, "Net present value (NPV)")
        self.assertContains(response, "Benefit–cost ratio")
        self.assertContains(response, "Funding ends at go-live")
        self.assertContains(response, "no approved, committed or spent funding is recorded for after it")
        self.assertContains(response, reverse("metrics:detail", args=[self.metric.pk]))
        self.assertContains(response, "Minutes of paperwork a shift")
        self.assertContains(response, "The Green Book uplift")  # no reference class yet

    def test_the_money_page_answers_is_it_better_by_the_one_rule_and_says_how_it_knows(self):
        self.client.force_login(self.board)
        response = self.client.get(url("initiative", self.ours.pk))
        answer = metric_queries.improvements([self.metric])[self.metric.pk]
        self.assertContains(response, better_words(answer))  # the answer and how it is known
        self.assertContains(response, FIRST_BENEFIT_WORDS)
        self.assertNotContains(response, "better than its baseline.")  # the old rule's words

    def test_the_business_case_page_shows_the_plan_beside_the_plan_after_optimism_bias(self):
        actions.add_cost_lines(
            case=self.case, by=self.office, kind="capital", category="hardware", amounts={"2026/27": 100_000}
        )
        self.client.force_login(self.viewer)
        response = self.client.get(url("case", self.case.pk))
        self.assertContains(response, "The plan beside the plan after optimism bias")
        self.assertContains(response, "200% of £100,000")
        self.assertContains(response, "£800,000")  # £600,000 + £100,000 × 3
        self.assertContains(response, "With capital costs raised by the optimism bias")
        self.assertContains(response, "the other £500,000 (revenue) is not raised")
        self.assertContains(response, "Upper 200%, lower 10%")
        self.assertContains(response, "Inadequacy of the business case")
        self.assertContains(response, "27.7 months")  # 18 months + 54%
        self.assertContains(response, "Esi Exec")

    def test_the_portfolio_page_flags_and_totals_the_money(self):
        self.client.force_login(self.board)
        response = self.client.get(url("overview"))
        self.assertContains(response, "Where the money is at risk")
        self.assertContains(response, "Funding ends at go-live: 1 initiative")
        self.assertContains(response, "£120,000")
        self.assertContains(response, "DIG-002 Patient portal")

    def test_the_forecast_page_says_the_range_in_words_and_in_a_table(self):
        self.client.force_login(self.viewer)
        response = self.client.get(url("forecast"))
        self.assertContains(response, "a one-in-five chance it costs more than")
        self.assertContains(response, "<svg", html=False)
        self.assertContains(response, "P80")

    def test_the_forecast_page_names_work_it_left_out_and_says_why(self):
        make_initiative(self.trust, by=self.office, status="active", reference="DIG-077", title="No case yet")
        self.client.force_login(self.viewer)
        response = self.client.get(url("forecast"))
        self.assertContains(response, "DIG-077 No case yet</a>: it has no business case.", html=False)

    def test_the_forecast_page_gives_go_live_as_p10_p50_p80_and_p90_and_flags_a_passed_go_live(self):
        Initiative.objects.filter(pk=self.ours.pk).update(planned_go_live=dt.date(2026, 3, 2))
        self.client.force_login(self.viewer)
        response = self.client.get(url("forecast"))
        for header in (
            "Nine-in-ten chance of later than (P10)",
            "Even chance of later than (P50)",
            "One-in-five chance of later than (P80)",
            "One-in-ten chance of later than (P90)",
        ):
            self.assertContains(response, header)
        self.assertContains(response, "Planned go-live has passed")

    def test_money_pages_show_a_message_not_an_error_when_the_reference_data_cannot_be_used(self):
        project_type = self.case.project_type
        project_type.factors.filter(name="Inadequacy of the business case").update(cost_contribution=Decimal("90"))
        self.client.force_login(self.viewer)
        for address in (url("overview"), url("initiative", self.ours.pk), url("case", self.case.pk)):
            with self.subTest(address=address):
                response = self.client.get(address)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "cannot be used (for cost: The contributions add up to 132%")
                self.assertContains(response, "An administrator needs to correct the project type")

    def test_finished_initiatives_with_a_ratio_of_zero_are_left_out_and_the_page_says_why(self):
        same_day = make_initiative(
            self.trust,
            by=self.office,
            status="completed",
            reference="OLD-001",
            start_date=dt.date(2024, 1, 1),
            went_live_on=dt.date(2024, 1, 1),
        )
        make_business_case(same_day, self.office, first_year="2023/24", planned_months=12, costs={"2023/24": 1000})
        record_actual(same_day, self.office, financial_year="2023/24", amount=1000)
        self.client.force_login(self.viewer)
        for address in (url("initiative", self.ours.pk), url("case", self.case.pk), url("overview")):
            with self.subTest(address=address):
                response = self.client.get(address)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "For time to go-live, 1 finished initiative was left out (OLD-001)")

    def test_a_case_with_no_benefits_is_flagged_on_its_pages(self):
        self.case.benefits.all().delete()
        self.client.force_login(self.viewer)
        for address in (url("initiative", self.ours.pk), url("case", self.case.pk)):
            with self.subTest(address=address):
                self.assertContains(self.client.get(address), "No benefits recorded")

    def test_the_initiative_page_has_a_money_section_and_the_menu_a_money_item(self):
        self.client.force_login(self.viewer)
        response = self.client.get(reverse("portfolio:detail", args=[self.ours.pk]))
        self.assertContains(response, '<h2 id="money">Money</h2>', html=False)
        self.assertContains(response, url("initiative", self.ours.pk))
        self.assertContains(response, f'href="{url("overview")}"', html=False)

    def test_the_portfolio_page_takes_the_same_number_of_queries_however_many_initiatives(self):
        self.client.force_login(self.board)
        counts = []
        for extra in (1, 5):
            for _ in range(extra):
                initiative = make_initiative(
                    self.trust, by=self.office, status="active", planned_go_live=dt.date(2027, 1, 1)
                )
                make_business_case(
                    initiative, self.office, costs={"2026/27": 10}, benefits={"2026/27": 20}, owner=self.office
                )
                make_funding_line(initiative, self.office)
                record_actual(initiative, self.office)
            with CaptureQueriesContext(connection) as captured:
                response = self.client.get(url("overview"))
            self.assertEqual(response.status_code, 200)
            counts.append(len(captured))
        self.assertEqual(counts[0], counts[1], counts)

    def test_another_organisations_money_is_not_found(self):
        self.client.force_login(self.stranger)
        for address in (
            url("initiative", self.ours.pk),
            url("case", self.case.pk),
            url("funding_edit", self.funding.pk),
            url("cost_edit", self.cost.pk),
            url("benefit_edit", self.benefit.pk),
            url("actual_edit", self.actual.pk),
            url("mitigations", self.case.pk),
        ):
            with self.subTest(address=address):
                self.assertEqual(self.client.get(address).status_code, 404)
                self.assertEqual(self.client.post(address, {"amount": "1"}).status_code, 404)
        response = self.client.get(url("overview"))
        self.assertNotContains(response, "Electronic observations")

    def test_another_organisations_money_cannot_be_added_to_or_removed(self):
        self.client.force_login(self.stranger)
        before = self.counts()
        for address in (
            url("funding_add", self.ours.pk),
            url("case_add", self.ours.pk),
            url("cost_add", self.case.pk),
            url("benefit_add", self.case.pk),
            url("actual_add", self.ours.pk),
        ):
            with self.subTest(address=address):
                self.assertEqual(self.client.get(address).status_code, 404)
                self.assertEqual(self.client.post(address, {"amount": "1"}).status_code, 404)
        for address in (
            url("funding_delete", self.funding.pk),
            url("case_delete", self.case.pk),
            url("cost_delete", self.cost.pk),
            url("benefit_delete", self.benefit.pk),
            url("actual_delete", self.actual.pk),
        ):
            with self.subTest(address=address):
                self.assertEqual(self.client.get(address).status_code, 404)  # no confirmation page either
                self.assertEqual(self.client.post(address).status_code, 404)
                self.assertEqual(self.client.delete(address).status_code, 404)
        self.assertEqual(self.counts(), before)


class PermissionTest(FinancePagesTestCase):
    def change_addresses(self):
        return [
            url("funding_add", self.ours.pk),
            url("funding_edit", self.funding.pk),
            url("case_add", self.ours.pk),
            url("case_edit", self.case.pk),
            url("cost_add", self.case.pk),
            url("cost_edit", self.cost.pk),
            url("benefit_add", self.case.pk),
            url("benefit_edit", self.benefit.pk),
            url("mitigations", self.case.pk),
            url("actual_add", self.ours.pk),
            url("actual_edit", self.actual.pk),
        ]

    def delete_addresses(self):
        return [
            url("funding_delete", self.funding.pk),
            url("case_delete", self.case.pk),
            url("cost_delete", self.cost.pk),
            url("benefit_delete", self.benefit.pk),
            url("actual_delete", self.actual.pk),
        ]

    def test_viewers_and_board_members_cannot_change_money(self):
        before = self.counts()
        for person in (self.viewer, self.board):
            self.client.force_login(person)
            for address in self.change_addresses():
                with self.subTest(person=person.full_name, address=address):
                    self.assertEqual(self.client.get(address).status_code, 403)
                    self.assertEqual(self.client.post(address, {"amount": "1"}).status_code, 403)
            for address in self.delete_addresses():
                with self.subTest(person=person.full_name, address=address):
                    # Not even the page asking whether to remove it: they cannot remove it.
                    self.assertEqual(self.client.get(address).status_code, 403)
                    self.assertEqual(self.client.post(address).status_code, 403)
                    self.assertEqual(self.client.delete(address).status_code, 403)
        self.assertEqual(self.counts(), before)

    def test_a_delivery_lead_changes_the_money_of_the_initiatives_they_lead_and_no_others(self):
        before = self.counts()
        self.client.force_login(self.other_lead)
        for address in self.change_addresses():
            with self.subTest(address=address):
                self.assertEqual(self.client.get(address).status_code, 403)
        for address in self.delete_addresses():
            with self.subTest(address=address):
                self.assertEqual(self.client.get(address).status_code, 403)
                self.assertEqual(self.client.post(address).status_code, 403)
        self.assertEqual(self.counts(), before)
        self.client.force_login(self.lead)
        for address in self.change_addresses() + self.delete_addresses():
            with self.subTest(address=address):
                self.assertEqual(self.client.get(address).status_code, 200)
        self.assertContains(self.client.get(url("initiative", self.ours.pk)), url("funding_add", self.ours.pk))

    def test_removing_is_asked_with_a_get_and_done_with_a_post_and_nothing_else(self):
        self.client.force_login(self.office)
        before = self.counts()
        for address in self.delete_addresses():
            for method in ("put", "patch", "delete"):
                with self.subTest(address=address, method=method):
                    response = getattr(self.client, method)(address)
                    self.assertEqual(response.status_code, 405)
                    self.assertEqual(response["Allow"], "GET, HEAD, POST")
        self.assertEqual(self.counts(), before)

    def test_the_portfolio_office_removes_lines_and_cases(self):
        self.client.force_login(self.office)
        self.assertRedirects(
            self.client.post(url("funding_delete", self.funding.pk)), url("initiative", self.ours.pk) + "#funding"
        )
        self.assertRedirects(self.client.post(url("cost_delete", self.cost.pk)), url("case", self.case.pk) + "#costs")
        self.assertRedirects(
            self.client.post(url("benefit_delete", self.benefit.pk)), url("case", self.case.pk) + "#benefits"
        )
        self.assertRedirects(
            self.client.post(url("actual_delete", self.actual.pk)), url("initiative", self.ours.pk) + "#actuals"
        )
        self.assertRedirects(
            self.client.post(url("case_delete", self.case.pk)), url("initiative", self.ours.pk) + "#business-cases"
        )
        self.assertFalse(BusinessCase.objects.filter(initiative=self.ours).exists())
        self.assertFalse(FundingLine.objects.exists())


class ConfirmRemovalTest(FinancePagesTestCase):
    """Every "Remove" asks first: a page that names exactly what will go, then "Yes, remove it"."""

    def confirmations(self):
        """(address, the question it asks, its caption, where "No, go back" leads)."""
        money, case = url("initiative", self.ours.pk), url("case", self.case.pk)
        return [
            (
                url("funding_delete", self.funding.pk),
                "Remove the 2026/27 capital funding of £500,000?",
                "DIG-001 Electronic observations",
                money + "#funding",
            ),
            (
                url("case_delete", self.case.pk),
                "Remove the outline business case for DIG-001?",
                "DIG-001 Electronic observations",
                case,
            ),
            (
                url("cost_delete", self.cost.pk),
                "Remove the 2026/27 staff cost of £400,000?",
                "DIG-001 Outline business case",
                case + "#costs",
            ),
            (
                url("benefit_delete", self.benefit.pk),
                "Remove the 2027/28 benefit “Time given back”?",
                "DIG-001 Outline business case",
                case + "#benefits",
            ),
            (
                url("actual_delete", self.actual.pk),
                "Remove the 2026/27 revenue spend of £120,000?",
                "DIG-001 Electronic observations",
                money + "#actuals",
            ),
        ]

    def test_each_remove_opens_a_page_naming_what_will_go_and_changes_nothing(self):
        before = self.counts()
        for person in (self.office, self.lead):
            self.client.force_login(person)
            for address, question, caption, back in self.confirmations():
                with self.subTest(person=person.full_name, address=address):
                    response = self.client.get(address)
                    self.assertEqual(response.status_code, 200)
                    self.assertTemplateUsed(response, "components/confirm_remove.html")
                    self.assertContains(response, "<h1", count=1, html=False)
                    self.assertContains(response, f"{question}</h1>", html=False)
                    self.assertContains(response, f"<title>{question} – {caption} – Riverside Trust", html=False)
                    self.assertContains(response, f'<span class="nhsuk-caption-l">{caption}<', html=False)
                    self.assertContains(response, "Headway's history of changes keeps a record")
                    self.assertContains(
                        response, '<form method="post" novalidate aria-labelledby="confirm-heading">', html=False
                    )
                    self.assertContains(response, ">Yes, remove it</button>", html=False)
                    self.assertContains(response, f'<a class="nhsuk-back-link" href="{back}">', html=False)
                    self.assertContains(response, f'<a class="nhsuk-link" href="{back}">No, go back</a>', html=False)
                    self.assertContains(response, 'aria-current="true"', html=False)  # the Money menu item
        self.assertEqual(self.counts(), before)

    def test_the_pages_say_what_goes_with_each_and_what_stays(self):
        self.client.force_login(self.office)
        response = self.client.get(url("funding_delete", self.funding.pk))
        self.assertContains(response, "Only this funding line goes; DIG-001&#x27;s other funding stays.")
        self.assertContains(response, "Approved")  # its state, to tell it from other lines
        response = self.client.get(url("cost_delete", self.cost.pk))
        self.assertContains(response, "Only this line goes; the outline business case&#x27;s other costs stay.")
        linked = record_actual(self.ours, self.office, kind="benefit", money_kind="", benefit=self.benefit, amount=7)
        response = self.client.get(url("benefit_delete", self.benefit.pk))
        self.assertContains(response, "the same benefit in other years")
        self.assertContains(response, "Esi Exec")  # its owner
        self.assertContains(response, "Minutes of paperwork a shift")  # the metric that measures it
        self.assertContains(
            response, "1 recorded realised benefit linked to it stays, but will no longer be linked to a benefit."
        )
        response = self.client.get(url("actual_delete", linked.pk))
        self.assertContains(response, "Remove the 2026/27 realised benefit of £7?")
        self.assertContains(response, "Benefits realised so far, and actual against forecast, will no longer count it.")
        response = self.client.get(url("actual_delete", self.actual.pk))
        self.assertContains(response, "Spent so far, and actual against forecast, will no longer count it.")

    def test_the_business_case_page_counts_everything_that_goes_with_the_case(self):
        factors = list(self.case.project_type.factors.all()[:3])
        actions.set_mitigations(
            case=self.case, by=self.office, scores={f.pk: (Decimal("0.5"), "Evidence") for f in factors}
        )
        record_actual(self.ours, self.office, kind="benefit", money_kind="", benefit=self.benefit, amount=7)
        self.client.force_login(self.office)
        before = self.counts()
        response = self.client.get(url("case_delete", self.case.pk))
        self.assertContains(response, "This also removes its 2 cost lines, 1 benefit line and 3 optimism-bias scores.")
        self.assertContains(response, "1 recorded realised benefit linked to its benefit lines stays")
        self.assertContains(response, "DIG-001 will then have no business case.")
        self.assertEqual(self.counts(), before)

    def test_removing_the_latest_case_says_which_case_the_money_pages_will_use_instead(self):
        full = make_business_case(self.ours, self.office, stage="fbc")
        self.client.force_login(self.office)
        response = self.client.get(url("case_delete", full.pk))
        self.assertContains(response, "Remove the full business case for DIG-001?")
        self.assertContains(
            response, "It has no costs, benefits or optimism-bias scores, so nothing else goes with it."
        )
        self.assertContains(response, "The money pages and forecasts will then use the outline business case.")
        response = self.client.get(url("case_delete", self.case.pk))  # an earlier stage: the figures do not change
        self.assertNotContains(response, "will then use")
        self.assertNotContains(response, "will then have no business case")

    def test_yes_removes_it_and_the_case_goes_with_its_lines(self):
        self.client.force_login(self.lead)
        response = self.client.post(url("case_delete", self.case.pk), follow=True)
        self.assertRedirects(response, url("initiative", self.ours.pk) + "#business-cases")
        self.assertContains(response, "The outline business case and its costs, benefits and scores have been removed.")
        self.assertFalse(BusinessCase.objects.filter(pk=self.case.pk).exists())
        self.assertFalse(CostLine.objects.filter(business_case_id=self.case.pk).exists())
        self.assertFalse(BenefitLine.objects.filter(business_case_id=self.case.pk).exists())
        self.assertEqual(BusinessCase.history.filter(id=self.case.pk).latest().history_user, self.lead)

    def test_the_money_pages_link_to_the_confirmation_instead_of_removing_at_once(self):
        self.client.force_login(self.office)
        pages = {
            url("initiative", self.ours.pk): (
                url("funding_delete", self.funding.pk),
                url("actual_delete", self.actual.pk),
            ),
            url("case", self.case.pk): (
                url("cost_delete", self.cost.pk),
                url("benefit_delete", self.benefit.pk),
                url("case_delete", self.case.pk),
            ),
        }
        for page, removals in pages.items():
            response = self.client.get(page)
            for address in removals:
                with self.subTest(page=page, address=address):
                    self.assertContains(response, f'href="{address}"', html=False)
                    self.assertNotContains(response, f'action="{address}"', html=False)
        response = self.client.get(url("initiative", self.ours.pk))
        self.assertContains(
            response,
            f'<a href="{url("funding_delete", self.funding.pk)}">Remove<span class="nhsuk-u-visually-hidden"> the '
            "2026/27 capital funding of £500,000</span></a>",
            html=False,
        )


class FundingFormTest(FinancePagesTestCase):
    def valid(self, **changes):
        data = {
            "financial_year": "2028/29",
            "kind": "revenue",
            "source": "ics",
            "state": "requested",
            "purpose": "run",
            "amount": "£250,000",
            "note": "Run and improve",
        }
        data.update(changes)
        return data

    def test_a_funding_line_is_added(self):
        self.client.force_login(self.lead)
        response = self.client.post(url("funding_add", self.ours.pk), self.valid(state="approved"))
        self.assertRedirects(response, url("initiative", self.ours.pk) + "#funding")
        line = FundingLine.objects.get(financial_year="2028/29")
        self.assertEqual((line.amount, line.purpose, line.created_by), (250_000, "run", self.lead))
        self.assertNotContains(self.client.get(url("initiative", self.ours.pk)), "Funding ends at go-live")

    def test_funding_only_requested_after_go_live_leaves_the_flag_and_is_shown_apart(self):
        self.client.force_login(self.lead)
        self.client.post(url("funding_add", self.ours.pk), self.valid(state="requested"))
        response = self.client.get(url("initiative", self.ours.pk))
        self.assertContains(response, "Funding ends at go-live")
        self.assertContains(response, "£250,000 requested but not yet approved for those years (2028/29)")

    def test_bad_money_and_a_year_that_is_not_one_are_explained_and_nothing_is_saved(self):
        self.client.force_login(self.office)
        before = self.counts()
        for amount, message in (
            ("12p", "‘12p’ is not an amount in whole pounds"),
            ("-5", "An amount cannot be negative"),
        ):
            with self.subTest(amount=amount):
                response = self.client.post(
                    url("funding_add", self.ours.pk), self.valid(amount=amount, financial_year="2026/2028")
                )
                self.assert_form_errors(response, message, "Write the financial year as 2026/27")
                self.assertContains(response, f'value="{amount}"', html=False)
        response = self.client.post(url("funding_add", self.ours.pk), self.valid(financial_year="2026/28"))
        self.assert_form_errors(response, "‘2026/28’ is not a financial year: after 2026 comes 27.")
        for year in ("0000/01", "3026/27"):
            with self.subTest(year=year):
                response = self.client.post(url("funding_add", self.ours.pk), self.valid(financial_year=year))
                self.assert_form_errors(response, "give a financial year from 2000/01 to 2099/00")
        self.assertEqual(self.counts(), before)

    def test_a_funding_line_is_changed_and_bad_input_changes_nothing(self):
        self.client.force_login(self.office)
        response = self.client.post(url("funding_edit", self.funding.pk), self.valid(amount="-1"))
        self.assert_form_errors(response, "An amount cannot be negative")
        self.funding.refresh_from_db()
        self.assertEqual(self.funding.amount, 500_000)
        response = self.client.post(url("funding_edit", self.funding.pk), self.valid(amount="600000"))
        self.assertRedirects(response, url("initiative", self.ours.pk) + "#funding")
        self.funding.refresh_from_db()
        self.assertEqual(self.funding.amount, 600_000)

    def test_the_form_shows_money_as_people_write_it(self):
        self.client.force_login(self.office)
        self.assertContains(self.client.get(url("funding_edit", self.funding.pk)), 'value="£500,000"', html=False)


class BusinessCaseFormTest(FinancePagesTestCase):
    def valid(self, **changes):
        data = {
            "stage": "fbc",
            "project_type": str(self.case.project_type_id),
            "first_year": "2026/27",
            "discount_rate": "3.5",
            "planned_months": "20",
            "planned_first_benefit_months": "6",
            "approved_on": "",
            "summary": "Full case",
        }
        data.update(changes)
        return data

    def test_a_full_case_is_added_as_a_copy_of_the_outline_case(self):
        self.client.force_login(self.office)
        response = self.client.post(url("case_add", self.ours.pk), self.valid(copy_from=str(self.case.pk)))
        full = BusinessCase.objects.get(initiative=self.ours, stage="fbc")
        self.assertRedirects(response, url("case", full.pk))
        self.assertEqual(full.costs.count(), 2)
        self.assertEqual(full.created_by, self.office)

    def test_bad_input_is_explained_and_nothing_is_saved(self):
        self.client.force_login(self.office)
        before = self.counts()
        response = self.client.post(
            url("case_add", self.ours.pk),
            self.valid(stage="obc", first_year="2026/2028", discount_rate="25", planned_months="-3"),
        )
        self.assert_form_errors(
            response, "Write the financial year as 2026/27", "Ensure this value is less than or equal to 20"
        )
        self.assertContains(response, 'value="2026/2028"', html=False)
        response = self.client.post(url("case_add", self.ours.pk), self.valid(stage="obc"))
        self.assert_form_errors(response, "DIG-001 already has a outline business case")
        self.assertEqual(self.counts(), before)

    def test_a_copy_says_what_it_copied_and_how_many_lines_it_left_out(self):
        self.client.force_login(self.office)
        response = self.client.post(
            url("case_add", self.ours.pk), self.valid(copy_from=str(self.case.pk), first_year="2027/28"), follow=True
        )
        self.assertContains(
            response,
            "The full business case has been added, with 1 cost line and 1 benefit line copied from the outline "
            "business case. 1 line for years before 2027/28, the new case&#x27;s first year, was left out.",
        )

    def test_changing_the_project_type_says_exactly_which_scores_were_removed_and_kept(self):
        factors = {f.name: f for f in self.case.project_type.factors.all()}
        actions.set_mitigations(
            case=self.case,
            by=self.office,
            scores={
                factors["Inadequacy of the business case"].pk: (Decimal("1"), "Gateway review"),
                factors["Complexity of contract structure"].pk: (Decimal("0.25"), "One supplier"),
            },
        )
        outsourcing = ProjectType.objects.get(key="outsourcing")
        self.client.force_login(self.office)
        response = self.client.post(
            url("case_edit", self.case.pk), self.valid(stage="obc", project_type=str(outsourcing.pk)), follow=True
        )
        self.assertContains(
            response,
            "removed 1 optimism-bias score for risk areas it does not have: Complexity of contract structure "
            "(scored 0.25; evidence: “One supplier”)",
        )
        self.assertContains(response, "The score for Inadequacy of the business case was kept")
        self.assertEqual(self.case.mitigations.get().evidence, "Gateway review")

    def test_a_case_is_changed_and_bad_input_changes_nothing(self):
        self.client.force_login(self.office)
        response = self.client.post(url("case_edit", self.case.pk), self.valid(stage="obc", first_year="2027/28"))
        self.assert_form_errors(response, "The case has costs or benefits in 2026/27")
        self.case.refresh_from_db()
        self.assertEqual(self.case.first_year, "2026/27")
        response = self.client.post(url("case_edit", self.case.pk), self.valid(stage="obc", discount_rate="1.5"))
        self.assertRedirects(response, url("case", self.case.pk))
        self.case.refresh_from_db()
        self.assertEqual(self.case.discount_rate, Decimal("1.5"))


class CostFormTest(FinancePagesTestCase):
    def test_costs_for_several_years_are_added_at_once(self):
        self.client.force_login(self.lead)
        response = self.client.post(
            url("cost_add", self.case.pk),
            {"category": "supplier", "kind": "capital", "amounts": "2026/27 | £10,000\n2027/28\t5000", "note": ""},
        )
        self.assertRedirects(response, url("case", self.case.pk) + "#costs")
        self.assertEqual(
            list(self.case.costs.filter(category="supplier").values_list("financial_year", "amount")),
            [("2026/27", 10_000), ("2027/28", 5_000)],
        )

    def test_each_bad_line_is_explained_and_nothing_is_saved(self):
        self.client.force_login(self.office)
        before = self.counts()
        typed = "2026/2028 | £1,000\n2027/28 | 12p\n2028/29 | -5\n2025/26 | 10"
        response = self.client.post(
            url("cost_add", self.case.pk), {"category": "staff", "kind": "revenue", "amounts": typed}
        )
        self.assert_form_errors(
            response,
            "Line 1: Write the financial year as 2026/27",
            "Line 2: ‘12p’ is not an amount in whole pounds",
            "Line 3: An amount cannot be negative",
        )
        self.assertContains(response, "2027/28 | 12p")
        response = self.client.post(
            url("cost_add", self.case.pk), {"category": "staff", "kind": "revenue", "amounts": "2025/26 | 10"}
        )
        self.assert_form_errors(response, "before the business case&#x27;s first year")
        response = self.client.post(
            url("cost_add", self.case.pk), {"category": "run", "kind": "revenue", "amounts": "2090/91 | 10"}
        )
        self.assert_form_errors(
            response, "a business case covers at most 60 financial years", "can run to 2085/86 at the latest"
        )
        self.assertEqual(self.counts(), before)

    def test_a_cost_is_changed_and_bad_input_changes_nothing(self):
        self.client.force_login(self.office)
        data = {"financial_year": "2026/27", "category": "staff", "kind": "revenue", "amount": "12p", "note": ""}
        self.assert_form_errors(self.client.post(url("cost_edit", self.cost.pk), data), "is not an amount")
        self.cost.refresh_from_db()
        self.assertEqual(self.cost.amount, 400_000)
        data["amount"] = "£450,000"
        self.assertRedirects(
            self.client.post(url("cost_edit", self.cost.pk), data), url("case", self.case.pk) + "#costs"
        )
        self.cost.refresh_from_db()
        self.assertEqual(self.cost.amount, 450_000)


class BenefitFormTest(FinancePagesTestCase):
    def valid(self, **changes):
        data = {
            "kind": "staff_time",
            "description": "Nurses spend less time on paperwork",
            "owner": str(self.executive.pk),
            "metric": str(self.metric.pk),
            "amounts": "2027/28 | £0",
        }
        data.update(changes)
        return data

    def test_a_benefit_of_any_kind_is_added_with_an_owner_and_a_metric(self):
        self.client.force_login(self.office)
        response = self.client.post(url("benefit_add", self.case.pk), self.valid())
        self.assertRedirects(response, url("case", self.case.pk) + "#benefits")
        line = self.case.benefits.get(kind="staff_time")
        self.assertEqual((line.owner, line.metric, line.amount), (self.executive, self.metric, 0))

    def test_an_owner_who_is_not_a_member_or_another_organisations_metric_is_refused(self):
        self.client.force_login(self.office)
        before = self.counts()
        response = self.client.post(
            url("benefit_add", self.case.pk),
            self.valid(owner=str(self.stranger.pk), metric=str(self.foreign_metric.pk), amounts="2027/28 | 12p"),
        )
        self.assert_form_errors(
            response,
            "Choose a member of your organisation.",
            "Choose one of your organisation&#x27;s metrics.",
            "is not an amount",
        )
        self.assertContains(response, "Nurses spend less time on paperwork")
        self.assertEqual(self.counts(), before)

    def test_a_benefit_is_changed_and_bad_input_changes_nothing(self):
        self.client.force_login(self.office)
        data = {
            "financial_year": "2027/28",
            "kind": "cash",
            "description": "Less agency spend",
            "amount": "-5",
            "owner": str(self.stranger.pk),
            "metric": str(self.foreign_metric.pk),
        }
        response = self.client.post(url("benefit_edit", self.benefit.pk), data)
        self.assert_form_errors(
            response,
            "An amount cannot be negative",
            "Choose a member of your organisation.",
            "Choose one of your organisation&#x27;s metrics.",
        )
        self.benefit.refresh_from_db()
        self.assertEqual((self.benefit.kind, self.benefit.amount), ("non_cash", 250_000))
        data.update(amount="£90,000", owner=str(self.executive.pk), metric="")
        self.assertRedirects(
            self.client.post(url("benefit_edit", self.benefit.pk), data), url("case", self.case.pk) + "#benefits"
        )
        self.benefit.refresh_from_db()
        self.assertEqual((self.benefit.kind, self.benefit.amount, self.benefit.metric), ("cash", 90_000, None))


class MitigationFormTest(FinancePagesTestCase):
    def test_scores_and_evidence_are_saved_and_lower_the_uplift(self):
        self.client.force_login(self.office)
        factor = self.case.project_type.factors.get(name="Inadequacy of the business case")
        response = self.client.post(
            url("mitigations", self.case.pk), {f"score_{factor.pk}": "1", f"evidence_{factor.pk}": "Gateway review"}
        )
        self.assertRedirects(response, url("case", self.case.pk) + "#optimism-bias")
        self.assertEqual(Mitigation.objects.get(factor=factor).evidence, "Gateway review")
        self.assertContains(self.client.get(url("case", self.case.pk)), "84%")  # 200% × (1 − 58%)

    def test_a_score_above_one_is_explained_and_nothing_is_saved(self):
        self.client.force_login(self.office)
        factor = self.case.project_type.factors.first()
        response = self.client.post(
            url("mitigations", self.case.pk), {f"score_{factor.pk}": "1.5", f"evidence_{factor.pk}": "Hope"}
        )
        self.assert_form_errors(response, "Give a number from 0 (not managed at all) to 1 (fully managed)")
        self.assertContains(response, 'value="1.5"', html=False)
        self.assertFalse(Mitigation.objects.exists())


class ActualFormTest(FinancePagesTestCase):
    def valid(self, **changes):
        data = {
            "financial_year": "2026/27",
            "kind": "spend",
            "money_kind": "capital",
            "amount": "£75,000",
            "benefit": "",
            "note": "Ledger 4410",
        }
        data.update(changes)
        return data

    def test_spend_and_a_realised_benefit_are_recorded(self):
        self.client.force_login(self.lead)
        self.assertRedirects(
            self.client.post(url("actual_add", self.ours.pk), self.valid()),
            url("initiative", self.ours.pk) + "#actuals",
        )
        self.client.post(
            url("actual_add", self.ours.pk),
            self.valid(kind="benefit", money_kind="", benefit=str(self.benefit.pk), amount="1000"),
        )
        self.assertEqual(self.ours.actuals.get(kind="benefit").benefit, self.benefit)
        response = self.client.get(url("initiative", self.ours.pk))
        self.assertContains(response, "£195,000")  # spent so far: 120,000 + 75,000

    def test_bad_input_is_explained_and_nothing_is_saved(self):
        self.client.force_login(self.office)
        before = self.counts()
        response = self.client.post(url("actual_add", self.ours.pk), self.valid(amount="12p", money_kind=""))
        self.assert_form_errors(response, "is not an amount", "Say whether the spend was capital or revenue.")
        their_benefit = self.their_case.benefits.get()
        response = self.client.post(
            url("actual_add", self.ours.pk), self.valid(kind="benefit", benefit=str(their_benefit.pk))
        )
        self.assert_form_errors(response, "Choose one of this initiative&#x27;s benefits.")
        response = self.client.post(url("actual_add", self.ours.pk), self.valid(financial_year="2026/2028"))
        self.assert_form_errors(response, "Write the financial year as 2026/27")
        self.assertEqual(self.counts(), before)

    def test_a_record_is_changed_and_bad_input_changes_nothing(self):
        self.client.force_login(self.office)
        response = self.client.post(url("actual_edit", self.actual.pk), self.valid(amount="-3"))
        self.assert_form_errors(response, "An amount cannot be negative")
        self.actual.refresh_from_db()
        self.assertEqual(self.actual.amount, 120_000)
        self.assertRedirects(
            self.client.post(url("actual_edit", self.actual.pk), self.valid()),
            url("initiative", self.ours.pk) + "#actuals",
        )
        self.actual.refresh_from_db()
        self.assertEqual((self.actual.amount, self.actual.money_kind), (75_000, "capital"))


class SettingsAndInitiativeFormTest(FinancePagesTestCase):
    def test_the_portfolio_office_sets_the_weeks_to_a_first_release(self):
        self.client.force_login(self.office)
        data = {"wip_limit": "8", "confidence_scale": "three", "first_release_weeks": "8"}
        self.assertRedirects(self.client.post(reverse("portfolio:settings"), data), reverse("portfolio:settings"))
        self.assertEqual(Organisation.objects.get(pk=self.trust.pk).first_release_weeks, 8)
        data["first_release_weeks"] = "0"
        response = self.client.post(reverse("portfolio:settings"), data)
        self.assert_form_errors(response, "Weeks to a first release to real users")
        self.assertEqual(Organisation.objects.get(pk=self.trust.pk).first_release_weeks, 8)

    def test_the_date_it_went_live_is_recorded_on_the_initiative(self):
        self.client.force_login(self.office)
        data = {
            "title": self.ours.title,
            "problem": self.ours.problem,
            "phase": "live",
            "start_date": "2026-01-05",
            "planned_go_live": "2027-06-01",
            "went_live_on": "2025-12-01",
        }
        for went_live_on in ("2025-12-01", "2026-01-05"):  # before the start, and on the day it started
            data["went_live_on"] = went_live_on
            with self.subTest(went_live_on=went_live_on):
                response = self.client.post(reverse("portfolio:edit", args=[self.ours.pk]), data)
                self.assert_form_errors(response, "It must have gone live after its start date, not on or before it.")
        self.assertIsNone(Initiative.objects.get(pk=self.ours.pk).went_live_on)
        data["went_live_on"] = "2026-03-02"
        self.assertRedirects(
            self.client.post(reverse("portfolio:edit", args=[self.ours.pk]), data),
            reverse("portfolio:detail", args=[self.ours.pk]),
        )
        self.assertEqual(Initiative.objects.get(pk=self.ours.pk).went_live_on, dt.date(2026, 3, 2))
