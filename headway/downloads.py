"""Every list page as a file: the same rows the page shows (all of them, not one page), in CSV or
an Excel workbook, written through `headway.lib.exports` (ADR 34).

A list's view asks `wanted(request)` first: with `?format=csv` or `?format=xlsx` in its address it
answers with `download(...)` instead of the page, after the same role check, the same
organisation boundary and the same filter form, from the same query function. So a file can
never hold a row the page would not show. Each app keeps its lists' columns in one place
(`<app>/downloads.py`); this module writes them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone

from headway.accounts.models import Organisation
from headway.lib.exports import Cell, csv_text, workbook_bytes

T = TypeVar("T")

#: The parameter a list's address takes to be downloaded, and the formats it may name.
FORMAT = "format"
FORMATS = {"csv": "CSV", "xlsx": "Spreadsheet (XLSX)"}
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Column(Generic[T]):
    """One column of a download: its heading in plain English and how to read its cell from a row."""

    heading: str
    value: Callable[[T], Cell]


class BadFormat(Exception):
    """`?format=` named something Headway does not write."""


def wanted(request: HttpRequest) -> str | None:
    """The format asked for ("csv" or "xlsx"), or None for the page itself."""
    asked = request.GET.get(FORMAT)
    if asked is None:
        return None
    if asked not in FORMATS:
        raise BadFormat(asked)
    return asked


def asked(request: HttpRequest, form: BaseForm | None = None) -> str | HttpResponse | None:
    """What a list's view should answer: None for the page itself, "csv" or "xlsx" for a file,
    or the 400 refusal when the format, or a filter the file would be made from, is not allowed
    (the page shows the same filter errors beside the form)."""
    try:
        fmt = wanted(request)
    except BadFormat as error:
        return refused(request, problems=bad_format_problems(error), back=request.path)
    if fmt is None:
        return None
    if form is not None and form.is_bound and not form.is_valid():
        return refused(request, problems=form_problems(form), back=request.path)
    return fmt


def links(query: QueryDict) -> list[tuple[str, str]]:
    """The "Download" links for a list: its current query (filters and sort, not the page) with
    each format added, as (label, address-query) pairs for `components/downloads.html`."""
    found = []
    for key, label in FORMATS.items():
        params = query.copy()
        params.pop("page", None)
        params[FORMAT] = key
        found.append((label, "?" + params.urlencode()))
    return found


def filename(organisation: Organisation, what: str, today: dt.date, fmt: str) -> str:
    """For example `headway-RZZ01-portfolio-2026-12-07.csv`."""
    return f"headway-{organisation.ods_code}-{what}-{today.isoformat()}.{fmt}"


def table(columns: Sequence[Column[T]], rows: Iterable[T]) -> list[list[Cell]]:
    """The heading row, then one row of cells for each item."""
    return [[c.heading for c in columns], *([c.value(row) for c in columns] for row in rows)]


def respond(data: bytes | str, *, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    # The file holds the organisation's data: no shared cache may keep it.
    response["Cache-Control"] = "private, no-store"
    return response


def download(
    *,
    organisation: Organisation,
    fmt: str,
    what: str,
    sheet: str,
    columns: Sequence[Column[T]],
    rows: Iterable[T],
) -> HttpResponse:
    """The rows as a file to save: CSV, or a workbook of one sheet with numbers and dates typed."""
    cells = table(columns, rows)
    name = filename(organisation, what, timezone.localdate(), fmt)
    if fmt == "csv":
        return respond(csv_text(cells), fmt=fmt, name=name)
    return respond(workbook_bytes([(sheet, cells)]), fmt=fmt, name=name)


def list_file(
    request: HttpRequest,
    form: BaseForm | None = None,
    *,
    organisation: Organisation,
    what: str,
    sheet: str,
    columns: Sequence[Column[T]],
    rows: Callable[[], Iterable[T]],
) -> HttpResponse | None:
    """What a plain list's view answers before drawing its page: the file when its address asks
    for one (`rows` is called only then), the 400 refusal when the format or a filter is not
    allowed, or None for the page itself. Views whose file needs the page's own data use `asked`
    and `download` directly."""
    fmt = asked(request, form)
    if fmt is None or isinstance(fmt, HttpResponse):
        return fmt
    return download(organisation=organisation, fmt=fmt, what=what, sheet=sheet, columns=columns, rows=rows())


def refused(request: HttpRequest, *, problems: Sequence[str], back: str) -> HttpResponse:
    """A download that cannot be made (a filter value that is not allowed, a format Headway does
    not write): a 400 page saying what is wrong, and nothing written."""
    return render(request, "download_refused.html", {"problems": problems, "back": back}, status=400)


def form_problems(form: BaseForm) -> list[str]:
    """A filter form's errors as sentences naming the filter, for `refused`."""
    found = []
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else None
        for error in errors:
            found.append(f"{label or 'Filter'}: {error}")
    return found


def bad_format_problems(error: BadFormat) -> list[str]:
    return [f"Format: ‘{error}’ is not a format Headway can write. Choose CSV or XLSX."]
