"""The plan's project list as a file: one format for the admin, the pages and the commands.

Columns: ลำดับ, รายการโครงการ, มิติ, งบประมาณ (บาท), ไตรมาส 1-4, หมายเหตุ. A quarter cell is ✓
(1, x, ใช่ also accepted) or empty; มิติ is 1-4, or *1-*4 for a project added after the baseline.
"""

from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q
from django.utils import timezone
from import_export import fields, resources, widgets

from lao_integrity import bulk, thai

from .models import QUARTERS, Dimension, Plan, Project, guess_kind

COL_SEQUENCE = "ลำดับ"
COL_NAME = "รายการโครงการ"
COL_DIMENSION = "มิติ"
COL_BUDGET = "งบประมาณ (บาท)"
COL_QUARTER = "ไตรมาส {}"
COL_REMARK = "หมายเหตุ"
QUARTER_COLUMNS = [COL_QUARTER.format(q) for q in QUARTERS]
HEADERS = [COL_SEQUENCE, COL_NAME, COL_DIMENSION, COL_BUDGET, *QUARTER_COLUMNS, COL_REMARK]
TOTAL_LABEL = "รวมทั้งสิ้น"
# Sequence numbers from a file stay below PARKED, where an import parks the current ones.
MAX_SEQUENCE = 9999
PARKED = 10000
TICK = "✓"
TICK_VALUES = {"✓", "✔", "/", "1", "x", "X", "ใช่", "true", "True", "TRUE", "y", "Y"}


class TickWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = str(value if value is not None else "").strip()
        if text == "" or text in {"0", "-"}:
            return False
        if text in TICK_VALUES:
            return True
        raise ValueError(f"ค่า “{text}” ไม่ถูกต้อง ใส่ ✓ หรือเว้นว่าง")

    def render(self, value, obj=None, **kwargs):
        return TICK if value else ""


class BahtWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = str(value if value is not None else "").strip()
        if text == "":
            return Decimal("0.00")
        amount = thai.parse_amount(text)  # raises ValueError with a Thai message
        if amount < 0:
            raise ValueError("งบประมาณต้องไม่ติดลบ")
        return amount

    def render(self, value, obj=None, **kwargs):
        return value


class SequenceWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = thai.to_arabic_digits(str(value if value is not None else "").strip())
        if text.endswith(".0"):
            text = text[:-2]
        if not text.isdigit() or not text.strip("0"):
            raise ValueError(f"ลำดับ “{value}” ต้องเป็นจำนวนเต็มตั้งแต่ 1 ขึ้นไป" if text else "กรุณาระบุลำดับ")
        if len(text) > 5 or int(text) > MAX_SEQUENCE:
            raise ValueError(f"ลำดับ “{value}” ต้องไม่เกิน {MAX_SEQUENCE:,}")
        return int(text)

    def render(self, value, obj=None, **kwargs):
        return value


class TextWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        return str(value if value is not None else "").strip()


class DimensionField(fields.Field):
    """"2" sets the dimension; "*2" also marks the project as added after the baseline."""

    def __init__(self, *, plan, **kwargs):
        super().__init__(attribute="dimension", column_name=COL_DIMENSION, **kwargs)
        self.plan = plan
        self._dimensions: dict[str, Dimension] | None = None

    def clean(self, row, **kwargs):
        text = thai.to_arabic_digits(str(row.get(COL_DIMENSION) or "").strip())
        added = text.startswith("*")
        number = text.lstrip("*").strip()
        if number.endswith(".0"):
            number = number[:-2]
        dimensions = self.dimensions()
        if number not in dimensions:
            allowed = ", ".join(sorted(dimensions)) or "-"
            raise ValueError(f"มิติ “{text}” ไม่มีในกรอบแผน (ใช้ได้: {allowed} หรือ *{allowed[0] if dimensions else ''} สำหรับโครงการเพิ่มเติม)")
        return dimensions[number], added

    def dimensions(self) -> dict[str, Dimension]:
        """The plan framework's dimensions by number, read once per import (not once per row)."""
        if self._dimensions is None:
            self._dimensions = {str(d.number): d for d in self.plan.framework.dimensions.all()} if self.plan else {}
        return self._dimensions

    def save(self, instance, row, is_m2m=False, **kwargs):
        dimension, added = self.clean(row)
        instance.dimension = dimension
        instance.is_added = added

    def export(self, instance, **kwargs):
        return instance.dimension_label


