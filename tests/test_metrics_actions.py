"""Writes to metrics: each leaves history, keeps the organisation boundary and refreshes the
stored SPC summary and the verdicts of the initiatives the metric serves (ADR 7)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.test import TestCase

from headway.metrics import actions
from headway.metrics.imports import ObservationRow
from headway.metrics.models import Annotation, Metric, Observation, Verdict
from tests.factories import make_initiative, make_person
from tests.personas import personas

FIELDS = {
    "name": "Missed appointments",
    "definition": "Appointments missed without notice, per 100 booked.",
    "kind": "outcome",
    "beneficiary": "patients",
    "unit": "%",
    "improvement_direction": "decrease",
    "frequency": "monthly",
    "data_source": "Patient administration system",
}


def month(i: int) -> dt.date:
    return dt.date(2024 + i // 12, i % 12 + 1, 1)


class MetricActionsTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cast = personas("Riverside Hospitals")
        cls.trust, cls.other = cls.cast.trust, cls.cast.other_trust
        cls.pmo, cls.outsider = cls.cast.office, cls.cast.other_office
        cls.booking = make_initiative(cls.trust, by=cls.pmo, title="Online booking")
        cls.reminders = make_initiative(cls.trust, by=cls.pmo, title="Text reminders")
        cls.foreign = make_initiative(cls.other, by=cls.outsider, title="Their secret")

    def make_metric(self, **fields) -> Metric:
        return actions.save_metric(
            organisation=self.trust, by=self.pmo, fields={**FIELDS, **fields}, initiatives=[self.booking]
        )

    # The metric

    def test_it_creates_a_metric_for_its_initiatives_and_records_who_did_it(self):
        metric = self.make_metric(owner=self.pmo)
        self.assertEqual(list(metric.initiatives.all()), [self.booking])
        record = metric.history.get()
        self.assertEqual((record.history_user, record.history_change_reason), (self.pmo, "Created"))
        self.assertEqual(Verdict.objects.get(initiative=self.booking).state, Verdict.State.NOT_ENOUGH_DATA)

    def test_it_refuses_another_organisations_initiative(self):
        with self.assertRaises(ValidationError) as refused:
            actions.save_metric(organisation=self.trust, by=self.pmo, fields=FIELDS, initiatives=[self.foreign])
        self.assertIn("initiatives", refused.exception.message_dict)
        self.assertFalse(Metric.objects.exists())

    def test_it_refuses_an_owner_from_another_organisation(self):
        with self.assertRaises(ValidationError) as refused:
            self.make_metric(owner=self.outsider)
        self.assertEqual(refused.exception.message_dict["owner"], ["The owner must be someone in this organisation."])

    def test_it_refuses_a_second_metric_with_the_same_name(self):
        self.make_metric()
        with self.assertRaises(ValidationError) as refused:
            self.make_metric(name="missed APPOINTMENTS ")
        self.assertEqual(refused.exception.message_dict["name"], ["There is already a metric with this name."])

    def test_moving_a_metric_to_another_initiative_refreshes_both_verdicts_and_says_so_in_the_history(self):
        metric = self.make_metric()
        actions.save_metric(
            organisation=self.trust, by=self.pmo, fields={}, initiatives=[self.reminders], metric=metric
        )
        self.assertEqual(Verdict.objects.get(initiative=self.booking).state, Verdict.State.NOT_MEASURED)
        self.assertEqual(Verdict.objects.get(initiative=self.reminders).state, Verdict.State.NOT_ENOUGH_DATA)
        latest = metric.history.first()
        self.assertEqual(
            latest.history_change_reason,
            f"Edited: now serves {self.reminders.reference}; no longer serves {self.booking.reference}",
        )

    # Observations

    def test_it_records_a_value_at_the_start_of_its_period_and_refreshes_the_summary(self):
        metric = self.make_metric()
        observation, created = actions.record_observation(
            metric=metric, by=self.pmo, period=dt.date(2026, 3, 17), value=12.5, note=" Strike "
        )
        self.assertTrue(created)
        self.assertEqual(
            (observation.period, observation.value, observation.note), (dt.date(2026, 3, 1), 12.5, "Strike")
        )
        self.assertEqual(observation.recorded_by, self.pmo)
        stored = Metric.objects.get(pk=metric.pk)
        self.assertEqual((stored.latest_period, stored.point_count), (dt.date(2026, 3, 1), 1))

    def test_sending_a_period_again_replaces_its_value_and_the_history_keeps_the_old_one(self):
        metric = self.make_metric()
        actions.record_observation(metric=metric, by=self.pmo, period=dt.date(2026, 3, 1), value=12)
        observation, created = actions.record_observation(
            metric=metric, by=self.pmo, period=dt.date(2026, 3, 31), value=14
        )
        self.assertFalse(created)
        self.assertEqual(metric.observations.get().value, 14)
        history = list(Observation.history.filter(id=observation.pk).order_by("history_date", "history_id"))
        self.assertEqual([(h.value, h.history_change_reason) for h in history], [(12, "Recorded"), (14, "Replaced")])

    def test_sending_the_same_value_again_leaves_no_history(self):
        metric = self.make_metric()
        actions.record_observation(metric=metric, by=self.pmo, period=dt.date(2026, 3, 1), value=12)
        actions.record_observation(metric=metric, by=self.pmo, period=dt.date(2026, 3, 1), value=12)
        self.assertEqual(Observation.history.count(), 1)

    def test_it_refuses_a_value_that_is_not_a_number(self):
        metric = self.make_metric()
        for value in (float("nan"), float("inf")):
            with self.subTest(value=value), self.assertRaises(ValidationError):
                actions.record_observation(metric=metric, by=self.pmo, period=dt.date(2026, 3, 1), value=value)
        self.assertFalse(metric.observations.exists())

    def test_enough_points_give_an_icon_and_an_improving_verdict(self):
        metric = self.make_metric()
        for i in range(20):
            # Steady at 10, then clearly lower (better) for the last eight months.
            value = 10 + (i % 3) * 0.5 if i < 12 else 5 + (i % 2) * 0.5
            actions.record_observation(metric=metric, by=self.pmo, period=month(i), value=value)
        stored = Metric.objects.get(pk=metric.pk)
        self.assertEqual(stored.point_count, 20)
        self.assertEqual(stored.variation_icon, "improvement_low")
        self.assertEqual(Verdict.objects.get(initiative=self.booking).state, Verdict.State.IMPROVING)

    # Imports

    def rows(self, *values, note=None):
        return [ObservationRow(row=i + 2, period=month(i), value=v, note=note) for i, v in enumerate(values)]

    def test_an_import_adds_replaces_and_counts_what_did_not_change_then_refreshes_once(self):
        metric = self.make_metric()
        actions.record_observation(metric=metric, by=self.pmo, period=month(0), value=1)
        actions.record_observation(metric=metric, by=self.pmo, period=month(1), value=2)
        counts = actions.import_observations(metric=metric, by=self.pmo, rows=self.rows(1, 5, 6, 7))
        self.assertEqual((counts.added, counts.replaced, counts.unchanged), (2, 1, 1))
        self.assertEqual(list(metric.observations.values_list("value", flat=True)), [1, 5, 6, 7])
        replaced = Observation.history.filter(metric_id=metric.pk, period=month(1)).order_by("history_id")
        self.assertEqual([h.value for h in replaced], [2, 5])
        self.assertEqual(replaced.last().history_user, self.pmo)
        self.assertEqual(Metric.objects.get(pk=metric.pk).point_count, 4)

    def test_an_import_without_a_note_column_keeps_the_notes_already_there(self):
        metric = self.make_metric()
        actions.record_observation(metric=metric, by=self.pmo, period=month(0), value=1, note="Strike")
        actions.import_observations(metric=metric, by=self.pmo, rows=self.rows(3))
        self.assertEqual(metric.observations.get().note, "Strike")
        actions.import_observations(metric=metric, by=self.pmo, rows=self.rows(3, note=""))
        self.assertEqual(metric.observations.get().note, "")

    def test_an_import_with_any_bad_row_saves_nothing(self):
        metric = self.make_metric()
        actions.record_observation(metric=metric, by=self.pmo, period=month(0), value=1)
        rows = [*self.rows(4, 5, 6), ObservationRow(row=5, period=month(1), value=9, note=None)]
        with self.assertRaises(ValidationError) as refused:
            actions.import_observations(metric=metric, by=self.pmo, rows=rows)
        self.assertEqual(refused.exception.messages, ["Row 5, column period: Feb 2024 is already on row 3."])
        self.assertEqual(list(metric.observations.values_list("value", flat=True)), [1])
        self.assertEqual(Observation.history.count(), 1)

    # Annotations

    def test_an_annotation_that_starts_a_new_period_is_kept_with_history_and_can_be_removed(self):
        metric = self.make_metric()
        annotation = actions.add_annotation(
            metric=metric, by=self.pmo, period=dt.date(2026, 3, 9), text="New booking system", starts_new_period=True
        )
        self.assertEqual(annotation.period, dt.date(2026, 3, 1))
        self.assertEqual(annotation.created_by, self.pmo)
        actions.delete_annotation(annotation=annotation, by=self.pmo)
        self.assertFalse(Annotation.objects.exists())
        removed = Annotation.history.filter(history_type="-").get()
        self.assertEqual((removed.history_user, removed.history_change_reason), (self.pmo, "Removed"))

    def test_an_annotation_needs_its_text(self):
        metric = self.make_metric()
        with self.assertRaises(ValidationError):
            actions.add_annotation(metric=metric, by=self.pmo, period=dt.date(2026, 3, 1), text="  ")
        self.assertFalse(Annotation.objects.exists())

    def test_a_new_period_annotation_changes_the_limits(self):
        metric = self.make_metric()
        for i in range(14):
            actions.record_observation(metric=metric, by=self.pmo, period=month(i), value=10 + (i % 2))
        before = actions.refresh_metric_summary(metric)
        actions.add_annotation(
            metric=metric, by=self.pmo, period=month(7), text="Process change", starts_new_period=True
        )
        after = actions.refresh_metric_summary(metric)
        self.assertEqual(len(before.result.periods), 1)
        self.assertEqual(len(after.result.periods), 2)


class AdminPathTest(TestCase):
    """Changes made in the installation admin refresh the summary and keep history too."""

    @classmethod
    def setUpTestData(cls):
        cls.cast = personas("Riverside Hospitals")
        cls.trust = cls.cast.trust
        # Kept: the installation admin belongs to no organisation.
        cls.admin = make_person(None, name="Ada Admin", is_staff=True, is_superuser=True)
        cls.booking = make_initiative(cls.trust, title="Online booking")
        cls.metric = actions.save_metric(organisation=cls.trust, by=None, fields=FIELDS, initiatives=[cls.booking])

    def test_a_value_added_in_the_admin_is_moved_to_its_period_and_refreshes_the_summary(self):
        self.client.force_login(self.admin)
        response = self.client.post(
            "/admin/metrics/observation/add/",
            {"metric": self.metric.pk, "period": "2026-03-17", "value": "4.5", "note": ""},
        )
        self.assertEqual(response.status_code, 302, response.content.decode()[:2000])
        observation = Observation.objects.get()
        self.assertEqual((observation.period, observation.recorded_by), (dt.date(2026, 3, 1), self.admin))
        self.assertEqual(observation.history.get().history_user, self.admin)
        stored = Metric.objects.get(pk=self.metric.pk)
        self.assertEqual((stored.point_count, stored.latest_period), (1, dt.date(2026, 3, 1)))

        self.client.post(f"/admin/metrics/observation/{observation.pk}/delete/", {"post": "yes"})
        self.assertFalse(Observation.objects.exists())
        self.assertEqual(Metric.objects.get(pk=self.metric.pk).point_count, 0)

    def test_unlinking_an_initiative_in_the_admin_refreshes_its_verdict(self):
        self.client.force_login(self.admin)
        data = {**FIELDS, "organisation": self.trust.pk, "initiatives": [], "screen_outliers": "on"}
        response = self.client.post(f"/admin/metrics/metric/{self.metric.pk}/change/", data)
        self.assertEqual(response.status_code, 302, response.content.decode()[:3000])
        self.assertFalse(Metric.objects.get(pk=self.metric.pk).initiatives.exists())
        self.assertEqual(Verdict.objects.get(initiative=self.booking).state, Verdict.State.NOT_MEASURED)
        # Saved by actions.save_metric, whose history says which initiative it no longer serves.
        record = Metric.history.filter(id=self.metric.pk).first()
        self.assertEqual(
            (record.history_user, record.history_change_reason),
            (self.admin, f"Edited: no longer serves {self.booking.reference}"),
        )

    def test_the_admin_keeps_the_rules_of_the_metric_pages_and_says_why_before_saving_anything(self):
        stranger = self.cast.other_office
        self.client.force_login(self.admin)
        data = {**FIELDS, "organisation": self.trust.pk, "initiatives": [self.booking.pk], "owner": stranger.pk}
        response = self.client.post(f"/admin/metrics/metric/{self.metric.pk}/change/", data)
        self.assertContains(response, "The owner must be someone in this organisation.")
        self.assertIsNone(Metric.objects.get(pk=self.metric.pk).owner)

    def test_values_and_annotations_changed_in_the_admin_say_so_in_their_history(self):
        self.client.force_login(self.admin)
        self.client.post(
            "/admin/metrics/observation/add/",
            {"metric": self.metric.pk, "period": "2026-03-17", "value": "4.5", "note": ""},
        )
        observation = Observation.objects.get()
        response = self.client.post(
            f"/admin/metrics/observation/{observation.pk}/change/",
            {"metric": self.metric.pk, "period": "2026-03-01", "value": "5", "note": ""},
        )
        self.assertEqual(response.status_code, 302, response.content.decode()[:2000])
        self.assertEqual(
            [r.history_change_reason for r in observation.history.order_by("history_id")],
            ["Added in the admin", "Changed in the admin"],
        )
        self.client.post(
            "/admin/metrics/annotation/add/",
            {"metric": self.metric.pk, "period": "2026-03-20", "text": " New triage rota ", "starts_new_period": ""},
        )
        annotation = Annotation.objects.get()
        self.assertEqual(
            (annotation.period, annotation.text, annotation.created_by),
            (dt.date(2026, 3, 1), "New triage rota", self.admin),
        )
        self.client.post(f"/admin/metrics/annotation/{annotation.pk}/delete/", {"post": "yes"})
        removed = Annotation.history.filter(history_type="-").get()
        self.assertEqual((removed.history_user, removed.history_change_reason), (self.admin, "Removed in the admin"))
