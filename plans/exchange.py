"""The plan's project list as a file: its columns, how a row becomes a project, and how the
projects are written (lao_integrity.table_import runs the import; resources.py exports).

Columns: ลำดับ, รายการโครงการ, มิติ, งบประมาณ (บาท), ไตรมาส 1-4, หมายเหตุ. A quarter cell is ✓
(/, x, 1, ใช่ also accepted) or empty; มิติ is 1-4, or *1-*4 for a project added after the baseline.
The table as e-PlanNACC and the plan book print it is read as well: "รายการโครงการ (ตั้งต้น)", the
quarters under a two-row header ("ดำเนินการไตรมาส" over "1 2 3 4"), Thai digits in any cell, and the
"รวมทั้งสิ้น" row, which is checked against the rows (`TotalRow`) and not imported.
"""

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.utils import timezone

from lao_integrity import bulk, thai
from lao_integrity.table_import import (
    ImportRejected,
    Row,
    RowInvalid,
    RowProblem,
    TableImport,
    field_messages,
)

from .models import QUARTERS, Dimension, Plan, Project, guess_kind

COL_SEQUENCE, COL_NAME, COL_DIMENSION, COL_BUDGET = "ลำดับ", "รายการโครงการ", "มิติ", "งบประมาณ (บาท)"
COL_QUARTER, COL_REMARK = "ไตรมาส {}", "หมายเหตุ"
QUARTER_COLUMNS = [COL_QUARTER.format(q) for q in QUARTERS]
HEADERS = [COL_SEQUENCE, COL_NAME, COL_DIMENSION, COL_BUDGET, *QUARTER_COLUMNS, COL_REMARK]
TOTAL_LABEL = "รวมทั้งสิ้น"
# Sequence numbers from a file stay below PARKED, where an import parks the current ones.
MAX_SEQUENCE = 9999
PARKED = 10000
TICK = "✓"
TICK_VALUES = {"✓", "✔", "/", "1", "x", "X", "ใช่", "true", "True", "TRUE", "y", "Y"}
BATCH = 1000


def read_tick(value) -> bool:
    text = thai.to_arabic_digits(str(value if value is not None else "").strip())
    if text == "" or text in {"0", "-"}:
        return False
    if text in TICK_VALUES:
        return True
    raise ValueError(f"ค่า “{text}” ไม่ถูกต้อง ใส่ ✓ หรือเว้นว่าง")


def read_budget(value) -> Decimal:
    text = str(value if value is not None else "").strip()
    if text == "":
        return Decimal("0.00")
    amount = thai.parse_amount(text)  # raises ValueError with a Thai message
    if amount < 0:
        raise ValueError("งบประมาณต้องไม่ติดลบ")
    return amount


def read_sequence(value) -> int:
    text = thai.to_arabic_digits(str(value if value is not None else "").strip())
    if text.endswith(".0"):
        text = text[:-2]
    if not text.isdigit() or not text.strip("0"):
        raise ValueError(f"ลำดับ “{value}” ต้องเป็นจำนวนเต็มตั้งแต่ 1 ขึ้นไป" if text else "กรุณาระบุลำดับ")
    if len(text) > 5 or int(text) > MAX_SEQUENCE:
        raise ValueError(f"ลำดับ “{value}” ต้องไม่เกิน {MAX_SEQUENCE:,}")
    return int(text)


def read_text(value) -> str:
    return str(value if value is not None else "").strip()


def read_dimension(value, dimensions: dict[str, Dimension]) -> tuple[Dimension, bool]:
    """"2" is the framework's dimension 2; "*2" also marks the project as added after the baseline."""
    text = thai.to_arabic_digits(str(value or "").strip())
    added = text.startswith("*")
    number = text.lstrip("*").strip()
    if number.endswith(".0"):
        number = number[:-2]
    if number not in dimensions:
        allowed = ", ".join(sorted(dimensions)) or "-"
        raise ValueError(f"มิติ “{text}” ไม่มีในกรอบแผน (ใช้ได้: {allowed} หรือ *{allowed[0] if dimensions else ''} "
                         "สำหรับโครงการเพิ่มเติม)")
    return dimensions[number], added


