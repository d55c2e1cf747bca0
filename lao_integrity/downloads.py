"""Downloads: the content types of the tables the portal writes, and attachment responses.

One place names a download, so that a file name outside ASCII (Thai) is sent as RFC 6266's
`filename*=utf-8''…` rather than as raw bytes in a header; ASCII names stay `filename="…"`.
"""

from collections.abc import Callable

from django.http import HttpResponse
from django.utils.http import content_disposition_header

TABLE_CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
PDF = "application/pdf"


def attach(response, filename: str, *, inline: bool = False):
    """Mark any response (streamed, file or plain) as a download named `filename` (`inline`: shown
    by the browser, saved under that name)."""
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    return response


def attachment(content, *, filename: str, content_type: str, inline: bool = False) -> HttpResponse:
    return attach(HttpResponse(content, content_type=content_type), filename, inline=inline)


def table_attachment(content, *, fmt: str, filename: str) -> HttpResponse:
    """A csv or xlsx written by `tabular`; an unknown `fmt` is the caller's mistake (KeyError)."""
    return attachment(content, filename=filename, content_type=TABLE_CONTENT_TYPES[fmt])


def pdf_attachment(content: bytes, *, filename: str, inline: bool = False) -> HttpResponse:
    return attachment(content, filename=filename, content_type=PDF, inline=inline)


def pdf_or_preview(request, *, html: Callable[[], str], pdf: Callable[[], bytes], filename: str) -> HttpResponse:
    """A document's PDF download, or with ?preview=1 the same document as the HTML it is printed
    from; only the one asked for is rendered."""
    if request.GET.get("preview"):
        return HttpResponse(html())
    return pdf_attachment(pdf(), filename=filename)
