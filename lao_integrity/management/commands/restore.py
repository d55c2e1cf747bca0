"""`python manage.py restore FILE.tar.gz`: an archive of `manage.py backup` into an EMPTY installation.

In this order, stopping at the first problem:
1. the archive is checked without writing anything: only manifest.json, data.json and regular
   files under media/ (no absolute names, no "..", no links or devices), each file's SHA-256 and
   size as the manifest says, no file missing or extra; migrations the code does not know refuse;
2. the database must hold no data of any organisation or user (a fresh `migrate` is fine: the
   frameworks it ships are replaced by the backup's) and the uploads' place (MEDIA_ROOT, or with
   DJANGO_S3_BUCKET the bucket, through the storage API) no different file of the same name: a
   restore never overwrites a running installation;
3. `migrate`; the media files are written (new files only); the data is loaded in one transaction
   (signed announcements and agreements keep their bytes: loading writes rows as stored, without
   their save());
   every model's row count must equal the manifest's, else nothing is kept;
4. the written files are hashed again; a Thai summary is printed.
"""

import hashlib
import json
import os
import posixpath
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.loader import MigrationLoader

from ..media import OutsideRoot, media_of
from .backup import DATA, FORMAT, MANIFEST, MEDIA_PREFIX, backed_up_models, m2m_tables, thai_size

MAX_MANIFEST_BYTES = 64 * 1024 * 1024


class Refused(CommandError):
    pass


def safe_member_name(name: str) -> str:
    """The member's name if it is a plain relative path; Refused for absolute names and "..".

    Checked on the raw name, before anything is joined to a folder."""
    if not name or "\x00" in name or "\\" in name:
        raise Refused(f"ไฟล์สำรองมีชื่อไฟล์ไม่ถูกต้อง: {name!r}")
    path = PurePosixPath(name)
    if path.is_absolute() or name.startswith("/") or ".." in path.parts or posixpath.normpath(name) != name.rstrip("/"):
        raise Refused(f"ไฟล์สำรองมีชื่อไฟล์ที่ชี้ออกนอกโฟลเดอร์ (path traversal): {name!r} ไม่กู้คืน")
    return name.rstrip("/")


def organisation_data_models() -> list:
    """Models whose rows belong to an organisation or a user: all must be empty before a restore.

    The others (frameworks, their dimensions, tools and indicators) are shipped by migrations and
    are the same in every installation; the backup's rows replace them."""
    roots = {apps.get_model("orgs", "Organisation"), apps.get_model("auth", "User"), apps.get_model("auth", "Group")}
    owned = set(roots)
    models = backed_up_models()
    changed = True
    while changed:
        changed = False
        for model in models:
            if model in owned:
                continue
            related = [f.related_model for f in [*model._meta.fields, *model._meta.many_to_many]
                       if f.is_relation and f.related_model]
            if any(r in owned for r in related):
                owned.add(model)
                changed = True
    return [m for m in models if m in owned]


