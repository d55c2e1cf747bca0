from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = "แผนปฏิบัติการป้องกันการทุจริต"

    def ready(self):
        from .documents import register_documents
        from .jobs import register_jobs

        register_documents()
        register_jobs()
