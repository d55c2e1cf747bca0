"""Backup and restore: everything (database rows and uploaded files) back into an EMPTY installation.

The backup runs in the test process against the test database (the demo plus an evidence file, an
emblem and a signature). The restore runs as an administrator would: `manage.py restore` in a
subprocess, against a fresh SQLite file database and media folder, and, when the tests themselves
run on PostgreSQL (DATABASE_URL=postgres://...), against a throwaway PostgreSQL database created
and dropped here. The restored installation is then read by `manage.py shell` and compared row
count by row count, file by file; a signed announcement's and a signed performance agreement's stored
PDFs must still verify.
"""

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from PIL import Image

from agreements.performance.models import PerformanceAgreement
from agreements.performance.selectors import signed_pdf
from lao_integrity.announcements.models import Announcement, Status
from lao_integrity.announcements.services import verified_pdf
from lao_integrity.management.commands.backup import backed_up_models, m2m_tables, referenced_files
from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.services import organisation_update_profile, person_set_signature
from lao_integrity.signing.models import SigningCertificate
from lao_integrity.signing.sealing import unseal
from plans.models import PlanCounts, ProgressStatus
from plans.progress import services as progress_services

MANAGE = Path(settings.BASE_DIR) / "manage.py"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

# Run inside the restored installation: what it holds, read through the project's own code.
INSPECT = r"""
import hashlib, json
from django.conf import settings
from django.test import Client
from django.contrib.auth import get_user_model
from lao_integrity.management.commands.backup import backed_up_models, m2m_tables, referenced_files
from lao_integrity.announcements.models import Announcement
from lao_integrity.announcements.services import verified_pdf
counts = {m._meta.label_lower: m._base_manager.count() for m in backed_up_models()}
links = {name: through._base_manager.count() for m in backed_up_models() for name, through in m2m_tables(m)}
files = {}
from django.core.files.storage import default_storage  # MEDIA_ROOT or the bucket, as the portal reads them
for name in referenced_files("default"):
    files[name] = hashlib.sha256(default_storage.open(name).read()).hexdigest() if default_storage.exists(name) else None
signed = {str(a.pk): hashlib.sha256(verified_pdf(a)).hexdigest() for a in Announcement.objects.filter(status="signed")}
from agreements.performance.models import PerformanceAgreement
from agreements.performance.selectors import signed_pdf
agreements = {str(a.pk): hashlib.sha256(signed_pdf(a)).hexdigest() for a in PerformanceAgreement.objects.exclude(pdf="")}
from lao_integrity.signing.models import SigningCertificate
from lao_integrity.signing.sealing import unseal
certificates = {c.organisation.code: [c.fingerprint_sha256, c.sealed_private_key, hashlib.sha256(unseal(c.sealed_private_key)).hexdigest()]
                for c in SigningCertificate.objects.select_related("organisation")}
from plans.models import PlanCounts  # left out of the backup, counted again by the restore's inserts
plan_counts = sorted(PlanCounts.objects.values_list("plan__organisation__code", "plan__fiscal_year", "projects", "early",
                                                    "reported_1", "reported_2", "reported_3", "reported_4"))
staff = get_user_model().objects.get(username="staff")
client = Client()
client.force_login(staff)
download = client.get(EVIDENCE_URL, HTTP_HOST="localhost")
print("RESULT:" + json.dumps({
    "counts": counts, "links": links, "files": files, "signed": signed, "agreements": agreements, "plan_counts": plan_counts, "certificates": certificates,
    "password": staff.password,
    "evidence": [download.status_code, hashlib.sha256(b"".join(download.streaming_content)).hexdigest()
                 if download.status_code == 200 else None],
}))
"""

