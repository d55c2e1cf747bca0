"""What the apps publish: the models whose signed records an executive can publish, and the
public sections of an organisation's page. Apps register from `AppConfig.ready()`."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.db import models


@dataclass(frozen=True)
class Publishable:
    model: type[models.Model]
    # "announcement:plan", "agreement:performance"...: the evidence kind (see PublicItem.kind).
    kind: Callable[[models.Model], str]
    is_signed: Callable[[models.Model], bool]
    title: Callable[[models.Model], str]
    # Days the document must stay public before it may be withdrawn (the plan announcement: 30).
    minimum_days: Callable[[models.Model], int] = lambda document: 0
    # The document's public page (absolute path, no login), shown to its executive once published.
    public_url: Callable[[models.Model], str] = lambda document: ""

    @property
    def subject(self) -> str:
        return self.model._meta.label_lower


_PUBLISHABLE: dict[str, Publishable] = {}


def register_publishable(model, *, kind, is_signed, title, minimum_days=None, public_url=None) -> None:
    entry = Publishable(model, kind, is_signed, title, minimum_days or (lambda document: 0),
                        public_url or (lambda document: ""))
    _PUBLISHABLE[entry.subject] = entry


def publishable(model_or_document) -> Publishable | None:
    return _PUBLISHABLE.get(model_or_document._meta.label_lower)


def publishable_for(subject: str) -> Publishable | None:
    """By the model's label ("announcements.announcement"), as the publish and withdraw URLs name it."""
    return _PUBLISHABLE.get(subject)


def publishables() -> list[Publishable]:
    return list(_PUBLISHABLE.values())


@dataclass(frozen=True)
class PublicItem:
    """One thing on an organisation's public page.

    `kind` is a stable evidence key the OIT checklist matches O-items with: "announcement:plan",
    "announcement:no_gift", "announcement:ita_measures", "announcement:agreement", "announcement:other",
    "plan" (the adopted plan and its summary table), "plan:progress:6", "plan:progress:12",
    "ita:result", "ita:measures", "ita:measure_progress", "agreement:organisation",
    "agreement:performance"."""

    kind: str
    title: str
    url: str  # the public address (no login), absolute path
    fiscal_year: int | None = None
    published_at: datetime.datetime | None = None
    pdf_url: str = ""
    extra: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    order: int
    # lister(organisation) -> the section's items, newest year first, in a fixed number of queries.
    lister: Callable[[object], Iterable[PublicItem]]


_SECTIONS: dict[str, Section] = {}


def register_section(key: str, *, title: str, order: int, lister) -> None:
    _SECTIONS[key] = Section(key, title, order, lister)


def sections() -> list[Section]:
    return sorted(_SECTIONS.values(), key=lambda section: (section.order, section.key))


# What the sections read alike while public_items lists them (see shared): one dict per listing.
_LISTING: ContextVar[dict | None] = ContextVar("public_listing", default=None)


def shared(key: str, read: Callable[[], object]):
    """`read()`, read once while public_items lists every section (several sections ask the same:
    which announcements are live); None outside a listing, where a section reads only its own
    (nothing is kept across requests)."""
    kept = _LISTING.get()
    if kept is None:
        return None
    if key not in kept:
        kept[key] = read()
    return kept[key]


def public_items(organisation, *, fiscal_year: int | None = None) -> list[tuple[Section, list[PublicItem]]]:
    """Each registered section with its items for `organisation` (of one fiscal year if given)."""
    found = []
    token = _LISTING.set({})
    try:
        for section in sections():
            items = [item for item in section.lister(organisation)
                     if fiscal_year is None or item.fiscal_year in (None, fiscal_year)]
            found.append((section, items))
    finally:
        _LISTING.reset(token)
    return found
