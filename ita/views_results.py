"""Auditor pages: one fiscal year across organisations (with its download), one organisation across years.

Read-only. Everyone sees only the organisations access.visible_organisations gives them; edit
links appear only for those who may edit.
"""

import tempfile

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe

from lao_integrity.orgs import access
from lao_integrity.orgs.models import Organisation
from lao_integrity.pagecache import cached_page, owner
from lao_integrity.paging import paginate

from . import charts, exchange, result_selectors
from .models import Framework

PER_PAGE = 50
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@login_required
@cached_page("ita")
def result_list(request):
    frameworks = list(Framework.objects.order_by("-fiscal_year").values("fiscal_year", "provisional"))
    filters = result_selectors.parse_filters(request.GET, user=request.user,
                                             years=[f["fiscal_year"] for f in frameworks])
    results = result_selectors.filtered_results(request.user, filters)
    counts = result_selectors.result_counts(results)
    page = paginate(request, results, per_page=PER_PAGE, count=counts["total"])  # counted already
    framework = next((f for f in frameworks if f["fiscal_year"] == filters.fiscal_year), None)
    # A year without data (no framework, or no result the user may see) says so and offers the latest.
    latest_year = None
    if filters.missing_year is not None or (not counts["total"] and not filters.active):
        latest_year = result_selectors.default_fiscal_year(request.user)
        if latest_year == filters.fiscal_year:
            latest_year = None
    return render(request, "ita/list.html", {
        "latest_year": latest_year,
        "filters": filters,
        "frameworks": frameworks,
        "framework": framework,
        "page": page,
        "counts": counts,
        "choices": result_selectors.filter_choices(request.user, filters.fiscal_year),
        "can_import": access.editable_organisations(request.user).exists(),
    })


@login_required
def result_list_export(request):
    fmt = request.GET.get("format", "csv")
    if fmt not in CONTENT_TYPES:
        raise Http404
    filters = result_selectors.parse_filters(request.GET, user=request.user)
    if filters.fiscal_year is None:
        raise Http404
    results = result_selectors.filtered_results(request.user, filters)
    if fmt == "csv":
        # Streamed: rows are read from the database and sent a chunk at a time, never all in memory.
        response = StreamingHttpResponse(
            exchange.export_results_iter(fiscal_year=filters.fiscal_year, results=results, fmt=fmt),
            content_type=CONTENT_TYPES[fmt])
    else:
        # A zip is finished only at its end: written to a temporary file (disk past 8 MiB), then sent.
        spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
        exchange.export_results_to(spool, fiscal_year=filters.fiscal_year, results=results, fmt=fmt)
        spool.seek(0)
        response = FileResponse(spool, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="ita-{filters.fiscal_year}.{fmt}"'
    return response


def _history_charts(history) -> dict:
    overall_points = history.series("overall")
    overall = charts.line_chart(
        overall_points, width=720, height=280,
        y_min=charts.nice_floor([v for _, v in overall_points] + [80]),
        reference=85, reference_label="เกณฑ์ผ่าน 85 คะแนน",
        bands=result_selectors.latest_bands(history),
        title="คะแนนรวม ITA รายปี", chart_id="chart-overall")
    per_indicator = []
    for number in history.indicator_numbers:
        points = history.series(number)
        per_indicator.append({
            "number": number,
            "name": history.indicator_names[number],
            "svg": mark_safe(charts.line_chart(  # line_chart escapes all text
                points, width=300, height=170, y_min=charts.nice_floor([v for _, v in points]),
                reference=85, reference_label=None, title=f"ตัวชี้วัดที่ {number} {history.indicator_names[number]}",
                chart_id=f"chart-i{number}", css_class="chart small")),
        })
    return {"overall": mark_safe(overall), "indicators": per_indicator}


@login_required
@cached_page("ita", organisation=owner(Organisation, "pk", argument="code", lookup="code"))
def history(request, code):
    organisation = get_object_or_404(Organisation, code=code)
    access.require_view(request.user, organisation)
    data = result_selectors.organisation_history(organisation)
    return render(request, "ita/history.html", {
        "organisation": organisation,
        "history": data,
        "rows": list(reversed(data.rows)),  # newest first in the table
        "charts": _history_charts(data) if data.rows else None,
        "can_edit": access.can_edit(request.user, organisation),
    })
