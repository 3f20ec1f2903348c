"""No save is lost to another (ADR 16).

Every edit form refuses a save from a page opened before someone else's save, shows what they
changed and keeps what was typed; a deliberate second save then goes through. A retried post
(a double click, a timeout and a retry) of a comment, a checkpoint or a decision saves once.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from unittest.mock import patch

from django.db import connections
from django.test import Client, TestCase
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from headway.accounts.models import Membership, Submission
from headway.assurance import baf_actions, pack_actions
from headway.finance.models import ProjectType
from headway.lib.weeks import week_start
from headway.portfolio import actions
from headway.portfolio.models import Checkpoint, Comment, Decision, Risk, Service, StrategicGoal, UserNeed
from headway.prioritisation import actions as round_actions
from tests.concurrency import AtOnceTestCase
from tests.factories import make_business_case, make_funding_line, make_initiative, make_metric, record_actual
from tests.personas import personas

REFUSED = "This was changed after you opened it"
TOKENS = {"csrfmiddlewaretoken", "_opened", "_submission"}

Data = dict[str, list[str]]


class _FormFields(HTMLParser):
    """What a browser would post from the page's form that carries the `_opened` snapshot."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Data] = []
        self._form: Data | None = None
        self._textarea: str | None = None
        self._select: str | None = None
        self._first_option: str | None = None
        self._selected = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self._form = {}
            self.forms.append(self._form)
        if self._form is None or ("name" not in a and tag != "option"):
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("radio", "checkbox"):
                if "checked" in a:
                    self._form.setdefault(a["name"], []).append(a.get("value", "on"))
            elif kind not in ("submit", "button", "file"):
                self._form.setdefault(a["name"], []).append(a.get("value", ""))
        elif tag == "textarea":
            self._textarea = a["name"]
            self._form.setdefault(a["name"], []).append("")
        elif tag == "select":
            self._select, self._first_option, self._selected = a["name"], None, False
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in a:
                self._form.setdefault(self._select, []).append(value)
                self._selected = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select is not None and self._form is not None:
            if not self._selected:
                self._form.setdefault(self._select, []).append(self._first_option or "")
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None and self._form is not None:
            # The one newline straight after <textarea> is not part of the value.
            self._form[self._textarea][-1] += data.removeprefix("\n") if not self._form[self._textarea][-1] else data


def form_data(content: bytes) -> Data:
    parser = _FormFields()
    parser.feed(content.decode())
    found = [f for f in parser.forms if "_opened" in f]
    assert len(found) == 1, f"expected one form with a snapshot of what it shows, found {len(found)}"
    return found[0]


def shown(data: Data) -> Data:
    return {name: values for name, values in data.items() if name not in TOKENS}


Edit = Callable[[Data], dict[str, str | list[str]]]


def appended(name: str, text: str) -> Edit:
    return lambda data: {name: (data[name][0] + text).strip()}


@dataclass(frozen=True)
class EditForm:
    name: str  # the URL name
    url: str
    first: Edit  # what the first person changes
    second: Edit  # what the second changes, on the page opened before the first saved


class EveryEditFormTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = personas()
        trust, office, lead = cls.cast.trust, cls.cast.office, cls.cast.lead
        cls.initiative = make_initiative(
            trust, by=office, status="active", delivery_lead=lead, reference="DIG-001", title="E-obs"
        )
        cls.week = week_start(timezone.localdate())
        actions.record_checkpoint(
            initiative=cls.initiative,
            by=lead,
            week=cls.week,
            fields={
                "demonstrated": "Ward view",
                "demonstrated_to": "Ward 7",
                "reached_real_users": False,
                "real_users_detail": "",
                "confidence": "amber",
                "confidence_reason": "Integration late",
                "risks_and_blockers": "",
                "asks_of_the_board": "",
            },
        )
        cls.need = UserNeed.objects.create(
            initiative=cls.initiative, statement="As a nurse I need the chart", evidence="researched"
        )
        cls.risk = actions.save_risk(
            organisation=trust,
            by=office,
            fields={
                "initiative": cls.initiative,
                "title": "Supplier late",
                "likelihood": 3,
                "consequence": 3,
                "owner": office,
                "next_review": dt.date(2027, 1, 4),
            },
        )
        cls.goal = StrategicGoal.objects.create(organisation=trust, title="Safer care", order=1)
        cls.service = Service.objects.create(organisation=trust, name="Maternity")
        cls.metric = make_metric(trust, "Missed appointments")
        cls.funding = make_funding_line(cls.initiative, by=office)
        cls.case = make_business_case(
            cls.initiative,
            by=office,
            costs={"2026/27": 10_000},
            benefits={"2026/27": 5_000},
            owner=office,
            project_type=ProjectType.objects.filter(factors__isnull=False).first(),
        )
        cls.cost = cls.case.costs.get()
        cls.benefit = cls.case.benefits.get()
        cls.actual = record_actual(cls.initiative, by=office, note="Ledger 1")
        cls.round = round_actions.create_round(
            organisation=trust, by=office, name="2026/27 Q4", held_on=dt.date(2026, 12, 1)
        )
        cls.candidate = cls.round.candidates.get(initiative=cls.initiative)
        cls.viewer_membership = Membership.objects.get(user=cls.cast.viewer, organisation=trust)
        cls.pack = pack_actions.create_pack(
            organisation=trust,
            by=office,
            fields={
                "title": "Digital portfolio report", "meeting": "Trust Board", "meeting_date": dt.date(2026, 12, 10),
                "assurance_reason": "Most work is measured.", "recommendation": "Note the report.",
                "executive_lead": "Chief Digital Officer", "author": "Portfolio office",
            },
        )  # fmt: skip
        cls.principal = baf_actions.save_principal_risk(
            organisation=trust, by=office, fields={
                "reference": "BAF-01", "title": "Too little capacity", "owner": cls.cast.executive,
                "current_likelihood": 4, "current_consequence": 4, "target_likelihood": 2, "target_consequence": 2,
                "appetite": "cautious", "next_review": dt.date(2027, 1, 4),
            },
        )  # fmt: skip

    def edit_forms(self) -> list[EditForm]:
        def score(first: bool) -> Edit:
            def edit(data: Data) -> dict[str, str | list[str]]:
                ratings = sorted(name for name in data if name.startswith("r_"))
                return {ratings[0 if first else 1]: "4" if first else "2"}

            return edit

        def mitigation(first: bool) -> Edit:
            def edit(data: Data) -> dict[str, str | list[str]]:
                evidence = sorted(name for name in data if name.startswith("evidence_"))
                return {evidence[0 if first else 1]: "Tested weekly" if first else "Supplier reviewed"}

            return edit

        p, f, m, r, a = "portfolio", "finance", "metrics", "prioritisation", "accounts"
        return [
            EditForm(f"{p}:edit", reverse(f"{p}:edit", args=[self.initiative.pk]),
                     appended("title", " renamed"), appended("problem", " Also paper.")),
            EditForm(f"{p}:checkpoint", reverse(f"{p}:checkpoint", args=[self.initiative.pk]),
                     appended("confidence_reason", " and testing"), appended("demonstrated", " and search")),
            EditForm(f"{p}:need_edit", reverse(f"{p}:need_edit", args=[self.need.pk]),
                     appended("statement", " quickly"), appended("evidence_notes", "Twelve interviews")),
            EditForm(f"{p}:risk_edit", reverse(f"{p}:risk_edit", args=[self.risk.pk]),
                     appended("title", " again"), appended("mitigation", "Weekly calls")),
            EditForm(f"{p}:goal_edit", reverse(f"{p}:goal_edit", args=[self.goal.pk]),
                     appended("title", " first"), appended("description", "For every ward")),
            EditForm(f"{p}:service_edit", reverse(f"{p}:service_edit", args=[self.service.pk]),
                     appended("name", " unit"), appended("description", "Births and care")),
            EditForm(f"{p}:settings", reverse(f"{p}:settings"),
                     lambda data: {"wip_limit": "7"}, lambda data: {"first_release_weeks": "20"}),
            EditForm(f"{m}:edit", reverse(f"{m}:edit", args=[self.metric.pk]),
                     appended("name", " (all clinics)"), appended("definition", " Counted monthly.")),
            EditForm(f"{f}:funding_edit", reverse(f"{f}:funding_edit", args=[self.funding.pk]),
                     lambda data: {"amount": "£120,000"}, appended("note", "Board paper 12")),
            EditForm(f"{f}:case_edit", reverse(f"{f}:case_edit", args=[self.case.pk]),
                     appended("summary", "Case A"), lambda data: {"planned_months": "18"}),
            EditForm(f"{f}:cost_edit", reverse(f"{f}:cost_edit", args=[self.cost.pk]),
                     lambda data: {"amount": "£12,000"}, appended("note", "Two nurses")),
            EditForm(f"{f}:benefit_edit", reverse(f"{f}:benefit_edit", args=[self.benefit.pk]),
                     appended("description", " on wards"), lambda data: {"amount": "£6,000"}),
            EditForm(f"{f}:mitigations", reverse(f"{f}:mitigations", args=[self.case.pk]),
                     mitigation(True), mitigation(False)),
            EditForm(f"{f}:actual_edit", reverse(f"{f}:actual_edit", args=[self.actual.pk]),
                     lambda data: {"amount": "£1,500"}, appended("note", " checked")),
            EditForm(f"{r}:capacity", reverse(f"{r}:capacity", args=[self.round.pk]),
                     lambda data: {"budgets": "2026/27 | £100,000 | £20,000"},
                     lambda data: {"teams": "Integration team | 2026/27 Q4 | 20"}),
            EditForm(f"{r}:candidate_edit", reverse(f"{r}:candidate_edit", args=[self.candidate.pk]),
                     lambda data: {"committed": "2026/27 | £1,000 | £0"},
                     lambda data: {"team_demand": "Integration team | 2026/27 Q4 | 5"}),
            EditForm(f"{r}:score", reverse(f"{r}:score", args=[self.round.pk]), score(True), score(False)),
            EditForm(f"{p}:pack_edit", reverse(f"{p}:pack_edit", args=[self.pack.pk]),
                     appended("title", " for December"), appended("recommendation", " And approve the plan.")),
            EditForm(f"{p}:principal_risk_edit", reverse(f"{p}:principal_risk_edit", args=[self.principal.pk]),
                     appended("title", " this year"), appended("gaps_in_control", "No limit per team")),
            EditForm(f"{a}:person_edit", reverse(f"{a}:person_edit", args=[self.viewer_membership.pk]),
                     lambda data: {"role": "board"}, lambda data: {"directorate": "Nursing"}),
        ]  # fmt: skip

    def test_every_edit_form_refuses_a_save_from_a_page_opened_before_another_save(self) -> None:
        self.client.force_login(self.cast.office)
        for form in self.edit_forms():
            with self.subTest(form.name):
                opened_by_a = form_data(self.client.get(form.url).content)
                opened_by_b = form_data(self.client.get(form.url).content)

                first = {**opened_by_a, **form.first(opened_by_a)}
                response = self.client.post(form.url, first)
                self.assertEqual(response.status_code, 302, "the first save goes through")
                after_first = shown(form_data(self.client.get(form.url).content))
                self.assertNotEqual(after_first, shown(opened_by_a), "the first save changed something")

                typed = form.second(opened_by_b)
                response = self.client.post(form.url, {**opened_by_b, **typed})
                self.assertContains(response, REFUSED)
                self.assertContains(response, "Changed after you opened this page")
                refused = form_data(response.content)
                for name, value in typed.items():
                    self.assertEqual(refused[name], [value] if isinstance(value, str) else value, "typed kept")
                self.assertEqual(shown(form_data(self.client.get(form.url).content)), after_first, "nothing saved")

                # Seen the other person's change, they save again: their version is kept.
                response = self.client.post(form.url, refused)
                self.assertEqual(response.status_code, 302, "a deliberate second save goes through")
                saved = shown(form_data(self.client.get(form.url).content))
                for name, value in typed.items():
                    self.assertEqual(saved[name], [value] if isinstance(value, str) else value)

    def test_every_edit_page_is_walked(self) -> None:
        """A new edit page must join the walk above."""

        def names(patterns: list[Any], namespace: str = "") -> set[str]:
            found = set()
            for pattern in patterns:
                if isinstance(pattern, URLResolver):
                    inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                    found |= names(pattern.url_patterns, inner)
                elif isinstance(pattern, URLPattern) and pattern.name:
                    found.add(f"{namespace}{pattern.name}")
            return found

        edit_pages = {n for n in names(get_resolver().url_patterns) if n.endswith("edit") and "admin" not in n}
        self.assertLessEqual(edit_pages, {form.name for form in self.edit_forms()})

    def test_a_save_that_changes_nothing_someone_else_changed_goes_through(self) -> None:
        self.client.force_login(self.cast.office)
        url = reverse("portfolio:need_edit", args=[self.need.pk])
        opened_by_a = form_data(self.client.get(url).content)
        opened_by_b = form_data(self.client.get(url).content)
        self.client.post(url, {**opened_by_a, "statement": "As a nurse I need the chart now"})
        # B typed the same statement as A, and changed the notes: nothing of A's is lost.
        response = self.client.post(
            url, {**opened_by_b, "statement": "As a nurse I need the chart now", "evidence_notes": "Ward 7"}
        )
        self.assertEqual(response.status_code, 302)
        self.need.refresh_from_db()
        self.assertEqual((self.need.statement, self.need.evidence_notes), ("As a nurse I need the chart now", "Ward 7"))

    def test_the_refusal_names_each_change_with_its_old_and_new_value_in_words(self) -> None:
        self.client.force_login(self.cast.office)
        url = reverse("portfolio:risk_edit", args=[self.risk.pk])
        opened_by_b = form_data(self.client.get(url).content)
        opened_by_a = form_data(self.client.get(url).content)
        self.client.post(url, {**opened_by_a, "title": "Supplier very late", "likelihood": "5"})
        response = self.client.post(url, {**opened_by_b, "mitigation": "Weekly calls"})
        self.assertContains(response, "Risk was “Supplier late”, now “Supplier very late”")
        self.assertContains(response, "Likelihood was “Possible (3)”, now “Almost certain (5)”")
        self.assertEqual(Risk.objects.get(pk=self.risk.pk).mitigation, "")

    def test_a_first_checkpoint_recorded_meanwhile_refuses_the_second_and_shows_it(self) -> None:
        self.client.force_login(self.cast.lead)
        url = reverse("portfolio:checkpoint", args=[self.initiative.pk]) + f"?week={self.week - dt.timedelta(7)}"
        opened_by_a = form_data(self.client.get(url).content)
        opened_by_b = form_data(self.client.get(url).content)
        fields = {"reached_real_users": "False", "confidence": "green"}
        self.client.post(url, {**opened_by_a, **fields, "confidence_reason": "On track"})
        response = self.client.post(url, {**opened_by_b, **fields, "confidence_reason": "Going well"})
        self.assertContains(response, "Why this rating? was “nothing”, now “On track”")
        self.assertContains(response, "Going well")
        checkpoint = Checkpoint.objects.get(initiative=self.initiative, week_start=self.week - dt.timedelta(7))
        self.assertEqual(checkpoint.confidence_reason, "On track")

    def test_a_post_without_the_snapshot_is_not_checked(self) -> None:
        """Scripts and pages opened before this check post no snapshot; they save as before."""
        self.client.force_login(self.cast.office)
        url = reverse("portfolio:goal_edit", args=[self.goal.pk])
        data = shown(form_data(self.client.get(url).content))
        response = self.client.post(url, {**data, "title": "Safer care for all"})
        self.assertEqual(response.status_code, 302)

    def test_a_tampered_snapshot_saves_nothing_and_keeps_what_was_typed(self) -> None:
        self.client.force_login(self.cast.office)
        url = reverse("portfolio:goal_edit", args=[self.goal.pk])
        data = form_data(self.client.get(url).content)
        response = self.client.post(url, {**data, "_opened": "forged", "title": "Safer care for all"})
        self.assertContains(response, "We could not check whether this was changed after you opened it")
        self.assertContains(response, "Safer care for all")
        self.assertEqual(StrategicGoal.objects.get(pk=self.goal.pk).title, "Safer care")


class RetriedPostsTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = personas()
        cls.initiative = make_initiative(
            cls.cast.trust, by=cls.cast.office, status="active", delivery_lead=cls.cast.lead, reference="DIG-001"
        )

    def posted_twice(self, url: str, form_url: str, values: dict[str, str]) -> tuple[Any, Any]:
        parser = _FormFields()
        parser.feed(self.client.get(form_url).content.decode())
        data = next(f for f in parser.forms if "_submission" in f)
        first = self.client.post(url, {**data, **values})
        again = self.client.post(url, {**data, **values})
        return first, again

    def test_a_comment_posted_twice_is_saved_once_and_answered_the_same(self) -> None:
        self.client.force_login(self.cast.board)
        url = reverse("portfolio:comment", args=[self.initiative.pk])
        first, again = self.posted_twice(url, reverse("portfolio:detail", args=[self.initiative.pk]), {"body": "Why?"})
        self.assertEqual((first.status_code, again.status_code), (302, 302))
        self.assertEqual(first["Location"], again["Location"])
        self.assertEqual(Comment.objects.filter(initiative=self.initiative).count(), 1)
        followed = self.client.get(again["Location"])
        self.assertContains(followed, "Your comment has been posted.")

    def test_a_checkpoint_posted_twice_is_recorded_once_and_answered_as_recorded(self) -> None:
        self.client.force_login(self.cast.lead)
        url = reverse("portfolio:checkpoint", args=[self.initiative.pk])
        values = {"reached_real_users": "False", "confidence": "green", "confidence_reason": "On track"}
        first, again = self.posted_twice(url, url, values)
        self.assertEqual((first.status_code, again.status_code), (302, 302))
        checkpoint = Checkpoint.objects.get(initiative=self.initiative)
        self.assertEqual(checkpoint.history.count(), 1, "saved once, not saved and then saved again")
        self.assertContains(self.client.get(again["Location"]), "has been recorded")

    def test_a_decision_posted_twice_is_recorded_once(self) -> None:
        self.client.force_login(self.cast.executive)
        url = reverse("portfolio:decide", args=[self.initiative.pk])
        values = {
            "kind": "pause",
            "rationale": "Waiting for the new supplier",
            "evidence": "The last four checkpoints",
            "decided_by": "Digital board",
            "decided_on": "2026-12-01",
        }
        before = Decision.objects.filter(initiative=self.initiative).count()
        first, again = self.posted_twice(url, url, values)
        self.assertEqual((first.status_code, again.status_code), (302, 302))
        self.assertEqual(Decision.objects.filter(initiative=self.initiative).count(), before + 1)
        self.assertContains(self.client.get(again["Location"]), "The decision to pause DIG-001 has been recorded")

    def test_the_same_page_posted_again_with_other_values_is_saved_as_new(self) -> None:
        """Going back and posting the page again with something else is not a retry."""
        self.client.force_login(self.cast.board)
        url = reverse("portfolio:comment", args=[self.initiative.pk])
        parser = _FormFields()
        parser.feed(self.client.get(reverse("portfolio:detail", args=[self.initiative.pk])).content.decode())
        data = next(f for f in parser.forms if "_submission" in f)
        self.client.post(url, {**data, "body": "First thought"})
        self.client.post(url, {**data, "body": "Second thought"})
        self.assertEqual(Comment.objects.filter(initiative=self.initiative).count(), 2)

    def test_a_refused_post_claims_nothing_so_the_corrected_one_saves(self) -> None:
        self.client.force_login(self.cast.board)
        url = reverse("portfolio:comment", args=[self.initiative.pk])
        parser = _FormFields()
        parser.feed(self.client.get(reverse("portfolio:detail", args=[self.initiative.pk])).content.decode())
        data = next(f for f in parser.forms if "_submission" in f)
        self.assertEqual(self.client.post(url, {**data, "body": "  "}).status_code, 400)
        self.assertEqual(self.client.post(url, {**data, "body": "Why?"}).status_code, 302)
        self.assertEqual(Comment.objects.filter(initiative=self.initiative).count(), 1)
        self.assertEqual(Submission.objects.count(), 1)

    def test_remembered_posts_are_forgotten_after_a_day(self) -> None:
        self.client.force_login(self.cast.board)
        old = Submission.objects.create(user=self.cast.board, key="x" * 64)
        Submission.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=2))
        url = reverse("portfolio:comment", args=[self.initiative.pk])
        self.posted_twice(url, reverse("portfolio:detail", args=[self.initiative.pk]), {"body": "Why?"})
        self.assertFalse(Submission.objects.filter(pk=old.pk).exists())


