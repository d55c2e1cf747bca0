"""The result rows and filters of a national change list (LargeChangeList), written out in Python.

Django's `items_for_result` decides, for every cell of every row, what the column is (a field, an
admin method, a property), how it is displayed, its classes and whether it links: 50 rows of 8
columns was most of a list page's time (issue 19's profile). Here the decisions are taken once per
column (`columns`), and each row is a few string joins; the filters' admin/filter.html is written
the same way. The markup is Django's own, to the whitespace (tests/project/test_admin_rows.py
compares every national list with the page Django's code writes); a column this module does not
recognise gets items_for_result's code for its cell, and a list with editable columns (a formset)
Django's `result_list` altogether (templates/admin/change_list.html).

The frame around them is written the same way where its templates are Django's own for the page
(LargeChangeList.fast_frame; each block checked where it is defined): the search form, actions and
pagination, the header, the styles and the breadcrumbs. Any other block stays Django's template.
"""

import datetime
import functools
import html
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote as urlquote
from urllib.parse import quote_plus

import django.contrib.admin
from django.conf import settings
from django.contrib.admin import helpers
from django.contrib.admin.filters import AllValuesFieldListFilter
from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import (
    FieldIsAForeignKeyColumnName,
    _get_non_gfk_field,
    display_for_field,
    display_for_value,
    lookup_field,
    quote,
)
from django.contrib.admin.views.main import IS_FACETS_VAR, IS_POPUP_VAR, SEARCH_VAR
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.template import Context, Variable
from django.template.base import render_value_in_context
from django.template.loader import get_template, select_template
from django.templatetags.static import static
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import formats, numberformat
from django.utils.encoding import iri_to_uri
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

CHECKBOX_LABEL = "Select this object for an action - {}"  # Django's message, translated by Django's catalogue
KEY_PLACEHOLDER = "0-0-0"  # a primary key no URL pattern rejects; replaced by each row's key


