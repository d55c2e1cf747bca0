"""Organisation-level agreement through the pages: creating, topics, the introduction, copying, who may do what."""

from agreements.organisation.models import OrgAgreement, Topic
from tests.agreements.organisation.helpers import announcement_of, structure, topics_of

# --- pages ------------------------------------------------------------------------------------


def _item_post(title, rows, *, explanation="", initial=0):
    data = {"title": title, "explanation": explanation, "item-TOTAL_FORMS": str(len(rows)),
            "item-INITIAL_FORMS": str(initial), "item-MIN_NUM_FORMS": "0", "item-MAX_NUM_FORMS": "1000"}
    for n, row in enumerate(rows):
        for key, value in row.items():
            data[f"item-{n}-{key}"] = value
    return data


def test_staff_create_an_agreement_from_the_list(org, staff, client_for):
    client = client_for(staff)
    response = client.get("/agreements/org/")
    assert response.status_code == 200
    response = client.post("/agreements/org/", {"organisation": org.pk, "fiscal_year": "2569",
                                                 "start_from": "previous"})
    agreement = OrgAgreement.objects.get(organisation=org, fiscal_year=2569)
    assert response.status_code == 302 and response.url == f"/agreements/org/{agreement.pk}/"
    page = client.get(response.url).content.decode()
    assert "๑. การบริหารภารกิจเพื่อให้เกิดประโยชน์สุขแก่ประชาชน" in page and "๑.๑ เปิดเผยข้อมูล" in page
    assert 'name="kind" value="agreement"' in page  # the button that creates the announcement
    response = client.post("/agreements/org/", {"organisation": org.pk, "fiscal_year": "2569",
                                                 "start_from": "previous"})
    assert response.status_code == 200 and "อยู่แล้ว" in response.content.decode()
    assert OrgAgreement.objects.filter(organisation=org).count() == 1


def test_detail_links_the_announcement_when_there_is_one(agreement, org, people, staff, client_for):
    announcement = announcement_of(org, people, staff)
    page = client_for(staff).get(f"/agreements/org/{agreement.pk}/").content.decode()
    assert f"/announcements/{announcement.pk}/" in page
    assert f"/announcements/{announcement.pk}/document/?preview=1" in page


def test_staff_add_edit_move_and_delete_topics_on_pages(agreement, staff, client_for):
    client = client_for(staff)
    assert client.get(f"/agreements/org/{agreement.pk}/topics/add/").status_code == 200
    response = client.post(f"/agreements/org/{agreement.pk}/topics/add/", _item_post(
        "หัวข้อจากหน้าเว็บ", [{"text": "ข้อย่อย ก", "actions": "งาน ๑\nงาน ๒", "ORDER": ""},
                              {"text": "", "actions": "", "ORDER": ""}]))
    topic = Topic.objects.get(agreement=agreement, title="หัวข้อจากหน้าเว็บ")
    assert response.status_code == 302 and topic.order == 8
    assert list(topic.items.values_list("text", "actions")) == [("ข้อย่อย ก", "งาน ๑\nงาน ๒")]

    edit_url = f"/agreements/topic/{topic.pk}/edit/"
    assert "ข้อย่อย ก" in client.get(edit_url).content.decode()
    # Reorder with the ORDER column, delete nothing, add one row.
    response = client.post(edit_url, {**_item_post("หัวข้อจากหน้าเว็บ (แก้)", [
        {"text": "ข้อย่อย ก", "actions": "งาน ๑", "ORDER": "2"},
        {"text": "ข้อย่อย ข", "actions": "", "ORDER": "1"}], initial=1), "version": str(topic.version)})
    assert response.status_code == 302
    assert list(topic.items.order_by("order").values_list("text", flat=True)) == ["ข้อย่อย ข", "ข้อย่อย ก"]

    response = client.post(f"/agreements/topic/{topic.pk}/move/", {"direction": "up"})
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.order == 7

    page = client.get(f"/agreements/topic/{topic.pk}/delete/").content.decode()
    assert "ยืนยันการลบ" in page
    assert Topic.objects.filter(pk=topic.pk).exists()  # GET only asks
    client.post(f"/agreements/topic/{topic.pk}/delete/")
    assert not Topic.objects.filter(pk=topic.pk).exists()
    assert [t.order for t in topics_of(agreement)] == [1, 2, 3, 4, 5, 6, 7]


