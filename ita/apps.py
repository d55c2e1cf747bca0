from django.apps import AppConfig


class ItaConfig(AppConfig):
    name = "ita"
    verbose_name = "การประเมินคุณธรรมและความโปร่งใส (ITA)"

    def ready(self):
        from .analysis import documents as analysis_documents
        from .measures import documents as measure_documents
        from .results import jobs

        analysis_documents.register_documents()
        measure_documents.register_documents()
        jobs.register_jobs()
