"""Staff pages for a plan's projects and their detail sheets."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from lao_integrity import history
from lao_integrity.orgs import access
from lao_integrity.pagecache import cached_page, owner
from lao_integrity.saving import save_form
from lao_integrity.submissions.once import FIELD, once_per_submission

from .. import revisions, sheet_layout
from ..forms import (
    IndicatorFormSet,
    ObjectiveFormSet,
    ProjectForm,
    SheetForm,
    StepFormSet,
    TargetGroupFormSet,
)
from ..loading import back_to, plan_for, project_for, revision_question
from ..models import DetailSheet, Project
from . import services


def _in_plan(project) -> str:
    """The plan page at the project's row."""
    return reverse("plans:detail", args=[project.plan_id]) + f"#p{project.pk}"


@login_required
@once_per_submission
def project_add(request, pk):
    plan = plan_for(request, pk, edit=True)
    # Once a baseline is approved, a new project is by default one "added after the baseline".
    form = ProjectForm(request.POST or None, plan=plan, initial={"is_added": plan.versions.exists()})
    return _project_page(request, plan, None, form)


@login_required
def project_edit(request, pk):
    project = project_for(request, pk, edit=True)
    form = ProjectForm(request.POST or None, instance=project, plan=project.plan)
    return _project_page(request, project.plan, project, form)


def _project_page(request, plan, project, form):
    """Add (project=None) or edit a project; a kind left blank is guessed from the name."""
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if (k != "kind" or v) and k != "version"}
        confirmed = revisions.confirmed(request)

        def save():
            if project is None:
                return services.project_create(plan=plan, user=request.user, confirm_revision=confirmed, **data)
            return services.project_update(project=project, user=request.user, confirm_revision=confirmed,
                                           expected_version=form.cleaned_data["version"], **data)

        saved = save_form(request, form, save, message=lambda saved: (
            f"{'เพิ่ม' if project is None else 'บันทึก'}โครงการลำดับที่ {saved.sequence} แล้ว"),
            to=lambda saved: back_to(request, _in_plan(saved)))
        if saved:
            return saved
    back = back_to(request, _in_plan(project) if project else reverse("plans:detail", args=[plan.pk]))
    return render(request, "plans/projects/form.html", {"plan": plan, "form": form, "project": project,
                                                       "revision": revision_question(request, plan), "back": back})


@login_required
def project_delete(request, pk):
    project = project_for(request, pk, edit=True)
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
    return render(request, "plans/projects/confirm_delete.html", {
        "plan": plan, "project": project, "has_sheet": hasattr(project, "sheet"),
        "progress_count": project.progress.count(), "revision": revision_question(request, plan), "unconfirmed": unconfirmed,
    })


@login_required
@require_POST
@once_per_submission
def project_move(request, pk):
    project = project_for(request, pk, edit=True)
    direction = "up" if request.POST.get("direction") == "up" else "down"
    try:
        services.project_move(project=project, offset=-1 if direction == "up" else 1, user=request.user,
                              confirm_revision=revisions.confirmed(request))
    except revisions.RevisionNotConfirmed:
        # Nothing moved: ask first, on a page of its own.
        return render(request, "plans/projects/revision_confirm.html", {
            "plan": project.plan, "project": project, "revision": revision_question(request, project.plan),
            "action": reverse("plans:project_move", args=[project.pk]),
            # Posted again as they came (the direction, and any field a form tag adds; the page has
            # its own one-time token).
            "fields": {k: v for k, v in request.POST.items() if k not in ("csrfmiddlewaretoken", FIELD, revisions.CONFIRM_FIELD)},
            "what": f"เลื่อนโครงการลำดับที่ {project.sequence} {'ขึ้น' if direction == 'up' else 'ลง'}",
        })
    return redirect(reverse("plans:detail", args=[project.plan_id]) + f"#p{project.pk}")


@login_required
@cached_page(organisation=owner(Project))
def sheet_view(request, pk):
    project = project_for(request, pk)
    return render(request, "plans/projects/sheet.html", {
        "plan": project.plan, "project": project, "sheet": getattr(project, "sheet", None),
        "sections": sheet_layout.BY_KEY,
        "can_edit": access.can_edit(request.user, project.plan.organisation),
        # The audit trail is a page of its own (sheet_history): linked here for those who may read it.
        "can_see_history": access.can_see_history(request.user, project.plan.organisation),
    })


@login_required
def sheet_history(request, pk):
    """The project's and its detail sheet's audit trail: executives and auditors (access.can_see_history)."""
    project = project_for(request, pk)
    if not access.can_see_history(request.user, project.plan.organisation):
        raise PermissionDenied
    label = f"รายละเอียดโครงการ ลำดับที่ {project.sequence}"
    return render(request, "history_page.html", {
        "title": label, "back": reverse("plans:sheet", args=[project.pk]), "back_label": label,
        "history": history.trail(history.object_history(project), DetailSheet.history.filter(project_id=project.pk)),
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
    project = project_for(request, pk, edit=True)
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
            version = fields.pop("version")
            saved = save_form(request, form, lambda: services.detail_sheet_save(
                project=project, user=request.user, expected_version=version, **fields,
                objectives=[r["text"] for r in _formset_rows(objectives, keep=lambda d: d.get("text"))],
                target_groups=_formset_rows(groups, keep=lambda d: d.get("description")),
                steps=_formset_rows(steps, keep=lambda d: d.get("text")),
                outputs=_formset_rows(outputs, keep=lambda d: d.get("statement")),
                outcomes=_formset_rows(outcomes, keep=lambda d: d.get("statement")),
            ), message="บันทึกรายละเอียดโครงการแล้ว",
                to=reverse("plans:sheet_edit" if "continue" in request.POST else "plans:sheet", args=[project.pk]))
            if saved:
                return saved
    else:
        initial = {"version": sheet.version if sheet else 0, "rationale": sheet.rationale if sheet else "",
                   "budget_note": sheet.budget_note if sheet else "",
                   # Sections 6 and 8 start from the plan until the sheet says otherwise.
                   "duration": (sheet and sheet.duration) or sheet_layout.default_duration(project),
                   "responsible": (sheet and sheet.responsible) or sheet_layout.default_responsible(project)}
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
    return render(request, "plans/projects/sheet_form.html", {
        "plan": project.plan, "project": project, "form": form, "sections": sheet_layout.BY_KEY,
        "objectives": _numbered(objectives), "groups": _numbered(groups), "steps": _numbered(steps, nested=True),
        "outputs": _numbered(outputs), "outcomes": _numbered(outcomes),
    })


def _level(form) -> int:
    try:
        return int(form["level"].value() or 1)
    except (TypeError, ValueError):  # a forged level: the form shows its own error
        return 1


def _numbered(formset, *, nested=False):
    """The formset, each form given the number its row shows ("3", or "2.1" for a sub-step)."""
    forms = list(formset)
    if nested:
        numbers = sheet_layout.step_numbers(_level(form) for form in forms)
    else:
        numbers = [str(n) for n in range(1, len(forms) + 1)]
    for form, number in zip(forms, numbers, strict=True):
        form.row_number = number
        form.row_level = number.count(".") + 1
    return formset
