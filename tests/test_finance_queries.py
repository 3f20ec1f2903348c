"""What the money pages show: the figures of a business case, the checks a board should see, the
reference class, the portfolio forecast, and that the portfolio page's queries do not grow."""

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test import SimpleTestCase, TestCase
from django.test.utils import CaptureQueriesContext

from headway.accounts.roles import Role
from headway.finance import actions, forecast, queries
from headway.finance.models import ProjectType
from headway.metrics.models import Observation
from headway.portfolio import actions as portfolio_actions
from headway.portfolio.models import Initiative
from tests.factories import (
    make_business_case,
    make_funding_line,
    make_initiative,
    make_metric,
    make_organisation,
    make_person,
    record_actual,
)

TODAY = dt.date(2026, 6, 15)  # in 2026/27


def money_of(initiative, today=TODAY):
    data = queries.load(Initiative.objects.for_organisation(initiative.organisation).filter(pk=initiative.pk))
    return queries.initiative_money(data, data.initiatives[0], today)


class WordsTest(SimpleTestCase):
    def test_money_is_written_in_whole_pounds_with_commas(self):
        self.assertEqual(queries.pounds(1234567.4), "£1,234,567")
        self.assertEqual(queries.pounds(-2500), "-£2,500")

    def test_summaries_write_millions_short(self):
        self.assertEqual(queries.short_pounds(1_234_567), "£1.2m")
        self.assertEqual(queries.short_pounds(450_000), "£450,000")

    def test_fractions_are_written_as_percentages(self):
        self.assertEqual(queries.percent(0.84), "84%")
        self.assertEqual(queries.percent(0.2808), "28.1%")

    def test_a_forecasts_last_year_holds_everything_after_it(self):
        self.assertEqual(queries.year_labels(2026, 3), ["2026/27", "2027/28", "2028/29 and later"])


class CaseFiguresTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.trust = make_organisation()
        cls.office = make_person(cls.trust, Role.PORTFOLIO_OFFICE, "Olu Office")
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

    def test_with_no_risk_managed_the_upper_bounds_apply_in_full(self):
        bias = self.figures().bias
        self.assertAlmostEqual(bias.cost_bias, 2.0)
        self.assertAlmostEqual(bias.adjusted_cost, 600_000)
        self.assertAlmostEqual(bias.duration_bias, 0.54)
        self.assertAlmostEqual(bias.adjusted_months, 18 * 1.54)

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

    def test_the_latest_stage_is_the_one_used(self):
        make_business_case(self.initiative, self.office, stage="soc", costs={"2026/27": 1})
        self.assertEqual(money_of(self.initiative).latest.case.stage, "obc")


class FundingAndShapeTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.trust = make_organisation(first_release_weeks=12)
        cls.office = make_person(cls.trust, Role.PORTFOLIO_OFFICE, "Olu Office")
        cls.initiative = make_initiative(
            cls.trust,
            by=cls.office,
            status="active",
            start_date=dt.date(2026, 1, 5),
            planned_go_live=dt.date(2027, 6, 1),
        )
        make_funding_line(cls.initiative, cls.office, financial_year="2026/27")
        make_funding_line(cls.initiative, cls.office, financial_year="2027/28")

    def test_funding_that_ends_in_the_year_of_go_live_is_flagged_and_explained(self):
        money = money_of(self.initiative)
        self.assertTrue(money.funding_check.flagged)
        self.assertIn("no funding is recorded for any year after 2027/28", money.funding_check.text)
        self.assertIn("funding_ends", [f.code for f in money.flags])

    def test_run_and_improve_funding_after_go_live_clears_the_flag(self):
        make_funding_line(self.initiative, self.office, financial_year="2028/29", purpose="run", kind="revenue")
        money = money_of(self.initiative)
        self.assertFalse(money.funding_check.flagged)
        self.assertIn("£100,000 of funding for the years after that (2028/29)", money.funding_check.text)

    def test_once_live_the_real_go_live_date_is_used(self):
        self.initiative.went_live_on = dt.date(2026, 5, 1)  # 2026/27, so 2027/28 funding is after it
        self.initiative.save()
        self.assertFalse(money_of(self.initiative).funding_check.flagged)

    def test_without_a_go_live_date_funding_is_not_judged(self):
        no_date = make_initiative(self.trust, by=self.office, status="active")
        check = money_of(no_date).funding_check
        self.assertFalse(check.flagged)
        self.assertIn("no planned go-live date", check.text)

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


class ReferenceClassTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.trust = make_organisation()
        cls.office = make_person(cls.trust, Role.PORTFOLIO_OFFICE, "Olu Office")
        cls.finished = []
        # Five finished initiatives that each cost 1.5× and took 2× their plan (12 months planned).
        for n in range(5):
            initiative = make_initiative(
                cls.trust,
                by=cls.office,
                status="completed",
                start_date=dt.date(2024, 1, 1),
                went_live_on=dt.date(2026, 1, 1),
                reference=f"OLD-{n}",
            )
            make_business_case(
                initiative, cls.office, first_year="2023/24", planned_months=12, costs={"2023/24": 100_000}
            )
            record_actual(initiative, cls.office, financial_year="2024/25", amount=150_000)
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
        cls.current = make_initiative(cls.trust, by=cls.office, status="active")
        cls.case = make_business_case(cls.current, cls.office, planned_months=10, costs={"2026/27": 200_000})

    def members(self):
        return queries.reference_class(queries.load(Initiative.objects.for_organisation(self.trust)))

    def test_only_comparable_finished_initiatives_are_in_the_class(self):
        members = self.members()
        self.assertEqual(sorted(m.initiative.reference for m in members), [f"OLD-{n}" for n in range(5)])
        self.assertAlmostEqual(members[0].cost_ratio, 1.5)
        self.assertAlmostEqual(members[0].duration_ratio, 24 / 12, places=1)

    def test_with_enough_finished_initiatives_the_forecast_comes_from_them(self):
        figures = money_of(self.current).latest
        result = queries.class_forecasts(figures, self.members())
        self.assertFalse(result.cost.fallback)
        self.assertAlmostEqual(result.cost.p80, 300_000)
        self.assertEqual(result.cost.n, 5)
        self.assertAlmostEqual(result.duration.p50, 10 * self.members()[0].duration_ratio, places=3)

    def test_below_the_minimum_it_falls_back_to_the_cases_optimism_bias_and_says_so(self):
        figures = money_of(self.current).latest
        result = queries.class_forecasts(figures, self.members()[:4])
        self.assertTrue(result.cost.fallback)
        self.assertAlmostEqual(result.cost.p80, 200_000 * (1 + figures.bias.cost_bias))
        self.assertIn("Green Book", result.cost.explanation)
        self.assertIsNone(result.benefit)  # no planned months to the first benefit


class OverviewTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.trust = make_organisation()
        cls.office = make_person(cls.trust, Role.PORTFOLIO_OFFICE, "Olu Office")
        cls.metric = make_metric(cls.trust, baseline_value=10)
        Observation.objects.create(metric=cls.metric, period=dt.date(2026, 5, 1), value=12)

    def add_initiatives(self, count):
        for _ in range(count):
            initiative = make_initiative(
                self.trust,
                by=self.office,
                status="active",
                start_date=dt.date(2026, 1, 5),
                planned_go_live=dt.date(2027, 3, 1),
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
                overview = queries.overview(self.trust, TODAY)
            counts.append(len(captured))
        self.assertEqual(len(overview.moneys), 8)
        self.assertEqual(counts[0], counts[1], counts)

    def test_totals_add_up_the_initiatives(self):
        self.add_initiatives(3)
        overview = queries.overview(self.trust, TODAY)
        self.assertEqual(overview.planned_cost, 4500)
        self.assertEqual(overview.spent, 1200)
        this_year = next(r for r in overview.years if r.year == "2026/27")
        self.assertEqual((this_year.forecast_cost, this_year.actual_spend, this_year.funding), (3000, 1200, 300_000))
        funding_ends = next(g for g in overview.flags if g.code == "funding_ends")
        self.assertEqual(len(funding_ends.moneys), 3)
        self.assertIn("nothing pays to run and improve the live service", funding_ends.summary)


class PortfolioForecastTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.trust = make_organisation()
        cls.office = make_person(cls.trust, Role.PORTFOLIO_OFFICE, "Olu Office")
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
        moneys = [queries.initiative_money(data, i, TODAY) for i in data.initiatives]
        items, _, left_out, _ = queries.planned_items(moneys, TODAY)
        self.assertEqual([i.key for i in items], ["DIG-001"])
        item = items[0]
        self.assertEqual(list(item.cost_by_year), [300_000, 200_000, 0])  # 2025/26 is past
        self.assertEqual(list(item.benefits_by_year), [0, 0, 400_000])
        self.assertAlmostEqual(item.planned_months, 12, delta=0.1)
        self.assertEqual(
            [(m.initiative.reference, why) for m, why in left_out], [("DIG-002", "it has no business case")]
        )

    def test_this_years_plan_counts_only_what_is_still_to_spend(self):
        record_actual(self.active, self.office, financial_year="2026/27", amount=120_000)
        record_actual(self.active, self.office, financial_year="2025/26", amount=999_999)
        data = queries.load(Initiative.objects.for_organisation(self.trust))
        moneys = [queries.initiative_money(data, i, TODAY) for i in data.initiatives]
        items, _, _, _ = queries.planned_items(moneys, TODAY)
        self.assertEqual(list(items[0].cost_by_year), [180_000, 200_000, 0])

    def test_the_forecast_gives_ranges_and_says_them_in_words(self):
        page = queries.portfolio_forecast(self.trust, TODAY, trials=2000)
        self.assertEqual(page.year_labels[0], "2026/27")
        self.assertEqual(page.planned_total, 500_000)
        self.assertLessEqual(page.p50_total, page.p80_total)
        self.assertLessEqual(page.p80_total, page.p90_total)
        self.assertIn("We have planned £500,000 for the rest of this work", page.summary)
        self.assertIn("a one-in-five chance it costs more than", page.summary)
        self.assertIn("<svg", page.cost_chart)
        self.assertEqual([row.label for row in page.cost_rows], page.year_labels)
        self.assertEqual(page.completion[0].planned_date, dt.date(2027, 6, 15))
        again = queries.portfolio_forecast(self.trust, TODAY, trials=2000)
        self.assertEqual(page.p80_total, again.p80_total)

    def test_with_nothing_to_forecast_the_page_says_so(self):
        page = queries.portfolio_forecast(make_organisation(), TODAY)
        self.assertIsNone(page.result)
        self.assertIn("nothing to forecast", page.summary)
