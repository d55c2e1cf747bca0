"""The "*N" markers of projects added after the baseline (issue 13): every marker the summary
table prints has exactly one footnote, a project with no typed note still gets one (from the plan
version that first listed it), the legend explains "*", and the column reads "(ตั้งต้น)" only on
the baseline version."""

import re
from collections import Counter

import pytest
from django.urls import reverse

from lao_integrity.orgs.access import SYSTEM
from plans import documents, selectors, services
from plans.models import PlanStatus
from plans.projects import services as project_services
from tests.support.pdf import pdftotext, text_of

pytestmark = pytest.mark.django_db
ARABIC = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def summary_text(plan) -> str:
    """The summary table page(s) of the plan book as text, Arabic digits, one line per line."""
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    pdf = documents.plan_document_pdf(plan, "book")
    text = text_of(pdf)
    start = text.index("แผนปฏิบัติการป้องกันการทุจริต พ.ศ.")
    return text[start:text.index("ภาคผนวก", start)].translate(ARABIC)


def add(plan, dimensions, name, dimension, **fields):
    return project_services.project_create(plan=plan, name=name, dimension=dimensions[dimension], q1=True,
                                   **{"user": SYSTEM, **fields})


@pytest.fixture
def revised(plan, executive, dimensions):
    """Baseline approved; then three projects added: two in dimension 1 with different notes,
    one in dimension 3 with none; the revision approved."""
    services.plan_approve(plan=plan, user=executive)
    add(plan, dimensions, "มาตรการเพิ่มหนึ่ง", 1, added_note="เพิ่มตามมติที่ประชุม")
    add(plan, dimensions, "กิจกรรมเพิ่มสอง", 1, added_note="เพิ่มเติมตามหนังสือสั่งการ")
    add(plan, dimensions, "โครงการเพิ่มสาม", 3)
    services.plan_approve(plan=plan, user=executive)
    plan.refresh_from_db()
    return plan


def test_every_marker_has_exactly_one_footnote(revised):
    summary = selectors.plan_summary(revised)
    markers = {p.dimension_label for p in summary.projects if p.is_added}
    assert markers == {"*1", "*3"}
    assert Counter(f.marker for f in summary.footnotes) == Counter(markers)
    [one, three] = summary.footnotes
    assert one.text == "ลำดับที่ 4 เพิ่มตามมติที่ประชุม; ลำดับที่ 5 เพิ่มเติมตามหนังสือสั่งการ"
    # No note typed: the version that first listed it says when it was added.
    assert three.text == "ลำดับที่ 6 เพิ่มเติมตามแผนฉบับปรับปรุง ครั้งที่ 1"


def test_same_note_names_projects_together(plan, executive, dimensions):
    services.plan_approve(plan=plan, user=executive)
    add(plan, dimensions, "มาตรการเพิ่มหนึ่ง", 2)
    add(plan, dimensions, "กิจกรรมเพิ่มสอง", 2)
    # A draft revision: the version its approval will make.
    [footnote] = selectors.plan_summary(plan).footnotes
    assert footnote == selectors.Footnote("*2", "ลำดับที่ 4, 5 เพิ่มเติมตามแผนฉบับปรับปรุง ครั้งที่ 1")


def test_flagged_added_without_any_version(plan):
    project = plan.projects.get(sequence=2)
    project_services.project_update(project=project, is_added=True, user=SYSTEM)
    [footnote] = selectors.plan_summary(plan).footnotes
    assert footnote == selectors.Footnote("*2", "ลำดับที่ 2 เพิ่มเติมหลังแผนตั้งต้น")


def test_version_label(plan, executive, dimensions):
    assert selectors.plan_summary(plan).version_label == "ตั้งต้น"  # the draft of the baseline
    services.plan_approve(plan=plan, user=executive)
    plan.refresh_from_db()
    assert selectors.plan_summary(plan).version_label == "ตั้งต้น"
    add(plan, dimensions, "มาตรการเพิ่ม", 1)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    assert selectors.plan_summary(plan).version_label == "ฉบับปรับปรุง ครั้งที่ 1"
    services.plan_approve(plan=plan, user=executive)
    plan.refresh_from_db()
    assert selectors.plan_summary(plan).version_label == "ฉบับปรับปรุง ครั้งที่ 1"


def test_printed_book_markers_footnotes_legend_and_label(revised):
    text = summary_text(revised)
    lines = [line.strip() for line in text.splitlines()]
    footnote_lines = [line for line in lines if re.match(r"\*\d+ ลำดับที่", line)]
    assert [line.split()[0] for line in footnote_lines] == ["*1", "*3"]
    assert "(ฉบับปรับปรุง ครั้งที่ 1)" in text and "(ตั้งต้น)" not in text
    assert "* หมายถึง โครงการ/กิจกรรม/มาตรการที่เพิ่มเติมหลังแผนตั้งต้น" in " ".join(lines)
    # Every marker printed in the table is one of the footnotes' markers.
    table_markers = set(re.findall(r"(?<![\w*])\*(\d+)(?= )", text))
    assert {f"*{m}" for m in table_markers} == {"*1", "*3"}


def test_baseline_book_reads_baseline(plan, executive):
    services.plan_approve(plan=plan, user=executive)
    plan.refresh_from_db()
    text = summary_text(plan)
    assert "รายการโครงการ (ตั้งต้น)" in text
    assert "* หมายถึง" not in text  # nothing added, no "*" to explain


def test_plan_page_shows_the_same_footnotes(revised, staff, client_for):
    html = client_for(staff).get(reverse("plans:detail", args=[revised.pk])).content.decode()
    block = re.search(r'<div class="legend" id="footnotes".*?</div>', html, re.S).group(0)
    text = " ".join(re.sub(r"<[^>]+>", " ", block).split())
    assert "*1 ลำดับที่ 4 เพิ่มตามมติที่ประชุม; ลำดับที่ 5 เพิ่มเติมตามหนังสือสั่งการ" in text
    assert "*3 ลำดับที่ 6 เพิ่มเติมตามแผนฉบับปรับปรุง ครั้งที่ 1" in text
    assert "รายการโครงการ (ฉบับปรับปรุง ครั้งที่ 1)" in html
    assert f'href="{reverse("glossary")}#added"' in block  # what "*" means, in the glossary
