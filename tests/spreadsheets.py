"""Small generators of hostile Excel workbooks, built in the test instead of committed as binaries.

An .xlsx file is a zip of XML parts. These write the few parts a reader needs by hand, streaming
the large ones so that building a workbook of millions of rows takes a second and little memory.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
    'Target="sharedStrings.xml"/></Relationships>'
)
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_HEADER_ROW = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>period</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>value</t></is></c></row>'
)


def _write(archive: zipfile.ZipFile, name: str, chunks: Iterable[str]) -> None:
    with archive.open(name, "w", force_zip64=True) as part:
        for chunk in chunks:
            part.write(chunk.encode())


def workbook(sheet: Iterable[str], shared_strings: Iterable[str] = ()) -> bytes:
    """An .xlsx whose first sheet's <sheetData> holds `sheet` (row XML, in pieces) and whose
    shared-string table holds `shared_strings` (<si> XML, in pieces)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        _write(
            archive,
            "xl/worksheets/sheet1.xml",
            _wrapped(
                f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}"><sheetData>',
                sheet,
                "</sheetData></worksheet>",
            ),
        )
        _write(
            archive,
            "xl/sharedStrings.xml",
            _wrapped(f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_MAIN}">', shared_strings, "</sst>"),
        )
    return out.getvalue()


def _wrapped(head: str, body: Iterable[str], tail: str) -> Iterator[str]:
    yield head
    yield from body
    yield tail


def _batched(pieces: Iterable[str], size: int = 10_000) -> Iterator[str]:
    batch: list[str] = []
    for piece in pieces:
        batch.append(piece)
        if len(batch) == size:
            yield "".join(batch)
            batch = []
    yield "".join(batch)


def blank_rows(count: int) -> bytes:
    """A header, one good row and then `count` empty rows (`<row/>`, as a row that only has
    formatting is written): 5 million of them pack into well under a megabyte."""
    first = '<row r="2"><c r="A2" t="inlineStr"><is><t>2026-01</t></is></c><c r="B2"><v>12</v></c></row>'
    return workbook(_chain(_HEADER_ROW + first, ("<row/>" * 10_000 for _ in range(count // 10_000))))


def one_far_row(row: int) -> bytes:
    """A header and a single cell on row `row`: a reader that fills the gap yields `row` rows."""
    far = f'<row r="{row}"><c r="A{row}" t="inlineStr"><is><t>2026-01</t></is></c></row>'
    return workbook([_HEADER_ROW, far])


def wide_rows(rows: int) -> bytes:
    """Each row has one cell in the last column Excel allows (XFD): a reader that fills the gap
    yields 16,384 cells per row."""
    body = (f'<row r="{r}"><c r="XFD{r}"><v>1</v></c></row>' for r in range(2, rows + 2))
    return workbook(_chain(_HEADER_ROW, _batched(body)))


def one_huge_cell(characters: int) -> bytes:
    """A header and one row whose third cell holds `characters` characters of text, written in
    the sheet itself (an inline string): a few kilobytes packed, tens of megabytes unpacked."""
    row = (
        '<row r="2"><c r="A2" t="inlineStr"><is><t>2026-01</t></is></c><c r="B2"><v>1</v></c>'
        '<c r="C2" t="inlineStr"><is><t>'
    )
    text = ("x" * 1_000_000 for _ in range(characters // 1_000_000))
    return workbook(_wrapped(_HEADER_ROW + row, text, "</t></is></c></row>"))


def shared_strings_bomb(count: int, length: int = 1) -> bytes:
    """A small sheet whose shared-string table holds `count` strings of `length` characters, which
    compress to almost nothing: a reader that loads the table up front holds them all."""
    piece = f"<si><t>{'x' * length}</t></si>"
    return workbook([_HEADER_ROW], (piece * 1_000 for _ in range(count // 1_000)))


def _chain(first: str, rest: Iterable[str]) -> Iterator[str]:
    yield first
    yield from rest
