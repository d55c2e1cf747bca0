"""Helpers of the one-submission tests: the reads list, the writes a request makes, a client per user."""

from django.test import Client

from lao_integrity.pagecache.versions import written_domains

READ = {
    "home", "healthz", "plans:detail", "plans:progress", "plans:progress_export", "plans:export", "plans:document", "plans:sheet",
    "plans:evidence", "plans:changes", "plans:versions", "plans:version", "plans:version_pdf", "ita:list",
    "ita:export", "ita:history", "ita:result", "ita:analysis_pdf", "ita:measures",
    "lpa:bonus_summary", "lpa:bonus_summary_pdf", "lpa:bonus_summary_xlsx",
    "ita:measure_evidence", "agreements:detail", "agreements:pdf", "agreements:indicator_export",
    "agreements:evidence", "announcements:detail", "announcements:document", "announcements:poster",
    "jobs:list", "jobs:detail", "jobs:status", "jobs:download", "orgs:emblem", "login", "logout",
    "password_change_done", "password_reset_done", "password_reset_complete", "glossary",
    "search", "notifications:list", "obligations:organisation", "obligations:calendar", "calendar_feed",
}


def tracked_writes(queries) -> list[str]:
    """The statements that wrote to the portal's data (not the submission records or sessions)."""
    return [q["sql"][:120] for q in queries if written_domains(q["sql"])]


def client_of(user) -> Client:
    client = Client()
    client.submission_tokens = False  # this module sends its tokens itself
    client.force_login(user)
    return client
