"""Recording progress from the plan page: each row's latest status and its "บันทึกผล" link for the
quarter of today, planned and unplanned quarters told apart, and forms that return where they
were opened from (?next=).

The `plan` fixture (FY 2569): project 1 planned for quarters 2-3, project 2 for quarter 1,
project 3 for quarters 3-4.
"""

import datetime
import re
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from django.urls import reverse

from lao_integrity.orgs.access import SYSTEM
from plans import selectors
from plans.models import ProgressStatus
from plans.progress import services as progress_services
from tests.plans.page_helpers import project_post
from tests.support.pages import page, strip_tags

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("today", "quarter"), [
    (datetime.date(2025, 10, 1), 1),    # the first day of FY 2569: ต.ค.
    (datetime.date(2025, 12, 31), 1),
    (datetime.date(2026, 1, 1), 2),
    (datetime.date(2026, 4, 15), 3),
    (datetime.date(2026, 9, 30), 4),    # its last day
    (datetime.date(2026, 10, 1), 4),    # FY 2570: the 2569 plan's last quarter, recorded late
    (datetime.date(2025, 9, 30), None),  # FY 2568: the 2569 plan has not begun
])
def test_recording_quarter_follows_the_thai_fiscal_year(plan, today, quarter):
    assert selectors.recording_quarter(plan, today) == quarter


@pytest.fixture
def on_day(monkeypatch):
    """The plan page as if today were `day` (only the page's own clock)."""
    def set_day(day: datetime.date):
        monkeypatch.setattr("plans.views.timezone", SimpleNamespace(localdate=lambda: day))
    return set_day


def _row(html: str, project) -> str:
    match = re.search(rf'<tr id="p{project.pk}"[^>]*>(.*?)</tr>', html, re.S)
    assert match, f"no row for project {project.pk}"
    return match.group(1)


def _latest(html: str, project) -> str:
    return strip_tags(re.search(rf'<td class="latest" id="latest-p{project.pk}">(.*?)</td>', html, re.S).group(1))


def test_each_row_shows_its_latest_status_and_links_to_this_quarters_form(plan, staff, client_for, on_day):
    first, second, third = plan.projects.order_by("sequence")
    progress_services.progress_record(project=first, quarter=1, status=ProgressStatus.IN_PROGRESS, user=SYSTEM)
    progress_services.progress_record(project=first, quarter=2, status=ProgressStatus.DONE, user=SYSTEM)
    progress_services.progress_record(project=second, quarter=1, status=ProgressStatus.UNABLE, unable_reason="งดจัดตามมติสภา", user=SYSTEM)
    on_day(datetime.date(2026, 2, 10))  # quarter 2 of FY 2569
    url = reverse("plans:detail", args=[plan.pk])
    html = page(client_for(staff).get(url))

    assert _latest(html, first).startswith("ดำเนินการแล้วเสร็จ ไตรมาส 2")  # quarter 2, the latest recorded
    assert _latest(html, second).startswith("ไม่สามารถดำเนินการได้ ไตรมาส 1")
    assert _latest(html, third).startswith("ยังไม่บันทึกผล")
    for project in (first, second, third):
        link = reverse("plans:progress_edit", args=[project.pk, 2]) + f"?next={quote(url)}%23p{project.pk}"
        assert f'href="{link}"' in _row(html, project)
        assert "บันทึกผลไตรมาส 2" in _latest(html, project)
    # The link opens that project's quarter 2 form, which returns to the row.
    form = page(client_for(staff).get(reverse("plans:progress_edit", args=[third.pk, 2]),
                                      {"next": f"{url}#p{third.pk}"}))
    assert "ผลการดำเนินงานไตรมาส 2" in form and third.name in form


def test_readers_see_the_status_without_the_link(plan, auditor, executive, client_for, on_day):
    """access.py decides: the auditor reads only; the executive may change the plan, so is offered it."""
    project = plan.projects.get(sequence=1)
    progress_services.progress_record(project=project, quarter=3, status=ProgressStatus.IN_PROGRESS, user=SYSTEM)
    on_day(datetime.date(2026, 5, 1))  # quarter 3
    html = page(client_for(auditor).get(reverse("plans:detail", args=[plan.pk])))
    assert _latest(html, project) == "อยู่ระหว่างดำเนินการ ไตรมาส 3"
    assert "บันทึกผลไตรมาส" not in html
    assert "/progress/" not in re.search(r'<table class="data"[^>]*id="summary".*?</table>', html, re.S).group(0)
    html = page(client_for(executive).get(reverse("plans:detail", args=[plan.pk])))
    assert _latest(html, project) == "อยู่ระหว่างดำเนินการ ไตรมาส 3 บันทึกผลไตรมาส 3"


