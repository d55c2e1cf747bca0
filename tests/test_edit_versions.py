"""Every edit form of the portal, found from the URLconf, refuses a stale save and a save without a version.

The URL patterns are read from the resolver (tests/test_access_matrix.routed_names). Each view is
either an edit of a stored record (EDITS: a case that loads its form in two browsers, saves in the
first, saves in the second and checks the refusal) or says why it is not one (NOT_EDITS, with a
reason). A new view fails the classification test until it is one or the other, and a page on the
NOT_EDITS list that renders a form carrying a version is an edit after all: the test says so.

Also here: a quarter's progress that spends over the budget, or goes back from "done", is saved
only once the user confirms (plans; ITA measures for the status).
"""

import io
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import resolve, reverse
from PIL import Image
from test_access_matrix import RULES, routed_names
from test_no_lost_updates import _Forms, form_data, text

from agreements.organisation import services as org_services
from agreements.organisation.models import OrgAgreement
from agreements.performance import services as agreement_services
from agreements.performance.models import AgreementIndicator, Aspect, IndicatorProgress, PerformanceAgreement
from ita.measures import services as measure_services
from ita.models import IndicatorScore, Measure, MeasureProgress
from ita.results import services as ita_services
from lao_integrity.announcements import services as announcement_services
from lao_integrity.announcements.models import Announcement, Kind
from lao_integrity.confirmation import NeedsConfirmation
from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.models import Organisation, Person, Role
from lao_integrity.orgs.services import membership_grant, person_ensure
from plans.models import DetailSheet, Plan, ProgressStatus, Project, ProjectProgress
from plans.progress import services as progress_services
from plans.projects import services as project_services

pytestmark = pytest.mark.django_db

D = Decimal
FIRST_NAME = "สมศรี ขยันยิ่ง"
REFUSED = "มีผู้อื่นแก้ไขรายการนี้ไปแล้ว"
NOT_SAVED = "ข้อมูลของท่านยังไม่ถูกบันทึก"
NO_VERSION = "จึงตรวจไม่ได้ว่ามีผู้อื่นแก้ไขไปแล้วหรือไม่"


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (10, 10, 10)).save(buffer, "PNG")
    return buffer.getvalue()


# --- the records every edit form is tried on ---------------------------------------------------


@pytest.fixture
def world(org, units, people, plan, staff):
    """One organisation with one of everything that has an edit form."""
    project = plan.projects.get(sequence=1)
    project_services.detail_sheet_save(project=project, rationale="เหตุผลเดิม", user=staff)
    progress_services.progress_record(project=project, quarter=1, status=ProgressStatus.IN_PROGRESS,
                                  amount_spent=D("1000"), result="ผลเดิม", user=staff)
    result = ita_services.result_save(organisation=org, fiscal_year=2566, scores={n: D("90") for n in range(1, 11)}, user=SYSTEM)
    measure = measure_services.measure_create(organisation=org, fiscal_year=2567, indicators=[1],
                                              title="จัดทำ QR Code ประเมินความพึงพอใจ",
                                              responsible_unit=units["สำนักปลัด"], user=SYSTEM)
    measure_services.progress_record(measure=measure, quarter=1, status="in_progress", result="ผลเดิม", user=SYSTEM)
    head = person_ensure(user=SYSTEM, organisation=org, prefix="นางสาว", first_name="มาลี", last_name="ศรีคลัง",
                         position="ผู้อำนวยการกองคลัง", unit=units["กองคลัง"])
    engineer = person_ensure(user=SYSTEM, organisation=org, prefix="นาย", first_name="ช่าง", last_name="ดีงาม",
                             position="ผู้อำนวยการกองช่าง", unit=units["กองช่าง"])
    indicator_fields = {"aspect": Aspect.HIGH_PERFORMANCE, "work_type": "core", "name": "ร้อยละการเบิกจ่าย",
                        "unit_of_measure": "ร้อยละ", "baseline": D("40"), "higher_is_better": True,
                        **{f"target_{i}": D(t) for i, t in enumerate(["40", "45", "50", "55", "60"], start=1)},
                        "weight": D("100")}
    draft = agreement_services.agreement_create(organisation=org, fiscal_year=2569, round=1, unit=units["กองคลัง"],
                                                person=head, executive=people["executive"], user=SYSTEM)
    draft_indicator = agreement_services.indicator_create(agreement=draft, **indicator_fields, user=SYSTEM)
    signed = agreement_services.agreement_create(organisation=org, fiscal_year=2569, round=1, unit=units["กองช่าง"],
                                                 person=engineer, executive=people["executive"], user=SYSTEM)
    signed_indicator = agreement_services.indicator_create(agreement=signed, **indicator_fields, user=SYSTEM)
    agreement_services.agreement_sign(agreement=signed, user=_executive_user(org))
    agreement_services.progress_record(indicator=signed_indicator, quarter=1, value=D("10"), note="ผลเดิม", user=SYSTEM)
    org_agreement = org_services.org_agreement_create(organisation=org, fiscal_year=2569, user=staff)
    announcement = announcement_services.announcement_create(organisation=org, kind=Kind.NO_GIFT, fiscal_year=2569,
                                                             user=staff, signer=people["executive"])
    return {
        "org": org, "plan": plan, "project": project, "result": result, "measure": measure,
        "draft": draft, "draft_indicator": draft_indicator, "signed_indicator": signed_indicator,
        "org_agreement": org_agreement, "topic": org_agreement.topics.order_by("order").first(),
        "announcement": announcement, "person": head,
    }


