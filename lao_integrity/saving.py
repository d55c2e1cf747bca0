"""Saving a form through its service, the same way on every page.

Every edit page does the same after its form is valid: call the service; when someone else saved
in between (``StaleEdit``) keep what was typed and show the Thai refusal; when the save needs the
user's confirmation (``NeedsConfirmation``) ask for it; when the service refuses the data
(``ValidationError``) put its messages on the form; else say what was saved and redirect.
``save_form`` is that block, once. A button with no form (approve, sign, copy, delete) does the
same with ``run_action``: the refusal's messages go above the next page instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect

from .concurrency import StaleEdit, keep_input
from .confirmation import ASK_AGAIN, NeedsConfirmation, ask_confirmation, posted, require_confirmed


def add_service_errors(form, error: ValidationError) -> None:
    """A service's refusal on the form: a message about a field the form has goes on that field,
    every other message above the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def save_form(request, form, save: Callable[[], Any], *, message: str | Callable[[Any], str],
              to: Any, warning: str = "") -> HttpResponse | None:
    """Run ``save()`` (the service call, for a valid `form`).

    Saved: ``message`` (a text, or a function of what ``save`` returned) is shown on the next page,
    then ``warning`` if any, and the redirect to ``to`` is returned (anything ``redirect()`` takes,
    or a function of what ``save`` returned giving one). Refused: None, and `form` carries why,
    with what was typed.
    """
    try:
        result = save()
    except StaleEdit as error:
        keep_input(form, error)
    except NeedsConfirmation as error:
        ask_confirmation(form, error)
    except ValidationError as error:
        add_service_errors(form, error)
    else:
        messages.success(request, message(result) if callable(message) else message)
        if warning:
            messages.warning(request, warning)
        return redirect(to(result) if callable(to) else to)
    return None


def show_errors(request, error: ValidationError) -> None:
    """A service's refusal on a page without a form: each of its messages shown as an error."""
    for message in error.messages:
        messages.error(request, message)


def run_action(request, action: Callable[[], Any], *, message: str | Callable[[Any], str], to: Any,
               refused: Any, confirm: dict[str, str] | None = None) -> HttpResponse:
    """Run ``action()`` (the service call behind a button).

    Done: ``message`` (a text, or a function of what ``action`` returned) is shown and the redirect
    goes to ``to`` (or a function of the result giving it). Refused (``ValidationError``): its
    messages are shown and the redirect goes to ``refused``.

    ``confirm`` (kind -> Thai question) marks an action that cannot be undone: unless each kind's
    ``confirm_<kind>`` box was posted ticked (the button's form carries it, _confirm.html), nothing
    runs and the question is shown, so it works without JavaScript.
    """
    try:
        if confirm:
            require_confirmed({kind: question + ASK_AGAIN for kind, question in confirm.items()},
                              {kind for kind in confirm if posted(request.POST, kind)})
        result = action()
    except ValidationError as error:
        show_errors(request, error)
        return redirect(refused)
    messages.success(request, message(result) if callable(message) else message)
    return redirect(to(result) if callable(to) else to)
