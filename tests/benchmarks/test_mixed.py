"""The mixed run's parts: the form a client posts back, the driver against a small fake server,
the users it acts as; no timing assertions (speed is `make bench`'s)."""

import http.server
import re
import threading
from collections import defaultdict
from importlib import import_module
from urllib.parse import parse_qsl, urlencode

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from benchmarks import loadgen, mixed, mixedload, mixedusers, report
from benchmarks.scale import Generator
from lao_integrity.orgs import access
from plans.models import Plan, ProjectProgress

PAGE = """<html><body>
<form method="post" action="/logout/"><input type="hidden" name="csrfmiddlewaretoken" value="x"></form>
<form method="get" action="/search/"><input name="q" value="ignored"></form>
<form method="post" enctype="multipart/form-data">
  <input type="hidden" name="csrfmiddlewaretoken" value="masked-token">
  <input type="hidden" name="version" value="7">
  <input type="hidden" name="submission_token" value="once">
  <input type="text" name="name" value="โครงการ &amp; กิจกรรม">
  <textarea name="remark">
ร่วมกับกองช่าง</textarea>
  <select name="kind"><option value="">—</option><option value="project" selected>โครงการ</option></select>
  <select name="status"><option value="not_started">ยังไม่</option><option value="done">เสร็จ</option></select>
  <input type="checkbox" name="q1" checked><input type="checkbox" name="q2">
  <input type="file" name="evidence_file"><input type="text" name="off" value="x" disabled>
  <button type="submit" name="save">บันทึก</button><input type="submit" name="go" value="ไป">
</form></body></html>"""


def test_the_edit_form_is_posted_back_as_a_browser_sends_it():
    assert mixedload.edit_form(PAGE) == [
        ("csrfmiddlewaretoken", "masked-token"), ("version", "7"), ("submission_token", "once"),
        ("name", "โครงการ & กิจกรรม"), ("remark", "ร่วมกับกองช่าง"), ("kind", "project"), ("status", "not_started"),
        ("q1", "on"),
    ]
    assert mixedload.edit_form("<form method='post'><input name='csrfmiddlewaretoken' value='x'></form>") is None


