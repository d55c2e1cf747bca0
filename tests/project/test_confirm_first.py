"""What changed is named when a save is refused (guidance, an ITA import), and a quarter's progress
that spends over the budget, or goes back from "done", is saved only once the user confirms (plans; ITA
measures for the status)."""

import pytest
from django.urls import reverse

from ita.measures import services as measure_services
from ita.models import IndicatorScore, MeasureProgress
from ita.results import services as ita_services
from lao_integrity.confirmation import NeedsConfirmation
from plans.models import ProgressStatus, ProjectProgress
from plans.progress import services as progress_services
from plans.projects import services as project_services
from tests.project.edit_cases import REFUSED, D, post_with, score_of
from tests.support.forms import form_data
from tests.support.pages import text

pytestmark = pytest.mark.django_db


# --- the guidance: what changed is named ------------------------------------------------------------


def test_a_stale_guidance_save_names_the_indicator_and_the_guidance_changed(world, editors):
    url = reverse("ita:guidance", args=[world["result"].pk])
    one, two = editors
    mine, theirs = form_data(one.get(url)), form_data(two.get(url))
    assert post_with(one, url, mine, {"guidance_3": "เผยแพร่ข้อมูลทุกเดือน"}).status_code == 302
    page = text(post_with(two, url, theirs, {"guidance_3": "อย่างอื่น"}))
    assert "ตัวชี้วัดที่ 3 แนวทาง/ข้อเสนอแนะ “(ว่าง)” → “เผยแพร่ข้อมูลทุกเดือน”" in page
    assert IndicatorScore.objects.get(result=world["result"], indicator__number=3).guidance == "เผยแพร่ข้อมูลทุกเดือน"


def test_an_ita_import_makes_an_open_score_form_stale(world, editors, staff):
    """The file path writes results in bulk; it moves their version as the form's save does."""
    from ita.results import exchange
    from lao_integrity.tabular import write_table

    url = reverse("ita:result_edit", args=[world["org"].code, 2566])
    _one, two = editors
    data = form_data(two.get(url))
    rows = [[world["org"].code, 2566, n, "80"] for n in range(1, 11)]
    exchange.results_import(data=write_table(["รหัส อปท.", "ปีงบประมาณ", "ตัวชี้วัด", "คะแนน"], rows, "csv"),
                            filename="ita.csv", user=staff)
    assert score_of(world)[0] == D("80.00")
    page = text(post_with(two, url, data, {"score_1": "99"}))
    assert REFUSED in page
    assert score_of(world)[0] == D("80.00")


# --- spending over the budget, a status back from "done": asked first -------------------------------


CONFIRM_OVERSPEND = "confirm_overspend"
CONFIRM_STATUS = "confirm_status_back"


def _progress_page(client, project, quarter):
    url = reverse("plans:progress_edit", args=[project.pk, quarter])
    return url, form_data(client.get(url))


def test_spending_over_the_project_budget_is_saved_only_when_confirmed(plan, staff, client_for):
    project = plan.projects.get(sequence=1)  # budget 10,000.00
    client = client_for(staff)
    url, data = _progress_page(client, project, 2)
    data.update({"status": ProgressStatus.IN_PROGRESS, "amount_spent": "50,000"})
    asked = client.post(url, data)
    page = text(asked)
    assert asked.status_code == 200
    assert "ไตรมาสนี้ใช้งบประมาณไป 50,000.00 บาท เกินงบประมาณทั้งโครงการ 10,000.00 บาท (เกิน 40,000.00 บาท)" in page
    assert "ยืนยันว่าเบิกจ่ายเกินงบประมาณ" in page
    assert not ProjectProgress.objects.filter(project=project, quarter=2).exists()  # the first save did not save

    again = form_data(asked)
    assert again["amount_spent"] in ("50,000", "50,000.00") and CONFIRM_OVERSPEND not in again  # not ticked for them
    assert client.post(url, again).status_code == 200  # still not confirmed: asked again
    again[CONFIRM_OVERSPEND] = "on"
    assert client.post(url, again).status_code == 302
    assert ProjectProgress.objects.get(project=project, quarter=2).amount_spent == D("50000.00")


