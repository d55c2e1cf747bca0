"""Views of the kernel itself."""

from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache

from lao_integrity import branding
from lao_integrity.glossary import TERMS


@never_cache
def healthz(request):
    """A constant answer with no database work: for load balancers and as the benchmarks'
    baseline (each page is reported as a ratio to this view measured in the same run)."""
    return HttpResponse("ok", content_type="text/plain")


def glossary(request):
    """The abbreviations and terms the screens use; open to all (nothing in it is an organisation's)."""
    return render(request, "lao_integrity/glossary.html", {"terms": TERMS})


def server_error(request):
    """Django's own 500 handler renders without context processors: this one passes the product's
    name, and nothing that might fail again (no database, no request context)."""
    return HttpResponseServerError(loader.render_to_string("500.html", branding.names()))
