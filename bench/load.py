"""A bounded load run: gunicorn (2 workers) on PostgreSQL, over loopback, in the generated trust.

Board members read the portfolio list, the at-a-glance page and initiative pages while delivery
leads record their weekly checkpoints (open the form, post it), all at once, for `--load-seconds`
(60 by default). Every client waits for its answer before sending the next request, so the
requests per second are what two workers can serve and the p95 includes the queueing.

Then one extreme value is recorded on the metric charted on the initiative page the readers open
most, as a person could type it, and the run is repeated: a value that is allowed must not make the
pages slower. The value is the largest the input bounds allow (`headway.lib.bounds.MAX_MEASURE`,
or 100 on a metric measured in %); 1e308, which once took a page from milliseconds to seconds, is
now refused by those bounds (ADR 18).

Runs in the PostgreSQL subprocess only (after `bench.pages` and `bench.metrics_pages`, so the
metrics exist): SQLite serves one writer at a time, and a load run is about the shared deployment.
Bounded three ways: the run stops sending at the deadline, every request has a client timeout, and
gunicorn is stopped (and killed if it will not stop) whatever happens.
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from bench.registry import Context, Row, benchmark, summarise

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2
READERS = 4  # board members
WRITERS = 2  # delivery leads
REQUEST_TIMEOUT_S = 15.0
START_TIMEOUT_S = 30.0
TARGET_P95_MS = 300.0

HIDDEN_INPUT = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
CONFIDENCE = re.compile(r'name="confidence"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="confidence"')


@dataclass
class Sample:
    kind: str  # "read" (a board member's page), "form" (opening the checkpoint form) or "write"
    ms: float
    status: int  # 0 when the request failed before an answer
    error: str = ""


@dataclass
class Client:
    """One person's browser: a session cookie (made by force_login), a CSRF cookie once a form
    has been opened, and a connection per request (gunicorn's sync workers close each one)."""

    port: int
    session: str
    csrf: str = ""
    samples: list[Sample] = field(default_factory=list)

    def request(self, kind: str, method: str, path: str, body: dict[str, str] | None = None) -> tuple[int, str]:
        headers = {
            "Host": "127.0.0.1",
            "Cookie": f"sessionid={self.session}" + (f"; csrftoken={self.csrf}" if self.csrf else ""),
        }
        payload = None
        if body is not None:
            payload = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        began = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT_S)
        try:
            connection.request(method, path, body=payload, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            for name, value in response.getheaders():
                if name.lower() == "set-cookie" and value.startswith("csrftoken="):
                    self.csrf = value.split(";", 1)[0].split("=", 1)[1]
            status = response.status
            # A post that is saved redirects; one that is shown again was refused by the form.
            expected = (302,) if method == "POST" else (200,)
            error = "" if status in expected else f"{method} {path} returned {status}"
        except (OSError, http.client.HTTPException) as failure:
            status, text, error = 0, "", f"{method} {path}: {type(failure).__name__}: {failure}"
        finally:
            connection.close()
        self.samples.append(Sample(kind, (time.perf_counter() - began) * 1000, status, error))
        return status, text


def read_loop(client: Client, paths: list[str], deadline: float, offset: int) -> None:
    n = offset
    while time.perf_counter() < deadline:
        client.request("read", "GET", paths[n % len(paths)])
        n += 1


def write_loop(client: Client, initiative_ids: list[int], deadline: float) -> None:
    n = 0
    while time.perf_counter() < deadline:
        path = f"/initiatives/{initiative_ids[n % len(initiative_ids)]}/checkpoint/"
        n += 1
        status, page = client.request("form", "GET", path)
        if status != 200 or time.perf_counter() >= deadline:
            continue
        # Every hidden field the form carries (the CSRF token, and any version the form sends back).
        fields = dict(HIDDEN_INPUT.findall(page))
        choice = CONFIDENCE.search(page)
        confidence = (choice.group(1) or choice.group(2)) if choice else "green"
        fields.update(
            demonstrated=f"Load run demonstration {n}",
            demonstrated_to="Ward 7B nursing team",
            reached_real_users="False",
            confidence=confidence,
            confidence_reason="Posted by the bench's load run.",
        )
        client.request("write", "POST", path, fields)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start_gunicorn(port: int, log_file: Path) -> subprocess.Popen[bytes]:
    command = [
        sys.executable, "-m", "gunicorn", "headway.wsgi",
        "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}",
        "--log-level", "warning",
    ]  # fmt: skip
    # Connections kept for the whole run, so each worker's PostgreSQL backend (whose CPU is
    # counted) lives from the first request to the last.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "headway.settings", "CONN_MAX_AGE": "600"}
    # gunicorn's own messages and Django's tracebacks (logged to stderr) both go to the log file.
    with log_file.open("wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    began = time.perf_counter()
    while time.perf_counter() - began < START_TIMEOUT_S:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited at start (code {process.returncode}); see {log_file}")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            connection.request("GET", "/sign-in/")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.2)
        finally:
            connection.close()
    _stop(process)
    raise RuntimeError(f"gunicorn did not answer within {START_TIMEOUT_S:.0f} s; see {log_file}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@dataclass(frozen=True)
class Plan:
    readers: list[str]  # session keys
    writers: list[tuple[str, list[int]]]  # session key, the initiatives that lead reports on
    paths: list[str]  # what the readers read, in turn


def _plan(ctx: Context, chart_initiative_id: int) -> Plan:
    from django.test import Client as DjangoClient

    from headway.accounts.models import Membership
    from headway.accounts.roles import Role
    from headway.portfolio.models import Initiative, Status

    org = ctx.summary["organisation_id"]

    def session(user_id: int) -> str:
        client = DjangoClient()
        client.force_login(Membership.objects.get(organisation_id=org, user_id=user_id).user)
        return client.cookies["sessionid"].value

    board = Membership.objects.filter(organisation_id=org, role=Role.BOARD).order_by("pk")
    readers = [session(m.user_id) for m in board[:READERS]]
    writers = []
    leads = Membership.objects.filter(organisation_id=org, role=Role.DELIVERY_LEAD).order_by("pk")
    for membership in leads:
        led = list(
            Initiative.objects.filter(delivery_lead_id=membership.user_id, status=Status.ACTIVE)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if led:
            writers.append((session(membership.user_id), led))
        if len(writers) == WRITERS:
            break
    others = list(
        Initiative.objects.filter(organisation_id=org, status=Status.ACTIVE)
        .exclude(pk=chart_initiative_id)
        .order_by("pk")
        .values_list("pk", flat=True)[:50:10]
    )
    paths = ["/initiatives/", "/"]
    for pk in others:
        # The charted initiative in every other initiative read, so a slow chart shows in the p95.
        paths += [f"/initiatives/{chart_initiative_id}/", "/initiatives/", "/", f"/initiatives/{pk}/"]
    return Plan(readers=readers, writers=writers, paths=paths)


def run_load(port: int, plan: Plan, seconds: float) -> tuple[list[Sample], float]:
    deadline = time.perf_counter() + seconds
    clients: list[Client] = []
    threads: list[threading.Thread] = []
    for n, key in enumerate(plan.readers):
        client = Client(port, key)
        clients.append(client)
        threads.append(threading.Thread(target=read_loop, args=(client, plan.paths, deadline, n * 3), daemon=True))
    for key, initiative_ids in plan.writers:
        client = Client(port, key)
        clients.append(client)
        threads.append(threading.Thread(target=write_loop, args=(client, initiative_ids, deadline), daemon=True))
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 2 * REQUEST_TIMEOUT_S + 5)
    elapsed = time.perf_counter() - began
    return [sample for client in clients for sample in client.samples], elapsed


# Server CPU ------------------------------------------------------------------------------------
# The machine the bench runs on is often busy with other work, which stretches every latency. The
# CPU the server spent per request (gunicorn's workers and their PostgreSQL backends, read from
# /proc) does not depend on that, so the table gives it beside the times.


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _children(parent: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if ppid == parent:
                found.append(int(entry.name))
    return found


def _backends() -> list[int]:
    """The PostgreSQL backends serving this database, but for the bench's own connection."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return [int(row[0]) for row in cursor.fetchall()]


@dataclass
class CpuUse:
    app_s: float = 0.0
    database_s: float = 0.0


def cpu_snapshot(master: int) -> dict[str, dict[int, float]]:
    return {
        "app": {pid: _cpu_seconds(pid) for pid in _children(master)},
        "database": {pid: _cpu_seconds(pid) for pid in _backends()},
    }


def cpu_used(before: dict[str, dict[int, float]], after: dict[str, dict[int, float]]) -> CpuUse:
    """CPU spent between two snapshots; a process that appeared in between counts from zero."""
    spent = {kind: sum(t - before[kind].get(pid, 0.0) for pid, t in after[kind].items()) for kind in after}
    return CpuUse(app_s=spent["app"], database_s=spent["database"])


def rows_for(
    ctx: Context, label: str, samples: list[Sample], elapsed: float, note: str = "", cpu: CpuUse | None = None
) -> list[Row]:
    rows = []
    for name, kinds in (
        ("all", ("read", "form", "write")),
        ("board reads", ("read",)),
        ("checkpoint posts", ("write",)),
    ):
        chosen = [s for s in samples if s.kind in kinds]
        errors = [s for s in chosen if s.error]
        row = Row(database=ctx.database, name=f"{label}, {name}", target_p95_ms=TARGET_P95_MS, samples=len(chosen))
        if chosen:
            row.median_ms, row.p95_ms = (round(v, 1) for v in summarise([s.ms for s in chosen]))
        rate = len(chosen) / elapsed if elapsed else 0.0
        row.detail = f"{rate:.1f} req/s, {len(errors)} errors of {len(chosen)}" + (
            f"; {note}" if note and name == "all" else ""
        )
        row.ok = bool(chosen) and not errors
        row.extra = {"requests_per_s": round(rate, 2), "errors": len(errors), "seconds": round(elapsed, 1)}
        if cpu is not None and name == "all" and chosen:
            app_ms, db_ms = (1000 * t / len(chosen) for t in (cpu.app_s, cpu.database_s))
            row.extra.update(app_cpu_ms_per_request=round(app_ms, 1), database_cpu_ms_per_request=round(db_ms, 1))
            row.detail += f"; server CPU {app_ms + db_ms:.0f} ms/request (app {app_ms:.0f}, database {db_ms:.0f})"
        if errors:
            row.extra["first_errors"] = sorted({s.error for s in errors})[:5]
        rows.append(row)
    return rows


def store_extreme_value(metric_id: int) -> str:
    """Record the largest value the bounds allow as a person would (through the action); say what
    happened."""
    from django.core.exceptions import ValidationError

    from headway.accounts.models import Membership
    from headway.accounts.roles import Role
    from headway.lib.bounds import MAX_MEASURE
    from headway.metrics import actions
    from headway.metrics.models import Metric

    metric = Metric.objects.get(pk=metric_id)
    office = Membership.objects.filter(organisation_id=metric.organisation_id, role=Role.PORTFOLIO_OFFICE).first()
    period = metric.observations.order_by("-period").values_list("period", flat=True).first()
    value = 100.0 if metric.unit.strip() == "%" else float(MAX_MEASURE)
    try:
        actions.record_observation(metric=metric, by=office.user if office else None, period=period, value=value)
    except ValidationError as refused:
        return f"{value:g} refused ({'; '.join(refused.messages)}): same data as before"
    return f"{value:g} stored on metric {metric_id}"


@benchmark("load")
def load(ctx: Context) -> list[Row]:
    if ctx.database != "postgresql":
        ctx.log("load run skipped: it runs against PostgreSQL only")
        return []
    from headway.metrics.models import Metric

    # generate_metrics makes the charted initiative's metrics first.
    metrics = Metric.objects.filter(organisation_id=ctx.summary["organisation_id"])
    chart_metric_id = metrics.order_by("pk").values_list("pk", flat=True).first()
    chart_initiative_id = (
        Metric.initiatives.through.objects.filter(metric_id=chart_metric_id)
        .values_list("initiative_id", flat=True)
        .first()
    )
    if chart_metric_id is None or chart_initiative_id is None:
        return [Row(database=ctx.database, name="load", ok=False, detail="no charted metric: run metrics pages first")]
    plan = _plan(ctx, chart_initiative_id)
    log_file = ROOT / "bench" / "out" / "gunicorn.log"
    log_file.parent.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    rows: list[Row] = []
    process = _start_gunicorn(port, log_file)
    try:
        ctx.log(
            f"load: {len(plan.readers)} board members and {len(plan.writers)} delivery leads for {ctx.load_seconds} s"
        )
        before = cpu_snapshot(process.pid)
        samples, elapsed = run_load(port, plan, ctx.load_seconds)
        rows += rows_for(ctx, "load", samples, elapsed, cpu=cpu_used(before, cpu_snapshot(process.pid)))
        note = store_extreme_value(chart_metric_id)
        ctx.log(f"load: {note}; running again")
        before = cpu_snapshot(process.pid)
        samples, elapsed = run_load(port, plan, ctx.load_seconds)
        rows += rows_for(ctx, "load+extreme", samples, elapsed, note, cpu=cpu_used(before, cpu_snapshot(process.pid)))
    finally:
        _stop(process)
    return rows
