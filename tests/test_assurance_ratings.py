"""The rules that answer the board's questions (`assurance.ratings`), each at its boundaries. Pure:
no database."""

from __future__ import annotations

from django.test import SimpleTestCase

from headway.assurance import ratings
from headway.assurance.ratings import CONCERN, GOOD, NEEDS_ATTENTION, NOT_ENOUGH_EVIDENCE


class ShareRatingTest(SimpleTestCase):
    def test_no_initiatives_is_not_enough_evidence(self):
        self.assertEqual(ratings.share_rating(0, 0), NOT_ENOUGH_EVIDENCE)

    def test_none_flagged_is_good(self):
        self.assertEqual(ratings.share_rating(0, 1), GOOD)

    def test_one_flagged_is_needs_attention_below_half(self):
        self.assertEqual(ratings.share_rating(1, 3), NEEDS_ATTENTION)
        self.assertEqual(ratings.share_rating(4, 9), NEEDS_ATTENTION)

    def test_exactly_half_is_a_concern(self):
        self.assertEqual(ratings.share_rating(1, 2), CONCERN)
        self.assertEqual(ratings.share_rating(5, 10), CONCERN)

    def test_all_flagged_is_a_concern(self):
        self.assertEqual(ratings.share_rating(3, 3), CONCERN)


class ShareRulesTest(SimpleTestCase):
    def test_user_needs_counts_initiatives_without_an_evidenced_need(self):
        self.assertEqual(ratings.user_needs(ratings.UserNeeds(active=0, without_evidenced_need=0)), NOT_ENOUGH_EVIDENCE)
        self.assertEqual(ratings.user_needs(ratings.UserNeeds(active=4, without_evidenced_need=0)), GOOD)
        self.assertEqual(ratings.user_needs(ratings.UserNeeds(active=4, without_evidenced_need=1)), NEEDS_ATTENTION)
        self.assertEqual(ratings.user_needs(ratings.UserNeeds(active=4, without_evidenced_need=2)), CONCERN)

    def test_impact_counts_initiatives_whose_impact_is_unclear(self):
        self.assertEqual(ratings.impact(ratings.Impact(active=0, unclear=0)), NOT_ENOUGH_EVIDENCE)
        self.assertEqual(ratings.impact(ratings.Impact(active=3, unclear=0)), GOOD)
        self.assertEqual(ratings.impact(ratings.Impact(active=3, unclear=1)), NEEDS_ATTENTION)
        self.assertEqual(ratings.impact(ratings.Impact(active=3, unclear=2)), CONCERN)

    def test_incremental_counts_open_initiatives_that_fail_a_check(self):
        self.assertEqual(ratings.incremental(ratings.Incremental(open=0, flagged=0)), NOT_ENOUGH_EVIDENCE)
        self.assertEqual(ratings.incremental(ratings.Incremental(open=6, flagged=0)), GOOD)
        self.assertEqual(ratings.incremental(ratings.Incremental(open=6, flagged=2)), NEEDS_ATTENTION)
        self.assertEqual(ratings.incremental(ratings.Incremental(open=6, flagged=3)), CONCERN)


def risk(active: int = 4, green: int = 0, without: int = 0, past: int = 0) -> ratings.HonestRisk:
    return ratings.HonestRisk(
        active=active, green_while_deteriorating=green, without_risk=without, risks_past_review=past
    )


class HonestRiskTest(SimpleTestCase):
    def test_nothing_active_is_not_enough_evidence(self):
        self.assertEqual(ratings.honest_risk(risk(active=0)), NOT_ENOUGH_EVIDENCE)

    def test_every_initiative_with_a_risk_and_none_past_review_is_good(self):
        self.assertEqual(ratings.honest_risk(risk()), GOOD)

    def test_one_green_rating_while_a_measure_deteriorates_is_a_concern(self):
        self.assertEqual(ratings.honest_risk(risk(green=1)), CONCERN)

    def test_one_risk_past_review_is_needs_attention(self):
        self.assertEqual(ratings.honest_risk(risk(past=1)), NEEDS_ATTENTION)

    def test_initiatives_without_a_risk_are_counted_as_a_share(self):
        self.assertEqual(ratings.honest_risk(risk(without=1)), NEEDS_ATTENTION)
        self.assertEqual(ratings.honest_risk(risk(without=2)), CONCERN)
        self.assertEqual(ratings.honest_risk(risk(without=2, past=3)), CONCERN)


