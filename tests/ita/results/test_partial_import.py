"""A file that carries part of a result (issue 13): importing `5570701,2566,3,95` used to delete
แม่สายมิตรภาพ's nine other scores, both EIT part scores and the overall 91.47 / A, and the job said
"done". Every path (the page's job, the admin, the command, the bulk writer and its per-row
reference) now updates the scores the file carries and keeps the others, and refuses a new result
that would be incomplete, naming its lines."""

import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from ita import scoring
from ita.models import Result
from ita.results import exchange, services
from ita.results.exchange import importing, writing
from lao_integrity.jobs.models import Job
from lao_integrity.orgs.access import SYSTEM
from lao_integrity.tabular import ImportRejected, write_table

MAE_SAI = "5570701"
NO_2563 = "6411201"  # the demo has its results from 2564 on
LONG = ["รหัส อปท.", "ปีงบประมาณ", "ตัวชี้วัด", "คะแนน"]
WIDE = ["รหัส อปท.", "ปีงบประมาณ", *(f"ตัวชี้วัดที่ {n}" for n in range(1, 11)), "ลำดับระดับประเทศ",
        "EIT ส่วนที่ 1", "EIT ส่วนที่ 2"]
PARTIAL = write_table(LONG, [[MAE_SAI, "2566", "3", "95"]], "csv")  # the audit's file
PUBLISHED = {n: Decimal(v) for n, v in
             enumerate("95.01 84.45 88.62 83.07 86.04 85.07 84.54 82.73 100.00 100.00".split(), start=1)}
PARTS = {"public": Decimal("87.60"), "survey": Decimal("80.62")}


def mae_sai_2566() -> Result:
    return Result.objects.get(organisation__code=MAE_SAI, fiscal_year=2566)


def state(result: Result) -> dict:
    return {
        "scores": {s.indicator.number: s.score for s in result.scores.select_related("indicator")},
        "parts": {p.part.code: p.score for p in result.part_scores.select_related("part")},
        "rank": result.rank,
        "tools": (result.iit, result.eit, result.oit),
        "overall": (result.overall, result.level, result.passed),
        "recommendations": result.recommendations.count(),
    }


def expected_after(scores: dict, parts=PARTS) -> tuple:
    result = mae_sai_2566()
    outcome = scoring.compute(services.framework_spec(result.framework), scores, parts)
    return outcome.overall, outcome.level, outcome.passed


def assert_published_intact():
    now = state(mae_sai_2566())
    assert now["scores"] == PUBLISHED
    assert now["parts"] == PARTS
    assert now["rank"] == 1175
    assert now["overall"] == (Decimal("91.47"), "A", True)
    assert now["recommendations"] > 0


def assert_partial_merged():
    now = state(mae_sai_2566())
    assert now["scores"] == {**PUBLISHED, 3: Decimal("95.00")}  # nine kept, one updated
    assert now["parts"] == PARTS  # EIT unchanged: the published part scores stay
    assert now["rank"] == 1175
    assert now["overall"] == expected_after({**PUBLISHED, 3: Decimal("95")})
    assert now["overall"][0] is not None and now["overall"][0] > Decimal("91.47")
    assert now["tools"][1:] == (Decimal("84.11"), Decimal("100.00"))
    assert now["recommendations"] > 0


@pytest.fixture
def mae_sai_staff(seeded):
    return seeded.other_staff  # staff_maesai: staff of แม่สายมิตรภาพ


@pytest.fixture
def root(db):
    return get_user_model().objects.create_superuser("t_root", password="t_root-pw-2569")


# --- the page (a background job) ------------------------------------------------------------------


