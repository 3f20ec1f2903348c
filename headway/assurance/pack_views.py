"""The board pack pages: the list, a pack (page, PDF, workbook), drafting and publishing (ADR 28).

Everyone in the organisation reads published packs; only those who prepare board packs (the
portfolio office) see drafts, which are "not found" to everyone else."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from headway.accounts.people import names_of
from headway.accounts.roles import Action
from headway.assurance import pack_actions, pack_outputs
from headway.assurance.forms import BoardPackForm
from headway.assurance.models import BoardPack
from headway.history import history_entries
from headway.views import MemberRequest, can_do, member_required, page_of, posted, saved, scoped_get, unless_posted


def can_prepare(request: MemberRequest) -> bool:
    return can_do(request, Action.PREPARE_BOARD_PACKS)


def get_pack(request: MemberRequest, pk: int) -> BoardPack:
    """A pack of the organisation the person may read: published, or any for those who prepare them."""
    pack = scoped_get(request, BoardPack.objects.all(), pk)
    if not pack.is_published and not can_prepare(request):
        raise Http404("No such board pack.")
    return pack


def get_draft(request: MemberRequest, pk: int) -> BoardPack:
    pack = get_pack(request, pk)
    if pack.is_published:
        raise PermissionDenied(pack_actions.ALREADY_PUBLISHED)
    return pack


@member_required(Action.VIEW)
def pack_list(request: MemberRequest) -> HttpResponse:
    packs = BoardPack.objects.for_organisation(request.organisation)
    if not can_prepare(request):
        packs = packs.published()
    return render(request, "assurance/pack_list.html", {"packs": list(packs), "can_prepare": can_prepare(request)})


@member_required(Action.VIEW)
def pack_detail(request: MemberRequest, pk: int) -> HttpResponse:
    pack = get_pack(request, pk)
    content, digest = pack_outputs.pack_content(pack)
    return render(
        request,
        "assurance/pack_detail.html",
        {
            "pack": pack,
            "p": pack_outputs.words(content, digest, draft=not pack.is_published),
            "can_prepare": can_prepare(request),
        },
    )


def _filename(pack: BoardPack, extension: str) -> str:
    return f"board-pack-{pack.meeting_date.isoformat()}-{pack.pk}.{extension}"


@member_required(Action.VIEW)
def pack_pdf(request: MemberRequest, pk: int) -> HttpResponse:
    pack = get_pack(request, pk)
    response = HttpResponse(pack_outputs.pdf(pack), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(pack, "pdf")}"'
    return response


@member_required(Action.VIEW)
def pack_xlsx(request: MemberRequest, pk: int) -> HttpResponse:
    pack = get_pack(request, pk)
    response = HttpResponse(
        pack_outputs.xlsx(pack), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(pack, "xlsx")}"'
    return response


@member_required(Action.PREPARE_BOARD_PACKS)
def pack_new(request: MemberRequest) -> HttpResponse:
    form = BoardPackForm(posted(request), organisation=request.organisation)
    back = reverse("portfolio:packs")
    done = saved(
        request,
        form,
        lambda: pack_actions.create_pack(organisation=request.organisation, by=request.user, fields=form.cleaned_data),
        lambda pack: f'The draft "{pack.title}" has been saved. Check it, then publish it.',
        lambda pack: reverse("portfolio:pack", args=[pack.pk]),
    )
    return done or render(request, "assurance/pack_form.html", {"form": form, "pack": None, "back": back})


@member_required(Action.PREPARE_BOARD_PACKS)
def pack_edit(request: MemberRequest, pk: int) -> HttpResponse:
    pack = get_draft(request, pk)
    form = BoardPackForm(posted(request), instance=pack, organisation=request.organisation)
    back = reverse("portfolio:pack", args=[pack.pk])
    done = saved(
        request,
        form,
        lambda: pack_actions.update_pack(pack=pack, by=request.user, fields=form.cleaned_data),
        "The cover sheet has been saved.",
        back,
    )
    return done or render(request, "assurance/pack_form.html", {"form": form, "pack": pack, "back": back})


@member_required(Action.PREPARE_BOARD_PACKS)
def pack_publish(request: MemberRequest, pk: int) -> HttpResponse:
    pack = get_pack(request, pk)
    if (back := unless_posted(request, "portfolio:pack", pk=pack.pk)) is not None:
        return back
    if pack.is_published:  # a second click, or someone else published it first
        messages.info(request, f'"{pack.title}" was already published.')
    else:
        pack_actions.publish_pack(pack=pack, by=request.user)
        messages.success(request, f'"{pack.title}" has been published. It will not change from now on.')
    return redirect("portfolio:pack", pk=pack.pk)


@member_required(Action.PREPARE_BOARD_PACKS)
def pack_history(request: MemberRequest) -> HttpResponse:
    """Every change to the organisation's packs: drafted, cover sheet edited, published."""
    sources = [(BoardPack, BoardPack.history.filter(organisation_id=request.organisation.pk))]  # type: ignore[attr-defined]
    entries = history_entries(
        sources, names_of(request.organisation.pk), describe=lambda _, r: f"Board pack: {r.title}"
    )
    return render(request, "assurance/pack_history.html", {"page": page_of(request, entries, 30)})
