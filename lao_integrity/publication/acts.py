"""Publishing a signed document and withdrawing it: an executive's buttons on the document's own
page, for any publishable model (registry.register_publishable), named in the URL by its label
("announcements.announcement") and key. The box the page shows is `{% publish_box document %}`
(templatetags/publishing.py, template publication/_publish_box.html)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from lao_integrity.orgs import access
from lao_integrity.saving import run_action
from lao_integrity.submissions.once import once_per_submission

from . import registry, selectors, services

PUBLISH_QUESTION = "ยืนยันการเผยแพร่ต่อสาธารณะ: ทุกคนเปิดดูเอกสารนี้และไฟล์ PDF ที่ลงนามได้โดยไม่ต้องเข้าสู่ระบบ"


def publish_question(entry: registry.Publishable, document) -> str:
    days = entry.minimum_days(document)
    return PUBLISH_QUESTION + (f" และต้องเผยแพร่ไว้ไม่น้อยกว่า {days} วันจึงจะถอนได้" if days else "")


def _document(request, subject: str, pk: int):
    entry = registry.publishable_for(subject)
    if entry is None:
        raise Http404
    queryset = entry.model._default_manager.select_related("organisation")
    return entry, access.get_for(request, queryset, approve=True, pk=pk)


def _back(request) -> str:
    """The page the button was on (posted as `next`), else the home page."""
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                                 require_https=request.is_secure()):
        return target
    return reverse("home")


@login_required
@require_POST
@once_per_submission
def publish(request, subject, pk):
    entry, document = _document(request, subject, pk)
    back = _back(request)
    return run_action(request, lambda: services.publish(document=document, user=request.user),
                      message="เผยแพร่ต่อสาธารณะแล้ว ทุกคนเปิดดูได้ที่หน้าสาธารณะของ อปท.", to=back, refused=back,
                      confirm={"publish": publish_question(entry, document)})


@login_required
@require_POST
@once_per_submission
def withdraw(request, subject, pk):
    _entry, document = _document(request, subject, pk)
    back = _back(request)
    return run_action(request, lambda: services.withdraw(document=document, user=request.user,
                                                         reason=request.POST.get("reason", "")),
                      message="ถอนการเผยแพร่แล้ว เอกสารนี้ไม่แสดงในหน้าสาธารณะอีก", to=back, refused=back)


# The box a document's page shows ({% publish_box document %}, templatetags/publishing.py).
BOX_TEMPLATE = "publication/_publish_box.html"


def box(request, document, *, csrf_token=None) -> dict:
    """The box's context: the publication's state for every reader, the buttons for its executives.
    Two queries (the publication history, and the user's role when not yet known)."""
    entry = registry.publishable(document)
    if entry is None:
        return {"shown": False}
    history = selectors.box_history(document)
    live = history[-1] if history and history[-1].live else None
    withdrawn = next((p for p in reversed(history) if not p.live), None)
    earliest = services.earliest_withdrawal(live, document) if live else None
    return {
        "shown": True, "document": document, "subject": entry.subject, "signed": entry.is_signed(document),
        "live": live, "withdrawn": withdrawn, "public_url": entry.public_url(document) if live else "",
        "can_act": access.can_approve(request.user, document.organisation),
        "earliest": earliest, "too_soon": earliest is not None and timezone.localdate() < earliest,
        "minimum_days": entry.minimum_days(document), "question": publish_question(entry, document),
        "next": request.get_full_path(), "csrf_token": csrf_token, "request": request,
    }
