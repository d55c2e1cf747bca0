"""Layout of the printed documents (issue 13): blocks that belong together stay on one page, no
table leaves one row alone at a page foot or head, and no line breaks inside a Thai word in
headings and table cells ("หน่วย" / "งาน", "ยังไม่ดำเนิน" / "การ").

The checks read WeasyPrint's laid-out boxes (lines, pages, table rows) of the real documents,
rendered by the same pipeline as the PDFs (`render.layout`).
"""

from decimal import Decimal

import pytest
from weasyprint.formatting_structure import boxes

from ita.analysis import documents as analysis_documents
from ita.measures import documents as measure_documents
from ita.models import Result
from ita.results import selectors as ita_selectors
from lao_integrity.documents.render import ZWSP, layout, officialise, render_html
from lao_integrity.documents.words import KEEP_WHOLE
from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.models import Organisation
from plans import documents as plan_documents
from plans import services
from plans.models import Plan
from plans.projects import services as project_services

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
pytestmark = pytest.mark.django_db


# --- reading the layout ---------------------------------------------------------------------------


def _text(box) -> str:
    return "".join(b.text for b in box.descendants() if isinstance(b, boxes.TextBox)).replace(ZWSP, "")


WORD_CONTEXT = {"h1", "h2", "h3", "h4", "h5", "h6", "th", "td"}


def _line_holders(box, inside: bool):
    inside = inside or getattr(box, "element_tag", None) in WORD_CONTEXT
    lines = [child for child in getattr(box, "children", []) if isinstance(child, boxes.LineBox)]
    if len(lines) > 1 and inside:
        yield [_text(line) for line in lines]
    for child in getattr(box, "children", []):
        if not isinstance(child, boxes.LineBox):
            yield from _line_holders(child, inside)


def blocks_of_lines(document):
    """(page index, [line texts]) for every heading and table cell (and the blocks inside them)."""
    for number, page in enumerate(document.pages):
        for lines in _line_holders(page._page_box, False):
            yield number, lines


def split_words(document) -> list[str]:
    """Every KEEP_WHOLE word that a line break cuts in two."""
    found = []
    for _, lines in blocks_of_lines(document):
        for before, after in zip(lines, lines[1:], strict=False):
            before, after = before.rstrip(), after.lstrip()
            for word in KEEP_WHOLE:
                for cut in range(1, len(word)):
                    if before.endswith(word[:cut]) and after.startswith(word[cut:]):
                        found.append(f"{before[-20:]} / {after[:20]}")
    return found


def table_fragments(document) -> dict[int, list[int]]:
    """For each table.summary: its body rows on each page it spans."""
    tables: dict[int, list[int]] = {}
    for page in document.pages:
        for box in page._page_box.descendants():
            if isinstance(box, boxes.TableBox) and "summary" in (box.element.get("class") or ""):
                rows = [row for group in box.children if isinstance(group, boxes.TableRowGroupBox)
                        and not group.is_header for row in group.children]
                tables.setdefault(id(box.element), []).append(len(rows))
    return tables


def page_of_lines(document, starts: tuple[str, ...]) -> set[int]:
    pages = set()
    for number, page in enumerate(document.pages):
        for box in page._page_box.descendants():
            if isinstance(box, boxes.LineBox) and _text(box).lstrip().startswith(starts):
                pages.add(number)
    return pages


# --- the documents ----------------------------------------------------------------------------------


def _demo_documents() -> dict[str, str]:
    ban_haeng = Plan.objects.get(organisation__code="5205401", fiscal_year=2569)
    mae_sai = Organisation.objects.get(code="5570701")
    result = Result.objects.get(organisation=mae_sai, fiscal_year=2566)
    analysis_documents.register_documents()
    measure_documents.register_documents()
    return {
        "plan-book": render_html(*plan_documents.plan_document(ban_haeng, "book")),
        "plan-progress-6": render_html(*plan_documents.plan_document(ban_haeng, "progress", months=6)),
        "plan-progress-12": render_html(*plan_documents.plan_document(ban_haeng, "progress", months=12)),
        "ita-analysis": render_html(analysis_documents.ANALYSIS_TEMPLATE,
                                    analysis_documents.analysis_context(ita_selectors.result_for_page(result.pk))),
        "ita-measures": render_html(measure_documents.TABLE_TEMPLATE,
                                    measure_documents.measures_context(mae_sai, 2567)),
    }


@pytest.fixture(scope="module")
def laid_out(django_db_setup, django_db_blocker, _demo_loaded):
    with django_db_blocker.unblock():
        return {name: layout(html) for name, html in _demo_documents().items()}


DOCUMENTS = ("plan-book", "plan-progress-6", "plan-progress-12", "ita-analysis", "ita-measures")


@pytest.mark.parametrize("name", DOCUMENTS)
def test_no_line_breaks_inside_a_thai_word(laid_out, name):
    assert split_words(laid_out[name]) == []


@pytest.mark.parametrize("name", DOCUMENTS)
def test_no_table_leaves_a_lone_row(laid_out, name):
    for fragments in table_fragments(laid_out[name]).values():
        if len(fragments) > 1:
            assert fragments[0] >= 2 and fragments[-1] >= 2, fragments


def test_the_ita_title_keeps_its_words(laid_out):
    [(_, title)] = [(n, lines) for n, lines in blocks_of_lines(laid_out["ita-analysis"])
                    if lines[0].startswith("รายงานการวิเคราะห์")][:1]
    assert "".join(title).replace(" ", "").endswith("หน่วยงานภาครัฐ(ITA)")
    assert not title[-1].startswith("งาน")


def test_keep_whole_words_only_in_headings_and_cells():
    html = officialise("<body><h1>ของหน่วยงาน</h1><p>ของหน่วยงาน</p><td>ยังไม่ดำเนินการ 5 คน</td>"
                       "<style>td::after { content: 'หน่วยงาน' }</style></body>")
    assert f'<h1>ของ{ZWSP}<span class="nobr">หน่วยงาน</span>{ZWSP}</h1>' in html
    assert "<p>ของหน่วยงาน</p>" in html
    assert f'ยังไม่{ZWSP}<span class="nobr">ดำเนินการ</span>{ZWSP} <span class="nobr">๕\u00a0คน</span>' in html
    assert "content: 'หน่วยงาน'" in html
    # Not inside a syllable: "เหน่วยงาน" has a leading vowel before the match.
    assert "nobr" not in officialise("<body><td>เหน่วยงานx</td></body>").replace("<td>", "")


# --- the plan's footnotes, issuer and legend stay on one page ----------------------------------------


@pytest.fixture
def long_plan(org, dimensions):
    plan = services.plan_create(organisation=org, fiscal_year=2569, user=SYSTEM)

    def grow(count: int) -> Plan:
        for n in range(plan.projects.count(), count):
            project_services.project_create(plan=plan, name=f"โครงการส่งเสริมคุณธรรมและความโปร่งใสลำดับ {n + 1}",
                                    dimension=dimensions[n % 4 + 1], budget=Decimal("1000.00"), q1=True, user=SYSTEM)
        return plan
    return grow


def test_plan_notes_never_split_across_pages(long_plan):
    legend = ("คำอธิบาย", *(f"มิติ {THAI_DIGITS[n]} " for n in range(1, 5)), "ข้อมูล ณ วันที่", "ชื่อ - สกุล")
    for count in range(17, 27):
        plan = long_plan(count)
        document = layout(render_html(*plan_documents.plan_document(plan, "book")))
        assert len(page_of_lines(document, legend)) == 1, count
