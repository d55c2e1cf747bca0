"""Staff pages for the projects' progress, quarter by quarter."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from lao_integrity import confirmation
from lao_integrity.downloads import table_attachment
from lao_integrity.orgs import access
from lao_integrity.pagecache import cached_page, owner
from lao_integrity.saving import save_form
from lao_integrity.tabular import write_table
from lao_integrity.uploads import stored_file_response

from .. import eplannacc, fragments, selectors
from ..forms import ProgressForm
from ..loading import back_to, plan_for, project_for
from ..models import QUARTERS, Plan, ProjectProgress
from . import services


@login_required
def progress_edit(request, pk, quarter):
    project = project_for(request, pk, edit=True)
    if quarter not in QUARTERS:
        raise Http404
    existing = ProjectProgress.objects.filter(project=project, quarter=quarter).first()
    initial = {"version": existing.version if existing else 0,
               "ordinance_budget": selectors.ordinance_budget_for(project, quarter)}
    if existing:
        initial.update({"status": existing.status, "amount_spent": existing.amount_spent, "result": existing.result,
                        "evidence_url": existing.evidence_url, "unable_reason": existing.unable_reason})
    form = ProgressForm(request.POST or None, request.FILES or None, initial=initial,
                        ordinance_term=project.plan.organisation.ordinance_term)
    if request.method == "POST" and form.is_valid():
        saved = save_form(request, form, lambda: services.progress_record(
            project=project, quarter=quarter, user=request.user, expected_version=form.cleaned_data["version"],
            confirmed=confirmation.confirmed(form), **form.service_kwargs()),
            message=f"บันทึกผลไตรมาส {quarter} ของ “{project.name}” แล้ว",
            to=back_to(request, reverse("plans:progress", args=[project.plan_id])
                       + f"?months={6 if quarter <= 2 else 12}"))
        if saved:
            return saved
    return render(request, "plans/progress/form.html", {
        "plan": project.plan, "project": project, "quarter": quarter, "form": form, "existing": existing,
        "back": back_to(request, reverse("plans:detail", args=[project.plan_id]) + f"#p{project.pk}"),
    })


@login_required
def evidence_download(request, pk, quarter):
    project = project_for(request, pk)
    progress = get_object_or_404(ProjectProgress, project=project, quarter=quarter)
    return stored_file_response(progress.evidence_file)


def _months(request) -> int:
    return 12 if request.GET.get("months") == "12" else 6


@login_required
def progress_export(request, pk):
    """The 6/12-month report as an xlsx in e-PlanNACC's column order, for entering it there."""
    plan = plan_for(request, pk)
    months = _months(request)
    summary = selectors.progress_summary(plan, months=months)
    content = write_table(eplannacc.report_columns(plan), eplannacc.report_rows(summary, not_due=selectors.NOT_DUE),
                          "xlsx", title=f"รอบ {months} เดือน")
    return table_attachment(content, fmt="xlsx",
                            filename=f"eplannacc-{plan.organisation.code}-{plan.fiscal_year}-{months}m.xlsx")


@login_required
@cached_page(organisation=owner(Plan))
def progress_summary(request, pk):
    plan = plan_for(request, pk)
    months = _months(request)
    summary = selectors.progress_summary(plan, months=months)
    can_edit = access.can_edit(request.user, plan.organisation)
    back = request.get_full_path()  # the record links' ?next=: their forms come back here
    return render(request, "plans/progress/summary.html", {
        "plan": plan, "summary": summary, "months": months, "rounds": [summary.implementation],
        "ordinance_label": eplannacc.ordinance_label(plan),
        "quarters": range(1, summary.last_quarter + 1),
        "can_edit": can_edit, "back": back,
        "project_rows": fragments.progress_rows(summary, can_edit=can_edit, back=back),
    })
