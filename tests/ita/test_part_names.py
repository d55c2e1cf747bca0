"""The EIT parts have Thai names in documents and pages (issue 13: "public 87.60 / survey 80.62")."""

import re

import pytest
from django.urls import reverse

from ita.analysis import documents
from ita.models import Result, ToolPart
from ita.results import selectors
from tests.support.pdf import pdftotext, text_of

LATIN_WORD = re.compile(r"\b(?:public|survey)\b", re.I)


@pytest.fixture
def mae_sai_2566(seeded):
    documents.register_documents()
    return Result.objects.get(organisation__code="5570701", fiscal_year=2566)


def test_shipped_parts_have_thai_names(db):
    parts = list(ToolPart.objects.all())
    assert parts
    for part in parts:
        assert not re.search(r"[A-Za-z]", part.name), part.name
        assert re.fullmatch(r"ส่วนที่ \d+", part.short_name), part.short_name


def test_short_name_of_a_name_without_a_number():
    assert ToolPart(code="x", name="ผู้รับบริการ (EIT extra)").short_name == "ผู้รับบริการ"


def test_analysis_page_names_the_parts_in_thai(mae_sai_2566, seeded, client_for):
    html = client_for(seeded.auditor).get(reverse("ita:result", args=[mae_sai_2566.pk])).content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "EIT ส่วนที่ 1 87.60" in text and "EIT ส่วนที่ 2 80.62" in text
    assert not LATIN_WORD.search(text)


def test_analysis_pdf_names_the_parts_in_thai(mae_sai_2566):
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    pdf = documents.analysis_pdf(selectors.result_for_page(mae_sai_2566.pk))
    text = text_of(pdf)
    flat = re.sub(r"\s+", "", text)
    assert "EITส่วนที่๑๘๗.๖๐" in flat and "EITส่วนที่๒๘๐.๖๒" in flat
    assert not LATIN_WORD.search(text)


def test_score_form_labels_are_thai(mae_sai_2566, seeded, client_for):
    admin = client_for(seeded.auditor.__class__.objects.get(username="admin"))
    html = admin.get(reverse("ita:result_edit", args=["5570701", 2566])).content.decode()
    labels = " ".join(re.findall(r"<label[^>]*>(.*?)</label>", html, re.S))
    assert "ส่วนที่ 1" in labels and not LATIN_WORD.search(labels)
