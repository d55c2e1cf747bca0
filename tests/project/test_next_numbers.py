"""Every "next number" in the portal is taken under a lock on its parent (lao_integrity/locks.py).

Two people adding a project to one plan at the same moment used to read the same highest
sequence; the second insert then broke the unique (plan, sequence) constraint (HTTP 500, what
they typed lost). Here many threads, each with its own database connection, call the service at
the same instant (a barrier): every call must succeed and the numbers must be 1..n with none
taken twice. The same for a plan's version numbers, a year's measures, an agreement's
indicators, an annex's topics and sub-items, and for "one per year" creations (a second plan for
the year is refused in Thai, not a 500).

Real concurrency needs PostgreSQL (DATABASE_URL=postgres://...): SQLite lets one writer in at a
time and answers the others "database is locked", so these tests are skipped there.
"""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from agreements.organisation import services as org_services
from agreements.performance import services as agreement_services
from agreements.performance.models import AgreementKind
from ita.measures import services as measure_services
from ita.models import Measure
from ita.results import services as ita_services
from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.services import person_ensure
from plans import services
from plans.models import Plan
from plans.projects import services as project_services

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="real concurrent writers need PostgreSQL (SQLite serialises them)"),
]

THREADS = 10


def at_once(work, n: int = THREADS) -> tuple[list, list]:
    """Run work(i) for i in 0..n-1 in n threads released together; (results, errors) by index."""
    barrier = threading.Barrier(n)
    results: list = [None] * n
    errors: list = [None] * n

    def run(i):
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except Exception as error:  # noqa: BLE001 (reported by the test)
            errors[i] = error
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors


def no_errors(errors: list) -> None:
    failed = [f"{type(e).__name__}: {e}" for e in errors if e is not None]
    assert not failed, failed


def test_projects_added_at_once_all_succeed_with_distinct_sequences(plan, staff, dimensions):
    before = plan.projects.count()

    def add(i):
        return project_services.project_create(plan=Plan.objects.get(pk=plan.pk), user=staff,
                                       name=f"โครงการพร้อมกัน {i}", dimension=dimensions[1],
                                       budget=Decimal("1000"), q1=True)

    results, errors = at_once(add)
    no_errors(errors)
    sequences = sorted(p.sequence for p in results)
    assert sequences == list(range(before + 1, before + THREADS + 1))
    assert sorted(plan.projects.values_list("sequence", flat=True)) == list(range(1, before + THREADS + 1))


def test_adds_deletes_and_moves_at_once_leave_the_numbering_contiguous(plan, staff, dimensions):
    for i in range(4):
        project_services.project_create(plan=plan, user=staff, name=f"โครงการเดิม {i}", dimension=dimensions[2], q2=True)
    projects = list(plan.projects.order_by("sequence"))

    def work(i):
        if i % 3 == 0:
            return project_services.project_create(plan=Plan.objects.get(pk=plan.pk), user=staff,
                                           name=f"โครงการใหม่ {i}", dimension=dimensions[1], q3=True)
        if i % 3 == 1:
            return project_services.project_move(project=projects[i % len(projects)], offset=1, user=staff)
        return project_services.project_delete(project=projects[(i + 3) % len(projects)], user=staff)

    _, errors = at_once(work)
    no_errors(errors)
    count = plan.projects.count()
    assert sorted(plan.projects.values_list("sequence", flat=True)) == list(range(1, count + 1))


def test_plan_approved_twice_at_once_makes_one_version(plan, executive):
    _, errors = at_once(lambda i: services.plan_approve(plan=Plan.objects.get(pk=plan.pk), user=executive), n=4)
    refused = [e for e in errors if e is not None]
    assert all(isinstance(e, ValidationError) for e in refused), refused
    assert len(refused) == 3
    assert list(plan.versions.values_list("number", flat=True)) == [0]


def test_one_plan_per_year_created_at_once_is_one_plan_and_thai_refusals(org, staff):
    results, errors = at_once(lambda i: services.plan_create(organisation=org, fiscal_year=2570, user=staff), n=5)
    assert sum(r is not None for r in results) == 1
    refused = [e for e in errors if e is not None]
    assert len(refused) == 4 and all(isinstance(e, ValidationError) for e in refused), refused
    assert "มีแผนปีงบประมาณ 2570 อยู่แล้ว" in " ".join(refused[0].messages)
    assert Plan.objects.filter(organisation=org, fiscal_year=2570).count() == 1


def test_measures_added_at_once_take_distinct_places(org, staff):
    ita_services.result_save(organisation=org, fiscal_year=2566, scores={n: Decimal("80") for n in range(1, 11)}, user=staff)

    def add(i):
        return measure_services.measure_create(organisation=org, fiscal_year=2567, user=staff, indicators=[1],
                                               title=f"มาตรการพร้อมกัน {i}")

    _, errors = at_once(add)
    no_errors(errors)
    orders = sorted(Measure.objects.filter(organisation=org, fiscal_year=2567).values_list("order", flat=True))
    assert orders == list(range(1, THREADS + 1))  # numbered from 1, as every list is


def test_agreement_indicators_added_at_once_take_distinct_orders(org, units, people, staff):
    head = person_ensure(user=SYSTEM, organisation=org, prefix="นาง", first_name="มาลี", last_name="ศรีคลัง",
                         position="ผู้อำนวยการกองคลัง", unit=units["กองคลัง"])
    agreement = agreement_services.agreement_create(
        organisation=org, fiscal_year=2569, round=1, kind=AgreementKind.UNIT, unit=units["กองคลัง"],
        person=head, executive=people["executive"], user=staff)

    def add(i):
        return agreement_services.indicator_create(
            agreement=agreement, user=staff, aspect="high_performance", work_type="core",
            name=f"ตัวชี้วัดพร้อมกัน {i}", unit_of_measure="ร้อยละ", higher_is_better=True,
            **{f"target_{k}": Decimal(40 + k) for k in range(1, 6)}, weight=Decimal("10"))

    _, errors = at_once(add)
    no_errors(errors)
    assert sorted(agreement.indicators.values_list("order", flat=True)) == list(range(1, THREADS + 1))


def test_annex_topics_added_at_once_take_distinct_orders(org, staff):
    agreement = org_services.org_agreement_create(organisation=org, fiscal_year=2569, user=staff,
                                                  start_from="standard")
    topics_before = agreement.topics.count()

    def add(i):
        return org_services.topic_create(agreement=agreement, title=f"หัวข้อพร้อมกัน {i}", user=staff)

    _, errors = at_once(add)
    no_errors(errors)
    topics = agreement.topics.count()
    assert topics == topics_before + THREADS
    assert sorted(agreement.topics.values_list("order", flat=True)) == list(range(1, topics + 1))
