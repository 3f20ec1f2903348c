"""A lost or hung database gives a quick "try again" page (issue 10, item 16; ADR 17).

The settings put a connect timeout and a statement timeout on every PostgreSQL connection,
configurable by environment variable; when the database is unreachable or a statement runs out of
time, Django raises OperationalError and `headway.views.server_error` answers 503 with Retry-After,
drawn without touching the database again.
"""

from __future__ import annotations

import os
import runpy
from pathlib import Path
from typing import Any
from unittest import mock

from django.core.exceptions import ImproperlyConfigured
from django.db import OperationalError, connection
from django.test import Client, SimpleTestCase, TestCase

from headway.accounts.middleware import CurrentOrganisationMiddleware
from headway.views import RETRY_AFTER_SECONDS
from tests.personas import personas

SETTINGS = Path(__file__).resolve().parent.parent / "headway" / "settings.py"
POSTGRES = "postgres://postgres@db.example.test:5432/headway"


def settings_with(**environ: str) -> dict[str, Any]:
    """The settings module's globals as they would be with this environment."""
    cleared = {name: "" for name in ("DATABASE_CONNECT_TIMEOUT", "DATABASE_STATEMENT_TIMEOUT")}
    with mock.patch.dict(os.environ, {**cleared, "HEADWAY_ENV": "test", **environ}):
        for name, value in list(os.environ.items()):
            if name in cleared and value == "":
                del os.environ[name]
        return runpy.run_path(str(SETTINGS))


def options_with(**environ: str) -> dict[str, Any]:
    """The default database's OPTIONS as they would be with this environment."""
    return dict(settings_with(**environ)["DATABASES"]["default"].get("OPTIONS", {}))


class TimeoutSettingsTest(SimpleTestCase):
    def test_postgresql_connections_get_a_connect_and_a_statement_timeout_by_default(self) -> None:
        options = options_with(DATABASE_URL=POSTGRES)
        self.assertEqual(options["connect_timeout"], 5)
        self.assertEqual(options["tcp_user_timeout"], 5000)
        self.assertEqual(options["options"], "-c statement_timeout=10000")

    def test_the_timeouts_are_read_from_the_environment(self) -> None:
        options = options_with(DATABASE_URL=POSTGRES, DATABASE_CONNECT_TIMEOUT="2", DATABASE_STATEMENT_TIMEOUT="25")
        self.assertEqual((options["connect_timeout"], options["tcp_user_timeout"]), (2, 2000))
        self.assertEqual(options["options"], "-c statement_timeout=25000")

    def test_server_options_given_in_the_database_url_are_kept(self) -> None:
        options = options_with(DATABASE_URL=POSTGRES + "?options=-c%20search_path%3Dheadway")
        self.assertEqual(options["options"], "-c search_path=headway -c statement_timeout=10000")

    def test_zero_turns_a_timeout_off(self) -> None:
        options = options_with(DATABASE_URL=POSTGRES, DATABASE_CONNECT_TIMEOUT="0", DATABASE_STATEMENT_TIMEOUT="0")
        self.assertNotIn("connect_timeout", options)
        self.assertNotIn("options", options)

    def test_a_negative_timeout_is_refused_at_start_up(self) -> None:
        with self.assertRaises(ImproperlyConfigured):
            settings_with(DATABASE_URL=POSTGRES, DATABASE_STATEMENT_TIMEOUT="-1")

    def test_sqlite_is_left_as_it_was(self) -> None:
        options = options_with(DATABASE_URL="sqlite:///headway.sqlite3")
        self.assertNotIn("connect_timeout", options)


class StatementTimeoutOnTheServerTest(TestCase):
    def test_the_postgresql_session_runs_with_the_statement_timeout(self) -> None:
        if connection.vendor != "postgresql":
            message = "the statement timeout is a PostgreSQL setting; this runs in the PostgreSQL suite"
            print(f"SKIPPED: {message}")
            self.skipTest(message)
        with connection.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            self.assertEqual(cursor.fetchone()[0], "10s")


class TryAgainPageTest(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = personas("Timeout Trust")

    def setUp(self) -> None:
        self.client = Client(raise_request_exception=False)
        self.client.force_login(self.cast.board)

    def assert_try_again(self, response: Any) -> None:
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response["Retry-After"], str(RETRY_AFTER_SECONDS))
        page = response.content.decode()
        self.assertIn("Sorry, Headway cannot reach its data just now", page)
        self.assertIn(f"try again in {RETRY_AFTER_SECONDS} seconds", page)
        self.assertIn('class="nhsuk-header"', page)  # the house style, not Django's bare text
        self.assertNotIn("Traceback", page)

    def test_a_database_lost_before_the_page_starts_gives_the_try_again_page(self) -> None:
        lost = OperationalError("connection to server at 127.0.0.1, port 5432 failed: timeout expired")
        with (
            mock.patch.object(CurrentOrganisationMiddleware, "place", side_effect=lost),
            self.assertLogs("django.request", level="ERROR"),
        ):
            self.assert_try_again(self.client.get("/"))

    def test_a_statement_stopped_at_its_time_limit_gives_the_try_again_page(self) -> None:
        stopped = OperationalError("canceling statement due to statement timeout")
        with (
            mock.patch("headway.assurance.views.render", side_effect=stopped),
            self.assertLogs("django.request", level="ERROR"),
        ):
            self.assert_try_again(self.client.get("/initiatives/"))

    def test_any_other_fault_gives_the_house_error_page_with_500(self) -> None:
        with (
            mock.patch("headway.assurance.views.render", side_effect=RuntimeError("a bug")),
            self.assertLogs("django.request", level="ERROR"),
        ):
            response = self.client.get("/initiatives/")
        self.assertEqual(response.status_code, 500)
        self.assertIn("Sorry, something went wrong", response.content.decode())
        self.assertNotIn("Retry-After", response)
