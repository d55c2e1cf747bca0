from django.apps import AppConfig


class AnnouncementsConfig(AppConfig):
    """Official announcements (ประกาศ) of any kind, shared by the domain apps."""

    name = "lao_integrity.announcements"
    label = "announcements"
    verbose_name = "ประกาศ"

    def ready(self):
        from lao_integrity import history

        from .documents import register_documents
        from .kinds import history_filler
        from .models import Announcement

        register_documents()
        history.register_text_filler(Announcement, history_filler)