def png_bytes(size=(120, 60)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (20, 40, 160)).save(out, "PNG")
    return out.getvalue()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manage(*args, env: dict, check=True) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, str(MANAGE), *args], env=env, capture_output=True, text=True,
                            timeout=600, cwd=settings.BASE_DIR)
    if check and result.returncode != 0:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def environment(tmp_path: Path, database_url: str, media: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(DATABASE_URL=database_url, DJANGO_MEDIA_ROOT=str(media), DJANGO_DEBUG="1",
               DJANGO_SETTINGS_MODULE="lao_integrity.settings", DJANGO_DOCUMENT_CACHE=str(tmp_path / "cache"))
    return env


@pytest.fixture
def source(seeded, tmp_path):
    """The demo with an uploaded evidence file, an emblem and a signature, backed up to one file."""
    project = seeded.plan.projects.order_by("sequence").first()
    progress_services.progress_record(project=project, quarter=1, status=ProgressStatus.DONE,
                                  evidence_file=ContentFile(PDF, name="รายงานผลการอบรม.pdf"), user=SYSTEM)
    organisation_update_profile(organisation=seeded.org, phone="054-000000",
                                emblem=ContentFile(png_bytes((300, 300)), name="garuda.png"), user=SYSTEM)
    person_set_signature(person=seeded.org.people.first(), image=ContentFile(png_bytes(), name="sig.png"), user=SYSTEM)
    archive = tmp_path / "backup.tar.gz"
    out = io.StringIO()
    call_command("backup", "-o", str(archive), stdout=out, stderr=io.StringIO())
    assert "สำรองข้อมูลแล้ว" in out.getvalue()
    media = Path(settings.MEDIA_ROOT)
    signed = Announcement.objects.filter(status=Status.SIGNED)
    assert signed.exists()
    return {
        "archive": archive,
        "counts": {m._meta.label_lower: m._base_manager.count() for m in backed_up_models()},
        "links": {name: t._base_manager.count() for m in backed_up_models() for name, t in m2m_tables(m)},
        "files": {name: sha256((media / name).read_bytes()) for name in referenced_files("default")},
        "signed": {str(a.pk): sha256(verified_pdf(a)) for a in signed},
        # The performance agreements' PDFs kept at signing (PAdES-signed in the demo) come back too.
        "agreements": {str(a.pk): sha256(signed_pdf(a)) for a in PerformanceAgreement.objects.exclude(pdf="")},
        # The sealed keys come back as they were and open with the same DJANGO_SIGNING_KEY.
        "certificates": {c.organisation.code: [c.fingerprint_sha256, c.sealed_private_key,
                                               sha256(unseal(c.sealed_private_key))]
                         for c in SigningCertificate.objects.select_related("organisation")},
        "evidence_url": f"/plans/projects/{project.pk}/progress/1/evidence/",
        "password": seeded.staff.password,
        "evidence_sha": sha256(PDF),
        "plan_counts": [list(found) for found in sorted(PlanCounts.objects.values_list(
            "plan__organisation__code", "plan__fiscal_year", "projects", "early",
            "reported_1", "reported_2", "reported_3", "reported_4"))],
    }


def test_manifest_lists_versions_counts_and_every_file(source):
    with tarfile.open(source["archive"]) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        names = set(tar.getnames())
        data = tar.extractfile("data.json").read()
    assert manifest["format"] == "lao-integrity-backup/1" and manifest["version"]
    assert manifest["migrations"]["plans"].startswith("0") and "orgs" in manifest["migrations"]
    assert manifest["counts"] == source["counts"]
    assert manifest["m2m_counts"] == source["links"]
    assert manifest["data"]["sha256"] == sha256(data)
    models = {obj["model"] for obj in json.loads(data)}
    assert not models & {"contenttypes.contenttype", "auth.permission", "sessions.session", "admin.logentry"}
    assert not any(m.startswith("axes.") for m in models)
    media = Path(settings.MEDIA_ROOT)
    for name in source["files"]:  # every referenced file, with its hash
        assert manifest["files"]["media/" + name]["sha256"] == sha256((media / name).read_bytes())
        assert "media/" + name in names
    assert oct(source["archive"].stat().st_mode & 0o777) == "0o600"  # password hashes inside


def check_restored(restored: dict, source: dict) -> None:
    assert restored["counts"] == source["counts"]
    assert restored["links"] == source["links"]
    assert restored["plan_counts"] == source["plan_counts"] and source["plan_counts"]  # counted once, not twice
    assert restored["files"] == source["files"]  # same names, same bytes
    assert restored["signed"] == source["signed"] and restored["signed"]  # signed PDFs still verify
    assert restored["agreements"] == source["agreements"] and source["agreements"]
    assert restored["certificates"] == source["certificates"] and source["certificates"]
    assert restored["password"] == source["password"]  # the same hash: the same login
    assert restored["evidence"] == [200, source["evidence_sha"]]  # served by the permission-checked view


def restore_and_inspect(tmp_path, source, database_url: str) -> dict:
    media = tmp_path / "restored-media"
    env = environment(tmp_path, database_url, media)
    # A media folder that already holds a different file of the same name is refused first.
    clash = next(iter(source["files"]))
    (media / clash).parent.mkdir(parents=True)
    (media / clash).write_bytes(b"another installation's file")
    refused = manage("restore", str(source["archive"]), env=env, check=False)
    assert refused.returncode != 0 and "มีไฟล์ชื่อเดียวกันแต่เนื้อไฟล์ต่างกัน" in refused.stderr
    (media / clash).unlink()

    restored = manage("restore", str(source["archive"]), env=env)
    assert "กู้คืนเรียบร้อย" in restored.stdout and "SHA-256 ตรงทุกไฟล์" in restored.stdout
    inspect = INSPECT.replace("EVIDENCE_URL", repr(source["evidence_url"]))
    output = manage("shell", "--no-imports", "-c", inspect, env=env).stdout
    result = json.loads(next(line for line in output.splitlines() if line.startswith("RESULT:"))[7:])

    return result


def test_restore_into_an_empty_sqlite_installation(source, tmp_path):
    url = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    check_restored(restore_and_inspect(tmp_path, source, url), source)


@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgresql")),
                    reason="PostgreSQL target only when the tests run on PostgreSQL (DATABASE_URL)")
