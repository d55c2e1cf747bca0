"""Views of the kernel itself."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from lao_integrity import branding, search
from lao_integrity.glossary import TERMS
from lao_integrity.paging import paginate

SEARCH_PROMPT = f"พิมพ์ส่วนหนึ่งของชื่อที่ต้องการค้นหา อย่างน้อย {search.MIN_LENGTH} ตัวอักษร แล้วกดค้นหา"


@never_cache
def healthz(request):
    """A constant answer with no database work: for load balancers and as the benchmarks'
    baseline (each page is reported as a ratio to this view measured in the same run)."""
    return HttpResponse("ok", content_type="text/plain")


def glossary(request):
    """The abbreviations and terms the screens use; open to all (nothing in it is an organisation's)."""
    return render(request, "lao_integrity/glossary.html", {"terms": TERMS})


CSRF_REFUSED = ("แบบฟอร์มนี้หมดอายุหรือเปิดค้างไว้นานเกินไป ระบบจึงยังไม่ได้บันทึกสิ่งที่ส่งมา "
                "โปรดกลับไปหน้าก่อน โหลดหน้าใหม่ แล้วส่งอีกครั้ง")


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: Django's own page is English and speaks of cookies and referers; this
    one says in Thai that nothing was saved and what to do (the reason goes to the log only)."""
    return render(request, "403.html", {"exception": CSRF_REFUSED, "title": "ส่งแบบฟอร์มไม่สำเร็จ"}, status=403)


def server_error(request):
    """Django's own 500 handler renders without context processors: this one passes the product's
    name, and nothing that might fail again (no database, no request context)."""
    return HttpResponseServerError(loader.render_to_string("500.html", branding.names()))


@login_required
@require_GET
def search_page(request):
    """?q= found in the names of what the user may see, grouped by kind (lao_integrity/search.py);
    ?kind= one kind's matches, a page at a time. Not kept by the page cache: each query is new."""
    query, problem = search.clean(request.GET.get("q"))
    if not query:
        problem = SEARCH_PROMPT
    kind = search.get(request.GET.get("kind", ""))
    groups, page = [], None
    if not problem:
        if kind is None:
            groups = search.find(request.user, query)
        else:
            page = paginate(request, search.matching(kind, request.user, query))
            groups = [search.Group(kind=kind, hits=search.hits(kind, page.object_list, query))]
    return render(request, "lao_integrity/search.html", {
        "query": query, "problem": problem, "groups": groups, "kind": kind, "page": page,
        "kinds": search.kinds(), "per_kind": search.PER_KIND, "max_length": search.MAX_LENGTH,
    })
