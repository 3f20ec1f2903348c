"""The round page's words come from typed figures: firmness is a code, the words are the
presenter's."""

from __future__ import annotations

from django.test import SimpleTestCase

from headway.prioritisation.figures import FIRM_IN, FIRM_OUT, MARGINAL, CandidateFigures, LimitUse, firmness
from headway.prioritisation.models import Candidate
from headway.prioritisation.presenters import candidate_rows, capacity_rows, robustness_label, short_reason
from headway.prioritisation.results import StoredExplanation


def explanation(**changes: object) -> StoredExplanation:
    base: StoredExplanation = {
        "selected": False,
        "binding": [],
        "displaced": [],
        "brought_in": [],
        "value_to_enter": None,
        "value_to_leave": None,
        "reason": "In full.",
        "exact": True,
    }
    return {**base, **changes}  # type: ignore[typeddict-item]


class FiguresThenWordsTests(SimpleTestCase):
    def test_firmness_is_a_code_at_the_95_and_5_per_cent_marks(self):
        self.assertEqual(firmness(0.95), FIRM_IN)
        self.assertEqual(firmness(0.05), FIRM_OUT)
        self.assertEqual(firmness(0.5), MARGINAL)
        self.assertIsNone(firmness(None))
        self.assertEqual(robustness_label(MARGINAL), "Marginal")
        self.assertEqual(robustness_label(None), "")

    def test_the_short_reason_reads_the_explanation_numbers_and_the_score(self):
        out = CandidateFigures(
            candidate=Candidate(),
            score=3.0,
            explanation=explanation(value_to_enter=4.25, displaced=["INI-2"]),
        )
        self.assertEqual(short_reason(out), "Would need a score above 4.2 (now 3.0) to come in, in place of INI-2.")
        inside = CandidateFigures(candidate=Candidate(), explanation=explanation(selected=True, value_to_leave=0))
        self.assertEqual(short_reason(inside), "In at any score: nothing else would fit in its place.")
        self.assertEqual(short_reason(CandidateFigures(candidate=Candidate())), "")

    def test_a_threshold_not_proven_in_time_is_given_as_the_certain_end_and_says_so(self):
        out = CandidateFigures(
            candidate=Candidate(), score=3.0, explanation=explanation(value_to_enter=4.25, exact=False)
        )
        self.assertEqual(
            short_reason(out), "Would come in with a score above 4.2 (now 3.0); perhaps lower (not proven in time)."
        )
        inside = CandidateFigures(
            candidate=Candidate(), score=3.0, explanation=explanation(selected=True, value_to_leave=2.5, exact=False)
        )
        self.assertEqual(
            short_reason(inside), "In while its score stays above 2.5 (now 3.0); perhaps lower (not proven in time)."
        )

    def test_a_money_limit_is_shown_in_pounds_and_a_team_in_days(self):
        rows = capacity_rows(
            [
                LimitUse("2026/27 capital", is_money=True, capacity=1000.0, used=990.0, full=True),
                LimitUse("Integration team 2026/27 Q1", is_money=False, capacity=40.0, used=10.0, full=False),
            ]
        )
        self.assertEqual((rows[0].capacity, rows[0].used, rows[0].binding), ("£1,000", "£990", True))
        self.assertEqual((rows[1].capacity, rows[1].used, rows[1].binding), ("40 days", "10 days", False))

    def test_a_candidates_robustness_is_shown_as_a_whole_percentage_with_its_words(self):
        (row,) = candidate_rows([CandidateFigures(candidate=Candidate(), robustness=0.5, firmness=MARGINAL)])
        self.assertEqual((row.robustness, row.robustness_label), ("50%", "Marginal"))
        (unrun,) = candidate_rows([CandidateFigures(candidate=Candidate())])
        self.assertEqual((unrun.robustness, unrun.robustness_label, unrun.costs), ("", "", ""))
