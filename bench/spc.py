"""SPC over many series: `analyse_many` on 20,000 series of 150 points (target under 2 s).

Pure computation, run standalone (no database). The series are generated with a fixed seed as
plain Python lists of floats (what the database layer hands the engine), a few with missing values,
rebase points, targets and fixed limits so every path is exercised. Each repeat times the whole call,
validation and result objects included; the row reports the median and 95th percentile.
"""

from __future__ import annotations

import gc
import random
import time
from typing import Any

from bench.registry import Context, Row, benchmark, summarise
from headway.metrics.spc import analyse_many

SERIES = 20_000
POINTS = 150
TARGET_MS = 2_000.0
REPEATS = 5


def make_series(count: int, points: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    directions = ("increase", "decrease", "neutral")
    series: list[dict[str, Any]] = []
    for number in range(count):
        level, spread = rng.uniform(10, 1000), rng.uniform(1, 50)
        values: list[float | None] = [rng.gauss(level, spread) for _ in range(points)]
        if number % 3 == 0:  # a step change two-thirds of the way through
            for i in range(2 * points // 3, points):
                values[i] = values[i] + 2 * spread  # type: ignore[operator]
        if number % 10 == 0:
            values[rng.randrange(points)] = None
        kwargs: dict[str, Any] = {"values": values, "improvement_direction": directions[number % 3]}
        if number % 2 == 0:
            kwargs["target"] = level
        if number % 7 == 0:
            kwargs["rebase_at"] = [points // 2]
        if number % 11 == 0:
            kwargs["fix_after_n_points"] = 24
        series.append(kwargs)
    return series


@benchmark("spc")
def run(ctx: Context) -> list[Row]:
    series = make_series(SERIES, POINTS, ctx.seed)
    row = Row(database=ctx.database, name=f"SPC, {SERIES:,} series × {POINTS} points", target_p95_ms=TARGET_MS)
    analyse_many(series[:100])  # warm-up: imports, numpy's first allocations
    samples: list[float] = []
    cpu: list[float] = []
    special = 0
    for _ in range(min(ctx.repeat, REPEATS)):
        gc.collect()
        began, began_cpu = time.perf_counter(), time.process_time()
        results = analyse_many(series)
        samples.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
        special = sum(cause != "neither" for result in results for cause in result.special_cause)
        del results
    row.median_ms, row.p95_ms = summarise(samples)
    row.samples = len(samples)
    # CPU time as well as wall time: on a shared machine the wall time includes waiting for a core.
    cpu_median = sorted(cpu)[len(cpu) // 2]
    row.extra["cpu_median_ms"] = round(cpu_median, 1)
    row.detail = f"CPU median {cpu_median:.0f} ms; {special:,} special-cause points"
    ctx.log(f"spc: median {row.median_ms:.0f} ms wall, {cpu_median:.0f} ms CPU over {len(samples)} runs")
    return [row]
