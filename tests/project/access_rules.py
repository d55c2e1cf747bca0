"""The access table every URL walk reads: each routed URL's rule (who may GET and POST it, built with
which demo object), the users of every role, and how a request's answer is judged.

Used by test_access_matrix.py, test_hardening.py and the edit-version cases."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.signals import request_finished
from django.db import close_old_connections, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.models import Organisation, Role
from lao_integrity.orgs.services import auditor_scope_set, membership_grant
from tests.project import access_objects as objects
from tests.project.access_objects import BAN_HAENG, BAN_MUANG, MAE_SAI

SKIPPED_NAMESPACES = {"admin"}  # checked by test_admin_is_for_administrators_only
SKIPPED_NAMES = {"login", "logout"}  # tested in tests/kernel/security/test_security.py
ROLES = ["anonymous", "staff", "executive", "auditor", "scoped_auditor", "province_auditor", "other_staff",
         "administrator"]


OK = "ok"


# --- the URL patterns ------------------------------------------------------------------------


def routed_names(patterns=None, namespace: str = "") -> list[str]:
    """Every named URL pattern, namespaced ("plans:detail"); an unnamed one as "<unnamed ...>"."""
    names = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in SKIPPED_NAMESPACES:
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names.extend(routed_names(entry.url_patterns, inner))
        elif isinstance(entry, URLPattern):
            route = str(entry.pattern)
            if route.startswith(("static/", "media/", "^static", "^media")):
                continue
            if entry.name is None:
                names.append(f"<unnamed {namespace}{route}>")
            elif entry.name not in SKIPPED_NAMES or namespace:
                names.append(f"{namespace}{entry.name}")
    return names


@dataclass(frozen=True)
class Rule:
    get: str
    post: str
    build: Callable  # ctx -> (url kwargs, owning organisation code, query string)


def org_wide(get="list", post="list"):
    return Rule(get, post, lambda ctx: ({}, BAN_HAENG, ""))


def district_area(code: str) -> str:
    """The supervision area of `code`'s district ("d-ลำปาง-งาว")."""
    organisation = Organisation.objects.get(code=code)
    return f"d-{organisation.province}-{organisation.district}"


def on_plan(get, post, query=""):
    return Rule(get, post, lambda ctx: ({"pk": objects.ban_haeng_plan(ctx).pk}, BAN_HAENG, query))


def calendar_token() -> str:
    """The demo staff user's calendar token (made here: the page's GET makes none)."""
    from lao_integrity.obligations import services as obligation_services
    from lao_integrity.obligations.selectors import calendar_token as token_of

    staff = get_user_model().objects.get(username="staff")
    return token_of(staff) or obligation_services.reset_token(user=staff)


def reset_link() -> dict:
    """The emailed link's parts for the demo staff user."""
    staff = get_user_model().objects.get(username="staff")
    return {"uidb64": urlsafe_base64_encode(force_bytes(staff.pk)), "token": default_token_generator.make_token(staff)}


def on_project(get, post, **extra):
    return Rule(get, post, lambda ctx: ({"pk": objects.ban_haeng_project(ctx).pk, **extra}, BAN_HAENG, ""))


def on_result(get, post, query=""):
    return Rule(get, post, lambda ctx: ({"pk": objects.ban_haeng_result(ctx).pk}, BAN_HAENG, query))


def on_measure(get, post, **extra):
    return Rule(get, post, lambda ctx: ({"pk": objects.mae_sai_measure(ctx).pk, **extra}, MAE_SAI, ""))


def on_agreement(get, post, query="", pick=objects.draft_agreement):
    return Rule(get, post, lambda ctx: ({"pk": pick(ctx).pk}, pick(ctx).organisation.code, query))


def on_indicator(get, post, quarter=False):
    def build(ctx):
        agreement = objects.draft_agreement(ctx)
        indicator = agreement.indicators.order_by("pk").first()
        kwargs = {"pk": indicator.pk} | ({"quarter": agreement.quarters[0]} if quarter else {})
        return kwargs, agreement.organisation.code, ""
    return Rule(get, post, build)


def on_org_agreement(get, post):
    return Rule(get, post, lambda ctx: ({"pk": objects.org_agreement(ctx).pk}, objects.org_agreement(ctx).organisation.code, ""))


def on_topic(get, post):
    return Rule(get, post, lambda ctx: ({"pk": objects.topic(ctx).pk}, objects.org_agreement(ctx).organisation.code, ""))


