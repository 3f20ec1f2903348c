"""Loading metrics for other apps by the one rule, and the figures the metric pages read."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from headway.metrics import actions, charts, improvement, queries, spc
from headway.metrics.figures import metric_figures
from headway.metrics.models import FREQUENCY_DAYS, Annotation, Metric, Observation
from headway.metrics.presenters import better_words, list_rows, value_text
from tests.factories import make_metric, make_organisation

FLAT = [50.0, 52, 49, 51, 50, 48, 52, 50, 51, 49, 50, 52, 48, 50]
SHIFTED = [*FLAT, 58, 59, 60, 58, 61, 59, 60, 62]
TODAY = dt.date(2026, 12, 1)


def month(index: int) -> dt.date:
    return dt.date(2025 + index // 12, index % 12 + 1, 1)


def with_values(metric, values):
    Observation.objects.bulk_create(
        [Observation(metric=metric, period=month(i), value=v) for i, v in enumerate(values) if v is not None]
    )
    actions.refresh_metric_summary(metric)
    metric.refresh_from_db()
    return metric


class ImprovementsTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.trust = make_organisation()
        cls.shifted = with_values(make_metric(cls.trust, "Shifted", baseline_value=50), SHIFTED)
        cls.noisy = with_values(make_metric(cls.trust, "Noisy", baseline_value=49), [*FLAT[:-3], 51, 52, 51])
        cls.short = with_values(make_metric(cls.trust, "Short", baseline_value=50), [48, 55, 56, 57])
        cls.no_baseline = with_values(make_metric(cls.trust, "No baseline"), [48, 55, 56, 57])
        cls.neutral = with_values(make_metric(cls.trust, "Neutral", improvement_direction="neutral"), SHIFTED)

    def all(self):
        return [self.shifted, self.noisy, self.short, self.no_baseline, self.neutral]

    def test_each_metric_is_judged_by_the_one_rule(self):
        found = queries.improvements(self.all())
        self.assertEqual(found[self.shifted.pk], improvement.Assessment(True, "spc"))
        self.assertEqual(found[self.noisy.pk], improvement.Assessment(False, "spc"))
        self.assertEqual(found[self.short.pk], improvement.Assessment(True, "baseline"))
        self.assertEqual(found[self.no_baseline.pk], improvement.Assessment(None, "no_baseline"))
        self.assertEqual(found[self.neutral.pk], improvement.Assessment(None, "no_direction"))

    def test_it_reads_in_one_query_however_many_metrics(self):
        with CaptureQueriesContext(connection) as read:
            queries.improvements(self.all())
        self.assertEqual(len(read), 1)

    def test_a_metric_better_now_has_a_first_measured_benefit_and_one_that_is_not_has_none(self):
        starts = queries.improvement_starts(m.pk for m in self.all())
        metrics_with_a_start = {metric_id for metric_id, _ in starts}
        better_now = {pk for pk, answer in queries.improvements(self.all()).items() if answer.better}
        self.assertEqual(metrics_with_a_start, better_now)

    def test_the_start_is_where_the_chart_marks_the_first_improvement(self):
        result = spc.analyse(SHIFTED, improvement_direction="increase")
        first = month(result.special_cause.index("improvement"))
        self.assertEqual(queries.improvement_starts([self.shifted.pk])[0], (self.shifted.pk, first))
        self.assertEqual(queries.improvement_starts([self.short.pk]), [(self.short.pk, month(1))])

    def test_a_rebased_chart_is_read_as_the_chart_draws_it(self):
        # A new process from point 14: its own limits start there, so the later level is the norm.
        metric = with_values(make_metric(self.trust, "Rebased", baseline_value=50), SHIFTED)
        Annotation.objects.create(metric=metric, period=month(len(FLAT)), text="New process", starts_new_period=True)
        actions.refresh_metric_summary(metric)
        metric.refresh_from_db()
        starts = queries.improvement_starts([metric.pk])
        self.assertTrue(all(period < month(len(FLAT)) for _, period in starts), starts)
        self.assertEqual(queries.improvements([metric])[metric.pk].better, False)


class FiguresAndListRowsTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.trust = make_organisation()
        cls.metric = with_values(make_metric(cls.trust, "Short", baseline_value=50, target_value=60), [48, 55, 56, 57])

    def test_figures_are_numbers_and_codes_read_from_the_cached_summary(self):
        figures = metric_figures(self.metric, TODAY, values=[48, 55, 56, 57])
        self.assertEqual((figures.latest_value, figures.point_count, figures.baseline), (57, 4, 50))
        self.assertEqual(figures.better, improvement.Assessment(True, "baseline"))
        self.assertTrue(figures.stale)  # April 2025 is long before December 2026
        self.assertTrue(figures.provisional)

    def test_without_the_values_figures_do_not_guess_whether_it_is_better(self):
        self.assertIsNone(metric_figures(self.metric, TODAY, latest_value=57).better)

    def test_list_rows_put_the_figures_into_words(self):
        [row] = list_rows(queries.metrics_for_list(self.trust), TODAY)
        self.assertEqual((row.latest, row.stale, row.provisional), ("57%", True, True))
        self.assertEqual(value_text(1200, "£"), "£1,200")


def test_a_value_and_its_chart_label_write_a_unit_the_same_way_even_when_negative():
    assert value_text(-5, "£") == charts.with_unit("-5", "£") == "-£5"
    assert value_text(72.5, "%") == charts.with_unit("72.5", "%") == "72.5%"
    assert value_text(14, "minutes") == "14 minutes"
    assert value_text(3, "") == "3"


def test_the_answer_is_put_into_words_with_how_it_is_known():
    assert better_words(improvement.Assessment(True, "spc")) == "Better (from its chart)"
    assert better_words(improvement.Assessment(False, "baseline")).startswith("Not better yet (3 in a row")
    assert better_words(improvement.Assessment(None, "no_direction")) == "Cannot tell (neither direction is better)"


class StalenessTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.trust = make_organisation()
        cls.today = dt.date(2026, 12, 4)
        cls.metrics = [make_metric(cls.trust, "No data yet", latest_period=None)]
        for frequency, days in FREQUENCY_DAYS.items():
            for age in (days, 2 * days, 2 * days + 1):
                cls.metrics.append(
                    make_metric(
                        cls.trust,
                        f"{frequency} {age} days old",
                        frequency=frequency,
                        latest_period=cls.today - dt.timedelta(days=age),
                    )
                )

    def test_the_database_and_one_metric_agree_on_which_are_stale_to_the_day(self):
        by_metric = {m.name for m in self.metrics if m.is_stale(self.today)}
        self.assertEqual(set(Metric.objects.stale(self.today).values_list("name", flat=True)), by_metric)
        self.assertEqual(
            by_metric, {"No data yet", "weekly 15 days old", "monthly 63 days old", "quarterly 185 days old"}
        )
