from django.urls import path

from . import views_analysis, views_io, views_measures, views_results

app_name = "ita"

urlpatterns = [
    # Auditors: one year across organisations, one organisation across years.
    path("", views_results.result_list, name="list"),
    path("export/", views_results.result_list_export, name="export"),
    path("export/all/", views_io.result_export_all, name="export_all"),
    path("org/<str:code>/", views_results.history, name="history"),
    # Results in and out.
    path("import/", views_io.result_import, name="import"),
    path("org/<str:code>/<int:fiscal_year>/edit/", views_io.result_edit, name="result_edit"),
    # The analysis report.
    path("result/<int:pk>/", views_analysis.analysis, name="result"),
    path("result/<int:pk>/pdf/", views_analysis.analysis_pdf, name="analysis_pdf"),
    path("result/<int:pk>/guidance/", views_analysis.guidance_edit, name="guidance"),
    # Improvement measures for a fiscal year and their quarterly progress.
    path("measures/<str:code>/<int:fiscal_year>/", views_measures.measure_list, name="measures"),
    path("measures/<str:code>/<int:fiscal_year>/add/", views_measures.measure_add, name="measure_add"),
    path("measure/<int:pk>/edit/", views_measures.measure_edit, name="measure_edit"),
    path("measure/<int:pk>/delete/", views_measures.measure_delete, name="measure_delete"),
    path("measure/<int:pk>/progress/<int:quarter>/", views_measures.measure_progress, name="measure_progress"),
    path("measure/<int:pk>/evidence/<int:quarter>/", views_measures.measure_evidence, name="measure_evidence"),
]
