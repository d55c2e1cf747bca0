from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Notifications: the bell in the header, the list at /notifications/, the emails, and the daily
    reminders of what is due soon or overdue (`manage.py send_reminders`)."""

    name = "lao_integrity.notifications"
    label = "notifications"
    verbose_name = "การแจ้งเตือน"
    # For the page cache (lao_integrity/pagecache/declarations.py). Every page shows the bell, so a
    # new or read notification must refresh every kept page of its recipient, whatever organisation
    # the page is about: national (None), not one organisation's rows.
    organisation_paths = {"Notification": None, "NotificationSettings": None, "ReminderSent": None}
