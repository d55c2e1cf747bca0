"""The daily reminders as a django-tasks task, for a deployment that runs `db_worker`: enqueue it
once a day (README, "Background jobs"); `manage.py send_reminders` does the same work directly."""

import datetime

from django.utils import timezone
from django_tasks import task

from lao_integrity.orgs.access import SYSTEM

from . import services


@task()
def send_reminders(day: str = "") -> str:
    today = datetime.date.fromisoformat(day) if day else timezone.localdate()
    run = services.send_reminders(today=today, user=SYSTEM)
    return f"{run.digests} digests, {run.items} items, {run.users} users"
