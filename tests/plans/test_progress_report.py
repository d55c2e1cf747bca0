"""The 6- and 12-month progress reports: who counts as "ยังไม่ดำเนินการ" (late) at 6 months, and
the report page's PDF.

The `plan` fixture: project 1 planned for quarters 2-3, project 2 for quarter 1, project 3 for
quarters 3-4 only.
"""

import functools
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from lao_integrity import thai
from lao_integrity.orgs.access import SYSTEM
from plans import selectors
from plans.models import ProgressStatus
from plans.progress import services as progress_services
from tests.support.pages import page, strip_tags

pytestmark = pytest.mark.django_db
record = functools.partial(progress_services.progress_record, user=SYSTEM)


def _statuses(summary) -> dict[int, str]:
    return {p.sequence: p.period_status for p in summary.projects}


def test_six_months_does_not_count_a_project_planned_for_quarters_3_4_as_not_started(plan):
    summary = selectors.progress_summary(plan, months=6)
    # Nothing recorded: the projects due in quarter 1 or 2 are late, the one planned later is not.
    assert _statuses(summary) == {1: ProgressStatus.NOT_STARTED, 2: ProgressStatus.NOT_STARTED,
                                  3: selectors.NOT_DUE}
    assert summary.total.by_status[ProgressStatus.NOT_STARTED] == 2
    assert summary.total.by_status[selectors.NOT_DUE] == 1
    assert summary.total.projects == 3  # still in the report, with its budget
    assert summary.total.budget == Decimal("15000.50")
    assert (selectors.NOT_DUE, selectors.NOT_DUE_LABEL) in summary.statuses
    dim3 = next(r for r in summary.rows if r.label.startswith("มิติที่ 3"))
    assert dim3.by_status[ProgressStatus.NOT_STARTED] == 0 and dim3.by_status[selectors.NOT_DUE] == 1
    for row in [*summary.rows, summary.total]:
        assert sum(row.by_status.values()) == row.projects
        assert list(row.by_status) == [value for value, _label in summary.statuses]


def test_twelve_months_counts_every_project_not_started(plan):
    summary = selectors.progress_summary(plan, months=12)
    assert _statuses(summary) == {1: ProgressStatus.NOT_STARTED, 2: ProgressStatus.NOT_STARTED,
                                  3: ProgressStatus.NOT_STARTED}
    assert summary.total.by_status[ProgressStatus.NOT_STARTED] == 3
    assert selectors.NOT_DUE not in summary.total.by_status
    assert selectors.NOT_DUE not in dict(summary.statuses)
    assert summary.not_due_note == ""


def test_six_months_counts_what_a_later_project_recorded_early(plan):
    """A quarter 3-4 project that already started counts as what was recorded; one recorded as
    not started in quarter 2 is still not due; a quarter 1 project recorded as not started is late."""
    later = plan.projects.get(sequence=3)
    record(project=later, quarter=2, status=ProgressStatus.IN_PROGRESS, amount_spent=Decimal("100"))
    assert _statuses(selectors.progress_summary(plan, months=6))[3] == ProgressStatus.IN_PROGRESS
    record(project=later, quarter=2, status=ProgressStatus.NOT_STARTED, amount_spent=Decimal("100"),
           expected_version=1)
    record(project=plan.projects.get(sequence=2), quarter=1, status=ProgressStatus.NOT_STARTED)
    summary = selectors.progress_summary(plan, months=6)
    assert _statuses(summary)[3] == selectors.NOT_DUE
    assert _statuses(summary)[2] == ProgressStatus.NOT_STARTED
    assert summary.total.spent == Decimal("100.00")


def _tfoot(html: str) -> list[str]:
    tfoot = re.search(r'id="progress-summary".*?<tfoot>(.*?)</tfoot>', html, re.S).group(1)
    return [strip_tags(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", tfoot, re.S)]


def test_report_page_shows_the_not_due_column_at_six_months_only(plan, staff, client_for):
    client = client_for(staff)
    url = reverse("plans:progress", args=[plan.pk])
    six = page(client.get(url, {"months": "6"}))
    head = strip_tags(re.search(r'id="progress-summary".*?<thead>(.*?)</thead>', six, re.S).group(1))
    assert "ยังไม่ถึงกำหนด" in head
    # รวมทั้งสิ้น, 3 projects, then one cell per status: not started 2, ..., not due 1.
    assert _tfoot(six)[:7] == ["รวมทั้งสิ้น", "3", "2", "0", "0", "0", "1"]
    assert 'id="not-due-note"' in six
    twelve = page(client.get(url, {"months": "12"}))
    assert "ยังไม่ถึงกำหนด" not in twelve
    assert _tfoot(twelve)[:6] == ["รวมทั้งสิ้น", "3", "3", "0", "0", "0"]


@pytest.mark.parametrize("months", [6, 12])
def test_report_page_offers_its_own_pdf(plan, auditor, client_for, months):
    """Readers too (the auditor) download the report they are looking at."""
    html = page(client_for(auditor).get(reverse("plans:progress", args=[plan.pk]), {"months": str(months)}))
    downloads = re.search(r'id="progress-downloads"(.*?)</div>', html, re.S).group(1)
    pdf = reverse("plans:document", args=[plan.pk, "progress"]) + f"?months={months}"
    assert f'href="{pdf}"' in downloads
    assert f"{months} เดือน (PDF)" in strip_tags(downloads)


def test_report_pdf_preview_counts_as_the_page_does(plan, auditor, client_for):
    url = reverse("plans:document", args=[plan.pk, "progress"])
    html = page(client_for(auditor).get(url, {"months": "6", "preview": "1"}))
    assert "ยังไม่ถึงกำหนด" in html
    total = re.search(r'<tr class="total">(.*?)</tr>', html, re.S).group(1)
    cells = [thai.to_arabic_digits(strip_tags(c)) for c in re.findall(r"<td[^>]*>(.*?)</td>", total, re.S)]
    assert cells[:7] == ["รวมทั้งสิ้น", "3", "2", "0", "0", "0", "1"]
    assert "ยังไม่ถึงกำหนด" not in page(client_for(auditor).get(url, {"months": "12", "preview": "1"}))


def test_report_pdf_downloads(plan, auditor, client_for):
    response = client_for(auditor).get(reverse("plans:document", args=[plan.pk, "progress"]), {"months": "6"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "plan-progress-" in response["Content-Disposition"] and "-6m.pdf" in response["Content-Disposition"]
