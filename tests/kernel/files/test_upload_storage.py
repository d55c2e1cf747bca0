"""Uploaded files are kept under MEDIA_ROOT and served only through the permission-checked views, as downloads that browsers
neither run nor sniff; and every place an evidence file or an import comes in uses the one content check."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.test import Client

from agreements.performance.models import IndicatorProgress
from ita.measures import services as measure_services
from ita.models import Measure
from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.services import organisation_update_profile
from lao_integrity.uploads import validate_image
from plans.models import ProgressStatus
from plans.progress import services as progress_services
from tests.kernel.files.helpers import image_bytes, png_claiming, upload, xlsx_bytes, zip_bomb

THAI_TEXT = re.compile(r"[\u0E00-\u0E7F]")
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


# --- storage and downloads ----------------------------------------------------------------------------------


@pytest.fixture
def evidence(seeded, settings):
    """One evidence file in each app, stored through the services, and the demo's admin client."""
    project = seeded.plan.projects.order_by("sequence").first()
    progress_services.progress_record(project=project, quarter=1, status=ProgressStatus.DONE,
                                  evidence_file=ContentFile(PDF, name="รายงาน ผล\"อบรม\".pdf"), user=SYSTEM)
    measure = Measure.objects.order_by("pk").first()
    measure_services.progress_record(measure=measure, quarter=1, status="done",
                                     evidence_file=ContentFile(image_bytes("JPEG"), name="photo.jpg"), user=SYSTEM)
    progress = IndicatorProgress.objects.exclude(evidence_file="").select_related("indicator").first()
    organisation_update_profile(organisation=seeded.org, phone="053-000000",
                                emblem=ContentFile(image_bytes("PNG"), name="garuda.png"), user=SYSTEM)
    assert measure.organisation != seeded.org and progress.indicator.agreement.organisation != seeded.org
    # (url, stored file, a reader, someone of another organisation)
    return {
        "plans": (f"/plans/projects/{project.pk}/progress/1/evidence/",
                  project.progress.get(quarter=1).evidence_file, seeded.staff, seeded.other_staff),
        "ita": (f"/ita/measure/{measure.pk}/evidence/1/", measure.progress.get(quarter=1).evidence_file,
                seeded.other_staff, seeded.staff),
        "agreements": (f"/agreements/indicator/{progress.indicator_id}/evidence/{progress.quarter}/",
                       progress.evidence_file, seeded.other_staff, seeded.staff),
        "emblem": (f"/organisations/{seeded.org.code}/emblem/", seeded.org.emblem, seeded.staff, seeded.other_staff),
    }


def test_uploads_live_under_media_root_outside_static(evidence, settings):
    media = Path(settings.MEDIA_ROOT).resolve()
    for _, field, _, _ in evidence.values():
        path = Path(field.path).resolve()
        assert path.is_file() and path.is_relative_to(media)
    for folder in [*settings.STATICFILES_DIRS, settings.STATIC_ROOT]:
        assert not media.is_relative_to(Path(folder).resolve())


def test_media_is_not_served_by_url(evidence, client_for, seeded):
    admin = client_for(type(seeded.staff).objects.get(username="admin"))
    for _, field, _, _ in evidence.values():
        for client in (Client(), admin):
            for prefix in ("/media/", "/static/", "/static/../media/", "/"):
                assert client.get(prefix + field.name).status_code == 404, prefix + field.name


@pytest.mark.parametrize("app", ["plans", "ita", "agreements", "emblem"])
def test_downloads_are_permission_checked_attachments_without_sniffing(evidence, client_for, seeded, app):
    url, field, reader, outsider = evidence[app]
    with field.open("rb") as handle:
        stored = handle.read()
    response = client_for(reader).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    if app == "emblem":
        assert disposition.startswith("inline") and response["Content-Type"] == "image/png"
    else:
        assert disposition.startswith("attachment;")
        assert response["Content-Type"] in {"application/pdf", "image/jpeg"}
    # The name comes from the stored name: no quotes, separators or line breaks can reach the header.
    assert "\n" not in disposition and "/" not in disposition.split("filename", 1)[1]
    assert disposition.count('"') in (0, 2)
    # Anonymous: to the login page. Another organisation's staff: 404 (or 403), never the file.
    assert Client().get(url).status_code == 302
    assert client_for(outsider).get(url).status_code == 404


def test_a_missing_file_is_a_404_not_a_500(evidence, client_for, seeded):
    admin = client_for(type(seeded.staff).objects.get(username="admin"))
    for url, field, _, _ in evidence.values():
        path = Path(field.path)
        hidden = path.rename(path.with_name(path.name + ".away"))  # the demo's files serve later tests
        try:
            assert admin.get(url).status_code == 404, url
        finally:
            hidden.rename(path)


# --- the same check everywhere an evidence file comes in --------------------------------------------------


@pytest.mark.parametrize("name, data", [("report.pdf", image_bytes("PNG")), ("report.pdf", b"<html></html>"),
                                        ("report.exe", b"MZ\x90\x00")])
