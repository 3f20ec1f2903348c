"""The portfolio office administers who can use Headway in its organisation."""

from django.core import mail
from django.test import TestCase
from django.urls import reverse

from headway.accounts.models import Membership, User
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

    def test_the_portfolio_office_adds_a_new_person_who_is_emailed_a_link_to_set_a_password(self):
        response = self.add()
        self.assertRedirects(response, reverse("accounts:people"), fetch_redirect_response=False)
        person = User.objects.get(email="new.person@example.test")
        self.assertFalse(person.has_usable_password())
        self.assertEqual(Membership.objects.get(user=person, organisation=self.trust).role, Role.DELIVERY_LEAD)
        self.assertEqual(len(mail.outbox), 1)
        self.assertIn("/password-reset/", mail.outbox[0].body)
        self.assertIn("People Trust", mail.outbox[0].subject)

    def test_someone_from_another_organisation_is_added_to_this_one_without_a_new_account(self):
        self.add(email="OLU@example.test", full_name="ignored")
        self.assertEqual(User.objects.filter(email="olu@example.test").count(), 1)
        self.assertEqual(self.outsider.memberships.count(), 2)
        self.assertEqual(len(mail.outbox), 0)

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
