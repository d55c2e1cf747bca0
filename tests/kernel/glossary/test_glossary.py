"""The glossary page (/help/terms/): every abbreviation the screens print is explained there, and the
ITA pages link their IIT/EIT/OIT headers to it."""

import re
from pathlib import Path

from django.conf import settings
from django.test import Client
from django.urls import reverse

from lao_integrity.glossary import TERMS

BASE_DIR = Path(settings.BASE_DIR).resolve()
SKIPPED = {".venv", "node_modules", "staticfiles", "media", "artifacts", "tests", ".git"}
# Latin abbreviations (ITA, SHA-256) and Thai ones ending in a dot (อปท., ป.ป.ช.).
LATIN = re.compile(r"(?<![\w{%.\"'])[A-Z][A-Z0-9]+(?:-[A-Z0-9]+)?(?![\w\"'])")
THAI = re.compile(r"(?<![\u0e01-\u0e4e])(?:[\u0e01-\u0e2e][\u0e30-\u0e4e]?){1,3}\.(?:(?:[\u0e01-\u0e2e][\u0e30-\u0e4e]?){1,3}\.)*")
# What the screens print that is not a term to explain: month and time abbreviations Thai readers
# know, a unit, and Django's formset field names (DELETE, ORDER) that appear only in template code.
NOT_TERMS = {"ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
             "ย.", "ค.", "น.", "ซม.", "MB", "DELETE", "ORDER"}  # months, units (ซม., MB), SQL words
# The terms the issue names, whether or not a template prints them today.
REQUIRED = {"IIT", "EIT", "OIT", "ITA", "อปท.", "อบต.", "อบจ.", "ป.ป.ช.", "e-PlanNACC", "*1", "LPA"}


def templates():
    for path in BASE_DIR.rglob("*.html"):
        parts = set(path.relative_to(BASE_DIR).parts)
        if "templates" in parts and not parts & SKIPPED:
            yield path


def abbreviations_in_templates() -> set[str]:
    found = set()
    for path in templates():
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"<!doctype[^>]*>|\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", " ", text, flags=re.S | re.I)
        found |= set(LATIN.findall(text)) | set(THAI.findall(text))
    return found


def test_every_abbreviation_the_templates_print_is_in_the_glossary():
    # Upper-cased words too: a poster prints "NO GIFT POLICY", the glossary lists "No Gift Policy".
    listed = {t.term for t in TERMS} | {word.upper() for t in TERMS for word in t.term.split()}
    found = abbreviations_in_templates()
    assert {"ITA", "อปท.", "ป.ป.ช."} <= found  # the scan sees the terms it is meant to see
    missing = found - listed - NOT_TERMS
    assert not missing, f"add to lao_integrity/glossary.py: {sorted(missing)}"


def test_the_glossary_lists_the_named_terms_once_each():
    terms = [t.term for t in TERMS]
    assert REQUIRED <= set(terms)
    assert len(terms) == len(set(terms)) and len({t.slug for t in TERMS}) == len(TERMS)


def test_the_glossary_page_is_open_and_shows_every_term(db):
    html = Client().get(reverse("glossary")).content.decode()
    for t in TERMS:
        assert f'id="{t.slug}"' in html and t.full in html

