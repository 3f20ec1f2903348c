"""A metric's value as typed or uploaded: "72%" for a metric measured in %, numbers otherwise."""

from __future__ import annotations

import pytest
from django.test import TestCase

from headway.metrics.forms import MetricForm, ObservationForm
from headway.metrics.imports import FileRefused, read_observations
from headway.metrics.models import Metric
from headway.metrics.values import NotANumber, NotThisUnit, read_value
from tests.personas import personas

FIELDS = {
    "name": "Referrals made online",
    "definition": "Share of referrals made through the online form.",
    "kind": "adoption",
    "beneficiary": "staff",
    "improvement_direction": "increase",
    "frequency": "monthly",
    "data_source": "Referral system",
    "screen_outliers": "on",
}


@pytest.mark.parametrize(
    ("typed", "expected"), [("72%", 72.0), ("72", 72.0), ("72.5 %", 72.5), (" 8% ", 8.0), (72, 72.0)]
)
def test_a_percentage_metric_reads_its_value_with_or_without_the_sign(typed, expected):
    assert read_value(typed, "%") == expected


def test_a_percent_sign_is_refused_for_a_metric_in_another_unit():
    with pytest.raises(NotThisUnit, match="measured in minutes"):
        read_value("72%", "minutes")


@pytest.mark.parametrize(("typed", "expected"), [("1,200", 1200.0), ("-3.5", -3.5), ("1e3", 1000.0), (2.5, 2.5)])
def test_other_values_are_plain_numbers_as_before(typed, expected):
    assert read_value(typed, "patients") == expected


@pytest.mark.parametrize("typed", ["", "lots", "nan", "inf", "1,2", "%", True, float("nan")])
def test_what_is_not_a_number_is_refused(typed):
    with pytest.raises(NotANumber):
        read_value(typed, "%")


def test_an_upload_reads_percentages_for_a_metric_measured_in_percent():
    rows = read_observations(
        b"period,value\n2026-01,72%\n2026-02,73.5\n", filename="d.csv", frequency="monthly", unit="%"
    )
    assert [row.value for row in rows] == [72.0, 73.5]


def test_an_upload_refuses_a_percentage_for_a_metric_in_another_unit():
    with pytest.raises(FileRefused) as refused:
        read_observations(b"period,value\n2026-01,72%\n", filename="d.csv", frequency="monthly", unit="minutes")
    assert "measured in minutes" in str(refused.value.errors[0])


def test_the_value_form_reads_a_percentage_for_a_percentage_metric():
    form = ObservationForm({"period": "2026-01", "value": "72%"}, metric=Metric(unit="%", frequency="monthly"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["value"] == 72.0


def test_the_value_form_refuses_a_percentage_for_a_metric_in_minutes_and_says_why():
    form = ObservationForm({"period": "2026-01", "value": "72%"}, metric=Metric(unit="minutes", frequency="monthly"))
    assert not form.is_valid()
    assert "measured in minutes" in form.errors["value"][0]


def test_the_value_form_keeps_its_message_for_text_that_is_no_number():
    form = ObservationForm({"period": "2026-01", "value": "lots"}, metric=Metric(unit="%", frequency="monthly"))
    assert not form.is_valid()
    assert form.errors["value"] == ["Enter the value as a number, for example 42 or 3.5."]


class MetricFormValuesTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cast = personas()
        cls.trust, cls.owner = cls.cast.trust, cls.cast.office

    def form(self, **changes):
        return MetricForm({**FIELDS, "owner": self.owner.pk, **changes}, organisation=self.trust)

    def test_a_baseline_and_target_typed_as_percentages_are_read_for_a_metric_in_percent(self):
        form = self.form(unit="%", baseline_value="12.5%", target_value="40 %")
        self.assertTrue(form.is_valid(), form.errors)
        self.assertEqual((form.cleaned_data["baseline_value"], form.cleaned_data["target_value"]), (12.5, 40.0))

    def test_a_baseline_typed_as_a_percentage_is_refused_for_a_metric_in_minutes(self):
        form = self.form(unit="minutes", baseline_value="12%")
        self.assertFalse(form.is_valid())
        self.assertIn("measured in minutes", form.errors["baseline_value"][0])

    def test_a_target_that_is_not_a_number_keeps_its_message(self):
        form = self.form(unit="%", target_value="lots")
        self.assertFalse(form.is_valid())
        self.assertEqual(form.errors["target_value"], ["Enter the target as a number."])

    def test_an_empty_baseline_is_still_allowed(self):
        form = self.form(unit="%", baseline_value="")
        self.assertTrue(form.is_valid(), form.errors)
        self.assertIsNone(form.cleaned_data["baseline_value"])
