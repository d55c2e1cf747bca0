from django.apps import AppConfig


class ItaConfig(AppConfig):
    name = "ita"
    verbose_name = "การประเมินคุณธรรมและความโปร่งใส (ITA)"
    # The organisation a row of each model belongs to (None: national data), for the page cache
    # (lao_integrity/pagecache/declarations.py): one organisation's edits refresh its own pages.
    organisation_paths = {
        "Framework": None,
        "Tool": None,
        "ToolPart": None,
        "Indicator": None,
        "OitItem": None,
        "LevelBand": None,
        "Result": "organisation",
        "IndicatorScore": "result__organisation",
        "PartScore": "result__organisation",
        "Recommendation": "result__organisation",
        "Measure": "organisation",
        "MeasureProgress": "measure__organisation",
        "OitChecklist": "organisation",
        "OitAnswer": "checklist__organisation",
    }

    def ready(self):
        from . import obligations
        from .analysis import documents as analysis_documents
        from .measures import documents as measure_documents
        from .measures import search as measure_search
        from .oit import publication as oit_publication
        from .public import sections as public_sections
        from .results import jobs
        from .supervision import register_figures

        analysis_documents.register_documents()
        measure_documents.register_documents()
        jobs.register_jobs()
        measure_search.register_search()
        obligations.register_obligations()
        oit_publication.register_section()
        public_sections.register_sections()
        register_figures()
