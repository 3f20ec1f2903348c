"""Money is entered once: a round reads its candidates' costs from finance unless overridden, and
results stored before the declared shape still load and show on the round page."""

import datetime as dt
import json
from importlib import import_module
from pathlib import Path

from django.apps import apps
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse

from headway.prioritisation import actions, costs, results, sources
from headway.prioritisation.models import Candidate, Result, RoundChange
from tests.factories import make_business_case, make_funding_line, make_initiative
from tests.personas import personas
from tests.test_prioritisation_actions import HIGH, rate

OLD_RESULT = Path(__file__).parent / "data" / "prioritisation" / "result_unversioned.json"


def set_candidate(candidate, **fields):
    values = {
        "must_do": candidate.must_do,
        "must_do_reason": candidate.must_do_reason,
        "costs": {},
        "committed": {},
        "team_demand": {},
        "requires": [],
        "exclusive_with": [],
    }
    actions.update_candidate(candidate=candidate, by=None, **(values | fields))


class MoneyEnteredOnceTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cast = personas()
        cls.organisation, cls.office = cls.cast.trust, cls.cast.office
        cls.with_cases = make_initiative(cls.organisation, by=cls.office, status="active", reference="DIG-001")
        cls.with_funding = make_initiative(cls.organisation, by=cls.office, reference="DIG-002")
        cls.with_nothing = make_initiative(cls.organisation, by=cls.office, reference="DIG-003")
        make_business_case(cls.with_cases, by=cls.office, stage="soc", costs={"2026/27": 999_000})
        make_business_case(cls.with_cases, by=cls.office, stage="fbc", costs={"2026/27": 70_000, "2027/28": 30_000})
        make_business_case(cls.with_cases, by=cls.office, stage="obc", costs={"2026/27": 500_000})
        make_funding_line(cls.with_cases, by=cls.office, amount=1)
        make_funding_line(cls.with_funding, by=cls.office, amount=40_000, state="requested")
        make_funding_line(cls.with_funding, by=cls.office, amount=10_000, kind="revenue")

    def setUp(self):
        self.round = actions.create_round(
            organisation=self.organisation, by=self.office, name="2026/27 Q1", held_on=dt.date(2026, 4, 10)
        )
        self.candidates = {c.initiative.reference: c for c in self.round.candidates.select_related("initiative")}

    def money(self):
        found = sources.effective_costs(list(self.candidates.values()))
        return {reference: found[c.pk] for reference, c in self.candidates.items()}

    def test_a_candidates_cost_comes_from_the_latest_business_case_then_funding_lines(self):
        money = self.money()
        self.assertEqual(money["DIG-001"].label, "Full business case")
        self.assertEqual(
            money["DIG-001"].costs,
            {"2026/27": {"capital": 0, "revenue": 70_000}, "2027/28": {"capital": 0, "revenue": 30_000}},
        )
        self.assertEqual(money["DIG-002"].label, "Funding lines")
        self.assertEqual(money["DIG-002"].costs, {"2026/27": {"capital": 40_000, "revenue": 10_000}})
        self.assertEqual(money["DIG-003"].origin, costs.NO_COSTS)

    def test_money_entered_for_the_round_overrides_finance_and_needs_its_reason(self):
        entered = {"2026/27": {"capital": 5_000, "revenue": 0}}
        with self.assertRaises(ValidationError) as refused:
            set_candidate(self.candidates["DIG-001"], costs=entered)
        self.assertIn("costs_reason", refused.exception.message_dict)
        set_candidate(self.candidates["DIG-001"], costs=entered, costs_reason="Supplier's fixed quote")
        money = self.money()
        self.assertEqual(money["DIG-001"].label, "Entered for this round: Supplier's fixed quote")
        self.assertEqual(money["DIG-001"].costs, entered)
        set_candidate(self.candidates["DIG-001"], costs={}, costs_reason="ignored without costs")
        self.candidates["DIG-001"].refresh_from_db()
        self.assertEqual(self.candidates["DIG-001"].costs_reason, "")
        self.assertEqual(self.money()["DIG-001"].label, "Full business case")

    def test_the_selection_uses_the_effective_costs_and_stores_where_they_came_from(self):
        actions.set_capacity(
            round=self.round,
            by=self.office,
            budgets={"2026/27": {"capital": 30_000, "revenue": 100_000}},
            teams={},
            wip_limit=None,
        )
        rate(self.round, self.office, dict.fromkeys(self.candidates, HIGH))
        result = actions.run_selection(round=self.round, by=self.office)
        self.assertEqual(result.schema_version, results.SCHEMA_VERSION)
        used = {row["name"]: row["used"] for row in result.stored().capacity}
        chosen = {self.candidates[ref].pk for ref in ("DIG-001", "DIG-003")}
        # DIG-002's requested £40,000 of capital does not fit in £30,000.
        self.assertEqual(set(result.selected), chosen)
        self.assertEqual(used, {"2026/27 capital": 0.0, "2026/27 revenue": 70_000.0})
        stored = result.stored().costs
        self.assertEqual(stored[str(self.candidates["DIG-001"].pk)]["label"], "Full business case")
        self.assertEqual(stored[str(self.candidates["DIG-002"].pk)]["origin"], costs.FUNDING_LINES)

    def test_a_scenario_and_the_next_round_keep_an_override_with_its_reason(self):
        entered = {"2026/27": {"capital": 5_000, "revenue": 0}}
        set_candidate(self.candidates["DIG-002"], costs=entered, costs_reason="Quoted")
        scenario = actions.copy_as_scenario(round=self.round, by=self.office, note="Less money", budget_factor=0.5)
        copy = scenario.candidates.get(initiative=self.with_funding)
        self.assertEqual((copy.costs, copy.costs_reason), (entered, "Quoted"))
        self.assertEqual(scenario.candidates.get(initiative=self.with_cases).costs, {})

    def test_the_round_page_says_where_each_number_came_from(self):
        set_candidate(
            self.candidates["DIG-002"], costs={"2026/27": {"capital": 1, "revenue": 0}}, costs_reason="Quoted"
        )
        self.client.force_login(self.office)
        response = self.client.get(reverse("prioritisation:detail", args=[self.round.pk]))
        self.assertContains(response, "£0 capital, £100,000 revenue (Full business case)")
        self.assertContains(response, "£1 capital, £0 revenue (Entered for this round: Quoted)")
        self.assertContains(response, "no costs recorded")
        self.assertContains(response, "Team days have no other home in Headway")

    def test_the_candidate_page_shows_the_finance_figures_and_refuses_an_override_without_a_reason(self):
        self.client.force_login(self.office)
        url = reverse("prioritisation:candidate_edit", args=[self.candidates["DIG-001"].pk])
        response = self.client.get(url)
        self.assertContains(response, "From the full business case")
        self.assertContains(response, "£70,000")
        self.assertContains(response, "Team days are entered only here")
        response = self.client.post(url, {"costs": "2026/27 | £1 | £0", "costs_reason": " "})
        self.assertContains(response, "Say why this round does not use the business case or funding lines.")
        self.candidates["DIG-001"].refresh_from_db()
        self.assertEqual(self.candidates["DIG-001"].costs, {})

    def test_money_typed_before_business_cases_were_read_is_kept_as_an_override(self):
        migration = import_module("headway.prioritisation.migrations.0002_money_entered_once_and_result_schema")
        typed = self.candidates["DIG-001"]
        Candidate.objects.filter(pk=typed.pk).update(costs={"2026/27": {"capital": 9, "revenue": 0}})
        migration.keep_typed_money_as_overrides(apps, None)
        typed.refresh_from_db()
        self.assertEqual(typed.costs_reason, costs.MIGRATED_REASON)
        self.assertEqual(Candidate.objects.get(pk=self.candidates["DIG-002"].pk).costs_reason, "")
        self.assertEqual(self.money()["DIG-001"].label, f"Entered for this round: {costs.MIGRATED_REASON}")


