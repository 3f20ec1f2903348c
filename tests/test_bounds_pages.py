"""Every page renders whatever valid data holds (issue 10, item 7).

The organisation-boundary fixture (one object of every kind) is filled with the extreme values
the bounds in headway/lib/bounds.py allow: the largest amounts, the largest and smallest
measured values, the first and last dates of the window, the longest text. Then every page a
portfolio office member can open is rendered: none may fail, and none may grow past a few MB.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import TestCase
from django.urls import NoReverseMatch, get_resolver, reverse

from headway.accounts.models import Organisation
from headway.finance.models import Actual, BenefitLine, BusinessCase, CostLine, FundingLine
from headway.lib import bounds
from headway.metrics import actions as metric_actions
from headway.metrics.models import Annotation, Metric, Observation
from headway.portfolio.models import Checkpoint, Comment, Initiative, Risk, Service, StrategicGoal, UserNeed
from headway.prioritisation.models import Budget, Candidate, Round, TeamCapacity
from tests import test_boundary
from tests.test_boundary import SHARED_PK, walk

MAX_PAGE_BYTES = 3 * 1024 * 1024
LONG = ("Word " * (bounds.LONG_TEXT // 5))[: bounds.LONG_TEXT]


def long_line(limit: int) -> str:
    return ("Word " * limit)[:limit]


def pages() -> list[str]:
    urls: set[str] = set()
    for name, kwargs in walk(get_resolver().url_patterns):
        if not set(kwargs) <= {"pk"} or name in {"accounts:sign_out", "sign_out", "logout"}:
            continue
        try:
            urls.add(reverse(name, kwargs={k: SHARED_PK for k in kwargs}))
        except NoReverseMatch:
            continue
    return sorted(urls)


@pytest.mark.slow
class EveryPageRendersTheExtremesTest(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        test_boundary.OrganisationBoundaryTest.setUpTestData.__func__(cls)  # type: ignore[attr-defined]
        Organisation.objects.filter(pk=cls.first.pk).update(
            wip_limit=bounds.MAX_WHOLE_NUMBER, first_release_weeks=bounds.MAX_WEEKS
        )
        Initiative.objects.filter(pk=SHARED_PK).update(
            title=long_line(200),
            problem=LONG,
            patients_served=LONG,
            staff_served=LONG,
            riskiest_assumption=LONG,
            start_date=bounds.FIRST_DATE,
            planned_first_release=bounds.FIRST_DATE,
            planned_go_live=bounds.LAST_DATE,
        )
        StrategicGoal.objects.filter(pk=SHARED_PK).update(
            title=long_line(200), description=LONG, order=bounds.MAX_WHOLE_NUMBER
        )
        Service.objects.filter(pk=SHARED_PK).update(name=long_line(200), description=LONG)
        UserNeed.objects.filter(pk=SHARED_PK).update(statement=LONG, evidence_notes=LONG)
        Risk.objects.filter(pk=SHARED_PK).update(
            title=long_line(200), description=LONG, mitigation=LONG, next_review=bounds.LAST_DATE
        )
        Checkpoint.objects.filter(pk=SHARED_PK).update(
            demonstrated=LONG, confidence_reason=LONG, risks_and_blockers=LONG, asks_of_the_board=LONG
        )
        Comment.objects.filter(pk=SHARED_PK).update(body=LONG)
        Metric.objects.filter(pk=SHARED_PK).update(
            unit="patients",
            frequency="weekly",
            definition=LONG,
            baseline_value=-bounds.MAX_MEASURE,
            target_value=bounds.MAX_MEASURE,
            target_date=bounds.LAST_DATE,
        )
        metric = Metric.objects.get(pk=SHARED_PK)
        Observation.objects.filter(metric=metric).delete()
        Annotation.objects.filter(pk=SHARED_PK).update(
            period=bounds.FIRST_DATE + dt.timedelta(days=2), text=long_line(500)
        )
        # The first and the latest allowed periods, with the largest values either way between.
        today = dt.date(2026, 11, 30)
        for period, value in (
            (dt.date(2000, 1, 3), bounds.MAX_MEASURE),
            (dt.date(2000, 1, 10), -bounds.MAX_MEASURE),
            (dt.date(2013, 6, 3), bounds.MAX_MEASURE),
            (today, -bounds.MAX_MEASURE),
        ):
            metric_actions.record_observation(
                metric=metric, by=cls.first_pmo, period=period, value=value, note=long_line(500)
            )
        FundingLine.objects.filter(pk=SHARED_PK).update(amount=bounds.MAX_POUNDS, note=long_line(300))
        CostLine.objects.filter(pk=SHARED_PK).update(amount=bounds.MAX_POUNDS, note=long_line(300))
        BenefitLine.objects.filter(pk=SHARED_PK).update(amount=bounds.MAX_POUNDS, description=long_line(300))
        Actual.objects.filter(pk=SHARED_PK).update(amount=bounds.MAX_POUNDS, note=long_line(300))
        for year in ("2000/01", "2099/00"):
            FundingLine.objects.create(
                initiative_id=SHARED_PK, financial_year=year, kind="revenue", source="trust", amount=bounds.MAX_POUNDS
            )
        BusinessCase.objects.filter(pk=SHARED_PK).update(
            summary=LONG, planned_months=240, planned_first_benefit_months=240
        )
        money = {
            "2000/01": {"capital": bounds.MAX_POUNDS, "revenue": bounds.MAX_POUNDS},
            "2099/00": {"capital": bounds.MAX_POUNDS, "revenue": 0},
        }
        Candidate.objects.filter(pk=SHARED_PK).update(
            must_do=True,
            must_do_reason=LONG,
            costs=money,
            costs_reason=LONG,
            committed=money,
            team_demand={long_line(300): {"2000/01 Q1": 100_000, "2099/00 Q4": 100_000}},
        )
        Round.objects.filter(organisation=cls.first).update(wip_limit=bounds.MAX_WHOLE_NUMBER)
        for round in Round.objects.filter(organisation=cls.first):
            for year in ("2000/01", "2099/00"):
                Budget.objects.create(
                    round=round, financial_year=year, capital=bounds.MAX_POUNDS, revenue=bounds.MAX_POUNDS
                )
            TeamCapacity.objects.create(round=round, team=long_line(100), quarter="2000/01 Q1", days=100_000)

    def test_every_page_renders_the_extreme_allowed_values_in_a_few_mb(self) -> None:
        self.client.force_login(self.first_pmo)
        self.client.raise_request_exception = False
        problems: list[str] = []
        opened = 0
        for url in pages():
            response = self.client.get(url)
            opened += 1
            if response.status_code >= 500:
                problems.append(f"{url}: {response.status_code}")
            size = len(response.content) if not response.streaming else 0
            if size > MAX_PAGE_BYTES:
                problems.append(f"{url}: {size / 1024 / 1024:.1f} MB")
        self.assertEqual(problems, [], "\n".join(problems))
        self.assertGreater(opened, 60)
