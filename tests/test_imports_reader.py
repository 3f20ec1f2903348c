"""The shared reader of uploaded tables (headway.lib.tables): CSV, workbooks and JSON, within budgets."""

from __future__ import annotations

import json

from django.test import SimpleTestCase

from headway.lib import exports
from headway.lib.tables import MAX_BYTES, FileRefused, Layout, read_table

LAYOUT = Layout(columns=("reference", "title", "note"), required=("reference", "title"), max_rows=100, json=True)


def problems(data: bytes, filename: str) -> list[str]:
    try:
        table = read_table(data, filename=filename, layout=LAYOUT)
    except FileRefused as refused:
        return [str(e) for e in refused.errors]
    return [str(p) for p in table.problems]


class ReadingTablesTest(SimpleTestCase):
    rows = [["Reference", "TITLE"], ["A-1", "=SUM(1)"], [], ["A-2", "Two"]]

    def test_csv_workbook_and_json_give_the_same_rows_numbered_as_the_person_sees_them(self) -> None:
        csv = read_table(exports.csv_text(self.rows).encode(), filename="f.csv", layout=LAYOUT)
        xlsx = read_table(exports.xlsx_bytes(self.rows), filename="f.xlsx", layout=LAYOUT)
        for table in (csv, xlsx):
            self.assertEqual(table.columns, ("reference", "title"))
            self.assertEqual([(r.number, r.cells["title"]) for r in table.rows], [(2, "=SUM(1)"), (4, "Two")])
        data = json.dumps({"rows": [{"reference": "A-1", "Title": "One"}, {"reference": "A-2", "title": 2}]})
        table = read_table(data.encode(), filename="f.json", layout=LAYOUT)
        self.assertEqual([(r.number, r.cells["title"]) for r in table.rows], [(1, "One"), (2, 2)])

    def test_a_json_file_must_be_a_list_of_objects_with_known_names_and_single_values(self) -> None:
        self.assertIn("must be a list of objects", problems(b'{"reference": "A-1"}', "f.json")[0])
        self.assertEqual(problems(b"[1, 2", "f.json"), ["This file cannot be read as JSON (line 1, column 6)."])
        self.assertEqual(
            problems(b'[{"reference": "A", "title": "B", "colour": "red"}]', "f.json"),
            ["Row 1, column colour: Headway does not know this name. Use only reference, title and note."],
        )
        self.assertEqual(problems(b'[{"reference": "A"}]', "f.json"), ["No row gives ‘title’, which every row needs."])
        self.assertEqual(
            problems(b'[{"reference": "A", "title": ["B"]}]', "f.json"),
            ["Row 1, column title: give a single value here, not a list or an object."],
        )

    def test_too_many_rows_and_too_large_files_are_refused_whole(self) -> None:
        many = json.dumps([{"reference": str(n), "title": "x"} for n in range(101)]).encode()
        self.assertEqual(
            problems(many, "f.json"), ["The file has more than 100 rows of data. Split it into smaller ones."]
        )
        lines = b"reference,title\n" + b"a,b\n" * 101
        self.assertEqual(
            problems(lines, "f.csv"), ["The file has more than 100 rows of data. Split it into smaller ones."]
        )
        blank = b"reference,title\n" + b",\n" * 300
        self.assertIn("more than 200 rows, counting empty ones", problems(blank, "f.csv")[0])
        self.assertEqual(problems(b"x" * (MAX_BYTES + 1), "f.csv"), ["The file is larger than 5 MB."])

    def test_the_header_names_unknown_missing_and_repeated_columns(self) -> None:
        self.assertEqual(
            problems(b"reference,colour,reference\nA,red,B\n", "f.csv"),
            [
                "Row 1, column colour: Headway does not know this column. Use only reference, title and note.",
                "Row 1, column reference: this column appears twice.",
                "Row 1: the ‘title’ column is missing.",
            ],
        )
        self.assertIn("Save it as one of those", problems(b"\x00\x01", "f.pdf")[0])