class OldResultTest(TestCase):
    """A result stored by the code before its shape was declared, captured as it was written."""

    @classmethod
    def setUpTestData(cls):
        cls.cast = personas()
        cls.organisation, cls.office = cls.cast.trust, cls.cast.office
        for reference, status in (("DIG-001", "active"), ("DIG-002", "proposed"), ("DIG-003", "active")):
            make_initiative(cls.organisation, by=cls.office, status=status, reference=reference)
        make_initiative(cls.organisation, by=cls.office, reference="DIG-004")
        cls.round = actions.create_round(
            organisation=cls.organisation, by=cls.office, name="2026/27 Q1", held_on=dt.date(2026, 4, 10)
        )
        cls.result = Result.objects.create(round=cls.round, **cls.remapped(json.loads(OLD_RESULT.read_text())))
        cls.round.current_result = cls.result
        cls.round.save(update_fields=["current_result"])

    @classmethod
    def remapped(cls, fields):
        """The captured result with its candidate and initiative ids replaced by this round's."""
        by_reference = {c.initiative.reference: c for c in cls.round.candidates.select_related("initiative")}
        pk = {old: str(by_reference[ref].pk) for old, ref in fields.pop("candidates").items()}
        for name in ("scores", "explanations", "robustness", "inputs"):
            fields[name] = {pk[key]: value for key, value in fields[name].items()}
        for row in fields["scores"].values():
            row["initiative"] = by_reference[row["reference"]].initiative_id
        for name in ("selected", "greedy_selected"):
            fields[name] = [int(pk[str(old)]) for old in fields[name]]
        return fields

    def test_it_is_stored_as_unversioned_and_loads(self):
        self.assertEqual(self.result.schema_version, results.UNVERSIONED)
        stored = self.result.stored()
        self.assertEqual(
            sorted(row["reference"] for row in stored.scores.values() if row["selected"]), ["DIG-001", "DIG-004"]
        )

    def test_the_round_page_still_renders_it(self):
        self.client.force_login(self.office)
        response = self.client.get(reverse("prioritisation:detail", args=[self.round.pk]))
        self.assertContains(response, "2 of 4 initiatives")
        self.assertContains(response, "In unless its score falls below 75.0 (now 75.0).")
        self.assertContains(response, "Would need a score above 75.0 (now 75.0) to come in, in place of DIG-001.")
        self.assertContains(response, "Firmly in")
        self.assertContains(response, "Every choice holds when the weights move by up to 20%.")
        self.assertContains(response, "2026/27 capital")

    def test_the_changes_are_worked_out_from_it(self):
        changes = {c.initiative.reference: c.change for c in actions.compute_changes(round=self.round)}
        self.assertEqual(changes["DIG-001"], RoundChange.Kind.NEW)
        self.assertEqual(changes["DIG-003"], RoundChange.Kind.STOPPED)
        self.assertEqual(changes["DIG-004"], RoundChange.Kind.STARTED)
