"""Reads for the organisation-level agreement: pages and the annex document, in constant queries."""

from django.db.models import Prefetch, QuerySet

from lao_integrity.announcements import selectors as announcement_selectors
from lao_integrity.announcements.models import Announcement, Kind
from lao_integrity.orgs import access
from lao_integrity.paging import with_child_counts

from .models import OrgAgreement, Topic, TopicItem


def _with_annex(queryset: QuerySet[OrgAgreement]) -> QuerySet[OrgAgreement]:
    """Organisation, topics in order and each topic's sub-items in order: three queries in all."""
    items = Prefetch("items", queryset=TopicItem.objects.order_by("order"))
    topics = Prefetch("topics", queryset=Topic.objects.order_by("order").prefetch_related(items))
    return queryset.select_related("organisation", "copied_from").prefetch_related(topics)


def org_agreements_for_user(user) -> QuerySet[OrgAgreement]:
    """By organisation (name, then code: a total order, read along the name index), newest year
    first within each. Topic counts: `with_topic_counts` on one page."""
    return (access.restrict(OrgAgreement.objects.all(), user).select_related("organisation")
            .defer("introduction").order_by("organisation__name", "organisation__code", "-fiscal_year"))


def with_topic_counts(agreements) -> list[OrgAgreement]:
    """Sets `topic_count` on each agreement of one page, in one query."""
    return with_child_counts(agreements, Topic, "agreement", "topic_count")


def org_agreement_for_page(pk: int) -> OrgAgreement:
    """Raises OrgAgreement.DoesNotExist."""
    return _with_annex(OrgAgreement.objects.all()).get(pk=pk)


def org_agreement_by_org_year(organisation, fiscal_year: int | None) -> OrgAgreement | None:
    if not fiscal_year:
        return None
    return _with_annex(OrgAgreement.objects.filter(organisation=organisation, fiscal_year=fiscal_year)).first()


def previous_agreement(organisation, fiscal_year: int) -> OrgAgreement | None:
    """The newest agreement of an earlier year: what a new year starts from."""
    return (OrgAgreement.objects.filter(organisation=organisation, fiscal_year__lt=fiscal_year)
            .order_by("-fiscal_year").first())


def next_year_exists(agreement: OrgAgreement) -> bool:
    return OrgAgreement.objects.filter(organisation_id=agreement.organisation_id,
                                       fiscal_year=agreement.fiscal_year + 1).exists()


def topic_for_page(pk: int) -> Topic:
    """Raises Topic.DoesNotExist."""
    return (Topic.objects.select_related("agreement__organisation")
            .prefetch_related(Prefetch("items", queryset=TopicItem.objects.order_by("order"))).get(pk=pk))


def agreement_announcement(agreement: OrgAgreement) -> Announcement | None:
    """The announcement staff work on for this agreement's year: the newest revision."""
    return announcement_selectors.latest_announcement(agreement.organisation, Kind.AGREEMENT,
                                                      agreement.fiscal_year)


def announcements_for_agreements(agreements) -> dict[tuple[int, int], Announcement]:
    """(organisation id, fiscal year) → the newest announcement revision, in one query."""
    agreements = list(agreements)
    if not agreements:
        return {}
    candidates = (Announcement.objects
                  .filter(kind=Kind.AGREEMENT, organisation_id__in={a.organisation_id for a in agreements},
                          fiscal_year__in={a.fiscal_year for a in agreements})
                  .order_by("revision", "pk"))
    return {(a.organisation_id, a.fiscal_year): a for a in candidates}
