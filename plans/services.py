"""Every change to a plan itself goes through here (its projects: plans/projects, their progress:
plans/progress): keyword-only, one transaction, validated."""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from lao_integrity.concurrency import check_and_bump
from lao_integrity.history import records_user
from lao_integrity.locks import lock_organisation
from lao_integrity.orgs import access
from lao_integrity.orgs.models import Organisation
from lao_integrity.pagecache.versions import scoped
from lao_integrity.review import workflow as review
from lao_integrity.table_import import import_table
from lao_integrity.tabular import write_table

from .changes import check_edit, lock_plan, mark_changed, require_not_submitted, require_revision_confirmed
from .exchange import HEADERS, TOTAL_LABEL, PlanImport
from .models import (
    DetailSheet,
    Framework,
    MethodStep,
    Plan,
    PlanStatus,
    PlanVersion,
    Project,
    SheetIndicator,
    SheetObjective,
    TargetGroup,
)
from .resources import ProjectResource
from .selectors import plan_totals
from .versions.rows import snapshot as frozen_rows


def framework_for_year(fiscal_year: int) -> Framework:
    framework = (Framework.objects.filter(first_year__lte=fiscal_year, last_year__gte=fiscal_year)
                 .order_by("-first_year").first())
    if framework is None:
        raise ValidationError({"fiscal_year": f"ยังไม่มีกรอบแผนที่ครอบคลุมปีงบประมาณ {fiscal_year}"})
    return framework


@scoped("organisation")
@records_user
@transaction.atomic
def plan_create(*, organisation: Organisation, fiscal_year: int, user, **fields) -> Plan:
    check_edit(user, organisation)
    # Two creations of the same year at once: the second waits here, then finds the first's plan.
    lock_organisation(organisation)
    if Plan.objects.filter(organisation=organisation, fiscal_year=fiscal_year).exists():
        raise ValidationError({"fiscal_year": f"{organisation.name} มีแผนปีงบประมาณ {fiscal_year} อยู่แล้ว"})
    plan = Plan(organisation=organisation, fiscal_year=fiscal_year,
                framework=fields.pop("framework", None) or framework_for_year(fiscal_year), **fields)
    plan.full_clean()
    plan.save()
    return plan


@scoped("plan")
@records_user
@transaction.atomic
def plan_update(*, plan: Plan, user, expected_version: int | None = None, **fields) -> Plan:
    """`expected_version`: the version the edit form was loaded with; StaleEdit if it moved."""
    check_edit(user, plan.organisation)
    for name in fields:
        if name not in {"data_as_of", "issuer"}:
            raise ValueError(f"field {name} cannot be changed here")
    require_not_submitted(plan)
    check_and_bump(plan, expected_version)
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.full_clean()
    # Only the named fields: a stale `plan` must not write back an old status.
    plan.save(update_fields=[*fields, "updated_at", "version"])
    return plan


@scoped("plan")
@records_user
@transaction.atomic
def plan_approve(*, plan: Plan, user) -> PlanVersion:
    """The executive approves: the current list is frozen as the next version."""
    if not access.can_approve(user, plan.organisation):
        raise PermissionDenied("เฉพาะผู้บริหารของ อปท. นี้เท่านั้นที่อนุมัติแผนได้")
    plan = lock_plan(plan)  # before the next version number is read
    if plan.status == PlanStatus.APPROVED:
        raise ValidationError("แผนนี้อนุมัติแล้ว และยังไม่มีการแก้ไขหลังอนุมัติ")
    if not plan.projects.exists():
        raise ValidationError("แผนยังไม่มีโครงการ อนุมัติไม่ได้")
    number = (plan.versions.aggregate(n=Max("number"))["n"])
    number = 0 if number is None else number + 1
    projects = plan.projects.select_related("dimension", "responsible_unit").order_by("sequence")
    version = PlanVersion.objects.create(plan=plan, number=number, snapshot=frozen_rows(projects),
                                         created_by=access.person(user))
    check_and_bump(plan)
    plan.status = PlanStatus.APPROVED
    plan.approved_at = timezone.now()
    plan.approved_by = access.person(user)
    plan.save(update_fields=["status", "approved_at", "approved_by", "updated_at", "version"])
    review.approved(_document(plan), user=user)
    return version


# --- review: staff submit, the executive returns with a comment (lao_integrity/review) ------------

def _document(plan: Plan) -> review.Document:
    return review.Document(plan, plan.organisation, f"{plan.title} {plan.organisation.name}",
                           reverse("plans:detail", args=[plan.pk]))


@scoped("plan")
@records_user
@transaction.atomic
def plan_submit(*, plan: Plan, user, expected_version: int | None = None) -> Plan:
    """Staff ask the executive to approve the plan (a draft, or a returned one corrected)."""
    plan = lock_plan(plan)
    if not plan.projects.exists():
        raise ValidationError("แผนยังไม่มีโครงการ เสนออนุมัติไม่ได้")
    review.submit(_document(plan), user=user, expected_version=expected_version)
    return plan


