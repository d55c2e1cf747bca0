"""Where templates live (README, "Architecture"), checked on the tree.

The rule: a template lives in the `templates/` folder of the installed app whose code uses it, at
that code's package path (`ita/results/views.py` renders `ita/results/list.html`, stored as
`ita/templates/ita/results/list.html`), printed documents in `documents/` beside the pages, with
no file-name prefix that only repeats the folder; the root `templates/` holds only the site frame.
"""

import os
import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.loader import get_template

from tests.support import apps as support_apps

BASE_DIR = Path(settings.BASE_DIR).resolve()
ROOT = BASE_DIR / "templates"
# The site frame every page shares: the page layout, its generic pieces and the error pages; Django's
# admin overrides and the login pages (Django and django-axes look them up under these names).
FRAME = {"base.html", "400.html", "403.html", "404.html", "500.html", "_field.html", "_field_pair.html",
         "_form_errors.html", "_history.html", "_pagination.html", "base_form.html", "base_list.html",
         "_import_problems.html", "_confirm.html", "history_page.html"}
FRAME_FOLDERS = {"admin", "registration"}
DOMAIN_APPS = {"plans", "ita", "agreements", "lpa"}


def project_apps():
    return support_apps.project_apps(BASE_DIR)  # BASE_DIR as the test of the check sets it
SKIPPED_FOLDERS = {"node_modules", "media", "staticfiles", "artifacts", "__pycache__", "tests"}
NAMED = re.compile(r"""["']([\w/]+\.html)["']""")
TAG = re.compile(r"""\{%\s*(?:include|extends)\s+["']([^"']+)["']""")


def app_of(path: Path):
    """The installed app a file belongs to: the deepest app folder that holds it."""
    owners = [app for app in project_apps() if path.resolve().is_relative_to(Path(app.path).resolve())]
    return max(owners, key=lambda app: len(Path(app.path).parts), default=None)


def templates_folders(base: Path = BASE_DIR) -> list[Path]:
    found = []
    for folder, subfolders, _ in os.walk(base):
        subfolders[:] = [s for s in subfolders if not s.startswith(".") and s not in SKIPPED_FOLDERS]
        if Path(folder).name == "templates" and Path(folder) != base:  # a checkout may be named so
            found.append(Path(folder).resolve())
            subfolders[:] = []
    return sorted(found)


def misplaced(base: Path = BASE_DIR) -> list[str]:
    """Every template file that is not where the rule puts it, with the reason."""
    wrong = []
    app_folders = {(Path(app.path) / "templates").resolve(): app for app in project_apps()}
    for folder in templates_folders(base):
        files = sorted(p for p in folder.rglob("*") if p.is_file())
        if folder == ROOT:
            for path in files:
                rel = path.relative_to(folder)
                if str(rel) not in FRAME and rel.parts[0] not in FRAME_FOLDERS:
                    wrong.append(f"templates/{rel}: only the site frame stays in the root templates/")
            continue
        app = app_folders.get(folder)
        if app is None:
            wrong.append(f"{folder.relative_to(base)}: not the root's nor an installed app's templates/ folder")
            continue
        wrong += [f"{path.relative_to(base)}: {reason}" for path in files
                  if (reason := _against_the_rule(app, path.relative_to(folder)))]
    return wrong


def _against_the_rule(app, rel: Path) -> str | None:
    app_dir = Path(app.path)
    if rel.parts[0] != app_dir.name or len(rel.parts) < 2:
        return f"belongs in {app_dir.name}/templates/{app_dir.name}/"
    folders = list(rel.parts[1:-1])
    is_document = bool(folders) and folders[-1] == "documents"
    package = app_dir.joinpath(*(folders[:-1] if is_document else folders))
    if not (package / "__init__.py").is_file():
        return f"{package.relative_to(app_dir.parent)} is not a package of the app"
    if app_of(package / "__init__.py") is not app:
        return f"{package.relative_to(app_dir.parent)} is another app: its templates live in that app"
    if is_document and not ((package / "documents.py").is_file() or (package / "documents").is_dir()):
        return "documents/ goes beside a package that prints documents (documents.py)"
    words = rel.stem.lstrip("_").split("_")
    if len(words) > 1 and len(words[0]) >= 3 and any(f.startswith(words[0]) for f in rel.parts[:-1]):
        return f"the prefix {words[0]}_ only repeats the folder"
    return None


def named_templates() -> list[tuple[Path, str]]:
    """(file, template name) for every template named by the apps' code or by a template."""
    named = []
    for app in project_apps():
        for path in sorted(Path(app.path).rglob("*.py")):
            if "migrations" in path.parts or "tests" in path.parts:
                continue
            named += [(path, name) for name in NAMED.findall(path.read_text(encoding="utf-8"))]
    for folder in templates_folders():
        for path in sorted(folder.rglob("*.html")):
            named += [(path, name) for name in TAG.findall(path.read_text(encoding="utf-8"))]
    named.append((BASE_DIR / "lao_integrity" / "settings.py", settings.AXES_LOCKOUT_TEMPLATE))
    return named


