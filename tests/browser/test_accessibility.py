"""Every page, checked by axe-core for WCAG 2.2 A and AA.

The pages come from the URL resolver: every pattern in the `portfolio` and `accounts`
namespaces is visited, so a new page is checked as soon as it has a URL. A page whose URL needs
an object (an initiative, a risk, a goal...) needs a line in `SAMPLES` that picks one from the
demo; the first test fails, naming the page, until it has one. Pages are seen as the portfolio
office (the role that sees the most), the signed-out pages signed out, and every form that
creates something also in its error state.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.tokens import default_token_generator
from django.db.models import Count
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import Page, expect

from headway.accounts import actions as accounts_actions
from headway.accounts.models import Invitation, Membership, User
from headway.accounts.roles import Role
from headway.assurance import actions as assurance_actions
from headway.assurance import pack_actions
from headway.assurance.models import BoardPack, PrincipalRisk
from headway.demo.data import DEMO_PASSWORD
from headway.finance import queries as finance_queries
from headway.finance.models import Actual, BenefitLine, BusinessCase, CostLine, FundingLine
from headway.imports import actions as import_actions
from headway.imports.models import Upload
from headway.lib import exports
from headway.lib.weeks import week_start
from headway.metrics.models import Annotation, Metric
from headway.portfolio import actions as portfolio_actions
from headway.portfolio.models import Decision, Initiative, Risk, Service, Status, StrategicGoal, UserNeed
from headway.prioritisation.models import Candidate, Round
from tests.browser.conftest import axe_violations

NAMESPACES = ("portfolio", "accounts", "metrics", "prioritisation", "finance", "imports", "api", "transfer")
PMO = "pmo@demo.headway.test"
BOARD = "board@demo.headway.test"

# Endpoints that only accept POST: a GET goes back to the form's page, and there is no page to check.
POST_ONLY = {
    "portfolio:comment",
    "accounts:logout",
    "prioritisation:run",
    "prioritisation:close",
    "prioritisation:adopt",
    "portfolio:pack_publish",
    "imports:confirm",
}
# Files to download, not pages: answered with the file.
DOWNLOADS = {
    "portfolio:pack_pdf",
    "portfolio:pack_xlsx",
    "portfolio:weeknotes_feed",
    "imports:template",
    "transfer:download",
}
# Addresses a page's script calls, not pages: they answer with no content.
NOT_PAGES = {"accounts:still_here"}
# Removals that ask first (headway/confirm.py): a GET shows the page asking, which is checked like
# any other page; a POST removes.
CONFIRM_REMOVE = {
    "portfolio:need_delete",
    "metrics:annotation_delete",
    "accounts:person_remove",
    "finance:funding_delete",
    "finance:case_delete",
    "finance:cost_delete",
    "finance:benefit_delete",
    "finance:actual_delete",
    "portfolio:principal_risk_remove",
    "api:token_revoke",
}
# Pages for people who are not signed in.
SIGNED_OUT = {
    "accounts:login",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
}


@dataclass
class Demo:
    """The demo objects the pages are shown with."""

    initiative: Initiative  # active, with the most risks, comments and needs
    stopped: Initiative
    need: UserNeed
    risk: Risk
    goal: StrategicGoal
    service: Service
    membership: Membership
    metric: Metric  # the one with the most data
    annotation: Annotation
    round: Round | None  # the organisation's first open prioritisation round
    scenario: Round | None  # the first what-if scenario
    candidate: Candidate | None  # the first candidate in that round
    money: Initiative | None = None  # the active initiative with the most business cases
    funding: FundingLine | None = None
    case: BusinessCase | None = None  # its latest business case
    cost: CostLine | None = None
    benefit: BenefitLine | None = None
    actual: Actual | None = None


def needed(obj: Any, what: str) -> Any:
    """Fail clearly, naming what the demo lacks, rather than skip a page."""
    assert obj is not None, f"The demo has no {what}: add one to headway/demo so its pages can be checked."
    return obj


def pick(organisation: Any) -> Demo:
    initiatives = Initiative.objects.for_organisation(organisation)
    busiest = (
        initiatives.filter(status=Status.ACTIVE)
        .annotate(
            richness=Count("risks", distinct=True)
            + Count("comments", distinct=True)
            + Count("user_needs", distinct=True)
        )
        .order_by("-richness", "reference")
        .first()
    )
    assert busiest is not None
    return Demo(
        initiative=busiest,
        stopped=initiatives.filter(status=Status.STOPPED).order_by("reference").first(),
        need=busiest.user_needs.first(),
        risk=Risk.objects.for_organisation(organisation).filter(initiative__isnull=True).first()
        or Risk.objects.for_organisation(organisation).first(),
        goal=StrategicGoal.objects.for_organisation(organisation).first(),
        service=Service.objects.for_organisation(organisation).first(),
        membership=Membership.objects.for_organisation(organisation).filter(role="viewer").first(),
        metric=Metric.objects.for_organisation(organisation).order_by("-point_count", "name").first(),
        annotation=Annotation.objects.filter(metric__organisation=organisation).order_by("pk").first(),
        round=(first_round := Round.objects.for_organisation(organisation).rounds()
               .filter(status=Round.State.OPEN).order_by("held_on", "pk").first()),
        scenario=Round.objects.for_organisation(organisation).filter(scenario_of__isnull=False).order_by("pk").first(),
        candidate=first_round.candidates.order_by("pk").first() if first_round else None,
        **money_sample(organisation),
    )


def money_sample(organisation: Any) -> dict[str, Any]:
    """An active initiative with money of every kind, and one of each of its money records."""
    money = (
        Initiative.objects.for_organisation(organisation)
        .filter(status=Status.ACTIVE, business_cases__benefits__isnull=False, actuals__isnull=False,
                funding_lines__isnull=False)
        .annotate(cases=Count("business_cases", distinct=True))
        .order_by("-cases", "reference")
        .first()
    )
    if money is None:
        return {}
    case = BusinessCase.objects.for_organisation(organisation).filter(initiative=money).order_by("-stage").first()
    return {
        "money": money,
        "funding": money.funding_lines.order_by("pk").first(),
        "case": case,
        "cost": case.costs.order_by("pk").first() if case else None,
        "benefit": case.benefits.order_by("pk").first() if case else None,
        "actual": money.actuals.order_by("pk").first(),
    }


def own_membership(d: Demo) -> Membership:
    return Membership.objects.get(user__email=PMO, organisation_id=d.initiative.organisation_id)


_TOKENS: dict[int, int] = {}


def token_sample(d: Demo) -> dict[str, Any]:
    """A personal access token of the portfolio office's own (a person sees only their own)."""
    from headway.api import actions as api_actions
    from headway.api.models import AccessToken

    membership = own_membership(d)
    made = _TOKENS.get(membership.pk)
    if made is None or not AccessToken.objects.filter(pk=made, revoked_at__isnull=True).exists():
        token, _secret = api_actions.create_token(
            membership=membership, by=membership.user, name="Board report", can_write=False, days=90
        )
        made = _TOKENS[membership.pk] = token.pk
    return {"pk": made}


