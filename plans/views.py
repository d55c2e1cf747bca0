"""Staff pages for the plan itself (its projects: plans/projects, their progress: plans/progress).
Views check access, call a service or selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from lao_integrity import history, thai
from lao_integrity.downloads import pdf_attachment, pdf_or_preview, table_attachment
from lao_integrity.jobs.views import after_start
from lao_integrity.orgs import access
from lao_integrity.pagecache import cached_page, owner
from lao_integrity.paging import paginate
from lao_integrity.review import selectors as review_selectors
from lao_integrity.review import views as review_views
from lao_integrity.saving import run_action, save_form, show_errors
from lao_integrity.submissions.once import once_per_submission
from lao_integrity.tabular import ImportRejected, RowProblem
from lao_integrity.uploads import TableUploadForm

from . import documents, fragments, jobs, revisions, selectors, services
from .forms import (
    PlanCreateForm,
    PlanImportForm,
    PlanSettingsForm,
)
from .loading import plan_for, revision_question
from .models import QUARTERS, Plan, PlanStatus, Project, ProjectProgress
from .versions import selectors as version_selectors


def _plan_history(plan: Plan) -> list:
    """The audit trail of the plan, its projects and their progress."""
    projects = Project.history.filter(plan_id=plan.pk)
    names = dict(plan.projects.values_list("pk", "name"))

    def progress_label(record) -> str:
        return f"{names.get(record.project_id, 'โครงการที่ลบแล้ว')} ไตรมาส {record.quarter}"

    return history.trail(
        history.object_history(plan), projects,
        history.Source(ProjectProgress.history.filter(project_id__in=projects.values("id")), label=progress_label),
    )


@login_required
@cached_page
@once_per_submission
def plan_list(request):
    today_year = thai.fiscal_year(timezone.localdate())
    editable = access.editable_organisations(request.user)
    form = PlanCreateForm(organisations=editable, initial={"fiscal_year": today_year})
    if request.method == "POST":
        access.require_edit_any(request.user)
        form = PlanCreateForm(request.POST, organisations=editable)
        if form.is_valid():
            saved = save_form(request, form, lambda: services.plan_create(user=request.user, **form.cleaned_data),
                              message="สร้างแผนแล้ว เพิ่มโครงการหรือนำเข้าไฟล์ได้เลย",
                              to=lambda plan: reverse("plans:detail", args=[plan.pk]))
            if saved:
                return saved
    filters = selectors.plan_filters(request.GET, user=request.user, today_fiscal_year=today_year)
    page = paginate(request, selectors.plans_for_list(request.user, filters),
                    count=selectors.plan_count(request.user, filters))
    rows = selectors.first_page_rows(request.user, filters, page)
    page.object_list = rows if rows is not None else selectors.plan_list_rows(page.object_list)
    return render(request, "plans/list.html", {
        "listing": fragments.plan_list(request, page, filters), "page": page, "filters": filters,
        "form": form, "can_create": form.fields["organisation"].any_organisation,
    })


@login_required
@cached_page(organisation=owner(Plan))
def plan_detail(request, pk):
    plan = access.get_for(request, selectors.plan_for_detail, pk=pk)
    dimension = request.GET.get("dimension")
    dimension = int(dimension) if dimension and dimension.isdigit() else None
    versions = version_selectors.plan_versions(plan, approver=False)
    # Every project, read once: the table (narrowed to one dimension without reading it again),
    # what is missing before signing, the changes and e-PlanNACC's bands.
    summary = selectors.plan_summary(plan, versions=versions, outline=True)
    outline = summary.projects
    if dimension is not None:
        summary = selectors.for_dimension(summary, dimension, versions)
    announcement = documents.plan_announcement_state(plan)
    # Before approving: what changed since the last approved version (plans/versions/).
    changes = (version_selectors.plan_changes(plan, projects=outline, versions=versions)
               if plan.status != PlanStatus.APPROVED else None)
    record_quarter = selectors.recording_quarter(plan, timezone.localdate())
    can_edit = access.can_edit(request.user, plan.organisation)
    back = request.get_full_path()
    rows = fragments.summary_rows(request, summary.projects, quarters=QUARTERS, can_edit=can_edit,
                                  record_quarter=record_quarter, back=back, moving=dimension is None)
    # The body is one Jinja2 template (plans/jinja2/plans/detail.jinja); the frame stays Django's.
    body = fragments.plan_page(request, plan, {
        "changes": changes,
        "announcement": announcement, "confirm_approve": CONFIRM_APPROVE,
        "changed_since_signing": bool(announcement and announcement.is_signed and (
            plan.status != "approved" or (plan.approved_at and plan.approved_at > announcement.signed_at))),
        "gaps": documents.plan_book_gaps(outline),
        "revision_notice": revisions.notice(plan, announcement, versions=versions),
        "plan": plan, "summary": summary, "dimension": dimension, "quarters": QUARTERS,
        "record_quarter": record_quarter, "summary_rows": rows,
        "record_quarter_months": thai.QUARTER_MONTHS_LABEL.get(record_quarter, ""),
        "can_edit": can_edit,
        "can_approve": access.can_approve(request.user, plan.organisation),
        "versions": versions,
        "rounds": selectors.implementation_rounds(plan, outline),  # e-PlanNACC's bands, 6 and 12 months
        # The audit trail is a page of its own (plan_history): linked here for those who may read it.
        "can_see_history": access.can_see_history(request.user, plan.organisation),
        "review": review_panel(request, plan),
    })
    return render(request, "plans/detail.html", {"plan": plan, "body": body})


@login_required
def plan_history(request, pk):
    """The plan's audit trail ("ประวัติการแก้ไข"): executives and auditors (access.can_see_history)."""
    plan = plan_for(request, pk)
    if not access.can_see_history(request.user, plan.organisation):
        raise PermissionDenied
    return render(request, "history_page.html", {
        "title": f"แผน {plan.fiscal_year} {plan.organisation.name}", "back": reverse("plans:detail", args=[plan.pk]),
        "back_label": f"แผน {plan.fiscal_year} {plan.organisation.name}", "history": _plan_history(plan),
    })