def on_announcement(get, post, pick=objects.plan_announcement, query=""):
    return Rule(get, post, lambda ctx: ({"pk": pick(ctx).pk}, pick(ctx).organisation.code, query))


def public(build=lambda ctx: {}, owner=BAN_HAENG, query=""):
    """A page anyone may GET (no login); a POST is 405 (public_view: GET and HEAD only)."""
    return Rule("public", "public", lambda ctx: (build(ctx), owner, query))


def on_publishing(pick=objects.signed_announcement):
    """Publishing and withdrawing: POST only, the document's executive (generic: the model's label)."""
    return Rule("post_only", "approve", lambda ctx: (
        {"subject": "announcements.announcement", "pk": pick(ctx).pk}, pick(ctx).organisation.code, ""))


def on_job():
    return Rule("owner", "owner", lambda ctx: ({"pk": objects.staff_job(ctx).pk}, BAN_HAENG, ""))


RULES: dict[str, Rule] = {
    # The home page of each role: every signed-in user (GET only: a POST is 405).
    "home": org_wide("list", "list"),
    # One organisation's obligations: who may see the organisation (GET only).
    "obligations:organisation": Rule("read", "post_only", lambda ctx: ({"code": BAN_HAENG}, BAN_HAENG, "")),
    # One's own calendar address: the page (GET) and a new address (POST).
    "obligations:calendar": org_wide("list", "post_only"),
    "obligations:calendar_reset": org_wide("post_only", "list"),
    # The feed: no login, the token is the key (a wrong token is a 404: test_pages).
    # Supervision (read only, GET): supervisors with a scope and administrators. The list of areas:
    # any supervisor (others 403); an area's pages: those whose scope covers it (another's 404).
    "supervision:choose": Rule("supervisors", "post_only", lambda ctx: ({}, BAN_HAENG, "")),
    "supervision:dashboard": Rule("supervise", "post_only", lambda ctx: (
        {"area": f"p-{Organisation.objects.get(code=BAN_HAENG).province}", "fiscal_year": 2569}, BAN_HAENG, "")),
    "supervision:figure": Rule("supervise", "post_only", lambda ctx: (
        {"area": district_area(BAN_HAENG), "fiscal_year": 2569, "figure": "plan-approved.done"}, BAN_HAENG, "")),
    "calendar_feed": Rule("public", "public", lambda ctx: ({"token": calendar_token()}, BAN_HAENG, "")),
    "healthz": Rule("public", "public", lambda ctx: ({}, BAN_HAENG, "")),
    # One's own password: signed-in users change it; anyone may ask for (and use) a reset link.
    "password_change": org_wide(),
    "password_change_done": org_wide(),
    "password_reset": Rule("public", "public", lambda ctx: ({}, BAN_HAENG, "")),
    "password_reset_done": Rule("public", "public", lambda ctx: ({}, BAN_HAENG, "")),
    "password_reset_confirm": Rule("public", "public", lambda ctx: (reset_link(), BAN_HAENG, "")),
    "password_reset_complete": Rule("public", "public", lambda ctx: ({}, BAN_HAENG, "")),
    "glossary": Rule("public", "public", lambda ctx: ({}, BAN_HAENG, "")),
    # The site search: every signed-in user, over what each may see (GET only: a POST is 405).
    "search": Rule("list", "list", lambda ctx: ({}, BAN_HAENG, "q=โครงการ")),
    # plans
    "plans:list": org_wide("list", "create"),
    "plans:import_new": org_wide("create", "create"),
    "plans:detail": on_plan("read", "read"),
    # The audit trail's own pages: executives and auditors, not staff (access.can_see_history).
    "plans:history": on_plan("history", "history"),
    "plans:settings": on_plan("edit", "edit"),
    "plans:approve": on_plan("post_only", "approve"),
    "plans:submit": on_plan("post_only", "edit"),
    "plans:withdraw": on_plan("post_only", "edit"),
    "plans:return": on_plan("post_only", "approve"),
    "plans:copy": on_plan("post_only", "edit"),
    "plans:project_add": on_plan("edit", "edit"),
    "plans:progress": on_plan("read", "read"),
    "plans:progress_export": on_plan("read", "read"),
    "plans:export": Rule("read", "read", lambda ctx: ({"pk": objects.ban_haeng_plan(ctx).pk, "fmt": "csv"}, BAN_HAENG, "")),
    "plans:import": on_plan("edit", "edit"),
    "plans:document": Rule("read", "read", lambda ctx: (
        {"pk": objects.ban_haeng_plan(ctx).pk, "kind": "announcement"}, BAN_HAENG, "preview=1")),
    # the plan's frozen versions and what changed before approving: whoever reads the plan
    "plans:changes": on_plan("read", "read"),
    "plans:versions": on_plan("read", "read"),
    "plans:version": Rule("read", "read", lambda ctx: ({"pk": objects.ban_haeng_version(ctx).pk}, BAN_HAENG, "")),
    "plans:version_pdf": Rule("read", "read", lambda ctx: ({"pk": objects.ban_haeng_version(ctx).pk}, BAN_HAENG, "preview=1")),
    "plans:project_edit": on_project("edit", "edit"),
    "plans:project_delete": on_project("edit", "edit"),
    "plans:project_move": on_project("post_only", "edit"),
    "plans:sheet": on_project("read", "read"),
    "plans:sheet_history": on_project("history", "history"),
    "plans:sheet_edit": on_project("edit", "edit"),
    "plans:progress_edit": on_project("edit", "edit", quarter=1),
    "plans:evidence": Rule("read", "read", lambda ctx: ({"pk": objects.plan_evidence(ctx).pk, "quarter": 1}, BAN_HAENG, "")),
    # ita
    "ita:list": org_wide("list", "list"),
    "ita:export": Rule("list", "list", lambda ctx: ({}, BAN_HAENG, "format=csv")),
    "ita:export_all": Rule("post_only", "list", lambda ctx: ({}, BAN_HAENG, "")),
    "ita:history": Rule("read", "read", lambda ctx: ({"code": BAN_HAENG}, BAN_HAENG, "")),
    "ita:import": org_wide("create", "create"),
    "ita:result_edit": Rule("edit", "edit", lambda ctx: ({"code": BAN_HAENG, "fiscal_year": 2566}, BAN_HAENG, "")),
    "ita:result": on_result("read", "read"),
    "ita:analysis_pdf": on_result("read", "read", query="preview=1"),
    "ita:guidance": on_result("edit", "edit"),
    "ita:recommendations": on_result("edit", "edit"),
    "ita:measures": Rule("read", "read", lambda ctx: ({"code": MAE_SAI, "fiscal_year": 2567}, MAE_SAI, "")),
    "ita:measure_add": Rule("edit", "edit", lambda ctx: ({"code": MAE_SAI, "fiscal_year": 2567}, MAE_SAI, "")),
    "ita:measure_edit": on_measure("edit", "edit"),
    "ita:measure_delete": on_measure("edit", "edit"),
    "ita:measure_progress": on_measure("edit", "edit", quarter=1),
    "ita:measure_evidence": Rule("read", "read", lambda ctx: (
        {"pk": objects.measure_evidence(ctx).pk, "quarter": 1}, MAE_SAI, "")),
    # the OIT checklist of a year (บ้านแหง's FY 2569 in the demo) and its public page
    "ita:oit": Rule("read", "read", lambda ctx: ({"code": BAN_HAENG, "fiscal_year": 2569}, BAN_HAENG, "")),
    "ita:oit_answer": Rule("edit", "edit", lambda ctx: (
        {"code": BAN_HAENG, "fiscal_year": 2569, "item": "O36"}, BAN_HAENG, "")),
    "ita:oit_confirm": Rule("post_only", "approve", lambda ctx: ({"code": BAN_HAENG, "fiscal_year": 2569}, BAN_HAENG, "")),
    "ita:oit_export": Rule("read", "read", lambda ctx: ({"code": BAN_HAENG, "fiscal_year": 2569}, BAN_HAENG, "")),
    "public_oit:years": Rule("public", "public", lambda ctx: ({"code": BAN_HAENG}, BAN_HAENG, "")),
    "public_oit:year": Rule("public", "public", lambda ctx: ({"code": BAN_HAENG, "fiscal_year": 2569}, BAN_HAENG, "")),
    # performance agreements
    # ?org= picks the organisation first, as a user who may act for many does (the administrator).
    "agreements:list": Rule("list", "create", lambda ctx: ({}, BAN_HAENG, f"org={BAN_HAENG}")),
    "agreements:detail": on_agreement("read", "read"),
    # The audit trail's own page: executives and auditors, not staff (access.can_see_history).
    "agreements:history": on_agreement("history", "history"),
    "agreements:edit": on_agreement("edit", "edit"),
    "agreements:delete": on_agreement("edit", "edit"),
    "agreements:sign": on_agreement("approve", "approve"),
    "agreements:evaluate": on_agreement("approve", "approve"),
    "agreements:submit": on_agreement("post_only", "edit"),
    "agreements:withdraw": on_agreement("post_only", "edit"),
    "agreements:return": on_agreement("post_only", "approve"),
    "agreements:pdf": on_agreement("read", "read", query="preview=1"),
    # the PDF kept at signing (the demo's agreement is signed, then evaluated)
    "agreements:signed_pdf": on_agreement("read", "read", pick=objects.signed_agreement),
    "agreements:indicator_add": on_agreement("edit", "edit"),
    "agreements:indicator_import": on_agreement("edit", "edit"),
    "agreements:indicator_export": Rule("read", "read", lambda ctx: (
        {"pk": objects.draft_agreement(ctx).pk, "fmt": "csv"}, objects.draft_agreement(ctx).organisation.code, "")),
    "agreements:indicator_edit": on_indicator("edit", "edit"),
    "agreements:indicator_delete": on_indicator("edit", "edit"),
    "agreements:progress": on_indicator("edit", "edit", quarter=True),
    "agreements:evidence": Rule("read", "read", lambda ctx: (
        {"pk": objects.indicator_evidence(ctx).indicator_id, "quarter": objects.indicator_evidence(ctx).quarter},
        objects.indicator_evidence(ctx).indicator.agreement.organisation.code, "")),
    # the organisation agreement
    "agreements:org_list": org_wide("list", "create"),
    "agreements:org_detail": on_org_agreement("read", "edit"),
    "agreements:org_copy": on_org_agreement("post_only", "edit"),
    "agreements:topic_add": on_org_agreement("edit", "edit"),
    "agreements:topic_edit": on_topic("edit", "edit"),
    "agreements:topic_delete": on_topic("edit", "edit"),
    "agreements:topic_move": on_topic("post_only", "edit"),
    # announcements
    "announcements:list": org_wide("list", "create"),
    "announcements:detail": on_announcement("read", "read"),
    "announcements:edit": on_announcement("edit", "edit"),
    "announcements:approve": on_announcement("post_only", "approve"),
    "announcements:submit": on_announcement("post_only", "edit"),
    "announcements:withdraw": on_announcement("post_only", "edit"),
    "announcements:return": on_announcement("post_only", "approve"),
    # signing a signed announcement is refused quickly; the access check comes first either way
    "announcements:sign": on_announcement("post_only", "approve", pick=objects.signed_announcement),
    "announcements:revise": on_announcement("post_only", "edit"),
    "announcements:delete": on_announcement("post_only", "edit"),
    "announcements:document": on_announcement("read", "read", query="preview=1"),
    "announcements:poster": on_announcement("read", "read", pick=objects.signed_announcement, query="preview=1"),
    # publishing a signed document (any publishable model) and withdrawing it: its executives only
    "publishing:publish": on_publishing(),
    "publishing:withdraw": on_publishing(),
    # the public pages (no login): everyone reads, nobody posts (405)
    "publication:organisations": public(query="q=บ้าน"),
    "publication:organisations_data": public(lambda ctx: {"fmt": "json"}),
    "publication:organisation": public(lambda ctx: {"code": BAN_HAENG}),
    "publication:documents": public(lambda ctx: {"code": BAN_HAENG, "fmt": "csv"}),
    "publication:sitemap_organisations": public(),
    "publication:sitemap_organisation": public(lambda ctx: {"code": BAN_HAENG}),
    "sitemap": public(),
    # The verification page (no login): anyone GETs the form and POSTs a file or a SHA-256; it reads only.
    "verification:verify": Rule("public", "public", lambda ctx: ({}, BAN_HAENG, "")),
    "public_announcements:detail": public(lambda ctx: {"code": BAN_HAENG, "pk": objects.published_announcement(ctx).pk}),
    "public_announcements:pdf": public(lambda ctx: {"code": BAN_HAENG, "pk": objects.published_announcement(ctx).pk}),
    # background jobs
    "jobs:list": org_wide("list", "list"),
    "jobs:detail": on_job(),
    "jobs:status": on_job(),
    "jobs:download": on_job(),
    "jobs:restart": Rule("post_only", "owner", lambda ctx: ({"pk": objects.staff_job(ctx).pk}, BAN_HAENG, "")),
    # notifications: everyone signed in, each only their own (another's is left as it was)
    "notifications:list": org_wide("list", "list"),
    "notifications:read": Rule("post_only", "list", lambda ctx: ({"pk": 1}, BAN_HAENG, "")),
    "notifications:read_all": Rule("post_only", "list", lambda ctx: ({}, BAN_HAENG, "")),
    "notifications:settings": org_wide("list", "list"),
    # public pages (no login): only what is signed and published (each build publishes it)
    "public_plans:plan": Rule("public", "public", lambda ctx: (objects.public_plan(ctx), BAN_HAENG, "")),
    "public_plans:plan_pdf": Rule("public", "public", lambda ctx: (objects.public_plan(ctx), BAN_HAENG, "preview=1")),
    "public_plans:progress": Rule("public", "public", lambda ctx: (objects.public_plan(ctx, months=6), BAN_HAENG, "")),
    "public_plans:progress_pdf": Rule("public", "public", lambda ctx: (
        objects.public_plan(ctx, months=6), BAN_HAENG, "preview=1")),
    "public_ita:results": Rule("public", "public", lambda ctx: ({"code": BAN_HAENG}, BAN_HAENG, "")),
    "public_ita:result": Rule("public", "public", lambda ctx: ({"code": BAN_HAENG, "fiscal_year": 2566}, BAN_HAENG, "")),
    "public_ita:measures": Rule("public", "public", lambda ctx: (objects.public_measures(ctx), MAE_SAI, "")),
    "public_ita:measure_progress": Rule("public", "public", lambda ctx: (objects.public_measures(ctx), MAE_SAI, "")),
    "public_agreements:performance": Rule("public", "public", lambda ctx: (
        {"code": objects.published_agreement(ctx).organisation.code, "pk": objects.published_agreement(ctx).pk},
        objects.published_agreement(ctx).organisation.code, "")),
    "public_agreements:organisation": Rule("public", "public", lambda ctx: (objects.public_org_agreement(ctx), BAN_MUANG, "")),
    # publishing a signed agreement, and withdrawing it: the organisation's executives (POST only)
    # LPA results (lpa/results): the province's table, its downloads and an organisation's history
    # for whoever may see the organisation; the import for administrators only
    "lpa:index": org_wide("list", "list"),
    "lpa:province": Rule("read", "read", lambda ctx: ({"province": "เชียงราย", "fiscal_year": 2566}, MAE_SAI, "")),
    "lpa:province_pdf": Rule("read", "read", lambda ctx: (
        {"province": "เชียงราย", "fiscal_year": 2566}, MAE_SAI, "preview=1")),
    "lpa:province_export": Rule("read", "read", lambda ctx: (
        {"province": "เชียงราย", "fiscal_year": 2566, "fmt": "xlsx"}, MAE_SAI, "")),
    "lpa:history": Rule("read", "read", lambda ctx: ({"code": MAE_SAI}, MAE_SAI, "")),
    "lpa:import": org_wide("administrator", "administrator"),
    # the organisation's own settings
    "orgs:profile": Rule("read", "edit", lambda ctx: ({"code": BAN_HAENG}, BAN_HAENG, "")),
    "orgs:emblem": Rule("read", "read", lambda ctx: ({"code": objects.emblem(ctx).code}, BAN_HAENG, "")),
    # The performance bonus (lpa/bonus): the province's summary (page, PDF, xlsx) for who sees its
    # organisations; part 1 is entered by administrators only ("administer": members get a 403).
    "lpa:bonus_summary": Rule("read", "read", lambda ctx: ({"province": "เชียงราย", "fiscal_year": 2566}, MAE_SAI, "")),
    "lpa:bonus_summary_pdf": Rule("read", "read", lambda ctx: (
        {"province": "เชียงราย", "fiscal_year": 2566}, MAE_SAI, "")),
    "lpa:bonus_summary_xlsx": Rule("read", "read", lambda ctx: (
        {"province": "เชียงราย", "fiscal_year": 2566}, MAE_SAI, "")),
    "lpa:bonus_entry": Rule("administer", "administer", lambda ctx: ({"code": MAE_SAI, "fiscal_year": 2566}, MAE_SAI, "")),
    "orgs:signature": Rule("approve", "approve", lambda ctx: (
        {"code": BAN_HAENG, "person_id": Organisation.objects.get(code=BAN_HAENG).people.order_by("pk").first().pk},
        BAN_HAENG, "")),
}


