"""The demo's impact metrics: loaded once for the class, then checked for the stories the SPC
engine must find in them.

The rules the demo keeps, so that the exceptions are deliberate:

- every initiative has at least one metric and every metric has 12 to 60 points, except
  - `metrics_data.UNMEASURED`: proposals with no metrics at all (verdict "not measured");
  - `NOT_ENOUGH_DATA`: a discovery and a proposal whose only metric has fewer points than a
    verdict needs (verdict "not enough data");
- weekly data ends with the last complete week and monthly data with the last complete month,
  except for the one metric whose data is stale.

The verdicts below are what `headway.metrics.verdicts` concludes from the generated data; the
data itself never says what the verdict should be.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from collections import Counter

import pytest
from django.test import SimpleTestCase, TestCase

from headway.accounts.models import Membership, Organisation
from headway.demo import finance_data, metrics_data
from headway.demo.loader import DemoSummary, load_demo
from headway.lib.periods import MONTHLY, WEEKLY, period_start
from headway.metrics.models import IMPACT_KINDS, Annotation, Kind, Metric, Observation, Verdict
from headway.metrics.series import build_series
from headway.metrics.verdicts import MIN_POINTS
from headway.portfolio.models import Initiative

# Each class loads the whole demo organisation (seconds).
pytestmark = pytest.mark.slow

# A Monday, as in test_demo: "this week" has only just begun.
TODAY = dt.date(2026, 3, 16)
LAST_WEEK = dt.date(2026, 3, 9)
LAST_MONTH = dt.date(2026, 2, 1)
NOT_ENOUGH_DATA = {"DIG-022", "DIG-023"}
UNMEASURED = {reference for _organisation, reference in metrics_data.UNMEASURED}


def demo_metrics() -> list[tuple[str, str, str, float]]:
    return list(
        Observation.objects.order_by("metric__organisation__ods_code", "metric__name", "period").values_list(
            "metric__organisation__ods_code", "metric__name", "period", "value"
        )
    )


class DemoMetricsTests(TestCase):
    summary: DemoSummary

    @classmethod
    def setUpTestData(cls) -> None:
        cls.summary = load_demo(today=TODAY, stdout=io.StringIO())

    def verdicts(self) -> dict[str, Verdict]:
        return {v.initiative.reference: v for v in Verdict.objects.select_related("initiative")}

    def test_the_targets_give_the_board_a_mix_of_assurance(self) -> None:
        icons = Counter(Metric.objects.exclude(assurance_icon="").values_list("assurance_icon", flat=True))
        self.assertGreaterEqual(icons["pass"], 3, icons)
        self.assertGreaterEqual(icons["inconsistent"], 3, icons)
        self.assertLessEqual(icons["fail"], 2 * sum(icons.values()) / 3, icons)

    def test_the_limits_start_again_where_the_story_has_settled_at_a_new_level(self) -> None:
        specs = (*metrics_data.METRICS, *finance_data.METRICS)
        expected = sum(
            len(metrics_data.settled_changes(spec)) + sum(note.starts_new_period for note in spec.annotations)
            for spec in specs
        )
        self.assertGreaterEqual(expected, 10)
        self.assertEqual(Annotation.objects.filter(starts_new_period=True).count(), expected)

    def test_every_initiative_has_metrics_of_twelve_to_sixty_points_unless_it_is_an_exception(self) -> None:
        for initiative in Initiative.objects.prefetch_related("metrics"):
            metrics = list(initiative.metrics.all())
            if initiative.reference in UNMEASURED:
                self.assertEqual(metrics, [], initiative.reference)
                continue
            self.assertTrue(metrics, initiative.reference)
            for metric in metrics:
                points = metric.observations.count()
                self.assertEqual(points, metric.point_count, metric.name)
                if initiative.reference in NOT_ENOUGH_DATA:
                    self.assertLess(points, MIN_POINTS, metric.name)
                else:
                    self.assertTrue(12 <= points <= 60, f"{metric.name}: {points} points")

    def test_the_exceptions_are_proposals_and_discoveries(self) -> None:
        for reference in UNMEASURED | NOT_ENOUGH_DATA:
            initiative = Initiative.objects.get(reference=reference)
            self.assertTrue(initiative.status == "proposed" or initiative.phase == "discovery", reference)

    def test_metrics_are_described_fully_with_an_owner_from_their_own_organisation(self) -> None:
        for metric in Metric.objects.select_related("owner", "organisation"):
            for field in ("definition", "unit", "data_source", "baseline_period"):
                self.assertTrue(getattr(metric, field).strip(), f"{metric.name}: {field}")
            self.assertIsNotNone(metric.baseline_value, metric.name)
            self.assertIn(metric.frequency, (WEEKLY, MONTHLY), metric.name)
            assert metric.owner is not None
            self.assertTrue(
                Membership.objects.filter(user=metric.owner, organisation=metric.organisation).exists(), metric.name
            )
            self.assertTrue(all(i.organisation_id == metric.organisation_id for i in metric.initiatives.all()))
        kinds = set(Metric.objects.values_list("kind", flat=True))
        self.assertTrue({str(kind) for kind in IMPACT_KINDS} <= kinds)
        self.assertEqual(set(Metric.objects.values_list("improvement_direction", flat=True)), {"increase", "decrease"})

    def test_observations_fall_on_period_starts_and_end_with_the_last_complete_period_unless_stale(self) -> None:
        for metric in Metric.objects.prefetch_related("observations"):
            periods = [o.period for o in metric.observations.all()]
            self.assertTrue(all(period_start(p, metric.frequency) == p for p in periods), metric.name)
            if metric.is_stale(TODAY):
                self.assertLess(max(periods), LAST_WEEK, metric.name)
            else:
                self.assertEqual(max(periods), LAST_WEEK if metric.frequency == WEEKLY else LAST_MONTH, metric.name)
            self.assertTrue(all(o.recorded_at.date() <= TODAY for o in metric.observations.all()), metric.name)

    def test_the_stored_summaries_match_the_data(self) -> None:
        for metric in Metric.objects.all():
            series = build_series(metric)
            self.assertEqual(metric.variation_icon, series.result.variation_icon or "", metric.name)
            self.assertEqual(metric.assurance_icon, series.result.assurance_icon or "", metric.name)
            self.assertEqual(metric.latest_period, series.periods[-1], metric.name)

    def test_every_demo_initiative_has_a_verdict(self) -> None:
        self.assertEqual(set(self.verdicts()), set(Initiative.objects.values_list("reference", flat=True)))

    def test_some_initiatives_are_improving_and_some_show_no_change_yet(self) -> None:
        states = Counter(v.state for v in self.verdicts().values())
        self.assertGreaterEqual(states[Verdict.State.IMPROVING], 5, states)
        self.assertGreaterEqual(states[Verdict.State.NO_CHANGE], 5, states)
        for verdict in self.verdicts().values():
            if verdict.state == Verdict.State.IMPROVING:
                self.assertTrue(all(d["variation_icon"].startswith("improvement") for d in verdict.drivers))

    def test_exactly_one_initiative_is_deteriorating_and_it_is_the_portal_that_slid_to_red(self) -> None:
        deteriorating = [v for v in self.verdicts().values() if v.state == Verdict.State.DETERIORATING]
        self.assertEqual([v.initiative.reference for v in deteriorating], ["DIG-009"])
        self.assertEqual(deteriorating[0].initiative.current_confidence, "red")
        self.assertTrue(all(d["variation_icon"].startswith("concern") for d in deteriorating[0].drivers))
        # More patients than ever use the portal, but the calls it was meant to save are back.
        self.assertIn("mixed", deteriorating[0].flags)

    def test_one_initiative_is_measured_only_by_activity(self) -> None:
        flagged = [v for v in self.verdicts().values() if "activity_only" in v.flags]
        self.assertEqual(len(flagged), 1)
        self.assertEqual(flagged[0].state, Verdict.State.NOT_MEASURED)
        kinds = set(flagged[0].initiative.metrics.values_list("kind", flat=True))
        self.assertEqual(kinds, {Kind.ACTIVITY})

    def test_unmeasured_and_thinly_measured_initiatives_say_so(self) -> None:
        verdicts = self.verdicts()
        for reference in UNMEASURED:
            self.assertEqual(verdicts[reference].state, Verdict.State.NOT_MEASURED, reference)
        for reference in NOT_ENOUGH_DATA:
            self.assertEqual(verdicts[reference].state, Verdict.State.NOT_ENOUGH_DATA, reference)

    def test_each_process_change_with_its_reason_starts_a_new_spc_period(self) -> None:
        annotations = Annotation.objects.filter(starts_new_period=True).select_related("metric")
        self.assertGreater(annotations.count(), 1)
        for annotation in annotations:
            self.assertGreater(len(annotation.text), 40)
            series = build_series(annotation.metric)
            starts = {series.periods[period.first_index] for period in series.result.periods}
            self.assertIn(annotation.period, starts, annotation.metric.name)

    def test_exactly_one_metric_is_stale(self) -> None:
        stale = [m for m in Metric.objects.all() if m.is_stale(TODAY)]
        self.assertEqual(len(stale), 1, [m.name for m in stale])
        self.assertTrue(stale[0].initiatives.filter(status="active").exists())

    def test_one_metric_is_shared_by_two_initiatives(self) -> None:
        shared = [m for m in Metric.objects.prefetch_related("initiatives") if m.initiatives.count() == 2]
        self.assertEqual(len(shared), 1)

    def test_some_targets_lie_inside_the_limits_and_some_outside(self) -> None:
        icons = set(Metric.objects.values_list("assurance_icon", flat=True))
        self.assertIn("inconsistent", icons)
        self.assertTrue({"pass", "fail"} <= icons, icons)

    def test_the_summary_counts_metrics_and_observations(self) -> None:
        demo = Organisation.objects.all()
        self.assertEqual(self.summary.metrics, Metric.objects.filter(organisation__in=demo).count())
        self.assertEqual(self.summary.observations, Observation.objects.count())
        self.assertEqual(self.summary.metrics, len(metrics_data.METRICS) + len(finance_data.METRICS))

    def test_loading_again_leaves_the_metrics_alone(self) -> None:
        before = demo_metrics()
        load_demo(today=TODAY + dt.timedelta(days=10), stdout=io.StringIO())
        self.assertEqual(demo_metrics(), before)


class DemoMetricShapeTests(SimpleTestCase):
    """The pure parts of `metrics_data`, without a database."""

    def test_a_ramp_moves_the_level_evenly_and_then_holds_it(self) -> None:
        shape = metrics_data.SeriesSpec(first=10, level=0, noise=0, changes=(metrics_data.Change(at=6, to=4, over=3),))
        self.assertEqual([shape.level_at(ago) for ago in range(10, 0, -1)], [0, 0, 0, 0, 1, 2, 3, 4, 4, 4])

    def test_limits_start_again_only_after_a_clear_settled_change_with_room_on_both_sides(self) -> None:
        def spec(*changes: metrics_data.Change, first: int = 40) -> metrics_data.MetricSpec:
            return dataclasses.replace(
                metrics_data.METRICS[0],
                annotations=(),
                series=metrics_data.SeriesSpec(first=first, level=10, noise=1, changes=changes),
            )

        # A step of four times the noise, settled 20 periods ago: the limits start again there.
        self.assertEqual(metrics_data.settled_changes(spec(metrics_data.Change(at=24, to=14, over=4))), (20,))
        # Too small a move, too few points after it, or too few before it: left alone.
        self.assertEqual(metrics_data.settled_changes(spec(metrics_data.Change(at=20, to=13))), ())
        self.assertEqual(metrics_data.settled_changes(spec(metrics_data.Change(at=8, to=20))), ())
        self.assertEqual(metrics_data.settled_changes(spec(metrics_data.Change(at=32, to=20))), ())
        # A ramp that starts with the series has no old level to leave.
        self.assertEqual(metrics_data.settled_changes(spec(metrics_data.Change(at=40, to=20, over=12))), ())

    def test_the_same_metric_always_gets_the_same_values(self) -> None:
        spec = metrics_data.METRICS[0]
        self.assertEqual(metrics_data.draw(spec), metrics_data.draw(spec))
        self.assertEqual(len(metrics_data.draw(spec)), spec.series.points)
