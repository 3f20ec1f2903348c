"""The organisation boundary: nobody sees or changes another organisation's data.

Every object of the first trust is given the same primary key, so that any address with a key
in it names a real object of the first trust whatever kind of object the view expects. A member
of the second trust (in the most powerful role) must get "not found" for every such address,
by GET and by POST, and for every admin address. The same addresses as a member of the first
trust must not give "not found" — which shows the walk can fail.
"""

import datetime as dt

from django.contrib import admin
from django.test import TestCase
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from headway.accounts.models import Invitation, Membership, invitation_digest
from headway.accounts.roles import Role
from headway.api.models import AccessToken
from headway.assurance.models import BoardPack, PrincipalRisk
from headway.finance.models import Actual, BenefitLine, BusinessCase, CostLine, FundingLine, ProjectType
from headway.imports.models import Upload
from headway.metrics.models import Annotation, Metric, Observation
from headway.portfolio import actions
from headway.portfolio.models import (
    Checkpoint,
    Comment,
    Decision,
    Initiative,
    Risk,
    Service,
    StrategicGoal,
    UserNeed,
)
from headway.prioritisation import actions as prioritisation_actions
from headway.prioritisation.models import Candidate, Round
from tests import api_walk
from tests.factories import bearer, make_initiative, make_person, make_token
from tests.personas import personas

SHARED_PK = 9001


