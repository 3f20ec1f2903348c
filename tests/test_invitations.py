"""Accepting an invitation: nobody joins an organisation without saying yes, the link works once
and only until it expires, and opening it changes nothing."""

import datetime as dt

import time_machine
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from headway.accounts import actions
from headway.accounts.middleware import SESSION_KEY
from headway.accounts.models import Invitation, Membership, User
from headway.accounts.roles import Role
from tests.factories import PASSWORD, make_person
from tests.personas import personas

NEW_PASSWORD = "a-long-new-passphrase-77"


class InvitationTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cast = personas("Inviting Trust")
        cls.trust, cls.other = cls.cast.trust, cls.cast.other_trust
        cls.outsider = make_person(cls.other, Role.VIEWER, "Olu Outsider", email="olu@example.test")

    def invite(self, email="olu@example.test", role=Role.EXECUTIVE, **fields):
        invitation, token = actions.invite_member(
            organisation=self.trust, by=self.cast.office, email=email, full_name="Typed Name", role=role, **fields
        )
        return invitation, reverse("accounts:invitation", kwargs={"token": token})

    def memberships(self, email):
        return Membership.objects.filter(organisation=self.trust, user__email=email)

    def test_someone_with_an_account_signs_in_and_accepts(self):
        invitation, link = self.invite(directorate="Nursing")
        page = self.client.get(link)
        self.assertContains(page, "Sign in to accept")
        self.assertContains(page, "Pat Office has invited olu@example.test to use Headway for Inviting Trust")
        self.assertIn("no-store", page.headers["Cache-Control"])
        signed_in = self.client.post(
            f"{reverse('accounts:login')}?next={link}", {"username": "olu@example.test", "password": PASSWORD}
        )
        self.assertRedirects(signed_in, link, fetch_redirect_response=False)
        page = self.client.get(link)
        self.assertContains(page, "Accept and join Inviting Trust")
        self.assertFalse(self.memberships("olu@example.test").exists())  # opening the pages changed nothing
        response = self.client.post(link, follow=True)
        self.assertRedirects(response, reverse("portfolio:glance"))
        self.assertContains(response, "You have joined Inviting Trust as executive or senior responsible owner.")
        membership = self.memberships("olu@example.test").get()
        self.assertEqual((membership.role, membership.directorate), (Role.EXECUTIVE, "Nursing"))
        self.assertEqual(self.client.session[SESSION_KEY], self.trust.pk)
        invitation.refresh_from_db()
        self.assertEqual(invitation.accepted_by, self.outsider)
        self.assertEqual(self.outsider.memberships.count(), 2)

    def test_someone_new_sets_up_their_account_and_joins(self):
        _, link = self.invite(email="New.Person@Example.test", role=Role.DELIVERY_LEAD)
        page = self.client.get(link)
        self.assertContains(page, "Set up my account and join")
        self.assertContains(page, 'value="Typed Name"', html=False)
        self.assertFalse(User.objects.filter(email="new.person@example.test").exists())
        response = self.client.post(
            link, {"full_name": "Nia Person", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        )
        self.assertRedirects(response, reverse("portfolio:glance"), fetch_redirect_response=False)
        person = User.objects.get(email="new.person@example.test")
        self.assertEqual(person.full_name, "Nia Person")
        self.assertTrue(person.check_password(NEW_PASSWORD))
        self.assertEqual(self.memberships(person.email).get().role, Role.DELIVERY_LEAD)
        self.assertEqual(int(self.client.session["_auth_user_id"]), person.pk)

    def test_a_bad_password_keeps_the_name_and_creates_nothing(self):
        _, link = self.invite(email="new.person@example.test")
        response = self.client.post(link, {"full_name": "Nia Person", "new_password1": "short", "new_password2": "x"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "nhsuk-error-summary")
        self.assertContains(response, 'value="Nia Person"', html=False)
        self.assertFalse(User.objects.filter(email="new.person@example.test").exists())

    def test_signed_in_as_someone_else_the_invitation_cannot_be_accepted(self):
        invitation, link = self.invite()
        self.client.force_login(self.cast.board)
        page = self.client.get(link)
        self.assertContains(page, "but this invitation is for olu@example.test")
        self.assertNotContains(page, "Accept and join")
        self.client.post(link)
        self.assertFalse(Membership.objects.filter(organisation=self.trust, user__email="olu@example.test").exists())
        invitation.refresh_from_db()
        self.assertIsNone(invitation.accepted_at)

    def test_the_link_works_once(self):
        _, link = self.invite()
        self.client.force_login(self.outsider)
        self.client.post(link)
        again = self.client.post(link)
        self.assertContains(again, "already been accepted", status_code=410)
        self.assertEqual(self.memberships("olu@example.test").count(), 1)

    def test_an_expired_link_is_refused(self):
        _, link = self.invite()
        self.client.force_login(self.outsider)
        with time_machine.travel(timezone.now() + dt.timedelta(days=7, minutes=1), tick=False):
            response = self.client.post(link)
        self.assertContains(response, "This invitation has expired.", status_code=410)
        self.assertFalse(self.memberships("olu@example.test").exists())

    def test_a_withdrawn_or_replaced_link_is_refused(self):
        invitation, link = self.invite()
        _, newer = self.invite(role=Role.VIEWER)  # inviting again replaces the first link
        self.client.force_login(self.outsider)
        self.assertContains(self.client.post(link), "withdrawn", status_code=410)
        invitation = Invitation.objects.get(pk=invitation.pk)
        self.assertIsNotNone(invitation.withdrawn_at)
        actions.withdraw_invitation(invitation=Invitation.objects.pending().get(), by=self.cast.office)
        self.assertContains(self.client.post(newer), "withdrawn", status_code=410)
        self.assertFalse(self.memberships("olu@example.test").exists())

    def test_an_unknown_link_is_not_found(self):
        response = self.client.get(reverse("accounts:invitation", kwargs={"token": "not-a-real-token"}))
        self.assertContains(response, "not recognised", status_code=404)

    def test_the_link_itself_is_never_stored(self):
        invitation, link = self.invite()
        token = link.rstrip("/").rsplit("/", 1)[1]
        self.assertGreaterEqual(len(token), 40)
        stored = Invitation.objects.filter(pk=invitation.pk).values().get()
        self.assertNotIn(token, [str(value) for value in stored.values()])

    def test_an_existing_member_is_told_so_as_they_are_on_this_organisations_own_list(self):
        with self.assertRaisesMessage(Exception, "already a member of Inviting Trust"):
            self.invite(email=self.cast.board.email)

    def test_a_closed_account_cannot_be_brought_back_by_an_invitation(self):
        closed = make_person(None, email="closed@example.test", is_active=False)
        closed.set_unusable_password()
        closed.save()
        _, link = self.invite(email="closed@example.test")
        response = self.client.post(
            link, {"full_name": "Cleo Closed", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        )
        self.assertContains(response, "This Headway account has been closed")
        self.assertFalse(self.memberships("closed@example.test").exists())
        closed.refresh_from_db()
        self.assertFalse(closed.has_usable_password())
