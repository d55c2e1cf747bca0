from django.urls import include, path

from .analysis import views as analysis
from .measures import views as measures
from .results import views as results

app_name = "ita"

urlpatterns = [
    # Results: one year across organisations (the list, its export, every organisation's file) and
    # the file import; one organisation's across years and one year's to edit.
    path("", results.result_list, name="list"),
    path("export/", results.result_list_export, name="export"),
    path("export/all/", results.result_export_all, name="export_all"),
    path("import/", results.result_import, name="import"),
    path("org/<str:code>/", include([
        path("", results.history, name="history"),
        path("<int:fiscal_year>/edit/", results.result_edit, name="result_edit"),
    ])),
    # The analysis report of one result.
    path("result/<int:pk>/", include([
        path("", analysis.analysis, name="result"),
        path("pdf/", analysis.analysis_pdf, name="analysis_pdf"),
        path("guidance/", analysis.guidance_edit, name="guidance"),
    ])),
    # Improvement measures for a fiscal year, and one measure with its quarterly progress.
    path("measures/<str:code>/<int:fiscal_year>/", include([
        path("", measures.measure_list, name="measures"),
        path("add/", measures.measure_add, name="measure_add"),
    ])),
    path("measure/<int:pk>/", include([
        path("edit/", measures.measure_edit, name="measure_edit"),
        path("delete/", measures.measure_delete, name="measure_delete"),
        path("progress/<int:quarter>/", measures.measure_progress, name="measure_progress"),
        path("evidence/<int:quarter>/", measures.measure_evidence, name="measure_evidence"),
    ])),
]
