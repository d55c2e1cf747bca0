"""One way to import a file (issue 14): every import entry point — the import pages, the ITA page's
background job, the admin's imports and the management commands — runs the kernel's one loop
(lao_integrity.table_import), and a file with bad rows is refused whole, naming every bad line,
writing nothing. The messages are those the imports gave before they shared the loop.
"""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from agreements.performance import exchange as agreement_exchange
from agreements.performance.models import PerformanceAgreement
from ita.models import IndicatorScore, Result
from lao_integrity import table_import
from lao_integrity.orgs import exchange as org_exchange
from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.models import Organisation
from lao_integrity.orgs.services import organisations_import
from lao_integrity.tabular import ImportRejected, write_table
from lpa.models import LpaAreaScore, LpaResult
from lpa.results import layout as lpa_layout
from plans import exchange as plan_exchange
from plans import services as plan_services
from plans.models import Plan, Project

pytestmark = pytest.mark.django_db

LINE = re.compile(r"บรรทัดที่ (\d+):")
ITA_LONG = ["รหัส อปท.", "ปีงบประมาณ", "ตัวชี้วัด", "คะแนน"]


@pytest.fixture
def loops(monkeypatch):
    """The importers that went through the kernel's loop (its first step, read_rows, is called by
    import_table alone)."""
    seen = []
    read_rows = table_import.read_rows

    def spy(importer, data, filename):
        seen.append(type(importer).__name__)
        return read_rows(importer, data, filename)

    monkeypatch.setattr(table_import, "read_rows", spy)
    return seen


def admin_client() -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username="admin"))
    return client


def command(name, path, *args) -> str:
    err = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command(name, str(path), *args, stdout=io.StringIO(), stderr=err)
    return err.getvalue() + str(refused.value)


def page(client, url, data) -> str:
    response = client.post(url, data)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


# --- the bad files: lines 3 and 5 are bad, 2 and 4 good -----------------------------------------


def plan_file(name="plan.csv") -> SimpleUploadedFile:
    rows = [[1, "โครงการดี", 1, "0", "✓", "", "", "", ""], [2, "โครงการงบติดลบ", 1, "-1", "✓", "", "", "", ""],
            [3, "โครงการดีอีก", 2, "100", "✓", "", "", "", ""], [4, "โครงการมิติผิด", 7, "0", "✓", "", "", "", ""]]
    return SimpleUploadedFile(name, write_table(plan_exchange.HEADERS, rows, "csv"))


def org_file() -> SimpleUploadedFile:
    rows = [["5299811", "อบต.", "บ้านดี", "งาว", "ลำปาง"], ["5299812", "หมู่บ้าน", "บ้านผิด", "งาว", "ลำปาง"],
            ["5299813", "อบต.", "บ้านดีอีก", "งาว", "ลำปาง"], ["52998145", "อบต.", "บ้านรหัสยาว", "งาว", "ลำปาง"]]
    return SimpleUploadedFile("orgs.csv", write_table(org_exchange.HEADERS, rows, "csv"))


def ita_file(code) -> SimpleUploadedFile:
    rows = [[code, 2566, 1, "90"], [code, 2566, 2, "ร้อย"], [code, 2566, 3, "80"], ["12", 2566, 4, "80"]]
    return SimpleUploadedFile("ita.csv", write_table(ITA_LONG, rows, "csv"))


def agreement_file() -> SimpleUploadedFile:
    rows = [[1, "Integrity", "งานท้าทาย", "ก", "ร้อยละ", "", 1, 2, 3, 4, 5, 50],
            [2, "ด้านที่ไม่มี", "งานท้าทาย", "ข", "ร้อยละ", "", 1, 2, 3, 4, 5, 25],
            [3, "Integrity", "งานท้าทาย", "ค", "ร้อยละ", "", 1, 2, 3, 4, 5, 25],
            [4, "Integrity", "งานท้าทาย", "ง", "ร้อยละ", "", 1, 2, 3, 4, 5, "abc"]]
    return SimpleUploadedFile("indicators.csv", write_table(agreement_exchange.HEADERS, rows, "csv"))


def draft_agreement():
    return PerformanceAgreement.objects.filter(status="draft").order_by("pk").first()


def lpa_file(s) -> SimpleUploadedFile:
    """The LPA table with a one-row header, the demo's organisations by code; lines 3 (a score above
    full marks) and 5 (a printed total off by one) are bad."""
    def row(rank, code, got, total=None):
        scores = [60, got, "", 45, 45, "", 100, 73, "", 225, 166, "", 25, 25, ""]
        return [rank, "", "", "", "", "", code, *scores, 455, total if total is not None else got + 309, ""]
    rows = [row(1, "5205401", 52), row(2, "5570701", 61), row(3, "4960801", 50),
            row(4, "6411201", 50, total=357)]
    return SimpleUploadedFile("lpa.csv", write_table(lpa_layout.ONE_ROW_HEADER, rows, "csv"))


