"""OrganisationField (lao_integrity/orgs/forms.py) reads the user's organisations once: whether they
are too many for a select, the select's options and whether there is any (a page's "may create")."""

from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lao_integrity.orgs.forms import OrganisationField
from lao_integrity.orgs.models import Organisation


class _Form(forms.Form):
    organisation = OrganisationField()

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


def test_the_select_is_read_once_and_lists_every_organisation(org):
    with CaptureQueriesContext(connection) as captured:
        form = _Form(organisations=Organisation.objects.filter(pk=org.pk))
        html = str(form["organisation"])
    assert len(captured.captured_queries) == 1
    assert f'<option value="{org.pk}">' in html and form.fields["organisation"].any_organisation


def test_no_organisation_means_nothing_to_create_for(org):
    form = _Form(organisations=Organisation.objects.filter(pk=org.pk).none())
    assert not form.fields["organisation"].any_organisation
    assert "<option" not in str(form["organisation"])


def test_a_posted_choice_is_still_checked_against_the_queryset(org):
    form = _Form({"organisation": org.pk + 10**6}, organisations=Organisation.objects.filter(pk=org.pk))
    assert not form.is_valid() and "organisation" in form.errors
    assert _Form({"organisation": org.pk}, organisations=Organisation.objects.filter(pk=org.pk)).is_valid()
