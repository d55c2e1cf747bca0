from django.urls import path

from . import views

app_name = "orgs"

urlpatterns = [
    path("<str:code>/", views.organisation_profile, name="profile"),
    path("<str:code>/emblem/", views.organisation_emblem, name="emblem"),
    path("<str:code>/people/<int:person_id>/signature/", views.person_signature, name="signature"),
]