def partners(active: int = 4, joined: int = 2, in_system: bool = True) -> ratings.SystemPartners:
    return ratings.SystemPartners(active=active, joined_up=joined, in_care_system=in_system)


class SystemPartnersTest(SimpleTestCase):
    def test_nothing_active_is_not_enough_evidence(self):
        self.assertEqual(ratings.system_partners(partners(active=0, joined=0)), NOT_ENOUGH_EVIDENCE)

    def test_no_join_up_at_all_is_a_concern(self):
        self.assertEqual(ratings.system_partners(partners(joined=0)), CONCERN)

    def test_half_joined_up_in_a_care_system_is_good(self):
        self.assertEqual(ratings.system_partners(partners(joined=2)), GOOD)

    def test_fewer_than_half_joined_up_is_needs_attention(self):
        self.assertEqual(ratings.system_partners(partners(joined=1)), NEEDS_ATTENTION)

    def test_outside_any_recorded_care_system_is_needs_attention(self):
        self.assertEqual(ratings.system_partners(partners(joined=4, in_system=False)), NEEDS_ATTENTION)


def stopping(active: int = 5, limit: int = 5, stopped: int = 0, deteriorating: int = 0) -> ratings.Stopping:
    return ratings.Stopping(active=active, wip_limit=limit, stopped_or_paused=stopped, deteriorating=deteriorating)


class StoppingTest(SimpleTestCase):
    def test_nothing_active_and_nothing_stopped_is_not_enough_evidence(self):
        self.assertEqual(ratings.stopping(stopping(active=0)), NOT_ENOUGH_EVIDENCE)
        self.assertEqual(ratings.stopping(stopping(active=0, stopped=1)), GOOD)

    def test_at_the_limit_with_nothing_deteriorating_is_good(self):
        self.assertEqual(ratings.stopping(stopping(active=5, limit=5)), GOOD)

    def test_one_over_the_limit_with_nothing_stopped_is_a_concern(self):
        self.assertEqual(ratings.stopping(stopping(active=6, limit=5)), CONCERN)

    def test_over_the_limit_having_stopped_something_is_needs_attention(self):
        self.assertEqual(ratings.stopping(stopping(active=6, limit=5, stopped=1)), NEEDS_ATTENTION)

    def test_deteriorating_work_with_nothing_stopped_is_needs_attention(self):
        self.assertEqual(ratings.stopping(stopping(deteriorating=1)), NEEDS_ATTENTION)
        self.assertEqual(ratings.stopping(stopping(deteriorating=1, stopped=1)), GOOD)


class ShownToUsersTest(SimpleTestCase):
    def test_it_counts_the_active_initiatives_that_showed_nothing(self):
        rate = ratings.shown_to_users
        self.assertEqual(rate(ratings.ShownToUsers(active=0, nothing_shown=0)), NOT_ENOUGH_EVIDENCE)
        self.assertEqual(rate(ratings.ShownToUsers(active=5, nothing_shown=0)), GOOD)
        self.assertEqual(rate(ratings.ShownToUsers(active=5, nothing_shown=2)), NEEDS_ATTENTION)
        self.assertEqual(rate(ratings.ShownToUsers(active=4, nothing_shown=2)), CONCERN)


class RulesTest(SimpleTestCase):
    def test_every_rule_is_stated_in_words(self):
        for key, rule in ratings.RULES.items():
            with self.subTest(key):
                self.assertGreater(len(rule.statement.split()), 10)

    def test_every_rating_has_words(self):
        self.assertEqual(set(ratings.RATING_LABELS), set(ratings.RATINGS))
