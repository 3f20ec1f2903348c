"""The bench's load driver stops on time, counts what it should and calls anything unexpected an
error (checked against a tiny server on loopback, without gunicorn or a database)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from bench.load import CpuUse, Plan, Sample, _children, _cpu_seconds, cpu_used, rows_for, run_load
from bench.registry import Context

FORM = (
    '<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="token">'
    '<input type="hidden" name="version" value="7">'
    '<input type="radio" name="confidence" value="amber"></form>'
)


class FakeHeadway(BaseHTTPRequestHandler):
    posted: list[str] = []  # shared by the handler threads on purpose

    def do_GET(self) -> None:
        status = 500 if self.path == "/broken/" else 200
        body = FORM.encode() if self.path.endswith("/checkpoint/") else b"<h1>Page</h1>"
        self.send_response(status)
        self.send_header("Set-Cookie", "csrftoken=cookie-token; Path=/")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        time.sleep(0.01)

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        FakeHeadway.posted.append(self.rfile.read(length).decode() + " | " + self.headers["Cookie"])
        self.send_response(302)
        self.send_header("Location", "/initiatives/1/")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


def serve() -> tuple[ThreadingHTTPServer, int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeHeadway)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1]


def test_the_load_run_stops_at_its_deadline_and_posts_what_the_form_carries() -> None:
    server, port = serve()
    try:
        plan = Plan(readers=["a", "b"], writers=[("c", [1, 2])], paths=["/initiatives/", "/"])
        began = time.perf_counter()
        samples, elapsed = run_load(port, plan, 1.0)
        assert time.perf_counter() - began < 3
    finally:
        server.shutdown()
        server.server_close()
    kinds = {sample.kind for sample in samples}
    assert kinds == {"read", "form", "write"}
    assert not [sample.error for sample in samples if sample.error]
    assert 0.9 < elapsed < 3
    post = FakeHeadway.posted[0]
    assert "csrfmiddlewaretoken=token" in post and "version=7" in post and "confidence=amber" in post
    assert "csrftoken=cookie-token" in post


def test_a_failed_request_is_an_error_in_the_table() -> None:
    server, port = serve()
    try:
        plan = Plan(readers=["a"], writers=[], paths=["/broken/"])
        samples, elapsed = run_load(port, plan, 0.3)
    finally:
        server.shutdown()
        server.server_close()
    rows = rows_for(Context(database="postgresql", repeat=1, scale=1, weeks=1, seed=1), "load", samples, elapsed)
    assert [row.name for row in rows] == ["load, all", "load, board reads", "load, checkpoint posts"]
    assert rows[0].verdict == "FAIL" and rows[0].extra["errors"] == len(samples) > 0
    assert "GET /broken/ returned 500" in rows[0].extra["first_errors"]
    assert rows[2].verdict == "FAIL"  # no posts at all is not a pass


def test_the_rows_report_requests_per_second_and_percentiles() -> None:
    samples = [Sample("read", float(ms), 200) for ms in range(1, 101)] + [Sample("write", 50.0, 302)]
    rows = rows_for(Context(database="postgresql", repeat=1, scale=1, weeks=1, seed=1), "load", samples, 10.0)
    everything, reads, posts = rows
    assert everything.extra["requests_per_s"] == 10.1
    assert (reads.median_ms, reads.p95_ms) == (50.5, 95.0)
    assert posts.detail == "0.1 req/s, 0 errors of 1"
    assert all(row.verdict == "PASS" for row in rows)


def test_the_server_cpu_per_request_is_counted_from_the_processes_it_ran_in() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(5)"])
    try:
        assert child.pid in _children(os.getpid())
    finally:
        child.kill()
        child.wait()
    assert _cpu_seconds(os.getpid()) > 0
    before = {"app": {1: 1.0, 2: 2.0}, "database": {3: 0.5}}
    after = {"app": {1: 1.5, 2: 2.5}, "database": {3: 0.75, 4: 0.25}}  # backend 4 started during the run
    assert cpu_used(before, after) == CpuUse(app_s=1.0, database_s=0.5)
    samples = [Sample("read", 100.0, 200)] * 10
    rows = rows_for(
        Context(database="postgresql", repeat=1, scale=1, weeks=1, seed=1), "load", samples, 1.0, cpu=CpuUse(1.0, 0.5)
    )
    assert rows[0].detail.endswith("server CPU 150 ms/request (app 100, database 50)")
