"""A national list's whole page written in Python, when every template it is made of is the stock one.

The list page is a chain of seven templates (django-import-export's object tools, the project's
change_list.html and base_site.html, Django's change_list.html, base_site.html and base.html): with
the rows, filters, search form, actions, pagination and header already written by
lao_integrity.admin_rows, the chain itself (its blocks resolved per request, `{% now %}`, the
includes of the import/export links and object tools) was the largest part of what was left of the
page's time (issue 19's profile). Here the chain is checked once per process and template name
(`_chain`): when it is exactly those files, `ChangeListPage` writes what they write, to the byte
(tests/project/test_admin_rows.py compares every national list with Django's rendering); any other
chain, or a list with a formset, a sidebar or a date hierarchy, renders through Django's templates.
While a test listens, the page tells django.test's client its context as a render would
(response.context["messages"], response.context["cl"]).
"""

import functools
import sys
from datetime import datetime
from pathlib import Path

import django.contrib.admin
import import_export
from django.conf import settings
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.messages import get_messages
from django.middleware.csrf import get_token
from django.template import Context, Variable
from django.template.context import make_context
from django.template.loader import get_template, select_template
from django.template.loader_tags import ExtendsNode
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import get_script_prefix
from django.utils import dateformat, timezone
from django.utils.safestring import SafeData
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _

from lao_integrity import admin_rows
from lao_integrity.admin_rows import _text, _url, escape

# The folders of templates the chain's files are in: Django's admin, django-import-export's, the project's.
_DJANGO = Path(django.contrib.admin.__file__).resolve().parent / "templates"
_IMPORT_EXPORT = Path(import_export.__file__).resolve().parent / "templates"
_PROJECT = Path(settings.BASE_DIR).resolve() / "templates"

# The chain under django-import-export's templates, outermost first.
_BASE_CHAIN = (_PROJECT / "admin/change_list.html", _DJANGO / "admin/change_list.html",
               _PROJECT / "admin/base_site.html", _DJANGO / "admin/base_site.html", _DJANGO / "admin/base.html")
# django-import-export's list templates: the links each puts before the add link.
_TOOLS = {"admin/import_export/change_list_import_export.html": ("import", "export"),
          "admin/import_export/change_list_import.html": ("import",),
          "admin/import_export/change_list_export.html": ("export",)}


class ChangeListPage(TemplateResponse):
    """The list's TemplateResponse, written by `page` when its templates are the stock chain."""

    @property
    def rendered_content(self):
        written = page(self._request, self.template_name, self.context_data)
        return super().rendered_content if written is None else written


def page(request, template_name, data: dict) -> str | None:
    """The page's text, or None when Django's templates must render it."""
    cl = data.get("cl")
    if (cl is None or not getattr(cl, "fast_frame", False) or cl.formset or cl.date_hierarchy
            or data.get("is_nav_sidebar_enabled") or "ie_base_change_list_template" in data
            and data["ie_base_change_list_template"] != "admin/change_list.html"):
        return None
    names = tuple(template_name) if isinstance(template_name, (list, tuple)) else (template_name,)
    tools = _chain(names, cl.opts.app_label.lower(), cl.opts.model_name)
    if tools is None:
        return None
    # What the context processors add that these templates read (the view's own values win, as in
    # a RequestContext).
    context = {"request": request, "user": request.user, "messages": get_messages(request),
               "csrf_token": get_token(request), **data}
    written = _page(context, cl, tools)
    _tell_test_client(request, names, data)
    return written


def _tell_test_client(request, names: tuple, data: dict) -> None:
    """What a render tells django.test's client (response.context, response.templates), sent only
    while a test listens: its instrumented templates would have sent it."""
    test_signals = sys.modules.get("django.test.signals")
    if test_signals is None or not test_signals.template_rendered.has_listeners():
        return
    template = select_template(list(names)).template
    context = make_context(data, request)
    with context.bind_template(template):  # the context processors' values too
        test_signals.template_rendered.send(sender=template, template=template, context=context)


@functools.cache
def _chain(names: tuple, app_label: str, model_name: str) -> tuple | None:
    """The import/export links of the stock chain `names` resolves to, or None for any other."""
    template = select_template(list(names)).template
    context = Context({"ie_base_change_list_template": "admin/change_list.html"})
    context.template = template  # whose engine finds the parents, as a render's would
    origins = []
    while template is not None:
        origins.append(Path(template.origin.name).resolve())
        extends = next((node for node in template.nodelist if isinstance(node, ExtendsNode)), None)
        template = extends.get_parent(context) if extends is not None else None
    tools = ()
    for name, links in _TOOLS.items():
        if origins[0] == _IMPORT_EXPORT / name:
            tools = links
            if origins[1:2] != [_IMPORT_EXPORT / "admin/import_export/change_list.html"]:
                return None
            origins = origins[2:]
    if tuple(origins) != _BASE_CHAIN:
        return None
    for tool in tools:
        name = f"admin/import_export/change_list_{tool}_item.html"
        if Path(get_template(name).origin.name).resolve() != _IMPORT_EXPORT / name:
            return None
    # Found as InclusionAdminNode finds them: for the model, its app, then the admin's.
    for name, where in (("admin/change_list_object_tools.html", _DJANGO),
                        ("admin/large_change_list_results.html", _PROJECT)):
        short = name.removeprefix("admin/")
        found = select_template([f"admin/{app_label}/{model_name}/{short}", f"admin/{app_label}/{short}", name])
        if Path(found.origin.name).resolve() != where / name:
            return None
    return tools


