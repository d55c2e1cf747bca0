"""Every change to a plan goes through here: keyword-only, one transaction, validated."""

import re
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone

from lao_integrity import thai
from lao_integrity.concurrency import StaleEdit, check_and_bump, claim, save_claimed, stale_edit
from lao_integrity.confirmation import require_confirmed, status_went_back
from lao_integrity.evidence import replace_file, validate_evidence
from lao_integrity.history import records_user
from lao_integrity.locks import lock_organisation
from lao_integrity.orgs import access
from lao_integrity.orgs.models import Organisation
from lao_integrity.pagecache.versions import scoped
from lao_integrity.table_import import import_table
from lao_integrity.tabular import write_table

from .exchange import HEADERS, TOTAL_LABEL, PlanImport
from .models import (
    DetailSheet,
    Framework,
    MethodStep,
    Plan,
    PlanStatus,
    PlanVersion,
    ProgressStatus,
    Project,
    ProjectProgress,
    SheetIndicator,
    SheetObjective,
    TargetGroup,
    guess_kind,
)
from .resources import ProjectResource
from .revisions import RevisionNotConfirmed
from .selectors import plan_totals

PROJECT_FIELDS = ("sequence", "kind", "name", "dimension", "budget", "q1", "q2", "q3", "q4",
                  "responsible_unit", "remark", "is_added", "added_note")


def _check_edit(user, organisation):
    if not access.can_edit(user, organisation):
        raise PermissionDenied("ท่านไม่มีสิทธิ์แก้ไขข้อมูลของ อปท. นี้")


def framework_for_year(fiscal_year: int) -> Framework:
    framework = (Framework.objects.filter(first_year__lte=fiscal_year, last_year__gte=fiscal_year)
                 .order_by("-first_year").first())
    if framework is None:
        raise ValidationError({"fiscal_year": f"ยังไม่มีกรอบแผนที่ครอบคลุมปีงบประมาณ {fiscal_year}"})
    return framework


def _lock_plan(plan: Plan) -> Plan:
    """The plan's row, locked until the transaction ends: every write that numbers the plan's
    projects (add, delete, move, import) or its versions takes it first, so two of them at once
    queue up instead of both taking the same number (the second would break the unique
    (plan, sequence) constraint: an HTTP 500, and what was typed lost)."""
    return Plan.objects.select_for_update().get(pk=plan.pk)


def _require_revision_confirmed(plan: Plan, confirmed: bool) -> None:
    """Refuse to change an approved plan unless the user confirmed starting a revision
    (plans/revisions.py). Under the plan's row lock, so an approval made since counts."""
    if not confirmed and Plan.objects.select_for_update().filter(pk=plan.pk, status=PlanStatus.APPROVED).exists():
        raise RevisionNotConfirmed(plan)


def _mark_changed(plan: Plan) -> None:
    """A change to an approved plan starts a revision; the approved version stays frozen."""
    # Decided in the database: the caller's `plan` may predate an approval made since.
    plan.status = PlanStatus.DRAFT
    stored = Plan.objects.select_for_update().get(pk=plan.pk)
    if stored.status == PlanStatus.DRAFT:
        # Only the timestamp moves: a queryset update, so no history row for it.
        Plan.objects.filter(pk=plan.pk).update(updated_at=timezone.now())
        return
    # Back to draft is a change of the plan itself: saved, so the audit trail records it and
    # edit forms opened before it are refused (the version moves).
    stored.status = PlanStatus.DRAFT
    check_and_bump(stored)
    stored.save(update_fields=["status", "updated_at", "version"])
    plan.version = stored.version


@scoped("organisation")
@records_user
@transaction.atomic
def plan_create(*, organisation: Organisation, fiscal_year: int, user, **fields) -> Plan:
    _check_edit(user, organisation)
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
    _check_edit(user, plan.organisation)
    for name in fields:
        if name not in {"data_as_of", "issuer"}:
            raise ValueError(f"field {name} cannot be changed here")
    check_and_bump(plan, expected_version)
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.full_clean()
    # Only the named fields: a stale `plan` must not write back an old status.
    plan.save(update_fields=[*fields, "updated_at", "version"])
    return plan