# --- what an import could change, before and after -----------------------------------------------


def plans_state(s):
    return (Plan.objects.count(), list(Project.objects.filter(plan=s.plan).order_by("pk")
                                       .values_list("pk", "sequence", "name", "budget", "version")))


def orgs_state(s):
    return list(Organisation.objects.order_by("pk").values_list("pk", "code", "org_type", "name", "province"))


def ita_state(s):
    return (list(Result.objects.order_by("pk").values_list("pk", "overall", "version")),
            list(IndicatorScore.objects.order_by("pk").values_list("pk", "score")))


def lpa_state(s):
    return (list(LpaResult.objects.order_by("pk").values_list("pk", "version", "data_as_of")),
            list(LpaAreaScore.objects.order_by("pk").values_list("pk", "full_marks", "score")))


def agreement_state(s):
    return list(draft_agreement().indicators.order_by("pk").values_list("pk", "order", "name", "weight"))


# --- every entry point: (importer, state, run) ; run returns the text that reports the problems ---


def _plan_new(s):
    client = Client()
    client.force_login(s.staff)
    return page(client, "/plans/import/", {"organisation": s.org.pk, "fiscal_year": "2570", "file": plan_file()})


def _ita_job(s):
    from django.test import TestCase

    from lao_integrity.jobs.models import Job

    client = Client()
    client.force_login(s.staff)
    with TestCase.captureOnCommitCallbacks(execute=True):  # the job runs once its request commits
        response = client.post("/ita/import/", {"file": ita_file(s.org.code)})
    assert response.status_code == 302
    job = Job.objects.get(pk=response["Location"].strip("/").split("/")[1])
    assert job.problems, (job.status, job.message)
    return "\n".join(f"บรรทัดที่ {p['line']}: {p['message']}" for p in job.problems)


def _as(user_attr, url, upload, **data):
    def run(s):
        client = Client()
        client.force_login(getattr(s, user_attr))
        return page(client, url(s) if callable(url) else url, {"file": upload(s), **data})
    return run


ENTRY_POINTS = {
    "plan page": ("PlanImport", plans_state,
                  _as("staff", lambda s: f"/plans/{s.plan.pk}/import/", lambda s: plan_file())),
    "new plan page": ("PlanImport", plans_state, _plan_new),
    "plan admin": ("PlanImport", plans_state,
                   lambda s: page(admin_client(), "/admin/plans/project/import/",
                                  {"file": plan_file(), "plan": f"{s.org.code} {s.plan.fiscal_year}"})),
    "import_plan command": ("PlanImport", plans_state,
                            lambda s, tmp: command("import_plan", _saved(tmp, plan_file()), "--org", s.org.code,
                                                   "--fiscal-year", "2569")),
    "organisation admin": ("OrganisationImport", orgs_state,
                           lambda s: page(admin_client(), "/admin/orgs/organisation/import/", {"file": org_file()})),
    "import_orgs command": ("OrganisationImport", orgs_state,
                            lambda s, tmp: command("import_orgs", _saved(tmp, org_file()))),
    "ITA page (a job)": ("ResultsImport", ita_state, _ita_job),
    "ITA admin": ("ResultsImport", ita_state,
                  lambda s: page(admin_client(), "/admin/ita/result/import/", {"file": ita_file(s.org.code)})),
    "import_ita command": ("ResultsImport", ita_state,
                           lambda s, tmp: command("import_ita", _saved(tmp, ita_file(s.org.code)))),
    "LPA page": ("LpaImport", lpa_state,
                 lambda s: page(admin_client(), "/lpa/import/", {"file": lpa_file(s), "fiscal_year": "2566"})),
    "import_lpa command": ("LpaImport", lpa_state,
                           lambda s, tmp: command("import_lpa", _saved(tmp, lpa_file(s)), "--fiscal-year", "2566")),
    "agreement indicators page": ("IndicatorImport", agreement_state,
                                  _as("other_staff", lambda s: f"/agreements/{draft_agreement().pk}/indicators/import/",
                                      lambda s: agreement_file())),
}


def _saved(tmp_path: Path, upload: SimpleUploadedFile) -> Path:
    path = tmp_path / upload.name
    path.write_bytes(upload.read())
    return path


