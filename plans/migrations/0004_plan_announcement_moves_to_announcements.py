"""The plan's announcement date and signer now live on its Announcement (kind "plan").

Each plan that had either gets a draft announcement carrying them, so nothing entered is lost.
"""

from django.db import migrations

from lao_integrity.announcements.kinds import TEMPLATES


def move_to_announcements(apps, schema_editor):
    Plan = apps.get_model("plans", "Plan")
    Announcement = apps.get_model("announcements", "Announcement")
    template = TEMPLATES["plan"]
    for plan in Plan.objects.exclude(announced_on=None, signer=None):
        if Announcement.objects.filter(organisation_id=plan.organisation_id, kind="plan",
                                       fiscal_year=plan.fiscal_year).exists():
            continue
        Announcement.objects.create(
            organisation_id=plan.organisation_id, kind="plan", fiscal_year=plan.fiscal_year,
            subject=template.subject, body=template.body, closing=template.closing,
            announced_on=plan.announced_on, signer_id=plan.signer_id, status="draft",
        )


def back_to_plans(apps, schema_editor):
    Plan = apps.get_model("plans", "Plan")
    Announcement = apps.get_model("announcements", "Announcement")
    for announcement in Announcement.objects.filter(kind="plan").order_by("revision"):
        Plan.objects.filter(organisation_id=announcement.organisation_id,
                            fiscal_year=announcement.fiscal_year).update(
            announced_on=announcement.announced_on, signer_id=announcement.signer_id)


class Migration(migrations.Migration):

    dependencies = [
        ("plans", "0003_plan_announcement_date_and_signer"),
        ("announcements", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(move_to_announcements, back_to_plans),
        migrations.RemoveField(model_name="plan", name="announced_on"),
        migrations.RemoveField(model_name="plan", name="signer"),
    ]
