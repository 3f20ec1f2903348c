"""Board packs through the API (read and download): as on the pages, everyone reads published
packs and only those who prepare them see drafts (ADR 28). A published pack's content is the
frozen JSON and its hash; the PDF and workbook are the pages' own files."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpResponse
from ninja import Router, Schema
from pydantic import Field

from headway.api.auth import ApiRequest
from headway.api.portfolio import Id, Limit, Offset
from headway.api.schemas import Page, paged, responses
from headway.assurance import pack_outputs
from headway.assurance.models import BoardPack
from headway.assurance.pack_views import can_prepare, get_pack

router = Router(tags=["Board packs"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The operations that answer with a file, and its media type (main.py puts them in the document).
FILES = {"download_pack_pdf": "application/pdf", "download_pack_xlsx": XLSX}


class PackOut(Schema):
    id: int
    title: str
    meeting: str
    meeting_date: dt.date
    status: str = Field(description="draft or published.")
    published_at: dt.datetime | None
    content_hash: str = Field(description="SHA-256 of the frozen content, once published.")


class PackDetailOut(PackOut):
    content: dict[str, Any] = Field(description="The pack's content: frozen when published, as it stands for a draft.")


def _pack(pack: BoardPack) -> dict[str, Any]:
    return {
        "id": pack.pk,
        "title": pack.title,
        "meeting": pack.meeting,
        "meeting_date": pack.meeting_date,
        "status": pack.status,
        "published_at": pack.published_at,
        "content_hash": pack.content_hash,
    }


@router.get("/board-packs", response=responses({200: Page[PackOut]}), summary="Board packs, newest first")
def list_packs(request: ApiRequest, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    packs = BoardPack.objects.for_organisation(request.organisation)
    if not can_prepare(request):  # type: ignore[arg-type]
        packs = packs.published()
    return paged(request, packs.order_by("-meeting_date", "-pk"), limit, offset, _pack)


@router.get("/board-packs/{pack_id}", response=responses({200: PackDetailOut}), summary="A board pack")
def get_board_pack(request: ApiRequest, pack_id: Id) -> dict[str, Any]:
    pack = get_pack(request, pack_id)  # type: ignore[arg-type]
    content, digest = pack_outputs.pack_content(pack)
    return {**_pack(pack), "content_hash": digest, "content": content}


def _filename(pack: BoardPack, extension: str) -> str:
    return f"board-pack-{pack.meeting_date.isoformat()}-{pack.pk}.{extension}"


@router.get(
    "/board-packs/{pack_id}/pdf",
    response=responses({}),
    summary="A board pack as PDF",
)
def download_pack_pdf(request: ApiRequest, pack_id: Id) -> HttpResponse:
    pack = get_pack(request, pack_id)  # type: ignore[arg-type]
    response = HttpResponse(pack_outputs.pdf(pack), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(pack, "pdf")}"'
    return response


@router.get(
    "/board-packs/{pack_id}/xlsx",
    response=responses({}),
    summary="A board pack as a workbook",
)
def download_pack_xlsx(request: ApiRequest, pack_id: Id) -> HttpResponse:
    pack = get_pack(request, pack_id)  # type: ignore[arg-type]
    response = HttpResponse(pack_outputs.xlsx(pack), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_filename(pack, "xlsx")}"'
    return response
