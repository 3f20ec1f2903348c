"""Every page, opened by every role as they would open it: reading never writes, and every link
shown leads to a page that role may open (issue 10, items 11 and 12; ADR 21).

One trust with something on every page (initiatives in each state, needs, risks, checkpoints,
comments, decisions, goals and services, metrics with observations and annotations, funding,
a business case with costs and benefits, actuals, a closed round with its decisions, an open
round with a worked-out selection and a what-if scenario, a round not yet worked out), built
once. Each role crawls once, from the home page, following every link, form address and
redirect; then every URL pattern filled with the keys the crawls met, so that addresses no link
leads to are opened too. Someone signed out opens them all as well.

Signing in writes the session and the last sign-in time; `force_login` does that before the
crawl starts, and the session table is not watched (see tests/crawler.py).
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

import pytest
from django.test import Client, TestCase
from django.urls import reverse

from headway.accounts import actions as accounts_actions
from headway.accounts.models import User
from headway.accounts.roles import Role
from headway.assurance import baf_actions, pack_actions
from headway.imports import actions as import_actions
from headway.lib.weeks import week_start
from headway.metrics import actions as metrics_actions
from headway.portfolio import actions as portfolio_actions
from headway.portfolio.models import Risk, Service, StrategicGoal, UserNeed
from headway.prioritisation import actions as prioritisation_actions
from headway.prioritisation.models import Criterion
from tests.clock import TODAY
from tests.crawler import CrawlResult, crawl, links_in, pattern_addresses, watching_writes
from tests.factories import (
    make_business_case,
    make_funding_line,
    make_initiative,
    make_metric,
    make_token,
    record_actual,
)
from tests.personas import Cast, personas
from tests.test_prioritisation_actions import HIGH, LOW, MIDDLE, rate

THIS_WEEK = week_start(TODAY)


def build_a_trust_with_something_on_every_page() -> Cast:
    cast = personas()
    trust, office, lead = cast.trust, cast.office, cast.lead
    goal = StrategicGoal.objects.create(organisation=trust, title="Care closer to home")
    service = Service.objects.create(organisation=trust, name="Electronic patient record")
    led = make_initiative(
        trust, by=office, status="active", title="Electronic observations", delivery_lead=lead, reference="DIG-001"
    )
    led.goals.add(goal)
    led.services.add(service)
    other = make_initiative(trust, by=office, status="active", title="Digital dictation", reference="DIG-002")
    make_initiative(trust, by=office, title="Patient portal", delivery_lead=lead, reference="DIG-003")
    make_initiative(trust, by=office, status="paused", title="Bed board", reference="DIG-004")
    make_initiative(trust, by=office, status="stopped", title="Kiosk check-in", reference="DIG-005")
    make_initiative(trust, by=office, status="completed", title="Wi-Fi refresh", reference="DIG-006")
    UserNeed.objects.create(initiative=led, statement="As a nurse I need to see scores", evidence="observed")
    for weeks_ago, rating in ((2, "green"), (1, "amber"), (0, "green")):
        portfolio_actions.record_checkpoint(
            initiative=led,
            by=lead,
            week=THIS_WEEK - dt.timedelta(weeks=weeks_ago),
            fields={"confidence": rating, "confidence_reason": "Ward 3 uses it", "demonstrated": "Charts"},
        )
    for initiative, title in ((led, "Devices run out"), (None, "Suppliers fail")):
        portfolio_actions.save_risk(
            organisation=trust,
            by=office,
            fields={
                "title": title,
                "initiative": initiative,
                "likelihood": 3,
                "consequence": 4,
                "owner": lead,
                "next_review": TODAY + dt.timedelta(days=14),
            },
        )
    portfolio_actions.add_comment(initiative=led, by=cast.board, body="How are the wards finding it?")
    # An invitation waiting for an answer, so the people page offers to withdraw it.
    accounts_actions.invite_member(
        organisation=trust, by=office, email="new.colleague@example.nhs.uk", full_name="New Colleague", role=Role.VIEWER
    )

    metric = make_metric(trust, "Observations on time")
    metrics_actions.save_metric(organisation=trust, by=office, fields={}, initiatives=[led, other], metric=metric)
    for month, value in enumerate([61, 63, 60, 64, 70, 72, 71, 74, 73, 75], start=1):
        metrics_actions.record_observation(metric=metric, by=office, period=dt.date(2026, month, 1), value=value)
    metrics_actions.add_annotation(metric=metric, by=office, period=dt.date(2026, 5, 1), text="Went live on ward 3")
    # One the delivery lead owns, and one of an initiative someone else leads: each shows the
    # lead the links for adding data only where the metric's page lets them add it.
    owned = make_metric(trust, "Time to first observation", owner=lead, improvement_direction="decrease")
    elsewhere = make_metric(trust, "Letters typed within a week")
    metrics_actions.save_metric(organisation=trust, by=office, fields={}, initiatives=[other], metric=elsewhere)
    for month, value in enumerate([30, 28, 29, 25], start=7):
        for each in (owned, elsewhere):
            metrics_actions.record_observation(metric=each, by=office, period=dt.date(2026, month, 1), value=value)

    make_funding_line(led, by=office)
    make_funding_line(led, by=office, kind="revenue", state="requested", amount=40_000)
    make_business_case(
        led,
        by=office,
        costs={"2026/27": 50_000, "2027/28": 20_000},
        benefits={"2026/27": 10_000, "2027/28": 60_000},
        owner=lead,
    )
    record_actual(led, by=office)
    # A personal access token for everyone, so each role's token page links to revoking one.
    for person in cast.by_role().values():
        make_token(person, trust)

    # A closed round with its decisions, then an open one with a worked-out selection and a scenario.
    past = prioritisation_actions.create_round(
        organisation=trust, by=office, name="2026/27 Q2", held_on=dt.date(2026, 7, 10)
    )
    rate(past, office, {"DIG-001": HIGH, "DIG-002": MIDDLE, "DIG-003": LOW})
    prioritisation_actions.run_selection(round=past, by=office, with_robustness=False)
    changes = prioritisation_actions.compute_changes(round=past)
    prioritisation_actions.save_change_reasons(
        round=past, by=office, reasons={c.pk: f"The board chose {c.initiative.reference}." for c in changes}
    )
    prioritisation_actions.close_round(
        round=past, by=office, decided_by="Digital Board", decided_on=dt.date(2026, 7, 10)
    )
    current = prioritisation_actions.create_round(
        organisation=trust, by=office, name="2026/27 Q3", held_on=dt.date(2026, 11, 20), wip_limit=2
    )
    rate(current, office, {"DIG-001": HIGH, "DIG-002": LOW, "DIG-003": MIDDLE})
    prioritisation_actions.run_selection(round=current, by=office, with_robustness=False)
    scenario = prioritisation_actions.copy_as_scenario(
        round=current, by=office, note="A tenth less money", budget_factor=0.9
    )
    prioritisation_actions.run_selection(round=scenario, by=office, with_robustness=False)
    # A round set up for next time, not yet worked out.
    prioritisation_actions.create_round(organisation=trust, by=office, name="2026/27 Q4", held_on=dt.date(2027, 1, 15))
    # An organisation that never stored criteria of its own scores against the defaults: the
    # score page must show them without storing them.
    Criterion.objects.for_organisation(trust).delete()
    # A principal risk on the board assurance framework, with a register risk linked to it and
    # assurances pointing at an initiative, a question and a page (ADR 29).
    principal = baf_actions.save_principal_risk(
        organisation=trust, by=office, fields={
            "reference": "BAF-01", "title": "Too little delivery capacity", "goal": goal, "owner": cast.executive,
            "current_likelihood": 4, "current_consequence": 4, "target_likelihood": 2, "target_consequence": 3,
            "appetite": "cautious", "controls": "Work-in-progress limit",
            "assurances": "Observations live on wards | DIG-001\nHonest reporting | question: honest_risk\n"
            "Risk register | /risks/",
            "gaps_in_control": "No limit per team", "next_review": TODAY + dt.timedelta(days=30),
        },
    )  # fmt: skip
    linked = Risk.objects.get(organisation=trust, title="Suppliers fail")
    portfolio_actions.save_risk(organisation=trust, by=office, fields={"principal_risk": principal}, risk=linked)
    # A published board pack for everyone to read, and a draft only the portfolio office sees.
    cover = {
        "title": "Digital portfolio report", "meeting": "Trust Board", "meeting_date": dt.date(2026, 12, 10),
        "assurance_reason": "Most work is measured.", "recommendation": "Note the report.",
        "executive_lead": "Chief Digital Officer", "author": "Portfolio office",
    }  # fmt: skip
    published = pack_actions.create_pack(organisation=trust, by=office, fields=cover)
    pack_actions.publish_pack(pack=published, by=office)
    pack_actions.create_pack(organisation=trust, by=office, fields={**cover, "meeting_date": dt.date(2027, 1, 14)})
    # A file uploaded for import, waiting on its preview (ADR 33).
    import_actions.store_upload(
        organisation=trust, by=office, kind="risks", filename="risks.csv",
        data=b"initiative,title,likelihood,consequence,owner,next_review\r\n,Suppliers fail,4,4,"
        + office.email.encode() + b",2027-03-31\r\n",
    )  # fmt: skip
    return cast


@pytest.mark.slow
class EveryPageByEveryRoleTest(TestCase):
    crawls: ClassVar[dict[str, CrawlResult] | None] = None
    missing: ClassVar[list[str]] = []

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_a_trust_with_something_on_every_page()

    @classmethod
    def crawl_once(cls) -> dict[str, CrawlResult]:
        """Each role's crawl, done by the first test that asks and kept for the others."""
        if cls.__dict__.get("crawls") is None:
            cls.crawls, cls.missing = cls.crawl_as_every_role()
        return cls.crawls

    @classmethod
    def crawl_as_every_role(cls) -> tuple[dict[str, CrawlResult], list[str]]:
        crawls: dict[str, CrawlResult] = {}
        clients = {}
        for role, person in cls.cast.by_role().items():
            clients[role] = Client()
            clients[role].force_login(person)
            crawls[role] = crawl(clients[role], label=str(Role(role).label))
        # Then the addresses no link showed this role: every pattern, with the keys any role met.
        found = {address for result in crawls.values() for address in result.status}
        also, missing = pattern_addresses(found)
        for role, client in clients.items():
            crawl(client, also=also, into=crawls[role])
        # And someone signed out: every address sends them to sign in; signing out by GET too.
        crawls["signed out"] = crawl(Client(), label="Signed out", also=[*also, reverse("accounts:logout")])
        return crawls, missing

    def test_the_crawl_reaches_every_kind_of_page(self):
        office = self.crawl_once()[Role.PORTFOLIO_OFFICE].status
        self.assertEqual(self.missing, [], "no address was found for these URL patterns: add data that links to them")
        self.assertGreater(len(office), 80)
        for needed in ("/rounds/", "/money/", "/metrics/", "/risks/", "/people/", "/settings/"):
            self.assertIn(needed, office)

    def test_opening_a_page_never_writes(self):
        for role, result in self.crawl_once().items():
            with self.subTest(role=role):
                self.assertEqual(result.writes, [], result.describe_writes())

    def test_every_link_shown_to_a_role_opens(self):
        for role, result in self.crawl_once().items():
            with self.subTest(role=role):
                self.assertEqual(result.broken_links(), {}, result.describe_broken_links())

    def test_no_address_opened_by_get_is_a_server_error_or_refuses_the_method(self):
        for role, result in self.crawl_once().items():
            with self.subTest(role=role):
                bad = {a: s for a, s in result.status.items() if s >= 500 or s == 405}
                self.assertEqual(bad, {}, f"{result.label}: {bad}")


