"""The user's notifications, marking them read, and the email choice. Everyone sees only their own."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from lao_integrity.pagecache import cached_page
from lao_integrity.saving import save_form

from . import selectors, services


class SettingsForm(forms.Form):
    email = forms.BooleanField(label="ส่งการแจ้งเตือนทางอีเมลด้วย", required=False,
                               help_text="การแจ้งเตือนในระบบ (กระดิ่งด้านบน) แสดงเสมอ")


@login_required
@cached_page
def notification_list(request):
    return render(request, "notifications/list.html", {
        "notifications": selectors.for_user(request.user), "limit": selectors.PER_PAGE,
        "has_email": bool((request.user.email or "").strip()), "email_on": selectors.email_on(request.user)})


def _next(request, default: str):
    """Back to where the button was (a link of this site only)."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


@login_required
@require_POST
def notification_read(request, pk):
    """Mark one of one's own read (another's: nothing happens), then back to the list."""
    services.mark_read(notification_id=pk, user=request.user)
    return redirect(_next(request, "notifications:list"))


@login_required
@require_POST
def notification_read_all(request):
    count = services.mark_all_read(user=request.user)
    messages.success(request, f"ทำเครื่องหมายว่าอ่านแล้ว {count:,} รายการ" if count else "ไม่มีรายการที่ยังไม่อ่าน")
    return redirect("notifications:list")


@login_required
def notification_settings(request):
    if request.method == "POST":
        form = SettingsForm(request.POST)
        if form.is_valid():
            saved = save_form(request, form, lambda: services.email_set(email=form.cleaned_data["email"],
                                                                        user=request.user),
                              message=lambda chosen: "บันทึกแล้ว: " + ("รับการแจ้งเตือนทางอีเมล" if chosen.email
                                                                      else "ไม่รับการแจ้งเตือนทางอีเมล"),
                              to="notifications:settings")
            if saved is not None:
                return saved
    else:
        form = SettingsForm(initial={"email": selectors.email_on(request.user)})
    return render(request, "notifications/settings.html", {
        "form": form, "address": (request.user.email or "").strip()})
