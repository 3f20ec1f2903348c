"""Export, import, export again: the demo trust read into a new organisation is the same trust
(ADR 35, docs/organisation-export.md). Loaded and exported once for the class (seconds)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
from typing import Any

import pytest
from django.db.models import Model
from django.test import TestCase

from headway.accounts.models import Membership, Organisation, User
from headway.assurance import pitfall_inputs
from headway.assurance.glance import glance
from headway.assurance.models import BoardPack, PitfallSettings, WeeknotesSent
from headway.assurance.packs import content_hash
from headway.demo.loader import load_demo
from headway.lib.weeks import week_start
from headway.metrics.models import Metric, Verdict
from headway.portfolio.models import Checkpoint, Initiative
from headway.transfer.export import write_export
from headway.transfer.importer import ImportRefused, check_document, import_organisation
from headway.transfer.sections import SECTIONS

pytestmark = pytest.mark.slow

TODAY = dt.date(2026, 3, 16)
NEW = "RZX01"


def export_text(organisation: Organisation) -> str:
    out = io.StringIO()
    write_export(organisation, out)
    return out.getvalue()


def without_source_and_time(text: str) -> dict[str, Any]:
    """The document less exactly what must differ: where it came from and when it was made."""
    document = json.loads(text)
    document.pop("exported_at")
    document.pop("source")
    return document


def plain(value: Any) -> Any:
    """A figure with its records named instead of held, so two organisations' can be compared."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, Checkpoint):
        return (value.initiative.reference, value.week_start)
    if isinstance(value, Model):
        return str(value)
    return value


