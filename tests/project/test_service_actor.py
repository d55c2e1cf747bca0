"""Every service is told who acts (issue 14: "Services require an actor").

An omitted `user` used to mean "the system" and skipped the permission check; now it is a TypeError,
the system is the explicit ``access.SYSTEM``, and an unauthorised person is refused by the service
itself, whatever view or command called it.
"""

import csv
import importlib
import inspect
import io
import pkgutil
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

import agreements
import ita
import lao_integrity
import plans
from agreements.performance import exchange as performance_exchange
from ita.analysis import services as analysis_services
from ita.results import services as result_services
from ita.results.exchange import results_import
from lao_integrity import history
from lao_integrity.orgs import access
from lao_integrity.orgs import services as org_services
from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.models import Organisation
from lao_integrity.tabular import ImportRejected
from plans.models import Project
from plans.progress import services as progress_services
from plans.projects import services as project_services

SCORES = {n: Decimal("80") for n in range(1, 11)}
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
       b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND"
       b"\xaeB`\x82")


def _service_modules():
    """Every `services` module of the kernel and the domain apps, found by walking the packages
    (a new app's services are checked without being listed here)."""
    for package in (lao_integrity, plans, ita, agreements):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if info.name.rsplit(".", 1)[-1] == "services":
                yield importlib.import_module(info.name)


def _services():
    for module in _service_modules():
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ == module.__name__ and not name.startswith("_"):
                yield f"{module.__name__}.{name}", function
    # The file imports are services too, outside a services module.
    yield "ita.results.exchange.results_import", results_import
    yield "agreements.performance.exchange.indicators_import", performance_exchange.indicators_import


def test_no_service_lets_the_actor_be_left_out():
    found = dict(_services())
    assert {"plans.projects.services.project_update", "ita.measures.services.measure_create",
            "agreements.performance.services.indicator_create", "lao_integrity.orgs.services.person_set_signature",
            "ita.results.services.result_save"} <= set(found)  # the walk really finds them
    defaulted = []
    for name, function in found.items():
        parameter = inspect.signature(function).parameters.get("user")  # follows functools.wraps
        if parameter is not None and parameter.default is not inspect.Parameter.empty:
            defaulted.append(name)
    assert defaulted == []


def test_leaving_the_actor_out_is_an_error_not_the_system(plan):
    project = plan.projects.get(sequence=1)
    with pytest.raises(TypeError, match="user"):
        project_services.project_update(project=project, remark="ไม่มีผู้กระทำ")
    project.refresh_from_db()
    assert project.remark == ""


# --- the system actor ------------------------------------------------------------------------


def test_the_system_may_do_everything_and_is_recorded_as_no_one(org, other_org, plan):
    assert access.can_view(SYSTEM, org) and access.can_edit(SYSTEM, org) and access.can_approve(SYSTEM, org)
    everyone = Organisation.objects.count()  # the demo may be loaded too: the system sees them all
    assert access.visible_organisations(SYSTEM).count() == everyone == access.editable_organisations(SYSTEM).count()
    assert access.role_for(SYSTEM, org) is None  # it holds no membership: it passes as a superuser
    assert access.person(SYSTEM) is None
    project = plan.projects.get(sequence=1)
    project_services.project_update(project=project, remark="จากระบบ", user=SYSTEM)
    progress_services.progress_record(project=project, quarter=2, status="in_progress", user=SYSTEM)
    project.refresh_from_db()
    assert project.remark == "จากระบบ"
    assert project.history.latest().history_user is None
    assert history.trail(history.object_history(project))[0].who == "ระบบ"
    assert project.progress.get(quarter=2).updated_by is None
    result = result_services.result_save(organisation=other_org, fiscal_year=2566, scores=SCORES, user=SYSTEM)
    assert result.updated_by is None and result.overall is not None


def test_a_person_still_is_recorded_as_themself(plan, staff):
    project = plan.projects.get(sequence=1)
    progress_services.progress_record(project=project, quarter=2, status="in_progress", user=staff)
    project_services.project_update(project=project, remark="จากเจ้าหน้าที่", user=staff)
    assert project.progress.get(quarter=2).updated_by == staff
    assert Project.history.filter(id=project.pk).latest().history_user == staff


# --- an unauthorised person is refused by the service itself ---------------------------------


def test_the_services_that_skipped_their_check_without_a_user_refuse_an_auditor(plan, auditor, other_staff):
    project = plan.projects.get(sequence=1)
    for user in (auditor, other_staff):
        with pytest.raises(PermissionDenied):
            project_services.project_update(project=project, remark="ไม่มีสิทธิ์", user=user)
    project.refresh_from_db()
    assert project.remark == ""


def test_services_that_had_no_check_refuse_who_may_not_edit(org, people, staff, auditor, other_staff):
    result = result_services.result_save(organisation=org, fiscal_year=2566, scores=SCORES, user=SYSTEM)
    for user in (auditor, other_staff):
        with pytest.raises(PermissionDenied):
            result_services.result_save(organisation=org, fiscal_year=2566, scores={1: Decimal("10")}, user=user)
        with pytest.raises(PermissionDenied):
            analysis_services.guidance_save(result=result, guidance={1: "แนวทาง"}, user=user)
        with pytest.raises(PermissionDenied):
            analysis_services.recommendations_replace(result=result, by_tool={"IIT": ["ข้อเสนอ"]}, user=user)
        with pytest.raises(PermissionDenied):
            org_services.organisation_update_profile(organisation=org, phone="0 5400 0000", user=user)
    with pytest.raises(PermissionDenied):  # a signature is an executive's to change
        org_services.person_set_signature(person=people["executive"], user=staff,
                                          image=SimpleUploadedFile("sig.png", PNG, content_type="image/png"))
    result.refresh_from_db()
    org.refresh_from_db()
    assert result.scores.get(indicator__number=1).score == Decimal("80") and result.scores.get(
        indicator__number=1).guidance == ""
    assert not result.recommendations.exists() and org.phone != "0 5400 0000"
    people["executive"].refresh_from_db()
    assert not people["executive"].signature_image
    # The same calls by those who may: staff edit, the system does anything.
    analysis_services.guidance_save(result=result, guidance={1: "แนวทาง"}, user=staff)
    org_services.organisation_update_profile(organisation=org, phone="0 5400 0000", user=staff)
    assert result.scores.get(indicator__number=1).guidance == "แนวทาง"


def test_an_ita_import_without_a_limit_holds_a_person_to_what_they_may_edit(org, other_org, staff):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["รหัส อปท.", "ปีงบประมาณ", "ตัวชี้วัด", "คะแนน"])
    for code in (org.code, other_org.code):
        writer.writerows([code, 2566, n, "80"] for n in range(1, 11))
    data = out.getvalue().encode("utf-8")
    with pytest.raises(ImportRejected) as rejected:
        results_import(data=data, filename="ita.csv", user=staff)  # staff of `org` only
    assert {str(p).split(": ", 1)[-1] for p in rejected.value.problems} == {
        f"ไม่มีสิทธิ์นำเข้าข้อมูลของ อปท. รหัส {other_org.code}"}
    assert not org.ita_results.exists()
    summary = results_import(data=data, filename="ita.csv", user=SYSTEM)
    assert summary.organisations == 2