def walk(patterns, namespace=""):
    """(url name, [keyword argument names]) for every named pattern."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            if ns == "admin":
                continue
            yield from walk(pattern.url_patterns, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", list(pattern.pattern.converters)


def object_urls():
    urls = []
    for name, kwargs in walk(get_resolver().url_patterns):
        if kwargs and set(kwargs) <= {"pk"}:
            urls.append((name, reverse(name, kwargs={k: SHARED_PK for k in kwargs})))
    return urls


def admin_urls():
    urls = ["/admin/"]
    for model in admin.site._registry:
        meta = model._meta
        base = f"/admin/{meta.app_label}/{meta.model_name}/"
        urls += [
            base,
            f"{base}add/",
            f"{base}{SHARED_PK}/change/",
            f"{base}{SHARED_PK}/delete/",
            f"{base}{SHARED_PK}/history/",
        ]
    return urls


class OrganisationBoundaryTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cast = personas("First Trust")
        cls.first, cls.second = cls.cast.trust, cls.cast.other_trust
        cls.first_pmo, cls.second_pmo = cls.cast.office, cls.cast.other_office
        goal = StrategicGoal.objects.create(pk=SHARED_PK, organisation=cls.first, title="First goal")
        service = Service.objects.create(pk=SHARED_PK, organisation=cls.first, name="First EPR")
        cls.secret = make_initiative(
            cls.first,
            by=cls.first_pmo,
            status="active",
            title="Secret first-trust initiative",
            delivery_lead=cls.first_pmo,
            id=SHARED_PK,
        )
        initiative = cls.secret
        initiative.goals.add(goal)
        initiative.services.add(service)
        UserNeed.objects.create(pk=SHARED_PK, initiative=initiative, statement="As a nurse I need…", evidence="assumed")
        Risk.objects.create(
            pk=SHARED_PK,
            organisation=cls.first,
            initiative=initiative,
            title="First risk",
            likelihood=3,
            consequence=3,
            owner=cls.first_pmo,
            next_review=dt.date(2027, 1, 1),
        )
        Checkpoint.objects.create(
            pk=SHARED_PK,
            initiative=initiative,
            week_start=dt.date(2026, 11, 16),
            confidence="green",
            confidence_reason="Fine",
        )
        # Kept as its own person: the membership needs the shared key, so it is made by hand.
        Membership.objects.create(
            pk=SHARED_PK, organisation=cls.first, role=Role.VIEWER, user=make_person(None, name="First Viewer")
        )
        Invitation.objects.create(
            pk=SHARED_PK,
            organisation=cls.first,
            email="invited@example.test",
            full_name="Secret Invitee",
            role=Role.VIEWER,
            token_digest=invitation_digest("first-trust-link"),
            invited_by=cls.first_pmo,
            expires_at=dt.datetime(2027, 1, 1, tzinfo=dt.UTC),
        )
        Comment.objects.create(pk=SHARED_PK, initiative=initiative, author=cls.first_pmo, body="Secret comment")
        BoardPack.objects.create(
            pk=SHARED_PK,
            organisation=cls.first,
            title="Secret board pack",
            meeting="Board",
            meeting_date=dt.date(2026, 12, 10),
            assurance_reason="Reasons",
            recommendation="Note it",
            executive_lead="CDO",
            author="PMO",
        )
        PrincipalRisk.objects.create(
            pk=SHARED_PK,
            organisation=cls.first,
            reference="BAF-01",
            title="Secret principal risk",
            owner=cls.first_pmo,
            current_likelihood=4,
            current_consequence=4,
            target_likelihood=2,
            target_consequence=2,
            next_review=dt.date(2027, 1, 1),
        )
        metric = Metric.objects.create(
            pk=SHARED_PK,
            organisation=cls.first,
            name="Secret metric",
            definition="d",
            kind="outcome",
            beneficiary="patients",
            unit="%",
            improvement_direction="increase",
            frequency="monthly",
            data_source="PAS",
        )
        metric.initiatives.add(initiative)
        Observation.objects.create(pk=SHARED_PK, metric=metric, period=dt.date(2026, 10, 1), value=42)
        Annotation.objects.create(pk=SHARED_PK, metric=metric, period=dt.date(2026, 10, 1), text="Secret change")
        # A round with a what-if scenario: the scenario has the shared key, so that the pages for
        # a round and those for a scenario both find it.
        base_round = Round.objects.create(
            pk=SHARED_PK + 1, organisation=cls.first, name="Secret round", held_on=dt.date(2026, 11, 1)
        )
        scenario = Round.objects.create(
            pk=SHARED_PK,
            organisation=cls.first,
            name="Secret round",
            held_on=dt.date(2026, 11, 1),
            scenario_of=base_round,
            scenario_note="Secret scenario",
        )
        Candidate.objects.create(pk=SHARED_PK, round=scenario, initiative=initiative)
        pause = actions.record_decision(
            initiative=initiative,
            by=cls.first_pmo,
            kind="pause",
            rationale="Secret rationale",
            evidence="e",
            decided_by="Board",
            decided_on=dt.date(2026, 11, 1),
        )
        Decision.objects.filter(pk=pause.pk).update(id=SHARED_PK)  # the decision's own pages (reversing it)
        # Money: every finance object with the shared key.
        FundingLine.objects.create(
            pk=SHARED_PK,
            initiative=initiative,
            financial_year="2026/27",
            kind="capital",
            source="trust",
            amount=1000,
            note="Secret funding",
        )
        case = BusinessCase.objects.create(
            pk=SHARED_PK,
            initiative=initiative,
            stage="obc",
            first_year="2026/27",
            project_type=ProjectType.objects.get(is_default=True),
        )
        CostLine.objects.create(
            pk=SHARED_PK, business_case=case, financial_year="2026/27", kind="revenue", category="staff", amount=1000
        )
        benefit = BenefitLine.objects.create(
            pk=SHARED_PK,
            business_case=case,
            financial_year="2026/27",
            kind="cash",
            description="Secret benefit",
            owner=cls.first_pmo,
        )
        Actual.objects.create(
            pk=SHARED_PK, initiative=initiative, financial_year="2026/27", kind="benefit", amount=10, benefit=benefit
        )
        Upload.objects.create(
            pk=SHARED_PK, organisation=cls.first, kind="risks", filename="secret.csv", data=b"title\r\nSecret risk\r\n"
        )

        # A personal access token with the shared key (its revoke page), and tokens for the API walk.
        AccessToken.objects.create(
            pk=SHARED_PK,
            user=cls.first_pmo,
            organisation=cls.first,
            name="Secret token",
            prefix="hw_secret",
            digest="0" * 64,
            expires_at=dt.datetime(2027, 1, 1, tzinfo=dt.UTC),
        )
        # A selection result is made by running a round's selection, so its key is the one it gets.
        chosen = prioritisation_actions.create_round(
            organisation=cls.first,
            by=cls.first_pmo,
            name="Secret chosen round",
            held_on=dt.date(2026, 10, 1),
            initiatives=[initiative],
        )
        result = prioritisation_actions.run_selection(round=chosen, by=cls.first_pmo, with_robustness=False)
        cls.api_keys = {"round_id": chosen.pk, "result_id": result.pk}
        cls.first_token = make_token(cls.first_pmo, cls.first, can_write=True)
        cls.second_token = make_token(cls.second_pmo, cls.second, can_write=True)

    def test_every_api_operation_on_another_organisations_object_is_not_found(self):
        """Every operation in the API's document with a key in its path, by its own method with a
        valid body, as the other trust's portfolio office with a read-write token: 404, and
        nothing changed (the checks at the end)."""
        walked = 0
        for operation in api_walk.operations():
            if "{" not in operation.template:
                continue
            with self.subTest(operation=f"{operation.method} {operation.template}"):
                response = api_walk.send(self.client, operation, SHARED_PK, bearer(self.second_token), self.api_keys)
                self.assertEqual(response.status_code, 404, response.content)
                self.assertEqual(response["Content-Type"], "application/problem+json")
                self.assertNotIn(b"Secret", response.content)
                walked += 1
        self.assertGreaterEqual(walked, 10)
        self.assertEqual(Checkpoint.objects.filter(initiative_id=SHARED_PK).count(), 1)
        self.assertEqual(Checkpoint.objects.get(pk=SHARED_PK).confidence, "green")
        self.assertEqual(Decision.objects.filter(initiative_id=SHARED_PK).count(), 2)
        self.assertEqual(list(Observation.objects.filter(metric_id=SHARED_PK).values_list("value", flat=True)), [42])

    def test_the_same_api_operations_find_the_owning_organisations_objects(self):
        for operation in api_walk.operations():
            if "{" not in operation.template or operation.writes:
                continue
            with self.subTest(operation=operation.template):
                response = api_walk.send(self.client, operation, SHARED_PK, bearer(self.first_token), self.api_keys)
                self.assertEqual(response.status_code, 200, response.content)

    def test_api_lists_show_nothing_of_another_organisation(self):
        for operation in api_walk.operations():
            if "{" in operation.template or operation.writes:
                continue
            with self.subTest(operation=operation.template):
                response = api_walk.send(self.client, operation, SHARED_PK, bearer(self.second_token), self.api_keys)
                self.assertEqual(response.status_code, 200)
                for secret in (b"Secret", b"First goal", b"First EPR", b"First Trust"):
                    self.assertNotIn(secret, response.content)

    def test_the_walk_covers_the_pages_with_objects_in_them(self):
        names = {name for name, _ in object_urls()}
        for expected in (
            "portfolio:detail",
            "portfolio:edit",
            "portfolio:decide",
            "portfolio:checkpoint",
            "portfolio:history",
            "portfolio:risk_edit",
            "portfolio:need_edit",
            "portfolio:goal_edit",
            "accounts:person_edit",
            "accounts:person_remove",
            "accounts:invitation_withdraw",
            "metrics:detail",
            "metrics:edit",
            "metrics:upload",
            "metrics:observation_add",
            "metrics:annotation_add",
            "metrics:annotation_delete",
            "metrics:history",
            "prioritisation:detail",
            "prioritisation:run",
            "prioritisation:close",
            "prioritisation:candidate_edit",
            "prioritisation:compare",
            "prioritisation:adopt",
        ):
            self.assertIn(expected, names)

    def test_the_walk_covers_the_money_pages_with_objects_in_them(self):
        names = {name for name, _ in object_urls()}
        for expected in (
            "finance:initiative",
            "finance:funding_add",
            "finance:funding_edit",
            "finance:funding_delete",
            "finance:case_add",
            "finance:case",
            "finance:case_edit",
            "finance:case_delete",
            "finance:cost_add",
            "finance:cost_edit",
            "finance:cost_delete",
            "finance:benefit_add",
            "finance:benefit_edit",
            "finance:benefit_delete",
            "finance:mitigations",
            "finance:actual_add",
            "finance:actual_edit",
            "finance:actual_delete",
        ):
            self.assertIn(expected, names)

    def test_no_money_of_another_organisation_is_changed_or_shown(self):
        self.client.force_login(self.second_pmo)
        for name, url in object_urls():
            if name.startswith("finance:"):
                with self.subTest(name=name):
                    self.assertEqual(
                        self.client.post(url, {"amount": "1", "financial_year": "2026/27"}).status_code, 404
                    )
        self.assertTrue(FundingLine.objects.filter(pk=SHARED_PK, amount=1000).exists())
        self.assertEqual(BusinessCase.objects.get(pk=SHARED_PK).costs.count(), 1)
        self.assertTrue(BenefitLine.objects.filter(pk=SHARED_PK).exists())
        self.assertTrue(Actual.objects.filter(pk=SHARED_PK).exists())
        for name in ("finance:overview", "finance:forecast"):
            with self.subTest(name=name):
                response = self.client.get(reverse(name))
                self.assertEqual(response.status_code, 200)
                for secret in ("Secret first-trust initiative", "Secret funding", "Secret benefit"):
                    self.assertNotContains(response, secret)

    def test_every_address_with_another_organisations_object_is_not_found(self):
        self.client.force_login(self.second_pmo)
        for name, url in object_urls():
            for method in ("get", "post"):
                with self.subTest(name=name, method=method):
                    response = getattr(self.client, method)(url)
                    self.assertEqual(response.status_code, 404, f"{method.upper()} {url}")
        self.assertEqual(Initiative.objects.get(pk=SHARED_PK).title, "Secret first-trust initiative")
        self.assertEqual(Decision.objects.filter(initiative_id=SHARED_PK).count(), 2)  # start, pause
        self.assertTrue(Membership.objects.filter(pk=SHARED_PK).exists())
        self.assertEqual(Metric.objects.get(pk=SHARED_PK).name, "Secret metric")
        self.assertEqual(Observation.objects.get(pk=SHARED_PK).value, 42)
        self.assertTrue(Annotation.objects.filter(pk=SHARED_PK).exists())
        self.assertFalse(Round.objects.get(pk=SHARED_PK).results.exists())
        self.assertFalse(Round.objects.get(pk=SHARED_PK + 1).scenarios.filter(adopted=True).exists())

    def test_the_same_addresses_are_found_by_the_owning_organisation(self):
        self.client.force_login(self.first_pmo)
        for name, url in object_urls():
            with self.subTest(name=name):
                self.assertNotEqual(self.client.get(url).status_code, 404, url)

    def test_a_removal_asks_first_in_its_own_organisation_and_is_not_found_in_another(self):
        """The delete addresses used to refuse GET (405); now GET shows the page asking whether to
        remove, but only for the owning organisation: for another it is "not found" by any method."""
        removals = {
            "accounts:person_remove": "Remove First Viewer from First Trust?",
            "portfolio:need_delete": f"Remove this user need from {self.secret.reference}?",
            "metrics:annotation_delete": "Remove the annotation from",
            "finance:funding_delete": "Remove the 2026/27 capital funding of £1,000?",
            "finance:case_delete": f"Remove the outline business case for {self.secret.reference}?",
            "finance:cost_delete": "Remove the 2026/27 staff cost of £1,000?",
            "finance:benefit_delete": "Remove the 2026/27 benefit “Secret benefit”?",
            "finance:actual_delete": "Remove the 2026/27 realised benefit of £10?",
        }
        for name, question in removals.items():
            url = reverse(name, args=[SHARED_PK])
            with self.subTest(name=name, organisation="own"):
                self.client.force_login(self.first_pmo)
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, question)
                self.assertContains(response, "Yes, remove it")
            self.client.force_login(self.second_pmo)
            for method in ("get", "post", "delete"):
                with self.subTest(name=name, organisation="another", method=method):
                    response = getattr(self.client, method)(url)
                    self.assertEqual(response.status_code, 404)
                    self.assertNotContains(response, "Secret", status_code=404)
        self.assertTrue(Membership.objects.filter(pk=SHARED_PK).exists())
        self.assertTrue(FundingLine.objects.filter(pk=SHARED_PK).exists())
        self.assertTrue(CostLine.objects.filter(pk=SHARED_PK, business_case_id=SHARED_PK).exists())
        self.assertTrue(BenefitLine.objects.filter(pk=SHARED_PK).exists())
        self.assertTrue(Actual.objects.filter(pk=SHARED_PK, benefit_id=SHARED_PK).exists())

    def test_every_admin_address_is_not_found_for_trust_staff(self):
        self.client.force_login(self.second_pmo)
        for url in admin_urls():
            for method in ("get", "post"):
                with self.subTest(url=url, method=method):
                    self.assertEqual(getattr(self.client, method)(url).status_code, 404)

    def test_lists_and_summaries_show_nothing_of_another_organisation(self):
        self.client.force_login(self.second_pmo)
        for name, kwargs in walk(get_resolver().url_patterns):
            if kwargs or not name.startswith(("portfolio:", "metrics:", "prioritisation:")):
                continue
            with self.subTest(name=name):
                response = self.client.get(reverse(name))
                self.assertIn(response.status_code, (200, 405))
                for secret in (
                    "Secret first-trust initiative",
                    "Secret rationale",
                    "Secret comment",
                    "First risk",
                    "First goal",
                    "First EPR",
                    "Secret metric",
                    "Secret round",
                ):
                    self.assertNotContains(response, secret, status_code=response.status_code)
