"""The admin (/admin/) is for administrators (superusers) only.

Staff accounts may carry is_staff from earlier set-ups, but the admin shows every organisation's
data without the scoping of lao_integrity.orgs.access, so only superusers get in. Installed in
place of django.contrib.admin (settings.INSTALLED_APPS), so every `admin.site` is this site.

The lists here run over national tables (1.6 million projects, 55,000 plans and ITA results), so
every ModelAdmin of the project uses `LargeListAdmin`'s settings: no full count, a paginator that
counts exactly only up to a few thousand rows, year filters that never read DISTINCT over a big
table, and an ordering an index gives.
"""

import functools
import json

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.filters import AllValuesFieldListFilter
from django.contrib.admin.utils import get_fields_from_path, reverse_field_path
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Max, Min, QuerySet
from django.db.models.query import ModelIterable
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from import_export.forms import SelectableFieldsExportForm

from lao_integrity import admin_page, admin_rows, branding
from lao_integrity.fields import ThaiNumbersAdmin
from lao_integrity.light_models import LightModelIterable
from lao_integrity.pagecache import cached_page
from lao_integrity.statements import FixedRead, Statement, plain_key
from lao_integrity.tabular import ImportRejected, RowProblem
from lao_integrity.uploads import TableUploadForm

# Up to this many rows a list's count is exact; past it, PostgreSQL's planner estimate (an admin
# reads "about 1,650,000 projects", never waits for COUNT(*) over all of them).
EXACT_COUNT_LIMIT = 2000


class TableImportAdmin:
    """The admin's import of a csv/xlsx file: the import page's upload form (checked by content) and
    the domain's own import service, the one the page and the command call (lao_integrity.table_import:
    all or nothing, every bad row listed here by its line). Mixed in before the ModelAdmin; the
    admin then says what the import does in `import_file`."""

    import_form_class = TableUploadForm
    import_template = "admin/table_import.html"
    # With ExportMixin: the list's "นำเข้า" and "ส่งออก" links (an admin without it names its own template).
    import_export_change_list_template = "admin/import_export/change_list_import_export.html"
    import_headers: list[str] = []
    import_note = ""

    def import_file(self, request, form) -> str:
        """Run the import for a valid form; the message to show (lines after the first are warnings).
        Raises ImportRejected (or ValidationError) when nothing was imported."""
        raise NotImplementedError

    def has_import_permission(self, request) -> bool:
        return self.has_change_permission(request)

    def import_context(self, request) -> dict:
        return {"headers": self.import_headers, "note": self.import_note}

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_import"
        return [path("import/", self.admin_site.admin_view(self.import_view), name=name),
                *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "has_import_permission": self.has_import_permission(request)}
        return super().changelist_view(request, extra_context)

    def import_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        posted = request.method == "POST"
        form = self.import_form_class(request.POST, request.FILES) if posted else self.import_form_class()
        changelist = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist",
                             current_app=self.admin_site.name)
        problems = []
        if posted and form.is_valid():
            try:
                first, *rest = str(self.import_file(request, form)).split("\n")
            except ImportRejected as rejected:
                problems = rejected.problems
            except ValidationError as error:
                problems = [RowProblem(None, message) for message in error.messages]
            else:
                self.message_user(request, first, messages.SUCCESS)
                for line in rest:  # what the import kept or read otherwise: said, not hidden
                    self.message_user(request, line, messages.WARNING)
                return redirect(changelist)
        context = {**self.admin_site.each_context(request), "opts": self.opts, "form": form, "problems": problems,
                   "title": f"นำเข้า{self.opts.verbose_name_plural}", "cancel_url": changelist,
                   "base_template": "admin/base_site.html", "admin_view": True, **self.import_context(request)}
        return TemplateResponse(request, self.import_template, context)


class ThaiExportForm(SelectableFieldsExportForm):
    """The export page's column checkboxes named as the file names the columns ("รหัส"), not
    after the attribute in English ("Code (รหัส)")."""

    def _get_field_label(self, resource, field_name: str) -> str:
        field = resource.fields.get(field_name)
        if field is not None and field.column_name and field.column_name != field_name:
            return field.column_name
        model = resource._meta.model
        try:
            model_field = model._meta.get_field(field_name)
        except Exception:  # not a model field (a computed column without a header)
            return field_name
        if model_field.primary_key and model_field.auto_created:
            return "เลขรายการในระบบ"  # Django's "ID"
        return str(model_field.verbose_name)


