"""Every list page shows one page of rows: Django's Paginator, with the links templates/_pagination.html
prints. Lists keep a stable order (ending on a unique column) so a row never shows on two pages."""

from django.core.paginator import Page, Paginator
from django.db.models import Count, Model

PER_PAGE = 50


def paginate(request, object_list, *, per_page: int = PER_PAGE, count: int | None = None) -> Page:
    """The page asked for in ?page= (the last one when past the end, the first when not a number).

    count: the number of rows when the caller has counted them already (saves the COUNT query).
    """
    paginator = Paginator(object_list, per_page)
    if count is not None:
        paginator.count = count
    page = paginator.get_page(request.GET.get("page"))
    page.links = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    return page


def with_child_counts(rows, child: type[Model], parent_field: str, attr: str) -> list:
    """Sets `attr` on each row of one page to its number of `child` rows, in one query (counting in
    the list's own query would join every child of every row before the page is cut)."""
    rows = list(rows)
    counts = dict(child.objects.filter(**{f"{parent_field}__in": [r.pk for r in rows]}).order_by()
                  .values(parent_field).annotate(n=Count("pk")).values_list(parent_field, "n"))
    for row in rows:
        setattr(row, attr, counts.get(row.pk, 0))
    return rows


def with_child_count_values(rows: list[dict], child: type[Model], parent_field: str, key: str) -> list[dict]:
    """with_child_counts for rows read as values (each with its "pk"): sets `key` in each, one query."""
    counts = dict(child.objects.filter(**{f"{parent_field}__in": [row["pk"] for row in rows]}).order_by()
                  .values(parent_field).annotate(n=Count("pk")).values_list(parent_field, "n"))
    for row in rows:
        row[key] = counts.get(row["pk"], 0)
    return rows
