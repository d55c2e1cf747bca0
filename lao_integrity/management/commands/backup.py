"""`python manage.py backup -o FILE.tar.gz`: the whole installation in one file.

The archive holds
- data.json: `dumpdata` of every app with natural foreign keys (without what Django rebuilds
  itself: content types, permissions, sessions, the admin log, login-attempt records);
- media/...: every uploaded file (evidence, emblems, signatures, signed PDFs, job files): those
  under MEDIA_ROOT, or with DJANGO_S3_BUCKET those of the bucket (its prefix), listed and read
  through the storage API (lao_integrity/management/media.py);
- manifest.json: project version, the latest migration of each app, the row count of every model
  (and of every many-to-many table) and the SHA-256 and size of data.json and of every file.

`python manage.py restore FILE.tar.gz` puts it back into an empty installation and checks every
count and hash against the manifest. The archive contains password hashes and personal data:
keep it where only administrators can read it (it is written with mode 0600).
"""

import datetime
import hashlib
import importlib.metadata
import io
import json
import os
import tarfile
import tempfile
from collections import Counter
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder

from ..media import media_of

FORMAT = "lao-integrity-backup/1"
MANIFEST = "manifest.json"
DATA = "data.json"
MEDIA_PREFIX = "media/"
# Rebuilt by `migrate` (content types, permissions) or not worth keeping (sessions, logs, the
# page cache's data versions).
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "admin.logentry", "pagecache"]
EXCLUDED_APPS_IF_INSTALLED = ["axes"]


def excluded_labels() -> list[str]:
    labels = list(EXCLUDED)
    labels += [label for label in EXCLUDED_APPS_IF_INSTALLED if label in {c.label for c in apps.get_app_configs()}]
    # Rows the database keeps itself (a model's `kept_by_database`, its triggers): a restore
    # makes them again as it loads the rows they follow, and loading them too would count twice.
    labels += [model._meta.label_lower for model in apps.get_models() if getattr(model, "kept_by_database", False)]
    return labels


def is_excluded(model) -> bool:
    labels = excluded_labels()
    return model._meta.app_label in labels or model._meta.label_lower in labels


def backed_up_models() -> list:
    """Every concrete model whose rows go into data.json, in a stable order."""
    models = [m for m in apps.get_models() if m._meta.managed and not m._meta.proxy and not is_excluded(m)]
    return sorted(models, key=lambda m: m._meta.label_lower)


def m2m_tables(model) -> list:
    """(name, auto-created through model) of `model`'s many-to-many fields stored by dumpdata."""
    return [(f"{model._meta.label_lower}.{field.name}", field.remote_field.through)
            for field in model._meta.local_many_to_many if field.remote_field.through._meta.auto_created]


def project_version() -> str:
    try:
        return importlib.metadata.version("lao-integrity")
    except importlib.metadata.PackageNotFoundError:
        try:
            import tomllib

            with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as handle:
                return tomllib.load(handle)["project"]["version"]
        except (OSError, KeyError, ValueError):
            return "unknown"


def latest_migrations(connection) -> dict[str, str]:
    latest: dict[str, str] = {}
    for app_label, name in MigrationRecorder(connection).applied_migrations():
        if name > latest.get(app_label, ""):
            latest[app_label] = name
    return dict(sorted(latest.items()))


def counts_of(objects: list[dict]) -> tuple[dict[str, int], dict[str, int]]:
    """Rows per model and links per many-to-many table, as data.json holds them."""
    rows = Counter(obj["model"] for obj in objects)
    links: Counter = Counter()
    m2m_names = {m._meta.label_lower: [name.rsplit(".", 1)[1] for name, _ in m2m_tables(m)]
                 for m in backed_up_models()}
    for obj in objects:
        for field in m2m_names.get(obj["model"], []):
            links[f"{obj['model']}.{field}"] += len(obj["fields"].get(field) or [])
    model_counts = {m._meta.label_lower: rows.get(m._meta.label_lower, 0) for m in backed_up_models()}
    for label, count in rows.items():  # never drop a count, even of a model we did not expect
        model_counts.setdefault(label, count)
    m2m_counts = {name: links.get(name, 0) for m in backed_up_models() for name, _ in m2m_tables(m)}
    return dict(sorted(model_counts.items())), dict(sorted(m2m_counts.items()))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def thai_size(size: int) -> str:
    return f"{size / (1024 * 1024):,.1f} MB" if size >= 1024 * 1024 else f"{size:,} ไบต์"