class Command(BaseCommand):
    help = ("กู้คืนไฟล์สำรองจาก manage.py backup (ฐานข้อมูลและไฟล์อัปโหลด) ลงในระบบที่ยังว่าง "
            "แล้วตรวจจำนวนแถวและ SHA-256 ของทุกไฟล์เทียบกับรายการตรวจสอบ")

    def add_arguments(self, parser):
        parser.add_argument("archive", help="ไฟล์ .tar.gz จาก manage.py backup")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="ฐานข้อมูลปลายทาง (ค่าเริ่มต้น default)")
        parser.add_argument("--media-root", default=None,
                            help="โฟลเดอร์ไฟล์อัปโหลดปลายทาง (ค่าเริ่มต้น: ที่ระบบเก็บไฟล์ คือ MEDIA_ROOT หรือ bucket)")

    def handle(self, *args, archive, database, media_root, **options):
        path = Path(archive)
        if not path.is_file():
            raise CommandError(f"ไม่พบไฟล์ {archive}")
        media = media_of(media_root)
        try:
            tar = tarfile.open(path, "r:gz")
        except (tarfile.TarError, OSError, EOFError) as error:
            raise Refused(f"เปิดไฟล์สำรองไม่ได้ (ไม่ใช่ .tar.gz หรือไฟล์เสีย): {error}") from None
        with tar:
            manifest, members = self._check_archive(tar)
            self._check_migrations(manifest, database)
            self._check_database_empty(database)
            new_files = self._check_media_target(manifest, media)
            call_command("migrate", database=database, interactive=False, verbosity=0)
            self._check_database_empty(database)
            written: list = []  # what removes each file written, should anything after it fail
            try:
                for name in new_files:
                    written.append(self._write_file(tar, members[name], media))
                self._load(tar, members[DATA], manifest, database)
            except BaseException:
                for remove in written:
                    remove()
                raise
        self._verify_files(manifest, media)
        self._summary(manifest, media, database, len(new_files))

    # --- 1. the archive ------------------------------------------------------------------------------

    def _check_archive(self, tar: tarfile.TarFile) -> tuple[dict, dict[str, tarfile.TarInfo]]:
        members: dict[str, tarfile.TarInfo] = {}
        try:
            infos = tar.getmembers()
        except (tarfile.TarError, OSError, EOFError) as error:
            raise Refused(f"ไฟล์สำรองเสียหรือไม่สมบูรณ์: {error}") from None
        for info in infos:
            name = safe_member_name(info.name)
            if info.isdir() and (name + "/").startswith(MEDIA_PREFIX):
                continue
            if not info.isfile():
                raise Refused(f"ไฟล์สำรองมีลิงก์หรือไฟล์พิเศษ {info.name!r} (ยอมรับเฉพาะไฟล์ปกติ) ไม่กู้คืน")
            if name not in (MANIFEST, DATA) and not name.startswith(MEDIA_PREFIX):
                raise Refused(f"ไฟล์สำรองมีไฟล์ที่ไม่รู้จัก {name!r} ไม่กู้คืน")
            if name in members:
                raise Refused(f"ไฟล์สำรองมีไฟล์ {name!r} ซ้ำกัน ไม่กู้คืน")
            members[name] = info
        if MANIFEST not in members or DATA not in members:
            raise Refused("ไม่ใช่ไฟล์สำรองของระบบนี้: ไม่พบ manifest.json หรือ data.json")
        if members[MANIFEST].size > MAX_MANIFEST_BYTES:
            raise Refused("manifest.json ใหญ่ผิดปกติ")
        try:
            manifest = json.loads(tar.extractfile(members[MANIFEST]).read())
        except (ValueError, tarfile.TarError, OSError) as error:
            raise Refused(f"อ่าน manifest.json ไม่ได้: {error}") from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise Refused(f"ไฟล์สำรองรูปแบบ {manifest.get('format') if isinstance(manifest, dict) else '?'} "
                          f"ไม่รองรับ (ต้องเป็น {FORMAT})")
        listed = dict(manifest.get("files") or {})
        for name in listed:
            safe_member_name(name)
            if not name.startswith(MEDIA_PREFIX):
                raise Refused(f"manifest.json มีชื่อไฟล์ไม่ถูกต้อง {name!r}")
        present = {n for n in members if n.startswith(MEDIA_PREFIX)}
        if present - set(listed):
            raise Refused(f"ไฟล์สำรองมีไฟล์ที่ไม่อยู่ในรายการตรวจสอบ: {sorted(present - set(listed))[:5]}")
        if set(listed) - present:
            raise Refused(f"ไฟล์สำรองขาดไฟล์ตามรายการตรวจสอบ: {sorted(set(listed) - present)[:5]}")
        for name, expected in [(DATA, manifest.get("data") or {}), *listed.items()]:
            digest, size = self._hash_member(tar, members[name])
            if digest != expected.get("sha256") or size != expected.get("size"):
                raise Refused(f"ไฟล์ {name} ในไฟล์สำรองไม่ตรงกับ SHA-256 ในรายการตรวจสอบ (ไฟล์สำรองเสียหรือถูกแก้ไข)")
        return manifest, members

    @staticmethod
    def _hash_member(tar: tarfile.TarFile, info: tarfile.TarInfo) -> tuple[str, int]:
        digest, size = hashlib.sha256(), 0
        handle = tar.extractfile(info)
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
            size += len(chunk)
        return digest.hexdigest(), size

    # --- 2. the target ---------------------------------------------------------------------------------

    def _check_migrations(self, manifest: dict, database: str) -> None:
        loader = MigrationLoader(connections[database], ignore_no_migrations=True)
        known = set(loader.graph.nodes)
        leaves = dict(loader.graph.leaf_nodes())
        newer = [f"{app}.{name}" for app, name in (manifest.get("migrations") or {}).items()
                 if app in leaves and (app, name) not in known]
        if newer:
            raise Refused("ไฟล์สำรองมาจากโปรแกรมรุ่นที่ใหม่กว่านี้ (ไม่รู้จัก migration "
                          + ", ".join(newer) + "): ติดตั้งโปรแกรมรุ่นเดียวกับที่สำรองก่อนกู้คืน")
        older = [f"{app} {name} (โปรแกรมนี้ {leaves[app]})" for app, name in (manifest.get("migrations") or {}).items()
                 if app in leaves and leaves[app] != name]
        if older:
            self.stderr.write("คำเตือน: ไฟล์สำรองมาจากโปรแกรมรุ่นที่เก่ากว่า: " + "; ".join(older)
                              + " ถ้านำเข้าไม่ได้ ให้กู้คืนด้วยโปรแกรมรุ่นเดิมแล้วจึงอัปเกรด")

    def _check_database_empty(self, database: str) -> None:
        connection = connections[database]
        tables = set(connection.introspection.table_names())
        occupied = []
        for model in organisation_data_models():
            if model._meta.db_table in tables and model._base_manager.using(database).exists():
                occupied.append(model._meta.label)
        if occupied:
            raise Refused("ฐานข้อมูลปลายทางมีข้อมูลอยู่แล้ว (" + ", ".join(occupied[:6])
                          + (" ..." if len(occupied) > 6 else "")
                          + "): กู้คืนได้เฉพาะลงในระบบที่ว่าง สร้างฐานข้อมูลใหม่แล้วลองอีกครั้ง")

    def _check_media_target(self, manifest: dict, media) -> list[str]:
        """Names of the archive's files to write; Refused when one would replace a different file."""
        new, clashes = [], []
        for name, expected in sorted(manifest["files"].items()):
            state = self._state(media, name)
            if state is None:
                new.append(name)
            elif state != expected["sha256"]:
                clashes.append(name[len(MEDIA_PREFIX):])
        if clashes:
            raise Refused(f"โฟลเดอร์ไฟล์อัปโหลด {media.label} มีไฟล์ชื่อเดียวกันแต่เนื้อไฟล์ต่างกันอยู่แล้ว ("
                          + ", ".join(clashes[:5]) + "): กู้คืนได้เฉพาะลงในโฟลเดอร์ว่าง")
        return new

    @staticmethod
    def _state(media, name: str) -> str | None:
        try:
            return media.state(safe_member_name(name)[len(MEDIA_PREFIX):])
        except OutsideRoot:
            raise Refused(f"ไฟล์ {name!r} จะถูกเขียนออกนอก {media.label} ไม่กู้คืน") from None

    # --- 3. writing --------------------------------------------------------------------------------------

    def _write_file(self, tar: tarfile.TarFile, info: tarfile.TarInfo, media):
        try:
            return media.write(safe_member_name(info.name)[len(MEDIA_PREFIX):], tar.extractfile(info), info.mtime)
        except OutsideRoot:
            raise Refused(f"ไฟล์ {info.name!r} จะถูกเขียนออกนอก {media.label} ไม่กู้คืน") from None

    def _load(self, tar: tarfile.TarFile, info: tarfile.TarInfo, manifest: dict, database: str) -> None:
        fd, fixture = tempfile.mkstemp(suffix=".json")
        try:
            with os.fdopen(fd, "wb") as handle:
                source = tar.extractfile(info)
                while chunk := source.read(1024 * 1024):
                    handle.write(chunk)
            with transaction.atomic(using=database):
                self._clear_shipped_rows(manifest, database)
                call_command("loaddata", fixture, database=database, verbosity=0)
                problems = self._count_problems(manifest, database)
                if problems:
                    raise Refused("จำนวนแถวหลังกู้คืนไม่ตรงกับรายการตรวจสอบ ยกเลิกทั้งหมด: " + "; ".join(problems[:10]))
        finally:
            Path(fixture).unlink(missing_ok=True)

    @staticmethod
    def _clear_shipped_rows(manifest: dict, database: str) -> None:
        """Rows `migrate` put in (frameworks): the backup has its own copy of every model it lists.

        Raw deletes: no signals, so no audit-trail rows for rows that never were the installation's."""
        listed = set(manifest.get("counts") or {})
        for model in reversed(backed_up_models()):
            if model._meta.label_lower not in listed:
                continue
            for _, through in m2m_tables(model):
                through._base_manager.using(database).all()._raw_delete(database)
            model._base_manager.using(database).all()._raw_delete(database)

    @staticmethod
    def _count_problems(manifest: dict, database: str) -> list[str]:
        problems = []
        for label, expected in (manifest.get("counts") or {}).items():
            try:
                model = apps.get_model(label)
            except LookupError:
                if expected:
                    problems.append(f"{label}: ไม่มีตารางนี้ในโปรแกรมรุ่นนี้ ({expected} แถว)")
                continue
            actual = model._base_manager.using(database).count()
            if actual != expected:
                problems.append(f"{label}: {actual} แถว (ที่สำรองไว้ {expected})")
        m2m = {name: through for model in backed_up_models() for name, through in m2m_tables(model)}
        for name, expected in (manifest.get("m2m_counts") or {}).items():
            if name in m2m:
                actual = m2m[name]._base_manager.using(database).count()
                if actual != expected:
                    problems.append(f"{name}: {actual} รายการ (ที่สำรองไว้ {expected})")
        return problems

    # --- 4. after --------------------------------------------------------------------------------------

    @staticmethod
    def _verify_files(manifest: dict, media) -> None:
        bad = [name for name, expected in manifest["files"].items()
               if media.sha256(name[len(MEDIA_PREFIX):]) != expected["sha256"]]
        if bad:
            raise CommandError("ไฟล์ที่กู้คืนไม่ตรงกับ SHA-256 ในรายการตรวจสอบ: " + ", ".join(bad[:5]))

    def _summary(self, manifest: dict, media, database: str, written: int) -> None:
        from .backup import missing_referenced_files

        counts = manifest.get("counts") or {}
        files = manifest.get("files") or {}
        missing = missing_referenced_files(database, media)
        for name in missing:
            self.stderr.write(f"คำเตือน: ฐานข้อมูลอ้างถึงไฟล์ {name} แต่ไฟล์นี้ไม่อยู่ในไฟล์สำรอง")
        self.stdout.write(self.style.SUCCESS(
            f"กู้คืนเรียบร้อย: ไฟล์สำรองเมื่อ {manifest.get('created_at', '?')} "
            f"(โปรแกรมรุ่น {manifest.get('version', '?')}, ฐานข้อมูลต้นทาง {manifest.get('database_vendor', '?')})\n"
            f"  ฐานข้อมูล {sum(counts.values()):,} แถว จาก {sum(1 for c in counts.values() if c):,} ตาราง "
            f"ตรงกับรายการตรวจสอบทุกตาราง\n"
            f"  ไฟล์อัปโหลด {len(files):,} ไฟล์ ({thai_size(sum(f['size'] for f in files.values()))}) "
            f"เขียนใหม่ {written:,} ไฟล์ ลงใน {media.label} SHA-256 ตรงทุกไฟล์"))

