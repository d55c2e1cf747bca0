"""The plans demo data: loading it twice changes nothing, its rows, and its detail sheets read as an SAO's."""

import io
import re

import pytest
from django.core.management import call_command

from lao_integrity.orgs.models import Membership, Organisation, Person, Unit
from plans import models as plans
from plans.models import DetailSheet

pytestmark = pytest.mark.django_db


# --- the demo ------------------------------------------------------------------------------

DEMO_MODELS = [Organisation, Unit, Person, Membership, plans.Plan, plans.PlanVersion, plans.Project, DetailSheet,
               plans.SheetObjective, plans.TargetGroup, plans.MethodStep, plans.SheetIndicator, plans.ProjectProgress]


def test_seed_demo_is_idempotent(seeded, django_user_model):
    def counts():
        return {m.__name__: m.objects.count() for m in [*DEMO_MODELS, django_user_model]}

    before = counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == before


def test_demo_plan_rows(seeded):
    projects = list(seeded.plan.projects.select_related("dimension").order_by("sequence"))
    assert len(projects) == 31
    assert [p.sequence for p in projects] == list(range(1, 32))
    assert [p.sequence for p in projects if p.is_added] == [30, 31]
    assert [p.dimension_label for p in projects[29:]] == ["*1", "*2"]
    assert all(not p.dimension_label.startswith("*") for p in projects[:29])
    assert all(p.added_note for p in projects[29:])  # the footnote printed under the table
    assert seeded.plan.versions.count() == 2
    assert len(seeded.plan.versions.get(number=0).snapshot) == 29
    assert DetailSheet.objects.filter(project__plan=seeded.plan).count() == 29


def test_every_demo_sheet_has_an_output_or_outcome(seeded):
    sheets = DetailSheet.objects.filter(project__plan=seeded.plan).prefetch_related("indicators")
    empty = [s.project.sequence for s in sheets if not (s.outputs or s.outcomes)]
    assert empty == []


THAI_DIGITS = re.compile("[๐-๙]")


def test_demo_sheets_are_clean_text_for_an_sao(seeded):
    assert "เทศบาล" not in seeded.org.name
    texts = []
    sheets = DetailSheet.objects.filter(project__plan=seeded.plan).select_related("project").prefetch_related(
        "objectives", "target_groups", "steps", "indicators")
    for sheet in sheets:
        where = f"sheet of project {sheet.project.sequence}"
        texts += [(where, t) for t in (sheet.rationale, sheet.duration, sheet.budget_note, sheet.responsible,
                                       sheet.duration_text, sheet.responsible_text, sheet.project.name)]
        texts += [(where, o.text) for o in sheet.objectives.all()]
        texts += [(where, f"{g.description} {g.unit}") for g in sheet.target_groups.all()]
        texts += [(where, s.text) for s in sheet.steps.all()]
        texts += [(where, f"{i.statement} {i.unit} {i.text}") for i in sheet.indicators.all()]
    assert len(texts) > 29 * 7
    for where, text in texts:
        assert "ระบุชื่อ" not in text, (where, text)
        assert "เทศบาล" not in text, (where, text)
        assert not THAI_DIGITS.search(text), (where, text)