class PortalAdmin(ThaiNumbersAdmin):
    """Added to every ModelAdmin by PortalAdminSite.register: Thai digits in numeric fields
    (lao_integrity/fields.py) and Thai column names on export pages."""

    def get_export_form_class(self):
        form_class = super().get_export_form_class()
        return ThaiExportForm if form_class is SelectableFieldsExportForm else form_class

    def get_inlines(self, request, obj):
        return [_with_thai_numbers(inline) for inline in super().get_inlines(request, obj)]


@functools.cache
def _with_thai_numbers(inline_class):
    if issubclass(inline_class, ThaiNumbersAdmin):
        return inline_class
    return type(inline_class.__name__, (ThaiNumbersAdmin, inline_class),
                {"__module__": inline_class.__module__, "__qualname__": inline_class.__qualname__})


class PortalAdminSite(admin.AdminSite):
    site_header = f"{branding.SHORT_NAME}: ผู้ดูแลระบบ"
    site_title = branding.SHORT_NAME
    # The sidebar repeats the index page's list of every model on every page: a fifth of a
    # changelist's time. The index and the breadcrumbs still lead everywhere.
    enable_nav_sidebar = False

    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def each_context(self, request):
        # Django's, with every model of every app (read for the sidebar only, disabled above)
        # built only if a template asks for it, not on every list page.
        script_name = request.META["SCRIPT_NAME"]
        return {
            "site_title": self.site_title,
            "site_header": self.site_header,
            "site_url": script_name if self.site_url == "/" and script_name else self.site_url,
            "has_permission": self.has_permission(request),
            "available_apps": SimpleLazyObject(lambda: self.get_app_list(request)),
            "is_popup": False,
            "is_nav_sidebar_enabled": self.enable_nav_sidebar,
            "log_entries": self.get_log_entries(request),
        }

    def register(self, model_or_iterable, admin_class=None, **options):
        # Every ModelAdmin, the project's and the installed apps' alike, gets PortalAdmin: one
        # place, so no admin can forget it.
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, PortalAdmin):
            admin_class = type(admin_class.__name__, (PortalAdmin, admin_class),
                               {"__module__": admin_class.__module__, "__qualname__": admin_class.__qualname__})
        super().register(model_or_iterable, admin_class, **options)


class PortalAdminConfig(AdminConfig):
    default_site = "lao_integrity.admin_site.PortalAdminSite"


def planner_estimate(queryset: QuerySet) -> int | None:
    """The number of rows PostgreSQL expects `queryset` to return (EXPLAIN, nothing is read)."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    return _estimate(connection, sql, params)


def _estimate(connection, sql, params) -> int:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


class LargeTablePaginator(Paginator):
    """Counts exactly up to EXACT_COUNT_LIMIT rows (a count that stops there); past that, takes the
    planner's estimate, so a list over millions of rows costs what a small one does."""

    @cached_property
    def count(self):
        queryset = self.object_list
        if not isinstance(queryset, QuerySet):
            return super().count
        key = plain_key(queryset.query)
        if key is None:
            capped = queryset.order_by()[:EXACT_COUNT_LIMIT + 1].count()
            if capped <= EXACT_COUNT_LIMIT:
                return capped
            estimate = planner_estimate(queryset)
            return max(capped, estimate or 0) if estimate is not None else queryset.count()
        # A list with no filter or search: the same two reads, compiled once a process.
        connection = connections[queryset.db]
        reads = _COUNT_READS.get((queryset.db, key))
        if reads is None:
            if len(_COUNT_READS) >= 512:  # each order of each list is one
                _COUNT_READS.clear()
            reads = _COUNT_READS[queryset.db, key] = _count_reads(queryset, connection)
        capped_read, (all_sql, all_params) = reads
        with connection.cursor() as cursor:
            capped_read.run(connection, cursor)
            capped = cursor.fetchone()[0]
        if capped <= EXACT_COUNT_LIMIT:
            return capped
        if connection.vendor != "postgresql":
            return queryset.count()
        return max(capped, _estimate(connection, all_sql, all_params))


_COUNT_READS: dict = {}  # (database alias, plain_key of the list's rows) -> (capped count, every row's key)


