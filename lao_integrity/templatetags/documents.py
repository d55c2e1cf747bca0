"""``{% load documents %}``: images embedded in documents.

Emblems and signatures are uploads, served to nobody directly; a document carries them
inline as data URIs, so the HTML preview and WeasyPrint show the same bytes.
"""

import base64
import mimetypes

from django import template

register = template.Library()


@register.filter
def data_uri(fieldfile) -> str:
    if not fieldfile:
        return ""
    try:
        with fieldfile.open("rb") as handle:
            data = handle.read()
    except (FileNotFoundError, OSError):
        return ""
    mime = mimetypes.guess_type(fieldfile.name)[0] or "image/png"
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
