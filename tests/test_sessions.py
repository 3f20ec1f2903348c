"""A session ends after a configurable time without activity, and after a fixed time however
busy; a session that ended says why on the sign-in page."""

import datetime as dt

import time_machine
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from headway.accounts.roles import Role
from tests.factories import PASSWORD, make_organisation, make_person

GLANCE = reverse("portfolio:glance")


class SessionTimeoutTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.trust = make_organisation("Session Trust")
        cls.person = make_person(cls.trust, Role.BOARD, "Sid Session", email="sid@example.test")

    def setUp(self):
        self.start = timezone.now()
        response = self.client.post(reverse("accounts:login"), {"username": "sid@example.test", "password": PASSWORD})
        self.assertEqual(response.status_code, 302)

    def get_after(self, minutes, url=GLANCE):
        with time_machine.travel(self.start + dt.timedelta(minutes=minutes), tick=False):
            return self.client.get(url)

    def assertSignedOut(self, response, reason):
        self.assertRedirects(response, f"{reverse('accounts:login')}?next={GLANCE}", fetch_redirect_response=False)
        self.assertNotIn("_auth_user_id", self.client.session)
        page = self.client.get(response.url)
        self.assertContains(page, reason)

    def test_a_session_left_idle_for_half_an_hour_is_signed_out_and_told_why(self):
        self.assertEqual(self.get_after(29).status_code, 200)
        self.assertSignedOut(self.get_after(29 + 31), "signed out after 30 minutes without using Headway")

    def test_a_person_who_keeps_working_stays_signed_in(self):
        for minutes in range(0, 6 * 60, 20):
            self.assertEqual(self.get_after(minutes).status_code, 200, f"after {minutes} minutes")

    def test_nobody_stays_signed_in_longer_than_twelve_hours(self):
        for minutes in range(0, 12 * 60, 25):
            self.assertEqual(self.get_after(minutes).status_code, 200, f"after {minutes} minutes")
        self.assertSignedOut(self.get_after(12 * 60 + 5), "you signed in more than 12 hours ago")

    @override_settings(SESSION_IDLE_TIMEOUT=5 * 60)
    def test_the_idle_time_is_a_setting(self):
        self.assertEqual(self.get_after(4).status_code, 200)
        self.assertSignedOut(self.get_after(10), "signed out after 5 minutes without using Headway")

    def test_reading_pages_does_not_write_the_session_every_time(self):
        self.get_after(2)
        stored = dict(self.client.session)
        self.get_after(2.5)  # within the minute: the time last seen is not written again
        self.assertEqual(dict(self.client.session), stored)
        self.get_after(4)
        self.assertGreater(self.client.session["headway_seen_at"], stored["headway_seen_at"])

    def test_a_signed_out_session_cannot_be_used_again(self):
        old_key = self.client.cookies["sessionid"].value
        self.get_after(45)
        self.client.cookies["sessionid"] = old_key
        with time_machine.travel(self.start + dt.timedelta(minutes=46), tick=False):
            response = self.client.get(GLANCE)
        self.assertEqual(response.status_code, 302)

    def test_typing_in_a_form_keeps_the_session_alive(self):
        # static/js/still-here.js calls this address every few minutes while someone types.
        address = reverse("accounts:still_here")
        for minutes in (20, 40):
            self.assertEqual(self.get_after(minutes, address).status_code, 204)
        self.assertEqual(self.get_after(65).status_code, 200)

    def test_pages_tell_the_script_where_and_how_often_to_call(self):
        page = self.get_after(1)
        self.assertContains(page, f'data-address="{reverse("accounts:still_here")}" data-every-seconds="300"')
        with override_settings(SESSION_IDLE_TIMEOUT=6 * 60):
            self.assertContains(self.get_after(2), 'data-every-seconds="120"')
