from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("", views.choose, name="choose"),
    path("<str:area>/<int:fiscal_year>/", views.dashboard, name="dashboard"),
    path("<str:area>/<int:fiscal_year>/<str:figure>/", views.figure, name="figure"),
]