def _plain(value) -> str:
    return " ".join(thai.to_arabic_digits(str(value if value is not None else "")).split())


def _quarter_of(text: str) -> int | None:
    """1-4 from a quarter's column heading: "1", "๑", "ไตรมาส 1", "ไตรมาสที่ 1"."""
    number = text.removeprefix("ไตรมาส").strip().removeprefix("ที่").strip()
    return int(number) if number in {"1", "2", "3", "4"} else None


PRINTED_NAME = re.compile(r"รายการโครงการ\s*\(.*\)")  # "(ตั้งต้น)", "(ฉบับปรับปรุง ครั้งที่ 1)"
QUARTER_SPAN = "ดำเนินการ"  # "ดำเนินการไตรมาส" (or "ดำเนินการ") printed over the four quarter columns


def printed_headers(headers: list[str], below: list[str]) -> tuple[list[str], bool]:
    """The file's headers as this import names them, and whether the row `below` is the second row of
    a printed header: "ดำเนินการไตรมาส" over "1 2 3 4" (or "ไตรมาส 1" ...; the other columns blank
    there, as merged cells read)."""
    names = [_plain(h) for h in headers]
    names = [COL_NAME if PRINTED_NAME.fullmatch(n) else n for n in names]
    names = [COL_QUARTER.format(q) if n.startswith("ไตรมาส") and (q := _quarter_of(n)) else n for n in names]
    start = next((i for i, n in enumerate(names) if n.startswith(QUARTER_SPAN)), None)
    if start is None:
        return names, False
    end = start + 1
    while end < len(names) and not names[end]:
        end += 1
    sub = [_plain(c) for c in below] + [""] * len(names)
    quarters = [_quarter_of(sub[i]) for i in range(start, end)]
    outside = [sub[i] for i in range(len(names)) if not start <= i < end]
    if None in quarters or any(outside):
        return names, False
    for offset, quarter in enumerate(quarters):
        names[start + offset] = COL_QUARTER.format(quarter)
    return names, True


COUNT_IN_TOTAL = re.compile(r"(\d+)\s*โครงการ")


class TotalRow:
    """The "รวมทั้งสิ้น" row of a printed table: what it says is checked against the rows above it
    (the number of projects when it says "31 โครงการ", the budget, each quarter's ticks)."""

    def __init__(self, row: Row):
        self.row = row

    @staticmethod
    def is_total(row: Row) -> bool:
        return any(_plain(row.get(c)).startswith(TOTAL_LABEL) for c in (COL_SEQUENCE, COL_NAME))

    def problems(self, projects: list[Project]) -> list[RowProblem]:
        row, messages = self.row, []
        label = " ".join(_plain(row.get(c)) for c in (COL_SEQUENCE, COL_NAME))
        if (count := COUNT_IN_TOTAL.search(label)) and int(count.group(1)) != len(projects):
            messages.append(f"รวมทั้งสิ้น {count.group(1)} โครงการ ไม่ตรงกับจำนวนโครงการในไฟล์ {len(projects)} โครงการ")
        if _plain(row.get(COL_BUDGET)):
            budget = sum((p.budget for p in projects), Decimal("0.00"))
            try:
                stated = thai.parse_amount(row.get(COL_BUDGET))
            except ValueError as error:
                messages.append(f"{COL_BUDGET}: {error}")
            else:
                if stated != budget:
                    messages.append(f"{COL_BUDGET} รวมทั้งสิ้น {thai.format_baht(stated)} บาท ไม่ตรงกับผลรวมของโครงการ "
                                    f"{thai.format_baht(budget)} บาท")
        for q in QUARTERS:
            text = _plain(row.get(COL_QUARTER.format(q))).removesuffix(".0")
            if not text:
                continue
            ticked = sum(1 for p in projects if q in p.quarters)
            if not text.isdigit():
                messages.append(f"ไตรมาส {q}: ผลรวม “{text}” ต้องเป็นจำนวนโครงการ")
            elif int(text) != ticked:
                messages.append(f"ไตรมาส {q}: รวมทั้งสิ้น {text} โครงการ ไม่ตรงกับโครงการที่ทำเครื่องหมายไว้ {ticked} โครงการ")
        if messages:  # what to do, said once, after the last of them
            messages[-1] += " (แก้แถวรวมทั้งสิ้นให้ตรงกับรายการโครงการ หรือลบแถวนี้ออกก่อนนำเข้า)"
        return [RowProblem(row.line, message) for message in messages]


