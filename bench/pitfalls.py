"""The pitfalls for the generated organisation (about 2,000 initiatives): loading the facts and
running every detector (`headway.assurance.pitfall_inputs.findings`), target under 500 ms, and the
detectors alone on the loaded facts. Runs after the page benchmarks, on the same data."""

from __future__ import annotations

import time

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.registry import Context, Row, benchmark, summarise
from headway.accounts.models import Organisation

TARGET_MS = 500.0
REPEATS = 5


@benchmark("pitfalls")
def run(ctx: Context) -> list[Row]:
    from headway.assurance import pitfall_inputs, pitfalls

    organisation = Organisation.objects.get(pk=ctx.summary["organisation_id"])
    today = timezone.localdate()
    thresholds = pitfall_inputs.thresholds_for(organisation)
    pitfall_inputs.findings(organisation, today)  # warm-up
    whole: list[float] = []
    pure: list[float] = []
    found: list[pitfalls.Finding] = []
    queries = 0
    for _ in range(min(ctx.repeat, REPEATS)):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            facts = pitfall_inputs.load(organisation, today, thresholds)
            middle = time.perf_counter()
            found = pitfalls.detect(facts, thresholds)
            end = time.perf_counter()
        whole.append((end - start) * 1000)
        pure.append((end - middle) * 1000)
        queries = len(captured)
    median, p95 = summarise(whole)
    pure_median, pure_p95 = summarise(pure)
    detail = f"{len(found)} findings, {len(facts.initiatives):,} initiatives"
    return [
        Row(ctx.database, "pitfalls: load and detect", median, p95, queries, TARGET_MS, True, detail, len(whole)),
        Row(ctx.database, "pitfalls: detectors only", pure_median, pure_p95, 0, TARGET_MS, True, detail, len(pure)),
    ]
