"""The mixed run's users (benchmarks/mixed.py): one staff member per organisation of the national
data, each with its own session and CSRF cookie, and the pages and forms that user opens.

Made in a child process (ops.run_in_child("bench_mixed_prepare", ...)) and idempotently: the
users are named bench-mixed-001 ... and kept between runs (no password: they cannot log in);
their sessions are ended afterwards (forget_users)."""

from __future__ import annotations

USERNAME = "bench-mixed-{:03d}"
# Projects edited: the organisation's next year's plan, a draft in the data set, so an edit
# neither starts a revision of an approved plan nor changes what the bench year's pages show.
EDIT_YEAR_OFFSET = 1
PROGRESS_QUARTER = 1


def prepare_users(*, year: int, count: int, watch=None) -> dict:
    """`count` organisations of the national data (codes starting with 9), spread over the code
    range, each with a plan for `year` (approved) and `year + 1` (a draft) and an agreement;
    one staff member (Membership role STAFF, granted as the portal grants it) and a session each."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.db import transaction
    from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
    from django.utils.crypto import get_random_string

    from agreements.performance.models import PerformanceAgreement
    from lao_integrity.orgs.access import SYSTEM
    from lao_integrity.orgs.models import Organisation, Role
    from lao_integrity.orgs.services import membership_grant
    from plans.models import Plan, PlanStatus, Project

    edit_year = year + EDIT_YEAR_OFFSET
    codes = list(Organisation.objects.filter(code__startswith="9").order_by("code").values_list("code", flat=True))
    # The last organisation is the plan import's (preparation.py): left alone.
    codes = codes[:-1]
    if len(codes) < count:
        raise LookupError(f"only {len(codes)} organisations of the national data, {count} wanted")
    step = len(codes) // count
    chosen = codes[::step][:count]
    orgs = {o.code: o for o in Organisation.objects.filter(code__in=chosen)}
    plans = {(p.organisation_id, p.fiscal_year): p for p in Plan.objects.filter(
        organisation__code__in=chosen, fiscal_year__in=[year, edit_year])}
    agreements = {}  # the latest of each organisation
    for org_id, pk in PerformanceAgreement.objects.filter(organisation__code__in=chosen).order_by(
            "organisation_id", "-fiscal_year", "pk").values_list("organisation_id", "pk"):
        agreements.setdefault(org_id, pk)
    User = get_user_model()
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    users = []
    for number, code in enumerate(chosen, start=1):
        org = orgs[code]
        plan, draft = plans.get((org.pk, year)), plans.get((org.pk, edit_year))
        if plan is None or draft is None or draft.status != PlanStatus.DRAFT or org.pk not in agreements:
            raise LookupError(f"{code}: no plan {year}, no draft plan {edit_year} or no agreement")
        progress_project = Project.objects.filter(plan=plan).order_by("sequence").values_list("pk", flat=True)[0]
        edit_project = Project.objects.filter(plan=draft).order_by("sequence").values_list("pk", flat=True)[0]
        with transaction.atomic():
            user, _ = User.objects.get_or_create(username=USERNAME.format(number))
            user.is_superuser = user.is_staff = False
            user.is_active = True
            user.set_unusable_password()
            user.save()
            user.memberships.exclude(organisation=org).delete()
            membership_grant(user=SYSTEM, account=user, organisation=org, role=Role.STAFF)
        store = store_class()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]  # the model backend
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        csrf = get_random_string(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS)
        users.append({
            "username": user.username,
            "code": code,
            "session_key": store.session_key,
            "cookie": f"{settings.SESSION_COOKIE_NAME}={store.session_key}; {settings.CSRF_COOKIE_NAME}={csrf}",
            "reads": pages_of(plan_pk=plan.pk, code=code, agreement_pk=agreements[org.pk], year=year),
            "writes": {
                "progress save": f"/plans/projects/{progress_project}/progress/{PROGRESS_QUARTER}/",
                "project edit": f"/plans/projects/{edit_project}/edit/",
            },
        })
    return {"users": users}


def pages_of(*, plan_pk: int, code: str, agreement_pk: int, year: int) -> dict[str, str]:
    """The pages a staff member of the organisation opens (mixed.READ_WEIGHTS names them)."""
    return {
        "home": "/",
        "plan list": "/plans/",
        "plan page": f"/plans/{plan_pk}/",
        "progress summary": f"/plans/{plan_pk}/progress/",
        "ITA history": f"/ita/org/{code}/",
        "ITA list": f"/ita/?fiscal_year={year}",
        "agreement page": f"/agreements/{agreement_pk}/",
        "announcements": "/announcements/",
    }


def forget_users(*, session_keys: list[str], watch=None) -> dict:
    """End the mixed run's sessions (the users and their memberships stay for the next run)."""
    from importlib import import_module

    from django.conf import settings

    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    for key in session_keys:
        store_class(session_key=key).delete()
    return {"forgotten": len(session_keys)}
