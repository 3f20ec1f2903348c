"""What follows a decision (ADR 20): a stop, pause or close takes the initiative out of the open
prioritisation rounds and offers to release its future funding; reversing it puts it back."""

import datetime as dt
import io

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from headway.assurance import actions as assurance_actions
from headway.finance.models import FundingLine
from headway.prioritisation import actions as prioritisation_actions
from headway.prioritisation import figures
from headway.prioritisation.models import Candidate, Rating, Round
from headway.prioritisation.queries import load_round
from tests.clock import TODAY
from tests.factories import make_funding_line, make_initiative
from tests.personas import personas
from tests.test_prioritisation_actions import HIGH, LOW, rate


class DecisionFollowUpTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cast = personas()
        cls.trust, cls.office, cls.board = cls.cast.trust, cls.cast.office, cls.cast.board
        cls.portal = make_initiative(
            cls.trust, by=cls.office, status="active", reference="DIG-001", title="Patient portal"
        )
        cls.records = make_initiative(cls.trust, by=cls.office, reference="DIG-002", title="Shared records")
        cls.this_year = make_funding_line(cls.portal, by=cls.office, financial_year="2026/27", amount=100_000)
        cls.next_year = make_funding_line(cls.portal, by=cls.office, financial_year="2027/28", amount=300_000)
        cls.asked = make_funding_line(
            cls.portal, by=cls.office, financial_year="2028/29", kind="revenue", state="requested", amount=180_000
        )
        cls.owed = make_funding_line(
            cls.portal, by=cls.office, financial_year="2027/28", state="committed", amount=50_000
        )
        cls.round = prioritisation_actions.create_round(
            organisation=cls.trust, by=cls.office, name="2026/27 Q4", held_on=TODAY
        )
        rate(cls.round, cls.office, {"DIG-001": HIGH, "DIG-002": LOW})
        prioritisation_actions.run_selection(round=cls.round, by=cls.office, with_robustness=False)
        cls.scenario = prioritisation_actions.copy_as_scenario(round=cls.round, by=cls.office, note="Less money")

    def stop(self, on=TODAY):
        return assurance_actions.record_decision(
            initiative=self.portal,
            by=self.office,
            kind="stop",
            rationale="Patients use the national app instead.",
            evidence="Six months of usage figures.",
            decided_by="Digital Investment Board",
            decided_on=on,
        )

    def candidacy(self, round):
        return Candidate.objects.get(round=round, initiative=self.portal)

    def test_a_stop_takes_it_out_of_the_open_round_and_its_scenarios_and_the_selection_leaves_it_out(self):
        # Stopped the day before the round's meeting: not the meeting's own decision (ADR 24).
        decided = self.stop(on=TODAY - dt.timedelta(days=1))
        self.assertEqual(decided.taken_out_of, [self.round])
        for round in (self.round, self.scenario):
            self.assertEqual(self.candidacy(round).withdrawn_by, decided.decision)
        # The round page no longer shows it chosen, by the selection worked out before the stop.
        rows = {
            r.candidate.initiative.reference: r
            for r in figures.candidate_figures(load_round(self.round, self.round.current_result))
        }
        self.assertEqual((rows["DIG-001"].selected, rows["DIG-001"].rank), (None, None))
        self.assertEqual(figures.overtaken(load_round(self.round, self.round.current_result)), ["DIG-001"])
        # The selection worked out before still chooses it: closing is refused until it is worked out again.
        with self.assertRaises(ValidationError) as refused:
            prioritisation_actions.close_round(
                round=self.round, by=self.office, decided_by="Board", decided_on=TODAY, reasons={}
            )
        self.assertIn("Work the selection out again: it still chooses DIG-001", " ".join(refused.exception.messages))
        self.assertTrue(Round.objects.get(pk=self.round.pk).is_open)
        result = prioritisation_actions.run_selection(round=self.round, by=self.office, with_robustness=False)
        self.assertNotIn(self.portal.pk, result.stored().by_initiative())
        self.assertEqual([r["reference"] for r in result.stored().scores.values()], ["DIG-002"])

    def test_reversing_the_stop_puts_it_back_as_it_was(self):
        stop = self.stop().decision
        ratings = Rating.objects.filter(candidate__initiative=self.portal).count()
        decided = assurance_actions.reverse_decision(
            decision=stop,
            by=self.office,
            rationale="Recorded against the wrong initiative.",
            evidence="The minutes.",
            decided_by="Digital Investment Board",
            decided_on=TODAY,
        )
        self.assertEqual(decided.put_back_into, [self.round])
        self.assertIsNone(self.candidacy(self.round).withdrawn_by)
        self.assertIsNone(self.candidacy(self.scenario).withdrawn_by)
        self.assertEqual(Rating.objects.filter(candidate__initiative=self.portal).count(), ratings)

    def test_the_command_takes_a_stopped_initiative_out_of_the_open_round_too(self):
        out = io.StringIO()
        call_command(
            "record_decision",
            "--organisation", self.trust.ods_code, "--initiative", "DIG-001", "--kind", "stop",
            "--rationale", "Patients use the national app instead.", "--evidence", "Usage figures.",
            "--decided-by", "Digital Investment Board", "--on", TODAY.isoformat(),
            stdout=out,
        )  # fmt: skip
        self.assertIn("Taken out of the open prioritisation round 2026/27 Q4.", out.getvalue())
        self.assertIsNotNone(self.candidacy(self.round).withdrawn_by)

    def test_stopping_on_its_page_offers_to_release_its_future_funding(self):
        self.client.force_login(self.office)
        response = self.client.post(
            reverse("portfolio:decide", args=[self.portal.pk]),
            {
                "kind": "stop",
                "rationale": "Patients use the national app instead.",
                "evidence": "Six months of usage figures.",
                "decided_by": "Digital Investment Board",
                "decided_on": TODAY.isoformat(),
            },
            follow=True,
        )
        release = reverse("finance:funding_release", args=[self.portal.pk])
        self.assertRedirects(response, release)
        self.assertContains(response, "It has been taken out of the open prioritisation round 2026/27 Q4.")
        self.assertContains(response, "£480,000 requested or approved")
        for line in (self.next_year, self.asked):
            self.assertContains(response, f'value="{line.pk}"')
        for line in (self.this_year, self.owed):  # this year's and committed money stay
            self.assertNotContains(response, f'value="{line.pk}"')
        self.assertEqual(FundingLine.objects.filter(initiative=self.portal).count(), 4)  # asking releases nothing
        page = self.client.get(reverse("prioritisation:detail", args=[self.round.pk]))
        self.assertContains(page, "Taken out of the round")
        self.assertContains(page, "Worked out before a decision took 1 initiative out")

    def test_releasing_goes_through_finance_with_history_and_keeps_what_was_not_chosen(self):
        self.stop()
        self.client.force_login(self.office)
        response = self.client.post(
            reverse("finance:funding_release", args=[self.portal.pk]), {"lines": [self.next_year.pk]}
        )
        self.assertRedirects(response, reverse("finance:initiative", args=[self.portal.pk]) + "#funding")
        self.assertEqual(
            set(FundingLine.objects.filter(initiative=self.portal).values_list("pk", flat=True)),
            {self.this_year.pk, self.asked.pk, self.owed.pk},
        )
        gone = FundingLine.history.filter(id=self.next_year.pk).latest("history_id")  # type: ignore[attr-defined]
        self.assertEqual(gone.history_type, "-")
        self.assertEqual(gone.history_user, self.office)
        self.assertEqual(gone.history_change_reason, f"Released after the stop decision of {TODAY:%-d %B %Y}")

    def test_a_release_with_nothing_chosen_or_someone_elses_line_changes_nothing(self):
        self.stop()
        other = make_funding_line(self.records, by=self.office, financial_year="2027/28")
        self.client.force_login(self.office)
        url = reverse("finance:funding_release", args=[self.portal.pk])
        response = self.client.post(url, {})
        self.assertContains(response, "Choose the funding to release, or keep it all.")
        self.assertContains(response, "There is a problem")
        response = self.client.post(url, {"lines": [self.asked.pk, other.pk]})
        self.assertContains(response, "Choose only this initiative&#x27;s requested or approved future funding.")
        self.assertContains(
            response,
            f'value="{self.asked.pk}" class="nhsuk-checkboxes__input" id="id_lines_1" aria-invalid="true" checked',
        )
        self.assertEqual(FundingLine.objects.filter(initiative__organisation=self.trust).count(), 5)

    def test_only_those_who_change_its_money_are_offered_the_release(self):
        self.stop()
        self.client.force_login(self.board)
        url = reverse("finance:funding_release", args=[self.portal.pk])
        self.assertEqual(self.client.get(url).status_code, 403)
        self.assertEqual(self.client.post(url, {"lines": [self.next_year.pk]}).status_code, 403)
        self.assertEqual(FundingLine.objects.filter(initiative=self.portal).count(), 4)

    def test_an_initiative_still_going_has_no_funding_to_release(self):
        self.client.force_login(self.office)
        response = self.client.get(reverse("finance:funding_release", args=[self.portal.pk]), follow=True)
        self.assertRedirects(response, reverse("finance:initiative", args=[self.portal.pk]) + "#funding")
        self.assertContains(response, "DIG-001 is active: its funding stays.")


def test_the_fixed_day_falls_in_2026_27():
    # The funding lines above are "this year" and "later years" only if the clock says so.
    assert dt.date(2026, 4, 1) <= TODAY <= dt.date(2027, 3, 31)
