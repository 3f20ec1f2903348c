"""The checks on an initiative's money are numbers with a code, and the words for them come from
the presenters alone, so a page, the board pack and the API can word the same check their own way."""

import datetime as dt
from dataclasses import fields

from django.test import SimpleTestCase

from headway.finance import flags, presenters
from headway.finance.flags import Flag, FundingCheck
from headway.finance.models import FundingLine
from headway.portfolio.models import Initiative, Status


def line(year, amount, *, state=FundingLine.State.APPROVED, purpose=FundingLine.Purpose.BUILD):
    return FundingLine(financial_year=year, amount=amount, state=state, purpose=purpose)


class FundingCheckTest(SimpleTestCase):
    def setUp(self):
        self.initiative = Initiative(reference="DIG-001", status=Status.ACTIVE, planned_go_live=dt.date(2027, 6, 1))

    def test_the_check_holds_numbers_and_no_sentence(self):
        check = flags.funding_check(self.initiative, [line("2027/28", 100_000), line("2028/29", 80_000)])
        self.assertNotIn("text", [f.name for f in fields(FundingCheck)])
        self.assertEqual((check.go_live_year, check.after, check.after_years), ("2027/28", 80_000, ["2028/29"]))
        self.assertFalse(check.flagged)
        self.assertFalse(check.for_running)

    def test_money_only_requested_after_go_live_is_counted_apart_and_leaves_the_flag(self):
        requested = line("2028/29", 60_000, state=FundingLine.State.REQUESTED)
        check = flags.funding_check(self.initiative, [line("2027/28", 100_000), requested])
        self.assertTrue(check.flagged)
        self.assertEqual((check.after, check.requested_after, check.requested_years), (0, 60_000, ["2028/29"]))

    def test_the_funding_flag_is_explained_in_the_funding_checks_own_words(self):
        check = flags.funding_check(self.initiative, [line("2027/28", 100_000)])
        flag = flags.initiative_flags(self.initiative, check, None, None, has_case=True)[0]
        self.assertEqual((flag.code, flag.colour, flag.funding), (flags.FUNDING_ENDS, "red", check))
        self.assertEqual(presenters.flag_explanation(flag), presenters.funding_check_text(check))
        self.assertIn("is planned to go live on 1 June 2027 (2027/28)", presenters.flag_explanation(flag))
        self.assertEqual(presenters.flag_label(flag), "Funding ends at go-live")

    def test_work_under_way_without_a_case_is_flagged_after_the_other_checks(self):
        check = flags.funding_check(self.initiative, [])
        codes = [f.code for f in flags.initiative_flags(self.initiative, check, None, None, has_case=False)]
        self.assertEqual(codes, [flags.FUNDING_ENDS, flags.NO_CASE])


class WordsTest(SimpleTestCase):
    def test_every_check_has_a_label_and_a_summary(self):
        self.assertEqual(set(presenters.FLAG_LABELS), set(flags.CODES))
        self.assertEqual(set(presenters.FLAG_SUMMARIES), set(flags.CODES))

    def test_a_delivery_shape_flag_is_explained_by_the_forecast_modules_sentence(self):
        flag = Flag(flags.NO_EARLY_RELEASE, sentence="Nothing reached real users in 12 weeks.")
        self.assertEqual(presenters.flag_explanation(flag), "Nothing reached real users in 12 weeks.")

    def test_an_overrun_is_written_as_more_or_less_than_the_plan(self):
        self.assertEqual(presenters.overrun_text(1.09), "9% more than")
        self.assertEqual(presenters.overrun_text(0.88), "12% less than")
        self.assertEqual(presenters.overrun_text(1.001), "the same as")
        self.assertEqual(presenters.overrun_text(None), "")

    def test_months_are_written_to_one_place(self):
        self.assertEqual(presenters.months_text(1), "1 month")
        self.assertEqual(presenters.months_text(14.26), "14.3 months")