def _executive_user(org):
    user, _ = get_user_model().objects.get_or_create(username="t_signing_executive")
    membership_grant(user=SYSTEM, account=user, organisation=org, role=Role.EXECUTIVE)
    return user


@pytest.fixture
def editors(org, client_for):
    """Two people who may edit (and approve, for signatures) the organisation; the first is named."""
    users = get_user_model().objects
    one = users.create_user("t_editor_one", first_name=FIRST_NAME.split()[0], last_name=FIRST_NAME.split()[1])
    two = users.create_user("t_editor_two")
    for user in (one, two):
        membership_grant(user=SYSTEM, account=user, organisation=org, role=Role.EXECUTIVE)
    return client_for(one), client_for(two)


@dataclass
class Case:
    url: Callable[[dict], str]
    first: Callable[[dict], dict]  # what the first editor changes (fresh uploads each time)
    second: Callable[[dict], dict]
    stored: Callable[[dict], Any]  # what is stored, to see which save won
    marker: str = "version"  # a field that picks the form on the page
    names_who: bool = True  # the refusal names who saved first (from the audit trail)


def _progress(model, **lookup):
    return model.objects.filter(**lookup).first()


def _texts(field: str, one: str, two: str):
    return (lambda w: {field: one}), (lambda w: {field: two})


def case(url, field, one, two, stored) -> Case:
    first, second = _texts(field, one, two)
    return Case(url, first, second, stored)


def _score(w, number=1, year=2566):
    row = IndicatorScore.objects.filter(result__organisation=w["org"], result__fiscal_year=year,
                                        indicator__number=number).first()
    return row and (row.score, row.guidance)


