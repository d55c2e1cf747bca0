"""Two application servers behind one address: what one writes, the other serves.

Two gunicorn instances, each with its own MEDIA_ROOT and document cache (folders of their own, as
two hosts would have), share one PostgreSQL database (a throwaway one, migrated and seeded with the
demo here), one Redis (under a key prefix of this run, flushed at the end) and one S3-compatible
bucket (moto's server on a free port). A browser-like client (cookies, CSRF tokens, one-time form
tokens taken from the pages) then
- uploads an evidence file through A and downloads the same bytes through B;
- has a kept page stored by A served by B (X-Page-Cache: hit), signs the announcement on A, and sees
  B render that page again (miss) with the new state; B serves the signed PDF whose SHA-256 is the
  one the portal recorded;
- starts the ITA results export job on A, runs it with a `db_worker` started with B's environment, and
  downloads the result through A.
On SQLite the test is skipped (one file database cannot be shared by hosts); without Redis or moto
it is skipped too, except on CI (CI=true), where their absence fails it.
"""

import hashlib
import io
import json
import os
import re
import uuid

import pytest
from django.db import connection
from pypdf import PdfReader

from .two_servers import Browser, Gunicorn, clean_env, flush_prefix, manage, messages_of, redis_client

ON_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
PDF = b"%PDF-1.4\n% two servers " + uuid.uuid4().hex.encode() + b"\n1 0 obj<</Type/Catalog>>endobj\n%%EOF\n"

# Run by `manage.py shell` against the shared database: the rows the test acts on, found through
# the kernel's own access rules (who may edit, who may approve).
FIND = r"""
import json
from django.contrib.auth import get_user_model
from lao_integrity.announcements.models import Announcement, Kind, Status
from lao_integrity.orgs import access
from plans.models import Project
users = get_user_model().objects
staff, executive = users.get(username="staff"), users.get(username="executive")
project = next(p for p in Project.objects.select_related("plan__organisation").order_by("pk")
               if access.can_edit(staff, p.plan.organisation))
announcement = next(a for a in Announcement.objects.filter(status=Status.APPROVED).order_by("pk")
                    if access.can_approve(executive, a.organisation))
from ita.models import Framework
# The emblem and the signers' signatures, uploaded through the storage (the bucket): the PDF signed
# on A must embed them, read back through the storage API (no host folder holds them).
import io
from PIL import Image
from django.core.files.base import ContentFile
from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.services import organisation_update_profile, person_set_signature
def png(size, colour):
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()
org = announcement.organisation
organisation_update_profile(organisation=org, phone=org.phone or "054-000000",
                            emblem=ContentFile(png((300, 300), (20, 40, 160)), name="emblem.png"), user=SYSTEM)
for person in org.people.all():
    person_set_signature(person=person, image=ContentFile(png((240, 80), (10, 10, 10)), name="sig.png"), user=SYSTEM)
year = Framework.objects.order_by("-fiscal_year").values_list("fiscal_year", flat=True).first()
print("FOUND:" + json.dumps({"project": project.pk, "announcement": announcement.pk, "ita_year": year}))
"""
SHA256 = r"""
import json
from lao_integrity.announcements.models import Announcement
a = Announcement.objects.get(pk=PK)
print("FOUND:" + json.dumps({"sha256": a.pdf_sha256, "name": a.pdf.name, "status": a.status}))
"""
def found(output: str) -> dict:
    return json.loads(output.split("FOUND:", 1)[1].strip().splitlines()[0])