def escape(value) -> str:
    """django.utils.html.conditional_escape's text, without its lazy-string wrapper."""
    if type(value) is str:  # most cells' text: no markup to keep
        return html.escape(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def checkbox(pk, text: str, label: str) -> str:
    """The action checkbox Django's CheckboxInput writes for a row (`label` is the translated
    CHECKBOX_LABEL)."""
    return (f'<input type="checkbox" name="{helpers.ACTION_CHECKBOX_NAME}" value="{escape(pk)}"'
            f' class="action-select" aria-label="{label.format(escape(text))}">')


def url_key(pk) -> str:
    """A primary key as `reverse` writes it into a URL."""
    return urlquote(str(quote(pk)), safe=RFC3986_SUBDELIMS + "/~:@")


def result_list(cl) -> dict:
    """The context of admin/large_change_list_results.html: Django's `result_list` tag's headers
    (admin_list.result_list), the rows one string as Django's change_list_results.html writes them."""
    headers = list(admin_list.result_headers(cl))
    cells = columns(cl)
    rows = "".join([f"\n\n<tr>{''.join([cell(obj) for cell in cells])}</tr>\n" for obj in cl.result_list])
    num_sorted = sum(1 for h in headers if h["sortable"] and h["sorted"])
    return {"cl": cl, "result_hidden_fields": [], "result_headers": headers, "num_sorted_fields": num_sorted,
            "headers": mark_safe(header_cells(headers, num_sorted)), "rows": mark_safe(rows)}


def header_cells(headers: list, num_sorted: int) -> str:
    """The <th> of each column as change_list_results.html's loop over result_headers writes them."""
    remove, toggle = escape(_("Remove from sorting")), escape(_("Toggle sorting"))
    cells = []
    for header in headers:
        options = ""
        if header["sortable"] and header["sort_priority"] > 0:
            priority = ""
            if num_sorted > 1:
                title = _("Sorting priority: %(priority_number)s") % {"priority_number": _text(header["sort_priority"])}
                priority = f'<span class="sortpriority" title="{title}">{_text(header["sort_priority"])}</span>'
            direction = "ascending" if header["ascending"] else "descending"
            options = (f'\n       <div class="sortoptions">\n         <a class="sortremove" href="{_text(header["url_remove"])}"'
                       f' title="{remove}"></a>\n         {priority}\n         <a href="{_text(header["url_toggle"])}"'
                       f' class="toggle {direction}" title="{toggle}"></a>\n       </div>\n   ')
        text = header["text"]
        # |capfirst: a safe text (the checkbox's markup) stays markup, any other is escaped
        first = str(text)
        first = first and first[0].upper() + first[1:]
        first = first if hasattr(text, "__html__") else html.escape(first)
        label = (f'<a href="{_text(header["url_primary"])}">{first}</a>' if header["sortable"]
                 else f"<span>{first}</span>")
        cells.append(f'\n<th scope="col"{_text(header["class_attrib"])}>\n   {options}\n   <div class="text">{label}</div>'
                     '\n   <div class="clear"></div>\n</th>')
    return "".join(cells)


def list_filter(cl, spec) -> str:
    """admin_list_filter(cl, spec): Django's admin/filter.html written out, or rendered by Django when
    the filter names another template or the project overrides that one."""
    if spec.template != "admin/filter.html" or not _djangos_filter_template():
        return admin_list.admin_list_filter(cl, spec)
    title = escape(spec.title)
    items = []
    choices = _all_values_choices(cl, spec) if type(spec) is AllValuesFieldListFilter else None
    # urlencode's text is a URI already (iri_to_uri leaves it as it is)
    encoded = choices is not None
    for choice in choices or spec.choices(cl):
        selected = ' class="selected"' if choice["selected"] else ""
        display = choice["display"]
        # a plain text is escaped as the template's {{ }} escapes it (nothing to localise)
        display = html.escape(display) if type(display) is str else escape(render_value_in_context(display, _AUTOESCAPE))
        query = choice["query_string"]
        href = html.escape(query) if encoded else escape(iri_to_uri(query))
        items.append(f'\n    <li{selected}>\n    <a href="{href}">{display}</a></li>\n  ')
    by = _(" By %(filter_title)s ") % {"filter_title": title}
    return (f'\n<details data-filter-title="{title}" open>\n  <summary>\n    {by}\n  </summary>\n  <ul>\n  '
            f'{"".join(items)}\n  </ul>\n</details>\n')


_AUTOESCAPE = Context(autoescape=True)


def _quoted(value: str) -> str:
    """quote_plus(value), kept: a filter's values (Thai province names) recur on every page."""
    quoted = _QUOTED.get(value)
    if quoted is None:
        if len(_QUOTED) >= 4096:
            _QUOTED.clear()
        quoted = _QUOTED[value] = quote_plus(value)
    return quoted


_QUOTED: dict[str, str] = {}


def _all_values_choices(cl, spec) -> list | None:
    """AllValuesFieldListFilter.choices(cl) without facets (None with them), each value's link
    written around the list's other parameters encoded once (get_query_string's text: the pairs
    sorted by name, each encoded by urlencode). 77 provinces on the ITA list."""
    from lao_integrity.admin_site import LargeChangeList  # which imports this module

    if cl.add_facets or type(cl).get_query_string is not LargeChangeList.get_query_string:
        return None
    name, isnull = spec.lookup_kwarg, spec.lookup_kwarg_isnull
    others = {key: value for key, value in cl.filter_params.items() if key != name and not key.startswith(isnull)}
    before = "".join(f"{pair}&" for key, value in sorted(others.items()) if key < name
                     for pair in [cl._encoded(key, value)] if pair)
    after = "".join(f"&{pair}" for key, value in sorted(others.items()) if key > name
                    for pair in [cl._encoded(key, value)] if pair)
    prefix = f"?{before}{quote_plus(name)}="
    choices = [{"selected": spec.lookup_val is None and spec.lookup_val_isnull is None,
                "query_string": cl.get_query_string(remove=[name, isnull]), "display": _("All")}]
    include_none = False
    for value in spec.lookup_choices:
        if value is None:
            include_none = True
            continue
        value = str(value)
        choices.append({"selected": spec.lookup_val is not None and value in spec.lookup_val,
                        "query_string": f"{prefix}{_quoted(value)}{after}", "display": value})
    if include_none:
        choices.append({"selected": bool(spec.lookup_val_isnull),
                        "query_string": cl.get_query_string({isnull: "True"}, [name]),
                        "display": spec.empty_value_display})
    return choices


@functools.cache
def _djangos_filter_template() -> bool:
    origin = Path(get_template("admin/filter.html").origin.name).resolve()
    return origin.is_relative_to(Path(django.contrib.admin.__file__).resolve().parent / "templates")


def columns(cl) -> list:
    """One function per column of `cl.list_display`, object → the cell's markup."""
    cells, first = [], True
    for index, name in enumerate(cl.list_display):
        if cl.list_display_links is None:
            link = False
        else:
            link = (first and not cl.list_display_links) or name in cl.list_display_links
        cells.append(_column(cl, index, name, link, first) or _lookup_column(cl, index, name, link, first))
        first = first and not link
    return cells


def _links(cl):
    """obj → the URL of its change page with the list's filters kept (as items_for_result writes it);
    raises NoReverseMatch when the model has no change page."""
    template = getattr(cl, "change_url_template", None)
    if template is None:
        def url(obj):
            return add_preserved_filters({"preserved_filters": cl.preserved_filters, "opts": cl.opts},
                                         cl.url_for_result(obj))
        return url
    # The key sits in the path, so the filters added to the placeholder's URL are any row's.
    template = add_preserved_filters({"preserved_filters": cl.preserved_filters, "opts": cl.opts}, template)
    attname = cl.pk_attname

    def url(obj):
        key = getattr(obj, attname)
        # an integer key is its digits in a URL (url_key's text, without its quoting)
        return template.replace(KEY_PLACEHOLDER, str(key) if type(key) is int else url_key(key), 1)
    return url


def _wrap(cl, name_class: str, link: bool, first: bool):
    """repr → the cell: a <td>, or the link column's <th>/<td> around an <a> (Django's markup)."""
    if not link:
        def cell(obj, text, extra=""):
            return f'<td class="{name_class}{extra}">{text}</td>'
        return cell
    tag = "th" if first else "td"
    try:
        url = _links(cl)
    except NoReverseMatch:
        def url(obj):
            raise NoReverseMatch
    popup_attr = str(cl.to_field) if cl.to_field else cl.lookup_opts.pk.attname

    def cell(obj, text, extra=""):
        try:
            href = html.escape(url(obj))
        except NoReverseMatch:
            return f'<{tag} class="{name_class}{extra}">{text}</{tag}>'
        popup = f' data-popup-opener="{escape(obj.serializable_value(popup_attr))}"' if cl.is_popup else ""
        return f'<{tag} class="{name_class}{extra}"><a href="{href}"{popup}>{text}</a></{tag}>'
    return cell


def _numbers():
    """Django's number_format with this request's language settings read once; without grouping
    (USE_THOUSAND_SEPARATOR off), an integer or a decimal of its field's places is written as
    numberformat writes it, without its walk."""
    lang = get_language()
    decimal_sep = formats.get_format("DECIMAL_SEPARATOR", lang, use_l10n=True)
    grouping = formats.get_format("NUMBER_GROUPING", lang, use_l10n=True)
    thousand_sep = formats.get_format("THOUSAND_SEPARATOR", lang, use_l10n=True)
    grouped = settings.USE_THOUSAND_SEPARATOR and grouping != 0

    def number(value, decimal_pos=None):
        if not grouped:
            kind = type(value)
            if kind is int and not decimal_pos:
                return str(value)
            if kind is Decimal and decimal_pos:
                _sign, digits, exponent = value.as_tuple()
                # numberformat's own text for a non-negative decimal of exactly decimal_pos places
                if exponent == -decimal_pos and not _sign and len(digits) < 190:
                    text = f"{value:f}"
                    return text if decimal_sep == "." else text.replace(".", decimal_sep)
        return numberformat.format(value, decimal_sep, decimal_pos, grouping, thousand_sep, use_l10n=True)
    # a number's text (digits, sign, exponent and these separators) is its own markup
    number.plain = html.escape(decimal_sep + thousand_sep) == decimal_sep + thousand_sep
    return number


def _column(cl, index, name, link, first):
    """The fast cell of a model field or an admin method; None for anything else."""
    model_admin = cl.model_admin
    empty = model_admin.get_empty_value_display()
    name_class = f"field-{admin_list._coerce_field_name(name, index)}"
    try:
        field = _get_non_gfk_field(cl.lookup_opts, name)
    except (FieldDoesNotExist, FieldIsAForeignKeyColumnName):
        field = None
    if field is None:
        if callable(name) or not isinstance(name, str) or name == "__str__" or not hasattr(model_admin, name):
            return None
        method = getattr(model_admin, name)
        if name == "action_checkbox" and getattr(method, "fast_checkbox", False):
            label = _(CHECKBOX_LABEL)
            attname = cl.pk_attname

            def checkbox_cell(obj):
                return f'<td class="action-checkbox">{checkbox(getattr(obj, attname), str(obj), label)}</td>'
            return checkbox_cell
        return _method_column(cl, name_class if name != "action_checkbox" else "action-checkbox", method,
                              empty, link, first)
    if field.auto_created or field.is_relation and not isinstance(field.remote_field, models.ManyToOneRel):
        return None
    wrap = _wrap(cl, name_class, link, first)
    attname = field.name
    if isinstance(field.remote_field, models.ManyToOneRel):
        def related(obj):
            try:
                value = getattr(obj, attname)
            except ObjectDoesNotExist:
                return wrap(obj, empty)
            return wrap(obj, empty if value is None else escape(value), " nowrap")
        return related
    display = _field_display(field, empty, link)
    extra = " nowrap" if isinstance(field, (models.DateField, models.TimeField)) else ""
    if getattr(display, "writes_html", False) and not link:
        # a number or a boolean's icon, its markup written as it is; the cell's <td> written once
        head = f'<td class="{name_class}{extra}">'

        def html_cell(obj):
            value = getattr(obj, attname)
            if isinstance(value, str) and value.strip() == "":
                value = ""
            return f"{head}{display(value)}</td>"
        return html_cell

    def value_cell(obj):
        value = getattr(obj, attname)
        if isinstance(value, str) and value.strip() == "":
            value = ""
        return wrap(obj, escape(display(value)), extra)
    return value_cell


def _field_display(field, empty, link):
    """value → display_for_field(value, field, empty, avoid_link=link), the field's branch chosen once."""
    if getattr(field, "flatchoices", None):
        try:
            choices = dict(field.flatchoices)
        except TypeError:
            choices = None
        if choices is not None:
            def choice(value):
                try:
                    return choices.get(value, empty)
                except TypeError:
                    return display_for_field(value, field, empty, avoid_link=link)
            return choice
    elif isinstance(field, models.BooleanField):
        icons = {value: admin_list._boolean_icon(value) for value in (True, False, None)}

        def boolean(value):
            if value is True or value is False or value is None:
                return icons[value]
            return admin_list._boolean_icon(value)
        boolean.writes_html = True  # the icons' markup (escape leaves it as it is)
        return boolean
    elif isinstance(field, (models.DecimalField, models.IntegerField, models.FloatField)):
        number, empty_values = _numbers(), field.empty_values
        places = field.decimal_places if isinstance(field, models.DecimalField) else None
        empty_html = escape(empty)
        plain = number.plain

        def numeric(value):
            return empty if value in empty_values else number(value, places)

        def numeric_html(value):  # escape(numeric(value)), a number's digits and separators as they are
            if value in empty_values:
                return empty_html
            text = number(value, places)
            return text if plain and type(value) in _NUMBERS else escape(text)
        numeric_html.writes_html = True
        return numeric_html if not link else numeric
    elif isinstance(field, (models.CharField, models.TextField)) and not isinstance(field, models.URLField):
        empty_values = field.empty_values

        def text(value):  # display_for_field's last branch, display_for_value, for a string
            if value in empty_values:
                return empty
            return value if type(value) is str else display_for_value(value, empty)
        return text
    return lambda value: display_for_field(value, field, empty, avoid_link=link)


_NUMBERS = {int, Decimal, float}


def _method_column(cl, name_class, method, empty, link, first):
    """An admin method's column (`def quarters_text(self, obj)`), as items_for_result shows it."""
    own_empty = getattr(method, "empty_value_display", empty)
    boolean = getattr(method, "boolean", False)
    wrap = _wrap(cl, name_class, link, first)

    def method_cell(obj):
        try:
            value = method(obj)
        except ObjectDoesNotExist:
            return wrap(obj, empty)
        if type(value) is str and not boolean:  # display_for_value's text for a string, without its tests
            return wrap(obj, escape(value) if value.strip() else empty_html)
        if isinstance(value, str) and value.strip() == "":
            value = ""
        extra = " nowrap" if isinstance(value, (datetime.date, datetime.time)) else ""
        return wrap(obj, escape(display_for_value(value, own_empty, boolean)), extra)
    empty_html = escape(own_empty)
    return method_cell


def _lookup_column(cl, index, name, link, first):
    """Any other column (a property, a model method, a callable, `__str__`, a relation Django shows
    its own way): items_for_result's code for one cell, `lookup_field` on every row."""
    model_admin = cl.model_admin
    default_empty = model_admin.get_empty_value_display()
    name_class = "action-checkbox" if name == "action_checkbox" else f"field-{admin_list._coerce_field_name(name, index)}"
    wrap = _wrap(cl, f"field-{admin_list._coerce_field_name(name, index)}", link, first)
    checkbox_wrap = _wrap(cl, name_class, link, first)

    def cell(obj):
        try:
            field, attr, value = lookup_field(name, obj, model_admin)
        except ObjectDoesNotExist:
            return wrap(obj, default_empty)
        empty = getattr(attr, "empty_value_display", default_empty)
        if isinstance(value, str) and value.strip() == "":
            value = ""
        if field is None or field.auto_created:
            boolean = getattr(attr, "boolean", False)
            if isinstance(attr, property) and hasattr(attr, "fget"):
                boolean = getattr(attr.fget, "boolean", False)
            text = escape(display_for_value(value, empty, boolean))
            extra = " nowrap" if isinstance(value, (datetime.date, datetime.time)) else ""
            return (checkbox_wrap if name == "action_checkbox" else wrap)(obj, text, extra)
        if isinstance(field.remote_field, models.ManyToOneRel):
            related = getattr(obj, field.name)
            text = empty if related is None else escape(related)
        else:
            text = escape(display_for_field(value, field, empty, avoid_link=link))
        nowrap = isinstance(field, (models.DateField, models.TimeField, models.ForeignKey))
        return wrap(obj, text, " nowrap" if nowrap else "")
    return cell


# --- the list's frame: Django's admin/pagination.html, search_form.html and actions.html written out ----


def frame_is_djangos(cl) -> bool:
    """Whether this list's pagination, search form and actions are Django's own templates (none
    overridden for its model or app), so `pagination`, `search_form` and `actions` write them."""
    return _frame_is_djangos(cl.opts.app_label.lower(), cl.opts.model_name)


@functools.cache
def _frame_is_djangos(app_label: str, model_name: str) -> bool:
    admin_templates = Path(django.contrib.admin.__file__).resolve().parent / "templates"
    for name in ("admin/pagination.html", "admin/search_form.html", "admin/actions.html"):
        name = name.removeprefix("admin/")  # found as InclusionAdminNode finds it
        template = select_template([f"admin/{app_label}/{model_name}/{name}", f"admin/{app_label}/{name}",
                                    f"admin/{name}"])
        if not Path(template.origin.name).resolve().is_relative_to(admin_templates):
            return False
    return True


def _text(value) -> str:
    """{{ value }} in an autoescaped template."""
    return escape(render_value_in_context(value, _AUTOESCAPE))


def pagination(cl) -> str:
    """{% pagination cl %} (admin/pagination.html)."""
    context = admin_list.pagination(cl)
    parts = ['\n\n<p class="paginator">\n']
    if context["pagination_required"]:
        parts.append("\n")
        parts.extend([f"\n    {_text(admin_list.paginator_number(cl, i))}\n" for i in context["page_range"]])
        parts.append("\n")
    count = cl.result_count
    name = cl.opts.verbose_name if count == 1 else cl.opts.verbose_name_plural
    parts.append(f"\n{_text(count)} {_text(name)}\n")
    if context["show_all_url"]:
        parts.append(f'<a href="{_text(context["show_all_url"])}" class="showall">{escape(_("Show all"))}</a>')
    parts.append("\n")
    if cl.formset and count:
        parts.append(f'<input type="submit" name="_save" class="default" value="{escape(_("Save"))}">')
    parts.append("\n</p>\n")
    return "".join(parts)


def search_form(cl) -> str:
    """{% search_form cl %} (admin/search_form.html)."""
    if not cl.search_fields:
        return "\n\n"
    help_text = cl.search_help_text
    described = ' aria-describedby="searchbar_helptext"' if help_text else ""
    parts = ['\n\n<div id="toolbar"><form id="changelist-search" method="get" role="search">\n'
             '<div><!-- DIV needed for valid HTML -->\n'
             f'<label for="searchbar"><img src="{_text(static("admin/img/search.svg"))}" alt="Search"></label>\n'
             f'<input type="text" size="40" name="{SEARCH_VAR}" value="{_text(cl.query)}" id="searchbar"{described}>\n'
             f'<input type="submit" value="{escape(_("Search"))}">\n']
    if cl.result_count != cl.full_result_count:
        count = cl.result_count
        results = ngettext("%(counter)s result", "%(counter)s results", count) % {"counter": _text(count)}
        query = ""
        if cl.is_popup:
            query = f"{IS_POPUP_VAR}=1" + ("&" if cl.add_facets else "")  # unescaped, as the template has it
        if cl.add_facets:
            query += IS_FACETS_VAR
        if cl.show_full_result_count:
            link = _("%(full_result_count)s total") % {"full_result_count": _text(cl.full_result_count)}
        else:
            link = escape(_("Show all"))
        parts.append(f'\n    <span class="small quiet">{results} (<a href="?{query}">{link}</a>)</span>\n')
    parts.append("\n")
    for key, value in cl.params.items():
        hidden = f'<input type="hidden" name="{_text(key)}" value="{_text(value)}">' if key != SEARCH_VAR else ""
        parts.append(f"\n    {hidden}\n")
    parts.append("\n</div>\n")
    if help_text:
        parts.append(f'\n<br class="clear">\n<div class="help" id="searchbar_helptext">{_text(help_text)}</div>\n')
    parts.append("\n</form></div>\n\n")
    return "".join(parts)


def actions(context) -> str:
    """{% admin_actions %} (admin/actions.html), counting the times it is written as Django's tag does."""
    index = context["action_index"] = context.get("action_index", -1) + 1
    cl = context["cl"]
    parts = ['\n<div class="actions">\n  \n    \n    ', _action_fields(context["action_form"]), "\n    \n    \n    "
             f'<button type="submit" class="button" title="{escape(_("Run the selected action"))}" name="index"'
             f' value="{_text(index or 0)}">{escape(_("Go"))}</button>\n    \n    \n    ']
    if context.get("actions_selection_counter"):
        shown = len(cl.result_list)
        parts.append(f'\n        <span class="action-counter" data-actions-icnt="{_text(shown)}">'
                     f'{_text(context.get("selection_note", ""))}</span>\n        ')
        if cl.result_count != shown:
            select_all = _("Select all %(total_count)s %(module_name)s") % {
                "total_count": _text(cl.result_count), "module_name": _text(context.get("module_name", ""))}
            parts.append(f'\n        <span class="all hidden">{_text(context.get("selection_note_all", ""))}</span>\n'
                         '        <span class="question hidden">\n'
                         '            <a role="button" href="#" title="'
                         f'{escape(_("Click here to select the objects across all pages"))}">{select_all}</a>\n'
                         '        </span>\n'
                         f'        <span class="clear hidden"><a role="button" href="#">{escape(_("Clear selection"))}'
                         '</a></span>\n        ')
        parts.append("\n    ")
    parts.append("\n    \n  \n</div>\n")
    return "".join(parts)


def _action_fields(form) -> str:
    """The action form's fields as actions.html writes them; Django's unbound ActionForm's are the
    same for the same actions (and language), so written once for them."""
    key = None
    if type(form) is helpers.ActionForm and not form.is_bound and list(form.fields) == ["action", "select_across"]:
        key = (get_language(), _plain(form.fields["action"].choices), _plain(form.initial))
        written = _ACTION_FIELDS.get(key)
        if written is not None:
            return written
    fields = []
    for field in form:
        fields.append(f"<label>{_text(field.label)} {_text(field)}</label>" if field.label else _text(field))
    written = "".join(fields)
    if key is not None:
        if len(_ACTION_FIELDS) >= 64:
            _ACTION_FIELDS.clear()
        _ACTION_FIELDS[key] = written
    return written


_ACTION_FIELDS: dict = {}


def _plain(value):
    """Choices (or initial values) as a key: their texts, lazy translations read."""
    if isinstance(value, dict):
        return tuple((str(key), _plain(inner)) for key, inner in value.items())
    if isinstance(value, (list, tuple)):
        return tuple(_plain(inner) for inner in value)
    return str(value)


# --- the page's header (admin/base.html's header block with base_site.html's branding) ---------------


def header(context) -> str:
    """The header block of admin/base.html as Django's templates write it, or "" when a template
    of this page overrides one of the blocks inside it (the page then renders Django's)."""
    if not _stock_blocks(context, _HEADER_BLOCKS):
        return ""
    return header_text(context)


def header_text(context) -> str:
    """The header block of Django's admin/base.html and base_site.html (`context`: the page's values)."""
    user = context.get("user")
    anonymous = user is None or user.is_anonymous
    site_header = context.get("site_header") or _("Django administration")
    branding = (f'\n<div id="site-name"><a href="{_text(_url(context, "admin:index"))}">{_text(site_header)}</a></div>\n'
                + (f"\n  {_theme_toggle()}\n" if anonymous else "") + "\n")
    tools = ""
    if context.get("has_permission"):
        name = (user.get_short_name() or user.get_username()) if not anonymous else ""
        welcome = f"\n                {escape(_('Welcome,'))}\n                <strong>{_text(name)}</strong>.\n            "
        links = ["\n                "]
        site_url = context.get("site_url")
        if site_url:
            links.append(f'\n                    <a href="{_text(site_url)}">{escape(_("View site"))}</a> /\n                ')
        links.append("\n                ")
        if user.is_active and user.is_staff:
            links.append("\n                    \n                    ")
            docsroot = _url(context, "django-admindocs-docroot", missing="")
            if docsroot:
                links.append(f'\n                        <a href="{_text(docsroot)}">{escape(_("Documentation"))}</a> /'
                             "\n                    ")
            links.append("\n                ")
        links.append("\n                ")
        if user.has_usable_password():
            links.append(f'\n                <a href="{_text(_url(context, "admin:password_change"))}">'
                         f'{escape(_("Change password"))}</a> /\n                ')
        links.append(f'\n                <form id="logout-form" method="post" action="{_text(_url(context, "admin:logout"))}">'
                     f"\n                    {_csrf_input(context)}\n                    <button type=\"submit\">"
                     f"{escape(_('Log out'))}</button>\n                </form>\n                {_theme_toggle()}\n            ")
        tools = (f'\n        <div id="user-tools">\n            {welcome}\n            {"".join(links)}\n        </div>\n'
                 "        ")
    return (f'\n      <header id="header">\n        <div id="branding">\n        {branding}\n        </div>\n'
            f"        \n        {tools}\n        \n        \n      </header>\n    ")


# The blocks inside the header, each where Django's templates define it last.
_HEADER_BLOCKS = {"branding": "admin/base_site.html", "usertools": "admin/base.html", "welcome-msg": "admin/base.html",
                  "userlinks": "admin/base.html", "nav-global": "admin/base_site.html"}


def _stock_blocks(context, blocks: dict) -> bool:
    """Whether each block's definition in force on this page is Django's own (admin/…)."""
    from django.template.loader_tags import BLOCK_CONTEXT_KEY

    block_context = context.render_context.get(BLOCK_CONTEXT_KEY)
    if block_context is None:
        return False
    for name, file in blocks.items():
        node = block_context.get_block(name)
        if node is None or not _is_djangos_admin_template(node.origin.name, file):
            return False
    return True


@functools.cache
def _is_djangos_admin_template(path: str, name: str) -> bool:
    return Path(path).resolve() == Path(django.contrib.admin.__file__).resolve().parent / "templates" / name


def _url(context, name: str, missing=None, **kwargs) -> str:
    """{% url name key=value %}, reversed once per script prefix, URL configuration and app."""
    request = context.get("request")
    current_app = getattr(request, "current_app", None)
    if current_app is None:
        match = getattr(request, "resolver_match", None)
        current_app = match.namespace if match else None
    key = (get_script_prefix(), get_urlconf(), name, current_app, *sorted(kwargs.items()))
    found = _URLS.get(key)
    if found is None:
        try:
            found = reverse(name, kwargs=kwargs or None, current_app=current_app)
        except NoReverseMatch:
            if missing is None:
                raise
            found = missing
        if len(_URLS) >= 256:
            _URLS.clear()
        _URLS[key] = found
    return found


_URLS: dict = {}


def _csrf_input(context) -> str:
    """{% csrf_token %}."""
    token = context.get("csrf_token")
    if not token or token == "NOTPROVIDED":
        return ""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(token)}">'


