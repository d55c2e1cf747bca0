"""The registry's writes are told who acts, as every other service (issue 14: "Services require an actor").

Organisations (one row, or a file of them) are kept by administrators; an organisation's units and
people by whoever may edit its data; commands and the demo pass ``access.SYSTEM``. A write that
leaves the actor out is a TypeError, and every public function of a services module either takes
a required actor or is listed below as one that writes nothing a person does.
"""

import importlib
import inspect
import pkgutil

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied

import agreements
import ita
import lao_integrity
import plans
from lao_integrity.orgs import services
from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.models import Organisation, OrgType, Person, Unit
from lao_integrity.orgs.resources import HEADERS
from lao_integrity.tabular import write_table

NEW_ORG = {"code": "5299977", "org_type": OrgType.SAO, "name": "องค์การบริหารส่วนตำบลบ้านใหม่",
           "district": "งาว", "province": "ลำปาง"}
PERSON = {"prefix": "นาง", "first_name": "มาลี", "last_name": "ใจดี", "position": "ปลัด"}

# Public functions of services modules that take no actor, and why: none writes for a person.
NO_ACTOR = {
    "lao_integrity.announcements.services.verified_pdf": "reads a signed PDF back",
    "lao_integrity.jobs.services.dead": "the job machinery's own bookkeeping",
    "lao_integrity.jobs.services.fail_dead": "the job machinery's own bookkeeping",
    "lao_integrity.jobs.services.is_dead": "the job machinery's own bookkeeping",
    "lao_integrity.jobs.services.job_prune": "housekeeping (prune_jobs)",
    "lao_integrity.jobs.services.job_run": "runs a job as the user who started it",
    "lao_integrity.jobs.services.lease_cutoff": "a time",
    "lao_integrity.publication.services.earliest_withdrawal": "a date: when a publication may be withdrawn",
    "plans.progress.services.progress_warnings": "what to ask before a save",
    "plans.services.framework_for_year": "a read",
    "plans.services.plan_export": "a read",
    "ita.measures.services.clean_steps": "validation",
    "ita.measures.services.deadline_window": "a read",
    "ita.measures.services.has_placeholder": "validation",
    "ita.measures.services.validate_evidence_file": "validation",
    "ita.results.services.framework_for_year": "a read",
    "ita.results.services.framework_recompute": "recomputes scores after an admin framework edit",
    "ita.results.services.framework_spec": "a read",
    "ita.results.services.parse_score": "parsing",
    "ita.results.services.default_rank_group": "a read: the organisation's type as the rank's peer group",
    "ita.results.services.rank_group_for": "validation: the peer group to store with a rank",
    "agreements.organisation.services.standard_annex_text": "a text",
    "agreements.performance.services.check_indicator": "validation",
    "agreements.performance.services.sign_problems": "a read",
    "agreements.performance.services.document": "a read: names the agreement for the review steps",
}


def _without_actor():
    for package in (lao_integrity, plans, ita, agreements):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if info.name.rsplit(".", 1)[-1] != "services":
                continue
            module = importlib.import_module(info.name)
            for name, function in inspect.getmembers(module, inspect.isfunction):
                if function.__module__ == module.__name__ and not name.startswith("_"):
                    if "user" not in inspect.signature(function).parameters:
                        yield f"{module.__name__}.{name}"


def test_every_service_takes_an_actor_or_is_known_to_write_nothing_for_a_person():
    assert sorted(_without_actor()) == sorted(NO_ACTOR)


@pytest.mark.django_db
def test_leaving_the_actor_out_is_an_error(org):
    for call in (lambda: services.organisation_upsert(**NEW_ORG),
                 lambda: services.unit_ensure(organisation=org, name="กองใหม่"),
                 lambda: services.person_ensure(organisation=org, **PERSON),
                 lambda: services.organisations_import(data=b"", filename="orgs.csv")):
        with pytest.raises(TypeError, match="user"):
            call()
    assert not Organisation.objects.filter(code=NEW_ORG["code"]).exists()


@pytest.mark.django_db
def test_only_administrators_keep_the_registry(staff, executive):
    data = write_table(HEADERS, [[NEW_ORG["code"], "อบต.", NEW_ORG["name"], "งาว", "ลำปาง"]], "csv")
    for person in (staff, executive):
        with pytest.raises(PermissionDenied):
            services.organisation_upsert(**NEW_ORG, user=person)
        with pytest.raises(PermissionDenied):
            services.organisations_import(data=data, filename="orgs.csv", user=person)
    assert not Organisation.objects.filter(code=NEW_ORG["code"]).exists()
    admin = get_user_model().objects.create_superuser(username="registry-admin", password="registry-pw-2569")
    org = services.organisation_upsert(**NEW_ORG, user=admin)
    assert org.history.latest().history_user == admin
    assert services.organisations_import(data=data, filename="orgs.csv", user=SYSTEM) == 1


@pytest.mark.django_db
def test_units_and_people_by_those_who_may_edit_the_organisation(org, other_org, staff, auditor):
    for person, organisation in ((auditor, org), (staff, other_org)):
        with pytest.raises(PermissionDenied):
            services.unit_ensure(organisation=organisation, name="กองใหม่", user=person)
        with pytest.raises(PermissionDenied):
            services.person_ensure(organisation=organisation, **PERSON, user=person)
    assert not Unit.objects.filter(name="กองใหม่").exists()
    assert not Person.objects.filter(first_name="มาลี", last_name="ใจดี").exists()
    unit = services.unit_ensure(organisation=org, name="กองใหม่", user=staff)
    person = services.person_ensure(organisation=org, **PERSON, unit=unit, user=staff)
    assert person.history.latest().history_user == staff
    assert services.person_ensure(organisation=org, **PERSON, user=SYSTEM) == person


@pytest.mark.django_db
def test_accounts_are_granted_and_closed_by_administrators_only(org, executive):
    newcomer = get_user_model().objects.create_user("newcomer", password="newcomer-pw-2569")
    for call in (lambda actor: services.membership_grant(account=newcomer, organisation=org, role="staff", user=actor),
                 lambda actor: services.auditor_scope_set(account=newcomer, all_organisations=True, user=actor),
                 lambda actor: services.user_deactivate(account=newcomer, user=actor)):
        with pytest.raises(PermissionDenied):
            call(executive)
    newcomer.refresh_from_db()
    assert newcomer.is_active and not newcomer.memberships.exists()
    assert services.membership_grant(account=newcomer, organisation=org, role="staff", user=SYSTEM).user == newcomer
    assert services.user_deactivate(account=newcomer, user=SYSTEM) is True
