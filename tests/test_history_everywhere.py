"""Every change, through any path, is recorded and shown in words on a history page (ADR 22):
links between records as sentences, the money and the risks with the initiative, access on the
people page, goals, services, settings and a round's capacity on their own pages."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from html import escape
from typing import Any

from django.apps import apps
from django.db.models import Model
from django.test import TestCase
from django.urls import reverse

from headway.accounts.models import IntegratedCareSystem, Membership, User
from headway.api.models import AccessToken
from headway.assurance import baf_actions, pack_actions
from headway.assurance.models import PitfallSettings, Question
from headway.finance import actions as finance_actions
from headway.finance.models import BiasFactor, ProjectType
from headway.metrics import actions as metric_actions
from headway.portfolio import actions
from headway.portfolio import actions as portfolio_actions
from headway.portfolio.models import Service, StrategicGoal
from headway.prioritisation import actions as prioritisation_actions
from headway.prioritisation.models import Candidate, Round
from tests.factories import (
    PASSWORD,
    make_business_case,
    make_funding_line,
    make_initiative,
    make_metric,
    make_token,
    record_actual,
)
from tests.personas import personas


class LinksInWordsTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cast = personas()
        trust = cls.cast.trust
        cls.waits = StrategicGoal.objects.create(organisation=trust, title="Shorter waits")
        cls.safety = StrategicGoal.objects.create(organisation=trust, title="Safer care")
        cls.epr = Service.objects.create(organisation=trust, name="Electronic patient record")
        cls.other = make_initiative(trust, by=cls.cast.office, title="Shared care record")
        cls.initiative = actions.create_initiative(
            organisation=trust, by=cls.cast.office, fields={"title": "Patient portal", "problem": "Re-keying"},
            goals=[cls.safety],
        )

    def test_linking_a_goal_is_said_in_words_and_in_one_entry_with_the_other_changes(self):
        self.client.force_login(self.cast.office)
        response = self.client.post(
            reverse("portfolio:edit", args=[self.initiative.pk]),
            {
                "title": "Patient portal phase 2",
                "problem": self.initiative.problem,
                "phase": "discovery",
                "goals": [self.waits.pk],
                "services": [self.epr.pk],
                "joins_up_with": [self.other.pk],
            },
        )
        self.assertEqual(response.status_code, 302, response.content[:2000])
        page = self.client.get(reverse("portfolio:history", args=[self.initiative.pk])).content.decode()
        self.assertIn("Linked to strategic goal &#x27;Shorter waits&#x27;", page)
        self.assertIn("Unlinked from strategic goal &#x27;Safer care&#x27;", page)
        self.assertIn("Linked to service &#x27;Electronic patient record&#x27;", page)
        self.assertIn(f"Joins up with: added &#x27;{self.other}&#x27;", page)
        self.assertNotIn("no change to the recorded fields", page)
        # The title, the goals, the service and the other initiative: one save, one entry.
        self.assertEqual(self.initiative.history.filter(history_type="~", history_change_reason="Edited").count(), 1)


# Every model that has no history, and why. A new model must either keep history or be listed.
WITHOUT_HISTORY: dict[str, str] = {
    "accounts.User": (
        "a person's own account (name, email, password hash): the hash must not be copied into history, and "
        "what governance needs, who gave them access and in what role, is the membership's history"
    ),
    "accounts.Invitation": (
        "an offer made once and then accepted or withdrawn; it carries who invited, who accepted or withdrew "
        "and when, and the access it gives is recorded in the membership's history"
    ),
    "accounts.Submission": "a retried form's single-use token, kept a day so a retry is not saved twice (ADR 16)",
    "imports.Upload": (
        "a file kept between its preview and its import, and which person imported it when (ADR 33); what the "
        "import changed is in the history of every record it wrote, through the apps' actions"
    ),
    "assurance.WeeknotesSent": (
        "a record that one week's weeknotes were emailed to one person, written once and never changed (ADR 30); "
        "the choice to receive them is kept in the membership's history"
    ),
    "metrics.Verdict": "derived from the metrics and refreshed by their actions (ADR 7, ADR 14)",
    "assurance.StoredFindings": (
        "the pitfall findings worked out from every app's data and refreshed by the actions (ADR 26); "
        "the data they come from keeps history"
    ),
    "prioritisation.Criterion": (
        "the default criteria, created once per organisation; the weights each selection used are kept "
        "with its result (ADR 8)"
    ),
    "prioritisation.Result": "never changed once made (ADR 8); it carries who ran it and when",
    "prioritisation.RoundChange": (
        "worked out from two results by compute_changes; the reasons typed into it become the decisions' "
        "rationale when the round closes, and decisions keep history"
    ),
}


def headway_models() -> list[type[Model]]:
    """Every model of Headway's own apps, leaving out the history tables themselves."""
    return [
        model
        for config in apps.get_app_configs()
        if config.name.startswith("headway.")
        for model in config.get_models()
        if not hasattr(model, "instance_type")
    ]


