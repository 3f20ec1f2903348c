import os
import subprocess
import sys
from pathlib import Path

from django.contrib.auth.hashers import identify_hasher
from django.core import mail
from django.test import RequestFactory, SimpleTestCase, TestCase, override_settings
from django.urls import reverse

from headway.accounts.middleware import SESSION_KEY
from headway.accounts.models import Membership, User
from headway.accounts.roles import Role
from headway.accounts.throttling import client_address
from tests.factories import PASSWORD, make_organisation, make_person
from tests.personas import personas

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"}}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


class SigningInTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.trust = make_organisation("Sign-in Trust")
        cls.person = make_person(cls.trust, Role.BOARD, "Bea Board", email="bea@example.test")

    def test_a_person_signs_in_with_their_email_and_lands_on_the_portfolio(self):
        response = self.client.post(reverse("accounts:login"), {"username": "bea@example.test", "password": PASSWORD})
        self.assertRedirects(response, reverse("portfolio:glance"), fetch_redirect_response=False)

    def test_the_email_address_is_not_case_sensitive(self):
        response = self.client.post(
            reverse("accounts:login"), {"username": "  Bea@EXAMPLE.test ", "password": PASSWORD}
        )
        self.assertRedirects(response, reverse("portfolio:glance"), fetch_redirect_response=False)

    def test_an_address_is_stored_lower_case_by_any_path(self):
        person = User.objects.create(email=" Cal.Case@Example.TEST", full_name="Cal Case")
        person.refresh_from_db()
        self.assertEqual(person.email, "cal.case@example.test")

    def test_a_wrong_password_is_refused_with_a_message(self):
        response = self.client.post(reverse("accounts:login"), {"username": "bea@example.test", "password": "nope"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "nhsuk-error-summary")
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_signing_out_needs_a_post_and_ends_the_session(self):
        self.client.force_login(self.person)
        response = self.client.post(reverse("accounts:logout"))
        self.assertContains(response, "You have signed out")
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_pages_need_a_signed_in_person(self):
        response = self.client.get(reverse("portfolio:list"))
        self.assertRedirects(
            response, f"{reverse('accounts:login')}?next={reverse('portfolio:list')}", fetch_redirect_response=False
        )


@override_settings(AXES_FAILURE_LIMIT=3)
class ThrottlingTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.trust = make_organisation("Throttle Trust")
        make_person(cls.trust, Role.VIEWER, email="victim@example.test")

    def test_repeated_failures_lock_the_account_even_for_the_right_password(self):
        url = reverse("accounts:login")
        for _ in range(3):
            self.client.post(url, {"username": "victim@example.test", "password": "guess"})
        response = self.client.post(url, {"username": "victim@example.test", "password": PASSWORD})
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "15 minutes", status_code=429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def sign_in(self, username, password, **meta):
        return self.client.post(reverse("accounts:login"), {"username": username, "password": password}, **meta)

    def test_changing_the_case_of_the_address_does_not_give_more_guesses(self):
        for username in ("victim@example.test", "VICTIM@example.test", "Victim@Example.Test"):
            self.sign_in(username, "guess")
        self.assertEqual(self.sign_in("victim@example.test", PASSWORD).status_code, 429)

    @override_settings(HEADWAY_TRUSTED_PROXIES=1)
    def test_behind_a_proxy_an_attacker_locks_only_their_own_address_out(self):
        proxy = {"REMOTE_ADDR": "10.0.0.1"}
        for _ in range(3):
            self.sign_in("victim@example.test", "guess", HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy)
        attacker = self.sign_in("victim@example.test", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy)
        self.assertEqual(attacker.status_code, 429)
        # The real person, through the same proxy from their own address, still signs in.
        victim = self.sign_in("victim@example.test", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.20", **proxy)
        self.assertRedirects(victim, reverse("portfolio:glance"), fetch_redirect_response=False)

    @override_settings(HEADWAY_TRUSTED_PROXIES=1)
    def test_an_address_the_client_writes_itself_is_not_believed(self):
        # Only the right-most entry was written by our proxy; varying the rest gives no new guesses.
        for spoof in ("1.1.1.1", "2.2.2.2", "3.3.3.3"):
            self.sign_in(
                "victim@example.test", "guess", HTTP_X_FORWARDED_FOR=f"{spoof}, 203.0.113.9", REMOTE_ADDR="10.0.0.1"
            )
        response = self.sign_in(
            "victim@example.test", PASSWORD, HTTP_X_FORWARDED_FOR="4.4.4.4, 203.0.113.9", REMOTE_ADDR="10.0.0.1"
        )
        self.assertEqual(response.status_code, 429)


class ClientAddressTest(SimpleTestCase):
    def address(self, proxies, forwarded=None):
        request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2")
        if forwarded is not None:
            request.META["HTTP_X_FORWARDED_FOR"] = forwarded
        with self.settings(HEADWAY_TRUSTED_PROXIES=proxies):
            return client_address(request)

    def test_with_no_proxy_the_peer_is_the_client_whatever_the_header_says(self):
        self.assertEqual(self.address(0, "203.0.113.9"), "10.0.0.2")

    def test_with_proxies_the_client_is_counted_from_the_right(self):
        self.assertEqual(self.address(1, "6.6.6.6, 203.0.113.9"), "203.0.113.9")
        self.assertEqual(self.address(2, "6.6.6.6, 203.0.113.9, 10.0.0.7"), "203.0.113.9")

    def test_a_request_that_skipped_the_proxies_is_counted_by_its_peer(self):
        self.assertEqual(self.address(2, "203.0.113.9"), "10.0.0.2")
        self.assertEqual(self.address(1), "10.0.0.2")


class PasswordResetTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.trust = make_organisation("Reset Trust")
        cls.person = make_person(cls.trust, Role.VIEWER, email="forgetful@example.test")

    def test_a_reset_link_is_emailed_and_sets_a_new_password(self):
        response = self.client.post(reverse("accounts:password_reset"), {"email": "forgetful@example.test"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(len(mail.outbox), 1)
        link = next(line for line in mail.outbox[0].body.splitlines() if "/password-reset/" in line).strip()
        path = link[link.index("/password-reset/") :]
        response = self.client.get(path, follow=True)
        form_url = response.redirect_chain[-1][0] if response.redirect_chain else path
        response = self.client.post(
            form_url, {"new_password1": "a-new-long-passphrase-42", "new_password2": "a-new-long-passphrase-42"}
        )
        self.assertEqual(response.status_code, 302)
        self.person.refresh_from_db()
        self.assertTrue(self.person.check_password("a-new-long-passphrase-42"))

    def test_an_unknown_address_gets_the_same_answer_and_no_email(self):
        response = self.client.post(reverse("accounts:password_reset"), {"email": "nobody@example.test"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(len(mail.outbox), 0)


class SwitchingOrganisationTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.acute = make_organisation("Alpha Acute Trust")
        cls.mental = make_organisation("Beta Mental Health Trust", kind="mental_health")
        cls.person = make_person(cls.acute, Role.EXECUTIVE)
        Membership.objects.create(user=cls.person, organisation=cls.mental, role=Role.BOARD)

    def test_a_person_in_two_organisations_switches_between_them(self):
        self.client.force_login(self.person)
        response = self.client.post(reverse("accounts:switch_organisation"), {"organisation": self.mental.pk})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.client.session[SESSION_KEY], self.mental.pk)
        response = self.client.get(reverse("portfolio:glance"))
        self.assertContains(response, "Beta Mental Health Trust")

    def test_they_cannot_switch_into_an_organisation_they_do_not_belong_to(self):
        stranger = make_organisation("Gamma Trust")
        self.client.force_login(self.person)
        response = self.client.post(reverse("accounts:switch_organisation"), {"organisation": stranger.pk})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "nhsuk-error-message")
        self.assertNotIn(SESSION_KEY, self.client.session)


class AdminTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cast = personas("Admin Trust")
        cls.trust, cls.pmo = cls.cast.trust, cls.cast.office
        cls.root = User.objects.create_superuser(email="root@example.test", password=PASSWORD, full_name="Root")

    def test_the_admin_is_not_found_for_trust_staff(self):
        self.client.force_login(self.pmo)
        self.assertEqual(self.client.get("/admin/").status_code, 404)
        self.assertEqual(self.client.get("/admin/portfolio/initiative/").status_code, 404)

    def test_the_admin_works_for_installation_administrators(self):
        self.client.force_login(self.root)
        self.assertEqual(self.client.get("/admin/portfolio/initiative/").status_code, 200)


class PasswordStorageTest(TestCase):
    def test_production_hashes_passwords_with_argon2(self):
        result = run_manage(
            "shell",
            "-c",
            "from django.conf import settings; print(settings.PASSWORD_HASHERS[0])",
            HEADWAY_ENV="development",
        )
        self.assertEqual(result.stdout.strip().splitlines()[-1], "django.contrib.auth.hashers.Argon2PasswordHasher")
        with self.settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"]):
            user = make_person(None)
            self.assertEqual(identify_hasher(user.password).algorithm, "argon2")


class ProductionSettingsTest(TestCase):
    def test_production_refuses_to_start_without_a_secret_key(self):
        result = run_manage("check", HEADWAY_ENV="production", ALLOWED_HOSTS="headway.example.nhs.uk")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("SECRET_KEY must be set", result.stderr)

    def test_production_refuses_to_start_without_allowed_hosts(self):
        result = run_manage("check", HEADWAY_ENV="production", SECRET_KEY="x" * 64)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("ALLOWED_HOSTS", result.stderr)

    def test_production_settings_pass_the_deployment_checklist(self):
        result = run_manage(
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
            HEADWAY_ENV="production",
            SECRET_KEY="k3y-" + "abcdefghij" * 6,
            ALLOWED_HOSTS="headway.example.nhs.uk",
        )
        self.assertEqual(result.returncode, 0, result.stderr + result.stdout)
