"""`{% result_rows cl %}`: Django's `{% result_list cl %}` (the same per-model templates), its rows
written by lao_integrity.admin_rows (templates/admin/change_list.html)."""

from django.contrib.admin.templatetags.admin_list import result_list as django_result_list
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.template import Library

from lao_integrity import admin_rows

register = Library()


def result_rows(cl):
    # Only the project's national lists (LargeChangeList) are known to keep Django's markup cell for
    # cell (tests/kernel/test_admin_lists.py); any other list is Django's own.
    if hasattr(cl, "change_url_template"):
        return admin_rows.result_list(cl)
    return django_result_list(cl)


@register.tag(name="result_rows")
def result_rows_tag(parser, token):
    return InclusionAdminNode(parser, token, func=result_rows, template_name="change_list_results.html",
                              takes_context=False)
