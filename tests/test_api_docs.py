"""The API's readable docs page works under the Content-Security-Policy and with no outside
network: every script and style comes from this site, none is inline, and the page reads the
OpenAPI document served beside it (ADR 31)."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

from django.contrib.staticfiles import finders
from django.test import TestCase

from tests.test_security_headers import InlineCode, policy


class Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.settings = ""
        self._in_settings = False

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "script" and names.get("src"):
            self.found.append(names["src"])
        if tag == "link" and names.get("href"):
            self.found.append(names["href"])
        self._in_settings = tag == "script" and names.get("type") == "application/json"

    def handle_data(self, data):
        if self._in_settings:
            self.settings += data


class ApiDocsPageTest(TestCase):
    def test_the_docs_page_loads_only_this_sites_files_and_no_inline_code(self):
        response = self.client.get("/api/v1/docs")
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertEqual(InlineCode.in_(html), [])
        directives = policy(response)
        self.assertEqual(directives["script-src"], ["'self'"])
        assets = Assets()
        assets.feed(html)
        self.assertTrue(any(a.endswith("swagger-ui-bundle.js") for a in assets.found))
        for asset in assets.found:
            with self.subTest(asset=asset):
                self.assertTrue(asset.startswith("/static/"), asset)
                self.assertIsNotNone(finders.find(asset.removeprefix("/static/")), asset)
        self.assertEqual(json.loads(assets.settings)["url"], "/api/v1/openapi.json")

    def test_the_document_it_reads_needs_no_token(self):
        response = self.client.get("/api/v1/openapi.json")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["info"]["title"], "Headway API")
        self.assertIn("TokenAuth", response.json()["components"]["securitySchemes"])

    def test_the_start_script_reads_its_settings_from_the_page_not_inline_code(self):
        script = Path(finders.find("ninja/swagger-ui-init.js")).read_text()
        self.assertIn("swagger-settings", script)
