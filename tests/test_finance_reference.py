"""The optimism-bias reference data: HM Treasury's table as loaded, and reloaded when missing."""

from django.test import TestCase

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
