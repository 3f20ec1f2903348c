"""Prioritisation models: the rules that live on a single object."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.test import TestCase

from headway.prioritisation import actions, scoring
from headway.prioritisation.models import Candidate, Criterion, Result, Round, RoundChange
from tests.factories import make_initiative
from tests.personas import personas


class PrioritisationModelTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cast = personas()
        cls.organisation, cls.office = cls.cast.trust, cls.cast.office
        cls.initiative = make_initiative(cls.organisation, by=cls.office, status="active")
        cls.round = actions.create_round(
            organisation=cls.organisation, by=cls.office, name="2026/27 Q1", held_on=dt.date(2026, 4, 10)
        )

    def test_an_organisation_gets_the_default_criteria_on_first_use(self):
        criteria = actions.criteria_for(self.organisation)
        self.assertEqual([c.key for c in criteria], [key for key, *_ in scoring.DEFAULT_CRITERIA])
        self.assertEqual(len(actions.criteria_for(self.organisation)), len(criteria))
        self.assertEqual(Criterion.objects.for_organisation(self.organisation).count(), len(criteria))

    def test_a_must_do_needs_its_reason(self):
        candidate = self.round.candidates.get()
        candidate.must_do = True
        with self.assertRaises(ValidationError):
            candidate.full_clean()

    def test_a_stored_result_cannot_be_changed(self):
        result = actions.run_selection(round=self.round, by=self.office)
        result.objective = 999
        with self.assertRaises(ValidationError):
            result.save()
        self.assertNotEqual(Result.objects.get(pk=result.pk).objective, 999)

    def test_each_change_maps_to_a_kind_of_decision(self):
        expected = {
            "started": "start",
            "stopped": "stop",
            "paused": "pause",
            "continued": "continue",
            "moved_up": "continue",
            "moved_down": "continue",
            "new": "continue",
        }
        for change, decision in expected.items():
            self.assertEqual(RoundChange(change=change).decision_kind, decision)

    def test_rounds_and_candidates_are_found_only_through_their_organisation(self):
        other = self.cast.other_trust
        self.assertFalse(Round.objects.for_organisation(other).exists())
        self.assertFalse(Candidate.objects.for_organisation(other).exists())
        self.assertTrue(Candidate.objects.for_organisation(self.organisation).exists())

    def test_financial_years_and_quarters_are_checked(self):
        self.assertEqual(actions.check_financial_year("2026/27"), "2026/27")
        self.assertEqual(actions.check_quarter("2026/27  Q4"), "2026/27 Q4")
        for bad in ("2026/28", "2026-27", "26/27"):
            with self.subTest(bad=bad), self.assertRaises(ValidationError):
                actions.check_financial_year(bad)
        for bad in ("2026/27 Q5", "2026/27", "Q1 2026/27"):
            with self.subTest(bad=bad), self.assertRaises(ValidationError):
                actions.check_quarter(bad)