class PostOnlyAddressesByGetTest(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = personas()

    def test_signing_out_by_get_goes_to_the_home_page_and_does_not_sign_out(self):
        self.client.force_login(self.cast.board)
        response = self.client.get(reverse("accounts:logout"))
        self.assertRedirects(response, reverse("portfolio:glance"))
        self.assertEqual(self.client.get(reverse("portfolio:glance")).status_code, 200)
        self.assertContains(self.client.post(reverse("accounts:logout")), "signed out")


class CrawlerTest(TestCase):
    """The crawler itself: what it counts as a link, and that it sees a write."""

    def test_it_follows_same_site_links_and_form_addresses_and_nothing_else(self):
        html = (
            '<a href="/risks/#top">Risks</a> <a href="edit/">Edit</a> <a href="https://example.org/">Away</a>'
            '<a href="mailto:pmo@example.test">Mail</a> <a href="/sign-out/">Out</a> <a>No address</a>'
            '<form method="post" action="/rounds/3/close/"></form> <link href="/static/app.css">'
        )
        self.assertEqual(links_in(html, "/initiatives/1/"), ["/risks/", "/initiatives/1/edit/", "/rounds/3/close/"])

    def test_it_records_a_write_against_the_address_that_made_it(self):
        cast = personas()
        result = CrawlResult("test")
        with watching_writes(result, lambda: "/somewhere/"):
            User.objects.filter(pk=cast.viewer.pk).update(full_name="Changed")
            list(User.objects.all())
        self.assertEqual([w.address for w in result.writes], ["/somewhere/"])
        self.assertTrue(result.writes[0].sql.startswith("UPDATE"))
