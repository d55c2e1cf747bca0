from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = "แผนปฏิบัติการป้องกันการทุจริต"
    # The organisation a row of each model belongs to (None: national data), for the page cache
    # (lao_integrity/pagecache/declarations.py): one organisation's edits refresh its own pages.
    organisation_paths = {
        "Framework": None,
        "Dimension": None,
        "Plan": "organisation",
        "PlanVersion": "plan__organisation",
        "PlanCounts": "plan__organisation",
        "Project": "plan__organisation",
        "ProjectProgress": "project__plan__organisation",
        "DetailSheet": "project__plan__organisation",
        "SheetObjective": "sheet__project__plan__organisation",
        "TargetGroup": "sheet__project__plan__organisation",
        "MethodStep": "sheet__project__plan__organisation",
        "SheetIndicator": "sheet__project__plan__organisation",
    }

    def ready(self):
        from .documents import register_documents
        from .jobs import register_jobs
        from .obligations import register_obligations
        from .public.sections import register_section
        from .search import register_search
        from .supervision import register_figures

        register_documents()
        register_jobs()
        register_search()
        register_obligations()
        register_section()
        register_figures()