@pytest.mark.parametrize("entry", list(ENTRY_POINTS))
def test_every_import_entry_point_runs_the_one_loop_and_a_bad_file_changes_nothing(entry, seeded, loops, tmp_path):
    importer, state, run = ENTRY_POINTS[entry]
    before = state(seeded)
    text = run(seeded, tmp_path) if run.__code__.co_argcount == 2 else run(seeded)
    assert loops == [importer], entry
    assert {int(n) for n in LINE.findall(text)} == {3, 5}, text
    assert state(seeded) == before


def test_every_import_entry_point_is_listed_here():
    """A new import command, upload page or admin import must be added to ENTRY_POINTS (and so go
    through the loop): the entry points are found, not only listed."""
    from django.contrib import admin

    from lao_integrity.admin_site import TableImportAdmin

    commands = sorted(p.stem for p in Path(settings.BASE_DIR).glob("*/**/management/commands/import_*.py")
                      if ".venv" not in p.parts)
    assert commands == ["import_ita", "import_lpa", "import_orgs", "import_plan"]
    assert all(f"{name} command" in ENTRY_POINTS for name in commands)
    admins = sorted(m._meta.model_name for m, a in admin.site._registry.items() if isinstance(a, TableImportAdmin))
    assert admins == ["organisation", "project", "result"]


def test_no_module_reads_or_imports_a_table_outside_the_loop():
    """Nothing else reads an uploaded table row by row, nor imports through django-import-export
    (its resources only export now)."""
    root = Path(settings.BASE_DIR)
    allowed = {root / "lao_integrity" / "table_import.py", root / "lao_integrity" / "tabular.py"}
    forbidden = re.compile(r"\bread_table\(|\bdrop_blank_rows\(|\.import_data\(|ImportExportModelAdmin|"
                           r"\bImportMixin\b|ImportExportMixin|from import_export\.forms import .*ImportForm")
    offenders = []
    for package in ("lao_integrity", "plans", "ita", "agreements", "lpa"):
        for path in (root / package).rglob("*.py"):
            if path not in allowed and "migrations" not in path.parts and forbidden.search(path.read_text()):
                offenders.append(str(path.relative_to(root)))
    assert not offenders


# --- the messages are those the imports gave before they shared the loop ---------------------------
# (each expected list was recorded from the imports as they were before, django-import-export's
# resources and the agreements' own parse_rows)

GOOD_PLAN = [[1, "โครงการอบรมคุณธรรมจริยธรรมบุคลากร", 1, "10,000.00", "", "✓", "✓", "", ""],
             [2, "มาตรการป้องกันผลประโยชน์ทับซ้อน", 2, "0.00", "✓", "", "", "", ""],
             [3, "กิจกรรมจัดเวทีประชาคม", 3, "5,000.50", "", "", "✓", "✓", "ร่วมกับกองช่าง"]]
PLAN_CASES = {
    "a bad tick": ([9, "โครงการติ๊กผิด", 1, "0", "maybe", "", "", "", ""],
                   ["ไตรมาส 1: ค่า “maybe” ไม่ถูกต้อง ใส่ ✓ หรือเว้นว่าง",
                    "ไตรมาส 1: ต้องเลือกไตรมาสที่ดำเนินการอย่างน้อย 1 ไตรมาส"]),
    "a repeated sequence": ([1, "โครงการลำดับซ้ำงบติดลบ", 1, "-1", "✓", "", "", "", ""],
                            ["งบประมาณ (บาท): งบประมาณต้องไม่ติดลบ",
                             "ลำดับ: ลำดับ 1 ซ้ำกับโครงการ “โครงการอบรมคุณธรรมจริยธรรมบุคลากร”"]),
    "three problems": ([6, "", 3, "abc", "✓", "zz", "", "", ""],
                       ["งบประมาณ (บาท): จำนวนเงินไม่ถูกต้อง: abc (กรุณากรอกเป็นตัวเลข เช่น 10,000.00)",
                        "ไตรมาส 2: ค่า “zz” ไม่ถูกต้อง ใส่ ✓ หรือเว้นว่าง", "รายการโครงการ: ช่องนี้ต้องไม่ว่าง"]),
    "sequence 0": ([0, "ศูนย์", 1, "0", "✓", "", "", "", ""], ["ลำดับ: ลำดับ “0” ต้องเป็นจำนวนเต็มตั้งแต่ 1 ขึ้นไป"]),
}


@pytest.mark.parametrize("case", list(PLAN_CASES))
def test_plan_messages_are_unchanged(plan, plan_file, case):
    bad, expected = PLAN_CASES[case]
    rows = [GOOD_PLAN[0], GOOD_PLAN[1], [""] * 9, bad, GOOD_PLAN[2]]  # the bad row is line 5
    with pytest.raises(ImportRejected) as caught:
        plan_services.plan_import(organisation=plan.organisation, fiscal_year=2569,
                                  data=plan_file(rows).read_bytes(), filename="plan.csv", user=SYSTEM)
    assert [(p.line, p.message) for p in caught.value.problems] == [(5, message) for message in expected]


