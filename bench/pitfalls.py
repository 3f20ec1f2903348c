"""The pitfalls for the generated organisation (about 2,000 initiatives), as stored findings (ADR 26):

- what a page pays: reading the stored findings (`pitfall_store.stored`, one row), the row at-a-glance,
  the pitfalls page and the initiative page each read;
- what an action pays: working them out again and storing them (`pitfall_store.refresh`: loading
  the facts, every detector, the write), target under 500 ms;
- the detectors alone on the loaded facts.

Runs after the page benchmarks, on the same data."""

from __future__ import annotations

import gc
import time

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.registry import Context, Row, benchmark, summarise
from headway.accounts.models import Organisation

TARGET_MS = 500.0  # a full refresh, inside an action's transaction
READ_TARGET_MS = 20.0  # what a page pays to read them
REPEATS = 10


@benchmark("pitfalls")
def run(ctx: Context) -> list[Row]:
    from headway.assurance import pitfall_inputs, pitfall_store, pitfalls

    organisation = Organisation.objects.get(pk=ctx.summary["organisation_id"])
    today = timezone.localdate()
    thresholds = pitfall_inputs.thresholds_for(organisation)
    with transaction.atomic():
        pitfall_store.refresh(organisation, today)  # warm-up, and stored for the reads below
    refresh: list[float] = []
    pure: list[float] = []
    reads: list[float] = []
    refresh_queries = read_queries = 0
    facts = pitfall_inputs.load(organisation, today, thresholds)
    found: list[pitfalls.Finding] = []
    # The queries are counted once, outside the timing: recording every statement's text costs time
    # a worker does not spend.
    with CaptureQueriesContext(connection) as captured, transaction.atomic():
        pitfall_store.refresh(organisation, today)
    refresh_queries = len(captured)
    for _ in range(min(ctx.repeat, REPEATS)):
        # What the benchmarks before this one left for the collector is not this one's cost.
        gc.collect()
        start = time.perf_counter()
        with transaction.atomic():
            pitfall_store.refresh(organisation, today)
        refresh.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        found = pitfalls.detect(facts, thresholds)
        pure.append((time.perf_counter() - start) * 1000)
    for _ in range(ctx.repeat):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            stored = pitfall_store.stored(organisation)
            reads.append((time.perf_counter() - start) * 1000)
        read_queries = len(captured)
    assert stored is not None and len(stored.findings) == len(found)
    detail = f"{len(found)} findings, {len(facts.initiatives):,} initiatives"
    rows = []
    for name, samples, queries, target in (
        ("pitfalls: read stored (pages)", reads, read_queries, READ_TARGET_MS),
        ("pitfalls: refresh (load, detect, store)", refresh, refresh_queries, TARGET_MS),
        ("pitfalls: detectors only", pure, 0, TARGET_MS),
    ):
        median, p95 = summarise(samples)
        rows.append(Row(ctx.database, name, median, p95, queries, target, True, detail, len(samples)))
    return rows