class Command(BaseCommand):
    help = ("สำรองฐานข้อมูลทั้งหมดและไฟล์ที่อัปโหลด (MEDIA_ROOT หรือ bucket) เป็นไฟล์ .tar.gz ไฟล์เดียว "
            "พร้อมรายการตรวจสอบ (จำนวนแถว, SHA-256) กู้คืนด้วย manage.py restore")

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", required=True, help="ไฟล์ปลายทาง เช่น backup-2569-10-01.tar.gz")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="ฐานข้อมูลที่จะสำรอง (ค่าเริ่มต้น default)")
        parser.add_argument("--media-root", default=None,
                            help="โฟลเดอร์ไฟล์อัปโหลด (ค่าเริ่มต้น: ที่ระบบเก็บไฟล์ คือ MEDIA_ROOT หรือ bucket)")

    def handle(self, *args, output, database, media_root, **options):
        target = Path(output)
        if target.exists():
            raise CommandError(f"มีไฟล์ {target} อยู่แล้ว: ไม่เขียนทับไฟล์สำรองเดิม")
        if not target.parent.is_dir():
            raise CommandError(f"ไม่พบโฟลเดอร์ {target.parent}")
        media = media_of(media_root)
        if media.holds(target.parent):
            raise CommandError(f"อย่าเก็บไฟล์สำรองไว้ใน {media.label}: โฟลเดอร์นี้คือสิ่งที่กำลังสำรอง")
        connection = connections[database]

        data, migrations = self._dump(connection, database)
        objects = json.loads(data)
        model_counts, m2m_counts = counts_of(objects)

        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".backup-", suffix=".tar.gz")
        os.close(handle)
        os.chmod(temporary, 0o600)
        files: dict[str, dict] = {}
        try:
            with tarfile.open(temporary, "w:gz", format=tarfile.PAX_FORMAT) as archive:
                self._add(archive, DATA, data)
                for relative, read, mtime in media.files(self.stderr.write):
                    content = read()
                    files[MEDIA_PREFIX + relative] = {"sha256": sha256(content), "size": len(content)}
                    self._add(archive, MEDIA_PREFIX + relative, content, mtime=mtime)
                manifest = {
                    "format": FORMAT,
                    "project": "lao-integrity",
                    "version": project_version(),
                    "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
                    "database_vendor": connection.vendor,
                    "excluded": excluded_labels(),
                    "migrations": migrations,
                    "counts": model_counts,
                    "m2m_counts": m2m_counts,
                    "data": {"name": DATA, "sha256": sha256(data), "size": len(data)},
                    "files": files,
                }
                self._add(archive, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

        missing = missing_referenced_files(database, media)
        for name in missing:
            self.stderr.write(f"คำเตือน: ฐานข้อมูลอ้างถึงไฟล์ {name} แต่ไม่พบใน {media.label}")
        rows = sum(model_counts.values())
        size = sum(f["size"] for f in files.values())
        self.stdout.write(self.style.SUCCESS(
            f"สำรองข้อมูลแล้ว: {target} ({thai_size(target.stat().st_size)})\n"
            f"  ฐานข้อมูล {rows:,} แถว จาก {sum(1 for c in model_counts.values() if c):,} ตาราง, "
            f"ไฟล์อัปโหลด {len(files):,} ไฟล์ ({thai_size(size)})\n"
            f"  รุ่นโปรแกรม {manifest['version']}, migration ล่าสุด: "
            + ", ".join(f"{app} {name}" for app, name in migrations.items() if app in PROJECT_APPS)))

    def _dump(self, connection, database) -> tuple[bytes, dict[str, str]]:
        """data.json and the migration state, read in one transaction (one consistent snapshot)."""
        fd, path = tempfile.mkstemp(suffix=".json")
        os.close(fd)
        outermost = not connection.in_atomic_block  # inside a caller's transaction (a test) it is too late
        try:
            with transaction.atomic(using=database):
                if connection.vendor == "postgresql" and outermost:
                    with connection.cursor() as cursor:
                        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                migrations = latest_migrations(connection)
                call_command("dumpdata", format="json", natural_foreign=True, use_base_manager=True,
                             exclude=excluded_labels(), database=database, output=path, verbosity=0)
            return Path(path).read_bytes(), migrations
        finally:
            Path(path).unlink(missing_ok=True)

    @staticmethod
    def _add(archive: tarfile.TarFile, name: str, content: bytes, mtime: float | None = None) -> None:
        info = tarfile.TarInfo(name)
        info.size = len(content)
        info.mode = 0o600
        info.mtime = int(mtime if mtime is not None else datetime.datetime.now().timestamp())
        archive.addfile(info, io.BytesIO(content))


PROJECT_APPS = ("orgs", "announcements", "plans", "ita", "agreements")


def referenced_files(database: str) -> list[str]:
    """Names stored in every FileField/ImageField of the backed-up models."""
    from django.db.models import FileField

    names = []
    for model in backed_up_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, FileField):
                names += [n for n in model._base_manager.using(database).exclude(**{field.attname: ""})
                          .values_list(field.attname, flat=True) if n]
    return sorted(set(names))


def missing_referenced_files(database: str, media) -> list[str]:
    return [name for name in referenced_files(database) if not media.has(name)]
