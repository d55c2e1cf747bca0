"""One form submission, one effect (lao_integrity/submissions): the URLconf is walked, and every routed view
is a one-time view (ONCE: creates or does something once per submission) or says why not (NOT_ONCE, READ);
each one-time view posted twice with one token has one effect."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from agreements.organisation import services as org_services
from agreements.organisation.models import OrgAgreement
from agreements.performance import exchange as agreement_exchange
from agreements.performance import reviewing as agreement_reviewing
from agreements.performance import services as agreement_services
from agreements.performance.models import AgreementKind, PerformanceAgreement
from ita.measures import selectors as measure_selectors
from ita.results import jobs as ita_jobs
from ita.results import services as ita_services
from lao_integrity.announcements import documents as announcement_documents
from lao_integrity.announcements import services as announcement_services
from lao_integrity.announcements.models import Announcement, Kind
from lao_integrity.jobs.models import Job
from lao_integrity.orgs.access import SYSTEM
from lao_integrity.publication import services as publication_services
from lao_integrity.submissions import once
from lao_integrity.submissions.models import Submission
from lao_integrity.tabular import write_table
from lpa.results import layout as lpa_layout
from plans import services as plan_services
from plans.resources import HEADERS as PLAN_HEADERS
from tests.kernel.submissions.helpers import READ, client_of, tracked_writes

SKIPPED_NAMESPACES = {"admin"}  # Django's own admin forms
DUPLICATE = "แบบฟอร์มนี้ถูกส่งไปแล้ว"


# --- the classification ------------------------------------------------------------------------

EDIT = ("an edit of one record: sending the same values twice leaves the same record, and the "
        "version check refuses a stale save (lao_integrity/concurrency.py)")


DELETE = "a delete: a second submission finds nothing left to delete (404 or a Thai refusal)"
NOT_ONCE = {
    "plans:settings": EDIT,
    "plans:project_edit": EDIT,
    "plans:sheet_edit": EDIT,
    "plans:progress_edit": EDIT + " (one row per project and quarter)",
    "plans:project_delete": DELETE,
    "ita:result_edit": EDIT + " (one result per organisation and year)",
    "ita:guidance": EDIT,
    "ita:recommendations": EDIT,
    "lpa:bonus_entry": EDIT + " (part 1 of the bonus, one row per municipality and year)",
    "ita:measure_edit": EDIT + "; its up/down buttons move one place per click, undone by the other button",
    "ita:measure_progress": EDIT + " (one row per measure and quarter)",
    "ita:oit_answer": EDIT + " (one answer per O-item, organisation and year)",
    "ita:oit_confirm": ("a confirmation carrying the checklist's version: sent again, it is refused as already "
                        "confirmed (or stale), and nothing changes"),
    "ita:measure_delete": DELETE,
    "agreements:edit": EDIT + "; the linked projects form sets the whole list",
    "agreements:delete": DELETE,
    "agreements:indicator_edit": EDIT,
    "agreements:indicator_delete": DELETE,
    "agreements:progress": EDIT + " (one row per indicator and quarter)",
    "agreements:org_detail": EDIT + " (the introduction)",
    "agreements:topic_edit": EDIT,
    "agreements:topic_delete": DELETE,
    "announcements:edit": EDIT,
    "announcements:delete": DELETE,
    "orgs:profile": EDIT + " (contact details and the emblem, which the same upload replaces with itself)",
    "orgs:signature": EDIT + " (one signature image per person, replaced by the upload)",
    "password_change": "sets the user's password; sent again, the current password typed no longer matches",
    "password_reset": "sends a reset link; a second link is harmless (each stops working once the password is set)",
    "password_reset_confirm": "sets the password through the link, which stops working once used",
    "notifications:read": "marks one's own notification read: a second submission finds it read already",
    "notifications:read_all": "marks one's own notifications read: a second submission finds none unread",
    "notifications:settings": "sets one's own email choice: sent twice, the same choice",
    "verification:verify": ("checks a file or a SHA-256 against the issued documents (lao_integrity/verification): "
                            "stores nothing, so a second submission gives the same answer and there is no token to claim"),
}


def routed() -> dict[str, object]:
    """Every named URL pattern outside the admin, namespaced, with its view."""
    views = {}

    def walk(patterns, namespace=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace in SKIPPED_NAMESPACES:
                    continue
                walk(entry.url_patterns, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)
            elif isinstance(entry, URLPattern):
                if str(entry.pattern).startswith(("static/", "media/", "^static", "^media")):
                    continue
                views[f"{namespace}{entry.name or str(entry.pattern)}"] = entry.callback

    walk(get_resolver().url_patterns)
    return views


# --- the world the one-time views are posted in --------------------------------------------------


def csv_upload(headers, rows, name="file.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, write_table(list(headers), [list(r) for r in rows], "csv"), content_type="text/csv")


def plan_file() -> SimpleUploadedFile:
    return csv_upload(PLAN_HEADERS, [[1, "โครงการจากไฟล์", "2", "0", "", "✓", "", "", ""],
                                     [2, "กิจกรรมจากไฟล์", "1", "500", "✓", "", "", "", ""]])


INDICATOR = {"aspect": "high_performance", "work_type": "core", "name": "ร้อยละการเบิกจ่ายงบประมาณ",
             "unit_of_measure": "ร้อยละ", "baseline": "40", "higher_is_better": "on",
             **{f"target_{i}": str(40 + 5 * i) for i in range(1, 6)}, "weight": "25"}


def indicator_fields(name: str, weight: str) -> dict:
    return {"aspect": "high_performance", "work_type": "core", "name": name, "unit_of_measure": "ร้อยละ",
            "baseline": Decimal("40"), "higher_is_better": True,
            **{f"target_{i}": Decimal(40 + 5 * i) for i in range(1, 6)}, "weight": Decimal(weight)}


def unit_agreement(w, *, indicators: int = 0, signed: bool = False) -> PerformanceAgreement:
    agreement = agreement_services.agreement_create(
        organisation=w.org, fiscal_year=2569, round=1, kind=AgreementKind.UNIT, unit=w.units["กองคลัง"],
        person=w.head, executive=w.people["executive"], user=w.staff)
    for i in range(indicators):
        agreement_services.indicator_create(agreement=agreement, user=w.staff,
                                            **indicator_fields(f"ตัวชี้วัดที่ {i + 1}", str(100 // indicators)))
    if signed:
        agreement_services.agreement_sign(agreement=agreement, user=w.executive)
    return agreement


def org_agreement(w) -> OrgAgreement:
    return org_services.org_agreement_create(organisation=w.org, fiscal_year=2569, user=w.staff,
                                             start_from="standard")


def signed_announcement(w, *, published: bool = False) -> Announcement:
    announcement = announcement_services.announcement_sign(announcement=ready_announcement(w, approved=True),
                                                          user=w.executive)
    if published:
        publication_services.publish(document=announcement, user=w.executive)
    return announcement


def lpa_file(w) -> SimpleUploadedFile:
    """The organisation's LPA row as the province prints it, with its code (427 of 445: 95.96)."""
    areas = [(60, 56, "93.33"), (45, 45, "100.00"), (95, 91, "95.79"), (220, 210, "95.45"), (25, 25, "100.00")]
    row = ["1", "ภาคเหนือ", w.org.province, w.org.district, w.org.get_org_type_display(), w.org.name, w.org.code]
    for full, got, pct in [*areas, (445, 427, "95.96")]:
        row += [str(full), str(got), pct]
    data = write_table(lpa_layout.ONE_ROW_HEADER, [row], "csv")
    return SimpleUploadedFile("lpa.csv", data, content_type="text/csv")