class RoundTripTest(TestCase):
    source: Organisation
    copy: Organisation
    first: str
    second: str

    @classmethod
    def setUpTestData(cls) -> None:
        cls.source = load_demo(today=TODAY, stdout=io.StringIO()).organisation
        # Two sections the demo leaves empty, so the round trip covers them too.
        PitfallSettings.objects.create(organisation=cls.source, overrides={"per_sro": 4})
        WeeknotesSent.objects.create(
            organisation=cls.source,
            user=User.objects.get(email="board@demo.headway.test"),
            week_start=week_start(TODAY),
        )
        cls.first = export_text(cls.source)
        checked = check_document(json.loads(cls.first))
        cls.copy = import_organisation(checked, ods_code=NEW, name="Copy of the demo trust").organisation
        cls.second = export_text(cls.copy)

    def test_the_second_export_is_the_first_apart_from_its_source_and_time(self) -> None:
        self.assertEqual(without_source_and_time(self.second), without_source_and_time(self.first))
        # Line by line too, so a diff of two exports shows only real changes.
        first, second = self.first.splitlines(), self.second.splitlines()
        differing = [i for i, (a, b) in enumerate(zip(first, second, strict=True)) if a != b]
        self.assertEqual([first[i].split(":")[0] for i in differing], ['"exported_at"', '"source"'])

    def test_the_export_names_its_source_and_carries_no_database_ids(self) -> None:
        document = json.loads(self.first)
        self.assertEqual(document["format"], "headway-organisation")
        self.assertEqual(document["version"], 1)
        self.assertEqual(document["source"], {"name": self.source.name, "ods_code": "RZZ01"})
        self.assertEqual(json.loads(self.second)["source"]["ods_code"], NEW)
        for section in document["sections"].values():
            for row in section:
                self.assertNotIn("id", row)

    def test_every_section_is_exercised_by_the_round_trip(self) -> None:
        document = json.loads(self.first)
        empty = [section.name for section in SECTIONS if not document["sections"][section.name]]
        self.assertEqual(empty, [])

    def test_the_imported_trust_shows_the_same_glance_and_pitfalls(self) -> None:
        self.assertEqual(plain(glance(self.copy, TODAY)), plain(glance(self.source, TODAY)))
        source = [f.as_json() for f in pitfall_inputs.findings(self.source, TODAY)]
        self.assertGreaterEqual(len(source), 3)
        self.assertEqual([f.as_json() for f in pitfall_inputs.findings(self.copy, TODAY)], source)

    def test_the_derived_summaries_are_worked_out_again_the_same(self) -> None:
        fields = ("reference", "last_checkpoint_week", "current_confidence", "first_reached_users_week")
        self.assertEqual(
            list(Initiative.objects.filter(organisation=self.copy).order_by("reference").values_list(*fields)),
            list(Initiative.objects.filter(organisation=self.source).order_by("reference").values_list(*fields)),
        )
        metric_fields = ("name", "latest_period", "point_count", "variation_icon", "assurance_icon", "trial_limits")
        self.assertEqual(
            list(Metric.objects.filter(organisation=self.copy).order_by("name").values_list(*metric_fields)),
            list(Metric.objects.filter(organisation=self.source).order_by("name").values_list(*metric_fields)),
        )
        verdicts = ("initiative__reference", "state", "flags")
        self.assertEqual(
            list(
                Verdict.objects.filter(initiative__organisation=self.copy).order_by(verdicts[0]).values_list(*verdicts)
            ),
            list(
                Verdict.objects.filter(initiative__organisation=self.source)
                .order_by(verdicts[0])
                .values_list(*verdicts)
            ),
        )

    def test_published_board_packs_keep_their_frozen_content_and_hash(self) -> None:
        def packs(organisation: Organisation) -> list[tuple[str, str]]:
            published = BoardPack.objects.filter(organisation=organisation, status="published").order_by("pk")
            return [(pack.title, pack.content_hash) for pack in published]

        self.assertGreater(len(packs(self.source)), 0)
        self.assertEqual(packs(self.copy), packs(self.source))
        for pack in BoardPack.objects.filter(organisation=self.copy, status="published"):
            self.assertEqual(content_hash(pack.content), pack.content_hash)

    def test_a_published_pack_changed_in_the_file_is_refused(self) -> None:
        document = json.loads(self.first)
        index, pack = next((i, p) for i, p in enumerate(document["sections"]["board_packs"]) if p["content_hash"])
        pack["content"]["title"] = "A kinder story"
        with self.assertRaises(ImportRefused) as refused:
            check_document(document)
        self.assertEqual(
            refused.exception.problems,
            [
                f"$.sections.board_packs[{index}].content: does not match its SHA-256 hash: "
                "the frozen pack has been changed"
            ],
        )

    def test_a_result_naming_a_candidate_or_scorer_the_file_lacks_is_refused_by_its_path(self) -> None:
        document = json.loads(self.first)
        result = document["sections"]["results"][0]
        result["selected"].append("NOPE-9")
        first = next(iter(result["inputs"]))
        result["inputs"][first]["stranger@elsewhere.test"] = {"urgency": 3.0}
        result["robustness"] = ["not", "an", "object"]
        with self.assertRaises(ImportRefused) as refused:
            check_document(document)
        self.assertEqual(
            refused.exception.problems,
            [
                "$.sections.results[0].inputs."
                + first
                + ": names 'stranger@elsewhere.test', who is not in the people section",
                "$.sections.results[0].robustness: expected an object keyed by initiative reference",
                "$.sections.results[0].selected: names 'NOPE-9', which is not a candidate in the result's round",
            ],
        )

    def test_each_imported_record_says_in_its_history_where_it_came_from(self) -> None:
        checkpoint = Checkpoint.objects.filter(initiative__organisation=self.copy).first()
        assert checkpoint is not None
        records = list(checkpoint.history.all())  # type: ignore[attr-defined]
        self.assertEqual(len(records), 1)
        self.assertEqual(
            records[0].history_change_reason,
            f"Imported from the export of RZZ01 ({self.source.name}) made {dt.datetime.now(dt.UTC):%Y-%m-%d}",
        )
        self.assertIn("Imported from the export of RZZ01", self.copy.history.first().history_change_reason)  # type: ignore[attr-defined]

    def test_the_same_people_are_members_with_the_same_roles(self) -> None:
        def roles(organisation: Organisation) -> list[tuple[str, str]]:
            return list(
                Membership.objects.filter(organisation=organisation)
                .order_by("user__email")
                .values_list("user__email", "role")
            )

        self.assertEqual(roles(self.copy), roles(self.source))

    def test_importing_into_an_organisation_that_holds_data_is_refused_and_changes_nothing(self) -> None:
        before = Checkpoint.objects.count()
        with self.assertRaises(ImportRefused) as refused:
            import_organisation(check_document(json.loads(self.first)), ods_code=NEW)
        self.assertIn(f"{NEW} already exists and holds data", refused.exception.problems[0])
        self.assertEqual(Checkpoint.objects.count(), before)

    def test_people_without_an_account_are_refused_unless_asked_to_create_them(self) -> None:
        document = json.loads(self.first)
        document["people"][0]["email"] = "new.person@elsewhere.test"
        old = json.loads(self.first)["people"][0]["email"]
        text = json.dumps(document).replace(json.dumps(old), json.dumps("new.person@elsewhere.test"))
        with self.assertRaises(ImportRefused) as refused:
            import_organisation(check_document(json.loads(text)), ods_code="RZX02")
        self.assertIn("new.person@elsewhere.test", refused.exception.problems[0])
        self.assertIn("--create-people", refused.exception.problems[0])
        self.assertFalse(Organisation.objects.filter(ods_code="RZX02").exists())
        summary = import_organisation(check_document(json.loads(text)), ods_code="RZX02", create_people=True)
        self.assertEqual(summary.people_created, ["new.person@elsewhere.test"])
        person = User.objects.get(email="new.person@elsewhere.test")
        self.assertFalse(person.is_active)
        self.assertFalse(person.has_usable_password())
