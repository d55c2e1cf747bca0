"""The staff pages, through Django's test client: what each role sees and may do."""

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
from lao_integrity.tabular import write_table
from plans.models import DetailSheet, Plan, PlanStatus, PlanVersion, ProgressStatus, Project, ProjectProgress
from plans.progress import services as progress_services
from plans.resources import HEADERS

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


# --- reading pages -------------------------------------------------------------------------


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def strip_tags(fragment: str) -> str:
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def by_id(html: str, element_id: str) -> str:
    match = re.search(rf'<(\w+)[^>]*\bid="{re.escape(element_id)}"[^>]*>(.*?)</\1>', html, re.S)
    assert match, f"no element #{element_id}"
    return strip_tags(match.group(2))


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


def field_error(html: str, name: str) -> str:
    """The error list Django renders for field `name`, placed with that field."""
    match = re.search(rf'<ul class="errorlist" id="id_{name}_error">(.*?)</ul>', html, re.S)
    return strip_tags(match.group(1)) if match else ""


THAI = re.compile("[\u0e00-\u0e7f]")


# --- fixtures --------------------------------------------------------------------------------


@pytest.fixture
def demo(seeded, client_for):
    seeded.as_staff = client_for(seeded.staff)
    seeded.url = reverse("plans:detail", args=[seeded.plan.pk])
    return seeded


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


# --- login ---------------------------------------------------------------------------------


def test_login_page_renders_and_logs_in(seeded, client):
    html = page(client.get(reverse("login")))
    assert 'name="username"' in html and 'name="password"' in html
    assert "เข้าสู่ระบบ" in html
    response = client.post(reverse("login"), {"username": "staff", "password": "staff-demo-2569"})
    assert response.status_code == 302
    assert "องค์การบริหารส่วนตำบลบ้านแหง" in page(client.get(reverse("plans:list")))


def test_wrong_password_shows_a_thai_message(seeded, client):
    html = page(client.post(reverse("login"), {"username": "staff", "password": "wrong"}))
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in html


