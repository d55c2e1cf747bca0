"""Moving up and down, once in the kernel (lao_integrity/ordering.py), for every reordered list:
a plan's projects, an annex's topics, a year's ITA measures (and an agreement's indicators, which
are numbered again after a deletion)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from agreements.organisation import services as org_services
from ita.measures import services as measure_services
from ita.models import Measure
from lao_integrity import ordering
from lao_integrity.orgs.access import SYSTEM
from plans.projects import services as project_services


@pytest.fixture
def topics(org, staff):
    agreement = org_services.org_agreement_create(organisation=org, fiscal_year=2569, user=staff)
    return agreement.topics.all()


@pytest.fixture
def measures(org):
    # Numbered as measures were before the kernel took over: from 0.
    for order, title in enumerate(["มาตรการ ก", "มาตรการ ข", "มาตรการ ค"]):
        Measure.objects.create(organisation=org, fiscal_year=2567, title=title, order=order)
    return Measure.objects.filter(organisation=org, fiscal_year=2567)


def numbers(siblings, field="order") -> list[tuple[int, int]]:
    return list(siblings.order_by(field, "pk").values_list("pk", field))


def test_moving_the_first_up_or_the_last_down_changes_nothing(plan, topics, staff):
    projects = plan.projects.all()
    before = numbers(projects, "sequence"), numbers(topics)
    first, last = projects.order_by("sequence").first(), projects.order_by("sequence").last()
    project_services.project_move(project=first, offset=-1, user=staff)
    project_services.project_move(project=last, offset=1, user=staff)
    assert not org_services.topic_move(topic=topics.order_by("order").first(), offset=-1, user=staff)
    assert not org_services.topic_move(topic=topics.order_by("order").last(), offset=1, user=staff)
    assert (numbers(projects, "sequence"), numbers(topics)) == before


def test_a_move_swaps_two_neighbours_and_the_numbers_stay_1_to_n(plan, topics, staff):
    projects = plan.projects.all()
    a, b, c = [pk for pk, _ in numbers(projects, "sequence")]
    project_services.project_move(project=projects.get(pk=b), offset=1, user=staff)
    assert numbers(projects, "sequence") == [(a, 1), (c, 2), (b, 3)]
    project_services.project_move(project=projects.get(pk=b), offset=-1, user=staff)
    assert numbers(projects, "sequence") == [(a, 1), (b, 2), (c, 3)]

    order = [pk for pk, _ in numbers(topics)]
    assert org_services.topic_move(topic=topics.get(pk=order[3]), offset=-1, user=staff)
    order[2], order[3] = order[3], order[2]
    assert numbers(topics) == [(pk, n) for n, pk in enumerate(order, start=1)]


def test_a_list_numbered_from_0_or_with_gaps_is_numbered_from_1_once_moved(org, measures):
    a, b, c = [pk for pk, _ in numbers(measures)]
    measure_services.measure_move(measure=measures.get(pk=a), offset=1, user=SYSTEM)
    assert numbers(measures) == [(b, 1), (a, 2), (c, 3)]
    Measure.objects.filter(pk=c).update(order=9)
    measure_services.measure_delete(measure=measures.get(pk=a), user=SYSTEM)
    assert numbers(measures) == [(b, 1), (c, 2)]
    assert ordering.next_position(measures) == 3  # where measure_create puts the next one
    assert ordering.next_position(measures.none()) == ordering.FIRST == 1


def test_deleting_closes_the_gap(plan, topics, staff):
    projects = plan.projects.all()
    a, b, c = [pk for pk, _ in numbers(projects, "sequence")]
    project_services.project_delete(project=projects.get(pk=a), user=staff)
    assert numbers(projects, "sequence") == [(b, 1), (c, 2)]
    count = topics.count()
    org_services.topic_delete(topic=topics.order_by("order")[2], user=staff)
    assert [n for _, n in numbers(topics)] == list(range(1, count))


def test_a_move_writes_only_the_two_rows_it_swaps(plan, dimensions, staff):
    for n in range(7):
        project_services.project_create(plan=plan, name=f"โครงการที่ {n + 4}", dimension=dimensions[1],
                                     budget=Decimal("0"), q1=True, user=SYSTEM)
    projects = plan.projects.all()
    before = numbers(projects, "sequence")
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        assert ordering.move(projects.get(sequence=5), 1, siblings=projects, field="sequence")
    writes = [q["sql"] for q in queries if q["sql"].startswith("UPDATE")]
    # One row waits above the list while the other takes its place: no shift of the whole plan.
    assert len(writes) == 3
    after = dict(numbers(projects, "sequence"))
    assert [after[pk] for pk, _ in before] == [1, 2, 3, 4, 6, 5, 7, 8, 9, 10]


def test_a_move_locks_the_list_s_rows(plan):
    projects = plan.projects.all()
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        ordering.move(projects.first(), 1, siblings=projects, field="sequence")
    if connection.features.has_select_for_update:
        assert any("FOR UPDATE" in q["sql"] for q in queries)


def test_one_place_at_a_time(plan, topics, staff):
    with pytest.raises(ValidationError, match="เลื่อนได้ครั้งละหนึ่งตำแหน่ง"):
        org_services.topic_move(topic=topics.first(), offset=2, user=staff)
    with pytest.raises(ValidationError, match="เลื่อนได้ครั้งละหนึ่งตำแหน่ง"):
        project_services.project_move(project=plan.projects.first(), offset=-3, user=staff)


def test_every_domain_moves_with_the_kernel_piece(plan, topics, measures, staff, monkeypatch):
    calls = []
    real = ordering.move

    def spy(obj, offset, *, siblings, field="order"):
        calls.append((type(obj).__name__, field))
        return real(obj, offset, siblings=siblings, field=field)

    monkeypatch.setattr(ordering, "move", spy)
    project_services.project_move(project=plan.projects.first(), offset=1, user=staff)
    org_services.topic_move(topic=topics.first(), offset=1, user=staff)
    measure_services.measure_move(measure=measures.first(), offset=1, user=SYSTEM)
    assert calls == [("Project", "sequence"), ("Topic", "order"), ("Measure", "order")]
