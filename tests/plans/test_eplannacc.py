"""What e-PlanNACC asks of the progress records (status "ไม่สามารถดำเนินการได้" with its reason, the
budget in the ordinance, the amount disbursed), the implementation percentage with e-PlanNACC's
bands, and the report as an xlsx in e-PlanNACC's column order.

The `plan` fixture (อบต.): project 1 planned for quarters 2-3 (10,000.00), project 2 for quarter 1
(0.00), project 3 for quarters 3-4 only (5,000.50).
"""

import functools
import importlib
import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from lao_integrity.orgs.access import SYSTEM
from plans import eplannacc, selectors
from plans.models import ProgressStatus, ProjectProgress
from plans.progress import services as progress_services
from tests.support.files import xlsx_rows
from tests.support.pages import page, strip_tags

pytestmark = pytest.mark.django_db
record = functools.partial(progress_services.progress_record, user=SYSTEM)
REASON = "สภามีมติงดจัดเนื่องจากสถานการณ์น้ำท่วม"


def _projects(plan):
    return list(plan.projects.order_by("sequence"))


# --- the record ------------------------------------------------------------------------------


def test_unable_needs_its_reason_in_thai_and_nothing_is_saved(plan):
    first = _projects(plan)[0]
    with pytest.raises(ValidationError) as error:
        record(project=first, quarter=2, status=ProgressStatus.UNABLE, unable_reason="  ")
    assert "กรุณาระบุเหตุผลที่ไม่สามารถดำเนินการได้" in str(error.value)
    assert not ProjectProgress.objects.filter(project__plan=plan).exists()
    saved = record(project=first, quarter=2, status=ProgressStatus.UNABLE, unable_reason=f" {REASON} ",
                   ordinance_budget=Decimal("8000"), amount_spent=Decimal("0"))
    assert (saved.status, saved.unable_reason, saved.ordinance_budget) == (ProgressStatus.UNABLE, REASON,
                                                                           Decimal("8000.00"))
    assert ProgressStatus.UNABLE.label == "ไม่สามารถดำเนินการได้"


def test_a_reason_is_kept_only_with_unable(plan):
    first = _projects(plan)[0]
    saved = record(project=first, quarter=2, status=ProgressStatus.IN_PROGRESS, unable_reason=REASON)
    assert saved.unable_reason == ""


def test_the_ordinance_budget_is_never_negative(plan):
    with pytest.raises(ValidationError):
        record(project=_projects(plan)[0], quarter=2, status=ProgressStatus.DONE, ordinance_budget=Decimal("-1"))
    assert not ProjectProgress.objects.filter(project__plan=plan).exists()


def test_the_form_asks_for_the_reason_and_names_the_organisations_ordinance(plan, staff, client_for):
    first = _projects(plan)[0]
    url = reverse("plans:progress_edit", args=[first.pk, 2])
    client = client_for(staff)
    html = page(client.get(url))
    assert "งบประมาณตามข้อบัญญัติ (บาท)" in html and "เทศบัญญัติ" not in strip_tags(html)  # an อบต.
    assert "เบิกจ่าย (บาท)" in html and 'name="version"' in html  # the edit form carries its version
    assert 'value="10,000.00"' in html or 'value="10000.00"' in html  # offered: the plan's budget
    response = client.post(url, {"status": ProgressStatus.UNABLE, "unable_reason": "", "version": "0",
                                 "ordinance_budget": "10,000", "amount_spent": "0"})
    assert response.status_code == 200
    assert "กรุณาระบุเหตุผลที่ไม่สามารถดำเนินการได้" in page(response)
    assert not ProjectProgress.objects.filter(project__plan=plan).exists()
    response = client.post(url, {"status": ProgressStatus.UNABLE, "unable_reason": REASON, "version": "0",
                                 "ordinance_budget": "๘,๐๐๐", "amount_spent": "0"})
    assert response.status_code == 302
    saved = ProjectProgress.objects.get(project=first, quarter=2)
    assert (saved.unable_reason, saved.ordinance_budget) == (REASON, Decimal("8000.00"))
    # Quarter 3 offers the ordinance budget given before, not the plan's again.
    html = page(client.get(reverse("plans:progress_edit", args=[first.pk, 3])))
    assert re.search(r'name="ordinance_budget"[^>]*value="8,?000.00"', html), html


