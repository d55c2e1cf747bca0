"""The plan's editing pages: adding, editing, moving and deleting projects, detail sheets, progress with evidence, files in and out."""

import csv
import html as html_lib
import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from lao_integrity.orgs.access import SYSTEM
from plans.models import DetailSheet, Plan, PlanStatus, ProgressStatus, Project, ProjectProgress
from plans.progress import services as progress_services
from plans.resources import HEADERS
from tests.plans.page_helpers import csv_upload, project_post, sheet_post, summary_rows, table, totals
from tests.support.pages import page, strip_tags

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def field_error(html: str, name: str) -> str:
    """The error list Django renders for field `name`, placed with that field."""
    match = re.search(rf'<ul class="errorlist" id="id_{name}_error">(.*?)</ul>', html, re.S)
    return strip_tags(match.group(1)) if match else ""


THAI = re.compile("[\u0e00-\u0e7f]")


# --- adding, editing, moving, deleting ------------------------------------------------------


def test_add_project_changes_the_totals_and_marks_it_added(demo):
    before_budget, before_q = totals(page(demo.as_staff.get(demo.url)))
    add_url = reverse("plans:project_add", args=[demo.plan.pk])
    form = page(demo.as_staff.get(add_url))
    # The baseline is approved: the form presets "added after the baseline".
    assert re.search(r'<input[^>]*name="is_added"[^>]*checked', form)

    dimension = demo.plan.framework.dimensions.get(number=2)
    response = demo.as_staff.post(add_url, project_post(
        name="มาตรการตรวจสอบการจัดซื้อจัดจ้าง", dimension=str(dimension.pk), budget="2,500.00",
        q1="on", q4="on", is_added="on", confirm_revision="1"))  # the plan is approved: confirmed
    assert response.status_code == 302

    html = page(demo.as_staff.get(demo.url))
    budget, quarters = totals(html)
    assert budget == before_budget + Decimal("2500.00")
    assert quarters == [before_q[0] + 1, before_q[1], before_q[2], before_q[3] + 1]
    last = summary_rows(html)[-1]
    assert last[0] == "32" and "มาตรการตรวจสอบการจัดซื้อจัดจ้าง" in last[1] and last[2] == "*2"
    assert last[3] == "2,500.00"
    project = demo.plan.projects.get(sequence=32)
    assert project.kind == "measure"
    demo.plan.refresh_from_db()
    assert demo.plan.status == PlanStatus.DRAFT


@pytest.mark.parametrize(("field", "changes"), [
    ("budget", {"budget": "-1"}),
    ("budget", {"budget": "หนึ่งพัน"}),
    ("q1", {"q1": None, "q2": None}),
    ("name", {"name": ""}),
])
def test_invalid_project_shows_thai_message_at_the_field_and_creates_nothing(demo, field, changes):
    dimension = demo.plan.framework.dimensions.get(number=1)
    data = project_post(name="โครงการทดสอบ", dimension=str(dimension.pk), budget="100", q1="on", q2="on")
    data.update(changes)
    data = {k: v for k, v in data.items() if v is not None}
    before = table(demo.plan)

    html = page(demo.as_staff.post(reverse("plans:project_add", args=[demo.plan.pk]), data))

    message = field_error(html, field)
    assert message, f"no error shown for {field}"
    assert THAI.search(message), message
    assert not re.search("[A-Za-z]", message), message
    assert "บันทึกไม่ได้" in html
    assert table(demo.plan) == before


def test_edit_project(demo):
    project = demo.plan.projects.get(sequence=1)
    url = reverse("plans:project_edit", args=[project.pk])
    assert project.name in page(demo.as_staff.get(url))
    response = demo.as_staff.post(url, project_post(project, name="โครงการอบรมคุณธรรม (ปรับปรุง)",
                                                    budget="12,000.00", confirm_revision="1"))
    assert response.status_code == 302
    html = page(demo.as_staff.get(demo.url))
    first = summary_rows(html)[0]
    assert first[0] == "1"
    assert first[1].startswith("โครงการอบรมคุณธรรม (ปรับปรุง)")
    assert first[3] == "12,000.00"
    assert totals(html)[0] == Decimal("17000.00")
    assert DetailSheet.objects.filter(project=project).exists()  # the sheet stays with the project


def test_invalid_edit_changes_nothing(demo):
    project = demo.plan.projects.get(sequence=1)
    before = table(demo.plan)
    html = page(demo.as_staff.post(reverse("plans:project_edit", args=[project.pk]),
                                   project_post(project, budget="-10")))
    assert field_error(html, "budget")
    assert table(demo.plan) == before


def test_move_project_up_and_down(demo):
    names = [p.name for p in demo.plan.projects.order_by("sequence")]
    second = demo.plan.projects.get(sequence=2)
    demo.as_staff.post(reverse("plans:project_move", args=[second.pk]), {"direction": "up", "confirm_revision": "1"})
    rows = summary_rows(page(demo.as_staff.get(demo.url)))
    assert [r[1] for r in rows[:2]] == [names[1], names[0]]
    assert [r[0] for r in rows[:2]] == ["1", "2"]
    demo.as_staff.post(reverse("plans:project_move", args=[second.pk]), {"direction": "down"})
    rows = summary_rows(page(demo.as_staff.get(demo.url)))
    assert [r[1] for r in rows] == names


