"""The template files a person downloads to fill in: the column names with an example row, and
in a workbook a second sheet saying what each column holds (written by `headway.lib.exports`)."""

from __future__ import annotations

from headway.imports.plan import Kind
from headway.lib import exports


def header_and_example(kind: type[Kind]) -> list[list[exports.Cell]]:
    return [[c.name for c in kind.columns], [c.example for c in kind.columns]]


def explained(kind: type[Kind]) -> list[list[exports.Cell]]:
    rows: list[list[exports.Cell]] = [["column", "needed", "what it holds", "choices"]]
    for column in kind.columns:
        rows.append(
            [
                column.name,
                "every row" if column.required else "if you like",
                column.help,
                ", ".join(value for value, _ in column.choices),
            ]
        )
    rows.append([])
    rows.append(["matching", "", kind.matching, ""])
    return rows


def csv_template(kind: type[Kind]) -> str:
    return exports.csv_text(header_and_example(kind))


def xlsx_template(kind: type[Kind]) -> bytes:
    # The rows to fill in come first: an import reads the first sheet.
    return exports.workbook_bytes([(kind.title, header_and_example(kind)), ("What each column holds", explained(kind))])
