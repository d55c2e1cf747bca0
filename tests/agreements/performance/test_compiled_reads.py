"""The agreement page's reads are statements compiled once (lao_integrity/statements.py), their
model instances made from the values read: they give what the ORM gives (issue 19)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from agreements.performance import selectors
from agreements.performance.models import AgreementIndicator, PerformanceAgreement
from lao_integrity.publication import selectors as publication_selectors
from lao_integrity.publication.models import Publication
from lao_integrity.review import selectors as review_selectors
from lao_integrity.review.models import Action, ReviewEvent

pytestmark = pytest.mark.django_db


def _values(obj, names) -> tuple:
    return tuple(getattr(obj, name) for name in names)


def test_the_agreement_with_its_parties(agreement):
    mine = selectors.agreement_for_detail(agreement.pk)
    orm = PerformanceAgreement.objects.select_related(*selectors._DETAIL_PARTIES).get(pk=agreement.pk)
    assert mine == orm
    assert _values(mine, selectors._AGREEMENT_FIELDS) == _values(orm, selectors._AGREEMENT_FIELDS)
    for who, names in selectors._DETAIL_PARTIES.items():
        assert getattr(mine, who) == getattr(orm, who) is not None
        assert _values(getattr(mine, who), names) == _values(getattr(orm, who), names)
    with pytest.raises(PerformanceAgreement.DoesNotExist):
        selectors.agreement_for_detail(agreement.pk + 1000)


def test_the_indicators_and_linked_projects(agreement, four, plan):
    agreement.projects.set([plan.projects.get(sequence=3), plan.projects.get(sequence=1)])
    detail = selectors.agreement_detail(agreement)
    fields = [f.attname for f in AgreementIndicator._meta.concrete_fields]
    orm_indicators = {i.pk: i for i in AgreementIndicator.objects.filter(agreement=agreement)}
    assert sorted(row.indicator.pk for row in detail.rows) == sorted(orm_indicators) == sorted(i.pk for i in four)
    for row in detail.rows:
        assert _values(row.indicator, fields) == _values(orm_indicators[row.indicator.pk], fields)
    orm = list(agreement.projects.select_related("plan").order_by("plan__fiscal_year", "sequence"))
    assert detail.projects == orm
    assert [(p.pk, p.plan_id, p.sequence, p.name, p.plan.pk, p.plan.fiscal_year) for p in detail.projects] == [
        (p.pk, p.plan_id, p.sequence, p.name, p.plan.pk, p.plan.fiscal_year) for p in orm]


def test_the_review_timeline_and_publications(agreement, staff):
    now = timezone.now()
    for at, actor, action in ((now - timedelta(hours=2), staff, Action.SUBMITTED),
                              (now - timedelta(hours=1), None, Action.RETURNED)):
        ReviewEvent.objects.create(organisation=agreement.organisation, subject=agreement._meta.label_lower,
                                   object_id=agreement.pk, action=action, comment="แก้ไข", actor=actor, at=at)
    mine = review_selectors.timeline(agreement)
    orm = list(ReviewEvent.objects.filter(subject=agreement._meta.label_lower, object_id=agreement.pk)
               .select_related("actor").order_by("at", "pk"))
    assert mine == orm and len(mine) == 2
    fields = [f.attname for f in ReviewEvent._meta.concrete_fields]
    assert [_values(e, fields) for e in mine] == [_values(e, fields) for e in orm]
    assert [e.actor_name for e in mine] == [e.actor_name for e in orm]
    assert mine[0].actor == staff and mine[1].actor is None

    Publication.objects.create(organisation=agreement.organisation, subject=agreement._meta.label_lower,
                               object_id=agreement.pk, published_at=now - timedelta(days=1), published_by=staff,
                               withdrawn_at=now, withdrawn_by=staff, withdraw_reason="ผิด")
    Publication.objects.create(organisation=agreement.organisation, subject=agreement._meta.label_lower,
                               object_id=agreement.pk, published_at=now, published_by=staff)
    assert publication_selectors.box_history(agreement) == [
        publication_selectors.Publishing(*row) for row in
        Publication.objects.filter(subject=agreement._meta.label_lower, object_id=agreement.pk)
        .order_by("published_at", "pk").values_list("published_at", "withdrawn_at", "withdraw_reason")]
    assert [p.live for p in publication_selectors.box_history(agreement)] == [False, True]
