"""The hand-computed fixture: six organisations in two districts of one province, FY 2569, seen
on 15 March 2026 (quarter 2 of FY 2569). What each holds, and so what each figure must count:

  district เหนือ: N1 N2 N3 · district ใต้: S1 S2 S3

  plan 2569      N1 approved, 2 projects (q1, q2): progress q1 done + q2 done / q2 in progress
                 N2 approved, 1 project (q1): q1 not started, nothing for q2
                 N3 draft, 1 project (q3 only), no progress
                 S1 approved, 3 projects (q1, q1, q2): q2 in progress / not started / unable
                 S2 no plan
                 S3 approved, 2 projects (q1): q2 done + q4 done / q2 in progress + q4 done
  plan announcement 2569: N1 signed, S1 signed, S3 approved (not signed), others none
  ITA 2569: N1 A passed, N2 A passed, N3 C failed, S2 B failed, S3 AA passed, S1 none
  ITA 2568: N1 B failed, N2 C failed, N3 C failed, S1 D failed, S2 S3 none
  measures 2569 (quarterly): N1 one, deadline 31/01/2026, no progress
                             N2 one, deadline 31/01/2026, q1 and q2 done
                             S1 one, deadline 30/06/2026, no progress
                             S2 two: deadline 31/01/2026 q1 done; deadline 31/01/2026 no progress
"""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from ita.models import Framework as ItaFramework
from ita.models import LevelBand, Measure, MeasureProgress, Result
from lao_integrity.announcements.models import Announcement, Kind
from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.models import Organisation, OrgType
from lao_integrity.orgs.services import auditor_scope_set
from plans.models import Framework as PlanFramework
from plans.models import Plan, PlanStatus, Project, ProjectProgress

PROVINCE = "กำกับทดสอบ"
TODAY = datetime.date(2026, 3, 15)
YEAR = 2569
CODES = {"N1": "9610001", "N2": "9610002", "N3": "9610003", "S1": "9610004", "S2": "9610005", "S3": "9610006"}
DISTRICT = {"N": "เหนือ", "S": "ใต้"}
BANDS = [("AA", 95), ("A", 85), ("B", 75), ("C", 65), ("D", 55), ("E", 50), ("F", 0)]


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: TODAY)


def _ita_framework(year):
    framework, _ = ItaFramework.objects.get_or_create(fiscal_year=year, defaults={"name": f"ITA {year}"})
    for level, score in BANDS:
        LevelBand.objects.get_or_create(framework=framework, level=level, defaults={"min_score": Decimal(score)})
    return framework


@pytest.fixture
def area(db):
    """The six organisations by name (N1...S3)."""
    orgs = {}
    for name, code in CODES.items():
        orgs[name] = Organisation.objects.create(
            code=code, org_type=OrgType.SAO, name=f"องค์การบริหารส่วนตำบลกำกับ{name}",
            district=DISTRICT[name[0]], province=PROVINCE)
    framework = PlanFramework.objects.get(code="2566-2570")
    dimension = framework.dimensions.order_by("number").first()

    def plan(name, status, projects):
        made = Plan.objects.create(organisation=orgs[name], fiscal_year=YEAR, framework=framework, status=status)
        for sequence, (quarters, progress) in enumerate(projects, 1):
            project = Project.objects.create(plan=made, sequence=sequence, kind="activity", name=f"กิจกรรม {sequence}",
                                             dimension=dimension, **{f"q{q}": True for q in quarters})
            for quarter, status_ in progress:
                ProjectProgress.objects.create(project=project, quarter=quarter, status=status_)

    plan("N1", PlanStatus.APPROVED, [((1,), [(1, "done"), (2, "done")]), ((2,), [(2, "in_progress")])])
    plan("N2", PlanStatus.APPROVED, [((1,), [(1, "not_started")])])
    plan("N3", PlanStatus.DRAFT, [((3,), [])])
    plan("S1", PlanStatus.APPROVED, [((1,), [(2, "in_progress")]), ((1,), [(2, "not_started")]),
                                     ((2,), [(2, "unable")])])
    plan("S3", PlanStatus.APPROVED, [((1,), [(2, "done"), (4, "done")]), ((1,), [(2, "in_progress"), (4, "done")])])
    for name, status in (("N1", "signed"), ("S1", "signed"), ("S3", "approved")):
        # A signed one carries its PDF (a database constraint); its content does not matter here.
        signed = {"pdf": f"announcements/{name}.pdf", "pdf_sha256": "0" * 64} if status == "signed" else {}
        Announcement.objects.create(organisation=orgs[name], kind=Kind.PLAN, fiscal_year=YEAR, subject="ประกาศใช้แผน",
                                    body="ข้อความ", status=status, **signed)
    this, last = _ita_framework(YEAR), _ita_framework(YEAR - 1)
    for framework_, rows in ((this, [("N1", "A", True), ("N2", "A", True), ("N3", "C", False), ("S2", "B", False),
                                     ("S3", "AA", True)]),
                             (last, [("N1", "B", False), ("N2", "C", False), ("N3", "C", False), ("S1", "D", False)])):
        for name, level, passed in rows:
            Result.objects.create(organisation=orgs[name], framework=framework_, fiscal_year=framework_.fiscal_year,
                                  level=level, passed=passed, overall=Decimal(dict(BANDS)[level] + 1))
    january, june = datetime.date(2026, 1, 31), datetime.date(2026, 6, 30)

    def measure(name, deadline, done_quarters=()):
        made = Measure.objects.create(organisation=orgs[name], fiscal_year=YEAR, title=f"มาตรการของ {name}",
                                      deadline=deadline)
        for quarter in done_quarters:
            MeasureProgress.objects.create(measure=made, quarter=quarter, status="done")

    measure("N1", january)
    measure("N2", january, (1, 2))
    measure("S1", june)
    measure("S2", january, (1,))
    measure("S2", january)
    return orgs


def supervisor(username, **scope):
    user = get_user_model().objects.create_user(username)
    auditor_scope_set(user=SYSTEM, account=user, **scope)
    return user
