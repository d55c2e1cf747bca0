"""Obligations as an iCalendar file: one all-day VEVENT per item on its due date."""

from __future__ import annotations

import datetime
from urllib.parse import urljoin

import icalendar

from .items import ObligationItem

PRODID = "-//lao-integrity//obligations//TH"


def ical(items: list[ObligationItem], *, name: str, base: str) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"กำหนดการของ {name}")
    stamp = datetime.datetime.now(datetime.UTC)
    for item in items:
        event = icalendar.Event()
        event.add("uid", f"{item.key}@lao-integrity")
        event.add("dtstamp", stamp)
        event.add("dtstart", item.due)
        event.add("dtend", item.due + datetime.timedelta(days=1))
        event.add("summary", f"{item.title} · {item.organisation_name}")
        event.add("description", f"สถานะ: {item.state_label}")
        url = urljoin(base, item.url)
        event.add("url", url)
        event.add("status", "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()