def test_a_plan_of_a_year_to_come_offers_no_recording_yet(plan, staff, client_for, on_day):
    on_day(datetime.date(2025, 6, 1))  # FY 2568
    html = page(client_for(staff).get(reverse("plans:detail", args=[plan.pk])))
    assert "บันทึกผลไตรมาส" not in html
    assert _latest(html, plan.projects.get(sequence=1)) == "ยังไม่บันทึกผล"


def test_unplanned_quarters_look_different_and_say_so(plan, auditor, client_for):
    html = page(client_for(auditor).get(reverse("plans:detail", args=[plan.pk])))
    for project in plan.projects.all():
        cells = re.findall(r'<td class="c (q-on|q-off)">(.*?)</td>', _row(html, project), re.S)
        assert [kind for kind, _cell in cells] == ["q-on" if q in project.quarters else "q-off" for q in (1, 2, 3, 4)]
        for q, (kind, cell) in enumerate(cells, start=1):
            said = re.search(r'<span class="vh">(.*?)</span>', cell).group(1)
            assert said == f"ไตรมาส {q} {'วางแผนไว้' if kind == 'q-on' else 'ไม่ได้วางแผน'}"
            assert ("✓" in cell) == (kind == "q-on")  # a mark, not only a colour


# --- where the forms return --------------------------------------------------------------------


def _cancel(html: str) -> str:
    return re.findall(r'<a class="btn" href="([^"]*)">ยกเลิก</a>', html)[-1].replace("&amp;", "&")


@pytest.mark.parametrize("form", ["progress", "project"])
def test_cancel_returns_where_the_form_was_opened(plan, staff, client_for, form):
    project = plan.projects.get(sequence=1)
    url = (reverse("plans:progress_edit", args=[project.pk, 2]) if form == "progress"
           else reverse("plans:project_edit", args=[project.pk]))
    client = client_for(staff)
    came_from = reverse("plans:progress", args=[plan.pk]) + f"?months=6#p{project.pk}"
    assert _cancel(page(client.get(url, {"next": came_from}))) == came_from
    on_plan = reverse("plans:detail", args=[plan.pk]) + f"?dimension=1#p{project.pk}"
    assert _cancel(page(client.get(url, {"next": on_plan}))) == on_plan


@pytest.mark.parametrize("elsewhere", ["https://evil.example/plans/", "//evil.example/", "javascript:alert(1)", ""])
@pytest.mark.parametrize("form", ["progress", "project"])
def test_cancel_never_leaves_the_site_and_falls_back_to_the_plan_row(plan, staff, client_for, form, elsewhere):
    project = plan.projects.get(sequence=1)
    url = (reverse("plans:progress_edit", args=[project.pk, 2]) if form == "progress"
           else reverse("plans:project_edit", args=[project.pk]))
    html = page(client_for(staff).get(url, {"next": elsewhere}))
    assert _cancel(html) == reverse("plans:detail", args=[plan.pk]) + f"#p{project.pk}"
    assert "evil.example" not in _cancel(html)


def test_saved_progress_returns_where_it_was_opened(plan, staff, client_for):
    project = plan.projects.get(sequence=1)
    came_from = reverse("plans:detail", args=[plan.pk]) + f"#p{project.pk}"
    url = reverse("plans:progress_edit", args=[project.pk, 2]) + f"?next={quote(came_from)}"
    response = client_for(staff).post(url, {"status": ProgressStatus.DONE, "amount_spent": "0", "version": "0"})
    assert response.status_code == 302 and response["Location"] == came_from
    # Opened without ?next= (or with another site's), a save goes to the report as before.
    bad = reverse("plans:progress_edit", args=[project.pk, 3]) + "?next=https://evil.example/"
    response = client_for(staff).post(bad, {"status": ProgressStatus.DONE, "amount_spent": "0", "version": "0"})
    assert response["Location"] == reverse("plans:progress", args=[plan.pk]) + "?months=12"


def test_saved_project_returns_where_it_was_opened(plan, staff, client_for):
    project = plan.projects.get(sequence=1)
    came_from = reverse("plans:detail", args=[plan.pk]) + f"?dimension=1#p{project.pk}"
    url = reverse("plans:project_edit", args=[project.pk]) + f"?next={quote(came_from)}"
    response = client_for(staff).post(url, project_post(project, remark="แก้จากหน้าแผน"))
    assert response.status_code == 302 and response["Location"] == came_from


def test_the_sheet_forms_name_link_returns_to_the_sheet_form(plan, staff, client_for):
    project = plan.projects.get(sequence=1)
    sheet_form = reverse("plans:sheet_edit", args=[project.pk])
    html = page(client_for(staff).get(sheet_form))
    link = reverse("plans:project_edit", args=[project.pk]) + f"?next={quote(sheet_form)}"
    assert f'href="{link}"' in html
    assert _cancel(page(client_for(staff).get(link))) == sheet_form
