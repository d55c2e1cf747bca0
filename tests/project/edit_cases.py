"""Every edit form's case (EDITS) and every other routed view's reason (NOT_EDITS), with the helpers
that load a form as a browser would and post it: read by test_edit_versions.py and test_confirm_first.py."""

import io
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from agreements.organisation.models import OrgAgreement
from agreements.performance.models import AgreementIndicator, IndicatorProgress, PerformanceAgreement
from ita.models import IndicatorScore, Measure, MeasureProgress, OitAnswer
from lao_integrity.announcements.models import Announcement
from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.models import Organisation, OrgType, Person, Role
from lao_integrity.orgs.services import membership_grant, organisation_upsert
from lpa.bonus import services as bonus_services
from lpa.models import BonusScore
from plans.models import DetailSheet, Plan, Project, ProjectProgress
from tests.support.forms import form_data, form_with

D = Decimal
FIRST_NAME = "สมศรี ขยันยิ่ง"
REFUSED = "มีผู้อื่นแก้ไขรายการนี้ไปแล้ว"
NOT_SAVED = "ข้อมูลของท่านยังไม่ถูกบันทึก"
NO_VERSION = "จึงตรวจไม่ได้ว่ามีผู้อื่นแก้ไขไปแล้วหรือไม่"


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (10, 10, 10)).save(buffer, "PNG")
    return buffer.getvalue()


def executive_user(org):
    user, _ = get_user_model().objects.get_or_create(username="t_signing_executive")
    membership_grant(user=SYSTEM, account=user, organisation=org, role=Role.EXECUTIVE)
    return user


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


def score_of(w, number=1, year=2566):
    row = IndicatorScore.objects.filter(result__organisation=w["org"], result__fiscal_year=year,
                                        indicator__number=number).first()
    return row and (row.score, row.guidance)


def oit_note(w, code):
    row = OitAnswer.objects.filter(checklist__organisation=w["org"], checklist__fiscal_year=2569,
                                   item__code=code).first()
    return row and row.note


def bonus_entry_url(w, year: int) -> str:
    """Part 1 of the bonus is for administrators and municipalities: the two editors are made
    administrators, and a municipality of the province stands in for the world's อบต."""
    get_user_model().objects.filter(username__in=["t_editor_one", "t_editor_two"]).update(is_superuser=True)
    muni = organisation_upsert(user=SYSTEM, code="5799907", org_type=OrgType.SUBDISTRICT_MUNI,
                               name="เทศบาลตำบลทดสอบรางวัล", district="แม่สาย", province="เชียงราย")
    if year == 2566 and not BonusScore.objects.filter(organisation=muni, fiscal_year=year).exists():
        bonus_services.bonus_score_save(organisation=muni, fiscal_year=year, user=SYSTEM, expected_version=0,
                                        scores={"d1": D(20), "d2": D(20), "d3": D(10), "d4": D(10)})
    return reverse("lpa:bonus_entry", args=[muni.code, year])


