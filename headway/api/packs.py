"""Board packs through the API (ADR 31), read only: the list, one pack with its content, and the
pack as PDF, workbook (XLSX) and HTML.

Who reads what is the pack pages' own rule (`assurance.pack_views.get_pack`): everyone in the
organisation reads published packs; only those who prepare board packs read drafts, which are
"not found" to everyone else. The files are made by the same functions the pages use
(`assurance.pack_outputs`), and every answer carries the SHA-256 of the pack's content, the one
printed on the pack, so a reader can check a file against the published pack.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpResponse
from ninja import Query, Router, Schema
from pydantic import Field

from headway.accounts.roles import Action
from headway.api.auth import ApiRequest, require
from headway.api.portfolio import Id, Limit, Offset
from headway.api.schemas import Page, paged, responses
from headway.assurance import pack_outputs
from headway.assurance.models import BoardPack
from headway.assurance.pack_views import can_prepare
from headway.assurance.pack_views import get_pack as readable_pack

router = Router(tags=["Board packs"])

#: The response header that carries the SHA-256 of the pack's content.
SHA_HEADER = "Pack-SHA256"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class BoardPackOut(Schema):
    id: int
    title: str
    meeting: str
    meeting_date: dt.date
    purpose: str = Field(description="decision, assurance or information.")
    assurance_level: str
    status: str = Field(description="draft or published. Drafts are listed only for those who prepare packs.")
    published_at: dt.datetime | None
    sha256: str | None = Field(description="The SHA-256 of the published content, as printed on the pack.")


class BoardPackDetailOut(BoardPackOut):
    assurance_reason: str
    recommendation: str
    baf_risks: list[str]
    executive_lead: str
    author: str
    content_sha256: str = Field(
        description="The SHA-256 of `content`: the published pack's, or a draft's as it would be published now."
    )
    content: dict[str, Any] = Field(
        description="The whole pack as JSON: frozen when published, worked out now for a draft."
    )


class PackFilters(Schema):
    status: str | None = Field(None, pattern="^(draft|published)$", description="draft or published.")


def _pack(pack: BoardPack) -> dict[str, Any]:
    return {
        "id": pack.pk,
        "title": pack.title,
        "meeting": pack.meeting,
        "meeting_date": pack.meeting_date,
        "purpose": pack.purpose,
        "assurance_level": pack.assurance_level,
        "status": pack.status,
        "published_at": pack.published_at,
        "sha256": pack.content_hash or None,
    }


@router.get("/board-packs", response=responses({200: Page[BoardPackOut]}), summary="Board packs")
def list_board_packs(
    request: ApiRequest, filters: Query[PackFilters], limit: Limit = 50, offset: Offset = 0
) -> dict[str, Any]:
    """The organisation's board packs as on the packs page: published ones, and drafts too for
    those who prepare packs."""
    require(request, Action.VIEW)
    rows = BoardPack.objects.for_organisation(request.organisation)
    if not can_prepare(request):  # type: ignore[arg-type]
        rows = rows.published()
    if filters.status:
        rows = rows.filter(status=filters.status)
    return paged(request, rows, limit, offset, _pack)


@router.get("/board-packs/{pack_id}", response=responses({200: BoardPackDetailOut}), summary="A board pack")
def get_board_pack(request: ApiRequest, response: HttpResponse, pack_id: Id) -> dict[str, Any]:
    require(request, Action.VIEW)
    pack = readable_pack(request, pack_id)  # type: ignore[arg-type]
    content, digest = pack_outputs.pack_content(pack)
    response[SHA_HEADER] = digest
    return {
        **_pack(pack),
        "assurance_reason": pack.assurance_reason,
        "recommendation": pack.recommendation,
        "baf_risks": [line.strip() for line in pack.baf_risks.splitlines() if line.strip()],
        "executive_lead": pack.executive_lead,
        "author": pack.author,
        "content_sha256": digest,
        "content": content,
    }


# The files -----------------------------------------------------------------------------------


def _file_answer(media_type: str, what: str) -> dict[str, Any]:
    """The OpenAPI description of a file answer: the bytes, and the headers that come with them."""
    return {
        "responses": {
            200: {
                "description": what,
                "content": {media_type: {"schema": {"type": "string", "format": "binary"}}},
                "headers": {
                    SHA_HEADER: {
                        "description": "The SHA-256 of the pack's content, as printed on the pack.",
                        "schema": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                    },
                    "Content-Disposition": {
                        "description": "attachment, with a file name from the meeting date and the pack's id.",
                        "schema": {"type": "string"},
                    },
                },
            }
        }
    }


def _file(request: ApiRequest, pack_id: int, extension: str, media_type: str) -> HttpResponse:
    require(request, Action.VIEW)
    pack = readable_pack(request, pack_id)  # type: ignore[arg-type]
    # Read once: the file and the header must carry the same digest, and a draft's content (its
    # charts' element ids) differs each time it is worked out.
    content, digest = pack_outputs.pack_content(pack)
    draft = not pack.is_published
    if extension == "xlsx":
        body: bytes | str = pack_outputs.xlsx_of(content, digest)
    elif extension == "pdf":
        body = pack_outputs.pdf_of(pack_outputs.html_of(content, digest, draft=draft))
    else:
        body = pack_outputs.html_of(content, digest, draft=draft)
    response = HttpResponse(body, content_type=media_type)
    response["Content-Disposition"] = (
        f'attachment; filename="board-pack-{pack.meeting_date.isoformat()}-{pack.pk}.{extension}"'
    )
    response[SHA_HEADER] = digest
    return response


@router.get(
    "/board-packs/{pack_id}/pdf",
    response=responses({}),
    openapi_extra=_file_answer("application/pdf", "The pack as a PDF, as the pack page prints it."),
    summary="A board pack as PDF",
)
def get_board_pack_pdf(request: ApiRequest, pack_id: Id) -> HttpResponse:
    return _file(request, pack_id, "pdf", "application/pdf")


@router.get(
    "/board-packs/{pack_id}/xlsx",
    response=responses({}),
    openapi_extra=_file_answer(XLSX, "The pack as a workbook, a sheet a section, as the pack page gives it."),
    summary="A board pack as a workbook (XLSX)",
)
def get_board_pack_xlsx(request: ApiRequest, pack_id: Id) -> HttpResponse:
    return _file(request, pack_id, "xlsx", XLSX)


@router.get(
    "/board-packs/{pack_id}/html",
    response=responses({}),
    openapi_extra=_file_answer("text/html", "The pack as the HTML its PDF is printed from."),
    summary="A board pack as HTML",
)
def get_board_pack_html(request: ApiRequest, pack_id: Id) -> HttpResponse:
    return _file(request, pack_id, "html", "text/html; charset=utf-8")
