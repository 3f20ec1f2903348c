"""The prioritisation pages: each page and form, bad input, role refusals and query counts."""

import datetime as dt

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from headway.portfolio.models import Initiative
from headway.prioritisation import actions
from headway.prioritisation.models import Budget, Candidate, Rating, Result, Round, RoundChange
from tests.factories import make_initiative
from tests.personas import personas
from tests.test_prioritisation_actions import HIGH, LOW, rate


class PrioritisationViewTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cast = personas()
        cls.organisation, cls.office, cls.executive = cls.cast.trust, cls.cast.office, cls.cast.executive
        cls.board, cls.lead, cls.viewer = cls.cast.board, cls.cast.lead, cls.cast.viewer
        cls.active = make_initiative(
            cls.organisation, by=cls.office, status="active", reference="DIG-001", title="Electronic observations"
        )
        cls.proposed = make_initiative(cls.organisation, by=cls.office, reference="DIG-002", title="Patient portal")
        cls.round = actions.create_round(
            organisation=cls.organisation, by=cls.office, name="2026/27 Q1", held_on=dt.date(2026, 4, 10), wip_limit=1
        )
        cls.candidate = cls.round.candidates.get(initiative=cls.active)

    def url(self, name, *args):
        return reverse(f"prioritisation:{name}", args=args)

    def assert_form_errors(self, response, *messages):
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "There is a problem")
        self.assertContains(response, "<title>Error: ", html=False)
        for message in messages:
            self.assertContains(response, message)

    # Reading -----------------------------------------------------------------------------------

    def test_everyone_in_the_organisation_reads_the_rounds(self):
        self.client.force_login(self.viewer)
        for url in (self.url("list"), self.url("detail", self.round.pk), self.url("changes", self.round.pk)):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)
        response = self.client.get(self.url("detail", self.round.pk))
        self.assertNotContains(response, self.url("capacity", self.round.pk))

    def test_the_list_reads_as_a_record_of_what_changed_and_why(self):
        rate(self.round, self.office, {"DIG-001": LOW, "DIG-002": HIGH})
        actions.run_selection(round=self.round, by=self.office)
        changes = actions.compute_changes(round=self.round)
        actions.save_change_reasons(
            round=self.round, by=self.office, reasons={c.pk: f"Reason for {c.initiative.reference}" for c in changes}
        )
        actions.close_round(round=self.round, by=self.office, decided_by="Board", decided_on=dt.date(2026, 4, 20))
        self.client.force_login(self.board)
        response = self.client.get(self.url("list"))
        self.assertContains(response, "What changed, and why")
        self.assertContains(response, "Reason for DIG-001")
        self.assertContains(response, "Reason for DIG-002")

    # Setting up ----------------------------------------------------------------------------------

    def test_the_portfolio_office_sets_up_a_round(self):
        self.client.force_login(self.office)
        response = self.client.post(
            self.url("create"),
            {"name": "2026/27 Q2", "held_on": "2026-07-10", "method": "weighted", "combine": "median"},
        )
        round = Round.objects.for_organisation(self.organisation).get(name="2026/27 Q2")
        self.assertRedirects(response, self.url("detail", round.pk))
        self.assertEqual(round.candidates.count(), 2)

    def test_a_round_with_bad_input_shows_the_errors_and_is_not_set_up(self):
        self.client.force_login(self.office)
        response = self.client.post(self.url("create"), {"name": "", "held_on": "31/02/2026", "method": "guess"})
        self.assert_form_errors(response, "Enter a valid date.", "Select a valid choice.")
        self.assertEqual(Round.objects.for_organisation(self.organisation).count(), 1)

    def test_only_those_who_may_edit_any_initiative_set_up_and_run_rounds(self):
        for person in (self.board, self.lead, self.viewer):
            self.client.force_login(person)
            for name, method in (
                ("create", "get"),
                ("capacity", "get"),
                ("score", "get"),
                ("run", "post"),
                ("scenario_create", "get"),
            ):
                url = self.url(name) if name == "create" else self.url(name, self.round.pk)
                with self.subTest(person=person.full_name, name=name):
                    self.assertEqual(getattr(self.client, method)(url).status_code, 403)
            with self.subTest(person=person.full_name, name="candidate_edit"):
                self.assertEqual(self.client.get(self.url("candidate_edit", self.candidate.pk)).status_code, 403)
        self.assertFalse(Result.objects.filter(round=self.round).exists())
        self.client.force_login(self.executive)
        self.assertEqual(self.client.get(self.url("capacity", self.round.pk)).status_code, 200)

    def test_capacity_is_saved(self):
        self.client.force_login(self.office)
        response = self.client.post(
            self.url("capacity", self.round.pk),
            {
                "budgets": "2026/27 | £1,200,000 | £300,000\n2027/28 | 900000 | 0",
                "teams": "Integration team | 2026/27 Q1 | 40",
                "wip_limit": "3",
            },
        )
        self.assertRedirects(response, self.url("detail", self.round.pk))
        self.assertEqual(Budget.objects.get(round=self.round, financial_year="2026/27").capital, 1_200_000)
        self.assertEqual(self.round.team_capacities.get().days, 40)
        response = self.client.get(self.url("detail", self.round.pk))
        self.assertContains(response, "£1,200,000")

    def test_capacity_with_bad_input_shows_the_errors_and_changes_nothing(self):
        actions.set_capacity(
            round=self.round, by=self.office, budgets={"2026/27": {"capital": 5, "revenue": 5}}, teams={}, wip_limit=1
        )
        self.client.force_login(self.office)
        response = self.client.post(
            self.url("capacity", self.round.pk),
            {
                "budgets": "2026/28 | £1,000 | £0\n2027/28 | lots | 0",
                "teams": "Integration | Q1 | 40",
                "wip_limit": "0",
            },
        )
        self.assert_form_errors(
            response,
            "is not a financial year",
            "is not an amount in whole pounds",
            "is not a quarter",
            "2026/28 | £1,000 | £0",
        )
        self.assertEqual(list(self.round.budgets.values_list("capital", flat=True)), [5])
        self.assertFalse(self.round.team_capacities.exists())

    def test_a_candidates_costs_demand_and_constraints_are_saved(self):
        self.client.force_login(self.office)
        other = self.round.candidates.get(initiative=self.proposed)
        response = self.client.post(
            self.url("candidate_edit", self.candidate.pk),
            {
                "must_do": "on",
                "must_do_reason": "Safety alert",
                "costs": "2026/27 | £50,000 | £10,000",
                "costs_reason": "Quoted by the supplier",
                "committed": "",
                "team_demand": "Integration | 2026/27 Q2 | 15",
                "requires": [other.pk],
            },
        )
        self.assertEqual(response.status_code, 302)
        self.candidate.refresh_from_db()
        self.assertTrue(self.candidate.must_do)
        self.assertEqual(self.candidate.costs, {"2026/27": {"capital": 50_000, "revenue": 10_000}})
        self.assertEqual(self.candidate.team_demand, {"Integration": {"2026/27 Q2": 15}})
        self.assertEqual(self.candidate.requirements.get().requires, other)

    def test_a_candidate_with_bad_input_shows_the_errors_and_changes_nothing(self):
        elsewhere = actions.create_round(
            organisation=self.organisation, by=self.office, name="Other", held_on=dt.date(2026, 5, 1)
        ).candidates.first()
        self.client.force_login(self.office)
        response = self.client.post(
            self.url("candidate_edit", self.candidate.pk),
            {
                "must_do": "on",
                "must_do_reason": "",
                "costs": "2026/27 | £50,000",
                "team_demand": "x | y",
                "requires": [elsewhere.pk],
            },
        )
        self.assert_form_errors(
            response,
            "Say why it must be done.",
            "give the year, capital and revenue",
            "give the team, the quarter and the days",
            "Choose only initiatives in this round.",
        )
        self.candidate.refresh_from_db()
        self.assertFalse(self.candidate.must_do)
        self.assertEqual(self.candidate.costs, {})

    # Scoring and running -----------------------------------------------------------------------

    def test_a_scorer_rates_every_candidate_on_one_page(self):
        self.client.force_login(self.executive)
        response = self.client.get(self.url("score", self.round.pk))
        self.assertContains(response, f'for="id_r_{self.candidate.pk}_strategic_fit"')
        self.assertContains(response, "Strategic fit for DIG-001")
        data = {f"r_{self.candidate.pk}_{key}": value for key, value in HIGH.items()}
        response = self.client.post(self.url("score", self.round.pk), data)
        self.assertRedirects(response, self.url("detail", self.round.pk))
        self.assertEqual(Rating.objects.filter(round=self.round, scorer=self.executive).count(), 7)

    def test_ratings_out_of_range_show_the_errors_and_save_nothing(self):
        self.client.force_login(self.executive)
        response = self.client.post(
            self.url("score", self.round.pk),
            {
                f"r_{self.candidate.pk}_strategic_fit": "9",
                f"r_{self.candidate.pk}_urgency": "three",
                f"r_{self.candidate.pk}_evidence": "4",
            },
        )
        self.assert_form_errors(response, "Give a number from 1 to 5.")
        # Ratings are menus, so a typed 9 can only come from a crafted request; the good rating
        # entered beside it is kept.
        self.assertContains(response, '<option value="4" selected>4</option>', html=True)
        self.assertContains(response, 'aria-invalid="true"', count=2)
        self.assertFalse(Rating.objects.filter(round=self.round).exists())

    def test_running_the_selection_shows_the_result(self):
        rate(self.round, self.office, {"DIG-001": HIGH, "DIG-002": LOW})
        self.client.force_login(self.office)
        # Opened by GET (a reload), the address only a form posts to goes back to the round.
        self.assertRedirects(self.client.get(self.url("run", self.round.pk)), self.url("detail", self.round.pk))
        response = self.client.post(self.url("run", self.round.pk), follow=True)
        self.assertContains(response, "Proven the best possible")
        self.assertContains(response, "Chosen when the weights move")
        self.assertContains(response, "Firmly in")
        self.assertContains(response, "No more than 1 initiative at once")
        self.assertContains(response, "Would need a score above 100.0 (now 0.0) to come in, in place of DIG-001.")
        self.assertContains(response, "1 of 2 initiatives")
        self.assertEqual(Result.objects.filter(round=self.round).count(), 1)

    def test_an_impossible_round_lists_its_conflicts(self):
        actions.set_capacity(
            round=self.round,
            by=self.office,
            budgets={"2026/27": {"capital": 1, "revenue": 0}},
            teams={},
            wip_limit=None,
        )
        actions.update_candidate(
            candidate=self.candidate,
            by=self.office,
            must_do=True,
            must_do_reason="Law",
            costs={"2026/27": {"capital": 1000, "revenue": 0}},
            costs_reason="Quoted by the supplier",
            committed={},
            team_demand={},
            requires=[],
            exclusive_with=[],
        )
        self.client.force_login(self.office)
        response = self.client.post(self.url("run", self.round.pk), follow=True)
        self.assertContains(response, "No selection fits every limit")
        self.assertContains(response, "DIG-001")

    # Changes and closing -----------------------------------------------------------------------

    def prepare_changes(self):
        rate(self.round, self.office, {"DIG-001": LOW, "DIG-002": HIGH})
        actions.run_selection(round=self.round, by=self.office)
        return {c.initiative.reference: c for c in actions.compute_changes(round=self.round)}

    def test_closing_is_refused_until_the_reasons_are_given(self):
        changes = self.prepare_changes()
        self.client.force_login(self.executive)
        response = self.client.post(
            self.url("close", self.round.pk), {"decided_by": "Digital Board", "decided_on": "2026-04-20"}
        )
        self.assert_form_errors(response, "Give the reason to stop DIG-001", "Give the reason to start DIG-002")
        self.round.refresh_from_db()
        self.assertTrue(self.round.is_open)
        self.assertEqual(Initiative.objects.get(pk=self.active.pk).status, "active")
        response = self.client.post(
            self.url("changes", self.round.pk),
            {
                f"reason_{changes['DIG-001'].initiative_id}": "Nobody uses it.",
                f"reason_{changes['DIG-002'].initiative_id}": "Patients ask",
                f"pause_{changes['DIG-001'].initiative_id}": "on",
            },
        )
        self.assertRedirects(response, self.url("changes", self.round.pk))
        response = self.client.post(
            self.url("close", self.round.pk), {"decided_by": "Digital Board", "decided_on": "2026-04-20"}
        )
        self.assertRedirects(response, self.url("detail", self.round.pk))
        self.assertEqual(Initiative.objects.get(pk=self.active.pk).status, "paused")
        self.assertEqual(Initiative.objects.get(pk=self.proposed.pk).status, "active")
        self.assertEqual(RoundChange.objects.filter(round=self.round, decision__isnull=False).count(), 2)

    def test_a_reason_that_says_nothing_is_refused_and_changes_nothing(self):
        changes = self.prepare_changes()
        self.client.force_login(self.executive)
        response = self.client.post(
            self.url("changes", self.round.pk), {f"reason_{changes['DIG-001'].initiative_id}": "x"}
        )
        self.assert_form_errors(response, "words a board member could read later")
        self.assertEqual(RoundChange.objects.get(pk=changes["DIG-001"].pk).reason, "")
        response = self.client.post(self.url("close", self.round.pk), {"decided_by": "x", "decided_on": "2026-04-20"})
        self.assert_form_errors(response, "name of the person or group")
        self.assertTrue(Round.objects.get(pk=self.round.pk).is_open)

    def test_closing_without_who_decided_shows_the_errors(self):
        self.prepare_changes()
        self.client.force_login(self.office)
        response = self.client.post(self.url("close", self.round.pk), {"decided_by": "", "decided_on": ""})
        # The complaint was Django's "This field is required": each message now says what to give.
        self.assert_form_errors(response, "Give the date of the decision.")
        self.assertNotContains(response, "This field is required.")
        response = self.client.post(self.url("close", self.round.pk), {"decided_by": "", "decided_on": "2026-04-20"})
        self.assert_form_errors(response, "Say who decided, for example the Digital Board.")
        self.assertNotContains(response, "This field is required.")
        # Reloading the refused close goes back to the page its form is on, not a blank 405.
        self.assertRedirects(self.client.get(self.url("close", self.round.pk)), self.url("changes", self.round.pk))

    def test_closing_is_one_form_that_saves_the_reasons_typed_with_it(self):
        changes = self.prepare_changes()
        self.client.force_login(self.office)
        page = self.client.get(self.url("changes", self.round.pk)).content.decode()
        # The reasons, who decided and the close button are one form, so closing posts the reasons.
        self.assertEqual(page.count('<form method="post" action="/rounds/'), 1)
        self.assertIn(f'formaction="{self.url("close", self.round.pk)}"', page)
        self.assertIn(f'name="reason_{changes["DIG-001"].initiative_id}"', page)
        response = self.client.post(
            self.url("close", self.round.pk),
            {
                f"reason_{changes['DIG-001'].initiative_id}": "Nobody uses it.",
                f"reason_{changes['DIG-002'].initiative_id}": "Patients ask for it.",
                f"pause_{changes['DIG-001'].initiative_id}": "on",
                "decided_by": "Digital Board",
                "decided_on": "2026-04-20",
            },
        )
        self.assertRedirects(response, self.url("detail", self.round.pk))
        self.assertEqual(Initiative.objects.get(pk=self.active.pk).status, "paused")
        self.assertEqual(
            sorted(RoundChange.objects.filter(round=self.round).values_list("decision__rationale", flat=True)),
            ["Nobody uses it.", "Patients ask for it."],
        )

    def test_a_refused_close_changes_nothing_keeps_everything_typed_and_names_each_missing_reason(self):
        changes = self.prepare_changes()
        actions.save_change_reasons(round=self.round, by=self.office, reasons={changes["DIG-002"].pk: "Saved before"})
        self.client.force_login(self.office)
        response = self.client.post(
            self.url("close", self.round.pk),
            {
                f"reason_{changes['DIG-001'].initiative_id}": "",
                f"reason_{changes['DIG-002'].initiative_id}": "Typed, not yet saved",
                f"pause_{changes['DIG-001'].initiative_id}": "on",
                "decided_by": "",
                "decided_on": "2026-04-20",
            },
        )
        self.assert_form_errors(
            response,
            "Why stop DIG-001: Give the reason to pause DIG-001 Electronic observations.",
            "Say who decided",
        )
        self.assertNotContains(response, "Give the reason to start DIG-002")
        self.assertContains(response, "Typed, not yet saved</textarea>")
        self.assertContains(
            response, f'name="pause_{changes["DIG-001"].initiative_id}" class="nhsuk-checkboxes__input" id'
        )
        self.assertContains(response, 'value="2026-04-20"')
        self.assertIn(f'href="#id_reason_{changes["DIG-001"].initiative_id}"', response.content.decode())
        # Nothing changed: the reasons stay as saved, the round open, no decision recorded.
        self.assertEqual(RoundChange.objects.get(pk=changes["DIG-002"].pk).reason, "Saved before")
        self.assertEqual(RoundChange.objects.get(pk=changes["DIG-001"].pk).change, "stopped")
        self.round.refresh_from_db()
        self.assertTrue(self.round.is_open)
        self.assertFalse(RoundChange.objects.filter(round=self.round, decision__isnull=False).exists())
        self.assertEqual(Initiative.objects.get(pk=self.active.pk).status, "active")

    def test_only_those_who_decide_close_a_round_and_only_editors_write_reasons(self):
        changes = self.prepare_changes()
        self.client.force_login(self.board)
        response = self.client.post(self.url("close", self.round.pk), {"decided_by": "Me", "decided_on": "2026-04-20"})
        self.assertEqual(response.status_code, 403)
        response = self.client.post(
            self.url("changes", self.round.pk), {f"reason_{changes['DIG-001'].initiative_id}": "Because I said so"}
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(RoundChange.objects.get(pk=changes["DIG-001"].pk).reason, "")

    def test_the_changes_page_shows_the_changes_without_storing_them_and_saving_the_reasons_does(self):
        rate(self.round, self.office, {"DIG-001": LOW, "DIG-002": HIGH})
        actions.run_selection(round=self.round, by=self.office)
        self.client.force_login(self.viewer)
        response = self.client.get(self.url("changes", self.round.pk))
        self.assertContains(response, "DIG-001")
        self.assertContains(response, "DIG-002")
        self.assertFalse(RoundChange.objects.filter(round=self.round).exists())
        self.client.force_login(self.office)
        response = self.client.post(
            self.url("changes", self.round.pk),
            {f"reason_{self.active.pk}": "Nobody uses it.", f"reason_{self.proposed.pk}": "Patients ask for it."},
        )
        self.assertRedirects(response, self.url("changes", self.round.pk))
        self.assertEqual(
            dict(RoundChange.objects.filter(round=self.round).values_list("initiative__reference", "reason")),
            {"DIG-001": "Nobody uses it.", "DIG-002": "Patients ask for it."},
        )

    # Scenarios ---------------------------------------------------------------------------------

    def test_a_scenario_is_worked_out_compared_and_adopted(self):
        rate(self.round, self.office, {"DIG-001": HIGH, "DIG-002": LOW})
        actions.run_selection(round=self.round, by=self.office)
        self.client.force_login(self.office)
        response = self.client.post(
            self.url("scenario_create", self.round.pk),
            {
                "note": "Make the portal a must-do",
                "budget_percent": "100",
                "remove_team": "",
                "add_must_do": [self.round.candidates.get(initiative=self.proposed).pk],
                "must_do_reason": "Mandate",
            },
        )
        scenario = self.round.scenarios.get()
        self.assertRedirects(response, self.url("compare", scenario.pk))
        response = self.client.get(self.url("compare", scenario.pk))
        self.assertContains(response, "Different")
        response = self.client.post(self.url("adopt", scenario.pk))
        self.assertRedirects(response, self.url("detail", self.round.pk))
        self.round.refresh_from_db()
        self.assertEqual(self.round.current_result, scenario.results.get())

    def test_a_scenario_with_bad_input_shows_the_errors_and_is_not_made(self):
        self.client.force_login(self.office)
        response = self.client.post(
            self.url("scenario_create", self.round.pk),
            {"note": "", "budget_percent": "-5", "remove_team": "Nobody", "add_must_do": [self.candidate.pk]},
        )
        self.assert_form_errors(
            response, "This field is required.", "Select a valid choice.", "Say why they must be done."
        )
        self.assertFalse(self.round.scenarios.exists())

    # Query counts ------------------------------------------------------------------------------

    def test_the_round_page_takes_the_same_number_of_queries_for_10_and_60_candidates(self):
        organisation, office = self.cast.other_trust, self.cast.other_office
        initiatives = [make_initiative(organisation, by=office, reference=f"DIG-{n:03d}") for n in range(1, 61)]
        counts = []
        for size in (10, 60):
            round = Round.objects.create(organisation=organisation, name=f"Round {size}", held_on=dt.date(2026, 4, 1))
            candidates = Candidate.objects.bulk_create(
                [
                    Candidate(round=round, initiative=i, costs={"2026/27": {"capital": 1000, "revenue": 0}})
                    for i in initiatives[:size]
                ]
            )
            actions.set_capacity(
                round=round,
                by=office,
                budgets={"2026/27": {"capital": 5000, "revenue": 0}},
                teams={"Team": {"2026/27 Q1": 10}},
                wip_limit=None,
            )
            actions.update_candidate(
                candidate=candidates[0],
                by=office,
                must_do=False,
                must_do_reason="",
                costs={},
                committed={},
                team_demand={},
                requires=[candidates[1]],
                exclusive_with=[candidates[2]],
            )
            actions.save_ratings(round=round, by=office, ratings={c.pk: HIGH for c in candidates})
            actions.run_selection(round=round, by=office)
            self.client.force_login(office)
            self.client.get(reverse("prioritisation:detail", args=[round.pk]))  # warm the session
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get(reverse("prioritisation:detail", args=[round.pk]))
            self.assertEqual(response.status_code, 200)
            self.assertContains(response, "DIG-001")
            counts.append(len(queries))
        self.assertEqual(counts[0], counts[1], counts)
