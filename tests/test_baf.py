"""The board assurance framework (ADR 29): principal risks scored against their target and the
board's appetite, assurances pointing at Headway's evidence, register risks linked to them, the
pages each role may use, and the section the board pack freezes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import SimpleTestCase, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from headway.accounts.roles import Role
from headway.assurance import baf, baf_actions, pack_actions, pack_outputs, packs
from headway.assurance.models import BoardPack, PrincipalRisk
from headway.demo import baf_data
from headway.lib.bounds import BoundsError
from headway.portfolio import actions as portfolio_actions
from headway.portfolio.models import Risk, StrategicGoal, rating_of
from tests.clock import TODAY
from tests.factories import make_initiative
from tests.personas import personas

FIELDS: dict[str, Any] = {
    "reference": "BAF-01",
    "title": "Too little delivery capacity for the portfolio",
    "description": "",
    "current_likelihood": 4,
    "current_consequence": 4,
    "target_likelihood": 2,
    "target_consequence": 3,
    "appetite": "cautious",
    "controls": "Work-in-progress limit\nQuarterly prioritisation",
    "assurances": "",
    "gaps_in_control": "No limit per team\nNothing stopped this year",
    "gaps_in_assurance": "Capacity not reported to the board",
    "next_review": dt.date(2027, 1, 20),
}


def form_data(**changes: Any) -> dict[str, Any]:
    data = {**FIELDS, "next_review": "2027-01-20", "status": "open", **changes}
    return {k: ("" if v is None else v) for k, v in data.items()}


class ScoresAndAppetite(SimpleTestCase):
    def risk(self, **changes: Any) -> PrincipalRisk:
        return PrincipalRisk(**{**FIELDS, **changes})

    def test_the_scores_use_the_register_s_five_by_five_bands(self) -> None:
        risk = self.risk()
        self.assertEqual((risk.current_score, risk.target_score), (16, 6))
        self.assertEqual((risk.current_rating, risk.target_rating), ("extreme", "moderate"))
        for likelihood in range(1, 6):
            for consequence in range(1, 6):
                risk = self.risk(current_likelihood=likelihood, current_consequence=consequence)
                register = Risk(likelihood=likelihood, consequence=consequence)
                self.assertEqual(risk.current_rating, register.rating)
        self.assertEqual(
            [rating_of(s) for s in (3, 4, 6, 8, 12, 15)], ["low", "moderate", "moderate", "high", "high", "extreme"]
        )

    def test_above_appetite_compares_the_current_score_with_what_the_appetite_accepts(self) -> None:
        self.assertTrue(self.risk(appetite="cautious").above_appetite)  # 16 > 12
        self.assertFalse(self.risk(appetite="open").above_appetite)  # 16 <= 16
        self.assertTrue(self.risk(current_likelihood=2, current_consequence=2, appetite="averse").above_appetite)
        self.assertFalse(self.risk(current_likelihood=1, current_consequence=3, appetite="averse").above_appetite)
        self.assertTrue(self.risk().above_target)
        self.assertFalse(self.risk(target_likelihood=4, target_consequence=4).above_target)

    def test_gaps_are_counted_one_a_line(self) -> None:
        self.assertEqual(self.risk().gap_count, 3)
        self.assertEqual(self.risk(gaps_in_control="\n \n", gaps_in_assurance="").gap_count, 0)

    def test_a_target_above_the_current_score_is_refused(self) -> None:
        with self.assertRaises(ValidationError) as raised:
            self.risk(target_likelihood=5, target_consequence=5).clean()
        self.assertIn("target_likelihood", raised.exception.message_dict)

    def test_a_score_outside_one_to_five_is_refused(self) -> None:
        with self.assertRaises(ValidationError) as raised:
            self.risk(current_likelihood=6).clean()
        self.assertIn("current_likelihood", raised.exception.message_dict)


class AssuranceLines(SimpleTestCase):
    def test_each_line_names_its_evidence(self) -> None:
        lines = baf.parse_assurances(
            "Observations on wards | DIG-006\n\nAdoption chart | metric: Letters sent (%)\n"
            "Honest reporting | Question: honest_risk\nWatch for bust | pitfall: boom_and_bust.funding_ends\n"
            "The register | /risks/?level=extreme\nMonthly audit"
        )
        self.assertEqual(
            [(line.kind, line.target) for line in lines],
            [
                ("initiative", "DIG-006"),
                ("metric", "Letters sent (%)"),
                ("question", "honest_risk"),
                ("pitfall", "boom_and_bust.funding_ends"),
                ("page", "/risks/?level=extreme"),
                ("", ""),
            ],
        )

    def test_a_line_that_cannot_be_read_is_named_by_its_number(self) -> None:
        for text, said in (
            ("Fine | DIG-001\n| DIG-002", "Line 2"),
            ("Another site | //example.org/x", "Line 1"),
            ("Vague | see the dashboard", "Line 1"),
            ("Bad key | pitfall: Boom And Bust", "Line 1"),
            ("x" * 301, "Line 1"),
        ):
            with self.subTest(text=text[:30]), self.assertRaises(BoundsError) as raised:
                baf.parse_assurances(text)
            self.assertIn(said, str(raised.exception))

    def test_the_demo_s_assurances_are_all_readable(self) -> None:
        for spec in baf_data.PRINCIPAL_RISKS:
            baf.parse_assurances("\n".join(spec.assurances))
        self.assertTrue(
            any(s.current[0] * s.current[1] > 12 and s.appetite == "cautious" for s in baf_data.PRINCIPAL_RISKS)
        )


class BafData(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = personas()
        trust, office = cls.cast.trust, cls.cast.office
        cls.goal = StrategicGoal.objects.create(organisation=trust, title="Secure foundations")
        cls.initiative = make_initiative(trust, by=office, title="Cyber resilience", reference="DIG-015")
        cls.principal = baf_actions.save_principal_risk(
            organisation=trust,
            by=office,
            fields={**FIELDS, "goal": cls.goal, "owner": cls.cast.executive, "assurances": "Programme | DIG-015"},
        )
        cls.risk = portfolio_actions.save_risk(
            organisation=trust,
            by=office,
            fields={
                "title": "Devices cannot take multi-factor authentication",
                "initiative": cls.initiative,
                "likelihood": 4,
                "consequence": 5,
                "owner": office,
                "next_review": TODAY + dt.timedelta(days=10),
                "principal_risk": cls.principal,
            },
        )
        cls.other_principal = baf_actions.save_principal_risk(
            organisation=cls.cast.other_trust,
            by=cls.cast.other_office,
            fields={**FIELDS, "owner": cls.cast.other_office},
        )


class Rules(BafData):
    def test_a_reference_is_unique_within_an_organisation_only(self) -> None:
        self.assertEqual(self.other_principal.reference, self.principal.reference)
        with self.assertRaises(ValidationError):
            baf_actions.save_principal_risk(organisation=self.cast.trust, by=self.cast.office, fields=dict(FIELDS))
        with transaction.atomic(), self.assertRaises(IntegrityError):
            PrincipalRisk.objects.create(organisation=self.cast.trust, **FIELDS)

    def test_another_organisation_s_goal_or_principal_risk_cannot_be_linked(self) -> None:
        goal = StrategicGoal.objects.create(organisation=self.cast.other_trust, title="Theirs")
        with self.assertRaises(ValidationError):
            baf_actions.save_principal_risk(
                organisation=self.cast.trust,
                by=self.cast.office,
                fields={"goal": goal},
                risk=PrincipalRisk.objects.get(pk=self.principal.pk),
            )
        with self.assertRaises(ValidationError):
            portfolio_actions.save_risk(
                organisation=self.cast.trust,
                by=self.cast.office,
                fields={"principal_risk": self.other_principal},
                risk=Risk.objects.get(pk=self.risk.pk),
            )
        self.assertEqual(Risk.objects.get(pk=self.risk.pk).principal_risk, self.principal)

    def test_removing_a_principal_risk_keeps_its_linked_risks_unlinked(self) -> None:
        baf_actions.remove_principal_risk(risk=self.principal, by=self.cast.office)
        risk = Risk.objects.get(pk=self.risk.pk)
        self.assertIsNone(risk.principal_risk)
        self.assertIn("BAF-01", risk.history.first().history_change_reason)


class Pages(BafData):
    def test_everyone_reads_the_list_and_the_principal_risk(self) -> None:
        for role, user in self.cast.by_role().items():
            with self.subTest(role=role):
                self.client.force_login(user)
                listed = self.client.get(reverse("portfolio:baf"))
                self.assertContains(listed, "BAF-01 Too little delivery capacity for the portfolio")
                self.assertContains(listed, "Above appetite")
                page = self.client.get(reverse("portfolio:principal_risk", args=[self.principal.pk]))
                self.assertContains(page, "Devices cannot take multi-factor authentication")
                self.assertContains(page, reverse("portfolio:detail", args=[self.initiative.pk]))
                self.assertContains(page, "No limit per team")
                manages = role in (Role.PORTFOLIO_OFFICE, Role.EXECUTIVE)
                edit = reverse("portfolio:principal_risk_edit", args=[self.principal.pk])
                self.assertEqual(edit in page.content.decode(), manages)

    def test_only_those_who_manage_risks_add_change_or_remove(self) -> None:
        for role, user in self.cast.by_role().items():
            if role in (Role.PORTFOLIO_OFFICE, Role.EXECUTIVE):
                continue
            with self.subTest(role=role):
                self.client.force_login(user)
                for name, args in (
                    ("principal_risk_new", []),
                    ("principal_risk_edit", [self.principal.pk]),
                    ("principal_risk_remove", [self.principal.pk]),
                ):
                    self.assertEqual(self.client.get(reverse(f"portfolio:{name}", args=args)).status_code, 403)
                    self.assertEqual(
                        self.client.post(
                            reverse(f"portfolio:{name}", args=args), form_data(reference="BAF-09")
                        ).status_code,
                        403,
                    )
        self.assertEqual(PrincipalRisk.objects.filter(organisation=self.cast.trust).count(), 1)

    def test_another_organisation_s_principal_risk_is_not_found(self) -> None:
        self.client.force_login(self.cast.office)
        for name in ("principal_risk", "principal_risk_edit", "principal_risk_remove"):
            response = self.client.get(reverse(f"portfolio:{name}", args=[self.other_principal.pk]))
            self.assertEqual(response.status_code, 404, name)

    def test_the_office_adds_one_and_the_executive_changes_it(self) -> None:
        self.client.force_login(self.cast.office)
        response = self.client.post(
            reverse("portfolio:principal_risk_new"),
            form_data(reference="baf-02", title="Cyber attack stops services", owner=self.cast.executive.pk,
                      goal=self.goal.pk, assurances="Programme | DIG-015\nHonest reporting | question: honest_risk"),
        )  # fmt: skip
        added = PrincipalRisk.objects.get(organisation=self.cast.trust, reference="BAF-02")
        self.assertRedirects(response, reverse("portfolio:principal_risk", args=[added.pk]))
        self.client.force_login(self.cast.executive)
        edit = reverse("portfolio:principal_risk_edit", args=[added.pk])
        changed = form_data(
            reference="BAF-02", title="Cyber attack stops services", owner=self.cast.executive.pk, appetite="minimal",
            status="closed",
        )  # fmt: skip
        self.client.post(edit, changed)
        added.refresh_from_db()
        self.assertEqual((added.appetite, added.status), ("minimal", "closed"))
        history = self.client.get(reverse("portfolio:baf_history"))
        self.assertContains(history, "Principal risk: BAF-02 Cyber attack stops services")
        self.assertContains(history, "Minimal")

    def test_bad_input_is_named_and_nothing_changes(self) -> None:
        self.client.force_login(self.cast.office)
        edit = reverse("portfolio:principal_risk_edit", args=[self.principal.pk])
        base = form_data(owner=self.cast.executive.pk)
        for changes, said in (
            ({"reference": "BAF-01", "title": ""}, "Principal risk: This field is required"),
            ({"target_likelihood": 5, "target_consequence": 5}, "cannot be higher than the current score"),
            ({"current_likelihood": 9}, "Current likelihood:"),
            ({"appetite": "reckless"}, "Risk appetite:"),
            ({"assurances": "Programme | DIG-999"}, "no initiative DIG-999"),
            ({"assurances": "Chart | metric: Nothing like it"}, "no metric named"),
            ({"assurances": "| DIG-015"}, "Line 1"),
            ({"next_review": "2150-01-01"}, "Next review date:"),
            ({"controls": "x" * 10_001}, "10,000 characters"),
        ):
            with self.subTest(changes=str(changes)[:40]):
                response = self.client.post(edit, {**base, **changes})
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, said)
        new = self.client.post(reverse("portfolio:principal_risk_new"), {**base, "reference": "baf-01"})
        self.assertContains(new, "BAF-01 is already a principal risk")
        stored = PrincipalRisk.objects.get(pk=self.principal.pk)
        self.assertEqual((stored.title, stored.current_likelihood, stored.appetite), (FIELDS["title"], 4, "cautious"))
        self.assertEqual(PrincipalRisk.objects.filter(organisation=self.cast.trust).count(), 1)

    def test_removal_asks_first(self) -> None:
        self.client.force_login(self.cast.office)
        remove = reverse("portfolio:principal_risk_remove", args=[self.principal.pk])
        asked = self.client.get(remove)
        self.assertContains(asked, "Remove the principal risk BAF-01")
        self.assertContains(asked, "1 risk linked to it")
        self.assertTrue(PrincipalRisk.objects.filter(pk=self.principal.pk).exists())
        self.assertRedirects(self.client.post(remove), reverse("portfolio:baf"))
        self.assertFalse(PrincipalRisk.objects.filter(pk=self.principal.pk).exists())

    def test_the_link_is_set_on_the_risk_form_and_shown_on_both_sides(self) -> None:
        portfolio_risk = portfolio_actions.save_risk(
            organisation=self.cast.trust,
            by=self.cast.office,
            fields={"title": "Suppliers fail", "likelihood": 3, "consequence": 3, "owner": self.cast.office,
                    "next_review": TODAY + dt.timedelta(days=10)},
        )  # fmt: skip
        self.client.force_login(self.cast.office)
        edit = reverse("portfolio:risk_edit", args=[portfolio_risk.pk])
        form = self.client.get(edit)
        self.assertContains(form, "BAF-01 Too little delivery capacity")
        # Its own organisation's only: the other trust's BAF-01 is not offered.
        self.assertContains(form, "BAF-01 Too little delivery capacity", count=1)
        self.client.post(edit, {"title": "Suppliers fail", "likelihood": 3, "consequence": 3,
                                "owner": self.cast.office.pk, "next_review": "2027-01-01", "status": "open",
                                "principal_risk": self.principal.pk})  # fmt: skip
        portfolio_risk.refresh_from_db()
        self.assertEqual(portfolio_risk.principal_risk, self.principal)
        register = self.client.get(reverse("portfolio:risks"))
        self.assertContains(register, reverse("portfolio:principal_risk", args=[self.principal.pk]))
        initiative_page = self.client.get(reverse("portfolio:detail", args=[self.initiative.pk]))
        self.assertContains(initiative_page, "Adds to")
        page = self.client.get(reverse("portfolio:principal_risk", args=[self.principal.pk]))
        self.assertContains(page, "Suppliers fail")
        self.assertContains(self.client.get(reverse("portfolio:risk_history")), "Principal risk")
        # Another organisation's principal risk cannot be posted.
        self.client.post(edit, {"title": "Suppliers fail", "likelihood": 3, "consequence": 3,
                                "owner": self.cast.office.pk, "next_review": "2027-01-01", "status": "open",
                                "principal_risk": self.other_principal.pk})  # fmt: skip
        portfolio_risk.refresh_from_db()
        self.assertEqual(portfolio_risk.principal_risk, self.principal)


class InTheBoardPack(BafData):
    cover: dict[str, Any] = {
        "title": "Digital portfolio report", "meeting": "Trust Board", "meeting_date": dt.date(2026, 12, 10),
        "assurance_reason": "Most work is measured.", "recommendation": "Note the report.",
        "executive_lead": "Chief Digital Officer", "author": "Portfolio office",
    }  # fmt: skip

    def test_the_content_has_the_principal_risks_with_scores_appetite_gaps_and_linked_risks(self) -> None:
        pack = pack_actions.create_pack(organisation=self.cast.trust, by=self.cast.office, fields=self.cover)
        content = packs.content(pack, TODAY)
        [row] = content["baf"]
        self.assertEqual(row["reference"], "BAF-01")
        self.assertEqual((row["current"]["score"], row["target"]["score"]), (16, 6))
        self.assertEqual((row["appetite"], row["appetite_ceiling"], row["above_appetite"]), ("cautious", 12, True))
        self.assertEqual(row["gaps_in_control"], ["No limit per team", "Nothing stopped this year"])
        self.assertEqual(row["linked_risks"], [{"initiative": "DIG-015", "title": self.risk.title, "score": 20}])
        self.assertEqual(row["assurances"], [{"text": "Programme", "evidence": "DIG-015"}])
        words = pack_outputs.words(content, packs.content_hash(content), draft=True)
        self.assertEqual(words["baf"][0]["current_rating"], "extreme")
        sheets = dict(pack_outputs.sheets(content, "hash"))
        self.assertEqual(sheets["Board assurance framework"][3][0], "BAF-01")

    def test_a_published_pack_keeps_the_framework_as_it_was(self) -> None:
        pack = pack_actions.create_pack(organisation=self.cast.trust, by=self.cast.office, fields=self.cover)
        pack = pack_actions.publish_pack(pack=pack, by=self.cast.office, today=TODAY)
        frozen = pack.content_hash
        baf_actions.save_principal_risk(
            organisation=self.cast.trust, by=self.cast.office, fields={"appetite": "open"},
            risk=PrincipalRisk.objects.get(pk=self.principal.pk),
        )  # fmt: skip
        self.client.force_login(self.cast.board)
        page = self.client.get(reverse("portfolio:pack", args=[pack.pk]))
        self.assertContains(page, "Board assurance framework")
        self.assertContains(page, "Above appetite")
        pack.refresh_from_db()
        self.assertEqual(packs.content_hash(pack.content), frozen)

    def test_a_pack_from_before_the_framework_says_so(self) -> None:
        content = packs.content(
            pack_actions.create_pack(organisation=self.cast.trust, by=self.cast.office, fields=self.cover), TODAY
        )
        del content["baf"]
        self.assertIsNone(pack_outputs.words(content, "hash", draft=False)["baf"])
        self.assertIn("published before", str(dict(pack_outputs.sheets(content, "hash"))["Board assurance framework"]))

    def test_the_cover_offers_the_principal_risks_and_keeps_the_free_text(self) -> None:
        self.client.force_login(self.cast.office)
        data = {**self.cover, "meeting_date": "2026-12-10", "purpose": "assurance", "assurance_level": "reasonable",
                "principal_risks": ["BAF-01"], "baf_risks": "BAF 7: an older risk"}  # fmt: skip
        self.client.post(reverse("portfolio:pack_new"), data)
        pack = BoardPack.objects.get(organisation=self.cast.trust)
        self.assertEqual(pack.baf_risks, "BAF-01: Too little delivery capacity for the portfolio\nBAF 7: an older risk")
        form = self.client.get(reverse("portfolio:pack_edit", args=[pack.pk])).content.decode()
        self.assertIn('value="BAF-01" ', form.replace('value="BAF-01"', 'value="BAF-01" '))
        self.assertIn("checked", form[form.index('value="BAF-01"') - 200 : form.index('value="BAF-01"') + 200])
        self.client.post(reverse("portfolio:pack_edit", args=[pack.pk]), {**data, "principal_risks": []})
        pack.refresh_from_db()
        self.assertEqual(pack.baf_risks, "BAF 7: an older risk")


class QueryCounts(BafData):
    def test_the_list_reads_the_same_number_of_queries_for_one_principal_risk_or_many(self) -> None:
        self.client.force_login(self.cast.board)
        url = reverse("portfolio:baf")
        with CaptureQueriesContext(connection) as one:
            self.client.get(url)
        for n in range(2, 6):
            baf_actions.save_principal_risk(
                organisation=self.cast.trust,
                by=self.cast.office,
                fields={**FIELDS, "reference": f"BAF-0{n}", "goal": self.goal, "owner": self.cast.office},
            )
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(url)
        self.assertContains(response, "BAF-05")
        self.assertEqual(len(many), len(one))
