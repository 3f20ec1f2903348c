"""The main journeys through Headway, in Chromium, as the people who make them.

Each journey clicks and types as a person would, checks what the person should see at the end,
checks the database where the journey is meant to save (or not save) something, and runs axe
on the pages it passes through. Every test starts from a freshly loaded demo.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils import timezone
from playwright.sync_api import Page, expect

from headway.demo.data import DEMO_PASSWORD
from headway.finance.queries import releasable_funding
from headway.portfolio.models import Checkpoint, Decision, Initiative, Status
from tests.browser.conftest import assert_accessible

PMO = "pmo@demo.headway.test"
EXECUTIVE = "sro@demo.headway.test"
DELIVERY_LEAD = "delivery@demo.headway.test"


def open_initiative(page: Page, initiative: Initiative) -> None:
    """From any signed-in page, through the menu and the portfolio table."""
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Portfolio").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Portfolio")
    page.get_by_role("table").get_by_role("link", name=initiative.title, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(initiative.title)


def focused(page: Page) -> dict[str, str]:
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return {tag: e.tagName.toLowerCase(), id: e.id, name: e.getAttribute('name') || '',"
        " text: e.textContent.trim(), cls: e.className}; }"
    )


# a. Signing in and out -----------------------------------------------------------------------


def test_the_portfolio_office_signs_in_lands_on_at_a_glance_and_signs_out(
    page: Page, demo: Any, signed_in: Any, live_server: Any
):
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/sign-in/\?next=/$"))
    assert_accessible(page)

    signed_in(PMO, DEMO_PASSWORD)

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Portfolio at a glance")
    expect(page.get_by_role("banner")).to_contain_text("Gwen Tolhurst")
    expect(page.get_by_role("banner")).to_contain_text(demo.organisation.name)
    expect(page.get_by_role("navigation", name="Menu").get_by_role("link", name="Settings")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()

    expect(page).to_have_url(f"{live_server.url}/sign-out/")
    expect(page.get_by_role("heading", level=1)).to_have_text("You have signed out")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    assert_accessible(page)
    page.goto(f"{live_server.url}/initiatives/")
    expect(page).to_have_url(re.compile(r"/sign-in/"))


# b. Proposing an initiative ------------------------------------------------------------------


def test_the_portfolio_office_proposes_an_initiative_and_sees_its_page(
    page: Page, demo: Any, signed_in: Any, live_server: Any
):
    title = "Digital consent for planned surgery"
    signed_in(PMO, DEMO_PASSWORD)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Portfolio").click()
    page.get_by_role("button", name="Propose an initiative").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Propose an initiative")
    assert_accessible(page)

    page.get_by_label("Title").fill(title)
    page.get_by_label("What problem does it solve?").fill(
        "Paper consent forms go missing before surgery, and lists start late while they are found."
    )
    page.get_by_label("Which patients does it serve?").fill("Adults booked for planned surgery.")
    page.get_by_label("Which staff does it serve?").fill("Surgeons and pre-operative assessment nurses.")
    page.get_by_label("Senior responsible owner (SRO)").select_option(label="Marcus Adeyemi-Lund")
    page.get_by_label("SRO's directorate").fill("Operations")
    page.get_by_label("Delivery lead").select_option(label="Tomasz Wrenfield")
    page.get_by_role("group", name="Phase").get_by_label("Discovery").check()
    page.get_by_role("group", name="Strategic goals it supports").get_by_label("Safer care on every shift").check()
    page.get_by_label("Riskiest assumption").fill("Surgeons will accept consent taken on a tablet.")
    page.get_by_role("button", name="Propose the initiative").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(title)
    expect(page.get_by_role("alert")).to_contain_text(f"{title} has been proposed")
    expect(page.locator("main strong.nhsuk-tag").first).to_have_text("Proposed")
    expect(page.get_by_text("Paper consent forms go missing before surgery")).to_be_visible()
    assert_accessible(page)

    saved = Initiative.objects.get(organisation=demo.organisation, title=title)
    assert saved.status == Status.PROPOSED
    assert saved.sro is not None and saved.sro.email == EXECUTIVE
    assert [g.title for g in saved.goals.all()] == ["Safer care on every shift"]
    expect(page).to_have_url(f"{live_server.url}/initiatives/{saved.pk}/")


# c. The weekly checkpoint --------------------------------------------------------------------


def test_a_delivery_lead_records_the_weekly_checkpoint_and_sees_it_on_the_timeline(
    page: Page, demo: Any, signed_in: Any, live_server: Any
):
    initiative = (
        Initiative.objects.filter(delivery_lead__email=DELIVERY_LEAD, status=Status.ACTIVE)
        .order_by("reference")
        .first()
    )
    assert initiative is not None, "the demo delivery lead should lead an active initiative"
    demonstrated = "The discharge summary draft, generated from the clerking note, shown on ward 7"

    signed_in(DELIVERY_LEAD, DEMO_PASSWORD)
    open_initiative(page, initiative)
    page.get_by_role("button", name=re.compile(r"^(Record|Update) this week's checkpoint$")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Checkpoint for the week of")
    assert_accessible(page)

    page.get_by_label("What did the team demonstrate this week?").fill(demonstrated)
    page.get_by_label("Who saw it?").fill("Ward 7 doctors and the discharge team")
    page.get_by_role("group", name="Did anything reach real users this week?").get_by_label("Yes").check()
    page.get_by_label("What reached real users?").fill("Twelve discharge summaries sent to GPs from the draft.")
    page.get_by_role("group", name="Delivery confidence").get_by_label("Amber", exact=True).check()
    page.get_by_label("Why this rating?").fill("GP practices have not yet confirmed the summaries arrive whole.")
    page.get_by_label("What do you need from the board? (optional)").fill("Nothing this week.")
    page.get_by_role("button", name=re.compile(r"(Save|Update) the checkpoint")).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(initiative.title)
    expect(page.get_by_role("alert")).to_contain_text(re.compile(r"The checkpoint for the week of .* has been"))
    newest = page.locator("ol.app-timeline > li").first
    expect(newest).to_contain_text(demonstrated)
    expect(newest).to_contain_text("Amber")
    expect(newest).to_contain_text("Yes. Twelve discharge summaries sent to GPs")
    expect(newest).to_contain_text("Recorded by Tomasz Wrenfield")
    assert_accessible(page)

    checkpoint = Checkpoint.objects.filter(initiative=initiative).order_by("-week_start").first()
    assert checkpoint is not None and checkpoint.demonstrated == demonstrated
    assert checkpoint.confidence == "amber" and checkpoint.reached_real_users is True


# d. Stopping an initiative -------------------------------------------------------------------


def test_an_executive_stops_an_initiative_and_the_portfolio_shows_it_stopped_with_the_reason(
    page: Page, demo: Any, signed_in: Any, live_server: Any
):
    initiative = (
        Initiative.objects.for_organisation(demo.organisation)
        .filter(status=Status.ACTIVE)
        .exclude(delivery_lead__email=DELIVERY_LEAD)
        .order_by("reference")
        .first()
    )
    assert initiative is not None
    reason = "Four months without anything reaching real users, and the supplier cannot say when it will."

    signed_in(EXECUTIVE, DEMO_PASSWORD)
    open_initiative(page, initiative)
    page.get_by_role("button", name="Record a decision").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Record a decision")
    assert_accessible(page)

    page.get_by_role("group", name="What was decided?").get_by_label("Stop").check()
    page.get_by_label("Why?").fill(reason)
    page.get_by_label("What evidence was considered?").fill("The last twelve checkpoints and the supplier's plan.")
    page.get_by_label("Who decided?").fill("Digital Investment Board")
    has_future_funding = bool(releasable_funding(initiative, timezone.localdate()))
    page.get_by_role("button", name="Record the decision").click()

    expect(page.get_by_role("alert")).to_contain_text(
        f"The decision to stop {initiative.reference} has been recorded. Its status is now stopped."
    )
    if has_future_funding:  # the step after a stop (ADR 20): release its future funding, or keep it
        expect(page.get_by_role("heading", level=1)).to_contain_text("Release its future funding?")
        assert_accessible(page)
        page.get_by_role("link", name="Keep it all").click()
    expect(page.locator("main h1 + p strong.nhsuk-tag").first).to_have_text("Stopped")
    assert_accessible(page)

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Portfolio").click()
    recent = page.locator("h2:text-is('Recent decisions') + ul > li").first
    expect(recent).to_contain_text("Stop")
    expect(recent).to_contain_text(f"{initiative.reference} {initiative.title}")
    expect(recent).to_contain_text(reason)
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=initiative.title, exact=True))
    expect(row.get_by_role("cell").nth(3)).to_have_text("Stopped")
    assert_accessible(page)

    initiative.refresh_from_db()
    assert initiative.status == Status.STOPPED
    decision = Decision.objects.filter(initiative=initiative).order_by("-pk").first()
    assert decision is not None and decision.kind == Decision.Kind.STOP and decision.rationale == reason


# e. A form with errors -----------------------------------------------------------------------


def test_an_incomplete_proposal_shows_its_errors_keeps_what_was_typed_and_saves_nothing(
    page: Page, demo: Any, signed_in: Any, live_server: Any
):
    count = Initiative.objects.count()
    signed_in(PMO, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/initiatives/new/")
    page.get_by_label("Title").fill("Half-written idea")
    page.get_by_label("Planned go-live").fill("2026-01-01")
    page.get_by_label("Start date").fill("2026-06-01")
    page.get_by_role("button", name="Propose the initiative").click()

    expect(page).to_have_title(re.compile(r"^Error: Propose an initiative"))
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("alert")).to_contain_text("There is a problem")
    expect(summary).to_be_focused()
    problem_link = summary.get_by_role("link", name=re.compile(r"^What problem does it solve\?: "))
    expect(problem_link).to_have_attribute("href", "#id_problem")
    expect(summary.get_by_role("link", name=re.compile(r"^Planned go-live: .*before the start date"))).to_be_visible()

    problem_group = page.locator(".nhsuk-form-group--error").filter(has=page.locator("#id_problem"))
    expect(problem_group.locator(".nhsuk-error-message")).to_contain_text("Error:")
    expect(page.locator("#id_problem")).to_have_attribute("aria-describedby", re.compile("id_problem_error"))
    expect(page.get_by_label("Title")).to_have_value("Half-written idea")
    expect(page.get_by_label("Start date")).to_have_value("2026-06-01")
    assert_accessible(page)

    problem_link.click()
    expect(page.locator("#id_problem")).to_be_focused()
    assert Initiative.objects.count() == count


def test_a_decision_without_its_reason_is_refused_and_the_initiative_is_unchanged(
    page: Page, demo: Any, signed_in: Any, live_server: Any
):
    initiative = Initiative.objects.for_organisation(demo.organisation).filter(status=Status.ACTIVE).first()
    assert initiative is not None
    decisions = Decision.objects.count()
    signed_in(EXECUTIVE, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/initiatives/{initiative.pk}/decisions/new/")
    page.get_by_role("group", name="What was decided?").get_by_label("Stop").check()
    page.get_by_label("Who decided?").fill("Trust Board")
    page.get_by_role("button", name="Record the decision").click()

    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name=re.compile(r"^Why\?: Write down why"))).to_have_attribute(
        "href", "#id_rationale"
    )
    expect(page.locator(".nhsuk-form-group--error .nhsuk-error-message").first).to_be_visible()
    expect(page.get_by_role("group", name="What was decided?").get_by_label("Stop")).to_be_checked()
    expect(page.get_by_label("Who decided?")).to_have_value("Trust Board")
    assert_accessible(page)

    initiative.refresh_from_db()
    assert initiative.status == Status.ACTIVE
    assert Decision.objects.count() == decisions


# f. Keyboard only ----------------------------------------------------------------------------


def test_a_keyboard_user_signs_in_with_tab_and_enter_alone(page: Page, demo: Any, live_server: Any):
    page.goto(f"{live_server.url}/sign-in/")
    # Tab until the email field has focus, however many steps that takes (at most the header).
    for _ in range(6):
        if focused(page)["name"] == "username":
            break
        page.keyboard.press("Tab")
    assert focused(page)["name"] == "username", focused(page)
    page.keyboard.type(PMO)
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "password"
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_contain_text("Portfolio at a glance")


def test_the_skip_link_is_the_first_thing_a_keyboard_reaches_and_moves_focus_to_the_main_content(
    page: Page, demo: Any, signed_in: Any, live_server: Any
):
    signed_in(PMO, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/initiatives/")
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Skip to main content", focused(page)
    expect(page.get_by_role("link", name="Skip to main content")).to_be_visible()
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "maincontent", focused(page)
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Propose an initiative", "the next Tab should land on the page's first action"


def test_on_the_sign_in_page_too_the_skip_link_comes_before_the_form(page: Page, demo: Any, live_server: Any):
    page.goto(f"{live_server.url}/sign-in/")
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Skip to main content", focused(page)
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "maincontent", focused(page)
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "username", focused(page)
