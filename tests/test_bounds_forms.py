"""Every form holds the shared bounds (headway/lib/bounds.py).

The walk opens every page of the organisation-boundary fixture (which has one object of every
kind), finds each form that posts, and sends it back as a browser would with one box filled with
a value past the bounds: 100,001 characters of text, a number larger than the database holds or
than can be charted, 5,000 digits of money, a date in year 1 or 9999. Each must come back as
the form again, with that field marked in error and named in the error summary, the typed value
kept, and nothing in the database changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
from dataclasses import dataclass, field
from html.parser import HTMLParser
from io import StringIO

import pytest
from django import forms
from django.apps import apps
from django.core.management import CommandError, call_command
from django.test import SimpleTestCase, TestCase
from django.urls import NoReverseMatch, get_resolver, reverse

from headway.forms import NHSFormMixin, hold_to
from headway.lib import bounds
from headway.portfolio.models import Checkpoint
from tests import test_boundary
from tests.test_boundary import SHARED_PK, walk

LONG = "a" * 100_001
# A number box (a whole number): more than the database holds; too large to chart; 5,000 digits.
WHOLE_NUMBERS = ["2147483648", "1e308", "9" * 5000]
# A text box for an amount or a measured value: past £10bn and past 10¹² (the larger bound), too
# large to chart, and 5,000 digits (a 500 once, on 8 forms).
AMOUNTS = ["10000000000001", "1e308", "9" * 5000]
DATES = ["0001-01-01", "9999-12-31"]


@dataclass
class Control:
    name: str
    kind: str  # "textarea", "select" or an input's type
    value: str
    checked: bool = False
    numeric: bool = False
    invalid: bool = False


@dataclass
class Form:
    action: str
    method: str
    controls: list[Control] = field(default_factory=list)


class Forms(HTMLParser):
    """The forms on a page, with what a browser would send for each control."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.labels: dict[str, str] = {}
        self._textarea: Control | None = None
        self._select: Control | None = None
        self._label_for: str | None = None
        self._label_text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        form = self.forms[-1] if self.forms else None
        if tag == "form":
            self.forms.append(Form(a.get("action", ""), a.get("method", "get").lower()))
        elif tag == "input" and form is not None and a.get("name"):
            control = Control(
                a["name"],
                a.get("type", "text"),
                a.get("value", ""),
                checked="checked" in a,
                numeric=a.get("inputmode") in {"numeric", "decimal"},
                invalid=a.get("aria-invalid") == "true",
            )
            control.id = a.get("id", "")  # type: ignore[attr-defined]
            control.classes = a.get("class", "").split()  # type: ignore[attr-defined]
            form.controls.append(control)
        elif tag == "textarea" and form is not None:
            self._textarea = Control(a.get("name", ""), "textarea", "", invalid=a.get("aria-invalid") == "true")
            self._textarea.id = a.get("id", "")  # type: ignore[attr-defined]
            form.controls.append(self._textarea)
        elif tag == "select" and form is not None:
            self._select = Control(a.get("name", ""), "select", "", invalid=a.get("aria-invalid") == "true")
            form.controls.append(self._select)
        elif tag == "option" and self._select is not None and ("selected" in a or not self._select.checked):
            self._select.value = a.get("value", "")
            self._select.checked = "selected" in a
        elif tag == "label":
            self._label_for, self._label_text = a.get("for"), ""

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data
        if self._label_for is not None:
            self._label_text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            if self._textarea is not None and self._textarea.value.startswith("\n"):
                self._textarea.value = self._textarea.value[1:]
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "label" and self._label_for is not None:
            self.labels[self._label_for] = " ".join(self._label_text.split())
            self._label_for = None


def parse(content: bytes) -> Forms:
    parser = Forms()
    parser.feed(content.decode())
    return parser


def sent(form: Form) -> dict[str, list[str]]:
    """What a browser sends for the form as shown (without pressing a named button)."""
    data: dict[str, list[str]] = {}
    for control in form.controls:
        if control.kind in {"submit", "button", "file", "password"}:
            continue
        if control.kind in {"checkbox", "radio"} and not control.checked:
            continue
        data.setdefault(control.name, []).append(control.value)
    return data


def bad_values(control: Control) -> list[str]:
    if control.kind == "date" or control.name == "period":
        return DATES if control.kind == "date" else [LONG, *DATES]
    if control.kind == "number":
        return WHOLE_NUMBERS
    if control.numeric:
        return AMOUNTS
    if control.kind in {"text", "textarea", "email", "search", "url"}:
        return [LONG]
    return []