def reversible_decision(d: Demo) -> Decision:
    """The newest decision of the demo that can still be reversed."""
    organisation = d.initiative.organisation
    decisions = Decision.objects.filter(initiative__organisation=organisation).order_by("-decided_on", "-pk")
    found = next((x for x in decisions if not portfolio_actions.reversal_refusal(x)), None)
    return needed(found, "reversible decision")


def paused_with_funding_to_release(d: Demo) -> Initiative:
    """The page that offers to release funding needs an initiative just paused with requested or
    approved money for later years. The demo tells no such story, so one is paused here (the last
    pages the walk visits), through the same action as the decision form."""
    today = timezone.localdate()
    for initiative in Initiative.objects.for_organisation(d.initiative.organisation).filter(
        status=Status.ACTIVE
    ).exclude(pk__in=[d.initiative.pk, getattr(d.money, "pk", None)]).order_by("reference"):
        if finance_queries.releasable_funding(initiative, today):
            assurance_actions.record_decision(
                initiative=initiative,
                by=own_membership(d).user,
                kind="pause",
                rationale="Paused while the national funding decision is awaited",
                evidence="Letter from the regional team, this week",
                decided_by="Digital Board",
                decided_on=today,
            )
            return initiative
    return needed(None, "active initiative with funding for later years")


