from django.apps import AppConfig


class ItaConfig(AppConfig):
    name = "ita"
    verbose_name = "การประเมินคุณธรรมและความโปร่งใส (ITA)"

    def ready(self):
        from .documents import register_documents

        register_documents()
