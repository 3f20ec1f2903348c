"""Importing 10,000 metric values from one CSV file (issue 12, item 10): the whole path a person's
upload takes when they confirm it (reading the file within its budgets, checking every row,
planning what it creates and changes, and writing through `metrics.actions.import_observations`
with history), target under 10 s. Also the same file imported again, when every row is unchanged.

Ten weekly metrics of 1,000 weeks each are added to the generated organisation; every sample is
rolled back, so each one creates all 10,000 values and the other benchmarks see no trace of them."""

from __future__ import annotations

import datetime as dt
import gc
import random
import time

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.registry import Context, Row, benchmark, summarise
from headway.accounts.models import Membership, Organisation
from headway.accounts.roles import Role

TARGET_MS = 10_000.0
METRICS = 10
WEEKS = 1_000
REPEATS = 3


def _file(names: list[str], today: dt.date, seed: int) -> bytes:
    from headway.lib import exports
    from headway.lib.weeks import week_start

    rng = random.Random(seed)
    first = week_start(today) - dt.timedelta(weeks=WEEKS)
    rows: list[list[exports.Cell]] = [["metric", "period", "value", "note"]]
    for name in names:
        for week in range(WEEKS):
            rows.append([name, (first + dt.timedelta(weeks=week)).isoformat(), round(rng.gauss(50, 8), 1), ""])
    return exports.csv_text(rows).encode()


@benchmark("imports")
def run(ctx: Context) -> list[Row]:
    from headway.imports.actions import import_file
    from headway.metrics.models import Metric

    organisation = Organisation.objects.get(pk=ctx.summary["organisation_id"])
    office = (
        Membership.objects.filter(organisation=organisation, role=Role.PORTFOLIO_OFFICE).select_related("user").first()
    )
    assert office is not None
    today = timezone.localdate()
    names = [f"Bench import {n + 1}" for n in range(METRICS)]
    for name in names:
        Metric.objects.get_or_create(
            organisation=organisation,
            name=name,
            defaults={
                "definition": "Generated for the import benchmark.",
                "kind": "outcome",
                "beneficiary": "patients",
                "unit": "patients",
                "improvement_direction": "increase",
                "frequency": "weekly",
                "data_source": "bench",
            },
        )
    data = _file(names, today, ctx.seed)

    def once() -> str:
        plan = import_file(
            organisation=organisation,
            kind="metrics_observations",
            data=data,
            filename="bench.csv",
            by=office.user,
            reason="Bench",
            today=today,
        )
        return plan.summary()

    created: list[float] = []
    unchanged: list[float] = []
    summary = again = ""
    queries = 0
    for sample in range(min(ctx.repeat, REPEATS)):
        gc.collect()
        with transaction.atomic():
            start = time.perf_counter()
            summary = once()
            created.append((time.perf_counter() - start) * 1000)
            gc.collect()
            if sample == 0:
                with CaptureQueriesContext(connection) as captured:
                    again = once()
                queries = len(captured)
            start = time.perf_counter()
            again = once()
            unchanged.append((time.perf_counter() - start) * 1000)
            transaction.set_rollback(True)
    assert summary == f"{METRICS * WEEKS} created, 0 changed, 0 unchanged", summary
    assert again == f"0 created, 0 changed, {METRICS * WEEKS} unchanged", again
    rows = []
    for name, samples, count, detail in (
        ("imports: 10,000 metric values (created)", created, None, summary),
        ("imports: the same file again (unchanged)", unchanged, queries, again),
    ):
        median, p95 = summarise(samples)
        rows.append(Row(ctx.database, name, median, p95, count, TARGET_MS, True, detail, len(samples)))
    return rows
