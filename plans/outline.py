"""The plan page's read of its projects (selectors.plan_summary(outline=True)): one row of values
per project with its latest progress, whether its detail sheet has objectives and indicators and
its status at six months, as PageProject objects instead of model instances.

A Statement (lao_integrity/statements.py): with its five subqueries, compiling it cost more than running it.
"""

from django.db.models import Exists, OuterRef, Subquery
from django.db.models.functions import Left, Length

from lao_integrity.statements import Statement

from .models import (
    QUARTERS,
    DetailSheet,
    Dimension,
    IndicatorKind,
    ProgressStatus,
    Project,
    ProjectProgress,
    SheetIndicator,
    SheetObjective,
)


class PageProject:
    """A project as the plan page reads it (plan_summary(outline=True)): the names the table, the
    gaps before signing (plan_book_gaps), the changes (versions.rows.from_project) and e-PlanNACC's
    bands read on a Project, made from one row of values. Thirty model instances with their
    dimension, unit and sheet cost more than the rest of the page's reads (issue 19).
    `responsible_unit` is the unit's name (None: none); `sheet` says whether it has a detail sheet."""

    __slots__ = ("pk", "sequence", "kind", "name", "dimension", "budget", "quarters", "remark", "is_added",
                 "added_note", "responsible_unit", "sheet", "has_rationale", "has_objectives", "has_indicators",
                 "latest_quarter", "latest_status", "latest_label", "half_year_status", "dimension_label")

    def __init__(self, row: tuple, dimension: Dimension, label: str):
        (self.pk, self.sequence, self.kind, self.name, _dimension_id, self.budget, q1, q2, q3, q4, self.remark,
         self.is_added, self.added_note, self.responsible_unit, sheet, rationale, self.latest_quarter,
         self.latest_status, self.has_objectives, self.has_indicators, self.half_year_status, _length) = row
        self.dimension = dimension
        self.quarters = [q for q, on in zip(QUARTERS, (q1, q2, q3, q4), strict=True) if on]
        self.sheet = True if sheet is not None else None  # plan_book_gaps: None, no sheet
        # DetailSheet.rationale_paragraphs is empty exactly when the text is blank. `rationale`: its
        # first characters (page_projects reads the whole text when they are blank and there is more).
        self.has_rationale = bool(rationale and rationale.strip())
        self.latest_label = label
        self.dimension_label = f"*{dimension.number}" if self.is_added else str(dimension.number)

    @property
    def id(self) -> int:
        return self.pk


# What the page reads of a sheet's rationale: its first characters and its length (the texts were
# most of the read, for a yes or no).
_HEAD = 64


def _values(plan_id: int):
    latest = ProjectProgress.objects.filter(project=OuterRef("pk")).order_by("-quarter")
    return (Project.objects.filter(plan_id=plan_id).order_by("sequence").annotate(
        latest_quarter=Subquery(latest.values("quarter")[:1]),
        latest_status=Subquery(latest.values("status")[:1]),
        has_objectives=Exists(SheetObjective.objects.filter(sheet__project=OuterRef("pk"))),
        has_indicators=Exists(SheetIndicator.objects.filter(sheet__project=OuterRef("pk"),
                                                            kind__in=(IndicatorKind.OUTPUT, IndicatorKind.OUTCOME))),
        half_year_status=Subquery(latest.filter(quarter__lte=2).values("status")[:1]),
        rationale_head=Left("sheet__rationale", _HEAD), rationale_length=Length("sheet__rationale"),
    ).values_list("pk", "sequence", "kind", "name", "dimension_id", "budget", "q1", "q2", "q3", "q4", "remark",
                  "is_added", "added_note", "responsible_unit__name", "sheet__id", "rationale_head",
                  "latest_quarter", "latest_status", "has_objectives", "has_indicators", "half_year_status",
                  "rationale_length"))


_PROJECTS = Statement(_values)


def page_projects(plan, dimensions: list[Dimension], dimension: int | None) -> list[PageProject]:
    """The plan's projects in order (only `dimension`'s when given); `dimensions`: its framework's."""
    by_id = {d.pk: d for d in dimensions}
    labels = dict(ProgressStatus.choices)
    rows = _PROJECTS.rows(plan.pk)
    if missing := {row[4] for row in rows} - by_id.keys():  # a dimension of another framework: never by the forms
        by_id.update(Dimension.objects.in_bulk(missing))
    projects = [PageProject(row, by_id[row[4]], labels.get(row[17], "")) for row in rows]
    # A rationale whose first characters are blank and that goes on: its whole text (hardly ever).
    unsure = [project.pk for project, row in zip(projects, rows, strict=True)
              if not project.has_rationale and (row[21] or 0) > _HEAD]
    if unsure:
        texts = dict(DetailSheet.objects.filter(project_id__in=unsure).values_list("project_id", "rationale"))
        for project in projects:
            if project.pk in texts:
                project.has_rationale = bool(texts[project.pk].strip())
    return [p for p in projects if p.dimension.number == dimension] if dimension else projects