def _side(app) -> str:
    if app is None:
        return "frame"
    return app.name if app.name in DOMAIN_APPS else "kernel"


def test_every_template_lives_where_the_rule_says():
    assert misplaced() == []


def test_the_rule_refuses_a_template_in_the_wrong_place(tmp_path, monkeypatch):
    """The check itself: each kind of wrong place is reported."""
    wrong_places = [
        "templates/plans/list.html",  # a page left in the root
        "plans/templates/list.html",  # not under the app's own folder
        "plans/templates/plans/plan_list.html",  # a prefix that repeats the folder
        "plans/templates/plans/reports/list.html",  # no such package
        "ita/templates/ita/results/documents/x.html",  # results prints no documents
        "lao_integrity/templates/lao_integrity/orgs/profile.html",  # orgs is an app of its own
        "lao_integrity/documents/templates/documents/base.html",  # not an app: never loaded
    ]
    for package in ("plans", "ita/results", "lao_integrity", "lao_integrity/orgs", "lao_integrity/documents"):
        (tmp_path / package).mkdir(parents=True, exist_ok=True)
        (tmp_path / package / "__init__.py").write_text("")
    for name in wrong_places:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("")
    (tmp_path / "plans/templates/plans/detail.html").write_text("")  # right
    (tmp_path / "lao_integrity/templates/lao_integrity/documents/base.html").parent.mkdir(parents=True)
    (tmp_path / "lao_integrity/templates/lao_integrity/documents/base.html").write_text("")  # right
    monkeypatch.setattr(f"{__name__}.BASE_DIR", tmp_path.resolve())
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path.resolve() / "templates")

    class App:
        def __init__(self, name, path):
            self.name, self.path = name, str(tmp_path / path)

    fake = [App("plans", "plans"), App("ita", "ita"), App("lao_integrity", "lao_integrity"),
            App("lao_integrity.orgs", "lao_integrity/orgs")]
    monkeypatch.setattr(apps, "get_app_configs", lambda: fake)
    reported = {line.split(":")[0] for line in misplaced(tmp_path)}
    expected = {name for name in wrong_places if not name.startswith("lao_integrity/documents/")}
    assert reported == expected | {"lao_integrity/documents/templates"}


def test_every_template_named_exists():
    missing = []
    for path, name in named_templates():
        try:
            get_template(name)
        except TemplateDoesNotExist:
            missing.append(f"{path.relative_to(BASE_DIR)}: {name}")
    assert missing == []


def test_templates_are_named_across_apps_as_code_is_imported():
    """The kernel names no domain app's template; a domain app names no other domain app's."""
    crossing = []
    for path, name in named_templates():
        origin = Path(get_template(name).origin.name).resolve()
        if not origin.is_relative_to(BASE_DIR):
            continue  # Django's or a library's own template
        user, owner = _side(app_of(path)), _side(app_of(origin) if not origin.is_relative_to(ROOT) else None)
        if owner not in {user, "frame", "kernel"} or (user in {"kernel", "frame"} and owner in DOMAIN_APPS):
            crossing.append(f"{path.relative_to(BASE_DIR)} names {name} ({owner})")
    assert crossing == []


def test_every_app_template_is_used():
    """A template nothing names is dead: remove it rather than keep it in step."""
    used = {Path(get_template(name).origin.name).resolve() for _, name in named_templates()}
    unused = [str(path.relative_to(BASE_DIR)) for folder in templates_folders() if folder != ROOT
              for path in sorted(folder.rglob("*.html")) if path.resolve() not in used]
    assert unused == []


def rendered_elsewhere() -> list[str]:
    """Code in a package of an app that renders an app template stored at another package's path
    (`plans/projects/views.py` rendering `plans/list.html`); the frame's templates may be named by any."""
    wrong = []
    for path, name in named_templates():
        app = app_of(path) if path.suffix == ".py" else None
        if app is None or name.split("/")[0] in FRAME_FOLDERS or name in FRAME:
            continue
        package = path.parent.relative_to(Path(app.path))
        folder = "/".join((Path(app.path).name, *package.parts))
        if package.parts and not name.startswith(folder + "/"):
            wrong.append(f"{path.relative_to(BASE_DIR)}: {name} (expected under {folder}/)")
    return wrong


def test_code_in_a_package_renders_the_templates_at_its_own_path():
    assert rendered_elsewhere() == []


def test_the_package_path_check_reports_a_template_of_another_package(monkeypatch):
    fake = BASE_DIR / "plans" / "projects" / "views.py"
    monkeypatch.setattr(f"{__name__}.named_templates",
                        lambda: [(fake, "plans/list.html"), (fake, "plans/projects/form.html"),
                                 (fake, "base_form.html"), (BASE_DIR / "plans" / "views.py", "plans/list.html")])
    assert rendered_elsewhere() == ["plans/projects/views.py: plans/list.html (expected under plans/projects/)"]
