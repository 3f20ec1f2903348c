"""Prioritisation reads years, quarters and money through the one vocabulary in headway/lib."""

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase

from headway.prioritisation import actions
from headway.prioritisation.forms import parse_days, parse_money


class PrioritisationVocabularyTest(SimpleTestCase):
    def test_a_year_before_the_accepted_range_is_refused_as_finance_refuses_it(self):
        for bad in ("1999/00", "2100/01"):
            with self.subTest(bad=bad), self.assertRaisesMessage(ValidationError, "outside the years Headway accepts"):
                actions.check_financial_year(bad)
        self.assertEqual(actions.check_financial_year("2000/01"), "2000/01")
        self.assertEqual(actions.check_financial_year("2099/00"), "2099/00")

    def test_a_quarter_in_a_year_outside_the_range_is_refused(self):
        with self.assertRaises(ValidationError):
            actions.check_quarter("1999/00 Q1")

    def test_typed_money_is_read_the_way_finance_reads_it(self):
        self.assertEqual(
            parse_money("2026-27 | 250k | £1.2m\n2027/2028 | 1200.00 | 0"),
            {"2026/27": {"capital": 250_000, "revenue": 1_200_000}, "2027/28": {"capital": 1_200, "revenue": 0}},
        )

    def test_typed_money_with_pence_or_a_refused_year_gives_line_by_line_errors(self):
        with self.assertRaises(ValidationError) as caught:
            parse_money("1999/00 | £1 | £1\n2026/27 | £1.50 | £0")
        messages = caught.exception.messages
        self.assertTrue(messages[0].startswith("Line 1:") and "outside the years" in messages[0])
        self.assertTrue(messages[1].startswith("Line 2:") and "pence" in messages[1])

    def test_team_day_quarters_are_financial_quarters_stored_one_way(self):
        self.assertEqual(parse_days("EPR team | 2026-27 q1 | 20"), {"EPR team": {"2026/27 Q1": 20}})
        with self.assertRaisesMessage(ValidationError, "Q1 is April to June"):
            parse_days("EPR team | 2026 Q1 | 20")
