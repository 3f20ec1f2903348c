"""Every change to initiatives, checkpoints, decisions and risks is kept with who, when and what,
whichever path made it: the web forms, the admin, or a management command."""

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import time_machine
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.urls import reverse

from headway.accounts.models import User
from headway.accounts.roles import Role
from headway.portfolio.models import Decision, Initiative, Risk
from tests.factories import PASSWORD, make_initiative, make_organisation, make_person


class HistoryPathsTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.trust = make_organisation("History Trust", ods_code="HIS01")
        cls.pmo = make_person(cls.trust, Role.PORTFOLIO_OFFICE, "Pat Office", email="pat@example.test")
        cls.root = User.objects.create_superuser(email="root@example.test", password=PASSWORD, full_name="Root")

    def test_an_edit_through_the_web_form_records_who_and_what(self):
        initiative = make_initiative(self.trust, by=self.pmo, title="Patient portal")
        self.client.force_login(self.pmo)
        response = self.client.post(
            reverse("portfolio:edit", args=[initiative.pk]),
            {"title": "Patient portal phase 2", "problem": initiative.problem, "phase": "alpha"},
        )
        self.assertEqual(response.status_code, 302, response.content[:2000])
        latest = initiative.history.first()
        self.assertEqual(latest.history_user, self.pmo)
        changes = {c.field: (c.old, c.new) for c in latest.diff_against(latest.prev_record).changes}
        self.assertEqual(changes["title"], ("Patient portal", "Patient portal phase 2"))
        self.assertEqual(changes["phase"], ("discovery", "alpha"))

    def test_an_edit_through_the_admin_records_who_and_what(self):
        initiative = make_initiative(self.trust, by=self.pmo, title="E-rostering")
        risk = Risk.objects.create(
            organisation=self.trust, initiative=initiative, title="Rota rules", likelihood=2, consequence=3,
            owner=self.pmo, next_review=dt.date(2027, 1, 4),
        )
        self.client.force_login(self.root)
        response = self.client.post(
            f"/admin/portfolio/risk/{risk.pk}/change/",
            {"organisation": self.trust.pk, "initiative": initiative.pk, "title": "Rota rules", "description": "",
             "likelihood": 4, "consequence": 3, "owner": self.pmo.pk, "mitigation": "Workshops",
             "next_review": "2027-01-04", "status": "open"},
        )
        self.assertEqual(response.status_code, 302, response.content[:3000])
        latest = risk.history.first()
        self.assertEqual(latest.history_user, self.root)
        changes = {c.field: (c.old, c.new) for c in latest.diff_against(latest.prev_record).changes}
        self.assertEqual(changes["likelihood"], (2, 4))

    def test_a_decision_by_management_command_records_its_path_and_the_status_change(self):
        initiative = make_initiative(self.trust, by=self.pmo, status="active", title="Theatre scheduling")
        out = StringIO()
        call_command(
            "record_decision", "--organisation", "HIS01", "--initiative", initiative.reference, "--kind", "stop",
            "--rationale", "No adoption after three months", "--evidence", "Usage log",
            "--decided-by", "Digital Investment Board",
            "--by", "pat@example.test", stdout=out,
        )
        self.assertIn("Active → Stopped", out.getvalue())
        decision = Decision.objects.get(initiative=initiative, kind="stop")
        record = decision.history.first()
        self.assertEqual((record.history_user, record.history_change_reason), (self.pmo, "manage.py record_decision"))
        status_change = Initiative.objects.get(pk=initiative.pk).history.first()
        self.assertEqual(status_change.status, "stopped")
        self.assertEqual(status_change.history_user, self.pmo)

    def test_the_command_dates_a_decision_today_in_england_and_finds_the_member_however_the_email_is_typed(self):
        initiative = make_initiative(self.trust, by=self.pmo, status="active")
        # Half past midnight on 1 July in London is still 30 June on a server clock set to UTC.
        with time_machine.travel(dt.datetime(2026, 6, 30, 23, 30, tzinfo=ZoneInfo("UTC")), tick=False):
            call_command(
                "record_decision", "--organisation", "HIS01", "--initiative", initiative.reference, "--kind", "pause",
                "--rationale", "Waiting for the supplier", "--evidence", "Supplier's email", "--decided-by", "Board",
                "--by", " Pat@Example.test ", stdout=StringIO(),
            )
        decision = Decision.objects.get(initiative=initiative, kind="pause")
        self.assertEqual((decision.decided_on, decision.history.first().history_user), (dt.date(2026, 7, 1), self.pmo))

    def test_the_command_refuses_a_decision_without_a_reason_and_changes_nothing(self):
        initiative = make_initiative(self.trust, by=self.pmo, status="active")
        with self.assertRaisesMessage(CommandError, "Nothing was recorded. rationale"):
            call_command(
                "record_decision", "--organisation", "HIS01", "--initiative", initiative.reference, "--kind", "stop",
                "--rationale", " ", "--evidence", "None", "--decided-by", "Board", stdout=StringIO(),
            )
        self.assertEqual(Initiative.objects.get(pk=initiative.pk).status, "active")

    def test_the_command_names_an_unknown_initiative(self):
        with self.assertRaisesMessage(CommandError, "has no initiative with the reference 'DIG-999'"):
            call_command(
                "record_decision", "--organisation", "HIS01", "--initiative", "DIG-999", "--kind", "stop",
                "--rationale", "x", "--evidence", "y", "--decided-by", "Board", stdout=StringIO(),
            )

    def test_a_checkpoint_recorded_on_the_web_keeps_its_author(self):
        initiative = make_initiative(self.trust, by=self.pmo, status="active", delivery_lead=self.pmo)
        self.client.force_login(self.pmo)
        response = self.client.post(
            reverse("portfolio:checkpoint", args=[initiative.pk]),
            {"demonstrated": "Booking flow", "demonstrated_to": "Outpatient clerks", "reached_real_users": "False",
             "confidence": "amber", "confidence_reason": "Integration late", "risks_and_blockers": "",
             "asks_of_the_board": ""},
        )
        self.assertEqual(response.status_code, 302, response.content[:3000])
        checkpoint = initiative.checkpoints.get()
        self.assertEqual(checkpoint.history.first().history_user, self.pmo)
