"""The announcement list's rows as a Jinja2 fragment (jinja2/announcements/_list_rows.jinja), each
row's address formatted from one `reverse` (issue 19: the rows were most of the page's render)."""

from django.core.exceptions import ObjectDoesNotExist
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString

from .models import Kind, Status

_ID = 2147483647  # an id no row has: reversed once, then replaced by "{}"


def _replaced(announcement) -> bool:
    """Whether a newer revision replaces it (read with select_related; none is no row)."""
    try:
        return announcement.replaced_by is not None
    except ObjectDoesNotExist:
        return False


def list_rows(announcements) -> SafeString:
    return SafeString(render_to_string("announcements/_list_rows.jinja", {
        "rows": [(a, _replaced(a)) for a in announcements],
        "detail": reverse("announcements:detail", args=[_ID]).replace(str(_ID), "{}"),
        "kinds": dict(Kind.choices), "statuses": dict(Status.choices),
    }, using="jinja2"))