def _theme_toggle() -> str:
    """{% include "admin/color_theme_toggle.html" %} (translations only), once a language."""
    language = get_language()
    written = _TOGGLES.get(language)
    if written is None:
        written = _TOGGLES[language] = get_template("admin/color_theme_toggle.html").render({})
    return written


_TOGGLES: dict = {}


# --- the list page's styles and breadcrumbs (admin/change_list.html's blocks) ---------------------


def extrastyle(context) -> str:
    """The extrastyle block of Django's change list over the project's base_site, as they write it,
    or "" when another template of this page defines it (the page then renders theirs)."""
    if not _parent_blocks_are(context, "extrastyle", _EXTRASTYLE_PARENTS):
        return ""
    return extrastyle_text(context)


def extrastyle_text(context) -> str:
    """The extrastyle block of Django's change list over the project's base_site."""
    cl, action_form = context.get("cl"), context.get("action_form")
    parts = [f'\n  \n<link rel="stylesheet" href="{_text(static("css/fonts.css"))}">\n'
             f'<link rel="stylesheet" href="{_text(static("css/admin.css"))}">\n'
             f'\n  <link rel="stylesheet" href="{_text(static("admin/css/changelists.css"))}">\n  ']
    if cl.formset:
        parts.append(f'\n    <link rel="stylesheet" href="{_text(static("admin/css/forms.css"))}">\n  ')
    parts.append("\n  ")
    if cl.formset or action_form:
        parts.append(f'\n    <script src="{_text(_url(context, "admin:jsi18n"))}"></script>\n  ')
    parts.append(f"\n  {_text(Variable('media.css').resolve(context))}\n  ")
    if not context.get("actions_on_top") and not context.get("actions_on_bottom"):
        parts.append("\n    <style>\n      #changelist table thead th:first-child {width: inherit}\n    </style>\n  ")
    parts.append("\n")
    return "".join(parts)


