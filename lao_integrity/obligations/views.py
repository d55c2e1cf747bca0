"""The home page of each role, one organisation's obligations, and the calendar feed.

Not kept by the page cache: what they show depends on today's date and on every app's data."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from lao_integrity.orgs import access
from lao_integrity.submissions.once import once_per_submission
from lao_integrity.thai import fiscal

from . import feed, menu, selectors, services
from .items import for_user


@login_required
@require_GET
def home(request):
    """Staff: what is due and overdue; executives: what waits for their signature, then the same;
    auditors: the organisations of their scope with overdue obligations."""
    today = timezone.localdate()
    user = request.user
    held = access.grants(user)
    context = {"today": today, "fiscal_year": fiscal.fiscal_year(today)}
    if user.is_superuser:
        return render(request, "obligations/home_admin.html", context)
    items = for_user(user, today=today)
    if held.auditor_scope or (held.roles and set(held.roles.values()) == {"auditor"}):
        overdue = selectors.overdue_by_organisation(items)
        rows = [(organisation, overdue[organisation.pk])
                for organisation in selectors.organisations_of(user) if organisation.pk in overdue]
        rows.sort(key=lambda row: (-row[1], row[0].name))
        context.update(rows=rows, counts=selectors.counts(items), organisations=len({i.organisation_id for i in items}))
        menu.remember(user, items)
        return render(request, "obligations/home_auditor.html", context)
    executive_of = [pk for pk, role in held.roles.items() if role == "executive"]
    sections = selectors.home_sections(items, executive_of=executive_of)
    menu.remember(user, items, [decision for decision, _duty in sections["decisions"]])
    context.update(sections)
    context.update(many=len(held.roles) > 1, counts=selectors.counts(items))
    return render(request, "obligations/home.html", context)


@login_required
@require_GET
def organisation_obligations(request, code):
    """All of one organisation's obligations of the year (the auditor's click-through)."""
    organisation = access.organisation_for(request, code)
    today = timezone.localdate()
    items = selectors.items_for_organisations([organisation], today=today)
    return render(request, "obligations/organisation.html", {
        "organisation": organisation, "items": items, "today": today, "fiscal_year": fiscal.fiscal_year(today)})


@login_required
@require_GET
def calendar_page(request):
    """The user's calendar address (made by the button below it the first time: a GET writes nothing)."""
    token = selectors.calendar_token(request.user)
    url = request.build_absolute_uri(reverse("calendar_feed", args=[token])) if token else ""
    return render(request, "obligations/calendar.html", {"feed_url": url})


@login_required
@require_POST
@once_per_submission
def calendar_reset(request):
    """A new calendar address; the old one, if any, stops working at once."""
    had = bool(selectors.calendar_token(request.user))
    services.reset_token(user=request.user)
    messages.success(request, "สร้างลิงก์ปฏิทินใหม่แล้ว ลิงก์เดิมใช้ไม่ได้อีกต่อไป" if had else "สร้างลิงก์ปฏิทินแล้ว")
    return redirect("obligations:calendar")


@require_GET
def calendar_feed(request, token):
    """No login: the secret token is the key. A reset token, or an inactive user's, is a 404."""
    user = selectors.user_for_token(token)
    if user is None:
        raise Http404("ไม่พบปฏิทินนี้")
    today = timezone.localdate()
    body = feed.ical(for_user(user, today=today), name=user.get_full_name() or user.get_username(),
                     base=request.build_absolute_uri("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="obligations.ics"'
    return response
