"""The menu's "การกำกับดูแล" link: only for supervisors (a scope) and superusers. A callable, so
it is asked only when the menu is drawn; the grants it reads are the request's, read once."""

from lao_integrity.orgs import access


def menu(request):
    user = getattr(request, "user", None)
    return {"shows_supervision": lambda: user is not None and access.is_supervisor(user)}
