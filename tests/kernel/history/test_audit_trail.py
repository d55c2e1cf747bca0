"""The audit trail: who changed what and when, with the old and new values (django-simple-history).

Recorded on every save and delete of plans, projects, detail sheets, progress, ITA results and
scores, measures, agreements and their parts, and announcements; with the acting user also
outside a request (a service's `user=`); shown as "ประวัติการแก้ไข" on each object's page to
executives and auditors (and superusers), not to staff; at a constant number of queries.
"""

import datetime
import html as html_lib
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from agreements.organisation import services as org_services
from agreements.organisation.models import Topic, TopicItem
from agreements.performance import services as agreement_services
from agreements.performance.models import AgreementIndicator, Aspect, PerformanceAgreement
from ita.measures import services as measure_services
from ita.models import IndicatorScore, Measure, Result
from ita.results import services as ita_services
from lao_integrity import history
from lao_integrity.announcements.models import Announcement
from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.services import person_ensure
from plans import services as plan_services
from plans.models import DetailSheet, Plan, PlanStatus, Project
from plans.progress import services as progress_services
from plans.projects import services as project_services

pytestmark = pytest.mark.django_db

D = Decimal
SEED_2566 = {1: "95.01", 2: "84.45", 3: "88.62", 4: "83.07", 5: "86.04", 6: "85.07", 7: "84.54", 8: "82.73",
             9: "100", 10: "100"}


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return " ".join(html_lib.unescape(response.content.decode()).split())


def panel(response) -> str | None:
    """The text of the "ประวัติการแก้ไข" panel, or None when the page has none."""
    match = re.search(r'<details class="card history" id="history".*?</details>', response.content.decode(), re.S)
    if match is None:
        return None
    fragment = re.sub(r"</?strong>", "", match.group(0))
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def latest(model, pk):
    return model.history.filter(id=pk).order_by("-history_id").first()


@pytest.fixture
def named(staff, executive, auditor):
    for user, (first, last) in ((staff, ("สมศรี", "ขยันยิ่ง")), (executive, ("สมชาย", "ใจดี")),
                                (auditor, ("ตรวจ", "ละเอียด"))):
        user.first_name, user.last_name = first, last
        user.save(update_fields=["first_name", "last_name"])
    return staff, executive, auditor


# --- the records ---------------------------------------------------------------------------------


def project_post(project, **changes) -> dict:
    data = {"name": project.name, "kind": project.kind, "dimension": project.dimension_id,
            "budget": str(project.budget), "responsible_unit": project.responsible_unit_id or "",
            "remark": project.remark, "added_note": "", "version": project.version}
    data.update({f"q{q}": "on" for q in project.quarters})
    data.update(changes)
    return data


def test_a_project_edit_through_the_page_is_recorded_with_its_user_and_values(plan, named, client_for):
    staff, executive, auditor = named
    project = plan.projects.get(sequence=1)
    response = client_for(staff).post(reverse("plans:project_edit", args=[project.pk]),
                                      project_post(project, name="โครงการอบรมคุณธรรม ปี 2569", budget="15,000"))
    assert response.status_code == 302

    record = latest(Project, project.pk)
    assert record.history_type == "~" and record.history_user == staff
    assert (record.prev_record.name, record.name) == ("โครงการอบรมคุณธรรมจริยธรรมบุคลากร", "โครงการอบรมคุณธรรม ปี 2569")
    [entry, *_] = history.trail(history.object_history(project))
    assert (entry.who, entry.action, entry.what) == ("สมศรี ขยันยิ่ง", "แก้ไข", "โครงการ")
    assert [(c.field, c.old, c.new) for c in entry.changes] == [
        ("รายการโครงการ", "โครงการอบรมคุณธรรมจริยธรรมบุคลากร", "โครงการอบรมคุณธรรม ปี 2569"),
        ("งบประมาณ (บาท)", "10,000.00", "15,000.00"),
    ]

    for reader in (executive, auditor):
        shown = panel(client_for(reader).get(reverse("plans:history", args=[plan.pk])))
        assert shown is not None
        assert "สมศรี ขยันยิ่ง" in shown and "แก้ไขโครงการ “โครงการอบรมคุณธรรม ปี 2569”" in shown
        assert "รายการโครงการ: “โครงการอบรมคุณธรรมจริยธรรมบุคลากร” → “โครงการอบรมคุณธรรม ปี 2569”" in shown
        assert "งบประมาณ (บาท): “10,000.00” → “15,000.00”" in shown
        assert re.search(r"\d{1,2} \S+ 25\d\d เวลา \d\d:\d\d น\.", shown)  # a B.E. date and time
    assert client_for(staff).get(reverse("plans:history", args=[plan.pk])).status_code == 403