@scoped("plan")
@records_user
@transaction.atomic
def plan_withdraw(*, plan: Plan, user, expected_version: int | None = None) -> Plan:
    """Staff take a submitted plan back to a draft, to change it."""
    plan = lock_plan(plan)
    review.withdraw(_document(plan), user=user, expected_version=expected_version)
    return plan


@scoped("plan")
@records_user
@transaction.atomic
def plan_return(*, plan: Plan, user, comment: str, expected_version: int | None = None) -> Plan:
    """The executive returns a submitted plan with what to correct."""
    plan = lock_plan(plan)
    review.send_back(_document(plan), user=user, comment=comment, expected_version=expected_version)
    return plan


def _shift_year(text: str, old: int, new: int) -> str:
    return re.sub(rf"(?<!\d){old}(?!\d)", str(new), text)


@scoped("plan")
@records_user
@transaction.atomic
def plan_copy_to_next_year(*, plan: Plan, user) -> Plan:
    """Start next year's plan from this one: projects and detail sheets, no progress."""
    next_year = plan.fiscal_year + 1
    new_plan = plan_create(organisation=plan.organisation, fiscal_year=next_year, user=user,
                           issuer=plan.issuer, copied_from=plan)
    dimensions = {d.number: d for d in new_plan.framework.dimensions.all()}
    projects = plan.projects.select_related("dimension", "sheet").prefetch_related(
        "sheet__objectives", "sheet__target_groups", "sheet__steps", "sheet__indicators")
    for old in projects.order_by("sequence"):
        dimension = dimensions.get(old.dimension.number)
        if dimension is None:
            raise ValidationError(f"กรอบแผนปี {next_year} ไม่มีมิติที่ {old.dimension.number}")
        new = Project.objects.create(
            plan=new_plan, sequence=old.sequence, kind=old.kind, name=old.name, dimension=dimension,
            budget=old.budget, q1=old.q1, q2=old.q2, q3=old.q3, q4=old.q4,
            responsible_unit=old.responsible_unit, remark=old.remark,
        )
        sheet = getattr(old, "sheet", None)
        if sheet is None:
            continue
        new_sheet = DetailSheet.objects.create(
            project=new, rationale=sheet.rationale, duration=_shift_year(sheet.duration, plan.fiscal_year, next_year),
            budget_note=sheet.budget_note, responsible=sheet.responsible)
        SheetObjective.objects.bulk_create(
            SheetObjective(sheet=new_sheet, order=o.order, text=o.text) for o in sheet.objectives.all())
        TargetGroup.objects.bulk_create(
            TargetGroup(sheet=new_sheet, order=t.order, description=t.description, count=t.count, unit=t.unit)
            for t in sheet.target_groups.all())
        MethodStep.objects.bulk_create(
            MethodStep(sheet=new_sheet, order=s.order, level=s.level, text=s.text) for s in sheet.steps.all())
        SheetIndicator.objects.bulk_create(
            SheetIndicator(sheet=new_sheet, kind=i.kind, order=i.order, statement=i.statement,
                           comparator=i.comparator, target_value=i.target_value, unit=i.unit)
            for i in sheet.indicators.all())
    return new_plan


# --- files ---------------------------------------------------------------------------------

def plan_export(*, plan: Plan, fmt: str) -> bytes:
    """The project list in the exchange format, ending with the รวมทั้งสิ้น row."""
    resource = ProjectResource()
    projects = plan.projects.select_related("dimension").order_by("sequence")
    dataset = resource.export(queryset=projects)
    rows = [list(row) for row in dataset]
    totals = plan_totals(list(projects))
    rows.append(["", TOTAL_LABEL, "", totals.budget, *[totals.quarter_counts[q] for q in (1, 2, 3, 4)], ""])
    return write_table(HEADERS, rows, fmt, title=f"แผน {plan.fiscal_year}")


@scoped("organisation")
@records_user
@transaction.atomic
def plan_import(*, organisation: Organisation, fiscal_year: int, data: bytes, filename: str, user,
                confirm_revision: bool = True) -> Plan:
    """Create or replace the plan's project list from a file; all or nothing (a new plan is rolled
    back with the rest)."""
    check_edit(user, organisation)
    created = False

    def open_plan() -> Plan:  # once the file has been read: a bad file is refused before a plan is made
        nonlocal created
        plan = Plan.objects.filter(organisation=organisation, fiscal_year=fiscal_year).first()
        if plan is None:
            plan = plan_create(organisation=organisation, fiscal_year=fiscal_year, user=user)
            created = True
        lock_plan(plan)  # the file renumbers every project
        return plan

    plan = import_table(PlanImport(open_plan), data=data, filename=filename)
    # After the rows are checked, so a bad file lists its lines first; refused, all is rolled back.
    confirm_revision = confirm_revision or created
    require_revision_confirmed(plan, confirm_revision)
    mark_changed(plan)
    return plan
