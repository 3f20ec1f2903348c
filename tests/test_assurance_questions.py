"""The board's questions page (ADR 27): the questions come from the reference table, each is
answered by its rule from the organisation's data, and everyone who can see at a glance can open it."""

from __future__ import annotations

import datetime as dt

from django.contrib import admin
from django.test import SimpleTestCase, TestCase
from django.urls import reverse

from headway.accounts.models import Organisation, User
from headway.assurance import questions, ratings
from headway.assurance.models import Question
from headway.assurance.reference import ensure_board_questions
from headway.metrics.models import Verdict
from headway.portfolio import actions as portfolio_actions
from headway.portfolio.models import Initiative, Risk, UserNeed
from tests.clock import TODAY
from tests.factories import make_initiative
from tests.personas import personas

THE_GUIDES_FIVE = {"user_needs", "impact", "incremental", "honest_risk", "system_partners"}


class RulesAndGatheringAgreeTest(SimpleTestCase):
    def test_every_rule_has_its_facts_gathered_and_every_gathering_has_a_rule(self):
        self.assertEqual(set(questions.GATHER), set(ratings.RULES))


class QuestionsPageTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cast = personas()
        trust, office = cls.cast.trust, cls.cast.office
        # Two active initiatives: one with a validated need, one whose only need is assumed.
        cls.known = make_initiative(trust, by=office, status="active", title="Known need")
        cls.guessed = make_initiative(trust, by=office, status="active", title="Guessed need")
        needs = ((cls.known, UserNeed.Evidence.VALIDATED), (cls.guessed, UserNeed.Evidence.ASSUMED))
        for initiative, evidence in needs:
            portfolio_actions.save_user_need(
                initiative=initiative,
                by=office,
                fields={"statement": "As a nurse I need one login so that I save time.", "evidence": evidence},
            )
        cls.theirs = make_initiative(cls.cast.other_trust, by=cls.cast.other_office, status="active", title="Theirs")

    def page(self, user=None):
        self.client.force_login(user or self.cast.board)
        return self.client.get(reverse("portfolio:questions"))

    def test_the_data_migration_loads_the_guides_five_questions_and_the_boards_own(self):
        keys = set(Question.objects.active().values_list("key", flat=True))
        self.assertLessEqual(THE_GUIDES_FIVE, keys)
        self.assertIn("stopping", keys)
        self.assertEqual(keys, set(ratings.RULES))

    def test_every_role_that_can_see_at_a_glance_can_open_the_questions(self):
        for role, user in self.cast.by_role().items():
            with self.subTest(role):
                self.client.force_login(user)
                self.assertEqual(self.client.get(reverse("portfolio:glance")).status_code, 200)
                self.assertEqual(self.page(user).status_code, 200)

    def test_at_a_glance_links_to_the_questions(self):
        self.client.force_login(self.cast.viewer)
        self.assertContains(self.client.get(reverse("portfolio:glance")), reverse("portfolio:questions"))

    def test_someone_signed_out_is_sent_to_sign_in(self):
        response = self.client.get(reverse("portfolio:questions"))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])

    def test_each_question_shows_its_rating_its_rule_and_the_initiatives_behind_it(self):
        response = self.page()
        for question in Question.objects.active():
            self.assertContains(response, question.wording.replace("'", "&#x27;"))
            self.assertContains(response, ratings.RULES[question.key].statement.replace("'", "&#x27;"))
            # The brief table at the top links to each answer.
            self.assertContains(response, f'href="#question-{question.key}"')
            self.assertContains(response, f'id="question-{question.key}"')
        # One of the two active initiatives has only an assumed need: half → concern.
        answer = next(a for a in questions.answers(self.cast.trust, TODAY) if a.question.key == "user_needs")
        self.assertEqual(answer.rating, ratings.CONCERN)
        self.assertEqual(answer.behind, [self.guessed])
        self.assertContains(response, reverse("portfolio:detail", args=[self.guessed.pk]))
        self.assertContains(response, "Concern")

    def test_membership_of_a_care_system_reads_as_yes_or_no(self):
        html = self.page().content.decode()
        after = html.split("Recorded as a member of an integrated care system", 1)[1][:200]
        self.assertIn(">No</td>", after)  # the test trust is in no recorded care system

    def test_another_organisations_initiatives_are_not_counted_or_named(self):
        response = self.page()
        self.assertNotContains(response, "Theirs")
        answer = next(a for a in questions.answers(self.cast.trust, TODAY) if a.question.key == "user_needs")
        self.assertEqual(next(e.count for e in answer.evidence if e.key == "active"), 2)

    def test_the_wording_comes_from_the_database(self):
        Question.objects.filter(key="honest_risk").update(wording="Do our teams tell us the bad news early?")
        response = self.page()
        self.assertContains(response, "Do our teams tell us the bad news early?")
        self.assertNotContains(response, "Can our teams be honest about the risks of digital change?")

    def test_a_question_set_aside_is_not_asked(self):
        Question.objects.filter(key="stopping").update(active=False)
        self.assertNotContains(self.page(), "Do we stop or pause work")

    def test_a_question_the_board_adds_without_a_rule_is_shown_as_not_answered_from_the_data(self):
        Question.objects.create(key="suppliers", wording="Are we an expert customer of our suppliers?", order=9)
        response = self.page()
        self.assertContains(response, "Are we an expert customer of our suppliers?")
        self.assertContains(response, "No rule answers this question from the data yet")

    def test_an_organisation_with_nothing_active_has_not_enough_evidence(self):
        found = {a.question.key: a.rating for a in questions.answers(self.cast.other_trust, TODAY)}
        self.assertEqual(found["user_needs"], ratings.CONCERN)  # its one initiative records no need
        Question.objects.update(active=True)
        empty = personas("Empty Trust").trust
        found = {a.question.key: a.rating for a in questions.answers(empty, TODAY)}
        self.assertEqual(set(found.values()), {ratings.NOT_ENOUGH_EVIDENCE})

    def test_the_page_reads_a_fixed_number_of_queries(self):
        self.client.force_login(self.cast.board)
        self.client.get(reverse("portfolio:questions"))  # warm the session and the caches
        with self.assertNumQueries(self._count()):
            self.client.get(reverse("portfolio:questions"))
        for n in range(5):
            make_initiative(self.cast.trust, by=self.cast.office, status="active", title=f"More {n}")
        with self.assertNumQueries(self._count()):
            self.client.get(reverse("portfolio:questions"))

    def _count(self) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            self.client.get(reverse("portfolio:questions"))
        return len(queries)


