"""Two requests at once never fail on a uniqueness rule (issue 10, item 2; ADR 17).

Each test starts two real threads, each with its own database connection, holds them at a barrier
and lets them create the same kind of record for the same parent at once: the first checkpoint of
a week, a new initiative (which takes the next reference) and the first value of a metric's period.
Before the parent row was locked, the second insert broke the one-per-week, one-reference or
one-per-period rule and the request ended in a 500.

Only PostgreSQL runs writers side by side: SQLite's IMMEDIATE transactions let one writer in at a
time, so there these tests skip, saying why. They run in the PostgreSQL suite
(DATABASE_URL=postgres://…, as `make test` does).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from django import forms
from django.db import IntegrityError, connection, connections
from django.test import RequestFactory, SimpleTestCase, TransactionTestCase

from headway.metrics import actions as metric_actions
from headway.metrics.models import Observation
from headway.portfolio import actions
from headway.portfolio.models import Checkpoint, Initiative
from headway.views import SAVED_AT_THE_SAME_MOMENT, saved
from tests.factories import make_initiative, make_metric
from tests.personas import personas

MONDAY = dt.date(2026, 11, 23)
TRIALS = 6  # each trial is a fresh parent; before the fix nearly every trial failed


def at_once(*calls: Callable[[], Any]) -> tuple[list[Any], list[BaseException]]:
    """Run the calls on their own threads, released together; return what they gave and raised."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            outcome = call()
            with lock:
                results.append(outcome)
        except BaseException as error:
            with lock:
                errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a thread was still waiting after 30 s"
    return results, errors


@pytest.mark.slow
class TwoAtOnceTest(TransactionTestCase):
    def setUp(self) -> None:
        if connection.vendor != "postgresql":
            message = (
                "races need writers side by side, which only PostgreSQL runs (SQLite lets one writer in "
                "at a time); these run in the PostgreSQL suite"
            )
            print(f"SKIPPED: {message}")
            self.skipTest(message)
        self.cast = personas("Race Trust")

    def checkpoint_fields(self, confidence: str) -> dict[str, Any]:
        return {
            "demonstrated": "Ward view to sisters on 7B",
            "demonstrated_to": "Ward 7B nursing team",
            "reached_real_users": True,
            "real_users_detail": "Live on 7B",
            "confidence": confidence,
            "confidence_reason": f"Said by the {confidence} writer",
        }

    def test_two_first_checkpoints_for_one_week_make_one_checkpoint_and_an_edit(self) -> None:
        lead = self.cast.lead
        for trial in range(TRIALS):
            initiative = make_initiative(self.cast.trust, by=lead, status="active", delivery_lead=lead)

            def record(confidence: str, initiative: Initiative = initiative) -> tuple[Checkpoint, bool]:
                return actions.record_checkpoint(
                    initiative=initiative, by=lead, week=MONDAY, fields=self.checkpoint_fields(confidence)
                )

            results, errors = at_once(lambda: record("green"), lambda: record("amber"))
            self.assertEqual(errors, [], f"trial {trial}")
            self.assertEqual(sorted(created for _, created in results), [False, True], f"trial {trial}")
            checkpoint = Checkpoint.objects.get(initiative=initiative, week_start=MONDAY)
            # Both versions are in the history: the second was an edit of the first.
            self.assertEqual(checkpoint.history.count(), 2)
            initiative.refresh_from_db()
            self.assertEqual(initiative.current_confidence, checkpoint.confidence)

    def test_two_new_initiatives_at_once_take_different_references(self) -> None:
        office = self.cast.office
        for trial in range(TRIALS):

            def propose(title: str) -> Initiative:
                return actions.create_initiative(
                    organisation=self.cast.trust,
                    by=office,
                    fields={"title": title, "problem": "Staff re-key the same information."},
                )

            results, errors = at_once(partial(propose, f"First {trial}"), partial(propose, f"Second {trial}"))
            self.assertEqual(errors, [], f"trial {trial}")
            self.assertEqual(len({initiative.reference for initiative in results}), 2, f"trial {trial}")
        self.assertEqual(Initiative.objects.filter(organisation=self.cast.trust).count(), 2 * TRIALS)

    def test_two_values_for_one_period_make_one_value_and_a_replacement(self) -> None:
        office = self.cast.office
        for trial in range(TRIALS):
            metric = make_metric(self.cast.trust)

            def record(value: float, metric: Any = metric) -> tuple[Observation, bool]:
                return metric_actions.record_observation(
                    metric=metric, by=office, period=dt.date(2026, 10, 1), value=value
                )

            results, errors = at_once(lambda: record(71.0), lambda: record(72.0))
            self.assertEqual(errors, [], f"trial {trial}")
            self.assertEqual(sorted(created for _, created in results), [False, True], f"trial {trial}")
            observation = Observation.objects.get(metric=metric)
            self.assertEqual(observation.history.count(), 2)


class NameForm(forms.Form):
    name = forms.CharField()


class SavedAtTheSameMomentTest(SimpleTestCase):
    """The safety net for a create that no action guards yet: a uniqueness rule met by a second
    request at the same moment gives the form back with a message, not a 500."""

    def test_a_uniqueness_clash_keeps_the_form_and_says_what_happened(self) -> None:
        request = RequestFactory().post("/", {"name": "Virtual ward"})
        form = NameForm(request.POST)

        def clash() -> None:
            raise IntegrityError("duplicate key value violates unique constraint")

        with self.assertLogs("headway.views", level="WARNING"):
            response = saved(request, form, clash, "Saved.", "/")
        self.assertIsNone(response)
        self.assertEqual(form.non_field_errors(), [SAVED_AT_THE_SAME_MOMENT])
        self.assertEqual(form["name"].value(), "Virtual ward")