def _page(context: dict, cl, tools: tuple) -> str:
    """admin/base.html with the blocks the chain fills."""
    popup = context.get("is_popup")
    bidi = get_language_bidi()
    opts = context.get("opts")
    title = _text(context.get("title"))
    subtitle = context.get("subtitle")
    site_title = context.get("site_title") or _("Django site admin")
    parts = [f'<!DOCTYPE html>\n\n<html lang="{_text(get_language() or "en-us")}" dir="{"rtl" if bidi else "ltr"}">\n'
             f"<head>\n<title>{_text(subtitle) + ' | ' if subtitle else ''}{title} | {_text(site_title)}</title>\n"
             f'<link rel="stylesheet" href="{_static("admin/css/base.css")}">\n\n'
             f'  <link rel="stylesheet" href="{_static("admin/css/dark_mode.css")}">\n'
             f'  <script src="{_static("admin/js/theme.js")}"></script>\n\n\n',
             admin_rows.extrastyle_text(context), "\n",
             f'<link rel="stylesheet" href="{_static("admin/css/rtl.css")}">' if bidi else "", "\n",
             f"\n\n{_text(Variable('media.js').resolve(context))}\n"
             f'<script src="{_static("admin/js/filters.js")}" defer></script>\n',
             f'\n\n    <meta name="viewport" content="width=device-width, initial-scale=1.0">\n'
             f'    <link rel="stylesheet" href="{_static("admin/css/responsive.css")}">\n    ',
             f'<link rel="stylesheet" href="{_static("admin/css/responsive_rtl.css")}">' if bidi else "",
             '\n\n<meta name="robots" content="NONE,NOARCHIVE">\n</head>\n\n'
             f'<body class="{"popup " if popup else ""} app-{_text(opts.app_label)} model-{_text(opts.model_name)}'
             f' change-list"\n  data-admin-utc-offset="{_utc_offset()}">\n'
             f'<a href="#content-start" class="skip-to-content-link">{escape(_("Skip to main content"))}</a>\n'
             '<!-- Container -->\n<div id="container">\n\n    ']
    if not popup:
        parts.append(f"\n    <!-- Header -->\n    {admin_rows.header_text(context)}\n    <!-- END Header -->\n    "
                     f'\n      <nav aria-label="{escape(_("Breadcrumbs"))}">\n        '
                     f"{admin_rows.breadcrumbs_text(context)}\n      </nav>\n    \n    ")
    parts.append('\n\n    <div class="main" id="main">\n      \n      <main id="content-start" class="content" tabindex="-1">'
                 f"\n        {_messages(context)}\n        <!-- Content -->\n"
                 '        <div id="content" class="">\n          \n          ')
    if title:
        parts.append(f"<h1>{title}</h1>")
    parts.append("\n          ")
    if subtitle:
        parts.append(f"<h2>{_text(subtitle)}</h2>")
    parts.extend(["\n          ", _content(context, cl, tools),
                  '\n          \n          <br class="clear">\n        </div>\n        <!-- END Content -->\n      </main>\n'
                  '    </div>\n    <footer id="footer"></footer>\n</div>\n<!-- END Container -->\n\n', _SVGS,
                  "\n</body>\n</html>\n"])
    return "".join(parts)


def _content(context: dict, cl, tools: tuple) -> str:
    """admin/change_list.html's content block with the project's and django-import-export's blocks."""
    parts = ['\n  <div id="content-main">\n    ', _object_tools(context, cl, tools),
             '\n    \n    <div class="module', " filtered" if cl.has_filters else "",
             '" id="changelist">\n      <div class="changelist-form-container">\n        ', admin_rows.search_form(cl),
             '\n        \n\n        <form id="changelist-form" method="post" novalidate>',
             admin_rows._csrf_input(context), "\n        \n\n        \n          "]
    shown = context.get("action_form") and cl.show_admin_actions
    if shown and context.get("actions_on_top"):
        parts.append(admin_rows.actions(context))
    parts.extend(["\n          ", _results(cl), "\n          "])
    if shown and context.get("actions_on_bottom"):
        parts.append(admin_rows.actions(context))
    parts.extend(["\n        \n        ", admin_rows.pagination(cl), "\n        </form>\n      </div>\n      ",
                  _filters(cl), "\n    </div>\n  </div>\n"])
    return "".join(parts)