def _snapshot(plan: Plan) -> list[dict]:
    return [
        {
            "sequence": p.sequence, "name": p.name, "kind": p.kind, "dimension": p.dimension.number,
            "budget": str(p.budget), "quarters": p.quarters, "remark": p.remark, "is_added": p.is_added,
        }
        for p in plan.projects.select_related("dimension").order_by("sequence")
    ]


@scoped("plan")
@records_user
@transaction.atomic
def plan_approve(*, plan: Plan, user) -> PlanVersion:
    """The executive approves: the current list is frozen as the next version."""
    if not access.can_approve(user, plan.organisation):
        raise PermissionDenied("เฉพาะผู้บริหารของ อปท. นี้เท่านั้นที่อนุมัติแผนได้")
    plan = _lock_plan(plan)  # before the next version number is read
    if plan.status == PlanStatus.APPROVED:
        raise ValidationError("แผนนี้อนุมัติแล้ว และยังไม่มีการแก้ไขหลังอนุมัติ")
    if not plan.projects.exists():
        raise ValidationError("แผนยังไม่มีโครงการ อนุมัติไม่ได้")
    number = (plan.versions.aggregate(n=Max("number"))["n"])
    number = 0 if number is None else number + 1
    version = PlanVersion.objects.create(plan=plan, number=number, snapshot=_snapshot(plan),
                                         created_by=access.person(user))
    check_and_bump(plan)
    plan.status = PlanStatus.APPROVED
    plan.approved_at = timezone.now()
    plan.approved_by = access.person(user)
    plan.save(update_fields=["status", "approved_at", "approved_by", "updated_at", "version"])
    return version


def _next_sequence(plan: Plan) -> int:
    return (plan.projects.aggregate(n=Max("sequence"))["n"] or 0) + 1


