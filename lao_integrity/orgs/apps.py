from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "lao_integrity.orgs"
    label = "orgs"
    verbose_name = "องค์กรปกครองส่วนท้องถิ่น"
    # The organisation a row of each model belongs to (None: national data), for the page cache
    # (lao_integrity/pagecache/declarations.py): one organisation's edits refresh its own pages.
    organisation_paths = {
        "Organisation": "pk",
        "Unit": "organisation",
        "Person": "organisation",
        "Membership": "organisation",
        "AuditorScope": None,  # a national or provincial reader: no one organisation's
    }
