"""Reads of publications."""

from __future__ import annotations

from .models import Publication


def live(model, ids) -> dict[int, Publication]:
    """The live publication of each of `ids` (records of `model`) that is published: one query."""
    ids = list(ids)
    if not ids:
        return {}
    rows = Publication.objects.filter(subject=model._meta.label_lower, object_id__in=ids, withdrawn_at=None)
    return {row.object_id: row for row in rows}


def live_for_organisation(model, organisation_id) -> dict[int, Publication]:
    """Every live publication of `model`'s records of one organisation, by record key: one query."""
    rows = Publication.objects.filter(subject=model._meta.label_lower, organisation_id=organisation_id,
                                      withdrawn_at=None)
    return {row.object_id: row for row in rows}


def of(document) -> Publication | None:
    """The live publication of one document, or None: one query."""
    return Publication.objects.filter(subject=document._meta.label_lower, object_id=document.pk,
                                      withdrawn_at=None).first()


def history(document) -> list[Publication]:
    return list(Publication.objects.filter(subject=document._meta.label_lower, object_id=document.pk)
                .select_related("published_by", "withdrawn_by").order_by("published_at", "pk"))
