"""Load demo data: organisations and users, then each domain app's demo (`<app>.demo.seed`)."""

from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand

from lao_integrity.announcements import demo as announcements_demo
from lao_integrity.obligations import demo as obligations_demo
from lao_integrity.orgs import demo as orgs_demo
from lao_integrity.publication import demo as publication_demo
from lao_integrity.signing import demo as signing_demo


class Command(BaseCommand):
    help = "สร้างข้อมูลตัวอย่างและผู้ใช้ตัวอย่าง (รันซ้ำได้ ไม่สร้างซ้ำ)"

    def handle(self, *args, **options):
        users = orgs_demo.seed()
        # Before anything is signed (the apps' demos sign performance agreements, the announcements'
        # demo signs announcements): the organisations that sign get a certificate, so their stored
        # signed PDFs carry a PAdES signature.
        for line in signing_demo.seed(users=users):
            self.stdout.write(line)
        for config in apps.get_app_configs():
            if config.name.startswith(("django.", "import_export", "lao_integrity")):
                continue
            try:
                module = import_module(f"{config.name}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.demo":
                    raise
                continue
            for line in module.seed(users=users):
                self.stdout.write(line)
        # Last: the plan announcement's annex needs the plan the plans app has just loaded.
        for line in announcements_demo.seed(users=users):
            self.stdout.write(line)
        # After the announcements: their signed ones are published (public pages, /public/).
        for line in publication_demo.seed(users=users):
            self.stdout.write(line)
        for line in obligations_demo.seed(users=users):
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("ข้อมูลตัวอย่างพร้อมแล้ว ผู้ใช้ตัวอย่าง (ชื่อผู้ใช้ / รหัสผ่าน):"))
        for username, password, role in orgs_demo.logins():
            self.stdout.write(f"  {username:<14} {password:<22} {role}")