FIELD_LABELS = {"sequence": COL_SEQUENCE, "name": COL_NAME, "dimension": COL_DIMENSION, "budget": COL_BUDGET,
                **{f"q{q}": COL_QUARTER.format(q) for q in QUARTERS}, "remark": COL_REMARK}
# The cells in the order they are read (a row's problems are listed in this order, then the model's).
CELLS = [("sequence", COL_SEQUENCE, read_sequence), ("name", COL_NAME, read_text),
         ("dimension", COL_DIMENSION, None), ("budget", COL_BUDGET, read_budget),
         *((f"q{q}", COL_QUARTER.format(q), read_tick) for q in QUARTERS), ("remark", COL_REMARK, read_text)]
# The checks full_clean() makes with a query per row, made against what is in memory: (plan,
# sequence) is unique (the file's numbers are checked against each other in `parse`, the stored
# ones are parked above them); the budget's MinValueValidator and Project.clean() (a quarter
# ticked) are the two check constraints, as Python.
IN_MEMORY_CHECKS = ("project_unique_sequence", "project_budget_not_negative", "project_has_quarter")


class PlanImport(TableImport):
    """Replaces the plan's project list; projects are matched by name so their detail sheets and
    progress survive, and a project that has either is never deleted by an import.

    Rows are checked one by one as they are read; the projects are then written in bulk, each with
    the audit-trail row its save() would have written. `open_plan()` gives the plan (created when the
    year has none) once the file has been read, so a bad file is refused before a plan is made.
    """

    headers = HEADERS
    empty_message = "ไม่มีรายการโครงการในไฟล์"

    def __init__(self, open_plan):
        self.open_plan = open_plan
        self.plan: Plan | None = None
        self.dimensions: dict[str, Dimension] = {}
        self.existing: list[Project] = []
        self.by_name: dict[str, list[Project]] = {}
        self.seen: set[int] = set()
        self.sequences: dict[int, str] = {}
        self.totals: list[TotalRow] = []

    def read_headers(self, headers, below):
        return printed_headers(headers, below)

    def skip(self, row: Row) -> bool:
        # The total row is computed, not imported: what it says is checked (check_all). Below it, a
        # printed table's notes ("ข้อมูล ณ วันที่ ...", "ชื่อ - สกุล ผู้ออกรายงาน ...", the legend) in
        # the first column alone are passed over.
        if TotalRow.is_total(row):
            self.totals.append(TotalRow(row))
            return True
        first, rest = _plain(row.cells[0] if row.cells else ""), [c for c in row.cells[1:] if str(c).strip()]
        return bool(self.totals) and bool(first) and not rest and not first.replace(".", "").isdigit()

    def check_all(self, projects: list[Project]) -> list[RowProblem]:
        return [problem for total in self.totals for problem in total.problems(projects)]

    def prepare(self, rows):
        plan = self.plan = self.open_plan()
        # The import rewrites the list: a project form opened before it must not write its old values
        # back over the file's. Moved on before the projects are read, so each records the new version.
        plan.projects.update(version=F("version") + 1)
        self.dimensions = {str(d.number): d for d in plan.framework.dimensions.all()}
        self.existing = list(plan.projects.order_by("sequence", "pk"))
        # Two projects may share a name: each row takes the next one of that name, none is forgotten.
        for project in self.existing:
            self.by_name.setdefault(project.name.strip(), []).append(project)
        return []

    def _match(self, name: str) -> Project:
        for project in self.by_name.get(name, []):
            if project.pk not in self.seen:
                self.seen.add(project.pk)
                return project
        return Project(plan=self.plan)

    def parse(self, row: Row) -> Project:
        project = self._match(read_text(row[COL_NAME]))
        errors: dict[str, list[str]] = {}
        for attribute, column, read in CELLS:
            try:
                if read is None:
                    project.dimension, project.is_added = read_dimension(row[column], self.dimensions)
                else:
                    setattr(project, attribute, read(row[column]))
            except ValueError as error:
                errors[attribute] = [str(error)]
        # The file has no kind column: a new project's kind comes from its name's first word.
        if project._state.adding or not project.kind:
            project.kind = guess_kind(project.name or "")
        # A repeated ลำดับ is reported in Thai here; the database constraint's message is not.
        if "sequence" not in errors:
            if project.sequence in self.sequences:
                first = self.sequences[project.sequence]
                errors["sequence"] = [f"ลำดับ {project.sequence} ซ้ำกับโครงการ “{first}”"]
            else:
                self.sequences[project.sequence] = project.name
        exclude = {*errors, "plan", "dimension"}
        checks = [lambda: project.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)]
        # Any other (later) constraint is still checked by Django, with its query.
        checks += [lambda c=c: c.validate(Project, project, exclude=(exclude | set(errors)) - {"plan", "dimension"})
                   for c in Project._meta.constraints if c.name not in IN_MEMORY_CHECKS]
        for check in checks:
            try:
                check()
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    errors.setdefault(name, []).extend(messages)
        if errors:
            raise RowInvalid(field_messages(errors, FIELD_LABELS))
        return project

    def write(self, projects: list[Project]) -> Plan:
        # Park the stored sequence numbers out of the way (each its own number from PARKED up, above
        # every number a file may use) so the file's numbers can be reused. No audit-trail row: each
        # project written below records where it ends up.
        parked = [Project(pk=project.pk, sequence=PARKED + index) for index, project in enumerate(self.existing)]
        Project.objects.bulk_update(parked, ["sequence"], batch_size=BATCH)
        user = bulk.history_user(Project)
        created = [p for p in projects if p._state.adding]
        if created:  # one INSERT per batch, with their "+" audit-trail rows
            Project.objects.bulk_create(created, batch_size=BATCH)
            bulk.write_history(Project, created, "+", when=timezone.now(), user=user)
        updated = [p for p in projects if p.pk in self.seen]
        if updated:  # saved as save() would (every field, updated_at now), with their "~" rows
            now = timezone.now()
            for project in updated:
                project.updated_at = now
            bulk.update_rows(Project, updated, [f.name for f in Project._meta.concrete_fields if not f.primary_key])
            bulk.write_history(Project, updated, "~", when=now, user=user)
        gone = [p for same_name in self.by_name.values() for p in same_name if p.pk not in self.seen]
        # One query, not two per project: which of them have a detail sheet or progress.
        kept = set(Project.objects.filter(pk__in=[p.pk for p in gone])
                   .filter(Q(sheet__isnull=False) | Q(progress__isnull=False)).values_list("pk", flat=True))
        if kept:
            names = ", ".join(f"“{p.name}”" for p in gone if p.pk in kept)
            raise ImportRejected([RowProblem(None, f"ไฟล์ไม่มีโครงการที่มีรายละเอียดหรือผลการดำเนินงานบันทึกไว้แล้ว: "
                                                   f"{names} หากต้องการลบ ให้ลบที่หน้าแผนก่อน แล้วจึงนำเข้าใหม่")])
        Project.objects.filter(pk__in=[p.pk for p in gone]).delete()
        return self.plan