class ProjectResource(resources.ModelResource):
    """Import replaces the plan's project list; projects are matched by name so their detail
    sheets and progress survive, and a project that has either is never deleted by an import.

    Rows are validated one by one as they are read; the projects are then written in bulk
    (`use_bulk`), each with the audit-trail row its save() would have written. Checks that
    Django would make with a query per row are made in memory (`validate_instance`).
    """

    sequence = fields.Field(attribute="sequence", column_name=COL_SEQUENCE, widget=SequenceWidget())
    name = fields.Field(attribute="name", column_name=COL_NAME, widget=TextWidget())
    budget = fields.Field(attribute="budget", column_name=COL_BUDGET, widget=BahtWidget())
    q1 = fields.Field(attribute="q1", column_name=QUARTER_COLUMNS[0], widget=TickWidget())
    q2 = fields.Field(attribute="q2", column_name=QUARTER_COLUMNS[1], widget=TickWidget())
    q3 = fields.Field(attribute="q3", column_name=QUARTER_COLUMNS[2], widget=TickWidget())
    q4 = fields.Field(attribute="q4", column_name=QUARTER_COLUMNS[3], widget=TickWidget())
    remark = fields.Field(attribute="remark", column_name=COL_REMARK, widget=TextWidget())

    FIELD_LABELS = {
        "sequence": COL_SEQUENCE,
        "name": COL_NAME,
        "dimension": COL_DIMENSION,
        "budget": COL_BUDGET,
        "q1": COL_QUARTER.format(1),
        "q2": COL_QUARTER.format(2),
        "q3": COL_QUARTER.format(3),
        "q4": COL_QUARTER.format(4),
        "remark": COL_REMARK,
        "__all__": "",
    }

    class Meta:
        model = Project
        fields = ("sequence", "name", "dimension", "budget", "q1", "q2", "q3", "q4", "remark")
        export_order = ("sequence", "name", "dimension", "budget", "q1", "q2", "q3", "q4", "remark")
        import_id_fields = ()
        clean_model_instances = True
        skip_diff = True
        use_transactions = True
        use_bulk = True
        batch_size = 1000

    def __init__(self, plan: Plan | None = None, **kwargs):
        super().__init__(**kwargs)
        self.plan = plan
        self.fields["dimension"] = DimensionField(plan=plan)
        self._existing: dict[str, list[Project]] = {}
        self._seen: set[int] = set()
        self._sequences: dict[int, str] = {}

    def get_export_headers(self, selected_fields=None):
        return list(HEADERS)

    def before_import(self, dataset, **kwargs):
        if self.plan is None:
            raise ValueError("ต้องระบุแผนที่จะนำเข้า")
        existing = list(self.plan.projects.order_by("sequence", "pk"))
        # Two projects may share a name: each row takes the next one of that name, none is forgotten.
        self._existing = {}
        for project in existing:
            self._existing.setdefault(project.name.strip(), []).append(project)
        # Park current sequence numbers out of the way (each its own number from PARKED up, above
        # every number a file may use) so the file's numbers can be reused. No audit-trail row:
        # each project's save below records where it ends up.
        for index, project in enumerate(existing):
            project.sequence = PARKED + index
        Project.objects.bulk_update(existing, ["sequence"], batch_size=self._meta.batch_size)

    def get_or_init_instance(self, instance_loader, row):
        name = str(row.get(COL_NAME) or "").strip()
        for project in self._existing.get(name, []):
            if project.pk not in self._seen:
                self._seen.add(project.pk)
                return project, False
        return Project(plan=self.plan), True

    def import_instance(self, instance, row, **kwargs):
        errors: dict = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        finally:
            # The file has no kind column: a new project's kind comes from its name's first word.
            if instance._state.adding or not instance.kind:
                instance.kind = guess_kind(instance.name or "")
        # A repeated ลำดับ is reported in Thai here; the database constraint's message is not.
        if "sequence" not in errors:
            if instance.sequence in self._sequences:
                first = self._sequences[instance.sequence]
                errors["sequence"] = [ValidationError(f"ลำดับ {instance.sequence} ซ้ำกับโครงการ “{first}”")]
            else:
                self._sequences[instance.sequence] = instance.name
        if errors:
            raise ValidationError(errors)

    # The checks full_clean() makes with a query per row, made against what is in memory. The
    # plan is self.plan and each dimension comes from its framework (DimensionField): both exist.
    # (plan, sequence) is unique: the file's numbers are checked against each other in
    # import_instance and the stored ones are parked above them. The budget's MinValueValidator
    # and Project.clean() (a quarter ticked) are the two check constraints, as Python.
    IN_MEMORY_CHECKS = ("project_unique_sequence", "project_budget_not_negative", "project_has_quarter")

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        exclude = {*errors, "plan", "dimension"}
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if instance.plan_id != getattr(self.plan, "pk", None):
            errors.setdefault(NON_FIELD_ERRORS, []).append(ValidationError("โครงการไม่อยู่ในแผนที่นำเข้า"))
        dimensions = self.fields["dimension"].dimensions()
        if instance.dimension_id not in {d.pk for d in dimensions.values()} and "dimension" not in errors:
            errors["dimension"] = [ValidationError("มิตินี้ไม่อยู่ในกรอบแผนของแผนนี้")]
        # Any other (later) constraint is still checked by Django, with its query.
        for constraint in Project._meta.constraints:
            if constraint.name in self.IN_MEMORY_CHECKS:
                continue
            try:
                constraint.validate(Project, instance, exclude={*exclude, *errors} - {"plan", "dimension"})
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """The new projects in one INSERT per batch, with their "+" audit-trail rows."""
        if self.create_instances and (using_transactions or not dry_run):
            try:
                Project.objects.bulk_create(self.create_instances, batch_size=batch_size)
                bulk.write_history(Project, self.create_instances, "+", when=timezone.now(),
                                   user=bulk.history_user(Project))
            except Exception as error:
                self.handle_import_error(result, error, raise_errors)
            finally:
                self.create_instances.clear()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """The matched projects saved as save() would (every field, updated_at now), with their
        "~" audit-trail rows."""
        if self.update_instances and (using_transactions or not dry_run):
            now = timezone.now()
            for project in self.update_instances:
                project.updated_at = now
            fields = [f.name for f in Project._meta.concrete_fields if not f.primary_key]
            try:
                bulk.update_rows(Project, self.update_instances, fields)
                bulk.write_history(Project, self.update_instances, "~", when=now, user=bulk.history_user(Project))
            except Exception as error:
                self.handle_import_error(result, error, raise_errors)
            finally:
                self.update_instances.clear()

    def after_import(self, dataset, result, **kwargs):
        if result.has_errors() or result.has_validation_errors():
            return
        gone = [p for same_name in self._existing.values() for p in same_name if p.pk not in self._seen]
        # One query, not two per project: which of them have a detail sheet or progress.
        used = set(Project.objects.filter(pk__in=[p.pk for p in gone])
                   .filter(Q(sheet__isnull=False) | Q(progress__isnull=False)).values_list("pk", flat=True))
        keep = [p for p in gone if p.pk in used]
        if keep:
            names = ", ".join(f"“{p.name}”" for p in keep)
            raise ValueError(
                f"ไฟล์ไม่มีโครงการที่มีรายละเอียดหรือผลการดำเนินงานบันทึกไว้แล้ว: {names} "
                "หากต้องการลบ ให้ลบที่หน้าแผนก่อน แล้วจึงนำเข้าใหม่"
            )
        Project.objects.filter(pk__in=[p.pk for p in gone]).delete()

    def dehydrate_budget(self, project):
        return project.budget