def test_an_ita_score_change_is_recorded_with_its_user_also_outside_a_request(org, named, client_for):
    staff, executive, auditor = named
    scores = {n: D(v) for n, v in SEED_2566.items()}
    result = ita_services.result_save(organisation=org, fiscal_year=2566, scores=scores, user=staff)
    ita_services.result_save(organisation=org, fiscal_year=2566, scores={**scores, 3: D("90.00")}, user=executive)

    score = IndicatorScore.objects.get(result=result, indicator__number=3)
    record = latest(IndicatorScore, score.pk)
    assert record.history_user == executive and record.prev_record.history_user == staff
    assert (record.prev_record.score, record.score) == (D("88.62"), D("90.00"))
    assert latest(Result, result.pk).history_user == executive

    shown = panel(client_for(auditor).get(reverse("ita:result", args=[result.pk])))
    assert "แก้ไขคะแนนรายตัวชี้วัด “ตัวชี้วัดที่ 3" in shown
    assert "คะแนน: “88.62” → “90.00”" in shown and "สมชาย ใจดี" in shown
    assert "คะแนนรวม:" in shown  # the recomputed overall score of the result itself


def test_a_score_change_through_the_score_entry_page_is_recorded(org, named, client_for):
    staff, executive, _ = named
    url = f"/ita/org/{org.code}/2566/edit/"
    client = client_for(staff)
    assert client.post(url, {**{f"score_{n}": v for n, v in SEED_2566.items()}, "version": "0"}).status_code == 302
    version = Result.objects.get(organisation=org, fiscal_year=2566).version
    assert client.post(url, {**{f"score_{n}": v for n, v in SEED_2566.items()}, "score_10": "50",
                             "version": str(version)}).status_code == 302
    score = IndicatorScore.objects.get(result__organisation=org, indicator__number=10)
    record = latest(IndicatorScore, score.pk)
    assert record.history_user == staff and (record.prev_record.score, record.score) == (D("100.00"), D("50.00"))
    shown = panel(client_for(executive).get(reverse("ita:result", args=[score.result_id])))
    assert "คะแนน: “100.00” → “50.00”" in shown and "สมศรี ขยันยิ่ง" in shown


def test_an_announcement_approval_is_recorded(draft, named, client_for):
    staff, executive, auditor = named
    approve = reverse("announcements:approve", args=[draft.pk])
    assert client_for(executive).post(approve, {"confirm_approve": "on"}).status_code == 302
    record = latest(Announcement, draft.pk)
    assert record.history_user == executive
    assert (record.prev_record.status, record.status) == ("draft", "approved")
    assert latest(Announcement, draft.pk).prev_record.history_user == staff  # the draft, by its author

    shown = panel(client_for(auditor).get(reverse("announcements:detail", args=[draft.pk])))
    assert "สถานะ: “ร่าง” → “อนุมัติแล้ว รอลงนาม”" in shown  # choice labels, not codes
    assert "ผู้อนุมัติ: “(ว่าง)” → “สมชาย ใจดี”" in shown
    assert "สร้างประกาศ" in shown and "สมศรี ขยันยิ่ง" in shown


def test_who_is_recorded_for_a_service_call_and_for_the_system(plan, named):
    staff, _, _ = named
    project = plan.projects.get(sequence=2)
    project_services.project_update(project=project, user=staff, remark="จากคำสั่งในเชลล์")
    assert latest(Project, project.pk).history_user == staff
    project_services.project_update(project=project, remark="จากระบบ", user=SYSTEM)  # the system: recorded as no one
    assert latest(Project, project.pk).history_user is None
    assert history.trail(history.object_history(project))[0].who == "ระบบ"
    with history.acting_user(staff):
        project.refresh_from_db()
        project.remark = "บันทึกตรงผ่านโมเดล"
        project.save()
    assert latest(Project, project.pk).history_user == staff


def test_going_back_to_draft_and_deletions_are_recorded(plan, named, executive):
    staff = named[0]
    plan_services.plan_approve(plan=plan, user=executive)
    project_services.project_delete(project=plan.projects.get(sequence=3), user=staff)
    entries = history.trail(history.object_history(plan), Project.history.filter(plan_id=plan.pk))
    assert (entries[0].action, entries[0].what) == ("แก้ไข", "แผนปฏิบัติการป้องกันการทุจริต")
    assert [(c.field, c.old, c.new) for c in entries[0].changes] == [("สถานะ", "อนุมัติแล้ว", "ร่าง")]
    deleted = next(e for e in entries if e.action == "ลบ")
    assert deleted.label == "กิจกรรมจัดเวทีประชาคม" and deleted.who == "สมศรี ขยันยิ่ง"
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.DRAFT


