"""The demo records each URL of the access table is built with (tests/project/access_rules.py): a
plan, a project, a result, announcements at each stage, published documents, evidence files, a job.
Each builder takes the walk's context and returns the record, made once when it is missing."""

import datetime
import io

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from PIL import Image

from agreements.organisation.models import OrgAgreement, Topic
from agreements.performance.models import AgreementStatus, IndicatorProgress, PerformanceAgreement
from ita.models import Measure, MeasureProgress, Result
from lao_integrity.announcements.models import Announcement, Kind
from lao_integrity.jobs.models import Job
from lao_integrity.jobs.models import Status as JobStatus
from lao_integrity.orgs.models import Organisation
from plans.models import Plan, ProjectProgress

BAN_HAENG, MAE_SAI, BAN_MUANG = "5205401", "5570701", "6411201"


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return buffer.getvalue()


def ban_haeng_plan(ctx):
    return Plan.objects.get(organisation__code=BAN_HAENG, fiscal_year=2569)


def ban_haeng_project(ctx):
    return ban_haeng_plan(ctx).projects.order_by("sequence").first()


def ban_haeng_version(ctx):
    return ban_haeng_plan(ctx).versions.order_by("number").first()


def ban_haeng_result(ctx):
    return Result.objects.get(organisation__code=BAN_HAENG, fiscal_year=2566)


def mae_sai_measure(ctx):
    return Measure.objects.filter(organisation__code=MAE_SAI).order_by("pk").first()


def draft_agreement(ctx):
    return PerformanceAgreement.objects.filter(status=AgreementStatus.DRAFT).order_by("pk").first()


def org_agreement(ctx):
    return OrgAgreement.objects.order_by("pk").first()


def topic(ctx):
    return Topic.objects.filter(agreement=org_agreement(ctx)).order_by("pk").first()


def plan_announcement(ctx):
    """บ้านแหง's announcement approved and waiting for the executive's signature (the demo tour's)."""
    return Announcement.objects.get(organisation__code=BAN_HAENG, kind=Kind.OTHER, fiscal_year=2569,
                                    status="approved")


def signed_announcement(ctx):
    return Announcement.objects.filter(organisation__code=MAE_SAI, kind=Kind.NO_GIFT).order_by("pk").first()


def published_announcement(ctx):
    """A signed announcement of บ้านแหง the demo publishes (lao_integrity/publication/demo.py)."""
    return Announcement.objects.filter(organisation__code=BAN_HAENG, status="signed").order_by("pk").first()


def plan_evidence(ctx):
    project = ban_haeng_project(ctx)
    progress, _ = ProjectProgress.objects.get_or_create(project=project, quarter=1,
                                                        defaults={"status": "done"})
    progress.evidence_file.save("evidence.png", ContentFile(png_bytes()), save=True)
    return project


def measure_evidence(ctx):
    measure = mae_sai_measure(ctx)
    progress, _ = MeasureProgress.objects.get_or_create(measure=measure, quarter=1, defaults={"status": "done"})
    progress.evidence_file.save("evidence.png", ContentFile(png_bytes()), save=True)
    return measure


def indicator_evidence(ctx):
    progress = IndicatorProgress.objects.exclude(evidence_file="").select_related("indicator__agreement").first()
    if progress is None or not progress.evidence_file.storage.exists(progress.evidence_file.name):
        progress = IndicatorProgress.objects.select_related("indicator__agreement").first()
        progress.evidence_file.save("evidence.png", ContentFile(png_bytes()), save=True)
    return progress


def _admin():
    return get_user_model().objects.get(username="admin")


def published(document):
    """`document` with a live publication (published here unless the demo has it published already)."""
    from lao_integrity.publication import selectors as publication_selectors
    from lao_integrity.publication import services as publication_services

    if publication_selectors.of(document) is None:
        publication_services.publish(document=document, user=_admin())
    return document


def signed_and_published(organisation_code, kind, fiscal_year):
    """The newest revision of an announcement, signed (unless it is) and published."""
    from lao_integrity.announcements import services as announcement_services
    from lao_integrity.announcements.models import Status

    announcement = (Announcement.objects.filter(organisation__code=organisation_code, kind=kind,
                                                fiscal_year=fiscal_year).order_by("-revision", "-pk").first())
    if announcement.status != Status.SIGNED:
        if announcement.status != Status.APPROVED:
            announcement = announcement_services.announcement_approve(announcement=announcement, user=_admin())
        announcement = announcement_services.announcement_sign(announcement=announcement, user=_admin())
    return published(announcement)


def public_plan(ctx, **extra):
    """บ้านแหง's FY 2569 plan, public: its plan announcement signed and published (the demo records
    quarter 2 of every project, so the 6-month report is public too)."""
    signed_and_published(BAN_HAENG, Kind.PLAN, 2569)
    return {"code": BAN_HAENG, "fiscal_year": 2569, **extra}


def public_measures(ctx):
    """แม่สาย's FY 2567 measures, public (announcement signed and published), with progress recorded."""
    from lao_integrity.announcements import services as announcement_services

    if not Announcement.objects.filter(organisation__code=MAE_SAI, kind=Kind.ITA_MEASURES, fiscal_year=2567).exists():
        org = Organisation.objects.get(code=MAE_SAI)
        announcement_services.announcement_create(
            organisation=org, kind=Kind.ITA_MEASURES, fiscal_year=2567, user=_admin(),
            signer=org.people.order_by("pk").first(), announced_on=datetime.date(2024, 1, 15))
    signed_and_published(MAE_SAI, Kind.ITA_MEASURES, 2567)
    MeasureProgress.objects.get_or_create(measure=mae_sai_measure(ctx), quarter=1, defaults={"status": "done"})
    return {"code": MAE_SAI, "fiscal_year": 2567}


def signed_agreement(ctx):
    """A signed (the demo's is evaluated) unit agreement."""
    return (PerformanceAgreement.objects.filter(status__in=[AgreementStatus.SIGNED, AgreementStatus.EVALUATED])
            .order_by("pk").first())


def published_agreement(ctx):
    """The signed agreement, published."""
    return published(signed_agreement(ctx))


def public_org_agreement(ctx):
    """The demo's signed organisation agreement announcement (บ้านม่วง 2565), published."""
    signed_and_published(BAN_MUANG, Kind.AGREEMENT, 2565)
    return {"code": BAN_MUANG, "fiscal_year": 2565}


def emblem(ctx):
    org = Organisation.objects.get(code=BAN_HAENG)
    org.emblem.save("emblem.png", ContentFile(png_bytes()), save=True)
    return org


def staff_job(ctx):
    """A finished plan-book job of บ้านแหง's staff, with its file."""
    job = Job(kind="plan-book", owner=get_user_model().objects.get(username="staff"),
              organisation=Organisation.objects.get(code=BAN_HAENG), title="เล่มแผน (ตารางสิทธิ์)",
              status=JobStatus.DONE, result_name="plan-book.pdf", content_type="application/pdf")
    job.result_file.save("matrix.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    job.save()
    return job
