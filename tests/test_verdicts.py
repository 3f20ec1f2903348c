""" "Is it working?": every rule of the verdict, its storage in a fixed number of queries, and how pages show it."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test import SimpleTestCase, TestCase
from django.test.utils import CaptureQueriesContext

from headway.metrics import spc
from headway.metrics.models import Metric, Verdict
from headway.metrics.presenters import verdict_for_display
from headway.metrics.verdicts import MIN_POINTS, MetricSummary, decide, refresh_verdicts
from headway.portfolio.models import Initiative
from tests.factories import make_initiative, make_organisation

ENOUGH = MIN_POINTS
_ids = iter(range(1, 10_000))


def summary(kind: str = "outcome", points: int = ENOUGH, icon: str | None = "common_cause") -> MetricSummary:
    n = next(_ids)
    return MetricSummary(n, f"Metric {n}", kind, points, icon, "increase")


def ids(drivers: list[dict]) -> list[int]:
    return sorted(d["metric"] for d in drivers)


class DecideTest(SimpleTestCase):
    def test_the_threshold_is_the_spc_engines_trial_limit_threshold(self):
        self.assertEqual(MIN_POINTS, spc.TRIAL_BELOW)

    def test_no_metrics_is_not_measured_and_flagged(self):
        decision = decide([])
        self.assertEqual(decision.state, Verdict.State.NOT_MEASURED)
        self.assertEqual(decision.flags, ["no_outcome_or_adoption"])
        self.assertEqual(decision.drivers, [])

    def test_only_activity_is_not_measured_and_flagged_as_activity_only(self):
        decision = decide([summary("activity", icon="improvement_high"), summary("activity")])
        self.assertEqual(decision.state, Verdict.State.NOT_MEASURED)
        self.assertEqual(decision.flags, ["no_outcome_or_adoption", "activity_only"])

    def test_financial_and_activity_without_impact_is_not_measured_but_not_activity_only(self):
        decision = decide([summary("activity"), summary("financial", icon="concern_low")])
        self.assertEqual(decision.state, Verdict.State.NOT_MEASURED)
        self.assertEqual(decision.flags, ["no_outcome_or_adoption"])

    def test_impact_metrics_all_short_of_points_is_not_enough_data(self):
        short = [summary("outcome", ENOUGH - 1, "concern_low"), summary("adoption", 3, None)]
        decision = decide([*short, summary("activity")])
        self.assertEqual(decision.state, Verdict.State.NOT_ENOUGH_DATA)
        self.assertEqual(ids(decision.drivers), sorted(m.id for m in short))
        self.assertEqual(decision.drivers[0]["point_count"] in (ENOUGH - 1, 3), True)

    def test_a_concern_among_metrics_with_enough_data_is_deteriorating(self):
        worse = summary("experience", icon="concern_high")
        decision = decide([worse, summary("outcome"), summary("activity", icon="improvement_high")])
        self.assertEqual(decision.state, Verdict.State.DETERIORATING)
        self.assertEqual(ids(decision.drivers), [worse.id])
        self.assertEqual(decision.flags, [])

    def test_a_concern_outweighs_an_improvement_and_says_so(self):
        worse, better = summary("outcome", icon="concern_low"), summary("adoption", icon="improvement_high")
        decision = decide([worse, better])
        self.assertEqual(decision.state, Verdict.State.DETERIORATING)
        self.assertEqual(ids(decision.drivers), [worse.id])
        self.assertEqual(decision.flags, ["mixed"])

    def test_an_improvement_with_no_concern_is_improving(self):
        better = [summary("outcome", icon="improvement_high"), summary("adoption", icon="improvement_low")]
        decision = decide([*better, summary("experience")])
        self.assertEqual(decision.state, Verdict.State.IMPROVING)
        self.assertEqual(ids(decision.drivers), sorted(m.id for m in better))

    def test_a_concern_with_too_few_points_does_not_count(self):
        decision = decide([summary("outcome", ENOUGH - 1, "concern_low"), summary("adoption", icon="improvement_high")])
        self.assertEqual(decision.state, Verdict.State.IMPROVING)
        self.assertEqual(decision.flags, ["some_without_enough_data"])

    def test_common_cause_or_neutral_variation_is_no_change_driven_by_the_metrics_with_enough_data(self):
        steady, unusual = summary("outcome"), summary("adoption", icon="neutral_high")
        decision = decide([steady, unusual, summary("experience", 2, None)])
        self.assertEqual(decision.state, Verdict.State.NO_CHANGE)
        self.assertEqual(ids(decision.drivers), sorted([steady.id, unusual.id]))
        self.assertEqual(decision.flags, ["some_without_enough_data"])

    def test_exactly_the_threshold_is_enough(self):
        self.assertEqual(decide([summary("outcome", ENOUGH, "improvement_high")]).state, Verdict.State.IMPROVING)
        self.assertEqual(
            decide([summary("outcome", ENOUGH - 1, "improvement_high")]).state, Verdict.State.NOT_ENOUGH_DATA
        )


TODAY = dt.date(2026, 11, 26)


class RefreshTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.trust = make_organisation("Verdict Trust")

    def metric(self, name: str, kind: str, points: int, icon: str, *initiatives: Initiative, **fields) -> Metric:
        metric = Metric.objects.create(
            organisation=self.trust,
            name=name,
            definition="d",
            kind=kind,
            beneficiary="patients",
            unit="%",
            improvement_direction="increase",
            frequency="monthly",
            data_source="s",
            point_count=points,
            variation_icon=icon,
            **fields,
        )
        metric.initiatives.set(initiatives)
        return metric

    def test_it_creates_and_then_updates_verdicts_in_the_same_number_of_queries_however_many(self):
        few = [make_initiative(self.trust) for _ in range(2)]
        many = [make_initiative(self.trust) for _ in range(12)]
        self.metric("Improving", "outcome", ENOUGH, "improvement_high", few[0], *many[:6])
        self.metric("Counting", "activity", ENOUGH, "common_cause", few[1], *many)
        with CaptureQueriesContext(connection) as small:
            refresh_verdicts([i.pk for i in few])
        with CaptureQueriesContext(connection) as large:
            refresh_verdicts([i.pk for i in many])
        self.assertEqual(len(small), len(large))
        self.assertLessEqual(len(large), 3)
        states = dict(Verdict.objects.values_list("initiative__reference", "state"))
        self.assertEqual(states[few[0].reference], "improving")
        self.assertEqual(states[few[1].reference], "not_measured")
        self.assertEqual(Verdict.objects.get(initiative=few[1]).flags, ["no_outcome_or_adoption", "activity_only"])

        # An update, not a second row, and still a fixed number of queries.
        Metric.objects.filter(name="Improving").update(variation_icon="concern_low")
        with CaptureQueriesContext(connection) as update:
            refresh_verdicts([i.pk for i in many])
        self.assertEqual(len(update), len(large))
        self.assertEqual(Verdict.objects.count(), 14)
        self.assertEqual(Verdict.objects.get(initiative=many[0]).state, "deteriorating")
        self.assertEqual(Verdict.objects.get(initiative=many[0]).drivers[0]["name"], "Improving")
        self.assertEqual(Verdict.objects.get(initiative=many[-1]).state, "not_measured")

    def test_an_initiative_with_no_metrics_gets_a_not_measured_verdict_and_unknown_ids_are_ignored(self):
        initiative = make_initiative(self.trust)
        refresh_verdicts([initiative.pk, 999_999])
        verdict = Verdict.objects.get(initiative=initiative)
        self.assertEqual((verdict.state, verdict.flags), ("not_measured", ["no_outcome_or_adoption"]))
        self.assertEqual(Verdict.objects.count(), 1)

    def test_nothing_to_refresh_issues_no_queries(self):
        with self.assertNumQueries(0):
            refresh_verdicts([])

    def test_the_display_adds_stale_data_and_decides_when_nothing_is_stored(self):
        initiative = make_initiative(self.trust)
        fresh = self.metric(
            "Fresh", "outcome", ENOUGH, "improvement_high", initiative, latest_period=dt.date(2026, 10, 1)
        )
        old = self.metric("Old", "adoption", ENOUGH, "common_cause", initiative, latest_period=dt.date(2026, 6, 1))
        empty = self.metric("Empty", "experience", 0, "", initiative)
        shown = verdict_for_display(None, [fresh, old, empty], TODAY)
        self.assertEqual(shown.state, "improving")
        self.assertEqual([d.name for d in shown.drivers], ["Fresh"])
        self.assertIn("Special cause improvement", shown.drivers[0].variation)
        self.assertIn("Old has no data since Jun 2026", shown.warnings)
        self.assertIn("Empty has no data yet", shown.warnings)
        self.assertIn("stale", shown.flags)
        self.assertFalse(any(w.startswith("Fresh") for w in shown.warnings))

        refresh_verdicts([initiative.pk])
        stored = verdict_for_display(Verdict.objects.get(initiative=initiative), [fresh], TODAY)
        self.assertEqual(stored.label, "Improving")
        self.assertEqual(
            stored.warnings, [f"Some measures have fewer than {MIN_POINTS} points and are not yet counted"]
        )