_INVITATIONS: dict[int, tuple[Invitation, str]] = {}


def invitation_sample(d: Demo) -> tuple[Invitation, str]:
    """An invitation waiting for an answer, and the token of its link (only its digest is stored,
    so the walk makes one, through the same action as the people page)."""
    organisation = d.initiative.organisation
    made = _INVITATIONS.get(organisation.pk)
    if made is None or not Invitation.objects.filter(pk=made[0].pk).exists():
        _INVITATIONS[organisation.pk] = accounts_actions.invite_member(
            organisation=organisation,
            by=own_membership(d).user,
            email="new.starter@example.nhs.uk",
            full_name="New Starter",
            role="viewer",
        )
    return _INVITATIONS[organisation.pk]


def reset_link_kwargs(_: Demo) -> dict[str, str]:
    user = User.objects.get(email=PMO)
    return {"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)}


# The arguments each page with arguments is visited with.
_PACKS: dict[int, BoardPack] = {}


def pack_sample(d: Demo) -> BoardPack:
    """A draft board pack (the pages of a draft show every button), drafted through the same
    action as the page, once per organisation."""
    organisation = d.initiative.organisation
    made = _PACKS.get(organisation.pk)
    if made is None or not BoardPack.objects.filter(pk=made.pk).exists():
        _PACKS[organisation.pk] = pack_actions.create_pack(
            organisation=organisation,
            by=own_membership(d).user,
            fields=pack_cover(),
        )
    return _PACKS[organisation.pk]


_UPLOADS: dict[tuple[int, bool], Upload] = {}


def removed_upload_sample(d: Demo) -> Upload:
    """An import made long ago whose file `remove_old_import_files` has let go."""
    person = own_membership(d).user
    long_ago = timezone.now() - dt.timedelta(days=60)
    return Upload.objects.create(
        organisation=d.initiative.organisation,
        kind="risks",
        filename="risks-from-the-old-register.xlsx",
        data=b"",
        uploaded_by=person,
        imported_at=long_ago,
        imported_by=person,
        outcome="12 created, 3 changed, 0 unchanged",
        file_removed_at=long_ago + dt.timedelta(days=30),
    )


def upload_sample(d: Demo, problems: bool = False) -> Upload:
    """A file of risks uploaded for import through the same action as the page: one that changes
    a demo risk and raises another, or (by an executive) one whose rows have problems."""
    organisation = d.initiative.organisation
    made = _UPLOADS.get((organisation.pk, problems))
    if made is None or not Upload.objects.filter(pk=made.pk).exists():
        header = ["initiative", "title", "likelihood", "consequence", "owner", "next_review"]
        if problems:
            person = needed(
                Membership.objects.filter(organisation=organisation, role=Role.EXECUTIVE).first(), "executive"
            ).user
            rows = [header, ["NOPE-1", "", "9", "2", "nobody@example.test", "2026-13-01"]]
        else:
            person = own_membership(d).user
            risk = d.risk
            owner = risk.owner.email if risk.owner else person.email
            reference = risk.initiative.reference if risk.initiative else ""
            rows = [
                header,
                [reference, risk.title, str(risk.likelihood % 5 + 1), str(risk.consequence), owner,
                 risk.next_review.isoformat()],
                ["", "Spreadsheet risks not yet reviewed", "2", "3", person.email, "2027-03-31"],
            ]  # fmt: skip
        _UPLOADS[(organisation.pk, problems)] = import_actions.store_upload(
            organisation=organisation,
            by=person,
            kind="risks",
            filename="risks-with-problems.csv" if problems else "risks.csv",
            data=exports.csv_text(rows).encode(),
        )
    return _UPLOADS[(organisation.pk, problems)]


def pack_cover() -> dict[str, Any]:
    """A board pack's cover sheet, filled in as the portfolio office would."""
    return {
        "title": "Digital portfolio report",
        "meeting": "Trust Board meeting in public",
        "meeting_date": timezone.localdate(),
        "assurance_reason": "Most initiatives measure outcomes.",
        "recommendation": "Note the report.",
        "executive_lead": "Chief Digital Officer",
        "author": "Portfolio office",
    }


def principal_risk_sample(d: Demo) -> dict[str, Any]:
    """The demo's first principal risk above the board's appetite (ADR 29)."""
    risks = PrincipalRisk.objects.for_organisation(d.initiative.organisation).order_by("reference")
    return {"pk": needed(next((r for r in risks if r.above_appetite), None), "principal risk above appetite").pk}


SAMPLES: dict[str, Callable[[Demo], dict[str, Any]]] = {
    "api:token_revoke": token_sample,
    "portfolio:principal_risk": principal_risk_sample,
    "portfolio:principal_risk_edit": principal_risk_sample,
    "portfolio:principal_risk_remove": principal_risk_sample,
    "portfolio:pack": lambda d: {"pk": pack_sample(d).pk},
    "portfolio:pack_edit": lambda d: {"pk": pack_sample(d).pk},
    "portfolio:pack_publish": lambda d: {"pk": pack_sample(d).pk},
    "portfolio:pack_pdf": lambda d: {"pk": pack_sample(d).pk},
    "portfolio:pack_xlsx": lambda d: {"pk": pack_sample(d).pk},
    "portfolio:detail": lambda d: {"pk": d.initiative.pk},
    "portfolio:edit": lambda d: {"pk": d.initiative.pk},
    "portfolio:history": lambda d: {"pk": d.initiative.pk},
    "portfolio:checkpoint": lambda d: {"pk": d.initiative.pk},
    "portfolio:decide": lambda d: {"pk": d.initiative.pk},
    "portfolio:need_add": lambda d: {"pk": d.initiative.pk},
    "portfolio:need_edit": lambda d: {"pk": d.need.pk},
    "portfolio:need_delete": lambda d: {"pk": d.need.pk},
    "portfolio:risk_add": lambda d: {"pk": d.initiative.pk},
    "portfolio:comment": lambda d: {"pk": d.initiative.pk},
    "portfolio:risk_edit": lambda d: {"pk": d.risk.pk},
    "portfolio:goal_edit": lambda d: {"pk": d.goal.pk},
    "accounts:person_edit": lambda d: {"pk": d.membership.pk},
    "accounts:person_remove": lambda d: {"pk": d.membership.pk},
    "portfolio:service_edit": lambda d: {"pk": d.service.pk},
    "accounts:password_reset_confirm": reset_link_kwargs,
    "metrics:detail": lambda d: {"pk": d.metric.pk},
    "metrics:edit": lambda d: {"pk": d.metric.pk},
    "metrics:history": lambda d: {"pk": d.metric.pk},
    "metrics:observation_add": lambda d: {"pk": d.metric.pk},
    "metrics:upload": lambda d: {"pk": d.metric.pk},
    "metrics:annotation_add": lambda d: {"pk": d.metric.pk},
    "metrics:annotation_delete": lambda d: {"pk": d.annotation.pk},
    "prioritisation:detail": lambda d: {"pk": needed(d.round, "open prioritisation round").pk},
    "prioritisation:capacity": lambda d: {"pk": needed(d.round, "open prioritisation round").pk},
    "prioritisation:history": lambda d: {"pk": needed(d.round, "open prioritisation round").pk},
    "prioritisation:score": lambda d: {"pk": needed(d.round, "open prioritisation round").pk},
    "prioritisation:run": lambda d: {"pk": needed(d.round, "open prioritisation round").pk},
    "prioritisation:changes": lambda d: {"pk": needed(d.round, "open prioritisation round").pk},
    "prioritisation:close": lambda d: {"pk": needed(d.round, "open prioritisation round").pk},
    "prioritisation:scenario_create": lambda d: {"pk": needed(d.round, "open prioritisation round").pk},
    "prioritisation:candidate_edit": lambda d: {"pk": needed(d.candidate, "candidate in an open round").pk},
    "prioritisation:compare": lambda d: {"pk": needed(d.scenario, "what-if scenario").pk},
    "prioritisation:adopt": lambda d: {"pk": needed(d.scenario, "what-if scenario").pk},
    "finance:initiative": lambda d: {"pk": needed(d.money, "active initiative with money").pk},
    "finance:funding_add": lambda d: {"pk": needed(d.money, "active initiative with money").pk},
    "finance:funding_edit": lambda d: {"pk": needed(d.funding, "funding line").pk},
    "finance:funding_delete": lambda d: {"pk": needed(d.funding, "funding line").pk},
    "finance:case_add": lambda d: {"pk": needed(d.money, "active initiative with money").pk},
    "finance:case": lambda d: {"pk": needed(d.case, "business case").pk},
    "finance:case_edit": lambda d: {"pk": needed(d.case, "business case").pk},
    "finance:case_delete": lambda d: {"pk": needed(d.case, "business case").pk},
    "finance:cost_add": lambda d: {"pk": needed(d.case, "business case").pk},
    "finance:cost_edit": lambda d: {"pk": needed(d.cost, "cost line").pk},
    "finance:cost_delete": lambda d: {"pk": needed(d.cost, "cost line").pk},
    "finance:benefit_add": lambda d: {"pk": needed(d.case, "business case").pk},
    "finance:benefit_edit": lambda d: {"pk": needed(d.benefit, "benefit line").pk},
    "finance:benefit_delete": lambda d: {"pk": needed(d.benefit, "benefit line").pk},
    "finance:mitigations": lambda d: {"pk": needed(d.case, "business case").pk},
    "finance:actual_add": lambda d: {"pk": needed(d.money, "active initiative with money").pk},
    "finance:actual_edit": lambda d: {"pk": needed(d.actual, "record of spend").pk},
    "finance:actual_delete": lambda d: {"pk": needed(d.actual, "record of spend").pk},
    "finance:funding_release": lambda d: {"pk": paused_with_funding_to_release(d).pk},
    "portfolio:decision_reverse": lambda d: {"pk": reversible_decision(d).pk},
    "metrics:observation_delete": lambda d: {"pk": d.metric.observations.order_by("period").first().pk},
    "accounts:invitation": lambda d: {"token": invitation_sample(d)[1]},
    "imports:template": lambda d: {"kind": "risks", "fmt": "xlsx"},
    "imports:preview": lambda d: {"pk": upload_sample(d).pk},
    "imports:confirm": lambda d: {"pk": upload_sample(d).pk},
    "accounts:invitation_withdraw": lambda d: {"pk": invitation_sample(d)[0].pk},
}

# More states of the same pages, worth checking because they show different things.
VARIANTS: list[Callable[[Demo], str]] = [
    lambda d: reverse("portfolio:list") + "?status=active&sort=confidence&order=desc",
    lambda d: reverse("portfolio:list") + "?q=nothing-matches-this",
    lambda d: reverse("portfolio:detail", args=[d.initiative.pk]) + "?timeline=all",
    lambda d: reverse("portfolio:detail", args=[d.stopped.pk]),
    lambda d: reverse("portfolio:decide", args=[d.stopped.pk]),
    lambda d: reverse("portfolio:checkpoint", args=[d.initiative.pk]) + "?week=2000-01-03",
    lambda d: reverse("portfolio:decisions") + "?kind=stop",
    lambda d: "/no-such-page/",
    lambda d: reverse("metrics:observation_add", args=[d.metric.pk]) + f"?period={d.metric.latest_period:%Y-%m-%d}",
    lambda d: reverse("finance:initiative", args=[d.stopped.pk]),
    lambda d: reverse("finance:actual_add", args=[needed(d.money, "initiative with money").pk]) + "?kind=benefit",
    # Weeknotes: this week so far, a week long ago with nothing in it, and a week that is refused.
    lambda d: reverse("portfolio:weeknotes") + f"?week={week_start(timezone.localdate()):%Y-%m-%d}",
    lambda d: reverse("portfolio:weeknotes") + "?week=2000-01-03",
    lambda d: reverse("portfolio:weeknotes") + "?week=2000-01-04",
    # Removing oneself: the page says why not, with no button.
    lambda d: reverse("accounts:person_remove", args=[own_membership(d).pk]),
    lambda d: reverse("imports:preview", args=[upload_sample(d, problems=True).pk]),
    lambda d: reverse("imports:preview", args=[removed_upload_sample(d).pk]),
]

# Forms submitted empty, to see their error summary and inline errors.
ERROR_STATES = [
    "portfolio:create",
    "portfolio:pack_new",
    "portfolio:decide",
    "portfolio:need_add",
    "portfolio:risk_add",
    "portfolio:portfolio_risk_add",
    "portfolio:principal_risk_new",
    "portfolio:goal_add",
    "portfolio:service_add",
    "accounts:person_add",
    "metrics:create",
    "metrics:observation_add",
    "metrics:annotation_add",
    "metrics:upload",
    "imports:start",
    "prioritisation:create",
    "prioritisation:scenario_create",
    "finance:funding_add",
    "finance:case_add",
    "finance:cost_add",
    "finance:benefit_add",
    "finance:actual_add",
]


def url_names(patterns: list[Any] | None = None, namespace: str | None = None) -> list[tuple[str, bool]]:
    """(namespace:name, whether it takes arguments) for every URL in our namespaces."""
    found: list[tuple[str, bool]] = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            found += url_names(entry.url_patterns, entry.namespace or namespace)
        elif isinstance(entry, URLPattern) and namespace in NAMESPACES and entry.name:
            found.append((f"{namespace}:{entry.name}", bool(entry.pattern.converters)))
    return found


def url_for(name: str, demo: Demo) -> str:
    sample = SAMPLES.get(name)
    return reverse(name, kwargs=sample(demo) if sample else None)


def check(page: Page, url: str, found: dict[str, Any]) -> None:
    violations = axe_violations(page)
    if violations:
        found[url] = violations


def report(found: dict[str, Any]) -> str:
    return "axe found WCAG 2.2 A/AA violations:\n" + json.dumps(found, indent=1)


def test_the_accessibility_check_reports_a_violation_when_there_is_one(page: Page, live_server: Any):
    page.goto(live_server.url + reverse("accounts:login"))
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"x.png\">')")
    assert "image-alt" in [v["id"] for v in axe_violations(page)]