@pytest.mark.parametrize("name", ["plans:list", "plans:detail", "plans:progress", "plans:import"])
def test_anonymous_is_sent_to_login(seeded, client, name):
    url = reverse(name) if name == "plans:list" else reverse(name, args=[seeded.plan.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "next=" in response["Location"]


def test_anonymous_post_changes_nothing(seeded, client):
    before = table(seeded.plan)
    response = client.post(reverse("plans:project_delete", args=[seeded.plan.projects.get(sequence=1).pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert table(seeded.plan) == before


# --- plan list and plan page ----------------------------------------------------------------


def test_staff_sees_own_plans_only(demo, client_for):
    html = page(demo.as_staff.get(reverse("plans:list")))
    assert demo.url in html
    assert "องค์การบริหารส่วนตำบลบ้านแหง" in html
    other = page(client_for(demo.other_staff).get(reverse("plans:list")))
    assert demo.url not in other
    assert "บ้านแหง" not in other


def test_plan_page_shows_the_published_totals(demo):
    html = page(demo.as_staff.get(demo.url))
    assert totals(html) == (Decimal("15000.00"), [4, 30, 28, 4])
    assert by_id(html, "total-budget") == "15,000.00"
    rows = summary_rows(html)
    assert [r[0] for r in rows] == [str(i) for i in range(1, 32)]
    assert [r[2] for r in rows[-2:]] == ["*1", "*2"]
    assert rows[0][3] == "10,000.00"
    # Rows added after the baseline are explained under the table.
    legend = strip_tags(html.split("</table>", 1)[1])
    assert "*1 ลำดับที่ 30" in legend and "*2 ลำดับที่ 31" in legend


def test_dimension_filter_shows_only_that_dimension(demo):
    html = page(demo.as_staff.get(demo.url, {"dimension": "1"}))
    rows = summary_rows(html)
    expected = list(demo.plan.projects.filter(dimension__number=1).order_by("sequence"))
    assert [r[0] for r in rows] == [str(p.sequence) for p in expected]
    assert {r[2] for r in rows} <= {"1", "*1"}
    assert "*1" in {r[2] for r in rows}
    budget, quarters = totals(html)
    assert budget == sum(p.budget for p in expected)
    assert quarters == [sum(getattr(p, f"q{q}") for p in expected) for q in (1, 2, 3, 4)]
    assert len(rows) < demo.plan.projects.count()
    # Nonsense in the filter shows everything rather than failing.
    assert len(summary_rows(page(demo.as_staff.get(demo.url, {"dimension": "abc"})))) == 31


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
    row = next(r for r in re.findall(r"<tr>(.*?)</tr>", projects_table, re.S)
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


# --- roles ---------------------------------------------------------------------------------------


def test_auditor_sees_the_plan_without_edit_controls(demo, client_for):
    as_auditor = client_for(demo.auditor)
    html = page(as_auditor.get(demo.url))
    assert totals(html) == (Decimal("15000.00"), [4, 30, 28, 4])
    project = demo.plan.projects.get(sequence=1)
    for forbidden in (reverse("plans:project_add", args=[demo.plan.pk]), reverse("plans:import", args=[demo.plan.pk]),
                      reverse("plans:project_edit", args=[project.pk]), reverse("plans:project_delete", args=[project.pk]),
                      reverse("plans:project_move", args=[project.pk]), reverse("plans:copy", args=[demo.plan.pk]),
                      reverse("plans:approve", args=[demo.plan.pk]), reverse("plans:settings", args=[demo.plan.pk])):
        assert forbidden not in html, forbidden
    assert reverse("plans:export", args=[demo.plan.pk, "xlsx"]) in html  # reading is allowed

    sheet = page(as_auditor.get(reverse("plans:sheet", args=[project.pk])))
    assert reverse("plans:sheet_edit", args=[project.pk]) not in sheet
    progress = page(as_auditor.get(reverse("plans:progress", args=[demo.plan.pk])))
    assert reverse("plans:progress_edit", args=[project.pk, 1]) not in progress
    # The staff user does get those controls on the same pages.
    assert reverse("plans:project_edit", args=[project.pk]) in page(demo.as_staff.get(demo.url))
    assert reverse("plans:progress_edit", args=[project.pk, 1]) in page(
        demo.as_staff.get(reverse("plans:progress", args=[demo.plan.pk])))


def test_auditor_gets_403_on_every_change(demo, client_for):
    as_auditor = client_for(demo.auditor)
    plan, project = demo.plan, demo.plan.projects.get(sequence=1)
    dimension = plan.framework.dimensions.get(number=1)
    before = (table(plan), Plan.objects.count(), PlanVersion.objects.count(), ProjectProgress.objects.count(),
              list(DetailSheet.objects.filter(project=project).values_list("rationale", flat=True)))
    posts = [
        (reverse("plans:project_add", args=[plan.pk]),
         project_post(name="โครงการของผู้ตรวจสอบ", dimension=str(dimension.pk), budget="1", q1="on")),
        (reverse("plans:project_edit", args=[project.pk]), project_post(project, budget="1")),
        (reverse("plans:project_delete", args=[project.pk]), {}),
        (reverse("plans:project_move", args=[project.pk]), {"direction": "down"}),
        (reverse("plans:import", args=[plan.pk]), {"file": csv_upload([[1, "โครงการเดียว", "1", "0", "✓"]])}),
        (reverse("plans:sheet_edit", args=[project.pk]), sheet_post([(1, "ขั้นตอน")])),
        (reverse("plans:progress_edit", args=[project.pk, 2]), {"status": "done", "amount_spent": "1"}),
        (reverse("plans:approve", args=[plan.pk]), {}),
        (reverse("plans:copy", args=[plan.pk]), {}),
        (reverse("plans:settings", args=[plan.pk]), {"data_as_of": "", "issuer": ""}),
    ]
    for url, data in posts:
        assert as_auditor.post(url, data).status_code == 403, url
    for url in (reverse("plans:project_add", args=[plan.pk]), reverse("plans:import", args=[plan.pk]),
                reverse("plans:sheet_edit", args=[project.pk])):
        assert as_auditor.get(url).status_code == 403, url
    after = (table(plan), Plan.objects.count(), PlanVersion.objects.count(), ProjectProgress.objects.count(),
             list(DetailSheet.objects.filter(project=project).values_list("rationale", flat=True)))
    assert after == before


def test_other_organisation_gets_404_everywhere(demo, client_for):
    plan, project = demo.plan, demo.plan.projects.get(sequence=1)
    progress_services.progress_record(project=project, quarter=2, status=ProgressStatus.DONE,
                             evidence_file=SimpleUploadedFile("หลักฐาน.pdf", PDF), user=SYSTEM)
    gets = [
        reverse("plans:detail", args=[plan.pk]),
        reverse("plans:settings", args=[plan.pk]),
        reverse("plans:project_add", args=[plan.pk]),
        reverse("plans:progress", args=[plan.pk]),
        reverse("plans:export", args=[plan.pk, "csv"]),
        reverse("plans:export", args=[plan.pk, "xlsx"]),
        reverse("plans:import", args=[plan.pk]),
        reverse("plans:project_edit", args=[project.pk]),
        reverse("plans:project_delete", args=[project.pk]),
        reverse("plans:sheet", args=[project.pk]),
        reverse("plans:sheet_edit", args=[project.pk]),
        reverse("plans:progress_edit", args=[project.pk, 2]),
        reverse("plans:evidence", args=[project.pk, 2]),
        reverse("plans:document", args=[plan.pk, "book"]),
        reverse("plans:document", args=[plan.pk, "announcement"]) + "?preview=1",
        reverse("plans:document", args=[plan.pk, "progress"]) + "?months=6",
    ]
    posts = [
        (reverse("plans:project_edit", args=[project.pk]), project_post(project, budget="1")),
        (reverse("plans:project_delete", args=[project.pk]), {}),
        (reverse("plans:project_move", args=[project.pk]), {"direction": "down"}),
        (reverse("plans:import", args=[plan.pk]), {"file": csv_upload([[1, "โครงการเดียว", "1", "0", "✓"]])}),
        (reverse("plans:sheet_edit", args=[project.pk]), sheet_post([(1, "ขั้นตอน")])),
        (reverse("plans:progress_edit", args=[project.pk, 2]), {"status": "cancelled", "amount_spent": "1"}),
        (reverse("plans:approve", args=[plan.pk]), {}),
        (reverse("plans:copy", args=[plan.pk]), {}),
    ]
    before = (table(plan), Plan.objects.count(), PlanVersion.objects.count(),
              list(ProjectProgress.objects.values_list("pk", "status", "amount_spent")))

    outsider = client_for(demo.other_staff)
    for url in gets:
        assert outsider.get(url).status_code == 404, url
    for url, data in posts:
        assert outsider.post(url, data).status_code == 404, url

    after = (table(plan), Plan.objects.count(), PlanVersion.objects.count(),
             list(ProjectProgress.objects.values_list("pk", "status", "amount_spent")))
    assert after == before
    # The same addresses work for the plan's own staff, so the 404s are about access.
    # (The plan book is rendered as a background job unless an earlier test's render is cached: its
    # address then answers with the job's page.)
    for url in gets:
        response = demo.as_staff.get(url)
        if url.endswith("/book/") and response.status_code == 302:
            assert response["Location"].startswith("/jobs/"), url
            response = demo.as_staff.get(response["Location"])
        assert response.status_code == 200, url


def test_executive_approves_staff_cannot(plan, staff, executive, client_for):
    url = reverse("plans:approve", args=[plan.pk])
    assert client_for(staff).post(url).status_code == 403
    assert not plan.versions.exists()
    detail = reverse("plans:detail", args=[plan.pk])
    assert url not in page(client_for(staff).get(detail))
    assert url in page(client_for(executive).get(detail))

    response = client_for(executive).post(url)

    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    assert plan.versions.get().number == 0
    html = page(client_for(executive).get(detail))
    assert "ตั้งต้น" in html
    assert url not in html  # nothing left to approve
    assert client_for(executive).get(url).status_code == 405


def test_copy_to_next_year(demo):
    response = demo.as_staff.post(reverse("plans:copy", args=[demo.plan.pk]))
    new_plan = Plan.objects.get(organisation=demo.org, fiscal_year=2570)
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:detail", args=[new_plan.pk])
    html = page(demo.as_staff.get(response["Location"]))
    assert "2570" in html
    assert totals(html) == (Decimal("15000.00"), [4, 30, 28, 4])
    assert new_plan.projects.count() == 31
    assert DetailSheet.objects.filter(project__plan=new_plan).count() == 29
    assert not ProjectProgress.objects.filter(project__plan=new_plan).exists()
    assert ProjectProgress.objects.filter(project__plan=demo.plan).exists()
    # A second copy is refused with a message, not an error page.
    again = demo.as_staff.post(reverse("plans:copy", args=[demo.plan.pk]), follow=True)
    assert again.status_code == 200
    assert Plan.objects.filter(organisation=demo.org, fiscal_year=2570).count() == 1


def test_forms_offer_only_the_users_own_organisations(demo, client_for):
    """Creating or importing a plan for someone else's organisation is refused as an invalid choice."""
    outsider = client_for(demo.other_staff)
    before = (Plan.objects.count(), table(demo.plan))
    response = outsider.post(reverse("plans:list"), {"organisation": demo.plan.organisation.pk,
                                                     "fiscal_year": 2570})
    assert response.status_code == 200 and "เลือกตัวเลือกที่ถูกต้อง" in response.content.decode()
    response = outsider.post(reverse("plans:import_new"), {
        "organisation": demo.plan.organisation.pk, "fiscal_year": 2569,
        "file": csv_upload([[1, "โครงการเดียว", "1", "0", "✓"]])})
    assert response.status_code == 200 and "เลือกตัวเลือกที่ถูกต้อง" in response.content.decode()
    assert (Plan.objects.count(), table(demo.plan)) == before
