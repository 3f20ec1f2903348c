"""What the money pages read, in a fixed number of queries. Loading only: no rules, no words.

`load` reads every money record for a set of initiatives in about a dozen queries, however many
initiatives there are; `figures` works on what it read, in Python. `metric_evidence` reads each
linked metric's newest observation in one query.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, OuterRef, QuerySet, Subquery

from headway.accounts.models import Organisation, User
from headway.finance.models import (
    Actual,
    BenefitLine,
    BiasFactor,
    BusinessCase,
    CostLine,
    FundingLine,
    Mitigation,
)
from headway.lib.financial_years import financial_year_label
from headway.metrics import improvement
from headway.metrics import queries as metric_queries
from headway.metrics.models import Metric, Observation
from headway.portfolio.models import Initiative, Status


@dataclass
class MoneyData:
    """Every money record for a set of initiatives, grouped by initiative and by case."""

    initiatives: list[Initiative]
    cases: dict[int, list[BusinessCase]]  # by initiative, latest stage first
    costs: dict[int, list[CostLine]]  # by case
    benefits: dict[int, list[BenefitLine]]  # by case
    mitigations: dict[int, list[Mitigation]]  # by case
    factors: dict[int, list[BiasFactor]]  # by project type
    funding: dict[int, list[FundingLine]]  # by initiative
    actuals: dict[int, list[Actual]]  # by initiative
    first_release: dict[int, dt.date]  # by initiative
    improved: dict[int, list[tuple[dt.date, int]]]  # by initiative: (period, metric id) better than baseline


def _group(items: Iterable[Any], key: str) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = defaultdict(list)
    for item in items:
        grouped[getattr(item, key)].append(item)
    return grouped


def _share_related(initiatives: list[Initiative]) -> None:
    """Give the initiatives their organisation and people, each built once and shared: joining
    them in would build one copy per initiative, and at thousands of initiatives building those
    copies was the largest part of loading (Django's prefetching shares them too, at three times
    the cost of this)."""
    organisations = {o.pk: o for o in Organisation.objects.filter(pk__in={i.organisation_id for i in initiatives})}
    people_ids = {pk for i in initiatives for pk in (i.sro_id, i.delivery_lead_id) if pk is not None}
    people = {u.pk: u for u in User.objects.filter(pk__in=people_ids)} if people_ids else {}
    organisation_cache = Initiative.organisation.field
    sro_cache = Initiative.sro.field
    lead_cache = Initiative.delivery_lead.field
    for initiative in initiatives:
        organisation_cache.set_cached_value(initiative, organisations[initiative.organisation_id])
        sro_cache.set_cached_value(initiative, people.get(initiative.sro_id) if initiative.sro_id else None)
        lead_cache.set_cached_value(
            initiative, people.get(initiative.delivery_lead_id) if initiative.delivery_lead_id else None
        )


def load(initiatives: QuerySet[Initiative]) -> MoneyData:
    """Read the money for these initiatives (already scoped to one organisation) in a fixed
    number of queries."""
    chosen = list(initiatives.order_by("reference"))
    _share_related(chosen)
    # The initiatives as a subquery, not a list of their keys: at thousands of initiatives, a
    # list of keys in each of the queries below costs more to send than the rows it reads.
    ids = initiatives.order_by().values("pk")
    cases = list(BusinessCase.objects.filter(initiative_id__in=ids).select_related("project_type"))
    by_initiative = _group(cases, "initiative_id")
    for group in by_initiative.values():
        group.sort(key=lambda case: case.stage_rank, reverse=True)
    case_ids = BusinessCase.objects.filter(initiative_id__in=ids).values("pk")
    benefits = list(
        BenefitLine.objects.filter(business_case_id__in=case_ids)
        .select_related("owner", "metric")
        .order_by("financial_year", "kind", "pk")
    )
    metric_initiatives: dict[int, set[int]] = defaultdict(set)
    case_initiative = {c.pk: c.initiative_id for c in cases}
    for benefit in benefits:
        if benefit.metric_id is not None:
            metric_initiatives[benefit.metric_id].add(case_initiative[benefit.business_case_id])
    improved: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
    if metric_initiatives:
        # "Better" by the one rule (ADR 13), read from each metric's own chart.
        for metric_id, period in metric_queries.improvement_starts(list(metric_initiatives)):
            for initiative_id in metric_initiatives[metric_id]:
                improved[initiative_id].append((period, metric_id))
        for periods in improved.values():
            periods.sort()
    return MoneyData(
        initiatives=chosen,
        cases=by_initiative,
        costs=_group(
            CostLine.objects.filter(business_case_id__in=case_ids).order_by("financial_year", "pk"), "business_case_id"
        ),
        benefits=_group(benefits, "business_case_id"),
        mitigations=_group(Mitigation.objects.filter(business_case_id__in=case_ids), "business_case_id"),
        factors=_group(BiasFactor.objects.all(), "project_type_id"),
        funding=_group(
            FundingLine.objects.filter(initiative_id__in=ids).order_by("financial_year", "kind", "pk"), "initiative_id"
        ),
        actuals=_group(
            Actual.objects.filter(initiative_id__in=ids).select_related("benefit").order_by("financial_year", "pk"),
            "initiative_id",
        ),
        # Kept on the initiative by the checkpoint actions (ADR 6), not searched for here.
        first_release={i.pk: i.first_reached_users_week for i in chosen if i.first_reached_users_week is not None},
        improved=improved,
    )


@dataclass
class Evidence:
    """A benefit's linked metric: its latest value against its baseline and target, and whether it
    is better by the one rule (`metrics.improvement`, ADR 13), with which part of the rule said so."""

    metric: Metric
    benefits: list[BenefitLine]
    latest_value: float | None
    latest_period: dt.date | None
    better: improvement.Assessment


def metric_evidence(benefits: Sequence[BenefitLine], organisation: Organisation) -> list[Evidence]:
    """One query: each linked metric with its newest observation."""
    by_metric: dict[int, list[BenefitLine]] = defaultdict(list)
    for benefit in benefits:
        if benefit.metric_id is not None:
            by_metric[benefit.metric_id].append(benefit)
    if not by_metric:
        return []
    newest = Observation.objects.filter(metric=OuterRef("pk")).order_by("-period")
    metrics = (
        Metric.objects.for_organisation(organisation)
        .filter(pk__in=list(by_metric))
        .annotate(
            newest_value=Subquery(newest.values("value")[:1]), newest_period=Subquery(newest.values("period")[:1])
        )
        .order_by("name")
    )
    chosen = list(metrics)
    answers = metric_queries.improvements(chosen)  # the one rule (ADR 13), not the latest value alone
    found = []
    for metric in chosen:
        value = metric.newest_value  # type: ignore[attr-defined]
        found.append(
            Evidence(
                metric=metric,
                benefits=by_metric[metric.pk],
                latest_value=value,
                latest_period=metric.newest_period,  # type: ignore[attr-defined]
                better=answers[metric.pk],
            )
        )
    return found


# History ---------------------------------------------------------------------------------------


def history_sources(initiative: Initiative) -> list[tuple[type[Model], Any]]:
    """The history of the initiative's money, for `headway.history.history_entries`: its funding
    lines, business cases with their cost and benefit lines and optimism-bias assessments, and its
    actuals, including those of business cases since removed."""
    cases = BusinessCase.history.filter(initiative_id=initiative.pk)  # type: ignore[attr-defined]
    case_ids = cases.values("id")
    return [
        (FundingLine, FundingLine.history.filter(initiative_id=initiative.pk)),  # type: ignore[attr-defined]
        (BusinessCase, cases),
        (CostLine, CostLine.history.filter(business_case_id__in=case_ids)),  # type: ignore[attr-defined]
        (BenefitLine, BenefitLine.history.filter(business_case_id__in=case_ids)),  # type: ignore[attr-defined]
        (Mitigation, Mitigation.history.filter(business_case_id__in=case_ids)),  # type: ignore[attr-defined]
        (Actual, Actual.history.filter(initiative_id=initiative.pk)),  # type: ignore[attr-defined]
    ]


# The statuses after which an initiative's future funding is offered back.
RELEASED_BY = (Status.STOPPED, Status.PAUSED, Status.COMPLETED)


def releasable_funding(initiative: Initiative, after: dt.date) -> list[FundingLine]:
    """The funding an initiative can hand back once it has stopped, paused or finished on `after`:
    requested or approved (`FundingLine.RELEASABLE`) for the financial years after the one `after`
    falls in. The year it is in stays: some of it may be spent or owed already."""
    return list(
        initiative.funding_lines.filter(
            state__in=FundingLine.RELEASABLE, financial_year__gt=financial_year_label(after)
        ).order_by("financial_year", "kind", "pk")
    )
