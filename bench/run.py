"""`make bench`: generate a large organisation in a fresh database and time the pages.

    python -m bench.run [--scale N] [--weeks W] [--repeat R] [--db sqlite|postgres|both]

Each database is benchmarked in its own subprocess, with DATABASE_URL and HEADWAY_ENV=test in its
environment, so Django's settings are configured for that database alone and its peak memory can
be read from the kernel (wait4's rusage). The parent prepares the databases, collects each
subprocess's JSON, prints the table and writes bench/out/results.json. It exits non-zero when any
row fails (for a page: anything but 200) or a subprocess dies.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
import platform
import subprocess
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from bench.registry import (
    DATABASE_MODULES,
    DEFAULT_LOAD_SECONDS,
    DEFAULT_SCALE,
    DEFAULT_SEED,
    DEFAULT_WEEKS,
    REGISTRY,
    STANDALONE_MODULES,
    Context,
    Row,
)

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PG_DATABASE = "headway_bench"
DEFAULT_PG_SERVER = "postgres://postgres@127.0.0.1:5432"
ENGINES = {"sqlite": "sqlite", "postgres": "postgresql"}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=DEFAULT_SCALE, help="initiatives (default %(default)s)")
    parser.add_argument("--weeks", type=int, default=DEFAULT_WEEKS, help="weeks of checkpoints (default %(default)s)")
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per page (default %(default)s)")
    parser.add_argument(
        "--load-seconds",
        type=int,
        default=DEFAULT_LOAD_SECONDS,
        help="length of each load run against gunicorn + PostgreSQL (default %(default)s)",
    )
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--only", action="append", metavar="NAME", help="run only these benchmarks (repeatable), e.g. pages"
    )
    parser.add_argument(
        "--postgres-server",
        default=os.environ.get("BENCH_POSTGRES_SERVER", DEFAULT_PG_SERVER),
        help="server URL without a database name (default %(default)s, or $BENCH_POSTGRES_SERVER)",
    )
    parser.add_argument("--out", type=Path, default=OUT, help="where results.json goes (default bench/out)")
    # Internal: the per-database subprocess.
    parser.add_argument("--worker", choices=["sqlite", "postgres", "none"], help=argparse.SUPPRESS)
    parser.add_argument("--result-file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.scale < 1 or args.weeks < 1 or args.repeat < 1 or args.load_seconds < 1:
        parser.error("--scale, --weeks, --repeat and --load-seconds must be at least 1")
    return args


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# The subprocess ----------------------------------------------------------------------------


def _selected(args: argparse.Namespace, modules: tuple[str, ...]) -> list[str]:
    before = set(REGISTRY)
    for module in modules:
        importlib.import_module(module)
    names = [name for name in REGISTRY if name not in before]
    return [name for name in names if not args.only or name in args.only]


def worker(args: argparse.Namespace) -> int:
    result: dict[str, Any] = {"database": args.worker, "rows": [], "error": None}
    try:
        if args.worker == "none":
            ctx = Context(database="-", repeat=args.repeat, scale=args.scale, weeks=args.weeks, seed=args.seed)
            names = _selected(args, STANDALONE_MODULES)
        else:
            result.update(_prepare_django(args))
            ctx = Context(
                database=ENGINES[args.worker],
                repeat=args.repeat,
                scale=args.scale,
                weeks=args.weeks,
                seed=args.seed,
                summary=result["summary"],
                load_seconds=args.load_seconds,
            )
            names = _selected(args, DATABASE_MODULES)
        for name in names:
            result["rows"].extend(row.as_dict() for row in REGISTRY[name].function(ctx))
    except Exception:
        result["error"] = traceback.format_exc()
        print(result["error"], file=sys.stderr)
    args.result_file.write_text(json.dumps(result, indent=2, default=str))
    return 1 if result["error"] else 0


def _prepare_django(args: argparse.Namespace) -> dict[str, Any]:
    import warnings

    import django

    # whitenoise warns once that STATIC_ROOT has not been collected; irrelevant to timings.
    warnings.filterwarnings("ignore", message="No directory at")

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench.generate import generate

    label = f"[{ENGINES[args.worker]}]"
    began = time.perf_counter()
    print(f"{label} migrating", file=sys.stderr, flush=True)
    call_command("migrate", verbosity=0, interactive=False)
    migrate_s = time.perf_counter() - began
    print(f"{label} generating {args.scale:,} initiatives x {args.weeks} weeks", file=sys.stderr, flush=True)
    summary = generate(scale=args.scale, weeks=args.weeks, seed=args.seed)
    print(
        f"{label} generated {summary.counts['checkpoints']:,} checkpoints in {summary.seconds:.1f} s",
        file=sys.stderr,
        flush=True,
    )
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        number = connection.pg_version  # type: ignore[attr-defined]
        version = f"{number // 10000}.{number % 10000}"
    else:
        import sqlite3

        version = sqlite3.sqlite_version
    return {"migrate_s": round(migrate_s, 2), "summary": summary.as_dict(), "engine_version": version}


# The parent --------------------------------------------------------------------------------


def _prepare_database(kind: str, args: argparse.Namespace) -> str:
    """Make a fresh, empty database and return its DATABASE_URL."""
    if kind == "sqlite":
        path = args.out / "bench.sqlite3"
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    server = args.postgres_server.rstrip("/")
    with psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=10) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {PG_DATABASE}")
    return f"{server}/{PG_DATABASE}"


def _spawn(kind: str, args: argparse.Namespace, database_url: str | None) -> dict[str, Any]:
    result_file = args.out / f"worker-{kind}.json"
    result_file.unlink(missing_ok=True)
    command = [
        sys.executable,
        "-m",
        "bench.run",
        "--worker",
        kind,
        "--result-file",
        str(result_file),
        "--scale",
        str(args.scale),
        "--weeks",
        str(args.weeks),
        "--repeat",
        str(args.repeat),
        "--seed",
        str(args.seed),
        "--load-seconds",
        str(args.load_seconds),
    ]
    for name in args.only or []:
        command += ["--only", name]
    env = {**os.environ, "HEADWAY_ENV": "test", "DJANGO_SETTINGS_MODULE": "headway.settings"}
    env.pop("DEBUG", None)  # the test default (off), as in production
    if database_url:
        env["DATABASE_URL"] = database_url
    load_before = os.getloadavg()[0]
    began = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    wall_s = time.perf_counter() - began
    if result_file.exists():
        result: dict[str, Any] = json.loads(result_file.read_text())
        result_file.unlink()
    else:
        result = {
            "database": kind,
            "rows": [],
            "error": f"the subprocess left no result (exit {process.returncode})",
        }
    result.update(
        exit_code=process.returncode,
        wall_s=round(wall_s, 1),
        peak_rss_mb=round(usage.ru_maxrss / 1024, 1),  # ru_maxrss is in KiB on Linux
        # Other work on the machine makes the p95 noisy; the 1-minute load average says how much.
        load_average=[round(load_before, 2), round(os.getloadavg()[0], 2)],
        database_url=database_url,
    )
    return result


def _fmt(value: float | int | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def render(runs: list[dict[str, Any]], rows: list[Row], args: argparse.Namespace) -> str:
    lines: list[str] = []
    with_data = [run for run in runs if run.get("summary")]
    if with_data:
        counts = with_data[0]["summary"]["counts"]
        generated = ", ".join(f"{run['summary']['seconds']:.1f} s on {ENGINES[run['database']]}" for run in with_data)
        lines.append(
            f"Headway bench — {counts['initiatives']:,} initiatives, {counts['checkpoints']:,} checkpoints "
            f"(generated in {generated})"
        )
    else:
        lines.append(f"Headway bench — {args.scale:,} initiatives x {args.weeks} weeks")
    header = f"{'database':<11} {'page':<26} {'median ms':>9} {'p95 ms':>8} {'queries':>8} {'target p95':>11}"
    lines.append(f"{header}  result")
    for row in rows:
        target = "-" if row.target_p95_ms is None else f"{row.target_p95_ms:.0f}"
        lines.append(
            f"{row.database:<11} {row.name:<26} {_fmt(row.median_ms, '.1f'):>9} {_fmt(row.p95_ms, '.1f'):>8} "
            f"{_fmt(row.queries, 'd'):>8} {target:>11}  {row.verdict}" + (f"  {row.detail}" if row.detail else "")
        )
    lines.append("")
    for run in runs:
        name = ENGINES.get(run["database"], "standalone")
        version = f" {run['engine_version']}" if run.get("engine_version") else ""
        migrate = f", migrate {run['migrate_s']:.1f} s" if "migrate_s" in run else ""
        lines.append(
            f"{name}{version}: peak memory (maxrss) {run['peak_rss_mb']:.0f} MB, "
            f"subprocess wall {run['wall_s']:.0f} s{migrate}, exit {run['exit_code']}"
            + (f", load average {load[0]:.1f} -> {load[1]:.1f}" if (load := run.get("load_average")) else "")
        )
        if run.get("error"):
            lines.append(f"  error: {run['error'].strip().splitlines()[-1]}")
    loads = [run["load_average"][1] for run in runs if run.get("load_average")]
    if loads and max(loads) > (os.cpu_count() or 1) * 0.75:
        lines.append("(The machine was busy with other work during the run: expect noisy p95s.)")
    slow = [row for row in rows if row.verdict == "OVER" and row.extra.get("slowest_sql")]
    if slow:
        lines.append("")
        lines.append("Slowest SQL in one request of each page over target:")
        for row in slow:
            lines.append(
                f"  {row.database} / {row.name}: {row.queries} queries, "
                f"{row.extra.get('sql_ms_total', 0):.1f} ms in SQL of {row.median_ms} ms median"
            )
            for query in row.extra["slowest_sql"]:
                sql = " ".join(query["sql"].split())
                lines.append(f"    {query['ms']:8.1f} ms  {sql[:300]}{'…' if len(sql) > 300 else ''}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.out = args.out.resolve()
    args.out.mkdir(parents=True, exist_ok=True)
    if args.worker:
        return worker(args)

    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    runs: list[dict[str, Any]] = []
    began = time.perf_counter()
    for kind in kinds:
        log(f"{kind}: preparing a fresh database")
        try:
            url = _prepare_database(kind, args)
        except Exception as error:
            runs.append(
                {
                    "database": kind,
                    "rows": [],
                    "error": f"could not prepare the database: {error}",
                    "exit_code": None,
                    "wall_s": 0.0,
                    "peak_rss_mb": 0.0,
                }
            )
            log(runs[-1]["error"])
            continue
        runs.append(_spawn(kind, args, url))
    if STANDALONE_MODULES:
        runs.append(_spawn("none", args, None))

    rows = [Row.from_dict(data) for run in runs for data in run["rows"]]
    print(render(runs, rows, args))
    results = {
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "total_s": round(time.perf_counter() - began, 1),
        "arguments": {
            "scale": args.scale,
            "weeks": args.weeks,
            "repeat": args.repeat,
            "db": args.db,
            "seed": args.seed,
            "only": args.only,
        },
        "host": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
        },
        "runs": [{k: v for k, v in run.items() if k != "rows"} for run in runs],
        "rows": [row.as_dict() for row in rows],
    }
    (args.out / "results.json").write_text(json.dumps(results, indent=2, default=str) + "\n")
    log(f"wrote {args.out / 'results.json'} ({results['total_s']:.0f} s in all)")
    failed = any(run.get("error") or run.get("exit_code") != 0 for run in runs) or any(not row.ok for row in rows)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
