"""Thai and Arabic digits: converting text both ways, leaving addresses, codes and markup alone."""

from __future__ import annotations

import re
from decimal import Decimal

# Spaces as typed or pasted, the zero-width space included (dates and amounts ignore them).
SPACES_RE = re.compile(r"[\s\u200b]+")

_ARABIC_DIGITS = "0123456789"
_THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_TO_THAI = str.maketrans(_ARABIC_DIGITS, _THAI_DIGITS)
_TO_ARABIC = str.maketrans(_THAI_DIGITS, _ARABIC_DIGITS)

_URL_CHARS = r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]"
# Spans whose digits must never be converted.  Order matters: the longest,
# most specific constructs first.
# Every alternative starts with a literal or an alphanumeric and has bounded
# repetition before it can fail, so scanning long runs of punctuation stays linear.
_PROTECTED_RE = re.compile(
    rf"""
      (?:https?|ftp)://{_URL_CHARS}+                          # URL with scheme
    | www\.{_URL_CHARS}+                                      # www. URL
    | [A-Za-z0-9][A-Za-z0-9._%+\-]{{0,63}}                     # e-mail address
      @[A-Za-z0-9\-]{{1,63}}(?:\.[A-Za-z0-9\-]{{1,63}}){{1,10}}
    | (?:[A-Za-z0-9][A-Za-z0-9\-]{{0,62}}\.){{1,10}}            # bare domain with a path
      [A-Za-z]{{2,63}}(?::[0-9]{{1,5}})?/{_URL_CHARS}*
    | &\#[0-9]{{1,7}};                                         # HTML numeric entity
    | [A-Za-z0-9]+(?:[\-_.:/][A-Za-z0-9]+)*                  # Latin/digit token ("ISO9001:2015")
    """,
    re.VERBOSE,
)
# A tag, or a whole <style>/<script> element: CSS and script keep their Latin digits.
_HTML_TAG_RE = re.compile(r"<(style|script)\b[^>]*>.*?</\1\s*>|<[A-Za-z/!][^<>]*>", re.S | re.I)
_LATIN_RE = re.compile(r"[A-Za-z]")
_SEGMENT_RE = re.compile(r"[^:/]+")


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        # str(Decimal) may use exponent notation ("1E+3"); "f" never does.
        return format(value, "f")
    return str(value)


def _convert_plain(text: str) -> str:
    out = []
    pos = 0
    for m in _PROTECTED_RE.finditer(text):
        out.append(text[pos : m.start()].translate(_TO_THAI))
        token = m.group()
        if token[0].isdigit():
            # A number such as "2548", "000.00" or "27/02/2569": convert it. Past ":" or "/" each
            # part counts alone ("2569/O29"); a part with a Latin letter is a code ("5G").
            token = _SEGMENT_RE.sub(
                lambda part: part.group() if _LATIN_RE.search(part.group()) else part.group().translate(_TO_THAI),
                token,
            )
        out.append(token)
        pos = m.end()
    out.append(text[pos:].translate(_TO_THAI))
    return "".join(out)


def to_thai_digits(text: object, *, html: bool = False) -> str:
    """Convert ASCII digits to Thai digits (๐-๙), leaving codes, URLs and e-mails alone.

    A digit run attached to a Latin letter is part of a code ("O29", "ISO9001",
    "e-Service2") and is not converted; a token that begins with Latin letters keeps all its
    digits, past "-", ".", ":" or "/" too ("ISO9001:2015", "COVID-19", "ISO/IEC27001").  ``None`` gives ``""``; other non-str
    values are ``str()``-ed.  With ``html=True`` digits inside HTML tags
    (attributes) are left alone too; HTML numeric entities are always kept.
    """
    text = _as_text(text)
    if not html:
        return _convert_plain(text)
    out = []
    pos = 0
    for m in _HTML_TAG_RE.finditer(text):
        out.append(_convert_plain(text[pos : m.start()]))
        out.append(m.group())
        pos = m.end()
    out.append(_convert_plain(text[pos:]))
    return "".join(out)


def to_arabic_digits(text: object) -> str:
    """Convert every Thai digit (๐-๙) to its ASCII digit; ``None`` gives ``""``."""
    return _as_text(text).translate(_TO_ARABIC)


def _digits(text: str, thai: bool) -> str:
    return text.translate(_TO_THAI) if thai else text
