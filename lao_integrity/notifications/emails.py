"""The emails: one per recipient for an event, one digest per user for the daily reminders. Thai
subject and body; the links are absolute (settings.PORTAL_URL)."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse

from lao_integrity import branding
from lao_integrity.thai import format_date_long

logger = logging.getLogger(__name__)

SUBJECTS = {
    "submitted": "มีเอกสารส่งเสนอเพื่อพิจารณาอนุมัติ",
    "returned": "เอกสารถูกส่งกลับให้แก้ไข",
    "approved": "เอกสารได้รับอนุมัติแล้ว",
    "signed": "เอกสารลงนามแล้ว",
}
VERBS = {
    "submitted": "ส่งเสนอเพื่อพิจารณาอนุมัติ",
    "returned": "ส่งกลับให้แก้ไข",
    "approved": "อนุมัติ",
    "signed": "ลงนาม",
}
STATE_WORDS = {"due_soon": "ใกล้ถึงกำหนด", "overdue": "เลยกำหนดแล้ว"}


def absolute(url: str) -> str:
    if url.startswith(("http://", "https://")):
        return url
    return settings.PORTAL_URL.rstrip("/") + "/" + url.lstrip("/")


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def _footer() -> str:
    return (f"\n--\n{branding.FULL_NAME}\n"
            f"อีเมลนี้ส่งโดยอัตโนมัติ โปรดอย่าตอบกลับ ท่านเลือกไม่รับอีเมลแจ้งเตือนได้ที่ "
            f"{absolute(reverse('notifications:settings'))}\n")


def event_message(*, event: str, recipient, organisation, title: str, url: str, actor, comment: str) -> EmailMessage:
    subject = f"[{branding.SHORT_NAME}] {SUBJECTS[event]}: {title}"
    lines = [f"เรียน {_name(recipient)}", "",
             f"{_name(actor)} {VERBS[event]} “{title}” ของ{organisation.name}"]
    if comment:
        lines += ["", f"หมายเหตุ: {comment}"]
    lines += ["", f"เปิดดูได้ที่ {absolute(url)}"]
    return EmailMessage(subject=subject[:250], body="\n".join(lines) + "\n" + _footer(), to=[recipient.email])


def digest_message(*, recipient, items, today) -> EmailMessage:
    overdue = [item for item in items if item.state == "overdue"]
    due_soon = [item for item in items if item.state != "overdue"]
    counts = []
    if overdue:
        counts.append(f"เลยกำหนด {len(overdue)} รายการ")
    if due_soon:
        counts.append(f"ใกล้ถึงกำหนด {len(due_soon)} รายการ")
    subject = f"[{branding.SHORT_NAME}] เตือนงานที่ต้องทำ: {' '.join(counts)}"
    lines = [f"เรียน {_name(recipient)}", "", f"งานที่ต้องทำ ณ วันที่ {format_date_long(today, thai=False)}", ""]
    for heading, group in (("เลยกำหนดแล้ว", overdue), ("ใกล้ถึงกำหนด (ภายใน 7 วัน)", due_soon)):
        if not group:
            continue
        lines.append(f"{heading}:")
        for item in group:
            lines.append(f"- {item.title} ({item.organisation_name}) กำหนด {format_date_long(item.due, thai=False)}")
            lines.append(f"  {absolute(item.url)}")
        lines.append("")
    return EmailMessage(subject=subject, body="\n".join(lines) + _footer(), to=[recipient.email])


def send(messages: list[EmailMessage], *, fail_silently: bool = True) -> int:
    """Send over one connection. A failure of the mail server is logged (the event itself stands,
    and its notification is in the portal); with fail_silently=False it is raised."""
    if not messages:
        return 0
    try:
        with get_connection() as connection:
            return connection.send_messages(messages) or 0
    except Exception:
        if not fail_silently:
            raise
        logger.exception("notification email not sent (%d messages)", len(messages))
        return 0