def ready_announcement(w, *, approved: bool = False) -> Announcement:
    announcement = announcement_services.announcement_create(
        organisation=w.org, kind=Kind.NO_GIFT, fiscal_year=2569, user=w.staff, signer=w.people["executive"],
        announced_on=datetime.date(2025, 10, 1))
    blocking, _ = announcement_documents.problems(announcement)
    assert not blocking, blocking
    if approved:
        announcement = announcement_services.announcement_approve(announcement=announcement, user=w.executive)
    return announcement


@dataclass(frozen=True)
class Once:
    """A one-time view posted in `world`: build(w) -> (user, url, data builder)."""
    build: object


def _plan_url(name):
    return lambda w: reverse(name, args=[w.plan.pk])


ONCE = {
    "plans:list": Once(lambda w: ("staff", reverse("plans:list"),
                                  lambda: {"organisation": str(w.org.pk), "fiscal_year": "2570"})),
    "plans:import_new": Once(lambda w: ("staff", reverse("plans:import_new"),
                                        lambda: {"organisation": str(w.org.pk), "fiscal_year": "2570",
                                                 "file": plan_file()})),
    "plans:import": Once(lambda w: ("staff", _plan_url("plans:import")(w), lambda: {"file": plan_file()})),
    "plans:approve": Once(lambda w: ("executive", _plan_url("plans:approve")(w), lambda: {"confirm_approve": "on"})),
    "plans:copy": Once(lambda w: ("staff", _plan_url("plans:copy")(w), dict)),
    # Review before approval (lao_integrity/review): submit, withdraw, return with a comment.
    "plans:submit": Once(lambda w: ("staff", _plan_url("plans:submit")(w), dict)),
    "plans:withdraw": Once(lambda w: (plan_services.plan_submit(plan=w.plan, user=w.staff) and "staff",
                                      _plan_url("plans:withdraw")(w), dict)),
    "plans:return": Once(lambda w: (plan_services.plan_submit(plan=w.plan, user=w.staff) and "executive",
                                    _plan_url("plans:return")(w), lambda: {"comment": "เพิ่มตัวชี้วัดโครงการที่ 2"})),
    "plans:project_add": Once(lambda w: ("staff", _plan_url("plans:project_add")(w), lambda: {
        "name": "โครงการกดบันทึกสามครั้ง", "dimension": str(w.dimensions[2].pk), "budget": "2,500.00",
        "q1": "on", "remark": ""})),
    "plans:project_move": Once(lambda w: ("staff", reverse(
        "plans:project_move", args=[w.plan.projects.order_by("sequence")[1].pk]), lambda: {"direction": "up"})),
    "ita:import": Once(lambda w: ("staff", reverse("ita:import"), lambda: {"file": csv_upload(
        ["รหัส อปท.", "ปีงบประมาณ", "ตัวชี้วัด", "คะแนน"], [[w.org.code, 2566, n, 80] for n in range(1, 11)])})),
    "ita:export_all": Once(lambda w: ("staff", reverse("ita:export_all"),
                                      lambda: {"fiscal_year": "2566", "format": "csv"})),
    "ita:measure_add": Once(lambda w: (
        ita_services.result_save(organisation=w.org, fiscal_year=2566,
                                 scores={n: Decimal("80") for n in range(1, 11)}, user=SYSTEM) and "staff",
        reverse("ita:measure_add", args=[w.org.code, 2567]),
        lambda: {"title": "จัดทำ QR Code ประเมินความพึงพอใจ", "steps": "", "responsible_text": "สำนักปลัด",
                 "deadline_text": "ตลอดปีงบประมาณ", "cadence": "quarterly",
                 "indicators": [str(measure_selectors.measures_framework(w.org, 2567).indicators.get(number=1).pk)]})),
    "agreements:list": Once(lambda w: ("staff", reverse("agreements:list"), lambda: {
        "organisation": str(w.org.pk), "fiscal_year": "2569", "round": "1", "kind": "unit",
        "unit": str(w.units["กองคลัง"].pk), "person": str(w.head.pk), "executive": str(w.people["executive"].pk)})),
    "agreements:sign": Once(lambda w: ("executive", reverse(
        "agreements:sign", args=[unit_agreement(w, indicators=4).pk]), lambda: {"confirm_sign": "on"})),
    "agreements:submit": Once(lambda w: ("staff", reverse(
        "agreements:submit", args=[unit_agreement(w, indicators=4).pk]), dict)),
    "agreements:withdraw": Once(lambda w: ("staff", reverse("agreements:withdraw", args=[agreement_reviewing.agreement_submit(
        agreement=unit_agreement(w, indicators=4), user=w.staff).pk]), dict)),
    "agreements:return": Once(lambda w: ("executive", reverse("agreements:return", args=[
        agreement_reviewing.agreement_submit(agreement=unit_agreement(w, indicators=4), user=w.staff).pk]),
        lambda: {"comment": "น้ำหนักตัวชี้วัดที่ 1 สูงไป"})),
    "agreements:evaluate": Once(lambda w: (lambda a: ("executive", reverse("agreements:evaluate", args=[a.pk]),
                                                      lambda: {f"value_{i.pk}": "52" for i in a.indicators.all()}))(
        unit_agreement(w, indicators=4, signed=True))),
    "agreements:indicator_add": Once(lambda w: ("staff", reverse(
        "agreements:indicator_add", args=[unit_agreement(w).pk]), lambda: dict(INDICATOR))),
    "agreements:indicator_import": Once(lambda w: (lambda source: ("staff", reverse(
        "agreements:indicator_import", args=[source.pk]), lambda: {"file": SimpleUploadedFile(
            "indicators.csv", agreement_exchange.indicators_export(agreement=source, fmt="csv"))}))(
        unit_agreement(w, indicators=4))),
    "agreements:org_list": Once(lambda w: ("staff", reverse("agreements:org_list"), lambda: {
        "organisation": str(w.org.pk), "fiscal_year": "2570", "start_from": "standard"})),
    "agreements:org_copy": Once(lambda w: ("staff", reverse("agreements:org_copy", args=[org_agreement(w).pk]),
                                           dict)),
    "agreements:topic_add": Once(lambda w: ("staff", reverse("agreements:topic_add", args=[org_agreement(w).pk]),
                                            lambda: {"title": "การเปิดเผยข้อมูลสาธารณะ", "explanation": "",
                                                     "item-TOTAL_FORMS": "1", "item-INITIAL_FORMS": "0",
                                                     "item-MIN_NUM_FORMS": "0", "item-MAX_NUM_FORMS": "100",
                                                     "item-0-text": "เผยแพร่ข้อมูลทางเว็บไซต์",
                                                     "item-0-actions": "", "item-0-ORDER": "1"})),
    "agreements:topic_move": Once(lambda w: ("staff", reverse(
        "agreements:topic_move", args=[org_agreement(w).topics.order_by("order").first().pk]),
        lambda: {"direction": "down"})),
    "jobs:restart": Once(lambda w: ("staff", reverse("jobs:restart", args=[Job.objects.create(
        kind=ita_jobs.EXPORT, owner=w.staff, title="ไฟล์ผลการประเมิน ITA", status="failed", message="ไม่สำเร็จ",
        params={"fiscal_year": 2566, "format": "csv"}).pk]), dict)),
    "obligations:calendar_reset": Once(lambda w: ("staff", reverse("obligations:calendar_reset"), dict)),
    "announcements:list": Once(lambda w: ("staff", reverse("announcements:list"),
                                          lambda: {"organisation": str(w.org.pk), "kind": Kind.OTHER})),
    "announcements:approve": Once(lambda w: ("executive", reverse(
        "announcements:approve", args=[ready_announcement(w).pk]), lambda: {"confirm_approve": "on"})),
    "announcements:sign": Once(lambda w: ("executive", reverse(
        "announcements:sign", args=[ready_announcement(w, approved=True).pk]), lambda: {"confirm_sign": "on"})),
    # Publishing (lao_integrity/publication): once published, a second click is refused, not repeated.
    "publishing:publish": Once(lambda w: ("executive", reverse(
        "publishing:publish", args=["announcements.announcement", signed_announcement(w).pk]),
        lambda: {"confirm_publish": "on"})),
    "publishing:withdraw": Once(lambda w: ("executive", reverse(
        "publishing:withdraw", args=["announcements.announcement", signed_announcement(w, published=True).pk]),
        lambda: {"reason": "ออกประกาศฉบับใหม่"})),
    "lpa:import": Once(lambda w: ("admin", reverse("lpa:import"),
                                  lambda: {"file": lpa_file(w), "fiscal_year": "2566"})),
    "announcements:submit": Once(lambda w: ("staff", reverse("announcements:submit", args=[ready_announcement(w).pk]),
                                            dict)),
    "announcements:withdraw": Once(lambda w: ("staff", reverse("announcements:withdraw", args=[
        announcement_services.announcement_submit(announcement=ready_announcement(w), user=w.staff).pk]), dict)),
    "announcements:return": Once(lambda w: ("executive", reverse("announcements:return", args=[
        announcement_services.announcement_submit(announcement=ready_announcement(w), user=w.staff).pk]),
        lambda: {"comment": "แก้วันที่ประกาศ"})),
    "announcements:revise": Once(lambda w: (lambda a: ("staff", reverse("announcements:revise", args=[a.pk]), dict))(
        announcement_services.announcement_sign(announcement=ready_announcement(w, approved=True),
                                                user=w.executive))),
}