def expected(level: str, role: str):
    """OK, "login", or the status a refused role must get."""
    if level == "redirect":
        return 302
    if level == "public":
        return OK
    if role == "anonymous":
        return "login"
    if level == "post_only":
        return 405
    if level == "owner":
        return OK if role in ("staff", "administrator") else 404
    if level in ("supervisors", "supervise"):
        # Supervisors are the scoped auditors; members (whatever their role) are refused (403); a
        # supervisor of another province does not learn that the area exists (404).
        if role in ("administrator", "scoped_auditor") or (level == "supervisors" and role == "province_auditor"):
            return OK
        return 404 if role == "province_auditor" else 403
    if role == "administrator" or level == "list":
        return OK
    if level == "administrator":  # superusers only; everyone else signed in is refused
        return 403
    if level == "create":
        return 403 if role in ("auditor", "scoped_auditor", "province_auditor") else OK
    strangers = ("province_auditor", "other_staff")
    if role in strangers:
        return 404
    permitted = {"read": {"staff", "executive", "auditor", "scoped_auditor"}, "edit": {"staff", "executive"},
                 "approve": {"executive"}, "administer": set(),
                 "history": {"executive", "auditor", "scoped_auditor"}}[level]
    return OK if role in permitted else 403


# --- the users -------------------------------------------------------------------------------