def test_a_municipality_is_asked_for_its_tessabanyat(other_org):
    from plans.forms import ProgressForm

    form = ProgressForm(ordinance_term=other_org.ordinance_term)
    assert form.fields["ordinance_budget"].label == "งบประมาณตามเทศบัญญัติ (บาท)"


def test_the_migration_moves_cancelled_to_unable(plan):
    migration = importlib.import_module("plans.migrations.0009_eplannacc_progress")
    first, second = _projects(plan)[:2]
    record(project=first, quarter=2, status=ProgressStatus.DONE)
    record(project=second, quarter=1, status=ProgressStatus.DONE)
    ProjectProgress.objects.filter(project=first).update(status="cancelled")
    ProjectProgress.objects.filter(project=second).update(status="cancelled", unable_reason=REASON)
    migration.cancelled_to_unable(apps, None)
    mine = ProjectProgress.objects.filter(project__plan=plan)
    assert set(mine.values_list("status", "unable_reason")) == {
        (ProgressStatus.UNABLE, "ยกเลิก"), (ProgressStatus.UNABLE, REASON)}
    migration.unable_to_cancelled(apps, None)
    assert set(mine.values_list("status", flat=True)) == {"cancelled"}


# --- the percentage and its bands -------------------------------------------------------------


@pytest.mark.parametrize(("months", "percent", "band"), [
    (6, "100", "ดี"), (6, "50", "ดี"), (6, "49.99", "ปานกลาง"), (6, "20", "ปานกลาง"), (6, "19.99", "ต้องเร่ง"),
    (6, "0", "ต้องเร่ง"), (12, "80", "ดี"), (12, "79.99", "ปานกลาง"), (12, "50", "ปานกลาง"),
    (12, "49.99", "ต้องเร่ง"),
])
def test_bands_are_e_plannaccs(months, percent, band):
    assert eplannacc.band_for(Decimal(percent), months).label == band


def test_percentage_is_carried_out_over_due(plan):
    first, second, third = _projects(plan)
    # Nothing recorded: at 6 months projects 1 and 2 are due (3 is planned for quarters 3-4), none carried out.
    six = selectors.progress_summary(plan, months=6).implementation
    assert (six.due, six.carried_out, six.percent_text, six.band.label) == (2, 0, "0.00", "ต้องเร่ง")
    record(project=first, quarter=2, status=ProgressStatus.IN_PROGRESS)
    six = selectors.progress_summary(plan, months=6).implementation
    assert (six.due, six.carried_out, six.done, six.percent_text, six.band.label) == (2, 1, 0, "50.00", "ดี")
    record(project=second, quarter=1, status=ProgressStatus.UNABLE, unable_reason=REASON)
    record(project=third, quarter=3, status=ProgressStatus.DONE)
    twelve = selectors.progress_summary(plan, months=12).implementation
    # Unable is due and not carried out: 2 of 3, 66.67 %, fair at 12 months.
    assert (twelve.due, twelve.carried_out, twelve.done, twelve.percent_text, twelve.band.label) == (
        3, 2, 1, "66.67", "ปานกลาง")
    assert [r.percent_text for r in selectors.implementation_rounds(plan, _projects(plan))] == ["50.00", "66.67"]


def test_nothing_due_has_no_band(org, dimensions):
    rounds = eplannacc.implementation([], months=6, not_due=selectors.NOT_DUE)
    assert rounds.percent is None and rounds.band is None and rounds.percent_text == "-"