def test_renumbering_is_not_recorded_as_changes(plan, staff):
    """Moving a project shifts positions with queryset updates: no rows for every shifted project."""
    before = Project.history.filter(plan_id=plan.pk).count()
    project_services.project_move(project=plan.projects.get(sequence=2), offset=-1, user=staff)
    assert Project.history.filter(plan_id=plan.pk).count() == before


def test_sub_items_created_in_bulk_and_edited_in_place_are_recorded(org, named):
    staff = named[0]
    agreement = org_services.org_agreement_create(organisation=org, fiscal_year=2569, user=staff)
    items = TopicItem.objects.filter(topic__agreement=agreement)
    assert TopicItem.history.filter(topic__agreement=agreement, history_type="+").count() == items.count() > 0
    assert set(TopicItem.history.filter(topic__agreement=agreement).values_list("history_user", flat=True)) == {
        staff.pk}

    topic = agreement.topics.order_by("order").first()
    rows = [{"text": i.text, "actions": i.actions} for i in topic.items.order_by("order")]
    rows[0]["text"] = "ข้อย่อยที่แก้ไขแล้ว"
    before = TopicItem.history.count()
    org_services.topic_update(topic=topic, title=topic.title, explanation=topic.explanation, items=rows, user=staff)
    [record] = TopicItem.history.all().order_by("-history_id")[: TopicItem.history.count() - before]
    assert record.history_type == "~" and record.text == "ข้อย่อยที่แก้ไขแล้ว"


def test_an_evaluation_records_each_achieved_value(org, units, people, named):
    staff, executive, _ = named
    head = person_ensure(user=SYSTEM, organisation=org, prefix="นาง", first_name="มาลี", last_name="ศรีคลัง",
                         position="ผู้อำนวยการกองคลัง", unit=units["กองคลัง"])
    agreement = agreement_services.agreement_create(organisation=org, fiscal_year=2569, round=1,
                                                    unit=units["กองคลัง"], person=head, executive=people["executive"], user=SYSTEM)
    indicator = agreement_services.indicator_create(
        agreement=agreement, user=staff, aspect=Aspect.SERVICE, work_type="core", name="ร้อยละความพึงพอใจ",
        unit_of_measure="ร้อยละ", higher_is_better=True, weight=D("100"),
        **{f"target_{i}": D(t) for i, t in enumerate(["80", "82", "85", "88", "90"], start=1)})
    agreement_services.agreement_sign(agreement=agreement, user=executive)
    agreement_services.agreement_evaluate(agreement=agreement, values={indicator.pk: D("86")}, user=executive,
                                          today=datetime.date(2026, 3, 31))
    record = latest(AgreementIndicator, indicator.pk)
    assert record.history_user == executive and (record.achieved_value, record.achieved_level) == (D("86.00"), 3)
    statuses = list(PerformanceAgreement.history.filter(id=agreement.pk).order_by("history_id")
                    .values_list("status", flat=True))
    assert statuses == ["draft", "signed", "evaluated"]


# --- who sees it, on which pages ---------------------------------------------------------------------


@pytest.fixture
def pages(request, org, units, people, plan, staff, draft):
    """One URL per page that shows the panel, each with something in its history."""
    project = plan.projects.get(sequence=1)
    project_services.project_update(project=project, user=staff, remark="ปรับโดยเจ้าหน้าที่")
    project_services.detail_sheet_save(project=project, user=staff, rationale="เหตุผล")
    result = ita_services.result_save(organisation=org, fiscal_year=2566,
                                      scores={n: D(v) for n, v in SEED_2566.items()}, user=staff)
    measure_services.measure_create(organisation=org, fiscal_year=2567, indicators=[1], title="มาตรการทดสอบ",
                                    user=staff)
    head = person_ensure(user=SYSTEM, organisation=org, prefix="นาง", first_name="มาลี", last_name="ศรีคลัง",
                         position="ผู้อำนวยการกองคลัง", unit=units["กองคลัง"])
    agreement = agreement_services.agreement_create(organisation=org, fiscal_year=2569, round=1, user=staff,
                                                    unit=units["กองคลัง"], person=head, executive=people["executive"])
    org_agreement = org_services.org_agreement_create(organisation=org, fiscal_year=2569, user=staff)
    return {
        "plan": reverse("plans:history", args=[plan.pk]),
        "detail sheet": reverse("plans:sheet_history", args=[project.pk]),
        "announcement": reverse("announcements:detail", args=[draft.pk]),
        "ITA analysis": reverse("ita:result", args=[result.pk]),
        "measures": reverse("ita:measures", args=[org.code, 2567]),
        "performance agreement": reverse("agreements:history", args=[agreement.pk]),
        "org agreement": reverse("agreements:org_detail", args=[org_agreement.pk]),
    }


PAGES = ["plan", "detail sheet", "announcement", "ITA analysis", "measures", "performance agreement",
         "org agreement"]
