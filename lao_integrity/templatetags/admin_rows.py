"""`{% result_rows cl %}`: Django's `{% result_list cl %}` for a list whose rows lao_integrity.admin_rows
writes (LargeChangeList.fast_rows; templates/admin/change_list.html chooses), through
admin/large_change_list_results.html (overridable per model and app as Django's is)."""

from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.template import Library
from django.utils.safestring import mark_safe

from lao_integrity import admin_rows

register = Library()
# Found as Django finds change_list_results.html: admin/<app>/<model>/, admin/<app>/, then admin/.
RESULTS_TEMPLATE = "admin/large_change_list_results.html"


@register.tag(name="result_rows")
def result_rows_tag(parser, token):
    return InclusionAdminNode(parser, token, func=admin_rows.result_list,
                              template_name=RESULTS_TEMPLATE.removeprefix("admin/"), takes_context=False)


@register.simple_tag
def list_filters(cl):
    """Django's `{% for spec in cl.filter_specs %}{% admin_list_filter cl spec %}{% endfor %}`, each
    filter of admin/filter.html written by lao_integrity.admin_rows (the same markup)."""
    return mark_safe("".join([admin_rows.list_filter(cl, spec) for spec in cl.filter_specs]))


# The frame around the rows (LargeChangeList.fast_frame): Django's pagination, search form and
# actions tags written out by lao_integrity.admin_rows (the same markup).


@register.simple_tag
def fast_pagination(cl):
    return mark_safe(admin_rows.pagination(cl))


@register.simple_tag
def fast_search_form(cl):
    return mark_safe(admin_rows.search_form(cl))


@register.simple_tag(takes_context=True)
def fast_admin_actions(context):
    return mark_safe(admin_rows.actions(context))


@register.simple_tag(takes_context=True)
def fast_header(context):
    """The header block of Django's admin base written by admin_rows, "" when this page's is not
    Django's."""
    cl = context.get("cl")
    return mark_safe(admin_rows.header(context)) if getattr(cl, "fast_frame", False) else ""


@register.simple_tag(takes_context=True)
def fast_extrastyle(context):
    """The list page's extrastyle block written by admin_rows, "" when this page's is another."""
    return mark_safe(admin_rows.extrastyle(context))


@register.simple_tag(takes_context=True)
def fast_breadcrumbs(context):
    """The list page's breadcrumbs block written by admin_rows, "" when this page's is another."""
    return mark_safe(admin_rows.breadcrumbs(context))