def test_every_evidence_form_uses_the_content_check(name, data):
    from agreements.performance.forms import ProgressForm as AgreementProgressForm
    from ita.measures.forms import MeasureProgressForm
    from plans.forms import ProgressForm as PlanProgressForm

    for form_class, fields in [(PlanProgressForm, {"status": ProgressStatus.DONE, "amount_spent": "0"}),
                               (MeasureProgressForm, {"status": "done"}),
                               (AgreementProgressForm, {"value": "1"})]:
        form = form_class(fields, {"evidence_file": upload(name, data)})
        assert not form.is_valid() and form.errors.get("evidence_file"), form_class
        assert THAI_TEXT.search(" ".join(form.errors["evidence_file"]))
        good = form_class(fields, {"evidence_file": upload("report.pdf", PDF)})
        assert "evidence_file" not in good.errors, (form_class, good.errors)


def test_services_refuse_bad_evidence_too(seeded):
    """A command or the shell meets the same rule as the form: nothing is stored."""
    project = seeded.plan.projects.order_by("sequence").first()
    with pytest.raises(ValidationError) as excinfo:
        progress_services.progress_record(project=project, quarter=3, status=ProgressStatus.DONE,
                                      evidence_file=ContentFile(image_bytes("PNG"), name="report.pdf"), user=SYSTEM)
    assert "เป็นไฟล์ PNG" in " ".join(excinfo.value.messages)
    assert not project.progress.filter(quarter=3).exists()
    with pytest.raises(ValidationError):
        measure_services.validate_evidence_file(upload("x.docx", zip_bomb(5)))


@pytest.mark.parametrize("url_name", ["plan", "ita", "agreement"])
def test_import_forms_check_content_before_reading(url_name, seeded, client_for):
    """An import page answers a disguised file with a Thai error on the file field."""
    from agreements.performance.models import PerformanceAgreement

    agreement = PerformanceAgreement.objects.filter(status="draft").order_by("pk").first()
    user, url = {"plan": (seeded.staff, f"/plans/{seeded.plan.pk}/import/"),
                 "ita": (seeded.staff, "/ita/import/"),
                 "agreement": (seeded.other_staff, f"/agreements/{agreement.pk}/indicators/import/")}[url_name]
    response = client_for(user).post(url, {"file": upload("plan.xlsx", PDF)})
    assert response.status_code == 200
    assert "เป็น PDF ไม่ใช่ Excel" in response.content.decode()


@pytest.mark.parametrize("admin_url", ["/admin/orgs/organisation/import/", "/admin/plans/project/import/",
                                       "/admin/ita/result/import/"])
def test_admin_imports_check_content_before_reading(admin_url, seeded):
    """The admin's imports (the import pages' form and services) refuse what the import pages refuse,
    and change nothing."""
    from django.contrib.auth import get_user_model

    from lao_integrity.orgs.models import Organisation

    admin = get_user_model().objects.create_superuser("upload-admin", password="x-admin-pass-2569")
    client = Client()
    client.force_login(admin)
    form = client.get(admin_url)
    assert form.status_code == 200
    assert 'type="file"' in form.content.decode()
    before = Organisation.objects.count()
    bomb = zip_bomb(60, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml")
    for name, data, answer in [("orgs.xlsx", PDF, "เป็น PDF ไม่ใช่ Excel"), ("orgs.xlsx", bomb, "zip bomb")]:
        response = client.post(admin_url, {"file": upload(name, data),
                                           "plan": f"{seeded.org.code} {seeded.plan.fiscal_year}"})
        assert response.status_code == 200
        assert answer in response.content.decode()
    assert Organisation.objects.count() == before


def test_an_image_bomb_is_refused_as_emblem_too():
    with pytest.raises(ValidationError):
        validate_image(upload("garuda.png", png_claiming(100_000, 100_000)))


def test_every_table_upload_page_uses_the_kernels_one_form():
    """One form for csv/xlsx uploads (lao_integrity.uploads.TableUploadForm): ITA's wording kept."""
    from agreements.performance import views as agreement_views
    from ita.results.forms import ResultImportForm
    from lao_integrity.uploads import TableUploadForm
    from plans import views as plan_views
    from plans.forms import PlanImportForm

    assert plan_views.TableUploadForm is agreement_views.TableUploadForm is TableUploadForm
    assert issubclass(PlanImportForm, TableUploadForm) and issubclass(ResultImportForm, TableUploadForm)
    assert ResultImportForm({}, {}).errors["file"] == ["กรุณาเลือกไฟล์"]
    assert ResultImportForm({}, {"file": upload("x.csv", b"")}).errors["file"] == ["ไฟล์ว่างเปล่า"]
    refused = TableUploadForm({}, {"file": upload("plan.xlsx", PDF)})
    assert "เป็น PDF ไม่ใช่ Excel" in " ".join(refused.errors["file"])
    good = TableUploadForm({}, {"file": upload("plan.xlsx", xlsx_bytes())})
    assert good.is_valid() and good.cleaned_data["file"].read(2) == b"PK"