def test_delete_project(demo):
    project = demo.plan.projects.get(sequence=1)
    url = reverse("plans:project_delete", args=[project.pk])
    confirm = page(demo.as_staff.get(url))
    assert project.name in confirm
    assert "รายละเอียดโครงการ" in confirm  # warns that the sheet goes too
    assert Project.objects.filter(pk=project.pk).exists()  # GET deletes nothing

    assert demo.as_staff.post(url, {"confirm_revision": "1"}).status_code == 302

    html = page(demo.as_staff.get(demo.url))
    rows = summary_rows(html)
    assert [r[0] for r in rows] == [str(i) for i in range(1, 31)]
    assert project.name not in [r[1] for r in rows]
    assert totals(html) == (Decimal("5000.00"), [4, 29, 27, 4])
    assert not DetailSheet.objects.filter(project_id=project.pk).exists()


# --- detail sheets -----------------------------------------------------------------------------


def test_sheet_edit_then_view_shows_numbered_steps(demo):
    project = demo.plan.projects.get(sequence=31)
    assert not DetailSheet.objects.filter(project=project).exists()
    edit_url = reverse("plans:sheet_edit", args=[project.pk])
    assert 'name="step-TOTAL_FORMS"' in page(demo.as_staff.get(edit_url))

    response = demo.as_staff.post(edit_url, sheet_post([(1, "ขออนุมัติโครงการ"), (2, "จัดทำคำสั่งแต่งตั้ง"),
                                                        (2, "ประชุมคณะทำงาน"), (1, "เผยแพร่คู่มือ")]))
    assert response.status_code == 302

    html = page(demo.as_staff.get(reverse("plans:sheet", args=[project.pk])))
    body = strip_tags(html)
    positions = [body.index(text) for text in ("1) ขออนุมัติโครงการ", "1.1) จัดทำคำสั่งแต่งตั้ง",
                                               "1.2) ประชุมคณะทำงาน", "2) เผยแพร่คู่มือ")]
    assert positions == sorted(positions)
    assert "ผู้เข้าร่วมมีความพึงพอใจ ไม่น้อยกว่าร้อยละ 80" in body
    assert "มีคู่มือ อย่างน้อย 1 ฉบับ" in body
    assert "บุคลากร จำนวน 20 คน" in body
    assert "ดำเนินการโดยไม่ใช้งบประมาณ" in body
    assert "ปีงบประมาณ พ.ศ. 2569" in body
    sheet = DetailSheet.objects.get(project=project)
    assert [o.text for o in sheet.objectives.all()] == ["เพื่อให้บุคลากรมีความรู้"]  # blank rows dropped


def test_sheet_edit_form_shows_the_saved_sheet(demo):
    project = demo.plan.projects.get(sequence=1)
    html = page(demo.as_staff.get(reverse("plans:sheet_edit", args=[project.pk])))
    first_objective = project.sheet.objectives.first().text
    assert html_lib.escape(first_objective, quote=False) in html


def test_sheet_substep_without_step_is_refused(demo):
    project = demo.plan.projects.get(sequence=30)
    html = page(demo.as_staff.post(reverse("plans:sheet_edit", args=[project.pk]),
                                   sheet_post([(2, "ขั้นตอนย่อยที่ไม่มีขั้นตอนหลัก")])))
    assert "ขั้นตอนย่อยระดับ 2" in html
    assert not DetailSheet.objects.filter(project=project).exists()


# --- progress ----------------------------------------------------------------------------------


def test_record_progress_with_evidence_then_six_month_summary(demo):
    project = demo.plan.projects.get(sequence=1)
    ProjectProgress.objects.filter(project=project, quarter=2).delete()  # the demo recorded quarter 2
    url = reverse("plans:progress_edit", args=[project.pk, 2])
    assert project.name in page(demo.as_staff.get(url))
    upload = SimpleUploadedFile("รายงานผลการอบรม.pdf", PDF, content_type="application/pdf")

    response = demo.as_staff.post(url, {"status": ProgressStatus.DONE, "amount_spent": "1,500.00",
                                        "result": "อบรมแล้ว 35 คน", "evidence_file": upload,
                                        "evidence_url": "", "version": "0"})

    assert response.status_code == 302
    assert response["Location"].endswith("?months=6")
    html = page(demo.as_staff.get(reverse("plans:progress", args=[demo.plan.pk]), {"months": "6"}))
    projects_table = re.search(r'id="progress-projects".*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    row = next(r for r in re.findall(r"<tr[^>]*>(.*?)</tr>", projects_table, re.S)
               if strip_tags(r).startswith(f"1 {project.name}"))
    evidence_url = reverse("plans:evidence", args=[project.pk, 2])
    assert evidence_url in row
    assert "ดำเนินการแล้วเสร็จ" in strip_tags(row)
    assert strip_tags(row).endswith("1,500.00")
    total = strip_tags(re.search(r'id="progress-summary".*?<tfoot>(.*?)</tfoot>', html, re.S).group(1))
    assert total.startswith("รวมทั้งสิ้น 31")
    assert total.endswith("15,000.00 1,500.00")

    download = demo.as_staff.get(evidence_url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]


