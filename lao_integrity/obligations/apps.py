from django.apps import AppConfig


class ObligationsConfig(AppConfig):
    """Dated duties of an organisation's year (kernel): rules an administrator edits, their state
    computed by the providers the domain apps register (registry.py)."""

    name = "lao_integrity.obligations"
    label = "obligations"
    verbose_name = "กำหนดการที่ต้องดำเนินการ"
    # Rules and windows are national; a calendar feed belongs to a user, not an organisation.
    organisation_paths = {"ObligationRule": None, "DatedWindow": None, "CalendarFeed": None}

    def ready(self):
        from lao_integrity import late_parts

        from . import menu, registry, windows

        late_parts.register(menu.MARKER, menu.render)

        registry.register(windows.PROVIDER, windows.items_for, label="ช่วงเวลาที่ผู้ดูแลระบบกำหนด (ITA/OIT)",
                          timing=registry.Timing.WINDOW)
