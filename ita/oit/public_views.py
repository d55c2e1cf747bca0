"""The public OIT list of an organisation (no login): every O-item of a confirmed year with its state
and link, the page an assessor opens from ITAS; and the years there are."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from lao_integrity.fields import FISCAL_YEAR_MAX, FISCAL_YEAR_MIN
from lao_integrity.orgs.models import Organisation
from lao_integrity.publication.web import public_view

from . import selectors


@public_view
def years(request, code):
    organisation = get_object_or_404(Organisation, code=code)
    return render(request, "ita/oit/public_years.html", {
        "org": organisation, "checklists": selectors.confirmed_years(organisation)})


@public_view
def year(request, code, fiscal_year):
    if not FISCAL_YEAR_MIN <= fiscal_year <= FISCAL_YEAR_MAX:
        raise Http404
    organisation = get_object_or_404(Organisation, code=code)
    page = selectors.checklist_page(organisation, fiscal_year)
    if page.checklist is None or not page.checklist.confirmed:
        raise Http404  # staff's answers are public once an executive has confirmed them
    return render(request, "ita/oit/public_year.html", {"org": organisation, "fiscal_year": fiscal_year, "page": page})