def _object_tools(context: dict, cl, tools: tuple) -> str:
    """The object-tools block: Django's, or django-import-export's with its links before Django's
    change_list_object_tools.html (shown there with the permission to add only)."""
    add = context.get("has_add_permission")
    if add:
        opts = cl.opts
        add_url = _url(context, f"admin:{opts.app_label}_{opts.model_name}_add")
        href = add_preserved_filters(context, add_url, context.get("is_popup"), context.get("to_field"))
        name = _("Add %(name)s") % {"name": _text(opts.verbose_name)}
        link = (f'\n  <li>\n    \n    <a href="{_text(href)}" class="addlink">\n      {name}\n'
                "    </a>\n  </li>\n  ")
    else:
        link = ""
    djangos = f"\n            \n\n\n  {link}\n\n\n          "  # the object-tools-items block
    if not tools:
        return f'\n        <ul class="object-tools">\n          {djangos}\n        </ul>\n    '
    links = "".join([f"\n  {_tool_link(context, cl, tool)}" for tool in tools])
    items = f"\n        {djangos}\n      " if add else ""
    return f'\n  <ul class="object-tools">\n    {links}\n  \n      {items}\n    \n\n  </ul>\n'


def _tool_link(context: dict, cl, tool: str) -> str:
    """admin/import_export/change_list_<tool>_item.html."""
    if not context.get(f"has_{tool}_permission"):
        return "\n\n\n\n"
    opts = cl.opts
    url = _url(context, f"admin:{opts.app_label}_{opts.model_name}_{tool}")
    if tool == "import":
        return f"\n\n\n\n<li><a href='{_text(url)}' class=\"import_link\">{escape(_('Import'))}</a></li>\n\n"
    return (f'\n\n\n\n<li><a href="{_text(url)}{_text(cl.get_query_string())}" class="export_link">'
            f"{escape(_('Export'))}</a></li>\n\n")


def _results(cl) -> str:
    """{% result_rows cl %}: the project's admin/large_change_list_results.html."""
    values = admin_rows.result_list(cl)
    if not values["rows"]:
        return "\n\n\n"
    return (f'\n\n\n<div class="results">\n<table id="result_list">\n<thead>\n<tr>\n{values["headers"]}\n</tr>\n</thead>\n'
            f'<tbody>\n{values["rows"]}\n</tbody>\n</table>\n</div>\n\n')


def _filters(cl) -> str:
    """The project's filters block."""
    if not cl.has_filters:
        return "\n        \n      "
    parts = ['\n        \n          <nav id="changelist-filter" aria-labelledby="changelist-filter-header">\n'
             f'            <h2 id="changelist-filter-header">{escape(_("Filter"))}</h2>\n            ']
    if cl.is_facets_optional or cl.has_active_filters:
        parts.append('<div id="changelist-filter-extra-actions">\n              ')
        if cl.is_facets_optional:
            if cl.add_facets:
                link = f'<a href="{_text(cl.remove_facet_link)}" class="hidelink">{escape(_("Hide counts"))}</a>\n                '
            else:
                link = f'<a href="{_text(cl.add_facet_link)}" class="viewlink">{escape(_("Show counts"))}</a>'
            parts.append(f"<h3>\n                {link}\n              </h3>")
        parts.append("\n              ")
        if cl.has_active_filters:
            parts.append(f'<h3>\n                <a href="{_text(cl.clear_all_filters_qs)}">&#10006; '
                         f'{escape(_("Clear all filters"))}</a>\n              </h3>')
        parts.append("\n            </div>")
    parts.append("\n            ")
    parts.extend([admin_rows.list_filter(cl, spec) for spec in cl.filter_specs])
    parts.append("\n          </nav>\n        \n      ")
    return "".join(parts)


def _messages(context: dict) -> str:
    """admin/base.html's messages block (reading them marks them shown, as the template's loop does)."""
    messages = context.get("messages")
    if not messages:
        return "\n          \n        "
    items = []
    for message in messages:
        tags = f' class="{_text(message.tags)}"' if message.tags else ""
        text = str(message)
        # |capfirst keeps a message's markup (the admin's links), and escapes a plain text
        first = text and text[0].upper() + text[1:]
        items.append(f"\n              <li{tags}>{first if isinstance(text, SafeData) else escape(first)}</li>\n            ")
    return f'\n          \n            <ul class="messagelist">{"".join(items)}</ul>\n          \n        '


def _utc_offset() -> str:
    """{% now "Z" %}."""
    return dateformat.format(datetime.now(tz=timezone.get_current_timezone() if settings.USE_TZ else None), "Z")


def _static(path: str) -> str:
    """{% static path %}, looked up once per script prefix (the manifest's names do not change while
    a process runs)."""
    key = (get_script_prefix(), path)
    found = _STATIC.get(key)
    if found is None:
        if len(_STATIC) >= 256:
            _STATIC.clear()
        found = _STATIC[key] = escape(static(path))
    return found


_STATIC: dict = {}
# base.html's icons, between its comments, as the file has them.
_SVGS = "<!-- SVGs -->" + (_DJANGO / "admin/base.html").read_text().split("<!-- SVGs -->", 1)[1].split("{% block", 1)[0]
