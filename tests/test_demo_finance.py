"""The demo's money: loaded once for the class, then checked for the data the money pages need.

These tests read the data directly, not through the money pages, so they say what the demo holds
whatever the pages make of it.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum
from django.test import SimpleTestCase, TestCase

from headway.accounts.models import Membership, Organisation
from headway.demo import finance_data
from headway.demo.loader import load_demo
from headway.finance.models import (
    Actual,
    BenefitLine,
    BusinessCase,
    CostLine,
    FundingLine,
    Mitigation,
    ProjectType,
    check_financial_year,
)
from headway.lib.financial_years import financial_year_start, year_label
from headway.portfolio.models import Checkpoint, Initiative, Status

# A Monday, as in the other demo tests; the financial year is 2025/26.
TODAY = dt.date(2026, 3, 16)
STAGES = {"soc": 1, "obc": 2, "fbc": 3}
OPEN = (Status.ACTIVE, Status.PROPOSED)


def money_counts() -> dict[str, object]:
    return {
        "funding": FundingLine.objects.count(),
        "funding £": FundingLine.objects.aggregate(total=Sum("amount"))["total"],
        "cases": BusinessCase.objects.count(),
        "costs": CostLine.objects.count(),
        "costs £": CostLine.objects.aggregate(total=Sum("amount"))["total"],
        "benefits": BenefitLine.objects.count(),
        "benefits £": BenefitLine.objects.aggregate(total=Sum("amount"))["total"],
        "mitigations": Mitigation.objects.count(),
        "actuals": Actual.objects.count(),
        "actuals £": Actual.objects.aggregate(total=Sum("amount"))["total"],
        "went live": sorted(Initiative.objects.exclude(went_live_on=None).values_list("reference", "went_live_on")),
    }


def latest_case(initiative: Initiative) -> BusinessCase | None:
    cases = list(initiative.business_cases.all())
    return max(cases, key=lambda case: STAGES[case.stage]) if cases else None


class DemoFinanceTests(TestCase):
    acute: Organisation

    @classmethod
    def setUpTestData(cls) -> None:
        cls.acute = load_demo(today=TODAY, stdout=io.StringIO()).organisation

    def initiatives(self, *statuses: str):
        return Initiative.objects.for_organisation(self.acute).filter(status__in=statuses).order_by("reference")

    def reference_class(self) -> list[dict[str, float | str]]:
        members = []
        for initiative in self.initiatives(Status.COMPLETED):
            case = latest_case(initiative)
            if case is None or not initiative.went_live_on or not initiative.start_date:
                continue
            planned = case.costs.aggregate(total=Sum("amount"))["total"] or 0
            spent = initiative.actuals.filter(kind=Actual.Kind.SPEND).aggregate(total=Sum("amount"))["total"] or 0
            if not planned or not spent or not case.planned_months:
                continue
            months = finance_data.months_between(initiative.start_date, initiative.went_live_on)
            members.append(
                {
                    "reference": initiative.reference,
                    "cost": spent / planned,
                    "duration": months / case.planned_months,
                }
            )
        return members

    # The reference class ------------------------------------------------------------------

    def test_no_money_is_spent_in_a_year_with_no_money_secured_for_it(self) -> None:
        secured: dict[tuple[int, str], int] = defaultdict(int)
        for initiative, year, amount in FundingLine.objects.filter(
            initiative__organisation=self.acute, state__in=["approved", "committed", "spent"]
        ).values_list("initiative", "financial_year", "amount"):
            secured[initiative, year] += amount
        spent = (
            Actual.objects.filter(initiative__organisation=self.acute, kind=Actual.Kind.SPEND)
            .values_list("initiative__reference", "initiative", "financial_year")
            .distinct()
        )
        self.assertGreater(len(spent), 40)
        for reference, initiative, year in spent:
            self.assertGreater(secured[initiative, year], 0, f"{reference} spent in {year} with nothing secured")

    def test_the_reference_class_has_eight_finished_initiatives_with_plans_and_outturns(self) -> None:
        finished = self.initiatives(Status.COMPLETED)
        self.assertGreaterEqual(finished.count(), 8)
        for initiative in finished:
            with self.subTest(initiative.reference):
                self.assertIsNotNone(initiative.start_date)
                self.assertIsNotNone(initiative.planned_go_live)
                self.assertIsNotNone(initiative.went_live_on)
                case = latest_case(initiative)
                assert case is not None
                self.assertEqual(case.stage, BusinessCase.Stage.FBC)
                self.assertTrue(case.planned_months)
                self.assertTrue(case.planned_first_benefit_months)
                self.assertTrue(case.costs.exists())
                self.assertTrue(initiative.actuals.filter(kind=Actual.Kind.SPEND).exists())
        self.assertGreaterEqual(len(self.reference_class()), 8)

    def test_the_outturns_look_like_real_it_projects_with_one_black_swan(self) -> None:
        members = self.reference_class()
        costs = [float(m["cost"]) for m in members]
        durations = [float(m["duration"]) for m in members]
        swans = [m for m in members if 2.5 <= float(m["cost"]) <= 3.0]
        self.assertEqual(len(swans), 1, members)
        self.assertGreaterEqual(float(swans[0]["duration"]), 1.6)
        under = [c for c in costs if c < 1.0]
        self.assertTrue(1 <= len(under) <= 2, costs)
        modest = [c for c in costs if 1.0 <= c <= 1.4]
        self.assertEqual(len(modest), len(costs) - len(under) - 1, costs)
        self.assertGreater(len([d for d in durations if 1.0 <= d <= 1.5]), len(durations) / 2, durations)

    def test_the_older_finished_initiatives_were_closed_by_recorded_decisions(self) -> None:
        references = {spec.reference for spec in finance_data.FINISHED}
        existing = set(Initiative.objects.exclude(reference__in=references).values_list("reference", flat=True))
        self.assertFalse(references & existing)
        for initiative in Initiative.objects.filter(reference__in=references):
            with self.subTest(initiative.reference):
                self.assertEqual(initiative.status, Status.COMPLETED)
                latest = initiative.decisions.order_by("-decided_on").first()
                assert latest is not None
                self.assertEqual(latest.kind, "close")
                self.assertEqual(latest.status_after, Status.COMPLETED)
                self.assertTrue(initiative.metrics.exists())

    def test_some_finished_initiatives_realised_benefits(self) -> None:
        realised = Actual.objects.filter(
            initiative__organisation=self.acute, initiative__status=Status.COMPLETED, kind=Actual.Kind.BENEFIT
        )
        self.assertGreaterEqual(realised.values("initiative").distinct().count(), 3)
        self.assertFalse(realised.filter(benefit=None).exists())

    # Funding ------------------------------------------------------------------------------

    def test_every_active_and_proposed_initiative_has_funding_in_nhs_financial_years(self) -> None:
        open_initiatives = Initiative.objects.filter(status__in=OPEN)
        lines = FundingLine.objects.filter(initiative__in=open_initiatives)
        self.assertEqual(
            set(lines.values_list("initiative", flat=True)), set(open_initiatives.values_list("pk", flat=True))
        )
        years = set(lines.values_list("financial_year", flat=True))
        for year in years:
            check_financial_year(year)
        self.assertEqual(min(years), "2024/25")
        self.assertEqual(max(years), "2029/30")
        self.assertEqual(set(lines.values_list("kind", flat=True)), {"capital", "revenue"})
        self.assertEqual(set(lines.values_list("source", flat=True)), {"national", "ics", "trust"})
        self.assertEqual(set(lines.values_list("state", flat=True)), set(FundingLine.State.values))
        self.assertEqual(set(lines.values_list("purpose", flat=True)), set(FundingLine.Purpose.values))
        amounts = list(lines.values_list("amount", flat=True))
        self.assertGreaterEqual(min(amounts), 1_000)
        self.assertLessEqual(max(amounts), 3_000_000)
        # Proposals have asked for money; none of it is agreed yet.
        self.assertEqual(
            set(lines.filter(initiative__status=Status.PROPOSED).values_list("state", flat=True)), {"requested"}
        )

    def test_two_initiatives_have_no_funding_after_go_live_and_most_others_do(self) -> None:
        ends, carries_on = [], []
        for initiative in self.initiatives(*OPEN):
            go_live = initiative.went_live_on or initiative.planned_go_live
            if go_live is None:
                continue
            after = initiative.funding_lines.filter(financial_year__gt=year_label(financial_year_start(go_live)))
            (carries_on if after.exists() else ends).append(initiative.reference)
        self.assertGreaterEqual(len(ends), 2, ends)
        self.assertIn("DIG-004", ends)
        self.assertGreater(len(carries_on), 2 * len(ends), carries_on)
        run = FundingLine.objects.filter(initiative__reference__in=carries_on, purpose=FundingLine.Purpose.RUN)
        self.assertEqual(set(run.values_list("kind", flat=True)), {"revenue"})

    # Business cases -----------------------------------------------------------------------

    def test_most_active_and_proposed_initiatives_have_a_business_case_at_some_stage(self) -> None:
        open_initiatives = Initiative.objects.filter(status__in=OPEN)
        with_case = open_initiatives.filter(business_cases__isnull=False).distinct()
        self.assertGreaterEqual(with_case.count(), 0.75 * open_initiatives.count())
        cases = BusinessCase.objects.filter(initiative__in=open_initiatives)
        self.assertEqual(set(cases.values_list("stage", flat=True)), {"soc", "obc", "fbc"})
        default = ProjectType.objects.get(is_default=True)
        for case in cases:
            with self.subTest(str(case)):
                self.assertEqual(case.project_type, default)
                self.assertEqual(case.discount_rate, Decimal("3.5"))
                check_financial_year(case.first_year)
                self.assertTrue(case.planned_months)
                self.assertTrue(case.planned_first_benefit_months)
                self.assertTrue(case.summary)
                kinds = set(case.costs.values_list("kind", flat=True))
                self.assertIn("revenue", kinds)
                self.assertTrue(case.benefits.exists())
                self.assertTrue(all(line.financial_year >= case.first_year for line in case.costs.all()))
        self.assertEqual(set(CostLine.objects.values_list("kind", flat=True)), {"capital", "revenue"})
        self.assertGreaterEqual(len(set(CostLine.objects.values_list("category", flat=True))), 5)

    def test_one_initiative_has_an_outline_and_a_full_case(self) -> None:
        grown = [i for i in self.initiatives(Status.ACTIVE) if i.business_cases.count() == 2]
        self.assertTrue(grown)
        outline, full = (grown[0].business_cases.get(stage=stage) for stage in ("obc", "fbc"))
        self.assertGreater(
            full.costs.aggregate(total=Sum("amount"))["total"], outline.costs.aggregate(total=Sum("amount"))["total"]
        )

    def test_benefits_come_in_every_kind(self) -> None:
        self.assertEqual(set(BenefitLine.objects.values_list("kind", flat=True)), set(BenefitLine.Kind.values))

    def test_one_open_initiative_argues_its_case_only_in_cash(self) -> None:
        cash_only = []
        for initiative in self.initiatives(*OPEN):
            case = latest_case(initiative)
            if case is not None and set(case.benefits.values_list("kind", flat=True)) == {"cash"}:
                cash_only.append(initiative.reference)
        self.assertEqual(cash_only, ["DIG-019"])

    def test_every_benefit_line_has_an_owner_who_is_a_member(self) -> None:
        members = defaultdict(set)
        for user, organisation in Membership.objects.values_list("user", "organisation"):
            members[organisation].add(user)
        for line in BenefitLine.objects.select_related("business_case__initiative"):
            self.assertIn(line.owner_id, members[line.business_case.initiative.organisation_id], line.description)

    def test_linked_metrics_belong_to_the_same_organisation(self) -> None:
        linked = BenefitLine.objects.exclude(metric=None).select_related("metric", "business_case__initiative")
        self.assertGreater(linked.count(), BenefitLine.objects.count() / 3)
        for line in linked:
            assert line.metric is not None
            self.assertEqual(line.metric.organisation_id, line.business_case.initiative.organisation_id)

    def test_several_cases_score_their_optimism_bias_and_one_mitigates_nothing(self) -> None:
        default = ProjectType.objects.get(is_default=True)
        factors = set(default.factors.values_list("pk", flat=True))
        scored = BusinessCase.objects.filter(mitigations__isnull=False).distinct()
        self.assertGreaterEqual(scored.count(), 5)
        means = {}
        for case in scored:
            with self.subTest(str(case)):
                self.assertEqual(set(case.mitigations.values_list("factor", flat=True)), factors)
                self.assertTrue(all(m.evidence.strip() for m in case.mitigations.all()))
                scores = [m.mitigation for m in case.mitigations.all()]
                means[case.initiative.reference] = sum(scores) / len(scores)
        self.assertEqual([ref for ref, mean in means.items() if mean == 0], ["DIG-024"])
        self.assertGreaterEqual(len([mean for mean in means.values() if mean >= Decimal("0.7")]), 2)

    # Actuals ------------------------------------------------------------------------------

    def test_active_initiatives_record_spend_and_some_realised_benefits_and_proposals_none(self) -> None:
        for initiative in self.initiatives(Status.ACTIVE):
            with self.subTest(initiative.reference):
                spend = initiative.actuals.filter(kind=Actual.Kind.SPEND)
                self.assertTrue(spend.exists())
                self.assertTrue(all(a.financial_year <= "2025/26" for a in spend))
                self.assertTrue(all(a.money_kind in ("capital", "revenue") for a in spend))
        self.assertTrue(
            Actual.objects.filter(initiative__status=Status.ACTIVE, kind=Actual.Kind.BENEFIT).exclude(benefit=None)
        )
        self.assertFalse(Actual.objects.filter(initiative__status=Status.PROPOSED).exists())
        self.assertTrue(all(a.recorded_at.date() <= TODAY for a in Actual.objects.all()))

    def test_spend_to_date_differs_from_the_plan_both_ways(self) -> None:
        # The plan to date: earlier years in full, and the current one (2025/26) pro rata.
        elapsed = ((TODAY - dt.date(2025, 4, 1)).days + 1) / 365
        ratios = {}
        for initiative in self.initiatives(Status.ACTIVE):
            case = latest_case(initiative)
            if case is None:
                continue
            planned = sum(
                line.amount * (elapsed if line.financial_year == "2025/26" else 1)
                for line in case.costs.filter(financial_year__lte="2025/26")
            )
            spent = initiative.actuals.filter(kind=Actual.Kind.SPEND).aggregate(total=Sum("amount"))["total"]
            ratios[initiative.reference] = spent / planned
        self.assertTrue(any(r > 1.1 for r in ratios.values()), ratios)
        self.assertTrue(any(r < 0.9 for r in ratios.values()), ratios)

    # Delivery shape -----------------------------------------------------------------------

    def test_one_active_initiative_puts_all_its_value_at_the_end(self) -> None:
        late = []
        for initiative in self.initiatives(Status.ACTIVE):
            start, go_live = initiative.start_date, initiative.planned_go_live
            if start is None or go_live is None:
                continue
            released = initiative.checkpoints.filter(reached_real_users=True).exists()
            if start < TODAY - dt.timedelta(weeks=12) and not released and go_live > start + dt.timedelta(days=365):
                late.append(initiative)
        self.assertEqual([i.reference for i in late], ["DIG-022"])
        case = latest_case(late[0])
        assert case is not None
        self.assertEqual(case.planned_first_benefit_months, case.planned_months)

    def test_others_put_something_in_real_users_hands_within_weeks_of_starting(self) -> None:
        early = []
        for initiative in self.initiatives(Status.ACTIVE):
            first = (
                Checkpoint.objects.filter(initiative=initiative, reached_real_users=True)
                .order_by("week_start")
                .values_list("week_start", flat=True)
                .first()
            )
            if first and initiative.start_date and first <= initiative.start_date + dt.timedelta(weeks=12):
                early.append(initiative.reference)
        self.assertGreaterEqual(len(early), 2, early)

    # Loading again ------------------------------------------------------------------------

    def test_loading_again_adds_no_money(self) -> None:
        # A reset is checked once for the whole demo, in tests/test_demo.py.
        before = money_counts()
        load_demo(today=TODAY, stdout=io.StringIO())
        self.assertEqual(money_counts(), before)


class SpreadTests(SimpleTestCase):
    """Sharing a cost between financial years (pure)."""

    def test_it_shares_by_days_and_keeps_the_total(self) -> None:
        # 182 days in 2025/26 and 183 in 2026/27.
        shares = finance_data.spread(365_000, dt.date(2025, 10, 1), dt.date(2026, 9, 30))
        self.assertEqual(shares, {2025: 182_000, 2026: 183_000})
        shares = finance_data.spread(100_000, dt.date(2025, 1, 1), dt.date(2026, 6, 30), step=10)
        self.assertEqual(sum(shares.values()), 100_000)
        self.assertEqual(list(shares), [2024, 2025, 2026])
        self.assertGreater(shares[2025], shares[2024])

    def test_a_cost_within_one_year_stays_there(self) -> None:
        self.assertEqual(finance_data.spread(5_000, dt.date(2026, 5, 1), dt.date(2026, 5, 1)), {2026: 5_000})
        self.assertEqual(finance_data.spread(0, dt.date(2026, 5, 1), dt.date(2027, 5, 1)), {})
