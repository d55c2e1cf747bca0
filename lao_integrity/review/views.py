"""The review buttons' requests, once for every app: its view finds the record (access.get_for)
and passes its service. Buttons like approving: no version posted (a submitted record takes no
edit, and each step checks the state it starts from); the return's comment is read here."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpResponse

from lao_integrity.saving import run_action


def submit(request, service: Callable, *, to: str) -> HttpResponse:
    return run_action(request, service, message="เสนออนุมัติแล้ว รอผู้บริหารพิจารณา", to=to, refused=to)


def withdraw(request, service: Callable, *, to: str) -> HttpResponse:
    return run_action(request, service, message="ถอนเรื่องแล้ว กลับเป็นร่าง แก้ไขได้", to=to, refused=to)


def send_back(request, service: Callable, *, to: str) -> HttpResponse:
    return run_action(request, lambda: service(comment=request.POST.get("comment", "")),
                      message="ส่งกลับแก้ไขแล้ว ผู้จัดทำจะเห็นความเห็นของท่าน", to=to, refused=to)
