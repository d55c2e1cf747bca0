"""ITA results through the pages: the import page, the score-entry form, the admin's import, export and recompute."""

import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from ita.models import Framework, Result
from tests.ita.results.scores import assert_seed_result, csv_bytes, long_rows, save_seed
from tests.ita.results.seed import LONG, SEED, THAI, WIDE

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("t_root", password="t_root-pw-2569")


# --- the import page ------------------------------------------------------------------------


def upload(rows, headers=LONG, name="ita.csv"):
    return SimpleUploadedFile(name, csv_bytes(headers, rows), content_type="text/csv")


def test_staff_imports_their_own_organisation(client_for, staff, org, django_capture_on_commit_callbacks):
    client = client_for(staff)
    assert client.get("/ita/import/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):  # the import runs as a job once committed
        response = client.post("/ita/import/", {"file": upload(long_rows(org.code, 2566))})
    assert response.status_code == 302 and response["Location"].startswith("/jobs/")
    result = Result.objects.get(organisation=org, fiscal_year=2566)
    assert_seed_result(result)
    assert result.updated_by == staff


def test_staff_import_success_message(client_for, executive, org, django_capture_on_commit_callbacks):
    client = client_for(executive)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/ita/import/", {"file": upload(long_rows(org.code, 2566))})
    assert response["Location"].startswith("/jobs/")
    response = client.get(response["Location"])
    assert "นำเข้าแล้ว: 1 ผลการประเมิน (1 อปท., 1 ปีงบประมาณ)" in response.content.decode()


def test_staff_cannot_import_another_organisation(client_for, staff, org, other_org,
                                                   django_capture_on_commit_callbacks):
    count = Result.objects.count()
    rows = [*long_rows(org.code, 2566), *long_rows(other_org.code, 2566)[:1]]
    client = client_for(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/ita/import/", {"file": upload(rows)})
    response = client.get(response["Location"])
    assert response.status_code == 200
    assert response.context["job"].problems[0]["line"] == 12
    html = response.content.decode()
    assert "ไม่ได้นำเข้า ข้อมูลเดิมไม่เปลี่ยนแปลง" in html
    assert f"<td class=\"c\">12</td><td>ไม่มีสิทธิ์นำเข้าข้อมูลของ อปท. รหัส {other_org.code}</td>" in html
    assert Result.objects.count() == count


def test_import_page_rejects_bad_uploads(client_for, staff, org):
    client = client_for(staff)
    response = client.post("/ita/import/", {"file": SimpleUploadedFile("ita.pdf", b"%PDF")})
    assert response.status_code == 200
    assert "รองรับเฉพาะไฟล์ .csv และ .xlsx" in response.content.decode()
    response = client.post("/ita/import/", {})
    assert "กรุณาเลือกไฟล์" in response.content.decode()
    assert not Result.objects.filter(organisation=org).exists()


def test_auditor_may_not_import(client_for, auditor, org):
    client = client_for(auditor)
    assert client.get("/ita/import/").status_code == 403
    assert client.post("/ita/import/", {"file": upload(long_rows(org.code, 2566))}).status_code == 403
    assert not Result.objects.filter(organisation=org).exists()


def test_superuser_imports_any_organisation(client, superuser, org, other_org, django_capture_on_commit_callbacks):
    client.force_login(superuser)
    rows = [*long_rows(org.code, 2566), *long_rows(other_org.code, 2566)]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/ita/import/", {"file": upload(rows)})
    assert response.status_code == 302
    assert Result.objects.filter(organisation__in=[org, other_org], fiscal_year=2566, overall=Decimal("91.47")
                                 ).count() == 2


def test_anonymous_is_sent_to_login(client):
    response = client.get("/ita/import/")
    assert response.status_code == 302 and "login" in response["Location"]


# --- the score form --------------------------------------------------------------------------


def edit_url(organisation, year=2566):
    return f"/ita/org/{organisation.code}/{year}/edit/"


def form_data(scores=SEED, version=0, **extra):
    """The score form as posted; `version`: the result's as the form was loaded (0: none yet)."""
    return {**{f"score_{n}": s for n, s in enumerate(scores, start=1)}, "version": str(version), **extra}


def test_result_edit_saves_and_recomputes(client_for, staff, org):
    client = client_for(staff)
    page = client.get(edit_url(org))
    assert page.status_code == 200
    assert "ตัวชี้วัดที่ 10 การป้องกันการทุจริต" in page.content.decode()
    assert "part_public" in page.context["form"].fields

    response = client.post(edit_url(org), form_data(rank="๑๑๗๕", part_public="87.60",
                                                    part_survey="80.62"))
    result = Result.objects.get(organisation=org, fiscal_year=2566)
    assert response.status_code == 302 and response["Location"] == f"/ita/result/{result.pk}/"
    assert_seed_result(result)
    assert result.rank == 1175
    assert result.updated_by == staff

    # Editing again recomputes: indicator 10 drops, OIT and the overall follow.
    response = client.post(edit_url(org), form_data([*SEED[:9], "50"], version=result.version))
    assert response.status_code == 302
    result.refresh_from_db()
    assert (result.oit, result.overall, result.level, result.passed) == (
        Decimal("75.00"), Decimal("81.47"), "B", False)
    assert result.rank is None


def test_result_edit_shows_the_current_scores(client_for, executive, org):
    save_seed(org)
    page = client_for(executive).get(edit_url(org))
    form = page.context["form"]
    assert form["score_1"].value() == "95.01"
    assert 'value="95.01"' in page.content.decode()
    assert form["rank"].value() == 1175


def test_result_edit_thai_digits_for_a_year_without_parts(client_for, staff, org):
    response = client_for(staff).post(edit_url(org, 2565), form_data([s.translate(THAI) for s in SEED]))
    assert response.status_code == 302
    assert_seed_result(Result.objects.get(organisation=org, fiscal_year=2565))


def test_result_edit_bad_scores_are_explained_in_thai_and_nothing_saved(client_for, staff, org):
    client = client_for(staff)
    data = form_data(["100.5", "abc", "91.456", *SEED[3:]])
    response = client.post(edit_url(org), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["score_1"] == ["คะแนน 100.5 ต้องอยู่ระหว่าง 0 ถึง 100"]
    assert errors["score_2"] == ["คะแนน “abc” ไม่ใช่ตัวเลข"]
    assert errors["score_3"] == ["คะแนน 91.456 มีทศนิยมเกิน 2 ตำแหน่ง"]
    response = client.post(edit_url(org), {"version": "0"})
    assert response.context["form"].non_field_errors() == ["กรุณากรอกคะแนนอย่างน้อยหนึ่งตัวชี้วัด"]
    response = client.post(edit_url(org), form_data(part_public="90", part_survey="90"))
    assert response.status_code == 200
    assert "คะแนน EIT รายส่วนไม่สอดคล้องกับคะแนนรายตัวชี้วัด" in response.content.decode()
    assert not Result.objects.filter(organisation=org).exists()


def test_result_edit_access(client_for, auditor, other_staff, staff, org):
    assert client_for(auditor).get(edit_url(org)).status_code == 403
    assert client_for(auditor).post(edit_url(org), form_data()).status_code == 403
    assert client_for(other_staff).get(edit_url(org)).status_code == 404
    assert client_for(other_staff).post(edit_url(org), form_data()).status_code == 404
    assert client_for(staff).get(edit_url(org, 2570)).status_code == 404
    assert client_for(staff).get("/ita/org/1234567/2566/edit/").status_code == 404
    assert not Result.objects.filter(organisation=org).exists()


# --- the admin --------------------------------------------------------------------------------


def test_admin_import_and_export(client, superuser, org, other_org):
    client.force_login(superuser)
    changelist = client.get("/admin/ita/result/")
    assert changelist.status_code == 200
    assert "/admin/ita/result/import/" in changelist.content.decode()
    assert client.get("/admin/ita/result/import/").status_code == 200

    # A bad file: listed, nothing saved.
    bad = client.post("/admin/ita/result/import/", {"file": upload([[org.code, 2566, 1, "101"]])})
    assert bad.status_code == 200
    assert "บรรทัดที่ 2: ตัวชี้วัดที่ 1: คะแนน 101 ต้องอยู่ระหว่าง 0 ถึง 100" in bad.content.decode()

    rows = [[org.code, 2566, *SEED], [other_org.code, 2565, *SEED]]
    response = client.post("/admin/ita/result/import/", {"file": upload(rows, WIDE, "ita.csv")})
    assert response.status_code == 302 and response["Location"] == "/admin/ita/result/"
    assert_seed_result(Result.objects.get(organisation=org, fiscal_year=2566))

    mine = Result.objects.get(organisation=org, fiscal_year=2566)
    response = client.post("/admin/ita/result/", {"action": "export_xlsx", "_selected_action": [mine.pk]})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="ita-2566.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [c.value for c in sheet[2]][:5] == [org.code, org.name, "อบต.", "ลำปาง", 2566]

    theirs = Result.objects.get(organisation=other_org, fiscal_year=2565)
    response = client.post("/admin/ita/result/", {"action": "export_csv", "_selected_action": [mine.pk, theirs.pk]},
                           follow=True)
    assert "กรุณาเลือกผลการประเมินของปีงบประมาณเดียวกัน" in response.content.decode()
    assert client.get(f"/admin/ita/result/{mine.pk}/change/").status_code == 200


def test_admin_framework_recompute_action(client, superuser, org):
    client.force_login(superuser)
    result = save_seed(org)
    framework = Framework.objects.get(fiscal_year=2566)
    framework.bands.filter(level="A").update(min_score=Decimal("92"))
    response = client.post("/admin/ita/framework/", {"action": "recompute", "_selected_action": [framework.pk]},
                           follow=True)
    assert "คำนวณผลการประเมินปีงบประมาณ 2566 ใหม่แล้ว" in response.content.decode()
    result.refresh_from_db()
    assert result.level == "B"
    for url in ("/admin/ita/framework/", f"/admin/ita/framework/{framework.pk}/change/", "/admin/ita/oititem/",
                "/admin/ita/measure/", "/admin/ita/measureprogress/"):
        assert client.get(url).status_code == 200, url
