"""PlanCounts, kept by the database's triggers (plans/migrations/0012_plan_counts.py), always equal
what counting the projects and their progress gives, whatever wrote them: the services, an
import, the ORM's bulk and queryset writes, a copy to the next year, a plan removed."""

import importlib
import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.db.models import Count, Q

from lao_integrity.orgs.access import SYSTEM
from plans import services
from plans.models import Plan, PlanCounts, ProgressStatus, Project, ProjectProgress
from plans.obligations import plan_counts
from plans.progress import services as progress_services
from plans.projects import services as project_services
from tests.plans.file_helpers import row

MIGRATION = importlib.import_module("plans.migrations.0012_plan_counts")


def counted() -> dict[int, tuple]:
    """Each plan's counts as a query over its projects and progress gives them."""
    found = {}
    for plan in Plan.objects.annotate(
            n=Count("projects", distinct=True),
            early=Count("projects", distinct=True, filter=Q(projects__q1=True) | Q(projects__q2=True)),
            **{f"r{q}": Count("projects__progress", filter=Q(projects__progress__quarter=q)) for q in (1, 2, 3, 4)}):
        found[plan.pk] = (plan.n, plan.early, plan.r1, plan.r2, plan.r3, plan.r4)
    return found


def stored() -> dict[int, tuple]:
    return {row[0]: tuple(row[1:]) for row in PlanCounts.objects.values_list("plan_id", *MIGRATION.COLUMNS)}


def check() -> dict[int, tuple]:
    truth = counted()
    assert stored() == truth
    return truth


def record(project, quarter, status=ProgressStatus.IN_PROGRESS):
    return progress_services.progress_record(project=project, quarter=quarter, status=status, user=SYSTEM)


def test_every_trigger_is_in_the_database(db):
    """A migration that rebuilds plans_project or plans_projectprogress on SQLite drops their
    triggers: this fails until it installs them again (MIGRATION.install)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        names = {name for (name,) in cursor.fetchall()}
    assert set(MIGRATION.TRIGGERS) <= names


def test_counts_follow_the_services(plan, dimensions):
    truth = check()
    assert truth[plan.pk] == (3, 2, 0, 0, 0, 0)  # the fixture's three projects, two planned in quarter 1 or 2
    first, second, third = plan.projects.order_by("sequence")
    record(first, 1)
    record(first, 2)
    record(second, 2)
    record(first, 2, ProgressStatus.DONE)  # the same quarter again: still one
    assert check()[plan.pk] == (3, 2, 1, 2, 0, 0)

    project_services.project_update(project=third, q1=True, user=SYSTEM)  # now early
    project_services.project_update(project=Project.objects.get(pk=first.pk), q2=False, q3=True, user=SYSTEM)
    assert check()[plan.pk] == (3, 2, 1, 2, 0, 0)  # the third now early, the first no longer (quarter 3 only)
    project_services.project_create(plan=plan, name="โครงการเพิ่ม", dimension=dimensions[4], budget=Decimal("0"),
                                    q4=True, user=SYSTEM)
    assert check()[plan.pk] == (4, 2, 1, 2, 0, 0)

    project_services.project_delete(project=Project.objects.get(pk=first.pk), user=SYSTEM)  # with its progress
    assert check()[plan.pk] == (3, 2, 0, 1, 0, 0)


def test_counts_follow_bulk_and_queryset_writes(plan, other_org, dimensions):
    other = services.plan_create(organisation=other_org, fiscal_year=2569, user=SYSTEM)
    assert check()[other.pk] == (0, 0, 0, 0, 0, 0)  # a new plan starts at nought
    first, second, _third = plan.projects.order_by("sequence")
    record(first, 1)
    record(first, 3)

    Project.objects.bulk_create([Project(plan=other, sequence=n, kind="project", name=f"โครงการ {n}",
                                         dimension=dimensions[1], q2=n % 2 == 0, q4=True) for n in range(1, 6)])
    check()
    plan.projects.update(q1=True)  # one statement over every project of the plan
    check()
    Project.objects.filter(pk=first.pk).update(plan=other, sequence=99)  # moved, with its progress
    truth = check()
    assert truth[other.pk][2:4] == (1, 0) and truth[other.pk][4] == 1
    ProjectProgress.objects.filter(project=first, quarter=3).update(quarter=4)
    check()
    ProjectProgress.objects.filter(project=first).update(project=second)
    check()
    ProjectProgress.objects.all().delete()
    Project.objects.filter(plan=other, sequence__lte=2).delete()
    check()

    other.delete()  # its projects and its counts with it
    assert other.pk not in check() and not PlanCounts.objects.filter(plan_id=other.pk).exists()


def test_counts_follow_an_import_and_a_copy(plan, staff, plan_file):
    record(plan.projects.order_by("sequence").first(), 2)
    rows = [row(n, f"โครงการที่ {n} ส่งเสริมคุณธรรม", (n % 4) + 1, "1,000.00", "✓" if n % 3 else "", "", "", "✓")
            for n in range(2, 41)]
    rows.insert(0, row(1, "โครงการอบรมคุณธรรมจริยธรรมบุคลากร", 1, "10,000.00", "", "✓", "✓"))  # kept, with its progress
    services.plan_import(organisation=plan.organisation, fiscal_year=2569, data=plan_file(rows).read_bytes(),
                         filename="plan.csv", user=staff)
    assert check()[plan.pk] == (40, 27, 0, 1, 0, 0)

    copied = services.plan_copy_to_next_year(plan=Plan.objects.get(pk=plan.pk), user=SYSTEM)
    assert check()[copied.pk] == (40, 27, 0, 0, 0, 0)  # projects copied, no progress


def test_the_obligations_read_the_stored_counts(plan):
    record(plan.projects.order_by("sequence").first(), 2)
    found = plan_counts([plan.organisation], 2569)[plan.organisation_id]
    assert (found.pk, found.project_count, found.early, found.reported) == (plan.pk, 3, 2, (0, 1, 0, 0))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two sessions at once: PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_transactions_writing_one_plan_both_count(plan):
    """The triggers add to the stored row rather than count again: while one transaction holds
    the plan's row, another's progress waits for it and then adds to what the first wrote (a
    count made before the wait would have missed the first's progress)."""
    first, second, _third = plan.projects.order_by("sequence")
    written, waiting_done = threading.Event(), threading.Event()

    def other_session():
        try:
            written.wait(10)
            with transaction.atomic():
                ProjectProgress.objects.create(project=second, quarter=2)  # waits for the first's row
        finally:
            connection.close()
            waiting_done.set()

    thread = threading.Thread(target=other_session)
    thread.start()
    with transaction.atomic():
        ProjectProgress.objects.create(project=first, quarter=2)
        written.set()
        assert not waiting_done.wait(0.5)  # the other transaction waits for this one
    thread.join(10)
    assert waiting_done.is_set()
    assert check()[plan.pk][3] == 2
