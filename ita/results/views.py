"""ITA results pages: one fiscal year across organisations (with its download), one organisation
across years; results in (a file for many organisations, or one organisation's scores typed in a
form) and out (the file of every organisation's results for a year).

Everyone sees only the organisations access.visible_organisations gives them; staff and executives
import and edit only the organisations they may edit; auditors read. Writes go through
exchange.results_import and services.result_save. A file import and the all-organisations export run
as background jobs (ita/results/jobs.py): the page hands the file over and sends the user to the
job's page, which shows the progress, the summary or every bad line.
"""

import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST
from markupsafe import Markup, escape

from lao_integrity import thai
from lao_integrity.downloads import TABLE_CONTENT_TYPES, attach
from lao_integrity.jinja_env import querystring
from lao_integrity.jobs.views import after_start
from lao_integrity.orgs import access
from lao_integrity.orgs.models import Organisation
from lao_integrity.pagecache import cached_page, owner
from lao_integrity.paging import paginate
from lao_integrity.reversing import row_link, url_pattern
from lao_integrity.saving import save_form
from lao_integrity.submissions.once import once_per_submission

from ..models import Framework
from . import charts, exchange, fragments, jobs, selectors, services
from .forms import ResultForm, ResultImportForm

PER_PAGE = 50
SAMPLE_LIMIT = 10


@login_required
@cached_page
def result_list(request):
    frameworks, levels = selectors.frameworks_with_levels()
    filters = selectors.parse_filters(request.GET, user=request.user, years=list(levels))
    results = selectors.filtered_results(request.user, filters)
    counts = selectors.list_counts(request.user, filters, results)
    page = paginate(request, results, per_page=PER_PAGE, count=counts["total"])  # counted already
    framework = next((f for f in frameworks if f["fiscal_year"] == filters.fiscal_year), None)
    # A year without data (no framework, or no result the user may see) says so and offers the latest.
    latest_year = None
    if filters.missing_year is not None or (not counts["total"] and not filters.active):
        latest_year = selectors.default_fiscal_year(request.user)
        if latest_year == filters.fiscal_year:
            latest_year = None
    context = {
        "latest_year": latest_year,
        "filters": filters,
        "frameworks": frameworks,
        "framework": framework,
        "page": page,
        "counts": counts,
        "choices": selectors.filter_choices(request.user, filters.fiscal_year,
                                             levels=levels.get(filters.fiscal_year, [])),
        # A superuser may import without a query (as the import page itself decides).
        "can_import": access.can_edit_any(request.user),
    }
    # The whole body with Jinja2: its filter form, fourteen {% querystring %} links and the fifty
    # rows were most of the page's time in the template language; the rows and the 77 provinces'
    # options are written in Python.
    body = render_to_string("ita/results/list.jinja", {
        **context, "rows": list_rows(page), "province_options": province_options(context["choices"]["provinces"],
                                                                                 filters.province),
        "qs": querystring(request), "terms": fragments.terms(*TERMS),
        "export": url_pattern("ita:export"), "export_all": url_pattern("ita:export_all"),
        "import_url": url_pattern("ita:import"),
        "tokens": fragments.form_tokens(request) if filters.fiscal_year else "",
    }, using="jinja2")
    return render(request, "ita/results/list.html", {**context, "body": mark_safe(body)})


TERMS = ("ITA", "IIT", "EIT", "OIT")
LIST_ROW_FIELDS = ("pk", "organisation__code", "organisation__name", "organisation__org_type",
                   "organisation__province", "iit", "eit", "oit", "overall", "level", "passed", "rank",
                   "rank_group", "fiscal_year")


def province_options(provinces, chosen: str) -> Markup:
    """The province filter's <option>s, as list.jinja's loop wrote them (each name escaped once)."""
    return Markup("".join(f'<option value="{text}"{" selected" if province == chosen else ""}>{text}</option>'
                          for province in provinces for text in (escape(province),)))


