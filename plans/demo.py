"""Demo data: อบต.บ้านแหง's FY 2569 plan as published, with the seed's defects corrected."""

import datetime
import json
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.models import Organisation, Person

from . import services
from .models import Plan, ProgressStatus
from .progress import services as progress_services
from .projects import services as project_services

DATA = Path(__file__).resolve().parent / "demo_data"
BASELINE_ROWS = 29  # rows 30-31 were added after the baseline (ตั้งต้น) was approved


def load_sheets() -> list[dict]:
    sheets = []
    for name in ("sheets_01_15.json", "sheets_16_29.json"):
        sheets.extend(json.loads((DATA / name).read_text(encoding="utf-8")))
    return sheets


def _indicator(row: dict) -> dict:
    value = row.get("target_value")
    return {"statement": row["statement"], "comparator": row.get("comparator", ""),
            "target_value": Decimal(value) if value not in (None, "") else None, "unit": row.get("unit", "")}


def _steps(nodes: list[dict], level: int = 1) -> list[dict]:
    flat = []
    for node in nodes:
        flat.append({"text": node["text"], "level": level})
        flat.extend(_steps(node.get("children", []), level + 1))
    return flat


@transaction.atomic
def seed_ban_haeng(*, executive_user) -> Plan:
    org = Organisation.objects.get(code="5205401")
    existing = Plan.objects.filter(organisation=org, fiscal_year=2569).first()
    if existing:
        return existing
    csv_bytes = (DATA / "ban_haeng_2569.csv").read_bytes()
    lines = csv_bytes.decode("utf-8").splitlines(keepends=True)
    baseline = "".join(lines[: BASELINE_ROWS + 1]).encode("utf-8")
    plan = services.plan_import(organisation=org, fiscal_year=2569, data=baseline, filename="baseline.csv", user=SYSTEM)
    services.plan_approve(plan=plan, user=executive_user)
    # The revision: the full file adds rows 30-31, marked *1 and *2.
    plan = services.plan_import(organisation=org, fiscal_year=2569, data=csv_bytes, filename="ban_haeng_2569.csv", user=SYSTEM)
    for project in plan.projects.filter(is_added=True):
        project_services.project_update(project=project, added_note="เพิ่มเติมหลังแผนตั้งต้น (ฉบับปรับปรุง ครั้งที่ 1)", user=SYSTEM)
    services.plan_approve(plan=plan, user=executive_user)
    plan.refresh_from_db()

    projects = {p.sequence: p for p in plan.projects.all()}
    for sheet in load_sheets():
        project = projects[sheet["project_seq"]]
        if Decimal(sheet["budget_amount"]) != project.budget:
            raise ValueError(f"sheet {sheet['seed_sheet']}: budget differs from the table")
        project_services.detail_sheet_save(
            project=project,
            rationale="\n\n".join(sheet["rationale"]),
            # As the seed prints them; the service keeps what equals the plan's own text blank.
            duration=sheet["duration"],
            budget_note=sheet["budget_note"],
            responsible=sheet["responsible"],
            objectives=sheet["objectives"],
            target_groups=[{"description": g["description"], "count": g["count"], "unit": g["unit"]}
                           for g in sheet["target_groups"]],
            steps=_steps(sheet["method_steps"]),
            outputs=[_indicator(i) for i in sheet["outputs"]],
            outcomes=[_indicator(i) for i in sheet["outcomes"]], user=SYSTEM,
        )
    issuer = Person.objects.filter(organisation=org, first_name="สุกัญญา").first()
    services.plan_update(plan=plan, data_as_of=datetime.date(2026, 4, 20), issuer=issuer, user=SYSTEM)
    # Quarter 1 was reported done for the projects planned in it.
    for project in plan.projects.filter(q1=True):
        progress_services.progress_record(project=project, quarter=1, status=ProgressStatus.DONE,
                                 result="ดำเนินการตามแผนแล้ว", user=SYSTEM)
    return plan


def seed(*, users: dict) -> list[str]:
    plan = seed_ban_haeng(executive_user=users["executive"])
    return [f"แผน {plan.fiscal_year} {plan.organisation.name}: {plan.projects.count()} โครงการ"]