def test_page_job_merges_the_partial_file_and_says_so(client_for, mae_sai_staff,
                                                      django_capture_on_commit_callbacks):
    assert_published_intact()
    client = client_for(mae_sai_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/ita/import/", {"file": SimpleUploadedFile("ita.csv", PARTIAL)})
    assert response.status_code == 302 and response["Location"].startswith("/jobs/")
    assert_partial_merged()
    page = client.get(response["Location"]).content.decode()
    assert "นำเข้าแล้ว: 1 ผลการประเมิน" in page
    assert "ปรับปรุงผลที่มีอยู่แล้ว 1 ผลการประเมินเฉพาะคะแนนที่มีในไฟล์" in page


def test_page_job_refuses_a_new_incomplete_result_and_names_the_line(client_for, root,
                                                                     django_capture_on_commit_callbacks):
    client = client_for(root)
    rows = [[MAE_SAI, "2566", "3", "95"], [NO_2563, "2563", "1", "90"], [NO_2563, "2563", "2", "91"]]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/ita/import/", {"file": SimpleUploadedFile("ita.csv", write_table(LONG, rows, "csv"))})
    job = Job.objects.get(pk=response["Location"].rstrip("/").rsplit("/", 1)[1])
    assert job.status == "failed"
    assert [p["line"] for p in job.problems] == [3]
    assert job.problems[0]["message"].startswith(
        f"ยังไม่มีผลการประเมินของ อปท. รหัส {NO_2563} ปีงบประมาณ 2563 (บรรทัดที่ 3, 4) และไฟล์มีคะแนนไม่ครบ "
        f"ขาดตัวชี้วัดที่ 3, 4, 5, 6, 7, 8, 9, 10")
    page = client.get(response["Location"]).content.decode()
    assert "ไม่ได้นำเข้า ข้อมูลเดิมไม่เปลี่ยนแปลง" in page and "ขาดตัวชี้วัดที่ 3, 4" in page
    assert not Result.objects.filter(organisation__code=NO_2563, fiscal_year=2563).exists()
    assert_published_intact()  # the first line, fine on its own, was not imported either


# --- the admin ---------------------------------------------------------------------------------------


def test_admin_import_merges_the_partial_file(client, root, seeded):
    client.force_login(root)
    response = client.post("/admin/ita/result/import/", {"file": SimpleUploadedFile("ita.csv", PARTIAL)},
                           follow=True)
    assert response.status_code == 200
    texts = [str(m) for m in response.context["messages"]]
    assert texts[0] == "นำเข้าแล้ว: 1 ผลการประเมิน (1 อปท., 1 ปีงบประมาณ)"
    assert any(t.startswith("ปรับปรุงผลที่มีอยู่แล้ว 1 ผลการประเมิน") for t in texts)
    assert_partial_merged()


def test_admin_import_refuses_a_new_incomplete_result(client, root, seeded):
    client.force_login(root)
    data = write_table(WIDE, [[NO_2563, "2563", *["90"] * 8, "", "", "", "", ""]], "csv")
    response = client.post("/admin/ita/result/import/", {"file": SimpleUploadedFile("ita.csv", data)})
    assert response.status_code == 200
    problems = [str(p) for p in response.context["problems"]]
    assert problems == [
        f"บรรทัดที่ 2: ยังไม่มีผลการประเมินของ อปท. รหัส {NO_2563} ปีงบประมาณ 2563 และไฟล์มีคะแนนไม่ครบ "
        f"ขาดตัวชี้วัดที่ 9, 10 จึงคำนวณคะแนนรวมไม่ได้: ไม่นำเข้าผลการประเมินที่ไม่ครบ "
        f"กรุณาใส่คะแนนให้ครบทุกตัวชี้วัด"]
    assert "ไม่ได้นำเข้า ข้อมูลเดิมไม่เปลี่ยนแปลง" in response.content.decode()
    assert not Result.objects.filter(organisation__code=NO_2563, fiscal_year=2563).exists()


# --- the command line ---------------------------------------------------------------------------------


def test_command_merges_the_partial_file_and_says_so(seeded, tmp_path):
    path = tmp_path / "ita.csv"
    path.write_bytes(PARTIAL)
    out = io.StringIO()
    call_command("import_ita", str(path), stdout=out)
    assert "ปรับปรุงผลที่มีอยู่แล้ว 1 ผลการประเมินเฉพาะคะแนนที่มีในไฟล์" in out.getvalue()
    assert_partial_merged()


def test_command_refuses_a_new_incomplete_result(seeded, tmp_path):
    path = tmp_path / "ita.csv"
    path.write_bytes(write_table(LONG, [[NO_2563, "2563", "1", "90"]], "csv"))
    with pytest.raises(CommandError) as excinfo:
        call_command("import_ita", str(path), stdout=io.StringIO())
    assert "บรรทัดที่ 2: ยังไม่มีผลการประเมินของ อปท. รหัส 6411201 ปีงบประมาณ 2563" in str(excinfo.value)
    assert not Result.objects.filter(organisation__code=NO_2563, fiscal_year=2563).exists()


# --- the bulk writer (national files) and its per-row reference -----------------------------------


class Rollback(Exception):
    pass


@pytest.mark.parametrize("writer", [writing.write_bulk, writing.write_per_row])
def test_both_writers_merge_a_partial_result_in_a_national_file(seeded, writer):
    """แม่สายมิตรภาพ's partial row among complete ones, as in a national file."""
    rows = [[MAE_SAI, "2566", "", "", "95", *[""] * 7, "", "", ""]]
    for code in ("5205401", "4960801"):  # stored results, replaced whole
        rows.append([code, "2566", *["88"] * 10, "", "", ""])
    rows.append([NO_2563, "2563", *["77"] * 10, "", "", ""])  # new and complete
    summary = importing.import_table(data=write_table(WIDE, rows, "csv"), filename="ita.csv", user=SYSTEM,
                               allowed_organisations=None, progress=None, writer=writer)
    assert (summary.results, summary.merged) == (4, 1)
    assert_partial_merged()
    assert Result.objects.get(organisation__code="5205401", fiscal_year=2566).overall == Decimal("88.00")
    assert Result.objects.get(organisation__code=NO_2563, fiscal_year=2563).overall == Decimal("77.00")


def test_a_rank_left_out_is_kept_and_a_rank_given_replaces_it(seeded):
    exchange.results_import(data=write_table(WIDE, [[MAE_SAI, "2566", "95.01", *[""] * 9, "", "", ""]], "csv"),
                            filename="ita.csv", user=SYSTEM)
    assert_published_intact()  # the same score again: nothing changes, rank included
    exchange.results_import(data=write_table(WIDE, [[MAE_SAI, "2566", "95.01", *[""] * 9, "1000", "", ""]], "csv"),
                            filename="ita.csv", user=SYSTEM)
    result = mae_sai_2566()
    assert result.rank == 1000 and state(result)["scores"] == PUBLISHED


def test_kept_eit_part_scores_must_still_agree(seeded):
    """Changing an EIT indicator without new part scores would leave the published parts wrong."""
    data = write_table(LONG, [[MAE_SAI, "2566", "8", "99"]], "csv")
    with pytest.raises(ImportRejected) as excinfo:
        exchange.results_import(data=data, filename="ita.csv", user=SYSTEM)
    [problem] = excinfo.value.problems
    assert problem.line == 2
    assert problem.message.startswith(f"คะแนน EIT รายส่วนที่บันทึกไว้ของ อปท. รหัส {MAE_SAI} ปีงบประมาณ 2566")
    assert "“EIT ส่วนที่ 1”" in problem.message
    assert_published_intact()

    # With new part scores that agree, the change goes in: (85.07 + 84.54 + 99) / 3 = 89.54.
    row = [MAE_SAI, "2566", *[""] * 7, "99", "", "", "", "89.54", "89.54"]
    exchange.results_import(data=write_table(WIDE, [row], "csv"), filename="ita.csv", user=SYSTEM)
    now = state(mae_sai_2566())
    assert now["parts"] == {"public": Decimal("89.54"), "survey": Decimal("89.54")}
    assert now["scores"] == {**PUBLISHED, 8: Decimal("99.00")}


def test_a_stored_incomplete_result_may_be_completed_or_updated(seeded, org):
    services.result_save(organisation=org, fiscal_year=2565, scores={n: Decimal("80") for n in range(1, 9)}, user=SYSTEM)
    summary = exchange.results_import(data=write_table(LONG, [[org.code, "2565", "1", "81"]], "csv"),
                                      filename="ita.csv", user=SYSTEM)
    assert (summary.merged, summary.incomplete) == (1, 1)
    assert "ยังมีคะแนนไม่ครบทุกตัวชี้วัด 1 ผลการประเมิน" in str(summary)
    result = Result.objects.get(organisation=org, fiscal_year=2565)
    assert result.scores.count() == 8 and result.overall is None
    exchange.results_import(data=write_table(LONG, [[org.code, "2565", "9", "90"], [org.code, "2565", "10", "90"]],
                                             "csv"), filename="ita.csv", user=SYSTEM)
    result.refresh_from_db()
    assert result.scores.count() == 10 and result.overall is not None


@pytest.mark.parametrize("path", ["page", "admin", "command"])
def test_the_published_score_again_leaves_91_47_A_intact_on_every_path(path, client_for, root, mae_sai_staff,
                                                                       tmp_path, django_capture_on_commit_callbacks):
    """The audit's one-line file with the published score of indicator 3: nothing may change."""
    data = write_table(LONG, [[MAE_SAI, "2566", "3", "88.62"]], "csv")
    if path == "page":
        with django_capture_on_commit_callbacks(execute=True):
            client_for(mae_sai_staff).post("/ita/import/", {"file": SimpleUploadedFile("ita.csv", data)})
        assert Job.objects.filter(owner=mae_sai_staff).latest("pk").status == "done"
    elif path == "admin":
        client = client_for(root)
        response = client.post("/admin/ita/result/import/", {"file": SimpleUploadedFile("ita.csv", data)})
        assert response.status_code == 302
    else:
        (tmp_path / "ita.csv").write_bytes(data)
        call_command("import_ita", str(tmp_path / "ita.csv"), stdout=io.StringIO())
    assert_published_intact()
