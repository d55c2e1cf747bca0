"""The database the benchmark runs against: created when missing, prepared in a child process
(static files, the bench user's session, the records to measure)."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from . import ops
from .config import ANNOUNCEMENT, BENCH_USERNAME, PLAN_BOOK, Config, say

PROVINCE = "เชียงราย"  # a province of the demo and of the national-scale data


def prepare_database(year: int) -> dict:
    """In a child process with the benchmark's settings: static files for DEBUG off, the bench
    superuser and its session, the facts of the data set and the records to measure."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.core.management import call_command
    from django.db.models import Count
    from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
    from django.utils.crypto import get_random_string

    from agreements.performance.models import PerformanceAgreement
    from ita.models import Result
    from lao_integrity.announcements.models import Announcement
    from lao_integrity.orgs.models import Organisation
    from plans.models import Plan, Project

    # DEBUG off serves static files through the manifest: rebuild it so templates find every file.
    call_command("collectstatic", interactive=False, verbosity=0)

    scale = Organisation.objects.filter(code__startswith="9")
    facts = {
        "organisations": Organisation.objects.count(),
        "scale_organisations": scale.count(),
        "plans": Plan.objects.count(),
        "projects": Project.objects.count(),
        "ita_results": Result.objects.count(),
        f"ita_results_{year}": Result.objects.filter(fiscal_year=year).count(),
        "agreements": PerformanceAgreement.objects.count(),
        "announcements": Announcement.objects.count(),
    }
    if not facts["scale_organisations"]:
        raise LookupError("no national-scale data: run `manage.py generate_scale_data --orgs 7850 --years 7` "
                          "(make bench does)")
    if Organisation.objects.filter(code__in=[ANNOUNCEMENT["code"], PLAN_BOOK["code"]]).count() < 2:
        raise LookupError("the demo is missing: run `manage.py seed_demo` (make bench does)")

    user, _ = get_user_model().objects.get_or_create(username=BENCH_USERNAME)
    user.is_superuser = user.is_staff = user.is_active = True
    user.set_unusable_password()
    user.save()
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]  # the model backend
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()

    plan = Plan.objects.get(organisation__code=PLAN_BOOK["code"], fiscal_year=PLAN_BOOK["fiscal_year"])
    history_org = scale.order_by("code").first()
    agreement = (PerformanceAgreement.objects.filter(organisation__code=ANNOUNCEMENT["code"])
                 .annotate(n=Count("indicators")).order_by("-n", "pk").first()
                 or PerformanceAgreement.objects.order_by("pk").first())
    # The plan import replaces this organisation's last (draft) plan, then rolls back.
    import_org = scale.order_by("-code").first()
    import_year = Plan.objects.filter(organisation=import_org).order_by("-fiscal_year").first().fiscal_year
    # LPA and the bonus (issue 18): the province with the most organisations of the scale data.
    busiest = (scale.values("province").annotate(n=Count("pk")).order_by("-n", "province").first()
               or {"province": PROVINCE})["province"]
    return {
        "facts": facts,
        "session_key": store.session_key,
        # A browser's cookies after its first page: the session and the CSRF cookie (kept pages
        # carry form tokens for that cookie; without one a page is neither kept nor served kept).
        "cookie": (f"{settings.SESSION_COOKIE_NAME}={store.session_key}; "
                   f"{settings.CSRF_COOKIE_NAME}={get_random_string(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS)}"),
        "plan_import": {"code": import_org.code, "fiscal_year": import_year},
        "pages": [
            ("healthz", "/healthz/"),
            ("jobs list", "/jobs/"),
            ("plan list", "/plans/"),
            ("plan page", f"/plans/{plan.pk}/"),
            ("ITA list", f"/ita/?fiscal_year={year}"),
            ("ITA history", f"/ita/org/{history_org.code}/"),
            ("agreement page", f"/agreements/{agreement.pk}/"),
            ("announcements", "/announcements/"),
            ("admin projects", "/admin/plans/project/"),
            ("admin ITA results", "/admin/ita/result/"),
            # The public pages (issue 17), anonymous: an organisation with published documents,
            # and the national list searched by province.
            ("public organisation page", f"/public/{PLAN_BOOK['code']}/", "anonymous"),
            ("public organisation list", "/public/?" + urlencode({"province": "เชียงราย"}), "anonymous"),
            # Supervision (issue 18): a province's dashboard, computed afresh (never kept): every
            # organisation of the province, its districts side by side (target: 150 ms alone).
            ("province dashboard", "/supervision/" + quote(f"p-{PROVINCE}") + f"/{year}/"),
            # LPA (issue 18): the province's ranked table and the ก.ท.จ. bonus summary, every
            # organisation (municipality) of the province, each in a fixed number of queries.
            ("LPA province table", f"/lpa/{quote(busiest)}/{year}/"),
            ("bonus summary", f"/lpa/bonus/{quote(busiest)}/{year}/"),
        ],
    }


def forget_session(session_key: str) -> None:
    """In a child process: end the bench session."""
    from importlib import import_module

    from django.conf import settings

    import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key).delete()


def prepare(config: Config) -> dict:
    """Run prepare_database in a child: the runner itself never loads Django, so it stays small.
    (A child's ru_maxrss starts from its parent's memory at fork, so a big runner would inflate
    every operation's peak.)"""
    prepared = ops.run_in_child("bench_prepare", {"year": config.year}, env=config.env)
    if "error" in prepared:
        raise SystemExit("could not prepare the benchmark: " + prepared["error"].strip().splitlines()[-1])
    config.session_key = prepared["session_key"]
    config.headers["Cookie"] = prepared["cookie"]
    config.plan_import = prepared["plan_import"]
    config.pages = [tuple(page) for page in prepared["pages"]]
    if config.page_names:  # BENCH_PAGES: some pages only, /healthz/ always first (the ratios' base)
        config.pages = [page for page in config.pages if page[0] == "healthz" or page[0] in config.page_names]
    return prepared["facts"]


def create_database(url: str) -> None:
    """CREATE DATABASE for a postgres:// URL unless it exists (make bench's first step)."""
    import dj_database_url
    import psycopg2
    from psycopg2 import sql

    parsed = dj_database_url.parse(url)
    if "postgresql" not in parsed["ENGINE"]:
        raise SystemExit(f"the benchmark needs PostgreSQL, not {parsed['ENGINE']}")
    connection = psycopg2.connect(dbname="postgres", user=parsed["USER"] or None,
                                  password=parsed["PASSWORD"] or None, host=parsed["HOST"] or None,
                                  port=parsed["PORT"] or None)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [parsed["NAME"]])
            if cursor.fetchone():
                say(f"database {parsed['NAME']} exists")
                return
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(parsed["NAME"])))
            say(f"database {parsed['NAME']} created")
    finally:
        connection.close()
