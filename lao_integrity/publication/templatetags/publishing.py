"""{% publish_box document %}: a signed document's publication on its own page — the state
("เผยแพร่เมื่อ … (ผ่านมา N วัน)", the public link, the last withdrawal and its reason) for everyone
who reads the page, the buttons (publish; withdraw with a reason) for its executives (acts.box)."""

from django import template

from lao_integrity.publication import acts

register = template.Library()


@register.inclusion_tag(acts.BOX_TEMPLATE, takes_context=True)
def publish_box(context, document):
    return acts.box(context["request"], document, csrf_token=context.get("csrf_token"))
