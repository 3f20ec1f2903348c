"""Browser journeys: Debian's Chromium driven by Playwright, with axe-core on every page."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

AXE = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core on the page as it is now; return the WCAG 2.2 A/AA violations."""
    # Evaluated rather than added as a <script>: the Content-Security-Policy (rightly) refuses
    # inline script, and the test's own tooling is not part of the page.
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


# Installed before any page script runs: records whatever the Content-Security-Policy blocks.
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline code"}`);
});
"""


def assert_accessible(page: Page) -> None:
    """axe-core finds no WCAG 2.2 A/AA violation, and the browser blocked nothing the page asked
    for under the Content-Security-Policy (ADR 23)."""
    blocked = page.evaluate("() => window.__cspViolations || []")
    assert blocked == [], f"{page.url}: the Content-Security-Policy blocked {blocked}"
    violations = axe_violations(page)
    assert violations == [], f"{page.url}: {json.dumps(violations, indent=1)}"


@pytest.fixture
def signed_in(page: Page, live_server: Any) -> Iterator[Any]:
    """A function that signs a person in through the real form and returns the page."""

    def sign_in(email: str, password: str) -> Page:
        page.goto(f"{live_server.url}/sign-in/")
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        return page

    yield sign_in


# The demo data ---------------------------------------------------------------------------------
#
# pytest-django gives every test that uses `live_server` a transactional database, and empties
# every table when the test ends, so data loaded once for the session would be gone by the
# second test. Each browser test therefore loads the demo afresh (about a second with the test
# settings' fast password hashing), which also keeps the tests independent of one another:
# a decision recorded in one journey cannot change what another one sees.


@pytest.fixture
def demo(live_server: Any, transactional_db: None) -> Any:
    """The demo organisations, loaded into the live server's database with today's dates."""
    from django.utils import timezone

    from headway.demo.loader import load_demo

    return load_demo(today=timezone.localdate())


@pytest.fixture
def page(page: Page, live_server: Any) -> Page:
    """Playwright's page at a desktop size, failing fast instead of waiting half a minute.

    Requests that leave the live server (the design system's web fonts on assets.nhs.uk) are
    refused at once: the test machines have no internet, and waiting for the name lookup to
    fail made some page loads take five seconds.
    """
    page.add_init_script(RECORD_CSP_VIOLATIONS)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.set_default_timeout(10_000)
    page.route(lambda url: not url.startswith(live_server.url), lambda route: route.abort())
    return page