def test_organisation_messages_are_unchanged(org):
    rows = [["5205404", "อบต.", "บ้านโป่ง", "งาว", "ลำปาง"], ["52O5405", "อบต.", "บ้านร้อง", "งาว", "ลำปาง"],
            ["5205406", "หมู่บ้าน", "บ้านเสด็จ", "งาว", "ลำปาง"], ["5205404", "อบต.", "บ้านโป่งใหม่", "งาว", "ลำปาง"],
            ["5205407", "อบต.", "บ้านขอ", "งาว", ""], ["5205408", "อบต.", "เทศบาลตำบลปงเตา", "งาว", "ลำปาง"],
            ["5205410", "อบต.", "แม่ตีบ", "งาว", "ลำปาง"], ["123", "เทศบาลตำบล", "เล็ก", "ก", "ข"],
            ["", "", "", "", ""], ["๕๒๐๕๔๑๑", "อบจ.", "", "ก", "ข"], ["5205412", "", "ชื่อ", "ก", "ข"],
            ["5205413", "ทต.", "ก" * 300, "ก", "ข"], [org.code, "อบต.", "ชื่อใหม่", "อำเภอใหม่", "จังหวัดใหม่"],
            ["5205414.0", "เทศบาลเมือง", "เชียงราย", "เมือง", "เชียงราย"]]
    before = orgs_state(None)
    with pytest.raises(ImportRejected) as caught:
        organisations_import(data=write_table(org_exchange.HEADERS, rows, "csv"), filename="orgs.csv", user=SYSTEM)
    types = "อบจ., เทศบาลนคร, เทศบาลเมือง, เทศบาลตำบล, อบต., กรุงเทพมหานคร, เมืองพัทยา"
    assert [(p.line, p.message) for p in caught.value.problems] == [
        (3, "รหัส: รหัส อปท. ต้องเป็นตัวเลข 7 หลัก"),
        (4, f"ประเภท: ประเภท อปท. “หมู่บ้าน” ไม่ถูกต้อง (ใช้ได้: {types})"),
        (5, "รหัส 5205404 ซ้ำกับบรรทัดที่ 2"),
        (6, "จังหวัด: ช่องนี้ต้องไม่ว่าง"),
        (7, "ชื่อ: ชื่อของ อบต. ต้องขึ้นต้นด้วย “องค์การบริหารส่วนตำบล”"),
        (11, "ชื่อ: ช่องนี้ต้องไม่ว่าง"),
        (12, f"ประเภท: ประเภท อปท. “” ไม่ถูกต้อง (ใช้ได้: {types})"),
        (13, "ชื่อ: ข้อความต้องยาวไม่เกิน 200 ตัวอักษร (ที่กรอกมี 310 ตัวอักษร)"),
    ]
    assert orgs_state(None) == before


AGREEMENT_CASES = {
    "nothing filled in": ([2, "", "", "", "", "x", "", "", "", "", "", ""],
                          ["กรุณาระบุด้าน", "กรุณาระบุประเภทงาน", "ค่าฐาน “x” ต้องเป็นตัวเลข",
                           *(f"กรุณาระบุค่าเป้าหมายระดับ {n}" for n in range(1, 6)), "กรุณาระบุน้ำหนัก"]),
    "targets out of order": ([3, "Integrity", "งานท้าทาย", "ค", "ร้อยละ", "", 1, 3, 2, 4, 5, 25],
                             ["ค่าเป้าหมายต้องเพิ่มขึ้นจากระดับ 1 ถึงระดับ 5 (ค่ายิ่งมากยิ่งดี)"]),
    "a long order": (["12345", "integrity", "3", "", "", "", 1, 2, 3, 4, 5, 200], ["ลำดับ “12345” ต้องไม่เกิน 9,999"]),
}


@pytest.mark.parametrize("case", list(AGREEMENT_CASES))
def test_agreement_messages_are_unchanged(seeded, case):
    bad, expected = AGREEMENT_CASES[case]
    agreement, before = draft_agreement(), agreement_state(seeded)
    with pytest.raises(ImportRejected) as caught:
        agreement_exchange.indicators_import(agreement=agreement, filename="x.csv", user=SYSTEM,
                                             data=write_table(agreement_exchange.HEADERS, [bad], "csv"))
    assert [(p.line, p.message) for p in caught.value.problems] == [(2, message) for message in expected]
    assert agreement_state(seeded) == before
