from django.apps import AppConfig


class AnnouncementsConfig(AppConfig):
    """Official announcements (ประกาศ) of any kind, shared by the domain apps."""

    name = "lao_integrity.announcements"
    label = "announcements"
    verbose_name = "ประกาศ"
    # The organisation a row of each model belongs to (None: national data), for the page cache
    # (lao_integrity/pagecache/declarations.py): one organisation's edits refresh its own pages.
    organisation_paths = {"Announcement": "organisation"}

    def ready(self):
        from lao_integrity import history

        from .documents import register_documents
        from .kinds import history_filler
        from .models import Announcement
        from .obligations import register_obligations
        from .public import register_public_section
        from .publication import register_publication
        from .search import register_search
        from .verification import register_verification

        register_documents()
        history.register_text_filler(Announcement, history_filler)
        register_search()
        register_obligations()
        register_publication()
        register_public_section()
        register_verification()
