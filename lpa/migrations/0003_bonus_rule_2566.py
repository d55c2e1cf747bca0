"""The ก.ท.จ. meeting on the year's rule, and the rule of fiscal year 2566 as the seed prints it:
LPA 80 % and above -> 10 points, below -> 8 (meeting 1/2567 of 23 January 2567); part 1 starts at version 1 and
keeps an audit trail."""

import datetime
from decimal import Decimal

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

import lao_integrity.fields


def rule_2566(apps, schema_editor):
    BonusRule = apps.get_model("lpa", "BonusRule")
    BonusRule.objects.get_or_create(fiscal_year=2566, defaults={
        "lpa_threshold": Decimal("80"), "points_at_or_above": Decimal("10"), "points_below": Decimal("8"),
        "meeting": "1/2567", "meeting_date": datetime.date(2024, 1, 23)})


class Migration(migrations.Migration):

    dependencies = [
        ("lpa", "0002_result_reporter"),
        ("orgs", "0005_organisation_person_version_history"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
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
        # Part 1's audit trail: a stale form names who saved in between.
        migrations.CreateModel(
            name='HistoricalBonusScore',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='รุ่นของข้อมูล')),
                ('created_at', models.DateTimeField(blank=True, editable=False)),
                ('updated_at', models.DateTimeField(blank=True, editable=False)),
                ('fiscal_year', models.PositiveSmallIntegerField(validators=[lao_integrity.fields.validate_fiscal_year], verbose_name='ปีงบประมาณ (พ.ศ.)')),
                ('d1', models.DecimalField(decimal_places=2, max_digits=5, verbose_name='มิติที่ 1 ด้านประสิทธิผลการปฏิบัติราชการ')),
                ('d2', models.DecimalField(decimal_places=2, max_digits=5, verbose_name='มิติที่ 2 ด้านคุณภาพการให้บริการ')),
                ('d3', models.DecimalField(decimal_places=2, max_digits=5, verbose_name='มิติที่ 3 ด้านประสิทธิภาพการปฏิบัติราชการ')),
                ('d4', models.DecimalField(decimal_places=2, max_digits=5, verbose_name='มิติที่ 4 ด้านการพัฒนาองค์กร')),
                ('remark', models.CharField(blank=True, max_length=300, verbose_name='หมายเหตุ')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('organisation', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='orgs.organisation', verbose_name='อปท.')),
            ],
            options={
                'verbose_name': 'historical คะแนนเพื่อขอรับเงินรางวัลประจำปี',
                'verbose_name_plural': 'historical คะแนนเพื่อขอรับเงินรางวัลประจำปี',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(rule_2566, migrations.RunPython.noop),
    ]
