"""An announcement's public pages (no login): its text as HTML and its signed PDF as stored.
Anything not signed, not published (or withdrawn) or replaced by a signed revision is a 404."""

from __future__ import annotations

import dataclasses
import datetime

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from lao_integrity.downloads import pdf_attachment
from lao_integrity.publication import web

from . import documents, kinds, public, services
from .models import Announcement


def _public(code: str, pk: int, *, text: bool) -> Announcement:
    rows = public.public_announcements_of(code).filter(pk=pk)
    if not text:
        rows = rows.defer("body", "annex")
    announcement = rows.first()
    if announcement is None:
        raise Http404
    return announcement


def _changes_daily(announcement: Announcement) -> datetime.datetime:
    """The page says how many days ago it was published: it changes at midnight too."""
    midnight = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time()))
    return max(announcement.published_at, midnight)


@web.public_view
def announcement_page(request, code, pk):
    announcement = _public(code, pk, text=True)
    content = documents.filled(announcement)
    # A kind whose annex the domain app prints (the plan's table) shows it in the signed PDF only:
    # rebuilt from today's data it could differ from what was signed.
    annex_in_pdf = kinds.template_for(announcement.kind).annex_html is not None
    if annex_in_pdf:
        content = dataclasses.replace(content, annex_blocks=[])
    response = web.render_public("announcements/public.html", {
        "announcement": announcement, "organisation": announcement.organisation,
        "content": content, "annex_in_pdf": annex_in_pdf,
        "acting": [line for line in announcement.signer_acting_lines.splitlines() if line.strip()],
        "pdf_url": public.pdf_url(announcement),
    })
    return web.last_modified(response, _changes_daily(announcement))


@web.public_view
def announcement_pdf(request, code, pk):
    announcement = _public(code, pk, text=False)
    try:
        data = services.verified_pdf(announcement)
    except ValidationError:
        raise Http404 from None  # a file that no longer matches its signature is never shown
    filename = f"announcement-{announcement.organisation.code}-{announcement.kind}-{announcement.pk}.pdf"
    response = pdf_attachment(data, filename=filename, inline=True)
    return web.last_modified(response, announcement.published_at)
