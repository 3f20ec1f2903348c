"""The benchmark's data generator makes a consistent organisation (checked at a tiny scale)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.db import transaction

from bench.generate import GenerationSummary, generate
from headway.accounts.models import Membership
from headway.accounts.roles import Role
from headway.portfolio.models import Checkpoint, Comment, Decision, Initiative, Risk, Status, UserNeed

TODAY = dt.date(2026, 4, 15)  # a Wednesday
THIS_MONDAY = dt.date(2026, 4, 13)
SCALES = [(5, 3), (60, 8)]


def make(scale: int, weeks: int, seed: int = 7) -> GenerationSummary:
    return generate(scale=scale, weeks=weeks, seed=seed, today=TODAY)


@pytest.mark.django_db
@pytest.mark.parametrize(("scale", "weeks"), SCALES)
def test_it_stores_exactly_what_its_summary_reports(scale: int, weeks: int) -> None:
    summary = make(scale, weeks)
    org = summary.organisation_id
    initiatives = Initiative.objects.filter(organisation_id=org)
    assert initiatives.count() == scale == summary.counts["initiatives"]
    assert Checkpoint.objects.filter(initiative__organisation_id=org).count() == summary.counts["checkpoints"]
    assert Decision.objects.filter(initiative__organisation_id=org).count() == summary.counts["decisions"]
    assert Risk.objects.filter(organisation_id=org).count() == summary.counts["risks"]
    assert UserNeed.objects.filter(initiative__organisation_id=org).count() == summary.counts["user_needs"]
    assert Comment.objects.filter(initiative__organisation_id=org).count() == summary.counts["comments"]
    assert Membership.objects.filter(organisation_id=org).count() == summary.counts["memberships"]
    assert summary.counts["checkpoints"] <= scale * weeks


@pytest.mark.django_db
@pytest.mark.parametrize(("scale", "weeks"), SCALES)
def test_checkpoints_are_one_per_initiative_per_monday_within_the_weeks(scale: int, weeks: int) -> None:
    summary = make(scale, weeks)
    first = THIS_MONDAY - dt.timedelta(weeks=weeks - 1)
    assert (summary.first_week, summary.last_week) == (first.isoformat(), THIS_MONDAY.isoformat())
    rows = list(Checkpoint.objects.values_list("initiative_id", "week_start"))
    assert len(rows) == len(set(rows))
    assert all(day.weekday() == 0 and first <= day <= THIS_MONDAY for _, day in rows)


@pytest.mark.django_db
@pytest.mark.parametrize(("scale", "weeks"), SCALES)
def test_every_initiatives_decisions_replay_to_its_status(scale: int, weeks: int) -> None:
    make(scale, weeks)
    for initiative in Initiative.objects.prefetch_related("decisions", "checkpoints"):
        status: str = Status.PROPOSED
        decisions = sorted(initiative.decisions.all(), key=lambda d: (d.decided_on, d.pk))
        for decision in decisions:
            sources, target = Decision.TRANSITIONS[decision.kind]
            assert decision.status_before == status and status in sources, initiative.reference
            status = target or status
            assert decision.status_after == status
            assert decision.decided_on <= TODAY
        assert status == initiative.status, initiative.reference
        weeks_recorded = [c.week_start for c in initiative.checkpoints.all()]
        if initiative.status == Status.PROPOSED:
            assert not weeks_recorded and not decisions
        else:
            # Checkpoints start with the start decision and stop with the last decision that
            # paused, stopped or closed the initiative.
            assert min(weeks_recorded) <= decisions[0].decided_on
            if initiative.status != Status.ACTIVE:
                assert max(weeks_recorded) <= decisions[-1].decided_on


@pytest.mark.django_db
def test_there_are_members_in_every_role_and_the_bench_signs_in_as_the_portfolio_office() -> None:
    summary = make(5, 3)
    roles = Counter(Membership.objects.filter(organisation_id=summary.organisation_id).values_list("role", flat=True))
    assert set(roles) == set(Role.values)
    assert summary.members_by_role == dict(roles)
    login = Membership.objects.get(user_id=summary.login_user_id)
    assert login.role == Role.PORTFOLIO_OFFICE
    assert login.user.email == summary.login_email
    assert not login.user.has_usable_password()


@pytest.mark.django_db
def test_the_showcase_initiative_has_every_week_decisions_risks_and_needs() -> None:
    summary = make(5, 3)
    showcase = Initiative.objects.get(pk=summary.showcase_initiative_id)
    assert showcase.status == Status.ACTIVE
    assert showcase.checkpoints.count() == 3
    assert showcase.decisions.count() >= 4
    assert showcase.risks.count() >= 3
    assert showcase.user_needs.count() >= 3
    assert showcase.goals.exists() and showcase.services.exists()


@pytest.mark.django_db
def test_the_same_seed_makes_the_same_data() -> None:
    def snapshot() -> list[tuple[object, ...]]:
        initiatives: list[tuple[object, ...]] = list(
            Initiative.objects.order_by("reference").values_list("reference", "title", "status")
        )
        checkpoints = list(
            Checkpoint.objects.order_by("initiative__reference", "week_start").values_list(
                "initiative__reference", "week_start", "confidence", "demonstrated"
            )
        )
        return initiatives + checkpoints

    class Rollback(Exception):
        pass

    taken = []
    for _ in range(2):
        with pytest.raises(Rollback), transaction.atomic():
            make(5, 3, seed=11)
            taken.append(snapshot())
            raise Rollback
    assert taken[0] == taken[1]
    make(5, 3, seed=12)
    assert snapshot() != taken[0]
