"""Two imports at the same moment (PostgreSQL): one file confirmed twice imports once, and two
files that would create the same initiative give one initiative and a stale preview."""

from __future__ import annotations

from headway.accounts.models import User
from headway.imports import actions
from headway.imports.kinds import KINDS
from headway.imports.models import Upload
from headway.imports.plan import Plan, StalePreview, preview
from headway.portfolio.models import Initiative
from tests.concurrency import AtOnceTestCase
from tests.importing import TODAY, csv_file
from tests.personas import personas
from tests.test_races import at_once

ROWS = [["reference", "title", "problem"], ["RZZ-100", "Observations on wards", "Paper charts delay escalation."]]


class ImportsAtOnceTest(AtOnceTestCase):
    def setUp(self) -> None:
        self.cast = personas()

    def upload(self, by: User) -> tuple[Upload, str]:
        upload = actions.store_upload(
            organisation=self.cast.trust, by=by, kind="initiatives", filename="p.csv", data=csv_file(ROWS)
        )
        plan = preview(
            organisation=self.cast.trust, kind=KINDS["initiatives"], data=csv_file(ROWS), filename="p.csv", today=TODAY
        )
        return upload, plan.fingerprint

    def test_one_upload_confirmed_twice_at_once_is_imported_once(self) -> None:
        upload, seen = self.upload(self.cast.office)

        def confirm() -> Plan:
            return actions.import_upload(upload=upload, by=self.cast.office, fingerprint=seen, today=TODAY)

        results, errors = at_once(confirm, confirm)
        self.assertEqual(len(results), 1)
        self.assertEqual([type(error) for error in errors], [actions.AlreadyImported])
        self.assertEqual(Initiative.objects.filter(reference="RZZ-100").count(), 1)

    def test_two_files_creating_one_initiative_at_once_give_one_and_a_stale_preview(self) -> None:
        first, seen = self.upload(self.cast.office)
        second, _ = self.upload(self.cast.executive)

        def confirm(upload: Upload, by: User) -> Plan:
            return actions.import_upload(upload=upload, by=by, fingerprint=seen, today=TODAY)

        results, errors = at_once(
            lambda: confirm(first, self.cast.office), lambda: confirm(second, self.cast.executive)
        )
        self.assertEqual(len(results), 1)
        self.assertEqual(len(errors), 1)
        self.assertIsInstance(errors[0], StalePreview)
        self.assertEqual(Initiative.objects.filter(reference="RZZ-100").count(), 1)
