"""Every page, printed: what is on the paper reads as the page does (issue 11, item 10).

The pages are those of the accessibility walk (every URL pattern, with its sample object from the
demo), seen as the portfolio office and then as a board member, with the browser laying them out
for print on A4 portrait: 210 mm less the 12 mm margins of static/app.css on each side is 186 mm,
703 pixels at 96 to the inch. On each page, nothing prints a link's address, nothing is wider
than the paper, no table or chart lies across another, every chart is there at its size, folded
text is open, and what is only for doing on a screen (menus, the skip link, filters, buttons,
a small form beside what it changes) is gone. A few key pages are then printed to PDF and read
back with pdftotext, as a person's printer would get them. docs/printing.md says what prints.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from django.urls import reverse
from playwright.sync_api import Page

from headway.assurance import pack_actions
from headway.assurance.models import BoardPack
from headway.demo.data import DEMO_PASSWORD
from tests.browser.test_accessibility import (
    BOARD,
    DOWNLOADS,
    NOT_PAGES,
    PMO,
    POST_ONLY,
    SIGNED_OUT,
    Demo,
    own_membership,
    pack_cover,
    pick,
    url_for,
    url_names,
)
from tests.tools import needs

PAPER_WIDTH = 703  # A4 portrait less the margins of @page in static/app.css, in CSS pixels
PAPER = {"width": PAPER_WIDTH, "height": 1000}

# What printing this page would get wrong, as sentences; `width` is the paper's width in pixels.
# (On a screen an NHS table reaches 2px past its column on each side, so that its cells' text lines up
# with the text around it; on paper those 2px are cut off, so a table must keep within the paper.)
PRINT_PROBLEMS = """(width) => {
  const found = [];
  const shown = (e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
  const label = (e) => {
    const names = typeof e.className === 'string' ? e.className.trim() : '';
    const classes = names ? '.' + names.split(/\\s+/).join('.') : '';
    const text = (e.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 50);
    return `${e.tagName.toLowerCase()}${classes}${text ? ` "${text}"` : ''}`;
  };

  for (const a of document.querySelectorAll('a[href]')) {
    const after = getComputedStyle(a, '::after').content;
    if (shown(a) && after && !['none', 'normal', '""'].includes(after)) {
      found.push(`${label(a)} prints ${after} after it`);
    }
  }
  if (document.body.innerText.includes('(Link:')) found.push('the text "(Link:" is printed');

  const wide = document.documentElement.scrollWidth;
  if (wide > width) found.push(`the page is ${wide}px wide, wider than the paper's ${width}px`);
  const main = document.querySelector('main').getBoundingClientRect();
  const boxes = [...document.querySelectorAll('main table, .app-chart__svg > svg, .app-pack-chart > svg')]
    .filter(shown).map(e => [e, e.getBoundingClientRect()]);
  for (const [e, box] of boxes) {
    if (box.right > main.right + 0.5 || box.left < main.left - 0.5) {
      const [left, right, edge] = [box.left, box.right, main.right].map(Math.round);
      found.push(`${label(e)} runs from ${left} to ${right}px, past the paper (0 to ${edge}px)`);
    }
  }
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const [a, p] = boxes[i], [b, q] = boxes[j];
    if (a.contains(b) || b.contains(a)) continue;
    const across = p.left < q.right - 3 && q.left < p.right - 3;
    if (across && p.top < q.bottom - 1 && q.top < p.bottom - 1) found.push(`${label(a)} overlaps ${label(b)}`);
  }

  for (const chart of document.querySelectorAll('.app-chart__svg > svg, .app-pack-chart > svg')) {
    const box = chart.getBoundingClientRect();
    if (!shown(chart) || box.width < 200 || box.height < 80) {
      const size = `${Math.round(box.width)}×${Math.round(box.height)}px`;
      found.push(`the chart in ${label(chart.closest('figure') || chart)} is hidden or squashed (${size})`);
    }
  }

  const screenOnly = 'nav, .nhsuk-skip-link, .nhsuk-back-link, .nhsuk-header__account, button, .nhsuk-button, '
    + '[role=button], input[type=submit], input[type=button], form[method=get], .app-filters';
  for (const e of document.querySelectorAll(screenOnly)) if (shown(e)) found.push(`${label(e)} is printed`);
  // A form that is the page prints as the record it holds; one to fill in beside what it changes,
  // in a later section of a page to read (a comment box under an initiative), means nothing on paper.
  const fields = 'input:not([type=hidden]):not([type=submit]), select, textarea';
  const sections = [...document.querySelectorAll('main h2')];
  for (const form of document.querySelectorAll('main form')) {
    const after = sections.filter(
      h => !form.contains(h) && (h.compareDocumentPosition(form) & Node.DOCUMENT_POSITION_FOLLOWING));
    if (shown(form) && [...form.querySelectorAll(fields)].some(shown) && after.length >= 2
        && form.getBoundingClientRect().height < main.height / 2) found.push(`the form ${label(form)} is printed`);
  }
  for (const details of document.querySelectorAll('main details')) {
    const folded = [...details.children].filter(c => c.tagName !== 'SUMMARY');
    if (shown(details) && !folded.every(shown)) found.push(`${label(details)} prints folded`);
  }

  const source = document.querySelector('.app-print-source');
  if (!source || !shown(source) || !source.textContent.includes(location.pathname)) {
    found.push('the line saying where and when the page came from is not printed');
  }
  return found;
}"""


def print_problems(page: Page) -> list[str]:
    return page.evaluate(PRINT_PROBLEMS, PAPER_WIDTH)


def walk(page: Page, live_server: Any, objects: Demo, found: dict[str, list[str]], who: str) -> list[str]:
    """Open every page `who` may open, laid out for print, noting what would print wrongly."""
    visited = []
    for name, _ in url_names():
        if name in SIGNED_OUT or name in POST_ONLY or name in NOT_PAGES or name in DOWNLOADS:
            continue
        url = url_for(name, objects)
        response = page.goto(live_server.url + url)
        if response is None or response.status != 200 or page.url != live_server.url + url:
            assert who != "portfolio office", f"{url} answered {response and response.status}, at {page.url}"
            continue  # not a page for a board member
        if problems := print_problems(page):
            found[f"{url} ({who})"] = problems
        visited.append(url)
    return visited


def published_pack(objects: Demo) -> BoardPack:
    """A published pack of the demo's, or one drafted and published here through the page's actions."""
    organisation = objects.initiative.organisation
    pack = BoardPack.objects.for_organisation(organisation).published().order_by("-pk").first()
    if pack is None:
        by = own_membership(objects).user
        pack = pack_actions.create_pack(
            organisation=organisation,
            by=by,
            fields=pack_cover(),
        )
        pack = pack_actions.publish_pack(pack=pack, by=by)
    return pack


def pdf_text(page: Page, folder: Path, name: str) -> str:
    path = folder / f"{name}.pdf"
    page.pdf(path=str(path), format="A4")
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


def test_the_print_check_reports_what_would_print_wrongly(page: Page, live_server: Any):
    page.set_viewport_size(PAPER)
    page.emulate_media(media="print")
    page.goto(live_server.url + reverse("accounts:login"))
    assert print_problems(page) == []
    page.evaluate(
        """document.querySelector('main').insertAdjacentHTML('beforeend',
          '<p><a href="/initiatives/" class="nhsuk-link">Initiatives</a></p>'
          + '<table><caption>Too wide</caption><tr><td><div class="app-wide"></div></td></tr></table>'
          + '<details class="nhsuk-details"><summary>More</summary>'
          + '<div class="nhsuk-details__text">Folded</div></details>'
          + '<nav>Menu</nav><h2>One</h2><h2>Two</h2>'
          + '<form method="post" class="app-probe"><textarea name="q"></textarea></form>');
        const rules = new CSSStyleSheet();
        rules.replaceSync(`@media print { main a[href]::after { content: " (Link: " attr(href) ")" !important; }
          .app-wide { width: 900px; height: 10px; }
          details::details-content { content-visibility: hidden; display: none; } }`);
        document.adoptedStyleSheets = [rules];"""
    )
    problems = "\n".join(print_problems(page))
    expected_problems = (
        "(Link: /initiatives/)",
        "wider than the paper",
        "past the paper",
        "prints folded",
        'nav "Menu" is printed',
        "the form form.app-probe is printed",
    )
    for expected in expected_problems:
        assert expected in problems, f"The check missed {expected!r}; it found:\n{problems}"


def test_every_page_prints_cleanly_for_the_portfolio_office_and_the_board(
    page: Page, demo: Any, signed_in: Any, live_server: Any, tmp_path: Path
):
    objects = pick(demo.organisation)
    page.set_viewport_size(PAPER)
    found: dict[str, list[str]] = {}

    signed_in(PMO, DEMO_PASSWORD)
    page.emulate_media(media="print")
    visited = walk(page, live_server, objects, found, "portfolio office")
    assert len(visited) >= 25, visited
    pack = published_pack(objects)  # (before the board signs in: publishing is the office's)

    page.context.clear_cookies()
    page.emulate_media(media="screen")  # (on paper there is no button to sign in with)
    signed_in(BOARD, DEMO_PASSWORD)
    page.emulate_media(media="print")
    assert len(walk(page, live_server, objects, found, "board member")) >= 10
    assert found == {}, "These pages would print wrongly:\n" + "\n".join(
        f"{url}:\n  " + "\n  ".join(problems) for url, problems in found.items()
    )

    # The key pages a board member prints, as the printer gets them.
    needs("pdftotext", "poppler-utils")
    key_pages = {
        "at a glance": reverse("portfolio:glance"),
        "portfolio": reverse("portfolio:list"),
        "initiative": reverse("portfolio:detail", args=[objects.initiative.pk]),
        "metric": reverse("metrics:detail", args=[objects.metric.pk]),
        "pitfalls": reverse("portfolio:pitfalls"),
        "questions": reverse("portfolio:questions"),
        "board pack": reverse("portfolio:pack", args=[pack.pk]),
    }
    for name, url in key_pages.items():
        page.goto(live_server.url + url)
        heading = page.locator("h1").inner_text().split("\n")[-1].strip()
        text = " ".join(pdf_text(page, tmp_path, name.replace(" ", "-")).split())
        assert "(Link:" not in text, f"The {name} page's PDF prints link addresses"
        assert heading in text, f"The {name} page's PDF lacks its heading {heading!r}"
        source = f"From Headway, {live_server.url}{url}, as it stood at"
        assert source in text, f"The {name} page's PDF lacks the line saying where it came from"