def list_rows(page) -> Markup:
    """The list's <tr>s, from plain values (not a Result and an Organisation a row): the page's one
    query, without the models. Written in Python as the former _list_rows.jinja wrote them (issue
    19: the rows were a third of the body's render): escaping only on the database's text, as
    markupsafe does; the numbers and the links built from them need none. "" for an empty page."""
    history, analysis = row_link("ita:history"), url_pattern("ita:result", None).format
    start = page.start_index()
    org_types = dict(Organisation._meta.get_field("org_type").flatchoices)
    out = []
    for i, (pk, code, name, org_type, province, iit, eit, oit, overall, level, passed, rank, group, fiscal_year) in (
            enumerate(page.object_list.values_list(*LIST_ROW_FIELDS))):
        name = escape(name)
        if level:
            level_cell = f'<span class="badge level level-{escape(level.lower())}">{escape(level)}</span>'
        else:
            level_cell = '<span class="muted">ไม่ครบ</span>'
        # A rank is within its peer group: printed with it, never alone as if national.
        rank_cell = "" if rank is None else f'{rank:,}<br><span class="muted">{escape(group)}</span>'
        if passed is None:
            passed_cell = '<span class="muted">—</span>'
        elif passed:
            passed_cell = '<span class="pass">ผ่าน</span>'
        else:
            passed_cell = '<span class="fail">ไม่ผ่าน</span>'
        out.append(
            f'\n    <tr id="r{pk!s}">\n      <td class="c">{start + i!s}</td>\n      <td class="c">{escape(code)}</td>\n'
            f'      <td><a href="{history(code)}">{name}</a></td>\n'
            f'      <td class="c">{escape(org_types.get(org_type, org_type))}</td>\n      <td>{escape(province)}</td>\n'
            f'      <td class="num">{"—" if iit is None else str(iit)}</td>\n'
            f'      <td class="num">{"—" if eit is None else str(eit)}</td>\n'
            f'      <td class="num">{"—" if oit is None else str(oit)}</td>\n'
            f'      <td class="num"><strong>{"—" if overall is None else str(overall)}</strong></td>\n'
            f'      <td class="c">{level_cell}</td>\n      <td class="c">{passed_cell}</td>\n'
            f'      <td class="num">{rank_cell}</td>\n'
            f'      <td class="c"><a href="{analysis(pk)}">วิเคราะห์<span class="vh"> ผล ITA ปี {fiscal_year!s} {name}</span>'
            f'</a></td>\n    </tr>\n')
    return Markup("".join(out))  # noqa: S704 (the database's text escaped above)


@login_required
def result_list_export(request):
    fmt = request.GET.get("format", "csv")
    if fmt not in TABLE_CONTENT_TYPES:
        raise Http404
    filters = selectors.parse_filters(request.GET, user=request.user)
    if filters.fiscal_year is None:
        raise Http404
    results = selectors.filtered_results(request.user, filters)
    if fmt == "csv":
        # Streamed: rows are read from the database and sent a chunk at a time, never all in memory.
        response = StreamingHttpResponse(
            exchange.export_results_iter(fiscal_year=filters.fiscal_year, results=results, fmt=fmt),
            content_type=TABLE_CONTENT_TYPES[fmt])
    else:
        # A zip is finished only at its end: written to a temporary file (disk past 8 MiB), then sent.
        spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
        exchange.export_results_to(spool, fiscal_year=filters.fiscal_year, results=results, fmt=fmt)
        spool.seek(0)
        response = FileResponse(spool, content_type=TABLE_CONTENT_TYPES[fmt])
    return attach(response, f"ita-{filters.fiscal_year}.{fmt}")


