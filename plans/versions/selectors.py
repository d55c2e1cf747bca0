"""Reads of the plan's frozen versions, each a fixed number of queries: the versions list, one
version as frozen, and what changed between two lists of projects (the draft against the last
approved version before approving; a version against the one before it).

A project is the same project in both lists when the version recorded its id; rows frozen before
ids were recorded are matched by name, then by their number in the table.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from decimal import Decimal

from lao_integrity import thai
from lao_integrity.statements import Statement

from .. import selectors as plan_selectors
from ..models import Plan, PlanStatus, PlanVersion
from .rows import Row, from_project, version_rows

ADDED, REMOVED, CHANGED = "เพิ่ม", "ลบ", "แก้ไข"
EMPTY = "(ว่าง)"


@dataclass(frozen=True)
class FieldChange:
    label: str  # "งบประมาณปี 2569"
    before: str
    after: str
    unit: str = ""  # "บาท"

    @property
    def text(self) -> str:
        return f"{self.label}: {self.before} → {self.after}{' ' + self.unit if self.unit else ''}"


@dataclass(frozen=True)
class ProjectChange:
    action: str  # ADDED, REMOVED or CHANGED
    row: Row  # the project as it is now (as it was, when removed)
    fields: tuple[FieldChange, ...] = ()

    @property
    def css(self) -> str:
        return {ADDED: "added", REMOVED: "removed", CHANGED: "changed"}[self.action]


@dataclass
class Changes:
    """What changed from `before` (a frozen version; None: nothing approved yet) to the projects now."""

    base: PlanVersion | None
    after_label: str  # what the newer list is: "ฉบับปรับปรุง ครั้งที่ 2", "ร่างฉบับปรับปรุง ครั้งที่ 2"
    pending: bool = False  # the newer list is today's projects, not a frozen version
    items: list[ProjectChange] = field(default_factory=list)
    count_before: int = 0
    count_after: int = 0
    budget_before: Decimal = Decimal("0.00")
    budget_after: Decimal = Decimal("0.00")

    def _of(self, action: str) -> list[ProjectChange]:
        return [item for item in self.items if item.action == action]

    added = property(lambda self: self._of(ADDED))
    removed = property(lambda self: self._of(REMOVED))
    changed = property(lambda self: self._of(CHANGED))

    @property
    def first_version(self) -> bool:
        return self.base is None

    @property
    def budget_text(self) -> str:
        return f"{thai.format_baht(self.budget_before)} → {thai.format_baht(self.budget_after)} บาท"


def _text(value: str) -> str:
    return f"“{value}”" if value else EMPTY


def _field_changes(old: Row, new: Row, *, fiscal_year: int, moved: bool) -> tuple[FieldChange, ...]:
    """Every recorded field whose value differs, in the table's order; the number in the table
    only when the project itself was moved (not when rows above it came or went)."""
    found = []
    if moved:
        found.append(FieldChange("ลำดับที่", str(old.sequence), str(new.sequence)))
    if old.name != new.name:
        found.append(FieldChange("ชื่อ", _text(old.name), _text(new.name)))
    if old.kind != new.kind and old.kind:
        found.append(FieldChange("ประเภท", old.kind_label, new.kind_label))
    if old.dimension != new.dimension:
        found.append(FieldChange("มิติ", str(old.dimension), str(new.dimension)))
    if old.budget != new.budget:
        found.append(FieldChange(f"งบประมาณปี {fiscal_year}", thai.format_baht(old.budget),
                                 thai.format_baht(new.budget), "บาท"))
    if old.quarters != new.quarters:
        found.append(FieldChange("ไตรมาสที่ดำเนินการ", old.quarters_text, new.quarters_text))
    if None not in (old.responsible_unit, new.responsible_unit) and old.responsible_unit != new.responsible_unit:
        found.append(FieldChange("หน่วยงานรับผิดชอบ", old.responsible_unit or "ไม่ระบุ", new.responsible_unit or "ไม่ระบุ"))
    if old.remark != new.remark:
        found.append(FieldChange("หมายเหตุ", _text(old.remark), _text(new.remark)))
    if old.is_added != new.is_added:
        found.append(FieldChange("เพิ่มเติมหลังแผนตั้งต้น", "ใช่" if old.is_added else "ไม่ใช่",
                                 "ใช่" if new.is_added else "ไม่ใช่"))
    if None not in (old.added_note, new.added_note) and old.added_note != new.added_note:
        found.append(FieldChange("เชิงอรรถ", _text(old.added_note), _text(new.added_note)))
    return tuple(found)


def _pair(before: list[Row], after: list[Row]) -> list[tuple[Row, Row]]:
    """(old, new) of every project in both lists: by id, then by name (a project deleted and
    added again under its name is the same project to the reader), then, for rows frozen before
    ids were recorded, by number."""
    pairs, old_left, new_left = [], list(before), list(after)

    def match(old_key, new_key) -> None:
        waiting: dict = {}
        for row in new_left:
            if (key := new_key(row)) is not None:
                waiting.setdefault(key, []).append(row)
        for old in list(old_left):
            candidates = waiting.get(old_key(old))
            if candidates:
                new = candidates.pop(0)
                pairs.append((old, new))
                old_left.remove(old)
                new_left.remove(new)

    match(lambda row: row.project_id, lambda row: row.project_id)
    match(lambda row: row.name, lambda row: row.name)
    match(lambda row: row.sequence if row.project_id is None else None, lambda row: row.sequence)
    return pairs


def _moved(pairs: list[tuple[Row, Row]]) -> set[int]:
    """The ids (in `pairs`) of the projects moved: the fewest whose removal leaves the rest in
    the same order in both lists (the complement of a longest increasing run)."""
    ordered = sorted(range(len(pairs)), key=lambda i: pairs[i][0].sequence)
    tails, tail_at, previous = [], [], {}
    for i in ordered:
        value = pairs[i][1].sequence
        at = bisect_left(tails, value)
        previous[i] = tail_at[at - 1] if at else None
        if at == len(tails):
            tails.append(value)
            tail_at.append(i)
        else:
            tails[at], tail_at[at] = value, i
    kept, i = set(), tail_at[-1] if tail_at else None
    while i is not None:
        kept.add(i)
        i = previous[i]
    return set(range(len(pairs))) - kept


def compare(before: list[Row] | None, after: list[Row], *, fiscal_year: int, base: PlanVersion | None = None,
            after_label: str = "", pending: bool = False) -> Changes:
    """What changed from `before` to `after` (no queries). `before` None: nothing to compare with."""
    changes = Changes(base=base, after_label=after_label, pending=pending, count_after=len(after),
                      budget_after=sum((row.budget for row in after), Decimal("0.00")))
    if before is None:
        return changes
    changes.count_before = len(before)
    changes.budget_before = sum((row.budget for row in before), Decimal("0.00"))
    pairs = _pair(before, after)
    moved = _moved(pairs)
    paired_old = {id(old) for old, _ in pairs}
    paired_new = {id(new) for _, new in pairs}
    items = [ProjectChange(REMOVED, row) for row in before if id(row) not in paired_old]
    items += [ProjectChange(ADDED, row) for row in after if id(row) not in paired_new]
    for i, (old, new) in enumerate(pairs):
        fields = _field_changes(old, new, fiscal_year=fiscal_year, moved=i in moved)
        if fields:
            items.append(ProjectChange(CHANGED, new, fields))
    order = {REMOVED: 0, ADDED: 1, CHANGED: 2}
    changes.items = sorted(items, key=lambda item: (order[item.action], item.row.sequence))
    return changes


# --- reads -------------------------------------------------------------------------------------


def plan_versions(plan: Plan, *, approver: bool = True) -> list[PlanVersion]:
    """Every frozen version of the plan, oldest first, with who approved it (`approver`; the plan
    page shows only when, and leaves the join out): one query."""
    if approver:
        return list(plan.versions.order_by("number").select_related("created_by"))
    versions = _VERSIONS.objects(plan.pk)
    for version in versions:
        version.plan = plan  # as plan.versions sets it
    return versions


_VERSIONS = Statement(lambda plan_id: PlanVersion.objects.filter(plan_id=plan_id).order_by("number"))


def with_totals(versions: list[PlanVersion]) -> list[PlanVersion]:
    """Sets `project_count` and `budget_total` on each version, from its snapshot (no query)."""
    for version in versions:
        rows = version_rows(version)
        version.project_count = len(rows)
        version.budget_total = sum((row.budget for row in rows), Decimal("0.00"))
    return versions


def next_label(plan: Plan, versions: list[PlanVersion]) -> str:
    """What the draft is: the version its approval will freeze."""
    if plan.status == PlanStatus.APPROVED:
        return versions[-1].label if versions else "ตั้งต้น"
    number = versions[-1].number + 1 if versions else 0
    return PlanVersion(number=number).label


def plan_changes(plan: Plan, *, projects=None, versions: list[PlanVersion] | None = None) -> Changes:
    """The draft against the last approved version. `projects` (read with their dimension and
    responsible unit) and `versions` (plan_versions) when the page has them already; otherwise
    two queries."""
    if versions is None:
        versions = plan_versions(plan)
    if projects is None:
        projects = plan.projects.select_related("dimension", "responsible_unit").order_by("sequence")
    base = versions[-1] if versions else None
    after = [from_project(project) for project in projects]
    draft = plan.status != PlanStatus.APPROVED
    return compare(version_rows(base) if base else None, after, fiscal_year=plan.fiscal_year, base=base,
                   after_label=f"ร่าง{next_label(plan, versions)}" if draft else "แผนปัจจุบัน", pending=True)


def version_for_page(pk: int) -> PlanVersion:
    return PlanVersion.objects.select_related("plan__organisation", "plan__framework", "plan__issuer",
                                              "created_by").get(pk=pk)


@dataclass
class VersionPage:
    version: PlanVersion
    summary: plan_selectors.PlanSummary  # the table as frozen
    changes: Changes  # from the version before (first_version for the baseline)
    newer: PlanVersion | None  # the next version, if any


def version_page(version: PlanVersion) -> VersionPage:
    """The version as frozen, and what it changed from the one before: two queries (the plan's
    versions, the framework's dimensions)."""
    plan = version.plan
    versions = plan_versions(plan)
    earlier = [v for v in versions if v.number < version.number]
    rows = version_rows(version)
    has_added = any(row.is_added for row in rows)
    summary = plan_selectors.PlanSummary(
        plan=plan, projects=rows, totals=plan_selectors.plan_totals(rows),
        dimensions=list(plan.framework.dimensions.order_by("number")), has_added=has_added,
        footnotes=plan_selectors.footnotes([_noted(row) for row in rows], [*earlier, version]),
        version_label=version.label)
    previous = earlier[-1] if earlier else None
    changes = compare(version_rows(previous) if previous else None, rows, fiscal_year=plan.fiscal_year,
                      base=previous, after_label=version.label)
    newer = next((v for v in versions if v.number > version.number), None)
    return VersionPage(version=version, summary=summary, changes=changes, newer=newer)


@dataclass(frozen=True)
class _Noted:
    """A frozen row as plan_selectors.footnotes reads a project."""

    sequence: int
    name: str
    is_added: bool
    dimension_label: str
    added_note: str


def _noted(row: Row) -> _Noted:
    return _Noted(row.sequence, row.name, row.is_added, row.dimension_label, row.added_note or "")
