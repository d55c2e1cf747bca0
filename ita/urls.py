from django.urls import path

from .analysis import views as analysis
from .measures import views as measures
from .oit import views as oit
from .results import views as results

app_name = "ita"

urlpatterns = [
    # Auditors: one year across organisations, one organisation across years.
    path("", results.result_list, name="list"),
    path("export/", results.result_list_export, name="export"),
    path("export/all/", results.result_export_all, name="export_all"),
    path("org/<str:code>/", results.history, name="history"),
    # Results in and out.
    path("import/", results.result_import, name="import"),
    path("org/<str:code>/<int:fiscal_year>/edit/", results.result_edit, name="result_edit"),
    # The analysis report.
    path("result/<int:pk>/", analysis.analysis, name="result"),
    path("result/<int:pk>/pdf/", analysis.analysis_pdf, name="analysis_pdf"),
    path("result/<int:pk>/guidance/", analysis.guidance_edit, name="guidance"),
    path("result/<int:pk>/recommendations/", analysis.recommendations_edit, name="recommendations"),
    # Improvement measures for a fiscal year and their quarterly progress.
    path("measures/<str:code>/<int:fiscal_year>/", measures.measure_list, name="measures"),
    path("measures/<str:code>/<int:fiscal_year>/add/", measures.measure_add, name="measure_add"),
    path("measure/<int:pk>/edit/", measures.measure_edit, name="measure_edit"),
    path("measure/<int:pk>/delete/", measures.measure_delete, name="measure_delete"),
    path("measure/<int:pk>/progress/<int:quarter>/", measures.measure_progress, name="measure_progress"),
    path("measure/<int:pk>/evidence/<int:quarter>/", measures.measure_evidence, name="measure_evidence"),
    # The OIT checklist of a fiscal year: each O-item's evidence, confirmed by the executive, and
    # the ITAS answer sheet.
    path("oit/<str:code>/<int:fiscal_year>/", oit.checklist, name="oit"),
    path("oit/<str:code>/<int:fiscal_year>/item/<str:item>/", oit.answer_edit, name="oit_answer"),
    path("oit/<str:code>/<int:fiscal_year>/confirm/", oit.confirm, name="oit_confirm"),
    path("oit/<str:code>/<int:fiscal_year>/itas.xlsx", oit.export, name="oit_export"),
]
