"""The portfolio pages: each page and form, bad input, role refusals and the organisation boundary."""

import datetime as dt

from django.test import TestCase
from django.urls import reverse

from headway.accounts.models import Membership, Organisation, User
from headway.accounts.roles import Role
from headway.lib.weeks import week_start
from headway.metrics.models import Verdict
from headway.portfolio import actions
from headway.portfolio.models import (
    Checkpoint,
    Comment,
    Decision,
    Initiative,
    Risk,
    Service,
    Status,
    StrategicGoal,
    UserNeed,
)
from tests.clock import TODAY

THIS_WEEK = week_start(TODAY)


def person(organisation, role, name):
    email = name.lower().replace(" ", ".") + "@example.nhs.uk"
    user = User.objects.create_user(email, "a-long-test-password", full_name=name)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


class PortfolioPagesTestCase(TestCase):
    """Two trusts; the first has one person in each role and two initiatives."""

    @classmethod
    def setUpTestData(cls):
        cls.trust = Organisation.objects.create(name="Riverside Hospitals", ods_code="RVS", kind="acute")
        cls.other = Organisation.objects.create(name="Hilltop Health", ods_code="HLT", kind="acute")
        cls.priya = person(cls.trust, Role.PORTFOLIO_OFFICE, "Priya Office")
        cls.esther = person(cls.trust, Role.EXECUTIVE, "Esther Exec")
        cls.dana = person(cls.trust, Role.DELIVERY_LEAD, "Dana Lead")
        cls.dev = person(cls.trust, Role.DELIVERY_LEAD, "Dev Otherlead")
        cls.bola = person(cls.trust, Role.BOARD, "Bola Board")
        cls.vic = person(cls.trust, Role.VIEWER, "Vic Viewer")
        cls.olly = person(cls.other, Role.PORTFOLIO_OFFICE, "Olly Outsider")
        cls.goal = StrategicGoal.objects.create(organisation=cls.trust, title="Cut waiting times")
        cls.other_goal = StrategicGoal.objects.create(organisation=cls.other, title="Their goal")
        cls.service = Service.objects.create(organisation=cls.trust, name="Electronic patient record")
        cls.ebooking = actions.create_initiative(
            organisation=cls.trust,
            by=cls.priya,
            fields={
                "title": "Online booking",
                "problem": "Patients wait on the phone to book.",
                "delivery_lead": cls.dana,
                "sro": cls.esther,
                "start_date": TODAY - dt.timedelta(days=60),
            },
            goals=[cls.goal],
        )
        actions.record_decision(
            initiative=cls.ebooking,
            by=cls.priya,
            kind="start",
            rationale="Strong case",
            evidence="Research",
            decided_by="Digital Board",
            decided_on=TODAY - dt.timedelta(days=60),
        )
        cls.ebooking.refresh_from_db()
        cls.proposed = actions.create_initiative(
            organisation=cls.trust,
            by=cls.priya,
            fields={"title": "Digital consent", "problem": "Paper forms."},
        )
        cls.foreign = actions.create_initiative(
            organisation=cls.other,
            by=cls.olly,
            fields={"title": "Their secret", "problem": "Not yours."},
        )
        cls.need = actions.save_user_need(
            initiative=cls.ebooking,
            by=cls.dana,
            fields={
                "statement": "As a patient I need to book online so that I need not phone",
                "evidence": "researched",
                "evidence_notes": "Ten interviews",
            },
        )
        cls.risk = actions.save_risk(
            organisation=cls.trust,
            by=cls.priya,
            fields={
                "initiative": cls.ebooking,
                "title": "Supplier API late",
                "likelihood": 4,
                "consequence": 4,
                "owner": cls.dana,
                "next_review": TODAY - dt.timedelta(days=3),
            },
        )

    def login(self, user):
        self.client.force_login(user)

    def assert_form_error(self, response, message):
        """The message appears inline and in the error summary, and the page is not a redirect."""
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn("nhsuk-error-summary", html)
        self.assertIn("There is a problem", html)
        self.assertIn("nhsuk-error-message", html)
        self.assertGreaterEqual(html.count(message), 2, f"{message!r} should be inline and in the summary")


