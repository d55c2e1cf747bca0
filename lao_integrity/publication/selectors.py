"""Reads of publications."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import QuerySet

from lao_integrity.orgs.models import Organisation
from lao_integrity.statements import Statement

from . import registry
from .models import Publication

CODE = re.compile(r"\d{7}")


def live(model, ids) -> dict[int, Publication]:
    """The live publication of each of `ids` (records of `model`) that is published: one query."""
    ids = list(ids)
    if not ids:
        return {}
    rows = Publication.objects.filter(subject=model._meta.label_lower, object_id__in=ids, withdrawn_at=None)
    return {row.object_id: row for row in rows}


# Compiled once (lao_integrity/statements.py): the public page reads them on every request.
_LIVE = Statement(lambda organisation_id: Publication.objects.filter(organisation_id=organisation_id, withdrawn_at=None))
_ORGANISATION = Statement(lambda code: Organisation.objects.filter(code=code).order_by()[:1].only(
    "code", "name", "org_type", "district", "province"))


def live_for_organisation(model, organisation_id) -> dict[int, Publication]:
    """Every live publication of `model`'s records of one organisation, by record key: one query;
    while its public page lists its sections, one for every model (registry.shared)."""
    subject = model._meta.label_lower
    every = registry.shared(f"publication:live:{organisation_id}", lambda: _LIVE.objects(organisation_id))
    if every is not None:
        return {row.object_id: row for row in every if row.subject == subject}
    rows = Publication.objects.filter(subject=subject, organisation_id=organisation_id, withdrawn_at=None)
    return {row.object_id: row for row in rows}


def of(document) -> Publication | None:
    """The live publication of one document, or None: one query."""
    return Publication.objects.filter(subject=document._meta.label_lower, object_id=document.pk,
                                      withdrawn_at=None).first()


def history(document) -> list[Publication]:
    return list(Publication.objects.filter(subject=document._meta.label_lower, object_id=document.pk)
                .select_related("published_by", "withdrawn_by").order_by("published_at", "pk"))


@dataclass(frozen=True)
class Publishing:
    """What a document's publish box shows of one of its publications (acts.box)."""

    published_at: object
    withdrawn_at: object
    withdraw_reason: str

    @property
    def live(self) -> bool:
        return self.withdrawn_at is None


_BOX_HISTORY = Statement(lambda subject, object_id: (
    Publication.objects.filter(subject=subject, object_id=object_id)
    .order_by("published_at", "pk").values_list("published_at", "withdrawn_at", "withdraw_reason")))


def box_history(document) -> list[Publishing]:
    """The document's publications, oldest first, as the publish box reads them: values, no join
    to the users (one query, compiled once; a model instance with its two users cost more than the
    box, issue 19)."""
    return [Publishing(*row) for row in _BOX_HISTORY.rows(document._meta.label_lower, document.pk)]


# --- the public pages ------------------------------------------------------------------------

PER_PAGE = 50


@dataclass(frozen=True)
class Window:
    """One page of a list read without counting it: `per_page + 1` rows tell whether there is a next."""

    rows: list
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def page_number(text) -> int:
    try:
        return max(1, min(int(text), 10_000))
    except (TypeError, ValueError):
        return 1


def window(queryset, number: int, per_page: int = PER_PAGE) -> Window:
    start = (number - 1) * per_page
    rows = list(queryset[start:start + per_page + 1])
    return Window(rows[:per_page], number, len(rows) > per_page)


def organisations(*, name: str = "", district: str = "", province: str = "") -> QuerySet[Organisation]:
    """Organisations matching each part given (any part of the name or district; the province
    exactly), in the order of an index (province, name, code): a page is read, never sorted in full."""
    rows = Organisation.objects.only("code", "name", "org_type", "district", "province")
    if name:
        rows = rows.filter(name__icontains=name)
    if district:
        rows = rows.filter(district__icontains=district)
    if province:
        rows = rows.filter(province=province)
    return rows.order_by("province", "name", "code")


def provinces() -> list[str]:
    return list(Organisation.objects.order_by("province").values_list("province", flat=True).distinct())


def organisation(code: str) -> Organisation | None:
    """The organisation with this 7-digit code (one query), or None."""
    if not CODE.fullmatch(code or ""):
        return None
    found = _ORGANISATION.objects(code)  # the code is unique: no order
    return found[0] if found else None


def by_year(items) -> list[tuple[int | None, list]]:
    """A section's items grouped by fiscal year, newest first; those of no year last."""
    groups: dict = {}
    for item in items:
        groups.setdefault(item.fiscal_year, []).append(item)
    return sorted(groups.items(), key=lambda pair: (pair[0] is None, -(pair[0] or 0)))


def public_page(organisation) -> list[tuple]:
    """(section, [(year, items)], count) of every registered section, in their order."""
    return [(section, by_year(items), len(items)) for section, items in registry.public_items(organisation)]
