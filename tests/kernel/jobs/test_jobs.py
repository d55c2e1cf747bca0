"""Long jobs off the request (lao_integrity.jobs on django-tasks): the ITA import, the plan book and
the ITA export of every organisation, their pages, who may see them, and both queues: in-process
(the default, what `make run` uses) and the database queue run by `manage.py db_worker`.

Tests run inside a transaction that is never committed, so jobs (queued on commit) run inside
django_capture_on_commit_callbacks(execute=True), which plays the commit.
"""

import csv
import datetime
import io
import logging

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from ita.models import Result
from ita.results.jobs import start_import
from ita.results.selectors import visible_results
from lao_integrity.jobs import registry, services
from lao_integrity.jobs.models import Job, Status
from lao_integrity.orgs.models import Membership
from lao_integrity.tabular import write_table
from tests.support.pdf import needs_pdftotext, text_of

pytestmark = pytest.mark.django_db

SEED = "95.01 84.45 88.62 83.07 86.04 85.07 84.54 82.73 100 100".split()
LONG = ["รหัส อปท.", "ปีงบประมาณ", "ตัวชี้วัด", "คะแนน"]
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def ita_file(rows, name="ita.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, write_table(LONG, [list(r) for r in rows], "csv"), content_type="text/csv")


def seed_rows(code, year=2566):
    return [[code, year, number, score] for number, score in enumerate(SEED, start=1)]


def job_of(response) -> Job:
    pk = response["Location"].strip("/").split("/")[1]
    return Job.objects.get(pk=pk)


def finished_job(owner, *, organisation=None, days_old=0, status=Status.DONE, content=b"a,b\n") -> Job:
    job = Job(kind="ita-export", owner=owner, organisation=organisation, title="ไฟล์ทดสอบ", status=status,
              result_name="test.csv", content_type="text/csv")
    job.result_file.save("test.csv", ContentFile(content), save=False)
    job.save()
    finished = timezone.now() - datetime.timedelta(days=days_old)
    Job.objects.filter(pk=job.pk).update(finished_at=finished, created_at=finished)
    return job


# --- the ITA import page hands the file to a job -----------------------------------------------


def test_staff_import_runs_as_a_job_and_its_page_shows_the_summary(client_for, staff, org,
                                                                   django_capture_on_commit_callbacks):
    client = client_for(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/ita/import/", {"file": ita_file(seed_rows(org.code))})
    job = job_of(response)
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert (job.kind, job.owner, job.status) == ("ita-import", staff, Status.DONE)
    assert job.params["filename"] == "ita.csv" and job.input_file.name.startswith("jobs/input/")
    assert (job.done, job.total) == (1, 1)
    assert job.task_id  # the django-tasks result that ran it
    assert Result.objects.get(organisation=org, fiscal_year=2566).overall is not None
    html = client.get(response["Location"]).content.decode()
    assert "เสร็จแล้ว" in html
    assert "นำเข้าแล้ว: 1 ผลการประเมิน (1 อปท., 1 ปีงบประมาณ)" in html
    assert "js/jobs.js" not in html and 'http-equiv="refresh"' not in html  # finished: no more polling


def test_rejected_import_lists_the_lines_and_changes_nothing(client_for, staff, org,
                                                             django_capture_on_commit_callbacks):
    rows = seed_rows(org.code)
    rows[3][3] = "ร้อย"  # line 5 (the header is line 1)
    before = Result.objects.count()
    client = client_for(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/ita/import/", {"file": ita_file(rows)})
    job = job_of(response)
    assert job.status == Status.FAILED
    assert [p["line"] for p in job.problems] == [5]
    assert Result.objects.count() == before
    assert not Result.objects.filter(organisation=org).exists()
    html = client.get(response["Location"]).content.decode()
    assert "ไม่สำเร็จ" in html and "ไม่ได้นำเข้า ข้อมูลเดิมไม่เปลี่ยนแปลง พบข้อผิดพลาด 1 รายการ" in html
    assert '<td class="c">5</td><td>ตัวชี้วัดที่ 4:' in html


def test_import_page_still_checks_the_file_before_any_job(client_for, staff):
    response = client_for(staff).post("/ita/import/", {"file": SimpleUploadedFile("ita.pdf", b"%PDF-1.4")})
    assert response.status_code == 200 and "รองรับเฉพาะไฟล์ .csv และ .xlsx" in response.content.decode()
    assert not Job.objects.filter(owner=staff).exists()


# --- progress ----------------------------------------------------------------------------


def test_status_json_reports_progress(client_for, staff, org, django_capture_on_commit_callbacks):
    client = client_for(staff)
    job = start_import(user=staff, upload=ita_file(seed_rows(org.code)))  # never committed: stays queued
    url = f"/jobs/{job.pk}/status.json"
    state = client.get(url).json()
    assert state | {"text": ""} == {"status": "queued", "label": "รอคิว", "done": 0, "total": 0, "percent": None,
                                    "text": "", "finished": False, "download": None}
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "js/jobs.js" in page and '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page

    Job.objects.filter(pk=job.pk).update(status=Status.RUNNING, done=1500, total=7850)
    response = client.get(url)
    assert "no-store" in response["Cache-Control"]
    state = response.json()
    assert (state["status"], state["done"], state["total"], state["percent"]) == ("running", 1500, 7850, 19)
    assert state["text"] == "ทำแล้ว 1,500 จาก 7,850 รายการ (19%)"

    finished = finished_job(staff)
    state = client.get(f"/jobs/{finished.pk}/status.json").json()
    assert state["finished"] and state["percent"] == 100 and state["download"] == f"/jobs/{finished.pk}/download/"


def test_progress_writes_at_most_twice_a_second(staff):
    job = Job.objects.create(kind="ita-import", owner=staff, title="ทดสอบ", status=Status.RUNNING)
    report = services.Progress(job.pk)
    with CaptureQueriesContext(connection) as queries:
        for done in range(1, 1001):
            report(done, 1000)
    report.close()
    updates = [q for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 2  # the first figure and the last one
    job.refresh_from_db()
    assert (job.done, job.total) == (1000, 1000)


# --- who may see a job --------------------------------------------------------------------


def test_only_the_owner_and_administrators_see_a_job(client_for, client, staff, executive, auditor, other_staff,
                                                     org):
    job = finished_job(staff, organisation=org)
    urls = [f"/jobs/{job.pk}/", f"/jobs/{job.pk}/status.json", f"/jobs/{job.pk}/download/"]
    for user in (executive, auditor, other_staff):  # same organisation or not: not theirs
        for url in urls:
            assert client_for(user).get(url).status_code == 404, (user, url)
    for url in urls:
        assert client.get(url)["Location"].startswith("/login/")
    owner = client_for(staff)
    assert [owner.get(url).status_code for url in urls] == [200, 200, 200]
    download = owner.get(urls[2])
    assert b"".join(download.streaming_content) == b"a,b\n"
    assert 'attachment; filename="test.csv"' == download["Content-Disposition"]
    root = get_user_model().objects.create_superuser("t_jobs_root", password="t_jobs_root-pw-2569")
    assert [client_for(root).get(url).status_code for url in urls] == [200, 200, 200]
    assert len(client_for(executive).get("/jobs/").context["jobs"]) == 0
    assert list(owner.get("/jobs/").context["jobs"]) == [job]


def test_a_job_on_an_organisation_closes_when_its_owner_loses_access(client_for, staff, org):
    job = finished_job(staff, organisation=org)
    client = client_for(staff)
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 200
    Membership.objects.filter(user=staff, organisation=org).delete()
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 404
    assert client.get(f"/jobs/{job.pk}/").status_code == 404


def test_unfinished_or_failed_jobs_have_no_download(client_for, staff):
    failed = finished_job(staff, status=Status.FAILED)
    assert client_for(staff).get(f"/jobs/{failed.pk}/download/").status_code == 404


# --- the plan book --------------------------------------------------------------------------


@pytest.fixture
def book(plan, staff, executive, other_staff):
    """A plan whose announcement is not signed yet: its book is laid out by a job (a signed one is
    served from the stored signed PDF at once, as the demo's บ้านแหง 2569 is)."""
    from types import SimpleNamespace

    return SimpleNamespace(plan=plan, org=plan.organisation, staff=staff, executive=executive,
                           other_staff=other_staff)


@needs_pdftotext
def test_executive_gets_the_plan_book_through_a_job(book, client_for, monkeypatch,
                                                    django_capture_on_commit_callbacks):
    from plans import jobs as plan_jobs

    client = client_for(book.executive)
    url = f"/plans/{book.plan.pk}/documents/book/"
    with monkeypatch.context() as patched:
        patched.setattr(plan_jobs, "cached_pdf", lambda html: None)  # as if never laid out before
        with django_capture_on_commit_callbacks(execute=True):
            response = client.get(url)
    job = Job.objects.get(owner=book.executive, kind="plan-book")
    assert (job.organisation, job.params, job.status) == (book.org, {"plan": book.plan.pk}, Status.DONE)
    # Here the commit (and so the job) comes after the response: the user is sent to the job's page.
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "เสร็จแล้ว" in page and book.org.name in page and "เล่มแผนพร้อมแล้ว" in page
    assert f'href="/jobs/{job.pk}/download/"' in page
    download = client.get(f"/jobs/{job.pk}/download/")
    assert download["Content-Type"] == "application/pdf"
    assert f'filename="plan-book-{book.org.code}-2569.pdf"' in download["Content-Disposition"]
    pdf = b"".join(download.streaming_content)
    assert pdf.startswith(b"%PDF")
    assert book.org.name in text_of(pdf)
    # Laid out once: the same book is now served at once, without another job.
    again = client.get(url)
    assert again.status_code == 200 and again["Content-Type"] == "application/pdf" and again.content == pdf
    assert Job.objects.filter(owner=book.executive, kind="plan-book").count() == 1
    # Other organisations' staff still cannot start one.
    assert client_for(book.other_staff).get(url).status_code == 404


def test_a_job_done_by_the_time_it_is_started_goes_straight_to_its_file(staff):
    from lao_integrity.jobs.views import after_start

    done, failed = finished_job(staff), finished_job(staff, status=Status.FAILED)
    assert after_start(done)["Location"] == f"/jobs/{done.pk}/download/"  # in-process, outside tests
    assert after_start(failed)["Location"] == f"/jobs/{failed.pk}/"


def test_a_second_click_opens_the_plan_book_job_already_queued(book, client_for, monkeypatch):
    from plans import jobs as plan_jobs

    monkeypatch.setattr(plan_jobs, "cached_pdf", lambda html: None)
    client = client_for(book.staff)
    url = f"/plans/{book.plan.pk}/documents/book/"
    first, second = client.get(url), client.get(url)  # not committed: the job stays queued
    assert first["Location"] == second["Location"] == f"/jobs/{job_of(first).pk}/"
    page = client.get(first["Location"]).content.decode()
    assert "รอคิว" in page and 'id="job-progress"' in page


# --- the ITA export of every organisation ----------------------------------------------------------


def test_export_of_every_visible_organisation(seeded, client_for, django_capture_on_commit_callbacks):
    client = client_for(seeded.auditor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/ita/export/all/", {"fiscal_year": "2566", "format": "csv"})
    job = Job.objects.get(owner=seeded.auditor, kind="ita-export")
    assert job.status == Status.DONE, job.message
    assert response["Location"] == f"/jobs/{job.pk}/"
    download = client.get(f"/jobs/{job.pk}/download/")
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    expected = sorted(visible_results(seeded.auditor).filter(fiscal_year=2566)
                      .values_list("organisation__code", flat=True))
    assert [row[0] for row in rows[1:]] == expected and expected
    assert job.total == len(expected) and job.result_name == "ita-2566-all.csv"
    assert f"{len(expected):,} แห่ง" in job.message


def test_export_with_a_bad_year_or_format_starts_nothing(seeded, client_for):
    client = client_for(seeded.staff)
    for data in ({"fiscal_year": "2566", "format": "pdf"}, {"fiscal_year": "1999", "format": "csv"}, {}):
        response = client.post("/ita/export/all/", data)
        assert response.status_code == 302 and response["Location"] == "/ita/"
    assert not Job.objects.filter(owner=seeded.staff).exists()
    assert client.get("/ita/export/all/").status_code == 405


# --- failures -------------------------------------------------------------------------------


def test_an_unexpected_error_is_logged_not_shown(client_for, staff, monkeypatch, caplog,
                                                 django_capture_on_commit_callbacks):
    def broken(job, report):
        raise RuntimeError("secret detail from deep inside")

    monkeypatch.setitem(registry._KINDS, "broken", registry.JobKind("broken", broken, "งานทดสอบ"))
    with caplog.at_level(logging.ERROR, logger="lao_integrity.jobs.services"):
        with django_capture_on_commit_callbacks(execute=True):
            job = services.job_start(kind="broken", user=staff)
    job.refresh_from_db()
    assert job.status == Status.FAILED and job.finished_at is not None
    assert "secret" not in job.message and str(job.pk) in job.message
    assert "secret detail from deep inside" in caplog.text
    page = client_for(staff).get(f"/jobs/{job.pk}/").content.decode()
    assert "ไม่สำเร็จ" in page and "secret" not in page


# --- the database queue: queued by the page, run by db_worker --------------------------------------


def run_worker_once():
    """What `manage.py db_worker --batch` does, without its signal handlers, and without closing the
    database connection between tasks (it holds this test's transaction)."""
    worker = db_worker.Worker(queue_names=["default"], interval=0, batch=True, backend_name="default",
                              startup_delay=False, max_tasks=None, worker_id="test-worker", excluded_queue_names=[])
    original = db_worker.close_old_connections
    db_worker.close_old_connections = lambda: None
    try:
        worker.run()
    finally:
        db_worker.close_old_connections = original


def test_database_backend_queues_the_job_and_the_worker_runs_it(client_for, staff, org,
                                                                django_capture_on_commit_callbacks):
    client = client_for(staff)
    with override_settings(TASKS=DATABASE_TASKS):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/ita/import/", {"file": ita_file(seed_rows(org.code))})
        job = job_of(response)
        assert job.status == Status.QUEUED and job.started_at is None
        task = DBTaskResult.objects.get(pk=job.task_id)
        assert task.status == "READY" and task.args_kwargs == {"args": [str(job.pk)], "kwargs": {}}
        assert not Result.objects.filter(organisation=org).exists()
        assert "รอคิว" in client.get(f"/jobs/{job.pk}/").content.decode()

        run_worker_once()

    job.refresh_from_db()
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL" and task.return_value == "done"
    assert job.status == Status.DONE and job.started_at and job.finished_at
    assert Result.objects.get(organisation=org, fiscal_year=2566).overall is not None
    assert "นำเข้าแล้ว: 1 ผลการประเมิน" in client.get(f"/jobs/{job.pk}/").content.decode()


def test_default_backend_runs_jobs_in_process(settings):
    assert settings.TASKS["default"]["BACKEND"] == "django_tasks.backends.immediate.ImmediateBackend"


# --- housekeeping ----------------------------------------------------------------------------


def test_prune_jobs_deletes_old_finished_jobs_and_their_files(staff):
    old, recent = finished_job(staff, days_old=40), finished_job(staff, days_old=3)
    running = Job.objects.create(kind="ita-import", owner=staff, title="ยังทำอยู่", status=Status.RUNNING)
    Job.objects.filter(pk=running.pk).update(created_at=timezone.now() - datetime.timedelta(days=90))
    storage, name = old.result_file.storage, old.result_file.name
    assert storage.exists(name)
    out = io.StringIO()
    call_command("prune_jobs", "--days", "30", stdout=out)
    assert "ลบงานเบื้องหลัง 1 งาน" in out.getvalue()
    assert not Job.objects.filter(pk=old.pk).exists() and not storage.exists(name)
    assert set(Job.objects.filter(owner=staff)) == {recent, running}


def test_admin_shows_jobs_read_only(client_for, staff):
    job = finished_job(staff)
    root = get_user_model().objects.create_superuser("t_jobs_admin", password="t_jobs_admin-pw-2569")
    client = client_for(root)
    listing = client.get("/admin/jobs/job/")
    assert listing.status_code == 200 and "ไฟล์ทดสอบ" in listing.content.decode()
    change = client.get(f"/admin/jobs/job/{job.pk}/change/")
    assert change.status_code == 200 and 'name="_save"' not in change.content.decode()
    assert client.get("/admin/jobs/job/add/").status_code == 403


def test_the_plan_book_job_reports_its_three_steps(book):
    """HTML, layout, PDF: the job's page moves through them instead of sitting at "running"."""
    from types import SimpleNamespace

    from django.core.cache import caches

    from lao_integrity.jobs.views import progress_text
    from plans import jobs as plan_jobs

    caches["documents"].clear()  # a fresh layout, as for a plan that changed
    reports = []
    output = plan_jobs.run_plan_book(SimpleNamespace(params={"plan": book.plan.pk}, owner=book.executive),
                                     lambda done, total: reports.append((done, total)))
    assert output.content.startswith(b"%PDF")
    assert reports == [(0, 3), (1, 3), (2, 3), (3, 3)]
    running = Job(kind=plan_jobs.PLAN_BOOK, owner=book.executive, status=Status.RUNNING, done=2, total=3)
    assert progress_text(running) == "ทำแล้ว 2 จาก 3 ขั้นตอน (66%)"
