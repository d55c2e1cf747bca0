"""The plan's staff pages through Django's test client: login, the plan list and page, and what each role sees and may do."""

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lao_integrity.announcements.models import Announcement, Kind
from lao_integrity.orgs.access import SYSTEM
from plans import services as plan_services
from plans.models import DetailSheet, Plan, PlanStatus, PlanVersion, ProgressStatus, ProjectProgress
from plans.progress import services as progress_services
from tests.plans.page_helpers import csv_upload, project_post, sheet_post, summary_rows, table, totals
from tests.support.pages import by_id, page, strip_tags

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


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


def change_posts(plan, project, *, progress_status):
    """(address, data) of each change a plan's project and plan pages accept."""
    return [
        (reverse("plans:project_edit", args=[project.pk]), project_post(project, budget="1")),
        (reverse("plans:project_delete", args=[project.pk]), {}),
        (reverse("plans:project_move", args=[project.pk]), {"direction": "down"}),
        (reverse("plans:import", args=[plan.pk]), {"file": csv_upload([[1, "โครงการเดียว", "1", "0", "✓"]])}),
        (reverse("plans:sheet_edit", args=[project.pk]), sheet_post([(1, "ขั้นตอน")])),
        (reverse("plans:progress_edit", args=[project.pk, 2]), {"status": progress_status, "amount_spent": "1", "unable_reason": "งดจัด"}),
        (reverse("plans:approve", args=[plan.pk]), {"confirm_approve": "on"}),
        (reverse("plans:copy", args=[plan.pk]), {}),
    ]


def test_auditor_gets_403_on_every_change(demo, client_for):
    as_auditor = client_for(demo.auditor)
    plan, project = demo.plan, demo.plan.projects.get(sequence=1)
    dimension = plan.framework.dimensions.get(number=1)
    before = (table(plan), Plan.objects.count(), PlanVersion.objects.count(), ProjectProgress.objects.count(),
              list(DetailSheet.objects.filter(project=project).values_list("rationale", flat=True)))
    posts = [
        (reverse("plans:project_add", args=[plan.pk]),
         project_post(name="โครงการของผู้ตรวจสอบ", dimension=str(dimension.pk), budget="1", q1="on")),
        *change_posts(plan, project, progress_status="done"),
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
        reverse("plans:progress_export", args=[plan.pk]) + "?months=6",
    ]
    posts = change_posts(plan, project, progress_status="unable")
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

    refused = page(client_for(executive).post(url, follow=True))  # not yet confirmed: asked, nothing frozen
    assert "แผนฉบับนี้จะถูกตรึงเป็นฉบับที่อนุมัติ" in refused and not plan.versions.exists()
    response = client_for(executive).post(url, {"confirm_approve": "on"})

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


def test_the_plan_page_names_its_announcement_or_offers_to_make_one(seeded, client_for):
    """The announcement card reads the newest revision's number and status (without its texts)."""

    def card(plan=seeded.plan) -> str:
        html = page(client_for(seeded.staff).get(reverse("plans:detail", args=[plan.pk])))
        return re.search(r'<div class="card" id="announcement">(.*?)</div>', html, re.S).group(1)

    mine = Announcement.objects.filter(organisation=seeded.org, kind=Kind.PLAN, fiscal_year=2569)
    newest = mine.order_by("-revision", "-pk").first()
    assert newest is not None, "the demo makes บ้านแหง's plan announcement"
    shown = card()
    assert f'<a href="{reverse("announcements:detail", args=[newest.pk])}">ฉบับที่ {newest.revision}</a>' in shown
    assert newest.get_status_display() in shown
    year = next(y for y in range(2570, 2560, -1) if not Plan.objects.filter(organisation=seeded.org, fiscal_year=y)
                .exists() and not Announcement.objects.filter(organisation=seeded.org, kind=Kind.PLAN, fiscal_year=y)
                .exists())
    shown = card(plan_services.plan_create(organisation=seeded.org, fiscal_year=year, user=seeded.staff))
    assert "ยังไม่ได้จัดทำ" in shown and "จัดทำประกาศใช้แผน" in shown and "/announcements/" in shown