class QuestionsReferenceTest(TestCase):
    def test_the_questions_are_loaded_again_when_a_flush_emptied_the_table(self):
        Question.objects.all().delete()
        self.assertTrue(ensure_board_questions())
        self.assertFalse(ensure_board_questions())
        self.assertEqual(set(Question.objects.values_list("key", flat=True)), set(ratings.RULES))

    def test_rewording_a_question_in_the_admin_raises_its_version_and_keeps_history(self):
        self.assertTrue(admin.site.is_registered(Question))
        root = User.objects.create_superuser(email="root@example.test", password="x", full_name="Root")
        self.client.force_login(root)
        question = Question.objects.get(key="impact")
        # Loaded by the migration with no history, or loaded again after a test emptied the table
        # (then with a record of its creation): count what the admin adds.
        kept_before = question.history.count()
        url = reverse("admin:assurance_question_change", args=[question.pk])
        form = {"wording": question.wording, "guide_reference": question.guide_reference, "active": "on", "order": 2}
        self.assertEqual(self.client.post(url, form).status_code, 302)
        question.refresh_from_db()
        self.assertEqual(question.version, 1)  # nothing reworded: the same version
        reworded = {**form, "wording": "What will change for staff and patients?"}
        self.assertEqual(self.client.post(url, reworded).status_code, 302)
        question.refresh_from_db()
        self.assertEqual((question.version, question.wording), (2, "What will change for staff and patients?"))
        self.assertEqual(question.history.count(), kept_before + 2)  # one for each save in the admin


def rating_of(organisation: Organisation, key: str) -> questions.Answer:
    return next(a for a in questions.answers(organisation, TODAY) if a.question.key == key)


