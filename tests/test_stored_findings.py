"""The pitfall findings are stored per organisation and refreshed by the actions (ADR 26): every
kind of write that changes what the detectors read works them out again in its own transaction;
pages only read them; at a glance summarises them, each count linking to exactly the initiatives
named; a batch of actions refreshes once."""

from __future__ import annotations

import datetime as dt
import io
from unittest import mock

import time_machine
from django.core.management import call_command
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from headway import derived
from headway.accounts import actions as account_actions
from headway.accounts.models import Membership
from headway.assurance import actions as assurance_actions
from headway.assurance import pitfall_inputs, pitfall_store
from headway.assurance.models import StoredFindings
from headway.finance import actions as finance_actions
from headway.lib.weeks import week_start
from headway.metrics import actions as metric_actions
from headway.portfolio import actions as portfolio_actions
from headway.portfolio.models import Checkpoint, StrategicGoal
from headway.prioritisation import actions as prioritisation_actions
from tests.factories import make_business_case, make_funding_line, make_initiative, make_metric, record_actual
from tests.personas import personas
from tests.test_pitfalls_pages import cash_and_plain

TODAY = dt.date.today()
MONDAY = week_start(TODAY)


class RefreshedByEveryKindOfActionTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cast = personas()
        trust, office = cls.cast.trust, cls.cast.office
        cls.initiative = make_initiative(trust, by=office, status="active", title="Patient portal")
        cls.other = make_initiative(trust, by=office, status="active", title="Ward dashboard")
        cls.goal = StrategicGoal.objects.create(organisation=trust, title="Shorter waits")
        cls.metric = make_metric(trust, name="Portal logins")

    def stored(self) -> StoredFindings | None:
        return StoredFindings.objects.filter(organisation=self.cast.trust).first()

    def test_each_kind_of_action_works_the_findings_out_again(self):
        trust, office, lead = self.cast.trust, self.cast.office, self.cast.lead
        initiative = self.initiative
        state: dict = {}

        def need():
            state["need"] = portfolio_actions.save_user_need(
                initiative=initiative,
                by=office,
                fields={"statement": "As a nurse I need one login so that I save time.", "evidence": "assumed"},
            )

        def case():
            state["case"] = make_business_case(
                initiative, costs={"2026/27": 50_000}, benefits={"2027/28": 80_000}, owner=self.cast.executive
            )

        def funding():
            state["funding"] = make_funding_line(initiative, by=office)

        def round_():
            state["round"] = prioritisation_actions.create_round(
                organisation=trust, by=office, name="Spring round", held_on=TODAY
            )

        steps = [
            ("a new initiative", lambda: make_initiative(trust, by=office, title="Another idea")),
            (
                "an initiative edited, with its goals",
                lambda: portfolio_actions.update_initiative(
                    initiative=initiative, by=office, fields={"riskiest_assumption": "Staff use it."}, goals=[self.goal]
                ),
            ),
            ("a user need", need),
            ("a user need removed", lambda: portfolio_actions.delete_user_need(need=state["need"], by=office)),
            (
                "a checkpoint",
                lambda: portfolio_actions.record_checkpoint(
                    initiative=initiative,
                    by=lead,
                    week=MONDAY,
                    fields={"demonstrated": "Log-in page", "confidence": "green", "confidence_reason": "On track"},
                ),
            ),
            (
                "a checkpoint removed",
                lambda: portfolio_actions.delete_checkpoints(
                    checkpoints=list(Checkpoint.objects.filter(initiative=initiative)), by=office
                ),
            ),
            (
                "a risk",
                lambda: portfolio_actions.save_risk(
                    organisation=trust,
                    by=office,
                    fields={
                        "title": "Supplier slips",
                        "owner": self.cast.lead,
                        "initiative": initiative,
                        "likelihood": 3,
                        "consequence": 3,
                        "next_review": TODAY,
                    },
                ),
            ),
            (
                "a metric linked",
                lambda: metric_actions.save_metric(
                    organisation=trust, by=office, fields={}, initiatives=[initiative], metric=self.metric
                ),
            ),
            (
                "an observation",
                lambda: metric_actions.record_observation(
                    metric=self.metric, by=office, period=TODAY.replace(day=1), value=12.0
                ),
            ),
            ("a business case", case),
            ("funding", funding),
            ("funding removed", lambda: finance_actions.delete_funding_line(line=state["funding"], by=office)),
            ("spend recorded", lambda: record_actual(initiative, by=office)),
            (
                "a decision",
                lambda: assurance_actions.record_decision(
                    initiative=self.other,
                    by=office,
                    kind="pause",
                    rationale="Waiting for the supplier.",
                    evidence="The supplier's letter of 1 December says the release slips to March.",
                    decided_by="Digital board",
                    decided_on=TODAY,
                ),
            ),
            ("a prioritisation round", round_),
            (
                "a round's team days",
                lambda: prioritisation_actions.set_capacity(
                    round=state["round"], by=office, budgets={}, teams={"Web": {"2026/27 Q4": 40}}, wip_limit=None
                ),
            ),
            (
                "a person's access",
                lambda: account_actions.change_member(
                    membership=Membership.objects.get(user=lead, organisation=trust),
                    by=office,
                    role="delivery_lead",
                    directorate="Digital",
                ),
            ),
        ]
        for name, step in steps:
            with self.subTest(name):
                StoredFindings.objects.filter(organisation=trust).delete()
                step()
                self.assertIsNotNone(self.stored(), f"{name} left the findings unworked")

    def test_the_settings_page_and_the_thresholds_work_them_out_again(self):
        StoredFindings.objects.filter(organisation=self.cast.trust).delete()
        self.client.force_login(self.cast.office)
        response = self.client.post(
            reverse("portfolio:settings"),
            {"wip_limit": 1, "confidence_scale": self.cast.trust.confidence_scale, "first_release_weeks": 12},
        )
        self.assertEqual(response.status_code, 302, response.content[:1000])
        stored = pitfall_store.stored(self.cast.trust)
        assert stored is not None
        self.assertIn("too_many_at_once.over_wip_limit", [f.key for f in stored.findings])

    def test_what_is_stored_is_what_the_detectors_find_now(self):
        portfolio_actions.update_initiative(
            initiative=self.initiative, by=self.cast.office, fields={"riskiest_assumption": ""}
        )
        stored = pitfall_store.stored(self.cast.trust)
        assert stored is not None
        fresh = pitfall_inputs.findings(self.cast.trust, TODAY)
        self.assertEqual([f.as_json() for f in stored.findings], [f.as_json() for f in fresh])
        self.assertEqual([f.link for f in stored.findings], [f.link for f in fresh])
        self.assertIn(self.initiative.reference, stored.findings[0].initiatives + tuple(
            ref for f in stored.findings for ref in f.initiatives
        ))
        self.assertEqual(stored.judged_on, TODAY)

    def test_a_decision_and_its_rounds_work_them_out_once(self):
        with mock.patch.object(pitfall_inputs, "findings", wraps=pitfall_inputs.findings) as worked_out:
            assurance_actions.record_decision(
                initiative=self.other,
                by=self.cast.office,
                kind="stop",
                rationale="No longer needed.",
                evidence="The ward closed in November and the service moved to the new hospital.",
                decided_by="Digital board",
                decided_on=TODAY,
            )
        self.assertEqual(worked_out.call_count, 1)

    def test_a_failed_batch_refreshes_nothing(self):
        with (
            mock.patch.object(pitfall_inputs, "findings", wraps=pitfall_inputs.findings) as worked_out,
            self.assertRaises(RuntimeError),
            derived.batch(),
        ):
            derived.organisation_changed(self.cast.trust.pk)
            raise RuntimeError("rolled back")
        self.assertEqual(worked_out.call_count, 0)

    def test_the_command_works_them_out_for_every_organisation(self):
        StoredFindings.objects.all().delete()
        out = io.StringIO()
        call_command("refresh_findings", stdout=out)
        self.assertTrue(StoredFindings.objects.filter(organisation=self.cast.trust).exists())
        self.assertTrue(StoredFindings.objects.filter(organisation=self.cast.other_trust).exists())
        self.assertIn(self.cast.trust.name, out.getvalue())


class PagesReadTheStoredFindingsTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cash_and_plain(cls)
        cls.proposed = make_initiative(cls.cast.trust, by=cls.cast.office, title="Only an idea")

    def test_at_a_glance_names_each_pitfall_with_its_severity_and_a_link_to_exactly_its_initiatives(self):
        self.client.force_login(self.cast.board)
        response = self.client.get(reverse("portfolio:glance"))
        self.assertContains(response, "Pitfalls found in the data")
        self.assertContains(response, "No riskiest assumption recorded")
        self.assertContains(response, "Benefits argued only as cash savings")
        stored = pitfall_store.stored(self.cast.trust)
        assert stored is not None
        text = response.content.decode()
        for finding in stored.findings:
            if not finding.initiatives:
                continue
            with self.subTest(finding.key):
                url = f"{reverse('portfolio:list')}?pitfall={finding.key}#initiatives"
                self.assertIn(url.replace("&", "&amp;"), text)
                listed = self.client.get(url)
                self.assertEqual(
                    sorted(row["initiative"].reference for row in listed.context["rows"]), sorted(finding.initiatives)
                )
                self.assertContains(listed, finding.title)

    def test_the_pages_read_without_writing_and_say_when_nothing_is_worked_out_yet(self):
        StoredFindings.objects.filter(organisation=self.cast.trust).delete()
        self.client.force_login(self.cast.board)
        with mock.patch.object(pitfall_inputs, "findings") as worked_out:
            glance = self.client.get(reverse("portfolio:glance"))
            page = self.client.get(reverse("portfolio:pitfalls"))
            detail = self.client.get(reverse("portfolio:detail", args=[self.plain.pk]))
        worked_out.assert_not_called()
        self.assertFalse(StoredFindings.objects.filter(organisation=self.cast.trust).exists())
        self.assertContains(glance, "The pitfalls have not been worked out for this organisation yet.")
        self.assertContains(page, "The pitfalls have not been worked out for this organisation yet.")
        self.assertNotContains(detail, "Pitfalls the guide warns about")

    def test_the_initiative_page_shows_the_stored_findings_naming_it(self):
        self.client.force_login(self.cast.viewer)
        response = self.client.get(reverse("portfolio:detail", args=[self.plain.pk]))
        self.assertContains(response, "Pitfalls the guide warns about")
        self.assertContains(response, "No riskiest assumption recorded")
        self.assertContains(response, "Where to fix it")
        self.assertNotContains(response, "Benefits argued only as cash savings")

    def test_the_pitfalls_page_has_an_anchor_for_each_finding(self):
        self.client.force_login(self.cast.board)
        response = self.client.get(reverse("portfolio:pitfalls"))
        self.assertContains(response, 'id="finding-no-riskiest-assumption-')
        self.assertContains(response, "Worked out")


