"""The ก.ท.จ. meeting on the year's rule, and the rule of fiscal year 2566 as the seed prints it:
LPA 80 % and above -> 10 points, below -> 8 (meeting 1/2567 of 23 January 2567); part 1 starts at version 1."""

import datetime
from decimal import Decimal

from django.db import migrations, models


def rule_2566(apps, schema_editor):
    BonusRule = apps.get_model("lpa", "BonusRule")
    BonusRule.objects.get_or_create(fiscal_year=2566, defaults={
        "lpa_threshold": Decimal("80"), "points_at_or_above": Decimal("10"), "points_below": Decimal("8"),
        "meeting": "1/2567", "meeting_date": datetime.date(2024, 1, 23)})


class Migration(migrations.Migration):

    dependencies = [
        ("lpa", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="bonusrule",
            name="meeting",
            field=models.CharField(blank=True, help_text="เช่น 1/2567", max_length=40,
                                   verbose_name="การประชุม ก.ท.จ. ครั้งที่"),
        ),
        migrations.AddField(
            model_name="bonusrule",
            name="meeting_date",
            field=models.DateField(blank=True, null=True, verbose_name="วันที่ประชุม"),
        ),
        # Part 1 is created by its form (concurrency.claim): 0 must mean "nothing stored yet".
        migrations.AlterField(
            model_name="bonusscore",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False, verbose_name="รุ่นของข้อมูล"),
        ),
        migrations.RunPython(rule_2566, migrations.RunPython.noop),
    ]
