"""The portfolio office's page for the export aligned with the programme and project data
standard (`assurance.data_standard`, ADR 34): what it holds, the coverage statement, and the
workbook and JSON downloads."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from headway import downloads
from headway.accounts.roles import Action
from headway.assurance import data_standard
from headway.views import MemberRequest, member_required

FORMATS = {"xlsx": "Spreadsheet (XLSX)", "json": "JSON"}


@member_required(Action.PREPARE_BOARD_PACKS)
def data_standard_page(request: MemberRequest) -> HttpResponse:
    organisation = request.organisation
    today = timezone.localdate()
    asked = request.GET.get(downloads.FORMAT)
    if asked is not None and asked not in FORMATS:
        problem = f"Format: ‘{asked}’ is not a format this export comes in. Choose XLSX or JSON."
        return downloads.refused(request, problems=[problem], back=request.path)
    name = downloads.filename(organisation, "data-standard", today, asked or "")
    if asked == "xlsx":
        return downloads.respond(data_standard.xlsx(organisation, today), fmt="xlsx", name=name)
    if asked == "json":
        response = HttpResponse(data_standard.as_json(organisation, today), content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "private, no-store"
        return response
    found = data_standard.build(organisation, today)
    return render(
        request,
        "assurance/data_standard.html",
        {
            "version": data_standard.SCHEMA_VERSION,
            "standard": data_standard.STANDARD,
            "tables": [(t.entity, len(t.rows)) for t in found],
            "coverage": data_standard.coverage(found)[1:],
            "formats": [(label, f"?{downloads.FORMAT}={key}") for key, label in FORMATS.items()],
        },
    )
