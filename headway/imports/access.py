"""Who may open the import pages, and the uploads within the organisation (another's is a 404)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from headway.imports.kinds import KINDS
from headway.imports.models import Upload
from headway.imports.plan import Kind
from headway.views import MemberRequest, scoped_get


def kinds_for(request: HttpRequest) -> list[type[Kind]]:
    """The kinds the person's role may import here."""
    membership = getattr(request, "membership", None)
    if membership is None:
        return []
    return [kind for kind in KINDS.values() if kind.allowed(membership.role)]


def can_import(request: HttpRequest) -> bool:
    return bool(kinds_for(request))


def require_import(request: MemberRequest) -> list[type[Kind]]:
    kinds = kinds_for(request)
    if not kinds:
        raise PermissionDenied(f"Your role ({request.membership.get_role_display()}) cannot import data.")
    return kinds


def get_upload(request: MemberRequest, pk: int) -> tuple[Upload, type[Kind]]:
    """An upload of this organisation whose kind the person may import."""
    upload = scoped_get(request, Upload.objects.select_related("uploaded_by", "imported_by"), pk)
    allowed = {kind.slug: kind for kind in require_import(request)}
    if upload.kind not in allowed:
        raise PermissionDenied("Your role cannot import this kind of data.")
    return upload, allowed[upload.kind]
