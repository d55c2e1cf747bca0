"""The review buttons' requests, once for every app: its view finds the record (access.get_for)
and passes its service; the posted version and comment are read here."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpResponse

from lao_integrity.saving import run_action


def posted_version(request) -> int | None:
    """The version the page showed (the buttons' hidden field); None when absent or malformed."""
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else None


def submit(request, service: Callable, *, to: str) -> HttpResponse:
    return run_action(request, lambda: service(expected_version=posted_version(request)),
                      message="เสนออนุมัติแล้ว รอผู้บริหารพิจารณา", to=to, refused=to)


def withdraw(request, service: Callable, *, to: str) -> HttpResponse:
    return run_action(request, lambda: service(expected_version=posted_version(request)),
                      message="ถอนเรื่องแล้ว กลับเป็นร่าง แก้ไขได้", to=to, refused=to)


def send_back(request, service: Callable, *, to: str) -> HttpResponse:
    return run_action(request, lambda: service(comment=request.POST.get("comment", ""),
                                               expected_version=posted_version(request)),
                      message="ส่งกลับแก้ไขแล้ว ผู้จัดทำจะเห็นความเห็นของท่าน", to=to, refused=to)