def fingerprint() -> str:
    """Everything stored, reduced to one digest: any change to any row changes it."""
    digest = hashlib.sha256()
    for model in sorted(apps.get_models(), key=lambda m: m._meta.label):
        if model._meta.label in {"sessions.Session", "axes.AccessAttempt", "axes.AccessLog"}:
            continue
        for row in model.objects.order_by("pk").values_list():
            digest.update(repr(row).encode())
    return digest.hexdigest()


def pages_with_forms() -> list[str]:
    urls: list[str] = []
    for name, kwargs in walk(get_resolver().url_patterns):
        if not set(kwargs) <= {"pk"}:
            continue
        try:
            urls.append(reverse(name, kwargs={k: SHARED_PK for k in kwargs}))
        except NoReverseMatch:
            continue
    return sorted(set(urls))


@pytest.mark.slow
class EveryFormHoldsTheBoundsTest(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        test_boundary.OrganisationBoundaryTest.setUpTestData.__func__(cls)  # type: ignore[attr-defined]

    def setUp(self) -> None:
        self.client.force_login(self.first_pmo)

    def post_forms(self) -> list[tuple[str, Form, Forms]]:
        found = []
        for url in pages_with_forms():
            response = self.client.get(url)
            if response.status_code != 200 or "text/html" not in response["Content-Type"]:
                continue
            page = parse(response.content)
            for form in page.forms:
                if form.method == "post" and "sign-out" not in form.action:
                    found.append((url, form, page))
        return found

    def test_every_form_refuses_a_value_past_the_bounds_naming_the_field_and_changing_nothing(self) -> None:
        checked: set[tuple[str, str]] = set()
        problems: list[str] = []
        forms = self.post_forms()
        before = fingerprint()  # after opening the pages: some still write when opened (issue 10, item 11)
        for url, form, page in forms:
            target = html.unescape(form.action) or url
            for control in form.controls:
                for value in bad_values(control):
                    data = sent(form)
                    data[control.name] = [value]
                    where = f"{target} {control.name}={value[:12]}…"
                    response = self.client.post(target, data)
                    if response.status_code not in (200, 400):
                        problems.append(f"{where}: answered {response.status_code}")
                    elif fingerprint() != before:
                        problems.append(f"{where}: the database changed")
                        before = fingerprint()
                    else:
                        again = parse(response.content)
                        shown = [c for f in again.forms for c in f.controls if c.name == control.name]
                        if not shown or not shown[0].invalid:
                            problems.append(f"{where}: the field is not marked in error")
                        elif shown[0].value != value:
                            problems.append(f"{where}: what was typed is not kept")
                        label = page.labels.get(getattr(control, "id", ""), "")
                        if label and f"{label}:" not in html.unescape(response.content.decode()):
                            problems.append(f"{where}: the error summary does not name ‘{label}’")
                    checked.add((target, control.name))
        self.assertEqual(problems, [], "\n".join(problems))
        # The walk reached the forms this fixture offers: not a vacuous pass.
        self.assertGreater(len(checked), 80)

    def test_every_box_to_type_in_has_the_design_systems_input_class(self) -> None:
        # A width modifier (nhsuk-input--width-10) is not the class itself (issue 10, item 13).
        unstyled = [
            f"{url} {control.name}"
            for url, form, _ in self.post_forms()
            for control in form.controls
            if control.kind in {"text", "number", "date", "email"} and "nhsuk-input" not in control.classes  # type: ignore[attr-defined]
        ]
        self.assertEqual(unstyled, [])

    def test_a_checkpoint_week_that_is_not_a_reporting_week_is_refused_and_changes_nothing(self) -> None:
        url = reverse("portfolio:checkpoint", args=[self.secret.pk])
        data = {
            "reached_real_users": "False",
            "confidence": "green",
            "confidence_reason": "Everything on track this week",
        }
        before = fingerprint()
        for week in ("not-a-week", "0001-01-01", "9999-12-27", "2026-12-01", ""):
            with self.subTest(week=week):
                response = self.client.post(f"{url}?week={week}" if week else url, {**data, "week": week})
                if week:
                    self.assertEqual(response.status_code, 400)
                    self.assertContains(response, "week", status_code=400)
                    self.assertEqual(fingerprint(), before)
        self.assertFalse(Checkpoint.objects.filter(week_start__lt=dt.date(2000, 1, 1)).exists())


class ADecisionSaysSomethingTest(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        test_boundary.OrganisationBoundaryTest.setUpTestData.__func__(cls)  # type: ignore[attr-defined]

    def test_a_decision_of_single_letters_is_refused_on_the_form_and_by_the_command(self) -> None:
        self.client.force_login(self.first_pmo)
        before = fingerprint()
        response = self.client.post(
            reverse("portfolio:decide", args=[self.secret.pk]),
            {"kind": "stop", "rationale": "x", "evidence": "x", "decided_by": "x", "decided_on": "2026-11-30"},
        )
        for label in ("Why?", "What evidence was considered?", "Who decided?"):
            self.assertContains(response, f"{label}: ")
        self.assertContains(response, "words a board member could read later")
        self.assertEqual(fingerprint(), before)
        with self.assertRaisesMessage(CommandError, "Nothing was recorded. evidence"):
            call_command(
                "record_decision",
                "--organisation",
                self.first.ods_code,
                "--initiative",
                self.secret.reference,
                "--kind",
                "stop",
                "--rationale",
                "Usage fell for three months",
                "--evidence",
                "x",
                "--decided-by",
                "Digital Board",
                stdout=StringIO(),
            )
        self.assertEqual(fingerprint(), before)

    def test_an_observation_for_a_period_not_yet_started_is_refused_by_the_form_the_upload_and_the_command(
        self,
    ) -> None:
        import tempfile
        from pathlib import Path

        from django.core.files.uploadedfile import SimpleUploadedFile

        self.client.force_login(self.first_pmo)
        before = fingerprint()
        # The clock is fixed on 4 December 2026: January 2027 has not started.
        response = self.client.post(
            reverse("metrics:observation_add", args=[SHARED_PK]), {"period": "2027-01", "value": "42"}
        )
        self.assertContains(response, "Period: The period starting 1 January 2027 has not started yet")
        upload = SimpleUploadedFile("values.csv", b"period,value\n2026-11,41\n2027-01,42\n", content_type="text/csv")
        response = self.client.post(reverse("metrics:upload", args=[SHARED_PK]), {"file": upload})
        self.assertContains(response, "Row 3, column period: the period starting 1 January 2027 has not started yet")
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "values.csv"
            path.write_bytes(b"period,value\n2027-01,42\n")
            with self.assertRaisesMessage(CommandError, "has not started yet"):
                call_command("import_observations", str(path), "--metric", str(SHARED_PK), stdout=StringIO())
        self.assertEqual(fingerprint(), before)


class TheMixinHoldsEveryFieldTest(SimpleTestCase):
    """A form that states no limits gets the shared ones, with messages that give them."""

    class Plain(NHSFormMixin, forms.Form):
        line = forms.CharField(required=False)
        box = forms.CharField(required=False, widget=forms.Textarea)
        count = forms.IntegerField(required=False)
        measure = forms.FloatField(required=False)
        day = forms.DateField(required=False)
        weeks = forms.IntegerField(required=False)

        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            hold_to(self.fields["weeks"], minimum=1, maximum=bounds.MAX_WEEKS)
            self.apply_nhs_classes()

    def errors(self, **data: str) -> dict[str, list[str]]:
        form = self.Plain(data)
        self.assertFalse(form.is_valid())
        return {name: list(messages) for name, messages in form.errors.items()}

    def test_each_kind_of_field_is_held_to_its_bound_with_the_bound_in_the_message(self) -> None:
        self.assertEqual(
            self.errors(
                line="a" * 301,
                box="a" * 10_001,
                count="2147483648",
                measure="1e13",
                day="9999-12-31",
                weeks="521",
            ),
            {
                "line": ["Keep this to 300 characters or fewer: it has 301."],
                "box": ["Keep this to 10,000 characters or fewer: it has 10,001."],
                "count": ["Give a whole number no larger than 2,147,483,647."],
                "measure": ["Give a number no larger than 1,000,000,000,000."],
                "day": ["Give a date from 1 January 2000 to 31 December 2099: 9999-12-31 is outside that."],
                "weeks": ["Give a whole number from 1 to 520."],
            },
        )

    def test_the_extremes_themselves_are_accepted(self) -> None:
        form = self.Plain(
            {
                "line": "a" * 300,
                "box": "a" * 10_000,
                "count": "2147483647",
                "measure": "-1e12",
                "day": "2000-01-01",
                "weeks": "520",
            }
        )
        self.assertTrue(form.is_valid(), form.errors)
