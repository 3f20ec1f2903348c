"""Writes for money: what each action saves, what it refuses, and that a refusal saves nothing."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.test import TestCase

from headway.finance import actions
from headway.finance.models import (
    Actual,
    BenefitLine,
    BiasFactor,
    BusinessCase,
    CostLine,
    FundingLine,
    Mitigation,
    ProjectType,
)
from tests.factories import (
    make_business_case,
    make_funding_line,
    make_initiative,
    make_metric,
    record_actual,
)
from tests.personas import personas


class FinanceActionsTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cast = personas("Riverside Trust")
        cls.trust, cls.elsewhere = cls.cast.trust, cls.cast.other_trust
        cls.office, cls.owner, cls.stranger = cls.cast.office, cls.cast.executive, cls.cast.other_office
        cls.initiative = make_initiative(cls.trust, by=cls.office, status="active", reference="DIG-001")
        cls.other = make_initiative(cls.trust, by=cls.office, reference="DIG-002")
        cls.metric = make_metric(cls.trust, "Minutes of paperwork a shift")
        cls.foreign_metric = make_metric(cls.elsewhere, "Their metric")
        cls.it = ProjectType.objects.get(is_default=True)
        cls.building = ProjectType.objects.get(key="non-standard-buildings")

    def case(self, **fields):
        return make_business_case(self.initiative, self.office, **fields)

    # Funding ---------------------------------------------------------------------------------

    def test_a_funding_line_is_saved_with_who_added_it(self):
        line = make_funding_line(self.initiative, self.office, amount=250_000, purpose="run")
        self.assertEqual(line.created_by, self.office)
        self.assertEqual(line.history.first().history_user, self.office)

    def test_a_funding_line_for_a_year_that_is_not_one_is_refused(self):
        with self.assertRaises(ValidationError) as caught:
            make_funding_line(self.initiative, self.office, financial_year="2026/28")
        self.assertIn("financial_year", caught.exception.error_dict)
        self.assertFalse(FundingLine.objects.exists())

    def test_a_financial_year_outside_2000_01_to_2099_00_is_refused_with_the_range_it_must_be_in(self):
        for year in ("0000/01", "1999/00", "2100/01", "3026/27"):
            with self.subTest(year=year), self.assertRaises(ValidationError) as caught:
                make_funding_line(self.initiative, self.office, financial_year=year)
            self.assertIn("give a financial year from 2000/01 to 2099/00", str(caught.exception))
        self.assertFalse(FundingLine.objects.exists())
        for year in ("2000/01", "2099/00"):
            make_funding_line(self.initiative, self.office, financial_year=year)
        self.assertEqual(FundingLine.objects.count(), 2)

    def test_removing_a_funding_line_leaves_a_history_record(self):
        line = make_funding_line(self.initiative, self.office)
        actions.delete_funding_line(line=line, by=self.office)
        self.assertFalse(FundingLine.objects.exists())
        self.assertEqual(FundingLine.history.filter(history_type="-").get().history_user, self.office)

    # Business cases --------------------------------------------------------------------------

    def test_a_new_business_case_starts_with_the_default_project_type_and_the_green_book_rate(self):
        case = self.case()
        self.assertEqual(case.project_type, self.it)
        self.assertEqual(case.discount_rate, Decimal("3.5"))

    def test_a_second_case_at_the_same_stage_is_refused(self):
        self.case(stage="obc")
        with self.assertRaises(ValidationError) as caught:
            self.case(stage="obc")
        self.assertIn("stage", caught.exception.error_dict)
        self.assertEqual(BusinessCase.objects.count(), 1)

    def test_a_copy_says_how_many_lines_were_left_out_before_the_new_first_year(self):
        outline = self.case(
            stage="obc",
            costs={"2026/27": 100, "2027/28": 50, "2028/29": 20},
            benefits={"2026/27": 5, "2027/28": 80},
            owner=self.owner,
        )
        saved = actions.save_business_case_reporting(
            initiative=self.initiative,
            by=self.office,
            fields={"stage": "fbc", "first_year": "2027/28"},
            copy_from=outline,
        )
        self.assertEqual((saved.copied_costs, saved.copied_benefits), (2, 1))
        self.assertEqual((saved.lines_before_first_year, saved.lines_after_last_year, saved.lines_left_out), (2, 0, 2))
        self.assertEqual(saved.case.costs.count(), 2)

    def test_a_full_case_can_start_as_a_copy_of_the_outline_case(self):
        outline = self.case(
            stage="obc", costs={"2026/27": 100, "2027/28": 50}, benefits={"2027/28": 80}, owner=self.owner
        )
        factor = self.it.factors.first()
        actions.set_mitigations(case=outline, by=self.office, scores={factor.pk: (Decimal("0.5"), "Plan")})
        full = actions.save_business_case(
            initiative=self.initiative,
            by=self.office,
            fields={"stage": "fbc", "first_year": "2027/28"},
            copy_from=outline,
        )
        # Years before the new case's first year are not copied.
        self.assertEqual(list(full.costs.values_list("financial_year", "amount")), [("2027/28", 50)])
        self.assertEqual(full.benefits.get().owner, self.owner)
        self.assertEqual(full.mitigations.get().evidence, "Plan")

    def test_the_first_year_cannot_move_past_costs_already_entered(self):
        case = self.case(first_year="2026/27", costs={"2026/27": 100})
        with self.assertRaises(ValidationError) as caught:
            actions.save_business_case(
                initiative=self.initiative, by=self.office, fields={"first_year": "2027/28"}, case=case
            )
        self.assertIn("first_year", caught.exception.error_dict)
        case.refresh_from_db()
        self.assertEqual(case.first_year, "2026/27")

    def test_changing_the_project_type_keeps_the_scores_that_still_apply_and_reports_those_removed(self):
        case = self.case()
        shared = self.it.factors.get(name="Inadequacy of the business case")  # the buildings type has it too
        only_it = self.it.factors.get(name="Environmental impact")
        actions.set_mitigations(
            case=case,
            by=self.office,
            scores={shared.pk: (Decimal("0.8"), "Gateway review passed"), only_it.pk: (Decimal("0.5"), "Assessed")},
        )
        saved = actions.save_business_case_reporting(
            initiative=self.initiative, by=self.office, fields={"project_type": self.building}, case=case
        )
        kept = case.mitigations.get()
        self.assertEqual(kept.factor, self.building.factors.get(name="Inadequacy of the business case"))
        self.assertEqual((kept.mitigation, kept.evidence), (Decimal("0.8"), "Gateway review passed"))
        self.assertEqual(saved.kept_scores, ["Inadequacy of the business case"])
        self.assertEqual(saved.removed_scores, ["Environmental impact (scored 0.5; evidence: “Assessed”)"])
        removed = Mitigation.history.filter(history_type="-").get()
        self.assertEqual((removed.history_user, removed.evidence), (self.office, "Assessed"))

    def test_a_case_covers_at_most_sixty_financial_years(self):
        case = self.case(first_year="2026/27")
        actions.add_cost_lines(case=case, by=self.office, kind="revenue", category="run", amounts={"2085/86": 10})
        with self.assertRaises(ValidationError) as caught:
            actions.add_cost_lines(case=case, by=self.office, kind="revenue", category="run", amounts={"2086/87": 10})
        self.assertIn("covers at most 60 financial years", str(caught.exception))
        self.assertIn("can run to 2085/86 at the latest", str(caught.exception))
        with self.assertRaises(ValidationError) as caught:
            actions.add_benefit_lines(
                case=case, by=self.office, kind="cash", description="Savings", owner=self.owner, amounts={"2090/91": 1}
            )
        self.assertIn("amounts", caught.exception.error_dict)
        # Nor can the first year move so early that the lines already there fall outside the 60 years.
        with self.assertRaises(ValidationError) as caught:
            actions.save_business_case(
                initiative=self.initiative, by=self.office, fields={"first_year": "2025/26"}, case=case
            )
        self.assertIn("no earlier than 2026/27", caught.exception.error_dict["first_year"][0].message)
        self.assertEqual(CostLine.objects.count(), 1)

    # Costs and benefits ----------------------------------------------------------------------

    def test_costs_are_added_one_line_a_year(self):
        case = self.case()
        lines = actions.add_cost_lines(
            case=case,
            by=self.office,
            kind="capital",
            category="supplier",
            amounts={"2027/28": 20_000, "2026/27": 10_000},
            note="Licences",
        )
        self.assertEqual(
            [(line.financial_year, line.amount) for line in lines], [("2026/27", 10_000), ("2027/28", 20_000)]
        )
        self.assertEqual(lines[0].history.first().history_user, self.office)

    def test_a_cost_before_the_first_year_is_refused_and_nothing_is_saved(self):
        case = self.case(first_year="2026/27")
        with self.assertRaises(ValidationError) as caught:
            actions.add_cost_lines(
                case=case,
                by=self.office,
                kind="revenue",
                category="staff",
                amounts={"2026/27": 10, "2025/26": 10},
            )
        self.assertIn("before the business case's first year", str(caught.exception))
        self.assertFalse(CostLine.objects.exists())

    def test_a_negative_cost_is_refused(self):
        case = self.case()
        with self.assertRaises(ValidationError):
            actions.add_cost_lines(case=case, by=self.office, kind="revenue", category="staff", amounts={"2026/27": -5})
        self.assertFalse(CostLine.objects.exists())

    def test_a_benefit_owned_by_someone_outside_the_organisation_is_refused(self):
        case = self.case()
        with self.assertRaises(ValidationError) as caught:
            actions.add_benefit_lines(
                case=case,
                by=self.office,
                kind="staff_time",
                description="Time",
                owner=self.stranger,
                amounts={"2026/27": 0},
            )
        self.assertEqual(caught.exception.error_dict["owner"][0].message, "Choose a member of your organisation.")
        self.assertFalse(BenefitLine.objects.exists())

    def test_a_benefit_measured_by_another_organisations_metric_is_refused(self):
        case = self.case()
        with self.assertRaises(ValidationError) as caught:
            actions.add_benefit_lines(
                case=case,
                by=self.office,
                kind="quality",
                description="Fewer falls",
                owner=self.owner,
                metric=self.foreign_metric,
                amounts={"2026/27": 0},
            )
        self.assertIn("metric", caught.exception.error_dict)
        line = actions.add_benefit_lines(
            case=case,
            by=self.office,
            kind="quality",
            description="Fewer falls",
            owner=self.owner,
            metric=self.metric,
            amounts={"2026/27": 0},
        )[0]
        with self.assertRaises(ValidationError):
            actions.save_benefit_line(line=line, by=self.office, fields={"metric": self.foreign_metric})
        line.refresh_from_db()
        self.assertEqual(line.metric, self.metric)

    # Optimism bias ---------------------------------------------------------------------------

    def test_mitigation_scores_are_saved_and_changed(self):
        case = self.case()
        factor = self.it.factors.get(name="Inadequacy of the business case")
        actions.set_mitigations(case=case, by=self.office, scores={factor.pk: (Decimal("0.5"), "Reviewed")})
        actions.set_mitigations(case=case, by=self.office, scores={factor.pk: (Decimal("0.75"), "Assured")})
        mitigation = Mitigation.objects.get()
        self.assertEqual((mitigation.mitigation, mitigation.evidence), (Decimal("0.75"), "Assured"))

    def test_a_score_above_one_or_for_another_types_risk_area_is_refused(self):
        case = self.case()
        factor = self.it.factors.first()
        foreign = BiasFactor.objects.filter(project_type=self.building).first()
        for scores in ({factor.pk: (Decimal("1.5"), "")}, {foreign.pk: (Decimal("0.5"), "")}):
            with self.subTest(scores=scores), self.assertRaises(ValidationError):
                actions.set_mitigations(case=case, by=self.office, scores=scores)
        self.assertFalse(Mitigation.objects.exists())

    # Actuals ---------------------------------------------------------------------------------

    def test_spend_must_say_whether_it_was_capital_or_revenue(self):
        with self.assertRaises(ValidationError) as caught:
            record_actual(self.initiative, self.office, money_kind="")
        self.assertIn("money_kind", caught.exception.error_dict)
        self.assertFalse(Actual.objects.exists())

    def test_a_realised_benefit_can_only_be_against_the_initiatives_own_benefits(self):
        theirs = make_business_case(self.other, self.office, benefits={"2026/27": 10}, owner=self.owner)
        with self.assertRaises(ValidationError) as caught:
            record_actual(self.initiative, self.office, kind="benefit", benefit=theirs.benefits.get())
        self.assertIn("benefit", caught.exception.error_dict)
        ours = self.case(benefits={"2026/27": 10}, owner=self.owner)
        actual = record_actual(self.initiative, self.office, kind="benefit", money_kind="", benefit=ours.benefits.get())
        self.assertEqual(actual.recorded_by, self.office)