EDITS: dict[str, list[Case]] = {
    "plans:settings": [case(
        lambda w: reverse("plans:settings", args=[w["plan"].pk]), "data_as_of", "01/03/2569", "15/04/2569",
        lambda w: Plan.objects.get(pk=w["plan"].pk).data_as_of)],
    "plans:project_edit": [case(
        lambda w: reverse("plans:project_edit", args=[w["project"].pk]), "name", "ชื่อของคนแรก", "ชื่อของคนที่สอง",
        lambda w: Project.objects.get(pk=w["project"].pk).name)],
    "plans:sheet_edit": [case(
        lambda w: reverse("plans:sheet_edit", args=[w["project"].pk]), "rationale", "เหตุผลคนแรก", "เหตุผลคนที่สอง",
        lambda w: DetailSheet.objects.get(project=w["project"]).rationale)],
    "plans:progress_edit": [case(
        lambda w, quarter=quarter: reverse("plans:progress_edit", args=[w["project"].pk, quarter]), "result",
        "ผลคนแรก", "ผลคนที่สอง",
        lambda w, quarter=quarter: getattr(_progress(ProjectProgress, project=w["project"], quarter=quarter),
                                           "result", None))
        for quarter in (1, 2)],  # a quarter with progress, and one without yet
    "ita:result_edit": [case(
        lambda w, year=year: reverse("ita:result_edit", args=[w["org"].code, year]), "score_1", "91.00", "85.00",
        lambda w, year=year: _score(w, year=year))
        for year in (2566, 2565)],  # a year with a result, and one without yet
    "ita:guidance": [case(
        lambda w: reverse("ita:guidance", args=[w["result"].pk]), "guidance_1", "แนวทางคนแรก", "แนวทางคนที่สอง",
        lambda w: _score(w))],
    "ita:measure_edit": [case(
        lambda w: reverse("ita:measure_edit", args=[w["measure"].pk]), "title", "มาตรการคนแรก", "มาตรการคนที่สอง",
        lambda w: Measure.objects.get(pk=w["measure"].pk).title)],
    "ita:measure_progress": [case(
        lambda w, quarter=quarter: reverse("ita:measure_progress", args=[w["measure"].pk, quarter]), "result",
        "ผลคนแรก", "ผลคนที่สอง",
        lambda w, quarter=quarter: getattr(_progress(MeasureProgress, measure=w["measure"], quarter=quarter),
                                           "result", None))
        for quarter in (1, 2)],
    "agreements:edit": [
        case(lambda w: reverse("agreements:edit", args=[w["draft"].pk]), "round", "2", "1",
             lambda w: PerformanceAgreement.objects.get(pk=w["draft"].pk).round),
        # The same page's second form: the plan projects the agreement carries out (a many-to-many
        # link, outside the audit trail: the refusal says it changed, not who changed it).
        Case(lambda w: reverse("agreements:edit", args=[w["draft"].pk]),
             lambda w: {"projects": [str(w["plan"].projects.get(sequence=1).pk)]},
             lambda w: {"projects": [str(w["plan"].projects.get(sequence=2).pk)]},
             lambda w: sorted(PerformanceAgreement.objects.get(pk=w["draft"].pk).projects.values_list("pk", flat=True)),
             marker="action=projects", names_who=False),
    ],
    "agreements:indicator_edit": [case(
        lambda w: reverse("agreements:indicator_edit", args=[w["draft_indicator"].pk]), "name", "ตัวชี้วัดคนแรก",
        "ตัวชี้วัดคนที่สอง", lambda w: AgreementIndicator.objects.get(pk=w["draft_indicator"].pk).name)],
    "agreements:progress": [case(
        lambda w, quarter=quarter: reverse("agreements:progress", args=[w["signed_indicator"].pk, quarter]), "note",
        "ผลคนแรก", "ผลคนที่สอง",
        lambda w, quarter=quarter: getattr(_progress(IndicatorProgress, indicator=w["signed_indicator"],
                                                     quarter=quarter), "note", None))
        for quarter in (1, 2)],
    "agreements:topic_edit": [case(
        lambda w: reverse("agreements:topic_edit", args=[w["topic"].pk]), "title", "หัวข้อคนแรก", "หัวข้อคนที่สอง",
        lambda w: type(w["topic"]).objects.get(pk=w["topic"].pk).title)],
    "agreements:org_detail": [case(
        lambda w: reverse("agreements:org_detail", args=[w["org_agreement"].pk]), "introduction", "ความนำคนแรก",
        "ความนำคนที่สอง", lambda w: OrgAgreement.objects.get(pk=w["org_agreement"].pk).introduction)],
    "announcements:edit": [case(
        lambda w: reverse("announcements:edit", args=[w["announcement"].pk]), "subject", "เรื่องของคนแรก",
        "เรื่องของคนที่สอง", lambda w: Announcement.objects.get(pk=w["announcement"].pk).subject)],
    "orgs:profile": [case(
        lambda w: reverse("orgs:profile", args=[w["org"].code]), "phone", "053-111111", "053-222222",
        lambda w: Organisation.objects.get(pk=w["org"].pk).phone)],
    "orgs:signature": [Case(
        lambda w: reverse("orgs:signature", args=[w["org"].code, w["person"].pk]),
        lambda w: {"image": SimpleUploadedFile("sig.png", png_bytes(), content_type="image/png")},
        lambda w: {"remove": "on"},
        lambda w: bool(Person.objects.get(pk=w["person"].pk).signature_image))],
}

