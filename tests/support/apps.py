"""The project's own installed apps (not Django's nor a library's, even when the virtualenv lies
inside the checkout, as `.venv` does)."""

from pathlib import Path

from django.apps import apps
from django.conf import settings


def project_apps(base: Path | None = None):
    base = Path(base or settings.BASE_DIR).resolve()
    own = []
    for app in apps.get_app_configs():
        path = Path(app.path).resolve()
        if path.is_relative_to(base) and not any(
                part.startswith(".") or part == "site-packages" for part in path.relative_to(base).parts):
            own.append(app)
    return own