# The trail on a page of its own, linked from the record's page (issue 19): staff are refused it.
OWN_PAGES = {"plan": ("plans:detail", "plans:history"), "detail sheet": ("plans:sheet", "plans:sheet_history"),
             "performance agreement": ("agreements:detail", "agreements:history")}


@pytest.mark.parametrize("name", PAGES)
def test_the_panel_is_shown_to_executives_and_auditors_not_to_staff(name, pages, named, client_for,
                                                                    other_staff):
    staff, executive, auditor = named
    url = pages[name]
    for reader in (executive, auditor):
        shown = panel(client_for(reader).get(url))
        assert shown is not None and "ประวัติการแก้ไข" in shown
        assert "สร้าง" in shown and "สมศรี ขยันยิ่ง" in shown
    response = client_for(staff).get(url)
    assert response.status_code == (403 if name in OWN_PAGES else 200) and panel(response) is None
    assert client_for(other_staff).get(url).status_code == 404


@pytest.mark.parametrize("name", OWN_PAGES)
def test_the_record_page_links_its_history_page_for_those_who_may_read_it(name, pages, named, client_for):
    staff, executive, auditor = named
    history_url = pages[name]
    record_url = reverse(OWN_PAGES[name][0], args=[resolve(history_url).kwargs["pk"]])
    link = f'<a href="{history_url}">ประวัติการแก้ไข →</a>'
    for reader in (executive, auditor):
        page = client_for(reader).get(record_url).content.decode()
        assert link in page and 'id="history"' not in page  # the link, not the panel
    assert history_url not in client_for(staff).get(record_url).content.decode()


def test_superusers_see_the_panel(plan, client_for, django_user_model):
    root = django_user_model.objects.create_superuser("t_root", password="t-root-pw-2569")
    assert panel(client_for(root).get(reverse("plans:history", args=[plan.pk]))) is not None


def _count(client, url) -> int:
    client.get(url)  # warm the session and the role cache
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_panel_costs_the_same_queries_for_more_history(plan, named, client_for, units):
    """Two queries per kind of record (the records, then the ones before the changes) and one per
    kind of object a changed foreign key names: never one per row."""
    staff, executive, _ = named
    client, url = client_for(executive), reverse("plans:history", args=[plan.pk])
    first = plan.projects.get(sequence=1)

    def round_of_edits(n, projects):
        for project in projects:
            project_services.project_update(project=project, user=staff, remark=f"ครั้งที่ {n}",
                                         responsible_unit=units["กองช่าง" if n % 2 else "กองคลัง"])
            for status, user in (("in_progress", staff), ("done", executive)):
                progress_services.progress_record(project=project, quarter=1 + n % 4, user=user, status=status,
                                              confirmed={"status_back"})  # each round starts the quarter over

    round_of_edits(1, [first])
    few = _count(client, url)
    for n in range(2, 12):
        round_of_edits(n, plan.projects.all())
    project_services.project_create(plan=plan, user=staff, name="กิจกรรมเพิ่มเติม", dimension=first.dimension, q1=True)
    assert _count(client, url) == few
    shown = panel(client.get(url))
    assert "หน่วยงานรับผิดชอบ: “กองคลัง” → “กองช่าง”" in shown  # foreign keys by name, not id
    assert "สถานะ: “อยู่ระหว่างดำเนินการ” → “ดำเนินการแล้วเสร็จ”" in shown
    assert "ไตรมาส" in shown and f"(ล่าสุด {history.DEFAULT_LIMIT} รายการ)" in shown  # newest 50 only


def test_the_measures_and_agreement_panels_cost_the_same_queries_for_more_history(pages, named, client_for, org):
    staff, executive, auditor = named
    client = client_for(auditor)
    measure = Measure.objects.get(organisation=org, fiscal_year=2567)
    topic = Topic.objects.filter(agreement__organisation=org).order_by("order").first()
    sheet = DetailSheet.objects.get(project__plan__organisation=org)

    def round_of_edits(n):
        measure_services.measure_update(measure=measure, user=staff, title=f"มาตรการทดสอบ รอบ {n}")
        for status in ("in_progress", "done"):
            measure_services.progress_record(measure=measure, quarter=1 + n % 4, user=staff, status=status,
                                             confirmed={"status_back"})  # each round starts the quarter over
        org_services.topic_update(topic=topic, title=f"หัวข้อ รอบ {n}", items=[{"text": f"ข้อ {n}"}], user=staff)
        project_services.detail_sheet_save(project=sheet.project, user=staff, rationale=f"เหตุผล {n}")

    round_of_edits(0)
    counts = {name: _count(client, pages[name]) for name in ("measures", "org agreement", "detail sheet")}
    for n in range(1, 8):
        round_of_edits(n)
    assert {name: _count(client, pages[name]) for name in counts} == counts