def _count_reads(queryset: QuerySet, connection) -> tuple:
    """The SQL of the capped count `queryset.order_by()[:EXACT_COUNT_LIMIT + 1].count()` and of the
    rows' keys that planner_estimate explains."""
    keys = queryset.order_by().values("pk")
    capped_sql, capped_params = keys[:EXACT_COUNT_LIMIT + 1].query.get_compiler(connection=connection).as_sql()
    all_sql, all_params = keys.query.get_compiler(connection=connection).as_sql()
    return FixedRead(f"SELECT COUNT(*) FROM ({capped_sql}) subquery", capped_params), (all_sql, tuple(all_params))


def tabular_inline(model) -> type[admin.TabularInline]:
    """`model`'s rows as a table under their parent's page, with no blank rows offered: the parts
    are added where they are needed, never as three empty lines on every change page."""
    return type(f"{model.__name__}Inline", (admin.TabularInline,),
                {"model": model, "extra": 0, "__module__": model.__module__})


def year_filter(path: str, title: str = "ปีงบประมาณ") -> type[admin.SimpleListFilter]:
    """A list filter on a fiscal year field (`path`, e.g. "plan__fiscal_year") offering every year
    from the first to the last: two index look-ups on the model that holds the field, where
    Django's own filter would read DISTINCT over every row of the list (or of that model)."""

    class YearFilter(admin.SimpleListFilter):
        parameter_name = path

        def lookups(self, request, model_admin):
            field = get_fields_from_path(model_admin.model, path)[-1]
            first, last = _bounds(field.model, field.name).rows()[0]
            if first is None:
                return []
            return [(str(year), str(year)) for year in range(last, first - 1, -1)]

        def queryset(self, request, queryset):
            value = self.value()
            if value and value.isdigit():
                return queryset.filter(**{path: int(value)})
            return queryset

    YearFilter.title = title
    YearFilter.__name__ = f"YearFilter_{path}"
    return YearFilter


@functools.cache
def _bounds(model, name: str) -> Statement:
    """`model._default_manager.aggregate(Min(name), Max(name))` as one row, compiled once a process."""
    def build():
        queryset = model._default_manager.order_by().values_list(Min(name), Max(name))
        queryset.query.group_by = None  # one row over the whole table, as aggregate() reads it
        return queryset
    return Statement(build)


@functools.cache
def _distinct_values(model, name: str) -> Statement:
    """AllValuesFieldListFilter's choices from a related model's default manager (e.g. the
    provinces of the organisations), compiled once a process."""
    return Statement(lambda: model._default_manager.all().distinct().order_by(name).values_list(name))


class _StatementValues:
    """A statement's first column, read when first iterated (as a queryset would be)."""

    def __init__(self, statement: Statement):
        self._statement, self._values = statement, None

    def _read(self) -> list:
        if self._values is None:
            self._values = [row[0] for row in self._statement.rows()]
        return self._values

    def __iter__(self):
        return iter(self._read())

    def __len__(self):
        return len(self._read())


