"""{% form_tokens %}: what every POST form carries in place of {% csrf_token %}.

The CSRF token and the one-time submission token (lao_integrity/submissions). The template
writes a placeholder; SubmissionTokenMiddleware puts a fresh token in each form of each response.
"""

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.utils.html import format_html

from lao_integrity.submissions.once import FIELD, PLACEHOLDER

register = template.Library()


@register.simple_tag(takes_context=True)
def form_tokens(context):
    return format_html('{}<input type="hidden" name="{}" value="{}">',
                       CsrfTokenNode().render(context), FIELD, PLACEHOLDER)
