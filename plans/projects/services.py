"""Every change to a plan's projects and their detail sheets: keyword-only, one transaction, validated."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from lao_integrity import ordering
from lao_integrity.concurrency import StaleEdit, check_and_bump, stale_edit
from lao_integrity.history import records_user
from lao_integrity.pagecache.versions import scoped

from .. import sheet_layout
from ..changes import check_edit, lock_plan, mark_changed, require_not_submitted, require_revision_confirmed
from ..models import (
    DetailSheet,
    MethodStep,
    Plan,
    Project,
    SheetIndicator,
    SheetObjective,
    TargetGroup,
    guess_kind,
)

PROJECT_FIELDS = ("sequence", "kind", "name", "dimension", "budget", "q1", "q2", "q3", "q4",
                  "responsible_unit", "remark", "is_added", "added_note")


@scoped("plan")
@records_user
@transaction.atomic
def project_create(*, plan: Plan, user, confirm_revision: bool = True, **fields) -> Project:
    check_edit(user, plan.organisation)
    require_not_submitted(plan)
    require_revision_confirmed(plan, confirm_revision)
    unknown = set(fields) - set(PROJECT_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields {unknown}")
    lock_plan(plan)  # before the next sequence is read
    project = Project(plan=plan, **fields)
    if not project.sequence:
        project.sequence = ordering.next_position(plan.projects.all(), field="sequence")
    if not project.kind:
        project.kind = guess_kind(project.name)
    if "is_added" not in fields and plan.versions.exists():
        # Anything added once a baseline exists is, by definition, added after it.
        project.is_added = True
    project.full_clean()
    project.save()
    mark_changed(plan)
    return project


@scoped("project")
@records_user
@transaction.atomic
def project_update(*, project: Project, user, expected_version: int | None = None,
                   confirm_revision: bool = True, **fields) -> Project:
    """`expected_version`: the version the edit form was loaded with; StaleEdit if it moved.
    `confirm_revision`: False from a page where the user has not confirmed starting a revision."""
    check_edit(user, project.plan.organisation)
    require_not_submitted(project.plan)
    require_revision_confirmed(project.plan, confirm_revision)
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
    mark_changed(project.plan)
    return project


@scoped("project")
@records_user
@transaction.atomic
def project_delete(*, project: Project, user, confirm_revision: bool = True) -> None:
    plan = project.plan
    check_edit(user, plan.organisation)
    require_revision_confirmed(plan, confirm_revision)
    lock_plan(plan)
    project = Project.objects.filter(pk=project.pk).first()  # its sequence now, after any move meanwhile
    if project is None:  # deleted meanwhile
        return
    project.delete()
    ordering.close_gaps(plan.projects.all(), field="sequence")  # the table never skips a number
    mark_changed(plan)


@scoped("project")
@records_user
@transaction.atomic
def project_move(*, project: Project, offset: int, user, confirm_revision: bool = True) -> None:
    """Move a project up (-1) or down (+1) in the table."""
    plan = project.plan
    check_edit(user, plan.organisation)
    lock_plan(plan)
    if ordering.move(project, offset, siblings=plan.projects.all(), field="sequence"):
        # Asked only when the table changes (the first project up is no revision); refused, the
        # move is rolled back with the transaction.
        require_revision_confirmed(plan, confirm_revision)
        mark_changed(plan)


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
    check_edit(user, project.plan.organisation)
    require_not_submitted(project.plan)
    sheet = DetailSheet.objects.select_for_update().filter(project=project).first()
    if sheet is None:
        if expected_version:
            raise StaleEdit([], current_version=0, deleted=True)
        sheet = DetailSheet(project=project, version=1)
    else:
        check_and_bump(sheet, expected_version)
    sheet.rationale = rationale.strip()
    # Sections 6 and 8 as the plan would give them are kept blank: they follow the project's
    # quarters and unit when those change (the editor shows them filled in).
    duration, responsible = duration.strip(), responsible.strip()
    sheet.duration = "" if duration == sheet_layout.default_duration(project) else duration
    sheet.budget_note = budget_note.strip()
    sheet.responsible = "" if responsible == sheet_layout.default_responsible(project) else responsible
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