class AnswersFromTheDataTest(TestCase):
    """Each rule reads the apps' own figures: the stored verdicts, the risk register, checkpoints,
    decisions and the work-in-progress limit."""

    @classmethod
    def setUpTestData(cls):
        cls.cast = personas()
        trust, office = cls.cast.trust, cls.cast.office
        cls.a = make_initiative(trust, by=office, status="active", title="Alpha", start_date=TODAY)
        cls.b = make_initiative(trust, by=office, status="active", title="Bravo", start_date=TODAY)
        portfolio_actions.save_risk(
            organisation=trust,
            by=office,
            fields={
                "initiative": cls.a, "title": "Supplier late", "likelihood": 3, "consequence": 3,
                "owner": office, "next_review": TODAY + dt.timedelta(days=30),
            },
        )
        portfolio_actions.save_risk(
            organisation=trust,
            by=office,
            fields={
                "initiative": cls.b, "title": "Data migration", "likelihood": 2, "consequence": 3,
                "owner": office, "next_review": TODAY + dt.timedelta(days=30),
            },
        )

    def test_every_active_initiative_with_a_risk_is_good_and_one_without_is_a_concern_of_two(self):
        self.assertEqual(rating_of(self.cast.trust, "honest_risk").rating, ratings.GOOD)
        Risk.objects.filter(initiative=self.b).update(status=Risk.State.CLOSED)
        answer = rating_of(self.cast.trust, "honest_risk")
        self.assertEqual((answer.rating, answer.behind), (ratings.CONCERN, [self.b]))

    def test_a_risk_past_its_review_date_needs_attention(self):
        Risk.objects.filter(initiative=self.a).update(next_review=TODAY - dt.timedelta(days=1))
        self.assertEqual(rating_of(self.cast.trust, "honest_risk").rating, ratings.NEEDS_ATTENTION)

    def test_green_confidence_while_a_measure_deteriorates_is_a_concern(self):
        Verdict.objects.create(initiative=self.a, state=Verdict.State.DETERIORATING)
        self.assertEqual(rating_of(self.cast.trust, "honest_risk").rating, ratings.GOOD)  # no rating yet
        Initiative.objects.filter(pk=self.a.pk).update(current_confidence="green")
        answer = rating_of(self.cast.trust, "honest_risk")
        self.assertEqual((answer.rating, answer.behind), (ratings.CONCERN, [self.a]))

    def test_an_initiative_without_an_impact_measure_is_behind_the_impact_answer(self):
        Verdict.objects.create(initiative=self.a, state=Verdict.State.IMPROVING)
        Initiative.objects.filter(pk__in=[self.a.pk, self.b.pk]).update(patients_served="Outpatients")
        answer = rating_of(self.cast.trust, "impact")
        # Bravo has no verdict row: never measured.
        self.assertEqual((answer.rating, answer.behind), (ratings.CONCERN, [self.b]))

    def test_over_the_work_in_progress_limit_with_nothing_stopped_is_a_concern(self):
        Organisation.objects.filter(pk=self.cast.trust.pk).update(wip_limit=1)
        self.cast.trust.refresh_from_db()
        self.assertEqual(rating_of(self.cast.trust, "stopping").rating, ratings.CONCERN)
        paused = make_initiative(self.cast.trust, by=self.cast.office, status="paused", title="Paused")  # in January
        self.assertEqual(rating_of(self.cast.trust, "stopping").rating, ratings.NEEDS_ATTENTION)
        # A pause reversed as a mistake stopped nothing.
        portfolio_actions.reverse_decision(
            decision=paused.decisions.get(kind="pause"),
            by=self.cast.office,
            rationale="Recorded against the wrong initiative.",
            evidence="The meeting's minutes.",
            decided_by="Board",
            decided_on=TODAY,
        )
        self.assertEqual(rating_of(self.cast.trust, "stopping").rating, ratings.CONCERN)

    def test_join_ups_and_the_care_system_decide_the_partners_answer(self):
        self.assertEqual(rating_of(self.cast.trust, "system_partners").rating, ratings.CONCERN)
        self.a.joins_up_with.add(self.b)
        # Both now take part in a join-up, but the trust is in no recorded care system.
        answer = rating_of(self.cast.trust, "system_partners")
        self.assertEqual((answer.rating, answer.behind), (ratings.NEEDS_ATTENTION, []))

    def test_an_overdue_checkpoint_counts_against_incremental_delivery(self):
        before = rating_of(self.cast.trust, "incremental")
        self.assertNotIn(self.a, before.behind)
        Initiative.objects.filter(pk=self.a.pk).update(start_date=TODAY - dt.timedelta(days=60))
        after = rating_of(self.cast.trust, "incremental")
        self.assertIn(self.a, after.behind)
        self.assertEqual(next(e.initiatives for e in after.evidence if e.key == "overdue_checkpoint"), [self.a])

    def test_an_initiative_that_showed_something_lately_is_not_behind_the_progress_answer(self):
        self.assertEqual(rating_of(self.cast.trust, "shown_to_users").behind, [self.a, self.b])
        portfolio_actions.record_checkpoint(
            initiative=self.a,
            by=self.cast.office,
            week=TODAY - dt.timedelta(weeks=3),
            fields={"demonstrated": "The new booking screen, to six clerks.", "confidence": "amber",
                    "confidence_reason": "Supplier is a week late."},
        )
        portfolio_actions.record_checkpoint(
            initiative=self.b,
            by=self.cast.office,
            week=TODAY - dt.timedelta(weeks=4),  # too long ago to count
            fields={"reached_real_users": True, "confidence": "green", "confidence_reason": "On track."},
        )
        answer = rating_of(self.cast.trust, "shown_to_users")
        self.assertEqual((answer.rating, answer.behind), (ratings.CONCERN, [self.b]))
