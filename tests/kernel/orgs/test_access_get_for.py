"""access.get_for: the one "load or 404, then check access" every page's helper goes through."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from lao_integrity.orgs import access
from lao_integrity.orgs.models import Organisation
from plans import selectors as plan_selectors
from plans.models import Plan


def _as(user):
    return SimpleNamespace(user=user)


def test_a_readers_object_comes_back_and_a_missing_one_is_a_404(seeded):
    assert access.get_for(_as(seeded.staff), plan_selectors.plan_for_page, pk=seeded.plan.pk) == seeded.plan
    with pytest.raises(Http404):
        access.get_for(_as(seeded.staff), plan_selectors.plan_for_page, pk=0)
    with pytest.raises(Http404):
        access.get_for(_as(seeded.staff), Plan.objects.all(), pk=0)


def test_another_organisations_object_is_a_404_and_a_reader_who_may_not_change_gets_a_403(seeded):
    with pytest.raises(Http404):
        access.get_for(_as(seeded.other_staff), Plan.objects.all(), pk=seeded.plan.pk, edit=True)
    with pytest.raises(PermissionDenied):
        access.get_for(_as(seeded.auditor), Plan.objects.all(), pk=seeded.plan.pk, edit=True)
    with pytest.raises(PermissionDenied):
        access.get_for(_as(seeded.staff), Plan.objects.all(), pk=seeded.plan.pk, approve=True)
    assert access.get_for(_as(seeded.executive), Plan.objects.all(), pk=seeded.plan.pk, approve=True) == seeded.plan


def test_whose_it_is_can_be_reached_through_a_relation(seeded):
    project = seeded.plan.projects.first()
    found = access.get_for(_as(seeded.staff), plan_selectors.project_with_sheet, pk=project.pk, edit=True,
                           organisation=lambda p: p.plan.organisation)
    assert found == project
    with pytest.raises(Http404):
        access.get_for(_as(seeded.other_staff), plan_selectors.project_with_sheet, pk=project.pk,
                       organisation=lambda p: p.plan.organisation)


def test_an_organisation_by_its_code(seeded):
    found = access.organisation_for(_as(seeded.staff), seeded.org.code, edit=True)
    assert found == seeded.org
    # Read by a compiled statement (issue 19): every field as the ORM reads it.
    fields = [f.attname for f in Organisation._meta.concrete_fields]
    assert [getattr(found, name) for name in fields] == [getattr(Organisation.objects.get(pk=found.pk), name)
                                                          for name in fields]
    other = Organisation.objects.exclude(pk=seeded.org.pk).first()
    for code in ("0000000", other.code):
        with pytest.raises(Http404):
            access.organisation_for(_as(seeded.staff), code)