def breadcrumbs(context) -> str:
    """The breadcrumbs block of Django's change list, or "" when another template of this page
    defines it."""
    if not _parent_blocks_are(context, "breadcrumbs", _BREADCRUMBS_PARENTS):
        return ""
    return breadcrumbs_text(context)


def breadcrumbs_text(context) -> str:
    """The breadcrumbs block of Django's change list."""
    opts = context["cl"].opts
    app_list = _url(context, "admin:app_list", app_label=opts.app_label)
    return (f'\n<div class="breadcrumbs">\n<a href="{_text(_url(context, "admin:index"))}">{escape(_("Home"))}</a>\n'
            f'&rsaquo; <a href="{_text(app_list)}">{_text(opts.app_config.verbose_name)}</a>\n'
            f"&rsaquo; {_text(capfirst(opts.verbose_name_plural))}\n</div>\n")


# Where the blocks under the list's are defined, outermost first: Django's admin templates and the
# project's (templates/).
_EXTRASTYLE_PARENTS = (("django", "admin/base.html"), ("project", "admin/base_site.html"),
                       ("django", "admin/change_list.html"))
_BREADCRUMBS_PARENTS = (("django", "admin/base.html"), ("django", "admin/change_list.html"))


def _parent_blocks_are(context, name: str, files: tuple) -> bool:
    """Whether the definitions of block `name` under the one being rendered are these files'."""
    from django.template.loader_tags import BLOCK_CONTEXT_KEY

    block_context = context.render_context.get(BLOCK_CONTEXT_KEY)
    if block_context is None or not getattr(context.get("cl"), "fast_frame", False):
        return False
    parents = block_context.blocks.get(name, [])
    return len(parents) == len(files) and all(_is_template(node.origin.name, file)
                                              for node, file in zip(parents, files, strict=True))


@functools.cache
def _is_template(path: str, file: tuple) -> bool:
    where, name = file
    if where == "django":
        return _is_djangos_admin_template(path, name)
    return Path(path).resolve() == Path(settings.BASE_DIR).resolve() / "templates" / name
