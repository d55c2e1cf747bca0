"""Reading the plan pages (totals, summary rows) and the posts their forms send."""

import re
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from lao_integrity.tabular import write_table
from plans.models import Project
from plans.resources import HEADERS
from tests.support.pages import by_id, strip_tags

# --- reading pages -------------------------------------------------------------------------


def totals(html: str) -> tuple[Decimal, list[int]]:
    """The tfoot of the summary table: total budget and the count of projects per quarter."""
    tfoot = re.search(r"<tfoot>(.*?)</tfoot>", html, re.S).group(1)
    budget = Decimal(by_id(tfoot, "total-budget").replace(",", ""))
    return budget, [int(by_id(tfoot, f"total-q{q}")) for q in (1, 2, 3, 4)]


def summary_rows(html: str) -> list[list[str]]:
    """Cells of each project row of the summary table, as text."""
    table = re.search(r'<table[^>]*id="summary"[^>]*>.*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    rows = re.findall(r'<tr id="p\d+"[^>]*>(.*?)</tr>', table, re.S)
    return [[strip_tags(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)] for r in rows]


def table(plan):
    return list(Project.objects.filter(plan=plan).order_by("sequence")
                .values_list("pk", "sequence", "name", "budget", "q1", "q2", "q3", "q4", "dimension__number"))


def project_post(project=None, **overrides):
    """What the project form posts (checkboxes only when ticked)."""
    data = {"name": "", "kind": "", "dimension": "", "budget": "", "responsible_unit": "", "remark": "",
            "added_note": ""}
    if project is not None:
        data.update(name=project.name, kind=project.kind, dimension=str(project.dimension_id),
                    budget=str(project.budget), remark=project.remark, added_note=project.added_note,
                    responsible_unit=str(project.responsible_unit_id or ""))
        for q in project.quarters:
            data[f"q{q}"] = "on"
        if project.is_added:
            data["is_added"] = "on"
        data["version"] = str(project.version)  # the version the edit form was loaded with
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def formset(prefix, forms, extra=None):
    forms = list(forms) + list(extra or [])
    data = {f"{prefix}-TOTAL_FORMS": str(len(forms)), f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}
    for i, form in enumerate(forms):
        for key, value in form.items():
            data[f"{prefix}-{i}-{key}"] = value
    return data


def sheet_post(steps, **overrides):
    data = {"rationale": "ย่อหน้าหนึ่ง\n\nย่อหน้าสอง", "duration": "", "budget_note": "", "responsible": "",
            "version": "0"}  # loaded with no sheet yet
    data |= formset("obj", [{"text": "เพื่อให้บุคลากรมีความรู้"}], extra=[{"text": ""}])
    data |= formset("grp", [{"description": "บุคลากร", "count": "20", "unit": "คน"}])
    data |= formset("step", [{"text": t, "level": str(lv)} for lv, t in steps], extra=[{"text": "", "level": "1"}])
    data |= formset("out", [{"statement": "ผู้เข้าร่วมมีความพึงพอใจ", "comparator": "ไม่น้อยกว่า",
                             "target_value": "80", "unit": "ร้อยละ"}])
    data |= formset("res", [{"statement": "มีคู่มือ", "comparator": "อย่างน้อย", "target_value": "1",
                             "unit": "ฉบับ"}])
    data.update(overrides)
    return data


def csv_upload(rows, name="plan.csv"):
    return SimpleUploadedFile(name, write_table(HEADERS, rows, "csv"), content_type="text/csv")
