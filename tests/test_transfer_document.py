"""A bad export file is refused with each problem's place in the file and nothing written, never a
traceback (ADR 35)."""

from __future__ import annotations

import copy
import io
import json
import tempfile
from pathlib import Path
from typing import Any

from django.core.management import CommandError, call_command
from django.test import TestCase

from headway.accounts.models import Organisation
from headway.portfolio.models import Initiative
from headway.transfer.export import write_export
from headway.transfer.importer import ImportRefused, check_document, import_organisation, read_document
from tests.factories import make_initiative
from tests.personas import personas


class BadFilesAreRefusedWithTheirPlaceTest(TestCase):
    document: dict[str, Any]

    @classmethod
    def setUpTestData(cls) -> None:
        cast = personas()
        make_initiative(cast.trust, by=cast.office, sro=cast.executive, status="active")
        out = io.StringIO()
        write_export(cast.trust, out)
        cls.document = json.loads(out.getvalue())

    def problems(self, document: dict[str, Any]) -> list[str]:
        with self.assertRaises(ImportRefused) as refused:
            check_document(document)
        return refused.exception.problems

    def edited(self) -> dict[str, Any]:
        return copy.deepcopy(self.document)

    def test_the_untouched_export_is_accepted(self) -> None:
        checked = check_document(self.edited())
        self.assertEqual(len(checked.rows["initiatives"]), 1)

    def test_a_file_that_is_not_json_says_where_it_stops_being_json(self) -> None:
        with self.assertRaises(ImportRefused) as refused:
            read_document(io.BytesIO(b'{"format": "headway-organisation",\n  "version": 1,,}'))
        self.assertIn("line 2, column", refused.exception.problems[0])

    def test_another_kind_of_file_or_a_newer_version_is_refused_by_name(self) -> None:
        document = self.edited()
        document["format"] = "something-else"
        self.assertIn("$.format", self.problems(document)[0])
        document = self.edited()
        document["version"] = 2
        self.assertIn("written by a newer Headway", self.problems(document)[0])

    def test_a_value_out_of_bounds_or_of_the_wrong_kind_is_named_by_its_path(self) -> None:
        document = self.edited()
        document["sections"]["initiatives"][0]["title"] = "x" * 301
        document["sections"]["initiatives"][0]["start_date"] = "1899-01-01"
        document["sections"]["decisions"][0]["kind"] = "abolish"
        document["organisation"]["wip_limit"] = "lots"
        problems = self.problems(document)
        self.assertIn(
            "$.sections.initiatives[0].title: Ensure this value has at most 200 characters (it has 301).", problems
        )
        self.assertTrue(any(p.startswith("$.sections.initiatives[0].start_date: Give a date from") for p in problems))
        self.assertTrue(any(p.startswith("$.sections.decisions[0].kind: 'abolish' is not one of") for p in problems))
        self.assertTrue(any(p.startswith("$.organisation.wip_limit: expected a whole number") for p in problems))

    def test_a_link_to_a_row_or_person_the_file_does_not_hold_is_named(self) -> None:
        document = self.edited()
        document["sections"]["decisions"][0]["initiative"] = "NOPE-1"
        document["sections"]["initiatives"][0]["sro"] = "nobody@example.test"
        problems = self.problems(document)
        self.assertIn(
            "$.sections.initiatives[0].sro: links to 'nobody@example.test', who is not in the people section", problems
        )
        self.assertIn(
            "$.sections.decisions[0].initiative: links to 'NOPE-1', which is not in the initiatives section", problems
        )

    def test_unknown_sections_and_fields_and_missing_fields_are_named(self) -> None:
        document = self.edited()
        document["sections"]["spaceships"] = []
        document["sections"]["initiatives"][0]["colour"] = "blue"
        del document["sections"]["initiatives"][0]["title"]
        problems = self.problems(document)
        self.assertIn("$.sections.spaceships: is not a section this Headway knows", problems)
        self.assertIn("$.sections.initiatives[0].colour: is not a field of initiatives", problems)
        self.assertIn("$.sections.initiatives[0].title: is missing", problems)

    def test_links_of_the_wrong_shape_and_a_missing_section_give_problems_not_errors(self) -> None:
        document = self.edited()
        document["sections"]["decisions"][0]["initiative"] = {"reference": "DIG-001"}
        document["sections"]["initiatives"][0]["sro"] = ["a", "b"]
        document["sections"]["initiatives"][0]["goals"] = [[1]]
        del document["sections"]["checkpoints"]
        problems = self.problems(document)
        self.assertIn(
            "$.sections.decisions[0].initiative: links to {'reference': 'DIG-001'}, "
            "which is not in the initiatives section",
            problems,
        )
        self.assertIn("$.sections.initiatives[0].sro: links to ['a', 'b'], who is not in the people section", problems)
        self.assertIn("$.sections.initiatives[0].goals[0]: links to [1], which is not in the goals section", problems)

    def test_the_export_can_be_written_to_standard_output(self) -> None:
        out = io.StringIO()
        call_command("export_organisation", self.document["source"]["ods_code"], "--out", "-", stdout=out)
        self.assertEqual(json.loads(out.getvalue())["sections"], self.document["sections"])

    def test_a_key_repeated_in_a_section_is_refused(self) -> None:
        document = self.edited()
        document["sections"]["initiatives"].append(copy.deepcopy(document["sections"]["initiatives"][0]))
        self.assertIn(
            "$.sections.initiatives[1].reference: 'DIG-001' appears twice in the section", self.problems(document)
        )

    def test_the_command_lists_the_problems_and_writes_nothing(self) -> None:
        document = self.edited()
        document["sections"]["initiatives"][0]["phase"] = "daydream"
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "export.json"
            path.write_text(json.dumps(document), encoding="utf-8")
            with self.assertRaises(CommandError) as refused:
                call_command("import_organisation", str(path), "--ods", "RNEW1", stdout=io.StringIO())
            self.assertIn("Nothing was imported", str(refused.exception))
            self.assertIn("$.sections.initiatives[0].phase: 'daydream' is not one of", str(refused.exception))
            path.write_bytes(b"\xff\xfe not text")
            with self.assertRaises(CommandError) as refused:
                call_command("import_organisation", str(path), "--ods", "RNEW1", stdout=io.StringIO())
            self.assertIn("not text in UTF-8", str(refused.exception))
        self.assertFalse(Organisation.objects.filter(ods_code="RNEW1").exists())

    def test_the_commands_export_and_import_through_files(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "export.json"
            out = io.StringIO()
            call_command("export_organisation", self.document["source"]["ods_code"], "--out", str(path), stdout=out)
            self.assertIn("Exported Test Acute Trust", out.getvalue())
            call_command("import_organisation", str(path), "--ods", "RNEW2", "--name", "New Trust", stdout=out)
        self.assertIn("into New Trust (RNEW2)", out.getvalue())
        self.assertEqual(Initiative.objects.filter(organisation__ods_code="RNEW2").count(), 1)

    def test_a_bad_ods_code_is_refused_and_nothing_is_written(self) -> None:
        with self.assertRaises(ImportRefused) as refused:
            import_organisation(check_document(self.edited()), ods_code="not a code")
        self.assertIn("An ODS code is 3 to 10 capital letters or digits", refused.exception.problems[0])
        self.assertEqual(Organisation.objects.count(), 2)
