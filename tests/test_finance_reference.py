"""The optimism-bias reference data: HM Treasury's table as loaded, and reloaded when missing."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.test import TestCase

from headway.accounts.models import User
from headway.finance import forecast
from headway.finance.models import BiasFactor, ProjectType
from headway.finance.reference import ensure_optimism_bias_reference


class OptimismBiasReferenceTest(TestCase):
    def test_the_table_holds_hm_treasurys_bounds_with_equipment_and_development_the_default(self):
        bounds = {
            t.key: (t.duration_upper, t.duration_lower, t.cost_upper, t.cost_lower) for t in ProjectType.objects.all()
        }
        self.assertEqual(bounds["equipment-development"], (54, 10, 200, 10))
        self.assertEqual(bounds["non-standard-buildings"], (39, 2, 51, 4))
        self.assertEqual(bounds["standard-buildings"], (4, 1, 24, 2))
        self.assertEqual(bounds["non-standard-civil-engineering"], (25, 3, 66, 6))
        self.assertEqual(bounds["standard-civil-engineering"], (20, 1, 44, 3))
        self.assertEqual(bounds["outsourcing"], (None, None, 41, 0))
        self.assertEqual(ProjectType.objects.get(is_default=True).key, "equipment-development")

    def test_the_stored_factors_reproduce_hm_treasurys_worked_example_for_duration(self):
        # 28 months, non-standard building, the business case 40% managed and the other four areas
        # fully managed: 29.7% and 36.3 months.
        building = ProjectType.objects.get(key="non-standard-buildings")
        mitigation = {"Inadequacy of the business case": 0.4}
        factors = [
            (float(f.duration_contribution) / 100, mitigation.get(f.name, 1.0))
            for f in building.factors.all()
            if f.duration_contribution is not None
        ]
        bias = forecast.resultant_bias(float(building.duration_upper) / 100, factors)
        self.assertAlmostEqual(bias, 0.297, places=3)
        self.assertAlmostEqual(forecast.adjust(28, bias), 36.3, places=1)

    def test_the_contributions_for_digital_work_add_up_to_the_whole_bias(self):
        factors = BiasFactor.objects.filter(project_type__key="equipment-development")
        self.assertEqual(sum(f.duration_contribution or 0 for f in factors), 100)
        self.assertEqual(sum(f.cost_contribution or 0 for f in factors), 100)

    def test_a_missing_table_is_loaded_again_and_a_present_one_is_left_alone(self):
        ProjectType.objects.all().delete()
        self.assertTrue(ensure_optimism_bias_reference())
        self.assertEqual(ProjectType.objects.count(), 6)
        self.assertEqual(BiasFactor.objects.count(), 11)
        self.assertFalse(ensure_optimism_bias_reference())
        self.assertEqual(ProjectType.objects.count(), 6)


class ReferenceDataValidationTest(TestCase):
    """An administrator cannot save optimism-bias reference data that the money pages cannot use."""

    @classmethod
    def setUpTestData(cls):
        cls.admin = User.objects.create_superuser(email="admin@example.test", password="a long test password")
        cls.it = ProjectType.objects.get(key="equipment-development")

    def change_form(self, **changes):
        """The admin's change form for the digital project type, as posted, with its five risk areas."""
        data = {
            "key": self.it.key,
            "name": self.it.name,
            "duration_upper": "54",
            "duration_lower": "10",
            "cost_upper": "200",
            "cost_lower": "10",
            "note": self.it.note,
            "source": self.it.source,
            "is_default": "on",
            "order": "1",
        }
        factors = list(self.it.factors.all())
        data |= {
            "factors-TOTAL_FORMS": str(len(factors)),
            "factors-INITIAL_FORMS": str(len(factors)),
            "factors-MIN_NUM_FORMS": "0",
            "factors-MAX_NUM_FORMS": "1000",
        }
        for n, factor in enumerate(factors):
            data |= {
                f"factors-{n}-id": str(factor.pk),
                f"factors-{n}-project_type": str(self.it.pk),
                f"factors-{n}-group": factor.group,
                f"factors-{n}-name": factor.name,
                f"factors-{n}-duration_contribution": ""
                if factor.duration_contribution is None
                else str(factor.duration_contribution),
                f"factors-{n}-cost_contribution": ""
                if factor.cost_contribution is None
                else str(factor.cost_contribution),
                f"factors-{n}-order": str(factor.order),
            }
        data.update(changes)
        return data

    def post(self, data):
        self.client.force_login(self.admin)
        return self.client.post(f"/admin/finance/projecttype/{self.it.pk}/change/", data)

    def test_the_unchanged_reference_data_saves(self):
        response = self.post(self.change_form(note="Checked"))
        self.assertEqual(response.status_code, 302)
        self.assertEqual(ProjectType.objects.get(pk=self.it.pk).note, "Checked")

    def test_a_lower_bound_above_the_upper_bound_is_refused(self):
        with self.assertRaises(ValidationError) as caught:
            ProjectType(**{**self.fields(), "cost_lower": Decimal("250")}).full_clean()
        self.assertIn("The lower bound for cost (250%) is above the upper bound (200%)", str(caught.exception))
        response = self.post(self.change_form(duration_lower="60"))
        self.assertContains(response, "The lower bound for works duration (60%) is above the upper bound (54%)")
        self.assertEqual(ProjectType.objects.get(pk=self.it.pk).duration_lower, 10)

    def test_a_negative_bound_or_a_share_outside_0_to_100_is_refused(self):
        with self.assertRaises(ValidationError) as caught:
            ProjectType(**{**self.fields(), "cost_upper": Decimal("-5"), "cost_lower": None}).full_clean()
        self.assertIn("cost_upper", caught.exception.error_dict)
        factor = self.it.factors.first()
        factor.cost_contribution = Decimal("120")
        with self.assertRaises(ValidationError) as caught:
            factor.full_clean()
        self.assertIn("cost_contribution", caught.exception.error_dict)

    def test_risk_areas_adding_up_to_more_than_105_per_cent_are_refused_in_the_admin(self):
        business_case = self.it.factors.get(name="Inadequacy of the business case")
        n = list(self.it.factors.all()).index(business_case)
        response = self.post(self.change_form(**{f"factors-{n}-cost_contribution": "70"}))  # 100% + 12%
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "The risk areas together account for 112% of the cost overrun")
        self.assertEqual(self.it.factors.get(pk=business_case.pk).cost_contribution, 58)
        # Up to 105% is allowed for the rounding in the published tables.
        response = self.post(self.change_form(**{f"factors-{n}-cost_contribution": "63"}))
        self.assertEqual(response.status_code, 302)

    def fields(self):
        return {
            "key": "test-type",
            "name": "Test type",
            "duration_upper": Decimal("54"),
            "duration_lower": Decimal("10"),
            "cost_upper": Decimal("200"),
            "cost_lower": Decimal("10"),
            "source": "Test",
        }
