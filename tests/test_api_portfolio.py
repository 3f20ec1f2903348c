"""The portfolio through the API: the same lists, filters and figures as the pages, and
checkpoints and decisions written through the forms' own rules and actions (ADR 31)."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase

from headway.portfolio.models import Checkpoint, Decision, Initiative, StrategicGoal
from headway.prioritisation.models import Candidate, Round
from tests.clock import TODAY
from tests.factories import bearer, make_initiative, make_token
from tests.personas import personas

API = "/api/v1"
THIS_WEEK = TODAY - dt.timedelta(days=TODAY.weekday())
LAST_WEEK = THIS_WEEK - dt.timedelta(days=7)
CHECKPOINT = {
    "reached_real_users": False,
    "confidence": "amber",
    "confidence_reason": "The supplier is two weeks late with the interface.",
    "demonstrated": "The new ordering screen to two ward managers.",
}


class PortfolioReadTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cast = personas("Reading Trust")
        cls.goal = StrategicGoal.objects.create(organisation=cls.cast.trust, title="Safer care")
        cls.active = make_initiative(
            cls.cast.trust, by=cls.cast.office, status="active", title="Electronic prescribing"
        )
        cls.active.goals.add(cls.goal)
        cls.proposed = make_initiative(cls.cast.trust, by=cls.cast.office, title="Digital dictation")
        for n in range(3):
            make_initiative(cls.cast.trust, by=cls.cast.office, title=f"Paging filler {n}")
        make_initiative(cls.cast.other_trust, by=cls.cast.other_office, title="Someone else's initiative")
        cls.secret = make_token(cls.cast.viewer, cls.cast.trust)

    def get(self, path, **params):
        return self.client.get(API + path, params, headers=bearer(self.secret))

    def test_a_viewer_token_lists_the_portfolio_with_its_total_and_next_page(self):
        response = self.get("/initiatives", limit=2)
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(body["count"], 5)
        self.assertEqual(len(body["items"]), 2)
        self.assertIn("offset=2", body["next"])
        self.assertNotIn("Someone else's initiative", response.content.decode())

    def test_the_filters_are_the_portfolio_pages_and_give_the_same_initiatives(self):
        self.client.force_login(self.cast.viewer)
        for params in ({"status": "active"}, {"goal": self.goal.pk}, {"q": "dictation"}, {"status": "current"}):
            with self.subTest(params=params):
                page = self.client.get("/initiatives/", params)
                listed = [i["initiative"].reference for i in page.context["rows"]]
                self.assertEqual([i["reference"] for i in self.get("/initiatives", **params).json()["items"]], listed)

    def test_a_filter_value_the_page_would_refuse_is_named_by_its_query_path(self):
        response = self.get("/initiatives", status="abandoned")
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response["Content-Type"], "application/problem+json")
        self.assertEqual(response.json()["errors"][0]["field"], ["query", "status"])

    def test_an_initiative_shows_its_goals_and_latest_figures(self):
        body = self.get(f"/initiatives/{self.active.pk}").json()
        self.assertEqual(body["reference"], self.active.reference)
        self.assertEqual(body["status"], "active")
        self.assertEqual(body["goals"], [self.goal.pk])
        self.assertEqual(body["is_it_working"], "not_measured")

    def test_goals_services_and_organisations_are_listed(self):
        self.assertEqual(self.get("/goals").json()["items"][0]["title"], "Safer care")
        self.assertEqual(self.get("/services").json()["count"], 0)
        organisations = self.get("/organisations").json()
        self.assertEqual(
            [(o["name"], o["role"], o["this_token"]) for o in organisations], [("Reading Trust", "viewer", True)]
        )

    def test_a_page_larger_than_the_bound_is_refused_with_its_field(self):
        response = self.get("/initiatives", limit=100000)
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["errors"][0]["field"], ["query", "limit"])


class CheckpointWriteTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cast = personas("Writing Trust")
        cls.initiative = make_initiative(
            cls.cast.trust, by=cls.cast.office, status="active", delivery_lead=cls.cast.lead, title="Bed management"
        )
        cls.lead_token = make_token(cls.cast.lead, cls.cast.trust, can_write=True)
        cls.read_only = make_token(cls.cast.office, cls.cast.trust)

    def url(self, week=None):
        base = f"{API}/initiatives/{self.initiative.pk}/checkpoints"
        return f"{base}/{week.isoformat()}" if week else base

    def post(self, body, secret=None):
        return self.client.post(
            self.url(), body, content_type="application/json", headers=bearer(secret or self.lead_token)
        )

    def put(self, week, body, etag=None):
        headers = bearer(self.lead_token)
        if etag is not None:
            headers["If-Match"] = etag
        return self.client.put(self.url(week), body, content_type="application/json", headers=headers)

    def test_the_delivery_lead_posts_this_weeks_checkpoint_and_the_summary_follows(self):
        response = self.post(CHECKPOINT)
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["week_start"], THIS_WEEK.isoformat())
        self.assertTrue(response["ETag"])
        self.initiative.refresh_from_db()
        self.assertEqual(self.initiative.current_confidence, "amber")
        checkpoint = Checkpoint.objects.get(initiative=self.initiative)
        self.assertEqual(checkpoint.history.first().history_user, self.cast.lead)

    def test_a_read_only_token_changes_nothing_whatever_the_role(self):
        response = self.post(CHECKPOINT, secret=self.read_only)
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Checkpoint.objects.exists())

    def test_the_forms_rules_refuse_a_checkpoint_naming_each_field(self):
        response = self.post({**CHECKPOINT, "reached_real_users": True, "confidence": "purple"})
        self.assertEqual(response.status_code, 422)
        fields = [e["field"] for e in response.json()["errors"]]
        self.assertIn(["body", "confidence"], fields)
        self.assertIn(["body", "real_users_detail"], fields)
        self.assertFalse(Checkpoint.objects.exists())

    def test_a_missing_field_is_named_by_its_path(self):
        response = self.post({"confidence": "green"})
        self.assertEqual(response.status_code, 422)
        fields = [e["field"] for e in response.json()["errors"]]
        self.assertIn(["body", "confidence_reason"], fields)

    def test_a_week_that_already_has_a_checkpoint_is_not_overwritten_by_a_post(self):
        self.assertEqual(self.post(CHECKPOINT).status_code, 201)
        response = self.post({**CHECKPOINT, "confidence": "red"})
        self.assertEqual(response.status_code, 409)
        self.assertEqual(Checkpoint.objects.get().confidence, "amber")

    def test_a_future_week_or_a_day_that_is_not_a_monday_is_refused(self):
        for week, status in ((THIS_WEEK + dt.timedelta(days=7), 422), (THIS_WEEK + dt.timedelta(days=1), 422)):
            with self.subTest(week=week):
                response = self.post({**CHECKPOINT, "week": week.isoformat()})
                self.assertEqual(response.status_code, status)
                self.assertEqual(response.json()["errors"][0]["field"], ["body", "week"])

    def test_an_update_with_the_etag_read_is_saved_and_gives_a_new_etag(self):
        etag = self.post({**CHECKPOINT, "week": LAST_WEEK.isoformat()})["ETag"]
        response = self.put(LAST_WEEK, {**CHECKPOINT, "confidence": "green"}, etag)
        self.assertEqual(response.status_code, 200, response.content)
        self.assertNotEqual(response["ETag"], etag)
        self.assertEqual(Checkpoint.objects.get().confidence, "green")

    def test_an_update_without_if_match_is_refused_as_428(self):
        self.post(CHECKPOINT)
        response = self.put(THIS_WEEK, {**CHECKPOINT, "confidence": "green"})
        self.assertEqual(response.status_code, 428)
        self.assertEqual(Checkpoint.objects.get().confidence, "amber")

    def test_an_update_after_a_form_save_is_stale_and_changes_nothing(self):
        etag = self.post(CHECKPOINT)["ETag"]
        self.client.force_login(self.cast.lead)
        form = {**CHECKPOINT, "reached_real_users": "False", "confidence": "red", "week": THIS_WEEK.isoformat()}
        saved = self.client.post(f"/initiatives/{self.initiative.pk}/checkpoint/?week={THIS_WEEK}", form)
        self.assertEqual(saved.status_code, 302)
        response = self.put(THIS_WEEK, {**CHECKPOINT, "confidence": "green"}, etag)
        self.assertEqual(response.status_code, 412)
        self.assertEqual(response["Content-Type"], "application/problem+json")
        self.assertEqual(Checkpoint.objects.get().confidence, "red")

    def test_a_form_opened_before_an_api_update_refuses_its_save(self):
        etag = self.post(CHECKPOINT)["ETag"]
        self.client.force_login(self.cast.lead)
        page = self.client.get(f"/initiatives/{self.initiative.pk}/checkpoint/?week={THIS_WEEK}")
        opened = page.context["form"].hidden_state()
        self.assertEqual(self.put(THIS_WEEK, {**CHECKPOINT, "confidence": "green"}, etag).status_code, 200)
        import re

        snapshot = re.search(r'name="_opened" value="([^"]+)"', str(opened)).group(1)
        form = {**CHECKPOINT, "reached_real_users": "False", "confidence": "red", "_opened": snapshot}
        response = self.client.post(f"/initiatives/{self.initiative.pk}/checkpoint/?week={THIS_WEEK}", form)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "changed after you opened it")
        self.assertEqual(Checkpoint.objects.get().confidence, "green")

    def test_another_delivery_leads_initiative_is_refused(self):
        other = make_initiative(self.cast.trust, by=self.cast.office, status="active", title="Not Dana's")
        response = self.client.post(
            f"{API}/initiatives/{other.pk}/checkpoints",
            CHECKPOINT,
            content_type="application/json",
            headers=bearer(self.lead_token),
        )
        self.assertEqual(response.status_code, 403)


class DecisionWriteTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cast = personas("Deciding Trust")
        cls.initiative = make_initiative(cls.cast.trust, by=cls.cast.office, status="active", title="Virtual wards")
        cls.round = Round.objects.create(organisation=cls.cast.trust, name="Open round", held_on=dt.date(2026, 11, 1))
        Candidate.objects.create(round=cls.round, initiative=cls.initiative)
        cls.office_token = make_token(cls.cast.office, cls.cast.trust, can_write=True)
        cls.lead_token = make_token(cls.cast.lead, cls.cast.trust, can_write=True)

    def decide(self, body, secret=None):
        return self.client.post(
            f"{API}/initiatives/{self.initiative.pk}/decisions",
            body,
            content_type="application/json",
            headers=bearer(secret or self.office_token),
        )

    def pause(self, **changes):
        return {
            "kind": "pause",
            "rationale": "The supplier cannot deliver before the spring.",
            "evidence": "The last four checkpoints and the supplier's letter.",
            "decided_by": "Digital Investment Board",
            "decided_on": "2026-12-01",
            **changes,
        }

    def test_a_decision_changes_the_status_and_takes_it_out_of_the_open_rounds(self):
        response = self.decide(self.pause())
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["status_after"], "paused")
        self.assertEqual(Initiative.objects.get(pk=self.initiative.pk).status, "paused")
        self.assertIsNotNone(Candidate.objects.get(round=self.round, initiative=self.initiative).withdrawn_by)

    def test_a_kind_the_status_does_not_allow_is_a_rule_refusal(self):
        response = self.decide(self.pause(kind="start"))
        self.assertEqual(response.status_code, 409)
        self.assertEqual(response.json()["errors"][0]["field"], ["body", "kind"])
        self.assertEqual(Decision.objects.filter(initiative=self.initiative).count(), 1)

    def test_a_rationale_of_no_real_words_is_refused_as_the_form_refuses_it(self):
        response = self.decide(self.pause(rationale="tbc"))
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["errors"][0]["field"], ["body", "rationale"])

    def test_a_delivery_lead_cannot_decide(self):
        response = self.decide(self.pause(), secret=self.lead_token)
        self.assertEqual(response.status_code, 403)
        self.assertEqual(Initiative.objects.get(pk=self.initiative.pk).status, "active")
