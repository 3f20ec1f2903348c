"""The organisation's export as a download for whoever administers it (ADR 35)."""

from __future__ import annotations

from django.http import StreamingHttpResponse
from django.utils import timezone

from headway.accounts.roles import Action
from headway.transfer.export import streamed_export
from headway.views import MemberRequest, member_required


@member_required(Action.ADMINISTER)
def download(request: MemberRequest) -> StreamingHttpResponse:
    """The same document as `export_organisation`. It names people and their email addresses, so
    only the portfolio office (who administers the organisation) may take it."""
    organisation = request.organisation
    # Streamed as it is read (about 130 MB for a trust of 2,000 initiatives with two years of
    # weekly checkpoints), so a web worker never holds the whole document.
    name = f"{organisation.ods_code}-headway-export-{timezone.localdate():%Y-%m-%d}.json"
    response = StreamingHttpResponse(streamed_export(organisation), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
