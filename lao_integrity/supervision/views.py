"""The supervision pages: choose an area, its dashboard for a fiscal year, one figure's list of
organisations (and its xlsx). Read only (GET); who may read which area: areas.area_for, which
asks lao_integrity.orgs.access. Not kept by the page cache: the states depend on today's date."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET

from lao_integrity.downloads import table_attachment
from lao_integrity.paging import paginate
from lao_integrity.tabular import write_table
from lao_integrity.thai import fiscal

from . import areas, selectors

LIST_PER_PAGE = 100
FIRST_YEAR, LAST_YEAR = 2560, 2600


def _year(fiscal_year: int) -> int:
    if not FIRST_YEAR <= fiscal_year <= LAST_YEAR:
        raise Http404("ไม่มีข้อมูลปีงบประมาณนี้")
    return fiscal_year


@login_required
@require_GET
def choose(request):
    areas.require_supervisor(request.user)
    today = timezone.localdate()
    return render(request, "supervision/choose.html", {
        "choices": areas.choices(request.user), "fiscal_year": fiscal.fiscal_year(today)})


@login_required
@require_GET
def dashboard(request, area, fiscal_year):
    place = areas.area_for(request.user, area)
    fiscal_year = _year(fiscal_year)
    data = selectors.dashboard(place, fiscal_year, timezone.localdate())
    if not data.organisations:
        raise Http404("ไม่พบพื้นที่นี้")
    # The body is a Jinja2 fragment (issue 19: the engine's cost per node was most of the page).
    body = SafeString(render_to_string("supervision/_dashboard.jinja", {
        "data": data, "area": place, "fiscal_year": fiscal_year, "today": timezone.localdate(),
        "parent": areas.parent_for(request.user, place),
        "years": [year for year in (fiscal_year - 1, fiscal_year + 1) if FIRST_YEAR <= year <= LAST_YEAR]},
        using="jinja2"))
    return render(request, "supervision/dashboard.html", {"area": place, "fiscal_year": fiscal_year, "body": body})


HEADERS = ["ลำดับ", "รหัส อปท.", "ชื่อ อปท.", "อำเภอ", "จังหวัด"]


@login_required
@require_GET
def figure(request, area, fiscal_year, figure):
    place = areas.area_for(request.user, area)
    fiscal_year = _year(fiscal_year)
    found = selectors.figure_rows(place, fiscal_year, figure, timezone.localdate())
    if found is None:
        raise Http404("ไม่พบตัวเลขนี้")
    group, shown, organisations = found
    title = f"{group.title}: {shown.label}"
    if request.GET.get("format") == "xlsx":
        rows = ([index, o.code, o.name, o.district, o.province] for index, o in enumerate(organisations, 1))
        content = write_table(HEADERS, rows, "xlsx", title=f"ปีงบประมาณ {fiscal_year}")
        return table_attachment(content, fmt="xlsx", filename=f"supervision-{place.slug}-{fiscal_year}-{figure}.xlsx")
    page = paginate(request, organisations, per_page=LIST_PER_PAGE, count=len(organisations))
    return render(request, "supervision/figure.html", {
        "area": place, "fiscal_year": fiscal_year, "group": group, "figure": shown, "title": title,
        "parent": areas.parent_for(request.user, place),
        "page": page, "count": len(organisations), "key": figure,
        "offset": (page.number - 1) * LIST_PER_PAGE})