def bonus_d1(year: int):
    row = BonusScore.objects.filter(organisation__code="5799907", fiscal_year=year).first()
    return row and row.d1


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
        lambda w, year=year: score_of(w, year=year))
        for year in (2566, 2565)],  # a year with a result, and one without yet
    "lpa:bonus_entry": [  # a year with part 1 entered, and one without yet (every dimension typed)
        case(lambda w: bonus_entry_url(w, 2566), "d1", "29.00", "28.00", lambda w: bonus_d1(2566)),
        Case(lambda w: bonus_entry_url(w, 2567),
             lambda w: {"d1": "29.00", "d2": "20", "d3": "10", "d4": "10"},
             lambda w: {"d1": "28.00", "d2": "20", "d3": "10", "d4": "10"},
             lambda w: bonus_d1(2567)),
    ],
    "ita:guidance": [case(
        lambda w: reverse("ita:guidance", args=[w["result"].pk]), "guidance_1", "แนวทางคนแรก", "แนวทางคนที่สอง",
        lambda w: score_of(w))],
    "ita:recommendations": [case(  # a new recommendation typed in the first blank row
        lambda w: reverse("ita:recommendations", args=[w["result"].pk]), "row_0_advice", "ข้อเสนอแนะคนแรก",
        "ข้อเสนอแนะคนที่สอง", lambda w: sorted(w["result"].recommendations.values_list("advice", flat=True)))],
    "ita:measure_edit": [case(
        lambda w: reverse("ita:measure_edit", args=[w["measure"].pk]), "title", "มาตรการคนแรก", "มาตรการคนที่สอง",
        lambda w: Measure.objects.get(pk=w["measure"].pk).title)],
    "ita:measure_progress": [case(
        lambda w, quarter=quarter: reverse("ita:measure_progress", args=[w["measure"].pk, quarter]), "result",
        "ผลคนแรก", "ผลคนที่สอง",
        lambda w, quarter=quarter: getattr(_progress(MeasureProgress, measure=w["measure"], quarter=quarter),
                                           "result", None))
        for quarter in (1, 2)],
    "ita:oit_answer": [case(
        lambda w, code=code: reverse("ita:oit_answer", args=[w["org"].code, 2569, code]), "note", "คำอธิบายคนแรก",
        "คำอธิบายคนที่สอง", lambda w, code=code: oit_note(w, code))
        for code in ("O36", "O1")],  # an item the portal answers, and one it does not
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


REVIEW = ("a review button (lao_integrity/review), as approving: it moves the record's status and version "
          "(check_and_bump), so open edit forms are refused; the return's comment is a new review step, no edit")
