"""Announcement pages: staff draft, executives approve and sign, everyone permitted reads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from lao_integrity import history
from lao_integrity.downloads import pdf_attachment, pdf_or_preview
from lao_integrity.orgs import access
from lao_integrity.pagecache import cached_page, owner
from lao_integrity.paging import paginate
from lao_integrity.review import selectors as review_selectors
from lao_integrity.review import states as review_states
from lao_integrity.review import views as review_views
from lao_integrity.review.workflow import LOCKED_MESSAGE
from lao_integrity.saving import run_action, save_form, show_errors
from lao_integrity.submissions.once import once_per_submission

from . import documents, fragments, kinds, selectors, services
from .forms import AnnouncementCreateForm, AnnouncementForm
from .models import Announcement, Kind, Status


def _announcement(request, pk, *, edit=False) -> Announcement:
    return access.get_for(request, selectors.announcement_for_page, pk=pk, edit=edit)


def _detail_url(announcement: Announcement) -> str:
    return reverse("announcements:detail", args=[announcement.pk])


@login_required
@cached_page
@once_per_submission
def announcement_list(request):
    if request.method == "POST":
        access.require_edit_any(request.user)
    editable = access.editable_organisations(request.user)
    form = AnnouncementCreateForm(request.POST or None, organisations=editable,
                                  initial={"kind": request.GET.get("kind", Kind.OTHER)})
    if request.method == "POST" and form.is_valid():
        organisation, kind = form.cleaned_data["organisation"], form.cleaned_data["kind"]
        fiscal_year = form.cleaned_data["fiscal_year"]
        existing = None
        if kind != Kind.OTHER:
            existing = selectors.latest_announcement(organisation, kind, fiscal_year)
        if existing is not None:
            # One announcement per kind and year: open the one there is instead of a duplicate.
            if existing.is_signed:
                messages.info(request, "มีประกาศนี้ที่ลงนามแล้ว หากต้องการเปลี่ยนแปลงให้จัดทำฉบับปรับปรุง")
            return redirect("announcements:detail", pk=existing.pk)
        try:
            announcement = services.announcement_create(organisation=organisation, kind=kind,
                                                        fiscal_year=fiscal_year, user=request.user)
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, "สร้างร่างประกาศจากข้อความมาตรฐานแล้ว ตรวจและแก้ไขได้เลย")
            return redirect("announcements:edit", pk=announcement.pk)
    kind = request.GET.get("kind") if request.GET.get("kind") in Kind.values else None
    page = paginate(request, selectors.announcements_for_user(request.user, kind=kind))
    return render(request, "announcements/list.html", {
        "page": page, "announcements": page.object_list, "rows": fragments.list_rows(page.object_list), "form": form,
        "can_create": form.fields["organisation"].any_organisation,
        "kinds": Kind.choices, "kind": kind,
    })


@login_required
@cached_page(organisation=owner(Announcement))
def announcement_detail(request, pk):
    announcement = _announcement(request, pk)
    blocking, warnings = ([], []) if announcement.is_signed else documents.problems(announcement)
    organisation = announcement.organisation
    return render(request, "announcements/detail.html", {
        "announcement": announcement, "blocking": blocking, "warnings": warnings, "confirm": CONFIRM,
        "can_edit": access.can_edit(request.user, organisation),
        "can_approve": access.can_approve(request.user, organisation),
        "approvable": announcement.status in review_states.OPEN,
        "content": documents.filled(announcement),
        "signer": documents.signer_lines(announcement),
        "history": history.for_page(request.user, organisation, history.object_history(announcement)),
        "notices": _notices(announcement),
        "review": review_selectors.panel(announcement, request.user, organisation, urls={
            step: reverse(f"announcements:{step}", args=[announcement.pk]) for step in ("submit", "withdraw", "return")}),
    })


def _notices(announcement: Announcement) -> list[str]:
    """What the kind's app says about this announcement (kinds.register_hooks); not for one
    already replaced by a newer revision."""
    hook = kinds.template_for(announcement.kind).notices
    if hook is None or getattr(announcement, "replaced_by", None) is not None:
        return []
    return hook(announcement)


@login_required
def announcement_edit(request, pk):
    announcement = _announcement(request, pk, edit=True)
    if announcement.is_signed:
        messages.error(request, "ประกาศที่ลงนามแล้วแก้ไขไม่ได้ หากต้องการเปลี่ยนแปลงให้จัดทำฉบับปรับปรุง")
        return redirect("announcements:detail", pk=announcement.pk)
    if announcement.status == Status.SUBMITTED:
        messages.error(request, LOCKED_MESSAGE)
        return redirect("announcements:detail", pk=announcement.pk)
    form = AnnouncementForm(request.POST or None, instance=announcement)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.fields if name != "version"}
        was_approved = announcement.status == Status.APPROVED
        saved = save_form(request, form, lambda: services.announcement_update(
            announcement=announcement, user=request.user, expected_version=form.cleaned_data["version"], **changes),
            message="บันทึกแล้ว" + (" ประกาศกลับเป็นร่าง ต้องอนุมัติใหม่" if was_approved else ""),
            to=reverse("announcements:detail", args=[announcement.pk]))
        if saved:
            return saved
    return render(request, "announcements/form.html", {"announcement": announcement, "form": form})


# What each button that cannot be undone freezes: the label of its box and, refused without it, the question.
CONFIRM = {
    "approve": "ยืนยันการอนุมัติ: เมื่ออนุมัติแล้ว ประกาศจะรอลงนาม หากแก้ไขอีกต้องอนุมัติใหม่",
    "sign": "ยืนยันการลงนาม: เมื่อลงนามแล้ว ประกาศและ PDF จะถูกตรึง แก้ไขไม่ได้",
    "delete": "ยืนยันการลบ: ร่างประกาศนี้จะถูกลบถาวร กู้คืนไม่ได้",
}


def _confirm(kind: str) -> dict[str, str]:
    return {kind: CONFIRM[kind]}


def _transition(request, pk, service, success: str, *, approve=True, edit=False, confirm=None):
    announcement = _announcement(request, pk)
    if approve:
        access.require_approve(request.user, announcement.organisation)
    if edit:
        access.require_edit(request.user, announcement.organisation)
    return run_action(request, lambda: service(announcement=announcement, user=request.user), message=success,
                      to=_detail_url, refused=_detail_url(announcement), confirm=confirm)


@login_required
@require_POST
@once_per_submission
def announcement_approve(request, pk):
    return _transition(request, pk, services.announcement_approve, "อนุมัติแล้ว รอลงนาม",
                       confirm=_confirm("approve"))


@login_required
@require_POST
@once_per_submission
def announcement_sign(request, pk):
    return _transition(request, pk, services.announcement_sign,
                       "ลงนามแล้ว ระบบจัดเก็บไฟล์ PDF พร้อมค่า SHA-256 ไว้แล้ว", confirm=_confirm("sign"))


@login_required
@require_POST
@once_per_submission
def announcement_revise(request, pk):
    return _transition(request, pk, services.announcement_revise,
                       "สร้างฉบับปรับปรุงแล้ว ประกาศเดิมยังคงอยู่จนกว่าฉบับนี้จะลงนาม", approve=False, edit=True)


@login_required
@require_POST
@once_per_submission
def announcement_submit(request, pk):
    announcement = _announcement(request, pk, edit=True)
    return review_views.submit(request, lambda **posted: services.announcement_submit(
        announcement=announcement, user=request.user, **posted), to=_detail_url(announcement))


@login_required
@require_POST
@once_per_submission
def announcement_withdraw(request, pk):
    announcement = _announcement(request, pk, edit=True)
    return review_views.withdraw(request, lambda **posted: services.announcement_withdraw(
        announcement=announcement, user=request.user, **posted), to=_detail_url(announcement))


@login_required
@require_POST
@once_per_submission
def announcement_return(request, pk):
    announcement = access.get_for(request, selectors.announcement_for_page, pk=pk, approve=True)
    return review_views.send_back(request, lambda **posted: services.announcement_return(
        announcement=announcement, user=request.user, **posted), to=_detail_url(announcement))


@login_required
@require_POST
def announcement_delete(request, pk):
    announcement = _announcement(request, pk, edit=True)
    return run_action(request, lambda: services.announcement_delete(announcement=announcement, user=request.user),
                      message="ลบร่างประกาศแล้ว", to=reverse("announcements:list"),
                      refused=_detail_url(announcement), confirm=_confirm("delete"))


@login_required
def announcement_document(request, pk):
    """The signed PDF as stored; a draft is rendered afresh. ?preview=1 gives the HTML."""
    announcement = _announcement(request, pk)
    if request.GET.get("preview"):
        return HttpResponse(documents.announcement_html(announcement, request=request))
    filename = f"announcement-{announcement.organisation.code}-{announcement.kind}-{announcement.pk}.pdf"
    if announcement.is_signed:
        try:
            return pdf_attachment(services.verified_pdf(announcement), filename=filename)
        except ValidationError as error:
            show_errors(request, error)
            return redirect("announcements:detail", pk=announcement.pk)
    return pdf_attachment(documents.announcement_pdf(announcement), filename="draft-" + filename)


@login_required
def announcement_poster(request, pk):
    announcement = _announcement(request, pk)
    if announcement.kind != Kind.NO_GIFT:
        raise Http404
    return pdf_or_preview(request, html=lambda: documents.poster_html(announcement, request=request),
                          pdf=lambda: documents.poster_pdf(announcement),
                          filename=f"no-gift-poster-{announcement.organisation.code}-{announcement.fiscal_year}.pdf")
