"""The metrics pages: each page and form, bad input, uploads, role refusals and query counts."""

import datetime as dt
import io
import time

import openpyxl
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import RequestFactory, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from headway.accounts.roles import Role
from headway.lib.periods import period_start
from headway.metrics import actions
from headway.metrics.imports import MAX_BYTES
from headway.metrics.models import Annotation, Metric, Observation
from tests import spreadsheets
from tests.clock import TODAY
from tests.factories import make_initiative, make_person
from tests.personas import personas

THIS_MONTH = period_start(TODAY, "monthly")

FIELDS = {
    "name": "Missed appointments",
    "definition": "Appointments missed without notice, per 100 booked.",
    "kind": "outcome",
    "beneficiary": "patients",
    "unit": "%",
    "improvement_direction": "decrease",
    "frequency": "monthly",
    "data_source": "Patient administration system",
}


def months_ago(n: int) -> dt.date:
    index = THIS_MONTH.year * 12 + THIS_MONTH.month - 1 - n
    return dt.date(index // 12, index % 12 + 1, 1)


def xlsx_file(rows, name="values.xlsx") -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def csv_file(text: str, name="values.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


class MetricPagesTestCase(TestCase):
    """One trust with a person in each role, two initiatives and a metric with three months of data."""

    @classmethod
    def setUpTestData(cls):
        cls.cast = personas("Riverside Hospitals")
        cls.trust, cls.other = cls.cast.trust, cls.cast.other_trust
        cls.esther, cls.dana, cls.bola = cls.cast.executive, cls.cast.lead, cls.cast.board
        cls.vic, cls.olly = cls.cast.viewer, cls.cast.other_office
        # Kept: the history page is checked for her name, and a second lead who leads another initiative.
        cls.priya = make_person(cls.trust, Role.PORTFOLIO_OFFICE, "Priya Office")
        cls.dev = make_person(cls.trust, Role.DELIVERY_LEAD, "Dev Otherlead")
        cls.booking = make_initiative(cls.trust, by=cls.priya, title="Online booking", delivery_lead=cls.dana)
        cls.consent = make_initiative(cls.trust, by=cls.priya, title="Digital consent", delivery_lead=cls.dev)
        cls.foreign = make_initiative(cls.other, by=cls.olly, title="Their secret")
        cls.metric = actions.save_metric(
            organisation=cls.trust,
            by=cls.priya,
            fields={**FIELDS, "owner": cls.vic, "target_value": 5.0},
            initiatives=[cls.booking],
        )
        for n, value in ((3, 9.0), (2, 8.5), (1, 8.0)):
            actions.record_observation(metric=cls.metric, by=cls.dana, period=months_ago(n), value=value)
        cls.annotation = actions.add_annotation(
            metric=cls.metric, by=cls.dana, period=months_ago(2), text="Text reminders started"
        )

    def values(self) -> list[float]:
        return list(Metric.objects.get(pk=self.metric.pk).observations.values_list("value", flat=True))

    def assert_error_page(self, response, *messages):
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "There is a problem")
        self.assertContains(response, "nhsuk-error-message")
        self.assertTrue(response.content.decode().split("<title>")[1].startswith("Error: "))
        for message in messages:
            self.assertContains(response, message)


class ListAndDetailTest(MetricPagesTestCase):
    def test_everyone_in_the_organisation_can_read_the_list_and_the_metric(self):
        for person in (self.priya, self.dana, self.bola, self.vic):
            self.client.force_login(person)
            with self.subTest(person=person.full_name):
                self.assertEqual(self.client.get(reverse("metrics:list")).status_code, 200)
                self.assertEqual(self.client.get(reverse("metrics:detail", args=[self.metric.pk])).status_code, 200)

    def test_the_list_shows_kind_who_benefits_the_latest_value_and_points(self):
        self.client.force_login(self.vic)
        response = self.client.get(reverse("metrics:list"))
        self.assertContains(response, "Missed appointments")
        self.assertContains(response, "Outcome")
        self.assertContains(response, "Patients")
        self.assertContains(response, "8%")
        self.assertContains(response, months_ago(1).strftime("%b %Y"))
        self.assertContains(response, '<td class="nhsuk-table__cell">3</td>', html=False)
        self.assertContains(response, self.booking.reference)
        self.assertNotContains(response, "Out of date")
        self.assertNotContains(response, "Add a metric")  # a viewer cannot add one

    def test_the_list_labels_activity_as_not_a_measure_of_impact_and_flags_stale_data(self):
        counted = actions.save_metric(
            organisation=self.trust,
            by=self.priya,
            initiatives=[],
            fields={**FIELDS, "name": "Training sessions held", "kind": "activity"},
        )
        actions.record_observation(metric=counted, by=self.priya, period=months_ago(6), value=4)
        self.client.force_login(self.priya)
        response = self.client.get(reverse("metrics:list"))
        self.assertContains(response, "Activity — not a measure of impact")
        self.assertContains(response, "Out of date")
        self.assertContains(response, "Add a metric")

    def test_the_list_shows_nothing_of_another_organisation(self):
        actions.save_metric(
            organisation=self.other, by=self.olly, fields={**FIELDS, "name": "Their metric"}, initiatives=[self.foreign]
        )
        self.client.force_login(self.priya)
        self.assertNotContains(self.client.get(reverse("metrics:list")), "Their metric")

    def test_the_list_costs_the_same_number_of_queries_for_5_and_50_metrics(self):
        def count(total: int) -> int:
            Metric.objects.exclude(pk=self.metric.pk).delete()
            for i in range(total - 1):
                metric = Metric.objects.create(
                    organisation=self.trust,
                    name=f"Metric {i:02d}",
                    owner=self.dana,
                    **{k: v for k, v in FIELDS.items() if k != "name"},
                )
                metric.initiatives.add(self.booking, self.consent)
                Observation.objects.create(metric=metric, period=months_ago(1), value=i)
            self.client.force_login(self.priya)
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get(reverse("metrics:list"))
            self.assertContains(response, f"{total} metrics")
            return len(queries)

        self.assertEqual(count(5), count(50))

    def test_the_metric_page_shows_its_definition_initiatives_data_and_annotations(self):
        self.client.force_login(self.bola)
        response = self.client.get(reverse("metrics:detail", args=[self.metric.pk]))
        for text in (
            "Appointments missed without notice",
            "Patient administration system",
            "Vic Viewer",
            "Lower is better",
            self.booking.title,
            "8.5%",
            "Text reminders started",
            "5%",
        ):
            self.assertContains(response, text)
        self.assertContains(response, 'class="app-chart"')
        # A board member reads but does not add data.
        self.assertNotContains(response, reverse("metrics:observation_add", args=[self.metric.pk]))
        self.assertNotContains(response, reverse("metrics:edit", args=[self.metric.pk]))

    def test_the_metric_page_offers_its_data_links_to_those_who_may_add_data(self):
        for person in (self.priya, self.dana, self.vic):  # office, lead of its initiative, its owner
            self.client.force_login(person)
            with self.subTest(person=person.full_name):
                response = self.client.get(reverse("metrics:detail", args=[self.metric.pk]))
                self.assertContains(response, reverse("metrics:observation_add", args=[self.metric.pk]))
                self.assertContains(response, reverse("metrics:upload", args=[self.metric.pk]))

    def test_another_organisations_metric_is_not_found(self):
        self.client.force_login(self.olly)
        self.assertEqual(self.client.get(reverse("metrics:detail", args=[self.metric.pk])).status_code, 404)


class MetricFormTest(MetricPagesTestCase):
    def post_data(self, **changes):
        data = {**FIELDS, "screen_outliers": "on", "initiatives": [self.booking.pk], "owner": self.dana.pk}
        data.update(changes)
        return {k: v for k, v in data.items() if v is not None}

    def test_an_executive_adds_a_metric(self):
        self.client.force_login(self.esther)
        response = self.client.post(
            reverse("metrics:create"),
            self.post_data(
                name="Online bookings",
                kind="adoption",
                baseline_value="12.5",
                target_value="40",
                target_date="2027-03-31",
                fix_after_n_points="12",
                initiatives=[self.booking.pk, self.consent.pk],
            ),
            follow=True,
        )
        metric = Metric.objects.get(name="Online bookings")
        self.assertRedirects(response, reverse("metrics:detail", args=[metric.pk]))
        self.assertContains(response, "‘Online bookings’ has been added.")
        self.assertEqual(
            (metric.organisation, metric.owner, metric.baseline_value, metric.fix_after_n_points),
            (self.trust, self.dana, 12.5, 12),
        )
        self.assertEqual(set(metric.initiatives.all()), {self.booking, self.consent})
        self.assertEqual(metric.history.get().history_user, self.esther)

    def test_the_form_preselects_the_initiative_it_was_opened_from(self):
        self.client.force_login(self.priya)
        response = self.client.get(reverse("metrics:create") + f"?initiative={self.consent.pk}")
        self.assertContains(
            response,
            f'value="{self.consent.pk}" class="nhsuk-checkboxes__input" id="id_initiatives_1" checked',
            html=False,
        )
        self.assertContains(response, "Counts work done")

    def test_an_empty_form_shows_every_problem_and_adds_nothing(self):
        self.client.force_login(self.priya)
        response = self.client.post(reverse("metrics:create"), {"name": "Half typed"})
        self.assert_error_page(
            response,
            "Say exactly what is counted or measured.",
            "Choose what kind of measure it is.",
            "Choose which way is better.",
            'value="Half typed"',
        )
        self.assertEqual(Metric.objects.count(), 1)

    def test_it_refuses_bad_numbers_too_few_points_and_a_taken_name(self):
        self.client.force_login(self.priya)
        response = self.client.post(
            reverse("metrics:create"),
            self.post_data(name="missed appointments", target_value="lots", fix_after_n_points="5"),
        )
        self.assert_error_page(
            response,
            "There is already a metric with this name.",
            "Enter the target as a number.",
            "Give at least 12 points, or leave it empty.",
        )
        self.assertEqual(Metric.objects.count(), 1)

    def test_a_forged_initiative_or_owner_from_another_organisation_is_a_form_error(self):
        self.client.force_login(self.priya)
        response = self.client.post(
            reverse("metrics:create"), self.post_data(name="Forged", initiatives=[self.foreign.pk], owner=self.olly.pk)
        )
        self.assert_error_page(response, "Choose only this organisation&#x27;s initiatives.")
        self.assertContains(response, "Select a valid choice")  # the owner
        self.assertFalse(Metric.objects.filter(name="Forged").exists())

    def test_the_portfolio_office_edits_a_metric_and_moves_it_to_another_initiative(self):
        self.client.force_login(self.priya)
        response = self.client.post(
            reverse("metrics:edit", args=[self.metric.pk]),
            self.post_data(definition="Did not attend, per 100 booked.", initiatives=[self.consent.pk]),
        )
        self.assertRedirects(response, reverse("metrics:detail", args=[self.metric.pk]))
        metric = Metric.objects.get(pk=self.metric.pk)
        self.assertEqual(metric.definition, "Did not attend, per 100 booked.")
        self.assertEqual(list(metric.initiatives.all()), [self.consent])
        self.assertEqual(metric.point_count, 3)

    def test_only_executives_and_the_portfolio_office_create_or_edit_metrics(self):
        for person in (self.dana, self.bola, self.vic):
            self.client.force_login(person)
            with self.subTest(person=person.full_name):
                self.assertEqual(self.client.get(reverse("metrics:create")).status_code, 403)
                self.assertEqual(self.client.post(reverse("metrics:create"), self.post_data(name="X")).status_code, 403)
                self.assertEqual(self.client.get(reverse("metrics:edit", args=[self.metric.pk])).status_code, 403)
        self.assertEqual(Metric.objects.count(), 1)


class ObservationFormTest(MetricPagesTestCase):
    def url(self):
        return reverse("metrics:observation_add", args=[self.metric.pk])

    def test_the_delivery_lead_adds_this_months_value(self):
        self.client.force_login(self.dana)
        response = self.client.post(
            self.url(),
            {"period": THIS_MONTH.strftime("%Y-%m"), "value": "7.5", "note": "Reminders by text"},
            follow=True,
        )
        self.assertRedirects(response, reverse("metrics:detail", args=[self.metric.pk]) + "#data")
        self.assertContains(response, f"The value for {THIS_MONTH:%b %Y} has been added.")
        observation = Observation.objects.get(metric=self.metric, period=THIS_MONTH)
        self.assertEqual(
            (observation.value, observation.note, observation.recorded_by), (7.5, "Reminders by text", self.dana)
        )
        self.assertEqual(Metric.objects.get(pk=self.metric.pk).point_count, 4)

    def test_a_period_that_has_a_value_is_replaced_only_after_saying_so(self):
        self.client.force_login(self.priya)
        period = months_ago(1)
        response = self.client.post(self.url(), {"period": period.isoformat(), "value": "6"})
        self.assertContains(response, f"{period:%b %Y} already has a value")
        self.assertContains(response, "It is 8%. Saving will replace it with 6%.")
        self.assertContains(response, f'name="replace" value="{period.isoformat()}"', html=False)
        self.assertEqual(self.values(), [9, 8.5, 8])
        # Agreeing to replace one period does not replace another without asking.
        response = self.client.post(
            self.url(), {"period": months_ago(2).isoformat(), "value": "6", "replace": period.isoformat()}
        )
        self.assertContains(response, f"{months_ago(2):%b %Y} already has a value")
        response = self.client.post(
            self.url(), {"period": period.strftime("%Y-%m"), "value": "6", "replace": period.isoformat()}, follow=True
        )
        self.assertContains(response, "The previous value is kept in the history of changes.")
        self.assertEqual(self.values(), [9, 8.5, 6])
        self.assertEqual(
            list(
                Observation.history.filter(metric_id=self.metric.pk, period=period)
                .order_by("history_id")
                .values_list("value", flat=True)
            ),
            [8, 6],
        )

    def test_changing_a_value_from_the_table_says_it_will_be_replaced(self):
        self.client.force_login(self.priya)
        response = self.client.get(self.url() + f"?period={months_ago(1).isoformat()}")
        self.assertContains(response, "This period already has a value. Saving replaces it")
        self.assertContains(response, 'value="8.0"', html=False)

    def test_bad_input_shows_the_problems_keeps_what_was_typed_and_changes_nothing(self):
        self.client.force_login(self.dana)
        response = self.client.post(self.url(), {"period": "2026-13", "value": "n/a", "note": "typed"})
        self.assert_error_page(
            response, "&#x27;2026-13&#x27; has no month 13.", "Enter the value as a number", "typed</textarea>"
        )
        response = self.client.post(self.url(), {"period": "", "value": ""})
        self.assert_error_page(response, "Enter the period.", "Enter the value.")
        self.assertEqual(self.values(), [9, 8.5, 8])

    def test_only_those_responsible_for_the_metric_add_values(self):
        for person in (self.dev, self.bola):  # leads another initiative; board member
            self.client.force_login(person)
            with self.subTest(person=person.full_name):
                self.assertEqual(self.client.get(self.url()).status_code, 403)
                self.assertEqual(self.client.post(self.url(), {"period": "2020-01", "value": "1"}).status_code, 403)
        self.client.force_login(self.vic)  # a viewer, but the metric's owner
        self.assertEqual(self.client.post(self.url(), {"period": "2020-01", "value": "1"}).status_code, 302)
        self.assertEqual(self.values(), [1, 9, 8.5, 8])


class ObservationRemovalTest(MetricPagesTestCase):
    def test_a_mistaken_value_is_removed_after_asking_with_its_history_kept_and_the_summary_refreshed(self):
        wrong = Observation.objects.get(metric=self.metric, period=months_ago(1))
        url = reverse("metrics:observation_delete", args=[wrong.pk])
        self.client.force_login(self.dana)  # the delivery lead of the initiative it serves
        detail = self.client.get(reverse("metrics:detail", args=[self.metric.pk]))
        self.assertContains(detail, f'href="{url}"', html=False)
        response = self.client.get(url)
        self.assertContains(response, f"Remove the value for {months_ago(1):%b %Y}?")
        self.assertEqual(self.values(), [9, 8.5, 8])  # asking removes nothing
        response = self.client.post(url, follow=True)
        self.assertRedirects(response, reverse("metrics:detail", args=[self.metric.pk]) + "#data")
        self.assertContains(response, "It stays in the history of changes.")
        self.assertEqual(self.values(), [9, 8.5])
        self.assertEqual(Metric.objects.get(pk=self.metric.pk).point_count, 2)
        self.assertEqual(Metric.objects.get(pk=self.metric.pk).latest_period, months_ago(2))
        removed = Observation.history.filter(id=wrong.pk).latest("history_id")  # type: ignore[attr-defined]
        self.assertEqual((removed.history_type, removed.history_user, removed.value), ("-", self.dana, 8))
        history = self.client.get(reverse("metrics:history", args=[self.metric.pk]))
        self.assertContains(history, "Removed")

    def test_only_those_who_add_the_data_remove_it(self):
        wrong = Observation.objects.get(metric=self.metric, period=months_ago(1))
        url = reverse("metrics:observation_delete", args=[wrong.pk])
        for person in (self.dev, self.bola):
            self.client.force_login(person)
            with self.subTest(person=person.full_name):
                self.assertEqual(self.client.get(url).status_code, 403)
                self.assertEqual(self.client.post(url).status_code, 403)
                self.assertNotContains(self.client.get(reverse("metrics:detail", args=[self.metric.pk])), url)
        self.client.force_login(self.olly)  # another organisation's portfolio office
        self.assertEqual(self.client.post(url).status_code, 404)
        self.assertEqual(self.values(), [9, 8.5, 8])


class UploadTest(MetricPagesTestCase):
    def url(self):
        return reverse("metrics:upload", args=[self.metric.pk])

    def upload(self, file):
        return self.client.post(self.url(), {"file": file}, follow=True)

    def test_a_good_csv_file_adds_and_replaces_values(self):
        self.client.force_login(self.dana)
        text = f"period,value,note\n{months_ago(1):%Y-%m},7,Revised\n{THIS_MONTH:%Y-%m},6.5,\n"
        response = self.upload(csv_file(text))
        self.assertRedirects(response, reverse("metrics:detail", args=[self.metric.pk]) + "#data")
        self.assertContains(response, "values.csv has been uploaded: 1 new value, 1 replaced and 0 unchanged.")
        self.assertEqual(self.values(), [9, 8.5, 7, 6.5])
        record = Observation.history.filter(metric_id=self.metric.pk, period=months_ago(1)).latest("history_id")
        self.assertEqual((record.history_user, record.history_change_reason), (self.dana, "Uploaded from values.csv"))

    def test_a_good_excel_workbook_is_read_from_its_first_sheet(self):
        self.client.force_login(self.vic)  # the owner
        response = self.upload(xlsx_file([("Period", "Value"), (THIS_MONTH, 5), (months_ago(3), 9)]))
        self.assertContains(response, "1 new value, 0 replaced and 1 unchanged.")
        self.assertEqual(self.values(), [9, 8.5, 8, 5])
        self.assertEqual(Metric.objects.get(pk=self.metric.pk).latest_period, THIS_MONTH)

    def test_a_bad_file_lists_each_problem_by_row_and_column_and_saves_nothing(self):
        self.client.force_login(self.dana)
        text = f"period,value\n{THIS_MONTH:%Y-%m},5\nsoon,6\n{months_ago(1):%Y-%m},n/a\n"
        response = self.upload(csv_file(text))
        self.assert_error_page(
            response,
            "The file has 2 problems. Nothing has been saved.",
            "Row 3, column period: &#x27;soon&#x27; is not a period",
            "Row 4, column value: &#x27;n/a&#x27; is not a number.",
        )
        self.assertEqual(self.values(), [9, 8.5, 8])

    def test_a_bad_last_row_after_many_good_ones_saves_nothing(self):
        self.client.force_login(self.dana)
        # 300 months from 2000, inside the window of periods Headway keeps (headway.lib.bounds).
        lines = ["period,value"] + [f"{2000 + i // 12}-{i % 12 + 1:02d},{i % 100}" for i in range(300)]
        lines.append(f"{THIS_MONTH:%Y-%m},")
        response = self.upload(csv_file("\n".join(lines)))
        self.assert_error_page(
            response, "The file has a problem. Nothing has been saved.", "Row 302, column value: the value is empty."
        )
        self.assertEqual(self.values(), [9, 8.5, 8])
        self.assertEqual(Metric.objects.get(pk=self.metric.pk).point_count, 3)

    def test_only_the_first_50_problems_are_listed(self):
        self.client.force_login(self.dana)
        lines = ["period,value"] + [f"{2000 + i // 12}-{i % 12 + 1:02d},x" for i in range(60)]
        response = self.upload(csv_file("\n".join(lines)))
        self.assert_error_page(response, "The file has 60 problems.", "Row 51, column value", "And 10 more problems.")
        self.assertNotContains(response, "Row 52, column value")

    def test_a_file_that_is_neither_csv_nor_excel_is_refused(self):
        self.client.force_login(self.dana)
        response = self.upload(SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 \x00\x01"))
        self.assert_error_page(response, "This file is neither a CSV file nor an Excel workbook (.xlsx).")
        self.assertEqual(self.values(), [9, 8.5, 8])

    def test_a_small_workbook_of_millions_of_empty_rows_is_refused_quickly_with_what_to_do(self):
        self.client.force_login(self.dana)
        data = spreadsheets.blank_rows(5_000_000)
        began = time.perf_counter()
        response = self.upload(SimpleUploadedFile("values.xlsx", data))
        self.assertLess(time.perf_counter() - began, 2.0)
        self.assert_error_page(
            response, "The file has a problem. Nothing has been saved.", "Delete the empty rows below your data"
        )
        self.assertEqual(self.values(), [9, 8.5, 8])

    def test_a_file_over_the_limit_is_stored_only_up_to_the_limit_and_refused(self):
        self.assertEqual(settings.MAX_UPLOAD_BYTES, MAX_BYTES)
        big = b"period,value\n" + b"2026-01,1\n" * (3 * MAX_BYTES // 10)
        request = RequestFactory().post(self.url(), {"file": SimpleUploadedFile("big.csv", big)})
        stored = request.FILES["file"]
        self.addCleanup(stored.close)
        self.assertGreater(stored.size, MAX_BYTES)  # enough for the view to say it is too large ...
        self.assertLess(stored.size, MAX_BYTES + 1024 * 1024)  # ... and no more: not the 15 MB sent
        self.client.force_login(self.dana)
        response = self.upload(SimpleUploadedFile("big.csv", big))
        self.assert_error_page(response, "The file is larger than 5 MB.")
        self.assertEqual(self.values(), [9, 8.5, 8])

    def test_no_file_or_an_empty_one_is_an_error(self):
        self.client.force_login(self.dana)
        self.assert_error_page(self.client.post(self.url(), {}), "Choose a file to upload.")
        self.assert_error_page(self.upload(SimpleUploadedFile("empty.csv", b"")), "The file is empty.")

    def test_only_those_responsible_for_the_metric_upload(self):
        for person in (self.dev, self.bola):
            self.client.force_login(person)
            with self.subTest(person=person.full_name):
                self.assertEqual(self.client.get(self.url()).status_code, 403)
                response = self.client.post(self.url(), {"file": csv_file(f"period,value\n{THIS_MONTH:%Y-%m},1\n")})
                self.assertEqual(response.status_code, 403)
        self.assertEqual(self.values(), [9, 8.5, 8])


class AnnotationsAndHistoryTest(MetricPagesTestCase):
    def test_the_delivery_lead_adds_an_annotation_that_restarts_the_limits(self):
        self.client.force_login(self.dana)
        response = self.client.post(
            reverse("metrics:annotation_add", args=[self.metric.pk]),
            {"period": months_ago(1).isoformat(), "text": "New call centre", "starts_new_period": "on"},
            follow=True,
        )
        self.assertRedirects(response, reverse("metrics:detail", args=[self.metric.pk]) + "#annotations")
        self.assertContains(response, f"The annotation for {months_ago(1):%b %Y} has been added.")
        annotation = Annotation.objects.get(text="New call centre")
        self.assertTrue(annotation.starts_new_period)

    def test_an_annotation_without_text_or_a_period_is_refused(self):
        self.client.force_login(self.dana)
        response = self.client.post(reverse("metrics:annotation_add", args=[self.metric.pk]), {"period": "when"})
        self.assert_error_page(response, "Say what changed and why.", "&#x27;when&#x27; is not a period")
        self.assertEqual(Annotation.objects.count(), 1)

    def test_an_annotation_is_removed_only_after_confirming(self):
        url = reverse("metrics:annotation_delete", args=[self.annotation.pk])
        self.client.force_login(self.dana)
        asking = self.client.get(url)
        self.assertContains(asking, "Remove the annotation from")
        self.assertContains(asking, self.annotation.text)
        self.assertContains(asking, "Yes, remove it")
        self.assertTrue(Annotation.objects.exists())
        self.assertEqual(self.client.put(url).status_code, 405)
        response = self.client.post(url, follow=True)
        self.assertContains(response, "The annotation has been removed.")
        self.assertFalse(Annotation.objects.exists())

    def test_those_not_responsible_for_the_metric_cannot_annotate_it(self):
        self.client.force_login(self.dev)
        self.assertEqual(self.client.get(reverse("metrics:annotation_add", args=[self.metric.pk])).status_code, 403)
        url = reverse("metrics:annotation_delete", args=[self.annotation.pk])
        self.assertEqual(self.client.post(url).status_code, 403)
        self.assertTrue(Annotation.objects.exists())

    def test_the_history_shows_who_changed_what_from_what(self):
        actions.record_observation(metric=self.metric, by=self.priya, period=months_ago(1), value=7.25)
        self.client.force_login(self.bola)
        response = self.client.get(reverse("metrics:history", args=[self.metric.pk]))
        self.assertContains(response, f"Value for {months_ago(1):%b %Y}: changed")
        self.assertContains(response, "by Priya Office. Reason: Replaced")
        self.assertContains(response, '<td class="nhsuk-table__cell">8.0</td>', html=False)
        self.assertContains(response, '<td class="nhsuk-table__cell">7.25</td>', html=False)
        self.assertContains(response, "Annotation for")
        self.assertContains(response, "Metric: created")