def has_history(model: type[Model]) -> bool:
    return hasattr(model._meta, "simple_history_manager_attribute")


def label_of(model: type[Model]) -> str:
    return model._meta.label


class EveryModelKeepsHistoryTest(TestCase):
    def test_no_model_is_left_without_history_unless_listed_with_a_reason(self):
        models = {label_of(m): m for m in headway_models()}
        missing = sorted(name for name, m in models.items() if not has_history(m) and name not in WITHOUT_HISTORY)
        self.assertEqual(missing, [], "Give these models history, or list them in WITHOUT_HISTORY with a reason.")
        stale = sorted(name for name in WITHOUT_HISTORY if name not in models or has_history(models[name]))
        self.assertEqual(stale, [], "These are listed as having no history, but they are gone or now keep it.")
        for name, reason in WITHOUT_HISTORY.items():
            self.assertGreater(len(reason.split()), 5, f"Say why {name} keeps no history.")


class EveryChangeIsShownInWordsTest(TestCase):
    """For every model with history: make a change through its form or action, as the pages do,
    and find it described in words on a history page."""

    @classmethod
    def setUpTestData(cls):
        cls.cast = personas()
        trust = cls.cast.trust
        cls.root = User.objects.create_superuser(email="root@example.test", password=PASSWORD, full_name="Root")
        cls.goal = StrategicGoal.objects.create(organisation=trust, title="Shorter waits")
        cls.service = Service.objects.create(organisation=trust, name="Electronic patient record")
        cls.initiative = make_initiative(
            trust, by=cls.cast.office, status="active", title="Patient portal", delivery_lead=cls.cast.lead
        )
        cls.metric = make_metric(trust, "Online bookings")
        cls.risk = portfolio_actions.save_risk(
            organisation=trust,
            by=cls.cast.office,
            fields={
                "initiative": cls.initiative, "title": "Supplier late", "likelihood": 2, "consequence": 3,
                "owner": cls.cast.lead, "next_review": dt.date(2027, 1, 4),
            },
        )

    def setUp(self):
        self.client.force_login(self.cast.office)

    def post(self, url: str, data: dict[str, Any]) -> None:
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302, response.content.decode()[:3000])

    # One change for each model --------------------------------------------------------------

    def change_organisation(self) -> tuple[str, list[str]]:
        settings = {"wip_limit": 9, "confidence_scale": "three", "first_release_weeks": 10}
        self.post(reverse("portfolio:settings"), settings)
        return reverse("portfolio:settings_history"), ["Settings: changed", "Work-in-progress limit", "9"]

    def change_strategic_goal(self) -> tuple[str, list[str]]:
        self.post(reverse("portfolio:goal_edit", args=[self.goal.pk]), {"title": "Shorter clinic waits", "order": 1})
        return reverse("portfolio:settings_history"), ["Goal: Shorter clinic waits: changed", "Shorter waits"]

    def change_service(self) -> tuple[str, list[str]]:
        self.post(reverse("portfolio:service_edit", args=[self.service.pk]), {"name": "EPR"})
        return reverse("portfolio:settings_history"), ["Service: EPR: changed", "Electronic patient record"]

    def change_membership(self) -> tuple[str, list[str]]:
        membership = Membership.objects.get(user=self.cast.viewer, organisation=self.cast.trust)
        self.post(reverse("accounts:person_edit", args=[membership.pk]), {"role": "board", "directorate": "Nursing"})
        return reverse("accounts:people"), ["Access for Vic Viewer: changed", "Board member", "Nursing", "Pat Office"]

    def change_initiative(self) -> tuple[str, list[str]]:
        self.post(
            reverse("portfolio:edit", args=[self.initiative.pk]),
            {"title": "Patient portal", "problem": self.initiative.problem, "phase": "alpha", "goals": [self.goal.pk]},
        )
        return reverse("portfolio:history", args=[self.initiative.pk]), [
            "Initiative: changed", "Alpha", "Linked to strategic goal &#x27;",
        ]

    def change_comment(self) -> tuple[str, list[str]]:
        self.client.force_login(self.cast.board)
        self.post(reverse("portfolio:comment", args=[self.initiative.pk]), {"body": "When will clinics see it?"})
        self.client.force_login(self.cast.office)
        return reverse("portfolio:history", args=[self.initiative.pk]), [
            "Comment: created", "When will clinics see it?", "Bea Board",
        ]

    def change_integrated_care_system(self) -> tuple[str, list[str]]:
        system = IntegratedCareSystem.objects.create(name="North Test ICS", code="QXX")
        return self._reference_change(system, "name", "North Test integrated care system")

    def change_user_need(self) -> tuple[str, list[str]]:
        self.post(
            reverse("portfolio:need_add", args=[self.initiative.pk]),
            {"statement": "As a clerk I need one login", "evidence": "researched", "evidence_notes": "Interviews"},
        )
        return reverse("portfolio:history", args=[self.initiative.pk]), [
            "User need: As a clerk I need one login: created", "Researched",
        ]

    def change_checkpoint(self) -> tuple[str, list[str]]:
        self.client.force_login(self.cast.lead)
        self.post(
            reverse("portfolio:checkpoint", args=[self.initiative.pk]),
            {"demonstrated": "Booking flow", "demonstrated_to": "Clerks", "reached_real_users": "False",
             "confidence": "amber", "confidence_reason": "Integration late", "risks_and_blockers": "",
             "asks_of_the_board": ""},
        )
        self.client.force_login(self.cast.office)
        return reverse("portfolio:history", args=[self.initiative.pk]), ["Checkpoint, week of", "Integration late"]

    def change_decision(self) -> tuple[str, list[str]]:
        portfolio_actions.record_decision(
            initiative=self.initiative, by=self.cast.office, kind="pause", rationale="Waiting for the supplier",
            evidence="Supplier letter", decided_by="Digital board", decided_on=dt.date(2026, 12, 1),
        )
        return reverse("portfolio:history", args=[self.initiative.pk]), [
            "Decision: Pause: created", "Waiting for the supplier",
        ]

    def change_risk(self) -> tuple[str, list[str]]:
        self.post(
            reverse("portfolio:risk_edit", args=[self.risk.pk]),
            {"title": "Supplier late", "likelihood": 4, "consequence": 3, "owner": self.cast.lead.pk,
             "next_review": "2027-01-04", "status": "open"},
        )
        return reverse("portfolio:risks") + "history/", ["Risk: Supplier late: changed", "Likelihood"]

    def change_principal_risk(self) -> tuple[str, list[str]]:
        principal = baf_actions.save_principal_risk(
            organisation=self.cast.trust, by=self.cast.office, fields={
                "reference": "BAF-01", "title": "Too little capacity", "owner": self.cast.executive,
                "current_likelihood": 4, "current_consequence": 4, "target_likelihood": 2, "target_consequence": 2,
                "appetite": "cautious", "next_review": dt.date(2027, 1, 4),
            },
        )  # fmt: skip
        self.post(
            reverse("portfolio:principal_risk_edit", args=[principal.pk]),
            {"reference": "BAF-01", "title": "Too little capacity", "owner": self.cast.executive.pk,
             "current_likelihood": 4, "current_consequence": 4, "target_likelihood": 2, "target_consequence": 2,
             "appetite": "open", "goal": self.goal.pk, "next_review": "2027-01-04", "status": "open"},
        )  # fmt: skip
        return reverse("portfolio:baf_history"), [
            "Principal risk: BAF-01 Too little capacity: changed", "Open", "Shorter waits",
        ]

    def change_funding_line(self) -> tuple[str, list[str]]:
        line = make_funding_line(self.initiative, by=self.cast.office)
        finance_actions.save_funding_line(
            initiative=self.initiative, by=self.cast.office, fields={"amount": 150_000}, line=line
        )
        return reverse("portfolio:history", args=[self.initiative.pk]), [
            "Funding, 2026/27 capital: changed", "£100,000", "£150,000",
        ]

    def _case(self) -> Any:
        if not hasattr(self, "case"):
            self.case = make_business_case(
                self.initiative, by=self.cast.office, costs={"2026/27": 50_000}, benefits={"2026/27": 20_000},
                owner=self.cast.lead,
            )
        return self.case

    def change_business_case(self) -> tuple[str, list[str]]:
        self._case()
        return reverse("portfolio:history", args=[self.initiative.pk]), [
            "Business case: Outline business case: created",
        ]

    def change_cost_line(self) -> tuple[str, list[str]]:
        self._case()
        return reverse("portfolio:history", args=[self.initiative.pk]), ["Cost, 2026/27: staff: created", "£50,000"]

    def change_benefit_line(self) -> tuple[str, list[str]]:
        self._case()
        return reverse("portfolio:history", args=[self.initiative.pk]), [
            "Benefit, 2026/27: Time given back: created", "£20,000",
        ]

    def change_mitigation(self) -> tuple[str, list[str]]:
        case = self._case()
        factor = case.project_type.factors.order_by("pk").first()
        finance_actions.set_mitigations(
            case=case, by=self.cast.office, scores={factor.pk: (Decimal("0.5"), "Workshops")}
        )
        return reverse("portfolio:history", args=[self.initiative.pk]), [
            "Optimism bias: how far a risk area is managed: created", "Workshops",
            escape(str(factor)),  # the risk area by name, not its number
        ]

    def change_actual(self) -> tuple[str, list[str]]:
        record_actual(self.initiative, by=self.cast.office, amount=12_345)
        return reverse("portfolio:history", args=[self.initiative.pk]), ["Spend, 2026/27: created", "£12,345"]

    def change_metric(self) -> tuple[str, list[str]]:
        metric_actions.save_metric(
            organisation=self.cast.trust, by=self.cast.office, fields={"name": "Bookings made online"},
            initiatives=[self.initiative], metric=self.metric,
        )
        return reverse("metrics:history", args=[self.metric.pk]), ["Metric: changed", "Bookings made online"]

    def change_observation(self) -> tuple[str, list[str]]:
        metric_actions.record_observation(
            metric=self.metric, by=self.cast.office, period=dt.date(2026, 10, 1), value=42
        )
        return reverse("metrics:history", args=[self.metric.pk]), ["Value for", ": created", "42"]

    def change_annotation(self) -> tuple[str, list[str]]:
        metric_actions.add_annotation(
            metric=self.metric, by=self.cast.office, period=dt.date(2026, 10, 1), text="New booking page"
        )
        return reverse("metrics:history", args=[self.metric.pk]), ["Annotation for", "New booking page"]

    def _reference_change(self, row: Model, field: str, value: Any) -> tuple[str, list[str]]:
        # The reference data is changed in the admin, which saves the row as here.
        setattr(row, field, value)
        row._history_user = self.root  # type: ignore[attr-defined]
        row.save()
        self.client.force_login(self.root)
        meta = row._meta
        return f"/admin/{meta.app_label}/{meta.model_name}/{row.pk}/history/", [str(value), "Root"]

    def change_project_type(self) -> tuple[str, list[str]]:
        return self._reference_change(ProjectType.objects.order_by("pk").first(), "name", "Renamed project type")

    def change_bias_factor(self) -> tuple[str, list[str]]:
        return self._reference_change(BiasFactor.objects.order_by("pk").first(), "name", "Renamed risk area")

    def change_pitfall_settings(self) -> tuple[str, list[str]]:
        # The thresholds are set in the admin, which saves the row as here.
        row = PitfallSettings(organisation=self.cast.trust, overrides={"per_sro": 5})
        row._history_user = self.root  # type: ignore[attr-defined]
        row.save()
        self.client.force_login(self.root)
        return f"/admin/assurance/pitfallsettings/{row.pk}/history/", ["Pitfall thresholds for", "Root"]

    def change_question(self) -> tuple[str, list[str]]:
        return self._reference_change(Question.objects.get(key="honest_risk"), "wording", "Do teams tell us bad news?")

    def _round(self) -> Round:
        if not hasattr(self, "round"):
            self.round = prioritisation_actions.create_round(
                organisation=self.cast.trust, by=self.cast.office, name="2027/28 Q1", held_on=dt.date(2026, 12, 10),
                initiatives=[self.initiative],
            )
            self.post(
                reverse("prioritisation:capacity", args=[self.round.pk]),
                {"budgets": "2026/27 | £500,000 | £100,000", "teams": "Data | 2026/27 Q4 | 20", "wip_limit": 7},
            )
        return self.round

    def change_round(self) -> tuple[str, list[str]]:
        round = self._round()
        return reverse("prioritisation:history", args=[round.pk]), ["Round: changed", "Most initiatives", "7"]

    def change_budget(self) -> tuple[str, list[str]]:
        round = self._round()
        return reverse("prioritisation:history", args=[round.pk]), ["Budget for 2026/27: created", "£500,000"]

    def change_team_capacity(self) -> tuple[str, list[str]]:
        round = self._round()
        return reverse("prioritisation:history", args=[round.pk]), ["Team days: Data, 2026/27 Q4: created", "20"]

    def change_candidate(self) -> tuple[str, list[str]]:
        round = self._round()
        candidate = round.candidates.get(initiative=self.initiative)
        prioritisation_actions.update_candidate(
            candidate=candidate, by=self.cast.office, must_do=True, must_do_reason="A legal duty", costs={},
            committed={}, team_demand={"Data": {"2026/27 Q4": 5}}, requires=[], exclusive_with=[],
        )
        return reverse("prioritisation:history", args=[round.pk]), [
            f"Candidate: {self.initiative}: changed", "A legal duty", "Data: 2026/27 Q4 5 days",
        ]

    def _constrained(self) -> tuple[Round, Any, Any]:
        round = self._round()
        if not hasattr(self, "partner"):
            self.partner = make_initiative(self.cast.trust, by=self.cast.office, title="Shared care record")
            self.rival = make_initiative(self.cast.trust, by=self.cast.office, title="Another portal")
            for initiative in (self.partner, self.rival):
                Candidate.objects.create(round=round, initiative=initiative)
            candidates = {c.initiative_id: c for c in round.candidates.all()}
            prioritisation_actions.update_candidate(
                candidate=candidates[self.initiative.pk], by=self.cast.office, must_do=False, must_do_reason="",
                costs={}, committed={}, team_demand={}, requires=[candidates[self.partner.pk]],
                exclusive_with=[candidates[self.rival.pk]],
            )
        return round, self.partner, self.rival

    def change_dependency(self) -> tuple[str, list[str]]:
        round, partner, _ = self._constrained()
        return reverse("prioritisation:history", args=[round.pk]), [
            f"Constraint: {self.initiative} needs {partner}: created",
        ]

    def change_exclusive(self) -> tuple[str, list[str]]:
        round, _, rival = self._constrained()
        return reverse("prioritisation:history", args=[round.pk]), [
            f"Constraint: {self.initiative} or {rival}, not both: created",
        ]

    def change_rating(self) -> tuple[str, list[str]]:
        round = self._round()
        candidate = round.candidates.get(initiative=self.initiative)
        key = prioritisation_actions.inputs_for(round)[0].key
        prioritisation_actions.save_ratings(round=round, by=self.cast.board, ratings={candidate.pk: {key: 3}})
        return reverse("prioritisation:history", args=[round.pk]), [f"Score from Bea Board for {self.initiative}"]

    def change_board_pack(self) -> tuple[str, list[str]]:
        fields = {
            "title": "Digital portfolio report", "meeting": "Trust Board", "meeting_date": dt.date(2026, 12, 10),
            "assurance_reason": "Most work is measured.", "recommendation": "Note the report.",
            "executive_lead": "Chief Digital Officer", "author": "Portfolio office",
        }
        pack = pack_actions.create_pack(organisation=self.cast.trust, by=self.cast.office, fields=fields)
        pack_actions.update_pack(pack=pack, by=self.cast.office, fields={"author": "Pat Office"})
        return reverse("portfolio:pack_history"), ["Board pack: Digital portfolio report: changed", "Pat Office"]

    def change_access_token(self) -> tuple[str, list[str]]:
        make_token(self.cast.office, self.cast.trust)
        token = AccessToken.objects.get(user=self.cast.office)
        self.post(reverse("api:token_revoke", args=[token.pk]), {})
        return reverse("api:token_history"), ["Token ‘Test token’", "changed", "Revoked at", "Pat Office"]

    # The walk ---------------------------------------------------------------------------------

    def test_every_model_with_history_shows_a_change_in_words(self):
        with_history = sorted(label_of(m) for m in headway_models() if has_history(m))
        cases = {
            label_of(m): getattr(self, "change_" + re.sub(r"(?<!^)(?=[A-Z])", "_", m.__name__).lower(), None)
            for m in headway_models()
            if has_history(m)
        }
        untested = sorted(name for name, case in cases.items() if case is None)
        self.assertEqual(untested, [], "Add a change_<model> case for each model with history.")
        self.assertGreater(len(with_history), 20)
        for name in with_history:
            with self.subTest(model=name):
                url, words = cases[name]()
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200, url)
                page = response.content.decode()
                for said in words:
                    self.assertIn(str(said), page, f"{name}: {url} does not say {said!r}")
                self.client.force_login(self.cast.office)