@pytest.fixture(scope="module")
def installation(tmp_path_factory, request):
    """The shared services and two servers A and B, set up once for this module's tests; everything
    stopped, flushed and dropped after."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...): two hosts cannot share a SQLite file")
    redis_url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    redis = redis_client(redis_url)
    if redis is None:
        if ON_CI:
            pytest.fail(f"Redis does not answer at {redis_url} (CI: .ci/run starts it)")
        pytest.skip(f"Redis does not answer at {redis_url}")
    moto = request.getfixturevalue("s3_server")  # started only once the checks above pass
    s3 = moto["client"]
    bucket = f"lao-two-servers-{os.getpid()}"
    s3.create_bucket(Bucket=bucket)

    settings_dict = connection.settings_dict
    database = f"lao_two_servers_{os.getpid()}"
    server_url = (f"postgres://{settings_dict['USER']}"
                  + (f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else "")
                  + f"@{settings_dict['HOST'] or '127.0.0.1'}:{settings_dict['PORT'] or 5432}")
    prefix = f"lao-two-servers-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    shared = {**clean_env(), **moto["env"], "DJANGO_DEBUG": "1", "DATABASE_URL": f"{server_url}/{database}",
              "REDIS_URL": redis_url, "DJANGO_CACHE_KEY_PREFIX": prefix, "DJANGO_S3_BUCKET": bucket,
              "DJANGO_PAGE_CACHE": "1",
              "DJANGO_TASKS_BACKEND": "database"}
    tmp_path = tmp_path_factory.mktemp("two-servers")
    envs = {name: {**shared, "DJANGO_MEDIA_ROOT": str(tmp_path / name / "media"),
                   "DJANGO_DOCUMENT_CACHE": str(tmp_path / name / "documents")} for name in ("a", "b")}

    import psycopg2

    admin = psycopg2.connect(dbname="postgres", user=settings_dict["USER"] or None,
                             password=settings_dict["PASSWORD"] or None, host=settings_dict["HOST"] or None,
                             port=settings_dict["PORT"] or None)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{database}"')
        cursor.execute(f'CREATE DATABASE "{database}"')
    servers = []
    try:
        manage("migrate", "--noinput", "-v0", env=envs["a"])
        manage("seed_demo", env=envs["a"])
        for name in ("a", "b"):
            servers.append(Gunicorn(name, envs[name], tmp_path).start())
        yield {"a": servers[0], "b": servers[1], "envs": envs, "s3": s3, "bucket": bucket, "redis": redis,
               "prefix": prefix, "tmp": tmp_path, **found(manage("shell", "-c", FIND, env=envs["a"]))}
    finally:
        for server in servers:
            server.stop()
        flush_prefix(redis, prefix)
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        admin.close()


def without_tokens(page: str) -> str:
    return re.sub(r' value="[^"]*"', "", page)


def bucket_keys(inst) -> set[str]:
    listing = inst["s3"].list_objects_v2(Bucket=inst["bucket"])
    return {item["Key"] for item in listing.get("Contents", [])}


def local_files(inst) -> list[str]:
    return [str(p) for name in ("a", "b") for p in (inst["tmp"] / name / "media").rglob("*") if p.is_file()]


def test_uploaded_evidence_is_served_by_the_other_server(installation):
    a, b = installation["a"].base, installation["b"].base
    browser = Browser()
    browser.login(a, "staff", "staff-demo-2569")
    page = f"{a}/plans/projects/{installation['project']}/progress/2/"
    answer = browser.submit(page, page[len(a):], {"status": "done", "result": "ผ่านสองเครื่อง"},
                            files={"evidence_file": ("หลักฐาน.pdf", PDF, "application/pdf")})
    assert answer.status_code == 302, messages_of(answer.text)

    download = browser.get(f"{b}/plans/projects/{installation['project']}/progress/2/evidence/")
    assert download.status_code == 200
    assert download.content == PDF
    # The file is in the shared bucket, and neither host's folder holds it.
    assert any(key.startswith("evidence/") or "progress" in key or key.endswith(".pdf") for key in bucket_keys(installation))
    assert local_files(installation) == []


def test_a_write_on_one_server_refreshes_the_kept_page_on_the_other(installation):
    a, b = installation["a"].base, installation["b"].base
    pk = installation["announcement"]
    browser = Browser()
    browser.login(a, "executive", "executive-demo-2569")
    detail = f"/announcements/{pk}/"
    first = browser.get(a + detail)
    assert first.status_code == 200 and first.headers.get("X-Page-Cache") == "miss"
    kept = browser.get(b + detail)
    assert kept.headers.get("X-Page-Cache") == "hit", "B did not serve the page A kept: the cache is not shared"
    assert without_tokens(kept.text) == without_tokens(first.text)  # the forms' tokens are new on each page

    answer = browser.submit(a + detail, f"/announcements/{pk}/sign/", {"confirm_sign": "on"})
    assert answer.status_code == 302, messages_of(answer.text)
    shown = browser.get(a + answer.headers["Location"])  # as a browser follows it: the message is shown once, on A
    assert "ลงนามแล้ว" in messages_of(shown.text) and shown.headers.get("X-Page-Cache") is None
    after = browser.get(b + detail)
    assert after.headers.get("X-Page-Cache") == "miss", "B served the page kept before A's write"
    recorded = found(manage("shell", "-c", SHA256.replace("PK", str(pk)), env=installation["envs"]["b"]))
    assert recorded["status"] == "signed" and recorded["sha256"]
    assert re.search(rf'<code id="sha256">{recorded["sha256"]}</code>', after.text)
    assert browser.get(b + detail).headers.get("X-Page-Cache") == "hit"

    # B downloads the PDF A stored: the bytes whose SHA-256 the portal recorded at signing.
    pdf = browser.get(f"{b}/announcements/{pk}/document/")
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf", messages_of(pdf.text)
    assert hashlib.sha256(pdf.content).hexdigest() == recorded["sha256"]
    images = sum(len(page.images) for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert images >= 2, "the emblem and the signature, read from the bucket, are missing from the PDF"
    assert recorded["name"] in bucket_keys(installation)
    assert local_files(installation) == []


def test_a_job_started_on_one_server_runs_on_the_other_and_is_downloaded_on_the_first(installation):
    a = installation["a"].base
    browser = Browser()
    browser.login(a, "staff", "staff-demo-2569")
    # Every organisation's ITA results of a year as a file: the portal's background job.
    started = browser.submit(f"{a}/ita/?fiscal_year={installation['ita_year']}", "/ita/export/all/",
                             {"format": "xlsx"})
    assert started.status_code == 302 and "/jobs/" in started.headers["Location"], messages_of(started.text)
    job_page = started.headers["Location"]
    job_id = job_page.rstrip("/").rsplit("/", 1)[-1]
    assert browser.get(f"{a}/jobs/{job_id}/download/").status_code == 404  # queued, not run: no web process runs it

    manage("db_worker", "--batch", "--no-startup-delay", env=installation["envs"]["b"])
    status = browser.get(f"{a}/jobs/{job_id}/status.json").json()
    download = browser.get(f"{a}/jobs/{job_id}/download/")
    assert download.status_code == 200, status
    assert download.content.startswith(b"PK\x03\x04")  # an xlsx workbook
    assert any(key.startswith("jobs/result/") for key in bucket_keys(installation))
    assert local_files(installation) == []
