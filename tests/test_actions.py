import datetime as dt

from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse

from headway.accounts.roles import Role
from headway.portfolio import actions
from headway.portfolio.models import Checkpoint, Decision, Initiative, Risk, Status, reversible
from tests.factories import make_initiative, make_organisation, make_person
from tests.personas import personas

MONDAY = dt.date(2026, 11, 23)


class DecisionsTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cast = personas("Decisions Trust")
        cls.trust, cls.sro = cls.cast.trust, cls.cast.executive

    def decide(self, initiative, kind, rationale="Because the evidence says so."):
        return actions.record_decision(
            initiative=initiative,
            by=self.sro,
            kind=kind,
            rationale=rationale,
            evidence="Usage data for October.",
            decided_by="Digital Investment Board",
            decided_on=dt.date(2026, 11, 20),
        )

    def test_a_new_initiative_is_proposed(self):
        initiative = make_initiative(self.trust, by=self.sro)
        self.assertEqual(initiative.status, Status.PROPOSED)

    def test_a_start_decision_makes_an_initiative_active_and_records_the_change(self):
        initiative = make_initiative(self.trust, by=self.sro)
        decision = self.decide(initiative, "start")
        initiative.refresh_from_db()
        self.assertEqual(initiative.status, Status.ACTIVE)
        self.assertEqual((decision.status_before, decision.status_after), (Status.PROPOSED, Status.ACTIVE))
        self.assertEqual(initiative.start_date, dt.date(2026, 11, 20))

    def test_it_rejects_a_stop_without_a_reason(self):
        initiative = make_initiative(self.trust, by=self.sro, status="active")
        with self.assertRaises(ValidationError) as caught:
            self.decide(initiative, "stop", rationale="   ")
        self.assertIn("rationale", caught.exception.message_dict)
        initiative.refresh_from_db()
        self.assertEqual(initiative.status, Status.ACTIVE)
        self.assertEqual(initiative.decisions.filter(kind="stop").count(), 0)

    def test_a_stopped_initiative_cannot_be_paused(self):
        initiative = make_initiative(self.trust, by=self.sro, status="stopped")
        with self.assertRaises(ValidationError) as caught:
            self.decide(initiative, "pause")
        self.assertIn("cannot be given", caught.exception.message_dict["kind"][0])

    def test_continue_keeps_the_status_but_is_still_recorded(self):
        initiative = make_initiative(self.trust, by=self.sro, status="active")
        decision = self.decide(initiative, "continue")
        self.assertEqual(decision.status_after, Status.ACTIVE)
        self.assertEqual(initiative.decisions.count(), 2)

    def test_status_cannot_be_changed_by_editing(self):
        initiative = make_initiative(self.trust, by=self.sro)
        with self.assertRaises(ValidationError):
            actions.update_initiative(initiative=initiative, by=self.sro, fields={"status": Status.ACTIVE})
        initiative.refresh_from_db()
        self.assertEqual(initiative.status, Status.PROPOSED)

    def test_allowed_kinds_follow_the_status(self):
        self.assertEqual(Decision.allowed_kinds(Status.PROPOSED), ["start", "stop"])
        self.assertEqual(Decision.allowed_kinds(Status.STOPPED), [])
        self.assertEqual(Decision.allowed_kinds(Status.COMPLETED), [])


class ReversalsTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cast = personas("Reversals Trust")
        cls.trust, cls.sro = cls.cast.trust, cls.cast.executive

    def decide(self, initiative, kind, on=dt.date(2026, 11, 20)):
        return actions.record_decision(
            initiative=initiative,
            by=self.sro,
            kind=kind,
            rationale="Because the evidence says so.",
            evidence="Usage data for October.",
            decided_by="Digital Investment Board",
            decided_on=on,
        )

    def reverse(self, decision, rationale="Recorded against the wrong initiative.", on=dt.date(2026, 11, 23)):
        return actions.reverse_decision(
            decision=decision,
            by=self.sro,
            rationale=rationale,
            evidence="The minutes of 20 November.",
            decided_by="Digital Investment Board",
            decided_on=on,
        )

    def test_a_mistaken_stop_is_reversed_by_a_new_linked_decision_and_the_original_is_kept(self):
        initiative = make_initiative(self.trust, by=self.sro, status="active")
        stop = self.decide(initiative, "stop")
        before = Decision.objects.filter(pk=stop.pk).values().get()
        reversal = self.reverse(stop)
        initiative.refresh_from_db()
        self.assertEqual(initiative.status, Status.ACTIVE)
        self.assertEqual((reversal.kind, reversal.reverses, stop.reversed_by), ("reverse", stop, reversal))
        self.assertEqual((reversal.status_before, reversal.status_after), (Status.STOPPED, Status.ACTIVE))
        self.assertEqual(Decision.objects.filter(pk=stop.pk).values().get(), before)  # never edited
        self.assertEqual(
            initiative.history.latest("history_id").history_change_reason,  # type: ignore[attr-defined]
            "Reversal on 23 November 2026 of the stop decision of 20 November 2026",
        )

    def test_reversing_a_start_from_proposed_takes_back_its_start_date(self):
        initiative = make_initiative(self.trust, by=self.sro)
        self.reverse(self.decide(initiative, "start"))
        initiative.refresh_from_db()
        self.assertEqual((initiative.status, initiative.start_date), (Status.PROPOSED, None))

    def test_a_reversal_is_refused_when_it_cannot_put_back_what_the_decision_changed_and_nothing_changes(self):
        initiative = make_initiative(self.trust, by=self.sro, status="active")
        pause = self.decide(initiative, "pause")
        restart = self.decide(initiative, "start", on=dt.date(2026, 11, 21))
        cases = [
            (pause, "A later decision has changed the initiative's status since"),
        ]
        reversal = self.reverse(restart)
        cases += [
            (restart, "already been reversed"),
            (reversal, "A reversal cannot itself be reversed"),
        ]
        count = Decision.objects.count()
        for decision, message in cases:
            with self.subTest(decision=decision.kind), self.assertRaises(ValidationError) as caught:
                self.reverse(decision)
            self.assertIn(message, " ".join(caught.exception.messages))
        with self.assertRaises(ValidationError) as caught:
            self.reverse(pause, rationale="  ")
        with self.assertRaises(ValidationError) as caught:
            self.reverse(self.decide(make_initiative(self.trust, by=self.sro), "start"), on=dt.date(2026, 11, 1))
        self.assertIn("decided_on", caught.exception.message_dict)
        self.assertEqual(Decision.objects.count(), count + 1)  # only the start made for the last case
        initiative.refresh_from_db()
        self.assertEqual(initiative.status, Status.PAUSED)

    def test_only_the_decisions_whose_change_still_stands_are_offered_for_reversal(self):
        initiative = make_initiative(self.trust, by=self.sro, status="active")
        first = initiative.decisions.first()
        keep_going = self.decide(initiative, "continue")
        expected = {keep_going.pk} | ({first.pk} if first is not None else set())
        self.assertEqual(reversible(initiative.decisions.all(), initiative.status), expected)
        stop = self.decide(initiative, "stop")
        self.assertEqual(reversible(initiative.decisions.all(), Status.STOPPED), {stop.pk})


class CheckpointsTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cast = personas("Checkpoint Trust")
        cls.trust, cls.lead = cls.cast.trust, cls.cast.lead
        cls.initiative = make_initiative(cls.trust, by=cls.lead, status="active", delivery_lead=cls.lead)

    def fields(self, **overrides):
        return {
            "demonstrated": "Ward view to sisters on 7B",
            "demonstrated_to": "Ward 7B nursing team",
            "reached_real_users": True,
            "real_users_detail": "Live on 7B",
            "confidence": "green",
            "confidence_reason": "On track",
            **overrides,
        }

    def test_a_second_entry_for_the_same_week_edits_the_first_and_keeps_history(self):
        first, created = actions.record_checkpoint(
            initiative=self.initiative, by=self.lead, week=MONDAY, fields=self.fields()
        )
        self.assertTrue(created)
        second, created = actions.record_checkpoint(
            initiative=self.initiative,
            by=self.lead,
            week=MONDAY + dt.timedelta(days=3),
            fields=self.fields(confidence="amber", confidence_reason="Supplier slipped"),
        )
        self.assertFalse(created)
        self.assertEqual(first.pk, second.pk)
        self.assertEqual(Checkpoint.objects.filter(initiative=self.initiative).count(), 1)
        versions = list(second.history.order_by("history_date").values_list("confidence", flat=True))
        self.assertEqual(versions, ["green", "amber"])

    def test_a_checkpoint_needs_a_reason_for_its_confidence(self):
        with self.assertRaises(ValidationError) as caught:
            actions.record_checkpoint(
                initiative=self.initiative,
                by=self.lead,
                week=MONDAY - dt.timedelta(weeks=5),
                fields=self.fields(confidence_reason=""),
            )
        self.assertIn("confidence_reason", caught.exception.message_dict)
        self.assertFalse(Checkpoint.objects.filter(week_start=MONDAY - dt.timedelta(weeks=5)).exists())


class RisksTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cast = personas("Risk Trust")
        cls.trust, cls.other, cls.owner = cls.cast.trust, cls.cast.other_trust, cls.cast.executive
        cls.foreign = make_initiative(cls.other)

    def test_score_and_rating_follow_the_nhs_five_by_five_matrix(self):
        risk = Risk(likelihood=4, consequence=5)
        self.assertEqual((risk.score, risk.rating), (20, "extreme"))
        self.assertEqual(Risk(likelihood=3, consequence=3).rating, "high")
        self.assertEqual(Risk(likelihood=2, consequence=2).rating, "moderate")
        self.assertEqual(Risk(likelihood=1, consequence=3).rating, "low")

    def test_it_rejects_a_likelihood_outside_one_to_five(self):
        with self.assertRaises(ValidationError) as caught:
            actions.save_risk(
                organisation=self.trust,
                by=self.owner,
                fields={"title": "Too likely", "likelihood": 6, "consequence": 2, "next_review": MONDAY},
            )
        self.assertIn("likelihood", caught.exception.message_dict)
        self.assertFalse(Risk.objects.filter(title="Too likely").exists())

    def test_it_refuses_a_risk_on_another_organisations_initiative(self):
        with self.assertRaises(ValidationError):
            actions.save_risk(
                organisation=self.trust,
                by=self.owner,
                fields={
                    "title": "Sneaky",
                    "likelihood": 2,
                    "consequence": 2,
                    "next_review": MONDAY,
                    "initiative": self.foreign,
                },
            )
        self.assertFalse(Risk.objects.filter(title="Sneaky").exists())

    def test_overdue_reviews_are_found(self):
        risk = actions.save_risk(
            organisation=self.trust,
            by=self.owner,
            fields={
                "title": "Old review",
                "likelihood": 3,
                "consequence": 4,
                "next_review": dt.date(2026, 1, 1),
                "owner": self.owner,
            },
        )
        self.assertIn(risk, Risk.objects.for_organisation(self.trust).review_overdue(MONDAY))
        self.assertNotIn(risk, Risk.objects.for_organisation(self.trust).review_overdue(dt.date(2025, 12, 1)))


class InitiativesTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.trust = make_organisation("Reference Trust")

    def test_references_are_given_in_sequence_per_organisation(self):
        first = make_initiative(self.trust)
        second = make_initiative(self.trust)
        self.assertEqual((first.reference, second.reference), ("DIG-001", "DIG-002"))

    def test_it_rejects_an_initiative_without_a_problem(self):
        with self.assertRaises(ValidationError) as caught:
            actions.create_initiative(organisation=self.trust, by=None, fields={"title": "No problem"})
        self.assertIn("problem", caught.exception.message_dict)
        self.assertFalse(Initiative.objects.filter(title="No problem").exists())


class CheckpointSummaryTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.trust = make_organisation("Summary Trust")
        cls.lead = make_person(cls.trust, Role.DELIVERY_LEAD)

    def record(self, initiative, week, confidence):
        return actions.record_checkpoint(
            initiative=initiative,
            by=self.lead,
            week=week,
            fields={"confidence": confidence, "confidence_reason": "Because"},
        )[0]

    def test_the_initiative_carries_its_newest_checkpoint_whatever_order_they_arrive_in(self):
        initiative = make_initiative(self.trust, status="active")
        self.assertEqual((initiative.last_checkpoint_week, initiative.current_confidence), (None, ""))
        newest = self.record(initiative, MONDAY, "amber")
        self.record(initiative, MONDAY - dt.timedelta(weeks=3), "green")  # a late entry for an older week
        initiative.refresh_from_db()
        self.assertEqual((initiative.last_checkpoint_week, initiative.current_confidence), (MONDAY, "amber"))
        actions.delete_checkpoints(checkpoints=[newest], by=self.lead)
        initiative.refresh_from_db()
        self.assertEqual(
            (initiative.last_checkpoint_week, initiative.current_confidence),
            (MONDAY - dt.timedelta(weeks=3), "green"),
        )

    def test_the_summary_is_not_written_into_the_initiatives_history(self):
        initiative = make_initiative(self.trust, status="active")
        versions = initiative.history.count()
        self.record(initiative, MONDAY, "red")
        self.assertEqual(initiative.history.count(), versions)


class CheckpointSummaryFromTheAdminTest(TestCase):
    """The admin saves and removes checkpoints through the same actions as the weekly form."""

    @classmethod
    def setUpTestData(cls):
        cls.trust = make_organisation("Admin Summary Trust")
        cls.lead = make_person(cls.trust, Role.DELIVERY_LEAD)
        cls.superuser = make_person(None, is_superuser=True, is_staff=True)

    def setUp(self):
        self.initiative = make_initiative(self.trust, status="active")
        self.older, _ = actions.record_checkpoint(
            initiative=self.initiative,
            by=self.lead,
            week=MONDAY - dt.timedelta(weeks=1),
            fields={"confidence": "green", "confidence_reason": "Fine"},
        )
        self.newest, _ = actions.record_checkpoint(
            initiative=self.initiative,
            by=self.lead,
            week=MONDAY,
            fields={"confidence": "amber", "confidence_reason": "Slipping"},
        )
        self.client.force_login(self.superuser)

    def summary(self):
        self.initiative.refresh_from_db()
        return self.initiative.last_checkpoint_week, self.initiative.current_confidence

    def test_a_checkpoint_changed_in_the_admin_refreshes_the_initiatives_summary(self):
        url = reverse("admin:portfolio_checkpoint_change", args=[self.newest.pk])
        form = self.client.get(url).context["adminform"].form
        data = {name: form.initial.get(name) or "" for name in form.fields}
        data.update(
            initiative=self.initiative.pk,
            week_start=MONDAY.isoformat(),
            confidence="red",
            confidence_reason="Supplier gone",
            reached_real_users="",
        )
        response = self.client.post(url, data)
        self.assertEqual(
            response.status_code, 302, getattr(response, "context", None) and response.context["adminform"].form.errors
        )
        self.assertEqual(self.summary(), (MONDAY, "red"))
        self.assertEqual(self.newest.history.first().history_user, self.superuser)

    def test_a_checkpoint_removed_in_the_admin_refreshes_the_initiatives_summary(self):
        url = reverse("admin:portfolio_checkpoint_delete", args=[self.newest.pk])
        self.client.post(url, {"post": "yes"})
        self.assertFalse(Checkpoint.objects.filter(pk=self.newest.pk).exists())
        self.assertEqual(self.summary(), (MONDAY - dt.timedelta(weeks=1), "green"))

    def test_checkpoints_removed_together_in_the_admin_refresh_the_initiatives_summary(self):
        url = reverse("admin:portfolio_checkpoint_changelist")
        self.client.post(
            url, {"action": "delete_selected", "_selected_action": [self.newest.pk, self.older.pk], "post": "yes"}
        )
        self.assertEqual(self.summary(), (None, ""))
