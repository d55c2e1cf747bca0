"""Signed announcements on the verification page (/verify/): found by the SHA-256 stored at signing."""

from __future__ import annotations

from lao_integrity.verification import registry

from . import public
from .models import Announcement, Status

SUBJECT = Announcement._meta.label_lower
# A chain of revisions longer than this is not followed further (there is none; a loop guard).
MAX_REVISIONS = 50


def revision_label(revision: int) -> str:
    return "ฉบับแรก" if revision <= 1 else f"ฉบับปรับปรุงครั้งที่ {revision - 1}"


def _newest_signed(announcement: Announcement) -> Announcement | None:
    """The last signed revision after this one (one query per revision made since)."""
    newest, current = None, announcement
    for _ in range(MAX_REVISIONS):
        following = (Announcement.objects.filter(replaces=current, status=Status.SIGNED)
                     .only("pk", "revision", "signed_at", "organisation_id").first())
        if following is None:
            break
        newest = current = following
    return newest


def _public_url(announcement: Announcement, organisation) -> str:
    """Its public page, when the public may open it (signed, published, not replaced)."""
    if public.public_announcements(organisation.pk).filter(pk=announcement.pk).exists():
        announcement.organisation = organisation
        return public.public_url(announcement)
    return ""


def _issued(announcement: Announcement) -> registry.IssuedDocument:
    organisation = announcement.organisation
    newest = _newest_signed(announcement)
    newer = None
    if newest is not None:
        newer = registry.NewerRevision(revision=revision_label(newest.revision), signed_at=newest.signed_at,
                                       public_url=_public_url(newest, organisation))
    shown = registry.publicity(SUBJECT, announcement.pk)
    state = shown.state
    return registry.IssuedDocument(
        organisation=organisation.name, organisation_code=organisation.code,
        kind=f"ประกาศ: {announcement.get_kind_display()}",
        title=f"ประกาศ{organisation.name} เรื่อง {announcement.subject_text}",
        fiscal_year=announcement.fiscal_year, revision=revision_label(announcement.revision),
        signed_at=announcement.signed_at, signer_name=announcement.signer_name,
        signer_position=announcement.signer_position,
        signer_acting=tuple(line.strip() for line in announcement.signer_acting_lines.splitlines() if line.strip()),
        publication=state, published_at=shown.published_at, withdrawn_at=shown.withdrawn_at,
        public_url=_public_url(announcement, organisation) if newest is None and state == registry.PUBLISHED else "",
        newer=newer,
    )


def issued(sha256: str) -> list[registry.IssuedDocument]:
    """The signed announcements whose stored PDF has this SHA-256 (an indexed equality)."""
    rows = (Announcement.objects.filter(status=Status.SIGNED, pdf_sha256=sha256)
            .select_related("organisation").defer("body", "annex").order_by("pk"))
    return [_issued(announcement) for announcement in rows]


def register_verification() -> None:
    registry.register_issuer("announcements", issued)
