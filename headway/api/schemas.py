"""What the API's operations share: the problem-details shape, the paging envelope and the
error responses each operation declares, so the OpenAPI document lists every answer it can give."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode

from django.db.models import QuerySet
from ninja import Schema
from pydantic import Field

from headway.api.auth import ApiRequest
from headway.lib import bounds

T = TypeVar("T")


class FieldProblem(Schema):
    field: list[str | int] = Field(description="Where the value is: 'body', 'query' or 'path', then the field's path.")
    detail: str


class ProblemOut(Schema):
    """RFC 9457 problem details."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[FieldProblem] | None = None


class Page(Schema, Generic[T]):
    count: int = Field(description="How many there are in all, with these filters.")
    limit: int
    offset: int
    next: str | None = Field(description="The address of the next page, or null on the last.")
    items: list[T]


# The refusals every operation that needs a token can give.
READ_ERRORS = (401, 403, 404, 422, 429)
# A write also refuses a body that is not JSON (400) and a change a rule forbids (409).
WRITE_ERRORS = (400, *READ_ERRORS, 409)


def responses(ok: dict[int, Any], errors: Sequence[int] = READ_ERRORS) -> dict[int, Any]:
    return {**ok, **{code: ProblemOut for code in errors}}


def paged(
    request: ApiRequest,
    rows: QuerySet[Any] | Sequence[Any],
    limit: int,
    offset: int,
    shape: Callable[[Any], Any],
) -> dict[str, Any]:
    """One page of `rows` (a query is sliced in the database), with the total and the next page's address."""
    limit = max(1, min(limit, bounds.API_PAGE_MAX))
    offset = max(0, offset)
    count = rows.count() if isinstance(rows, QuerySet) else len(rows)
    items = [shape(row) for row in rows[offset : offset + limit]]
    following = None
    if offset + limit < count:
        query = request.GET.copy()
        query["limit"], query["offset"] = str(limit), str(offset + limit)
        following = request.build_absolute_uri(request.path) + "?" + urlencode(sorted(query.items()))
    return {"count": count, "limit": limit, "offset": offset, "next": following, "items": items}
