"""The plan pages' hot fragments: the plan page's body and the plan list's rows as Jinja2
templates (plans/jinja2/plans/), the summary table's rows by string formatting, with each row's
addresses formatted from one `reverse` per kind of link (issue 19: the rows' tags, filters and
`{% url %}`s were most of the page's render)."""

from types import SimpleNamespace
from urllib.parse import quote

from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString
from markupsafe import Markup

from lao_integrity import thai
from lao_integrity.jinja_env import form_tokens, querystring
from lao_integrity.reversing import url_pattern as kernel_url_pattern
from lao_integrity.templatetags.thai import baht

from .models import PlanStatus


def url_pattern(name: str, *args) -> str:
    """`name`'s address with "{0}" where the record's id goes (its other arguments fixed), reversed
    once per process (lao_integrity.reversing.url_pattern)."""
    return kernel_url_pattern(name, None, *args)


_PLANNED = ('<td class="c q-on"><span class="tick" aria-hidden="true">✓</span>'
            '<span class="vh">ไตรมาส {} วางแผนไว้</span></td>')
_NOT_PLANNED = '<td class="c q-off"><span aria-hidden="true">–</span><span class="vh">ไตรมาส {} ไม่ได้วางแผน</span></td>'


def quarter_cells(projects, quarters) -> list[Markup]:
    """Each project's quarter cells, one string per combination of quarters planned (at most 16):
    the loop over quarters in every row was a fifth of the fragment's work."""
    made: dict[tuple, Markup] = {}
    cells = []
    for project in projects:
        planned = tuple(project.quarters)
        if planned not in made:
            made[planned] = Markup("\n      ".join((_PLANNED if q in planned else _NOT_PLANNED).format(q)
                                                  for q in quarters))
        cells.append(made[planned])
    return cells


