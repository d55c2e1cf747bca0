"""ITA improvement measures in the site search (lao_integrity/search.py), found by their title."""

from django.urls import reverse

from lao_integrity import search
from lao_integrity.orgs import access

from ..models import Measure


def measures_for_user(user):
    """The measures of the organisations the user may see, newest year first, in each year's order."""
    return (access.restrict(Measure.objects.all(), user).select_related("organisation")
            .only("title", "fiscal_year", "order", "organisation", "organisation__name", "organisation__code")
            .order_by("-fiscal_year", "organisation__name", "organisation_id", "order", "pk"))


def register_search() -> None:
    search.register(
        "ita_measure", "มาตรการส่งเสริมคุณธรรมและความโปร่งใส (ITA)", queryset_for_user=measures_for_user,
        fields=("title",),
        url=lambda measure: reverse("ita:measures", args=[measure.organisation.code, measure.fiscal_year])
        + f"#m{measure.pk}",
        title=lambda measure: f"มาตรการ “{measure.title}” ปีงบประมาณ {measure.fiscal_year}",
        context=lambda measure: measure.organisation.name,
        order=20)
