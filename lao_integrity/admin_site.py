"""The admin (/admin/) is for administrators (superusers) only.

Staff accounts may carry is_staff from earlier set-ups, but the admin shows every organisation's
data without the scoping of lao_integrity.orgs.access, so only superusers get in. Installed in
place of django.contrib.admin (settings.INSTALLED_APPS), so every `admin.site` is this site.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class PortalAdminSite(admin.AdminSite):
    site_header = "lao-integrity: ผู้ดูแลระบบ"
    site_title = "lao-integrity"

    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser


class PortalAdminConfig(AdminConfig):
    default_site = "lao_integrity.admin_site.PortalAdminSite"
