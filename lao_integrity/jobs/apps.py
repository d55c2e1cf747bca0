from django.apps import AppConfig


class JobsConfig(AppConfig):
    """Long jobs (plan book PDF, national ITA import and export) run off the web request.

    The queue is django-tasks (settings.TASKS): in-process by default, the database queue with
    `manage.py db_worker` when DJANGO_TASKS_BACKEND=database. Domain apps register what a job of
    each kind does (registry.register) from their AppConfig.ready().
    """

    name = "lao_integrity.jobs"
    label = "jobs"
    verbose_name = "งานเบื้องหลัง"
    # The organisation a row of each model belongs to (None: national data), for the page cache
    # (lao_integrity/pagecache/declarations.py): one organisation's edits refresh its own pages.
    organisation_paths = {"Job": "organisation"}
