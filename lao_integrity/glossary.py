"""The abbreviations and terms the screens use, explained once for the glossary page (/help/terms/).

The entries are data (glossary.json: slug, term, full name, meaning); the slug is the page's anchor,
so a screen links a term straight to its entry with {% term "IIT" %}. tests/kernel/glossary checks that
every abbreviation the templates print is listed."""

import json
from pathlib import Path
from typing import NamedTuple


class Term(NamedTuple):
    slug: str
    term: str
    full: str
    meaning: str


TERMS = tuple(Term(**entry) for entry in json.loads((Path(__file__).parent / "glossary.json").read_text("utf-8")))