# --- the walk ----------------------------------------------------------------------------------


def test_every_view_is_classified():
    names = set(routed())
    lists = {"ONCE": set(ONCE), "NOT_ONCE": set(NOT_ONCE), "READ": READ}
    missing = sorted(names - set().union(*lists.values()))
    assert not missing, (
        f"views not classified: {missing}. A view that creates something or does something irreversible on "
        "POST (approve, sign, import, start a job) gets @once_per_submission and an entry in ONCE in "
        "tests/kernel/submissions/test_submissions.py; an edit or delete goes in NOT_ONCE with its reason; a page that only "
        "reads goes in READ (tests/kernel/submissions/helpers.py).")
    for label, listed in lists.items():
        assert not listed - names, f"{label} names views that no longer exist: {sorted(listed - names)}"
    twice = [(a, b, sorted(lists[a] & lists[b])) for a in lists for b in lists if a < b and lists[a] & lists[b]]
    assert not twice, twice


def test_one_time_views_are_exactly_the_decorated_ones():
    decorated = {name for name, view in routed().items() if getattr(view, "once_per_submission", False)}
    assert decorated == set(ONCE), {"decorated, not in ONCE": sorted(decorated - set(ONCE)),
                                    "in ONCE, not decorated": sorted(set(ONCE) - decorated)}


@pytest.mark.parametrize("name", sorted(ONCE))
def test_the_same_submission_posted_twice_acts_once(name, world):
    role, url, data = ONCE[name].build(world)
    client = client_of(getattr(world, role))
    token = once.new_token()

    with CaptureQueriesContext(connection) as first_queries:
        first = client.post(url, {**data(), once.FIELD: token})
    assert first.status_code == 302, first.content.decode()[:3000]
    assert tracked_writes(first_queries.captured_queries), "the first submission must have done something"
    assert Submission.objects.filter(token=token, user=getattr(world, role)).exists()

    with CaptureQueriesContext(connection) as second_queries:
        second = client.post(url, {**data(), once.FIELD: token})
    assert second.status_code == 302
    assert second["Location"] == first["Location"]
    assert tracked_writes(second_queries.captured_queries) == []
    page = client.get(second["Location"], follow=True).content.decode()
    assert DUPLICATE in page
