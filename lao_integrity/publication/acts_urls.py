"""Publishing and withdrawing (signed-in executives), at /publishing/<model label>/<pk>/."""

from django.urls import path

from . import acts

app_name = "publishing"
urlpatterns = [
    path("<str:subject>/<int:pk>/publish/", acts.publish, name="publish"),
    path("<str:subject>/<int:pk>/withdraw/", acts.withdraw, name="withdraw"),
]
