"""Pages of the organisation-level agreement: the list, the annex as it will print, topic forms.

Views check access, call a service or selector and render. Staff and executives edit their own
organisations' agreements; auditors read (403 on writes); other organisations' are 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from lao_integrity import history, thai
from lao_integrity.announcements.models import Status
from lao_integrity.orgs import access
from lao_integrity.pagecache import cached_page, owner
from lao_integrity.paging import paginate
from lao_integrity.saving import run_action, save_form
from lao_integrity.submissions.once import once_per_submission

from . import documents, selectors, services
from .forms import IntroductionForm, ItemFormSet, OrgAgreementCreateForm, TopicForm, item_rows
from .models import OrgAgreement, Topic, TopicItem

APPROVAL_WITHDRAWN = "ประกาศที่อนุมัติแล้วกลับเป็นร่าง เพราะรายละเอียดแนบท้ายเปลี่ยน ต้องอนุมัติใหม่"


def _agreement(request, pk, *, edit=False) -> OrgAgreement:
    return access.get_for(request, selectors.org_agreement_for_page, pk=pk, edit=edit)


def _topic(request, pk, *, edit=False) -> Topic:
    return access.get_for(request, selectors.topic_for_page, pk=pk, edit=edit,
                          organisation=lambda topic: topic.agreement.organisation)


def _announcement_was_approved(agreement: OrgAgreement) -> bool:
    announcement = selectors.agreement_announcement(agreement)
    return announcement is not None and announcement.status == Status.APPROVED


def _withdrawn(agreement: OrgAgreement) -> str:
    """The warning a change shows when it withdraws the annex announcement's approval (asked before it)."""
    return APPROVAL_WITHDRAWN if _announcement_was_approved(agreement) else ""


def _saved(request, agreement: OrgAgreement, message: str, *, was_approved: bool) -> None:
    messages.success(request, message)
    if was_approved:
        messages.warning(request, APPROVAL_WITHDRAWN)


def _detail_url(agreement_id: int, topic_id: int | None = None) -> str:
    url = reverse("agreements:org_detail", args=[agreement_id])
    return f"{url}#t{topic_id}" if topic_id else url


@login_required
@cached_page
@once_per_submission
def org_agreement_list(request):
    if request.method == "POST":
        access.require_edit_any(request.user)
    editable = access.editable_organisations(request.user)
    form = OrgAgreementCreateForm(request.POST or None, organisations=editable,
                                  initial={"fiscal_year": thai.fiscal_year(timezone.localdate()) + 1})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def created(agreement) -> str:
            source = (f"คัดลอกจากข้อตกลงปี {agreement.copied_from.fiscal_year}" if agreement.copied_from
                      else "เริ่มจากรายละเอียดแนบท้ายที่กำหนด")
            return f"สร้างข้อตกลงปีงบประมาณ {agreement.fiscal_year} แล้ว ({source}) ตรวจและแก้ไขหัวข้อได้เลย"

        saved = save_form(request, form, lambda: services.org_agreement_create(
            organisation=data["organisation"], fiscal_year=data["fiscal_year"],
            start_from=data["start_from"], user=request.user),
            message=created, to=lambda agreement: _detail_url(agreement.pk))
        if saved:
            return saved
    page = paginate(request, selectors.org_agreements_for_user(request.user))
    agreements = selectors.with_topic_counts(page.object_list)
    announcements = selectors.announcements_for_agreements(agreements)
    rows = [(a, announcements.get((a.organisation_id, a.fiscal_year))) for a in agreements]
    return render(request, "agreements/organisation/list.html", {
        "page": page, "rows": rows, "form": form, "can_create": editable.exists(),
    })


def _detail_context(request, agreement: OrgAgreement, **extra) -> dict:
    can_edit = access.can_edit(request.user, agreement.organisation)
    announcement = selectors.agreement_announcement(agreement)
    return {
        "agreement": agreement, "org": agreement.organisation,
        "annex": documents.annex_context(agreement),
        "problems": documents.structure_problems(agreement),
        "announcement": announcement,
        "can_edit": can_edit,
        "next_year_exists": selectors.next_year_exists(agreement),
        "intro_form": extra.pop("intro_form", None) or (
            IntroductionForm(initial={"introduction": agreement.introduction, "version": agreement.version})
            if can_edit else None),
        "history": _org_history(request, agreement),
        **extra,
    }


def _org_history(request, agreement: OrgAgreement) -> list | None:
    """The audit trail of the agreement, its topics and their sub-items (executives and auditors)."""
    if not access.can_see_history(request.user, agreement.organisation):
        return None
    topics = Topic.history.filter(agreement_id=agreement.pk)
    return history.trail(history.object_history(agreement), topics,
                         TopicItem.history.filter(topic_id__in=topics.values("id")))