class _FakePortal(http.server.BaseHTTPRequestHandler):
    """Pages /r/<user> (200) and forms /f/<user>: a POST with the form's version and the token
    made for the user's cookie, from the right origin, is saved (302); /bad/<user> never saves."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # else each small answer waits for a delayed ACK
    seen = defaultdict(set)  # user -> client ports that acted as them

    def log_message(self, *args):
        pass

    def _user(self):
        found = re.search(r"user=(\w+)", self.headers.get("Cookie", ""))
        user = found.group(1) if found else "?"
        self.seen[user].add(self.client_address[1])
        return user

    def _answer(self, status, body=b"", location=None):
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        user = self._user()
        if self.path.startswith(("/f/", "/bad/")):
            form = (f'<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="t-{user}">'
                    '<input type="hidden" name="version" value="3"><input name="note" value="same"></form>')
            return self._answer(200, form.encode())
        return self._answer(200 if self.path.startswith("/r/") else 404, b"page")

    def do_POST(self):
        user = self._user()
        fields = dict(parse_qsl(self.rfile.read(int(self.headers["Content-Length"])).decode()))
        good = (self.path.startswith("/f/") and fields == {"csrfmiddlewaretoken": f"t-{user}", "version": "3",
                                                           "note": "same"}
                and self.headers["Origin"] == "https://portal.test"
                and self.headers["Referer"] == "https://portal.test" + self.path)
        if good:
            return self._answer(302, location="/r/" + user)
        return self._answer(200, '<ul class="errorlist"><li>ไม่ได้บันทึก</li></ul>'.encode())


@pytest.fixture
def portal():
    _FakePortal.seen = defaultdict(set)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _FakePortal)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _users(n):
    return [{"username": f"u{i}", "cookie": f"user=u{i}", "reads": {"page": f"/r/u{i}"},
             "writes": {"save": f"/f/u{i}", "broken save": f"/bad/u{i}"}} for i in range(n)]


def test_the_driver_reads_saves_and_counts_every_unexpected_answer(portal):
    headers = {"X-Forwarded-Proto": "https", "Host": "portal.test"}
    result = mixedload.run("127.0.0.1", portal.server_address[1], _users(6), concurrency=3, duration=None,
                           max_actions=300, headers=headers, weights={"page": 6, "save": 3, "broken save": 1})
    summary = result.summary()
    by = summary["by_action"]
    assert by["page"]["errors"] == 0 and by["save"]["errors"] == 0 and by["save"]["requests"] > 0
    assert by["save form"]["requests"] == by["save"]["requests"]  # a save is its form's GET, then the POST
    assert by["broken save"]["requests"] > 0 and by["broken save"]["errors"] == by["broken save"]["requests"]
    assert summary["overall"]["errors"] == by["broken save"]["errors"]
    assert summary["writes"]["requests"] == by["save"]["requests"] + by["broken save"]["requests"]
    assert summary["reads"]["requests"] == summary["overall"]["requests"] - summary["writes"]["requests"]
    assert summary["reads"]["requests"] - by["save form"]["requests"] - by["broken save form"]["requests"] \
        == by["page"]["requests"]
    assert sum(by[n]["requests"] for n in ("page", "save", "broken save")) == 300  # one action each
    assert summary["statuses"]["302"] == by["save"]["requests"]
    assert any("ไม่ได้บันทึก" in s and "broken save" in s for s in summary["error_samples"])
    # Every user acted, each only ever through one client (its own connection).
    assert summary["users"] == 6 and set(_FakePortal.seen) == {f"u{i}" for i in range(6)}
    assert all(len(ports) == 1 for ports in _FakePortal.seen.values())


def test_the_report_and_figures_give_each_configuration_against_healthz(portal):
    port = portal.server_address[1]
    health = loadgen.run("127.0.0.1", port, "/r/u0", concurrency=2, duration=None, max_requests=20)
    run = mixedload.run("127.0.0.1", port, _users(2), concurrency=2, duration=None, max_actions=20,
                        weights={"page": 1, "broken save": 1})
    row = mixed.configuration_row(2, False, run.summary(), health.as_dict(), 99.5, sql_stats=True)
    assert row["name"] == "2 clients, kept pages off" and row["overall"]["errors"] > 0
    for part in ("overall", "reads", "writes"):
        assert row[part]["p95_ratio"] == round(row[part]["p95_ms"] / row["healthz"]["p95_ms"], 2)
    statement = {"statement": "SELECT 1", "count": 3, "total_ms": 9.0, "mean_ms": 3.0, "max_ms": 5.0,
                 "plan": "Result  (actual time=0.001..0.001 rows=1 loops=1)"}
    document = {"users": 2, "organisations": 2, "read_weights": {"page": 1}, "write_weights": {"broken save": 1},
                "configurations": [row], "statements": [statement, {"statement": "UPDATE t SET a = %s", "count": 1, "total_ms": 1.0,
                                                          "mean_ms": 1.0, "max_ms": 1.0, "skipped": "not a SELECT"}],
                "statements_recorded_in": "2 clients, kept pages off"}
    text = report.report([], [], {}, document)
    assert "2 clients, kept pages off *" in text and "99.5 MiB" in text and "ไม่ได้บันทึก" in text
    assert "Result  (actual time" in text and "(no plan: not a SELECT)" in text
    flat = {f["figure"]: f for f in report.figures([], [], document)}
    p95 = flat["mixed 2 clients, kept pages off writes p95_ms"]
    assert p95["value"] == row["writes"]["p95_ms"] and p95["ratio_to_healthz"] == row["writes"]["p95_ratio"]
    assert flat["mixed 2 clients, kept pages off peak_worker_rss_mib"]["value"] == 99.5


def test_each_client_has_users_of_its_own():
    users = _users(10)
    mine = mixedload.slices(users, 4)
    assert sorted(u["username"] for part in mine for u in part) == sorted(u["username"] for u in users)
    assert all(part for part in mine)
    with pytest.raises(ValueError):
        mixedload.slices(users, 11)


def test_the_real_forms_saved_as_the_driver_posts_them_redirect_and_change_nothing(plan, staff, client_for):
    """The progress form and the project edit form, parsed and posted back unchanged (with the
    CSRF check on): the save's redirect, and the project as it was."""
    client = client_for(staff)
    client.handler.enforce_csrf_checks = True
    client.submission_tokens = False  # exactly what the page gave
    project = plan.projects.order_by("sequence").first()
    before = {f: getattr(project, f) for f in ("name", "budget", "remark", "q1", "q2", "q3", "q4", "kind")}
    for path in (f"/plans/projects/{project.pk}/progress/1/", f"/plans/projects/{project.pk}/edit/"):
        page = client.get(path, secure=True)
        assert page.status_code == 200
        fields = mixedload.edit_form(page.content.decode())
        assert {"version", "csrfmiddlewaretoken"} <= {name for name, _ in fields}
        saved = client.post(path, urlencode(fields), content_type="application/x-www-form-urlencoded", secure=True,
                            HTTP_ORIGIN="https://testserver", HTTP_REFERER="https://testserver" + path)
        assert saved.status_code == 302, saved.content.decode()[:2000]
    project.refresh_from_db()
    assert {f: getattr(project, f) for f in before} == before
    assert ProjectProgress.objects.filter(project=project, quarter=1).count() == 1


def test_mixed_users_are_staff_of_distinct_organisations_made_once_and_their_sessions_end(db):
    Generator(orgs=10, years=2, last_year=2570, report=lambda line: None).run()
    first = mixedusers.prepare_users(year=2569, count=3)["users"]
    again = mixedusers.prepare_users(year=2569, count=3)["users"]
    assert [u["username"] for u in first] == [u["username"] for u in again]
    assert len({u["code"] for u in again}) == 3
    users = get_user_model().objects.filter(username__startswith="bench-mixed-")
    assert users.count() == 3
    for user, row in zip(users.order_by("username"), again, strict=True):
        assert list(user.memberships.values_list("organisation__code", "role")) == [(row["code"], "staff")]
        plan = Plan.objects.get(organisation__code=row["code"], fiscal_year=2569)
        assert access.can_edit(user, plan.organisation)
        assert row["reads"]["plan page"] == f"/plans/{plan.pk}/"
    store = import_module(settings.SESSION_ENGINE).SessionStore
    keys = [u["session_key"] for u in first + again]
    assert all(store().exists(k) for k in keys)
    mixedusers.forget_users(session_keys=keys)
    assert not any(store().exists(k) for k in keys)
