"""The organisation page's reads are compiled once (lao_integrity/statements.py): they give what
the ORM gives, the organisation found by its code (a text argument)."""

from lao_integrity.announcements import public
from lao_integrity.announcements.models import Announcement
from lao_integrity.orgs.models import Organisation
from lao_integrity.publication import registry, selectors
from lao_integrity.publication.models import Publication


def test_the_organisation_by_its_code(org, other_org):
    for organisation in (org, other_org):
        found = selectors.organisation(organisation.code)
        assert found == organisation
        assert (found.code, found.name, found.district, found.province, found.org_type) == (
            organisation.code, organisation.name, organisation.district, organisation.province, organisation.org_type)
    assert selectors.organisation("0000000") is None and selectors.organisation("12345") is None
    assert Organisation.objects.filter(code="0000000").count() == 0


def test_the_live_publications_and_their_kinds(org, published):
    token = registry._LISTING.set({})
    try:
        live = selectors.live_for_organisation(Announcement, org.pk)
        assert live == {row.object_id: row for row in Publication.objects.filter(
            organisation=org, subject="announcements.announcement", withdrawn_at=None)}
        assert public.live_kinds(org) == {published.kind}
    finally:
        registry._LISTING.reset(token)
    assert [row[0] for row in public._ITEMS.rows(org.pk)] == [published.pk]
    (item,) = public.items(org)
    assert item.published_at == Publication.objects.get(object_id=published.pk).published_at