@scoped("plan")
@records_user
@transaction.atomic
def project_create(*, plan: Plan, user, confirm_revision: bool = True, **fields) -> Project:
    _check_edit(user, plan.organisation)
    _require_revision_confirmed(plan, confirm_revision)
    unknown = set(fields) - set(PROJECT_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields {unknown}")
    _lock_plan(plan)  # before the next sequence is read
    project = Project(plan=plan, **fields)
    if not project.sequence:
        project.sequence = _next_sequence(plan)
    if not project.kind:
        project.kind = guess_kind(project.name)
    if "is_added" not in fields and plan.versions.exists():
        # Anything added once a baseline exists is, by definition, added after it.
        project.is_added = True
    project.full_clean()
    project.save()
    _mark_changed(plan)
    return project


@scoped("project")
@records_user
@transaction.atomic
def project_update(*, project: Project, user, expected_version: int | None = None,
                   confirm_revision: bool = True, **fields) -> Project:
    """`expected_version`: the version the edit form was loaded with; StaleEdit if it moved.
    `confirm_revision`: False from a page where the user has not confirmed starting a revision."""
    _check_edit(user, project.plan.organisation)
    _require_revision_confirmed(project.plan, confirm_revision)
    for name in fields:
        if name not in PROJECT_FIELDS:
            raise ValueError(f"unknown field {name}")
    check_and_bump(project, expected_version)
    for name, value in fields.items():
        setattr(project, name, value)
    if not project.kind:  # left blank on the form: "as the name begins", as when adding
        project.kind = guess_kind(project.name)
    project.full_clean()
    project.save()
    _mark_changed(project.plan)
    return project


@scoped("project")
@records_user
@transaction.atomic
def project_delete(*, project: Project, user, confirm_revision: bool = True) -> None:
    plan = project.plan
    _check_edit(user, plan.organisation)
    _require_revision_confirmed(plan, confirm_revision)
    _lock_plan(plan)
    project = Project.objects.filter(pk=project.pk).first()  # its sequence now, after any move meanwhile
    if project is None:  # deleted meanwhile
        return
    sequence = project.sequence
    project.delete()
    # Close the gap so the table never skips a number.
    for p in plan.projects.filter(sequence__gt=sequence).order_by("sequence"):
        Project.objects.filter(pk=p.pk).update(sequence=p.sequence - 1)
    _mark_changed(plan)


@scoped("project")
@records_user
@transaction.atomic
def project_move(*, project: Project, offset: int, user, confirm_revision: bool = True) -> None:
    """Move a project up (-1) or down (+1) in the table."""
    plan = project.plan
    _check_edit(user, plan.organisation)
    _lock_plan(plan)
    ordered = list(plan.projects.order_by("sequence").values_list("pk", flat=True))
    if project.pk not in ordered:  # deleted meanwhile: nothing to move
        return
    index = ordered.index(project.pk)
    target = index + offset
    if not 0 <= target < len(ordered):
        return
    _require_revision_confirmed(plan, confirm_revision)
    ordered[index], ordered[target] = ordered[target], ordered[index]
    _renumber(plan, ordered)
    _mark_changed(plan)


def _renumber(plan: Plan, ordered_pks: list[int]) -> None:
    # Two passes keep the (plan, sequence) unique constraint satisfied on every database.
    # Queryset updates on purpose: a position, not content; rows of the audit trail for every
    # shifted project (twice, with the temporary +10000) would bury the real changes.
    plan.projects.update(sequence=F("sequence") + 10000)
    for sequence, pk in enumerate(ordered_pks, start=1):
        Project.objects.filter(pk=pk).update(sequence=sequence)


@scoped("project")
@records_user
@transaction.atomic
def detail_sheet_save(*, project: Project, user, rationale="", duration="", budget_note="",
                      responsible="", objectives=(), target_groups=(), steps=(), outputs=(),
                      outcomes=(), expected_version: int | None = None) -> DetailSheet:
    """Replace the sheet's parts with the given lists (of strings or dicts), in order.

    `expected_version`: the version the edit form was loaded with (0 when there was no sheet
    yet); StaleEdit if it moved. A new sheet starts at version 1.
    """
    _check_edit(user, project.plan.organisation)
    sheet = DetailSheet.objects.select_for_update().filter(project=project).first()
    if sheet is None:
        if expected_version:
            raise StaleEdit([], current_version=0, deleted=True)
        sheet = DetailSheet(project=project, version=1)
    else:
        check_and_bump(sheet, expected_version)
    sheet.rationale = rationale.strip()
    sheet.duration = duration.strip()
    sheet.budget_note = budget_note.strip()
    sheet.responsible = responsible.strip()
    # A concurrent first save of the same sheet is caught below, as a stale edit.
    sheet.full_clean(validate_unique=sheet.pk is not None)
    if sheet.pk is None:
        try:
            with transaction.atomic():
                sheet.save()
        except IntegrityError:
            # Another save created the sheet first (the project has one sheet).
            raise stale_edit(DetailSheet.objects.get(project=project), expected_version) from None
    else:
        sheet.save()

    def replace(model, related, rows):
        getattr(sheet, related).all().delete()
        objs = []
        for order, row in enumerate(rows, start=1):
            obj = model(sheet=sheet, order=order, **row)
            obj.full_clean()
            objs.append(obj)
        model.objects.bulk_create(objs)

    replace(SheetObjective, "objectives", [{"text": t.strip()} for t in objectives if t and t.strip()])
    replace(TargetGroup, "target_groups", target_groups)
    levels = [dict(s) for s in steps]
    previous = 0
    for step in levels:
        level = step.get("level", 1)
        if level > previous + 1:
            raise ValidationError(f"ขั้นตอนย่อยระดับ {level} ต้องอยู่ใต้ขั้นตอนระดับ {level - 1}")
        previous = level
    replace(MethodStep, "steps", levels)
    sheet.indicators.all().delete()
    indicators = []
    for kind, rows in (("output", outputs), ("outcome", outcomes)):
        for order, row in enumerate(rows, start=1):
            obj = SheetIndicator(sheet=sheet, kind=kind, order=order, **row)
            obj.full_clean()
            indicators.append(obj)
    SheetIndicator.objects.bulk_create(indicators)
    Plan.objects.filter(pk=project.plan_id).update(updated_at=timezone.now())
    return sheet


# The order of the statuses a project goes through; "cancelled" stands apart.
_STAGES = [ProgressStatus.NOT_STARTED, ProgressStatus.IN_PROGRESS, ProgressStatus.DONE]


def progress_warnings(*, project: Project, quarter: int, status: str, amount_spent: Decimal) -> dict[str, str]:
    """What to ask the user before saving a quarter's progress (kind -> Thai message).

    Spending: when this save raises the quarter's amount and the project's total over all
    quarters then exceeds its budget (a project without budget spends nothing). Status: when it
    goes back to an earlier stage from "done", recorded for this quarter or the latest earlier one.
    """
    stored = {p.quarter: p for p in ProjectProgress.objects.filter(project=project)}
    warnings = {}
    previous = stored.get(quarter)
    previous_amount = previous.amount_spent if previous else Decimal("0")
    total = sum((p.amount_spent for q, p in stored.items() if q != quarter), Decimal("0")) + amount_spent
    budget = project.budget or Decimal("0")
    if amount_spent > previous_amount and total > budget:
        fmt = thai.format_baht
        if not budget:
            text = (f"โครงการนี้ไม่ได้ตั้งงบประมาณไว้ (ดำเนินการโดยไม่ใช้งบประมาณ) "
                    f"แต่บันทึกการใช้งบประมาณรวม {fmt(total)} บาท")
        elif amount_spent > budget:
            text = (f"ไตรมาสนี้ใช้งบประมาณไป {fmt(amount_spent)} บาท เกินงบประมาณทั้งโครงการ "
                    f"{fmt(budget)} บาท (เกิน {fmt(amount_spent - budget)} บาท)")
        else:
            text = (f"ใช้งบประมาณรวมทุกไตรมาส {fmt(total)} บาท (ไตรมาสนี้ {fmt(amount_spent)} บาท) "
                    f"เกินงบประมาณของโครงการ {fmt(budget)} บาท (เกิน {fmt(total - budget)} บาท)")
        warnings["overspend"] = text + " หากถูกต้อง ให้ทำเครื่องหมาย “ยืนยันว่าเบิกจ่ายเกินงบประมาณ” แล้วบันทึกอีกครั้ง"
    warnings.update(status_went_back({q: p.status for q, p in stored.items()}, quarter, status, stages=_STAGES,
                                     labels=dict(ProgressStatus.choices)))
    return warnings


@scoped("project")
@records_user
@transaction.atomic
def progress_record(*, project: Project, quarter: int, user, status: str,
                    amount_spent: Decimal = Decimal("0"), result: str = "", evidence_file=None,
                    evidence_url: str = "", expected_version: int | None = None,
                    confirmed=()) -> ProjectProgress:
    """One quarter's progress. `expected_version`: the version the form was loaded with (0 when
    the quarter had none); StaleEdit if it moved. Spending over the budget and a status back
    from "done" need the user's confirmation (`confirmed`: the kinds of progress_warnings)."""
    _check_edit(user, project.plan.organisation)
    if evidence_file:
        validate_evidence(evidence_file)
    # One writer of a project's quarters at a time: the totals below are checked against the stored budget.
    locked = Project.objects.select_for_update().get(pk=project.pk)
    progress = claim(ProjectProgress, expected_version, project=project, quarter=quarter)
    require_confirmed(progress_warnings(project=locked, quarter=quarter, status=status,
                                        amount_spent=amount_spent), confirmed)
    progress.status = status
    progress.amount_spent = amount_spent
    progress.result = result.strip()
    replace_file(progress, evidence_file)
    progress.evidence_url = evidence_url.strip()
    progress.updated_by = access.person(user)
    progress.full_clean(validate_unique=False)
    save_claimed(progress, expected_version, project=project, quarter=quarter)
    return progress


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
    _check_edit(user, organisation)
    created = False

    def open_plan() -> Plan:  # once the file has been read: a bad file is refused before a plan is made
        nonlocal created
        plan = Plan.objects.filter(organisation=organisation, fiscal_year=fiscal_year).first()
        if plan is None:
            plan = plan_create(organisation=organisation, fiscal_year=fiscal_year, user=user)
            created = True
        _lock_plan(plan)  # the file renumbers every project
        return plan

    plan = import_table(PlanImport(open_plan), data=data, filename=filename)
    # After the rows are checked, so a bad file lists its lines first; refused, all is rolled back.
    confirm_revision = confirm_revision or created
    _require_revision_confirmed(plan, confirm_revision)
    _mark_changed(plan)
    return plan