def test_every_page_with_arguments_has_a_sample_to_visit_it_with() -> None:
    names = url_names()
    assert "portfolio:glance" in dict(names) and "accounts:login" in dict(names)
    missing = [name for name, has_args in names if has_args and name not in SAMPLES]
    assert missing == [], f"Add these pages to SAMPLES so their accessibility is checked: {missing}"


def tables_that_scroll(page: Page, url: str) -> dict[str, int]:
    """The tables on the page wider than the box they scroll in, by caption (or first heading)."""
    found = page.evaluate(
        "[...document.querySelectorAll('.app-table-scroll')].filter(box => box.scrollWidth > box.clientWidth)"
        ".map(box => [box.querySelector('caption, th')?.textContent.trim().slice(0, 60), box.scrollWidth])"
    )
    return {f"{url} '{caption}'": width for caption, width in found}


def test_every_signed_in_page_has_no_accessibility_violations(page: Page, demo: Any, signed_in: Any, live_server: Any):
    objects = pick(demo.organisation)
    signed_in(PMO, DEMO_PASSWORD)
    assert page.viewport_size == {"width": 1280, "height": 900}
    found: dict[str, Any] = {}
    scrolling: dict[str, int] = {}
    visited = []
    for name, _ in url_names():
        if name in SIGNED_OUT:
            continue
        url = url_for(name, objects)
        if name in NOT_PAGES:
            response = page.request.get(live_server.url + url, max_redirects=0)
            assert response.status == 204, f"{name} should answer 204 to someone signed in, not {response.status}"
            continue
        if name in DOWNLOADS:
            response = page.request.get(live_server.url + url, max_redirects=0)
            assert response.status == 200, f"{name} should answer with the file, not {response.status}"
            assert "html" not in response.headers["content-type"], f"{name} answered with a page"
            continue
        if name in POST_ONLY:
            # Opened by GET (a reload, a bookmark), an address only a form posts to goes back to
            # the page the form is on (ADR 21): there is no page of its own to check.
            response = page.request.get(live_server.url + url, max_redirects=0)
            assert response.status in (302, 303), f"{name} should send a GET back, but answered {response.status}"
            continue
        response = page.goto(live_server.url + url)
        assert response is not None and response.status == 200, f"{url} answered {response and response.status}"
        assert page.url == live_server.url + url, f"{url} redirected to {page.url}"
        check(page, url, found)
        scrolling.update(tables_that_scroll(page, url))
        visited.append(url)
    for variant in VARIANTS:
        url = variant(objects)
        page.goto(live_server.url + url)
        check(page, url, found)
        scrolling.update(tables_that_scroll(page, url))
        visited.append(url)
    assert len(visited) >= 25, visited
    assert found == {}, report(found)
    # On a 1280px laptop (this walk's window) every table shows all its columns: a table that
    # scrolls sideways hides its last columns from a board member who does not think to scroll.
    assert scrolling == {}, f"These tables scroll sideways on a 1280px screen: {scrolling}"


