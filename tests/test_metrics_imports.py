"""Reading observations from CSV and Excel files, and the `import_observations` command.

Every problem is reported with the row and column a person sees in their spreadsheet (the
column names are row 1), all of them at once, and a file with any problem changes nothing.
"""

import datetime as dt
import io
import time
import tracemalloc
from pathlib import Path
from tempfile import TemporaryDirectory

import openpyxl
from django.core.management import CommandError, call_command
from django.test import SimpleTestCase, TestCase

from headway.accounts.roles import Role
from headway.lib import exports
from headway.metrics import actions
from headway.metrics.imports import MAX_BYTES, MAX_ROWS, MAX_ROWS_READ, FileRefused, ObservationRow, read_observations
from headway.metrics.models import Metric, Observation
from tests import spreadsheets
from tests.factories import make_initiative, make_person
from tests.personas import personas


def csv_bytes(text: str, bom: bool = False) -> bytes:
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def xlsx_bytes(rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def monthly_csv(months: int, start_year: int = 2020) -> str:
    lines = ["period,value"]
    for i in range(months):
        lines.append(f"{start_year + i // 12}-{i % 12 + 1:02d},{i}")
    return "\n".join(lines) + "\n"


class ReadingAGoodFileTest(SimpleTestCase):
    def read(self, data: bytes, filename: str = "data.csv", frequency: str = "monthly"):
        return read_observations(data, filename=filename, frequency=frequency)

    def test_it_reads_a_csv_file_with_its_periods_moved_to_the_start_of_the_period(self):
        rows = self.read(csv_bytes("period,value,note\n2026-01,12,\n2026-02-17,13.5,Half term\n"))
        self.assertEqual(
            rows,
            [
                ObservationRow(row=2, period=dt.date(2026, 1, 1), value=12.0, note=""),
                ObservationRow(row=3, period=dt.date(2026, 2, 1), value=13.5, note="Half term"),
            ],
        )

    def test_it_reads_a_csv_file_saved_by_excel_with_a_byte_order_mark_and_capital_headers(self):
        rows = self.read(csv_bytes("Period,VALUE\r\n2026-01,12\r\n", bom=True))
        self.assertEqual(rows, [ObservationRow(row=2, period=dt.date(2026, 1, 1), value=12.0, note=None)])

    def test_it_accepts_the_columns_in_any_order_and_skips_empty_rows(self):
        rows = self.read(csv_bytes("value,period\n12,2026-01\n,\n\n13,2026-02\n"))
        self.assertEqual([(r.row, r.period.month, r.value) for r in rows], [(2, 1, 12.0), (5, 2, 13.0)])

    def test_it_reads_a_csv_file_with_a_byte_order_mark_semicolons_and_windows_line_ends(self):
        data = csv_bytes("Period;Value;Note\r\n2026-01;12,5;Winter; busy\r\n2026-02;1.234;\r\n\r\n", bom=True)
        # "Winter; busy" has a semicolon in it, so Excel quotes it; unquoted it is a fourth cell.
        data = data.replace(b"Winter; busy", b'"Winter; busy"')
        rows = self.read(data)
        self.assertEqual(
            [(r.period, r.value, r.note) for r in rows],
            [
                (dt.date(2026, 1, 1), 12.5, "Winter; busy"),
                (dt.date(2026, 2, 1), 1.234, ""),
            ],
        )

    def test_it_reads_tabs_and_crlf_and_keeps_commas_as_thousands_in_a_comma_file(self):
        rows = self.read(csv_bytes("period\tvalue\r\n2026-01\t7\r\n"))
        self.assertEqual([(r.period, r.value) for r in rows], [(dt.date(2026, 1, 1), 7.0)])
        rows = self.read(csv_bytes('period,value\r\n2026-01,"1,234"\r\n', bom=True))
        self.assertEqual([r.value for r in rows], [1234.0])

    def test_it_keeps_notes_that_start_like_a_formula_exactly_as_typed(self):
        typed = ["=SUM(A1:A9)", "+44 20 7946 0000", "-5 beds closed", "@mention"]
        data = csv_bytes("period,value,note\n" + "".join(f'2026-0{i + 1},{i},"{t}"\n' for i, t in enumerate(typed)))
        self.assertEqual([r.note for r in self.read(data)], typed)
        # In a workbook they are text cells (a real formula is read as the value Excel worked out).
        workbook = exports.xlsx_bytes(
            [("period", "value", "note"), *[(f"2026-0{i + 1}", i, t) for i, t in enumerate(typed)]]
        )
        self.assertEqual([r.note for r in self.read(workbook, "data.xlsx")], typed)

    def test_it_reads_numbers_with_thousands_separators(self):
        rows = self.read(csv_bytes('period,value\n2026-01,"1,234.5"\n'))
        self.assertEqual(rows[0].value, 1234.5)

    def test_it_reads_an_excel_workbook_with_real_dates_and_numbers(self):
        data = xlsx_bytes([("period", "value", "note"), (dt.datetime(2026, 3, 4), 7, "First"), ("2026-04", 8.25, None)])
        rows = self.read(data, "data.xlsx")
        self.assertEqual(
            rows,
            [
                ObservationRow(row=2, period=dt.date(2026, 3, 1), value=7.0, note="First"),
                ObservationRow(row=3, period=dt.date(2026, 4, 1), value=8.25, note=""),
            ],
        )

    def test_it_reads_weeks_and_quarters_for_metrics_measured_that_way(self):
        weekly = self.read(csv_bytes("period,value\n05/03/2026,1\n"), frequency="weekly")
        self.assertEqual(weekly[0].period, dt.date(2026, 3, 2))  # the Monday
        quarterly = self.read(csv_bytes("period,value\n2026-Q2,1\n"), frequency="quarterly")
        self.assertEqual(quarterly[0].period, dt.date(2026, 4, 1))


class RefusingABadFileTest(SimpleTestCase):
    def problems(self, data: bytes, filename: str = "data.csv", frequency: str = "monthly") -> list[str]:
        with self.assertRaises(FileRefused) as refused:
            read_observations(data, filename=filename, frequency=frequency)
        return [str(e) for e in refused.exception.errors]

    def test_it_refuses_an_empty_file(self):
        self.assertEqual(self.problems(b""), ["The file is empty."])
        self.assertEqual(self.problems(b"\xef\xbb\xbf\r\n"), ["The file is empty."])

    def test_it_refuses_a_file_with_only_the_column_names(self):
        self.assertEqual(
            self.problems(csv_bytes("period,value\n")), ["The file has no rows of data under the column names."]
        )

    def test_it_refuses_a_file_without_column_names(self):
        [problem] = self.problems(csv_bytes("2026-01,12\n2026-02,13\n"))
        self.assertTrue(problem.startswith("Row 1: the first row must name the columns: period, value"), problem)
        self.assertIn("‘2026-01, 12’", problem)

    def test_it_says_when_the_columns_are_separated_by_something_it_does_not_read(self):
        [problem] = self.problems(csv_bytes("period|value\n2026-01|12\n"))
        self.assertIn("‘period|value’. Separate the columns with commas, semicolons or tabs.", problem)

    def test_it_refuses_unknown_and_missing_columns(self):
        self.assertEqual(
            self.problems(csv_bytes("period,amount\n2026-01,12\n")),
            [
                "Row 1, column amount: Headway does not know this column. Use only period, value and note.",
                "Row 1: the ‘value’ column is missing.",
            ],
        )

    def test_it_refuses_a_column_named_twice(self):
        self.assertEqual(
            self.problems(csv_bytes("period,value,Value\n2026-01,1,2\n")),
            ["Row 1, column value: this column appears twice."],
        )

    def test_it_lists_every_bad_row_with_its_row_and_column(self):
        data = csv_bytes(
            "period,value,note\n"
            "2026-01,12,\n"  # row 2: fine
            ",13,\n"  # row 3: no period
            "2026-03,,\n"  # row 4: no value
            "2026-13,14,\n"  # row 5: no such month
            "2026-05,n/a,\n"  # row 6: not a number
            "2026-06,NaN,\n"  # row 7
            "2026-07,inf,\n"  # row 8
            "2026-01-20,15,\n"  # row 9: January again
            "next month,16,\n"  # row 10
            "2026-Q3,17,\n"  # row 11: a quarter, for a monthly metric
        )
        self.assertEqual(
            self.problems(data),
            [
                "Row 3, column period: the period is empty.",
                "Row 4, column value: the value is empty.",
                "Row 5, column period: '2026-13' has no month 13.",
                "Row 6, column value: 'n/a' is not a number.",
                "Row 7, column value: 'NaN' is not a number.",
                "Row 8, column value: 'inf' is not a number.",
                "Row 9, column period: the period Jan 2026 is already on row 2. Give each period once.",
                "Row 10, column period: 'next month' is not a period: write a date (2026-03-02 or 02/03/2026), "
                "a month (2026-03) or a quarter (2026-Q1).",
                "Row 11, column period: '2026-Q3' is a quarter, but this metric is monthly.",
            ],
        )

    def test_it_finds_a_bad_last_row_after_many_good_ones(self):
        # From 2000, inside the window of periods Headway keeps (headway.lib.bounds).
        text = monthly_csv(1000, start_year=2000) + "2084-01,twelve\n"
        self.assertEqual(self.problems(csv_bytes(text)), ["Row 1002, column value: 'twelve' is not a number."])

    def test_it_refuses_a_number_too_large_to_chart(self):
        self.assertEqual(
            self.problems(csv_bytes("period,value\n2026-01,1e400\n")),
            ["Row 2, column value: '1e400' is not a number that can be charted."],
        )

    def test_it_refuses_a_note_that_is_too_long(self):
        self.assertEqual(
            self.problems(csv_bytes("period,value,note\n2026-01,1," + "x" * 501 + "\n")),
            ["Row 2, column note: the note is longer than 500 characters."],
        )

    def test_it_refuses_values_in_a_column_with_no_name(self):
        self.assertEqual(
            self.problems(csv_bytes("period,value,\n2026-01,1,oops\n")),
            ["Row 2, column C: this column has no name in row 1, so Headway cannot tell what it holds."],
        )

    def test_it_refuses_a_workbook_with_bad_cells_naming_their_rows(self):
        data = xlsx_bytes([("Period", "Value"), ("2026-01", 1), ("2026-02", "#DIV/0!"), (None, 3), ("2026-04", True)])
        self.assertEqual(
            self.problems(data, "figures.xlsx"),
            [
                "Row 3, column value: '#DIV/0!' is not a number.",
                "Row 4, column period: the period is empty.",
                "Row 5, column value: 'True' is not a number.",
            ],
        )

    def test_it_refuses_a_file_over_5_mb(self):
        self.assertEqual(self.problems(b"period,value\n" + b"x" * MAX_BYTES), ["The file is larger than 5 MB."])

    def test_it_refuses_more_than_20000_rows(self):
        self.assertEqual(
            self.problems(csv_bytes(monthly_csv(MAX_ROWS + 1, start_year=100))),
            ["The file has more than 20,000 rows of data. Split it into smaller ones."],
        )

    def test_it_says_a_file_that_is_neither_csv_nor_xlsx_is_neither(self):
        neither = (
            "This file is neither a CSV file nor an Excel workbook (.xlsx). Save it as one of those and try again."
        )
        self.assertEqual(self.problems(b"%PDF-1.4 something", "report.pdf"), [neither])
        self.assertEqual(self.problems(b"PK\x03\x04 not really a workbook", "data.xlsx"), [neither])
        self.assertIn("old-style Excel file (.xls)", self.problems(b"\xd0\xcf\x11\xe0", "data.xls")[0])
        [binary] = self.problems(b"\xff\xfe\x00p\x00e\x00r", "data.csv")
        self.assertIn("not a CSV file in UTF-8 text", binary)


class RefusingAHostileFileQuicklyTest(SimpleTestCase):
    """Small files that unpack to far more than they look (ADR 19) are refused within 2 seconds and
    100 MB, with a message saying what to do. The files are built here, not committed."""

    def refused_quickly(self, data: bytes, filename: str = "data.xlsx") -> str:
        began = time.perf_counter()
        with self.assertRaises(FileRefused) as refused:
            read_observations(data, filename=filename, frequency="monthly")
        self.assertLess(time.perf_counter() - began, 2.0)
        tracemalloc.start()
        try:
            with self.assertRaises(FileRefused):
                read_observations(data, filename=filename, frequency="monthly")
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        self.assertLess(peak, 100 * 1024 * 1024)
        [problem] = refused.exception.errors
        return str(problem)

    def test_a_workbook_of_empty_rows_that_unpacks_within_the_size_budget_is_refused_by_the_row_budget(self):
        data = spreadsheets.blank_rows(2_000_000)  # 12 MB of <row/> unpacked
        self.assertEqual(
            self.refused_quickly(data),
            "The file has more than 40,000 rows, counting empty ones. Delete the empty rows below your data, "
            "or split it into files of at most 20,000 rows, and try again.",
        )

    def test_a_workbook_of_five_million_empty_rows_is_refused_before_its_sheet_is_parsed(self):
        data = spreadsheets.blank_rows(5_000_000)  # the case: 30 MB of <row/> unpacked
        self.assertLess(len(data), MAX_BYTES // 5)
        self.assertEqual(
            self.refused_quickly(data),
            "A sheet of this workbook unpacks to more than 16 MB, too large to read. Delete the empty rows below "
            "your data and the empty columns to its right, or save the sheet as CSV, and try again.",
        )

    def test_a_cell_of_forty_million_characters_is_refused_before_it_is_parsed(self):
        self.assertIn("unpacks to more than 16 MB", self.refused_quickly(spreadsheets.one_huge_cell(40_000_000)))

    def test_a_shared_strings_bomb_is_refused_before_openpyxl_loads_the_table(self):
        problem = self.refused_quickly(spreadsheets.shared_strings_bomb(3_000_000))
        self.assertEqual(
            problem,
            "The workbook’s table of text is too large to read. Copy just the period, value and note columns "
            "into a new workbook, or save the sheet as CSV, and try again.",
        )
        self.assertIn("table of text", self.refused_quickly(spreadsheets.shared_strings_bomb(1_000, 20_000)))

    def test_one_row_far_down_counts_the_empty_rows_above_it(self):
        self.assertIn("more than 40,000 rows", self.refused_quickly(spreadsheets.one_far_row(1_000_000)))

    def test_cells_far_to_the_right_count_the_empty_cells_before_them(self):
        self.assertIn("more than 500,000 cells", self.refused_quickly(spreadsheets.wide_rows(2_000)))

    def test_a_csv_file_of_millions_of_empty_lines_is_refused_by_the_same_budget(self):
        data = b"period,value\n2026-01,1\n" + b"\r\n" * 2_000_000
        self.assertIn("more than 40,000 rows, counting empty ones", self.refused_quickly(data, "data.csv"))

    def test_the_budget_leaves_room_for_a_full_file_with_blank_rows_among_them(self):
        data = csv_bytes(monthly_csv(120) + "\n" * (MAX_ROWS_READ - 121))
        self.assertEqual(len(read_observations(data, filename="data.csv", frequency="monthly")), 120)
        with self.assertRaises(FileRefused):
            read_observations(data + b"\n", filename="data.csv", frequency="monthly")


class ImportObservationsCommandTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cast = personas("Riverside Hospitals")
        cls.trust, cls.other = cls.cast.trust, cls.cast.other_trust
        # Kept as their own people: the command finds them by these emails.
        cls.analyst = make_person(cls.trust, Role.DELIVERY_LEAD, "Ann Analyst", email="ann@example.nhs.uk")
        cls.outsider = make_person(cls.other, Role.PORTFOLIO_OFFICE, "Olly Outsider", email="olly@example.nhs.uk")
        initiative = make_initiative(cls.trust, by=cls.analyst, title="Online booking")
        cls.metric = actions.save_metric(
            organisation=cls.trust,
            by=cls.analyst,
            initiatives=[initiative],
            fields={
                "name": "Missed appointments",
                "definition": "DNAs per 100 booked",
                "kind": "outcome",
                "beneficiary": "patients",
                "unit": "%",
                "improvement_direction": "decrease",
                "frequency": "monthly",
                "data_source": "PAS",
            },
        )
        actions.record_observation(metric=cls.metric, by=cls.analyst, period=dt.date(2026, 1, 1), value=9)

    def setUp(self):
        self.directory = TemporaryDirectory()
        self.addCleanup(self.directory.cleanup)

    def file(self, name: str, data: bytes) -> str:
        path = Path(self.directory.name) / name
        path.write_bytes(data)
        return str(path)

    def run_command(self, *args: str):
        out, err = io.StringIO(), io.StringIO()
        call_command("import_observations", *args, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    def test_it_imports_a_good_file_and_prints_the_counts(self):
        path = self.file("dna.csv", b"period,value\n2026-01,8\n2026-02,7\n2026-03,6.5\n")
        out, _ = self.run_command(path, "--metric", str(self.metric.pk), "--by", "ann@example.nhs.uk")
        self.assertIn("1 replaced", out)
        self.assertIn("2 added", out)
        self.assertEqual(list(self.metric.observations.values_list("value", flat=True)), [8, 7, 6.5])
        record = Observation.history.filter(metric_id=self.metric.pk, period=dt.date(2026, 2, 1)).get()
        self.assertEqual(record.history_user, self.analyst)
        self.assertIn("dna.csv", record.history_change_reason)
        self.assertEqual(Metric.objects.get(pk=self.metric.pk).point_count, 3)

    def test_the_person_is_found_by_email_as_typed_and_a_stranger_is_refused(self):
        path = self.file("dna.csv", b"period,value\n2026-02,7\n")
        self.run_command(path, "--metric", str(self.metric.pk), "--by", " Ann@Example.NHS.uk ")
        record = Observation.history.filter(metric_id=self.metric.pk, period=dt.date(2026, 2, 1)).get()
        self.assertEqual(record.history_user, self.analyst)
        with self.assertRaisesMessage(CommandError, "nobody@example.nhs.uk is not a member of"):
            self.run_command(path, "--metric", str(self.metric.pk), "--by", "nobody@example.nhs.uk")

    def test_it_imports_an_excel_workbook(self):
        path = self.file("dna.xlsx", xlsx_bytes([("period", "value"), ("2026-02", 7)]))
        out, _ = self.run_command(path, "--metric", str(self.metric.pk))
        self.assertIn("1 added", out)

    def test_a_bad_file_prints_each_problem_and_changes_nothing(self):
        path = self.file("dna.csv", b"period,value\n2026-01,8\n2026-02,seven\n2026-02,7\n")
        err = io.StringIO()
        with self.assertRaises(CommandError) as failed:
            call_command("import_observations", path, "--metric", str(self.metric.pk), stdout=io.StringIO(), stderr=err)
        self.assertIn("Nothing was imported: dna.csv has 2 problems", str(failed.exception))
        self.assertEqual(
            err.getvalue().splitlines(),
            [
                "Row 3, column value: 'seven' is not a number.",
                "Row 4, column period: the period Feb 2026 is already on row 3. Give each period once.",
            ],
        )
        self.assertEqual(list(self.metric.observations.values_list("value", flat=True)), [9])

    def test_it_names_the_row_and_column_of_a_single_problem_in_the_error(self):
        path = self.file("dna.csv", b"period,value\n2026-01,8\n2026-02,n/a\n")
        with self.assertRaisesMessage(CommandError, "Row 3, column value: 'n/a' is not a number."):
            self.run_command(path, "--metric", str(self.metric.pk))
        self.assertEqual(list(self.metric.observations.values_list("value", flat=True)), [9])

    def test_it_refuses_a_person_from_another_organisation_and_a_missing_metric(self):
        path = self.file("dna.csv", b"period,value\n2026-02,7\n")
        with self.assertRaisesMessage(CommandError, "olly@example.nhs.uk is not a member of Riverside Hospitals."):
            self.run_command(path, "--metric", str(self.metric.pk), "--by", "olly@example.nhs.uk")
        with self.assertRaisesMessage(CommandError, "There is no metric 999999."):
            self.run_command(path, "--metric", "999999")
        self.assertEqual(self.metric.observations.count(), 1)

    def test_it_says_when_the_file_cannot_be_read(self):
        with self.assertRaisesMessage(CommandError, "Cannot read"):
            self.run_command(str(Path(self.directory.name) / "missing.csv"), "--metric", str(self.metric.pk))
