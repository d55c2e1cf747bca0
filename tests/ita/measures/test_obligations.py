"""The ITA obligation providers: each measure's progress per its cadence, its own deadline."""

import datetime

import pytest
from django.urls import reverse

from ita.measures import services as measure_services
from ita.models import MeasureProgress
from lao_integrity.obligations import registry
from lao_integrity.obligations.models import ObligationRule

pytestmark = pytest.mark.django_db


def items(key, org, today, year=2567):
    rule = ObligationRule.objects.get(key=key)
    return {item.key.split(":", 3)[3]: item for item in registry.get(rule.provider).items_for([org], year, rule, today)}


def test_each_measure_has_an_item_per_reporting_period(org, measures):
    qr, praise, budget, oit = (measures[name] for name in ("qr", "praise", "budget", "oit"))
    found = items("ita-measure-progress", org, datetime.date(2024, 1, 10))
    assert {key for key in found if key.startswith(f"{qr.pk}:")} == {f"{qr.pk}:q{q}" for q in (1, 2, 3, 4)}
    assert {key for key in found if key.startswith(f"{praise.pk}:")} == {f"{praise.pk}:q2", f"{praise.pk}:q4"}
    assert {key for key in found if key.startswith(f"{oit.pk}:")} == {f"{oit.pk}:q4"}
    assert len([key for key in found if key.startswith(f"{budget.pk}:")]) == 12
    first = found[f"{qr.pk}:q1"]  # quarter 1 ends 31 December 2566; reported 15 days later
    assert first.due == datetime.date(2024, 1, 15) and first.state == "due_soon"
    assert first.url == reverse("ita:measure_progress", args=[qr.pk, 1])
    assert "ไตรมาส 1" in first.title and qr.title[:20] in first.title
    october = found[f"{budget.pk}:m10"]
    assert october.due == datetime.date(2023, 11, 15) and october.state == "overdue"
    assert "เดือนตุลาคม 2566" in october.title


def test_a_quarter_reported_completes_it_a_month_needs_a_report_after_it_ends(org, measures, staff):
    qr, budget = measures["qr"], measures["budget"]
    measure_services.progress_record(measure=qr, quarter=1, user=staff, status="in_progress", result="ติดตั้งแล้ว")
    progress = measure_services.progress_record(measure=budget, quarter=1, user=staff, status="in_progress",
                                                result="เผยแพร่แล้ว")
    MeasureProgress.objects.filter(pk=progress.pk).update(updated_at=datetime.datetime(2023, 11, 5, 3, 0,
                                                                                        tzinfo=datetime.UTC))
    found = items("ita-measure-progress", org, datetime.date(2023, 12, 5))
    assert found[f"{qr.pk}:q1"].state == "done"
    assert found[f"{budget.pk}:m10"].state == "done"  # October, written on 5 November
    assert found[f"{budget.pk}:m11"].state == "due_soon"  # November not reported after it ended


def test_a_measures_own_deadline(org, measures, staff):
    qr, budget = measures["qr"], measures["budget"]
    found = items("ita-measure-deadline", org, datetime.date(2024, 4, 2))
    assert set(found) == {str(qr.pk), str(budget.pk)}  # the ones with a date
    assert found[str(budget.pk)].state == "overdue" and found[str(qr.pk)].state == "upcoming"
    measure_services.progress_record(measure=budget, quarter=2, user=staff, status="done", result="ครบ")
    assert items("ita-measure-deadline", org, datetime.date(2024, 4, 2))[str(budget.pk)].state == "done"
