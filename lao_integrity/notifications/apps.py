from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Notifications: the bell in the header, the list at /notifications/, the emails, and the daily
    reminders of what is due soon or overdue (`manage.py send_reminders`)."""

    name = "lao_integrity.notifications"
    label = "notifications"
    verbose_name = "การแจ้งเตือน"
    # For the page cache (lao_integrity/pagecache/declarations.py): national (None), not one
    # organisation's rows. The bell on every page is put in as the page leaves (late_parts.py), so
    # a notification refreshes only the pages that list notifications.
    organisation_paths = {"Notification": None, "NotificationSettings": None, "ReminderSent": None}

    def ready(self):
        from lao_integrity import late_parts

        from .context import render_bell

        late_parts.register("<!--bell-->", render_bell)
