"""Every page is served with a Content-Security-Policy that forbids inline script and style, a
Permissions-Policy, and (signed in) `Cache-Control: no-store`; and no page carries inline script,
a `style` attribute or an event-handler attribute the policy would block."""

import datetime as dt
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import TestCase
from django.urls import NoReverseMatch, get_resolver, reverse

from headway.metrics import actions as metric_actions
from tests.factories import make_initiative, make_metric
from tests.personas import personas
from tests.test_boundary import walk

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


class InlineCode(HTMLParser):
    """Collects what a strict Content-Security-Policy would refuse to run or apply."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "script" and not names.get("src") and names.get("type") != "application/json":
            self.found.append(f"<script> without src at line {self.getpos()[0]}")
        if tag == "style":
            self.found.append(f"<style> at line {self.getpos()[0]}")
        for name, _value in attrs:
            if name == "style" or name.startswith("on"):
                self.found.append(f"{name}= on <{tag}> at line {self.getpos()[0]}")

    @classmethod
    def in_(cls, html: str) -> list[str]:
        parser = cls()
        parser.feed(html)
        return parser.found


def policy(response) -> dict[str, list[str]]:
    directives = {}
    for part in response.headers["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


class SecurityHeadersTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cast = personas("Header Trust")
        cls.initiative = make_initiative(cls.cast.trust, by=cls.cast.office, title="Headers initiative")
        cls.metric = make_metric(cls.cast.trust, name="Headers metric")
        for month in range(1, 13):
            metric_actions.record_observation(
                metric=cls.metric, by=cls.cast.office, period=dt.date(2025, month, 1), value=50 + month % 4
            )

    def pages(self):
        """Every address with no argument, and every address with one key given each object's key."""
        for name, kwargs in walk(get_resolver().url_patterns):
            if not kwargs:
                yield reverse(name)
            elif set(kwargs) == {"pk"}:
                for pk in {self.initiative.pk, self.metric.pk}:
                    try:
                        yield reverse(name, kwargs={"pk": pk})
                    except NoReverseMatch:
                        continue

    @pytest.mark.slow
    def test_no_page_has_inline_script_or_style_and_every_page_has_the_headers(self):
        self.client.force_login(self.cast.office)
        shown = 0
        for url in sorted(set(self.pages())):
            response = self.client.get(url)
            with self.subTest(url=url, status=response.status_code):
                self.assertIn("Content-Security-Policy", response.headers)
                self.assertIn("Permissions-Policy", response.headers)
                self.assertIn("no-store", response.headers.get("Cache-Control", ""))
                if response.status_code == 200 and "text/html" in response.headers["Content-Type"]:
                    shown += 1
                    self.assertEqual(InlineCode.in_(response.content.decode()), [])
        self.assertGreater(shown, 30)  # the walk really rendered the app's pages

    def test_the_policy_allows_scripts_and_styles_only_from_headway(self):
        response = self.client.get(reverse("accounts:login"))
        directives = policy(response)
        self.assertEqual(directives["script-src"], ["'self'"])
        self.assertEqual(directives["style-src"], ["'self'"])
        self.assertEqual(directives["frame-ancestors"], ["'none'"])
        self.assertEqual(directives["object-src"], ["'none'"])
        self.assertIn("camera=()", response.headers["Permissions-Policy"])
        self.assertIn("geolocation=()", response.headers["Permissions-Policy"])

    def test_the_sign_in_page_has_no_inline_script(self):
        response = self.client.get(reverse("accounts:login"))
        self.assertEqual(InlineCode.in_(response.content.decode()), [])
        self.assertContains(response, '<script type="module" src="/static/js/start.js"></script>', html=False)

    def test_signed_in_pages_are_never_cached_and_signing_out_does_not_leave_them_in_the_cache(self):
        self.client.force_login(self.cast.board)
        response = self.client.get(reverse("portfolio:glance"))
        self.assertIn("no-store", response.headers["Cache-Control"])
        self.assertIn("private", response.headers["Cache-Control"])

    def test_no_template_has_inline_script_style_or_event_handlers(self):
        for template in sorted(TEMPLATES.rglob("*.html")):
            with self.subTest(template=str(template.relative_to(TEMPLATES))):
                self.assertEqual(InlineCode.in_(template.read_text()), [])

    def test_the_parser_finds_what_the_policy_would_block(self):
        found = InlineCode.in_('<script>alert(1)</script><p style="color:red" onclick="x()"></p><script src="/a.js">')
        self.assertEqual(len(found), 3)