class RetriedPostsAtOnceTestCase(AtOnceTestCase):
    def test_two_identical_posts_at_once_save_one_comment_and_both_are_answered(self) -> None:
        cast = personas()
        initiative = make_initiative(cast.trust, by=cast.office, reference="DIG-001")
        client = Client()
        client.force_login(cast.board)
        parser = _FormFields()
        parser.feed(client.get(reverse("portfolio:detail", args=[initiative.pk])).content.decode())
        data = {**next(f for f in parser.forms if "_submission" in f), "body": "Why?"}
        url = reverse("portfolio:comment", args=[initiative.pk])
        add_comment = actions.add_comment

        def slow_add_comment(**kwargs: Any) -> Comment:
            comment = add_comment(**kwargs)
            time.sleep(0.5)  # the second post arrives while the first is still saving
            return comment

        answers: list[tuple[int, str]] = []

        def post() -> None:
            try:
                other = Client()
                other.cookies = client.cookies
                response = other.post(url, data)
                answers.append((response.status_code, response.get("Location", "")))
            finally:
                connections.close_all()

        with patch("headway.portfolio.actions.add_comment", slow_add_comment):
            threads = [threading.Thread(target=post) for _ in range(2)]
            for thread in threads:
                thread.start()
                time.sleep(0.1)
            for thread in threads:
                thread.join()
        self.assertEqual(len(answers), 2)
        self.assertEqual({status for status, _ in answers}, {302})
        self.assertEqual(len({location for _, location in answers}), 1)
        self.assertEqual(Comment.objects.filter(initiative=initiative).count(), 1)
