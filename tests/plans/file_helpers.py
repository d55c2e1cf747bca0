"""The plan file tests' commands, rows and tables."""

import io

from django.core.management import call_command
from django.core.management.base import CommandError

from plans.models import Project


def export_cmd(org, path, year=2569):
    call_command("export_plan", "--org", org, "--fiscal-year", str(year), "-o", str(path), stdout=io.StringIO())
    return path


def import_cmd(org, path, year=2569):
    """Run import_plan; returns (ok, stderr)."""
    err = io.StringIO()
    try:
        call_command("import_plan", str(path), "--org", org, "--fiscal-year", str(year), stdout=io.StringIO(),
                     stderr=err)
    except CommandError:
        return False, err.getvalue()
    return True, err.getvalue()


def table(plan):
    """Everything an import can change, to compare before and after."""
    return [(p.pk, p.sequence, p.name, p.dimension.number, p.is_added, p.budget, p.quarters, p.remark)
            for p in Project.objects.filter(plan=plan).select_related("dimension").order_by("sequence")]


def row(seq, name, dim, budget, q1="", q2="", q3="", q4="", remark=""):
    return [seq, name, dim, budget, q1, q2, q3, q4, remark]


GOOD = [
    row(1, "โครงการอบรมคุณธรรมจริยธรรมบุคลากร", 1, "10,000.00", "", "✓", "✓"),
    row(2, "มาตรการป้องกันผลประโยชน์ทับซ้อน", 2, "0.00", "✓"),
    row(3, "กิจกรรมจัดเวทีประชาคม", 3, "5,000.50", "", "", "✓", "✓", "ร่วมกับกองช่าง"),
]
