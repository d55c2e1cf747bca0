from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from import_export import resources
from import_export.admin import ExportMixin

from lao_integrity.admin_site import LargeListAdmin, TableImportAdmin, tabular_inline
from lao_integrity.concurrency import VersionCheckedAdmin

from . import services
from .exchange import HEADERS
from .models import AuditorScope, Membership, Organisation, Person, Unit
from .resources import OrganisationResource


@admin.register(Organisation)
class OrganisationAdmin(LargeListAdmin, TableImportAdmin, VersionCheckedAdmin, ExportMixin, admin.ModelAdmin):
    """Import here is `import_orgs`'s: services.organisations_import."""

    resource_classes = [OrganisationResource]
    import_headers = HEADERS
    import_note = "อปท. ที่มีรหัสอยู่แล้วจะถูกปรับตามไฟล์ รหัสใหม่จะถูกเพิ่ม"
    list_display = ["code", "name", "org_type", "district", "province"]
    list_filter = ["org_type", "province"]  # the provinces: DISTINCT along the province index
    # Also what the autocomplete widgets of every other admin search. A code is matched from its
    # start (the unique index on code serves it), names and places anywhere.
    search_fields = ["^code", "name", "district", "province"]
    search_help_text = "รหัส อปท. (ตัวเลขต้นรหัส) หรือส่วนหนึ่งของชื่อ อำเภอ จังหวัด"
    ordering = ["province", "name", "code"]  # index org_province_name_code_idx
    inlines = [tabular_inline(Unit)]

    def import_file(self, request, form):
        upload = form.cleaned_data["file"]
        count = services.organisations_import(data=upload.read(), filename=upload.name, user=request.user)
        return f"นำเข้า อปท. {count} รายการ"


class UnitResource(resources.ModelResource):
    class Meta:
        model = Unit
        fields = ("id", "organisation__code", "organisation__name", "name", "order")


class _OrganisationPartAdmin(LargeListAdmin, ExportMixin, admin.ModelAdmin):
    """A unit, person or membership of one organisation: newest first (along the primary key), the
    organisation picked by autocomplete (a <select> would list all 7,850)."""

    list_select_related = ["organisation"]
    ordering = ["-pk"]
    autocomplete_fields = ["organisation"]


@admin.register(Unit)
class UnitAdmin(_OrganisationPartAdmin):
    resource_classes = [UnitResource]
    list_display = ["name", "organisation", "order"]
    list_filter = ["organisation__province"]
    search_fields = ["=organisation__code", "name", "organisation__name"]


class PersonResource(resources.ModelResource):
    class Meta:
        model = Person
        fields = ("id", "organisation__code", "prefix", "first_name", "last_name", "position", "unit__name",
                  "acting_lines", "is_active")


@admin.register(Person)
class PersonAdmin(VersionCheckedAdmin, _OrganisationPartAdmin):
    resource_classes = [PersonResource]
    list_display = ["full_name", "position", "organisation", "unit", "is_active"]
    list_filter = ["is_active", "organisation__province"]
    search_fields = ["=organisation__code", "first_name", "last_name", "position", "organisation__name"]
    list_select_related = ["organisation", "unit"]
    autocomplete_fields = ["organisation", "unit"]


class MembershipResource(resources.ModelResource):
    class Meta:
        model = Membership
        fields = ("id", "user__username", "organisation__code", "organisation__name", "role")


@admin.register(Membership)
class MembershipAdmin(_OrganisationPartAdmin):
    resource_classes = [MembershipResource]
    list_display = ["user", "organisation", "role"]
    list_filter = ["role"]
    search_fields = ["=organisation__code", "user__username", "organisation__name"]
    list_select_related = ["user", "organisation"]
    raw_id_fields = ["user"]


