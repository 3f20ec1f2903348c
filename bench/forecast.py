"""Portfolio Monte Carlo (headway.finance.forecast.simulate_portfolio): 10,000 trials over 1,000
initiatives, target under 2 s (median of the repeats).

Pure computation, run standalone. The portfolio is generated with a fixed seed: five financial years,
sizes log-normal (most initiatives small, a few large), starts spread over the first two years,
deliveries of 3 to 36 months with the cost spread evenly over them, benefits from the year after
go-live, and two initiatives in three sharing one of 25 suppliers (a group shock). Each repeat times
the whole call, validation and percentiles included. The row's detail gives the forecast itself, so a
change to the model shows here as well as in the tests.
"""

from __future__ import annotations

import gc
import time

import numpy as np

from bench.registry import Context, Row, benchmark, summarise
from headway.finance.forecast import OverrunModel, PlannedItem, simulate_portfolio
from headway.lib.money import short_pounds

ITEMS = 1_000
TRIALS = 10_000
YEARS = 5
SUPPLIERS = 25
TARGET_MS = 2_000.0
REPEATS = 5


def make_portfolio(count: int, seed: int) -> list[PlannedItem]:
    rng = np.random.default_rng(seed)
    items = []
    for number in range(count):
        size = float(np.exp(rng.normal(0, 0.9)) * 300_000)  # £
        start = float(rng.integers(0, 24))
        months = float(rng.integers(3, 37))
        cost = [0.0] * YEARS
        for month in range(int(start), int(start + months)):
            if month < 12 * YEARS:
                cost[month // 12] += size / months
        benefits = [0.0] * YEARS
        first_benefit_year = int((start + months) // 12) + 1
        for year in range(first_benefit_year, YEARS):
            benefits[year] = float(rng.uniform(0.3, 0.9)) * size
        group = f"supplier {int(rng.integers(SUPPLIERS))}" if number % 3 else ""
        items.append(PlannedItem(f"DIG-{number:04d}", cost, benefits, start + months, start, group))
    return items


def _money(value: float) -> str:
    return short_pounds(value)


@benchmark("forecast")
def run(ctx: Context) -> list[Row]:
    items = make_portfolio(ITEMS, ctx.seed)
    row = Row(
        database=ctx.database,
        name=f"Monte Carlo, {TRIALS:,} trials × {ITEMS:,} items",
        target_p95_ms=TARGET_MS,
    )
    simulate_portfolio(items[:50], trials=200)  # warm-up: imports, numpy's and scipy's first allocations
    samples: list[float] = []
    cpu: list[float] = []
    result = None
    for _ in range(max(1, min(ctx.repeat, REPEATS))):
        gc.collect()
        began, began_cpu = time.perf_counter(), time.process_time()
        result = simulate_portfolio(items, trials=TRIALS, seed=ctx.seed)
        samples.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
    assert result is not None
    row.median_ms, row.p95_ms = summarise(samples)
    row.samples = len(samples)
    cpu_median = sorted(cpu)[len(cpu) // 2]
    # The same portfolio with independent draws, to show how much the correlation matters.
    independent = simulate_portfolio(
        items, trials=TRIALS, seed=ctx.seed, model=OverrunModel(common_weight=0, group_weight=0)
    )
    ordered = all(
        result.total_cost[low] <= result.total_cost[high]
        for low, high in zip(result.percentiles, result.percentiles[1:], strict=False)
    )
    mean_overrun = result.mean_total_cost / result.planned_total_cost - 1
    row.ok = ordered and 0.2 < mean_overrun < 0.35
    row.detail = (
        f"CPU median {cpu_median:.0f} ms; plan {_money(result.planned_total_cost)}, "
        f"P50 {_money(result.total_cost[50])}, P80 {_money(result.total_cost[80])}, "
        f"P90 {_money(result.total_cost[90])} (mean overrun {mean_overrun:.0%}); "
        f"independent draws would say P90 {_money(independent.total_cost[90])}"
    )
    row.extra.update(
        cpu_median_ms=round(cpu_median, 1),
        planned_total=result.planned_total_cost,
        total_cost=result.total_cost,
        independent_total_cost=independent.total_cost,
        chance_within_budget=result.chance_within_budget,
    )
    ctx.log(f"forecast: median {row.median_ms:.0f} ms wall, {cpu_median:.0f} ms CPU over {len(samples)} runs")
    return [row]
