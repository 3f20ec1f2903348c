"""Weeknotes (issue 11 item 9, ADR 30): the week's digest, its page for every role, its Atom feed,
the opt-in on a person's own page and `manage.py send_weeknotes`, once per person per week."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import SimpleTestCase, TestCase
from django.urls import reverse

from headway.accounts import actions as account_actions
from headway.accounts.models import Membership
from headway.assurance import actions as assurance_actions
from headway.assurance.models import WeeknotesSent
from headway.assurance.weeknotes import Progress, compose, weeknotes, weeknotes_for
from headway.lib.weeks import latest_complete_week
from headway.portfolio import actions as portfolio_actions
from tests.clock import TODAY
from tests.concurrency import AtOnceTestCase
from tests.factories import make_initiative
from tests.personas import personas
from tests.test_races import TRIALS, at_once

ATOM = "{http://www.w3.org/2005/Atom}"
LAST_WEEK = latest_complete_week(TODAY)  # Monday 23 November 2026: the clock is Friday 4 December
QUIET_WEEK = LAST_WEEK - dt.timedelta(weeks=1)


def progress(reference: str, *, shown: str = "", reached: bool = False, detail: str = "") -> Progress:
    return Progress(1, reference, f"Title of {reference}", shown, "", reached, detail)


class ComposeTest(SimpleTestCase):
    """The rule itself, with no database."""

    def test_a_week_with_a_demonstration_and_a_release_names_both(self):
        notes = compose(
            LAST_WEEK,
            [
                progress("DIG-002", reached=True, detail="Live on ward 7"),
                progress("DIG-001", shown="The new triage screen"),
                progress("DIG-003"),
            ],
        )
        self.assertEqual([p.reference for p in notes.shown], ["DIG-001"])
        self.assertEqual([p.reference for p in notes.reached_users], ["DIG-002"])
        self.assertEqual([p.reference for p in notes.quiet], ["DIG-003"])
        self.assertEqual(notes.checkpoints, 3)
        self.assertFalse(notes.is_empty)

    def test_a_week_of_blank_checkpoints_is_empty(self):
        notes = compose(LAST_WEEK, [progress("DIG-001", shown="   "), progress("DIG-002")])
        self.assertTrue(notes.is_empty)
        self.assertEqual(notes.shown, [])
        self.assertEqual(len(notes.quiet), 2)

    def test_a_release_counts_even_when_the_team_did_not_say_what(self):
        notes = compose(LAST_WEEK, [progress("DIG-001", reached=True)])
        self.assertEqual(len(notes.reached_users), 1)
        self.assertFalse(notes.is_empty)

    def test_the_week_runs_monday_to_sunday(self):
        self.assertEqual(compose(LAST_WEEK, []).week_ends, dt.date(2026, 11, 29))


def build(cls: type) -> None:
    cls.cast = cast = personas()
    cls.portal = make_initiative(
        cast.trust, by=cast.office, status="active", title="Patient portal", reference="DIG-001",
        delivery_lead=cast.lead,
    )
    cls.obs = make_initiative(cast.trust, by=cast.office, status="active", title="E-obs", reference="DIG-002")
    cls.kiosk = make_initiative(cast.trust, by=cast.office, status="active", title="Kiosk", reference="DIG-003")
    cls.theirs = make_initiative(
        cast.other_trust, by=cast.other_office, status="active", title="Their secret project", reference="OT-001"
    )
    base = {"confidence": "green", "confidence_reason": "On track with the plan."}
    portfolio_actions.record_checkpoint(
        initiative=cls.portal, by=cast.lead, week=LAST_WEEK,
        fields={**base, "demonstrated": "Booking screen shown to clinic staff", "demonstrated_to": "Clinic leads"},
    )
    portfolio_actions.record_checkpoint(
        initiative=cls.obs, by=cast.office, week=LAST_WEEK,
        fields={**base, "reached_real_users": True, "real_users_detail": "Live on ward 7 for night staff"},
    )
    portfolio_actions.record_checkpoint(
        initiative=cls.theirs, by=cast.other_office, week=LAST_WEEK,
        fields={**base, "demonstrated": "Other trust's demo", "reached_real_users": True,
                "real_users_detail": "Other trust's release"},
    )
    # A quiet week: a checkpoint with nothing shown and nothing released.
    portfolio_actions.record_checkpoint(initiative=cls.portal, by=cast.lead, week=QUIET_WEEK, fields=base)
    assurance_actions.record_decision(
        initiative=cls.kiosk, by=cast.office, kind="stop", rationale="Nobody used the kiosks in the pilot.",
        evidence="Six weeks of usage data.", decided_by="Digital Board", decided_on=LAST_WEEK + dt.timedelta(days=2),
    )


class WeeknotesQueryTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        build(cls)

    def test_the_week_names_what_was_shown_what_reached_users_and_what_was_stopped(self):
        notes = weeknotes(self.cast.trust, LAST_WEEK)
        self.assertEqual([p.reference for p in notes.shown], ["DIG-001"])
        self.assertEqual([p.real_users_detail for p in notes.reached_users], ["Live on ward 7 for night staff"])
        self.assertEqual([(d.reference, d.kind) for d in notes.decided], [("DIG-003", "stop")])

    def test_a_quiet_week_is_empty_though_a_checkpoint_was_recorded(self):
        notes = weeknotes(self.cast.trust, QUIET_WEEK)
        self.assertTrue(notes.is_empty)
        self.assertEqual(notes.checkpoints, 1)

    def test_another_organisations_week_is_never_included(self):
        notes = weeknotes(self.cast.trust, LAST_WEEK)
        references = {p.reference for p in [*notes.shown, *notes.reached_users, *notes.quiet]}
        self.assertNotIn("OT-001", references)
        theirs = weeknotes(self.cast.other_trust, LAST_WEEK)
        self.assertEqual([p.reference for p in theirs.shown], ["OT-001"])
        self.assertEqual(theirs.decided, [])

    def test_many_weeks_are_read_in_three_queries(self):
        weeks = [LAST_WEEK - dt.timedelta(weeks=n) for n in range(12)]
        with self.assertNumQueries(3):
            found = weeknotes_for(self.cast.trust, weeks)
        self.assertEqual([n.week for n in found], weeks)


class WeeknotesPageTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        build(cls)

    def test_every_role_reads_the_latest_complete_week_by_default(self):
        for role, person in self.cast.by_role().items():
            with self.subTest(role=role):
                self.client.force_login(person)
                response = self.client.get(reverse("portfolio:weeknotes"))
                self.assertEqual(response.status_code, 200)
                page = response.content.decode()
                self.assertIn("week of 23 November 2026", page)
                self.assertIn("Booking screen shown to clinic staff", page)
                self.assertIn("Live on ward 7 for night staff", page)
                self.assertIn("Nobody used the kiosks in the pilot.", page)
                self.assertNotIn("Their secret project", page)
                self.assertNotIn("Other trust", page)

    def test_it_moves_a_week_back_and_forward(self):
        self.client.force_login(self.cast.viewer)
        page = self.client.get(reverse("portfolio:weeknotes")).content.decode()
        self.assertIn('href="?week=2026-11-16"', page)
        self.assertIn('href="?week=2026-11-30"', page)  # this week, so far
        page = self.client.get(reverse("portfolio:weeknotes") + "?week=2026-11-30").content.decode()
        self.assertIn("This week so far", page)
        self.assertNotIn("?week=2026-12-07", page)  # not started yet: no link to it

    def test_a_quiet_week_says_so(self):
        self.client.force_login(self.cast.viewer)
        page = self.client.get(reverse("portfolio:weeknotes") + f"?week={QUIET_WEEK}").content.decode()
        self.assertIn("Nothing was shown to people, reached real users, went live or was decided this week.", page)
        self.assertIn("DIG-001 Patient portal", page)  # under the checkpoints with nothing to tell

    def test_a_bad_week_is_refused_with_a_message_not_an_error(self):
        self.client.force_login(self.cast.viewer)
        for asked, said in (
            ("2026-11-24", "is a Tuesday"),
            ("next-week", "is not a reporting week"),
            ("1999-01-04", "not a reporting week Headway keeps"),
            ("2026-12-07", "has not started yet"),
            ("2026-02-30", "is not a reporting week"),
        ):
            with self.subTest(asked=asked):
                response = self.client.get(reverse("portfolio:weeknotes"), {"week": asked})
                self.assertEqual(response.status_code, 400)
                self.assertIn(said, response.content.decode())

    def test_someone_signed_out_is_sent_to_sign_in(self):
        response = self.client.get(reverse("portfolio:weeknotes"))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])

    def test_every_page_links_to_it_from_the_footer(self):
        self.client.force_login(self.cast.viewer)
        page = self.client.get(reverse("portfolio:glance")).content.decode()
        self.assertIn(f'href="{reverse("portfolio:weeknotes")}"', page)


class WeeknotesFeedTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        build(cls)

    def test_it_is_valid_atom_with_one_entry_per_week_newest_first(self):
        self.client.force_login(self.cast.board)
        response = self.client.get(reverse("portfolio:weeknotes_feed"))
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Type"].startswith("application/atom+xml"))
        feed = ET.fromstring(response.content)
        self.assertEqual(feed.tag, f"{ATOM}feed")
        for required in ("id", "title", "updated"):
            self.assertIsNotNone(feed.find(f"{ATOM}{required}"), required)
        entries = feed.findall(f"{ATOM}entry")
        self.assertEqual(len(entries), 12)
        first = entries[0]
        self.assertEqual(first.findtext(f"{ATOM}title"), "Weeknotes: the week of 23 November 2026")
        self.assertTrue(first.find(f"{ATOM}link").get("href").endswith("/weeknotes/?week=2026-11-23"))
        for required in ("id", "updated"):
            self.assertTrue(first.findtext(f"{ATOM}{required}"), required)
        ids = [e.findtext(f"{ATOM}id") for e in entries]
        self.assertEqual(len(set(ids)), 12)
        summary = first.findtext(f"{ATOM}summary")
        self.assertIn("Booking screen shown to clinic staff", summary)
        self.assertIn("Live on ward 7 for night staff", summary)
        self.assertNotIn("Other trust", response.content.decode())

    def test_it_needs_a_signed_in_member_like_the_pages(self):
        response = self.client.get(reverse("portfolio:weeknotes_feed"))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])

    def test_the_other_trust_reads_only_its_own(self):
        self.client.force_login(self.cast.other_office)
        body = self.client.get(reverse("portfolio:weeknotes_feed")).content.decode()
        self.assertIn("Other trust&#x27;s demo", body.replace("&amp;", "&"))
        self.assertNotIn("Booking screen", body)


class OptInTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        build(cls)

    def test_every_role_can_open_their_own_account_page(self):
        for role, person in self.cast.by_role().items():
            with self.subTest(role=role):
                self.client.force_login(person)
                response = self.client.get(reverse("accounts:account"))
                self.assertEqual(response.status_code, 200)
                self.assertIn(person.email, response.content.decode())

    def test_a_person_chooses_the_email_on_their_own_page_and_the_choice_is_kept_in_history(self):
        self.client.force_login(self.cast.viewer)
        response = self.client.post(reverse("accounts:account"), {"by_email": "on"})
        self.assertEqual(response.status_code, 302)
        membership = Membership.objects.get(user=self.cast.viewer, organisation=self.cast.trust)
        self.assertTrue(membership.weeknotes_by_email)
        self.client.post(reverse("accounts:account"), {})
        membership.refresh_from_db()
        self.assertFalse(membership.weeknotes_by_email)
        reasons = list(membership.history.values_list("history_change_reason", flat=True)[:2])
        self.assertEqual(reasons, ["Weeknotes by email stopped", "Weeknotes by email chosen"])
        page = self.client.get(reverse("accounts:account")).content.decode()
        self.assertIn("chose to receive the weeknotes by email", page)
        self.assertIn("stopped the weeknotes by email", page)
        # The portfolio office sees it among the changes to access, as every change to a membership.
        self.client.force_login(self.cast.office)
        self.assertIn("Weeknotes by email", self.client.get(reverse("accounts:people")).content.decode())


class SendWeeknotesTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        build(cls)
        for person, organisation in (
            (cls.cast.viewer, cls.cast.trust),
            (cls.cast.board, cls.cast.trust),
            (cls.cast.other_office, cls.cast.other_trust),
        ):
            account_actions.choose_weeknotes(
                membership=Membership.objects.get(user=person, organisation=organisation), by=person, by_email=True
            )

    def send(self, *args: str) -> str:
        out = StringIO()
        call_command("send_weeknotes", *args, stdout=out)
        return out.getvalue()

    def test_it_emails_only_those_who_opted_in_and_only_once_a_week(self):
        said = self.send("--organisation", self.cast.trust.ods_code, "--week", LAST_WEEK.isoformat())
        self.assertIn("to 2 person(s)", said)
        self.assertEqual(sorted(m.to[0] for m in mail.outbox), sorted([self.cast.viewer.email, self.cast.board.email]))
        message = mail.outbox[0]
        self.assertIn("23 November 2026", message.subject)
        self.assertIn("Live on ward 7 for night staff", message.body)
        self.assertIn("Booking screen shown to clinic staff", message.body)
        self.assertIn("/weeknotes/?week=2026-11-23", message.body)
        self.assertNotIn("Other trust", message.body)
        self.assertNotIn("&#x27;", message.body)

        again = self.send("--organisation", self.cast.trust.ods_code, "--week", LAST_WEEK.isoformat())
        self.assertEqual(len(mail.outbox), 2)
        self.assertIn("to 0 person(s); 2 already had them", again)
        self.assertEqual(WeeknotesSent.objects.filter(week_start=LAST_WEEK).count(), 2)

    def test_the_action_itself_sends_a_week_to_a_person_once(self):
        def send() -> bool:
            return assurance_actions.email_weeknotes(
                organisation=self.cast.trust, user=self.cast.viewer, week=LAST_WEEK, subject="Weeknotes", body="…"
            )

        self.assertEqual([send(), send()], [True, False])
        self.assertEqual(len(mail.outbox), 1)

    def test_the_latest_complete_week_of_every_organisation_is_the_default(self):
        self.send()
        self.assertEqual(len(mail.outbox), 3)
        self.assertEqual(set(WeeknotesSent.objects.values_list("week_start", flat=True)), {LAST_WEEK})

    def test_a_dry_run_sends_and_records_nothing(self):
        said = self.send("--dry-run")
        self.assertIn(f"Would email {self.cast.viewer.email}", said)
        self.assertEqual(mail.outbox, [])
        self.assertFalse(WeeknotesSent.objects.exists())

    def test_a_week_with_nothing_to_tell_is_not_sent(self):
        said = self.send("--organisation", self.cast.trust.ods_code, "--week", QUIET_WEEK.isoformat())
        self.assertIn("nothing to tell", said)
        self.assertEqual(mail.outbox, [])

    def test_a_bad_week_or_organisation_is_named(self):
        for args, said in (
            (("--week", "2026-11-24"), "--week"),
            (("--week", "2199-01-05"), "--week"),
            (("--week", "2026-12-14"), "has not started yet"),
            (("--organisation", "NOPE"), "NOPE"),
        ):
            with self.subTest(args=args), self.assertRaisesMessage(CommandError, said):
                self.send(*args)
        self.assertEqual(mail.outbox, [])

    def test_a_failure_to_send_leaves_the_week_to_send_again(self):
        with self.settings(EMAIL_BACKEND="tests.test_weeknotes.FailingBackend"), self.assertRaises(OSError):
            self.send("--organisation", self.cast.trust.ods_code)
        self.assertFalse(WeeknotesSent.objects.exists())
        self.send("--organisation", self.cast.trust.ods_code)
        self.assertEqual(len(mail.outbox), 2)


class FailingBackend:
    def __init__(self, *args: object, **kwargs: object) -> None:
        pass

    def send_messages(self, messages: object) -> int:
        raise OSError("The mail server is not answering.")


@pytest.mark.slow
class TwoSendsAtOnceTest(AtOnceTestCase):
    """Two runs of the command at the same moment (cron overlapping a run by hand) still email
    each person once: the unique record is written before the email, in one transaction."""

    def setUp(self) -> None:
        self.cast = personas("Race Trust")

    def test_two_sends_of_one_week_to_one_person_at_once_send_one_email(self) -> None:
        for trial in range(TRIALS):
            week = LAST_WEEK - dt.timedelta(weeks=trial)

            def send(week: dt.date = week) -> bool:
                return assurance_actions.email_weeknotes(
                    organisation=self.cast.trust, user=self.cast.viewer, week=week, subject="Weeknotes", body="…"
                )

            results, errors = at_once(send, send)
            self.assertEqual(errors, [], f"trial {trial}")
            self.assertEqual(sorted(results), [False, True], f"trial {trial}")
        self.assertEqual(len(mail.outbox), TRIALS)
        self.assertEqual(WeeknotesSent.objects.count(), TRIALS)
