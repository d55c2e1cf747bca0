from django.apps import AppConfig


class AnnouncementsConfig(AppConfig):
    """Official announcements (ประกาศ) of any kind, shared by the domain apps."""

    name = "lao_integrity.announcements"
    label = "announcements"
    verbose_name = "ประกาศ"

    def ready(self):
        from .documents import register_documents

        register_documents()