def _implementation(html: str, months: int) -> str:
    return " ".join(strip_tags(re.search(rf'id="implementation-{months}">(.*?)</li>', html, re.S).group(1)).split())


def test_plan_page_shows_both_rounds_with_a_word(plan, auditor, client_for):
    record(project=_projects(plan)[0], quarter=2, status=ProgressStatus.IN_PROGRESS)
    html = page(client_for(auditor).get(reverse("plans:detail", args=[plan.pk])))
    assert _implementation(html, 6).startswith("รอบ 6 เดือน ดี ร้อยละ 50.00 (1 จาก 2 โครงการที่ถึงกำหนด")
    assert _implementation(html, 12).startswith("รอบ 12 เดือน ต้องเร่ง ร้อยละ 33.33 (1 จาก 3")
    assert 'class="band good"' in html and 'class="band behind"' in html
    assert "ร้อยละการดำเนินการ = โครงการที่ดำเนินการแล้วเสร็จหรืออยู่ระหว่างดำเนินการ" in html


def test_report_page_and_pdf_show_the_band(plan, auditor, client_for):
    record(project=_projects(plan)[0], quarter=2, status=ProgressStatus.IN_PROGRESS)
    client = client_for(auditor)
    html = page(client.get(reverse("plans:progress", args=[plan.pk]), {"months": "12"}))
    assert _implementation(html, 12).startswith("รอบ 12 เดือน ต้องเร่ง ร้อยละ 33.33")
    assert 'id="implementation-6"' not in html
    preview = page(client.get(reverse("plans:document", args=[plan.pk, "progress"]), {"months": "6", "preview": "1"}))
    assert re.search(r'class="band good">ดี<', preview)
    assert "เบิกจ่าย (บาท)" in preview and "งบประมาณตามข้อบัญญัติ (บาท)" in preview


# --- the xlsx for e-PlanNACC ------------------------------------------------------------------


def test_report_downloads_in_e_plannaccs_column_order(plan, auditor, client_for):
    first, second, third = _projects(plan)
    record(project=first, quarter=1, status=ProgressStatus.IN_PROGRESS, ordinance_budget=Decimal("9000"),
           amount_spent=Decimal("1000"), result="อบรมรุ่นแรก")
    record(project=first, quarter=2, status=ProgressStatus.DONE, amount_spent=Decimal("7500.50"), result="ครบ")
    record(project=second, quarter=1, status=ProgressStatus.UNABLE, unable_reason=REASON)
    url = reverse("plans:progress_export", args=[plan.pk])
    response = client_for(auditor).get(url, {"months": "6"})
    assert response.status_code == 200
    assert "eplannacc-" in response["Content-Disposition"] and "-6m.xlsx" in response["Content-Disposition"]
    rows = xlsx_rows(response.content)
    assert list(rows[0]) == ["ลำดับ", "รายการโครงการ", "มิติ", "สถานะการดำเนินการ", "เหตุผลที่ไม่สามารถดำเนินการได้",
                             "งบประมาณตามข้อบัญญัติ (บาท)", "เบิกจ่าย (บาท)", "ผลการดำเนินงาน"]
    assert rows[1] == (1, first.name, "1", "ดำเนินการแล้วเสร็จ", None, 9000, 8500.5,
                       "ไตรมาส 1: อบรมรุ่นแรก ไตรมาส 2: ครบ")
    assert rows[2][3:7] == ("ไม่สามารถดำเนินการได้", REASON, None, 0)
    # e-PlanNACC has no "ยังไม่ถึงกำหนด": project 3 (quarters 3-4) reads ยังไม่ดำเนินการ there.
    assert rows[3][3] == "ยังไม่ดำเนินการ"
    assert len(rows) == 4
    assert 'id="eplannacc-xlsx"' in page(client_for(auditor).get(reverse("plans:progress", args=[plan.pk])))
