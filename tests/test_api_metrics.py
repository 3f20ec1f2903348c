"""Metrics through the API: values sent many at once, checked as the value form checks them,
all saved or none, and a value already recorded replaced only when asked (ADR 31)."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase

from headway.metrics import actions as metric_actions
from headway.metrics.models import Annotation, Observation
from tests.factories import bearer, make_initiative, make_metric, make_token
from tests.personas import personas

API = "/api/v1"


class ObservationsTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cast = personas("Measuring Trust")
        cls.initiative = make_initiative(cls.cast.trust, by=cls.cast.office, delivery_lead=cls.cast.lead)
        cls.metric = make_metric(cls.cast.trust, name="Discharges before noon", unit="%")
        cls.metric.initiatives.add(cls.initiative)
        cls.unlinked = make_metric(cls.cast.trust, name="Someone else's measure")
        metric_actions.record_observation(metric=cls.metric, by=cls.cast.office, period=dt.date(2026, 1, 1), value=40)
        Annotation.objects.create(metric=cls.metric, period=dt.date(2026, 2, 1), text="New discharge lounge opened")
        cls.lead = make_token(cls.cast.lead, cls.cast.trust, can_write=True)

    def send(self, body, metric=None, secret=None):
        return self.client.post(
            f"{API}/metrics/{(metric or self.metric).pk}/observations",
            body,
            content_type="application/json",
            headers=bearer(secret or self.lead),
        )

    def test_a_month_of_values_is_recorded_at_once_and_the_summary_follows(self):
        months = [{"period": f"2026-{m:02d}", "value": 40 + m} for m in range(2, 12)]
        response = self.send({"observations": months})
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json(), {"added": 10, "replaced": 0, "unchanged": 0})
        self.metric.refresh_from_db()
        self.assertEqual(self.metric.point_count, 11)
        self.assertEqual(self.metric.latest_period, dt.date(2026, 11, 1))

    def test_one_bad_value_saves_nothing_and_is_named_by_its_place_in_the_list(self):
        body = {"observations": [{"period": "2026-03", "value": 50}, {"period": "2026-04", "value": 150}]}
        response = self.send(body)
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["errors"][0]["field"], ["body", "observations", 1, "value"])
        self.assertEqual(Observation.objects.filter(metric=self.metric).count(), 1)

    def test_a_future_period_and_a_period_twice_are_refused(self):
        body = {"observations": [{"period": "2027-06", "value": 5}, {"period": "2026-03", "value": 1}]}
        body["observations"].append({"period": "2026-03", "value": 2})
        fields = [e["field"] for e in self.send(body).json()["errors"]]
        self.assertEqual(fields, [["body", "observations", 0, "period"], ["body", "observations", 2, "period"]])

    def test_a_different_value_for_a_recorded_period_needs_replace(self):
        refused = self.send({"observations": [{"period": "2026-01", "value": 45}]})
        self.assertEqual(refused.status_code, 409)
        self.assertEqual(Observation.objects.get(metric=self.metric).value, 40)
        same = self.send({"observations": [{"period": "2026-01", "value": 40}]})
        self.assertEqual(same.json(), {"added": 0, "replaced": 0, "unchanged": 1})
        replaced = self.send({"observations": [{"period": "2026-01", "value": 45}], "replace": True})
        self.assertEqual(replaced.json()["replaced"], 1)
        self.assertEqual(Observation.objects.get(metric=self.metric).value, 45)

    def test_a_delivery_lead_cannot_add_to_a_metric_of_someone_elses_initiative(self):
        response = self.send({"observations": [{"period": "2026-03", "value": 1}]}, metric=self.unlinked)
        self.assertEqual(response.status_code, 403)

    def test_more_values_than_the_bound_are_refused_before_any_is_read(self):
        body = {"observations": [{"period": "2026-03", "value": 1}] * 501}
        response = self.send(body)
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["errors"][0]["field"], ["body", "observations"])

    def test_metrics_values_and_annotations_are_read_as_on_the_metric_page(self):
        metric = self.client.get(f"{API}/metrics/{self.metric.pk}", headers=bearer(self.lead)).json()
        self.assertEqual(
            (metric["name"], metric["initiatives"]), ("Discharges before noon", [self.initiative.reference])
        )
        values = self.client.get(f"{API}/metrics/{self.metric.pk}/observations", headers=bearer(self.lead)).json()
        self.assertEqual(
            [(v["period"], v["label"], v["value"]) for v in values["items"]], [("2026-01-01", "Jan 2026", 40.0)]
        )
        notes = self.client.get(f"{API}/metrics/{self.metric.pk}/annotations", headers=bearer(self.lead)).json()
        self.assertEqual([n["text"] for n in notes], ["New discharge lounge opened"])
        listed = self.client.get(f"{API}/metrics", headers=bearer(self.lead)).json()
        self.assertEqual(listed["count"], 2)