@login_required
@cached_page(organisation=owner(OrgAgreement))
def org_agreement_detail(request, pk):
    """The annex as it will print; a POST saves the introduction."""
    agreement = _agreement(request, pk, edit=request.method == "POST")
    intro_form = None
    if request.method == "POST":
        intro_form = IntroductionForm(request.POST, initial={"version": agreement.version})
        if intro_form.is_valid():
            saved = save_form(request, intro_form, lambda: services.org_agreement_update(
                agreement=agreement, user=request.user, introduction=intro_form.cleaned_data["introduction"],
                expected_version=intro_form.cleaned_data["version"]),
                message="บันทึกความนำแล้ว", to=_detail_url(agreement.pk), warning=_withdrawn(agreement))
            if saved:
                return saved
    return render(request, "agreements/organisation/detail.html", _detail_context(request, agreement, intro_form=intro_form))


@login_required
@require_POST
@once_per_submission
def org_agreement_copy(request, pk):
    agreement = _agreement(request, pk, edit=True)
    return run_action(request, lambda: services.org_agreement_copy(agreement=agreement, user=request.user),
                      message=lambda new: f"สร้างข้อตกลงปีงบประมาณ {new.fiscal_year} จากปี {agreement.fiscal_year} แล้ว",
                      to=lambda new: _detail_url(new.pk), refused=_detail_url(agreement.pk))


def _topic_page(request, agreement: OrgAgreement, topic: Topic | None):
    """Add (topic=None) or edit a topic with its sub-items on one page."""
    if request.method == "POST":
        form = TopicForm(request.POST, creating=topic is None,
                         initial={"version": topic.version} if topic is not None else None)
        items = ItemFormSet(request.POST, prefix="item")
        if form.is_valid() and items.is_valid():
            data = {"title": form.cleaned_data["title"], "explanation": form.cleaned_data["explanation"],
                    "items": item_rows(items), "user": request.user}

            def save():
                if topic is None:
                    return services.topic_create(agreement=agreement, **data)
                return services.topic_update(topic=topic, expected_version=form.cleaned_data["version"], **data)

            saved = save_form(request, form, save, message=lambda saved: f"บันทึกหัวข้อ “{saved.title}” แล้ว",
                              to=lambda saved: (reverse("agreements:topic_edit", args=[saved.pk])
                                                if "continue" in request.POST else _detail_url(agreement.pk, saved.pk)),
                              warning=_withdrawn(agreement))
            if saved:
                return saved
    elif topic is None:
        form, items = TopicForm(creating=True), ItemFormSet(prefix="item")
    else:
        form = TopicForm(initial={"title": topic.title, "explanation": topic.explanation, "version": topic.version})
        items = ItemFormSet(prefix="item", initial=[{"text": i.text, "actions": i.actions} for i in topic.items.all()])
    topics = list(agreement.topics.all())
    number = topics.index(topic) + 1 if topic in topics else len(topics) + 1
    return render(request, "agreements/organisation/topic_form.html", {
        "agreement": agreement, "org": agreement.organisation, "topic": topic, "number": number,
        "form": form, "items": items,
    })


@login_required
@once_per_submission
def topic_add(request, pk):
    agreement = _agreement(request, pk, edit=True)
    return _topic_page(request, agreement, None)


@login_required
def topic_edit(request, pk):
    topic = _topic(request, pk, edit=True)
    agreement = _agreement(request, topic.agreement_id, edit=True)
    return _topic_page(request, agreement, topic)


@login_required
def topic_delete(request, pk):
    """GET asks for confirmation on the agreement page; POST deletes and renumbers."""
    topic = _topic(request, pk, edit=True)
    agreement = _agreement(request, topic.agreement_id, edit=True)
    if request.method != "POST":
        return render(request, "agreements/organisation/detail.html",
                      _detail_context(request, agreement, confirm_delete=topic))
    was_approved = _announcement_was_approved(agreement)
    services.topic_delete(topic=topic, user=request.user)
    _saved(request, agreement, f"ลบหัวข้อ “{topic.title}” แล้ว หัวข้อถัดไปเลื่อนเลขขึ้นให้ต่อเนื่อง",
           was_approved=was_approved)
    return redirect("agreements:org_detail", pk=agreement.pk)


@login_required
@require_POST
@once_per_submission
def topic_move(request, pk):
    topic = _topic(request, pk, edit=True)
    agreement = topic.agreement
    offset = -1 if request.POST.get("direction") == "up" else 1
    was_approved = _announcement_was_approved(agreement)
    if services.topic_move(topic=topic, offset=offset, user=request.user) and was_approved:
        messages.warning(request, APPROVAL_WITHDRAWN)
    return redirect(_detail_url(agreement.pk, topic.pk))
