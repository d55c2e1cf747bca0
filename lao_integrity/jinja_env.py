"""The Jinja2 environment for the few fragments rendered many times per page (table rows).

Django's template language costs tens of microseconds per variable, tag and `{% url %}`; a table
of thirty rows with links and forms in each was most of a plan page's render (issue 19's profile).
A hot fragment is written as a Jinja2 template (`<app>/jinja2/<app>/…`, compiled to Python once
per process) and rendered by its view into the Django page, which keeps its layout, base template
and tags. Jinja2 escapes as Django does (autoescape on); the same Thai filters are here under the
same names, so a fragment reads like the template it came out of.
"""

from django.template.defaultfilters import linebreaksbr
from django.templatetags.static import static
from jinja2 import Environment

from lao_integrity.reversing import reversed_once
from lao_integrity.templatetags import thai


def url(name: str, *args) -> str:
    """`{% url %}`: a page's own links (breadcrumbs, years, exports), the same few on every request,
    so remembered (reversing.reversed_once); a table's rows build theirs with url_pattern or row_link."""
    return reversed_once(name, *args)


def environment(**options) -> Environment:
    env = Environment(**options)
    env.globals.update({"url": url, "static": static})
    env.filters.update({
        "baht": thai.baht, "date_short": thai.date_short, "date_long": thai.date_long,
        "thai_digits": thai.thai_digits, "published_since": thai.published_since, "linebreaksbr": linebreaksbr,
    })
    return env


def form_tokens(request):
    """What {% form_tokens %} writes (lao_integrity/templatetags/submissions.py), for a Jinja2 page
    body: the CSRF token and the once-only token's placeholder, which the middleware fills afresh."""
    # Imported here: this block is appended, the environment above needs none of it.
    from django.template.backends.utils import csrf_input
    from django.utils.html import format_html
    from markupsafe import Markup

    from lao_integrity.submissions.once import FIELD, PLACEHOLDER

    return Markup(format_html('{}<input type="hidden" name="{}" value="{}">', csrf_input(request), FIELD, PLACEHOLDER))


def querystring(request):
    """qs(**changes): what Django's {% querystring key=value %} writes for the request's query with
    those changes (None removes a key), for a Jinja2 page body."""
    from urllib.parse import urlencode

    # The query's lists read once, not a deep copy of the QueryDict for each of the page's links;
    # encoded as QueryDict.urlencode does (a changed key keeps its place, a new one comes last).
    query = dict(request.GET.lists())

    def qs(**changes) -> str:
        params = dict(query)
        for key, value in changes.items():
            if value is None:
                params.pop(key, None)
            else:
                params[key] = [value]
        if not params and not query:
            return ""
        return "?" + "&".join(urlencode({key: str(value)}) for key, values in params.items() for value in values)

    return qs