def _user(username: str, **fields):
    user, _ = get_user_model().objects.get_or_create(username=username, defaults=fields)
    return user


def users_for(owner_code: str) -> dict:
    """The eight roles relative to the organisation that owns the URL's data."""
    users = get_user_model().objects
    owner = Organisation.objects.get(code=owner_code)
    # A stranger's organisation in another province, with the demo's own staff where there is one.
    stranger_code = BAN_HAENG if owner_code == MAE_SAI else MAE_SAI
    stranger = Organisation.objects.get(code=stranger_code)
    assert stranger.province != owner.province
    demo_staff = {BAN_HAENG: "staff", MAE_SAI: "staff_maesai"}
    if owner_code in demo_staff:
        staff = users.get(username=demo_staff[owner_code])
    else:
        staff = _user(f"matrix_staff_{owner_code}")
        membership_grant(user=SYSTEM, account=staff, organisation=owner, role=Role.STAFF)
    if owner_code == BAN_HAENG:
        executive = users.get(username="executive")
    else:
        executive = _user(f"matrix_executive_{owner_code}")
        membership_grant(user=SYSTEM, account=executive, organisation=owner, role=Role.EXECUTIVE)
    # Auditors by scope, not membership: one for the owner's province, one for another province.
    scoped_auditor = _user("matrix_scoped_auditor")
    auditor_scope_set(user=SYSTEM, account=scoped_auditor, provinces=[owner.province])
    province_auditor = _user("matrix_province_auditor")
    auditor_scope_set(user=SYSTEM, account=province_auditor, provinces=[stranger.province])
    return {
        "anonymous": None,
        "staff": staff,
        "executive": executive,
        "auditor": users.get(username="auditor"),  # a member of the four demo organisations, role auditor
        "scoped_auditor": scoped_auditor,
        "province_auditor": province_auditor,
        "other_staff": users.get(username=demo_staff[stranger_code]),
        "administrator": users.get(username="admin"),
    }


def request(client: Client, method: str, url: str):
    """One request whose writes are undone, so every role meets the same data."""
    with transaction.atomic():
        response = client.get(url) if method == "GET" else client.post(url)
        transaction.set_rollback(True)
    # File downloads hold their file open. HttpResponse.close() also sends request_finished, whose
    # close_old_connections would close the test's database connection on PostgreSQL: the test
    # client disconnects it the same way while it handles a response.
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    return response


def verdict(response, want) -> str | None:
    """None when the response is what `want` asks for, else a description of what came instead."""
    status = response.status_code
    if want == "login":
        location = response.get("Location", "")
        return None if status == 302 and location.startswith(reverse("login")) else f"{status} {location}"
    if want == OK:
        return None if status not in (403, 404) else str(status)
    return None if status == want else str(status)