def test_every_form_in_its_error_state_has_no_accessibility_violations(
    page: Page, demo: Any, signed_in: Any, live_server: Any
):
    objects = pick(demo.organisation)
    signed_in(PMO, DEMO_PASSWORD)
    found: dict[str, Any] = {}
    for name in ERROR_STATES:
        url = url_for(name, objects)
        page.goto(live_server.url + url)
        # Some forms come filled with sensible defaults (a new round's name and date): empty them.
        page.locator("main form[method=post] input[type=text], main form[method=post] input[type=date]").evaluate_all(
            "inputs => inputs.forEach(input => { input.value = '' })"
        )
        page.locator("main form[method=post] button[type=submit]").last.click()
        expect(page.locator(".nhsuk-error-summary"), f"{url}: no error summary").to_be_visible()
        expect(page, f"{url}: the title does not start with 'Error: '").to_have_title(re.compile("^Error: "))
        check(page, url + " (with errors)", found)
    assert found == {}, report(found)


def test_every_signed_out_page_has_no_accessibility_violations(page: Page, demo: Any, live_server: Any):
    objects = pick(demo.organisation)
    found: dict[str, Any] = {}
    for name, _ in url_names():
        if name not in SIGNED_OUT:
            continue
        url = url_for(name, objects)
        response = page.goto(live_server.url + url)
        assert response is not None and response.status == 200, f"{url} answered {response and response.status}"
        check(page, url, found)
    # The same pages with errors: a wrong password, then an email address that is not one.
    page.goto(live_server.url + reverse("accounts:login"))
    page.get_by_label("Email address").fill(PMO)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    check(page, "sign-in (with errors)", found)
    page.goto(live_server.url + reverse("accounts:password_reset"))
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    check(page, "password reset (with errors)", found)
    # An expired or used reset link.
    page.goto(live_server.url + reverse("accounts:password_reset_confirm", args=["MQ", "not-a-token"]))
    expect(page.get_by_role("heading", name="This link no longer works")).to_be_visible()
    check(page, "password reset link that no longer works", found)
    assert found == {}, report(found)


