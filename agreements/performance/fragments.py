"""The agreement page's body as Jinja2 (agreements/jinja2/agreements/performance/detail.jinja):
its table's tags, `{% url %}`s and includes were most of the page's render (issue 19). The
kernel's review panel and publish box stay Django tags in detail.html, between its three parts."""

import unicodedata

from django.template import engines
from django.template.defaultfilters import floatformat
from django.template.defaultfilters import truncatechars as django_truncatechars
from django.utils.safestring import SafeData
from markupsafe import Markup

from lao_integrity.jinja_env import form_tokens
from lao_integrity.reversing import url_pattern


def truncatechars(value, length: int) -> str:
    """Django's truncatechars, without its walk over each character (unicodedata.combining) of a
    text that fits anyway: what it returns then is the text, NFC-normalised, as here."""
    if isinstance(value, SafeData):
        return django_truncatechars(value, length)
    text = unicodedata.normalize("NFC", str(value))
    return text if len(text) <= length else django_truncatechars(value, length)


def detail_parts(request, context: dict) -> dict[str, Markup]:
    """The body's parts (head, parties, table), for `context` as the view gives detail.html."""
    pk = context["agreement"].pk

    def of(name: str, *args) -> str:
        return url_pattern(f"agreements:{name}", None, *args).format(pk)

    urls = {
        "list": url_pattern("agreements:list"), "pdf": of("pdf"), "edit": of("edit"), "history": of("history"),
        "export_xlsx": of("indicator_export", "xlsx"), "export_csv": of("indicator_export", "csv"),
        "indicator_add": of("indicator_add"), "indicator_import": of("indicator_import"),
        "sign": of("sign"), "evaluate": of("evaluate"), "delete": of("delete"),
        "evidence": url_pattern("agreements:evidence", None, None),
        "progress": url_pattern("agreements:progress", None, None),
        "indicator_edit": url_pattern("agreements:indicator_edit", None),
        "indicator_delete": url_pattern("agreements:indicator_delete", None),
        "plan": url_pattern("plans:detail", None) if context["detail"].projects else "",
    }
    template = engines["jinja2"].env.get_template("agreements/performance/detail.jinja")
    module = template.make_module({
        **context, "urls": urls, "confirm_text": context["confirm"], "tokens": form_tokens(request),
        "floatformat": floatformat, "truncatechars": truncatechars,
    })
    return {"head": module.head(), "parties": module.parties(), "table": module.table()}
