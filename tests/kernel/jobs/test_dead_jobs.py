"""A job whose process died (kill -9 of the worker at 2,700 of 5,000 rows) used to stay "running"
forever. Its heartbeat stops, so once the lease runs out it shows as failed, is written so, and
its owner may start it again with the same inputs, once."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from ita.models import Result
from ita.results.jobs import start_import
from lao_integrity.jobs import selectors, services
from lao_integrity.jobs.models import Job, Status
from lao_integrity.tabular import write_table

pytestmark = pytest.mark.django_db

SEED = "95.01 84.45 88.62 83.07 86.04 85.07 84.54 82.73 100 100".split()
LONG = ["รหัส อปท.", "ปีงบประมาณ", "ตัวชี้วัด", "คะแนน"]


def ita_upload(code):
    from django.core.files.uploadedfile import SimpleUploadedFile

    rows = [[code, 2566, number, score] for number, score in enumerate(SEED, start=1)]
    return SimpleUploadedFile("ita-2566.csv", write_table(LONG, rows, "csv"), content_type="text/csv")


def killed(job, *, silent_for=datetime.timedelta(minutes=10), done=2700, total=5000) -> Job:
    """The job as a worker killed mid-way leaves it: running, its last heartbeat long ago."""
    last = timezone.now() - silent_for
    Job.objects.filter(pk=job.pk).update(status=Status.RUNNING, started_at=last - datetime.timedelta(minutes=1),
                                         heartbeat_at=last, done=done, total=total)
    return Job.objects.get(pk=job.pk)


@pytest.fixture
def dead_import(staff, org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):  # never committed: stays queued
        job = start_import(user=staff, upload=ita_upload(org.code))
    return killed(job)


def test_a_job_silent_past_its_lease_shows_and_is_stored_as_failed(dead_import, staff, client_for):
    client = client_for(staff)
    listing = client.get("/jobs/").content.decode()
    assert "ไม่สำเร็จ" in listing and "กำลังทำงาน" not in listing
    stored = Job.objects.get(pk=dead_import.pk)
    assert stored.status == Status.FAILED and stored.finished_at is not None
    assert stored.message.startswith("งานหยุดทำงานโดยไม่เสร็จ") and "2,700 จาก 5,000 รายการ" in stored.message
    assert "นานเกิน 2 นาที" in stored.message

    page = client.get(f"/jobs/{dead_import.pk}/").content.decode()
    assert "งานหยุดทำงานโดยไม่เสร็จ" in page and 'id="job-restart"' in page and "เริ่มใหม่" in page
    assert "js/jobs.js" not in page  # finished: the page stops polling
    state = client.get(f"/jobs/{dead_import.pk}/status.json").json()
    assert (state["status"], state["finished"]) == ("failed", True)


def test_the_job_page_and_status_find_a_dead_job_by_themselves(dead_import, staff, client_for):
    state = client_for(staff).get(f"/jobs/{dead_import.pk}/status.json").json()
    assert (state["status"], state["label"], state["finished"]) == ("failed", "ไม่สำเร็จ", True)
    assert Job.objects.get(pk=dead_import.pk).status == Status.FAILED


def test_a_job_that_reports_in_time_stays_running(dead_import, staff, client_for):
    job = killed(dead_import, silent_for=datetime.timedelta(seconds=services.LEASE_SECONDS // 2))
    assert not services.is_dead(job)
    client_for(staff).get("/jobs/")
    client_for(staff).get(f"/jobs/{job.pk}/")
    assert Job.objects.get(pk=job.pk).status == Status.RUNNING


def test_heartbeats_keep_a_job_alive(dead_import):
    """Progress reports and the heartbeat thread's beat both move the heartbeat; a beat never
    brings back a job already recorded as failed."""
    services.Heartbeat(dead_import.pk).beat(connection)
    assert not services.is_dead(Job.objects.get(pk=dead_import.pk))
    killed(dead_import)
    services.Progress(dead_import.pk)(2800, 5000)
    job = Job.objects.get(pk=dead_import.pk)
    assert not services.is_dead(job) and job.done == 2800

    killed(dead_import)
    services.fail_dead([Job.objects.get(pk=dead_import.pk)])
    services.Heartbeat(dead_import.pk).beat(connection)
    assert Job.objects.get(pk=dead_import.pk).status == Status.FAILED


def test_claiming_a_job_writes_its_first_heartbeat(staff, org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        job = start_import(user=staff, upload=ita_upload(org.code))
    seen = {}
    original = services.registry.get("ita-import").runner

    def watching(job, report):
        seen["heartbeat_at"] = Job.objects.values_list("heartbeat_at", flat=True).get(pk=job.pk)
        return original(job, report)

    kind = services.registry.get("ita-import")
    services.registry._KINDS["ita-import"] = kind.__class__(key=kind.key, runner=watching, title=kind.title)
    try:
        assert services.job_run(job_id=job.pk) == Status.DONE
    finally:
        services.registry._KINDS["ita-import"] = kind
    assert seen["heartbeat_at"] is not None


def test_start_again_runs_the_same_job_once(dead_import, staff, org, client_for, django_capture_on_commit_callbacks):
    client = client_for(staff)
    client.get(f"/jobs/{dead_import.pk}/")
    assert not Result.objects.filter(organisation=org, fiscal_year=2566).exists()  # nothing was stored
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/jobs/{dead_import.pk}/restart/")
    new = Job.objects.exclude(pk=dead_import.pk).get(owner=staff)
    assert response.status_code == 302 and response["Location"] == f"/jobs/{new.pk}/"
    assert (new.kind, new.title, new.organisation, new.status) == (
        dead_import.kind, dead_import.title, dead_import.organisation, Status.DONE)
    assert new.params == dead_import.params and new.input_file.name != dead_import.input_file.name
    assert new.input_file.read() == Job.objects.get(pk=dead_import.pk).input_file.read()
    assert Result.objects.get(organisation=org, fiscal_year=2566).overall is not None
    old = Job.objects.get(pk=dead_import.pk)
    assert old.restarted_as == new
    page = client.get(f"/jobs/{old.pk}/").content.decode()
    assert 'id="job-restart"' not in page and f"/jobs/{new.pk}/" in page

    # A second click (or a second tab) lands on the same new job.
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(f"/jobs/{dead_import.pk}/restart/")
    assert again["Location"] == f"/jobs/{new.pk}/"
    assert Job.objects.filter(owner=staff).count() == 2


def test_the_owner_or_an_administrator_restarts_only_a_failed_job(dead_import, staff, executive, client_for,
                                                                 django_capture_on_commit_callbacks):
    # The organisation's executive does not see the staff member's job at all.
    assert client_for(executive).post(f"/jobs/{dead_import.pk}/restart/").status_code == 404
    assert client_for(staff).get(f"/jobs/{dead_import.pk}/restart/").status_code == 405  # POST only
    root = get_user_model().objects.create_superuser("t_dead_root", password="t-dead-root-pw-2569")
    page = client_for(root).get(f"/jobs/{dead_import.pk}/").content.decode()
    assert "งานหยุดทำงานโดยไม่เสร็จ" in page and 'id="job-restart"' in page
    with django_capture_on_commit_callbacks(execute=True):
        client_for(root).post(f"/jobs/{dead_import.pk}/restart/")
    new = Job.objects.get(pk=dead_import.pk).restarted_as
    assert new is not None and new.owner == staff  # the owner's job, run with the owner's rights

    done = Job.objects.create(kind="ita-export", owner=staff, title="เสร็จแล้ว", status=Status.DONE)
    response = client_for(staff).post(f"/jobs/{done.pk}/restart/", follow=True)
    assert "งานนี้เริ่มใหม่ไม่ได้" in response.content.decode()
    assert Job.objects.count() == 3


def test_a_rejected_import_is_not_offered_again(staff, client_for, dead_import):
    Job.objects.filter(pk=dead_import.pk).update(status=Status.FAILED, problems=[{"line": 5, "message": "ผิด"}])
    page = client_for(staff).get(f"/jobs/{dead_import.pk}/").content.decode()
    assert 'id="job-restart"' not in page


def test_a_dead_plan_book_job_is_not_waited_for(seeded, client_for, monkeypatch, django_capture_on_commit_callbacks):
    from plans import jobs as plan_jobs

    monkeypatch.setattr(plan_jobs, "ready_book", lambda plan: None)  # not cached: a job
    first = plan_jobs.start_book(plan=seeded.plan, user=seeded.executive)  # not committed: queued
    killed(first)
    assert selectors.active_job(seeded.executive, kind="plan-book", params={"plan": seeded.plan.pk}) is None
    second = plan_jobs.start_book(plan=seeded.plan, user=seeded.executive)
    assert second.pk != first.pk and Job.objects.get(pk=first.pk).status == Status.FAILED


def test_a_kept_jobs_list_does_not_hide_a_death(dead_import, staff, settings, monkeypatch):
    """The list is a kept page; a job dying writes nothing (no new data version), so a list that
    shows a running job is never kept: the next request renders it, finds the death and writes it."""
    from django.conf import settings as django_settings
    from django.core.cache import caches
    from django.test import Client
    from django.utils.crypto import get_random_string

    settings.PAGE_CACHE = True
    caches[django_settings.PAGE_CACHE_ALIAS].clear()
    client = Client()
    client.force_login(staff)
    client.cookies[django_settings.CSRF_COOKIE_NAME] = get_random_string(32)
    killed(dead_import, silent_for=datetime.timedelta(seconds=1))
    first = client.get("/jobs/")
    assert "X-Page-Cache" not in first and "กำลังทำงาน" in first.content.decode()
    assert "X-Page-Cache" not in client.get("/jobs/")  # rendered again, not kept
    monkeypatch.setattr(services, "LEASE_SECONDS", 0)  # its lease runs out: nothing is written
    page = client.get("/jobs/")
    assert page.get("X-Page-Cache") != "hit"
    assert "ไม่สำเร็จ" in page.content.decode() and "กำลังทำงาน" not in page.content.decode()
    assert Job.objects.get(pk=dead_import.pk).status == Status.FAILED
    # Only finished jobs listed: the list is kept again.
    client.get("/jobs/")
    assert client.get("/jobs/")["X-Page-Cache"] == "hit"
    caches[django_settings.PAGE_CACHE_ALIAS].clear()


def test_the_heartbeat_thread_beats_until_stopped(dead_import, monkeypatch):
    """A long step that reports nothing still beats: the thread writes every HEARTBEAT_SECONDS
    (here shortened) through a connection of its own, and stops with the job."""
    import time

    beats = []
    monkeypatch.setattr(services, "HEARTBEAT_SECONDS", 0.05)
    monkeypatch.setattr(services.Heartbeat, "enabled", staticmethod(lambda: True))
    monkeypatch.setattr(services.Heartbeat, "beat", lambda self, side: beats.append(side))
    heartbeat = services.Heartbeat(dead_import.pk)
    heartbeat.start()
    time.sleep(0.4)
    heartbeat.stop()
    count = len(beats)
    assert count >= 3 and all(side is not connection for side in beats)
    time.sleep(0.2)
    assert len(beats) == count


def test_the_admin_list_shows_a_dead_job_as_failed(dead_import, client_for):
    root = get_user_model().objects.create_superuser("t_dead_admin", password="t-dead-admin-pw-2569")
    response = client_for(root).get("/admin/jobs/job/")
    assert response.status_code == 200
    assert Job.objects.get(pk=dead_import.pk).status == Status.FAILED
