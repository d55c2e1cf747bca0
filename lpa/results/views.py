"""Pages of LPA results: the province's table for a year (who may see its organisations, rows they
may see), an organisation's history, downloads, and the import (administrators only)."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from lao_integrity.downloads import pdf_or_preview, table_attachment
from lao_integrity.orgs import access
from lao_integrity.submissions.once import once_per_submission
from lao_integrity.tabular import ImportRejected, write_table

from ..models import Area
from . import documents, exchange, layout, rows, selectors, services
from .forms import LpaImportForm


def _table(request, province: str, fiscal_year) -> selectors.ProvinceTable:
    table = selectors.province_table(request.user, province, int(fiscal_year))
    if table is None:  # no result there, or none the user may see: the same answer
        raise Http404
    return table


@login_required
def index(request):
    return render(request, "lpa/results/index.html", {
        "tables": selectors.years_and_provinces(request.user), "may_import": services.may_import(request.user)})


@login_required
def province_page(request, province, fiscal_year):
    table = _table(request, province, fiscal_year)
    # The body with Jinja2 (issue 19): its links and header cost more in the template language
    # than the rest of the page around them; the header is the same on every page (_head.html).
    body = render_to_string("lpa/results/province.jinja", {
        "table": table, "data_as_of": table.data_as_of, "head": _head("province"), "rows": rows.province_rows(table),
        "may_import": services.may_import(request.user)}, using="jinja2")
    return render(request, "lpa/results/province.html", {"table": table, "body": mark_safe(body)})


@functools.cache
def _head(lead: str) -> str:
    """The table's printed header (lpa/results/_head.html), which depends on nothing but `lead`."""
    return render_to_string("lpa/results/_head.html", {"lead": lead, "areas": list(Area)})


@login_required
def province_pdf(request, province, fiscal_year):
    table = _table(request, province, fiscal_year)
    return pdf_or_preview(request, html=lambda: documents.province_html(table, request=request),
                          pdf=lambda: documents.province_pdf(table),
                          filename=f"lpa-{table.fiscal_year}-{table.province}.pdf")


@login_required
def province_export(request, province, fiscal_year, fmt):
    table = _table(request, province, fiscal_year)
    header, rows = exchange.header_and_rows(table)
    return table_attachment(write_table(header, rows, fmt, title=f"LPA {table.fiscal_year}"), fmt=fmt,
                            filename=f"lpa-{table.fiscal_year}-{table.province}.{fmt}")


@login_required
def history_page(request, code):
    organisation = access.organisation_for(request, code)
    return render(request, "lpa/results/history.html", {
        "organisation": organisation, "rows": selectors.history(organisation), "areas": list(Area)})


@login_required
@once_per_submission
def import_page(request):
    if not services.may_import(request.user):
        raise PermissionDenied(services.MAY_NOT_IMPORT)
    form = LpaImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload, data = form.cleaned_data["file"], form.cleaned_data
        try:
            imported = services.lpa_import(
                data=upload.read(), filename=upload.name, fiscal_year=data["fiscal_year"], user=request.user,
                data_as_of=data["data_as_of"], reporter=data["reporter"], reporter_position=data["reporter_position"])
        except ImportRejected as rejected:
            problems = rejected.problems
        else:
            messages.success(request, f"นำเข้าผล LPA ปีงบประมาณ {data['fiscal_year']} แล้ว {imported.count} อปท. "
                                      f"(ใหม่ {imported.created})")
            for note in imported.notes:
                messages.info(request, f"หมายเหตุ {note}")
            return redirect("lpa:index")
    return render(request, "lpa/results/import.html", {
        "form": form, "problems": problems, "identification": layout.IDENTIFICATION, "code": layout.CODE,
        "areas": list(Area)})
