"""/lpa/: the LPA results (results/urls.py) and the performance bonus (bonus/urls.py)."""

from django.urls import include, path

app_name = "lpa"
urlpatterns = [
    path("", include("lpa.results.urls")),
    path("bonus/", include("lpa.bonus.urls")),
]
