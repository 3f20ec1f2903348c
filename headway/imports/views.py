"""The import pages: choose what to import and download its template; upload a file; see what it
would create and change (opening the preview writes nothing); then import it, all or nothing."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from headway.accounts.roles import Action
from headway.imports import actions, blanks
from headway.imports.access import get_upload, require_import
from headway.imports.forms import ConfirmForm, UploadForm
from headway.imports.models import Upload
from headway.imports.plan import CHANGE, CREATE, ImportRefused, Plan, StalePreview, preview
from headway.imports.presenters import problems_heading
from headway.lib.tables import MAX_BYTES
from headway.views import MemberRequest, member_required, posted, saved, unless_posted

#: Rows listed on the preview page in each of its tables; the counts cover every row.
SHOWN = 300
MAX_LISTED_PROBLEMS = 100


@member_required(Action.VIEW)
def start(request: MemberRequest) -> HttpResponse:
    kinds = require_import(request)
    form = UploadForm(posted(request), request.FILES if request.method == "POST" else None, kinds=kinds)
    # Not through `views.saved`: its retry key is made from the posted fields, which leave out the
    # file, so a second file sent from the same page would be answered as the first. Storing an
    # upload twice is harmless (it only replaces the person's waiting one), and saves no record.
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        if file.size is not None and file.size > MAX_BYTES:
            form.add_error("file", f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
        else:
            upload = actions.store_upload(
                organisation=request.organisation,
                by=request.user,
                kind=form.cleaned_data["kind"],
                filename=file.name or "upload",
                data=file.read(),
            )
            return redirect("imports:preview", upload.pk)
    recent = Upload.objects.for_organisation(request.organisation).filter(imported_at__isnull=False)
    waiting = Upload.objects.for_organisation(request.organisation).filter(
        uploaded_by=request.user, imported_at__isnull=True, kind__in=[kind.slug for kind in kinds]
    )
    return render(
        request,
        "imports/start.html",
        {
            "form": form,
            "kinds": kinds,
            "recent": recent.select_related("imported_by").defer("data")[:10],
            "waiting": waiting.defer("data")[:1],
        },
    )


@member_required(Action.VIEW)
def template(request: MemberRequest, kind: str, fmt: str) -> HttpResponse:
    allowed = {k.slug: k for k in require_import(request)}
    chosen = allowed.get(kind)
    if chosen is None or fmt not in ("csv", "xlsx"):
        raise Http404("There is no such template.")
    if fmt == "csv":
        response = HttpResponse(blanks.csv_template(chosen), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            blanks.xlsx_template(chosen),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="headway-{chosen.slug}-template.{fmt}"'
    return response


def _page(
    request: MemberRequest, upload: Upload, kind: type, plan: Plan, form: ConfirmForm, refused: list[str]
) -> HttpResponse:
    created = [item for item in plan.items if item.outcome == CREATE]
    changed = [item for item in plan.items if item.outcome == CHANGE]
    problems = plan.problems[:MAX_LISTED_PROBLEMS]
    return render(
        request,
        "imports/preview.html",
        {
            "upload": upload,
            "kind": kind,
            "plan": plan,
            "form": form,
            "refused": refused,
            "created": created[:SHOWN],
            "created_more": max(len(created) - SHOWN, 0),
            "changed": changed[:SHOWN],
            "changed_more": max(len(changed) - SHOWN, 0),
            "problems": problems,
            "problems_more": max(len(plan.problems) - MAX_LISTED_PROBLEMS, 0),
            "problems_heading": problems_heading(len(plan.problems)),
            "can_confirm": upload.imported_at is None and not plan.problems and (plan.created or plan.changed),
        },
    )


def _plan(request: MemberRequest, upload: Upload, kind: type) -> Plan:
    return preview(
        organisation=request.organisation,
        kind=kind,
        data=bytes(upload.data),
        filename=upload.filename,
        today=timezone.localdate(),
    )


def _file_removed(request: MemberRequest, upload: Upload, kind: type) -> HttpResponse:
    """An import whose file has been let go (`remove_old_import_files`): what it did, not a preview."""
    return render(request, "imports/file_removed.html", {"upload": upload, "kind": kind})


@member_required(Action.VIEW)
def preview_page(request: MemberRequest, pk: int) -> HttpResponse:
    upload, kind = get_upload(request, pk)
    if upload.file_removed_at is not None:
        return _file_removed(request, upload, kind)
    plan = _plan(request, upload, kind)
    form = ConfirmForm(initial={"seen": plan.fingerprint})
    form.offer_submission()
    return _page(request, upload, kind, plan, form, [])


STALE = (
    "What Headway holds has changed since you opened this preview, so nothing was imported. The preview "
    "below shows what importing the file would do now: check it, and import again if it is right."
)


@member_required(Action.VIEW)
def confirm(request: MemberRequest, pk: int) -> HttpResponse:
    upload, kind = get_upload(request, pk)
    if (elsewhere := unless_posted(request, "imports:preview", pk)) is not None:
        return elsewhere
    if upload.file_removed_at is not None:  # imported long ago: nothing to import again
        return _file_removed(request, upload, kind)
    form = ConfirmForm(request.POST)

    def do_import() -> Plan:
        try:
            return actions.import_upload(upload=upload, by=request.user, fingerprint=form.cleaned_data["seen"])
        except actions.AlreadyImported:
            raise ValidationError(
                f"{upload.filename} has already been imported, so it was not imported again. Upload the file "
                "again to see what it would change now."
            ) from None
        except StalePreview:
            raise ValidationError(STALE) from None
        except ImportRefused as refused:
            raise ValidationError([str(p) for p in refused.problems[:MAX_LISTED_PROBLEMS]]) from None

    done = saved(
        request,
        form,
        do_import,
        message=lambda plan: f"{upload.filename} has been imported: {plan.summary()}.",
        to=reverse("imports:preview", args=[pk]),
    )
    if done is not None:
        return done
    refused = [str(message) for message in form.non_field_errors()] or [
        str(message) for errors in form.errors.values() for message in errors
    ]
    upload.refresh_from_db()
    plan = _plan(request, upload, kind)
    fresh = ConfirmForm(initial={"seen": plan.fingerprint})
    fresh.offer_submission()
    return _page(request, upload, kind, plan, fresh, refused)