def test_restore_into_an_empty_postgresql_database(source, tmp_path):
    import psycopg2
    from psycopg2 import sql

    params = connection.settings_dict
    name = f"lao_restore_{uuid.uuid4().hex[:12]}"
    admin = psycopg2.connect(dbname="postgres", user=params["USER"] or None, password=params["PASSWORD"] or None,
                             host=params["HOST"] or None, port=params["PORT"] or None)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        credentials = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "") + "@" \
            if params["USER"] else ""
        location = (params["HOST"] or "") + (f":{params['PORT']}" if params["PORT"] else "")
        url = f"postgres://{credentials}{location}/{name}"
        check_restored(restore_and_inspect(tmp_path, source, url), source)
    finally:
        with admin.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.close()


# --- refusals: nothing is written -----------------------------------------------------------------------


def snapshot_media() -> dict[str, str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(root)): sha256(p.read_bytes()) for p in root.rglob("*") if p.is_file()}


def test_restore_into_a_database_with_data_is_refused(source):
    before = (snapshot_media(), dict(source["counts"]))
    with pytest.raises(CommandError, match="มีข้อมูลอยู่แล้ว"):
        call_command("restore", str(source["archive"]), stdout=io.StringIO(), stderr=io.StringIO())
    assert (snapshot_media(), {m._meta.label_lower: m._base_manager.count() for m in backed_up_models()}) == before


def rewrite(source_archive: Path, target: Path, *, change=None, add=()) -> Path:
    """A copy of the archive with members changed (name -> bytes or None to drop) and raw members added."""
    change = change or {}
    with tarfile.open(source_archive) as old, tarfile.open(target, "w:gz") as new:
        for info in old.getmembers():
            data = old.extractfile(info).read()
            if info.name in change:
                if change[info.name] is None:
                    continue
                data = change[info.name]
                info.size = len(data)
            new.addfile(info, io.BytesIO(data))
        for info, data in add:
            new.addfile(info, io.BytesIO(data) if data is not None else None)
    return target


def member(name: str, data: bytes | None = b"x", *, kind=tarfile.REGTYPE, link: str = "") -> tuple:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = link
    info.size = len(data) if data is not None and kind == tarfile.REGTYPE else 0
    return info, data if kind == tarfile.REGTYPE else None


