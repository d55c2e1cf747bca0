from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from lao_integrity import branding
from lao_integrity.obligations.views import calendar_feed, home
from lao_integrity.publication import sitemaps
from lao_integrity.views import glossary, healthz, search_page

admin.site.site_header = f"{branding.SHORT_NAME}: ผู้ดูแลระบบ"
admin.site.site_title = branding.SHORT_NAME

urlpatterns = [
    path("", home, name="home"),
    path("obligations/", include("lao_integrity.obligations.urls")),
    path("calendar/<str:token>.ics", calendar_feed, name="calendar_feed"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("lao_integrity.accounts.urls")),
    path("plans/", include("plans.urls")),
    path("ita/", include("ita.urls")),
    path("agreements/", include("agreements.urls")),
    path("lpa/", include("lpa.urls")),
    path("announcements/", include("lao_integrity.announcements.urls")),
    path("organisations/", include("lao_integrity.orgs.urls")),
    path("jobs/", include("lao_integrity.jobs.urls")),
    path("supervision/", include("lao_integrity.supervision.urls")),
    path("notifications/", include("lao_integrity.notifications.urls")),
    path("publishing/", include("lao_integrity.publication.acts_urls")),
    path("public/", include("lao_integrity.publication.urls")),
    path("public/<str:code>/announcements/", include("lao_integrity.announcements.public_urls")),
    path("public/<str:code>/plans/", include("plans.public_urls")),
    path("public/<str:code>/ita/", include("ita.public_urls")),
    path("public/<str:code>/oit/", include("ita.oit.public_urls")),
    path("public/<str:code>/agreements/", include("agreements.public_urls")),
    path("verify/", include("lao_integrity.verification.urls")),
    path("sitemap.xml", sitemaps.index, name="sitemap"),
    path("healthz/", healthz, name="healthz"),
    path("help/terms/", glossary, name="glossary"),
    path("search/", search_page, name="search"),
    path("admin/", admin.site.urls),
]

handler500 = "lao_integrity.views.server_error"
