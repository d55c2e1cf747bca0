"""{% publish_box document %}: a signed document's publication on its own page — the state
("เผยแพร่เมื่อ … (ผ่านมา N วัน)", the public link, the last withdrawal and its reason) for everyone
who reads the page, the buttons (publish; withdraw with a reason) for its executives. Two queries."""

from django import template
from django.utils import timezone

from lao_integrity.orgs import access
from lao_integrity.publication import registry, selectors, services
from lao_integrity.publication.acts import publish_question

register = template.Library()


@register.inclusion_tag("publication/_publish_box.html", takes_context=True)
def publish_box(context, document):
    entry = registry.publishable(document)
    request = context["request"]
    if entry is None:
        return {"shown": False}
    history = selectors.history(document)
    live = history[-1] if history and history[-1].live else None
    withdrawn = next((p for p in reversed(history) if not p.live), None)
    earliest = services.earliest_withdrawal(live, document) if live else None
    return {
        "shown": True, "document": document, "subject": entry.subject, "signed": entry.is_signed(document),
        "live": live, "withdrawn": withdrawn, "public_url": entry.public_url(document) if live else "",
        "can_act": access.can_approve(request.user, document.organisation),
        "earliest": earliest, "too_soon": earliest is not None and timezone.localdate() < earliest,
        "minimum_days": entry.minimum_days(document), "question": publish_question(entry, document),
        "next": request.get_full_path(), "csrf_token": context.get("csrf_token"), "request": request,
    }