# Everything routed that is not an edit of a stored record, and why (reads, creates, one-click
# actions that move the version of what they change, imports, downloads, sign-in, jobs).
NOT_EDITS: dict[str, str] = {
    "home": "a page to read: each role's obligations, computed",
    "obligations:organisation": "a page to read: one organisation's obligations",
    "obligations:calendar": "a page to read: the user's calendar address",
    "obligations:calendar_reset": "makes a new calendar token; the user's own, not a versioned record",
    "supervision:choose": "a page to read: the areas of the supervisor's scope",
    "supervision:dashboard": "a page to read: an area's figures, computed",
    "supervision:figure": "a page to read (and its xlsx): one figure's organisations",
    "calendar_feed": "an .ics file to read",
    "healthz": "the health check",
    "glossary": "a page of fixed text",
    "search": "a GET form that only reads: it finds, it changes nothing",
    "login": "signing in",
    "logout": "signing out",
    "password_change": "the user's own password, not a versioned record (the current password is asked instead)",
    "password_change_done": "a page to read",
    "password_reset": "sends a reset link by email; no record is edited",
    "password_reset_done": "a page to read",
    "password_reset_confirm": "sets a password through an emailed link, which stops working once used",
    "password_reset_complete": "a page to read",
    "plans:list": "the list; its form creates a plan",
    "plans:import_new": "creates a plan from a file",
    "plans:detail": "a page to read",
    "plans:history": "a page to read",
    "plans:approve": "a button: approval freezes a version and moves the plan's version (check_and_bump)",
    "plans:copy": "a button: creates next year's plan",
    "plans:submit": REVIEW, "plans:withdraw": REVIEW, "plans:return": REVIEW,
    "plans:project_add": "creates a project",
    "plans:progress": "a page to read",
    "plans:progress_export": "a download",
    "plans:export": "a download",
    "plans:import": "a file replaces the project list; every project's version moves, so open forms are refused",
    "plans:document": "a document to read",
    "plans:project_delete": "deletes; a form opened on a deleted project is refused as deleted",
    "plans:project_move": "a button: renumbers, no typed input",
    "plans:sheet": "a page to read",
    "plans:sheet_history": "a page to read",
    "plans:evidence": "a download",
    "plans:changes": "a page to read (its approve button posts to plans:approve)",
    "plans:versions": "a page to read",
    "plans:version": "a page to read: a frozen version never changes",
    "plans:version_pdf": "a document to read",
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
    "ita:oit": "a page to read (its confirm button posts to ita:oit_confirm)",
    "ita:oit_confirm": "a button: the executive confirms; moves the checklist's version (check_and_bump), "
                       "refused when an answer was saved after the page was shown",
    "ita:oit_export": "a download",
    "public_oit:years": "a public page to read",
    "public_oit:year": "a public page to read",
    "agreements:list": "the list; its form creates an agreement",
    "agreements:detail": "a page to read",
    "agreements:history": "a page to read",
    "agreements:delete": "deletes a draft",
    "agreements:submit": REVIEW, "agreements:withdraw": REVIEW, "agreements:return": REVIEW,
    "agreements:sign": "a button: once only, under a row lock; a second signature is refused",
    "agreements:evaluate": "once only, under a row lock: a second evaluation is refused (ประเมินผลแล้ว)",
    "agreements:pdf": "a document to read",
    "agreements:signed_pdf": "the file stored at signing, to read",
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
    "announcements:submit": REVIEW, "announcements:withdraw": REVIEW, "announcements:return": REVIEW,
    "announcements:delete": "deletes a draft",
    "announcements:document": "a document to read",
    "announcements:poster": "a document to read",
    "public_announcements:detail": "a public page to read (GET only)",
    "public_announcements:pdf": "a public download (GET only)",
    "publication:organisations": "a public page to read (GET only)",
    "publication:organisations_data": "public open data (GET only)",
    "publication:organisation": "a public page to read (GET only)",
    "publication:documents": "public open data (GET only)",
    "publication:sitemap_organisations": "a public sitemap (GET only)",
    "publication:sitemap_organisation": "a public sitemap (GET only)",
    "sitemap": "a public sitemap index (GET only)",
    "verification:verify": "a public check of a file or a SHA-256: it reads, stores nothing (no token claimed)",
    "publishing:publish": "a button: once only (refused while published), confirmed first; nothing typed",
    "publishing:withdraw": "a button with a reason: once only (refused when not published); no version to keep",
    "orgs:emblem": "an image to read",
    "jobs:list": "a page to read",
    "jobs:detail": "a page to read",
    "jobs:status": "a page to read",
    "jobs:download": "a download",
    "notifications:list": "a page to read",
    "notifications:read": "a button: marks one's own notification read; again, it stays read",
    "notifications:read_all": "a button: marks one's own notifications read; again, nothing is left unread",
    "notifications:settings": "one's own email choice (one box), no one else's record; sent twice, the same choice",
    "public_plans:plan": "a public page to read", "public_plans:plan_pdf": "a public document to read",
    "public_plans:progress": "a public page to read", "public_plans:progress_pdf": "a public document to read",
    "lpa:bonus_summary": "a page to read (administrators' links go to lpa:bonus_entry)",
    "lpa:bonus_summary_pdf": "a document to read",
    "lpa:bonus_summary_xlsx": "a download",
    "public_ita:results": "a public page to read", "public_ita:result": "a public page to read",
    "public_ita:measures": "a public page to read", "public_ita:measure_progress": "a public page to read",
    "public_agreements:performance": "a public page to read",
    "public_agreements:organisation": "a public page to read",
    "jobs:restart": "starts a new job from a failed one; nothing stored is edited (accepted once per submission)",
    "lpa:index": "a page to read", "lpa:province": "a page to read", "lpa:history": "a page to read",
    "lpa:province_pdf": "a document to read", "lpa:province_export": "a download",
    "lpa:import": "a file of the province's results (administrators): each imported result's version moves",
}


def edit_params():
    return [pytest.param(name, index, id=f"{name}[{index}]") for name, cases in EDITS.items()
            for index in range(len(cases))]


def form_of(response, marker: str) -> dict:
    """The page's form as a browser would post it: the one with a field named `marker`, or with
    `marker` "name=value", the one whose field `name` has that value."""
    if "=" not in marker:
        return form_data(response, marker)
    return form_with(response, *marker.split("=", 1))


def post_with(client, url, data: dict, changes: dict):
    return client.post(url, {**data, **changes})
