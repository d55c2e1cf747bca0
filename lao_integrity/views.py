"""Views of the kernel itself."""

from django.http import HttpResponse
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    """A constant answer with no database work: for load balancers and as the benchmarks'
    baseline (each page is reported as a ratio to this view measured in the same run)."""
    return HttpResponse("ok", content_type="text/plain")
