"""A small registry of benchmarks. Each one is a function that takes a `Context` and returns rows.

To add a benchmark (say, SPC over 20,000 series), write a module with a function decorated with
`@benchmark("spc")` and list the module here:

- in `DATABASE_MODULES` if it needs the generated organisation: it then runs once per database,
  inside that database's subprocess, after the data are generated;
- in `STANDALONE_MODULES` if it is pure computation (numpy, the MILP solver, Monte Carlo): it then
  runs once, in its own subprocess, with no database and without Django set up.

This module has no Django imports, so the parent process can use it.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

DATABASE_MODULES: tuple[str, ...] = (
    "bench.pages",
    "bench.api",
    "bench.metrics_pages",
    "bench.pitfalls",
    # The organisation export and import; the import is rolled back, leaving the data as it was.
    "bench.transfer",
    "bench.load",
    "bench.imports",
    # Last: it adds the demo organisations and a second generated one to the database.
    "bench.packs",
)
STANDALONE_MODULES: tuple[str, ...] = ("bench.spc", "bench.selection", "bench.forecast")

TARGET_P95_MS = 150.0
DEFAULT_SCALE = 2_000  # initiatives
DEFAULT_WEEKS = 104  # two years of reporting weeks
DEFAULT_SEED = 20_260_401
DEFAULT_LOAD_SECONDS = 60  # each of the load run's two runs (bench.load)


@dataclass
class Context:
    database: str  # "sqlite", "postgresql", or "none" for standalone benchmarks
    repeat: int
    scale: int
    weeks: int
    seed: int
    summary: dict[str, Any] = field(default_factory=dict)  # GenerationSummary.as_dict(), if any
    load_seconds: int = DEFAULT_LOAD_SECONDS

    def log(self, message: str) -> None:
        import sys

        print(f"[{self.database}] {message}", file=sys.stderr, flush=True)


@dataclass
class Row:
    database: str
    name: str
    median_ms: float | None = None
    p95_ms: float | None = None
    queries: int | None = None
    target_p95_ms: float | None = TARGET_P95_MS
    ok: bool = True  # False when the thing measured failed (for a page: not a 200)
    detail: str = ""
    samples: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def verdict(self) -> str:
        if not self.ok:
            return "FAIL"
        if self.target_p95_ms is None or self.p95_ms is None:
            return "-"
        return "PASS" if self.p95_ms <= self.target_p95_ms else "OVER"

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "verdict": self.verdict}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Row:
        data = {k: v for k, v in data.items() if k != "verdict"}
        return cls(**data)


BenchmarkFunction = Callable[[Context], list[Row]]


@dataclass(frozen=True)
class Benchmark:
    name: str
    function: BenchmarkFunction


REGISTRY: dict[str, Benchmark] = {}


def benchmark(name: str) -> Callable[[BenchmarkFunction], BenchmarkFunction]:
    """Register a benchmark function under `name` (names are unique)."""

    def decorator(function: BenchmarkFunction) -> BenchmarkFunction:
        if name in REGISTRY:
            raise ValueError(f"A benchmark called {name!r} is already registered.")
        REGISTRY[name] = Benchmark(name=name, function=function)
        return function

    return decorator


def summarise(samples_ms: list[float]) -> tuple[float, float]:
    """Median and 95th percentile (nearest rank, so it is always a time that was measured)."""
    if not samples_ms:
        raise ValueError("No samples.")
    ordered = sorted(samples_ms)
    rank = max(1, math.ceil(0.95 * len(ordered)))
    return statistics.median(ordered), ordered[rank - 1]