def _e(value) -> str:
    """What markupsafe.escape (Jinja2's) writes, as a plain str (str.translate is slower on Thai)."""
    return (str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&#34;").replace("'", "&#39;"))


def _pattern(name: str, *args) -> str:
    return _e(url_pattern(name, *args))


def summary_rows(request, projects, *, quarters, can_edit: bool, record_quarter: int | None, back: str,
                 moving: bool) -> SafeString:
    """The summary table's rows (plans/jinja2/plans/detail.jinja), by string formatting: thirty
    rows with a dozen links and escapes each were still the page's largest part as a Jinja2 loop
    (issue 19). `moving`: the move buttons (every project shown)."""
    sheet, sheet_edit = _pattern("plans:sheet"), _pattern("plans:sheet_edit")
    back_q = _e(quote(back, safe="/"))  # as Django's urlencode filter quotes it
    if can_edit:
        edit, move, delete = (_pattern(f"plans:project_{kind}") for kind in ("edit", "move", "delete"))
        record = _pattern("plans:progress_edit", record_quarter) if record_quarter else ""
        tokens = form_tokens(request) if moving else ""
    out = []
    last = len(projects) - 1
    for index, (p, cells) in enumerate(zip(projects, quarter_cells(projects, quarters), strict=True)):
        pk, sequence, name = p.pk, p.sequence, _e(p.name)
        unit = f'<br><span class="muted">{_e(p.responsible_unit)}</span>' if p.responsible_unit else ""
        if p.latest_status:
            latest = (f'<span class="badge {_e(p.latest_status)}">{_e(p.latest_label)}</span> '
                      f'<span class="muted">ไตรมาส {_e(p.latest_quarter)}</span>')
        else:
            latest = '<span class="muted">ยังไม่บันทึกผล</span>'
        record_link = ""
        if can_edit and record_quarter:
            record_link = (f'<br><a class="btn small" href="{record.format(pk)}?next={back_q}%23p{pk}" '
                           f'aria-label="บันทึกผลไตรมาส {record_quarter} ของ {name}">บันทึกผลไตรมาส {record_quarter}</a>')
        if getattr(p, "sheet", None):
            sheet_cell = f'<a href="{sheet.format(pk)}">ดู<span class="vh">รายละเอียดโครงการลำดับที่ {sequence}</span></a>'
        elif can_edit:
            sheet_cell = (f'<a href="{sheet_edit.format(pk)}">+ เพิ่ม<span class="vh">'
                          f'รายละเอียดโครงการลำดับที่ {sequence}</span></a>')
        else:
            sheet_cell = '<span class="muted">ยังไม่มี</span>'
        actions = ""
        if can_edit:
            moves = ""
            if moving:
                to = move.format(pk)
                moves = (f"""
        <form class="inline" method="post" action="{to}" novalidate>{tokens}<input type="hidden" name="direction" value="up"><button class="btn small" type="submit" title="เลื่อนขึ้น" {"disabled" if index == 0 else ""}>↑</button></form>
        <form class="inline" method="post" action="{to}" novalidate>{tokens}<input type="hidden" name="direction" value="down"><button class="btn small" type="submit" title="เลื่อนลง" {"disabled" if index == last else ""}>↓</button></form>
        """)  # noqa: E501
            actions = f"""
      <td class="row-actions">
        <a class="btn small" href="{edit.format(pk)}?next={back_q}%23p{pk}">แก้ไข<span class="vh">โครงการลำดับที่ {sequence}</span></a>
        {moves}
        <a class="btn small danger" href="{delete.format(pk)}">ลบ<span class="vh">โครงการลำดับที่ {sequence}</span></a>
      </td>
      """  # noqa: E501
        out.append(f"""
    <tr id="p{pk}" class="{"added" if p.is_added else ""}">
      <td class="c">{sequence}</td>
      <td>{name}{unit}</td>
      <td class="c" title="{_e(p.dimension.name)}">{_e(p.dimension_label)}</td>
      <td class="num">{_e(baht(p.budget))}</td>
      {cells}
      <td class="latest" id="latest-p{pk}">{latest}
        {record_link}</td>
      <td>{_e(p.remark)}</td>
      <td class="c">{sheet_cell}</td>
      {actions}
    </tr>
""")
    return SafeString("".join(out))


_LIST_ROW = ('\n    <tr>\n      <td class="c">{}</td>\n      <td class="c">{}</td>\n      <td><a href="{}">{}</a></td>\n'
             '      <td>{}</td>\n      <td class="num">{}</td>\n      <td class="c"><span class="badge {}">{}</span></td>\n'
             '      <td class="c">{}</td>\n    </tr>\n')


def plan_rows(rows) -> SafeString:
    """The plan list's rows (selectors.plan_list_rows) by string formatting, as the Jinja2 template
    plans/_list_rows.jinja wrote them (its escapes half the list's render), each row's date as
    date_short prints it: the local date made with the time zone read once (not once a row, as the
    filter does)."""
    zone = timezone.get_current_timezone()
    detail = _pattern("plans:detail")
    statuses = dict(PlanStatus.choices)
    out = []
    for row in rows:
        when = row["updated_at"]
        status = row["status"]
        out.append(_LIST_ROW.format(
            _e(row["fiscal_year"]), _e(row["organisation__code"]), detail.format(row["pk"]),
            _e(row["organisation__name"]), _e(row["organisation__province"]), _e(row["project_count"]), _e(status),
            _e(statuses.get(status, status)),
            _e(thai.format_date_short((when.astimezone(zone) if timezone.is_aware(when) else when).date()))))
    return SafeString("".join(out))


def progress_rows(summary, *, can_edit: bool, back: str) -> SafeString:
    """The progress page's project rows (summary: selectors.progress_summary)."""
    quarters = range(1, summary.last_quarter + 1)
    return SafeString(render_to_string("plans/_progress_rows.jinja", {
        "projects": summary.projects, "can_edit": can_edit, "back_q": quote(back, safe="/"),
        # The report's columns (the stored statuses; at 6 months ยังไม่ถึงกำหนด too) name each status.
        "labels": dict(summary.statuses),
        "evidence": {q: url_pattern("plans:evidence", q) for q in quarters},
        "edit": {q: url_pattern("plans:progress_edit", q) for q in quarters} if can_edit else {},
    }, using="jinja2"))


def plan_list(request, page, filters) -> SafeString:
    """The plan list above its create card (plans/jinja2/plans/_list.jinja): the filters, the page's
    rows (page.object_list: selectors.plan_list_rows) and the page links."""
    return SafeString(render_to_string("plans/_list.jinja", {
        "page": page, "filters": filters, "statuses": PlanStatus.choices, "qs": querystring(request),
        "q": Markup(escape(filters.q)),  # as Django escapes it (quotes included)
        "count": intcomma(page.paginator.count),
        "rows": plan_rows(page.object_list) if page.object_list else "",
    }, using="jinja2"))


def plan_page(request, plan, context: dict) -> SafeString:
    """The plan page's body (plans/jinja2/plans/detail.jinja) from the view's `context`, with its
    links and its forms' tokens."""
    pk = plan.pk
    links = {name: url_pattern(f"plans:{name}").format(pk) for name in (
        "versions", "changes", "project_add", "import", "progress", "settings", "copy", "approve", "history")}
    links.update(
        version=url_pattern("plans:version"), announcement=url_pattern("announcements:detail"),
        export_xlsx=url_pattern("plans:export", "xlsx").format(pk), export_csv=url_pattern("plans:export", "csv").format(pk),
        book=url_pattern("plans:document", "book").format(pk),
        announcement_pdf=url_pattern("plans:document", "announcement").format(pk),
        progress_pdf=url_pattern("plans:document", "progress").format(pk),
        announcements=reverse("announcements:list"), profile=reverse("orgs:profile", args=[plan.organisation.code]),
        glossary=reverse("glossary"))
    changes = context["changes"]
    return SafeString(render_to_string("plans/detail.jinja", {
        **context, "links": SimpleNamespace(**links), "tokens": form_tokens(request),
        # The changes' list is shared with the version pages (Django); shown only before approving.
        "changes_html": render_to_string("plans/versions/_changes.html", {"changes": changes}) if changes else "",
    }, using="jinja2"))
