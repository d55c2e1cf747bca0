"""The plan pages' hot fragments: the summary table's rows and the plan list's rows as Jinja2
templates (plans/jinja2/plans/), with each row's addresses formatted from one `reverse`
per kind of link (issue 19: the rows' tags, filters and `{% url %}`s were most of the page's render)."""

from types import SimpleNamespace
from urllib.parse import quote

from django.template.backends.utils import csrf_input
from django.template.defaultfilters import linebreaksbr
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from markupsafe import Markup

from lao_integrity.submissions.once import FIELD, PLACEHOLDER

from .models import PlanStatus

_ID = 2147483647  # an id no row has: reversed once, then replaced by "{}"


def url_pattern(name: str, *args) -> str:
    """`name`'s address with "{}" where the project's id goes (its other arguments fixed)."""
    return reverse(name, args=[_ID, *args]).replace(str(_ID), "{}")


def form_tokens(request) -> SafeString:
    """What {% form_tokens %} writes (lao_integrity/templatetags/submissions.py): the CSRF token and
    the once-only token's placeholder, which the middleware fills afresh in each form."""
    return format_html('{}<input type="hidden" name="{}" value="{}">', csrf_input(request), FIELD, PLACEHOLDER)


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


def summary_rows(request, projects, *, quarters, can_edit: bool, record_quarter: int | None, back: str,
                 moving: bool) -> SafeString:
    urls = {"sheet": url_pattern("plans:sheet"), "sheet_edit": url_pattern("plans:sheet_edit")}
    if can_edit:
        urls.update(project_edit=url_pattern("plans:project_edit"), project_move=url_pattern("plans:project_move"),
                    project_delete=url_pattern("plans:project_delete"))
        if record_quarter:
            urls["progress_edit"] = url_pattern("plans:progress_edit", record_quarter)
    return SafeString(render_to_string("plans/_summary_rows.jinja", {
        "rows": list(zip(projects, quarter_cells(projects, quarters), strict=True)), "can_edit": can_edit,
        "record_quarter": record_quarter,
        # As Django's urlencode filter quotes it.
        "back_q": quote(back, safe="/"), "moving": moving, "urls": urls,
        "tokens": form_tokens(request) if can_edit and moving else "",
    }, using="jinja2"))


def plan_rows(plans) -> SafeString:
    """The plan list's rows."""
    return SafeString(render_to_string("plans/_list_rows.jinja", {
        "plans": plans, "detail": url_pattern("plans:detail"), "statuses": dict(PlanStatus.choices),
    }, using="jinja2"))


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


def plan_page(request, plan, context: dict) -> SafeString:
    """The plan page's body (plans/jinja2/plans/detail.jinja) from the view's `context`, with its
    links and its forms' tokens."""
    pk = plan.pk
    links = {name: reverse(f"plans:{name}", args=[pk]) for name in (
        "versions", "changes", "project_add", "import", "progress", "settings", "copy", "approve", "history")}
    links.update(
        version=url_pattern("plans:version"), announcement=url_pattern("announcements:detail"),
        export_xlsx=reverse("plans:export", args=[pk, "xlsx"]), export_csv=reverse("plans:export", args=[pk, "csv"]),
        book=reverse("plans:document", args=[pk, "book"]),
        announcement_pdf=reverse("plans:document", args=[pk, "announcement"]),
        progress_pdf=reverse("plans:document", args=[pk, "progress"]),
        announcements=reverse("announcements:list"), profile=reverse("orgs:profile", args=[plan.organisation.code]),
        glossary=reverse("glossary"))
    changes = context["changes"]
    return SafeString(render_to_string("plans/detail.jinja", {
        **context, "links": SimpleNamespace(**links), "tokens": form_tokens(request), "linebreaksbr": linebreaksbr,
        # The changes' list is shared with the version pages (Django); shown only before approving.
        "changes_html": render_to_string("plans/versions/_changes.html", {"changes": changes}) if changes else "",
    }, using="jinja2"))
