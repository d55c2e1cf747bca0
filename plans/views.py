"""Staff pages for the action plan. Views check access, call a service or selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from lao_integrity import confirmation, history, thai
from lao_integrity.announcements import selectors as announcement_selectors
from lao_integrity.announcements.models import Kind
from lao_integrity.concurrency import StaleEdit, keep_input
from lao_integrity.downloads import pdf_attachment, table_attachment
from lao_integrity.jobs.views import after_start
from lao_integrity.orgs import access
from lao_integrity.pagecache import cached_page, owner
from lao_integrity.paging import paginate
from lao_integrity.submissions.once import FIELD, once_per_submission
from lao_integrity.tabular import ImportRejected, RowProblem
from lao_integrity.uploads import TableUploadForm, stored_file_response

from . import documents, jobs, revisions, selectors, services
from .forms import (
    IndicatorFormSet,
    ObjectiveFormSet,
    PlanCreateForm,
    PlanImportForm,
    PlanSettingsForm,
    ProgressForm,
    ProjectForm,
    SheetForm,
    StepFormSet,
    TargetGroupFormSet,
)
from .models import QUARTERS, DetailSheet, Plan, PlanStatus, Project, ProjectProgress


def _plan(request, pk, *, edit=False) -> Plan:
    return access.get_for(request, selectors.plan_for_page, pk=pk, edit=edit)


def _project(request, pk, *, edit=False) -> Project:
    return access.get_for(request, selectors.project_with_sheet, pk=pk, edit=edit,
                          organisation=lambda project: project.plan.organisation)


def _revision(request, plan: Plan) -> dict | None:
    """The question a change to an approved plan asks first (plans/revisions.py), or None."""
    if plan.status != PlanStatus.APPROVED:
        return None
    signed = announcement_selectors.current_announcement(plan.organisation, Kind.PLAN, plan.fiscal_year)
    return revisions.confirm_context(plan, signed, checked=revisions.confirmed(request))


def _validation_messages(error: ValidationError) -> list[str]:
    return error.messages


def _plan_history(request, plan: Plan) -> list | None:
    """The audit trail of the plan, its projects and their progress (executives and auditors)."""
    if not access.can_see_history(request.user, plan.organisation):
        return None
    projects = Project.history.filter(plan_id=plan.pk)
    names = dict(plan.projects.values_list("pk", "name"))

    def progress_label(record) -> str:
        return f"{names.get(record.project_id, 'โครงการที่ลบแล้ว')} ไตรมาส {record.quarter}"

    return history.trail(
        history.object_history(plan), projects,
        history.Source(ProjectProgress.history.filter(project_id__in=projects.values("id")), label=progress_label),
    )


@login_required
@cached_page("plans")
@once_per_submission
def plan_list(request):
    today_year = thai.fiscal_year(timezone.localdate())
    editable = access.editable_organisations(request.user)
    form = PlanCreateForm(organisations=editable, initial={"fiscal_year": today_year})
    if request.method == "POST":
        access.require_edit_any(request.user)
        form = PlanCreateForm(request.POST, organisations=editable)
        if form.is_valid():
            try:
                plan = services.plan_create(user=request.user, **form.cleaned_data)
            except ValidationError as error:
                for message in _validation_messages(error):
                    form.add_error(None, message)
            else:
                messages.success(request, "สร้างแผนแล้ว เพิ่มโครงการหรือนำเข้าไฟล์ได้เลย")
                return redirect("plans:detail", pk=plan.pk)
    filters = selectors.plan_filters(request.GET, user=request.user, today_fiscal_year=today_year)
    page = paginate(request, selectors.plans_for_list(request.user, filters))
    page.object_list = selectors.with_project_counts(page.object_list)
    return render(request, "plans/list.html", {
        "page": page, "plans": page.object_list, "filters": filters, "statuses": PlanStatus.choices,
        "form": form, "can_create": editable.exists(),
    })


@login_required
@cached_page("plans", "announcements", organisation=owner(Plan))
def plan_detail(request, pk):
    plan = _plan(request, pk)
    dimension = request.GET.get("dimension")
    dimension = int(dimension) if dimension and dimension.isdigit() else None
    summary = selectors.plan_summary(plan, dimension=dimension)
    # What is missing before signing, from the summary's own projects when it shows them all.
    outline = selectors.with_sheet_outline(summary.projects if dimension is None
                                           else selectors.plan_summary(plan).projects)
    announcement = documents.plan_announcement(plan)
    announcement = announcement if announcement.pk else None
    return render(request, "plans/detail.html", {
        "announcement": announcement,
        "changed_since_signing": bool(announcement and announcement.is_signed and (
            plan.status != "approved" or (plan.approved_at and plan.approved_at > announcement.signed_at))),
        "gaps": documents.plan_book_gaps(outline),
        "revision_notice": revisions.notice(plan, announcement),
        "plan": plan, "summary": summary, "dimension": dimension, "quarters": QUARTERS,
        "can_edit": access.can_edit(request.user, plan.organisation),
        "can_approve": access.can_approve(request.user, plan.organisation),
        "versions": plan.versions.all(),
        "history": _plan_history(request, plan),
    })


@login_required
def plan_settings(request, pk):
    plan = _plan(request, pk, edit=True)
    form = PlanSettingsForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.plan_update(plan=plan, user=request.user, expected_version=data.pop("version"), **data)
        except StaleEdit as error:
            keep_input(form, error)
        else:
            messages.success(request, "บันทึกแล้ว")
            return redirect("plans:detail", pk=plan.pk)
    return render(request, "plans/settings.html", {"plan": plan, "form": form})


@login_required
@require_POST
@once_per_submission
def plan_approve(request, pk):
    plan = _plan(request, pk)
    access.require_approve(request.user, plan.organisation)
    try:
        version = services.plan_approve(plan=plan, user=request.user)
    except ValidationError as error:
        for message in _validation_messages(error):
            messages.error(request, message)
    else:
        messages.success(request, f"อนุมัติแผนแล้ว ({version.label})")
    return redirect("plans:detail", pk=plan.pk)


@login_required
@require_POST
@once_per_submission
def plan_copy(request, pk):
    plan = _plan(request, pk, edit=True)
    try:
        new_plan = services.plan_copy_to_next_year(plan=plan, user=request.user)
    except ValidationError as error:
        for message in _validation_messages(error):
            messages.error(request, message)
        return redirect("plans:detail", pk=plan.pk)
    messages.success(request, f"สร้างแผนปีงบประมาณ {new_plan.fiscal_year} จากแผนปี {plan.fiscal_year} แล้ว")
    return redirect("plans:detail", pk=new_plan.pk)


@login_required
@once_per_submission
def project_add(request, pk):
    plan = _plan(request, pk, edit=True)
    # Once a baseline is approved, a new project is by default one "added after the baseline".
    form = ProjectForm(request.POST or None, plan=plan, initial={"is_added": plan.versions.exists()})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if (k != "kind" or v) and k != "version"}
        try:
            project = services.project_create(plan=plan, user=request.user,
                                              confirm_revision=revisions.confirmed(request), **data)
        except revisions.RevisionNotConfirmed as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, f"เพิ่มโครงการลำดับที่ {project.sequence} แล้ว")
            return redirect(reverse("plans:detail", args=[plan.pk]) + f"#p{project.pk}")
    return render(request, "plans/project_form.html", {"plan": plan, "form": form, "project": None,
                                                       "revision": _revision(request, plan)})


@login_required
def project_edit(request, pk):
    project = _project(request, pk, edit=True)
    plan = project.plan
    form = ProjectForm(request.POST or None, instance=project, plan=plan)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if not data.get("kind"):
            data.pop("kind")
        try:
            services.project_update(project=project, user=request.user, expected_version=data.pop("version"),
                                    confirm_revision=revisions.confirmed(request), **data)
        except StaleEdit as error:
            keep_input(form, error)
        except revisions.RevisionNotConfirmed as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, f"บันทึกโครงการลำดับที่ {project.sequence} แล้ว")
            return redirect(reverse("plans:detail", args=[plan.pk]) + f"#p{project.pk}")
    return render(request, "plans/project_form.html", {"plan": plan, "form": form, "project": project,
                                                       "revision": _revision(request, plan)})


@login_required
def project_delete(request, pk):
    project = _project(request, pk, edit=True)
    plan = project.plan
    unconfirmed = None
    if request.method == "POST":
        try:
            services.project_delete(project=project, user=request.user, confirm_revision=revisions.confirmed(request))
        except revisions.RevisionNotConfirmed as error:
            unconfirmed = error.messages
        else:
            messages.success(request, f"ลบ “{project.name}” แล้ว")
            return redirect("plans:detail", pk=plan.pk)
    return render(request, "plans/project_confirm_delete.html", {
        "plan": plan, "project": project, "has_sheet": hasattr(project, "sheet"),
        "progress_count": project.progress.count(), "revision": _revision(request, plan), "unconfirmed": unconfirmed,
    })


@login_required
@require_POST
@once_per_submission
def project_move(request, pk):
    project = _project(request, pk, edit=True)
    direction = "up" if request.POST.get("direction") == "up" else "down"
    try:
        services.project_move(project=project, offset=-1 if direction == "up" else 1, user=request.user,
                              confirm_revision=revisions.confirmed(request))
    except revisions.RevisionNotConfirmed:
        # Nothing moved: ask first, on a page of its own.
        return render(request, "plans/revision_confirm.html", {
            "plan": project.plan, "project": project, "revision": _revision(request, project.plan),
            "action": reverse("plans:project_move", args=[project.pk]),
            # Posted again as they came (the direction, and any field a form tag adds; the page has
            # its own one-time token).
            "fields": {k: v for k, v in request.POST.items() if k not in ("csrfmiddlewaretoken", FIELD, revisions.CONFIRM_FIELD)},
            "what": f"เลื่อนโครงการลำดับที่ {project.sequence} {'ขึ้น' if direction == 'up' else 'ลง'}",
        })
    return redirect(reverse("plans:detail", args=[project.plan_id]) + f"#p{project.pk}")


@login_required
@cached_page("plans", organisation=owner(Project, "plan__organisation_id"))
def sheet_view(request, pk):
    project = _project(request, pk)
    return render(request, "plans/sheet_view.html", {
        "plan": project.plan, "project": project, "sheet": getattr(project, "sheet", None),
        "can_edit": access.can_edit(request.user, project.plan.organisation),
        "history": history.for_page(request.user, project.plan.organisation, history.object_history(project),
                                    DetailSheet.history.filter(project_id=project.pk)),
    })


def _formset_rows(formset, *, keep):
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or data.get("DELETE") or not keep(data):
            continue
        rows.append({k: v for k, v in data.items() if k != "DELETE"})
    return rows


@login_required
def sheet_edit(request, pk):
    project = _project(request, pk, edit=True)
    sheet = getattr(project, "sheet", None)
    if request.method == "POST":
        form = SheetForm(request.POST, initial={"version": sheet.version if sheet else 0})
        objectives = ObjectiveFormSet(request.POST, prefix="obj")
        groups = TargetGroupFormSet(request.POST, prefix="grp")
        steps = StepFormSet(request.POST, prefix="step")
        outputs = IndicatorFormSet(request.POST, prefix="out")
        outcomes = IndicatorFormSet(request.POST, prefix="res")
        parts = [form, objectives, groups, steps, outputs, outcomes]
        if all(part.is_valid() for part in parts):
            fields = dict(form.cleaned_data)
            try:
                services.detail_sheet_save(
                    project=project, user=request.user, expected_version=fields.pop("version"), **fields,
                    objectives=[r["text"] for r in _formset_rows(objectives, keep=lambda d: d.get("text"))],
                    target_groups=_formset_rows(groups, keep=lambda d: d.get("description")),
                    steps=_formset_rows(steps, keep=lambda d: d.get("text")),
                    outputs=_formset_rows(outputs, keep=lambda d: d.get("statement")),
                    outcomes=_formset_rows(outcomes, keep=lambda d: d.get("statement")),
                )
            except StaleEdit as error:
                keep_input(form, error)
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, "บันทึกรายละเอียดโครงการแล้ว")
                if "continue" in request.POST:
                    return redirect("plans:sheet_edit", pk=project.pk)
                return redirect("plans:sheet", pk=project.pk)
    else:
        initial = {"version": 0}
        if sheet:
            initial = {"rationale": sheet.rationale, "duration": sheet.duration,
                       "budget_note": sheet.budget_note, "responsible": sheet.responsible,
                       "version": sheet.version}
        form = SheetForm(initial=initial)
        objectives = ObjectiveFormSet(prefix="obj", initial=[{"text": o.text} for o in sheet.objectives.all()]
                                      if sheet else [])
        groups = TargetGroupFormSet(prefix="grp", initial=[
            {"description": g.description, "count": g.count, "unit": g.unit} for g in sheet.target_groups.all()
        ] if sheet else [])
        steps = StepFormSet(prefix="step", initial=[{"text": s.text, "level": s.level} for s in sheet.steps.all()]
                            if sheet else [])
        indicators = list(sheet.indicators.all()) if sheet else []

        def rows(kind):
            return [{"statement": i.statement, "comparator": i.comparator, "target_value": i.target_value,
                     "unit": i.unit} for i in indicators if i.kind == kind]

        outputs = IndicatorFormSet(prefix="out", initial=rows("output"))
        outcomes = IndicatorFormSet(prefix="res", initial=rows("outcome"))
    return render(request, "plans/sheet_form.html", {
        "plan": project.plan, "project": project, "form": form, "objectives": objectives, "groups": groups,
        "steps": steps, "outputs": outputs, "outcomes": outcomes,
    })


@login_required
def progress_edit(request, pk, quarter):
    project = _project(request, pk, edit=True)
    if quarter not in QUARTERS:
        raise Http404
    existing = ProjectProgress.objects.filter(project=project, quarter=quarter).first()
    initial = {"version": existing.version if existing else 0}
    if existing:
        initial.update({"status": existing.status, "amount_spent": existing.amount_spent, "result": existing.result,
                        "evidence_url": existing.evidence_url})
    form = ProgressForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.progress_record(project=project, quarter=quarter, user=request.user,
                                     expected_version=form.cleaned_data["version"],
                                     confirmed=confirmation.confirmed(form), **form.service_kwargs())
        except StaleEdit as error:
            keep_input(form, error)
        except confirmation.NeedsConfirmation as error:
            confirmation.ask_confirmation(form, error)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, f"บันทึกผลไตรมาส {quarter} ของ “{project.name}” แล้ว")
            return redirect(reverse("plans:progress", args=[project.plan_id]) + f"?months={6 if quarter <= 2 else 12}")
    return render(request, "plans/progress_form.html", {
        "plan": project.plan, "project": project, "quarter": quarter, "form": form, "existing": existing,
    })


@login_required
def evidence_download(request, pk, quarter):
    project = _project(request, pk)
    progress = get_object_or_404(ProjectProgress, project=project, quarter=quarter)
    return stored_file_response(progress.evidence_file)


@login_required
@cached_page("plans", organisation=owner(Plan))
def progress_summary(request, pk):
    plan = _plan(request, pk)
    months = 12 if request.GET.get("months") == "12" else 6
    summary = selectors.progress_summary(plan, months=months)
    return render(request, "plans/progress_summary.html", {
        "plan": plan, "summary": summary, "months": months,
        "quarters": range(1, summary.last_quarter + 1),
        "can_edit": access.can_edit(request.user, plan.organisation),
    })


@login_required
def plan_export(request, pk, fmt):
    plan = _plan(request, pk)
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
        return None, [RowProblem(None, m) for m in error.messages], _revision(request, error.plan)
    except ValidationError as error:
        return None, [RowProblem(None, m) for m in error.messages], None
    return plan, [], None


@login_required
@once_per_submission
def plan_import_into(request, pk):
    plan = _plan(request, pk, edit=True)
    form = TableUploadForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        result, problems, _asked = _do_import(request, organisation=plan.organisation, fiscal_year=plan.fiscal_year,
                                              upload=form.cleaned_data["file"])
        if result:
            messages.success(request, f"นำเข้าแล้ว: {result.projects.count()} โครงการ")
            return redirect("plans:detail", pk=plan.pk)
    return render(request, "plans/import.html", {"plan": plan, "form": form, "problems": problems,
                                                 "revision": _revision(request, plan)})


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
    plan = _plan(request, pk)
    if kind not in documents.PLAN_DOCUMENTS:
        raise Http404
    months = 6 if request.GET.get("months") == "6" else 12
    if request.GET.get("preview"):
        return HttpResponse(documents.plan_document_html(plan, kind, months=months, request=request))
    if kind == "book":
        # Served at once when at hand (signed, or laid out before); otherwise a background job.
        try:
            pdf = jobs.ready_book(plan)
        except ValidationError as error:
            for message in _validation_messages(error):
                messages.error(request, message)
            return redirect("plans:detail", pk=plan.pk)
        if pdf is None:
            return after_start(jobs.start_book(plan=plan, user=request.user))
    else:
        pdf = documents.plan_document_pdf(plan, kind, months=months)
    stem = documents.PLAN_DOCUMENTS[kind]
    suffix = f"-{months}m" if kind == "progress" else ""
    return pdf_attachment(pdf, filename=f"{stem}-{plan.organisation.code}-{plan.fiscal_year}{suffix}.pdf")