def history_charts(history) -> dict:
    overall_points = history.series("overall")
    overall = charts.line_chart(
        overall_points, width=720, height=280,
        y_min=charts.nice_floor([v for _, v in overall_points] + [80]),
        reference=85, reference_label="เกณฑ์ผ่าน 85 คะแนน",
        bands=selectors.latest_bands(history),
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
@cached_page(organisation=owner(Organisation, argument="code", lookup="code"))
def history(request, code):
    organisation = access.organisation_for(request, code)
    data = selectors.organisation_history(organisation)
    rows = list(reversed(data.rows))  # newest first in the table
    can_edit = access.can_edit(request.user, organisation)
    context = {
        "organisation": organisation,
        "history": data,
        "rows": rows,
        "charts": history_charts(data) if data.rows else None,
        "can_edit": can_edit,
        "oit_year": thai.fiscal_year(timezone.localdate()),
    }
    # The body with Jinja2: a dozen score cells a year, each with its change, and four links a
    # year were most of the render. Each link kind is reversed once (the code is the page's).
    body = render_to_string("ita/results/history.jinja", {
        **context, "columns": len(data.indicator_numbers) + 8, "terms": fragments.terms("IIT", "EIT", "OIT"),
        "urls": {"list": url_pattern("ita:list"), "result": url_pattern("ita:result", None).format,
                 **{name: fragments.year_link(f"ita:{name}", organisation.code)
                    for name in ("oit", "result_edit", "measures")}},
    }, using="jinja2")
    return render(request, "ita/results/history.html", {**context, "body": mark_safe(body)})


@login_required
@once_per_submission
def result_import(request):
    user = request.user
    editable = access.editable_organisations(user)
    if not user.is_superuser and not editable.exists():
        raise PermissionDenied("เฉพาะเจ้าหน้าที่และผู้บริหารของ อปท. เท่านั้นที่นำเข้าผลการประเมินได้")
    form = ResultImportForm(request.POST, request.FILES) if request.method == "POST" else ResultImportForm()
    if request.method == "POST" and form.is_valid():
        job = jobs.start_import(user=user, upload=form.cleaned_data["file"])
        return redirect("jobs:detail", pk=job.pk)
    organisations = None if user.is_superuser else list(editable.order_by("code")[:SAMPLE_LIMIT + 1])
    return render(request, "ita/results/import.html", {
        "form": form,
        "problems": [],  # an import's problems are shown on its job's page
        "organisations": organisations[:SAMPLE_LIMIT] if organisations else organisations,
        "more_organisations": bool(organisations and len(organisations) > SAMPLE_LIMIT),
        "frameworks": Framework.objects.order_by("fiscal_year").values_list("fiscal_year", flat=True),
        "base_template": "base.html",
    })


@login_required
@require_POST
@once_per_submission
def result_export_all(request):
    """Start the file of every organisation's results (that the user may see) for a year."""
    fmt = request.POST.get("format", "")
    raw_year = (request.POST.get("fiscal_year") or "").strip()
    years = set(Framework.objects.values_list("fiscal_year", flat=True))
    if fmt not in TABLE_CONTENT_TYPES or not raw_year.isdigit() or int(raw_year) not in years:
        messages.error(request, "เลือกปีงบประมาณที่มีกรอบการประเมินและรูปแบบไฟล์ (csv หรือ xlsx) ก่อนสร้างไฟล์")
        return redirect("ita:list")
    return after_start(jobs.start_export(user=request.user, fiscal_year=int(raw_year), fmt=fmt))


@login_required
def result_edit(request, code, fiscal_year):
    organisation = access.organisation_for(request, code, edit=True)
    framework = (Framework.objects.filter(fiscal_year=fiscal_year)
                 .prefetch_related("indicators", "tools__parts").first())
    if framework is None:
        raise Http404
    result = selectors.result_by_org_year(organisation, fiscal_year)
    data = request.POST if request.method == "POST" else None
    form = ResultForm(data, framework=framework, result=result,
                      default_group=services.default_rank_group(organisation))
    if request.method == "POST" and form.is_valid():
        def saved_message(result) -> str:
            if result.overall is None:
                outcome = "ยังกรอกคะแนนไม่ครบทุกตัวชี้วัด จึงยังไม่มีคะแนนรวม"
            else:
                outcome = (f"คะแนนรวม {result.overall} ระดับ {result.level} "
                           f"{exchange.PASSED if result.passed else exchange.FAILED}")
            return f"บันทึกผลการประเมิน ITA ปีงบประมาณ {fiscal_year} ของ {organisation.name} แล้ว: {outcome}"

        saved = save_form(request, form, lambda: services.result_save(
            organisation=organisation, fiscal_year=fiscal_year, scores=form.scores(),
            part_scores=form.part_scores() or None, rank=form.cleaned_data["rank"],
            rank_group=form.cleaned_data["rank_group"],
            user=request.user, framework=framework, expected_version=form.expected_version()),
            message=saved_message, to=lambda result: reverse("ita:result", args=[result.pk]))
        if saved:
            return saved
    return render(request, "ita/results/form.html", {
        "organisation": organisation,
        "fiscal_year": fiscal_year,
        "framework": framework,
        "result": result,
        "form": form,
    })
