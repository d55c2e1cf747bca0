"""The detail-sheet editor and what it prints: sections numbered once, from one list, on the editor,
the page and the PDF; sections 6 and 8 filled in from the plan until the sheet says otherwise; every
row's field labelled; rows added and removed without JavaScript; sub-steps indented in the PDF."""

import re
from types import SimpleNamespace

import pytest
from django.urls import reverse

from lao_integrity.orgs.access import SYSTEM
from plans import documents, sheet_layout
from plans.models import DetailSheet
from plans.projects import services as project_services
from tests.plans.sheets import save_sheet
from tests.support.forms import form_data
from tests.support.labels import label_for, unnamed_fields
from tests.support.pages import page, strip_tags
from tests.support.pdf import lines_with_left, needs_pdftotext, text_of

NINE = ["๑", "๒", "๓", "๔", "๕", "๖", "๗", "๘", "๙"]
HEADING = re.compile(r"^([๐-๙]+)\. \S")  # "๖. ระยะเวลา..."; a step's "๑.๑)" has no space after its dot


def section_numbers(texts) -> list[str]:
    return [m.group(1) for m in (HEADING.match(t.strip()) for t in texts) if m]


def tag_texts(html: str, tag: str) -> list[str]:
    return [strip_tags(inner) for inner in re.findall(rf"<{tag}\b[^>]*>(.*?)</{tag}>", html, re.S)]


# --- the layout: one list of sections, step numbers, the plan's defaults --------------------


def test_the_nine_sections_are_numbered_in_order_from_one_list():
    assert [s.number for s in sheet_layout.SECTIONS] == list(range(1, 10))
    assert [s.heading.split(".")[0] for s in sheet_layout.SECTIONS] == NINE
    assert sheet_layout.BY_KEY["duration"].heading == "๖. ระยะเวลาดำเนินการ"
    assert sheet_layout.BY_KEY["responsible"].heading == "๘. ผู้รับผิดชอบ"
    assert len({s.key for s in sheet_layout.SECTIONS}) == 9


def test_step_numbers_follow_the_levels():
    assert sheet_layout.step_numbers([1, 2, 2, 1, 2, 3, 1]) == ["1", "1.1", "1.2", "2", "2.1", "2.1.1", "3"]
    # A level that skips one counts as one deeper (the service refuses it; a form shown again still numbers).
    assert sheet_layout.step_numbers([1, 3, 1]) == ["1", "1.1", "2"]


@pytest.mark.parametrize(("quarters", "expected"), [
    ((1, 2), "ไตรมาสที่ 1–2 ปีงบประมาณ พ.ศ. 2569"),
    ((2,), "ไตรมาสที่ 2 ปีงบประมาณ พ.ศ. 2569"),
    ((1, 3), "ไตรมาสที่ 1 และ 3 ปีงบประมาณ พ.ศ. 2569"),
    ((1, 2, 4), "ไตรมาสที่ 1–2 และ 4 ปีงบประมาณ พ.ศ. 2569"),
    ((1, 2, 3, 4), "ปีงบประมาณ พ.ศ. 2569"),  # the whole year
])
def test_default_duration_reads_the_quarters_of_the_plan(quarters, expected):
    project = SimpleNamespace(plan=SimpleNamespace(fiscal_year=2569), **{f"q{n}": n in quarters for n in (1, 2, 3, 4)})
    assert sheet_layout.default_duration(project) == expected


# --- sections 6 and 8 filled in from the plan -------------------------------------------------


def editor(client, project):
    return client.get(reverse("plans:sheet_edit", args=[project.pk]))


def test_a_new_sheet_starts_from_the_quarters_and_the_responsible_unit(plan, staff, client_for, org):
    client = client_for(staff)
    first, second = plan.projects.order_by("sequence")[:2]  # Q2-3 by สำนักปลัด; Q1 with no unit
    data = form_data(editor(client, first))
    assert data["duration"] == "ไตรมาสที่ 2–3 ปีงบประมาณ พ.ศ. 2569"
    assert data["responsible"] == "สำนักปลัด"
    data = form_data(editor(client, second))
    assert data["duration"] == "ไตรมาสที่ 1 ปีงบประมาณ พ.ศ. 2569"
    assert data["responsible"] == org.name  # no unit: the organisation


def test_what_the_sheet_says_is_not_overwritten(plan, staff, client_for):
    project = plan.projects.get(sequence=1)
    save_sheet(project, duration="มกราคม - มิถุนายน 2569", responsible="กองคลัง")
    data = form_data(editor(client_for(staff), project))
    assert (data["duration"], data["responsible"]) == ("มกราคม - มิถุนายน 2569", "กองคลัง")


def test_the_prefill_saved_as_it_is_keeps_following_the_plan(plan, staff, client_for):
    client = client_for(staff)
    project = plan.projects.get(sequence=1)
    data = form_data(editor(client, project))
    data["rationale"] = "เหตุผลของโครงการ"
    assert client.post(reverse("plans:sheet_edit", args=[project.pk]), data).status_code == 302
    sheet = DetailSheet.objects.get(project=project)
    assert (sheet.duration, sheet.responsible) == ("", "")  # the plan's own text: kept blank
    assert sheet.duration_text == "ไตรมาสที่ 2–3 ปีงบประมาณ พ.ศ. 2569"
    project_services.project_update(project=project, q4=True, user=SYSTEM)
    assert DetailSheet.objects.get(project=project).duration_text == "ไตรมาสที่ 2–4 ปีงบประมาณ พ.ศ. 2569"
    # ...and the editor shows the new quarters, not the old text.
    assert form_data(editor(client, project))["duration"] == "ไตรมาสที่ 2–4 ปีงบประมาณ พ.ศ. 2569"


