"""Issued documents by SHA-256: each app that freezes a document with its SHA-256 (the signed
announcements, the signed performance agreements) registers a lookup from `AppConfig.ready()`;
the kernel imports no domain app."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

PUBLISHED, WITHDRAWN, NOT_PUBLISHED = "published", "withdrawn", "not_published"


@dataclass(frozen=True)
class NewerRevision:
    """A later signed revision of the same document."""

    revision: str  # as the page says it: "ฉบับปรับปรุงครั้งที่ 1"
    signed_at: datetime.datetime | None
    public_url: str = ""  # its public page when it is published, else ""


@dataclass(frozen=True)
class Publicity:
    """Whether a document is on the public pages: its newest publication, live or withdrawn."""

    state: str = NOT_PUBLISHED  # PUBLISHED, WITHDRAWN or NOT_PUBLISHED
    published_at: datetime.datetime | None = None
    withdrawn_at: datetime.datetime | None = None


def publicity(subject: str, object_id: int) -> Publicity:
    """The document's publicity from its newest publication (one query); `subject` is the model's
    label_lower, as lao_integrity.publication records it."""
    from lao_integrity.publication.models import Publication

    publication = (Publication.objects.filter(subject=subject, object_id=object_id)
                   .order_by("-published_at", "-pk").only("published_at", "withdrawn_at").first())
    if publication is None:
        return Publicity()
    return Publicity(PUBLISHED if publication.withdrawn_at is None else WITHDRAWN,
                     publication.published_at, publication.withdrawn_at)


@dataclass(frozen=True)
class IssuedDocument:
    """What the page tells about one issued file: only what the file itself prints, and whether the
    portal still stands by it (latest revision, published or withdrawn)."""

    organisation: str
    organisation_code: str
    kind: str  # "ประกาศ: นโยบายไม่รับของขวัญ (No Gift Policy)"
    title: str
    fiscal_year: int | None
    revision: str
    signed_at: datetime.datetime | None
    signer_name: str
    signer_position: str
    signer_acting: tuple[str, ...] = ()
    publication: str = NOT_PUBLISHED  # PUBLISHED, WITHDRAWN or NOT_PUBLISHED
    published_at: datetime.datetime | None = None
    withdrawn_at: datetime.datetime | None = None
    public_url: str = ""  # the document's own public page, when the public may open it
    newer: NewerRevision | None = None  # the latest signed revision after this one, if any

    @property
    def is_latest(self) -> bool:
        return self.newer is None


@dataclass(frozen=True)
class Issuer:
    key: str
    # lookup(sha256 in lower-case hex) -> the documents issued with exactly that file, in a fixed
    # few queries (an indexed equality on the stored hash).
    lookup: Callable[[str], list[IssuedDocument]]


_ISSUERS: dict[str, Issuer] = {}


def register_issuer(key: str, lookup: Callable[[str], list[IssuedDocument]]) -> None:
    _ISSUERS[key] = Issuer(key, lookup)


def issuers() -> list[Issuer]:
    return sorted(_ISSUERS.values(), key=lambda issuer: issuer.key)


def issued(sha256: str) -> list[IssuedDocument]:
    """Every registered document whose stored file has this SHA-256."""
    return [document for issuer in issuers() for document in issuer.lookup(sha256)]