def review_panel(request, plan: Plan) -> dict:
    urls = {step: fragments.url_pattern(f"plans:{step}").format(plan.pk) for step in ("submit", "withdraw", "return")}
    return review_selectors.panel(plan, request.user, plan.organisation, urls=urls)


@login_required
def plan_settings(request, pk):
    plan = plan_for(request, pk, edit=True)
    form = PlanSettingsForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        saved = save_form(request, form, lambda: services.plan_update(plan=plan, user=request.user,
                                                                      expected_version=version, **data),
                          message="บันทึกแล้ว", to=reverse("plans:detail", args=[plan.pk]))
        if saved:
            return saved
    return render(request, "plans/settings.html", {"plan": plan, "form": form})


# Beside the approve button and, posted without its box, the question (saving.run_action).
CONFIRM_APPROVE = "ยืนยันการอนุมัติ: แผนฉบับนี้จะถูกตรึงเป็นฉบับที่อนุมัติ แก้ไขภายหลังต้องจัดทำฉบับปรับปรุง"


@login_required
@require_POST
@once_per_submission
def plan_approve(request, pk):
    plan = plan_for(request, pk)
    access.require_approve(request.user, plan.organisation)
    detail = reverse("plans:detail", args=[plan.pk])
    return run_action(request, lambda: services.plan_approve(plan=plan, user=request.user),
                      message=lambda version: f"อนุมัติแผนแล้ว ({version.label})", to=detail, refused=detail,
                      confirm={"approve": CONFIRM_APPROVE})


@login_required
@require_POST
@once_per_submission
def plan_submit(request, pk):
    plan = plan_for(request, pk, edit=True)
    return review_views.submit(request, lambda **posted: services.plan_submit(plan=plan, user=request.user, **posted),
                               to=reverse("plans:detail", args=[plan.pk]))


@login_required
@require_POST
@once_per_submission
def plan_withdraw(request, pk):
    plan = plan_for(request, pk, edit=True)
    return review_views.withdraw(request, lambda **posted: services.plan_withdraw(
        plan=plan, user=request.user, **posted), to=reverse("plans:detail", args=[plan.pk]))


@login_required
@require_POST
@once_per_submission
def plan_return(request, pk):
    plan = access.get_for(request, selectors.plan_for_page, pk=pk, approve=True)
    return review_views.send_back(request, lambda **posted: services.plan_return(
        plan=plan, user=request.user, **posted), to=reverse("plans:detail", args=[plan.pk]))


