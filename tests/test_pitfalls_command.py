"""`python manage.py pitfalls`, the facts it loads (`assurance.pitfall_inputs`) and the thresholds
an organisation sets (`assurance.models.PitfallSettings`)."""

from __future__ import annotations

import datetime as dt
import io
import json
import random

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from headway.accounts.roles import Role
from headway.assurance import pitfall_inputs
from headway.assurance.models import PitfallSettings, check_overrides
from headway.portfolio import actions as portfolio_actions
from headway.portfolio.models import Checkpoint, Initiative
from headway.prioritisation import actions as prioritisation_actions
from headway.prioritisation.models import Candidate, TeamCapacity
from tests.factories import make_business_case, make_initiative, make_organisation, make_person

ON = "2026-12-07"
TODAY = dt.date(2026, 12, 7)


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("pitfalls", *args, stdout=out)
    return out.getvalue()


class PitfallsCommandTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.org = make_organisation(ods_code="RPF01", wip_limit=1)
        cls.lead = make_person(cls.org, Role.DELIVERY_LEAD, name="Dee Lead")
        cls.owner = make_person(cls.org, Role.EXECUTIVE, name="Bea Owner")
        cls.cash = make_initiative(
            cls.org, status="active", reference="PF-001", delivery_lead=cls.lead, riskiest_assumption="Staff use it."
        )
        make_business_case(
            cls.cash,
            costs={"2026/27": 50_000},
            benefits={"2027/28": 80_000},
            benefit_kind="cash",
            owner=cls.owner,
        )
        cls.other = make_initiative(cls.org, status="active", reference="PF-002", delivery_lead=cls.lead)

    def test_json_lists_each_finding_with_its_initiatives_and_evidence(self):
        found = {f["key"]: f for f in json.loads(run("--organisation", "RPF01", "--json", "--on", ON))}
        for finding in found.values():
            assert {"key", "title", "severity", "initiatives", "evidence"} <= set(finding)
            assert isinstance(finding["evidence"], dict)
        assert found["too_many_at_once.over_wip_limit"]["initiatives"] == ["PF-001", "PF-002"]
        assert found["too_many_at_once.over_wip_limit"]["evidence"]["wip_limit"] == 1
        assert found["cash_only.benefits_only_in_cash"]["initiatives"] == ["PF-001"]
        assert found["plan_not_outcomes.no_outcome_measure"]["initiatives"] == ["PF-001", "PF-002"]
        assert found["no_riskiest_assumption.missing"]["initiatives"] == ["PF-002"]
        assert "too_many_at_once.per_delivery_lead" not in found  # two is the default limit

    def test_text_names_the_pitfalls_readably(self):
        text = run("--organisation", "RPF01", "--on", ON)
        assert "pitfalls found for" in text
        assert "[high] More initiatives under way than the work-in-progress limit" in text
        assert "PF-001, PF-002" in text

    def test_an_organisations_override_changes_what_is_found(self):
        PitfallSettings.objects.create(organisation=self.org, overrides={"per_delivery_lead": 1})
        found = {f["key"]: f for f in json.loads(run("--organisation", "RPF01", "--json", "--on", ON))}
        assert found["too_many_at_once.per_delivery_lead"]["evidence"]["people"] == {"Dee Lead": 2}

    def test_an_unknown_organisation_or_date_is_refused_clearly(self):
        with pytest.raises(CommandError, match="No organisation has the ODS code 'NOPE1'"):
            run("--organisation", "NOPE1")
        with pytest.raises(CommandError, match="YYYY-MM-DD"):
            run("--organisation", "RPF01", "--on", "7/12/2026")

    def test_teams_asked_for_more_days_than_the_latest_round_gives_them(self):
        round_ = prioritisation_actions.create_round(
            organisation=self.org,
            by=None,
            name="Q4 round",
            held_on=dt.date(2026, 11, 2),
            initiatives=[self.cash, self.other],
        )
        TeamCapacity.objects.create(round=round_, team="Data", quarter="2026/27 Q4", days=20)
        Candidate.objects.filter(round=round_).update(team_demand={"Data": {"2026/27 Q4": 15}})
        found = {f["key"]: f for f in json.loads(run("--organisation", "RPF01", "--json", "--on", ON))}
        finding = found["optimism_bias.teams_over_capacity"]
        assert finding["initiatives"] == ["PF-001", "PF-002"]
        assert finding["evidence"]["teams"] == [{"team": "Data", "quarter": "2026/27 Q4", "days": 20, "asked": 30.0}]

    def _steady(self, reference: str = "PF-002") -> int:
        facts = pitfall_inputs.load(self.org, TODAY, pitfall_inputs.thresholds_for(self.org))
        [found] = [i for i in facts.initiatives if i.reference == reference]
        return found.steady_checkpoints

    def _bulk(self, initiative: Initiative, weeks_and_ratings: list[tuple[dt.date, str]]) -> None:
        Checkpoint.objects.bulk_create(
            Checkpoint(initiative=initiative, week_start=week, confidence=rating, confidence_reason="As it is.")
            for week, rating in weeks_and_ratings
        )
        Initiative.objects.filter(pk=initiative.pk).refresh_checkpoint_summaries()

    def test_the_newest_checkpoints_are_read_for_confidence_never_changing_even_with_weeks_missed(self):
        monday = dt.date(2026, 11, 30)
        weeks = [monday - dt.timedelta(weeks=n) for n in range(16) if n not in (3, 7)]  # two missed
        self._bulk(self.other, [(week, "amber") for week in weeks])
        assert self._steady() == 14
        found = {f["key"]: f for f in json.loads(run("--organisation", "RPF01", "--json", "--on", ON))}
        assert found["confidence_never_changes.unchanged"]["initiatives"] == ["PF-002"]

    def test_a_different_rating_among_the_newest_stops_the_count(self):
        monday = dt.date(2026, 11, 30)
        ratings = ["amber"] * 11 + ["green", "red", "red"]  # newest first: the twelfth differs
        self._bulk(self.other, [(monday - dt.timedelta(weeks=n), r) for n, r in enumerate(ratings)])
        assert Initiative.objects.get(pk=self.other.pk).confidence_changed_week == monday - dt.timedelta(weeks=11)
        assert self._steady() == 11
        found = {f["key"] for f in json.loads(run("--organisation", "RPF01", "--json", "--on", ON))}
        assert "confidence_never_changes.unchanged" not in found

    def test_the_count_agrees_with_the_rule_read_straight_from_the_checkpoints(self):
        # The rule as the guide's check reads: of the checkpoints in the last 2 x 12 weeks, the
        # newest 12 all have one rating. Random histories, with missed weeks and changes of rating.
        rng = random.Random(20261207)
        monday = dt.date(2026, 11, 30)
        window = TODAY - dt.timedelta(weeks=24)
        expected = {}
        for k in range(24):
            initiative = make_initiative(self.org, status="active", reference=f"PR-{k:03d}")
            history = [
                (monday - dt.timedelta(weeks=n), rng.choice(["green", "amber", "amber", "amber", "red"]))
                for n in range(rng.randint(0, 40))
                if rng.random() > 0.15
            ]
            if k % 3 == 0:  # long runs are what the check is for: make a third of them steady
                run_length = rng.randint(8, 30)
                history = [(week, "amber" if n < run_length else r) for n, (week, r) in enumerate(history)]
            self._bulk(initiative, history)
            in_window = [r for week, r in sorted(history, reverse=True) if week > window][:12]
            expected[initiative.reference] = len(in_window) == 12 and len(set(in_window)) == 1
            stuck = self._steady(initiative.reference) >= 12
            assert stuck is expected[initiative.reference], (initiative.reference, history)
        assert 0 < sum(expected.values()) < len(expected)  # both answers were tested

    def test_recording_checkpoints_through_the_actions_keeps_the_week_of_the_last_change(self):
        monday = dt.date(2026, 11, 30)
        for n, rating in [(3, "green"), (2, "amber"), (1, "amber")]:
            portfolio_actions.record_checkpoint(
                initiative=self.other,
                by=None,
                week=monday - dt.timedelta(weeks=n),
                fields={"confidence": rating, "confidence_reason": "As it is."},
            )
        self.other.refresh_from_db()
        assert self.other.confidence_changed_week == monday - dt.timedelta(weeks=3)
        assert self._steady() == 2
        portfolio_actions.record_checkpoint(
            initiative=self.other, by=None, week=monday, fields={"confidence": "green", "confidence_reason": "Better."}
        )
        self.other.refresh_from_db()
        assert self.other.confidence_changed_week == monday - dt.timedelta(weeks=1)
        assert self._steady() == 1

    def test_an_initiatives_findings_are_those_that_name_it(self):
        keys = {f.key for f in pitfall_inputs.initiative_findings(self.other, TODAY)}
        assert "no_riskiest_assumption.missing" in keys
        assert "cash_only.benefits_only_in_cash" not in keys  # names PF-001 only
        assert "cash_only.benefits_only_in_cash" in {
            f.key for f in pitfall_inputs.initiative_findings(self.cash, TODAY)
        }

    def test_the_last_stop_is_found_however_old(self):
        make_initiative(self.org, status="stopped", reference="PF-OLD")  # the factory dates it 5 January 2026
        facts = pitfall_inputs.load(self.org, dt.date(2028, 6, 1), pitfall_inputs.thresholds_for(self.org))
        assert facts.decisions == ()
        assert facts.last_stop == dt.date(2026, 1, 5)

    def test_the_facts_load_in_the_same_number_of_queries_however_many_initiatives(self):
        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                pitfall_inputs.findings(self.org, TODAY)
            return len(queries)

        before = count()
        for n in range(3, 7):
            extra = make_initiative(self.org, status="active", reference=f"PF-00{n}", delivery_lead=self.lead)
            make_business_case(extra, costs={"2026/27": 10_000}, benefits={"2027/28": 20_000}, owner=self.owner)
        assert count() == before


def test_overrides_that_are_unknown_or_of_the_wrong_kind_are_refused_by_name():
    check_overrides({"per_sro": 4})
    with pytest.raises(ValidationError, match="nope, per_sro"):
        check_overrides({"per_sro": "four", "nope": 1})
    with pytest.raises(ValidationError, match="JSON object"):
        check_overrides([1, 2])
