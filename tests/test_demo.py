"""The demo organisation: loaded once for the class, then checked for the story it must tell."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db.models import Max, Min
from django.test import TestCase, override_settings
from django.utils import timezone

from headway.accounts.models import Membership, Organisation, User
from headway.accounts.roles import Role
from headway.api.models import AccessToken, token_digest
from headway.assurance.models import BoardPack
from headway.assurance.weeknotes import weeknotes
from headway.demo import data
from headway.demo.loader import DemoNotAllowed, DemoSummary, demo_ods_codes, load_demo, rating_for
from headway.lib.weeks import checkpoint_state, latest_complete_week, week_start
from headway.metrics.models import Verdict
from headway.portfolio.models import (
    Checkpoint,
    Comment,
    Decision,
    Initiative,
    Phase,
    Risk,
    Status,
    UserNeed,
)
from tests.test_demo_finance import money_counts
from tests.test_demo_metrics import demo_metrics
from tests.test_demo_rounds import round_counts

# Each class loads the whole demo organisation (seconds).
pytestmark = pytest.mark.slow

# A Monday, the hardest day for "this week": its checkpoints are written on the day itself.
TODAY = dt.date(2026, 3, 16)


def demo_counts() -> dict[str, int]:
    demo = Organisation.objects.filter(ods_code__in=[o.ods_code for o in data.ORGANISATIONS])
    return {
        "organisations": demo.count(),
        "people": User.objects.filter(email__endswith="@" + data.EMAIL_DOMAIN).count(),
        "memberships": Membership.objects.filter(organisation__in=demo).count(),
        "initiatives": Initiative.objects.filter(organisation__in=demo).count(),
        "needs": UserNeed.objects.filter(initiative__organisation__in=demo).count(),
        "decisions": Decision.objects.filter(initiative__organisation__in=demo).count(),
        "checkpoints": Checkpoint.objects.filter(initiative__organisation__in=demo).count(),
        "risks": Risk.objects.filter(organisation__in=demo).count(),
        "comments": Comment.objects.filter(initiative__organisation__in=demo).count(),
    }


class DemoTests(TestCase):
    summary: DemoSummary
    acute: Organisation

    @classmethod
    def setUpTestData(cls) -> None:
        cls.summary = load_demo(today=TODAY, stdout=io.StringIO())
        cls.acute = cls.summary.organisation

    def initiatives(self):
        return Initiative.objects.for_organisation(self.acute)

    def test_it_reports_that_it_created_the_demo(self) -> None:
        self.assertTrue(self.summary.created)
        self.assertEqual(self.acute.ods_code, "RZZ01")
        self.assertEqual(self.summary.initiatives, Initiative.objects.count())

    def test_it_leaves_every_organisations_pitfall_findings_stored_as_of_its_date(self) -> None:
        from headway.assurance import pitfall_inputs, pitfall_store

        for organisation in Organisation.objects.filter(ods_code__in=demo_ods_codes()):
            with self.subTest(organisation.ods_code):
                stored = pitfall_store.stored(organisation)
                assert stored is not None
                self.assertEqual(stored.judged_on, TODAY)
                fresh = pitfall_inputs.findings(organisation, TODAY)
                self.assertEqual([f.as_json() for f in stored.findings], [f.as_json() for f in fresh])
        acute = pitfall_store.stored(self.acute)
        assert acute is not None
        self.assertGreaterEqual(len(acute.findings), 3)  # the demo trust shows several pitfalls

    def test_the_acute_trust_has_about_twenty_five_initiatives(self) -> None:
        self.assertTrue(22 <= self.initiatives().count() <= 30)

    def test_every_phase_and_every_status_is_present(self) -> None:
        phases = set(self.initiatives().values_list("phase", flat=True))
        statuses = set(self.initiatives().values_list("status", flat=True))
        self.assertEqual(phases, set(Phase.values))
        self.assertEqual(statuses, set(Status.values))

    def test_every_role_has_a_login_at_the_acute_trust_with_the_demo_password(self) -> None:
        for role in Role.values:
            membership = Membership.objects.filter(organisation=self.acute, role=role).first()
            self.assertIsNotNone(membership, role)
            assert membership is not None
            self.assertTrue(membership.user.check_password(data.DEMO_PASSWORD), role)
        for local in ("board", "sro", "delivery", "pmo", "viewer"):
            self.assertTrue(User.objects.filter(email=f"{local}@{data.EMAIL_DOMAIN}").exists(), local)

    def test_one_person_belongs_to_both_trusts(self) -> None:
        shared = [u for u in User.objects.all() if u.memberships.count() == 2]
        self.assertEqual(len(shared), 1)
        self.assertEqual({m.organisation.kind for m in shared[0].memberships.all()}, {"acute", "mental_health"})

    def test_both_trusts_are_in_the_same_integrated_care_system(self) -> None:
        systems = {o.integrated_care_system_id for o in Organisation.objects.all()}
        self.assertEqual(len(systems), 1)
        self.assertIsNotNone(systems.pop())

    def test_it_has_goals_and_services(self) -> None:
        self.assertTrue(5 <= self.acute.goals.count() <= 7)
        self.assertGreaterEqual(self.acute.services.count(), 10)

    def test_active_initiatives_are_just_over_the_work_in_progress_limit(self) -> None:
        active = self.initiatives().in_progress().count()
        self.assertGreater(active, self.acute.wip_limit)
        self.assertLessEqual(active, self.acute.wip_limit + 3)

    def test_every_status_is_the_outcome_of_its_latest_decision(self) -> None:
        for initiative in Initiative.objects.all():
            latest = initiative.decisions.order_by("-decided_on", "-pk").first()
            if initiative.status == Status.PROPOSED:
                self.assertIsNone(latest, initiative.reference)
            else:
                assert latest is not None, initiative.reference
                self.assertEqual(initiative.status, latest.status_after, initiative.reference)

    def test_every_history_record_is_dated_by_the_story_and_in_order(self) -> None:
        # Loaded for a day in March while the clock says December: a record dated by the load,
        # not by the story, would fall after the story's last day.
        last = timezone.make_aware(dt.datetime.combine(TODAY + dt.timedelta(days=1), dt.time()))
        checked = 0
        for model in apps.get_models():
            # The links a version kept (its many-to-many rows) are dated by that version.
            if not model.__name__.startswith("Historical") or not hasattr(model, "history_date"):
                continue
            dates: dict[int, dt.datetime] = {}
            for pk, when in model.objects.order_by("id", "history_id").values_list("id", "history_date"):
                self.assertLess(when, last, f"{model.__name__} {pk} is dated by the load, not the story")
                # Each object's history runs forward, so a history page's changes read in order.
                self.assertGreaterEqual(when, dates.get(pk, when), f"{model.__name__} {pk} goes back in time")
                dates[pk] = when
                checked += 1
        self.assertGreater(checked, 3_000)

    def test_every_checkpoint_agrees_with_itself(self) -> None:
        stories = {spec.reference: spec.story for spec in data.INITIATIVES if spec.story is not None}
        monday = week_start(TODAY)
        wobbles = 0
        for checkpoint in Checkpoint.objects.select_related("initiative"):
            story = stories[checkpoint.initiative.reference]
            where = f"{checkpoint.initiative.reference} {checkpoint.week_start}"
            # Nothing shown means nobody to show it to; real users reached means saying what.
            self.assertEqual(bool(checkpoint.demonstrated), bool(checkpoint.demonstrated_to), where)
            self.assertEqual(checkpoint.reached_real_users, bool(checkpoint.real_users_detail), where)
            own = {"green": story.green, "amber": story.amber, "red": story.red}[checkpoint.confidence]
            self.assertIn(checkpoint.confidence_reason, (*own, *data.GENERIC_REASONS[checkpoint.confidence]), where)
            weeks_ago = (monday - checkpoint.week_start).days // 7
            if checkpoint.confidence != rating_for(story, weeks_ago):
                # A week's wobble gives a week's reason, not one of the story's events from another time.
                wobbles += 1
                self.assertIn(checkpoint.confidence_reason, data.GENERIC_REASONS[checkpoint.confidence], where)
        self.assertGreater(wobbles, 0)

    def test_decisions_are_dated_in_the_past_with_a_rationale_and_evidence(self) -> None:
        for decision in Decision.objects.all():
            self.assertLess(decision.decided_on, TODAY)
            self.assertTrue(decision.rationale.strip())
            self.assertTrue(decision.evidence.strip())
            self.assertTrue(decision.decided_by.strip())

    def test_there_are_several_stops_and_pauses(self) -> None:
        decisions = Decision.objects.for_organisation(self.acute)
        self.assertGreaterEqual(decisions.filter(kind=Decision.Kind.STOP).count(), 3)
        self.assertGreaterEqual(decisions.filter(kind=Decision.Kind.PAUSE).count(), 2)
        self.assertTrue(decisions.filter(kind=Decision.Kind.CHANGE_COURSE).exists())
        self.assertTrue(decisions.filter(kind=Decision.Kind.CLOSE).exists())

    def test_checkpoints_span_at_least_six_months_in_monday_weeks(self) -> None:
        checkpoints = Checkpoint.objects.filter(initiative__organisation=self.acute)
        span = checkpoints.aggregate(first=Min("week_start"), last=Max("week_start"))
        self.assertGreaterEqual((span["last"] - span["first"]).days, 26 * 7)
        self.assertLessEqual(span["last"], TODAY)
        self.assertTrue(all(week.weekday() == 0 for week in checkpoints.values_list("week_start", flat=True)))

    def test_checkpoints_tell_a_story_in_green_amber_and_red(self) -> None:
        checkpoints = Checkpoint.objects.filter(initiative__organisation=self.acute)
        self.assertEqual(set(checkpoints.values_list("confidence", flat=True)), {"green", "amber", "red"})
        self.assertTrue(checkpoints.filter(reached_real_users=True).exclude(real_users_detail="").exists())
        self.assertTrue(checkpoints.exclude(asks_of_the_board="").exists())
        self.assertFalse(checkpoints.filter(confidence_reason="").exists())

    def test_only_initiatives_that_have_been_active_have_checkpoints(self) -> None:
        for initiative in self.initiatives().filter(status=Status.PROPOSED):
            self.assertFalse(initiative.checkpoints.exists(), initiative.reference)

    def test_some_active_initiatives_are_overdue_and_some_are_due(self) -> None:
        states = [
            checkpoint_state(i.last_checkpoint_week, i.start_date, TODAY) for i in self.initiatives().in_progress()
        ]
        self.assertTrue(2 <= states.count("overdue") <= 3, states)
        self.assertTrue(2 <= states.count("due") <= 3, states)
        self.assertGreater(states.count("up_to_date"), len(states) // 2)

    def test_one_active_initiative_has_slid_to_red(self) -> None:
        latest = {i.reference: i.current_confidence for i in self.initiatives().in_progress()}
        self.assertIn("red", latest.values())

    def test_every_initiative_has_one_to_three_user_needs_with_mixed_evidence(self) -> None:
        for initiative in Initiative.objects.all():
            self.assertTrue(1 <= initiative.user_needs.count() <= 3, initiative.reference)
        levels = set(UserNeed.objects.values_list("evidence", flat=True))
        self.assertEqual(levels, set(UserNeed.Evidence.values))

    def test_initiatives_have_their_people_goals_and_services(self) -> None:
        for initiative in self.initiatives():
            self.assertIsNotNone(initiative.sro, initiative.reference)
            self.assertTrue(initiative.problem, initiative.reference)
            self.assertTrue(initiative.riskiest_assumption, initiative.reference)
            self.assertTrue(initiative.goals.exists(), initiative.reference)
            self.assertTrue(initiative.services.exists(), initiative.reference)
        self.assertTrue(self.initiatives().filter(joins_up_with__isnull=False).exists())

    def test_there_are_initiative_and_portfolio_risks_and_some_reviews_are_overdue(self) -> None:
        risks = Risk.objects.for_organisation(self.acute)
        self.assertGreaterEqual(risks.exclude(initiative=None).count(), 18)
        self.assertTrue(3 <= risks.filter(initiative=None).count() <= 5)
        self.assertTrue(risks.review_overdue(TODAY).exists())
        self.assertTrue(all(r.owner_id and r.mitigation for r in risks))

    def test_the_latest_weeknotes_have_something_shown_and_something_released_and_two_readers(self) -> None:
        notes = weeknotes(self.acute, latest_complete_week(TODAY))
        self.assertGreaterEqual(len(notes.shown), 3)
        self.assertGreaterEqual(len(notes.reached_users), 2)
        readers = Membership.objects.for_organisation(self.acute).filter(weeknotes_by_email=True)
        self.assertEqual(
            sorted(m.user.email for m in readers), [data._email("board"), data._email("delivery")]
        )

    def test_the_board_has_commented(self) -> None:
        board = User.objects.get(email=f"board@{data.EMAIL_DOMAIN}")
        self.assertGreaterEqual(Comment.objects.filter(author=board).count(), 3)

    def test_two_packs_published_a_month_apart_and_a_draft_with_pitfalls_and_mixed_answers(self) -> None:
        packs = BoardPack.objects.for_organisation(self.acute)
        published = list(packs.published().order_by("meeting_date"))
        self.assertEqual(len(published), 2)
        self.assertEqual((published[1].meeting_date - published[0].meeting_date).days, 28)
        self.assertEqual(packs.filter(status=BoardPack.State.DRAFT).count(), 1)
        first, second = (p.content for p in published)
        self.assertIsNone(first["previous"])
        self.assertEqual(second["previous"]["hash"], published[0].content_hash)
        self.assertIsNotNone(second["changes"])
        for content in (first, second):
            self.assertLess(content["as_of"], str(TODAY))
            self.assertGreaterEqual(len(content["pitfalls"]), 3)
            self.assertGreaterEqual(len({q["rating"] for q in content["questions"]}), 2)

    def test_loading_again_changes_nothing(self) -> None:
        before = demo_counts()
        summary = load_demo(today=TODAY + dt.timedelta(days=10), stdout=io.StringIO())
        self.assertFalse(summary.created)
        self.assertEqual(demo_counts(), before)

    def test_a_reset_reloads_the_same_demo(self) -> None:
        def story() -> list[tuple[str, dt.date, str, str]]:
            return list(
                Checkpoint.objects.order_by("initiative__reference", "week_start").values_list(
                    "initiative__reference", "week_start", "confidence", "confidence_reason"
                )
            )

        def verdicts() -> dict[str, str]:
            return dict(Verdict.objects.values_list("initiative__reference", "state"))

        # One reset checks every part of the demo (a reset takes several seconds): the weekly
        # story, the metrics and verdicts, the prioritisation rounds and the money.
        before, counts = story(), demo_counts()
        metrics, states, money = demo_metrics(), verdicts(), money_counts()
        rounds = round_counts(self.acute)
        summary = load_demo(today=TODAY, stdout=io.StringIO(), reset=True)
        self.assertTrue(summary.created)
        self.assertEqual(story(), before)
        self.assertEqual(demo_counts(), counts)
        self.assertEqual(demo_metrics(), metrics)
        self.assertEqual(verdicts(), states)
        self.assertEqual(round_counts(summary.organisation), rounds)
        self.assertEqual(money_counts(), money)

    def test_the_command_lists_the_logins_and_the_password(self) -> None:
        out = io.StringIO()
        call_command("load_demo", stdout=out)
        text = out.getvalue()
        self.assertIn("already loaded", text)
        self.assertIn(data.DEMO_PASSWORD, text)
        for local in ("board", "sro", "delivery", "pmo", "viewer"):
            self.assertIn(f"{local}@{data.EMAIL_DOMAIN}", text)

    def test_all_logins_prints_a_read_only_api_token_for_the_demo_trust_that_works(self) -> None:
        out = io.StringIO()
        call_command("load_demo", "--all-logins", stdout=out)
        self.assertIn(f"Bearer {data.DEMO_API_TOKEN}", out.getvalue())
        headers = {"Authorization": f"Bearer {data.DEMO_API_TOKEN}"}
        listed = self.client.get("/api/v1/initiatives", headers=headers)
        self.assertEqual(listed.status_code, 200)
        self.assertGreater(listed.json()["count"], 10)
        token = AccessToken.objects.get(digest=token_digest(data.DEMO_API_TOKEN))
        self.assertFalse(token.can_write)
        self.assertNotIn(data.DEMO_API_TOKEN, str(AccessToken.objects.values().get(pk=token.pk)))

    @override_settings(ENV="production")
    def test_it_refuses_to_run_in_production(self) -> None:
        before = demo_counts()
        with self.assertRaisesMessage(CommandError, "never loaded in production"):
            call_command("load_demo", "--reset", stdout=io.StringIO())
        with self.assertRaises(DemoNotAllowed):
            load_demo(today=TODAY)
        self.assertEqual(demo_counts(), before)