# Everything routed that is not an edit of a stored record, and why (reads, creates, one-click
# actions that move the version of what they change, imports, downloads, sign-in, jobs).
NOT_EDITS: dict[str, str] = {
    "home": "a redirect",
    "healthz": "the health check",
    "login": "signing in",
    "logout": "signing out",
    "plans:list": "the list; its form creates a plan",
    "plans:import_new": "creates a plan from a file",
    "plans:detail": "a page to read",
    "plans:approve": "a button: approval freezes a version and moves the plan's version (check_and_bump)",
    "plans:copy": "a button: creates next year's plan",
    "plans:project_add": "creates a project",
    "plans:progress": "a page to read",
    "plans:export": "a download",
    "plans:import": "a file replaces the project list; every project's version moves, so open forms are refused",
    "plans:document": "a document to read",
    "plans:project_delete": "deletes; a form opened on a deleted project is refused as deleted",
    "plans:project_move": "a button: renumbers, no typed input",
    "plans:sheet": "a page to read",
    "plans:evidence": "a download",
    "ita:list": "a page to read",
    "ita:export": "a download",
    "ita:export_all": "a button: starts an export job",
    "ita:history": "a page to read",
    "ita:import": "a file of results; each result's version moves, so open score forms are refused",
    "ita:result": "a page to read",
    "ita:analysis_pdf": "a document to read",
    "ita:measures": "a page to read",
    "ita:measure_add": "creates a measure",
    "ita:measure_delete": "deletes",
    "ita:measure_evidence": "a download",
    "agreements:list": "the list; its form creates an agreement",
    "agreements:detail": "a page to read",
    "agreements:delete": "deletes a draft",
    "agreements:sign": "a button: once only, under a row lock; a second signature is refused",
    "agreements:evaluate": "once only, under a row lock: a second evaluation is refused (ประเมินผลแล้ว)",
    "agreements:pdf": "a document to read",
    "agreements:indicator_add": "creates an indicator",
    "agreements:indicator_import": "a file replaces a draft's indicators",
    "agreements:indicator_export": "a download",
    "agreements:indicator_delete": "deletes",
    "agreements:evidence": "a download",
    "agreements:org_list": "the list; its form creates an agreement",
    "agreements:org_copy": "a button: creates next year's agreement",
    "agreements:topic_add": "creates a topic",
    "agreements:topic_delete": "deletes",
    "agreements:topic_move": "a button: renumbers, no typed input",
    "announcements:list": "the list; its form creates an announcement",
    "announcements:detail": "a page to read",
    "announcements:approve": "a button: moves the announcement's version (check_and_bump)",
    "announcements:sign": "a button: once only; the signed row takes no more writes",
    "announcements:revise": "a button: creates a revision",
    "announcements:delete": "deletes a draft",
    "announcements:document": "a document to read",
    "announcements:poster": "a document to read",
    "orgs:emblem": "an image to read",
    "jobs:list": "a page to read",
    "jobs:detail": "a page to read",
    "jobs:status": "a page to read",
    "jobs:download": "a download",
    "jobs:restart": "starts a new job from a failed one; nothing stored is edited (accepted once per submission)",
}


def _edit_cases():
    return [pytest.param(name, index, id=f"{name}[{index}]") for name, cases in EDITS.items()
            for index in range(len(cases))]


