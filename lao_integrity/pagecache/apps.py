from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    """Rendered pages kept per worker and keyed on data versions (see pagecache/__init__.py)."""

    name = "lao_integrity.pagecache"
    label = "pagecache"
    verbose_name = "แคชหน้าเว็บ"

    def ready(self):
        from django.db.backends.signals import connection_created

        from . import declarations, versions  # noqa: F401 (declarations: its system check)

        connection_created.connect(versions.watch_connection, dispatch_uid="pagecache-watch-writes")
