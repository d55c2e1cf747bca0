"""Helpers of the one-submission tests: the reads list, the writes a request makes, a client per user."""

from django.test import Client

from lao_integrity.pagecache.versions import written_domains

READ = {
    "home", "healthz", "plans:detail", "plans:progress", "plans:progress_export", "plans:export", "plans:document", "plans:sheet",
    "plans:history", "plans:sheet_history",
    "plans:evidence", "plans:changes", "plans:versions", "plans:version", "plans:version_pdf", "ita:list",
    "ita:export", "ita:history", "ita:result", "ita:analysis_pdf", "ita:measures",
    "lpa:bonus_summary", "lpa:bonus_summary_pdf", "lpa:bonus_summary_xlsx",
    "ita:measure_evidence", "agreements:detail", "agreements:history", "agreements:pdf", "agreements:signed_pdf",
    "agreements:indicator_export",
    "agreements:evidence", "announcements:detail", "announcements:document", "announcements:poster",
    "jobs:list", "jobs:detail", "jobs:status", "jobs:download", "orgs:emblem", "login", "logout",
    "password_change_done", "password_reset_done", "password_reset_complete", "glossary",
    "search", "notifications:list", "obligations:organisation", "obligations:calendar", "calendar_feed",
    "ita:oit", "ita:oit_export", "lpa:index", "lpa:province", "lpa:province_export", "lpa:province_pdf",
    "lpa:history", "sitemap", "supervision:choose", "supervision:dashboard", "supervision:figure",
    # The public pages (lao_integrity/publication/web.public_view): GET and HEAD only.
    "publication:organisations", "publication:organisations_data", "publication:organisation",
    "publication:documents", "publication:sitemap_organisations", "publication:sitemap_organisation",
    "public_announcements:detail", "public_announcements:pdf", "public_plans:plan", "public_plans:plan_pdf",
    "public_plans:progress", "public_plans:progress_pdf", "public_ita:results", "public_ita:result",
    "public_ita:measures", "public_ita:measure_progress", "public_oit:years", "public_oit:year",
    "public_agreements:performance", "public_agreements:organisation",
}


def tracked_writes(queries) -> list[str]:
    """The statements that wrote to the portal's data (not the submission records or sessions)."""
    return [q["sql"][:120] for q in queries if written_domains(q["sql"])]


def client_of(user) -> Client:
    client = Client()
    client.submission_tokens = False  # this module sends its tokens itself
    client.force_login(user)
    return client
