"""Every change, through any path, is recorded and shown in words on a history page (ADR 22):
links between records as sentences, the money and the risks with the initiative, access on the
people page, goals, services, settings and a round's capacity on their own pages."""

from __future__ import annotations

from django.test import TestCase
from django.urls import reverse

from headway.portfolio import actions
from headway.portfolio.models import Service, StrategicGoal
from tests.factories import make_initiative
from tests.personas import personas


class LinksInWordsTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cast = personas()
        trust = cls.cast.trust
        cls.waits = StrategicGoal.objects.create(organisation=trust, title="Shorter waits")
        cls.safety = StrategicGoal.objects.create(organisation=trust, title="Safer care")
        cls.epr = Service.objects.create(organisation=trust, name="Electronic patient record")
        cls.other = make_initiative(trust, by=cls.cast.office, title="Shared care record")
        cls.initiative = actions.create_initiative(
            organisation=trust, by=cls.cast.office, fields={"title": "Patient portal", "problem": "Re-keying"},
            goals=[cls.safety],
        )

    def test_linking_a_goal_is_said_in_words_and_in_one_entry_with_the_other_changes(self):
        self.client.force_login(self.cast.office)
        response = self.client.post(
            reverse("portfolio:edit", args=[self.initiative.pk]),
            {
                "title": "Patient portal phase 2",
                "problem": self.initiative.problem,
                "phase": "discovery",
                "goals": [self.waits.pk],
                "services": [self.epr.pk],
                "joins_up_with": [self.other.pk],
            },
        )
        self.assertEqual(response.status_code, 302, response.content[:2000])
        page = self.client.get(reverse("portfolio:history", args=[self.initiative.pk])).content.decode()
        self.assertIn("Linked to strategic goal &#x27;Shorter waits&#x27;", page)
        self.assertIn("Unlinked from strategic goal &#x27;Safer care&#x27;", page)
        self.assertIn("Linked to service &#x27;Electronic patient record&#x27;", page)
        self.assertIn(f"Joins up with: added &#x27;{self.other}&#x27;", page)
        self.assertNotIn("no change to the recorded fields", page)
        # The title, the goals, the service and the other initiative: one save, one entry.
        self.assertEqual(self.initiative.history.filter(history_type="~", history_change_reason="Edited").count(), 1)
