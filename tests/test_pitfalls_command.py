"""`python manage.py pitfalls`, the facts it loads (`assurance.pitfall_inputs`) and the thresholds
an organisation sets (`assurance.models.PitfallSettings`)."""

from __future__ import annotations

import datetime as dt
import io
import json

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
from headway.portfolio.models import Checkpoint
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

    def test_the_newest_checkpoints_are_read_for_confidence_never_changing_even_with_weeks_missed(self):
        monday = dt.date(2026, 11, 30)
        weeks = [monday - dt.timedelta(weeks=n) for n in range(16) if n not in (3, 7)]  # two missed
        Checkpoint.objects.bulk_create(
            Checkpoint(initiative=self.other, week_start=week, confidence="amber", confidence_reason="Steady.")
            for week in weeks
        )
        facts = pitfall_inputs.load(self.org, TODAY, pitfall_inputs.thresholds_for(self.org))
        [other] = [i for i in facts.initiatives if i.reference == "PF-002"]
        assert other.recent_confidence == ("amber",) * 12
        found = {f["key"]: f for f in json.loads(run("--organisation", "RPF01", "--json", "--on", ON))}
        assert found["confidence_never_changes.unchanged"]["initiatives"] == ["PF-002"]

    def test_only_the_newest_ratings_are_read_newest_first(self):
        monday = dt.date(2026, 11, 30)
        ratings = ["amber"] * 11 + ["green", "red", "red"]  # newest first: the twelfth differs
        Checkpoint.objects.bulk_create(
            Checkpoint(
                initiative=self.other,
                week_start=monday - dt.timedelta(weeks=n),
                confidence=rating,
                confidence_reason="As it is.",
            )
            for n, rating in enumerate(ratings)
        )
        facts = pitfall_inputs.load(self.org, TODAY, pitfall_inputs.thresholds_for(self.org))
        [other] = [i for i in facts.initiatives if i.reference == "PF-002"]
        assert other.recent_confidence == ("amber",) * 11 + ("green",)
        found = {f["key"] for f in json.loads(run("--organisation", "RPF01", "--json", "--on", ON))}
        assert "confidence_never_changes.unchanged" not in found

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