def _form(response, marker: str) -> dict:
    """The page's form as a browser would post it: the one with a field named `marker`, or with
    `marker` "name=value", the one whose field `name` has that value."""
    if "=" not in marker:
        return form_data(response, marker)
    name, value = marker.split("=", 1)
    parser = _Forms()
    parser.feed(response.content.decode())
    for fields in parser.forms:
        if (name, value) in fields:
            data: dict[str, list[str]] = {}
            for key, each in fields:
                data.setdefault(key, []).append(each)
            return {key: values[0] if len(values) == 1 else values for key, values in data.items()}
    raise AssertionError(f"no form with {marker}")


def _post(client, url, data: dict, changes: dict):
    return client.post(url, {**data, **changes})


# --- the classification ------------------------------------------------------------------------


def test_every_routed_view_is_an_edit_case_or_says_why_not():
    routed = set(routed_names()) | {"login", "logout"}
    missing = sorted(routed - set(EDITS) - set(NOT_EDITS))
    both = sorted(set(EDITS) & set(NOT_EDITS))
    stale = sorted((set(EDITS) | set(NOT_EDITS)) - routed)
    assert not missing, (
        f"Views neither tested as an edit nor listed as something else: {missing}. A view that edits a stored "
        "record carries the loaded version (lao_integrity.concurrency.VersionField, check_and_bump) and gets a "
        "case in EDITS in tests/test_edit_versions.py; anything else goes in NOT_EDITS with the reason.")
    assert not both, f"Both an edit and not an edit: {both}"
    assert not stale, f"Listed but no longer routed: {stale}"
    assert all(reason.strip() for reason in NOT_EDITS.values())


class _PostForms(HTMLParser):
    """Each <form method="post">: its action and the names of its fields."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, set[str]]] = []
        self._fields = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._fields = set() if (a.get("method") or "get").lower() == "post" else None
            if self._fields is not None:
                self.forms.append((a.get("action") or "", self._fields))
        elif self._fields is not None and tag in ("input", "textarea", "select") and a.get("name"):
            self._fields.add(a["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._fields = None


def _form_problems(client, name: str, url: str) -> list[str]:
    """A form on the page that carries a version must post to an edit case; a form that posts to
    an edit case must carry one (moving a row up or down, a button with a direction, is no edit)."""
    response = client.get(url)
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return []
    parser = _PostForms()
    parser.feed(response.content.decode())
    problems = []
    for action, fields in parser.forms:
        target = resolve((action or url).split("?")[0])
        target_name = f"{target.namespace}:{target.url_name}" if target.namespace else target.url_name
        has_version = bool(fields & {"version", "loaded_version"})
        if has_version and target_name not in EDITS:
            problems.append(f"{name}: a form with a version posts to {target_name}, which has no edit case")
        if target_name in EDITS and not has_version and "direction" not in fields:
            problems.append(f"{name}: a form posts to the edit view {target_name} without a version: {sorted(fields)}")
    return problems


def test_every_page_of_the_demo_posts_versions_only_to_edit_cases(seeded):
    """Introspection over the demo: every page a routed view shows an administrator."""
    admin = Client()
    admin.force_login(get_user_model().objects.get(username="admin"))
    problems = []
    for name, rule in RULES.items():
        if rule.get in ("post_only", "public", "redirect"):
            continue
        kwargs, _owner, query = rule.build(None)
        url = reverse(name, kwargs=kwargs)
        problems += _form_problems(admin, name, f"{url}?{query}" if query else url)
    assert not problems, "\n".join(problems)


def test_every_form_on_the_edit_pages_carries_a_version(world, editors):
    """The same over the edit pages with every part shown (a draft agreement with plan projects to
    link, a signed one with progress): a second form on an edit page can't go unchecked."""
    one, _two = editors
    problems = []
    for name, cases in EDITS.items():
        for each in cases:
            problems += _form_problems(one, name, each.url(world))
    assert not problems, "\n".join(problems)


# --- every edit view: a stale save and a save without a version are refused -------------------------