def test_every_removal_asks_first_on_a_page_that_works_from_the_keyboard(
    page: Page, demo: Any, signed_in: Any, live_server: Any
):
    objects = pick(demo.organisation)
    signed_in(PMO, DEMO_PASSWORD)
    assert CONFIRM_REMOVE.issubset(name for name, _ in url_names()) and not CONFIRM_REMOVE & POST_ONLY
    found: dict[str, Any] = {}
    for name in sorted(CONFIRM_REMOVE):
        url = url_for(name, objects)
        response = page.goto(live_server.url + url)
        assert response is not None and response.status == 200, f"{url} answered {response and response.status}"
        heading = page.get_by_role("heading", level=1)
        expect(heading).to_have_count(1)
        expect(heading).to_contain_text(re.compile(r"(Remove|Revoke) .+\?$"))
        expect(page.get_by_role("form", name=re.compile("Remove|Revoke"))).to_be_visible()
        expect(page.get_by_role("button", name=re.compile("^Yes, (remove|revoke) it$"))).to_be_visible()
        expect(page.get_by_role("link", name="No, go back")).to_be_visible()
        check(page, url, found)
    assert found == {}, report(found)

    # "No, go back" from the keyboard leaves the business case where it was.
    case = needed(objects.case, "business case")
    page.goto(live_server.url + reverse("finance:case", args=[case.pk]))
    page.get_by_role("button", name=re.compile("^Remove the ")).focus()  # a link that looks like a button
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.url + reverse("finance:case_delete", args=[case.pk]))
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"for {case.initiative.reference}?")
    page.get_by_role("button", name="Yes, remove it").focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="No, go back")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.url + reverse("finance:case", args=[case.pk]))
    assert BusinessCase.objects.filter(pk=case.pk).exists()

    # "Yes, remove it" from the keyboard removes it, and says so.
    page.goto(live_server.url + reverse("finance:case_delete", args=[case.pk]))
    page.get_by_role("button", name="Yes, remove it").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(
        live_server.url + reverse("finance:initiative", args=[case.initiative_id]) + "#business-cases"
    )
    expect(page.get_by_text("have been removed")).to_be_visible()
    assert not BusinessCase.objects.filter(pk=case.pk).exists()