class LargeChangeList(ChangeList):
    """Each row's link from one `reverse` per page (a placeholder key replaced), not one per row;
    the rows themselves are written by lao_integrity.admin_rows (templates/admin/change_list.html),
    their objects built by lao_integrity.light_models."""

    fast_rows = True  # read by templates/admin/change_list.html

    @property
    def fast_frame(self) -> bool:
        """Whether templates/admin/change_list.html has admin_rows write the search form, actions and
        pagination (with the rows, when Django's own templates of them are this list's)."""
        return self.fast_rows and admin_rows.frame_is_djangos(self)

    def get_results(self, request):
        super().get_results(request)
        rows = self.result_list
        # Editable lists build a formset over the queryset: Django's instances there.
        if not self.list_editable and isinstance(rows, QuerySet) and rows._iterable_class is ModelIterable:
            fields = getattr(self.model_admin, "list_fields", ())
            if fields:
                # The page's rows read the columns the list shows (a pop-up's key too), not every
                # column of every parent (the exports and actions read the list's queryset whole).
                rows = self.result_list = rows.only(*fields, *([self.to_field] if self.to_field else []))
            rows._iterable_class = LightModelIterable

    def get_filters(self, request):
        specs, *rest = super().get_filters(request)
        for spec in specs:
            # A filter on a related model's field lists that model's values: the same read,
            # compiled once a process (one on this list's own field keeps Django's queryset).
            if type(spec) is AllValuesFieldListFilter:
                parent_model = reverse_field_path(self.model, spec.field_path)[0]
                if parent_model is not self.model:
                    spec.lookup_choices = _StatementValues(_distinct_values(parent_model, spec.field.name))
        return [specs, *rest]

    def get_query_string(self, new_params=None, remove=None):
        """ChangeList.get_query_string's text, each parameter encoded once a page: a list's filters
        link each of their choices (the 77 provinces) and its pages with the same parameters."""
        params = self.filter_params.copy()
        for prefix in remove or ():
            for key in list(params):
                if key.startswith(prefix):
                    del params[key]
        for key, value in (new_params or {}).items():
            if value is None:
                params.pop(key, None)
            else:
                params[key] = value
        parts = [self._encoded(key, value) for key, value in sorted(params.items())]
        return "?" + "&".join([part for part in parts if part])  # an empty list of values writes nothing

    def _encoded(self, key, value) -> str:
        """urlencode([(key, value)], doseq=True), as get_query_string's urlencode writes each pair."""
        try:
            cache_key = (key, tuple(value) if type(value) is list else value)
            encoded = self._encoded_pairs.get(cache_key)
        except TypeError:  # a value that is no key: encoded every time
            return urlencode([(key, value)], doseq=True)
        if encoded is None:
            encoded = self._encoded_pairs[cache_key] = urlencode([(key, value)], doseq=True)
        return encoded

    @cached_property
    def _encoded_pairs(self) -> dict:
        return {}

    def url_for_result(self, result):
        return self.change_url_template.replace(admin_rows.KEY_PLACEHOLDER,
                                                admin_rows.url_key(getattr(result, self.pk_attname)), 1)

    @cached_property
    def change_url_template(self):
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                       args=[admin_rows.KEY_PLACEHOLDER], current_app=self.model_admin.admin_site.name)


class LargeListAdmin:
    """Settings for a changelist over a national table, mixed in first: `class X(LargeListAdmin,
    ..., admin.ModelAdmin)`. Each admin adds list_select_related (every foreign key the list
    shows), raw_id_fields or autocomplete_fields for every foreign key to a big table (a <select>
    would list all its rows), and an `ordering` an index gives."""

    show_full_result_count = False
    paginator = LargeTablePaginator
    # The fields a page's rows read (QuerySet.only), the list's columns, links and names need
    # (their parents' through list_select_related): () reads every field.
    list_fields: tuple[str, ...] = ()
    kept_media = True  # the page's scripts and styles rendered once a process (below)
    list_per_page = 50
    list_max_show_all = EXACT_COUNT_LIMIT
    date_hierarchy = None

    @cached_property
    def _cached_changelist(self):
        return cached_page(self._changelist_page)

    def _changelist_page(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if type(response) is TemplateResponse:
            # Written by admin_page when its templates are the stock ones (the same response
            # otherwise: its callbacks, headers and cookies kept).
            response.__class__ = admin_page.ChangeListPage
        return response

    def changelist_view(self, request, extra_context=None):
        """The page of a national list, kept until a write commits (lao_integrity/pagecache);
        superusers only, like every admin page. (extra_context comes from the request and the
        user, both in the key.)"""
        if self.kept_media and not self.list_editable and type(self).action_form is helpers.ActionForm:
            # The page's scripts and styles: Django's self.media plus the action form's (none),
            # rendered once a process rather than merged and looked up in the manifest each time.
            extra_context = {"media": self._list_media, **(extra_context or {})}
        return self._cached_changelist(request, extra_context)

    @cached_property
    def _list_media(self) -> dict:
        return {part: mark_safe(self.media[part].render()) for part in ("js", "css")}

    def get_changelist(self, request, **kwargs):
        return LargeChangeList

    def action_checkbox(self, obj):
        """Django's checkbox of each row, written out: the same markup, without rendering a widget
        template per row (a third of a 50-row list's time)."""
        return mark_safe(admin_rows.checkbox(obj.pk, str(obj), _(admin_rows.CHECKBOX_LABEL)))

    action_checkbox.fast_checkbox = True  # admin_rows writes it with the label translated once a page
