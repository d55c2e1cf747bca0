"""Organisation-level agreement: the structured annex from text, its numbering, copying, the announcement's document, the demo."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError

from agreements.organisation import documents as org_documents
from agreements.organisation import selectors as org_selectors
from agreements.organisation import services as org_services
from agreements.organisation.demo import seed_org_agreements
from agreements.organisation.models import OrgAgreement, Topic, TopicItem
from lao_integrity.announcements import documents as announcement_documents
from lao_integrity.announcements import kinds
from lao_integrity.announcements import services as announcement_services
from lao_integrity.announcements.models import Kind, Status
from lao_integrity.documents.render import officialise
from lao_integrity.orgs.models import Organisation
from tests.agreements.organisation.helpers import announcement_of, structure, topics_of
from tests.support.pdf import needs_pdftotext, text_of

SEED = Path(settings.BASE_DIR).parent / "shared" / "seeds" / "performance-agreement-ban-muang-2565.txt"
HEADINGS = [
    "การบริหารภารกิจเพื่อให้เกิดประโยชน์สุขแก่ประชาชน",
    "การบริหารงานเพื่อให้เกิดผลสัมฤทธิ์ต่อภารกิจขององค์กรปกครองส่วนท้องถิ่น",
    "การบริหารภารกิจอย่างมีประสิทธิภาพและเกิดความคุ้มค่าในเชิงภารกิจ",
    "การลดขั้นตอนการปฏิบัติงาน",
    "การปรับปรุงภารกิจขององค์กรปกครองส่วนท้องถิ่น",
    "การอำนวยความสะดวกและการตอบสนองความต้องการของประชาชน",
    "การประเมินผลการปฏิบัติงาน",
]


ITEM_COUNTS = [5, 6, 4, 3, 2, 3, 2]
THAI = "๐๑๒๓๔๕๖๗๘๙"


def printed_annex(agreement: OrgAgreement) -> str:
    """The annex HTML as the document engine prints it (Thai digits), tags dropped."""
    html = officialise(org_documents.annex_html(org_selectors.org_agreement_for_page(agreement.pk)))
    # Spans and zero-width spaces that keep words whole in headings are not text.
    html = re.sub(r"</?span[^>]*>", "", html).replace("\u200b", "")
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def agreement_hooks():
    """The structured annex hooks on the "agreement" kind, as AgreementsConfig.ready() registers them."""
    template = kinds.template_for(Kind.AGREEMENT)
    saved = template.annex_html, template.problems
    org_documents.register_documents()
    yield
    template.annex_html, template.problems = saved


# --- the annex from text ----------------------------------------------------------------------


def test_standard_annex_becomes_the_seeds_seven_topics(agreement):
    rows = structure(agreement)
    assert [title for _, title, _ in rows] == HEADINGS
    assert [order for order, _, _ in rows] == [1, 2, 3, 4, 5, 6, 7]
    assert [len(actions) for _, _, actions in rows] == ITEM_COUNTS
    assert rows[0][2] == [4, 6, 0, 0, 0]  # 1.1 has 4 actions, 1.2 has 6
    first = topics_of(agreement)[0]
    assert first.explanation.startswith("หลักเกณฑ์ เน้นความโปร่งใส")
    assert first.items.get(order=1).action_list[0] == "การเตรียมให้บริการข้อมูลข่าวสาร"
    assert agreement.introduction.startswith("เพื่อให้{อปท.} มีแนวทาง")  # tokens kept, filled when printed
    assert agreement.copied_from is None


def test_typed_numbers_and_heading_lines_are_dropped(agreement):
    texts = [t.title for t in topics_of(agreement)]
    texts += list(TopicItem.objects.filter(topic__agreement=agreement).values_list("text", flat=True))
    assert not [t for t in texts if re.match(r"^[0-9๐-๙]", t)]
    assert "รายละเอียดแนบท้าย" not in agreement.introduction
    assert "หน่วยงาน{อปท.}" not in agreement.introduction


@pytest.mark.skipif(not SEED.exists(), reason="the shared seeds are not next to the project")
def test_the_seeds_own_hand_typed_annex_converts_to_the_same_structure(org, staff):
    """The seed types some sub-items as bullets ("- ๑.๓ ..."), carries "/๑.๓ ให้เปิดเผย..." over
    a page and marks the heading bold with **: the structure still comes out right."""
    seed = SEED.read_text(encoding="utf-8")
    annex_text = seed[seed.index("**รายละเอียดแนบท้าย"):]
    agreement = org_services.org_agreement_from_text(organisation=org, fiscal_year=2565, text=annex_text,
                                                     user=staff)
    rows = structure(agreement)
    assert [title for _, title, _ in rows] == HEADINGS
    assert [len(actions) for _, _, actions in rows] == ITEM_COUNTS
    assert rows[0][2][:2] == [4, 6]
    assert agreement.introduction.startswith("เพื่อให้องค์การบริหารส่วนตำบลบ้านม่วง มีแนวทาง")
    third = topics_of(agreement)[2]
    assert third.explanation == ""
    assert third.items.get(order=1).text.startswith("กำหนดเป้าหมายแผนการดำเนินงาน")
    assert not TopicItem.objects.filter(topic__agreement=agreement, text__contains="ให้เปิดเผย...").exists()


def test_text_without_topics_is_refused_and_creates_nothing(org, staff):
    with pytest.raises(ValidationError) as error:
        org_services.org_agreement_from_text(organisation=org, fiscal_year=2569, user=staff,
                                             text="ย่อหน้าเดียว ไม่มีหัวข้อ\n- รายการ")
    assert "ไม่พบหัวข้อ" in " ".join(error.value.messages) or "ก่อนหัวข้อแรก" in " ".join(error.value.messages)
    assert not OrgAgreement.objects.filter(organisation=org).exists()


# --- create, copy -----------------------------------------------------------------------------


def test_a_new_year_starts_from_last_years_agreement(agreement, org, staff):
    first = topics_of(agreement)[0]
    org_services.topic_update(topic=first, title="หัวข้อที่แก้ในปี 2569", explanation="คำอธิบายใหม่",
                              items=[{"text": "ข้อย่อยเดียว", "actions": "งานหนึ่ง\nงานสอง"}], user=staff)
    new = org_services.org_agreement_create(organisation=org, fiscal_year=2570, user=staff)
    assert new.copied_from == agreement
    assert structure(new) == structure(agreement)
    assert structure(new)[0] == (1, "หัวข้อที่แก้ในปี 2569", [2])
    assert topics_of(new)[0].explanation == "คำอธิบายใหม่"
    # ... unless asked to start from the standard text.
    fresh = org_services.org_agreement_create(organisation=org, fiscal_year=2571, user=staff,
                                              start_from=org_services.START_STANDARD)
    assert fresh.copied_from is None and structure(fresh)[0][1] == HEADINGS[0]


def test_copy_to_next_year_copies_everything_and_refuses_a_duplicate(agreement, staff):
    org_services.org_agreement_update(agreement=agreement, introduction="ความนำเฉพาะปีนี้ {อปท.}", user=staff)
    new = org_services.org_agreement_copy(agreement=agreement, user=staff)
    assert (new.organisation_id, new.fiscal_year, new.copied_from_id) == (agreement.organisation_id, 2570,
                                                                          agreement.pk)
    assert new.introduction == "ความนำเฉพาะปีนี้ {อปท.}"
    assert structure(new) == structure(agreement)
    old_items = list(TopicItem.objects.filter(topic__agreement=agreement)
                     .order_by("topic__order", "order").values_list("text", "actions"))
    new_items = list(TopicItem.objects.filter(topic__agreement=new)
                     .order_by("topic__order", "order").values_list("text", "actions"))
    assert new_items == old_items and len(new_items) == sum(ITEM_COUNTS)
    with pytest.raises(ValidationError) as error:
        org_services.org_agreement_copy(agreement=agreement, user=staff)
    assert "มีข้อตกลงการปฏิบัติราชการปีงบประมาณ 2570 อยู่แล้ว" in error.value.messages[0]
    assert OrgAgreement.objects.filter(organisation=agreement.organisation).count() == 2


def test_create_validates_the_year_and_refuses_a_duplicate(agreement, org, staff):
    with pytest.raises(ValidationError) as error:
        org_services.org_agreement_create(organisation=org, fiscal_year=2026, user=staff)
    assert "พ.ศ." in error.value.message_dict["fiscal_year"][0]
    with pytest.raises(ValidationError):
        org_services.org_agreement_create(organisation=org, fiscal_year=2569, user=staff)
    assert OrgAgreement.objects.filter(organisation=org).count() == 1


def test_services_refuse_a_reader(agreement, auditor, other_staff):
    for user in (auditor, other_staff):
        with pytest.raises(PermissionDenied):
            org_services.topic_create(agreement=agreement, title="หัวข้อ", user=user)
        with pytest.raises(PermissionDenied):
            org_services.org_agreement_copy(agreement=agreement, user=user)
    assert Topic.objects.filter(agreement=agreement).count() == 7


# --- topics and numbering ---------------------------------------------------------------------


def test_moving_a_topic_renumbers_the_printed_annex(agreement, staff):
    topics = topics_of(agreement)
    assert f"๒. {HEADINGS[1]}" in printed_annex(agreement)
    assert org_services.topic_move(topic=topics[2], offset=-1, user=staff)
    assert [t.title for t in topics_of(agreement)][:3] == [HEADINGS[0], HEADINGS[2], HEADINGS[1]]
    text = printed_annex(agreement)
    assert f"๒. {HEADINGS[2]}" in text and f"๓. {HEADINGS[1]}" in text
    assert f"๒.๑ {topics[2].items.get(order=1).text}" in text  # sub-items follow their topic's number
    # The first topic can't go up; nothing changes.
    assert not org_services.topic_move(topic=topics[0], offset=-1, user=staff)
    assert [t.order for t in topics_of(agreement)] == [1, 2, 3, 4, 5, 6, 7]


def test_deleting_a_topic_closes_the_gap(agreement, staff):
    topics = topics_of(agreement)
    org_services.topic_delete(topic=topics[1], user=staff)
    assert [t.order for t in topics_of(agreement)] == [1, 2, 3, 4, 5, 6]
    assert not TopicItem.objects.filter(topic_id=topics[1].pk).exists()
    text = printed_annex(agreement)
    assert f"๒. {HEADINGS[2]}" in text and f"๖. {HEADINGS[6]}" in text
    assert HEADINGS[1] not in text and "๗." not in text


def test_topic_create_appends_and_drops_typed_numbers(agreement, staff):
    topic = org_services.topic_create(agreement=agreement, title="๘. หัวข้อใหม่", explanation="  คำอธิบาย  \n\n",
                                      items=[{"text": "๘.๑ ข้อย่อยแรก", "actions": "- งาน ก\n\n• งาน ข"},
                                             {"text": "ข้อย่อยสอง", "actions": ""}], user=staff)
    assert (topic.order, topic.title, topic.explanation) == (8, "หัวข้อใหม่", "คำอธิบาย")
    items = list(topic.items.order_by("order"))
    assert [(i.order, i.text, i.action_list) for i in items] == [(1, "ข้อย่อยแรก", ["งาน ก", "งาน ข"]),
                                                                 (2, "ข้อย่อยสอง", [])]
    assert "๘. หัวข้อใหม่" in printed_annex(agreement) and "๘.๒ ข้อย่อยสอง" in printed_annex(agreement)


@pytest.mark.parametrize("title, items, field", [
    ("   ", [], "title"),
    ("๓.", [], "title"),  # only a typed number
    ("ก" * 301, [], "title"),
    ("หัวข้อ", [{"text": "", "actions": "งานที่ไม่มีข้อย่อย"}], "items"),
])
def test_invalid_topic_changes_nothing(agreement, staff, title, items, field):
    before = structure(agreement)
    with pytest.raises(ValidationError) as error:
        org_services.topic_create(agreement=agreement, title=title, items=items, user=staff)
    assert field in error.value.message_dict
    with pytest.raises(ValidationError):
        org_services.topic_update(topic=topics_of(agreement)[0], title=title, items=items, user=staff)
    assert structure(agreement) == before


def test_page_reads_are_constant_in_queries(agreement, django_assert_num_queries):
    with django_assert_num_queries(3):  # agreement + organisation, topics, items
        loaded = org_selectors.org_agreement_for_page(agreement.pk)
        org_documents.annex_context(loaded)


@needs_pdftotext
def test_announcement_pdf_prints_the_structured_annex_with_generated_numbers(agreement_hooks, agreement, org,
                                                                             people, staff):
    # The free-text annex emptied, so every heading below can only come from the structured one.
    announcement = announcement_of(org, people, staff, annex="")
    text = text_of(announcement_documents.announcement_pdf(announcement))
    assert "ข้อ ๑ ประกาศนี้เรียกว่า" in text
    assert "รายละเอียดแนบท้ายข้อตกลงการปฏิบัติราชการ" in text
    assert f"หน่วยงาน{org.name}" in text
    assert "ประจำปีงบประมาณ พ.ศ. ๒๕๖๙" in text
    positions = [text.index(f"{THAI[n]}. {heading}") for n, heading in enumerate(HEADINGS, start=1)]
    assert positions == sorted(positions)
    assert "๑.๑ เปิดเผยข้อมูลการปฏิบัติงาน" in text and "๗.๒ การประเมินบุคคล" in text
    assert "- การเตรียมให้บริการข้อมูลข่าวสาร" in text
    assert "{" not in text  # tokens filled: {อปท.} {พนักงาน}
    assert not re.search(r"[0-9]", text)


def test_annex_hook_prints_nothing_without_a_structured_annex(agreement_hooks, org, people, staff):
    announcement = announcement_of(org, people, staff)
    template = kinds.template_for(Kind.AGREEMENT)
    assert template.annex_html(announcement) == ""
    assert template.problems(announcement) == ([], [])


def test_annex_hook_fills_tokens(agreement_hooks, agreement, org, people, staff):
    html = kinds.template_for(Kind.AGREEMENT).annex_html(announcement_of(org, people, staff))
    assert "หน่วยงาน" + org.name in html and "ประจำปีงบประมาณ พ.ศ. 2569" in html
    assert f"เพื่อให้{org.name} มีแนวทาง" in html
    assert "ข้าราชการหรือพนักงานส่วนตำบลกับผู้บริหาร" in html  # {พนักงาน} for an อบต.


def test_problems_before_signing(agreement_hooks, agreement, org, people, staff):
    announcement = announcement_of(org, people, staff)
    blocking, warnings = announcement_documents.problems(announcement)
    assert org_documents.FREE_TEXT_IGNORED in warnings  # the standard free text is still in the announcement
    assert not [m for m in blocking if "รายละเอียดแนบท้าย" in m]
    topics = topics_of(agreement)
    org_services.topic_update(topic=topics[3], title=topics[3].title, items=[], user=staff)
    blocking, _ = announcement_documents.problems(announcement)
    assert f"รายละเอียดแนบท้าย หัวข้อ 4. {HEADINGS[3]}: ยังไม่มีข้อย่อย" in blocking
    for topic in topics_of(agreement):
        org_services.topic_delete(topic=topic, user=staff)
    announcement = announcement_services.announcement_update(announcement=announcement, user=staff, annex="")
    blocking, warnings = announcement_documents.problems(announcement)
    assert "รายละเอียดแนบท้ายยังไม่มีหัวข้อ" in blocking
    assert org_documents.FREE_TEXT_IGNORED not in warnings


def test_a_change_to_the_annex_withdraws_an_unsigned_approval(agreement_hooks, agreement, org, people, staff,
                                                             executive):
    announcement = announcement_of(org, people, staff, annex="")
    announcement = announcement_services.announcement_approve(announcement=announcement, user=executive)
    assert announcement.status == Status.APPROVED
    org_services.topic_move(topic=topics_of(agreement)[1], offset=1, user=staff)
    announcement.refresh_from_db()
    assert announcement.status == Status.DRAFT and announcement.approved_at is None


# --- demo -------------------------------------------------------------------------------------


def test_demo_converts_ban_muangs_annex_once(seeded):
    seed_org_agreements(users={})
    lines = seed_org_agreements(users={})
    organisation = Organisation.objects.get(code="6411201")
    agreements = OrgAgreement.objects.filter(organisation=organisation, fiscal_year=2565)
    assert agreements.count() == 1 and "7 หัวข้อ" in lines[0]
    rows = structure(agreements.get())
    assert [title for _, title, _ in rows] == HEADINGS
    assert [len(actions) for _, _, actions in rows] == ITEM_COUNTS
