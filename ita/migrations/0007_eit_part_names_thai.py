"""The EIT parts of the shipped frameworks lose the English "(EIT public)" / "(EIT survey)"."""

from django.db import migrations

NAMES = {
    "public": ("ส่วนที่ 1 ผู้รับบริการหรือติดต่อราชการตอบด้วยตนเอง (EIT public)",
               "ส่วนที่ 1 ผู้รับบริการหรือติดต่อราชการตอบด้วยตนเอง"),
    "survey": ("ส่วนที่ 2 ผู้ประเมินจัดเก็บข้อมูล (EIT survey)", "ส่วนที่ 2 ผู้ประเมินจัดเก็บข้อมูล"),
}


def forwards(apps, schema_editor):
    ToolPart = apps.get_model("ita", "ToolPart")
    for code, (old, new) in NAMES.items():
        ToolPart.objects.filter(code=code, name=old).update(name=new)


def backwards(apps, schema_editor):
    ToolPart = apps.get_model("ita", "ToolPart")
    for code, (old, new) in NAMES.items():
        ToolPart.objects.filter(code=code, name=new).update(name=old)


class Migration(migrations.Migration):
    dependencies = [("ita", "0006_result_and_progress_version")]
    operations = [migrations.RunPython(forwards, backwards)]