@override_settings(FINDINGS_REFRESH_BUDGET_MS=-1, FINDINGS_REFRESH_EVERY=60)
class LargePortfolioWaitsAMinuteTest(TestCase):
    """A portfolio whose findings take longer than the budget to work out (here, any: the budget
    is below zero) is worked out at most once a minute; the changes in between are marked, said on
    the pages, and counted by the next write after the minute or by `refresh_findings --changed`."""

    @classmethod
    def setUpTestData(cls):
        cash_and_plain(cls)
        pitfall_store.refresh(cls.cast.trust)

    def add_initiative(self, title: str):
        # One write, as a form's save is (created, then started): one refresh at its end.
        with derived.batch():
            return make_initiative(self.cast.trust, by=self.cast.office, status="active", title=title)

    def named(self) -> set[str]:
        stored = pitfall_store.stored(self.cast.trust)
        assert stored is not None
        return {ref for f in stored.findings for ref in f.initiatives}

    def test_a_write_within_the_minute_is_marked_and_counted_later(self) -> None:
        before = StoredFindings.objects.get(organisation=self.cast.trust)
        late = self.add_initiative("Added within the minute")
        after = StoredFindings.objects.get(organisation=self.cast.trust)
        self.assertEqual(after.worked_out_at, before.worked_out_at)
        self.assertIsNotNone(after.changed_since)
        self.assertNotIn(late.reference, self.named())
        self.client.force_login(self.cast.board)
        for url in (reverse("portfolio:glance"), reverse("portfolio:pitfalls")):
            self.assertContains(self.client.get(url), "are not counted yet")

        out = io.StringIO()
        call_command("refresh_findings", "--changed", stdout=out)
        self.assertIn(self.cast.trust.name, out.getvalue())
        self.assertNotIn(self.cast.other_trust.name, out.getvalue())  # nothing of theirs waited
        after = StoredFindings.objects.get(organisation=self.cast.trust)
        self.assertIsNone(after.changed_since)
        self.assertIn(late.reference, self.named())
        self.assertNotContains(self.client.get(reverse("portfolio:glance")), "are not counted yet")

    def test_the_first_write_after_the_minute_works_them_out(self) -> None:
        with time_machine.travel(timezone.now() + dt.timedelta(seconds=61), tick=False):
            late = self.add_initiative("Added after the minute")
        self.assertIn(late.reference, self.named())
        self.assertIsNone(StoredFindings.objects.get(organisation=self.cast.trust).changed_since)
