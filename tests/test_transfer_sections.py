"""The organisation export carries every model that holds an organisation's data, or says why not
(ADR 35): a new model fails here until it is added to `headway/transfer/sections.py`."""

from __future__ import annotations

from django.test import TestCase

from headway.accounts.models import Organisation
from headway.transfer.sections import LEFT_OUT, SECTIONS
from tests.test_history_everywhere import headway_models, label_of


class EveryModelIsCarriedOrLeftOutWithAReasonTest(TestCase):
    def test_no_model_is_neither_carried_nor_listed_as_left_out(self):
        carried = {section.label for section in SECTIONS}
        models = {label_of(model) for model in headway_models()}
        self.assertGreater(len(models), 30)
        missing = sorted(models - carried - set(LEFT_OUT))
        self.assertEqual(missing, [], "Add these to the export's SECTIONS, or to LEFT_OUT with the reason.")

    def test_nothing_is_both_carried_and_left_out_or_listed_but_gone(self):
        carried = {section.label for section in SECTIONS}
        models = {label_of(model) for model in headway_models()}
        self.assertEqual(sorted(carried & set(LEFT_OUT)), [])
        self.assertEqual(sorted((carried | set(LEFT_OUT)) - models), [])

    def test_every_reason_for_leaving_a_model_out_says_something(self):
        for name, reason in LEFT_OUT.items():
            with self.subTest(name):
                self.assertGreater(len(reason.split()), 5, f"Say why {name} is not carried.")

    def test_every_section_reaches_its_organisation_and_names_fields_the_model_has(self):
        organisation = Organisation.objects.create(name="Scope Trust", ods_code="RSC01", kind="acute")
        for section in SECTIONS:
            with self.subTest(section.name):
                self.assertFalse(section.model._base_manager.filter(**{section.scope: organisation}).exists())
                names = {f.name for f in section.model._meta.concrete_fields}
                self.assertLessEqual(set(section.derived), names)
                if section.key:
                    self.assertIn(section.key, names)

    def test_sections_have_unique_names(self):
        names = [section.name for section in SECTIONS]
        self.assertEqual(len(names), len(set(names)))
