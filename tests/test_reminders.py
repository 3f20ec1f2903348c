"""The weekly checkpoint reminder: one email per delivery lead, listing what they owe."""

import datetime as dt
from io import StringIO

from django.core import mail
from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings

from headway.accounts.models import Membership, Organisation, User
from headway.accounts.roles import Role
from headway.portfolio import actions
from headway.portfolio.models import Initiative, Status

TODAY = dt.date(2026, 3, 12)  # a Thursday; the reporting week began on Monday 9 March
MONDAY = dt.date(2026, 3, 9)


class CheckpointRemindersTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.trust = Organisation.objects.create(name="Reminder Trust", ods_code="RMD", kind="acute")
        cls.dana = User.objects.create_user("dana@example.nhs.uk", "a-long-test-password", full_name="Dana Lead")
        cls.dev = User.objects.create_user("dev@example.nhs.uk", "a-long-test-password", full_name="Dev Lead")
        for user in (cls.dana, cls.dev):
            Membership.objects.create(user=user, organisation=cls.trust, role=Role.DELIVERY_LEAD)

        def make(ref, lead, status=Status.ACTIVE, start=dt.date(2026, 1, 5)):
            return Initiative.objects.create(
                organisation=cls.trust,
                reference=ref,
                title=f"Title {ref}",
                problem="p",
                status=status,
                delivery_lead=lead,
                start_date=start,
            )

        cls.overdue = make("DIG-001", cls.dana)
        cls.due = make("DIG-002", cls.dana)
        cls.done = make("DIG-003", cls.dana)
        cls.paused = make("DIG-004", cls.dana, status=Status.PAUSED)
        cls.devs = make("DIG-005", cls.dev)
        green = {"confidence": "green", "confidence_reason": "r"}
        actions.record_checkpoint(initiative=cls.due, by=cls.dana, week=MONDAY - dt.timedelta(weeks=1), fields=green)
        actions.record_checkpoint(initiative=cls.done, by=cls.dana, week=MONDAY, fields=green)
        actions.record_checkpoint(initiative=cls.devs, by=cls.dev, week=MONDAY, fields=green)

    def run_command(self, *args):
        out = StringIO()
        call_command("send_checkpoint_reminders", "--today", TODAY.isoformat(), *args, stdout=out)
        return out.getvalue()

    @override_settings(HEADWAY_BASE_URL="https://headway.example.nhs.uk")
    def test_each_delivery_lead_gets_one_email_listing_what_is_due_or_overdue(self):
        output = self.run_command()
        self.assertEqual(len(mail.outbox), 1)
        email = mail.outbox[0]
        self.assertEqual(email.to, ["dana@example.nhs.uk"])
        self.assertIn("DIG-001 Title DIG-001 (Reminder Trust): overdue", email.body)
        self.assertIn("DIG-002 Title DIG-002 (Reminder Trust): due this week", email.body)
        self.assertIn(f"https://headway.example.nhs.uk/initiatives/{self.overdue.pk}/checkpoint/", email.body)
        self.assertNotIn("DIG-003", email.body)
        self.assertNotIn("DIG-004", email.body)
        self.assertIn("Emailed 1 delivery lead(s) about 2 checkpoint(s).", output)

    def test_a_dry_run_sends_nothing_but_says_who_would_be_emailed(self):
        output = self.run_command("--dry-run")
        self.assertEqual(mail.outbox, [])
        self.assertIn("Would email dana@example.nhs.uk: 2 checkpoint(s)", output)

    def test_links_use_the_local_address_when_no_base_url_is_set(self):
        self.run_command()
        self.assertIn("http://127.0.0.1:8000/initiatives/", mail.outbox[0].body)

    def test_a_malformed_date_is_refused(self):
        with self.assertRaises(CommandError):
            call_command("send_checkpoint_reminders", "--today", "12/03/2026", stdout=StringIO())
