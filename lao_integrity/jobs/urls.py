from django.urls import include, path

from . import views

app_name = "jobs"

urlpatterns = [
    path("", views.job_list, name="list"),
    # One job: its page, the state its page polls, its result and a second run.
    path("<uuid:pk>/", include([
        path("", views.job_detail, name="detail"),
        path("status.json", views.job_status, name="status"),
        path("download/", views.job_download, name="download"),
        path("restart/", views.job_restart, name="restart"),
    ])),
]
