"""The portfolio office administers who can use Headway in its organisation."""

import re

from django.core import mail
from django.db import transaction
from django.test import TestCase
from django.urls import reverse

from headway.accounts.models import Invitation, Membership, User
from headway.accounts.roles import Role
from tests.factories import make_person
from tests.personas import personas


class PeopleTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cast = personas("People Trust")
        cls.trust, cls.other = cls.cast.trust, cls.cast.other_trust
        cls.pmo, cls.viewer = cls.cast.office, cls.cast.viewer
        # Kept as their own people: the pages are checked for Bob's name, and Olu is added again by his email.
        cls.board = make_person(cls.trust, Role.BOARD, "Bob Board")
        cls.outsider = make_person(cls.other, Role.VIEWER, "Olu Outsider", email="olu@example.test")

    def setUp(self):
        self.client.force_login(self.pmo)

    def add(self, **overrides):
        data = {
            "email": "new.person@example.test",
            "full_name": "New Person",
            "role": "delivery_lead",
            "directorate": "Digital",
            **overrides,
        }
        return self.client.post(reverse("accounts:person_add"), data)

    def test_the_portfolio_office_invites_a_new_person_by_email(self):
        response = self.add()
        self.assertRedirects(response, reverse("accounts:people"), fetch_redirect_response=False)
        invitation = Invitation.objects.get(email="new.person@example.test")
        self.assertEqual((invitation.organisation, invitation.role), (self.trust, Role.DELIVERY_LEAD))
        self.assertEqual((invitation.invited_by, invitation.directorate), (self.pmo, "Digital"))
        self.assertFalse(User.objects.filter(email="new.person@example.test").exists())  # nothing until they accept
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["new.person@example.test"])
        self.assertIn("/invitations/", mail.outbox[0].body)
        self.assertIn("People Trust", mail.outbox[0].subject)

    def test_someone_from_another_organisation_is_invited_not_added_and_their_account_is_not_shown(self):
        response = self.add(email="OLU@example.test", full_name="Typed Name", role="viewer")
        self.assertEqual(self.outsider.memberships.count(), 1)  # nothing attached without their say
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["olu@example.test"])
        page = self.client.get(response.url)
        self.assertNotContains(page, "Olu Outsider")  # the account's own name is never shown
        self.assertContains(page, "Typed Name")
        self.assertContains(page, "has been emailed to olu@example.test")

    def answer(self, email):
        """The pages the portfolio office sees after inviting this address, with what differs by
        nature (the address itself, the invitation's key and the per-page CSRF token) blanked."""
        with transaction.atomic():
            response = self.add(email=email, full_name="Same Name", role="viewer")
            page = self.client.get(response.url)
            transaction.set_rollback(True)
        html = page.content.decode().replace(email, "ADDRESS")
        html = re.sub(r"/people/invitations/\d+/", "/people/invitations/N/", html)
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", html)
        return (response.status_code, response.url, dict(response.headers)), (page.status_code, html)

    def test_the_answer_is_the_same_whether_or_not_the_address_has_an_account(self):
        known = self.answer("olu@example.test")  # Olu Outsider's account, in another trust
        unknown = self.answer("nobody.yet@example.test")
        self.assertEqual(known[0][:2], unknown[0][:2])
        self.assertEqual(known[1], unknown[1])
        self.assertIn("has been emailed to ADDRESS", known[1][1])
        self.assertEqual([len(mail.outbox), mail.outbox[0].subject], [2, mail.outbox[1].subject])

    def test_inviting_again_replaces_the_earlier_link(self):
        self.add()
        self.add(role="viewer")
        invitations = Invitation.objects.filter(email="new.person@example.test")
        self.assertEqual(invitations.count(), 2)
        self.assertEqual(invitations.pending().get().role, Role.VIEWER)

    def test_waiting_invitations_are_listed_and_can_be_withdrawn(self):
        self.add(full_name="Wanda Waiting")
        invitation = Invitation.objects.get(email="new.person@example.test")
        address = reverse("accounts:invitation_withdraw", args=[invitation.pk])
        page = self.client.get(reverse("accounts:people"))
        self.assertContains(page, "Invitations waiting for an answer")
        self.assertContains(page, "Wanda Waiting")
        self.assertContains(page, f'href="{address}"', html=False)
        asked = self.client.get(address)
        self.assertContains(asked, "Withdraw the invitation to new.person@example.test?")
        invitation.refresh_from_db()
        self.assertIsNone(invitation.withdrawn_at)  # asking changed nothing
        response = self.client.post(address, follow=True)
        self.assertContains(response, "The invitation to new.person@example.test has been withdrawn.")
        invitation.refresh_from_db()
        self.assertEqual(invitation.withdrawn_by, self.pmo)
        self.assertNotContains(self.client.get(reverse("accounts:people")), "Wanda Waiting")

    def test_adding_an_existing_member_again_is_refused_with_a_message(self):
        response = self.add(email=self.board.email)
        self.assertContains(response, "already a member", status_code=200)
        self.assertContains(response, "nhsuk-error-summary")
        self.assertEqual(self.board.memberships.count(), 1)

    def test_a_bad_email_and_a_missing_role_are_refused_and_nothing_is_saved(self):
        response = self.add(email="not-an-email", role="")
        self.assertContains(response, "nhsuk-error-summary")
        self.assertContains(response, 'value="New Person"')  # what was typed is kept
        self.assertFalse(User.objects.filter(full_name="New Person").exists())

    def test_a_role_is_changed(self):
        membership = self.board.memberships.get()
        response = self.client.post(
            reverse("accounts:person_edit", args=[membership.pk]), {"role": "executive", "directorate": "Finance"}
        )
        self.assertEqual(response.status_code, 302)
        membership.refresh_from_db()
        self.assertEqual((membership.role, membership.directorate), ("executive", "Finance"))
        change = membership.history.latest("history_date")
        self.assertEqual((change.role, change.history_user), ("executive", self.pmo))

    def test_the_last_portfolio_office_member_cannot_be_demoted(self):
        membership = self.pmo.memberships.get()
        response = self.client.post(reverse("accounts:person_edit", args=[membership.pk]), {"role": "viewer"})
        self.assertContains(response, "Someone must stay in the portfolio office")
        membership.refresh_from_db()
        self.assertEqual(membership.role, Role.PORTFOLIO_OFFICE)

    def test_a_person_is_removed_but_not_oneself(self):
        board = self.board.memberships.get()
        response = self.client.post(reverse("accounts:person_remove", args=[board.pk]), follow=True)
        self.assertRedirects(response, reverse("accounts:people"))
        self.assertContains(response, "Bob Board no longer has access to People Trust.")
        self.assertFalse(Membership.objects.filter(pk=board.pk).exists())
        self.assertTrue(User.objects.filter(pk=self.board.pk).exists())  # the account and its records stay
        removal = Membership.history.filter(id=board.pk).latest("history_date")
        self.assertEqual((removal.history_type, removal.history_user), ("-", self.pmo))  # who removed whom
        own = self.pmo.memberships.get()
        response = self.client.post(reverse("accounts:person_remove", args=[own.pk]), follow=True)
        self.assertContains(response, "You cannot remove yourself")
        self.assertTrue(Membership.objects.filter(pk=own.pk).exists())

    def test_remove_asks_first_naming_the_person_and_saying_what_happens(self):
        board = self.board.memberships.get()
        response = self.client.get(reverse("accounts:person_remove", args=[board.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertTemplateUsed(response, "components/confirm_remove.html")
        self.assertContains(response, "<h1", count=1, html=False)
        self.assertContains(response, "Remove Bob Board from People Trust?</h1>", html=False)
        self.assertContains(response, '<span class="nhsuk-caption-l">People Trust<', html=False)
        self.assertContains(response, board.user.email)
        self.assertContains(response, "They will lose access to People Trust")
        self.assertContains(response, "Their past records stay")
        self.assertContains(response, "history of changes")  # memberships keep a history, so the page says so
        self.assertContains(response, ">Yes, remove it</button>", html=False)
        self.assertContains(
            response, f'<a class="nhsuk-link" href="{reverse("accounts:people")}">No, go back</a>', html=False
        )
        self.assertTrue(Membership.objects.filter(pk=board.pk).exists())  # asking changed nothing

    def test_removing_oneself_is_explained_on_the_page_with_no_button_to_try(self):
        own = self.pmo.memberships.get()
        response = self.client.get(reverse("accounts:person_remove", args=[own.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "You cannot remove yourself; ask someone else in the portfolio office.")
        self.assertNotContains(response, "Yes, remove it")
        self.assertNotContains(response, '<form method="post" novalidate', html=False)
        self.assertTrue(Membership.objects.filter(pk=own.pk).exists())

    def test_the_list_links_to_the_confirmation_instead_of_removing_at_once(self):
        board = self.board.memberships.get()
        address = reverse("accounts:person_remove", args=[board.pk])
        response = self.client.get(reverse("accounts:people"))
        self.assertContains(
            response, f'href="{address}">Remove<span class="nhsuk-u-visually-hidden"> Bob Board</span>', html=False
        )
        self.assertNotContains(response, f'action="{address}"', html=False)
        own = reverse("accounts:person_remove", args=[self.pmo.memberships.get().pk])
        self.assertNotContains(response, f'href="{own}"', html=False)

    def test_removing_takes_a_get_to_ask_and_a_post_to_remove_and_nothing_else(self):
        board = self.board.memberships.get()
        for method in ("put", "patch", "delete"):
            with self.subTest(method=method):
                response = getattr(self.client, method)(reverse("accounts:person_remove", args=[board.pk]))
                self.assertEqual(response.status_code, 405)
        self.assertTrue(Membership.objects.filter(pk=board.pk).exists())

    def test_only_the_portfolio_office_manages_people(self):
        self.client.force_login(self.board)
        for url in (reverse("accounts:people"), reverse("accounts:person_add")):
            self.assertEqual(self.client.get(url).status_code, 403)
        self.assertEqual(self.add().status_code, 403)
        self.assertFalse(User.objects.filter(email="new.person@example.test").exists())
        self.assertFalse(Invitation.objects.exists())
        self.assertEqual(len(mail.outbox), 0)

    def test_only_the_portfolio_office_withdraws_an_invitation(self):
        self.add()
        invitation = Invitation.objects.get()
        address = reverse("accounts:invitation_withdraw", args=[invitation.pk])
        for person in (self.viewer, self.board):
            self.client.force_login(person)
            for method in ("get", "post"):
                with self.subTest(person=person.full_name, method=method):
                    self.assertEqual(getattr(self.client, method)(address).status_code, 403)
        invitation.refresh_from_db()
        self.assertIsNone(invitation.withdrawn_at)

    def test_a_viewer_or_board_member_cannot_even_open_the_page_asking_to_remove_someone(self):
        target = self.board.memberships.get()
        for person in (self.viewer, self.board):
            self.client.force_login(person)
            for method in ("get", "post", "delete"):
                with self.subTest(person=person.full_name, method=method):
                    response = getattr(self.client, method)(reverse("accounts:person_remove", args=[target.pk]))
                    self.assertEqual(response.status_code, 403)
        self.assertTrue(Membership.objects.filter(pk=target.pk).exists())

    def test_another_organisations_membership_is_not_found(self):
        foreign = self.outsider.memberships.get()
        self.assertEqual(self.client.get(reverse("accounts:person_edit", args=[foreign.pk])).status_code, 404)
        for method in ("get", "post", "delete"):
            with self.subTest(method=method):
                response = getattr(self.client, method)(reverse("accounts:person_remove", args=[foreign.pk]))
                self.assertEqual(response.status_code, 404)
        self.assertTrue(Membership.objects.filter(pk=foreign.pk).exists())

    def test_the_list_shows_only_this_organisations_people(self):
        response = self.client.get(reverse("accounts:people"))
        self.assertContains(response, "Bob Board")
        self.assertNotContains(response, "Olu Outsider")
