"""Performance agreements through the pages: who may do what, linked plan projects, reads, the story of one agreement, the admin."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.performance import services
from agreements.performance.models import (
    AgreementKind,
    AgreementStatus,
    IndicatorProgress,
    PerformanceAgreement,
)
from lao_integrity.orgs.access import SYSTEM
from tests.agreements.performance.helpers import FOUR, indicator_fields
from tests.support.pages import by_id, page

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
D = Decimal


# --- permissions -------------------------------------------------------------------------------


def _urls(agreement, indicator) -> dict[str, str]:
    return {
        "detail": reverse("agreements:detail", args=[agreement.pk]),
        "edit": reverse("agreements:edit", args=[agreement.pk]),
        "delete": reverse("agreements:delete", args=[agreement.pk]),
        "sign": reverse("agreements:sign", args=[agreement.pk]),
        "evaluate": reverse("agreements:evaluate", args=[agreement.pk]),
        "pdf": reverse("agreements:pdf", args=[agreement.pk]),
        "indicator_add": reverse("agreements:indicator_add", args=[agreement.pk]),
        "indicator_import": reverse("agreements:indicator_import", args=[agreement.pk]),
        "export_csv": reverse("agreements:indicator_export", args=[agreement.pk, "csv"]),
        "export_xlsx": reverse("agreements:indicator_export", args=[agreement.pk, "xlsx"]),
        "indicator_edit": reverse("agreements:indicator_edit", args=[indicator.pk]),
        "indicator_delete": reverse("agreements:indicator_delete", args=[indicator.pk]),
        "progress": reverse("agreements:progress", args=[indicator.pk, 1]),
        "evidence": reverse("agreements:evidence", args=[indicator.pk, 1]),
    }


WRITES = ["edit", "delete", "sign", "evaluate", "indicator_add", "indicator_import", "indicator_edit",
          "indicator_delete", "progress"]


def test_other_organisation_gets_404_on_every_url(signed, four, other_staff, client_for):
    services.progress_record(indicator=four[0], quarter=1, value=D("1"),
                             evidence_file=SimpleUploadedFile("หลักฐาน.pdf", PDF), user=SYSTEM)
    client = client_for(other_staff)
    for name, url in _urls(signed, four[0]).items():
        assert client.get(url).status_code == 404, name
        assert client.post(url, {}).status_code == 404, name
    listing = page(client.get(reverse("agreements:list")))
    assert "มาลี" not in listing


def test_auditor_reads_everything_and_changes_nothing(signed, four, auditor, client_for):
    services.progress_record(indicator=four[0], quarter=1, value=D("1"),
                             evidence_file=SimpleUploadedFile("หลักฐาน.pdf", PDF), user=SYSTEM)
    client = client_for(auditor)
    urls = _urls(signed, four[0])
    for name in WRITES:
        assert client.get(urls[name]).status_code == 403, name
        assert client.post(urls[name], {"weight": "1"}).status_code == 403, name
    response = client.post(reverse("agreements:list"), {"organisation": signed.organisation_id})
    assert response.status_code == 403
    for name in ("detail", "export_csv", "export_xlsx", "evidence"):
        assert client.get(urls[name]).status_code == 200, name
    assert client.get(urls["pdf"])["Content-Type"] == "application/pdf"
    html = page(client.get(urls["detail"]))
    assert "บันทึกผล" not in html and "+ เพิ่มตัวชี้วัด" not in html
    assert "มาลี" in page(client.get(reverse("agreements:list")))
    signed.refresh_from_db()
    assert signed.status == AgreementStatus.SIGNED and signed.indicators.count() == 4


def test_staff_enter_but_only_executives_sign_and_evaluate(agreement, four, staff, executive, client_for):
    staff_client = client_for(staff)
    assert staff_client.post(reverse("agreements:sign", args=[agreement.pk])).status_code == 403
    assert staff_client.get(reverse("agreements:evaluate", args=[agreement.pk])).status_code == 403
    html = page(staff_client.get(reverse("agreements:detail", args=[agreement.pk])))
    assert "ลงนามข้อตกลง" not in html and "+ เพิ่มตัวชี้วัด" in html
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.DRAFT
    response = client_for(executive).post(reverse("agreements:sign", args=[agreement.pk]), {"confirm_sign": "on"})
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNED


def test_sign_and_delete_ask_first_and_change_nothing_unasked(agreement, four, staff, executive, client_for):
    html = page(client_for(executive).post(reverse("agreements:sign", args=[agreement.pk]), follow=True))
    assert "ตัวชี้วัดและน้ำหนักจะถูกตรึง แก้ไขไม่ได้อีก" in html and 'name="confirm_sign"' in html
    html = page(client_for(staff).post(reverse("agreements:delete", args=[agreement.pk]), follow=True))
    assert "ข้อตกลงนี้และตัวชี้วัดทั้งหมดจะถูกลบถาวร" in html
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.DRAFT and agreement.indicators.count() == 4


def test_an_indicator_is_deleted_only_with_its_box_ticked(agreement, four, staff, client_for):
    client = client_for(staff)
    first = four[0]
    question = f"ยืนยันการลบตัวชี้วัด “{first.name}” (น้ำหนัก 40) ออกจากข้อตกลงนี้ ลบแล้วกู้คืนไม่ได้"
    html = page(client.get(reverse("agreements:detail", args=[agreement.pk])))
    row = html[html.index(f'<tr id="i{first.pk}">'):]
    row = row[:row.index("</tr>")]
    assert 'name="confirm_delete" value="on"> ยืนยันการลบตัวชี้วัดนี้ (น้ำหนัก 40)</label>' in row
    assert "confirm(" not in html
    url = reverse("agreements:indicator_delete", args=[first.pk])
    for unticked in ({}, {"confirm_delete": ""}, {"confirm_delete": "false"}):
        html = page(client.post(url, unticked, follow=True))
        assert question + " กรุณาทำเครื่องหมายยืนยันแล้วกดอีกครั้ง" in html
        assert agreement.indicators.count() == 4
    html = page(client.post(url, {"confirm_delete": "on"}, follow=True))
    assert f"ลบตัวชี้วัด “{first.name}” แล้ว" in html
    assert list(agreement.indicators.values_list("name", flat=True)) == [i.name for i in four[1:]]


def test_service_refuses_users_without_rights(agreement, auditor, other_staff):
    for user in (auditor, other_staff):
        with pytest.raises(PermissionDenied):
            services.indicator_create(agreement=agreement, user=user, **indicator_fields())
    assert not agreement.indicators.exists()


# --- plan projects -----------------------------------------------------------------------------


def test_linked_plan_project_shows_on_the_agreement_page(agreement, plan, other_org, staff, client_for):
    project = plan.projects.get(sequence=2)
    client = client_for(staff)
    edit = page(client.get(reverse("agreements:edit", args=[agreement.pk])))
    assert project.name in edit
    response = client.post(reverse("agreements:edit", args=[agreement.pk]),
                           {"action": "projects", "projects": [project.pk], "version": str(agreement.version)})
    assert response.status_code == 302
    html = page(client.get(reverse("agreements:detail", args=[agreement.pk])))
    projects = re.search(r'id="projects".*?</div>', html, re.S).group(0)
    assert project.name in projects
    assert f'href="{reverse("plans:detail", args=[plan.pk])}#p{project.pk}"' in projects
    assert list(project.performance_agreements.all()) == [agreement]


def test_projects_of_another_organisation_cannot_be_linked(agreement, other_org):
    from plans import services as plan_services
    from plans.projects import services as project_services

    foreign_plan = plan_services.plan_create(organisation=other_org, fiscal_year=2569, user=SYSTEM)
    dimension = foreign_plan.framework.dimensions.get(number=1)
    foreign = project_services.project_create(plan=foreign_plan, name="กิจกรรม การจัดทำข้อตกลงการปฏิบัติราชการ",
                                           dimension=dimension, q1=True, user=SYSTEM)
    with pytest.raises(ValidationError, match="ไม่ใช่โครงการในแผนของ"):
        services.agreement_link_projects(agreement=agreement, projects=[foreign], user=SYSTEM)
    assert not agreement.projects.exists()


# --- reads --------------------------------------------------------------------------------------


def test_detail_page_costs_the_same_queries_for_more_indicators(agreement, second, four, staff, client_for):
    services.indicator_create(agreement=second, **indicator_fields("หนึ่งเดียว", "100"), user=staff)
    client = client_for(staff)
    client.get(reverse("agreements:detail", args=[second.pk]))  # warm the session and role cache

    def count(a):
        with CaptureQueriesContext(connection) as ctx:
            page(client.get(reverse("agreements:detail", args=[a.pk])))
        return len(ctx.captured_queries)

    assert count(agreement) == count(second)


def test_list_filters_by_year_round_and_kind(org, units, people, head, agreement, staff, client_for):
    services.agreement_create(organisation=org, fiscal_year=2569, round=2, unit=units["กองคลัง"], person=head,
                              executive=people["executive"], user=staff)
    services.agreement_create(organisation=org, fiscal_year=2568, round=1, kind=AgreementKind.INDIVIDUAL,
                              person=people["analyst"], executive=people["executive"], user=staff)
    client = client_for(staff)

    def rows(query):
        html = page(client.get(reverse("agreements:list") + query))
        return len(re.findall(r'<tr id="a\d+"', html))

    assert rows("") == 3
    assert rows("?year=2569") == 2
    assert rows("?year=2569&round=2") == 1
    assert rows("?kind=individual") == 1
    assert rows("?round=9&year=abc") == 3  # nonsense filters are ignored


# --- the story, through the pages -----------------------------------------------------------


def test_head_of_unit_enters_executive_signs_progress_and_evaluation(org, units, people, head, staff, executive,
                                                                     client_for):
    staff_client, exec_client = client_for(staff), client_for(executive)
    # The head of กองคลัง (a staff login) creates the agreement with the mayor.
    response = staff_client.post(reverse("agreements:list"), {
        "organisation": org.pk, "fiscal_year": "2569", "round": "1", "kind": "unit",
        "unit": units["กองคลัง"].pk, "person": head.pk, "executive": people["executive"].pk,
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    agreement = PerformanceAgreement.objects.get(person=head)
    detail_url = reverse("agreements:detail", args=[agreement.pk])
    assert response.url == detail_url

    # Four indicators, one page each.
    for fields in FOUR:
        data = {k: ("" if v is None else str(v)) for k, v in fields.items() if k != "higher_is_better"}
        if fields["higher_is_better"]:
            data["higher_is_better"] = "on"
        response = staff_client.post(reverse("agreements:indicator_add", args=[agreement.pk]), data)
        assert response.status_code == 302, response.content.decode()[:3000]
    # A bad one is refused with the reason and changes nothing.
    bad = {**{k: str(v) for k, v in FOUR[0].items() if k != "higher_is_better" and v is not None},
           "higher_is_better": "on", "target_5": "1", "name": "ผิด"}
    html = page(staff_client.post(reverse("agreements:indicator_add", args=[agreement.pk]), bad))
    assert "ค่าเป้าหมายต้องเพิ่มขึ้นจากระดับ 1 ถึงระดับ 5" in html
    assert agreement.indicators.count() == 4
    html = page(staff_client.get(detail_url))
    assert by_id(html, "weight-total") == "100"

    # The executive signs.
    response = exec_client.post(reverse("agreements:sign", args=[agreement.pk]), {"confirm_sign": "on"})
    assert response.status_code == 302
    html = page(exec_client.get(detail_url))
    assert by_id(html, "status") == "ลงนามแล้ว"

    # Progress for both quarters of round 1, with evidence.
    by_name = {i.name: i for i in agreement.indicators.all()}
    q1 = {"ร้อยละการเบิกจ่ายงบประมาณ": "30", "จำนวนวันเฉลี่ยในการออกใบอนุญาตก่อสร้าง": "18",
          "ร้อยละความพึงพอใจของผู้รับบริการ": "84", "จำนวนช่องทางการรับเรื่องร้องเรียนภายใน 7 วัน": "3"}
    q2 = {"ร้อยละการเบิกจ่ายงบประมาณ": "61", "จำนวนวันเฉลี่ยในการออกใบอนุญาตก่อสร้าง": "15",
          "ร้อยละความพึงพอใจของผู้รับบริการ": "86", "จำนวนช่องทางการรับเรื่องร้องเรียนภายใน 7 วัน": "1"}
    for quarter, values in ((1, q1), (2, q2)):
        for name, value in values.items():
            indicator = by_name[name]
            response = staff_client.post(reverse("agreements:progress", args=[indicator.pk, quarter]), {
                "value": value, "note": f"ผลไตรมาส {quarter}", "evidence_url": "",
                "evidence_file": SimpleUploadedFile("รายงาน.pdf", PDF), "version": "0",  # none yet
            })
            assert response.status_code == 302, response.content.decode()[:2000]
    assert IndicatorProgress.objects.filter(indicator__agreement=agreement).count() == 8
    html = page(staff_client.get(detail_url))
    first = by_name["ร้อยละการเบิกจ่ายงบประมาณ"]
    assert "61" in by_id(html, f"i{first.pk}-q2") and "ไฟล์" in by_id(html, f"i{first.pk}-q2")
    evidence = staff_client.get(reverse("agreements:evidence", args=[first.pk, 2]))
    assert evidence.status_code == 200 and b"".join(evidence.streaming_content) == PDF

    # The executive evaluates; the form proposes the last quarter's values.
    form = page(exec_client.get(reverse("agreements:evaluate", args=[agreement.pk])))
    assert 'value="61' in form
    response = exec_client.post(reverse("agreements:evaluate", args=[agreement.pk]),
                                {f"value_{by_name[n].pk}": v for n, v in q2.items()})
    assert response.status_code == 302
    html = page(exec_client.get(detail_url))
    assert by_id(html, "status") == "ประเมินผลแล้ว"
    assert by_id(html, "score-total") == "76.00"
    assert "76.00" in by_id(html, "score")


def test_admin_pages_load(signed, four, client):
    from django.contrib.auth import get_user_model

    admin_user = get_user_model().objects.create_superuser("t_admin", password="t-admin-pw-2569")
    client.force_login(admin_user)
    for url in ("/admin/agreements/performanceagreement/", f"/admin/agreements/performanceagreement/{signed.pk}/change/",
                "/admin/agreements/performanceagreement/?status__exact=signed", "/admin/agreements/orgagreement/",
                "/admin/agreements/topicitem/", "/admin/agreements/indicatorprogress/"):
        assert client.get(url).status_code == 200, url