@pytest.mark.parametrize(("name", "index"), _edit_cases())
def test_the_second_of_two_saves_is_refused_and_nothing_is_overwritten(name, index, world, editors):
    case = EDITS[name][index]
    url = case.url(world)
    one, two = editors
    mine, theirs = _form(one.get(url), case.marker), _form(two.get(url), case.marker)
    before = case.stored(world)

    saved = _post(one, url, mine, case.first(world))
    assert saved.status_code == 302, text(saved)[:2000]
    after_first = case.stored(world)
    assert after_first != before

    refused = _post(two, url, theirs, case.second(world))
    page = text(refused)
    assert refused.status_code == 200
    assert REFUSED in page and NOT_SAVED in page, page[:2000]
    assert FIRST_NAME in page or not case.names_who  # who changed it
    assert case.stored(world) == after_first  # nothing of the second save was written

    kept = _form(refused, case.marker)
    assert int(kept["version"]) > int(theirs["version"])  # the page now carries the current version
    again = _post(two, url, kept, case.second(world))  # a deliberate second save, having seen the change
    assert again.status_code == 302, text(again)[:2000]
    assert case.stored(world) != after_first


@pytest.mark.parametrize(("name", "index"), _edit_cases())
def test_a_save_without_a_version_is_refused(name, index, world, editors):
    case = EDITS[name][index]
    url = case.url(world)
    one, _two = editors
    data = _form(one.get(url), case.marker)
    before = case.stored(world)
    data.pop("version")
    refused = _post(one, url, data, case.first(world))
    assert refused.status_code == 200
    page = text(refused)
    assert NO_VERSION in page and NOT_SAVED in page, page[:2000]
    assert case.stored(world) == before
    kept = _form(refused, case.marker)
    assert kept["version"] != ""  # shown again on top of the current version: saving again is deliberate


def test_the_admin_of_every_versioned_model_checks_the_version():
    """A model with a version is edited in the admin through VersionCheckedAdmin, so an admin save
    can't overwrite a page save (or another admin's)."""
    from django.contrib import admin

    from lao_integrity.concurrency import VersionCheckedAdmin

    unchecked = [model.__name__ for model, model_admin in admin.site._registry.items()
                 if any(f.name == "version" for f in model._meta.concrete_fields)
                 and not isinstance(model_admin, VersionCheckedAdmin)]
    assert not unchecked, f"Versioned models whose admin does not check the version: {unchecked}"


def test_an_admin_save_without_the_loaded_version_is_refused(plan, client_for):
    users = get_user_model().objects
    admin_client = client_for(users.create_superuser("t_root", password="t-root-pw-2569"))
    project = plan.projects.get(sequence=1)
    url = f"/admin/plans/project/{project.pk}/change/"
    data = form_data(admin_client.get(url), "loaded_version")
    data.pop("loaded_version")
    data["name"] = "ชื่อจากผู้ดูแลโดยไม่มีรุ่น"
    refused = admin_client.post(url, data)
    assert refused.status_code == 200 and NO_VERSION in text(refused)
    assert Project.objects.get(pk=project.pk).name != "ชื่อจากผู้ดูแลโดยไม่มีรุ่น"


# --- the guidance: what changed is named ------------------------------------------------------------


def test_a_stale_guidance_save_names_the_indicator_and_the_guidance_changed(world, editors):
    url = reverse("ita:guidance", args=[world["result"].pk])
    one, two = editors
    mine, theirs = form_data(one.get(url)), form_data(two.get(url))
    assert _post(one, url, mine, {"guidance_3": "เผยแพร่ข้อมูลทุกเดือน"}).status_code == 302
    page = text(_post(two, url, theirs, {"guidance_3": "อย่างอื่น"}))
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
    assert _score(world)[0] == D("80.00")
    page = text(_post(two, url, data, {"score_1": "99"}))
    assert REFUSED in page
    assert _score(world)[0] == D("80.00")


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
    progress_services.progress_record(project=project, quarter=4, status=ProgressStatus.CANCELLED, user=staff)


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

