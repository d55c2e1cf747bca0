"""The plans' projects in the site search (lao_integrity/search.py), found by their name."""

from django.urls import reverse

from lao_integrity import search
from lao_integrity.orgs import access

from .models import Project


def projects_for_user(user):
    """The projects of the plans the user may see, newest year first, in each plan's order."""
    return (access.restrict(Project.objects.all(), user, via="plan__organisation")
            .select_related("plan__organisation").only("name", "sequence", "plan", "plan__fiscal_year", "plan__organisation",
                                                       "plan__organisation__name")
            .order_by("-plan__fiscal_year", "plan__organisation__name", "plan_id", "sequence", "pk"))


def register_search() -> None:
    search.register(
        "project", "โครงการในแผนปฏิบัติการป้องกันการทุจริต", queryset_for_user=projects_for_user, fields=("name",),
        url=lambda project: reverse("plans:detail", args=[project.plan_id]) + f"#p{project.pk}",
        title=lambda project: f"โครงการ “{project.name}” ในแผนปี {project.plan.fiscal_year}",
        context=lambda project: f"{project.plan.organisation.name} · ลำดับที่ {project.sequence}",
        order=10)
