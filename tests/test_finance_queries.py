"""What the money pages show: the figures of a business case, the checks a board should see, the
reference class, the portfolio forecast, and that the portfolio page's queries do not grow."""

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test import SimpleTestCase, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from headway.assurance.money import organisation_data, organisation_money, portfolio_forecast
from headway.finance import actions, figures, forecast, presenters, queries
from headway.finance.models import ProjectType
from headway.lib.money import pounds, short_pounds
from headway.lib.percentages import percent
from headway.metrics.models import Observation
from headway.portfolio import actions as portfolio_actions
from headway.portfolio.models import Initiative
from tests.factories import (
    make_business_case,
    make_funding_line,
    make_initiative,
    make_metric,
    record_actual,
)
from tests.personas import personas

TODAY = dt.date(2026, 6, 15)  # in 2026/27


def money_of(initiative, today=TODAY):
    data = queries.load(Initiative.objects.for_organisation(initiative.organisation).filter(pk=initiative.pk))
    return figures.initiative_money(data, data.initiatives[0], today)


class WordsTest(SimpleTestCase):
    def test_money_is_written_in_whole_pounds_with_commas(self):
        self.assertEqual(pounds(1234567.4), "£1,234,567")
        self.assertEqual(pounds(-2500), "-£2,500")

    def test_summaries_write_millions_short(self):
        self.assertEqual(short_pounds(1_234_567), "£1.2m")
        self.assertEqual(short_pounds(450_000), "£450,000")

    def test_fractions_are_written_as_percentages(self):
        self.assertEqual(percent(0.84), "84%")
        self.assertEqual(percent(0.2808), "28.1%")

    def test_a_forecasts_last_year_holds_everything_after_it(self):
        self.assertEqual(figures.year_labels(2026, 3), ["2026/27", "2027/28", "2028/29 and later"])


class CaseFiguresTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cast = personas()
        cls.trust, cls.office = cls.cast.trust, cls.cast.office
        cls.initiative = make_initiative(cls.trust, by=cls.office, status="active")
        cls.case = make_business_case(
            cls.initiative,
            cls.office,
            first_year="2026/27",
            planned_months=18,
            costs={"2026/27": 100_000, "2027/28": 100_000},
            benefits={"2027/28": 50_000, "2028/29": 200_000},
            owner=cls.office,
        )
        cls.it = ProjectType.objects.get(is_default=True)

    def figures(self):
        return money_of(self.initiative).latest

    def test_the_appraisal_discounts_from_the_cases_first_year(self):
        figures = self.figures()
        expected = forecast.appraise([100_000, 100_000, 0], [0, 50_000, 200_000], rate=0.035)
        self.assertAlmostEqual(figures.appraisal.npv, expected.npv)
        self.assertAlmostEqual(figures.appraisal.bcr, expected.bcr)
        self.assertEqual([r.year for r in figures.rows], ["2026/27", "2027/28", "2028/29"])
        self.assertEqual(figures.total_cost, 200_000)

    def test_the_cases_own_discount_rate_is_used(self):
        actions.save_business_case(
            initiative=self.initiative, by=self.office, fields={"discount_rate": Decimal("1.5")}, case=self.case
        )
        expected = forecast.appraise([100_000, 100_000, 0], [0, 50_000, 200_000], rate=0.015)
        self.assertAlmostEqual(self.figures().appraisal.npv, expected.npv)

    def test_years_after_the_thirtieth_are_discounted_at_the_green_books_long_term_rate(self):
        actions.add_benefit_lines(
            case=self.case,
            by=self.office,
            kind="non_cash",
            description="Long-lived",
            owner=self.office,
            amounts={"2057/58": 1_000_000},  # year 31 of a case starting in 2026/27
        )
        rows = self.figures().rows
        self.assertEqual(len(rows), 32)
        self.assertAlmostEqual(rows[30].discount_factor, 1 / 1.035**30)
        self.assertAlmostEqual(rows[31].discount_factor, 1 / (1.035**30 * 1.03))
        response = self.client_for_case()
        self.assertContains(response, "3.5% a year to year 30, then lower, as the Green Book sets for the long term")

    def client_for_case(self):
        self.client.force_login(self.office)
        return self.client.get(reverse("finance:case", args=[self.case.pk]))

    def add_capital(self, amounts):
        actions.add_cost_lines(case=self.case, by=self.office, kind="capital", category="hardware", amounts=amounts)

    def test_with_no_risk_managed_the_upper_bounds_apply_in_full(self):
        self.add_capital({"2026/27": 100_000})
        bias = self.figures().bias
        self.assertAlmostEqual(bias.cost_bias, 2.0)
        self.assertAlmostEqual(bias.adjusted_cost, 300_000 + 200_000)  # capital × 3, revenue as it is
        self.assertAlmostEqual(bias.duration_bias, 0.54)
        self.assertAlmostEqual(bias.adjusted_months, 18 * 1.54)

    def test_the_cost_uplift_raises_capital_costs_only_and_says_so(self):
        self.add_capital({"2026/27": 50_000})
        figures = self.figures()
        self.assertEqual(figures.total_cost, 250_000)
        self.assertEqual((figures.bias.cost_kind, figures.bias.biased_cost), ("capital", 50_000))
        self.assertAlmostEqual(figures.bias.adjusted_cost, 250_000 + 2.0 * 50_000)
        expected = forecast.appraise([100_000 + 150_000, 100_000, 0], [0, 50_000, 200_000], rate=0.035)
        self.assertAlmostEqual(figures.adjusted_appraisal.npv, expected.npv)
        self.assertIn(
            "applied to the £50,000 of capital costs only, adding £100,000", presenters.applied_to(figures.bias)
        )
        self.assertIn("the other £200,000 (revenue) is not raised", presenters.applied_to(figures.bias))

    def test_a_case_with_only_revenue_costs_is_not_raised_and_the_page_says_why(self):
        bias = self.figures().bias
        self.assertAlmostEqual(bias.adjusted_cost, 200_000)
        self.assertIn("applies to capital costs only", presenters.applied_to(bias))
        self.assertIn("this case has none, so nothing is raised", presenters.applied_to(bias))

    def test_for_outsourcing_the_cost_uplift_raises_operating_costs_only(self):
        outsourcing = ProjectType.objects.get(key="outsourcing")  # 41% on operating expenditure
        actions.save_business_case(
            initiative=self.initiative, by=self.office, fields={"project_type": outsourcing}, case=self.case
        )
        self.add_capital({"2026/27": 50_000})
        bias = self.figures().bias
        self.assertEqual((bias.cost_kind, bias.biased_cost), ("revenue", 200_000))
        self.assertAlmostEqual(bias.adjusted_cost, 50_000 + 200_000 * 1.41)
        self.assertIn("revenue (operating) costs only", presenters.applied_to(bias))

    def test_reference_data_the_bias_maths_refuses_gives_a_message_instead_of_an_error(self):
        ProjectType.objects.filter(pk=self.it.pk).update(cost_lower=Decimal("250"))  # above the 200% upper bound
        bias = self.figures().bias
        self.assertIsNone(bias.cost_bias)
        self.assertIsNone(bias.adjusted_cost)
        self.assertAlmostEqual(bias.duration_bias, 0.54)  # the time bounds are still usable
        self.assertIn(
            "cannot be used (for cost: The lower bound (250%) is above the upper bound (200%))",
            presenters.bias_problem(bias),
        )
        self.assertIsNone(self.figures().adjusted_appraisal)

    def test_managing_a_risk_area_brings_the_uplift_down_by_its_share(self):
        factor = self.it.factors.get(name="Inadequacy of the business case")  # 58% of cost, 48% of time
        actions.set_mitigations(case=self.case, by=self.office, scores={factor.pk: (Decimal("1"), "Assured")})
        bias = self.figures().bias
        self.assertAlmostEqual(bias.cost_bias, 2.0 * (1 - 0.58))
        self.assertAlmostEqual(bias.duration_bias, 0.54 * (1 - 0.48))

    def test_the_uplift_never_falls_below_the_lower_bound(self):
        actions.set_mitigations(
            case=self.case, by=self.office, scores={f.pk: (Decimal("1"), "") for f in self.it.factors.all()}
        )
        bias = self.figures().bias
        self.assertAlmostEqual(bias.cost_bias, 0.10)
        self.assertAlmostEqual(bias.duration_bias, 0.10)

    def test_a_case_argued_only_in_cash_is_flagged(self):
        self.assertFalse(self.figures().cash_only)
        only_cash = make_initiative(self.trust, by=self.office, status="active")
        make_business_case(only_cash, self.office, benefits={"2026/27": 10}, benefit_kind="cash", owner=self.office)
        money = money_of(only_cash)
        self.assertTrue(money.latest.cash_only)
        self.assertIn("cash_only", [f.code for f in money.flags])

    def test_a_case_with_no_benefits_is_flagged_as_such_and_not_as_argued_in_cash(self):
        no_benefits = make_initiative(self.trust, by=self.office, status="active")
        make_business_case(no_benefits, self.office, costs={"2026/27": 10})
        money = money_of(no_benefits)
        codes = [f.code for f in money.flags]
        self.assertIn("no_benefits", codes)
        self.assertNotIn("cash_only", codes)
        flag = next(f for f in money.flags if f.code == "no_benefits")
        self.assertEqual(presenters.flag_label(flag), "No benefits recorded")
        self.assertIn("records no benefits at all", presenters.flag_explanation(flag))
        self.assertNotIn("no_benefits", [f.code for f in money_of(self.initiative).flags])

    def test_the_latest_stage_is_the_one_used(self):
        make_business_case(self.initiative, self.office, stage="soc", costs={"2026/27": 1})
        self.assertEqual(money_of(self.initiative).latest.case.stage, "obc")


class FundingAndShapeTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cast = personas()
        cls.trust, cls.office = cls.cast.trust, cls.cast.office
        cls.trust.first_release_weeks = 12
        cls.trust.save(update_fields=["first_release_weeks"])
        cls.initiative = make_initiative(
            cls.trust,
            by=cls.office,
            status="active",
            start_date=dt.date(2026, 1, 5),
            planned_go_live=dt.date(2027, 6, 1),
        )
        make_funding_line(cls.initiative, cls.office, financial_year="2026/27")
        make_funding_line(cls.initiative, cls.office, financial_year="2027/28")

    def go_live_on(self, day):
        self.initiative.planned_go_live = day
        self.initiative.save()

    def test_money_to_build_it_in_the_go_live_year_does_not_count_as_funding_after_go_live(self):
        # It goes live in June 2027; the 2027/28 money is to build it, so nothing pays for running it.
        money = money_of(self.initiative)
        self.assertTrue(money.funding_check.flagged)
        self.assertIn(
            "money to build it in the go-live year does not count", presenters.funding_check_text(money.funding_check)
        )
        self.assertIn("funding_ends", [f.code for f in money.flags])

    def test_running_money_in_the_go_live_year_covers_the_months_after_go_live(self):
        make_funding_line(self.initiative, self.office, financial_year="2027/28", purpose="run", kind="revenue")
        check = money_of(self.initiative).funding_check
        self.assertFalse(check.flagged)
        self.assertIn(
            "£100,000 of approved, committed or spent funding for after go-live (2027/28)",
            presenters.funding_check_text(check),
        )

    def test_any_secured_money_for_a_year_after_the_go_live_year_counts(self):
        make_funding_line(self.initiative, self.office, financial_year="2028/29", purpose="build")
        check = money_of(self.initiative).funding_check
        self.assertFalse(check.flagged)
        self.assertIn(
            "none of it is marked for running and improving the live service", presenters.funding_check_text(check)
        )

    def test_funding_that_ends_before_go_live_is_flagged_and_explained(self):
        self.go_live_on(dt.date(2028, 4, 10))
        money = money_of(self.initiative)
        self.assertTrue(money.funding_check.flagged)
        self.assertIn(
            "no approved, committed or spent funding is recorded for after it",
            presenters.funding_check_text(money.funding_check),
        )
        self.assertIn("funding_ends", [f.code for f in money.flags])

    def test_funding_only_requested_does_not_count_and_is_shown_separately(self):
        self.go_live_on(dt.date(2028, 4, 10))
        make_funding_line(self.initiative, self.office, financial_year="2029/30", state="requested", amount=80_000)
        check = money_of(self.initiative).funding_check
        self.assertTrue(check.flagged)
        self.assertEqual((check.requested_after, check.requested_years), (80_000, ["2029/30"]))
        self.assertIn(
            "£80,000 requested but not yet approved for those years (2029/30)", presenters.funding_check_text(check)
        )

    def test_run_and_improve_funding_after_go_live_clears_the_flag(self):
        self.go_live_on(dt.date(2028, 4, 10))
        make_funding_line(self.initiative, self.office, financial_year="2028/29", purpose="run", kind="revenue")
        money = money_of(self.initiative)
        self.assertFalse(money.funding_check.flagged)
        self.assertIn(
            "£100,000 of approved, committed or spent funding", presenters.funding_check_text(money.funding_check)
        )
        self.assertIn(
            "for after go-live (2028/29), to run and improve the live service.",
            presenters.funding_check_text(money.funding_check),
        )

    def test_once_live_the_real_go_live_date_is_used(self):
        self.go_live_on(dt.date(2028, 4, 10))
        self.initiative.went_live_on = dt.date(2026, 5, 1)  # 2026/27, so its funding runs on past it
        self.initiative.save()
        self.assertFalse(money_of(self.initiative).funding_check.flagged)

    def test_without_a_go_live_date_funding_is_not_judged(self):
        no_date = make_initiative(self.trust, by=self.office, status="active")
        check = money_of(no_date).funding_check
        self.assertFalse(check.flagged)
        self.assertIn("no planned go-live date", presenters.funding_check_text(check))

    def test_nothing_in_real_users_hands_after_the_organisations_weeks_is_flagged(self):
        codes = [f.code for f in money_of(self.initiative).flags]
        self.assertIn("no_early_release", codes)
        self.assertIn("value_only_at_end", codes)
        portfolio_actions.record_checkpoint(
            initiative=self.initiative,
            by=self.office,
            week=dt.date(2026, 2, 2),
            fields={"confidence": "green", "confidence_reason": "On track", "reached_real_users": True},
        )
        money = money_of(self.initiative)
        self.assertEqual(money.first_release, dt.date(2026, 2, 2))
        self.assertNotIn("no_early_release", [f.code for f in money.flags])
        self.assertAlmostEqual(money.shape.weeks_to_first_release, 4)

    def test_the_first_benefit_is_the_earlier_of_a_realised_benefit_and_a_metric_beating_its_baseline(self):
        metric = make_metric(self.trust, baseline_value=50)
        case = make_business_case(self.initiative, self.office, benefits={"2026/27": 0}, owner=self.office)
        actions.save_benefit_line(line=case.benefits.get(), by=self.office, fields={"metric": metric})
        values = {(2025, 12): 60, (2026, 1): 61, (2026, 2): 62, (2026, 3): 40, (2026, 4): 55, (2026, 5): 49}
        values |= {(2026, 6): 55, (2026, 7): 56, (2026, 8): 58}
        for (year, month), value in values.items():
            Observation.objects.create(metric=metric, period=dt.date(year, month, 1), value=value)
        money = money_of(self.initiative)
        # December to February beat the baseline but came before the start; April alone is one good
        # month, not a benefit; June begins three in a row.
        self.assertEqual(money.first_benefit, dt.date(2026, 6, 1))
        record_actual(self.initiative, self.office, financial_year="2026/27", kind="benefit", money_kind="")
        self.assertEqual(money_of(self.initiative).first_benefit, dt.date(2026, 4, 1))

    def test_a_realised_benefit_is_dated_no_earlier_than_the_start(self):
        # 2025/26 began on 1 April 2025, before work started on 5 January 2026.
        record_actual(self.initiative, self.office, financial_year="2025/26", kind="benefit", money_kind="")
        money = money_of(self.initiative)
        self.assertEqual(money.first_benefit, dt.date(2026, 1, 5))
        self.assertEqual(money.shape.weeks_to_first_benefit, 0)

    def test_a_plan_with_an_early_first_release_is_not_a_big_bang_before_work_starts(self):
        later = make_initiative(
            self.trust,
            by=self.office,
            status="active",
            start_date=dt.date(2026, 9, 7),
            planned_go_live=dt.date(2028, 3, 1),
        )
        self.assertIn("value_only_at_end", [f.code for f in money_of(later).flags])
        later.planned_first_release = dt.date(2026, 11, 30)
        later.save()
        self.assertNotIn("value_only_at_end", [f.code for f in money_of(later).flags])


class ReferenceClassTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cast = personas()
        cls.trust, cls.office = cls.cast.trust, cls.cast.office
        cls.finished = []
        # Five finished initiatives, each planned at £100,000 to go live in 12 months from 1 January 2024,
        # with their own outcomes: cost ratios 1.1, 3.0, 1.5, 1.2, 2.0 and about 2, 1, 3, 1.25 and 1.5
        # times the planned months. Sorted, the cost ratios' 50th percentile is 1.5 and their 80th
        # 2.0 + 0.2 × (3.0 − 2.0) = 2.2.
        outcomes = [
            (110_000, dt.date(2026, 1, 1)),  # 24 months
            (300_000, dt.date(2025, 1, 1)),  # 12 months
            (150_000, dt.date(2027, 1, 1)),  # 36 months
            (120_000, dt.date(2025, 4, 1)),  # 15 months
            (200_000, dt.date(2025, 7, 1)),  # 18 months
        ]
        for n, (spent, went_live) in enumerate(outcomes):
            initiative = make_initiative(
                cls.trust,
                by=cls.office,
                status="completed",
                start_date=dt.date(2024, 1, 1),
                went_live_on=went_live,
                reference=f"OLD-{n}",
            )
            case = make_business_case(
                initiative,
                cls.office,
                first_year="2023/24",
                planned_months=12,
                costs={"2023/24": 60_000, "2024/25": 40_000, "2027/28": 80_000},  # 2027/28: after every go-live
            )
            # Running costs are not part of the cost to go-live, whenever they fall.
            actions.add_cost_lines(
                case=case, by=cls.office, kind="revenue", category="run", amounts={"2024/25": 50_000}
            )
            record_actual(initiative, cls.office, financial_year="2024/25", amount=spent)
            record_actual(initiative, cls.office, financial_year="2027/28", amount=70_000)  # after go-live
            cls.finished.append(initiative)
        # Not comparable: completed but no actual spend.
        cls.unspent = make_initiative(
            cls.trust,
            by=cls.office,
            status="completed",
            start_date=dt.date(2024, 1, 1),
            went_live_on=dt.date(2025, 1, 1),
        )
        make_business_case(cls.unspent, cls.office, first_year="2023/24", planned_months=12, costs={"2023/24": 1})
        # Planned to go live in June 2027 (2027/28): £150,000 + £50,000 + £20,000 of capital to go-live.
        cls.current = make_initiative(cls.trust, by=cls.office, status="active", planned_go_live=dt.date(2027, 6, 1))
        cls.case = make_business_case(
            cls.current,
            cls.office,
            planned_months=10,
            costs={"2026/27": 150_000, "2027/28": 50_000, "2029/30": 25_000},  # 2029/30: after go-live
        )
        actions.add_cost_lines(
            case=cls.case, by=cls.office, kind="capital", category="hardware", amounts={"2026/27": 20_000}
        )
        actions.add_cost_lines(
            case=cls.case, by=cls.office, kind="revenue", category="run", amounts={"2027/28": 30_000, "2028/29": 40_000}
        )

    def members(self):
        return figures.reference_class(queries.load(Initiative.objects.for_organisation(self.trust)))

    def forecasts(self, members=None):
        money = money_of(self.current)
        return figures.class_forecasts(money.latest, self.members() if members is None else members, self.current)

    def test_only_comparable_finished_initiatives_are_in_the_class(self):
        members = self.members()
        self.assertEqual(sorted(m.initiative.reference for m in members), [f"OLD-{n}" for n in range(5)])

    def test_planned_and_actual_cost_are_both_counted_to_the_year_it_went_live_without_running_costs(self):
        members = {m.initiative.reference: m for m in self.members()}
        # Planned: £60,000 + £40,000, leaving out the running costs and the costs after go-live.
        self.assertEqual({m.planned_cost for m in members.values()}, {100_000})
        # Actual: spend to the go-live year, leaving out the £70,000 spent after it.
        self.assertEqual(members["OLD-0"].actual_cost, 110_000)
        self.assertAlmostEqual(members["OLD-0"].cost_ratio, 1.1)
        self.assertAlmostEqual(members["OLD-1"].cost_ratio, 3.0)
        self.assertEqual(members["OLD-0"].go_live_year, "2025/26")
        self.assertAlmostEqual(members["OLD-2"].duration_ratio, 3.0, places=2)

    def test_with_enough_finished_initiatives_the_forecast_comes_from_their_50th_and_80th_percentiles(self):
        result = self.forecasts()
        self.assertFalse(result.cost.fallback)
        self.assertEqual(result.cost.n, 5)
        # Cost to go-live: £220,000 (the running costs and the 2029/30 costs are left out).
        self.assertEqual(result.cost.planned, 220_000)
        self.assertAlmostEqual(result.cost.p50, 220_000 * 1.5)
        self.assertAlmostEqual(result.cost.p80, 220_000 * 2.2)
        self.assertIn("up to and including 2027/28", presenters.cost_basis(result))
        # Durations: about 1.0, 1.25, 1.5, 2.0 and 3.0 times the plan.
        self.assertAlmostEqual(result.duration.p50, 10 * 1.5, places=1)
        self.assertAlmostEqual(result.duration.p80, 10 * 2.2, places=1)
        self.assertEqual(result.left_out, [])

    def test_below_the_minimum_it_falls_back_to_the_cases_optimism_bias_on_capital_and_says_so(self):
        figures = money_of(self.current).latest
        result = self.forecasts(self.members()[:4])
        self.assertTrue(result.cost.fallback)
        # The 200% uplift is on the £20,000 of capital, not on the £200,000 of revenue beside it.
        self.assertAlmostEqual(result.cost.p80, 220_000 + 20_000 * figures.bias.cost_bias)
        self.assertIn("Green Book", result.cost.explanation)
        self.assertIn("applies to capital costs only: £20,000 of the £220,000", presenters.cost_note(result))
        self.assertIsNone(result.benefit)  # no planned months to the first benefit

    def test_ratios_of_zero_are_left_out_of_the_class_and_the_page_says_which_and_why(self):
        same_day = make_initiative(
            self.trust,
            by=self.office,
            status="completed",
            start_date=dt.date(2024, 1, 1),
            went_live_on=dt.date(2024, 1, 1),
            reference="SAME-DAY",
        )
        make_business_case(
            same_day,
            self.office,
            first_year="2023/24",
            planned_months=12,
            planned_first_benefit_months=6,
            costs={"2023/24": 100_000},
        )
        record_actual(same_day, self.office, financial_year="2023/24", amount=100_000)
        # A benefit recorded for 2023/24, which began before the start: dated on the start day.
        record_actual(same_day, self.office, financial_year="2023/24", kind="benefit", money_kind="")
        late_spend = make_initiative(
            self.trust,
            by=self.office,
            status="completed",
            start_date=dt.date(2024, 1, 1),
            went_live_on=dt.date(2025, 1, 1),
            reference="LATE-SPEND",
        )
        make_business_case(late_spend, self.office, first_year="2023/24", planned_months=12, costs={"2023/24": 1})
        record_actual(late_spend, self.office, financial_year="2026/27", amount=5_000)  # all after go-live
        actions.save_business_case(
            initiative=self.current, by=self.office, fields={"planned_first_benefit_months": 4}, case=self.case
        )
        result = self.forecasts()
        self.assertEqual((result.cost.n, result.duration.n, result.benefit.n), (6, 6, 0))
        self.assertEqual(len(result.left_out), 3)
        cost, duration, benefit = presenters.left_out_texts(result.left_out)
        self.assertIn("For cost, 1 finished initiative was left out (LATE-SPEND)", cost)
        self.assertIn("no spend is recorded up to the year it went live", cost)
        self.assertIn("For time to go-live, 1 finished initiative was left out (SAME-DAY)", duration)
        self.assertIn("went live on (or before) the day it started", duration)
        self.assertIn("For time to the first benefit, 1 finished initiative was left out (SAME-DAY)", benefit)
        overview = organisation_money(self.trust, TODAY)
        self.assertEqual(len(presenters.overview_words(overview).left_out), 2)
        self.assertGreater(overview.median_duration_ratio, 1)


class OverviewTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cast = personas()
        cls.trust, cls.office = cls.cast.trust, cls.cast.office
        cls.metric = make_metric(cls.trust, baseline_value=10)
        Observation.objects.create(metric=cls.metric, period=dt.date(2026, 5, 1), value=12)

    def add_initiatives(self, count):
        for _ in range(count):
            initiative = make_initiative(
                self.trust,
                by=self.office,
                status="active",
                start_date=dt.date(2026, 1, 5),
                planned_go_live=dt.date(2027, 6, 1),  # after the 2026/27 funding ends
            )
            case = make_business_case(
                initiative,
                self.office,
                costs={"2026/27": 1000, "2027/28": 500},
                benefits={"2027/28": 3000},
                owner=self.office,
            )
            actions.save_benefit_line(line=case.benefits.get(), by=self.office, fields={"metric": self.metric})
            actions.set_mitigations(
                case=case, by=self.office, scores={case.project_type.factors.first().pk: (Decimal("0.5"), "")}
            )
            make_funding_line(initiative, self.office)
            record_actual(initiative, self.office, amount=400)
            portfolio_actions.record_checkpoint(
                initiative=initiative,
                by=self.office,
                week=dt.date(2026, 2, 2),
                fields={"confidence": "green", "confidence_reason": "Fine", "reached_real_users": True},
            )

    def test_the_portfolio_is_read_in_the_same_number_of_queries_however_many_initiatives(self):
        counts = []
        for count in (2, 6):
            self.add_initiatives(count)
            with CaptureQueriesContext(connection) as captured:
                overview = organisation_money(self.trust, TODAY)
            counts.append(len(captured))
        self.assertEqual(len(overview.moneys), 8)
        self.assertEqual(counts[0], counts[1], counts)

    def test_totals_add_up_the_initiatives(self):
        self.add_initiatives(3)
        overview = organisation_money(self.trust, TODAY)
        self.assertEqual(overview.planned_cost, 4500)
        self.assertEqual(overview.spent, 1200)
        this_year = next(r for r in overview.years if r.year == "2026/27")
        self.assertEqual((this_year.forecast_cost, this_year.actual_spend, this_year.funding), (3000, 1200, 300_000))
        funding_ends = next(g for g in presenters.overview_words(overview).flags if g.code == "funding_ends")
        self.assertEqual(len(funding_ends.moneys), 3)
        self.assertIn("nothing secured pays to run and improve the live service", funding_ends.summary)


class PortfolioForecastTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cast = personas()
        cls.trust, cls.office = cls.cast.trust, cls.cast.office
        cls.active = make_initiative(
            cls.trust,
            by=cls.office,
            status="active",
            reference="DIG-001",
            start_date=dt.date(2025, 10, 1),
            planned_go_live=dt.date(2027, 6, 15),
        )
        make_business_case(
            cls.active,
            cls.office,
            first_year="2025/26",
            costs={"2025/26": 999_999, "2026/27": 300_000, "2027/28": 200_000},
            benefits={"2028/29": 400_000},
            owner=cls.office,
        )
        cls.proposed = make_initiative(cls.trust, by=cls.office, reference="DIG-002")
        cls.stopped = make_initiative(cls.trust, by=cls.office, status="stopped", reference="DIG-003")
        make_business_case(cls.stopped, cls.office, costs={"2026/27": 5})

    def test_items_run_from_this_financial_year_with_the_months_to_go_live(self):
        data = queries.load(Initiative.objects.for_organisation(self.trust))
        moneys = [figures.initiative_money(data, i, TODAY) for i in data.initiatives]
        items, _, left_out, _ = figures.planned_items(moneys, TODAY)
        self.assertEqual([i.key for i in items], ["DIG-001"])
        item = items[0]
        self.assertEqual(list(item.cost_by_year), [300_000, 200_000, 0])  # 2025/26 is past
        self.assertEqual(list(item.benefits_by_year), [0, 0, 400_000])
        self.assertAlmostEqual(item.planned_months, 12, delta=0.1)
        # Under way since 1 October 2025: its start is about 8.4 months before today.
        self.assertAlmostEqual(item.start_month, -257 / figures.DAYS_IN_A_MONTH)
        self.assertEqual(
            [(m.initiative.reference, presenters.forecast_left_out(why)) for m, why in left_out],
            [("DIG-002", "it has no business case")],
        )

    def test_this_years_plan_counts_only_what_is_still_to_spend(self):
        record_actual(self.active, self.office, financial_year="2026/27", amount=120_000)
        record_actual(self.active, self.office, financial_year="2025/26", amount=999_999)
        data = queries.load(Initiative.objects.for_organisation(self.trust))
        moneys = [figures.initiative_money(data, i, TODAY) for i in data.initiatives]
        items, _, _, _ = figures.planned_items(moneys, TODAY)
        self.assertEqual(list(items[0].cost_by_year), [180_000, 200_000, 0])

    def test_the_forecast_gives_ranges_and_says_them_in_words(self):
        page = portfolio_forecast(self.trust, TODAY, trials=2000)
        self.assertEqual(page.year_labels[0], "2026/27")
        self.assertEqual(page.planned_total, 500_000)
        self.assertLessEqual(page.p50_total, page.p80_total)
        self.assertLessEqual(page.p80_total, page.p90_total)
        self.assertIn("We have planned £500,000 for the rest of this work", presenters.forecast_page(page).summary)
        self.assertIn("a one-in-five chance it costs more than", presenters.forecast_page(page).summary)
        self.assertIn("<svg", presenters.forecast_page(page).cost_chart)
        self.assertEqual([row.label for row in page.cost_rows], page.year_labels)
        self.assertEqual(page.completion[0].planned_date, dt.date(2027, 6, 15))
        again = portfolio_forecast(self.trust, TODAY, trials=2000)
        self.assertEqual(page.p80_total, again.p80_total)

    def test_the_forecast_from_the_whole_organisations_money_leaves_out_what_has_stopped(self):
        loaded = portfolio_forecast(self.trust, TODAY, trials=500)
        shared = portfolio_forecast(self.trust, TODAY, trials=500, data=organisation_data(self.trust))
        for name in ("year_labels", "planned_total", "p50_total", "p80_total", "p90_total", "cost_rows", "completion"):
            self.assertEqual(getattr(shared, name), getattr(loaded, name), name)
        self.assertEqual(shared.planned_total, 500_000)  # the stopped initiative's £5 is not in it

    def test_a_slip_stretches_the_whole_planned_time_from_the_start_not_only_the_months_left(self):
        page = portfolio_forecast(self.trust, TODAY, trials=200)
        row = page.completion[0]
        start = -257 / figures.DAYS_IN_A_MONTH  # 1 October 2025
        whole = (dt.date(2027, 6, 15) - dt.date(2025, 10, 1)).days / figures.DAYS_IN_A_MONTH
        model = forecast.OverrunModel()
        for q, months in ((10, row.p10), (50, row.p50), (80, row.p80), (90, row.p90)):
            with self.subTest(q=q):
                # (It has run 8 of 20 months, so it is known to take at least 0.41 of its plan; that
                # changes the percentiles by far less than a day.)
                self.assertAlmostEqual(months, start + whole * model.schedule_quantile(q / 100), places=3)
        self.assertLess(row.p10_date, row.p50_date)
        self.assertLess(row.p50_date, row.p80_date)
        self.assertLess(row.p80_date, row.p90_date)
        self.assertFalse(row.overdue)

    def test_work_past_its_planned_go_live_is_flagged_and_never_forecast_to_finish_before_today(self):
        overdue = make_initiative(
            self.trust,
            by=self.office,
            status="active",
            reference="DIG-004",
            start_date=dt.date(2025, 1, 6),
            planned_go_live=dt.date(2026, 3, 2),
        )
        make_business_case(overdue, self.office, first_year="2026/27", costs={"2026/27": 50_000})
        page = portfolio_forecast(self.trust, TODAY, trials=200)
        row = next(r for r in page.completion if r.money.initiative.reference == "DIG-004")
        self.assertTrue(row.overdue)
        self.assertGreater(row.p10_date, TODAY)
        # 14 months planned, 17 months gone: it has already taken at least 17/14 of its plan.
        start = (dt.date(2025, 1, 6) - TODAY).days / figures.DAYS_IN_A_MONTH
        whole = (dt.date(2026, 3, 2) - dt.date(2025, 1, 6)).days / figures.DAYS_IN_A_MONTH
        model = forecast.OverrunModel()
        floor = -start / whole
        done = model.schedule_cdf(floor)
        expected = start + whole * model.schedule_quantile(done + (1 - done) * 0.5)
        self.assertAlmostEqual(row.p50, expected, places=6)
        self.assertGreater(row.p50, 1.0)

    def test_with_nothing_to_forecast_the_page_says_so(self):
        page = portfolio_forecast(self.cast.other_trust, TODAY)
        self.assertIsNone(page.result)
        self.assertIn("nothing to forecast", presenters.forecast_page(page).summary)
