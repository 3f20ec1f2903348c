"""The organisation's export as a download for whoever administers it (ADR 35)."""

from __future__ import annotations

import io

from django.http import HttpResponse
from django.utils import timezone

from headway.accounts.roles import Action
from headway.transfer.export import write_export
from headway.views import MemberRequest, member_required


@member_required(Action.ADMINISTER)
def download(request: MemberRequest) -> HttpResponse:
    """The same document as `export_organisation`. It names people and their email addresses, so
    only the portfolio office (who administers the organisation) may take it."""
    organisation = request.organisation
    # Built in memory (about 100 MB for a trust of 2,000 initiatives with two years of weekly
    # checkpoints); the command streams to a file for anything larger.
    out = io.StringIO()
    write_export(organisation, out)
    name = f"{organisation.ods_code}-headway-export-{timezone.localdate():%Y-%m-%d}.json"
    response = HttpResponse(out.getvalue().encode("utf-8"), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
