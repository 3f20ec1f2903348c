"""What each role may do, checked at the door of every action (403 when not allowed)."""

import datetime as dt

from django.test import TestCase
from django.urls import reverse

from headway.accounts.roles import Role
from headway.portfolio.models import Comment, Decision, Risk, StrategicGoal, UserNeed
from tests.factories import make_initiative
from tests.personas import personas

EVERY_ROLE = [Role.BOARD, Role.EXECUTIVE, Role.DELIVERY_LEAD, Role.PORTFOLIO_OFFICE, Role.VIEWER]


class RoleTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cast = personas("Role Trust")
        cls.trust = cls.cast.trust
        cls.people = cls.cast.by_role()
        cls.lead = cls.cast.lead
        cls.own = make_initiative(cls.trust, status="active", delivery_lead=cls.lead, title="Led by the lead")
        cls.others = make_initiative(cls.trust, status="active", title="Led by someone else")
        cls.goal = StrategicGoal.objects.create(organisation=cls.trust, title="Safer care")
        cls.risk = Risk.objects.create(
            organisation=cls.trust, initiative=cls.others, title="Supplier slip", likelihood=3, consequence=3,
            owner=cls.people[Role.EXECUTIVE], next_review=dt.date(2027, 1, 4),
        )

    def status_for(self, role, url, method="get", data=None):
        self.client.force_login(self.people[role])
        return getattr(self.client, method)(url, data or {}).status_code

    def assert_only(self, allowed, url, method="get", data=None):
        for role in EVERY_ROLE:
            with self.subTest(role=role, url=url):
                status = self.status_for(role, url, method, data)
                if role in allowed:
                    self.assertNotIn(status, (403, 404), f"{role} should be allowed {method.upper()} {url}")
                else:
                    self.assertEqual(status, 403, f"{role} should be refused {method.upper()} {url}")

    def test_everyone_in_the_organisation_reads_the_portfolio(self):
        for name in ("portfolio:glance", "portfolio:list", "portfolio:risks", "portfolio:decisions", "portfolio:goals"):
            self.assert_only(EVERY_ROLE, reverse(name))
        self.assert_only(EVERY_ROLE, reverse("portfolio:detail", args=[self.others.pk]))
        self.assert_only(EVERY_ROLE, reverse("portfolio:history", args=[self.others.pk]))

    def test_only_executives_and_the_portfolio_office_propose_initiatives(self):
        self.assert_only({Role.EXECUTIVE, Role.PORTFOLIO_OFFICE}, reverse("portfolio:create"))

    def test_a_board_member_cannot_edit_an_initiative(self):
        self.assertEqual(self.status_for(Role.BOARD, reverse("portfolio:edit", args=[self.own.pk])), 403)

    def test_a_delivery_lead_updates_only_their_own_initiative(self):
        mine = {Role.EXECUTIVE, Role.PORTFOLIO_OFFICE, Role.DELIVERY_LEAD}
        theirs = {Role.EXECUTIVE, Role.PORTFOLIO_OFFICE}
        for name in ("portfolio:edit", "portfolio:checkpoint", "portfolio:risk_add", "portfolio:need_add"):
            self.assert_only(mine, reverse(name, args=[self.own.pk]))
            self.assert_only(theirs, reverse(name, args=[self.others.pk]))
        self.assert_only(theirs, reverse("portfolio:risk_edit", args=[self.risk.pk]))

    def test_a_refused_edit_changes_nothing(self):
        url = reverse("portfolio:edit", args=[self.others.pk])
        data = {"title": "Hijacked", "problem": "x", "phase": "beta"}
        status = self.status_for(Role.DELIVERY_LEAD, url, "post", data)
        self.assertEqual(status, 403)
        self.others.refresh_from_db()
        self.assertEqual(self.others.title, "Led by someone else")

    def test_only_executives_and_the_portfolio_office_record_decisions(self):
        self.assert_only({Role.EXECUTIVE, Role.PORTFOLIO_OFFICE}, reverse("portfolio:decide", args=[self.own.pk]))
        status = self.status_for(
            Role.BOARD, reverse("portfolio:decide", args=[self.own.pk]), "post",
            {"kind": "stop", "rationale": "I do not like it", "evidence": "", "decided_by": "Me",
             "decided_on": "2026-11-20"},
        )
        self.assertEqual(status, 403)
        self.assertFalse(Decision.objects.filter(initiative=self.own, kind="stop").exists())

    def test_portfolio_risks_are_for_executives_and_the_portfolio_office(self):
        self.assert_only({Role.EXECUTIVE, Role.PORTFOLIO_OFFICE}, reverse("portfolio:portfolio_risk_add"))

    def test_everyone_but_a_viewer_may_comment(self):
        url = reverse("portfolio:comment", args=[self.others.pk])
        self.assertEqual(self.status_for(Role.VIEWER, url, "post", {"body": "Looks late"}), 403)
        self.assertNotIn(self.status_for(Role.BOARD, url, "post", {"body": "Why is this late?"}), (403, 404))
        self.assertEqual(list(Comment.objects.filter(initiative=self.others).values_list("body", flat=True)),
                         ["Why is this late?"])

    def test_only_the_portfolio_office_administers_goals_and_settings(self):
        self.assert_only({Role.PORTFOLIO_OFFICE}, reverse("portfolio:goal_add"))
        self.assert_only({Role.PORTFOLIO_OFFICE}, reverse("portfolio:goal_edit", args=[self.goal.pk]))
        self.assert_only({Role.PORTFOLIO_OFFICE}, reverse("portfolio:settings"))
        self.assert_only({Role.PORTFOLIO_OFFICE}, reverse("portfolio:service_add"))

    def test_a_refused_user_need_is_not_saved(self):
        url = reverse("portfolio:need_add", args=[self.others.pk])
        status = self.status_for(Role.DELIVERY_LEAD, url, "post", {"statement": "x", "evidence": "assumed"})
        self.assertEqual(status, 403)
        self.assertFalse(UserNeed.objects.filter(initiative=self.others).exists())