def test_spending_over_the_budget_across_quarters_is_asked(plan, staff):
    """59,500 reported in total against a 54,200 budget: each quarter alone fits, the total does not."""
    project = plan.projects.get(sequence=1)
    project_services.project_update(project=project, budget=D("54200"), user=staff)
    progress_services.progress_record(project=project, quarter=1, status="in_progress", amount_spent=D("30000"),
                                  user=staff)
    with pytest.raises(NeedsConfirmation) as asked:
        progress_services.progress_record(project=project, quarter=2, status="in_progress", amount_spent=D("29500"),
                                      user=staff)
    assert list(asked.value.warnings) == ["overspend"]
    assert ("ใช้งบประมาณรวมทุกไตรมาส 59,500.00 บาท (ไตรมาสนี้ 29,500.00 บาท) เกินงบประมาณของโครงการ "
            "54,200.00 บาท (เกิน 5,300.00 บาท)") in asked.value.messages[0]
    assert not ProjectProgress.objects.filter(project=project, quarter=2).exists()
    progress_services.progress_record(project=project, quarter=2, status="in_progress", amount_spent=D("29500"),
                                  user=staff, confirmed={"overspend"})
    # Saving that quarter again without raising its spending (a corrected text) is not asked again.
    progress_services.progress_record(project=project, quarter=2, status="in_progress", amount_spent=D("29500"),
                                  result="แก้ข้อความ", user=staff)
    assert ProjectProgress.objects.get(project=project, quarter=2).result == "แก้ข้อความ"
    # Within the budget: nothing to ask.
    progress_services.progress_record(project=project, quarter=3, status="in_progress", amount_spent=D("0"), user=staff)


def test_spending_on_a_project_without_budget_is_asked(plan, staff):
    project = plan.projects.get(sequence=2)  # 0 baht: done without a budget
    with pytest.raises(NeedsConfirmation, match="ไม่ได้ตั้งงบประมาณไว้"):
        progress_services.progress_record(project=project, quarter=1, status="done", amount_spent=D("500"), user=staff)


def test_a_status_back_from_done_is_saved_only_when_confirmed(plan, staff, client_for):
    project = plan.projects.get(sequence=1)
    progress_services.progress_record(project=project, quarter=1, status=ProgressStatus.DONE, user=staff)
    client = client_for(staff)
    url, data = _progress_page(client, project, 2)
    data["status"] = ProgressStatus.IN_PROGRESS
    asked = client.post(url, data)
    page = text(asked)
    assert "ไตรมาส 1 บันทึกไว้แล้วว่า “ดำเนินการแล้วเสร็จ” แต่ไตรมาสนี้เป็น “อยู่ระหว่างดำเนินการ”" in page
    assert not ProjectProgress.objects.filter(project=project, quarter=2).exists()
    again = form_data(asked)
    again[CONFIRM_STATUS] = "on"
    assert client.post(url, again).status_code == 302
    assert ProjectProgress.objects.get(project=project, quarter=2).status == ProgressStatus.IN_PROGRESS

    # The same quarter changed back from done is asked too.
    with pytest.raises(NeedsConfirmation, match="ไตรมาสนี้บันทึกไว้แล้วว่า “ดำเนินการแล้วเสร็จ”"):
        progress_services.progress_record(project=project, quarter=1, status=ProgressStatus.NOT_STARTED, user=staff)
    # Forward, or cancelled, is not a step back.
    progress_services.progress_record(project=project, quarter=3, status=ProgressStatus.DONE, user=staff)
    progress_services.progress_record(project=project, quarter=4, status=ProgressStatus.UNABLE, unable_reason="งดจัดตามมติสภา", user=staff)


def test_overspending_and_a_status_back_at_once_ask_for_both(plan, staff, client_for):
    project = plan.projects.get(sequence=1)
    progress_services.progress_record(project=project, quarter=1, status=ProgressStatus.DONE, user=staff)
    client = client_for(staff)
    url, data = _progress_page(client, project, 2)
    data.update({"status": ProgressStatus.IN_PROGRESS, "amount_spent": "12000"})
    again = form_data(client.post(url, data))
    again[CONFIRM_OVERSPEND] = "on"
    asked = client.post(url, again)  # one of two confirmed: still asked for the other
    assert asked.status_code == 200 and "แต่ไตรมาสนี้เป็น" in text(asked)
    again = form_data(asked)
    again.update({CONFIRM_OVERSPEND: "on", CONFIRM_STATUS: "on"})
    assert client.post(url, again).status_code == 302


def test_a_measure_status_back_from_done_is_saved_only_when_confirmed(org, units, staff, client_for):
    ita_services.result_save(organisation=org, fiscal_year=2566, scores={n: D("90") for n in range(1, 11)}, user=staff)
    measure = measure_services.measure_create(organisation=org, fiscal_year=2567, indicators=[1], title="มาตรการ",
                                              responsible_unit=units["สำนักปลัด"], user=staff)
    measure_services.progress_record(measure=measure, quarter=1, status="done", user=staff)
    client = client_for(staff)
    url = reverse("ita:measure_progress", args=[measure.pk, 2])
    data = form_data(client.get(url))
    data["status"] = "in_progress"
    asked = client.post(url, data)
    assert asked.status_code == 200
    assert "ไตรมาส 1 บันทึกไว้แล้วว่า “ดำเนินการแล้ว” แต่ไตรมาสนี้เป็น “อยู่ระหว่างดำเนินการ”" in text(asked)
    assert not MeasureProgress.objects.filter(measure=measure, quarter=2).exists()
    again = form_data(asked)
    again[CONFIRM_STATUS] = "on"
    assert client.post(url, again).status_code == 302
    assert MeasureProgress.objects.get(measure=measure, quarter=2).status == "in_progress"
