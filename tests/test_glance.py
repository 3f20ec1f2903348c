"""At a glance names names: every count links to a list of exactly what it counts, the worst
initiatives and risks are named, and the board's asks from recent checkpoints are listed."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from unittest.mock import patch

from django.test import TestCase
from django.urls import reverse

from headway.assurance import glance as glance_figures
from headway.lib.weeks import week_start
from headway.metrics.models import Metric, Verdict
from headway.portfolio.models import Checkpoint, Initiative, Phase, Risk, Status
from headway.views import PAGE_SIZE
from tests.clock import TODAY
from tests.personas import personas

THIS_WEEK = week_start(TODAY)


class _Page(HTMLParser):
    """The counts on a page (links with class "app-count": their number and address), the
    numeric table cells and big figures with no count link in them, and the rows of the list
    table (the one inside "app-table-scroll")."""

    def __init__(self) -> None:
        super().__init__()
        self.counts: list[tuple[int, str]] = []
        self.unlinked: list[str] = []
        self.rows = 0
        self._count_href: str | None = None
        self._count_text = ""
        self._scroll_depth = 0
        self._div_depth = 0
        self._in_body = False
        self._cell: list[str] | None = None  # text of an open numeric cell, or None
        self._cell_linked = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "div":
            self._div_depth += 1
            if "app-table-scroll" in classes and not self._scroll_depth:
                self._scroll_depth = self._div_depth
        if tag == "tbody" and self._scroll_depth:
            self._in_body = True
        if tag == "tr" and self._in_body:
            self.rows += 1
        if tag == "td" and "nhsuk-table__cell--numeric" in classes:
            self._cell, self._cell_linked = [], False
        if "app-figure" in classes and "app-count" not in classes:
            self.unlinked.append("a figure with no link")
        if tag == "a" and "app-count" in classes:
            self._count_href, self._count_text = dict(attrs)["href"], ""
            self._cell_linked = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "div":
            if self._div_depth == self._scroll_depth:
                self._scroll_depth = 0
            self._div_depth -= 1
        if tag == "tbody":
            self._in_body = False
        if tag == "td" and self._cell is not None:
            if not self._cell_linked:
                self.unlinked.append("".join(self._cell).strip())
            self._cell = None
        if tag == "a" and self._count_href is not None:
            number = re.match(r"\s*(\d+)", self._count_text)
            assert number, f"a count link with no number: {self._count_text!r}"
            self.counts.append((int(number.group(1)), self._count_href.replace("&amp;", "&")))
            self._count_href = None

    def handle_data(self, data: str) -> None:
        if self._count_href is not None:
            self._count_text += data
        if self._cell is not None:
            self._cell.append(data)


def read(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


class GlanceTest(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cast = personas()
        cls.cast = cast
        trust = cast.trust
        made = iter(range(1, 1000))

        def initiative(status: str, phase: str = Phase.BETA, organisation=trust, **fields) -> Initiative:
            n = next(made)
            return Initiative.objects.create(
                organisation=organisation,
                reference=f"GL-{n:03d}",
                title=f"Glance initiative {n}",
                problem="p",
                status=status,
                phase=phase,
                delivery_lead=cast.lead,
                start_date=TODAY - dt.timedelta(days=200),
                **fields,
            )

        def checkpoint(i: Initiative, weeks_ago: int, confidence: str, asks: str = "") -> Checkpoint:
            return Checkpoint.objects.create(
                initiative=i,
                week_start=THIS_WEEK - dt.timedelta(weeks=weeks_ago),
                confidence=confidence,
                confidence_reason="Because.",
                asks_of_the_board=asks,
            )

        # Active: red now (fell from green), red, amber, green, never checked in, overdue (last 5 weeks ago).
        cls.red_falling = initiative(Status.ACTIVE, Phase.ALPHA)
        checkpoint(cls.red_falling, 3, "green")
        checkpoint(cls.red_falling, 0, "red", asks="Approve a further £40,000 for the pilot.")
        cls.red = initiative(Status.ACTIVE)
        checkpoint(cls.red, 1, "red", asks="Decide whether to pause until the supplier replies.")
        checkpoint(cls.red, 2, "amber", asks="An old ask, two weeks ago.")
        cls.amber = initiative(Status.ACTIVE, Phase.LIVE)
        checkpoint(cls.amber, 0, "amber")
        cls.green = initiative(Status.ACTIVE, Phase.DISCOVERY)
        checkpoint(cls.green, 0, "green", asks="")
        cls.unchecked = initiative(Status.ACTIVE)
        cls.overdue = initiative(Status.ACTIVE)
        checkpoint(cls.overdue, 5, "amber")
        cls.proposed = [initiative(Status.PROPOSED, Phase.DISCOVERY), initiative(Status.PROPOSED, Phase.ALPHA)]
        cls.paused = initiative(Status.PAUSED, Phase.BETA)
        checkpoint(cls.paused, 0, "red", asks="Agree to stop it for good.")
        cls.stopped = initiative(Status.STOPPED, Phase.BETA)
        checkpoint(cls.stopped, 0, "red")
        cls.completed = initiative(Status.COMPLETED, Phase.LIVE)
        Initiative.objects.filter(organisation=trust).refresh_checkpoint_summaries()

        falls = {"metric": 1, "name": "Falls", "kind": "outcome", "variation_icon": "concern_high"}
        Verdict.objects.create(initiative=cls.red_falling, state="deteriorating", drivers=[falls], flags=["mixed"])
        Verdict.objects.create(initiative=cls.amber, state="improving")
        Verdict.objects.create(
            initiative=cls.green, state="not_measured", flags=["no_outcome_or_adoption", "activity_only"]
        )
        Verdict.objects.create(initiative=cls.red, state="no_change", flags=["some_without_enough_data"])
        Verdict.objects.create(initiative=cls.stopped, state="deteriorating", flags=["mixed"])

        def metric(name: str, kind: str, *linked: Initiative) -> None:
            m = Metric.objects.create(
                organisation=trust,
                name=name,
                definition="d",
                kind=kind,
                beneficiary="patients",
                unit="%",
                improvement_direction="increase",
                frequency="monthly",
                data_source="s",
                latest_period=TODAY - dt.timedelta(days=120),
            )
            m.initiatives.add(*linked)

        metric("Old outcome", "outcome", cls.red_falling, cls.amber)
        metric("Old adoption", "adoption", cls.amber)  # the same initiative twice: counted once
        metric("Old activity", "activity", cls.green)  # activity is not an impact measure

        def risk(likelihood: int, consequence: int, review_in_days: int, on: Initiative | None = None, **fields):
            return Risk.objects.create(
                organisation=fields.pop("organisation", trust),
                initiative=on,
                title=fields.pop("title", f"Risk {likelihood}x{consequence}"),
                likelihood=likelihood,
                consequence=consequence,
                next_review=TODAY + dt.timedelta(days=review_in_days),
                **fields,
            )

        cls.supplier = risk(4, 4, 10, cls.red, title="The supplier may not deliver the interface")
        cls.portfolio_risk = risk(5, 3, -3, None, title="Too few analysts across the portfolio")
        risk(3, 5, -1, cls.amber)
        risk(3, 3, -10, cls.green)  # high, overdue
        risk(2, 2, 30, cls.green)
        risk(5, 5, -20, cls.red, status=Risk.State.CLOSED, title="A closed extreme risk")

        # Another trust's red initiative, extreme risk and ask are not this trust's business.
        other = initiative(Status.ACTIVE, organisation=cast.other_trust)
        checkpoint(other, 0, "red", asks="Another trust's ask.")
        Initiative.objects.filter(pk=other.pk).refresh_checkpoint_summaries()
        risk(5, 5, -5, other, organisation=cast.other_trust, title="Another trust's extreme risk")

    def setUp(self) -> None:
        self.client.force_login(self.cast.board)

    def glance(self) -> str:
        response = self.client.get(reverse("portfolio:glance"))
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_every_count_links_to_a_list_of_exactly_that_many(self):
        page = read(self.glance())
        self.assertEqual(page.unlinked, [], "every count on the page links to what it counts")
        self.assertGreaterEqual(len(page.counts), 25)
        self.assertTrue(any(n > 1 for n, _ in page.counts))
        wrong = []
        for count, url in page.counts:
            listed = self.client.get(url)
            self.assertEqual(listed.status_code, 200, url)
            html = listed.content.decode()
            rows = read(html).rows
            # A long list is paged: its caption gives the whole number, the first page up to PAGE_SIZE rows.
            caption = re.search(r"(\d+) (?:open risks?|initiatives?)\b", html)
            total = int(caption.group(1)) if caption else 0
            if rows != min(count, PAGE_SIZE) or total != count:
                wrong.append(f"{url}: the page says {count}, the list shows {rows} rows of {total}")
            if "?" in url:
                self.assertIn("Clear filters", html, f"{url} shows that it is filtered")
        self.assertEqual(wrong, [])

    def test_the_filtered_lists_show_the_right_items(self):
        def references(url: str) -> set[str]:
            return set(re.findall(r"GL-\d{3}", self.client.get(url).content.decode()))

        extreme = self.client.get(reverse("portfolio:risks") + "?level=extreme").content.decode()
        self.assertIn(self.supplier.title, extreme)
        self.assertIn(self.portfolio_risk.title, extreme)
        self.assertNotIn("A closed extreme risk", extreme)
        self.assertNotIn("Another trust", extreme)
        self.assertNotIn("Risk 3x3", extreme)
        stale = references(reverse("portfolio:list") + "?status=active&warning=stale")
        self.assertEqual(stale, {self.red_falling.reference, self.amber.reference})
        no_outcome = references(reverse("portfolio:list") + "?status=active&warning=no_outcome_or_adoption")
        # The green one says so; the three with no verdict row have never had a measure linked.
        expected = {self.green.reference, self.unchecked.reference, self.overdue.reference}
        self.assertEqual(no_outcome, expected)
        current = references(reverse("portfolio:list") + "?status=current&phase=alpha")
        self.assertEqual(current, {self.red_falling.reference, self.proposed[1].reference})

    def test_the_red_the_deteriorating_and_the_extreme_risks_are_named_with_links(self):
        html = self.glance()
        for i in (self.red_falling, self.red):
            self.assertIn(f'href="{reverse("portfolio:detail", args=[i.pk])}">{i.reference} {i.title}</a>', html)
        red_section = html.split('id="red"')[1].split("<h3")[0]
        self.assertNotIn(self.paused.reference, red_section)  # paused: not active
        self.assertNotIn(self.stopped.reference, red_section)
        self.assertNotIn("Another trust", html)
        working = html.split('id="is-it-working"')[1].split("<h2")[0]
        self.assertIn(f"{self.red_falling.reference} {self.red_falling.title}</a>", working)
        self.assertNotIn(self.stopped.reference, working)
        risks = html.split('id="extreme-risks"')[1].split("<h2")[0]
        self.assertIn(self.supplier.title, risks)
        self.assertIn(f"{self.red.reference} {self.red.title}</a>", risks)
        self.assertIn(self.portfolio_risk.title, risks)
        self.assertEqual(risks.count("<li>"), 3)

    def test_the_board_sees_this_and_last_weeks_asks_each_linked_to_its_initiative(self):
        html = self.glance()
        asks = html.split('id="asks"')[1].split("<h2")[0]
        for i, text in (
            (self.red_falling, "Approve a further £40,000 for the pilot."),
            (self.red, "Decide whether to pause until the supplier replies."),
            (self.paused, "Agree to stop it for good."),
        ):
            self.assertIn(text, asks)
            self.assertIn(f'href="{reverse("portfolio:detail", args=[i.pk])}">{i.reference}', asks)
        self.assertNotIn("An old ask", asks)
        self.assertNotIn("Another trust", asks)
        self.assertEqual(asks.count("<li>"), 3)

    def test_past_the_names_shown_a_see_all_link_leads_to_exactly_that_many(self):
        # Name one of each, so the rest are behind "See all N", as in a large trust.
        with patch.object(glance_figures, "NAMED_AT_MOST", 1):
            html = self.glance()
        links = re.findall(r'<a href="([^"]+)">See all (\d+) ([a-z ]+?)</a>', html)
        self.assertEqual(
            {what for _, _, what in links},
            {
                "initiatives asking the board for a decision",
                "initiatives rated red",
                "extreme risks",
            },
        )
        for url, count, what in links:
            listed = self.client.get(url.replace("&amp;", "&")).content.decode()
            caption = re.search(r"(\d+) (?:open risks?|initiatives?)\b", listed)
            self.assertEqual(int(caption.group(1)) if caption else 0, int(count), f"{what}: {url}")
        self.assertEqual(html.split('id="asks"')[1].split("<h2")[0].count("<li>"), 1)

    def test_with_nothing_to_name_the_page_says_so(self):
        Checkpoint.objects.update(asks_of_the_board="")
        Risk.objects.update(likelihood=1)
        Initiative.objects.update(current_confidence="green")
        html = self.glance()
        self.assertIn("No checkpoint this week or last week asks the board for a decision.", html)
        self.assertIn("latest checkpoint rates its delivery confidence red.", html)
        self.assertIn("No open risk is extreme.", html)


class FilterFormTest(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = personas()

    def setUp(self) -> None:
        self.client.force_login(self.cast.board)

    def test_a_rating_that_week_without_a_week_says_what_is_missing_and_keeps_the_choice(self):
        response = self.client.get(reverse("portfolio:list") + "?week_confidence=red&status=active")
        self.assertContains(response, "Enter the week the rating was given in")
        self.assertContains(response, '<option value="red" selected>')

    def test_any_day_of_a_week_means_that_week(self):
        from headway.portfolio.forms import PortfolioFilterForm

        form = PortfolioFilterForm({"week": "2026-12-03"}, organisation=self.cast.trust)
        self.assertTrue(form.is_valid(), form.errors)
        self.assertEqual(form.cleaned_data["week"], THIS_WEEK)