def test_progress_rejects_an_executable_as_evidence(demo):
    project = demo.plan.projects.get(sequence=1)
    ProjectProgress.objects.filter(project=project, quarter=2).delete()  # the demo recorded quarter 2
    upload = SimpleUploadedFile("evidence.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    html = page(demo.as_staff.post(reverse("plans:progress_edit", args=[project.pk, 2]),
                                   {"status": ProgressStatus.DONE, "amount_spent": "0", "evidence_file": upload}))
    assert field_error(html, "evidence_file")
    assert not ProjectProgress.objects.filter(project=project, quarter=2).exists()


def test_twelve_month_summary_counts_later_quarters(demo):
    project = demo.plan.projects.get(sequence=1)
    progress_services.progress_record(project=project, quarter=3, status=ProgressStatus.IN_PROGRESS,
                             amount_spent=Decimal("700"), user=SYSTEM)
    url = reverse("plans:progress", args=[demo.plan.pk])
    six = strip_tags(re.search(r"<tfoot>(.*?)</tfoot>", page(demo.as_staff.get(url, {"months": "6"})), re.S)[1])
    twelve = strip_tags(re.search(r"<tfoot>(.*?)</tfoot>", page(demo.as_staff.get(url, {"months": "12"})), re.S)[1])
    assert six.endswith("15,000.00 0.00")
    assert twelve.endswith("15,000.00 700.00")


# --- files ---------------------------------------------------------------------------------------


def test_export_xlsx_download(demo):
    response = demo.as_staff.get(reverse("plans:export", args=[demo.plan.pk, "xlsx"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert 'filename="plan-5205401-2569.xlsx"' in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    assert len(rows) == 33
    assert rows[-1][1] == "รวมทั้งสิ้น" and rows[-1][3] == 15000 and list(rows[-1][4:8]) == [4, 30, 28, 4]


def test_export_csv_download(demo):
    response = demo.as_staff.get(reverse("plans:export", args=[demo.plan.pk, "csv"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())  # Excel needs the BOM to show Thai
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[-1] == ["", "รวมทั้งสิ้น", "", "15,000.00", "4", "30", "28", "4", ""]
    assert demo.as_staff.get(reverse("plans:export", args=[demo.plan.pk, "pdf"])).status_code == 404


def test_import_page_with_bad_file_lists_problems_and_changes_nothing(demo):
    before = table(demo.plan)
    rows = [[p.sequence, p.name, p.dimension_label, str(p.budget), *["✓" if q else "" for q in
            (p.q1, p.q2, p.q3, p.q4)], p.remark] for p in demo.plan.projects.order_by("sequence")]
    rows[1][3] = "-100"   # line 3
    rows[4][2] = "9"      # line 6
    html = page(demo.as_staff.post(reverse("plans:import", args=[demo.plan.pk]), {"file": csv_upload(rows)}))
    problems = re.search(r'id="import-problems"(.*?)</div>', html, re.S)
    assert problems, "no problem list"
    items = [strip_tags(i) for i in re.findall(r"<li>(.*?)</li>", problems.group(1), re.S)]
    assert [i.split(":")[0] for i in items] == ["บรรทัดที่ 3", "บรรทัดที่ 6"]
    assert table(demo.plan) == before


def test_import_page_with_wrong_file_type(demo):
    before = table(demo.plan)
    upload = SimpleUploadedFile("plan.pdf", b"%PDF-1.4", content_type="application/pdf")
    html = page(demo.as_staff.post(reverse("plans:import", args=[demo.plan.pk]), {"file": upload}))
    assert ".csv" in field_error(html, "file")
    assert table(demo.plan) == before


def test_import_page_replaces_the_list(plan, staff, client_for):
    rows = [[1, "โครงการจากไฟล์", "1", "1,000.00", "✓", "", "", "", ""],
            [2, "มาตรการจากไฟล์", "4", "0", "", "", "", "✓", ""]]
    response = client_for(staff).post(reverse("plans:import", args=[plan.pk]), {"file": csv_upload(rows)})
    assert response.status_code == 302
    assert [p.name for p in plan.projects.order_by("sequence")] == ["โครงการจากไฟล์", "มาตรการจากไฟล์"]
    html = page(client_for(staff).get(reverse("plans:detail", args=[plan.pk])))
    assert totals(html) == (Decimal("1000.00"), [1, 0, 0, 1])


def test_import_new_plan_page(org, staff, client_for, dimensions):
    rows = [[1, "โครงการแผนใหม่", "2", "0", "", "✓", "", "", ""]]
    response = client_for(staff).post(reverse("plans:import_new"), {
        "organisation": str(org.pk), "fiscal_year": "2570", "file": csv_upload(rows)})
    assert response.status_code == 302
    plan = Plan.objects.get(organisation=org, fiscal_year=2570)
    assert response["Location"] == reverse("plans:detail", args=[plan.pk])
    assert plan.projects.get().name == "โครงการแผนใหม่"
