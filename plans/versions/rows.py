"""One project as a frozen version records it (PlanVersion.snapshot), and the same shape read from
the projects of today's draft, so the two compare field by field.

A snapshot row is a dict of plain JSON values. Rows frozen before a field was recorded lack its
key: the field reads None ("not recorded") and is never reported as changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..models import QUARTERS, Project, ProjectKind


@dataclass(frozen=True)
class Row:
    """A project of the table: of a frozen version, or of the draft."""

    sequence: int
    name: str
    kind: str
    dimension: int
    budget: Decimal
    quarters: tuple[int, ...]
    remark: str
    is_added: bool
    project_id: int | None = None  # None: frozen before versions recorded it
    responsible_unit: str | None = None  # the unit's name, "" for none; None: not recorded
    added_note: str | None = None  # None: not recorded

    @property
    def kind_label(self) -> str:
        return ProjectKind(self.kind).label if self.kind in ProjectKind.values else self.kind

    @property
    def dimension_label(self) -> str:
        """As the summary table prints it: "1", or "*1" for a project added after the baseline."""
        return f"*{self.dimension}" if self.is_added else str(self.dimension)

    @property
    def quarters_text(self) -> str:
        return ", ".join(map(str, self.quarters)) or "ไม่ระบุ"

    # What the summary tables read off a project (plans/documents/_summary.html).
    q1 = property(lambda self: 1 in self.quarters)
    q2 = property(lambda self: 2 in self.quarters)
    q3 = property(lambda self: 3 in self.quarters)
    q4 = property(lambda self: 4 in self.quarters)


def from_project(project: Project) -> Row:
    """A project of the draft, read with its dimension and responsible unit (a plan page's
    selectors.PageProject has the unit's name)."""
    unit = project.responsible_unit
    unit = unit if isinstance(unit, str) else unit.name if unit else ""
    return Row(sequence=project.sequence, name=project.name, kind=project.kind, dimension=project.dimension.number,
               budget=project.budget, quarters=tuple(project.quarters), remark=project.remark,
               is_added=project.is_added, project_id=project.pk, responsible_unit=unit,
               added_note=project.added_note)


def from_snapshot(row: dict) -> Row:
    return Row(sequence=int(row["sequence"]), name=row["name"], kind=row.get("kind", ""),
               dimension=int(row["dimension"]), budget=Decimal(str(row.get("budget", "0"))),
               quarters=tuple(q for q in QUARTERS if q in row.get("quarters", ())), remark=row.get("remark", ""),
               is_added=bool(row.get("is_added")), project_id=row.get("project"),
               responsible_unit=row.get("responsible_unit"), added_note=row.get("added_note"))


def snapshot(projects) -> list[dict]:
    """What an approval freezes (services.plan_approve): every field the summary table and the
    comparison read, from projects read with their dimension and responsible unit."""
    return [
        {
            "project": p.pk, "sequence": p.sequence, "name": p.name, "kind": p.kind, "dimension": p.dimension.number,
            "budget": str(p.budget), "quarters": p.quarters, "remark": p.remark, "is_added": p.is_added,
            "responsible_unit": p.responsible_unit.name if p.responsible_unit else "", "added_note": p.added_note,
        }
        for p in projects
    ]


def version_rows(version) -> list[Row]:
    return sorted((from_snapshot(row) for row in version.snapshot), key=lambda row: row.sequence)