ARCHIVE_ATTACKS = [
    ("path traversal with ..", [member("media/../../../tmp/evil.txt")], "path traversal"),
    ("absolute path", [member("/tmp/evil-absolute.txt")], "path traversal"),
    ("parent folder", [member("../evil.txt")], "path traversal"),
    ("symlink to /etc/passwd", [member("media/passwd", kind=tarfile.SYMTYPE, link="/etc/passwd")], "ลิงก์"),
    ("hard link", [member("media/hard", kind=tarfile.LNKTYPE, link="data.json")], "ลิงก์"),
    ("device file", [member("media/null", kind=tarfile.CHRTYPE)], "ลิงก์หรือไฟล์พิเศษ"),
    ("file outside media/", [member("settings.py", b"DEBUG = True")], "ไม่รู้จัก"),
    ("extra file not in the manifest", [member("media/extra.pdf", PDF)], "ไม่อยู่ในรายการตรวจสอบ"),
    ("backslash name", [member("media\\..\\evil.txt")], "ชื่อไฟล์ไม่ถูกต้อง"),
]


@pytest.mark.parametrize("what, extra, answer", ARCHIVE_ATTACKS, ids=[a[0] for a in ARCHIVE_ATTACKS])
def test_crafted_archives_are_refused_before_anything_is_written(source, tmp_path, what, extra, answer):
    crafted = rewrite(source["archive"], tmp_path / "crafted.tar.gz", add=extra)
    before = snapshot_media()
    with pytest.raises(CommandError, match=answer):
        call_command("restore", str(crafted), "--media-root", str(tmp_path / "target"),
                     stdout=io.StringIO(), stderr=io.StringIO())
    assert not (tmp_path / "target").exists() and snapshot_media() == before
    assert not Path("/tmp/evil.txt").exists() and not Path("/tmp/evil-absolute.txt").exists()


def test_tampered_or_incomplete_archives_are_refused(source, tmp_path):
    with tarfile.open(source["archive"]) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        data = tar.extractfile("data.json").read()
    a_file = next(iter(manifest["files"]))
    cases = [
        ({a_file: b"changed"}, "ไม่ตรงกับ SHA-256"),
        ({"data.json": data.replace(b'"staff"', b'"staf2"')}, "ไม่ตรงกับ SHA-256"),
        ({a_file: None}, "ขาดไฟล์"),
        ({"manifest.json": None}, "ไม่พบ manifest.json"),
        ({"manifest.json": b"not json"}, "อ่าน manifest.json ไม่ได้"),
        ({"manifest.json": json.dumps({**manifest, "format": "other/9"}).encode()}, "ไม่รองรับ"),
        ({"manifest.json": json.dumps({**manifest, "migrations": {**manifest["migrations"],
                                                                   "plans": "9999_from_the_future"}}).encode()},
         "รุ่นที่ใหม่กว่า"),
    ]
    for number, (change, answer) in enumerate(cases):
        crafted = rewrite(source["archive"], tmp_path / f"t{number}.tar.gz", change=change)
        with pytest.raises(CommandError, match=answer):
            call_command("restore", str(crafted), "--media-root", str(tmp_path / "target"),
                         stdout=io.StringIO(), stderr=io.StringIO())
        assert not (tmp_path / "target").exists()
    garbage = tmp_path / "garbage.tar.gz"
    garbage.write_bytes(os.urandom(4096))
    with pytest.raises(CommandError, match="เปิดไฟล์สำรองไม่ได้"):
        call_command("restore", str(garbage), stdout=io.StringIO(), stderr=io.StringIO())


def test_backup_never_overwrites_an_existing_file(source):
    with pytest.raises(CommandError, match="อยู่แล้ว"):
        call_command("backup", "-o", str(source["archive"]), stdout=io.StringIO())


def test_backup_is_not_written_into_the_folder_it_backs_up(seeded):
    with pytest.raises(CommandError, match="อย่าเก็บไฟล์สำรองไว้ใน"):
        call_command("backup", "-o", str(Path(settings.MEDIA_ROOT) / "b.tar.gz"), stdout=io.StringIO())
    assert not (Path(settings.MEDIA_ROOT) / "b.tar.gz").exists()