class AuditorScopeForm(forms.ModelForm):
    """Provinces and districts typed one a line rather than as JSON."""

    provinces = forms.CharField(label="จังหวัด", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                                help_text="บรรทัดละหนึ่งจังหวัด สะกดตามทะเบียน อปท. เช่น เชียงราย "
                                          "(ท้องถิ่นจังหวัด: อ่านได้ทุก อปท. ในจังหวัด)")
    districts = forms.CharField(label="อำเภอ", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                                help_text="บรรทัดละหนึ่งอำเภอ เขียนเป็น จังหวัด/อำเภอ เช่น เชียงราย/แม่สาย "
                                          "(ท้องถิ่นอำเภอ: อ่านได้ทุก อปท. ในอำเภอ)")

    class Meta:
        model = AuditorScope
        fields = ["user", "all_organisations", "provinces", "districts"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["provinces"] = "\n".join(self.instance.provinces or [])
            self.initial["districts"] = "\n".join(self.instance.districts or [])

    def clean_provinces(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["provinces"].splitlines() if line.strip()]

    def clean_districts(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["districts"].splitlines() if line.strip()]


@admin.register(AuditorScope)
class AuditorScopeAdmin(LargeListAdmin, admin.ModelAdmin):
    form = AuditorScopeForm
    list_display = ["user", "all_organisations", "province_list", "district_list"]
    list_filter = ["all_organisations"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    list_select_related = ["user"]
    ordering = ["-pk"]
    raw_id_fields = ["user"]

    @admin.display(description="จังหวัด")
    def province_list(self, obj):
        return ", ".join(obj.provinces or []) or "-"

    @admin.display(description="อำเภอ")
    def district_list(self, obj):
        return ", ".join(obj.districts or []) or "-"


# --- users: an account that signed, approved or recorded something is deactivated, not deleted ---

User = get_user_model()
PROTECTED_TITLE = "ลบบัญชีผู้ใช้นี้ไม่ได้"
PROTECTED_SHOWN = 50
PROTECTED_REASON = (
    "บัญชีนี้เป็นผู้ลงนาม ผู้อนุมัติ หรือผู้บันทึกเอกสารด้านล่าง ชื่อผู้ใช้เป็นส่วนหนึ่งของหลักฐานในเอกสารเหล่านั้น "
    "จึงลบไม่ได้ หากไม่ต้องการให้ผู้ใช้นี้เข้าสู่ระบบอีก ให้ปิดการใช้งานบัญชีแทน "
    "ผู้ใช้จะเข้าสู่ระบบไม่ได้ แต่เอกสารยังระบุชื่อผู้ใช้ไว้ตามเดิม")


class PortalUserAdmin(UserAdmin):
    """Django's user admin, except that deleting a user the records name (signed_by, approved_by,
    ... are PROTECT) explains why in Thai and offers deactivation, instead of Django's list of
    "protected related objects"."""

    def get_urls(self):
        return [path("<path:object_id>/deactivate/", self.admin_site.admin_view(self.deactivate_view),
                     name="auth_user_deactivate"), *super().get_urls()]

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            _, name, description = actions["delete_selected"]
            actions["delete_selected"] = (PortalUserAdmin.delete_selected_users, name, description)
        actions["deactivate_selected"] = (PortalUserAdmin.deactivate_selected, "deactivate_selected",
                                          "ปิดการใช้งานบัญชีที่เลือก")
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        user = self.get_object(request, unquote(object_id))
        if user is not None and self.has_delete_permission(request, user):
            protected = self.get_deleted_objects([user], request)[3]
            if protected:
                return self._protected_page(request, [user], protected)
        return super().delete_view(request, object_id, extra_context)

    def delete_selected_users(self, request, queryset):
        protected = self.get_deleted_objects(list(queryset), request)[3]
        if protected:
            return self._protected_page(request, list(queryset), protected)
        return delete_selected(self, request, queryset)

    def deactivate_selected(self, request, queryset):
        count = 0
        for user in queryset:
            if services.user_deactivate(user=request.user, account=user):
                self.log_change(request, user, "ปิดการใช้งานบัญชี")
                count += 1
        self.message_user(request, f"ปิดการใช้งานบัญชีแล้ว {count} บัญชี", messages.SUCCESS)

    def deactivate_view(self, request, object_id):
        user = self.get_object(request, unquote(object_id))
        if user is None:
            raise Http404
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_change_permission(request, user):
            raise PermissionDenied
        if services.user_deactivate(user=request.user, account=user):
            self.log_change(request, user, "ปิดการใช้งานบัญชี")
        self.message_user(request, f"ปิดการใช้งานบัญชี “{user.get_username()}” แล้ว ผู้ใช้นี้เข้าสู่ระบบไม่ได้อีก "
                                   "เอกสารที่ลงนาม อนุมัติ หรือบันทึกไว้ยังระบุชื่อผู้ใช้ตามเดิม", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:auth_user_change", args=[user.pk],
                                            current_app=self.admin_site.name))

    def _protected_page(self, request, users, protected):
        context = {
            **self.admin_site.each_context(request),
            "title": PROTECTED_TITLE,
            "reason": PROTECTED_REASON,
            "users": users,
            # Someone who imported a national ITA file is named on thousands of results.
            "protected": protected[:PROTECTED_SHOWN],
            "more": max(0, len(protected) - PROTECTED_SHOWN),
            "opts": self.model._meta,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/auth/user/delete_protected.html", context)


admin.site.unregister(User)
admin.site.register(User, PortalUserAdmin)


class LoginAttemptAdmin(AccessAttemptAdmin):
    """django-axes' failed logins, its status column in Thai (a method without a translatable name;
    the other columns are translated in locale/th)."""

    @admin.display(description="สถานะ")
    def status(self, obj):
        return super().status(obj)


admin.site.unregister(AccessAttempt)
admin.site.register(AccessAttempt, LoginAttemptAdmin)