def test_invalid_topic_form_changes_nothing(agreement, staff, client_for):
    topic = topics_of(agreement)[0]
    before = structure(agreement)
    response = client_for(staff).post(f"/agreements/topic/{topic.pk}/edit/", _item_post(
        "", [{"text": "", "actions": "งานที่ไม่มีข้อย่อย", "ORDER": "1"}], initial=1))
    assert response.status_code == 200
    page = response.content.decode()
    assert "กรุณาระบุชื่อหัวข้อ" in page and "กรุณาระบุข้อย่อยของรายการดำเนินการเหล่านี้" in page
    assert structure(agreement) == before


def test_introduction_is_edited_on_the_detail_page(agreement, staff, auditor, client_for):
    url = f"/agreements/org/{agreement.pk}/"
    assert client_for(auditor).post(url, {"introduction": "ของผู้ตรวจสอบ"}).status_code == 403
    client_for(staff).post(url, {"introduction": "ความนำใหม่ของ{อปท.}\n\nย่อหน้าสอง", "version": str(agreement.version)})
    agreement.refresh_from_db()
    assert agreement.introduction == "ความนำใหม่ของ{อปท.}\nย่อหน้าสอง"
    assert f"ความนำใหม่ของ{agreement.organisation.name}" in client_for(staff).get(url).content.decode()


def test_executive_copies_to_next_year_on_the_page(agreement, executive, client_for):
    client = client_for(executive)
    response = client.post(f"/agreements/org/{agreement.pk}/copy/")
    new = OrgAgreement.objects.get(organisation=agreement.organisation, fiscal_year=2570)
    assert response.status_code == 302 and response.url == f"/agreements/org/{new.pk}/"
    response = client.post(f"/agreements/org/{agreement.pk}/copy/", follow=True)
    assert "อยู่แล้ว" in response.content.decode()
    assert OrgAgreement.objects.filter(organisation=agreement.organisation).count() == 2


def test_auditor_reads_but_cannot_write(agreement, auditor, client_for):
    client = client_for(auditor)
    topic = topics_of(agreement)[0]
    page = client.get(f"/agreements/org/{agreement.pk}/")
    assert page.status_code == 200 and "แก้ไขหัวข้อ" not in page.content.decode()
    assert client.get("/agreements/org/").status_code == 200
    assert client.get(f"/agreements/org/{agreement.pk}/topics/add/").status_code == 403
    assert client.post(f"/agreements/org/{agreement.pk}/topics/add/",
                       _item_post("หัวข้อ", [])).status_code == 403
    assert client.get(f"/agreements/topic/{topic.pk}/edit/").status_code == 403
    assert client.post(f"/agreements/topic/{topic.pk}/delete/").status_code == 403
    assert client.post(f"/agreements/topic/{topic.pk}/move/", {"direction": "down"}).status_code == 403
    assert client.post(f"/agreements/org/{agreement.pk}/copy/").status_code == 403
    # Creating from the list: read-only users are refused outright (access.require_edit_any).
    response = client.post("/agreements/org/", {"organisation": agreement.organisation_id, "fiscal_year": "2570",
                                                "start_from": "previous"})
    assert response.status_code == 403
    assert OrgAgreement.objects.filter(organisation=agreement.organisation).count() == 1 and Topic.objects.filter(agreement=agreement).count() == 7
    assert topics_of(agreement)[0].pk == topic.pk


def test_other_organisations_agreement_is_not_found(agreement, other_staff, client_for):
    client = client_for(other_staff)
    topic = topics_of(agreement)[0]
    assert client.get(f"/agreements/org/{agreement.pk}/").status_code == 404
    assert client.get(f"/agreements/topic/{topic.pk}/edit/").status_code == 404
    assert client.post(f"/agreements/topic/{topic.pk}/delete/").status_code == 404
    assert client.post(f"/agreements/topic/{topic.pk}/move/", {"direction": "up"}).status_code == 404
    assert client.post(f"/agreements/org/{agreement.pk}/copy/").status_code == 404
    assert agreement.organisation.name not in client.get("/agreements/org/").content.decode()
    assert Topic.objects.filter(agreement=agreement).count() == 7


def test_anonymous_is_sent_to_login(agreement, client):
    response = client.get(f"/agreements/org/{agreement.pk}/")
    assert response.status_code == 302 and "login" in response.url