@login_required
@require_POST
@once_per_submission
def plan_copy(request, pk):
    plan = plan_for(request, pk, edit=True)
    return run_action(request, lambda: services.plan_copy_to_next_year(plan=plan, user=request.user),
                      message=lambda new_plan: f"สร้างแผนปีงบประมาณ {new_plan.fiscal_year} จากแผนปี {plan.fiscal_year} แล้ว",
                      to=lambda new_plan: reverse("plans:detail", args=[new_plan.pk]),
                      refused=reverse("plans:detail", args=[plan.pk]))


@login_required
def plan_export(request, pk, fmt):
    plan = plan_for(request, pk)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    content = services.plan_export(plan=plan, fmt=fmt)
    return table_attachment(content, fmt=fmt, filename=f"plan-{plan.organisation.code}-{plan.fiscal_year}.{fmt}")


def _do_import(request, *, organisation, fiscal_year, upload):
    """(plan, problems, the revision question when an approved plan was not confirmed)."""
    try:
        plan = services.plan_import(organisation=organisation, fiscal_year=fiscal_year, data=upload.read(),
                                    filename=upload.name, user=request.user,
                                    confirm_revision=revisions.confirmed(request))
    except ImportRejected as rejected:
        return None, rejected.problems, None
    except revisions.RevisionNotConfirmed as error:
        return None, [RowProblem(None, m) for m in error.messages], revision_question(request, error.plan)
    except ValidationError as error:
        return None, [RowProblem(None, m) for m in error.messages], None
    return plan, [], None


@login_required
@once_per_submission
def plan_import_into(request, pk):
    plan = plan_for(request, pk, edit=True)
    form = TableUploadForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        result, problems, _asked = _do_import(request, organisation=plan.organisation, fiscal_year=plan.fiscal_year,
                                              upload=form.cleaned_data["file"])
        if result:
            messages.success(request, f"นำเข้าแล้ว: {result.projects.count()} โครงการ")
            return redirect("plans:detail", pk=plan.pk)
    return render(request, "plans/import.html", {"plan": plan, "form": form, "problems": problems,
                                                 "revision": revision_question(request, plan)})


@login_required
@once_per_submission
def plan_import_new(request):
    access.require_edit_any(request.user)
    editable = access.editable_organisations(request.user)
    form = PlanImportForm(request.POST or None, request.FILES or None, organisations=editable)
    problems, asked = [], None
    if request.method == "POST" and form.is_valid():
        result, problems, asked = _do_import(request, organisation=form.cleaned_data["organisation"],
                                             fiscal_year=form.cleaned_data["fiscal_year"],
                                             upload=form.cleaned_data["file"])
        if result:
            messages.success(request, f"นำเข้าแล้ว: {result.projects.count()} โครงการ")
            return redirect("plans:detail", pk=result.pk)
    return render(request, "plans/import.html", {"plan": None, "form": form, "problems": problems,
                                                 "revision": asked})


@login_required
def plan_document(request, pk, kind):
    """PDF download, or the same document as HTML with ?preview=1."""
    plan = plan_for(request, pk)
    if kind not in documents.PLAN_DOCUMENTS:
        raise Http404
    months = 6 if request.GET.get("months") == "6" else 12
    stem = documents.PLAN_DOCUMENTS[kind]
    suffix = f"-{months}m" if kind == "progress" else ""
    filename = f"{stem}-{plan.organisation.code}-{plan.fiscal_year}{suffix}.pdf"
    if kind != "book" or request.GET.get("preview"):
        return pdf_or_preview(request, html=lambda: documents.plan_document_html(plan, kind, months=months,
                                                                                 request=request),
                              pdf=lambda: documents.plan_document_pdf(plan, kind, months=months), filename=filename)
    # The book is served at once when at hand (signed, or laid out before); otherwise a background job.
    try:
        pdf = jobs.ready_book(plan)
    except ValidationError as error:
        show_errors(request, error)
        return redirect("plans:detail", pk=plan.pk)
    if pdf is None:
        return after_start(jobs.start_book(plan=plan, user=request.user))
    return pdf_attachment(pdf, filename=filename)