class GlanceAndListTest(PortfolioPagesTestCase):
    def test_someone_signed_out_is_sent_to_sign_in(self):
        response = self.client.get(reverse("portfolio:glance"))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])

    def test_a_viewer_sees_the_portfolio_at_a_glance(self):
        self.login(self.vic)
        response = self.client.get(reverse("portfolio:glance"))
        self.assertContains(response, "<h1>", count=1)
        self.assertContains(response, "Portfolio at a glance")
        self.assertContains(response, "Riverside Hospitals")
        self.assertContains(response, 'lang="en-GB"')
        self.assertContains(response, "Skip to main content")
        self.assertNotContains(response, "Their secret")

    def test_the_glance_flags_a_portfolio_over_its_work_in_progress_limit(self):
        Organisation.objects.filter(pk=self.trust.pk).update(wip_limit=1)
        actions.record_decision(
            initiative=self.proposed,
            by=self.priya,
            kind="start",
            rationale="Go",
            evidence="Case",
            decided_by="Board",
            decided_on=TODAY,
        )
        self.login(self.bola)
        response = self.client.get(reverse("portfolio:glance"))
        self.assertContains(response, "Over the work-in-progress limit")

    def test_the_list_shows_each_initiative_with_its_checkpoint_state(self):
        self.login(self.vic)
        response = self.client.get(reverse("portfolio:list"))
        self.assertContains(response, "Online booking")
        self.assertContains(response, "Digital consent")
        self.assertContains(response, "Overdue")
        self.assertContains(response, 'scope="col"')
        self.assertNotContains(response, "Their secret")

    def test_the_list_filters_by_whether_it_is_working(self):
        Verdict.objects.create(initiative=self.ebooking, state=Verdict.State.IMPROVING)
        self.login(self.vic)
        response = self.client.get(reverse("portfolio:list"), {"working": "improving"})
        self.assertContains(response, '">Online booking</a>')
        self.assertNotContains(response, '">Digital consent</a>')
        # No verdict row means no metric has ever been linked: it counts as not measured.
        response = self.client.get(reverse("portfolio:list"), {"working": "not_measured"})
        self.assertNotContains(response, '">Online booking</a>')
        self.assertContains(response, '">Digital consent</a>')
        response = self.client.get(reverse("portfolio:list"), {"working": "sideways"})
        self.assertContains(response, "nhsuk-error-message")

    def test_the_list_filters_by_status_and_search_and_keeps_filters_in_sort_links(self):
        self.login(self.vic)
        response = self.client.get(reverse("portfolio:list"), {"status": "active", "q": "booking"})
        self.assertContains(response, '">Online booking</a>')
        self.assertNotContains(response, '">Digital consent</a>')
        self.assertContains(response, "status=active")
        response = self.client.get(reverse("portfolio:list"), {"q": "consent"})
        self.assertNotContains(response, '">Online booking</a>')

    def test_the_list_can_show_only_overdue_checkpoints(self):
        self.login(self.vic)
        response = self.client.get(reverse("portfolio:list"), {"overdue": "on"})
        self.assertContains(response, "Online booking")
        self.assertNotContains(response, "Digital consent")

    def test_the_list_sorts_by_title_descending(self):
        self.login(self.vic)
        response = self.client.get(reverse("portfolio:list"), {"sort": "title", "order": "desc"})
        html = response.content.decode()
        self.assertLess(html.index("Online booking"), html.index("Digital consent"))
        self.assertContains(response, 'aria-sort="descending"')

    def test_the_list_shows_recent_decisions_with_their_reason(self):
        self.login(self.vic)
        response = self.client.get(reverse("portfolio:list"))
        self.assertContains(response, "Recent decisions")
        self.assertContains(response, "Strong case")

    def test_the_decision_log_lists_decisions(self):
        self.login(self.vic)
        response = self.client.get(reverse("portfolio:decisions"))
        self.assertContains(response, "Strong case")
        self.assertContains(response, "Digital Board")

    def test_the_risk_register_flags_overdue_reviews(self):
        self.login(self.vic)
        response = self.client.get(reverse("portfolio:risks"))
        self.assertContains(response, "Supplier API late")
        self.assertContains(response, "Review overdue")
        self.assertContains(response, "16 Extreme")


class InitiativePageTest(PortfolioPagesTestCase):
    def test_the_initiative_page_tells_its_story(self):
        self.login(self.vic)
        response = self.client.get(reverse("portfolio:detail", args=[self.ebooking.pk]))
        for text in (
            "Online booking",
            "Patients wait on the phone",
            "As a patient I need",
            "Researched",
            "Cut waiting times",
            "Strong case",
            "Supplier API late",
            "Review overdue",
            "History of changes",
        ):
            self.assertContains(response, text)
        self.assertNotContains(response, "Record this week")
        self.assertNotContains(response, "Record a decision")

    def test_the_delivery_lead_sees_the_checkpoint_button_and_the_board_can_comment(self):
        self.login(self.dana)
        response = self.client.get(reverse("portfolio:detail", args=[self.ebooking.pk]))
        self.assertContains(response, "Record this week")
        self.login(self.bola)
        response = self.client.get(reverse("portfolio:detail", args=[self.ebooking.pk]))
        self.assertContains(response, "Add a comment")

    def test_another_organisations_initiative_is_not_found_on_every_page(self):
        self.login(self.priya)
        pk = self.foreign.pk
        for name in ("detail", "edit", "history", "checkpoint", "decide", "need_add", "risk_add", "comment"):
            for method in ("get", "post"):
                with self.subTest(name=name, method=method):
                    response = getattr(self.client, method)(reverse(f"portfolio:{name}", args=[pk]))
                    self.assertEqual(response.status_code, 404)
        self.assertEqual(self.foreign.decisions.count(), 0)

    def test_the_history_shows_who_changed_what(self):
        self.login(self.priya)
        self.client.post(
            reverse("portfolio:edit", args=[self.ebooking.pk]),
            {
                "title": "Online booking for outpatients",
                "problem": "Patients wait on the phone to book.",
                "phase": "alpha",
                "delivery_lead": self.dana.pk,
                "sro": self.esther.pk,
                "start_date": self.ebooking.start_date.isoformat(),
                "goals": [self.goal.pk],
            },
        )
        response = self.client.get(reverse("portfolio:history", args=[self.ebooking.pk]))
        self.assertContains(response, "Priya Office")
        self.assertContains(response, "Online booking for outpatients")
        self.assertContains(response, "Discovery")
        self.assertContains(response, "Alpha")
        self.assertContains(response, "Decision: Start")


