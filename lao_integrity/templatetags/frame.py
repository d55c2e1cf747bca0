"""{% page_header %}: the page frame's header (brand, menu, search, the user's links) as one Jinja2
template (lao_integrity/jinja2/frame/header.jinja). It is on every page; in Django's template
language its two dozen variables, comparisons and links cost about as much as a small page's body
(issue 19)."""

from django import template
from django.conf import settings
from django.template import engines
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf
from django.utils.html import format_html
from django.utils.safestring import SafeString

from lao_integrity.branding import names
from lao_integrity.reversing import reversed_once

from .submissions import form_tokens

register = template.Library()

_LINKS = ("home", "plans:list", "ita:list", "agreements:list", "announcements:list", "supervision:choose",
          "lpa:index", "admin:index", "search", "jobs:list", "password_change", "logout")
_MADE: dict[tuple, dict] = {}


def _links() -> dict[str, str]:
    """The header's addresses, reversed once per URLconf and script prefix (as {% fixed_url %})."""
    key = (settings.ROOT_URLCONF, get_urlconf(), get_script_prefix())
    links = _MADE.get(key)
    if links is None:
        if len(_MADE) >= 64:
            _MADE.clear()
        links = _MADE[key] = {name: reversed_once(name) for name in _LINKS}
    return links


_ASSETS: dict[tuple, SafeString] = {}


@register.simple_tag
def page_assets() -> SafeString:
    """The frame's icon, style sheets and script, their hashed addresses looked up once per process."""
    key = (settings.STATIC_URL, repr(settings.STORAGES.get("staticfiles")))  # tests may change either
    assets = _ASSETS.get(key)
    if assets is None:
        assets = _ASSETS[key] = format_html(
            '<link rel="icon" type="image/svg+xml" href="{}">\n'
            '  <link rel="stylesheet" href="{}">\n'
            '  <link rel="stylesheet" href="{}">\n'
            '  <script src="{}" defer></script>',
            static("img/favicon.svg"), static("css/fonts.css"), static("css/portal.css"), static("js/forms.js"))
    return assets


@register.simple_tag(takes_context=True)
def page_header(context) -> SafeString:
    request, user = context.get("request"), context.get("user")
    authenticated = user is not None and user.is_authenticated
    values = {"links": _links(), "user": user, **names()}
    if authenticated:
        match = getattr(request, "resolver_match", None)
        shows = context.get("shows_supervision")
        values.update(
            namespace_=match.namespace if match else "", url_name=match.url_name if match else "",
            supervises=user.is_superuser or bool(shows() if callable(shows) else shows),
            form_tokens=form_tokens(context))
    return SafeString(engines["jinja2"].env.get_template("frame/header.jinja").render(values))
