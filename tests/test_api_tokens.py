"""Personal access tokens (ADR 32): made on your account page and shown once, stored as a digest,
working in one organisation for no more than your role allows, until they expire, are revoked or
you leave; rate limited by a setting; never a session in their place."""

from __future__ import annotations

import datetime as dt
import re

import time_machine
from django.core.cache import cache
from django.test import TestCase, override_settings
from django.utils import timezone

from headway.accounts.models import Membership
from headway.api import actions
from headway.api.models import AccessToken, token_digest
from tests.factories import bearer, make_initiative, make_token
from tests.personas import personas

API = "/api/v1"


class TokenUseTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cast = personas("Token Trust")
        make_initiative(cls.cast.trust, by=cls.cast.office, title="Theatre scheduling")

    def setUp(self):
        cache.clear()

    def get(self, secret, path="/initiatives"):
        return self.client.get(API + path, headers=bearer(secret))

    def test_only_a_digest_and_a_short_prefix_are_stored(self):
        secret = make_token(self.cast.viewer, self.cast.trust)
        token = AccessToken.objects.get()
        self.assertEqual(token.digest, token_digest(secret))
        self.assertTrue(secret.startswith(token.prefix))
        self.assertLess(len(token.prefix), len(secret) // 3)
        self.assertNotIn(secret, str(AccessToken.objects.values().get()))

    def test_a_current_token_works_and_its_use_is_noted_at_most_once_a_minute(self):
        secret = make_token(self.cast.viewer, self.cast.trust)
        self.assertEqual(self.get(secret).status_code, 200)
        first = AccessToken.objects.get().last_used_at
        self.assertIsNotNone(first)
        with self.assertNumQueries(3):  # the token, the membership, the list's count (no update)
            self.client.get(API + "/organisations", headers=bearer(secret))
        self.assertEqual(AccessToken.objects.get().last_used_at, first)
        with time_machine.travel(timezone.now() + dt.timedelta(minutes=2)):
            self.get(secret)
        self.assertGreater(AccessToken.objects.get().last_used_at, first)

    def test_no_token_a_wrong_one_or_another_scheme_is_401_problem_details(self):
        secret = make_token(self.cast.viewer, self.cast.trust)
        for headers in ({}, bearer("hw_not-a-real-token"), {"Authorization": f"Basic {secret}"}):
            with self.subTest(headers=headers):
                response = self.client.get(API + "/initiatives", headers=headers)
                self.assertEqual(response.status_code, 401)
                self.assertEqual(response["Content-Type"], "application/problem+json")
                self.assertEqual(response.json()["status"], 401)
                self.assertIn("Bearer", response["WWW-Authenticate"])

    def test_a_signed_in_session_is_not_accepted_in_place_of_a_token(self):
        self.client.force_login(self.cast.office)
        self.assertEqual(self.client.get(API + "/initiatives").status_code, 401)

    def test_an_expired_or_revoked_token_stops_working(self):
        expiring = make_token(self.cast.viewer, self.cast.trust, days=30)
        revoked = make_token(self.cast.board, self.cast.trust)
        actions.revoke_token(token=AccessToken.objects.get(digest=token_digest(revoked)), by=self.cast.board)
        self.assertEqual(self.get(revoked).status_code, 401)
        with time_machine.travel(timezone.now() + dt.timedelta(days=31)):
            self.assertEqual(self.get(expiring).status_code, 401)

    def test_leaving_the_organisation_stops_the_token(self):
        secret = make_token(self.cast.lead, self.cast.trust, can_write=True)
        Membership.objects.filter(user=self.cast.lead).delete()
        self.assertEqual(self.get(secret).status_code, 401)

    def test_a_token_follows_its_persons_role_now_not_when_it_was_made(self):
        secret = make_token(self.cast.executive, self.cast.trust, can_write=True)
        initiative = make_initiative(self.cast.trust, by=self.cast.office, status="active")
        Membership.objects.filter(user=self.cast.executive).update(role="viewer")
        body = {
            "kind": "pause",
            "rationale": "Funding has been moved to winter pressures.",
            "evidence": "The finance committee minutes.",
            "decided_by": "Executive team",
            "decided_on": "2026-12-01",
        }
        response = self.client.post(
            f"{API}/initiatives/{initiative.pk}/decisions",
            body,
            content_type="application/json",
            headers=bearer(secret),
        )
        self.assertEqual(response.status_code, 403)

    @override_settings(API_RATE_LIMIT_PER_MINUTE=3)
    def test_past_the_rate_limit_a_token_gets_429_with_retry_after(self):
        secret = make_token(self.cast.viewer, self.cast.trust)
        with time_machine.travel(dt.datetime(2026, 12, 4, 12, 0, 15, tzinfo=dt.UTC), tick=False):
            codes = [self.get(secret, "/organisations").status_code for _ in range(4)]
            self.assertEqual(codes, [200, 200, 200, 429])
            refused = self.get(secret, "/organisations")
            self.assertEqual(refused["Retry-After"], "45")
            self.assertEqual(refused["Content-Type"], "application/problem+json")
        with time_machine.travel(dt.datetime(2026, 12, 4, 12, 1, 1, tzinfo=dt.UTC), tick=False):
            self.assertEqual(self.get(secret, "/organisations").status_code, 200)

    def test_the_organisations_are_the_persons_and_the_token_works_in_one(self):
        Membership.objects.create(user=self.cast.office, organisation=self.cast.other_trust, role="viewer")
        secret = make_token(self.cast.office, self.cast.trust)
        listed = {o["name"]: o["this_token"] for o in self.get(secret, "/organisations").json()}
        self.assertEqual(listed, {"Token Trust": True, "Other Community Trust": False})
        other = make_initiative(self.cast.other_trust, by=self.cast.other_office, title="Other trust's")
        self.assertEqual(self.get(secret, f"/initiatives/{other.pk}").status_code, 404)


class TokenPageTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cast = personas("Token Page Trust")

    def test_a_token_made_on_the_page_is_shown_once_and_then_works(self):
        self.client.force_login(self.cast.lead)
        page = self.client.get("/account/tokens/")
        self.assertEqual(page.status_code, 200)
        data = {"name": "Weekly checkpoint script", "organisation": self.cast.trust.pk, "access": "write", "days": "90"}
        response = self.client.post("/account/tokens/", data, follow=True)
        self.assertContains(response, "Copy your new token now")
        secret = re.search(r'class="app-token-secret">(hw_[^<]+)<', response.content.decode()).group(1)
        token = AccessToken.objects.get()
        self.assertEqual((token.user, token.can_write, token.name), (self.cast.lead, True, "Weekly checkpoint script"))
        self.assertEqual((token.expires_at - token.created_at).days, 90)
        self.assertNotContains(self.client.get("/account/tokens/"), secret)
        self.assertEqual(self.client.get(API + "/initiatives", headers=bearer(secret)).status_code, 200)

    def test_a_token_must_say_what_it_is_for_and_keeps_what_was_typed(self):
        self.client.force_login(self.cast.lead)
        data = {"name": "", "organisation": self.cast.trust.pk, "access": "write", "days": "90"}
        response = self.client.post("/account/tokens/", data)
        self.assertContains(response, "Say what the token is for")
        self.assertFalse(AccessToken.objects.exists())

    def test_an_organisation_the_person_is_not_in_and_a_length_not_offered_are_refused(self):
        self.client.force_login(self.cast.lead)
        for change in ({"organisation": self.cast.other_trust.pk}, {"days": "5000"}):
            with self.subTest(change=change):
                data = {"name": "Script", "organisation": self.cast.trust.pk, "access": "read", "days": "90", **change}
                self.assertEqual(self.client.post("/account/tokens/", data).status_code, 200)
        self.assertFalse(AccessToken.objects.exists())

    def test_revoking_asks_first_then_stops_the_token_and_keeps_it_listed(self):
        secret = make_token(self.cast.lead, self.cast.trust)
        token = AccessToken.objects.get()
        self.client.force_login(self.cast.lead)
        url = f"/account/tokens/{token.pk}/revoke/"
        asking = self.client.get(url)
        self.assertContains(asking, "Revoke the token")
        self.assertContains(asking, ">Yes, revoke it</button>", html=False)
        self.assertIsNone(AccessToken.objects.get().revoked_at)
        self.client.post(url)
        self.assertIsNotNone(AccessToken.objects.get().revoked_at)
        self.assertEqual(AccessToken.objects.get().history.first().history_change_reason, "Revoked")
        self.assertEqual(self.client.get(API + "/initiatives", headers=bearer(secret)).status_code, 401)
        self.assertContains(self.client.get("/account/tokens/"), "Revoked")

    def test_someone_elses_token_is_not_found(self):
        make_token(self.cast.lead, self.cast.trust)
        token = AccessToken.objects.get()
        self.client.force_login(self.cast.office)
        for method in ("get", "post"):
            with self.subTest(method=method):
                self.assertEqual(getattr(self.client, method)(f"/account/tokens/{token.pk}/revoke/").status_code, 404)
        self.assertIsNone(AccessToken.objects.get().revoked_at)

    def test_the_account_page_links_to_the_tokens(self):
        self.client.force_login(self.cast.viewer)
        self.assertContains(self.client.get("/account/"), 'href="/account/tokens/"')