# --- the editor: labels, rows without JavaScript, numbering ---------------------------------


def test_every_field_of_the_editor_has_a_label_rows_included(plan, staff, client_for):
    project = plan.projects.get(sequence=1)
    save_sheet(project)  # steps at levels 1, 2, 1
    html = page(editor(client_for(staff), project))
    assert unnamed_fields(html) == []
    assert label_for(html, "id_step-1-text") == "ขั้นตอนที่ 1.1"
    assert label_for(html, "id_step-2-text") == "ขั้นตอนที่ 2"
    assert label_for(html, "id_step-1-level") == "ระดับ (ขั้นตอนที่ 1.1)"
    assert label_for(html, "id_step-2-DELETE") == "ลบขั้นตอนที่ 2"
    assert label_for(html, "id_obj-0-text") == "วัตถุประสงค์ข้อที่ 1"
    assert label_for(html, "id_grp-0-count") == "จำนวน (กลุ่มเป้าหมายที่ 1)"
    assert label_for(html, "id_out-0-target_value") == "ค่าเป้าหมาย (ผลผลิตที่ 1)"
    assert label_for(html, "id_duration") == "๖. ระยะเวลาดำเนินการ"
    # The row a script copies is labelled too.
    assert label_for(html, "id_step-__prefix__-text").startswith("ขั้นตอนที่")


def test_without_javascript_empty_rows_add_and_a_ticked_box_removes(plan, staff, client_for):
    client = client_for(staff)
    project = plan.projects.get(sequence=1)
    save_sheet(project)  # ขออนุมัติโครงการ (1), จัดทำคำสั่ง (1.1), ดำเนินการอบรม (2)
    response = editor(client, project)
    html = page(response)
    # The buttons of the script wait hidden; the page says how to add a row without it.
    assert re.search(r"<button[^>]*data-add-row[^>]*>", html) and 'data-add-row' in html
    assert all(" hidden" in tag for tag in re.findall(r"<[^>]*data-js[^>]*>", html))
    assert "กด “บันทึกและแก้ไขต่อ” แล้วจะมีแถวว่างเพิ่มให้" in html
    data = form_data(response)
    assert data["step-TOTAL_FORMS"] == "6" and data["step-3-text"] == ""  # three empty rows ready
    data |= {"step-1-DELETE": "on", "step-3-text": "ประเมินผล", "step-3-level": "2", "continue": "1"}
    assert client.post(reverse("plans:sheet_edit", args=[project.pk]), data).status_code == 302
    sheet = DetailSheet.objects.get(project=project)
    assert [(s["number"], s["text"]) for s in sheet.numbered_steps()] == [
        ("1", "ขออนุมัติโครงการ"), ("2", "ดำเนินการอบรม"), ("2.1", "ประเมินผล")]
    # Saved and shown again: more empty rows beyond the four kept.
    assert form_data(editor(client, project))["step-TOTAL_FORMS"] == "6"


def test_sections_are_numbered_once_on_the_editor_and_the_page(plan, staff, client_for):
    client = client_for(staff)
    project = plan.projects.get(sequence=1)
    save_sheet(project)
    edit_html = page(editor(client, project))
    assert section_numbers(tag_texts(edit_html, "h2")) == NINE
    assert section_numbers(tag_texts(edit_html, "label")) == ["๒", "๖", "๘"]  # the one-field sections
    view_html = page(client.get(reverse("plans:sheet", args=[project.pk])))
    assert section_numbers(tag_texts(view_html, "h3")) == NINE


@needs_pdftotext
def test_the_pdf_numbers_each_sheet_once_and_indents_sub_steps(plan):
    first, _, third = plan.projects.order_by("sequence")
    save_sheet(first, duration="")  # steps 1, 1.1, 2; section 6 left to the plan
    save_sheet(third, steps=[{"text": "ประชุมเตรียมงาน", "level": 1}, {"text": "แบ่งกลุ่มย่อย", "level": 2},
                             {"text": "สรุปผลกลุ่มย่อย", "level": 3}])
    pdf = documents.plan_book_pdf(plan)
    text = text_of(pdf)
    sheets = text.split("ลำดับที่ ")[-2:]  # the annex's two sheets come last
    for sheet in sheets:
        assert section_numbers(sheet.splitlines()) == NINE, sheet
    assert "ไตรมาสที่ ๒–๓ ปีงบประมาณ พ.ศ. ๒๕๖๙" in sheets[0]  # section 6 from the plan
    assert "สำนักปลัด" in sheets[0]  # section 8 from the project's unit

    left = {}
    for line, x in lines_with_left(pdf):
        for start in ("๑) ขออนุมัติโครงการ", "๑.๑) จัดทำคำสั่ง", "๒) ดำเนินการอบรม",
                      "๑) ประชุมเตรียมงาน", "๑.๑) แบ่งกลุ่มย่อย", "๑.๑.๑) สรุปผลกลุ่มย่อย"):
            if line.startswith(start):
                left[start] = x
    assert len(left) == 6, left
    assert left["๑.๑) จัดทำคำสั่ง"] > left["๑) ขออนุมัติโครงการ"] + 20  # 1 cm is 28 pt
    assert left["๒) ดำเนินการอบรม"] == pytest.approx(left["๑) ขออนุมัติโครงการ"])
    assert left["๑.๑.๑) สรุปผลกลุ่มย่อย"] > left["๑.๑) แบ่งกลุ่มย่อย"] + 20 > left["๑) ประชุมเตรียมงาน"] + 40
