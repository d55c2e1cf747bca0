from django.db import migrations

from ita.framework_data import YEARS, create_framework


def create(apps, schema_editor):
    for year in YEARS:
        create_framework(apps, year)


def remove(apps, schema_editor):
    apps.get_model("ita", "Framework").objects.filter(fiscal_year__in=YEARS, results__isnull=True).delete()


class Migration(migrations.Migration):

    dependencies = [("ita", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