def test_no_page_scrolls_sideways_on_a_screen_320_pixels_wide(page: Page, demo: Any, signed_in: Any, live_server: Any):
    """WCAG 1.4.10 (reflow), which axe cannot check: wide tables scroll inside their own box."""
    objects = pick(demo.organisation)
    signed_in(PMO, DEMO_PASSWORD)
    page.set_viewport_size({"width": 320, "height": 640})
    too_wide = {}
    for name, _ in url_names():
        if name in SIGNED_OUT or name in POST_ONLY or name in NOT_PAGES or name in DOWNLOADS:
            continue
        url = url_for(name, objects)
        page.goto(live_server.url + url)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            too_wide[url] = width
        if name == "portfolio:glance":
            # The board's first page fits a phone whole: not even its tables scroll sideways.
            too_wide.update(tables_that_scroll(page, url))
    assert too_wide == {}, f"These pages are wider than a 320px screen: {too_wide}"


def test_at_a_glance_prints_without_link_addresses_or_overlapping_tables(
    page: Page, demo: Any, signed_in: Any, live_server: Any
):
    """On paper (A4 at 96 dpi is 794px wide) a link reads as its words, not "(Link: /initiatives/?…)",
    and each table keeps to its own space within the page's width."""
    signed_in(BOARD, DEMO_PASSWORD)
    page.set_viewport_size({"width": 794, "height": 1123})
    page.goto(live_server.url + "/")
    page.emulate_media(media="print")
    addresses = page.evaluate(
        "[...document.querySelectorAll('main a[href]')]"
        ".map(a => getComputedStyle(a, '::after').content).filter(c => c && c !== 'none' && c !== 'normal')"
    )
    assert addresses == [], f"Links print their addresses: {addresses[:3]}"
    # (An NHS table reaches 2px past its column on each side, by design: its cells' padding lines up.)
    problems = page.evaluate(
        """(() => {
          const main = document.querySelector('main').getBoundingClientRect();
          const boxes = [...document.querySelectorAll('main table')]
            .map(t => [t.querySelector('caption')?.textContent.trim(), t.getBoundingClientRect()]);
          const found = [];
          for (const [name, box] of boxes) {
            if (box.right > main.right + 3 || box.left < main.left - 3) {
              found.push(`${name} (${box.left}-${box.right}) is wider than the page (${main.left}-${main.right})`);
            }
          }
          for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
            const [a, p] = boxes[i], [b, q] = boxes[j];
            const across = p.left < q.right - 3 && q.left < p.right - 3;
            if (across && p.top < q.bottom - 1 && q.top < p.bottom - 1) found.push(`${a} overlaps ${b}`);
          }
          return found;
        })()"""
    )
    assert problems == []


def test_weeknotes_print_without_week_navigation_or_link_addresses(
    page: Page, demo: Any, signed_in: Any, live_server: Any
):
    """The weeknotes on paper: the week's notes, with no header menu, no previous/next week and no
    link addresses printed after the initiatives' names."""
    signed_in(BOARD, DEMO_PASSWORD)
    page.set_viewport_size({"width": 794, "height": 1123})
    page.goto(live_server.url + reverse("portfolio:weeknotes"))
    expect(page.get_by_role("heading", name="Reached real users")).to_be_visible()
    page.emulate_media(media="print")
    for hidden in (".nhsuk-header__navigation", ".app-weeknotes-nav", ".app-weeknotes-follow"):
        expect(page.locator(hidden)).to_be_hidden()
    addresses = page.evaluate(
        "[...document.querySelectorAll('main a[href]')]"
        ".map(a => getComputedStyle(a, '::after').content).filter(c => c && c !== 'none' && c !== 'normal')"
    )
    assert addresses == [], f"Links print their addresses: {addresses[:3]}"
    expect(page.get_by_role("heading", name="Reached real users")).to_be_visible()