class InitiativeFormTest(PortfolioPagesTestCase):
    def valid(self, **changes):
        data = {
            "title": "Virtual wards",
            "problem": "Beds are full.",
            "phase": "discovery",
            "sro": self.esther.pk,
            "start_date": "2026-01-05",
            "planned_go_live": "2026-12-01",
            "goals": [self.goal.pk],
            "services": [self.service.pk],
        }
        data.update(changes)
        return data

    def test_an_executive_proposes_an_initiative(self):
        self.login(self.esther)
        response = self.client.post(reverse("portfolio:create"), self.valid(), follow=True)
        initiative = Initiative.objects.get(title="Virtual wards")
        self.assertRedirects(response, reverse("portfolio:detail", args=[initiative.pk]))
        self.assertContains(response, "has been proposed")
        self.assertContains(response, "nhsuk-notification-banner--success")
        self.assertEqual(initiative.status, Status.PROPOSED)
        self.assertEqual(list(initiative.goals.all()), [self.goal])

    def test_go_live_before_the_start_is_refused_and_the_input_kept(self):
        self.login(self.esther)
        response = self.client.post(reverse("portfolio:create"), self.valid(planned_go_live="2025-01-01"))
        self.assert_form_error(response, "Planned go-live cannot be before the start date.")
        self.assertContains(response, "Virtual wards")
        self.assertFalse(Initiative.objects.filter(title="Virtual wards").exists())

    def test_a_first_release_after_go_live_is_refused(self):
        self.login(self.esther)
        response = self.client.post(reverse("portfolio:create"), self.valid(planned_first_release="2027-01-01"))
        self.assert_form_error(response, "The first release to real users cannot be after go-live.")

    def test_another_organisations_goal_in_a_forged_post_is_refused(self):
        self.login(self.esther)
        response = self.client.post(reverse("portfolio:create"), self.valid(goals=[self.other_goal.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "nhsuk-error-summary")
        self.assertFalse(Initiative.objects.filter(title="Virtual wards").exists())

    def test_another_organisations_person_cannot_be_made_sro(self):
        self.login(self.esther)
        response = self.client.post(reverse("portfolio:create"), self.valid(sro=self.olly.pk))
        self.assertContains(response, "nhsuk-error-summary")
        self.assertFalse(Initiative.objects.filter(title="Virtual wards").exists())

    def test_a_viewer_or_delivery_lead_cannot_propose_an_initiative(self):
        for user in (self.vic, self.dana, self.bola):
            self.login(user)
            self.assertEqual(self.client.get(reverse("portfolio:create")).status_code, 403)
            self.assertEqual(self.client.post(reverse("portfolio:create"), self.valid()).status_code, 403)
        self.assertFalse(Initiative.objects.filter(title="Virtual wards").exists())

    def test_the_delivery_lead_edits_their_own_initiative_but_not_another(self):
        self.login(self.dana)
        self.assertEqual(self.client.get(reverse("portfolio:edit", args=[self.ebooking.pk])).status_code, 200)
        self.assertEqual(self.client.get(reverse("portfolio:edit", args=[self.proposed.pk])).status_code, 403)
        self.login(self.dev)
        self.assertEqual(self.client.get(reverse("portfolio:edit", args=[self.ebooking.pk])).status_code, 403)
        self.login(self.bola)
        self.assertEqual(self.client.post(reverse("portfolio:edit", args=[self.ebooking.pk]), {}).status_code, 403)

    def test_the_edit_form_has_no_status_field(self):
        self.login(self.priya)
        response = self.client.get(reverse("portfolio:edit", args=[self.ebooking.pk]))
        self.assertNotContains(response, 'name="status"')


class CheckpointFormTest(PortfolioPagesTestCase):
    def valid(self, **changes):
        data = {
            "demonstrated": "Booking journey",
            "demonstrated_to": "Clinic clerks",
            "reached_real_users": "False",
            "confidence": "amber",
            "confidence_reason": "Supplier is late",
            "risks_and_blockers": "",
            "asks_of_the_board": "",
        }
        data.update(changes)
        return data

    def test_the_delivery_lead_records_this_weeks_checkpoint(self):
        self.login(self.dana)
        url = reverse("portfolio:checkpoint", args=[self.ebooking.pk])
        page = self.client.get(url)
        self.assertContains(page, f"Checkpoint for the week of {THIS_WEEK:%-d %B %Y}")
        response = self.client.post(url, self.valid())
        self.assertRedirects(response, reverse("portfolio:detail", args=[self.ebooking.pk]))
        checkpoint = self.ebooking.checkpoints.get()
        self.assertEqual(checkpoint.week_start, THIS_WEEK)
        self.assertEqual(checkpoint.recorded_by, self.dana)

    def test_a_second_entry_for_the_week_edits_the_first_and_is_prefilled(self):
        self.login(self.dana)
        url = reverse("portfolio:checkpoint", args=[self.ebooking.pk])
        self.client.post(url, self.valid())
        page = self.client.get(url)
        self.assertContains(page, "already has a checkpoint")
        self.assertContains(page, "Supplier is late")
        self.client.post(url, self.valid(confidence="red", confidence_reason="Supplier gone"))
        self.assertEqual(self.ebooking.checkpoints.get().confidence, "red")

    def test_a_past_week_can_be_recorded(self):
        self.login(self.dana)
        past = THIS_WEEK - dt.timedelta(weeks=2)
        url = reverse("portfolio:checkpoint", args=[self.ebooking.pk]) + f"?week={past:%Y-%m-%d}"
        self.client.post(url, self.valid())
        self.assertEqual(self.ebooking.checkpoints.get().week_start, past)

    def test_a_week_that_is_not_a_monday_is_refused_with_the_monday_it_belongs_to(self):
        self.login(self.dana)
        tuesday = THIS_WEEK - dt.timedelta(weeks=1) + dt.timedelta(days=1)
        url = reverse("portfolio:checkpoint", args=[self.ebooking.pk]) + f"?week={tuesday:%Y-%m-%d}"
        for response in (self.client.get(url), self.client.post(url, self.valid())):
            self.assertEqual(response.status_code, 400)
            self.assertContains(response, "This is not a reporting week", status_code=400)
            self.assertContains(
                response, f"a reporting week starts on a Monday ({tuesday - dt.timedelta(days=1)})", status_code=400
            )
        self.assertFalse(Checkpoint.objects.filter(initiative=self.ebooking).exists())

    def test_a_week_that_is_not_a_date_or_has_not_started_is_refused(self):
        self.login(self.dana)
        url = reverse("portfolio:checkpoint", args=[self.ebooking.pk])
        next_week = THIS_WEEK + dt.timedelta(weeks=1)
        for asked, reason in (
            ("last-week", "is not a reporting week: give the Monday it starts"),
            (next_week.isoformat(), "has not started yet"),
        ):
            with self.subTest(asked):
                response = self.client.post(url + f"?week={asked}", self.valid())
                self.assertContains(response, reason, status_code=400)
        self.assertFalse(Checkpoint.objects.filter(initiative=self.ebooking).exists())

    def test_the_week_posted_with_the_form_is_checked_too(self):
        self.login(self.dana)
        url = reverse("portfolio:checkpoint", args=[self.ebooking.pk])
        response = self.client.post(url, self.valid(week=(THIS_WEEK - dt.timedelta(days=3)).isoformat()))
        self.assertContains(response, "a reporting week starts on a Monday", status_code=400)
        self.assertFalse(Checkpoint.objects.filter(initiative=self.ebooking).exists())

    def test_yes_to_real_users_without_saying_what_is_an_error(self):
        self.login(self.dana)
        response = self.client.post(
            reverse("portfolio:checkpoint", args=[self.ebooking.pk]), self.valid(reached_real_users="True")
        )
        self.assert_form_error(response, "Say what reached real users, or answer no.")
        self.assertContains(response, "Booking journey")
        self.assertFalse(Checkpoint.objects.filter(initiative=self.ebooking).exists())

    def test_a_rating_needs_its_reason(self):
        self.login(self.dana)
        response = self.client.post(
            reverse("portfolio:checkpoint", args=[self.ebooking.pk]), self.valid(confidence_reason="")
        )
        self.assert_form_error(response, "Give the reason for the confidence rating.")

    def test_the_five_point_scale_is_offered_when_the_organisation_chose_it(self):
        Organisation.objects.filter(pk=self.trust.pk).update(confidence_scale="five")
        self.login(self.dana)
        response = self.client.get(reverse("portfolio:checkpoint", args=[self.ebooking.pk]))
        self.assertContains(response, "Amber/green")

    def test_someone_who_does_not_lead_it_cannot_record_a_checkpoint(self):
        for user in (self.dev, self.bola, self.vic):
            self.login(user)
            response = self.client.post(reverse("portfolio:checkpoint", args=[self.ebooking.pk]), self.valid())
            self.assertEqual(response.status_code, 403)
        self.assertFalse(Checkpoint.objects.filter(initiative=self.ebooking).exists())


class DecisionFormTest(PortfolioPagesTestCase):
    def valid(self, **changes):
        data = {
            "kind": "stop",
            "rationale": "No longer needed",
            "evidence": "Usage fell",
            "decided_by": "Digital Investment Board",
            "decided_on": TODAY.isoformat(),
        }
        data.update(changes)
        return data

    def test_an_executive_stops_an_initiative_with_a_reason(self):
        self.login(self.esther)
        response = self.client.post(reverse("portfolio:decide", args=[self.ebooking.pk]), self.valid())
        self.assertRedirects(response, reverse("portfolio:detail", args=[self.ebooking.pk]))
        self.ebooking.refresh_from_db()
        self.assertEqual(self.ebooking.status, Status.STOPPED)

    def test_only_the_kinds_allowed_from_the_current_status_are_offered(self):
        self.login(self.esther)
        response = self.client.get(reverse("portfolio:decide", args=[self.proposed.pk]))
        self.assertContains(response, 'value="start"')
        self.assertNotContains(response, 'value="pause"')
        self.assertContains(response, "Makes the initiative active")

    def test_a_decision_without_a_reason_is_refused(self):
        self.login(self.esther)
        response = self.client.post(reverse("portfolio:decide", args=[self.ebooking.pk]), self.valid(rationale="  "))
        self.assert_form_error(response, "every decision needs its reason")
        self.ebooking.refresh_from_db()
        self.assertEqual(self.ebooking.status, Status.ACTIVE)

    def test_a_decision_dated_in_the_future_is_refused(self):
        self.login(self.esther)
        tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
        response = self.client.post(
            reverse("portfolio:decide", args=[self.ebooking.pk]), self.valid(decided_on=tomorrow)
        )
        self.assert_form_error(response, "cannot be in the future")
        self.assertEqual(self.ebooking.decisions.count(), 1)

    def test_a_kind_not_allowed_from_the_status_is_refused(self):
        self.login(self.esther)
        response = self.client.post(reverse("portfolio:decide", args=[self.proposed.pk]), self.valid(kind="pause"))
        self.assertContains(response, "nhsuk-error-summary")
        self.assertEqual(self.proposed.decisions.count(), 0)

    def test_board_members_and_delivery_leads_cannot_record_decisions(self):
        for user in (self.bola, self.dana, self.vic):
            self.login(user)
            response = self.client.post(reverse("portfolio:decide", args=[self.ebooking.pk]), self.valid())
            self.assertEqual(response.status_code, 403)
        self.assertEqual(Decision.objects.filter(initiative=self.ebooking).count(), 1)


class ReversalPageTest(PortfolioPagesTestCase):
    def stop(self):
        return actions.record_decision(
            initiative=self.ebooking,
            by=self.esther,
            kind="stop",
            rationale="No longer needed",
            evidence="Usage fell",
            decided_by="Digital Investment Board",
            decided_on=TODAY,
        )

    def test_a_mistaken_stop_is_reversed_from_the_timeline_and_both_show_in_the_log(self):
        stop = self.stop()
        url = reverse("portfolio:decision_reverse", args=[stop.pk])
        self.login(self.esther)
        self.assertContains(self.client.get(reverse("portfolio:detail", args=[self.ebooking.pk])), url)
        response = self.client.post(
            url,
            {
                "rationale": "Recorded against the wrong initiative",
                "evidence": "The board's minutes",
                "decided_by": "Digital Investment Board",
                "decided_on": TODAY.isoformat(),
            },
            follow=True,
        )
        self.assertRedirects(response, reverse("portfolio:detail", args=[self.ebooking.pk]))
        self.assertContains(response, "has been reversed")
        self.ebooking.refresh_from_db()
        self.assertEqual(self.ebooking.status, Status.ACTIVE)
        log = self.client.get(reverse("portfolio:decisions"))
        self.assertContains(log, "Reverses the stop decision of")
        self.assertContains(log, "Reversed</strong> on")
        self.assertContains(log, "Recorded against the wrong initiative")
        self.assertNotContains(self.client.get(reverse("portfolio:detail", args=[self.ebooking.pk])), url)

    def test_bad_input_keeps_what_was_typed_and_changes_nothing(self):
        stop = self.stop()
        self.login(self.esther)
        response = self.client.post(
            reverse("portfolio:decision_reverse", args=[stop.pk]),
            {"rationale": " ", "evidence": "Typed evidence", "decided_by": "", "decided_on": TODAY.isoformat()},
        )
        self.assert_form_error(response, "Write down why the decision is reversed.")
        self.assertContains(response, "Typed evidence</textarea>")
        self.assertFalse(Decision.objects.filter(reverses=stop).exists())
        self.ebooking.refresh_from_db()
        self.assertEqual(self.ebooking.status, Status.STOPPED)

    def test_only_those_who_decide_reverse_and_a_refused_reversal_says_why(self):
        stop = self.stop()
        url = reverse("portfolio:decision_reverse", args=[stop.pk])
        for user in (self.bola, self.dana, self.vic):
            self.login(user)
            self.assertEqual(self.client.get(url).status_code, 403)
            self.assertNotContains(self.client.get(reverse("portfolio:detail", args=[self.ebooking.pk])), url)
        self.login(self.esther)
        first = self.ebooking.decisions.exclude(pk=stop.pk).first()
        if first is not None:
            response = self.client.post(reverse("portfolio:decision_reverse", args=[first.pk]), {})
            self.assertContains(response, "A later decision has changed the initiative")
        self.assertFalse(Decision.objects.filter(kind="reverse").exists())


class UserNeedsRisksAndCommentsTest(PortfolioPagesTestCase):
    def test_the_delivery_lead_adds_changes_and_removes_a_user_need(self):
        self.login(self.dana)
        response = self.client.post(
            reverse("portfolio:need_add", args=[self.ebooking.pk]),
            {"statement": "As a clerk I need fewer calls", "evidence": "assumed", "evidence_notes": ""},
        )
        self.assertEqual(response.status_code, 302)
        need = UserNeed.objects.get(statement="As a clerk I need fewer calls")
        self.client.post(
            reverse("portfolio:need_edit", args=[need.pk]),
            {"statement": "As a clerk I need fewer calls", "evidence": "validated"},
        )
        need.refresh_from_db()
        self.assertEqual(need.evidence, "validated")
        asking = self.client.get(reverse("portfolio:need_delete", args=[need.pk]))
        self.assertContains(asking, f"Remove this user need from {self.ebooking.reference}?")
        self.assertContains(asking, "As a clerk I need fewer calls")
        self.assertTrue(UserNeed.objects.filter(pk=need.pk).exists())  # asking removes nothing
        self.client.post(reverse("portfolio:need_delete", args=[need.pk]))
        self.assertFalse(UserNeed.objects.filter(pk=need.pk).exists())

    def test_a_user_need_without_evidence_is_refused(self):
        self.login(self.dana)
        response = self.client.post(
            reverse("portfolio:need_add", args=[self.ebooking.pk]), {"statement": "As a clerk I need fewer calls"}
        )
        self.assertContains(response, "nhsuk-error-summary")
        self.assertFalse(UserNeed.objects.filter(statement="As a clerk I need fewer calls").exists())

    def test_a_board_member_cannot_remove_a_user_need(self):
        self.login(self.bola)
        self.assertEqual(self.client.post(reverse("portfolio:need_delete", args=[self.need.pk])).status_code, 403)
        self.assertEqual(self.client.get(reverse("portfolio:need_delete", args=[self.need.pk])).status_code, 403)
        self.assertTrue(UserNeed.objects.filter(pk=self.need.pk).exists())

    def test_the_delivery_lead_adds_a_risk_to_their_initiative(self):
        self.login(self.dana)
        response = self.client.post(
            reverse("portfolio:risk_add", args=[self.ebooking.pk]),
            {
                "title": "Clinic staff too busy to test",
                "likelihood": "3",
                "consequence": "2",
                "owner": self.dana.pk,
                "next_review": (TODAY + dt.timedelta(days=30)).isoformat(),
            },
        )
        self.assertEqual(response.status_code, 302)
        risk = Risk.objects.get(title="Clinic staff too busy to test")
        self.assertEqual(risk.initiative, self.ebooking)
        self.assertEqual(risk.organisation, self.trust)

    def test_a_risk_without_a_likelihood_is_refused(self):
        self.login(self.dana)
        response = self.client.post(
            reverse("portfolio:risk_add", args=[self.ebooking.pk]),
            {"title": "Vague", "consequence": "2", "owner": self.dana.pk, "next_review": TODAY.isoformat()},
        )
        self.assert_form_error(response, "Choose how likely the risk is.")
        self.assertFalse(Risk.objects.filter(title="Vague").exists())

    def test_portfolio_risks_are_for_those_who_manage_them(self):
        data = {
            "title": "Too much work in progress",
            "likelihood": "4",
            "consequence": "3",
            "owner": self.esther.pk,
            "next_review": TODAY.isoformat(),
        }
        self.login(self.dana)
        self.assertEqual(self.client.post(reverse("portfolio:portfolio_risk_add"), data).status_code, 403)
        self.login(self.esther)
        self.assertEqual(self.client.post(reverse("portfolio:portfolio_risk_add"), data).status_code, 302)
        risk = Risk.objects.get(title="Too much work in progress")
        self.assertIsNone(risk.initiative)
        self.login(self.dana)
        self.assertEqual(self.client.get(reverse("portfolio:risk_edit", args=[risk.pk])).status_code, 403)

    def test_a_risk_can_be_closed(self):
        self.login(self.priya)
        response = self.client.post(
            reverse("portfolio:risk_edit", args=[self.risk.pk]),
            {
                "title": "Supplier API late",
                "likelihood": "4",
                "consequence": "4",
                "owner": self.dana.pk,
                "next_review": TODAY.isoformat(),
                "status": "closed",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.risk.refresh_from_db()
        self.assertEqual(self.risk.status, Risk.State.CLOSED)

    def test_another_organisations_risk_need_goal_and_service_are_not_found(self):
        foreign_risk = actions.save_risk(
            organisation=self.other,
            by=self.olly,
            fields={"title": "Theirs", "likelihood": 1, "consequence": 1, "owner": self.olly, "next_review": TODAY},
        )
        foreign_service = Service.objects.create(organisation=self.other, name="Their EPR")
        self.login(self.priya)
        for url in (
            reverse("portfolio:risk_edit", args=[foreign_risk.pk]),
            reverse("portfolio:goal_edit", args=[self.other_goal.pk]),
            reverse("portfolio:service_edit", args=[foreign_service.pk]),
        ):
            for method in ("get", "post"):
                with self.subTest(url=url, method=method):
                    self.assertEqual(getattr(self.client, method)(url).status_code, 404)

    def test_a_board_member_comments_and_a_viewer_cannot(self):
        url = reverse("portfolio:comment", args=[self.ebooking.pk])
        self.login(self.bola)
        self.assertEqual(self.client.post(url, {"body": "What did users say?"}).status_code, 302)
        self.assertTrue(Comment.objects.filter(body="What did users say?", author=self.bola).exists())
        response = self.client.post(url, {"body": ""})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Write a comment before posting it.", status_code=400)
        self.login(self.vic)
        self.assertEqual(self.client.post(url, {"body": "Hello"}).status_code, 403)


class GoalsServicesAndSettingsTest(PortfolioPagesTestCase):
    def test_everyone_sees_the_goals_page(self):
        self.login(self.vic)
        response = self.client.get(reverse("portfolio:goals"))
        self.assertContains(response, "Cut waiting times")
        self.assertContains(response, "Digital consent")  # not linked to any goal
        self.assertNotContains(response, "Add a goal")

    def test_the_portfolio_office_adds_a_goal_and_others_cannot(self):
        self.login(self.esther)
        self.assertEqual(self.client.post(reverse("portfolio:goal_add"), {"title": "X", "order": 1}).status_code, 403)
        self.login(self.priya)
        response = self.client.post(reverse("portfolio:goal_add"), {"title": "Support staff", "order": 2})
        self.assertRedirects(response, reverse("portfolio:goals"))
        self.assertTrue(StrategicGoal.objects.filter(organisation=self.trust, title="Support staff").exists())

    def test_a_goal_without_a_title_is_refused(self):
        self.login(self.priya)
        response = self.client.post(reverse("portfolio:goal_edit", args=[self.goal.pk]), {"title": "", "order": 0})
        self.assertContains(response, "nhsuk-error-summary")
        self.goal.refresh_from_db()
        self.assertEqual(self.goal.title, "Cut waiting times")

    def test_a_service_name_must_be_unique_in_the_organisation(self):
        self.login(self.priya)
        response = self.client.post(reverse("portfolio:service_add"), {"name": "electronic patient record"})
        self.assert_form_error(response, "There is already a service with this name.")
        response = self.client.post(reverse("portfolio:service_add"), {"name": "Pharmacy"})
        self.assertEqual(response.status_code, 302)

    def test_the_portfolio_office_changes_the_settings(self):
        self.login(self.priya)
        response = self.client.post(reverse("portfolio:settings"), {"wip_limit": "8", "confidence_scale": "five"})
        self.assertRedirects(response, reverse("portfolio:settings"))
        self.trust.refresh_from_db()
        self.assertEqual((self.trust.wip_limit, self.trust.confidence_scale), (8, "five"))

    def test_a_work_in_progress_limit_of_zero_is_refused(self):
        self.login(self.priya)
        response = self.client.post(reverse("portfolio:settings"), {"wip_limit": "0", "confidence_scale": "three"})
        self.assertContains(response, "nhsuk-error-summary")
        self.trust.refresh_from_db()
        self.assertEqual(self.trust.wip_limit, 12)

    def test_only_the_portfolio_office_sees_settings(self):
        self.login(self.esther)
        self.assertEqual(self.client.get(reverse("portfolio:settings")).status_code, 403)
        self.assertNotContains(self.client.get(reverse("portfolio:glance")), reverse("portfolio:settings"))
        self.login(self.priya)
        self.assertContains(self.client.get(reverse("portfolio:glance")), reverse("portfolio:settings"))


class LayoutAndAccountPagesTest(PortfolioPagesTestCase):
    def test_the_header_shows_the_person_and_a_sign_out_button(self):
        self.login(self.vic)
        response = self.client.get(reverse("portfolio:glance"))
        self.assertContains(response, "Vic Viewer")
        self.assertContains(response, 'action="/sign-out/" method="post"')
        self.assertNotContains(response, "Switch organisation")

    def test_someone_in_two_organisations_can_switch(self):
        Membership.objects.create(user=self.vic, organisation=self.other, role=Role.VIEWER)
        self.login(self.vic)
        self.assertContains(self.client.get(reverse("portfolio:glance")), "Switch organisation")
        self.assertContains(self.client.get(reverse("accounts:switch_organisation")), "Hilltop Health")

    def test_the_sign_in_and_password_reset_pages_render(self):
        self.assertContains(self.client.get(reverse("accounts:login")), "Forgot your password?")
        self.assertContains(self.client.get(reverse("accounts:password_reset")), "Reset your password")
        self.assertContains(self.client.get(reverse("accounts:password_reset_done")), "Check your email")

    def test_a_refusal_and_a_missing_page_are_explained(self):
        self.login(self.vic)
        self.assertContains(self.client.get(reverse("portfolio:create")), "You cannot do this", status_code=403)
        self.assertContains(self.client.get("/no-such-page/"), "Page not found", status_code=404)

    def test_someone_without_an_organisation_is_told_what_to_do(self):
        loner = User.objects.create_user("loner@example.nhs.uk", "a-long-test-password", full_name="Lo Ner")
        self.login(loner)
        response = self.client.get(reverse("portfolio:glance"))
        self.assertContains(response, "not part of an organisation", status_code=403)


class InitiativePageSummaryTest(PortfolioPagesTestCase):
    def test_the_initiative_page_shows_the_stored_newest_checkpoint(self):
        actions.record_checkpoint(
            initiative=self.ebooking,
            by=self.dana,
            week=THIS_WEEK,
            fields={"confidence": "green", "confidence_reason": "On track"},
        )
        # The page reads the summary kept on the initiative (ADR 6), not the checkpoints.
        Initiative.objects.filter(pk=self.ebooking.pk).update(current_confidence="red")
        self.login(self.vic)
        response = self.client.get(reverse("portfolio:detail", args=[self.ebooking.pk]))
        self.assertContains(response, "Delivery confidence:")
        header = response.content.decode().split("Delivery confidence:", 1)[1].split("</span>", 2)[0]
        self.assertIn("Red", header)
        self.assertNotIn("Green", header)


class NavigationTest(PortfolioPagesTestCase):
    def current(self, url):
        from html.parser import HTMLParser

        found = []

        class Menu(HTMLParser):
            def handle_starttag(self, tag, attrs):
                attrs = dict(attrs)
                if tag == "a" and "nhsuk-header__navigation-link" in (attrs.get("class") or ""):
                    found.append([attrs.get("aria-current"), ""])

            def handle_data(self, data):
                if found and not found[-1][1] and data.strip():
                    found[-1][1] = data.strip()

        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        Menu().feed(response.content.decode())
        return {text: state for state, text in found if state}

    def test_each_page_marks_the_section_it_belongs_to(self):
        self.login(self.priya)
        cases = {
            reverse("portfolio:glance"): {"At a glance": "page"},
            reverse("portfolio:list"): {"Portfolio": "page"},
            reverse("portfolio:detail", args=[self.ebooking.pk]): {"Portfolio": "true"},
            reverse("portfolio:need_edit", args=[self.need.pk]): {"Portfolio": "true"},
            reverse("portfolio:risks"): {"Risks": "page"},
            reverse("portfolio:risk_edit", args=[self.risk.pk]): {"Risks": "true"},
            reverse("portfolio:decisions"): {"Decisions": "page"},
            reverse("portfolio:goal_add"): {"Goals": "true"},
            reverse("portfolio:settings"): {"Settings": "page"},
            reverse("metrics:list"): {"Metrics": "page"},
            reverse("finance:overview"): {"Money": "page"},
            reverse("accounts:people"): {},
        }
        for url, expected in cases.items():
            with self.subTest(url):
                self.assertEqual(self.current(url), expected)

    def test_settings_are_in_the_menu_only_for_the_portfolio_office(self):
        self.login(self.esther)
        response = self.client.get(reverse("portfolio:glance"))
        self.assertNotContains(response, reverse("portfolio:settings"))
        self.login(self.priya)
        response = self.client.get(reverse("portfolio:glance"))
        self.assertContains(response, reverse("portfolio:settings"))
