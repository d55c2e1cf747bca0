"""A user's own password (lao_integrity/accounts): changed when signed in, reset through an emailed link.

Signing in goes through the login page, as a browser would, so django-axes' backend is part of every check."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

OLD, NEW = "old-secret-2569", "ใหม่-รหัส-2569-ยาว"
EMAIL = "somsri@example.go.th"


@pytest.fixture
def somsri():
    return get_user_model().objects.create_user("somsri", email=EMAIL, password=OLD, first_name="สมศรี")


def log_in(username: str, password: str) -> bool:
    client = Client()
    client.post(reverse("login"), {"username": username, "password": password})
    return "_auth_user_id" in client.session


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_header_links_to_the_change_and_the_login_page_to_the_reset(somsri):
    assert reverse("password_change") in signed_in(somsri).get(reverse("announcements:list")).content.decode()
    page = Client().get(reverse("login")).content.decode()
    assert reverse("password_reset") in page and "ลืมรหัสผ่าน?" in page


def test_a_wrong_current_password_is_refused_in_thai(somsri):
    client = signed_in(somsri)
    page = client.get(reverse("password_change")).content.decode()
    assert "เปลี่ยนรหัสผ่าน" in page and "รหัสผ่านปัจจุบัน" in page
    response = client.post(reverse("password_change"),
                           {"old_password": "not-it-2569", "new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 200
    assert "รหัสผ่านปัจจุบันไม่ถูกต้อง" in response.content.decode()
    assert log_in("somsri", OLD) and not log_in("somsri", NEW)


def test_a_weak_or_mismatched_new_password_is_refused_in_thai(somsri):
    client = signed_in(somsri)
    response = client.post(reverse("password_change"),
                           {"old_password": OLD, "new_password1": "12345", "new_password2": "12345"})
    assert "รหัสผ่านสั้นเกินไป" in response.content.decode()
    response = client.post(reverse("password_change"),
                           {"old_password": OLD, "new_password1": NEW, "new_password2": NEW + "x"})
    assert "รหัสผ่านทั้งสองช่องไม่ตรงกัน" in response.content.decode()


def test_the_right_current_password_changes_it_and_keeps_the_user_signed_in(somsri):
    client = signed_in(somsri)
    response = client.post(reverse("password_change"),
                           {"old_password": OLD, "new_password1": NEW, "new_password2": NEW}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("password_change_done")
    assert "เปลี่ยนรหัสผ่านแล้ว" in response.content.decode()
    assert client.get(reverse("announcements:list")).status_code == 200  # the session survives
    assert log_in("somsri", NEW) and not log_in("somsri", OLD)


def test_anonymous_users_are_sent_to_log_in_before_changing(somsri):
    response = Client().get(reverse("password_change"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def reset_link(mail) -> str:
    found = re.search(r"https?://[^/\s]+(/\S+)", mail.body)
    assert found, mail.body
    return found.group(1)


def test_the_reset_link_arrives_in_thai_and_sets_a_new_password(somsri, mailoutbox):
    client = Client()
    assert "ลืมรหัสผ่าน" in client.get(reverse("password_reset")).content.decode()
    response = client.post(reverse("password_reset"), {"email": EMAIL.upper()}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("password_reset_done")
    assert "ตรวจอีเมลของท่าน" in response.content.decode()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [EMAIL] and mail.subject == "ตั้งรหัสผ่านใหม่สำหรับบัญชีของท่าน"
    assert "เรียน สมศรี" in mail.body and '"somsri"' in mail.body and "ใช้ได้ครั้งเดียว" in mail.body

    link = reset_link(mail)
    form_page = client.get(link, follow=True)
    assert "ตั้งรหัสผ่านใหม่" in form_page.content.decode() and "new_password1" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": NEW, "new_password2": NEW}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("password_reset_complete")
    assert "ตั้งรหัสผ่านใหม่แล้ว" in response.content.decode()
    assert log_in("somsri", NEW) and not log_in("somsri", OLD)

    # Used once, the link stops working.
    again = Client().get(link, follow=True).content.decode()
    assert "ลิงก์ใช้ไม่ได้" in again and "new_password1" not in again


def test_an_unknown_address_gets_the_same_answer_and_no_mail(somsri, mailoutbox):
    known = Client().post(reverse("password_reset"), {"email": EMAIL}, follow=True)
    unknown = Client().post(reverse("password_reset"), {"email": "nobody@example.go.th"}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain
    assert known.content.decode().replace(EMAIL, "") == unknown.content.decode().replace("nobody@example.go.th", "")
    assert len(mailoutbox) == 1


def test_a_reset_through_the_emailed_link_lifts_the_lock_on_that_name(somsri, mailoutbox):
    """django-axes locks the name after five failures; the owner of the mailbox sets a new password
    and can sign in with it at once, and the old one stays refused."""
    for _ in range(5):
        log_in("somsri", "wrong-2569")
    assert not log_in("somsri", OLD)
    Client().post(reverse("password_reset"), {"email": EMAIL})
    client = Client()
    set_url = client.get(reset_link(mailoutbox[0]), follow=True).redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302
    assert get_user_model().objects.get(username="somsri").check_password(NEW)
    assert not log_in("somsri", OLD)
    assert log_in("somsri", NEW)


def test_the_lock_page_offers_the_reset(somsri):
    for _ in range(5):
        log_in("somsri", "wrong-2569")
    page = Client().post(reverse("login"), {"username": "somsri", "password": OLD}).content.decode()
    assert "ระงับการเข้าสู่ระบบชั่วคราว" in page and reverse("password_reset") in page
