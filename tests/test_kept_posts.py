"""A form saved just after the session ended for being idle is not lost: the person signs in
again and finds what they typed on the form, to check and save (issue 10's known gap; ADR 23).
Nothing is saved by opening the page, and nobody else ever sees it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from headway.accounts.roles import Role
from headway.accounts.sessions import KEPT_POST
from headway.portfolio.models import Comment, Initiative
from tests.crawler import CrawlResult, crawl, watching_writes
from tests.factories import PASSWORD, make_initiative, make_organisation, make_person
from tests.test_crawl import build_a_trust_with_something_on_every_page

SIGN_IN = reverse("accounts:login")
TYPED = "Typed before the session ended: a long reason that took twenty minutes to write."


class SignedOutMidFormTest(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.trust = make_organisation("Kept Trust")
        cls.office = make_person(cls.trust, Role.PORTFOLIO_OFFICE, "Kit Office", email="kit@example.test")
        cls.other = make_person(cls.trust, Role.PORTFOLIO_OFFICE, "Oz Other", email="oz@example.test")
        cls.initiative = make_initiative(cls.trust, by=cls.office, title="Electronic prescribing")

    def sign_in(self, email: str, next_url: str = "") -> object:
        data = {"username": email, "password": PASSWORD}
        return self.client.post(SIGN_IN + (f"?next={next_url}" if next_url else ""), {**data, "next": next_url})

    def post_after_idle(self, url: str, data: dict[str, str]) -> object:
        start = timezone.now()
        self.sign_in("kit@example.test")
        with time_machine.travel(start, tick=False):
            self.client.get(url)
        with time_machine.travel(start + dt.timedelta(minutes=45), tick=False):
            return self.client.post(url, data)

    def edit_form_data(self) -> dict[str, str]:
        page = self.client.get(reverse("portfolio:edit", args=[self.initiative.pk]))
        form = page.context["form"]
        data = {name: form[name].value() for name in form.fields}
        cleaned = {k: ("" if v is None else v) for k, v in data.items() if not isinstance(v, list)}
        return {**cleaned, "title": "Electronic prescribing and medicines administration", "problem": TYPED}

    def test_the_typed_form_comes_back_after_signing_in_again_and_saves_once_checked(self) -> None:
        url = reverse("portfolio:edit", args=[self.initiative.pk])
        self.sign_in("kit@example.test")
        data = self.edit_form_data()
        self.client.logout()
        response = self.post_after_idle(url, data)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response.url.startswith(SIGN_IN))
        self.assertEqual(Initiative.objects.get(pk=self.initiative.pk).title, "Electronic prescribing")
        self.assertContains(self.client.get(response.url), "What you typed is kept")

        self.assertIn(KEPT_POST, self.client.session)
        back = self.sign_in("kit@example.test", url)
        self.assertIn(KEPT_POST, self.client.session)
        self.assertRedirects(back, url, fetch_redirect_response=False)
        page = self.client.get(url)
        self.assertContains(page, TYPED)
        self.assertContains(page, "check it and save it again")
        self.assertEqual(Initiative.objects.get(pk=self.initiative.pk).problem, self.initiative.problem)
        # Only once: opening the page again shows what is saved.
        self.assertNotContains(self.client.get(url), TYPED)

        self.client.post(url, page.context["form"].data)
        self.assertEqual(Initiative.objects.get(pk=self.initiative.pk).problem, TYPED)

    def test_someone_else_signing_in_on_the_same_browser_does_not_see_it(self) -> None:
        url = reverse("portfolio:edit", args=[self.initiative.pk])
        self.sign_in("kit@example.test")
        data = self.edit_form_data()
        self.client.logout()
        self.post_after_idle(url, data)
        self.sign_in("oz@example.test", url)
        self.assertNotContains(self.client.get(url), TYPED)
        self.assertNotIn(KEPT_POST, self.client.session)

    def test_a_comment_comes_back_on_the_initiative_page(self) -> None:
        url = reverse("portfolio:comment", args=[self.initiative.pk])
        response = self.post_after_idle(url, {"body": TYPED})
        self.assertTrue(response.url.startswith(SIGN_IN))
        self.sign_in("kit@example.test", url)
        page = self.client.get(url, follow=True)
        self.assertContains(page, TYPED)
        self.assertFalse(Comment.objects.filter(body=TYPED).exists())

    def test_passwords_and_the_form_protection_token_are_never_kept(self) -> None:
        url = reverse("portfolio:edit", args=[self.initiative.pk])
        self.post_after_idle(url, {"title": "x", "password": "secret", "csrfmiddlewaretoken": "t"})
        kept = dict((name, value) for name, value in self.client.session[KEPT_POST]["fields"])
        self.assertEqual(kept, {"title": "x"})


_TEXT_FIELDS = re.compile(r'<(?:textarea[^>]*|input[^>]*type="text"[^>]*) name="([^"]+)"')


@pytest.mark.slow
class EveryFormPageTest(TestCase):
    """Every page with a form the portfolio office can open, opened with a kept post waiting:
    it answers, it writes nothing, and the words typed into its text boxes are shown."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_a_trust_with_something_on_every_page()

    def test_every_form_page_shows_the_kept_post_and_writes_nothing(self) -> None:
        client = Client()
        client.force_login(self.cast.office)
        found = crawl(client, label="office")
        pages = {
            address: names
            for address, status in found.status.items()
            if status == 200 and "?" not in address
            for names in [self.text_fields(client, address)]
            if names
        }
        self.assertGreater(len(pages), 20)
        result = CrawlResult("kept posts")
        for address, names in pages.items():
            session = client.session
            fields = [[name, f"Kept words {n}"] for n, name in enumerate(names)]
            session[KEPT_POST] = {
                "path": address,
                "user": self.cast.office.pk,
                "at": timezone.now().timestamp(),
                "fields": fields,
            }
            session.save()
            with watching_writes(result, lambda a=address: a):
                response = client.get(address)
            with self.subTest(address=address):
                self.assertEqual(response.status_code, 200)
                self.assertIn("Kept words", response.content.decode())
        self.assertEqual(result.writes, [], result.describe_writes())

    @staticmethod
    def text_fields(client: Client, address: str) -> list[str]:
        response = client.get(address)
        if not response.get("Content-Type", "").startswith("text/html"):
            return []
        html = response.content.decode()
        forms = re.findall(r'<form[^>]*method="post"[^>]*>(.*?)</form>', html, flags=re.S | re.I)
        return sorted({name for form in forms for name in _TEXT_FIELDS.findall(form)})
