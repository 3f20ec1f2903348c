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
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections
from django.test import RequestFactory

from headway.accounts import actions as account_actions
from headway.accounts.models import Membership
from headway.accounts.roles import Role
from headway.finance import actions as finance_actions
from headway.finance.models import BusinessCase
from headway.finance.reference import ensure_optimism_bias_reference
from headway.metrics import actions as metric_actions
from headway.metrics.models import Metric, Observation
from headway.portfolio import actions
from headway.portfolio.models import Checkpoint, Initiative
from headway.prioritisation import actions as round_actions
from headway.prioritisation.models import Budget, Rating
from headway.views import SAVED_AT_THE_SAME_MOMENT, saved
from tests.concurrency import AtOnceTestCase, CommittingTestCase
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
class TwoAtOnceTest(AtOnceTestCase):
    def setUp(self) -> None:
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


@pytest.mark.slow
class TheOtherCreatesTest(AtOnceTestCase):
    """Every other create with a uniqueness rule: the second of two at once gets the action's own
    clear message (a ValidationError the form shows), or becomes an edit, never an IntegrityError."""

    def setUp(self) -> None:
        ensure_optimism_bias_reference()  # a flush before this class may have emptied it
        self.cast = personas("Race Trust")

    def assert_one_saved_and_one_told(self, results: list[Any], errors: list[BaseException], field: str) -> None:
        self.assertEqual(len(results), 1, errors)
        self.assertEqual(len(errors), 1)
        self.assertIsInstance(errors[0], ValidationError)
        self.assertIn(field, errors[0].message_dict)  # type: ignore[union-attr]

    def test_two_metrics_given_one_name_at_once_save_one_and_say_the_name_is_taken(self) -> None:
        for trial in range(TRIALS):

            def save(trial: int = trial) -> Metric:
                fields = {
                    "name": f"Discharges before noon {trial}",
                    "definition": "Share of discharges before 12:00.",
                    "kind": "outcome",
                    "beneficiary": "patients",
                    "unit": "%",
                    "improvement_direction": "increase",
                    "frequency": "monthly",
                    "data_source": "PAS",
                }
                return metric_actions.save_metric(
                    organisation=self.cast.trust, by=self.cast.office, fields=fields, initiatives=[]
                )

            self.assert_one_saved_and_one_told(*at_once(save, save), "name")

    def test_two_business_cases_for_one_stage_at_once_save_one_and_say_the_stage_has_one(self) -> None:
        for _trial in range(TRIALS):
            initiative = make_initiative(self.cast.trust, by=self.cast.office)

            def add(initiative: Initiative = initiative) -> BusinessCase:
                return finance_actions.save_business_case(
                    initiative=initiative, by=self.cast.office, fields={"stage": "obc", "first_year": "2026/27"}
                )

            self.assert_one_saved_and_one_told(*at_once(add, add), "stage")

    def test_one_person_added_twice_at_once_gets_one_membership(self) -> None:
        for trial in range(TRIALS):

            def add(trial: int = trial) -> tuple[Membership, bool]:
                return account_actions.add_member(
                    organisation=self.cast.trust,
                    by=self.cast.office,
                    email=f"new.person.{trial}@example.test",
                    full_name="New Person",
                    role=Role.VIEWER,
                )

            self.assert_one_saved_and_one_told(*at_once(add, add), "email")

    def test_a_scorer_form_or_a_capacity_sent_twice_at_once_is_saved_once(self) -> None:
        for _trial in range(TRIALS):
            make_initiative(self.cast.trust, by=self.cast.office, status="active")
            round = round_actions.create_round(
                organisation=self.cast.trust, by=self.cast.office, name="Race round", held_on=dt.date(2026, 12, 1)
            )
            candidate = round.candidates.first()
            assert candidate is not None

            def rate(round: Any = round, candidate: Any = candidate) -> int:
                return round_actions.save_ratings(
                    round=round, by=self.cast.office, ratings={candidate.pk: {"urgency": 4, "evidence": 3}}
                )

            def capacity(round: Any = round) -> Any:
                return round_actions.set_capacity(
                    round=round,
                    by=self.cast.office,
                    budgets={"2026/27": {"capital": 500_000, "revenue": 0}},
                    teams={"Integration": {"2026/27 Q1": 40}},
                    wip_limit=2,
                )

            _results, errors = at_once(rate, rate, capacity, capacity)
            self.assertEqual(errors, [])
            self.assertEqual(Rating.objects.filter(round=round).count(), 2)
            self.assertEqual(Budget.objects.filter(round=round).count(), 1)


class NameForm(forms.Form):
    name = forms.CharField()


class SavedAtTheSameMomentTest(CommittingTestCase):
    """The safety net for a create that no action guards yet: a uniqueness rule met by a second
    request at the same moment gives the form back with a message, not a 500. No transaction
    around the test: `saved` answers a clash only outside one, as in a request."""

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
